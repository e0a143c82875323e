"""The logframe workbook: one row per results-chain element (goal, objective, initiative,
activity), its indicators each on a row of their own with baseline, targets by year, means of
verification, and the element's assumptions. Styled for printing: frozen headers, wrapped text,
one outline level per tier."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from waypoint.indicators.selectors import IndicatorState, indicator_states
from waypoint.plans import selectors as plan_selectors
from waypoint.plans.models import Plan

HEADER = PatternFill("solid", fgColor="1F3A5F")
LEVEL_FILLS = {0: PatternFill("solid", fgColor="D6E0EC"), 1: PatternFill("solid", fgColor="EEF1F5")}
THIN = Side(style="thin", color="C8CED6")


def logframe_workbook(plan: Plan) -> bytes:
    overview = plan_selectors.plan_overview(plan)
    by_element: dict[int, list[IndicatorState]] = defaultdict(list)
    for state in sorted(indicator_states(plan).values(), key=lambda s: s.indicator.number):
        by_element[state.indicator.element_id].append(state)
    years = list(plan.years)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Logframe")[:31]
    headers = [
        _("Level"),
        _("Code"),
        _("Results chain"),
        _("Responsible unit"),
        _("Indicator"),
        _("Unit of measure"),
        _("Baseline"),
        _("Baseline year"),
        *[str(y) for y in years],
        _("Means of verification"),
        _("Assumptions"),
    ]
    widths = [12, 10, 48, 26, 44, 12, 11, 10, *([10] * len(years)), 36, 36]
    sheet.append([f"{plan.title} ({plan.start_year}–{plan.end_year})"])
    sheet["A1"].font = Font(bold=True, size=14, color="1F3A5F")
    sheet.append(headers)
    for col, width in enumerate(widths, start=1):
        cell = sheet.cell(row=2, column=col)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "D3"
    tiers = {t.pk: t.name for t in plan.tiers.all()}

    def walk(nodes: Sequence[plan_selectors.TreeNode], depth: int) -> None:
        for node in nodes:
            e = node.element
            states = by_element.get(e.pk, [])
            for index, state in enumerate(states or [None]):
                i = state.indicator if state is not None else None
                targets = {t.period: t for t in state.targets} if state is not None else {}
                values = [
                    tiers.get(e.tier_id, e.kind) if index == 0 else None,
                    e.code if index == 0 else None,
                    e.title if index == 0 else None,
                    e.responsible_unit.name if index == 0 else None,
                    f"{i.code} {i.name}" if i else None,
                    i.unit_of_measure if i else None,
                    float(i.baseline_value) if i and i.baseline_value is not None else None,
                    i.baseline_date.year if i and i.baseline_date else None,
                    *[float(targets[str(y)].value) if str(y) in targets else None for y in years],
                    (i.means_of_verification or i.data_source) if i else None,
                    e.assumptions if index == 0 else None,
                ]
                sheet.append(values)
                row = sheet.max_row
                for col in range(1, len(headers) + 1):
                    cell = sheet.cell(row=row, column=col)
                    cell.alignment = Alignment(wrap_text=True, vertical="top", indent=depth if col == 3 else 0)
                    cell.border = Border(bottom=THIN)
                    if depth in LEVEL_FILLS:
                        cell.fill = LEVEL_FILLS[depth]
                    if depth == 0 and col <= 4:
                        cell.font = Font(bold=True)
                sheet.row_dimensions[row].outlineLevel = min(depth, 7)
            walk(node.children, depth + 1)

    walk(overview.roots, 0)
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{sheet.max_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.print_title_rows = "2:2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
