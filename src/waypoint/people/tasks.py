"""Background tasks of the people side, run by the worker (``waypoint db_worker``)."""

from __future__ import annotations

from django_tasks import task

from waypoint.people import worker


@task()
def allocate_training(run_id: int) -> str:
    """Solve one allocation run; progress and the result are written on the run itself."""
    return str(worker.run_allocation(run_id).status)
