"""Small tables from people's spreadsheets and CSV files, read within limits.

A spreadsheet is a zip archive whose content can be hundreds of times the size of the file,
so, as the Time Release Study loader does (``engine/trs/loader.py``), the unpacked size the
archive declares and the rows of its sheets (counted on the unpacked XML as it streams by,
before openpyxl parses anything) are checked first; only then is the first sheet read, in
openpyxl's streaming mode, the rows counted again. A CSV file (UTF-8, with or without a byte
order mark; comma or semicolon) is read line by line. Every cell comes back as text; entirely
empty rows are skipped; each row keeps its number in the file, so problems can be located by
sheet, row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["Limits", "Row", "SheetError", "Table", "read_table"]


class SheetError(ValueError):
    """The file cannot be read as a table, or breaks a limit."""


@dataclass(frozen=True)
class Limits:
    max_rows: int = 50_000
    #: the file as uploaded
    max_bytes: int = 20 * 1024 * 1024
    #: what a spreadsheet unpacks to
    max_unpacked_bytes: int = 200 * 1024 * 1024


@dataclass(frozen=True)
class Row:
    number: int  # the row (spreadsheet) or line (CSV) in the file; the header is 1
    values: dict[str, str]  # column (as named in the header, lower case) → text, "" when empty


@dataclass(frozen=True)
class Table:
    sheet: str  # the sheet's name; "" for a CSV file
    columns: list[str]
    rows: list[Row]

    def where(self, row: int, column: str | None = None) -> str:
        """How people find a cell: "sheet Officers, row 7, column unit"."""
        parts = [f"sheet {self.sheet}"] if self.sheet else []
        parts.append(f"row {row}")
        if column:
            parts.append(f"column {column}")
        return ", ".join(parts)


#: how a row starts in a sheet's XML (with or without a namespace prefix)
_ROW_TAGS = (b"<row ", b"<row>", b":row ", b":row>")


def read_table(data: bytes, filename: str, limits: Limits | None = None) -> Table:
    """The first sheet of an ``.xlsx`` file, or a ``.csv`` file, as a table with a header row.

    Raises:
        SheetError: another kind of file, a file or a sheet beyond the limits, a damaged file,
            a header without names or with a name twice.
    """
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise SheetError(f"the file has {len(data):,} bytes, more than the {limits.max_bytes:,} allowed")
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _spreadsheet(data, limits)
    if name.endswith((".csv", ".txt")):
        return _csv(data, limits)
    raise SheetError("give an Excel workbook (.xlsx) or a CSV file (.csv)")


def _header(cells: list[Any], sheet: str) -> list[str]:
    names = [_text(cell).strip().lower() for cell in cells]
    while names and not names[-1]:
        names.pop()
    where = f"sheet {sheet}, row 1" if sheet else "row 1"
    if not names:
        raise SheetError(f"{where}: the first row must name the columns")
    for index, column in enumerate(names):
        if not column:
            raise SheetError(f"{where}: column {index + 1} has no name")
        if column in names[:index]:
            raise SheetError(f"{where}: the column {column} is named twice")
    return names


def _rows(records: Iterator[list[Any]], columns: list[str], limits: Limits, sheet: str) -> list[Row]:
    rows: list[Row] = []
    for number, cells in enumerate(records, start=2):
        texts = [_text(cell).strip() for cell in cells[: len(columns)]]
        if not any(texts):
            continue
        if len(rows) >= limits.max_rows:
            raise SheetError(_too_many(limits, sheet))
        texts += [""] * (len(columns) - len(texts))
        rows.append(Row(number, dict(zip(columns, texts, strict=True))))
    return rows


def _too_many(limits: Limits, sheet: str) -> str:
    where = f"sheet {sheet}: " if sheet else ""
    return f"{where}more than {limits.max_rows:,} rows; split the file"


def _csv(data: bytes, limits: Limits) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SheetError(f"the file is not UTF-8 text (byte {error.start}); save it as CSV UTF-8") from error
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise SheetError("the file is empty")
        columns = _header(list(header), "")

        def records() -> Iterator[list[Any]]:
            for record in reader:
                yield list(record)

        rows = _rows(records(), columns, limits, "")
    except csv.Error as error:
        raise SheetError(f"row {reader.line_num}: {error}") from error
    # csv counts physical lines; a quoted field over several lines shifts the numbers, which
    # is why rows are numbered by record
    return Table("", columns, rows)


def _spreadsheet(data: bytes, limits: Limits) -> Table:
    import openpyxl

    stream = io.BytesIO(data)
    if not zipfile.is_zipfile(stream):
        raise SheetError(
            "not an .xlsx workbook (an .xlsx file is a zip archive; this one is not); save it again as .xlsx or CSV"
        )
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
            if unpacked > limits.max_unpacked_bytes:
                raise SheetError(
                    f"the workbook unpacks to {unpacked:,} bytes, more than the {limits.max_unpacked_bytes:,} allowed"
                )
            # the header row and one more than the limit
            if _sheet_rows_above(archive, limits.max_rows + 2):
                raise SheetError(_too_many(limits, ""))
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise SheetError(f"the workbook cannot be opened ({error})") from error
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook
        raise SheetError(f"the workbook cannot be read ({error or type(error).__name__})") from error
    try:
        sheet = book.worksheets[0]
        records = (list(row) for row in sheet.iter_rows(values_only=True))
        header = next(records, None)
        if header is None:
            raise SheetError(f"sheet {sheet.title}: the sheet is empty")
        columns = _header(header, sheet.title)
        return Table(sheet.title, columns, _rows(records, columns, limits, sheet.title))
    except SheetError:
        raise
    except Exception as error:  # a damaged sheet fails while it is read, not when it is opened
        raise SheetError(f"the workbook cannot be read ({error or type(error).__name__})") from error
    finally:
        book.close()


def _sheet_rows_above(archive: zipfile.ZipFile, limit: int) -> bool:
    """Whether a sheet of the workbook holds ``limit`` rows or more, counted on the unpacked
    XML as it streams by, without parsing it."""
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


def _text(value: Any) -> str:
    """A cell as text: whole numbers without ".0", dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
