"""Reading the roadmap: the Gantt rows, usage per period, and scenario comparisons."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.utils.translation import gettext as _

from waypoint.core.errors import NotFound
from waypoint.engine import scheduling as engine
from waypoint.engine.periods import add_months, months_from
from waypoint.engine.quality import model as quality
from waypoint.engine.scheduling.jsonformat import load_problem
from waypoint.plans import permissions as plan_permissions
from waypoint.plans.models import DATED_KINDS, ImplementationStatus, Plan, PlanElement
from waypoint.plans.translations import text_for
from waypoint.roadmap.adapters import roadmap_start
from waypoint.roadmap.models import (
    BudgetCap,
    Dependency,
    Scenario,
    ScenarioItem,
    ScenarioStatus,
    ScheduleItem,
    Team,
    TeamDemand,
)


def scenario_for(user: Any, scenario_id: int) -> Scenario:
    """A scenario of a plan the user may read; any other is "not found", like plans."""
    scenario = Scenario.objects.select_related("plan__administration", "created_by").filter(pk=scenario_id).first()
    if scenario is None or not plan_permissions.can_view_plan(user, scenario.plan):
        raise NotFound(_("No such scenario."))
    return scenario


def scenarios(plan: Plan) -> QuerySet[Scenario]:
    return Scenario.objects.filter(plan=plan).select_related("created_by", "plan")


def shown_scenario(plan: Plan, requested: str | None) -> Scenario | None:
    """The scenario asked for, else the approved baseline, else the newest with a schedule."""
    done = Scenario.objects.filter(plan=plan).exclude(starts={})
    if requested and requested.isdigit():
        found = Scenario.objects.filter(plan=plan, pk=int(requested)).first()
        if found is not None:
            return found
    return done.filter(is_baseline=True).first() or done.order_by("-created_at").first()


def baseline(plan: Plan) -> Scenario | None:
    return Scenario.objects.filter(plan=plan, is_baseline=True).first()


def months_after(scenario: Scenario, baseline: Scenario | None) -> int | None:
    """How many months later than the approved baseline the scenario ends (negative: sooner);
    ``None`` when there is nothing to compare (no baseline, the baseline itself, unsolved)."""
    if baseline is None or baseline.pk == scenario.pk:
        return None
    if not scenario.makespan_months or not baseline.makespan_months:
        return None
    return scenario.makespan_months - baseline.makespan_months


def roadmap_under_check(plan: Plan, checked: quality.PlanUnderCheck) -> quality.PlanUnderCheck:
    """The plan's quality checks see the roadmap the plan shows (its approved baseline, else
    its latest schedule): rule Q403 warns when it runs past the plan's last year."""
    scenario = shown_scenario(plan, None)
    if scenario is None or scenario.finish_date is None:
        return checked
    finish = scenario.finish_date
    roadmap = quality.Roadmap(scenario.name, quality.Month(finish.year, finish.month))
    return replace(checked, roadmap=roadmap)


# --- the Gantt chart ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Texts:
    """An element's title and translations as read in plain values, for ``text_for``."""

    title: str
    translations: dict[str, Any]


def gantt_tasks(scenario: Scenario) -> list[dict[str, Any]]:
    """Rows for frappe-gantt: initiatives with their activities below them, in code order.

    Read as plain values: a big roadmap has a thousand items, each read with its element and
    unit as model objects otherwise."""
    items = list(
        ScenarioItem.objects.filter(scenario=scenario).values_list(
            "element_id",
            "element__code",
            "element__title",
            "element__translations",
            "element__kind",
            "element__status",
            "element__responsible_unit__code",
            "starts_on",
            "ends_on",
            "critical",
            "pinned",
        )
    )
    shown = {item[0] for item in items}
    dependencies: dict[int, list[str]] = defaultdict(list)
    for before_id, after_id in Dependency.objects.filter(plan=scenario.plan_id).values_list("before_id", "after_id"):
        if before_id in shown and after_id in shown:
            dependencies[after_id].append(f"e{before_id}")
    rows = []
    main_language = scenario.plan.language
    # the bar's popup says what its colours say, in words worked out once for all the bars
    words = {
        "critical": _("on the critical path"),
        "pinned": _("pinned"),
        "completed": str(ImplementationStatus.COMPLETED.label),
    }
    for element_id, code, title, translations, kind, status, unit, starts_on, ends_on, critical, pinned in sorted(
        items, key=lambda item: _code_key(item[1])
    ):
        # frappe-gantt takes one class token per bar
        css = "wp-" + kind + ("-critical" if critical else "") + ("-pinned" if pinned else "")
        rows.append(
            {
                "id": f"e{element_id}",
                # in the reader's language when the plan has it (plans/translations.py)
                "name": f"{code} {text_for(Texts(title, translations), 'title', main_language).text}",
                "start": starts_on.isoformat(),
                "end": ends_on.isoformat(),
                "progress": 100 if status == ImplementationStatus.COMPLETED else 0,
                "description": " · ".join(
                    word
                    for word, shown in (
                        (unit, bool(unit)),
                        (words["critical"], critical),
                        (words["pinned"], pinned),
                        (words["completed"], status == ImplementationStatus.COMPLETED),
                    )
                    if shown
                ),
                "dependencies": ",".join(dependencies.get(element_id, [])),
                "custom_class": css,
                "unit": unit,
                "critical": critical,
                "pinned": pinned,
            }
        )
    return rows


