"""The plan workbook: the portable plan file as an XLSX workbook, and back.

The workbook is another spelling of the plan file (``plans.planfile``): one sheet per list of
the file (units, tiers, funding sources, elements, risks, budget lines, indicators, targets,
actuals …) and a *Plan* sheet for the plan's own fields. Its sheets and columns come from the
file's schema (``plans.schemas.PlanFile``), so a part another app adds to the file appears in
the workbook without a change here. Reading a workbook gives the plan file's JSON value and,
for every JSON path, the cell it came from; the import then runs the plan file's own checks
and writes (``plans.planfile.plan_import_report``: rights first, every problem listed,
nothing written on any, one audited transaction) and each problem is reported at its cell
("Elements!C12").

Row 1 of every sheet (hidden) holds the file's keys, row 2 the labels people read, data from
row 3: a workbook exported in one language reads back in any other.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import types
import typing
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from waypoint.core.errors import ApplicationError, Problem
from waypoint.documents.labels import field_label, sheet_title
from waypoint.engine.spreadsheets import sheet_rows_above, unpacked_size
from waypoint.plans.errors import PlanFileInvalid
from waypoint.plans.planfile.sections import sections
from waypoint.plans.schemas import FORMAT, FORMAT_VERSION, PlanEntry, PlanFile

__all__ = [
    "WorkbookRead",
    "plan_workbook",
    "read_plan_workbook",
    "relocate",
    "workbook_tables",
]

KEY_ROW = 1
LABEL_ROW = 2
FIRST_ROW = 3
#: the hidden sheet naming each part's sheet (its title is translated; the part's key is not)
META_SHEET = "_waypoint"
#: rows left open (unlocked, with the validation lists) below the data for new entries
OPEN_ROWS = 200
#: what a child row calls its parent, by the parent's part
PARENT_COLUMN = {
    "elements": "element",
    "indicators": "indicator",
    "indicators.targets": "period",
    "teams": "team",
    "schedule": "element",
}
#: the field a child row's reference takes from its parent
IDENTITY = {
    "elements": "code",
    "indicators": "code",
    "indicators.targets": "period",
    "teams": "code",
    "schedule": "element",
}
#: the sheet holding the codes a column refers to, and that sheet's column
REFERENCES = {
    "responsible_unit": ("units", "code"),
    "owner_unit": ("units", "code"),
    "unit": ("units", "code"),
    "tier": ("tiers", "key"),
    "source": ("funding_sources", "name"),
    "element": ("elements", "code"),
    "indicator": ("indicators", "code"),
    "team": ("teams", "code"),
}
#: columns named like a reference that are free text in their part (``part.column``)
NOT_REFERENCES = {"attributions.source"}
#: codes people must not change in place (the plan file's identities); new rows stay open
LOCKED = {"elements": "code", "indicators": "code", "units": "code"}
WIDE = {"title", "name", "description", "definition", "text", "assumptions", "mitigation", "finding", "reason"}

Kind = Literal["scalar", "list", "json"]


def quote_sheetname(title: str) -> str:
    """A sheet's name as a cell reference writes it: ``Elements``, ``'Funding sources'``."""
    if title.replace("_", "").isalnum():
        return title
    return "'" + title.replace("'", "''") + "'"


@dataclass(frozen=True)
class Column:
    key: str  # "title", "baseline.value", or a parent reference ("element")
    info: FieldInfo | None  # None: a reference to the parent row
    kind: Kind = "scalar"
    choices: tuple[str, ...] = ()

    @property
    def nested(self) -> str | None:
        return self.key.split(".", 1)[0] if "." in self.key else None

    @property
    def name(self) -> str:
        return self.key.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Table:
    key: str  # "elements.risks"
    model: type[BaseModel]
    parent: Table | None
    columns: list[Column]
    #: reference columns (the parent's identity, and its parent's)
    refs: tuple[str, ...] = ()

    @property
    def field_name(self) -> str:
        return self.key.rsplit(".", 1)[-1]


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0], True
    return annotation, False


def _model_of(annotation: Any) -> type[BaseModel] | None:
    base, _optional = _strip_optional(annotation)
    return base if isinstance(base, type) and issubclass(base, BaseModel) else None


def _list_model(annotation: Any) -> type[BaseModel] | None:
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        return _model_of(item)
    return None


