"""A document as PDF: the blocks as HTML (``documents/print.html``) laid out by WeasyPrint,
with the fonts installed on the machine (DejaVu; nothing is fetched)."""

from __future__ import annotations

import base64
from typing import Any

from django.template.loader import render_to_string
from weasyprint import CSS, HTML

from waypoint.documents.blocks import Bullets, Document, Facts, Figure, Heading, PageBreak, Paragraph, Table
from waypoint.documents.charts import svg_of
from waypoint.documents.widths import LANDSCAPE_MM, PORTRAIT_MM, is_wide, table_widths

#: sections that start on a page of their own (the short ones follow each other)
MAJOR = {
    "results",
    "logframe",
    "indicators",
    "roadmap",
    "budget",
    "recommendations",
    "people",
    "actions",
    "attributions",
    "goals",
}


def _cell(text: str) -> dict[str, str]:
    """A status cell is written ``key|label``: the key colours it."""
    if "|" in text and text.split("|", 1)[0] in ("on_track", "at_risk", "off_track", "no_data"):
        key, label = text.split("|", 1)
        return {"text": label, "status": key}
    return {"text": text, "status": ""}


def _block(block: Any, available_mm: float = PORTRAIT_MM) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text, "style": block.style}
    if isinstance(block, Heading):
        return {"type": "heading", "text": block.text, "level": min(block.level + 1, 4)}
    if isinstance(block, Bullets):
        return {"type": "bullets", "items": block.items}
    if isinstance(block, Facts):
        return {"type": "facts", "pairs": block.pairs}
    if isinstance(block, Figure):
        data = base64.b64encode(svg_of(block).encode("utf-8")).decode("ascii")
        return {
            "type": "figure",
            "src": f"data:image/svg+xml;base64,{data}",
            "caption": block.caption,
            "width": round(block.width * 100),
        }
    if isinstance(block, PageBreak):
        return {"type": "pagebreak"}
    assert isinstance(block, Table)
    # percentages of the page's width, each column wide enough for its longest word
    fitted = table_widths(block, available_mm)
    total = sum(fitted) or 1.0
    widths = [round(100 * w / total, 2) for w in fitted]
    return {
        "type": "table",
        "headers": [
            {"text": h, "numeric": i in block.numeric, "width": widths[i]} for i, h in enumerate(block.headers)
        ],
        "rows": [
            {
                "strong": r in block.strong,
                "cells": [{**_cell(c), "numeric": i in block.numeric} for i, c in enumerate(row)],
            }
            for r, row in enumerate(block.rows)
        ],
        "small": block.small,
    }


def document_html(document: Document) -> str:
    sections = []
    for s in document.sections:
        # a section with a table too wide for an upright page is printed on turned pages
        wide = is_wide(s)
        sections.append(
            {
                "key": s.key,
                "title": s.title,
                "annex": s.annex,
                "major": s.key in MAJOR,
                "landscape": wide,
                "blocks": [_block(b, LANDSCAPE_MM if wide else PORTRAIT_MM) for b in s.blocks],
            }
        )
    return render_to_string("documents/print.html", {"doc": document, "sections": sections})


def layout(document: Document) -> Any:
    """The document laid out in pages (WeasyPrint's ``Document``: its boxes can be measured)."""
    # the stylesheet goes to WeasyPrint on its own: a page's template never holds a <style>
    # element (the Content Security Policy refuses them), and this HTML is no page's
    stylesheet = CSS(string=render_to_string("documents/print.css", {"doc": document}))
    return HTML(string=document_html(document)).render(stylesheets=[stylesheet])


def render_pdf(document: Document) -> bytes:
    pdf: bytes = layout(document).write_pdf()
    return pdf
