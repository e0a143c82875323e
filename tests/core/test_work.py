"""Work that loses its worker (``waypoint.core.work``): queued again or failed with a reason,
never "running" for ever; people can stop and delete it. The worker is simulated here (a lease
held, then left to run out); ``test_processes`` and ``test_deployment`` kill real ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.roadmap.conftest import Roadmap, queued_scenario
from tests.world import World
from waypoint.core import work
from waypoint.core.models import AuditEvent, WorkerBeat
from waypoint.engine.trs import generator
from waypoint.engine.trs.runner import Study
from waypoint.roadmap import services as roadmap_services
from waypoint.roadmap import worker as roadmap_worker
from waypoint.roadmap.errors import RoadmapRuleBroken
from waypoint.roadmap.models import Scenario, ScenarioStatus
from waypoint.trs import services as trs_services
from waypoint.trs.models import Dataset, DatasetStatus

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue(settings: Any) -> None:
    """Work is queued in the database for a worker, as in production (not run at once)."""
    settings.TASKS = DATABASE_TASKS


def lose_worker(item: Scenario | Dataset) -> None:
    """The worker holding ``item`` was killed: its lease runs out and nobody renews it."""
    type(item).objects.filter(pk=item.pk).update(held_until=timezone.now() - dt.timedelta(seconds=1))


def queued_solve(roadmap: Roadmap, name: str = "Queued") -> Scenario:
    return roadmap_services.scenario_create(actor=None, plan=roadmap.world.plan, name=name, time_limit_s=2)


def test_a_scenario_whose_worker_is_lost_is_queued_again_then_failed_with_the_reason(
    roadmap: Roadmap, queue: None
) -> None:
    scenario = queued_solve(roadmap)
    first_task = scenario.task_id
    assert first_task and DBTaskResult.objects.get(pk=first_task).status == TaskResultStatus.READY
    assert work.hold(roadmap_worker.SCENARIO, scenario.pk, queued=True) is not None  # a worker takes it …
    lose_worker(scenario)  # … and is killed

    report = work.sweep()
    scenario.refresh_from_db()
    assert report.retried == [f"roadmap.scenario {scenario.pk}"]
    assert scenario.status == ScenarioStatus.QUEUED
    assert scenario.attempts == 1
    assert scenario.task_id != first_task
    assert DBTaskResult.objects.get(pk=scenario.task_id).status == TaskResultStatus.READY

    assert work.hold(roadmap_worker.SCENARIO, scenario.pk, queued=True) is not None  # the second try …
    lose_worker(scenario)  # … is lost too: two attempts is the default
    report = work.sweep()
    scenario.refresh_from_db()
    assert report.failed == [f"roadmap.scenario {scenario.pk}"]
    assert scenario.status == ScenarioStatus.FAILED
    assert "stopped before it finished (2 attempts)" in scenario.error
    assert scenario.finished_at is not None
    assert (
        AuditEvent.objects.filter(entity="roadmap.Scenario", entity_id=str(scenario.pk), action="status").count() == 2
    )
    # finished work can be deleted
    roadmap_services.scenario_delete(actor=roadmap.world.users["planner"], scenario=scenario)


def test_the_retried_scenario_is_solved_by_the_next_worker(roadmap: Roadmap, queue: None) -> None:
    scenario = queued_solve(roadmap)
    work.hold(roadmap_worker.SCENARIO, scenario.pk, queued=True)
    lose_worker(scenario)
    work.sweep()
    solved = roadmap_worker.run_scenario(scenario.pk, queued=True)
    assert solved.status == ScenarioStatus.DONE
    assert solved.attempts == 2


def test_a_running_scenario_whose_worker_is_lost_can_be_stopped_and_deleted_at_once(
    roadmap: Roadmap, queue: None
) -> None:
    planner = roadmap.world.users["planner"]
    scenario = queued_solve(roadmap)
    work.hold(roadmap_worker.SCENARIO, scenario.pk, queued=True)
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.RUNNING
    lose_worker(scenario)
    stopped = roadmap_services.scenario_cancel(actor=planner, scenario=scenario)
    assert stopped.status == ScenarioStatus.CANCELLED
    roadmap_services.scenario_delete(actor=planner, scenario=stopped)
    assert not Scenario.objects.filter(pk=scenario.pk).exists()


def test_a_running_scenario_with_a_live_worker_is_stopped_by_that_worker(roadmap: Roadmap, queue: None) -> None:
    planner = roadmap.world.users["planner"]
    scenario = queued_solve(roadmap)
    work.hold(roadmap_worker.SCENARIO, scenario.pk, queued=True)
    scenario.refresh_from_db()
    stopping = roadmap_services.scenario_cancel(actor=planner, scenario=scenario)
    assert stopping.status == ScenarioStatus.RUNNING and stopping.cancel_requested
    with pytest.raises(RoadmapRuleBroken):
        roadmap_services.scenario_delete(actor=planner, scenario=stopping)


def test_a_scenario_asked_to_stop_is_not_retried_when_its_worker_is_lost(roadmap: Roadmap, queue: None) -> None:
    scenario = queued_solve(roadmap)
    work.hold(roadmap_worker.SCENARIO, scenario.pk, queued=True)
    Scenario.objects.filter(pk=scenario.pk).update(cancel_requested=True)
    lose_worker(scenario)
    report = work.sweep()
    scenario.refresh_from_db()
    assert report.failed and not report.retried
    assert scenario.status == ScenarioStatus.CANCELLED


def test_a_scenario_left_running_before_leases_existed_is_swept(roadmap: Roadmap, queue: None) -> None:
    scenario = queued_scenario(roadmap, "From before the upgrade")
    Scenario.objects.filter(pk=scenario.pk).update(status=ScenarioStatus.RUNNING, held_until=None)
    work.sweep()
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.QUEUED
    assert DBTaskResult.objects.get(pk=scenario.task_id).status == TaskResultStatus.READY


def test_a_queued_scenario_whose_task_vanished_is_queued_again(roadmap: Roadmap, queue: None) -> None:
    scenario = queued_solve(roadmap)
    # the worker took the task and died before it could hold the scenario
    DBTaskResult.objects.filter(pk=scenario.task_id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - dt.timedelta(minutes=5)
    )
    Scenario.objects.filter(pk=scenario.pk).update(queued_at=timezone.now() - dt.timedelta(minutes=5))
    work.sweep()
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.QUEUED
    assert scenario.attempts == 1
    assert DBTaskResult.objects.get(pk=scenario.task_id).status == TaskResultStatus.READY


def test_a_waiting_scenario_with_its_task_still_queued_is_left_alone(roadmap: Roadmap, queue: None) -> None:
    scenario = queued_solve(roadmap)
    Scenario.objects.filter(pk=scenario.pk).update(queued_at=timezone.now() - dt.timedelta(hours=1))
    assert not work.sweep()
    scenario.refresh_from_db()
    assert scenario.attempts == 0 and scenario.status == ScenarioStatus.QUEUED


def test_a_scenario_is_taken_by_one_worker_only(roadmap: Roadmap, queue: None) -> None:
    scenario = queued_solve(roadmap)
    assert work.hold(roadmap_worker.SCENARIO, scenario.pk, queued=True) is not None
    assert work.hold(roadmap_worker.SCENARIO, scenario.pk, queued=True) is None
    assert work.hold(roadmap_worker.SCENARIO, scenario.pk, queued=False) is None  # a live lease holds it


def test_a_worker_storing_its_result_locks_the_scenario_not_its_plan(
    roadmap: Roadmap, queue: None, transactional_db: None
) -> None:
    """A worker confirming its lease locked the plan's row too (the scenarios are ordered by
    plan, so the lock's query joined it): a planner's write to the plan, whose foreign key
    check shares that row, then deadlocked with the worker's count of changes."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database, not rows")
    scenario = queued_solve(roadmap)
    lease = work.hold(roadmap_worker.SCENARIO, scenario.pk, queued=True)
    assert lease is not None
    other = connections.create_connection("default")
    try:
        with transaction.atomic():
            assert lease.confirm()
            with other.cursor() as cursor:
                cursor.execute("SET lock_timeout = '2s'")
                # what PostgreSQL's foreign key check takes when a row pointing at the plan is written
                cursor.execute("SELECT 1 FROM plans_plan WHERE id = %s FOR KEY SHARE", [scenario.plan_id])
                assert cursor.fetchone() == (1,)
                # the scenario itself is held
                with pytest.raises(OperationalError):
                    cursor.execute("SELECT 1 FROM roadmap_scenario WHERE id = %s FOR UPDATE NOWAIT", [scenario.pk])
    finally:
        other.close()


