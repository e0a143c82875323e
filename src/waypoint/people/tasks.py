"""Background tasks of the people side, run by the worker (``waypoint worker``), and its kind
of background work (``core.work``): what to do with an allocation run whose worker was lost."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from waypoint.core import work
from waypoint.core.audit import Action, audit_record
from waypoint.people import worker
from waypoint.people.models import AllocationRun, RunStatus
from waypoint.people.worker import ALLOCATION


@task()
def allocate_training(run_id: int) -> str:
    """Solve one allocation run; progress and the result are written on the run itself."""
    try:
        return str(worker.run_allocation(run_id, queued=True).status)
    except AllocationRun.DoesNotExist:
        return "deleted"  # somebody deleted it meanwhile: nothing left to do


def _enqueue(run_id: int) -> str:
    return str(allocate_training.enqueue(run_id).id)


def _can_retry(run_id: int) -> bool:
    """A run somebody asked to stop is not solved again."""
    return not AllocationRun.objects.filter(pk=run_id, cancel_requested=True).exists()


def _give_up(run_id: int, reason: str) -> None:
    """Its worker was lost for the last time: stopped if somebody asked for that, else failed
    with the reason (shown on the run's page)."""
    run = AllocationRun.objects.get(pk=run_id)
    before = run.status
    run.status = RunStatus.CANCELLED if run.cancel_requested else RunStatus.FAILED
    run.error = "" if run.cancel_requested else reason
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    audit_record(
        actor=None,
        action=Action.STATUS,
        instance=run,
        changes={"status": [before, run.status], "reason": [None, run.error or None]},
        plan_id=run.plan_id,
    )


def register() -> None:
    work.register(
        work.WorkKind(
            name=ALLOCATION,
            model=AllocationRun,
            waiting=RunStatus.QUEUED,
            active=RunStatus.RUNNING,
            enqueue=_enqueue,
            give_up=_give_up,
            can_retry=_can_retry,
            reset={"progress": {}, "started_at": None},
        )
    )
