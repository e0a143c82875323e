"""Every write to the roadmap. Each function is one transaction with its audit record and
checks the actor's rights (``actor=None`` is the system: the demo builder and the worker)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.core.audit import audit_record, diff, snapshot
from waypoint.core.errors import NotAllowed, Problem
from waypoint.core.versioning import save_if_unchanged
from waypoint.engine import scheduling as engine
from waypoint.engine.scheduling.jsonformat import load_problem, problem_document
from waypoint.engine.scheduling.mspdi import import_mspdi
from waypoint.org.models import OrgUnit, User
from waypoint.plans.models import DATED_KINDS, ElementKind, FundingSource, Plan, PlanElement
from waypoint.roadmap import permissions
from waypoint.roadmap.adapters import PlanProblem, month_end, month_index, month_start, plan_problem
from waypoint.roadmap.errors import RoadmapRuleBroken
from waypoint.roadmap.models import (
    BudgetCap,
    Dependency,
    Scenario,
    ScenarioItem,
    ScenarioStatus,
    ScheduleItem,
    Team,
    TeamCapacity,
    TeamDemand,
)

ITEM_FIELDS = ("duration_months", "release_on", "deadline_on", "pinned", "weight", "actual_start", "actual_finish")
TEAM_FIELDS = ("code", "name", "unit", "capacity")


def _require(actor: User | None, allowed: bool, message: str | None = None) -> None:
    if actor is not None and not allowed:
        raise NotAllowed(message or _("You do not have the right to change this roadmap."))


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise RoadmapRuleBroken(problems[0].message, problems=problems)


def _in_period(plan: Plan, day: dt.date | None) -> bool:
    return day is None or plan.start_year <= day.year <= plan.end_year


def _check_problem(plan: Plan, replan_from: dt.date | None = None) -> PlanProblem:
    """The plan's roadmap must stay schedulable: no cycles, no demand above a team's size."""
    try:
        return plan_problem(plan, replan_from=replan_from)
    except engine.ProblemError as error:
        raise RoadmapRuleBroken(error.messages[0], problems=[Problem("roadmap", m) for m in error.messages]) from error


# --- teams --------------------------------------------------------------------------------------------


@transaction.atomic
def team_save(
    *,
    actor: User | None,
    plan: Plan,
    code: str,
    name: str,
    capacity: int,
    unit: OrgUnit | None = None,
    changes: list[tuple[dt.date, int]] | None = None,
    team: Team | None = None,
    expected_version: int | None = None,
) -> Team:
    """Create or update a team; ``changes`` replaces its capacity changes (month, people)."""
    _require(actor, permissions.can_plan_roadmap(actor, plan))
    problems: list[Problem] = []
    code = code.strip()
    if not code:
        problems.append(Problem("code", _("Give the team a short code.")))
    elif Team.objects.filter(plan=plan, code=code).exclude(pk=team.pk if team else 0).exists():
        problems.append(Problem("code", _("Another team of this plan already has the code %(code)s.") % {"code": code}))
    if not name.strip():
        problems.append(Problem("name", _("Give the team a name.")))
    if capacity < 0:
        problems.append(Problem("capacity", _("A team cannot have fewer than 0 people.")))
    months = [month_start(plan, month_index(plan, day)) for day, _people in changes or []]
    problems += capacity_change_problems(plan, months)
    _raise(problems)
    values = {"code": code, "name": name.strip(), "unit": unit, "capacity": capacity}
    if team is None:
        team = Team.objects.create(plan=plan, **values)
        before: dict[str, Any] = {}
        action = "create"
    else:
        before = snapshot(team, TEAM_FIELDS)
        for key, value in values.items():
            setattr(team, key, value)
        team = save_if_unchanged(team, expected_version=expected_version, fields=TEAM_FIELDS)
        action = "update"
    if changes is not None:
        before["changes"] = [f"{c.starts_on:%Y-%m}: {c.capacity}" for c in team.capacity_changes.all()]
        team.capacity_changes.all().delete()
        for day, (_day, people) in zip(months, changes, strict=True):
            TeamCapacity.objects.create(team=team, starts_on=day, capacity=people)
    after = snapshot(team, TEAM_FIELDS) | {
        "changes": [f"{c.starts_on:%Y-%m}: {c.capacity}" for c in team.capacity_changes.all()]
    }
    _check_problem(plan)
    audit_record(actor=actor, action=action, instance=team, changes=diff(before, after), plan_id=plan.pk)
    return team


@transaction.atomic
def team_delete(*, actor: User | None, team: Team) -> None:
    _require(actor, permissions.can_plan_roadmap(actor, team.plan))
    demands = team.demands.count()
    audit_record(
        actor=actor, action="delete", instance=team, changes={"demands removed": [demands, 0]}, plan_id=team.plan_id
    )
    team.delete()


# --- schedule data of elements ----------------------------------------------------------------------


def _item_problems(
    plan: Plan, element: PlanElement, values: Mapping[str, Any], demands: Mapping[Team, int]
) -> list[Problem]:
    problems = schedule_problems(plan, element.kind, values)
    for team, people in demands.items():
        where = f"team_{team.code}"
        most = max([team.capacity, *(c.capacity for c in team.capacity_changes.all())])
        if team.plan_id != plan.pk:
            problems.append(Problem(where, _("%(team)s is not a team of this plan.") % {"team": team}))
        elif people < 0:
            problems.append(Problem(where, _("The number of people cannot be negative.")))
        elif people > most:
            problems.append(demand_too_large(where, team.name, people, most))
    return problems


def demand_too_large(where: str, team: str, people: int, most: int) -> Problem:
    return Problem(
        where, _("%(team)s never has %(n)d people (at most %(max)d).") % {"team": team, "n": people, "max": most}
    )


def capacity_change_problems(plan: Plan, months: list[dt.date], where: str = "changes") -> list[Problem]:
    """A team's capacity changes: in the plan period, at most one per month (first days)."""
    problems = [
        Problem(where, _("%(month)s is outside the plan period.") % {"month": f"{day:%Y-%m}"})
        for day in months
        if not _in_period(plan, day)
    ]
    if len(set(months)) != len(months):
        problems.append(Problem(where, _("Give each month at most one capacity change.")))
    return problems


