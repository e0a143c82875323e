"""Several machines on one PostgreSQL (docs/deployment.md, "More than one machine"): two app
servers and two workers, real processes on loopback ports, sharing the database and one data
directory. Every queued scenario and every data file is taken by exactly one worker, and a
worker killed in the middle of a solve leaves its scenario to the other worker, never
"running" for ever. PostgreSQL only: SQLite serves one machine."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.processes import Process, environment, free_port, http, shared_database_url, until
from tests.roadmap.conftest import Roadmap
from waypoint.core import work
from waypoint.core.models import WorkerBeat
from waypoint.engine.scheduling import generator as roadmap_generator
from waypoint.engine.scheduling.jsonformat import problem_document
from waypoint.engine.trs import generator as trs_generator
from waypoint.org import services as org_services
from waypoint.roadmap import services as roadmap_services
from waypoint.roadmap.models import Scenario, ScenarioStatus
from waypoint.roadmap.worker import SCENARIO
from waypoint.trs import services as trs_services
from waypoint.trs.models import Dataset, DatasetStatus

WORKERS = ("worker-a", "worker-b")


@pytest.fixture
def processes(transactional_db: None) -> Iterator[list[Process]]:
    started: list[Process] = []
    yield started
    for process in started:
        process.kill_all()
        # shown by pytest when the test failed: what each server and worker said (a 500's traceback)
        sys.stderr.write(f"--- {process.name} ---\n{process.output[-6000:]}\n")


def taken_by(task_id: str) -> list[str]:
    return list(DBTaskResult.objects.get(pk=task_id).worker_ids)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="follows processes through /proc")
def test_two_app_servers_and_two_workers_share_the_work(
    roadmap: Roadmap, tmp_path: Path, processes: list[Process], settings: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("several machines share a PostgreSQL database; SQLite serves one machine")
    world = roadmap.world
    _, token = org_services.api_token_create(actor=world.users["planner"], name="deployment test")
    env = environment(tmp_path, shared_database_url(tmp_path), WAYPOINT_TRS_MEMORY="256MB")
    # the test registers data files as an app server would: same database, same shared storage
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WAYPOINT_TRS_DATA = Path(env["WAYPOINT_TRS_DATA"])
    settings.WAYPOINT_TRS_STUDIES = Path(env["WAYPOINT_TRS_STUDIES"])
    for n in range(4):
        trs_generator.write(
            400,
            settings.WAYPOINT_TRS_DATA / f"post-{n}",
            seed=n,
            scenario=trs_generator.Scenario(start=dt.date(2012, 1, 1)),
        )

    ports = [free_port(), free_port()]
    servers = [
        Process(["serve", "--port", str(port), "--workers", "1", "--task-workers", "0"], env, f"app server {n}")
        for n, port in enumerate(ports, start=1)
    ]
    workers = [Process(["worker", "--worker-id", name], env, name) for name in WORKERS]
    processes += [*servers, *workers]
    for server in servers:
        server.wait_for("Waypoint is running")
    until(lambda: WorkerBeat.objects.filter(worker_id__in=WORKERS).count() == 2, "both workers' heartbeats", *workers)
    for port in ports:
        assert http(f"http://127.0.0.1:{port}/healthz")[0] == 200

    # work arrives through both app servers
    scenario_ids = []
    for n in range(6):
        status, body = http(
            f"http://127.0.0.1:{ports[n % 2]}/api/plans/{world.plan.pk}/roadmap/scenarios",
            token=token,
            data={"name": f"Scenario {n}", "time_limit_s": 1},
        )
        assert status == 202, body
        scenario_ids.append(body["id"])
    dataset_ids = [
        trs_services.dataset_register(
            actor=None, administration=world.unit("ADM"), name=f"Post {n}", server_path=f"post-{n}"
        ).pk
        for n in range(4)
    ]

    def all_finished() -> bool:
        scenarios_done = not Scenario.objects.filter(pk__in=scenario_ids, status__in=["queued", "running"]).exists()
        datasets_done = not Dataset.objects.filter(pk__in=dataset_ids, status__in=["queued", "ingesting"]).exists()
        return scenarios_done and datasets_done

    until(all_finished, "the workers to finish the queue", *workers)
    for scenario in Scenario.objects.filter(pk__in=scenario_ids):
        assert scenario.status == ScenarioStatus.DONE, scenario.error
        assert scenario.attempts == 1, f"{scenario} was taken {scenario.attempts} times"
        assert taken_by(scenario.task_id) == [scenario.held_by]
        assert scenario.held_by in WORKERS
    for dataset in Dataset.objects.filter(pk__in=dataset_ids):
        assert dataset.status == DatasetStatus.READY, dataset.error
        assert dataset.attempts == 1, f"{dataset} was read {dataset.attempts} times"
        assert taken_by(dataset.task_id) == [dataset.held_by]
    # both app servers read what the workers stored (the studies on shared storage)
    for port in ports:
        status, body = http(f"http://127.0.0.1:{port}/api/trs/datasets/{dataset_ids[0]}", token=token)
        assert status == 200 and body["status"] == "ready"

    # a worker killed in the middle of a long solve
    long = roadmap_services._scenario_insert(
        actor=None,
        plan=world.plan,
        name="Killed half-way",
        objective="weighted",
        time_limit_s=6,
        workers=1,
        replan_from=None,
    )
    Scenario.objects.filter(pk=long.pk).update(
        problem=problem_document(roadmap_generator.generate_roadmap(items=300, seed=4))
    )
    work.enqueue(SCENARIO, long.pk)

    def solving() -> str | None:
        found = Scenario.objects.get(pk=long.pk)
        running = found.status == ScenarioStatus.RUNNING and (found.progress or {}).get("elapsed", 0) >= 1
        return found.held_by if running else None

    victim = until(solving, "a worker to be solving", *workers)
    first_task = Scenario.objects.get(pk=long.pk).task_id
    killed = workers[WORKERS.index(victim)]
    os.killpg(killed.pid, signal.SIGKILL)
    killed.popen.wait(timeout=30)

    def over() -> Scenario | None:
        found = Scenario.objects.get(pk=long.pk)
        return found if found.status not in (ScenarioStatus.QUEUED, ScenarioStatus.RUNNING) else None

    finished = until(over, "the other worker to take the scenario over", *workers)
    survivor = next(name for name in WORKERS if name != victim)
    assert finished.status == ScenarioStatus.DONE, finished.error
    assert finished.attempts == 2
    assert finished.held_by == survivor
    assert taken_by(finished.task_id) == [survivor]
    # the queue tells the truth about the lost attempt too
    until(
        lambda: DBTaskResult.objects.get(pk=first_task).status == TaskResultStatus.FAILED,
        "the lost attempt's task to be closed",
        *workers,
    )
    assert taken_by(first_task) == [victim]
