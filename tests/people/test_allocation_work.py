"""Allocation runs are background work of ``core.work``, like roadmap scenarios: held with a
lease the worker's heartbeat renews, queued again or failed with the reason when their worker
is lost (never "running" for ever), stoppable and deletable at once then, and their progress
on the run's page. The worker is simulated (a lease held, then left to run out)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.people.conftest import Workforce
from tests.world import World
from waypoint.core import work
from waypoint.core.errors import InvalidInput
from waypoint.core.models import AuditEvent, WorkerBeat
from waypoint.people import services, worker
from waypoint.people.models import Allocation, AllocationRun, RunStatus

ALLOCATION = "people.allocation"


@pytest.fixture
def queue(settings: Any) -> None:
    """Work is queued in the database for a worker, as in production (not run at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued_run(world: World, name: str = "Queued") -> AllocationRun:
    return services.allocation_create(
        actor=None, plan=world.plan, name=name, year=2015, budget=Decimal(3000), time_limit_s=2
    )


def lose_worker(run: AllocationRun) -> None:
    """The worker holding ``run`` was killed: its lease runs out and nobody renews it."""
    AllocationRun.objects.filter(pk=run.pk).update(held_until=timezone.now() - dt.timedelta(seconds=1))


def test_allocation_runs_are_registered_with_core_work() -> None:
    assert worker.ALLOCATION == ALLOCATION
    assert work.kind(ALLOCATION).model is AllocationRun


def test_a_run_whose_worker_is_lost_is_queued_again_then_failed_with_the_reason(
    world: World, workforce: Workforce, queue: None
) -> None:
    run = queued_run(world)
    first_task = run.task_id
    assert run.status == RunStatus.QUEUED and run.queued_at is not None
    assert first_task and DBTaskResult.objects.get(pk=first_task).status == TaskResultStatus.READY
    assert work.hold(ALLOCATION, run.pk, queued=True) is not None  # a worker takes it …
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING and run.held_by and run.held_until is not None
    lose_worker(run)  # … and is killed

    report = work.sweep()
    run.refresh_from_db()
    assert report.retried == [f"{ALLOCATION} {run.pk}"]
    assert run.status == RunStatus.QUEUED and run.attempts == 1
    assert run.task_id != first_task
    assert DBTaskResult.objects.get(pk=run.task_id).status == TaskResultStatus.READY

    assert work.hold(ALLOCATION, run.pk, queued=True) is not None  # the second try …
    lose_worker(run)  # … is lost too: two attempts is the default
    report = work.sweep()
    run.refresh_from_db()
    assert report.failed == [f"{ALLOCATION} {run.pk}"]
    assert run.status == RunStatus.FAILED and run.is_finished
    assert "stopped before it finished (2 attempts)" in run.error
    assert run.finished_at is not None
    assert AuditEvent.objects.filter(entity="people.AllocationRun", entity_id=str(run.pk), action="status").count() == 2
    # the reason is on the run's page, and the finished run can be deleted
    hr = Client()
    hr.force_login(world.users["hr"])
    assert "stopped before it finished" in hr.get(f"/workforce/runs/{run.pk}/").content.decode()
    services.allocation_delete(actor=None, run=run)
    assert not AllocationRun.objects.filter(pk=run.pk).exists()


def test_the_retried_run_is_solved_by_the_next_worker(world: World, workforce: Workforce, queue: None) -> None:
    run = queued_run(world)
    work.hold(ALLOCATION, run.pk, queued=True)
    lose_worker(run)
    work.sweep()
    solved = worker.run_allocation(run.pk, queued=True, work_limit=1.0, poll_s=0.05)
    assert solved.status == RunStatus.DONE and solved.attempts == 2
    assert solved.value is not None and Allocation.objects.filter(run=solved).exists()


def test_a_run_is_taken_by_one_worker_only(world: World, workforce: Workforce, queue: None) -> None:
    run = queued_run(world)
    assert work.hold(ALLOCATION, run.pk, queued=True) is not None
    assert work.hold(ALLOCATION, run.pk, queued=True) is None
    assert work.hold(ALLOCATION, run.pk, queued=False) is None  # a live lease holds it
    # the queued task of a run another worker holds does nothing
    assert worker.run_allocation(run.pk, queued=True).status == RunStatus.RUNNING


def test_a_running_run_whose_worker_is_lost_can_be_stopped_and_deleted_at_once(
    world: World, workforce: Workforce, queue: None
) -> None:
    run = queued_run(world)
    work.hold(ALLOCATION, run.pk, queued=True)
    lose_worker(run)
    stopped = services.allocation_cancel(actor=None, run=AllocationRun.objects.get(pk=run.pk))
    assert stopped.status == RunStatus.CANCELLED
    services.allocation_delete(actor=None, run=stopped)


def test_a_running_run_with_a_live_worker_is_stopped_by_that_worker(
    world: World, workforce: Workforce, queue: None
) -> None:
    run = queued_run(world)
    work.hold(ALLOCATION, run.pk, queued=True)
    stopping = services.allocation_cancel(actor=None, run=AllocationRun.objects.get(pk=run.pk))
    assert stopping.status == RunStatus.RUNNING and stopping.cancel_requested
    with pytest.raises(InvalidInput):
        services.allocation_delete(actor=None, run=stopping)


def test_a_run_asked_to_stop_is_not_retried_when_its_worker_is_lost(
    world: World, workforce: Workforce, queue: None
) -> None:
    run = queued_run(world)
    work.hold(ALLOCATION, run.pk, queued=True)
    AllocationRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    lose_worker(run)
    report = work.sweep()
    run.refresh_from_db()
    assert report.failed and not report.retried
    assert run.status == RunStatus.CANCELLED


def test_a_worker_that_lost_its_run_stores_nothing(
    world: World, workforce: Workforce, queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = queued_run(world)
    original = worker._store_result

    def taken_away_meanwhile(*args: Any, **kwargs: Any) -> None:
        # the lease ran out while the database was locked; the sweeper queued it again
        AllocationRun.objects.filter(pk=run.pk).update(status=RunStatus.QUEUED, held_by="")
        original(*args, **kwargs)

    monkeypatch.setattr(worker, "_store_result", taken_away_meanwhile)
    result = worker.run_allocation(run.pk, queued=True, work_limit=0.5, poll_s=0.05)
    assert result.status == RunStatus.QUEUED
    assert result.value is None and not Allocation.objects.filter(run=result).exists()


def test_the_run_page_shows_the_progress_and_a_missing_worker(world: World, workforce: Workforce, queue: None) -> None:
    run = queued_run(world)
    work.hold(ALLOCATION, run.pk, queued=True)
    lose_worker(run)
    work.sweep()
    work.hold(ALLOCATION, run.pk, queued=True)
    AllocationRun.objects.filter(pk=run.pk).update(progress={"elapsed": 1.5, "officers": 31, "best": 12})
    long_ago = timezone.now() - dt.timedelta(hours=1)
    WorkerBeat.objects.create(worker_id="gone", host="h", pid=1, started_at=long_ago, seen_at=long_ago)
    hr = Client()
    hr.force_login(world.users["hr"])
    page = hr.get(f"/workforce/runs/{run.pk}/").content.decode()
    assert 'data-status="running"' in page
    assert "1.5 of 2 seconds" in page and "Best so far: 12" in page
    assert 'data-testid="worker-missing"' in page  # no worker seen for an hour
    assert 'data-testid="run-retried"' in page and "Attempt 2" in page