def schedule_problems(plan: Plan, kind: str, values: Mapping[str, Any]) -> list[Problem]:
    """What is wrong with an element's schedule data (``ScheduleItem`` field names), whoever
    enters it: the form, the API or a plan file."""
    problems: list[Problem] = []
    if kind not in DATED_KINDS:
        problems.append(Problem("element", _("Only initiatives and activities are scheduled.")))
    duration = values.get("duration_months")
    if not isinstance(duration, int) or not 1 <= duration <= 120:
        problems.append(Problem("duration_months", _("The duration must be between 1 and 120 months.")))
    for field in ("release_on", "deadline_on", "actual_start", "actual_finish"):
        if not _in_period(plan, values.get(field)):
            problems.append(
                Problem(
                    field,
                    _("The date must fall within the plan period %(p)s.") % {"p": f"{plan.start_year}–{plan.end_year}"},
                )
            )
    release, deadline = values.get("release_on"), values.get("deadline_on")
    if release and deadline and deadline < release:
        problems.append(Problem("deadline_on", _("The deadline comes before the date it may start.")))
    elif release and deadline and isinstance(duration, int):
        months = month_index(plan, deadline) - month_index(plan, release) + 1
        if months < duration:
            problems.append(
                Problem(
                    "deadline_on",
                    _("Between %(r)s and %(d)s there are only %(n)d months for %(m)d months of work.")
                    % {"r": f"{release:%Y-%m}", "d": f"{deadline:%Y-%m}", "n": months, "m": duration},
                )
            )
    start, finish = values.get("actual_start"), values.get("actual_finish")
    if finish and not start:
        problems.append(Problem("actual_start", _("Record the actual start before the actual finish.")))
    if start and finish and finish < start:
        problems.append(Problem("actual_finish", _("The actual finish cannot come before the actual start.")))
    today = timezone.localdate()
    for field in ("actual_start", "actual_finish"):
        day = values.get(field)
        if day and day > today:
            problems.append(Problem(field, _("An actual date cannot be in the future.")))
    weight = values.get("weight")
    if not isinstance(weight, int) or not 1 <= weight <= 5:
        problems.append(Problem("weight", _("The priority goes from 1 (low) to 5 (high).")))
    return problems


