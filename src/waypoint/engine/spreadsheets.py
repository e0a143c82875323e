"""What an XLSX file holds before it is opened: a spreadsheet is a zip archive whose content can
be hundreds of times the size of the file (a "zip bomb"), and openpyxl parses a whole sheet that
does not declare its size before it yields a single row. Every reader of uploaded workbooks (the
TRS loader, the plan and actuals workbooks) checks these first."""

from __future__ import annotations

import zipfile

__all__ = ["sheet_rows_above", "unpacked_size"]

#: how a row starts in a sheet's XML (with or without a namespace prefix)
_ROW_TAGS = (b"<row ", b"<row>", b":row ", b":row>")


def unpacked_size(archive: zipfile.ZipFile) -> int:
    """The size the archive declares for its unpacked members (also all that reading it yields)."""
    return sum(member.file_size for member in archive.infolist())


def sheet_rows_above(archive: zipfile.ZipFile, limit: int) -> bool:
    """Whether a sheet of the workbook holds ``limit`` rows or more (the header included),
    counted on the unpacked XML as it streams by, without parsing it."""
    for member in archive.infolist():
        if not member.filename.startswith("xl/worksheets/") or not member.filename.endswith(".xml"):
            continue
        rows, tail = 0, b""
        with archive.open(member) as stream:
            while chunk := stream.read(1 << 20):
                data = tail + chunk
                rows += sum(data.count(tag) for tag in _ROW_TAGS)
                if rows >= limit:
                    return True
                tail = data[-4:]  # shorter than a tag: no row is counted twice
    return False
