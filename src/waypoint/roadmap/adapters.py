"""The plan's roadmap data ⇄ the scheduling engine's problem and schedule.

Reading only: the plan's elements, schedule data, links, teams and caps become plain rows
for ``engine.scheduling.roadmap``, which holds the rules (what is scheduled, what an
initiative passes to its activities, how re-planning fixes what happened).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from waypoint.engine import scheduling as engine
from waypoint.engine.periods import months_from, months_spanned
from waypoint.plans.models import DATED_KINDS, BudgetLine, ElementKind, FundingSource, Plan, PlanElement
from waypoint.roadmap.models import BudgetCap, Dependency, ScheduleItem, Team

__all__ = ["PlanProblem", "plan_problem", "roadmap_start"]


def roadmap_start(plan: Plan) -> dt.date:
    """Month 0 of the plan's roadmap, January of its first year: the scheduler counts months
    from it (``engine.periods.months_from``; back to a date with ``add_months``)."""
    return dt.date(plan.start_year, 1, 1)


@dataclass
class PlanProblem:
    """The engine's problem for a plan, with the way back to the plan's elements."""

    problem: engine.Problem
    leaves: dict[str, PlanElement]  # activity id (element code) → element
    #: work under way when re-planning: scheduled from the re-plan month, started at this month
    history: dict[str, int] = field(default_factory=dict)


def plan_problem(plan: Plan, *, replan_from: dt.date | None = None) -> PlanProblem:
    """Build the scheduling problem of ``plan`` (re-planned from ``replan_from`` when given).

    Durations come from the schedule data, else from the element's planned dates, else one
    month. Costs are the element's budget lines, per funding source, spread over the work.
    The rules that make a problem of them are the engine's (``roadmap_problem``).

    Raises:
        engine.ProblemError: the roadmap cannot be scheduled as it stands.
    """
    elements = list(
        PlanElement.objects.filter(plan=plan, kind__in=DATED_KINDS).select_related("parent").order_by("code")
    )
    items = {
        item.element_id: item
        for item in ScheduleItem.objects.filter(element__plan=plan).prefetch_related("demands__team")
    }
    costs: dict[int, dict[str, int]] = defaultdict(dict)
    for line in BudgetLine.objects.filter(element__plan=plan).values("element_id", "funding_source_id", "amount"):
        key = str(line["funding_source_id"])
        costs[line["element_id"]][key] = costs[line["element_id"]].get(key, 0) + int(line["amount"] or Decimal(0))
    start = roadmap_start(plan)
    work = [_work(plan, element, items.get(element.pk), costs.get(element.pk, {})) for element in elements]
    links = [
        engine.Link(d.before.code, d.after.code, engine.LinkKind(d.kind), d.lag_months)
        for d in Dependency.objects.filter(plan=plan).select_related("before", "after")
    ]
    resources = [
        engine.Resource(
            team.code,
            team.capacity,
            team.name,
            tuple((months_from(start, c.starts_on), c.capacity) for c in team.capacity_changes.all()),
        )
        for team in Team.objects.filter(plan=plan).prefetch_related("capacity_changes")
    ]
    built = engine.roadmap_problem(
        work,
        links,
        resources=resources,
        budgets=_budgets(plan, costs),
        replan_from=months_from(start, replan_from) if replan_from else None,
        granularity=engine.Granularity.MONTH,
        start=start,
        name=plan.title,
    )
    by_code = {e.code: e for e in elements}
    return PlanProblem(built.problem, {code: by_code[code] for code in built.leaves}, built.history)


def _work(plan: Plan, element: PlanElement, item: ScheduleItem | None, costs: dict[str, int]) -> engine.Work:
    """One initiative or activity as the engine reads it, in months from the plan's start."""
    is_activity = element.kind == ElementKind.ACTIVITY and element.parent is not None

    def month(day: dt.date | None) -> int | None:
        return months_from(roadmap_start(plan), day) if day else None

    if item is None:
        return engine.Work(
            id=element.code,
            name=element.title,
            duration=months_spanned(element.starts_on, element.ends_on) or 1,
            parent=element.parent.code if is_activity and element.parent else None,
            costs=costs,
        )
    deadline = month(item.deadline_on)
    return engine.Work(
        id=element.code,
        name=element.title,
        duration=item.duration_months,
        parent=element.parent.code if is_activity and element.parent else None,
        release=month(item.release_on),
        deadline=None if deadline is None else deadline + 1,
        pinned_start=month(element.starts_on) if item.pinned else None,
        demands={d.team.code: d.people for d in item.demands.all()},
        costs=costs,
        weight=item.weight,
        actual_start=month(item.actual_start),
        actual_finish=month(item.actual_finish),
    )


def _budgets(plan: Plan, costs: dict[int, dict[str, int]]) -> list[engine.Budget]:
    """A yearly budget for every funding source the plan's budget lines use, with its caps."""
    used = sorted({key for element_costs in costs.values() for key in element_costs})
    caps: dict[int, dict[int, int]] = defaultdict(dict)
    for cap in BudgetCap.objects.filter(plan=plan):
        caps[cap.funding_source_id][cap.year - plan.start_year] = int(cap.amount)
    names = dict(FundingSource.objects.filter(pk__in=[int(k) for k in used]).values_list("pk", "name"))
    return [engine.Budget(source, 12, caps.get(int(source), {}), names.get(int(source), "")) for source in used]