@transaction.atomic
def item_save(
    *,
    actor: User | None,
    element: PlanElement,
    values: Mapping[str, Any],
    demands: Mapping[Team, int] | None = None,
    expected_version: int | None = None,
) -> ScheduleItem:
    """Set what the scheduler needs to know about an initiative or activity.

    ``demands`` (team → people, 0 removes) replaces the element's team demands when given.
    """
    _require(actor, permissions.can_edit_schedule_of(actor, element))
    plan = element.plan
    item = ScheduleItem.objects.filter(element=element).first()
    merged = {field: getattr(item, field) for field in ITEM_FIELDS} if item else {"pinned": False, "weight": 3}
    merged.update({key: value for key, value in values.items() if key in ITEM_FIELDS})
    _raise(_item_problems(plan, element, merged, demands or {}))
    before: dict[str, Any] = snapshot(item, ITEM_FIELDS) if item else {}
    if item is None:
        item = ScheduleItem.objects.create(element=element, **merged)
        action = "create"
    else:
        for key, value in merged.items():
            setattr(item, key, value)
        item = save_if_unchanged(item, expected_version=expected_version, fields=ITEM_FIELDS)
        action = "update"
    after: dict[str, Any] = snapshot(item, ITEM_FIELDS)
    if demands is not None:
        before["teams"] = {d.team.code: d.people for d in item.demands.select_related("team")}
        item.demands.all().delete()
        for team, people in demands.items():
            if people:
                TeamDemand.objects.create(item=item, team=team, people=people)
        after["teams"] = {team.code: people for team, people in demands.items() if people}
    _check_problem(plan)
    audit_record(
        actor=actor,
        action=action,
        entity="roadmap.ScheduleItem",
        entity_id=item.pk,
        label=f"Schedule of {element.code}",
        changes=diff(before, after),
        plan_id=plan.pk,
    )
    return item


# --- dependencies -------------------------------------------------------------------------------------


def _lineage(element: PlanElement) -> set[int]:
    ids: set[int] = set()
    node: PlanElement | None = element
    while node is not None:
        ids.add(node.pk)
        node = node.parent
    return ids


@transaction.atomic
def dependency_add(
    *,
    actor: User | None,
    before: PlanElement,
    after: PlanElement,
    kind: str = "FS",
    lag_months: int = 0,
) -> Dependency:
    """``after`` waits for ``before``. Refused when it would close a cycle."""
    plan = after.plan
    _require(actor, permissions.can_edit_schedule_of(actor, after))
    problems: list[Problem] = []
    if before.plan_id != plan.pk:
        problems.append(Problem("before", _("%(code)s belongs to another plan.") % {"code": before.code}))
    if before.kind not in DATED_KINDS or after.kind not in DATED_KINDS:
        problems.append(Problem("before", _("Only initiatives and activities can depend on each other.")))
    if before.pk == after.pk:
        problems.append(Problem("before", _("An element cannot wait for itself.")))
    elif before.pk in _lineage(after) or after.pk in _lineage(before):
        problems.append(
            Problem("before", _("%(a)s and %(b)s are part of each other.") % {"a": before.code, "b": after.code})
        )
    if Dependency.objects.filter(before=before, after=after).exists():
        problems.append(Problem("before", _("%(b)s already waits for %(a)s.") % {"a": before.code, "b": after.code}))
    if kind not in {"FS", "SS", "FF"}:
        problems.append(Problem("kind", _("Choose finish → start, start → start or finish → finish.")))
    if not -60 <= lag_months <= 60:
        problems.append(Problem("lag_months", _("The lag must be between -60 and 60 months.")))
    _raise(problems)
    dependency = Dependency.objects.create(plan=plan, before=before, after=after, kind=kind, lag_months=lag_months)
    try:
        plan_problem(plan)
    except engine.ProblemError as error:
        raise RoadmapRuleBroken(
            _("%(b)s cannot wait for %(a)s: %(why)s") % {"a": before.code, "b": after.code, "why": error.messages[0]},
            problems=[Problem("before", m) for m in error.messages],
        ) from error
    audit_record(actor=actor, action="create", instance=dependency, plan_id=plan.pk)
    return dependency