def _code_key(code: str) -> tuple[int, ...]:
    """Tree order: I1.2.3 comes before its activities A1.2.3.1, A1.2.3.2 and after I1.2.2."""
    return tuple(int(part) for part in code[1:].split(".") if part.isdigit())


# --- usage per period ---------------------------------------------------------------------------------


@dataclass
class Usage:
    """People per team and month, and money per source and year, of one scenario."""

    teams: list[dict[str, Any]] = field(default_factory=list)  # rows: team, month, used, capacity
    budgets: list[dict[str, Any]] = field(default_factory=list)  # rows: source, year, spent, cap
    over: list[str] = field(default_factory=list)  # what the schedule breaks (imported ones may)


def scenario_schedule(scenario: Scenario) -> engine.Schedule | None:
    if not scenario.starts or not scenario.problem:
        return None
    problem = load_problem(scenario.problem)
    starts = {key: int(value) for key, value in scenario.starts.items() if key in problem.by_id}
    if len(starts) != len(problem.activities):
        return None
    return engine.Schedule(problem, starts)


def usage(scenario: Scenario) -> Usage:
    schedule = scenario_schedule(scenario)
    result = Usage()
    if schedule is None:
        return result
    plan = scenario.plan
    problem = schedule.problem
    months = max(schedule.makespan, 1)
    for resource in problem.resources:
        used = schedule.usage(resource)
        for month in range(months):
            result.teams.append(
                {
                    "team": resource.name or resource.id,
                    "month": add_months(roadmap_start(plan), month).isoformat(),
                    "used": used[month] if month < len(used) else 0,
                    "capacity": resource.capacity_at(month),
                }
            )
    for budget in problem.budgets:
        spent = schedule.spend(budget)
        years = sorted(set(spent) | set(budget.caps))
        for period in years:
            result.budgets.append(
                {
                    "source": budget.name or budget.id,
                    "year": plan.start_year + period,
                    "spent": spent.get(period, 0),
                    "cap": budget.caps.get(period),
                }
            )
    result.over = schedule.violations()
    return result


# --- comparing two scenarios ----------------------------------------------------------------------------


@dataclass
class ComparedRow:
    element: PlanElement
    left: tuple[dt.date, dt.date] | None
    right: tuple[dt.date, dt.date] | None

    @property
    def shift_months(self) -> int | None:
        if self.left is None or self.right is None:
            return None
        return months_from(self.left[1], self.right[1])


@dataclass
class Comparison:
    left: Scenario
    right: Scenario
    rows: list[ComparedRow]  # initiatives and activities
    results: list[ComparedRow]  # goals and objectives: when their work is complete
    budget: list[dict[str, Any]]  # year, left, right

    @property
    def moved(self) -> int:
        return sum(1 for row in self.rows if row.shift_months)


def _spans(scenario: Scenario) -> dict[int, tuple[dt.date, dt.date]]:
    return {
        element_id: (start, end)
        for element_id, start, end in ScenarioItem.objects.filter(scenario=scenario).values_list(
            "element_id", "starts_on", "ends_on"
        )
    }


def _result_spans(plan: Plan, spans: dict[int, tuple[dt.date, dt.date]]) -> dict[int, tuple[dt.date, dt.date]]:
    """Goals and objectives span the work below them."""
    parents = dict(PlanElement.objects.filter(plan=plan).values_list("pk", "parent_id"))
    out: dict[int, tuple[dt.date, dt.date]] = {}
    for element_id, (start, end) in spans.items():
        node = parents.get(element_id)
        while node is not None:
            if node not in spans:
                first, last = out.get(node, (start, end))
                out[node] = (min(first, start), max(last, end))
            node = parents.get(node)
    return out


