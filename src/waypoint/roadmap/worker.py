"""The solver worker's side of a scenario: the solver runs in a thread of its own while this
one writes its progress, watches for a cancellation and stores the result (with the dates of
every scheduled element)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.core import work
from waypoint.core.audit import Action, audit_record
from waypoint.engine import scheduling as engine
from waypoint.engine.periods import add_months, month_end
from waypoint.engine.scheduling.jsonformat import load_problem
from waypoint.plans.models import ElementKind, PlanElement
from waypoint.roadmap.adapters import roadmap_start
from waypoint.roadmap.models import Scenario, ScenarioItem, ScenarioStatus

__all__ = ["run_scenario", "write_schedule_items"]

logger = logging.getLogger(__name__)
#: the name ``roadmap.tasks`` registers scenarios under in ``core.work``
SCENARIO = "roadmap.scenario"


@dataclass
class _Latest:
    """What the solver thread last reported, read by the thread that owns the database."""

    progress: engine.Progress | None = None


def run_scenario(scenario_id: int, *, poll_s: float = 0.5, queued: bool = False) -> Scenario:
    """Solve a stored scenario (the background task's body).

    The solver runs in its own thread; this thread alone talks to the database, writing
    progress and checking for a cancellation every ``poll_s`` seconds. The scenario is held
    through ``core.work`` (``queued``: by its queued task, which takes it only while it
    waits), so one worker solves it, and a worker lost on the way leaves it to the sweeper.

    Raises:
        Scenario.DoesNotExist: the scenario was deleted (before or while it was solved).
    """
    scenario = Scenario.objects.select_related("plan").get(pk=scenario_id)
    if scenario.is_finished:
        return scenario
    if scenario.cancel_requested:
        Scenario.objects.filter(pk=scenario.pk).update(status=ScenarioStatus.CANCELLED, finished_at=timezone.now())
        scenario.refresh_from_db()
        return scenario
    lease = work.hold(SCENARIO, scenario.pk, queued=queued, expected_s=scenario.time_limit_s, started_at=timezone.now())
    if lease is None:  # another worker has it, or it is no longer waiting
        scenario.refresh_from_db()
        return scenario
    try:
        return _solve(scenario, lease, poll_s)
    finally:
        lease.release()


def _fail(scenario: Scenario, lease: work.Lease, error: Exception) -> None:
    failed = Scenario.objects.filter(pk=scenario.pk, held_by=lease.holder, status=ScenarioStatus.RUNNING)
    work.retry_locked(
        lambda: failed.update(status=ScenarioStatus.FAILED, error=str(error), finished_at=timezone.now()),
        what=f"scenario {scenario.pk}",
    )


def _solve(scenario: Scenario, lease: work.Lease, poll_s: float) -> Scenario:
    try:
        problem = load_problem(scenario.problem)
    except Exception as error:  # a stored problem that no longer reads must not stay "running"
        _fail(scenario, lease, error)
        return Scenario.objects.select_related("plan").get(pk=scenario.pk)
    latest = _Latest()
    stop = threading.Event()
    outcome: dict[str, Any] = {}

    def search() -> None:
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
    thread = threading.Thread(target=search, name=f"scenario-{scenario.pk}", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(poll_s)
        report: dict[str, Any] = {"elapsed": round(time.perf_counter() - began, 1), "limit": scenario.time_limit_s}
        if latest.progress is not None:
            report |= {"best": latest.progress.objective_value, "bound": latest.progress.lower_bound}
        try:
            Scenario.objects.filter(pk=scenario.pk).update(progress=report)
            if Scenario.objects.filter(pk=scenario.pk, cancel_requested=True).exists():
                stop.set()
        except work.TRANSIENT_ERRORS as error:
            # progress is a courtesy: a locked database must not stop the search
            logger.warning("scenario %s: progress not written (%s)", scenario.pk, error)
        if lease.lost.is_set():
            stop.set()
    if "error" in outcome:
        _fail(scenario, lease, outcome["error"])
    elif not lease.lost.is_set():
        work.retry_locked(
            lambda: _store_result(scenario, problem, outcome["result"], cancelled=stop.is_set(), lease=lease),
            what=f"scenario {scenario.pk}",
        )
    return Scenario.objects.select_related("plan").get(pk=scenario.pk)


@transaction.atomic
def _store_result(
    scenario: Scenario,
    problem: engine.Problem,
    result: engine.SolveResult,
    *,
    cancelled: bool,
    lease: work.Lease | None = None,
) -> None:
    if lease is not None and not lease.confirm():
        return  # taken away from this worker meanwhile: the one that has it now stores its own
    scenario.refresh_from_db()
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
        write_schedule_items(scenario, schedule, {k: int(v) for k, v in scenario.history.items()})
    elif result.status is engine.SolveStatus.INFEASIBLE:
        scenario.error = _("No schedule meets every deadline, pin and budget cap; see the conflicts.")
    else:
        scenario.error = _("The time limit ran out before any schedule was found; allow more time.")
    scenario.save()
    audit_record(
        actor=None,
        action=Action.SOLVE,
        instance=scenario,
        changes={"status": [None, scenario.result_status], "months": [None, scenario.makespan_months]},
        plan_id=scenario.plan_id,
    )


def write_schedule_items(
    scenario: Scenario, schedule: engine.Schedule, history: Mapping[str, int] | None = None
) -> None:
    """Dates of every scheduled element, initiatives spanning their activities; work under
    way when re-planning shows from its real start."""
    origin = roadmap_start(scenario.plan)
    slack = engine.schedule_slack(schedule)
    elements = {
        e.code: e
        for e in PlanElement.objects.filter(plan=scenario.plan_id, code__in=list(schedule.starts)).select_related(
            "parent"
        )
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
                starts_on=add_months(origin, start),
                ends_on=month_end(add_months(origin, max(finish - 1, start))),  # the last month of work
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
                starts_on=add_months(origin, start),
                ends_on=month_end(add_months(origin, max(finish - 1, start))),
                critical=critical,
            )
        )
    ScenarioItem.objects.bulk_create(rows)
