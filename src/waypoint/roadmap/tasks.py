"""Background tasks of the roadmap, run by the worker (``waypoint worker``), and the roadmap's
kind of background work (``core.work``): what to do with a scenario whose worker was lost."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from waypoint.core import work
from waypoint.core.audit import Action, audit_record
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


def _can_retry(scenario_id: int) -> bool:
    """A scenario somebody asked to stop is not solved again."""
    return not Scenario.objects.filter(pk=scenario_id, cancel_requested=True).exists()


def _give_up(scenario_id: int, reason: str) -> None:
    """Its worker was lost for the last time: stopped if somebody asked for that, else failed
    with the reason."""
    scenario = Scenario.objects.get(pk=scenario_id)
    before = scenario.status
    scenario.status = ScenarioStatus.CANCELLED if scenario.cancel_requested else ScenarioStatus.FAILED
    scenario.error = "" if scenario.cancel_requested else reason
    scenario.finished_at = timezone.now()
    scenario.save(update_fields=["status", "error", "finished_at"])
    audit_record(
        actor=None,
        action=Action.STATUS,
        instance=scenario,
        changes={"status": [before, scenario.status], "reason": [None, scenario.error or None]},
        plan_id=scenario.plan_id,
    )


def register() -> None:
    work.register(
        work.WorkKind(
            name=SCENARIO,
            model=Scenario,
            waiting=ScenarioStatus.QUEUED,
            active=ScenarioStatus.RUNNING,
            enqueue=_enqueue,
            give_up=_give_up,
            can_retry=_can_retry,
            reset={"progress": {}, "started_at": None},
        )
    )
