"""A bounded schemathesis pass over the whole API with a planner's token (issue 12, "Keep it held").

Schemathesis reads the OpenAPI document the API publishes at ``/api/openapi.json`` and, for every
operation, sends the schema's examples, its boundary cases (the coverage phase: numbers past
every limit, nulls, wrong types) and a fixed budget of generated requests to the Django WSGI
application. A test fails on any 5xx answer, on an answer whose status code the document does
not list, and on a body that does not match the documented schema. Generation is derandomised
with a fixed seed, so a run is the same on every machine and a failure reproduces.

Numbers in paths (``plan_id``, ``indicator_id`` …) are mostly swapped for ids of the test world's
objects, so that requests reach the code behind the "not found" answer.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from tests.world import World
from waypoint.api import api
from waypoint.org.services import api_token_create

#: examples per operation in the fuzzing phase, on top of the examples and coverage phases
FUZZ_EXAMPLES = 30

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 12,
        "generation": {"max-examples": FUZZ_EXAMPLES, "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
        },
    }
)


class OneConnectionWSGIHandler(WSGIHandler):
    """Django's WSGI application as the test client runs it: the database connection stays open
    from one request to the next, because the test's transaction (and on PostgreSQL the test
    database itself) lives on it. A server closes it at the end of every request."""

    def __call__(self, environ: Any, start_response: Any) -> Any:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = super().__call__(environ, start_response)
            content = b"".join(response)
            response.close()  # fires request_finished, as a server would
            return [content]
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def _schema() -> Any:
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
    loaded.app = OneConnectionWSGIHandler()
    return loaded


schema = _schema()

# the test world of the running test, and the ids of its objects by path parameter name (made
# on first use: a solved scenario or a read dataset costs seconds, and most operations need neither)
_WORLD: list[World] = []
_IDS: dict[str, list[Any]] = {}


def _known(name: str) -> list[Any]:
    from tests.test_permission_matrix import (
        assessment,
        dataset,
        follow_up_action,
        meeting,
        monitoring_report,
        scenario,
        team,
    )

    if name not in _IDS:
        w = _WORLD[0]
        makers: dict[str, Any] = {
            "plan_id": lambda: [w.plan.pk],
            "element_id": lambda: [e.pk for e in w.elements.values()],
            "indicator_id": lambda: [i.pk for i in w.indicators.values()],
            "actual_id": lambda: list(w.indicators["west"].actuals.values_list("pk", flat=True)),
            "team_id": lambda: [team(w)],
            "scenario_id": lambda: [scenario(w)],
            "dataset_id": lambda: [dataset(w)],
            "assessment_id": lambda: [assessment(w).pk],
            "framework_id": lambda: [assessment(w).framework_id],
            "code": lambda: list(w.units),
            "period": lambda: ["2013", "2014"],
            "rule": lambda: ["Q602"],
            "report_id": lambda: [monitoring_report(w), monitoring_report(w, "RD-S"), monitoring_report(w, "ADM")],
            "action_id": lambda: [follow_up_action(w)],
            "meeting_id": lambda: [meeting(w)],
        }
        _IDS[name] = makers[name]() if name in makers else []
    return _IDS[name]


@pytest.fixture
def planner_token(world: World) -> str:
    _WORLD[:] = [world]
    _IDS.clear()
    _token, key = api_token_create(actor=world.users["planner"], name="schemathesis")
    return key


def _aim(case: Any) -> None:
    """Point most generated ids at real objects (three in four; the rest stay as generated)."""
    params = case.path_parameters or {}
    for name, value in list(params.items()):
        if not isinstance(value, int | str):
            continue
        seed = value if isinstance(value, int) else len(value)
        if seed % 4 and (known := _known(name)):
            params[name] = known[seed % len(known)]


@schema.parametrize()  # type: ignore[untyped-decorator]  # schemathesis types it as a bare Callable
# the world and the token are made once per operation, on purpose: the requests of one operation
# share them (and what earlier requests changed), as they would against a running server
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_answers_every_generated_request_without_a_server_error(case: Any, planner_token: str) -> None:
    _aim(case)
    case.call_and_validate(headers={"Authorization": f"Bearer {planner_token}"})


def test_the_pass_reads_the_document_the_api_publishes(world: World) -> None:
    """The schema above is built in-process (collection needs no database); it is the very
    document ``/api/openapi.json`` serves to a signed-in user."""
    from django.test import Client

    client = Client()
    client.force_login(world.users["viewer"])
    served = client.get("/api/openapi.json").json()
    assert served == json.loads(json.dumps(api.get_openapi_schema()))
