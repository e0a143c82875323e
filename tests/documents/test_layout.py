"""Tables fit the page: no table wider than the page's text, no number or header word wider
than its cell, and a table too wide for an upright page on a turned one (PDF and DOCX); the
footer prints any title as it is written."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT

from tests.documents.conftest import broken_words, overflows, page_sizes, pdf_text
from waypoint.documents.blocks import Document, PageBreak, Paragraph, Section, Table
from waypoint.documents.pdf import layout, render_pdf
from waypoint.documents.widths import PORTRAIT_MM, fitted_widths
from waypoint.documents.word import render_docx

LONG = "Main Department of Customs Administration and the Revised Kyoto Convention working group"


def _budget(years: int) -> Table:
    headers = ["Goal / objective", *(str(2012 + y) for y in range(years)), "Total"]
    rows = [[f"O1.{n} {LONG}", *(["15,400,000"] * years), "154,000,000"] for n in range(1, 6)]
    return Table(headers, rows, [4, *([1] * years), 1.2], numeric=set(range(1, years + 2)), small=True)


def _document(*sections: Section) -> Document:
    return Document(title="Plan", subtitle="Strategic plan", cover_lines=["Customs"], sections=list(sections))


RISKS = Table(
    ["Element", "Risk", "Likelihood", "Impact", "Score", "Mitigation", "Owner"],
    [["I1.1.1", LONG, "3", "3", "9", LONG, "Head of IT"]] * 4,
    [0.9, 3.2, 0.9, 0.8, 0.7, 3, 1.4],
    numeric={2, 3, 4},
    small=True,
)
RESULTS = Table(
    ["Code", "Objective / initiative", "Responsible unit", "Dates", "Budget", "Health"],
    [["O5.3", LONG, LONG, "Jan 2012 – Dec 2016", "15,400,000 AZN", "off_track|Off track"]] * 6,
    [0.9, 4, 2.2, 1.6, 1.3, 1.1],
    numeric={4},
    status_column=5,
    small=True,
)


def test_tables_stay_within_the_page_and_their_cells() -> None:
    recommendations = Table(
        ["Recommendation", "Text", "Addressed by"],
        [["DIAG-2007 R1", LONG, "not yet addressed"]],
        [1.4, 5, 1.6],
        small=True,
    )
    laid = layout(_document(Section("risks", "Risks", [RISKS, RESULTS, _budget(5), recommendations])))
    assert overflows(laid) == []
    assert broken_words(laid) == []
    assert set(page_sizes(laid)) == {(794, 1123)}  # five years fit an upright page


def test_a_table_too_wide_for_an_upright_page_is_set_on_turned_pages() -> None:
    wide = _budget(11)
    assert fitted_widths(wide, PORTRAIT_MM) is None
    document = _document(
        Section("foreword", "Foreword", [Paragraph("Upright.")]),
        Section("budget", "Budget", [wide]),
        Section("risks", "Risks", [RISKS]),
    )
    laid = layout(document)
    assert overflows(laid) == []
    sizes = page_sizes(laid)
    assert (1123, 794) in sizes and sizes[-1] == (794, 1123)  # turned for the budget, upright after

    word = docx.Document(io.BytesIO(render_docx(document)))
    orientations = [s.orientation for s in word.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    budget = next(t for t in word.tables if t.rows[0].cells[0].text == "Goal / objective")
    turned = word.sections[1]
    assert turned.page_width is not None and turned.left_margin is not None and turned.right_margin is not None
    text_width = turned.page_width - turned.left_margin - turned.right_margin
    cells = budget.rows[0].cells
    # Word keeps widths in twips (635 EMU): each cell may round up by one
    assert sum(c.width or 0 for c in cells) <= text_width + 635 * len(cells)


def test_columns_keep_their_longest_number_and_header_word() -> None:
    widths = fitted_widths(RISKS, PORTRAIT_MM)
    assert widths is not None and abs(sum(widths) - PORTRAIT_MM) < 0.01
    relative = [PORTRAIT_MM * w / sum(RISKS.widths) for w in RISKS.widths]
    assert widths[2] > relative[2]  # "Likelihood" needs more than its share
    assert widths[1] < relative[1]  # taken from the text columns


def test_the_footer_prints_a_title_with_quotes_backslashes_and_accents(tmp_path: Path) -> None:
    title = 'Plan "Vision 2030" \\ l\'État — Gömrük'
    document = Document(
        title=title,
        subtitle="Strategic plan",
        cover_lines=[],
        sections=[Section("foreword", "Foreword", [Paragraph("One."), PageBreak(), Paragraph("Two.")])],
        footer=f"{title} · Plan version 3",
    )
    text = pdf_text(render_pdf(document), tmp_path)
    pages = text.split("\f")
    footed = [page for page in pages if f"{title} · Plan version 3" in page]
    assert len(footed) >= 3  # every page but the cover
    assert "u0022" not in text and "\\u" not in text