def test_a_worker_that_lost_its_scenario_stores_nothing(
    roadmap: Roadmap, queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = queued_solve(roadmap)
    original = roadmap_worker._store_result

    def taken_away_meanwhile(*args: Any, **kwargs: Any) -> None:
        # the lease ran out while the database was locked; the sweeper queued it again
        Scenario.objects.filter(pk=scenario.pk).update(status=ScenarioStatus.QUEUED, held_by="")
        original(*args, **kwargs)

    monkeypatch.setattr(roadmap_worker, "_store_result", taken_away_meanwhile)
    result = roadmap_worker.run_scenario(scenario.pk, queued=True)
    assert result.status == ScenarioStatus.QUEUED
    assert result.makespan_months is None and not result.items.exists()


def test_the_queue_task_left_running_by_a_lost_worker_is_closed(roadmap: Roadmap, queue: None) -> None:
    scenario = queued_solve(roadmap)
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    DBTaskResult.objects.filter(pk=scenario.task_id).update(
        status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=["gone"]
    )
    Scenario.objects.filter(pk=scenario.pk).update(queued_at=long_ago)
    WorkerBeat.objects.create(worker_id="gone", host="h", pid=1, started_at=long_ago, seen_at=long_ago)
    assert work.sweep().tasks_closed == 1
    closed = DBTaskResult.objects.get(pk=Scenario.objects.get(pk=scenario.pk).task_id)
    assert closed.status == TaskResultStatus.READY  # the new task; the old one:
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED, worker_ids=["gone"]).count() == 1


