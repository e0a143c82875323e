"""The worker's side of an allocation run: the optimiser runs in a thread of its own while
this one writes its progress, watches for a stop request and stores the result (every
officer's sessions), as the roadmap's scenarios do (``roadmap/worker.py``). The run is held
through ``core.work`` (a lease the worker's heartbeat renews), so a worker lost on the way
leaves it to the sweeper, which queues it again or marks it failed with the reason."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.core import work
from waypoint.core.audit import Action, audit_record
from waypoint.engine import training as engine
from waypoint.people.adapters import Built, allocation_problem
from waypoint.people.models import Allocation, AllocationRun, RunStatus

__all__ = ["ALLOCATION", "run_allocation"]

logger = logging.getLogger(__name__)
#: the name ``people.tasks`` registers allocation runs under in ``core.work``
ALLOCATION = "people.allocation"


@dataclass
class _Latest:
    """What the optimiser thread last reported, read by the thread that owns the database."""

    progress: engine.Progress | None = None


def run_allocation(
    run_id: int, *, poll_s: float = 0.5, work_limit: float | None = None, queued: bool = False
) -> AllocationRun:
    """Solve a stored run (the background task's body).

    The optimiser runs in its own thread; this thread alone talks to the database, writing
    progress and checking for a stop request every ``poll_s`` seconds. ``work_limit`` limits
    the search by CP-SAT's deterministic time instead of the run's seconds (tests). The run
    is held through ``core.work`` (``queued``: by its queued task, which takes it only while
    it waits), so one worker solves it, and a worker lost on the way leaves it to the sweeper.

    Raises:
        AllocationRun.DoesNotExist: the run was deleted (before or while it was solved).
    """
    run = AllocationRun.objects.select_related("plan__administration").get(pk=run_id)
    if run.is_finished:
        return run
    if run.cancel_requested:
        AllocationRun.objects.filter(pk=run.pk).update(status=RunStatus.CANCELLED, finished_at=timezone.now())
        run.refresh_from_db()
        return run
    lease = work.hold(
        ALLOCATION,
        run.pk,
        queued=queued,
        expected_s=run.time_limit_s,
        started_at=timezone.now(),
        progress={"stage": "reading"},
    )
    if lease is None:  # another worker has it, or it is no longer waiting
        run.refresh_from_db()
        return run
    try:
        return _solve(run, lease, poll_s, work_limit)
    finally:
        lease.release()


def _fail(run: AllocationRun, lease: work.Lease, error: str) -> None:
    """Mark the run failed, unless it was taken away from this worker meanwhile."""
    failed = AllocationRun.objects.filter(pk=run.pk, held_by=lease.holder, status=RunStatus.RUNNING)
    work.retry_locked(
        lambda: failed.update(status=RunStatus.FAILED, error=error[:1000], finished_at=timezone.now()),
        what=f"allocation run {run.pk}",
    )


def _solve(run: AllocationRun, lease: work.Lease, poll_s: float, work_limit: float | None) -> AllocationRun:
    try:
        built = allocation_problem(run)
    except Exception as error:  # a defect or bad data must not leave the run "running" for ever
        logger.exception("setting up allocation run %s failed", run.pk)
        _fail(run, lease, _("The workforce could not be read: %(e)s") % {"e": error})
        return _reread(run)
    latest = _Latest()
    stop = threading.Event()
    outcome: dict[str, Any] = {}

    def search() -> None:
        try:
            outcome["result"] = engine.solve(
                built.problem,
                time_limit_s=run.time_limit_s,
                work_limit=work_limit,
                on_progress=lambda p: setattr(latest, "progress", p),
                should_stop=stop.is_set,
            )
        except Exception as error:
            outcome["error"] = error

    began = time.perf_counter()
    thread = threading.Thread(target=search, name=f"allocation-{run.pk}", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(poll_s)
        report: dict[str, Any] = {
            "elapsed": round(time.perf_counter() - began, 1),
            "limit": run.time_limit_s,
            "officers": len(built.problem.officers),
        }
        if latest.progress is not None:
            report |= {"best": latest.progress.value, "bound": latest.progress.bound}
        try:
            AllocationRun.objects.filter(pk=run.pk).update(progress=report)
            if AllocationRun.objects.filter(pk=run.pk, cancel_requested=True).exists():
                stop.set()
        except work.TRANSIENT_ERRORS as error:
            # progress is a courtesy: a locked database must not stop the search
            logger.warning("allocation run %s: progress not written (%s)", run.pk, error)
        if lease.lost.is_set():
            stop.set()  # taken away from this worker: whoever has it now solves it
    if "error" in outcome:
        logger.error("allocation run %s failed: %s", run.pk, outcome["error"])
        _fail(run, lease, str(outcome["error"]))
    elif not lease.lost.is_set():
        work.retry_locked(
            lambda: _store_result(run, built, outcome["result"], cancelled=stop.is_set(), lease=lease),
            what=f"allocation run {run.pk}",
        )
    return _reread(run)


def _reread(run: AllocationRun) -> AllocationRun:
    return AllocationRun.objects.select_related("plan__administration").get(pk=run.pk)


@transaction.atomic
def _store_result(
    run: AllocationRun, built: Built, result: engine.Result, *, cancelled: bool, lease: work.Lease | None = None
) -> None:
    if lease is not None and not lease.confirm():
        return  # taken away from this worker meanwhile: the one that has it now stores its own
    Allocation.objects.filter(run=run).delete()
    Allocation.objects.bulk_create(
        [
            Allocation(run=run, officer_id=built.officers[officer], session_id=built.sessions[session])
            for officer, session in result.assignments
        ],
        batch_size=2000,
    )
    AllocationRun.objects.filter(pk=run.pk).update(
        status=RunStatus.CANCELLED if cancelled else RunStatus.DONE,
        result_status=result.status.value,
        officers_considered=len(built.problem.officers),
        value=result.value,
        greedy_value=result.greedy_value,
        bound=result.bound,
        total_gap=built.problem.total_gap(),
        spent=Decimal(result.spent),
        greedy_spent=Decimal(result.greedy_spent),
        seconds=round(result.seconds, 2),
        finished_at=timezone.now(),
    )
    audit_record(
        actor=None,
        action=Action.SOLVE,
        instance=run,
        plan_id=run.plan_id,
        changes={
            "status": [None, result.status.value],
            "gap closed": [None, result.value],
            "greedy": [None, result.greedy_value],
            "places": [None, len(result.assignments)],
        },
    )