def _spend_by_year(scenario: Scenario) -> dict[int, int]:
    schedule = scenario_schedule(scenario)
    totals: dict[int, int] = defaultdict(int)
    if schedule is None:
        return totals
    for budget in schedule.problem.budgets:
        for period, amount in schedule.spend(budget).items():
            totals[scenario.plan.start_year + period] += amount
    return totals


def compare(left: Scenario, right: Scenario) -> Comparison:
    plan = left.plan
    a, b = _spans(left), _spans(right)
    elements = {e.pk: e for e in PlanElement.objects.filter(plan=plan).select_related("parent")}
    rows = [
        ComparedRow(elements[pk], a.get(pk), b.get(pk))
        for pk in sorted(set(a) | set(b), key=lambda pk: _code_key(elements[pk].code))
        if pk in elements and elements[pk].kind in DATED_KINDS
    ]
    ra, rb = _result_spans(plan, a), _result_spans(plan, b)
    results = [
        ComparedRow(elements[pk], ra.get(pk), rb.get(pk))
        for pk in sorted(set(ra) | set(rb), key=lambda pk: _code_key(elements[pk].code))
        if pk in elements
    ]
    sa, sb = _spend_by_year(left), _spend_by_year(right)
    budget = [
        {"year": y, "left": sa.get(y, 0), "right": sb.get(y, 0), "delta": sb.get(y, 0) - sa.get(y, 0)}
        for y in sorted(set(sa) | set(sb))
    ]
    return Comparison(left, right, rows, results, budget)


# --- the work items table -----------------------------------------------------------------------------


@dataclass
class WorkRow:
    element: PlanElement
    item: ScheduleItem | None
    demands: list[TeamDemand]
    waits_for: list[Dependency]


def work_rows(plan: Plan, *, query: str = "", unit_paths: list[str] | None = None) -> list[WorkRow]:
    """Every initiative and activity with its schedule data, in code order."""
    elements = (
        PlanElement.objects.filter(plan=plan, kind__in=DATED_KINDS)
        .select_related("responsible_unit", "parent")
        .prefetch_related(
            Prefetch("dependencies", queryset=Dependency.objects.select_related("before")),
        )
    )
    if query:
        elements = elements.filter(title__icontains=query) | elements.filter(code__istartswith=query)
    if unit_paths is not None:
        elements = elements.filter(responsible_unit__path__in=unit_paths)
    items = {
        i.element_id: i
        for i in ScheduleItem.objects.filter(element__plan=plan).prefetch_related(
            Prefetch("demands", queryset=TeamDemand.objects.select_related("team"))
        )
    }
    rows = [
        WorkRow(
            element=e,
            item=items.get(e.pk),
            demands=list(items[e.pk].demands.all()) if e.pk in items else [],
            waits_for=list(e.dependencies.all()),
        )
        for e in elements
    ]
    return sorted(rows, key=lambda r: _code_key(r.element.code))


@dataclass
class ItemLinks:
    """An item's dependencies as its schedule page shows them: what it waits for, what it
    waits for through its initiative, and what waits for it."""

    waits_for: QuerySet[Dependency]
    inherited: QuerySet[Dependency]
    dependants: QuerySet[Dependency]


def item_links(element: PlanElement) -> ItemLinks:
    parent = element.parent if element.parent_id else None
    return ItemLinks(
        waits_for=Dependency.objects.filter(after=element).select_related("before"),
        inherited=(
            Dependency.objects.filter(after_id=element.parent_id).select_related("before", "after")
            if parent is not None and parent.kind in DATED_KINDS
            else Dependency.objects.none()
        ),
        dependants=Dependency.objects.filter(before=element).select_related("after"),
    )


def teams(plan: Plan) -> QuerySet[Team]:
    return (
        Team.objects.filter(plan=plan)
        .select_related("unit")
        .prefetch_related("capacity_changes")
        .annotate(total_demand=Sum("demands__people"))
    )


def running(plan: Plan) -> bool:
    return Scenario.objects.filter(plan=plan, status__in=[ScenarioStatus.QUEUED, ScenarioStatus.RUNNING]).exists()


def caps_by_year_and_source(plan: Plan) -> dict[tuple[int, int], Decimal]:
    """The plan's yearly caps by (year, funding source id), for the apps beside the roadmap
    (``plans.extensions.budget_caps``)."""
    return {(cap.year, cap.funding_source_id): Decimal(cap.amount) for cap in BudgetCap.objects.filter(plan=plan)}
