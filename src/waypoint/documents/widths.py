"""Table column widths that fit the page, for the PDF and the DOCX alike.

A table's relative widths (``Table.widths``) say how its columns share the page; scaled as they
are, a column of numbers or a header word ("Likelihood") may be narrower than what it holds, and
a table with many year columns may need more than a portrait page. The widths here start from
the relative ones and widen every column to its longest unbreakable word, taking the room from
the columns that have some to spare; ``None`` when the words alone need more than the page (the
renderer turns the page to landscape then). Words are measured in the font they are printed in
(DejaVu Sans Bold, the wider face, through Pillow), or estimated on the safe side where it is
not installed; nothing here knows Django.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from PIL import ImageFont

from waypoint.documents.blocks import Section, Table

#: the printable width of A4 with 18 mm margins, upright and turned
PORTRAIT_MM = 174.0
LANDSCAPE_MM = 261.0
#: a cell's padding, left and right together (print.css: 1.5 mm each side)
PADDING_MM = 3.2
#: a word in a text column longer than this is broken anywhere (a URL, a long code)
LONGEST_WORD_MM = 30.0
#: the font sizes of the PDF's tables (print.css), the larger of the two renderers'
TABLE_PT = 9.5
SMALL_TABLE_PT = 8.0
_PT_MM = 25.4 / 72


#: where Debian keeps the font the documents are set in (``tools/ensure-system-packages.sh``)
BOLD_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
_SIZE = 1000  # the font is measured at this size, in points, and scaled


@functools.cache
def _font() -> Any:
    """DejaVu Sans Bold, to measure words as they are printed (bold: the wider face); ``None``
    where it is not installed (the estimate below stands in)."""
    try:
        return ImageFont.truetype(str(BOLD_FONT), _SIZE)
    except OSError:
        return None


def _em(char: str) -> float:
    """A character's advance in DejaVu Sans Bold, in em, rounded up (when the font is missing)."""
    if char.isdigit():
        return 0.70
    if char in ",.:;'|!il":
        return 0.40
    if char == " ":
        return 0.35
    if char.isupper() or char in "mwMW%—–":
        return 0.95 if char in "mwMW%" else 0.80
    return 0.72


@functools.lru_cache(maxsize=20000)
def _em_width(text: str) -> float:
    font = _font()
    if font is None:
        return sum(_em(c) for c in text)
    return float(font.getlength(text)) / _SIZE


def text_mm(text: str, size_pt: float) -> float:
    """How wide ``text`` is printed at ``size_pt`` points, in mm (2 % to spare)."""
    return _em_width(text) * size_pt * _PT_MM * 1.02


def _longest_word(text: str, size_pt: float) -> float:
    return max((text_mm(word, size_pt) for word in text.split()), default=0.0)


def _label(cell: str) -> str:
    # a status cell is written "key|label": only the label is printed
    return cell.split("|", 1)[1] if "|" in cell else cell


def minimum_widths(table: Table) -> list[float]:
    """The narrowest each column can be, in mm: its longest word (a number never breaks; a
    word in a text column longer than ``LONGEST_WORD_MM`` is broken)."""
    size = SMALL_TABLE_PT if table.small else TABLE_PT
    found: list[float] = []
    for column, header in enumerate(table.headers):
        widest = _longest_word(header, size)
        for row in table.rows:
            if column < len(row):
                word = _longest_word(_label(row[column]), size)
                widest = max(widest, word if column in table.numeric else min(word, LONGEST_WORD_MM))
        found.append(widest + PADDING_MM)
    return found


def natural_widths(table: Table) -> list[float]:
    """How wide each column would be with no line wrapped, in mm (a cell's own lines kept)."""
    size = SMALL_TABLE_PT if table.small else TABLE_PT
    found: list[float] = []
    for column, header in enumerate(table.headers):
        texts = [header, *(_label(row[column]) for row in table.rows if column < len(row))]
        found.append(max(text_mm(line, size) for text in texts for line in text.split("\n")) + PADDING_MM)
    return found


def fitted_widths(table: Table, available_mm: float) -> list[float] | None:
    """The columns' widths in mm, summing to ``available_mm``: the relative widths, each column
    raised to its minimum where it is narrower, the room taken first from what other columns
    would not use even unwrapped, then from what they have above their own minimum; ``None``
    when the minima alone are wider than ``available_mm``."""
    count = len(table.headers)
    relative = table.widths if len(table.widths) == count else [1.0] * count
    least = minimum_widths(table)
    if sum(least) > available_mm + 0.01:
        return None
    widths = [available_mm * w / sum(relative) for w in relative]
    need = sum(max(0.0, least[i] - widths[i]) for i in range(count))
    widths = [max(w, m) for w, m in zip(widths, least, strict=True)]
    natural = natural_widths(table)
    for room in (
        [max(0.0, widths[i] - max(natural[i], least[i])) for i in range(count)],
        [max(0.0, widths[i] - least[i]) for i in range(count)],
    ):
        if need <= 0:
            break
        spare = sum(room)
        if spare <= 0:
            continue
        taken = min(need, spare)
        widths = [w - taken * r / spare for w, r in zip(widths, room, strict=True)]
        need -= taken
    return _unwrapped(widths, least, natural)


#: a column whose text is at most this much wider than the column is widened to hold it on one
#: line ("Forecast 2016", "Unlikely (6.5)"), if the others can spare the room
NEARLY = 1.5
#: the share of its width a column that wraps anyway may give up for that
GIVE = 0.2


def _unwrapped(widths: list[float], least: list[float], natural: list[float]) -> list[float]:
    """Short texts on one line where a little room allows: the columns that nearly hold their
    text are widened, the room taken from columns that do not need all theirs (what they have
    past their text) or wrap anyway (a fifth of their width, never below their minimum)."""
    count = len(widths)
    grow = [i for i in range(count) if widths[i] < natural[i] <= NEARLY * widths[i]]
    if not grow:
        return widths
    need = sum(natural[i] - widths[i] for i in grow)
    room = [
        0.0
        if i in grow
        else max(0.0, widths[i] - natural[i])
        if natural[i] <= widths[i]
        else max(0.0, min(GIVE * widths[i], widths[i] - least[i]))
        for i in range(count)
    ]
    spare = sum(room)
    if spare <= 0:
        return widths
    scale = min(1.0, spare / need)
    taken = need * scale
    return [
        widths[i] + (natural[i] - widths[i]) * scale if i in grow else widths[i] - taken * room[i] / spare
        for i in range(count)
    ]


def is_wide(section: Section) -> bool:
    """Whether a section holds a table that does not fit an upright page."""
    return any(isinstance(b, Table) and fitted_widths(b, PORTRAIT_MM) is None for b in section.blocks)


def table_widths(table: Table, available_mm: float) -> list[float]:
    """The widths to draw ``table`` with on a page ``available_mm`` wide, in mm: fitted where
    its words allow, else the minima squeezed to the page (what does not fit then wraps)."""
    widths = fitted_widths(table, available_mm)
    if widths is not None:
        return widths
    least = minimum_widths(table)
    scale = available_mm / sum(least)
    return [w * scale for w in least]
