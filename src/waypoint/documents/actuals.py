"""The actuals entry template: a workbook for one period (and one unit), prefilled with the
indicators its reader may report, the codes locked, filled offline and read back.

Row 1 (hidden) holds the column keys, row 2 the labels, one row per indicator (and unit) from
row 3. Only the value and the evidence are open; the rest says what the row is about. The
reader turns the filled rows into what ``indicators.services.actual_record`` takes, each
problem at its cell (``Actuals!G5``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from waypoint.core.errors import Problem
from waypoint.documents.workbook import FIRST_ROW, KEY_ROW, LABEL_ROW, check_archive
from waypoint.indicators.models import Actual, Indicator
from waypoint.org.models import OrgUnit

__all__ = ["COLUMNS", "SHEET", "ActualRow", "TemplateRow", "actuals_workbook", "read_actuals_workbook"]

SHEET = "Actuals"
#: the columns, by key; the open ones are what people fill in
COLUMNS = ("indicator", "name", "unit_of_measure", "target", "unit", "period", "value", "evidence")
OPEN = {"value", "evidence"}

_HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_LOCKED_FILL = PatternFill("solid", fgColor="EEF1F5")


def _labels() -> dict[str, str]:
    return {
        "indicator": _("Indicator"),
        "name": _("Name"),
        "unit_of_measure": _("Unit of measure"),
        "target": _("Target"),
        "unit": _("Unit"),
        "period": _("Period"),
        "value": _("Value"),
        "evidence": _("Evidence"),
    }


@dataclass(frozen=True)
class TemplateRow:
    indicator: Indicator
    unit: OrgUnit | None  # None: the whole administration
    target: Decimal | None
    recorded: Actual | None


@dataclass(frozen=True)
class ActualRow:
    """A filled row of the template: where it is, and what it says."""

    row: int
    indicator: str
    unit: str
    period: str
    value: Decimal
    evidence: str

    def cell(self, key: str) -> str:
        return f"{SHEET}!{get_column_letter(COLUMNS.index(key) + 1)}{self.row}"


def actuals_workbook(rows: list[TemplateRow], period: str) -> bytes:
    """The template: one row per indicator (and unit), the value recorded so far prefilled."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    labels = _labels()
    for col, key in enumerate(COLUMNS, start=1):
        sheet.cell(row=KEY_ROW, column=col, value=key).font = Font(color="808080", size=8)
        label = sheet.cell(row=LABEL_ROW, column=col, value=labels[key])
        label.font, label.fill = _HEADER_FONT, _HEADER_FILL
        label.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(col)].width = {"name": 48, "evidence": 40}.get(key, 14)
    sheet.row_dimensions[KEY_ROW].hidden = True
    sheet.freeze_panes = f"A{FIRST_ROW}"
    for number, row in enumerate(rows, start=FIRST_ROW):
        values: dict[str, Any] = {
            "indicator": row.indicator.code,
            "name": row.indicator.name,
            "unit_of_measure": row.indicator.unit_of_measure,
            "target": row.target,
            "unit": row.unit.code if row.unit is not None else "",
            "period": period,
            "value": row.recorded.value if row.recorded is not None else None,
            "evidence": row.recorded.evidence if row.recorded is not None else "",
        }
        for col, key in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=number, column=col)
            cell.value = values[key]
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even when it starts with "=": never a formula
            if key in OPEN:
                cell.protection = Protection(locked=False)
            else:
                cell.fill = _LOCKED_FILL
    # which indicator, unit and period a row is about is fixed: people fill values in
    sheet.protection.sheet = True
    for allowed in ("formatColumns", "formatRows", "formatCells", "sort", "autoFilter"):
        setattr(sheet.protection, allowed, False)
    if rows:
        letter = get_column_letter(COLUMNS.index("value") + 1)
        validation = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15")
        validation.error = _("Write a number.")
        validation.errorTitle = _("Not a number")
        sheet.add_data_validation(validation)
        validation.add(f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + len(rows) - 1}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_actuals_workbook(raw: bytes) -> tuple[list[ActualRow], list[Problem]]:
    """The filled rows of a template (a row without a value is skipped), and the problems of
    the ones that cannot be read, each at its cell.

    Raises:
        PlanFileInvalid: the file is not a workbook, or is past the workbook limits.
    """
    check_archive(raw)
    problems: list[Problem] = []
    rows: list[ActualRow] = []
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook
        return [], [Problem(_("workbook"), str(error)[:200] or type(error).__name__)]
    try:
        if SHEET not in book.sheetnames:
            return [], [
                Problem(SHEET, _("The workbook has no sheet “%(t)s”; download the template again.") % {"t": SHEET})
            ]
        sheet = book[SHEET]
        keys = [_text(k) for k in next(sheet.iter_rows(min_row=KEY_ROW, max_row=KEY_ROW, values_only=True), ())]
        missing = [k for k in COLUMNS if k not in keys]
        if missing:
            return [], [
                Problem(SHEET, _("The column “%(k)s” is missing; download the template again.") % {"k": k})
                for k in missing
            ]
        at = {k: keys.index(k) for k in COLUMNS}
        for number, values in enumerate(sheet.iter_rows(min_row=FIRST_ROW, values_only=True), start=FIRST_ROW):

            def get(key: str, _values: tuple[Any, ...] = values) -> Any:
                i = at[key]
                return _values[i] if i < len(_values) else None

            raw_value = get("value")
            if raw_value is None or _text(raw_value) == "":
                continue
            where = f"{SHEET}!{get_column_letter(at['value'] + 1)}{number}"
            try:
                value = Decimal(_text(raw_value).replace(",", "."))
                if not value.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                problems.append(Problem(where, _("Write a number (%(v)s is not one).") % {"v": _text(raw_value)[:40]}))
                continue
            rows.append(
                ActualRow(
                    row=number,
                    indicator=_text(get("indicator")),
                    unit=_text(get("unit")),
                    period=_text(get("period")),
                    value=value,
                    evidence=_text(get("evidence")),
                )
            )
    finally:
        book.close()
    return rows, problems
