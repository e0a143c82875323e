"""``waypoint serve`` and ``waypoint worker`` as real processes: the server says it runs only
once it answers, stopping it stops everything it started, a worker that dies is started again
and the queue is served, and a worker facing a locked SQLite database waits instead of dying.

Each test starts its processes on a database it shares with them (``tests.processes``)."""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.processes import (
    Process,
    command_line,
    descendants,
    environment,
    free_port,
    http,
    port_answers,
    running,
    shared_database_url,
    until,
)
from tests.roadmap.conftest import Roadmap
from waypoint.org import services as org_services
from waypoint.roadmap import services as roadmap_services

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="follows processes through /proc"),
]


@pytest.fixture(autouse=True)
def one_machine(transactional_db: None) -> None:
    """``waypoint serve`` is the one-machine setup: tested on SQLite, which it is made for. On
    PostgreSQL ``test_deployment`` runs the same processes across "machines"."""
    if connection.vendor != "sqlite":
        pytest.skip("waypoint serve on one machine is tested on SQLite; test_deployment covers PostgreSQL")


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def processes(transactional_db: None) -> Iterator[list[Process]]:
    """Processes started by the test, stopped (with all they started) when it ends, before
    the database is emptied."""
    started: list[Process] = []
    yield started
    for process in started:
        process.kill_all()


def start(processes: list[Process], args: list[str], env: dict[str, str], name: str) -> Process:
    process = Process(args, env, name)
    processes.append(process)
    return process


def task_worker_of(serve: Process) -> int | None:
    return next((pid for pid in descendants(serve.pid) if "waypoint.cli worker" in command_line(pid)), None)


def test_serve_answers_once_it_says_it_runs_and_stopping_it_stops_all_it_started(
    tmp_path: Path, processes: list[Process]
) -> None:
    env = environment(tmp_path, shared_database_url(tmp_path))
    port = free_port()
    serve = start(processes, ["serve", "--port", str(port), "--workers", "1"], env, "serve")
    serve.wait_for("Waypoint is running")
    # at once, no retry: the line is a promise that the server answers
    status, body = http(f"http://127.0.0.1:{port}/healthz")
    assert status in (200, 503)
    assert body["checks"]["database"] == "ok"

    until(lambda: task_worker_of(serve), "the background worker to start", serve)
    children = descendants(serve.pid)
    assert len(children) >= 3, "gunicorn, its worker and the background worker"
    serve.popen.send_signal(signal.SIGTERM)  # as a service manager stops it: the parent alone
    serve.popen.wait(timeout=60)
    until(lambda: not any(running(pid) for pid in children), "every process serve started to stop", serve)
    assert not port_answers(port)


def test_a_child_killed_after_the_grace_period_takes_what_it_started_with_it(
    tmp_path: Path, processes: list[Process]
) -> None:
    """With almost no grace, gunicorn's master is killed before it has stopped its workers: the
    workers must not live on as orphans (each child leads a process group that is signalled)."""
    env = environment(tmp_path, shared_database_url(tmp_path)) | {"WAYPOINT_STOP_TIMEOUT_S": "0.05"}
    port = free_port()
    serve = start(processes, ["serve", "--port", str(port), "--workers", "2"], env, "serve")
    serve.wait_for("Waypoint is running")
    until(lambda: task_worker_of(serve), "the background worker to start", serve)
    children = descendants(serve.pid)
    serve.popen.send_signal(signal.SIGTERM)
    serve.popen.wait(timeout=60)
    until(lambda: not any(running(pid) for pid in children), "every process serve started to stop", serve)
    assert not port_answers(port)


def test_a_killed_worker_is_started_again_and_serves_the_queue(
    roadmap: Roadmap, tmp_path: Path, processes: list[Process]
) -> None:
    plan = roadmap.world.plan
    _, token = org_services.api_token_create(actor=roadmap.world.users["planner"], name="operations test")
    env = environment(tmp_path, shared_database_url(tmp_path))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    serve = start(processes, ["serve", "--port", str(port), "--workers", "1"], env, "serve")
    serve.wait_for("Waypoint is running")
    first = until(lambda: task_worker_of(serve), "the background worker to start", serve)
    until(lambda: http(f"{base}/healthz")[0] == 200, "the worker's first heartbeat", serve)

    os.kill(first, signal.SIGKILL)
    # queued right after the kill: the worker started again must take it
    status, created = http(
        f"{base}/api/plans/{plan.pk}/roadmap/scenarios",
        token=token,
        data={"name": "After the restart", "time_limit_s": 1},
    )
    assert status == 202, created
    serve.wait_for("started again")

    def finished() -> dict[str, Any] | None:
        scenario = http(f"{base}/api/scenarios/{created['id']}", token=token)[1]
        return scenario if scenario["status"] in ("done", "failed", "cancelled") else None

    solved = until(finished, "the restarted worker to solve the scenario", serve)
    assert solved["status"] == "done", solved
    assert solved["makespan_months"] > 0
    assert task_worker_of(serve) not in (None, first)
    assert "the background worker stopped (exit code -9); starting it again in" in serve.output


def test_a_worker_waits_out_a_locked_database(
    roadmap: Roadmap, tmp_path: Path, processes: list[Process], settings: Any
) -> None:
    settings.TASKS = DATABASE_TASKS
    scenario = roadmap_services.scenario_create(
        actor=None, plan=roadmap.world.plan, name="Queued behind a long transaction", time_limit_s=2
    )
    assert scenario.status == "queued"
    url = shared_database_url(tmp_path)
    path = url.removeprefix("sqlite:///")
    # a web request's long write transaction, as in the incident: it holds SQLite's write lock
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    env = environment(tmp_path, url, WAYPOINT_SQLITE_TIMEOUT="0.5")
    worker = start(processes, ["worker"], env, "worker")
    first = worker.wait_for("database is locked")
    worker.wait_for("database is locked", after=first + 1)
    assert worker.alive(), worker.output
    writer.execute("COMMIT")
    writer.close()

    def status() -> str | None:
        with sqlite3.connect(path) as reader:
            found = reader.execute("SELECT status FROM roadmap_scenario WHERE id = ?", [scenario.pk]).fetchone()
        return found[0] if found and found[0] != "queued" and found[0] != "running" else None

    assert until(status, "the worker to solve the scenario once the lock is gone", worker) == "done"
    assert worker.alive()
    worker.popen.send_signal(signal.SIGTERM)
    assert worker.popen.wait(timeout=60) == 0, worker.output
