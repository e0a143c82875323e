from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

from PIL import Image


def pdf_pages(pdf: bytes, tmp_path: Path, *, resolution: int = 30) -> list[Image.Image]:
    """The PDF's pages as images, drawn by poppler's pdftoppm."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), str(source), str(tmp_path / "page")], check=True)
    return [Image.open(io.BytesIO(p.read_bytes())).convert("L") for p in sorted(tmp_path.glob("page-*.png"))]


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    source = tmp_path / "text.pdf"
    source.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(source), "-"], check=True, capture_output=True, text=True).stdout


def inked(page: Image.Image) -> float:
    """The share of a page's pixels that are not white."""
    histogram = page.histogram()
    total = sum(histogram)
    return 1 - sum(histogram[250:]) / total


def overflows(laid: Any) -> list[str]:
    """Where a laid-out PDF (``documents.pdf.layout``) spills past its page's text width: every
    table wider than the page's content box, and every word wider than its table cell."""
    from weasyprint.formatting_structure import boxes

    found: list[str] = []
    for number, page in enumerate(laid.pages, start=1):
        root = page._page_box.children[0]  # the <html> box: the page's content box
        right = root.content_box_x() + root.width
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TableBox) and box.position_x + box.margin_width() > right + 0.5:
                found.append(f"page {number}: a table {box.position_x + box.margin_width() - right:.0f}px too wide")
            if isinstance(box, boxes.TableCellBox):
                edge = box.content_box_x() + box.width
                for text in box.descendants():
                    if isinstance(text, boxes.TextBox) and text.position_x + text.margin_width() > edge + 0.5:
                        found.append(f"page {number}: {text.text!r} wider than its cell")
    return found


def page_sizes(laid: Any) -> list[tuple[int, int]]:
    """Each page's size in CSS pixels (A4 upright is 794 × 1123)."""
    return [(round(p.width), round(p.height)) for p in laid.pages]


def broken_words(laid: Any) -> list[str]:
    """Header words and numbers a table broke across lines ("Recommendatio|n", "1,150,0|00"):
    each line of a header cell or of a number's cell holds whole words of it."""
    from weasyprint.formatting_structure import boxes

    found: list[str] = []
    for number, page in enumerate(laid.pages, start=1):
        for cell in page._page_box.descendants():
            if not isinstance(cell, boxes.TableCellBox):
                continue
            if cell.element_tag != "th" and "num" not in (cell.element.get("class") or "").split():
                continue
            words = set("".join(cell.element.itertext()).split())
            for line in (t.text for t in cell.descendants() if isinstance(t, boxes.TextBox)):
                found += [f"page {number}: {w!r} of {sorted(words)}" for w in line.split() if w not in words]
    return found
