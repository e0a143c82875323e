"""From a file to the ``events_in`` relation, on DuckDB.

Everything that knows how the declarations reach the engine lives here: the connection and
its settings, the file readers (Parquet, CSV, XLSX), the limits a file must keep within,
telling the long form from the wide one, and where the rows without a declaration id are.
The queries of ``waypoint.engine.trs.sql`` start from ``events_in``, whatever the file was:
``declaration_id``, ``milestone`` (text), ``raw_ts`` (the time as written), ``ts`` (the time
read as an instant, NULL when it cannot be) and the dimensions.
"""

from __future__ import annotations

import csv
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from waypoint.engine.spreadsheets import sheet_rows_above, unpacked_size
from waypoint.engine.trs.dialect import DuckDB
from waypoint.engine.trs.model import Limits, StudyConfig, TrsInputError
from waypoint.engine.trs.sql import COMPUTED_DIMENSIONS

REQUIRED_LONG = ("declaration_id", "milestone", "timestamp")
#: rows read from a spreadsheet before they are handed to DuckDB as one batch
SPREADSHEET_BATCH = 50_000
#: rows without a declaration id whose place in the file is reported
LOCATED = 20

_duckdb = DuckDB()
_quote, _literal = _duckdb.quote, _duckdb.literal


def connect(
    database: str | Path | None,
    *,
    threads: int | None,
    memory_limit: str | None,
    time_zone: str,
    read_only: bool = False,
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection (in memory without ``database``) set up for a study: timestamps
    written without an offset are read in ``time_zone``."""
    db = duckdb.connect(str(database) if database else ":memory:", read_only=read_only)
    db.execute(f"SET threads = {int(threads or os.cpu_count() or 1)}")
    if memory_limit:
        db.execute(f"SET memory_limit = {_literal(memory_limit)}")
    set_time_zone(db, time_zone)
    db.execute("SET preserve_insertion_order = false")
    # a library prints nothing: callers show their own progress
    db.execute("SET enable_progress_bar = false")
    return db


def set_time_zone(db: duckdb.DuckDBPyConnection, time_zone: str) -> None:
    db.execute(f"SET TimeZone = {_literal(time_zone)}")


@dataclass(frozen=True)
class Loaded:
    """What the loader found in the file."""

    form: str  # "long" or "wide"
    dimensions: list[str]
    rows_without_id: int
    #: where the first rows without a declaration id are: (file name when the source is a
    #: directory, else "", line or row number)
    located: list[tuple[str, int]]


@dataclass(frozen=True)
class _Source:
    sql: str  # a table expression DuckDB reads the file with
    kind: str  # "parquet", "csv" or "spreadsheet"
    #: the places of the first rows whose column (named) is empty
    locate: Callable[[str], list[tuple[str, int]]]


@dataclass(frozen=True)
class Shape:
    """How a file's columns map to events: the form, the dimensions and, in the wide form,
    the columns holding milestones. Worked out from the column names alone, the same way
    for every engine."""

    form: str  # "long" or "wide"
    #: the file's columns by their lowercase name
    columns: dict[str, str]
    dimensions: list[str]
    #: the wide form's milestone columns, in process order
    milestone_columns: list[str]

    @property
    def identifier(self) -> str:
        return self.columns["declaration_id"]


def shape(path: object, columns: list[str], config: StudyConfig) -> Shape:
    """The form of a file with ``columns``; an error naming what is expected otherwise."""
    lowered = {c.lower(): c for c in columns}
    milestones = config.milestones
    if all(name in lowered for name in REQUIRED_LONG):
        found = Shape("long", lowered, [c for c in columns if c.lower() not in REQUIRED_LONG], [])
    elif "declaration_id" in lowered and any(m in lowered for m in milestones):
        present = [lowered[m] for m in milestones if m in lowered]
        dimensions = [c for c in columns if c.lower() != "declaration_id" and c not in present]
        found = Shape("wide", lowered, dimensions, present)
    else:
        raise TrsInputError(
            f"{path}: expected the columns declaration_id, milestone, timestamp (long form) "
            f"or declaration_id and one column per milestone ({', '.join(milestones)}) (wide form); "
            f"found {', '.join(brief(c, 60) for c in columns[:40])}"
        )
    for name in found.dimensions:
        if name in COMPUTED_DIMENSIONS:
            raise TrsInputError(f"{path}: the column {name!r} clashes with a computed dimension; rename it")
    return found


def too_many_csv_rows(path: object, limit: int) -> str:
    return f"{path}: more than {limit:,} rows; give data this large as Parquet (or ask the administrator to raise the limit)"


def load(db: duckdb.DuckDBPyConnection, path: Path, config: StudyConfig, limits: Limits) -> Loaded:
    """Create the ``events_in`` view over the file at ``path`` (a temporary view: a study kept
    in a file keeps only what the validation made of it)."""
    source = _source(db, path, limits)
    try:
        columns = [row[0] for row in db.execute(f"DESCRIBE SELECT * FROM {source.sql}").fetchall()]
    except duckdb.Error as error:
        raise TrsInputError(f"{path}: cannot be read ({brief(str(error))})") from error
    found = shape(path, columns, config)
    lowered, dimensions = found.columns, found.dimensions
    if found.form == "long":
        # columns keep their own types (no string round trip on millions of rows); only the
        # timestamp is converted, and only text that fails to convert is quarantined
        select = (
            f"{_quote(lowered['declaration_id'])} AS declaration_id, "
            f"CAST({_quote(lowered['milestone'])} AS VARCHAR) AS milestone, "
            f"{_quote(lowered['timestamp'])} AS raw_ts, "
            f"TRY_CAST({_quote(lowered['timestamp'])} AS TIMESTAMPTZ) AS ts"
        )
        dims = "".join(f", {_quote(d)}" for d in dimensions)
        db.execute(f"CREATE TEMP VIEW events_in AS SELECT {select}{dims} FROM {source.sql}")
    else:
        present = found.milestone_columns
        dims = "".join(f", CAST({_quote(d)} AS VARCHAR) AS {_quote(d)}" for d in dimensions)
        db.execute(
            f"CREATE TEMP VIEW wide_in AS SELECT CAST({_quote(lowered['declaration_id'])} AS VARCHAR) AS declaration_id{dims}, "
            + ", ".join(f"CAST({_quote(c)} AS VARCHAR) AS {_quote(c.lower())}" for c in present)
            + f" FROM {source.sql}"
        )
        unpivot = ", ".join(_quote(c.lower()) for c in present)
        db.execute(
            "CREATE TEMP VIEW events_in AS SELECT declaration_id, milestone, raw_ts, TRY_CAST(raw_ts AS TIMESTAMPTZ) AS ts"
            + "".join(f", {_quote(d)}" for d in dimensions)
            + f" FROM (UNPIVOT wide_in ON {unpivot} INTO NAME milestone VALUE raw_ts)"
        )
    if source.kind == "csv" and limits.max_rows is not None:
        counted = db.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {source.sql} LIMIT {int(limits.max_rows) + 1})"
        ).fetchone()
        if counted and int(counted[0]) > limits.max_rows:
            raise TrsInputError(too_many_csv_rows(path, limits.max_rows))
    # a row without a declaration id cannot be put with the others: each is counted as one
    # declaration set aside, and the first few are located in the file
    identifier = found.identifier
    orphans = db.execute(f"SELECT count(*) FROM {source.sql} WHERE {_quote(identifier)} IS NULL").fetchone()
    without_id = int(orphans[0]) if orphans else 0
    return Loaded(found.form, dimensions, without_id, source.locate(identifier) if without_id else [])


def _source(db: duckdb.DuckDBPyConnection, path: Path, limits: Limits) -> _Source:
    if path.is_dir():
        files = sorted(path.glob("*.parquet"))
        if not files:
            raise TrsInputError(f"{path}: the directory holds no .parquet files")
        return _parquet(db, str(path / "*.parquet"), directory=True)
    if not path.exists():
        raise TrsInputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return _parquet(db, str(path), directory=False)
    if suffix in (".csv", ".txt"):
        sql = f"read_csv({_literal(str(path))}, header = true, all_varchar = true)"
        return _Source(sql, "csv", lambda column: csv_lines(path, column))
    if suffix == ".xlsx":
        table, located = read_spreadsheet(path, limits)
        db.register("xlsx_rows", table)
        return _Source("xlsx_rows", "spreadsheet", lambda _column: located)
    raise TrsInputError(f"{path}: use Parquet, CSV or XLSX (not {suffix or 'a file without extension'})")


def _parquet(db: duckdb.DuckDBPyConnection, pattern: str, *, directory: bool) -> _Source:
    def locate(column: str) -> list[tuple[str, int]]:
        rows = db.execute(
            f"SELECT filename, file_row_number + 1 FROM read_parquet({_literal(pattern)}, filename = true, "
            f"file_row_number = true) WHERE {_quote(column)} IS NULL ORDER BY 1, 2 LIMIT {LOCATED}"
        ).fetchall()
        return [(Path(name).name if directory else "", int(row)) for name, row in rows]

    return _Source(f"read_parquet({_literal(pattern)})", "parquet", locate)


def csv_lines(path: Path, column: str) -> list[tuple[str, int]]:
    """The lines (the header is line 1) of the first records whose ``column`` is empty, as
    DuckDB reads an empty field: absent."""
    located: list[tuple[str, int]] = []
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        if column not in header:
            return located
        index = header.index(column)
        for record in reader:
            if index >= len(record) or record[index] == "":
                located.append(("", reader.line_num))
                if len(located) >= LOCATED:
                    break
    return located


def read_spreadsheet(path: Path, limits: Limits) -> tuple[Any, list[tuple[str, int]]]:
    """The first sheet as an Arrow table of text, read streaming, in batches, and the places
    of the first rows without a declaration id. Any engine can take the table in.

    A spreadsheet is a zip archive whose content can be hundreds of times the size of the
    file: its unpacked size (what the archive declares, which is also all that reading it
    yields) and the rows of its sheets (counted on the unpacked XML) are checked before any
    cell is read, and the rows again while reading. Entirely empty rows are skipped."""
    import openpyxl
    import pyarrow as pa

    if not zipfile.is_zipfile(path):
        raise TrsInputError(
            f"{path}: not an XLSX spreadsheet (an .xlsx file is a zip archive; this one is not). "
            "Save it again as an Excel workbook (.xlsx), or export it as CSV."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = unpacked_size(archive)
            if limits.max_spreadsheet_bytes is not None and unpacked > limits.max_spreadsheet_bytes:
                raise TrsInputError(
                    f"{path}: the spreadsheet unpacks to {unpacked / 1e6:,.0f} MB, more than the "
                    f"{limits.max_spreadsheet_bytes / 1e6:,.0f} MB allowed; give data this large as CSV or Parquet"
                )
            # the header row and one more than the limit
            if limits.max_rows is not None and sheet_rows_above(archive, limits.max_rows + 2):
                raise TrsInputError(_too_many_rows(path, limits.max_rows))
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise TrsInputError(f"{path}: the spreadsheet cannot be opened ({brief(str(error))})") from error
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook
        raise TrsInputError(
            f"{path}: the spreadsheet cannot be read ({brief(str(error)) or type(error).__name__})"
        ) from error
    try:
        sheet = book.worksheets[0]
        declared = sheet.max_row if isinstance(sheet.max_row, int) else None
        if limits.max_rows is not None and declared is not None and declared - 1 > limits.max_rows:
            raise TrsInputError(_too_many_rows(path, limits.max_rows))
        rows = _cells(sheet)
        header = next(rows, None)
        if not header or any(h is None for h in header):
            raise TrsInputError(f"{path}, sheet {sheet.title!r}, row 1: every column needs a name")
        names = [str(h).strip() for h in header]
        identifier = next((i for i, n in enumerate(names) if n.lower() == "declaration_id"), None)
        batches: list[Any] = []
        located: list[tuple[str, int]] = []
        columns: list[list[str | None]] = [[] for _ in names]
        count = 0
        for number, row in enumerate(rows, start=2):
            cells = list(row[: len(names)])
            if all(value is None for value in cells):
                continue
            count += 1
            if limits.max_rows is not None and count > limits.max_rows:
                raise TrsInputError(_too_many_rows(path, limits.max_rows))
            cells += [None] * (len(names) - len(cells))
            if identifier is not None and cells[identifier] is None and len(located) < LOCATED:
                located.append(("", number))
            for index, value in enumerate(cells):
                columns[index].append(None if value is None else _text(value))
            if len(columns[0]) >= SPREADSHEET_BATCH:
                batches.append(_batch(pa, names, columns))
                columns = [[] for _ in names]
        if columns[0] or not batches:
            batches.append(_batch(pa, names, columns))
    except TrsInputError:
        raise
    except Exception as error:  # a damaged sheet fails while it is read, not when it is opened
        raise TrsInputError(
            f"{path}: the spreadsheet cannot be read ({brief(str(error)) or type(error).__name__})"
        ) from error
    finally:
        book.close()
    return pa.Table.from_batches(batches), located


def _cells(sheet: Any) -> Iterator[tuple[Any, ...]]:
    yield from sheet.iter_rows(values_only=True)


def _batch(pa: Any, names: list[str], columns: list[list[str | None]]) -> Any:
    return pa.record_batch([pa.array(values, type=pa.string()) for values in columns], names=names)


def _too_many_rows(path: Path, limit: int) -> str:
    return (
        f"{path}: the spreadsheet has more than {limit:,} rows; give data this large as CSV or Parquet "
        "(or ask the administrator to raise the limit)"
    )


def _text(value: Any) -> str:
    """A spreadsheet cell as text; dates and times in ISO 8601."""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def brief(text: str, length: int = 200) -> str:
    """``text`` with each line cut to ``length`` characters and at most five lines: an engine's
    message may quote a whole line of the file, which can be thousands of characters."""
    lines = [line if len(line) <= length else line[:length] + "…" for line in text.splitlines()]
    if len(lines) > 5:
        lines = [*lines[:5], "…"]
    return "\n".join(lines)
