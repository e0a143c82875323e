"""Table column widths that fit the page, for the PDF and the DOCX alike.

A table's relative widths (``Table.widths``) say how its columns share the page; scaled as they
are, a column of numbers or a header word ("Likelihood") may be narrower than what it holds, and
a table with many year columns may need more than a portrait page. The widths here start from
the relative ones and widen every column to its longest unbreakable word, taking the room from
the columns that have some to spare; ``None`` when the words alone need more than the page (the
renderer turns the page to landscape then). Text is measured with DejaVu Sans's proportions,
on the safe side, so nothing here knows fonts or Django.
"""

from __future__ import annotations

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


def _em(char: str) -> float:
    """A character's advance in DejaVu Sans Bold, in em, rounded up (bold is the wider face)."""
    if char.isdigit():
        return 0.70
    if char in ",.:;'|!il":
        return 0.40
    if char == " ":
        return 0.35
    if char.isupper() or char in "mwMW%—–":
        return 0.90 if char in "mwMW%" else 0.78
    return 0.66


def text_mm(text: str, size_pt: float) -> float:
    return sum(_em(c) for c in text) * size_pt * _PT_MM


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


def fitted_widths(table: Table, available_mm: float) -> list[float] | None:
    """The columns' widths in mm, summing to ``available_mm``: the relative widths, each column
    at least its minimum, the room taken from the others in proportion; ``None`` when the
    minima alone are wider than ``available_mm``."""
    count = len(table.headers)
    relative = table.widths if len(table.widths) == count else [1.0] * count
    least = minimum_widths(table)
    if sum(least) > available_mm + 0.01:
        return None
    fixed: dict[int, float] = {}
    while True:
        room = available_mm - sum(fixed.values())
        free = [i for i in range(count) if i not in fixed]
        share = sum(relative[i] for i in free) or 1.0
        widths = {i: room * relative[i] / share for i in free}
        short = [i for i in free if widths[i] < least[i]]
        if not short:
            break
        for i in short:
            fixed[i] = least[i]
    return [fixed.get(i, widths.get(i, 0.0)) for i in range(count)]


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
