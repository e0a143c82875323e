"""Tables from spreadsheets and CSV files, within limits, with every row's place in the file."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import cast

import openpyxl
import pytest

from waypoint.engine.sheets import Limits, SheetError, read_table


def workbook(rows: list[list[object]], title: str = "Officers") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_reads_as_text_with_row_numbers_and_empty_rows_skipped() -> None:
    data = workbook(
        [
            ["Staff_number", "Unit", "Entry date", "Level"],
            ["A-1", "BP-AST", dt.datetime(2009, 3, 1, tzinfo=None), 3.0],  # noqa: DTZ001 - spreadsheet dates have no zone
            [None, None, None, None],
            ["A-2", "BP-BIL", dt.date(2010, 1, 2), 2.5, "ignored"],
            ["A-3", True],
        ]
    )
    table = read_table(data, "officers.XLSX")
    assert table.sheet == "Officers" and table.columns == ["staff_number", "unit", "entry date", "level"]
    assert [row.number for row in table.rows] == [2, 4, 5]
    assert table.rows[0].values == {"staff_number": "A-1", "unit": "BP-AST", "entry date": "2009-03-01", "level": "3"}
    assert table.rows[1].values["level"] == "2.5"
    assert table.rows[2].values == {"staff_number": "A-3", "unit": "true", "entry date": "", "level": ""}
    assert table.where(4, "unit") == "sheet Officers, row 4, column unit"


def test_a_csv_file_with_a_byte_order_mark_and_semicolons_reads_too() -> None:
    data = "\ufeffstaff_number;unit\nA-1;BP-AST\n\nA-2;BP-BIL\n".encode()
    table = read_table(data, "officers.csv")
    assert table.sheet == "" and [r.values["unit"] for r in table.rows] == ["BP-AST", "BP-BIL"]
    assert [r.number for r in table.rows] == [2, 4]
    assert table.where(4) == "row 4"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"x", "officers.pdf", "give an Excel workbook"),
        (b"\xff\xfe", "officers.csv", "not UTF-8"),
        (b"", "officers.csv", "empty"),
        (b"a,,b\n1,2,3\n", "officers.csv", "column 2 has no name"),
        (b"a,A\n1,2\n", "officers.csv", "the column a is named twice"),
        (b"\n1,2\n", "officers.csv", "must name the columns"),
        (b'a\n"x"y\n', "officers.csv", "row 2"),
        (b"not a zip", "officers.xlsx", "not an .xlsx workbook"),
    ],
)
def test_what_cannot_be_read_is_refused_with_the_reason(data: bytes, name: str, message: str) -> None:
    with pytest.raises(SheetError, match=message):
        read_table(data, name)


def test_limits_on_size_rows_and_unpacked_content() -> None:
    with pytest.raises(SheetError, match="more than the 10 allowed"):
        read_table(b"a\n" + b"1\n" * 20, "x.csv", Limits(max_bytes=10))
    with pytest.raises(SheetError, match="more than 3 rows"):
        read_table(b"a\n1\n2\n3\n4\n", "x.csv", Limits(max_rows=3))
    rows: list[list[object]] = [["a"], *([cast(object, i)] for i in range(10))]
    with pytest.raises(SheetError, match="more than 5 rows"):
        read_table(workbook(rows), "x.xlsx", Limits(max_rows=5))
    with pytest.raises(SheetError, match="unpacks to"):
        read_table(workbook(rows), "x.xlsx", Limits(max_unpacked_bytes=100))


def test_a_damaged_or_empty_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(SheetError, match="cannot be read"):
        read_table(out.getvalue(), "x.xlsx")
    with pytest.raises(SheetError, match="the sheet is empty"):
        read_table(workbook([]), "x.xlsx")
