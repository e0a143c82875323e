"""The plan's roadmap data ⇄ the scheduling engine's problem and schedule."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from waypoint.engine import scheduling as engine
from waypoint.plans.models import DATED_KINDS, BudgetLine, ElementKind, FundingSource, Plan, PlanElement
from waypoint.roadmap.models import BudgetCap, Dependency, ScheduleItem, Team

#: the part of a re-planned activity already done (an engine activity with no plan element)
DONE_SUFFIX = "~done"

__all__ = ["DONE_SUFFIX", "PlanProblem", "month_index", "month_start", "plan_problem"]


def month_index(plan: Plan, day: dt.date) -> int:
    """Months from January of the plan's first year."""
    return (day.year - plan.start_year) * 12 + day.month - 1


def month_start(plan: Plan, index: int) -> dt.date:
    year, month = divmod(index, 12)
    return dt.date(plan.start_year + year, month + 1, 1)


def month_end(plan: Plan, index_exclusive: int) -> dt.date:
    """The last day of the month before ``index_exclusive`` (where work ending there stops)."""
    return month_start(plan, index_exclusive) - dt.timedelta(days=1)


@dataclass
class PlanProblem:
    """The engine's problem for a plan, with the way back to the plan's elements."""

    problem: engine.Problem
    leaves: dict[str, PlanElement]  # activity id (element code) → element
    parents: dict[int, list[str]] = field(default_factory=dict)  # initiative pk → leaf codes
    #: work under way when re-planning: scheduled from the re-plan month, started at this month
    history: dict[str, int] = field(default_factory=dict)


def months_between(first: dt.date | None, last: dt.date | None) -> int | None:
    """How many calendar months ``first`` to ``last`` touch (both included); None if either is missing."""
    if first is None or last is None:
        return None
    return max(1, (last.year - first.year) * 12 + last.month - first.month + 1)