@transaction.atomic
def dependency_delete(*, actor: User | None, dependency: Dependency) -> None:
    _require(actor, permissions.can_edit_schedule_of(actor, dependency.after))
    audit_record(actor=actor, action="delete", instance=dependency, plan_id=dependency.plan_id)
    dependency.delete()


# --- budget caps --------------------------------------------------------------------------------------


@transaction.atomic
def budget_caps_save(
    *, actor: User | None, plan: Plan, caps: Mapping[tuple[FundingSource, int], Decimal | None]
) -> int:
    """Set the yearly caps; ``None`` removes a cap. Returns how many changed."""
    _require(actor, permissions.can_plan_roadmap(actor, plan))
    problems = []
    for (source, year), amount in caps.items():
        where = f"cap_{source.pk}_{year}"
        if source.administration_id != plan.administration_id:
            problems.append(Problem(where, _("%(s)s is not a funding source of this administration.") % {"s": source}))
        if not plan.start_year <= year <= plan.end_year:
            problems.append(Problem(where, _("%(y)d is outside the plan period.") % {"y": year}))
        if amount is not None and amount < 0:
            problems.append(Problem(where, _("A cap cannot be negative.")))
    _raise(problems)
    existing = {(c.funding_source_id, c.year): c for c in BudgetCap.objects.filter(plan=plan)}
    changes: dict[str, list[Any]] = {}
    for (source, year), amount in caps.items():
        cap = existing.get((source.pk, year))
        old = cap.amount if cap else None
        if old == amount:
            continue
        changes[f"{source.name} {year}"] = [None if old is None else int(old), None if amount is None else int(amount)]
        if amount is None and cap is not None:
            cap.delete()
        elif cap is not None:
            cap.amount = amount  # type: ignore[assignment]
            cap.save(update_fields=["amount"])
        elif amount is not None:
            BudgetCap.objects.create(plan=plan, funding_source=source, year=year, amount=amount)
    if changes:
        audit_record(
            actor=actor,
            action="update",
            entity="roadmap.BudgetCap",
            entity_id=plan.pk,
            label=f"Budget caps of {plan}",
            changes=changes,
            plan_id=plan.pk,
        )
    return len(changes)


# --- scenarios ----------------------------------------------------------------------------------------


@transaction.atomic
def _scenario_insert(
    *,
    actor: User | None,
    plan: Plan,
    name: str,
    objective: str,
    time_limit_s: int,
    workers: int,
    replan_from: dt.date | None,
) -> Scenario:
    _require(actor, permissions.can_plan_roadmap(actor, plan))
    problems: list[Problem] = []
    if not name.strip():
        problems.append(Problem("name", _("Give the scenario a name.")))
    if objective not in {"makespan", "weighted"}:
        problems.append(Problem("objective", _("Unknown objective.")))
    if not 1 <= time_limit_s <= 600:
        problems.append(Problem("time_limit_s", _("The time limit must be between 1 and 600 seconds.")))
    if replan_from and not _in_period(plan, replan_from):
        problems.append(Problem("replan_from", _("Re-plan from a month within the plan period.")))
    _raise(problems)
    built = _check_problem(plan, replan_from)
    if not built.problem.activities:
        raise RoadmapRuleBroken.at("roadmap", _("The plan has no initiatives or activities to schedule yet."))
    scenario = Scenario.objects.create(
        plan=plan,
        name=name.strip(),
        objective=objective,
        time_limit_s=time_limit_s,
        workers=workers,
        replan_from=month_start(plan, month_index(plan, replan_from)) if replan_from else None,
        created_by=actor,
        problem=problem_document(built.problem),
        history=built.history,
    )
    audit_record(actor=actor, action="create", instance=scenario, plan_id=plan.pk)
    return scenario


