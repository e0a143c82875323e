"""Background tasks of the people side, run by the worker (``waypoint worker``), and its kind
of background work (``core.work``): what to do with an allocation run whose worker was lost."""

from __future__ import annotations

from django_tasks import task

from waypoint.core import work
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


def register() -> None:
    work.register(
        work.WorkKind(
            name=ALLOCATION,
            model=AllocationRun,
            waiting=RunStatus.QUEUED,
            active=RunStatus.RUNNING,
            enqueue=_enqueue,
            **work.stoppable(AllocationRun, cancelled=RunStatus.CANCELLED, failed=RunStatus.FAILED),
            reset={"progress": {}, "started_at": None},
        )
    )
