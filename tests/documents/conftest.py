from __future__ import annotations

import io
import subprocess
from pathlib import Path

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
