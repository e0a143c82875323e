"""Background tasks of the roadmap, run by the worker (``waypoint db_worker``)."""

from __future__ import annotations

from django_tasks import task

from waypoint.roadmap import worker


@task()
def solve_scenario(scenario_id: int) -> str:
    """Solve one scenario; progress and the result are written on the scenario itself."""
    return str(worker.run_scenario(scenario_id).status)
