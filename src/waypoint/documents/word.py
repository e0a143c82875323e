"""A document as DOCX (python-docx): the same blocks as the PDF, in Word's own styles (Heading
1–3, a table of contents field Word fills on opening, tables that repeat their header row),
charts as PNG, a draft marked DRAFT in every page's header."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from waypoint.documents.blocks import Bullets, Document, Facts, Figure, Heading, PageBreak, Paragraph, Table
from waypoint.documents.charts import png_of
from waypoint.documents.widths import LANDSCAPE_MM, PORTRAIT_MM, is_wide, table_widths

NAVY = RGBColor(0x1F, 0x3A, 0x5F)
STATUS_COLOURS = {
    "on_track": RGBColor(0x14, 0x6C, 0x43),
    "at_risk": RGBColor(0x99, 0x74, 0x04),
    "off_track": RGBColor(0xB0, 0x2A, 0x37),
    "no_data": RGBColor(0x6C, 0x75, 0x7D),
}
TEXT_WIDTH_MM = PORTRAIT_MM
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _field(paragraph: Any, instruction: str, placeholder: str = "") -> None:
    """A Word field (page number, table of contents) Word computes when it opens the file."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = placeholder
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for part in (begin, text, separate, shown, end):
        run._r.append(part)


def _shade(cell: Any, colour: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    properties.append(shading)


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


#: VML's preset text shape (number 136, "plain text"), which a watermark's shape refers to
_TEXT_SHAPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    + "".join(
        f'<v:f eqn="{eqn}"/>'
        for eqn in (
            "sum #0 0 10800",
            "prod #0 2 1",
            "sum 21600 0 @1",
            "sum 0 0 @2",
            "sum 21600 0 @3",
            "if @0 @3 0",
            "if @0 21600 @1",
            "if @0 0 @2",
            "if @0 @4 21600",
            "mid @5 @6",
            "mid @8 @5",
            "mid @7 @8",
            "mid @6 @7",
            "sum @6 0 @5",
        )
    )
    + '</v:formulas><v:path textpathok="t" o:connecttype="custom" '
    'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
)


def _watermark(paragraph: Any, text: str) -> None:
    """Word's own watermark (what Design › Watermark makes): large pale text across every page,
    a VML text path anchored in the header, behind the text."""
    escaped = text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    pict = parse_xml(
        f'<w:pict xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:o="urn:schemas-microsoft-com:office:office">'
        f"{_TEXT_SHAPE}"
        '<v:shape id="WaypointWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:110pt;rotation:315;'
        "z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
        'mso-position-vertical:center;mso-position-vertical-relative:margin" '
        'o:allowincell="f" fillcolor="#dc3545" stroked="f">'
        '<v:fill opacity=".12"/>'
        f'<v:textpath on="t" fitshape="t" style="font-family:&quot;DejaVu Sans&quot;;font-size:1pt" string="{escaped}"/>'
        "</v:shape></w:pict>"
    )
    paragraph.add_run()._r.append(pict)


def _styles(doc: Any) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(9.5)
    for name, size in (("Heading 1", 17), ("Heading 2", 12.5), ("Heading 3", 10.5), ("Title", 28)):
        style = doc.styles[name]
        style.font.name = "DejaVu Sans"
        style.font.size = Pt(size)
        style.font.color.rgb = NAVY


def _table(doc: Any, block: Table, available_mm: float) -> None:
    table = doc.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    size = Pt(7.5 if block.small else 8.5)
    widths = [Mm(w) for w in table_widths(block, available_mm)]
    header = table.rows[0]
    _repeat_header(header)
    for i, text in enumerate(block.headers):
        cell = header.cells[i]
        cell.width = widths[i]
        _shade(cell, "1F3A5F")
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = size
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        if i in block.numeric:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for r, values in enumerate(block.rows):
        cells = table.add_row().cells
        for i, value in enumerate(values):
            cell = cells[i]
            cell.width = widths[i]
            status = ""
            if "|" in value and value.split("|", 1)[0] in STATUS_COLOURS:
                status, value = value.split("|", 1)
            run = cell.paragraphs[0].add_run(value)
            run.font.size = size
            run.bold = r in block.strong or bool(status and status != "no_data")
            if status:
                run.font.color.rgb = STATUS_COLOURS[status]
            if r in block.strong:
                _shade(cell, "F1F4F8")
            if i in block.numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()