def _column(key: str, info: FieldInfo) -> Column:
    base, _optional = _strip_optional(info.annotation)
    origin = typing.get_origin(base)
    if origin is list:
        (item,) = typing.get_args(base)
        choices = tuple(typing.get_args(item)) if typing.get_origin(item) is Literal else ()
        return Column(key, info, "list", tuple(str(c) for c in choices))
    if origin is dict or base is dict:
        return Column(key, info, "json")
    if origin is Literal:
        return Column(key, info, "scalar", tuple(str(c) for c in typing.get_args(base)))
    return Column(key, info)


def _columns(model: type[BaseModel]) -> list[Column]:
    columns: list[Column] = []
    for name, info in model.model_fields.items():
        if _list_model(info.annotation) is not None:
            continue  # a sheet of its own
        nested = _model_of(info.annotation)
        if nested is not None:
            columns += [_column(f"{name}.{inner}", i) for inner, i in nested.model_fields.items()]
        else:
            columns.append(_column(name, info))
    return columns


def workbook_tables() -> list[Table]:
    """The workbook's sheets in the file's order, each list inside an entry a sheet after it."""
    tables: list[Table] = []

    def add(key: str, model: type[BaseModel], parent: Table | None) -> None:
        refs: tuple[str, ...] = ()
        if parent is not None:
            refs = (*parent.refs, PARENT_COLUMN[parent.key])
        table = Table(key, model, parent, _columns(model), refs)
        tables.append(table)
        for name, info in model.model_fields.items():
            child = _list_model(info.annotation)
            if child is not None:
                add(f"{key}.{name}", child, table)

    for name, info in PlanFile.model_fields.items():
        model = _list_model(info.annotation)
        if model is not None:
            add(name, model, None)
    return tables


def _plan_fields() -> list[tuple[str, FieldInfo]]:
    return [("administration", PlanFile.model_fields["administration"]), *PlanEntry.model_fields.items()]


# --- writing ------------------------------------------------------------------------------------------

_HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_KEY_FONT = Font(color="808080", size=8)
_LOCKED_FILL = PatternFill("solid", fgColor="EEF1F5")
_OPEN = Protection(locked=False)


def _rows(table: Table, doc: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """``(references, entry)`` for each entry of ``table`` in the file's order."""
    if table.parent is None:
        for entry in doc.get(table.key, []):
            yield (), entry
        return
    identity = IDENTITY[table.parent.key]
    for refs, parent in _rows(table.parent, doc):
        for entry in parent.get(table.field_name, []):
            yield (*refs, parent.get(identity)), entry


def _cell_value(column: Column, entry: dict[str, Any]) -> Any:
    if column.nested is not None:
        inner = entry.get(column.nested)
        value = inner.get(column.name) if isinstance(inner, dict) else None
    else:
        value = entry.get(column.key)
    if value is None:
        return None
    if column.kind == "list":
        return ", ".join(str(v) for v in value) or None
    if column.kind == "json":
        return json.dumps(value, ensure_ascii=False) if value else None
    return value


def _put(sheet: Worksheet, row: int, col: int, value: Any) -> Any:
    cell = sheet.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text, even when it starts with "=": never a formula
    return cell


def _header(sheet: Worksheet, keys: list[str], labels: list[str]) -> None:
    for col, (key, label) in enumerate(zip(keys, labels, strict=True), start=1):
        key_cell = _put(sheet, KEY_ROW, col, key)
        key_cell.font = _KEY_FONT
        label_cell = _put(sheet, LABEL_ROW, col, label)
        label_cell.font = _HEADER_FONT
        label_cell.fill = _HEADER_FILL
        label_cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(col)].width = 48 if key.rsplit(".", 1)[-1] in WIDE else 16
    sheet.row_dimensions[KEY_ROW].hidden = True
    sheet.freeze_panes = f"A{FIRST_ROW}"