def scenario_create(
    *,
    actor: User | None,
    plan: Plan,
    name: str,
    objective: str = "makespan",
    time_limit_s: int = 20,
    workers: int = 2,
    replan_from: dt.date | None = None,
    run_now: bool = False,
) -> Scenario:
    """Store a scenario and queue its solving in the background worker, or solve it in this
    process with ``run_now`` (the demo builder, scripts)."""
    scenario = _scenario_insert(
        actor=actor,
        plan=plan,
        name=name,
        objective=objective,
        time_limit_s=time_limit_s,
        workers=workers,
        replan_from=replan_from,
    )
    if run_now:
        return run_scenario(scenario.pk)
    from waypoint.roadmap.tasks import solve_scenario

    # enqueued after the scenario is committed, so the worker always finds it
    result = solve_scenario.enqueue(scenario.pk)
    Scenario.objects.filter(pk=scenario.pk, task_id="").update(task_id=str(result.id))
    scenario.refresh_from_db()
    return scenario


def scenario_cancel(*, actor: User | None, scenario: Scenario) -> Scenario:
    _require(actor, permissions.can_plan_roadmap(actor, scenario.plan))
    if scenario.is_finished:
        raise RoadmapRuleBroken.at("scenario", _("The scenario has already finished."))
    with transaction.atomic():
        Scenario.objects.filter(pk=scenario.pk).update(cancel_requested=True)
        # a queued scenario is cancelled at once; a running one stops at the next check
        Scenario.objects.filter(pk=scenario.pk, status=ScenarioStatus.QUEUED).update(
            status=ScenarioStatus.CANCELLED, finished_at=timezone.now()
        )
        audit_record(actor=actor, action="cancel", instance=scenario, plan_id=scenario.plan_id)
    scenario.refresh_from_db()
    return scenario


@transaction.atomic
def scenario_delete(*, actor: User | None, scenario: Scenario) -> None:
    _require(actor, permissions.can_plan_roadmap(actor, scenario.plan))
    if scenario.is_baseline:
        raise RoadmapRuleBroken.at("scenario", _("This is the approved baseline; approve another scenario first."))
    if not scenario.is_finished:
        raise RoadmapRuleBroken.at("scenario", _("Cancel the scenario before deleting it."))
    audit_record(actor=actor, action="delete", instance=scenario, plan_id=scenario.plan_id)
    scenario.delete()


@transaction.atomic
def scenario_rename(*, actor: User | None, scenario: Scenario, name: str) -> Scenario:
    _require(actor, permissions.can_plan_roadmap(actor, scenario.plan))
    if not name.strip():
        raise RoadmapRuleBroken.at("name", _("Give the scenario a name."))
    before = scenario.name
    scenario.name = name.strip()
    scenario.save(update_fields=["name"])
    audit_record(
        actor=actor,
        action="update",
        instance=scenario,
        changes={"name": [before, scenario.name]},
        plan_id=scenario.plan_id,
    )
    return scenario


@transaction.atomic
def scenario_approve(*, actor: User | None, scenario: Scenario) -> Scenario:
    """Make ``scenario`` the plan's approved baseline roadmap (re-plans are compared with it)."""
    _require(
        actor,
        permissions.can_approve_baseline(actor, scenario.plan),
        _("Only management (approvers) can approve the baseline roadmap."),
    )
    if scenario.status != ScenarioStatus.DONE or not scenario.starts:
        raise RoadmapRuleBroken.at("scenario", _("Only a scenario with a schedule can become the baseline."))
    previous = Scenario.objects.filter(plan=scenario.plan, is_baseline=True).exclude(pk=scenario.pk).first()
    Scenario.objects.filter(plan=scenario.plan, is_baseline=True).update(is_baseline=False)
    scenario.is_baseline = True
    scenario.save(update_fields=["is_baseline"])
    audit_record(
        actor=actor,
        action="approve",
        instance=scenario,
        changes={"baseline": [previous.name if previous else None, scenario.name]},
        plan_id=scenario.plan_id,
    )
    return scenario


# --- solving ------------------------------------------------------------------------------------------


@dataclass
class _Latest:
    """What the solver thread last reported, read by the thread that owns the database."""

    progress: engine.Progress | None = None