def _block(doc: Any, block: Any, available_mm: float = TEXT_WIDTH_MM) -> None:
    if isinstance(block, Paragraph):
        paragraph = doc.add_paragraph(block.text)
        if block.style in ("muted", "small"):
            for run in paragraph.runs:
                run.font.size = Pt(8)
                run.font.color.rgb = RGBColor(0x6C, 0x75, 0x7D)
        elif block.style == "lead":
            for run in paragraph.runs:
                run.font.size = Pt(11)
    elif isinstance(block, Heading):
        doc.add_heading(block.text, level=min(block.level, 3))
    elif isinstance(block, Bullets):
        for item in block.items:
            doc.add_paragraph(item, style="List Bullet")
    elif isinstance(block, Facts):
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in block.pairs:
            cells = table.add_row().cells
            cells[0].width, cells[1].width = Mm(42), Mm(TEXT_WIDTH_MM - 42)
            _shade(cells[0], "F1F4F8")
            head = cells[0].paragraphs[0].add_run(label)
            head.bold = True
            head.font.size = Pt(8)
            body = cells[1].paragraphs[0].add_run(value)
            body.font.size = Pt(8)
        doc.add_paragraph()
    elif isinstance(block, Figure):
        doc.add_picture(io.BytesIO(png_of(block)), width=Mm(TEXT_WIDTH_MM * block.width))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption = doc.add_paragraph(block.caption)
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in caption.runs:
            run.font.size = Pt(8)
            run.italic = True
    elif isinstance(block, PageBreak):
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    elif isinstance(block, Table):
        _table(doc, block, available_mm)


def _turn(doc: Any, *, landscape: bool) -> None:
    """A new Word section on a new page, A4 turned (``landscape``) or upright; the header and
    footer carry on from the section before."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    short, long = Mm(210), Mm(297)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def render_docx(document: Document) -> bytes:
    doc = new_docx()
    _styles(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    header = section.header.paragraphs[0]
    if document.watermark:
        run = header.add_run(f"{document.watermark} — {document.footer}")
        run.bold = True
        run.font.color.rgb = RGBColor(0xDC, 0x35, 0x45)
        run.font.size = Pt(9)
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _watermark(header, document.watermark)
    footer = section.footer.paragraphs[0]
    footer_run = footer.add_run(document.footer + "    ")
    footer_run.font.size = Pt(7.5)
    _field(footer, "PAGE", "1")
    doc.core_properties.title = document.title
    doc.core_properties.subject = document.subtitle
    doc.core_properties.language = document.language

    kicker = doc.add_paragraph(document.subtitle.upper())
    kicker.runs[0].font.color.rgb = NAVY
    doc.add_paragraph(document.title, style="Title")
    for line in document.cover_lines:
        doc.add_paragraph(line)
    if document.watermark:
        draft = doc.add_paragraph(_("Draft: not approved."))
        draft.runs[0].bold = True
        draft.runs[0].font.color.rgb = RGBColor(0xDC, 0x35, 0x45)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    doc.add_heading(document.contents_title, level=1)
    toc = doc.add_paragraph()
    _field(toc, 'TOC \\o "1-2" \\h \\z \\u', _("Right-click to update the table of contents."))
    for number, part in enumerate(document.sections, start=1):
        doc.add_paragraph(f"{number}. {part.title}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    turned = False
    for number, part in enumerate(document.sections, start=1):
        # a section with a table too wide for an upright page is set on turned pages, in a
        # Word section of its own (which starts a page); the next section turns back
        wide = is_wide(part)
        if wide != turned:
            _turn(doc, landscape=wide)
            turned = wide
        elif number > 1:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(f"{number}. {part.title}", level=1)
        for block in part.blocks:
            _block(doc, block, LANDSCAPE_MM if wide else PORTRAIT_MM)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
