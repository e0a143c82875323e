"""A document as plain values: sections of headings, paragraphs, lists, tables and figures.

The content (``content.py``) is assembled once from the plan's data; the PDF (``pdf.py``) and
the DOCX (``docx.py``) lay the same blocks out, so the two formats never say different things.
Nothing here knows Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = ""  # "", "lead", "small", "muted"


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 1 is the section's own heading


@dataclass(frozen=True)
class Bullets:
    items: list[str]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    #: relative widths of the columns (they are scaled to the page)
    widths: list[float] = field(default_factory=list)
    #: columns holding numbers (right-aligned)
    numeric: set[int] = field(default_factory=set)
    #: rows set in bold (totals, a goal above its objectives)
    strong: set[int] = field(default_factory=set)
    #: a row's status (on_track, at_risk, off_track, no_data) colours its marked column
    status_column: int | None = None
    small: bool = False


@dataclass(frozen=True)
class Facts:
    """A reference sheet: label and value pairs."""

    pairs: list[tuple[str, str]]


@dataclass(frozen=True)
class Figure:
    """A chart: a Vega-Lite ``spec`` or a ready ``svg``, drawn by the renderer that needs it (SVG
    for the PDF, PNG for the DOCX), so that a document draws each chart once."""

    caption: str
    spec: dict[str, Any] | None = None
    svg: str = ""
    #: width on the page, as a share of the text width
    width: float = 1.0


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Paragraph | Heading | Bullets | Table | Facts | Figure | PageBreak


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    blocks: list[Block]
    annex: bool = False


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    #: lines under the title on the cover (administration, period, status, version, date)
    cover_lines: list[str]
    sections: list[Section]
    #: a draft carries a watermark with this text on every page ("" for none)
    watermark: str = ""
    #: the line at the foot of every page (title, version)
    footer: str = ""
    contents_title: str = ""
    language: str = "en"