def run_scenario(scenario_id: int, *, poll_s: float = 0.5) -> Scenario:
    """Solve a stored scenario (the background task's body).

    The solver runs in its own thread; this thread alone talks to the database, writing
    progress and checking for a cancellation every ``poll_s`` seconds.
    """
    scenario = Scenario.objects.select_related("plan").get(pk=scenario_id)
    if scenario.is_finished:
        return scenario
    if scenario.cancel_requested:
        Scenario.objects.filter(pk=scenario.pk).update(status=ScenarioStatus.CANCELLED, finished_at=timezone.now())
        scenario.refresh_from_db()
        return scenario
    Scenario.objects.filter(pk=scenario.pk).update(status=ScenarioStatus.RUNNING, started_at=timezone.now())
    problem = load_problem(scenario.problem)
    latest = _Latest()
    stop = threading.Event()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["result"] = engine.solve(
                problem,
                objective=scenario.objective,
                time_limit_s=scenario.time_limit_s,
                workers=scenario.workers,
                on_progress=lambda p: setattr(latest, "progress", p),
                should_stop=stop.is_set,
            )
        except Exception as error:
            outcome["error"] = error

    began = time.perf_counter()
    thread = threading.Thread(target=work, name=f"scenario-{scenario.pk}", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(poll_s)
        report: dict[str, Any] = {"elapsed": round(time.perf_counter() - began, 1), "limit": scenario.time_limit_s}
        if latest.progress is not None:
            report |= {"best": latest.progress.objective_value, "bound": latest.progress.lower_bound}
        Scenario.objects.filter(pk=scenario.pk).update(progress=report)
        if Scenario.objects.filter(pk=scenario.pk, cancel_requested=True).exists():
            stop.set()
    scenario.refresh_from_db()
    if "error" in outcome:
        Scenario.objects.filter(pk=scenario.pk).update(
            status=ScenarioStatus.FAILED, error=str(outcome["error"]), finished_at=timezone.now()
        )
    else:
        _store_result(scenario, problem, outcome["result"], cancelled=stop.is_set())
    scenario.refresh_from_db()
    return scenario


@transaction.atomic
def _store_result(scenario: Scenario, problem: engine.Problem, result: engine.SolveResult, *, cancelled: bool) -> None:
    schedule = result.schedule
    scenario.result_status = result.status.value
    scenario.objective_value = result.objective_value
    scenario.lower_bound = result.lower_bound
    scenario.conflicts = list(result.conflicts)
    scenario.finished_at = timezone.now()
    scenario.status = ScenarioStatus.CANCELLED if cancelled else ScenarioStatus.DONE
    if schedule is not None:
        scenario.makespan_months = schedule.makespan
        scenario.starts = dict(schedule.starts)
        _write_items(scenario, schedule, {k: int(v) for k, v in scenario.history.items()})
    elif result.status is engine.SolveStatus.INFEASIBLE:
        scenario.error = _("No schedule meets every deadline, pin and budget cap; see the conflicts.")
    else:
        scenario.error = _("The time limit ran out before any schedule was found; allow more time.")
    scenario.save()
    audit_record(
        actor=None,
        action="solve",
        instance=scenario,
        changes={"status": [None, scenario.result_status], "months": [None, scenario.makespan_months]},
        plan_id=scenario.plan_id,
    )


def _write_items(scenario: Scenario, schedule: engine.Schedule, history: Mapping[str, int] | None = None) -> None:
    """Dates of every scheduled element, initiatives spanning their activities; work under
    way when re-planning shows from its real start."""
    plan = scenario.plan
    slack = engine.schedule_slack(schedule)
    elements = {
        e.code: e
        for e in PlanElement.objects.filter(plan=plan, code__in=list(schedule.starts)).select_related("parent")
    }
    pinned = {a.id for a in schedule.problem.activities if a.pinned_start is not None}
    ScenarioItem.objects.filter(scenario=scenario).delete()
    spans: dict[int, list[Any]] = {}
    rows = []
    for code, start in schedule.starts.items():
        element = elements.get(code)
        if element is None:
            continue  # removed from the plan since the scenario was set up
        finish = schedule.finish(code)
        start = min(start, (history or {}).get(code, start))
        rows.append(
            ScenarioItem(
                scenario=scenario,
                element=element,
                starts_on=month_start(plan, start),
                ends_on=month_end(plan, max(finish, start + 1)),
                critical=slack.get(code, 0) == 0 and schedule.problem.by_id[code].duration > 0,
                pinned=code in pinned,
            )
        )
        if element.kind == ElementKind.ACTIVITY and element.parent is not None:
            span = spans.setdefault(element.parent.pk, [element.parent, start, finish, False])
            span[1], span[2] = min(span[1], start), max(span[2], finish)
            span[3] = span[3] or rows[-1].critical
    for parent, start, finish, critical in spans.values():
        rows.append(
            ScenarioItem(
                scenario=scenario,
                element=parent,
                starts_on=month_start(plan, start),
                ends_on=month_end(plan, max(finish, start + 1)),
                critical=critical,
            )
        )
    ScenarioItem.objects.bulk_create(rows)


# --- MS Project ---------------------------------------------------------------------------------------


@transaction.atomic
def scenario_import_mspdi(*, actor: User | None, plan: Plan, data: bytes, name: str) -> Scenario:
    """Read a roadmap edited in MS Project or ProjectLibre back into the plan.

    Tasks are matched to the plan's elements by their WBS code (as exported). Durations that
    changed are saved on the elements and links not yet known are added; the dates become a
    new scenario. Nothing is changed when any task cannot be matched.
    """
    _require(actor, permissions.can_plan_roadmap(actor, plan))
    try:
        imported, starts = import_mspdi(data)
    except engine.ProblemError as error:
        raise RoadmapRuleBroken(error.messages[0], problems=[Problem("file", m) for m in error.messages]) from error
    elements = {e.code: e for e in PlanElement.objects.filter(plan=plan, kind__in=DATED_KINDS)}
    # a re-planned scenario carries the done part of work under way as "<code>~done": that
    # is history, and the remaining part's length is not the work's planned duration
    history = {a.id.removesuffix(engine.DONE_SUFFIX) for a in imported.activities if a.id.endswith(engine.DONE_SUFFIX)}
    unknown = [a.id for a in imported.activities if a.id not in elements and not a.id.endswith(engine.DONE_SUFFIX)]
    if unknown:
        raise RoadmapRuleBroken.at(
            "file",
            _("These tasks are not initiatives or activities of this plan: %(codes)s. Keep the WBS codes as exported.")
            % {"codes": ", ".join(unknown[:20])},
        )
    durations_changed = 0
    for activity in imported.activities:
        if activity.id.endswith(engine.DONE_SUFFIX) or activity.id in history:
            continue
        element = elements[activity.id]
        item = ScheduleItem.objects.filter(element=element).first()
        if activity.duration >= 1 and (item is None or item.duration_months != activity.duration):
            item_save(actor=None, element=element, values={"duration_months": activity.duration})
            durations_changed += 1
    added = 0
    for link in imported.links:
        before, after = elements[link.before], elements[link.after]
        if not Dependency.objects.filter(before=before, after=after).exists():
            dependency_add(actor=None, before=before, after=after, kind=link.kind.value, lag_months=link.lag)
            added += 1
    built = _check_problem(plan)
    problem = built.problem
    offset = month_index(plan, imported.start) if imported.start else 0
    placed = {code: offset + start for code, start in starts.items() if code in problem.by_id}
    for activity in problem.activities:
        placed.setdefault(activity.id, activity.release)
    schedule = engine.Schedule(problem, placed)
    scenario = Scenario.objects.create(
        plan=plan,
        name=name.strip() or _("Imported from MS Project"),
        status=ScenarioStatus.DONE,
        time_limit_s=1,
        created_by=actor,
        started_at=timezone.now(),
        finished_at=timezone.now(),
        result_status="imported",
        problem=problem_document(problem),
        starts=placed,
        makespan_months=schedule.makespan,
        conflicts=schedule.violations()[:50],
    )
    _write_items(scenario, schedule)
    audit_record(
        actor=actor,
        action="import",
        instance=scenario,
        changes={"durations changed": [0, durations_changed], "links added": [0, added]},
        plan_id=plan.pk,
    )
    return scenario