def test_a_queue_task_of_a_live_worker_is_left_running(roadmap: Roadmap, queue: None) -> None:
    scenario = queued_solve(roadmap)
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    DBTaskResult.objects.filter(pk=scenario.task_id).update(
        status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=["alive"]
    )
    work.beat("alive", started_at=long_ago, task_id=scenario.task_id)
    work.hold(roadmap_worker.SCENARIO, scenario.pk, queued=True)
    assert not work.sweep()


# --- datasets ------------------------------------------------------------------------------------------


@pytest.fixture
def data_file(world: World, settings: Any, tmp_path: Path) -> str:
    root = tmp_path / "trs-data"
    settings.WAYPOINT_TRS_DATA = root
    settings.WAYPOINT_TRS_STUDIES = tmp_path / "trs-studies"
    generator.write(300, root / "small", seed=3, scenario=generator.Scenario(start=dt.date(2012, 1, 1)))
    return "small"


def test_a_dataset_whose_worker_is_lost_is_read_again_then_failed_with_the_reason(
    world: World, data_file: str, queue: None
) -> None:
    dataset = trs_services.dataset_register(
        actor=None, administration=world.unit("ADM"), name="Lost", server_path=data_file
    )
    assert dataset.status == DatasetStatus.QUEUED and dataset.task_id
    for attempt in (1, 2):
        assert work.hold(trs_services.DATASET, dataset.pk, queued=True) is not None
        dataset.refresh_from_db()
        assert dataset.status == DatasetStatus.INGESTING and dataset.attempts == attempt
        dataset.study_file.parent.mkdir(parents=True, exist_ok=True)
        dataset.study_file.write_bytes(b"half written")
        lose_worker(dataset)
        work.sweep()
        dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.FAILED
    assert "stopped before it finished (2 attempts)" in dataset.error
    assert not dataset.study_file.exists()
    trs_services.dataset_delete(actor=None, dataset=dataset)


def test_a_retried_dataset_is_read_by_the_next_worker(world: World, data_file: str, queue: None) -> None:
    dataset = trs_services.dataset_register(
        actor=None, administration=world.unit("ADM"), name="Retried", server_path=data_file
    )
    work.hold(trs_services.DATASET, dataset.pk, queued=True)
    lose_worker(dataset)
    work.sweep()
    read = trs_services.ingest(dataset.pk, queued=True)
    assert read is not None
    assert read.status == DatasetStatus.READY and read.attempts == 2 and read.declarations_used


def test_a_dataset_deleted_while_it_is_read_leaves_no_study_behind(
    world: World, data_file: str, queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = trs_services.dataset_register(
        actor=None, administration=world.unit("ADM"), name="Deleted", server_path=data_file
    )
    original = Study.quarantine

    def deleted_meanwhile(study: Study, *args: Any, **kwargs: Any) -> Any:
        Dataset.objects.filter(pk=dataset.pk).delete()  # somebody deletes it on its page
        return original(study, *args, **kwargs)

    monkeypatch.setattr(Study, "quarantine", deleted_meanwhile)
    assert trs_services.ingest(dataset.pk, queued=True) is None
    assert not dataset.study_file.exists()