def _validations(sheet: Worksheet, table: Table, keys: list[str], last_row: int, positions: dict[str, str]) -> None:
    for col, key in enumerate(keys, start=1):
        column = next((c for c in table.columns if c.key == key), None)
        name = key.rsplit(".", 1)[-1]
        formula: str | None = None
        if column is not None and column.choices and column.kind == "scalar":
            formula = '"' + ",".join(column.choices) + '"'
        elif (
            (name in REFERENCES or (table.key == "elements" and name == "parent"))
            and (column is None or column.kind == "scalar")
            and f"{table.key}.{key}" not in NOT_REFERENCES
        ):
            target = REFERENCES.get(name, ("elements", "code"))
            if table.key == "units" and name == "parent":
                target = ("units", "code")
            if target[0] != table.key or name == "parent":
                formula = positions.get(f"{target[0]}.{target[1]}")
        if formula is None:
            continue
        letter = get_column_letter(col)
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        validation.error = _("Choose a value from the list.")
        validation.errorTitle = _("Not in the list")
        sheet.add_data_validation(validation)
        validation.add(f"{letter}{FIRST_ROW}:{letter}{last_row}")


def _plan_sheet(book: Workbook, doc: dict[str, Any]) -> None:
    sheet = book.create_sheet(sheet_title("plan"))
    _header(sheet, ["key", "label", "value"], [_("Key"), _("Field"), _("Value")])
    sheet.column_dimensions["A"].hidden = True
    sheet.column_dimensions["B"].width = 24
    sheet.column_dimensions["C"].width = 90
    plan = doc.get("plan", {})
    for row, (name, info) in enumerate(_plan_fields(), start=FIRST_ROW):
        column = _column(name, info)
        # a JSON field (the plan's translations) is written as its JSON text, as on the other sheets
        value = doc.get("administration") if name == "administration" else _cell_value(column, plan)
        _put(sheet, row, 1, name)
        _put(sheet, row, 2, field_label(name)).font = Font(bold=True)
        cell = _put(sheet, row, 3, value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if column.choices:
            validation = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"')
            sheet.add_data_validation(validation)
            validation.add(cell.coordinate)


def plan_workbook(doc: dict[str, Any]) -> bytes:
    """The plan file ``doc`` (``plans.planfile.plan_export``) as an XLSX workbook."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    _plan_sheet(book, doc)
    tables = workbook_tables()
    positions: dict[str, str] = {}
    layouts: list[tuple[Table, list[str]]] = []
    for table in tables:
        keys = [*table.refs, *(c.key for c in table.columns)]
        layouts.append((table, keys))
        title = sheet_title(table.key)
        for col, key in enumerate(keys, start=1):
            letter = get_column_letter(col)
            positions[f"{table.key}.{key}"] = f"{quote_sheetname(title)}!${letter}${FIRST_ROW}:${letter}$5000"
    for table, keys in layouts:
        sheet = book.create_sheet(sheet_title(table.key))
        _header(sheet, keys, [field_label(k, table.key) for k in keys])
        locked_key = LOCKED.get(table.key)
        row = FIRST_ROW - 1
        for row, (refs, entry) in enumerate(_rows(table, doc), start=FIRST_ROW):
            values = [*refs, *(_cell_value(c, entry) for c in table.columns)]
            for col, (key, value) in enumerate(zip(keys, values, strict=True), start=1):
                cell = _put(sheet, row, col, value)
                cell.alignment = Alignment(vertical="top", wrap_text=key.rsplit(".", 1)[-1] in WIDE)
                if key == locked_key:
                    cell.fill = _LOCKED_FILL
                else:
                    cell.protection = _OPEN
        if locked_key is not None:
            for open_row in range(row + 1, row + 1 + OPEN_ROWS):
                for col in range(1, len(keys) + 1):
                    sheet.cell(row=open_row, column=col).protection = _OPEN
            # codes are the file's identities: changing one in place would make another element
            sheet.protection.sheet = True
            for allowed in (
                "formatColumns",
                "formatRows",
                "formatCells",
                "insertRows",
                "deleteRows",
                "sort",
                "autoFilter",
            ):
                setattr(sheet.protection, allowed, False)
        _validations(sheet, table, keys, max(row, FIRST_ROW) + OPEN_ROWS, positions)
    meta = book.create_sheet(META_SHEET)
    meta.append(["format", FORMAT, FORMAT_VERSION])
    meta.append(["plan", sheet_title("plan")])
    for table in tables:
        meta.append([table.key, sheet_title(table.key)])
    meta.sheet_state = "hidden"
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading ------------------------------------------------------------------------------------------


@dataclass
class WorkbookRead:
    """A workbook read into the plan file's JSON value, and the cell of each JSON path."""

    data: dict[str, Any]
    cells: dict[str, str] = field(default_factory=dict)

    def locate(self, location: str) -> str:
        """The cell (or row, or sheet) of a JSON path: the nearest enclosing path read from a cell."""
        path = location
        while path:
            if path in self.cells:
                return self.cells[path]
            cut = max(path.rfind("."), path.rfind("["))
            if cut <= 0:
                break
            path = path[:cut]
        return location


def relocate(error: ApplicationError, read: WorkbookRead) -> ApplicationError:
    """The same error with each problem at its cell."""
    error.problems = [Problem(read.locate(p.location), p.message) for p in error.problems]
    return error


def _refuse(message: str, problems: list[Problem]) -> PlanFileInvalid:
    return PlanFileInvalid(message, problems=problems)


def _problem_count(problems: list[Problem]) -> str:
    return ngettext("The workbook has %(n)d problem.", "The workbook has %(n)d problems.", len(problems)) % {
        "n": len(problems)
    }


def check_archive(raw: bytes) -> None:
    """Refuse a file that is not a workbook, or one that unpacks or counts past the limits
    (``WAYPOINT_PLAN_FILE_MAX_BYTES``, ``WAYPOINT_WORKBOOK_MAX_MB``, ``WAYPOINT_WORKBOOK_MAX_ROWS``)
    before openpyxl reads a cell.

    Raises:
        PlanFileInvalid: located at the workbook as a whole.
    """
    limit = int(settings.WAYPOINT_PLAN_FILE_MAX_BYTES)
    if len(raw) > limit:
        raise _refuse(
            _("The file is too large."),
            [Problem(_("workbook"), _("The file is larger than %(n)d MB.") % {"n": limit // (1024 * 1024)})],
        )
    stream = io.BytesIO(raw)
    if not zipfile.is_zipfile(stream):
        raise _refuse(
            _("This is not an XLSX workbook."),
            [
                Problem(
                    _("workbook"), _("An .xlsx file is a zip archive; this one is not. Save it as an Excel workbook.")
                )
            ],
        )
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = unpacked_size(archive)
            max_bytes = int(settings.WAYPOINT_WORKBOOK_MAX_MB) * 1_000_000
            if unpacked > max_bytes:
                raise _refuse(
                    _("The workbook is too large."),
                    [
                        Problem(
                            _("workbook"),
                            _("It unpacks to %(n)d MB, more than the %(max)d MB allowed (WAYPOINT_WORKBOOK_MAX_MB).")
                            % {"n": unpacked // 1_000_000, "max": max_bytes // 1_000_000},
                        )
                    ],
                )
            max_rows = int(settings.WAYPOINT_WORKBOOK_MAX_ROWS)
            if sheet_rows_above(archive, max_rows + 1):
                raise _refuse(
                    _("The workbook has too many rows."),
                    [
                        Problem(
                            _("workbook"),
                            _("A sheet has more than %(n)d rows (WAYPOINT_WORKBOOK_MAX_ROWS).") % {"n": max_rows},
                        )
                    ],
                )
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise _refuse(_("The workbook cannot be opened."), [Problem(_("workbook"), str(error)[:200])]) from error


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == "")


def _scalar(value: Any, info: FieldInfo) -> Any:
    """A cell's value as the plan file has it (text where the file has text)."""
    base, _optional = _strip_optional(info.annotation)
    if typing.get_origin(base) is Literal:
        base = type(typing.get_args(base)[0])
    if isinstance(value, dt.datetime):
        return value.isoformat() if base is dt.datetime else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if base is str and not isinstance(value, str):
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    if base in (int, Decimal) and isinstance(value, str):
        return value.strip()
    return value


def _set_blank(target: dict[str, Any], name: str, info: FieldInfo) -> None:
    _base, optional = _strip_optional(info.annotation)
    if optional:
        target[name] = None
    elif not info.is_required():
        return  # the file's default
    elif _base is str:
        target[name] = ""
    elif typing.get_origin(_base) is list:
        target[name] = []  # an empty list, checked as the JSON file's would be ("at least 1 item")


class _Reader:
    def __init__(self, book: Any) -> None:
        self.book = book
        self.problems: list[Problem] = []
        self.cells: dict[str, str] = {}
        self.data: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION}
        #: the parts the workbook's own index lists (None: a workbook without the index)
        self.listed: set[str] | None = None

    def add(self, location: str, message: str) -> None:
        self.problems.append(Problem(location, message))

    def titles(self) -> dict[str, str]:
        titles = {"plan": sheet_title("plan"), **{t.key: sheet_title(t.key) for t in workbook_tables()}}
        if META_SHEET in self.book.sheetnames:
            self.listed = set()
            for row in self.book[META_SHEET].iter_rows(values_only=True):
                if row and isinstance(row[0], str) and len(row) > 1 and isinstance(row[1], str) and row[0] != "format":
                    titles[row[0]] = row[1]
                    self.listed.add(row[0])
        return titles

    def sheet(self, key: str, titles: dict[str, str]) -> Any:
        title = titles.get(key, sheet_title(key))
        if title in self.book.sheetnames:
            return self.book[title]
        # exported before another app added this part to the file: the part is empty, as in a
        # plan file without the key (a part the workbook lists must be there)
        later_part = key in {s.key for s in sections()} and not PlanFile.model_fields[key].is_required()
        if self.listed is not None and key not in self.listed and later_part:
            return None
        self.add(
            quote_sheetname(title),
            _("The workbook has no sheet “%(t)s”; export the plan again to get one.") % {"t": title},
        )
        return None

    def header(self, sheet: Any, title: str, expected: list[str], part: str | None = None) -> dict[str, int] | None:
        rows = sheet.iter_rows(min_row=KEY_ROW, max_row=KEY_ROW, values_only=True)
        keys = next(rows, ())
        found: dict[str, int] = {}
        for col, key in enumerate(keys, start=1):
            if key is None:
                continue
            if str(key) not in expected:
                self.add(
                    f"{quote_sheetname(title)}!{get_column_letter(col)}{KEY_ROW}",
                    _("Unknown column “%(k)s”.") % {"k": key},
                )
                continue
            found[str(key)] = col
        missing = [k for k in expected if k not in found]
        for key in missing:
            self.add(
                quote_sheetname(title),
                _("The column “%(k)s” (%(label)s) is missing.") % {"k": key, "label": field_label(key, part)},
            )
        return None if missing else found

    def read(self) -> None:
        titles = self.titles()
        self.read_plan(titles)
        index: dict[str, dict[tuple[Any, ...], tuple[dict[str, Any], str]]] = {}
        for table in workbook_tables():
            self.read_table(table, titles, index)

    def read_plan(self, titles: dict[str, str]) -> None:
        sheet = self.sheet("plan", titles)
        if sheet is None:
            return
        title = titles.get("plan", sheet_title("plan"))
        fields = dict(_plan_fields())
        plan: dict[str, Any] = {}
        for row_number, row in enumerate(sheet.iter_rows(min_row=FIRST_ROW, values_only=True), start=FIRST_ROW):
            if not row or row[0] is None:
                continue
            name = str(row[0])
            where = f"{quote_sheetname(title)}!C{row_number}"
            info = fields.get(name)
            if info is None:
                self.add(f"{quote_sheetname(title)}!A{row_number}", _("Unknown field “%(k)s”.") % {"k": name})
                continue
            value = row[2] if len(row) > 2 else None
            target = self.data if name == "administration" else plan
            path = "$.administration" if name == "administration" else f"$.plan.{name}"
            self.cells[path] = where
            kind = _column(name, info).kind
            if _blank(value):
                _set_blank(target, name, info)
            elif kind == "json":
                try:
                    target[name] = json.loads(str(value))
                except json.JSONDecodeError as error:
                    self.add(where, _("Not JSON: %(e)s") % {"e": error.msg})
            elif kind == "list":
                target[name] = [part.strip() for part in str(value).split(",") if part.strip()]
            else:
                target[name] = _scalar(value, info)
        self.data["plan"] = plan
        self.cells["$.plan"] = quote_sheetname(title)

    def read_table(
        self,
        table: Table,
        titles: dict[str, str],
        index: dict[str, dict[tuple[Any, ...], tuple[dict[str, Any], str]]],
    ) -> None:
        own: dict[tuple[Any, ...], tuple[dict[str, Any], str]] = {}
        index[table.key] = own
        if table.parent is None:
            self.data[table.key] = []
        sheet = self.sheet(table.key, titles)
        if sheet is None:
            return
        title = titles.get(table.key, sheet_title(table.key))
        quoted = quote_sheetname(title)
        expected = [*table.refs, *(c.key for c in table.columns)]
        columns = self.header(sheet, title, expected, table.key)
        if columns is None:
            return
        if table.parent is None:
            self.cells[f"$.{table.key}"] = quoted
        identity = IDENTITY.get(table.key)
        for row_number, row in enumerate(sheet.iter_rows(min_row=FIRST_ROW, values_only=True), start=FIRST_ROW):
            if all(_blank(v) for v in row):
                continue

            def cell(key: str, _row: tuple[Any, ...] = row) -> Any:
                col = columns[key]
                return _row[col - 1] if col - 1 < len(_row) else None

            def at(key: str, _row_number: int = row_number) -> str:
                return f"{quoted}!{get_column_letter(columns[key])}{_row_number}"

            refs = tuple(
                _scalar(cell(r), FieldInfo(annotation=str)) if not _blank(cell(r)) else None for r in table.refs
            )
            if table.parent is None:
                siblings: list[dict[str, Any]] = self.data[table.key]
                base = f"$.{table.key}"
            else:
                parent = index[table.parent.key].get(refs) if refs else None
                if parent is None:
                    self.add(
                        at(table.refs[-1]),
                        _("No row of “%(sheet)s” has %(ref)s; list it there first.")
                        % {"sheet": sheet_title(table.parent.key), "ref": " / ".join(str(r) for r in refs)},
                    )
                    continue
                parent_entry, parent_path = parent
                siblings = parent_entry.setdefault(table.field_name, [])
                base = f"{parent_path}.{table.field_name}"
            path = f"{base}[{len(siblings)}]"
            entry = self.entry(table, cell, at, path)
            siblings.append(entry)
            self.cells[path] = f"{quoted}!{row_number}:{row_number}"
            if identity is not None:
                own[(*refs, entry.get(identity))] = (entry, path)

    def entry(self, table: Table, cell: Any, at: Any, path: str) -> dict[str, Any]:
        entry: dict[str, Any] = {}
        nested: dict[str, dict[str, Any]] = {}
        nested_filled: set[str] = set()
        for column in table.columns:
            assert column.info is not None
            value = cell(column.key)
            target = entry
            if column.nested is not None:
                target = nested.setdefault(column.nested, {})
                if not _blank(value):
                    nested_filled.add(column.nested)
            where = f"{path}.{column.key}"
            self.cells[where] = at(column.key)
            if column.nested is not None:
                self.cells.setdefault(f"{path}.{column.nested}", at(column.key))
            if _blank(value):
                _set_blank(target, column.name, column.info)
            elif column.kind == "list":
                target[column.name] = [part.strip() for part in str(value).split(",") if part.strip()]
            elif column.kind == "json":
                try:
                    target[column.name] = json.loads(str(value))
                except json.JSONDecodeError as error:
                    self.add(at(column.key), _("Not JSON: %(e)s") % {"e": error.msg})
            else:
                target[column.name] = _scalar(value, column.info)
        for name, inner in nested.items():
            info = table.model.model_fields[name]
            _base, optional = _strip_optional(info.annotation)
            entry[name] = inner if (name in nested_filled or not optional) else None
        return entry


def read_plan_workbook(raw: bytes) -> WorkbookRead:
    """The plan file's JSON value a workbook holds, and where each part came from.

    Raises:
        PlanFileInvalid: the file is not a workbook, is past the limits, or its sheets,
            columns or rows cannot make a plan file; every problem at its sheet and cell.
    """
    check_archive(raw)
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook
        raise _refuse(
            _("The workbook cannot be read."), [Problem(_("workbook"), str(error)[:200] or type(error).__name__)]
        ) from error
    try:
        reader = _Reader(book)
        reader.read()
    except ApplicationError:
        raise
    except Exception as error:  # a damaged sheet fails while it is read
        raise _refuse(
            _("The workbook cannot be read."), [Problem(_("workbook"), str(error)[:200] or type(error).__name__)]
        ) from error
    finally:
        book.close()
    if reader.problems:
        raise _refuse(_problem_count(reader.problems), reader.problems)
    return WorkbookRead(reader.data, reader.cells)


def sheet_names(tables: Iterable[Table]) -> list[str]:
    return [sheet_title("plan"), *(sheet_title(t.key) for t in tables)]
