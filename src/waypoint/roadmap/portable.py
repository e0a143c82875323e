"""The roadmap's part of the portable plan file: teams, schedule data, dependencies and yearly
budget caps, so that a plan moved to another installation can be scheduled again there.

Scenarios (solver results) stay out of the file: they are worked out again from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from waypoint.core.rules import decimal_problems
from waypoint.engine.periods import parse_month
from waypoint.org.models import OrgUnit
from waypoint.plans.models import FundingSource, Plan, PlanElement
from waypoint.plans.planfile import FileSection, register_section
from waypoint.plans.schemas import PlanFile, ScheduleEntry
from waypoint.roadmap.models import BudgetCap, Dependency, ScheduleItem, Team, TeamCapacity, TeamDemand
from waypoint.roadmap.rules import capacity_change_problems, demand_too_large, schedule_problems

Add = Callable[[str, str], None]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _first_time(seen: set[str], key: str) -> bool:
    """Whether ``key`` is new to ``seen`` (which then holds it)."""
    new = key not in seen
    seen.add(key)
    return new


def _period(doc: PlanFile) -> Plan:
    """An unsaved plan with the file's period, for the period checks the services make."""
    return Plan(start_year=doc.plan.start_year, end_year=doc.plan.end_year)


# --- teams --------------------------------------------------------------------------------------


def _export_teams(plan: Plan) -> list[dict[str, Any]]:
    teams = Team.objects.filter(plan=plan).select_related("unit").prefetch_related("capacity_changes")
    return [
        {
            "code": t.code,
            "name": t.name,
            "unit": t.unit.code if t.unit else None,
            "capacity": t.capacity,
            "changes": [{"month": f"{c.starts_on:%Y-%m}", "capacity": c.capacity} for c in t.capacity_changes.all()],
        }
        for t in sorted(teams, key=lambda t: t.code)
    ]


def _team_units(plan: Plan) -> Iterable[str]:
    return Team.objects.filter(plan=plan, unit__isnull=False).values_list("unit__code", flat=True)


def _check_teams(doc: PlanFile, add: Add) -> None:
    units = {u.code for u in doc.units}
    seen: set[str] = set()
    for i, team in enumerate(doc.teams):
        if not _first_time(seen, team.code):
            add(
                f"$.teams[{i}].code",
                _("Another team of this plan already has the code %(code)s.") % {"code": team.code},
            )
        if team.unit is not None and team.unit not in units:
            add(f"$.teams[{i}].unit", _("Unknown unit %(code)s.") % {"code": team.unit})
        months = [parse_month(c.month) for c in team.changes]
        for problem in capacity_change_problems(_period(doc), months, where=f"$.teams[{i}].changes"):
            add(problem.location, problem.message)


def _write_teams(
    plan: Plan, doc: PlanFile, elements: dict[str, PlanElement], sources: dict[str, FundingSource]
) -> None:
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[t.unit for t in doc.teams if t.unit])}
    teams = Team.objects.bulk_create(
        Team(plan=plan, code=t.code, name=t.name, unit=units.get(t.unit or ""), capacity=t.capacity) for t in doc.teams
    )
    TeamCapacity.objects.bulk_create(
        TeamCapacity(team=team, starts_on=parse_month(c.month), capacity=c.capacity)
        for team, entry in zip(teams, doc.teams, strict=True)
        for c in entry.changes
    )


# --- schedule data ------------------------------------------------------------------------------

#: the file's names for the schedule fields whose model names read less well outside the app
_FILE_FIELDS = {"release_on": "not_before", "deadline_on": "finish_by"}


def _values(entry: ScheduleEntry) -> dict[str, Any]:
    return {
        "duration_months": entry.duration_months,
        "release_on": entry.not_before,
        "deadline_on": entry.finish_by,
        "pinned": entry.pinned,
        "weight": entry.weight,
        "actual_start": entry.actual_start,
        "actual_finish": entry.actual_finish,
    }


