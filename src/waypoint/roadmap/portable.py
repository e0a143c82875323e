"""The roadmap's part of the portable plan file: dependencies and yearly budget caps.

Teams, durations and scenarios stay out of the file for now (see docs/architecture.md): the
file carries what the plan's quality checks read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _

from waypoint.plans.models import FundingSource, Plan, PlanElement
from waypoint.plans.portable import FileSection, register_section
from waypoint.plans.schemas import PlanFile
from waypoint.roadmap.models import BudgetCap, Dependency


def _export_dependencies(plan: Plan) -> list[dict[str, Any]]:
    links = Dependency.objects.filter(plan=plan).select_related("before", "after")
    rows = [{"before": d.before.code, "after": d.after.code, "kind": d.kind, "lag_months": d.lag_months} for d in links]
    return sorted(rows, key=lambda r: (r["before"], r["after"]))


def _check_dependencies(doc: PlanFile, add: Callable[[str, str], None]) -> None:
    codes = {e.code for e in doc.elements}
    seen: set[tuple[str, str]] = set()
    for i, link in enumerate(doc.dependencies):
        for end in ("before", "after"):
            code = getattr(link, end)
            if code not in codes:
                add(f"$.dependencies[{i}].{end}", _("Unknown element %(code)s.") % {"code": code})
        if link.before == link.after:
            add(f"$.dependencies[{i}]", _("An element cannot depend on itself."))
        if (link.before, link.after) in seen:
            add(f"$.dependencies[{i}]", _("This link is listed twice."))
        seen.add((link.before, link.after))


def _write_dependencies(
    plan: Plan, doc: PlanFile, elements: dict[str, PlanElement], sources: dict[str, FundingSource]
) -> None:
    Dependency.objects.bulk_create(
        Dependency(plan=plan, before=elements[d.before], after=elements[d.after], kind=d.kind, lag_months=d.lag_months)
        for d in doc.dependencies
    )


def _export_caps(plan: Plan) -> list[dict[str, Any]]:
    caps = BudgetCap.objects.filter(plan=plan).select_related("funding_source")
    rows = [{"source": c.funding_source.name, "year": c.year, "amount": int(c.amount)} for c in caps]
    return sorted(rows, key=lambda r: (r["year"], r["source"]))


def _cap_sources(plan: Plan) -> Iterable[FundingSource]:
    return FundingSource.objects.filter(caps__plan=plan).distinct()


def _check_caps(doc: PlanFile, add: Callable[[str, str], None]) -> None:
    names = {s.name for s in doc.funding_sources}
    seen: set[tuple[str, int]] = set()
    for i, cap in enumerate(doc.budget_caps):
        if cap.source not in names:
            add(f"$.budget_caps[{i}].source", _("Unknown funding source %(s)s.") % {"s": cap.source})
        if not doc.plan.start_year <= cap.year <= doc.plan.end_year:
            add(f"$.budget_caps[{i}].year", _("The year is outside the plan period."))
        if (cap.source, cap.year) in seen:
            add(f"$.budget_caps[{i}]", _("Two caps for the same source and year."))
        seen.add((cap.source, cap.year))


def _write_caps(plan: Plan, doc: PlanFile, elements: dict[str, PlanElement], sources: dict[str, FundingSource]) -> None:
    BudgetCap.objects.bulk_create(
        BudgetCap(plan=plan, funding_source=sources[c.source], year=c.year, amount=c.amount) for c in doc.budget_caps
    )


def register() -> None:
    register_section(FileSection("dependencies", _export_dependencies, _check_dependencies, _write_dependencies))
    register_section(FileSection("budget_caps", _export_caps, _check_caps, _write_caps, _cap_sources))
