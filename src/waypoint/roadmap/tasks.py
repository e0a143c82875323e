"""Background tasks of the roadmap, run by the worker (``waypoint worker``), and the roadmap's
kind of background work (``core.work``): what to do with a scenario whose worker was lost."""

from __future__ import annotations

from django_tasks import task

from waypoint.core import work
from waypoint.roadmap import worker
from waypoint.roadmap.models import Scenario, ScenarioStatus
from waypoint.roadmap.worker import SCENARIO


@task()
def solve_scenario(scenario_id: int) -> str:
    """Solve one scenario; progress and the result are written on the scenario itself."""
    try:
        return str(worker.run_scenario(scenario_id, queued=True).status)
    except Scenario.DoesNotExist:
        return "deleted"  # somebody deleted it meanwhile: nothing left to do


def _enqueue(scenario_id: int) -> str:
    return str(solve_scenario.enqueue(scenario_id).id)


def register() -> None:
    work.register(
        work.WorkKind(
            name=SCENARIO,
            model=Scenario,
            waiting=ScenarioStatus.QUEUED,
            active=ScenarioStatus.RUNNING,
            enqueue=_enqueue,
            **work.stoppable(Scenario, cancelled=ScenarioStatus.CANCELLED, failed=ScenarioStatus.FAILED),
            reset={"progress": {}, "started_at": None},
        )
    )