def _export_schedule(plan: Plan) -> list[dict[str, Any]]:
    demands = Prefetch("demands", queryset=TeamDemand.objects.select_related("team"))
    items = ScheduleItem.objects.filter(element__plan=plan).select_related("element").prefetch_related(demands)
    return [
        {
            "element": item.element.code,
            "duration_months": item.duration_months,
            "not_before": _iso(item.release_on),
            "finish_by": _iso(item.deadline_on),
            "pinned": item.pinned,
            "weight": item.weight,
            "actual_start": _iso(item.actual_start),
            "actual_finish": _iso(item.actual_finish),
            "demands": sorted(
                ({"team": d.team.code, "people": d.people} for d in item.demands.all()), key=lambda d: str(d["team"])
            ),
        }
        for item in sorted(items, key=lambda i: i.element.code)
    ]


def _check_schedule(doc: PlanFile, add: Add) -> None:
    kinds = {e.code: e.kind for e in doc.elements}
    most = {t.code: (t.name, max([t.capacity, *(c.capacity for c in t.changes)])) for t in doc.teams}
    period = _period(doc)
    seen: set[str] = set()
    for i, entry in enumerate(doc.schedule):
        where = f"$.schedule[{i}]"
        if entry.element not in kinds:
            add(f"{where}.element", _("Unknown element %(code)s.") % {"code": entry.element})
            continue
        if not _first_time(seen, entry.element):
            add(f"{where}.element", _("%(code)s is listed twice.") % {"code": entry.element})
        for problem in schedule_problems(period, kinds[entry.element], _values(entry)):
            add(f"{where}.{_FILE_FIELDS.get(problem.location, problem.location)}", problem.message)
        _check_demands(entry, where, most, add)


def _check_demands(entry: ScheduleEntry, where: str, most: dict[str, tuple[str, int]], add: Add) -> None:
    """The people an item needs: from teams of the file, once per team, no more than the team
    ever has (``most``: team code → name and largest capacity)."""
    teams: set[str] = set()
    for j, demand in enumerate(entry.demands):
        path = f"{where}.demands[{j}]"
        if demand.team not in most:
            add(f"{path}.team", _("%(team)s is not a team of this plan.") % {"team": demand.team})
            continue
        if not _first_time(teams, demand.team):
            add(f"{path}.team", _("%(team)s is listed twice.") % {"team": demand.team})
        name, largest = most[demand.team]
        if demand.people > largest:
            problem = demand_too_large(f"{path}.people", name, demand.people, largest)
            add(problem.location, problem.message)


def _write_schedule(
    plan: Plan, doc: PlanFile, elements: dict[str, PlanElement], sources: dict[str, FundingSource]
) -> None:
    items = ScheduleItem.objects.bulk_create(
        ScheduleItem(element=elements[entry.element], **_values(entry)) for entry in doc.schedule
    )
    teams = {t.code: t for t in Team.objects.filter(plan=plan)}
    TeamDemand.objects.bulk_create(
        TeamDemand(item=item, team=teams[d.team], people=d.people)
        for item, entry in zip(items, doc.schedule, strict=True)
        for d in entry.demands
    )


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
        for problem in decimal_problems(f"$.budget_caps[{i}].amount", cap.amount, BudgetCap._meta.get_field("amount")):
            add(problem.location, problem.message)
        if (cap.source, cap.year) in seen:
            add(f"$.budget_caps[{i}]", _("Two caps for the same source and year."))
        seen.add((cap.source, cap.year))


def _write_caps(plan: Plan, doc: PlanFile, elements: dict[str, PlanElement], sources: dict[str, FundingSource]) -> None:
    BudgetCap.objects.bulk_create(
        BudgetCap(plan=plan, funding_source=sources[c.source], year=c.year, amount=c.amount) for c in doc.budget_caps
    )


def register() -> None:
    register_section(FileSection("teams", _export_teams, _check_teams, _write_teams, unit_codes=_team_units))
    register_section(FileSection("schedule", _export_schedule, _check_schedule, _write_schedule))
    register_section(FileSection("dependencies", _export_dependencies, _check_dependencies, _write_dependencies))
    register_section(FileSection("budget_caps", _export_caps, _check_caps, _write_caps, _cap_sources))
