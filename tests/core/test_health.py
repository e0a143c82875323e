"""``/healthz`` for load balancers and monitoring, and the notice on the pages that wait on the
background worker when no worker has been seen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import DatabaseError
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.roadmap.conftest import Roadmap
from tests.world import World
from waypoint.core import health, work
from waypoint.core.models import WorkerBeat
from waypoint.roadmap import services as roadmap_services
from waypoint.trs import services as trs_services

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue(settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS


def seen(seconds_ago: float) -> None:
    at = timezone.now() - dt.timedelta(seconds=seconds_ago)
    WorkerBeat.objects.create(worker_id=f"w{seconds_ago}", host="h", pid=1, started_at=at, seen_at=at)


def test_healthy_when_the_database_answers_and_a_worker_was_seen(db: None, client: Client, queue: None) -> None:
    seen(5)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok", "worker": "ok"}}
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies, "no session for a probe"


def test_unavailable_when_no_worker_was_seen_recently(db: None, client: Client, queue: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "never seen"
    seen(600)
    assert client.get("/healthz").json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "migrations": "ok", "worker": "not seen recently"},
    }


def test_unavailable_when_migrations_are_not_applied(
    db: None, client: Client, queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen(1)
    monkeypatch.setattr(health, "_migrated", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("core", "9999_later")])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "pending"


def test_unavailable_when_the_database_does_not_answer(
    db: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Unreachable:
        def cursor(self) -> Any:
            raise DatabaseError("could not connect to server at 10.0.0.7: secret detail")

    monkeypatch.setattr(health, "connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "unreachable", "migrations": "unknown", "worker": "unknown"},
    }
    assert b"10.0.0.7" not in response.content and b"secret" not in response.content


def test_needs_no_sign_in_and_no_https_redirect(db: None, client: Client, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True  # as in production: a load balancer probes over plain HTTP
    response = client.get("/healthz")
    assert response.status_code == 200  # no worker needed: tests run tasks at once
    assert reverse("healthz") == "/healthz"
    assert client.post("/healthz").status_code == 405


def test_the_scenario_page_says_when_no_worker_was_seen(roadmap: Roadmap, client: Client, queue: None) -> None:
    scenario = roadmap_services.scenario_create(actor=None, plan=roadmap.world.plan, name="Waiting", time_limit_s=2)
    client.force_login(roadmap.world.users["viewer"])
    url = reverse("scenario-detail", args=[scenario.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="worker-missing"' in page
    assert "No background worker has been seen" in page
    seen(300)
    polled = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "The background worker was last seen 5 minutes ago" in polled
    seen(2)
    assert 'data-testid="worker-missing"' not in client.get(url).content.decode()


def test_the_dataset_page_says_when_no_worker_was_seen(world: World, client: Client, queue: None) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = b"declaration_id,milestone,timestamp\nD1,arrival,2012-01-01T08:00:00Z\nD1,release,2012-01-01T10:00:00Z\n"
    dataset = trs_services.dataset_upload(
        actor=None, administration=world.unit("ADM"), name="Waiting", upload=SimpleUploadedFile("w.csv", csv)
    )
    client.force_login(world.users["planner"])
    seen(120)
    page = client.get(reverse("trs-dataset", args=[dataset.pk])).content.decode()
    assert "The background worker was last seen 2 minutes ago" in page
    assert work.worker_absence() is not None