def plan_problem(plan: Plan, *, replan_from: dt.date | None = None) -> PlanProblem:
    """Build the scheduling problem of ``plan``.

    Activities are scheduled; an initiative without activities is scheduled as one block.
    An initiative's release, deadline and dependencies apply to all of its activities.
    Durations come from the schedule data, else from the element's planned dates, else one
    month. Costs are the element's budget lines, per funding source, spread over the work.

    With ``replan_from``, what has happened is fixed and nothing new starts before it.
    Finished work stays where it was and no longer claims teams or money; work under way is
    scheduled from ``replan_from`` for what remains of it (``history`` keeps its real start);
    work that has started no longer waits for its predecessors.
    """
    elements = list(
        PlanElement.objects.filter(plan=plan, kind__in=DATED_KINDS).select_related("parent").order_by("code")
    )
    items = {
        item.element_id: item
        for item in ScheduleItem.objects.filter(element__plan=plan).prefetch_related("demands__team")
    }
    with_children = {e.parent_id for e in elements if e.kind == ElementKind.ACTIVITY}
    leaves = [e for e in elements if e.kind == ElementKind.ACTIVITY or e.pk not in with_children]
    by_pk = {e.pk: e for e in elements}
    costs: dict[int, dict[str, int]] = defaultdict(dict)
    for line in BudgetLine.objects.filter(element__plan=plan).values("element_id", "funding_source_id", "amount"):
        key = str(line["funding_source_id"])
        costs[line["element_id"]][key] = costs[line["element_id"]].get(key, 0) + int(line["amount"] or Decimal(0))
    now = month_index(plan, replan_from) if replan_from else None
    activities: list[engine.Activity] = []
    history: dict[str, int] = {}
    parents: dict[int, list[str]] = defaultdict(list)
    for element in leaves:
        item = items.get(element.pk)
        parent_item = (
            items.get(element.parent_id) if element.kind == ElementKind.ACTIVITY and element.parent_id else None
        )
        duration = item.duration_months if item else (months_between(element.starts_on, element.ends_on) or 1)
        release = 0
        deadline = None
        for source in (parent_item, item):
            if source is None:
                continue
            if source.release_on:
                release = max(release, month_index(plan, source.release_on))
            if source.deadline_on:
                limit = month_index(plan, source.deadline_on) + 1
                deadline = limit if deadline is None else min(deadline, limit)
        pinned = None
        if item and item.pinned and element.starts_on:
            pinned = month_index(plan, element.starts_on)
        demands = {d.team.code: d.people for d in item.demands.all()} if item else {}
        element_costs = costs.get(element.pk, {})
        if now is not None:
            if item and item.actual_start:
                begun = month_index(plan, item.actual_start)
                if item.actual_finish:
                    # finished work is history: where it was, paid for, no claim on teams
                    pinned, duration = begun, month_index(plan, item.actual_finish) - begun + 1
                    demands = {}
                elif begun < now:
                    # work under way: what remains is scheduled from now, where it is already
                    # running; what was done is history (money spent, no claim on teams)
                    planned_end = max(begun + duration, now + 1)
                    remaining = planned_end - now
                    total = dict(element_costs)
                    element_costs = {k: v * remaining // (planned_end - begun) for k, v in total.items()}
                    activities.append(
                        engine.Activity(
                            id=element.code + DONE_SUFFIX,
                            name=element.title,
                            duration=now - begun,
                            costs={k: v - element_costs[k] for k, v in total.items()},
                            release=begun,
                            pinned_start=begun,
                        )
                    )
                    pinned, duration = now, remaining
                    history[element.code] = begun
                else:
                    pinned = begun
                release = min(release, pinned)
                if deadline is not None and deadline < pinned + duration:
                    deadline = None  # history cannot break a deadline any more
            else:
                release = max(release, now)
                if pinned is not None and pinned < now:
                    pinned = None
        activities.append(
            engine.Activity(
                id=element.code,
                name=element.title,
                duration=duration,
                demands=demands,
                costs=element_costs,
                release=release,
                deadline=deadline if deadline is None or deadline >= release + duration else None,
                pinned_start=pinned,
                weight=item.weight if item else 3,
            )
        )
        if element.kind == ElementKind.ACTIVITY and element.parent_id in by_pk:
            parents[element.parent_id].append(element.code)
        else:
            parents[element.pk].append(element.code)
    leaf_codes = {e.code for e in leaves}

    dependencies = list(Dependency.objects.filter(plan=plan).select_related("before", "after"))
    # links between activities of the same initiative: who opens it and who closes it
    inner = [
        (d.before.code, d.after.code)
        for d in dependencies
        if d.before.code in leaf_codes and d.after.code in leaf_codes
    ]
    has_inner_before = {after for _before, after in inner}
    has_inner_after = {before for before, _after in inner}

    def expand(element: PlanElement, ends: str) -> list[str]:
        """The activities that stand for ``element`` at one end of a link.

        An initiative starts with its first activity and finishes with its last. "Waits for
        it to finish" and "cannot start before" hold for every activity exactly; "after it
        starts" is tied to the activities that open it (no predecessor inside it), and
        "finishes after" to those that close it, so that a link to an initiative does not
        bind each of its activities to each of the other's.
        """
        if element.code in leaf_codes:
            return [element.code]
        codes = parents.get(element.pk, [])
        if ends == "opening":
            return [c for c in codes if c not in has_inner_before] or codes
        if ends == "closing":
            return [c for c in codes if c not in has_inner_after] or codes
        return codes

    started = {e.code for e in leaves if now is not None and (i := items.get(e.pk)) is not None and i.actual_start}
    links: list[engine.Link] = []
    for dependency in dependencies:
        kind = engine.LinkKind(dependency.kind)
        before_end = "opening" if kind is engine.LinkKind.START_TO_START else "all"
        after_end = "closing" if kind is engine.LinkKind.FINISH_TO_FINISH else "all"
        for before in expand(dependency.before, before_end):
            for after in expand(dependency.after, after_end):
                # work that has started no longer waits: what happened stands, even if it
                # did not follow the plan's order
                if before != after and after not in started:
                    links.append(engine.Link(before, after, kind, dependency.lag_months))
    resources = []
    for team in Team.objects.filter(plan=plan).prefetch_related("capacity_changes"):
        changes = tuple((month_index(plan, c.starts_on), c.capacity) for c in team.capacity_changes.all())
        resources.append(engine.Resource(team.code, team.capacity, team.name, changes))
    caps: dict[int, dict[int, int]] = defaultdict(dict)
    names: dict[int, str] = {}
    for cap in BudgetCap.objects.filter(plan=plan).select_related("funding_source"):
        if now is not None and cap.year < plan.start_year + now // 12:
            continue  # past years are spent; their caps can no longer be met or broken
        caps[cap.funding_source_id][cap.year - plan.start_year] = int(cap.amount)
        names[cap.funding_source_id] = cap.funding_source.name
    used_sources = {key for element_costs in costs.values() for key in element_costs}
    names |= dict(FundingSource.objects.filter(pk__in=[int(k) for k in used_sources]).values_list("pk", "name"))
    budgets = [
        engine.Budget(str(source), 12, caps.get(int(source), {}), names.get(int(source), ""))
        for source in sorted(used_sources)
    ]
    problem = engine.Problem(
        activities=tuple(activities),
        links=tuple(links),
        resources=tuple(resources),
        budgets=tuple(budgets),
        granularity=engine.Granularity.MONTH,
        start=dt.date(plan.start_year, 1, 1),
        name=plan.title,
    )
    return PlanProblem(problem, {e.code: e for e in leaves}, dict(parents), history)
