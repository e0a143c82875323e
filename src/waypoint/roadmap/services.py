"""Every write to the roadmap's data: teams, schedule data of elements, dependencies, budget
caps and scenarios. Each function is one transaction with its audit record and checks the
actor's rights (``actor=None`` is the system: the demo builder and the worker).

Solving a scenario is the worker's (``worker.py``), reading MS Project back is
``msproject.py``'s, and the validation rules the plan file shares are in ``rules.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.core import work
from waypoint.core.audit import Action, audit_record, audited_delete, diff, snapshot
from waypoint.core.errors import Problem
from waypoint.core.rules import decimal_problems, integer_problems
from waypoint.core.versioning import save_if_unchanged
from waypoint.engine import scheduling as engine
from waypoint.engine.periods import month_start
from waypoint.engine.scheduling.jsonformat import problem_document
from waypoint.org.models import OrgUnit, User
from waypoint.plans.models import DATED_KINDS, FundingSource, Plan, PlanElement
from waypoint.roadmap import permissions, rules, worker
from waypoint.roadmap.adapters import PlanProblem, plan_problem
from waypoint.roadmap.errors import RoadmapRuleBroken
from waypoint.roadmap.models import (
    BudgetCap,
    Dependency,
    Scenario,
    ScenarioStatus,
    ScheduleItem,
    Team,
    TeamCapacity,
    TeamDemand,
)

ITEM_FIELDS = ("duration_months", "release_on", "deadline_on", "pinned", "weight", "actual_start", "actual_finish")
TEAM_FIELDS = ("code", "name", "unit", "capacity")


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise RoadmapRuleBroken(problems[0].message, problems=problems)


def checked_problem(plan: Plan, replan_from: dt.date | None = None) -> PlanProblem:
    """The plan's roadmap as a problem; it must stay schedulable (no cycles, no demand above
    a team's size).

    Raises:
        RoadmapRuleBroken: the roadmap cannot be scheduled as it stands.
    """
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
    permissions.require(actor, permissions.can_plan_roadmap(actor, plan))
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
    else:
        problems += integer_problems("capacity", capacity, Team._meta.get_field("capacity"))
    for index, (_month, people) in enumerate(changes or []):
        problems += integer_problems(f"changes[{index}]", people, TeamCapacity._meta.get_field("capacity"))
    months = [month_start(day) for day, _people in changes or []]
    problems += rules.capacity_change_problems(plan, months)
    _raise(problems)
    values = {"code": code, "name": name.strip(), "unit": unit, "capacity": capacity}
    if team is None:
        team = Team.objects.create(plan=plan, **values)
        before: dict[str, Any] = {}
        action = Action.CREATE
    else:
        before = snapshot(team, TEAM_FIELDS)
        for key, value in values.items():
            setattr(team, key, value)
        team = save_if_unchanged(team, expected_version=expected_version, fields=TEAM_FIELDS)
        action = Action.UPDATE
    if changes is not None:
        before["changes"] = [f"{c.starts_on:%Y-%m}: {c.capacity}" for c in team.capacity_changes.all()]
        team.capacity_changes.all().delete()
        for day, (_day, people) in zip(months, changes, strict=True):
            TeamCapacity.objects.create(team=team, starts_on=day, capacity=people)
    after = snapshot(team, TEAM_FIELDS) | {
        "changes": [f"{c.starts_on:%Y-%m}: {c.capacity}" for c in team.capacity_changes.all()]
    }
    checked_problem(plan)
    audit_record(actor=actor, action=action, instance=team, changes=diff(before, after), plan_id=plan.pk)
    return team


@transaction.atomic
def team_delete(*, actor: User | None, team: Team) -> None:
    permissions.require(actor, permissions.can_plan_roadmap(actor, team.plan))
    demands = team.demands.count()
    audited_delete(actor=actor, instance=team, plan_id=team.plan_id, changes={"demands removed": [demands, 0]})


# --- schedule data of elements ----------------------------------------------------------------------


def _item_problems(
    plan: Plan, element: PlanElement, values: Mapping[str, Any], demands: Mapping[Team, int]
) -> list[Problem]:
    problems = rules.schedule_problems(plan, element.kind, values)
    for team, people in demands.items():
        where = f"team_{team.code}"
        most = max([team.capacity, *(c.capacity for c in team.capacity_changes.all())])
        if team.plan_id != plan.pk:
            problems.append(Problem(where, _("%(team)s is not a team of this plan.") % {"team": team}))
        elif people < 0:
            problems.append(Problem(where, _("The number of people cannot be negative.")))
        elif people > most:
            problems.append(rules.demand_too_large(where, team.name, people, most))
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
    permissions.require(actor, permissions.can_edit_schedule_of(actor, element))
    plan = element.plan
    item = ScheduleItem.objects.filter(element=element).first()
    merged = {field: getattr(item, field) for field in ITEM_FIELDS} if item else {"pinned": False, "weight": 3}
    merged.update({key: value for key, value in values.items() if key in ITEM_FIELDS})
    _raise(_item_problems(plan, element, merged, demands or {}))
    before: dict[str, Any] = snapshot(item, ITEM_FIELDS) if item else {}
    if item is None:
        item = ScheduleItem.objects.create(element=element, **merged)
        action = Action.CREATE
    else:
        for key, value in merged.items():
            setattr(item, key, value)
        item = save_if_unchanged(item, expected_version=expected_version, fields=ITEM_FIELDS)
        action = Action.UPDATE
    after: dict[str, Any] = snapshot(item, ITEM_FIELDS)
    if demands is not None:
        before["teams"] = {d.team.code: d.people for d in item.demands.select_related("team")}
        item.demands.all().delete()
        for team, people in demands.items():
            if people:
                TeamDemand.objects.create(item=item, team=team, people=people)
        after["teams"] = {team.code: people for team, people in demands.items() if people}
    checked_problem(plan)
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
    permissions.require(actor, permissions.can_edit_schedule_of(actor, after))
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
    audit_record(actor=actor, action=Action.CREATE, instance=dependency, plan_id=plan.pk)
    return dependency


@transaction.atomic
def dependency_delete(*, actor: User | None, dependency: Dependency) -> None:
    permissions.require(actor, permissions.can_edit_schedule_of(actor, dependency.after))
    audited_delete(actor=actor, instance=dependency, plan_id=dependency.plan_id)


# --- budget caps --------------------------------------------------------------------------------------


@transaction.atomic
def budget_caps_save(
    *, actor: User | None, plan: Plan, caps: Mapping[tuple[FundingSource, int], Decimal | None]
) -> int:
    """Set the yearly caps; ``None`` removes a cap. Returns how many changed."""
    permissions.require(actor, permissions.can_plan_roadmap(actor, plan))
    problems = []
    for (source, year), amount in caps.items():
        where = f"cap_{source.pk}_{year}"
        if source.administration_id != plan.administration_id:
            problems.append(Problem(where, _("%(s)s is not a funding source of this administration.") % {"s": source}))
        if not plan.start_year <= year <= plan.end_year:
            problems.append(Problem(where, _("%(y)d is outside the plan period.") % {"y": year}))
        if amount is not None and amount < 0:
            problems.append(Problem(where, _("A cap cannot be negative.")))
        else:
            problems += decimal_problems(where, amount, BudgetCap._meta.get_field("amount"))
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
            action=Action.UPDATE,
            entity="roadmap.BudgetCap",
            entity_id=plan.pk,
            label=f"Budget caps of {plan}",
            changes=changes,
            plan_id=plan.pk,
        )
    return len(changes)


# --- scenarios ----------------------------------------------------------------------------------------


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
    """Check the input and build the problem from the plan, then store the scenario. The
    problem is built before the write transaction opens: reading a large roadmap must not
    hold the database's write lock (on SQLite, everybody else's saves wait for it)."""
    permissions.require(actor, permissions.can_plan_roadmap(actor, plan))
    problems: list[Problem] = []
    if not name.strip():
        problems.append(Problem("name", _("Give the scenario a name.")))
    if objective not in {"makespan", "weighted"}:
        problems.append(Problem("objective", _("Unknown objective.")))
    if not 1 <= time_limit_s <= 600:
        problems.append(Problem("time_limit_s", _("The time limit must be between 1 and 600 seconds.")))
    if replan_from and not rules.in_period(plan, replan_from):
        problems.append(Problem("replan_from", _("Re-plan from a month within the plan period.")))
    _raise(problems)
    built = checked_problem(plan, replan_from)
    if not built.problem.activities:
        raise RoadmapRuleBroken.at("roadmap", _("The plan has no initiatives or activities to schedule yet."))
    document = problem_document(built.problem)
    with transaction.atomic():
        scenario = Scenario.objects.create(
            plan=plan,
            name=name.strip(),
            objective=objective,
            time_limit_s=time_limit_s,
            workers=workers,
            replan_from=month_start(replan_from) if replan_from else None,
            created_by=actor,
            problem=document,
            history=built.history,
        )
        audit_record(actor=actor, action=Action.CREATE, instance=scenario, plan_id=plan.pk)
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
        worker.run_scenario(scenario.pk)
    else:
        # enqueued after the scenario is committed, so the worker always finds it
        work.enqueue(worker.SCENARIO, scenario.pk)
    scenario.refresh_from_db()
    return scenario


@transaction.atomic
def scenario_cancel(*, actor: User | None, scenario: Scenario) -> Scenario:
    """Stop a scenario: a queued one at once, a running one at its worker's next check (within
    a second). One whose worker was lost (its lease ran out) stops at once too, so that it can
    be deleted.

    Raises:
        NotAllowed: the actor may not plan this roadmap.
        RoadmapRuleBroken: the scenario has already finished.
    """
    permissions.require(actor, permissions.can_plan_roadmap(actor, scenario.plan))
    if scenario.is_finished:
        raise RoadmapRuleBroken.at("scenario", _("The scenario has already finished."))
    now = timezone.now()
    Scenario.objects.filter(pk=scenario.pk).update(cancel_requested=True)
    Scenario.objects.filter(pk=scenario.pk, status=ScenarioStatus.QUEUED).update(
        status=ScenarioStatus.CANCELLED, finished_at=now
    )
    Scenario.objects.filter(pk=scenario.pk, status=ScenarioStatus.RUNNING).filter(
        Q(held_until__lt=now) | Q(held_until__isnull=True)
    ).update(status=ScenarioStatus.CANCELLED, finished_at=now)
    audit_record(actor=actor, action=Action.CANCEL, instance=scenario, plan_id=scenario.plan_id)
    scenario.refresh_from_db()
    return scenario


@transaction.atomic
def scenario_delete(*, actor: User | None, scenario: Scenario) -> None:
    permissions.require(actor, permissions.can_plan_roadmap(actor, scenario.plan))
    if scenario.is_baseline:
        raise RoadmapRuleBroken.at("scenario", _("This is the approved baseline; approve another scenario first."))
    if not scenario.is_finished:
        raise RoadmapRuleBroken.at("scenario", _("Cancel the scenario before deleting it."))
    audited_delete(actor=actor, instance=scenario, plan_id=scenario.plan_id)


@transaction.atomic
def scenario_rename(*, actor: User | None, scenario: Scenario, name: str) -> Scenario:
    permissions.require(actor, permissions.can_plan_roadmap(actor, scenario.plan))
    if not name.strip():
        raise RoadmapRuleBroken.at("name", _("Give the scenario a name."))
    before = scenario.name
    scenario.name = name.strip()
    scenario.save(update_fields=["name"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        instance=scenario,
        changes={"name": [before, scenario.name]},
        plan_id=scenario.plan_id,
    )
    return scenario


@transaction.atomic
def scenario_approve(*, actor: User | None, scenario: Scenario) -> Scenario:
    """Make ``scenario`` the plan's approved baseline roadmap (re-plans are compared with it)."""
    permissions.require(
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
        action=Action.APPROVE,
        instance=scenario,
        changes={"baseline": [previous.name if previous else None, scenario.name]},
        plan_id=scenario.plan_id,
    )
    return scenario
