"""The REST API: same rights as the pages, errors located by JSON path, token sign-in."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from tests.world import PERSONAS, World
from waypoint.org.services import api_token_create

ALL_ROLES = {"planner", "contributor", "contributor_west", "approver", "viewer", "administrator"}
PLANNERS = {"planner", "administrator"}


@dataclass(frozen=True)
class Call:
    name: str
    method: str
    path: Callable[[World], str]
    allowed: set[str]
    body: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    ok: tuple[int, ...] = (200, 201, 204)


def _room(w: World) -> Any:
    from tests.test_permission_matrix import room

    return room(w)


CALLS = [
    Call("list units", "get", lambda w: "/api/units", ALL_ROLES),
    # one's own notifications, whoever one is
    Call("list notifications", "get", lambda w: "/api/notifications", ALL_ROLES | {"outsider"}),
    Call("read notifications", "post", lambda w: "/api/notifications/read", ALL_ROLES | {"outsider"}),
    Call("get unit", "get", lambda w: "/api/units/RD-S", ALL_ROLES),
    Call("list plans", "get", lambda w: "/api/plans", ALL_ROLES),
    Call("get plan", "get", lambda w: f"/api/plans/{w.plan.pk}", ALL_ROLES),
    Call("export plan", "get", lambda w: f"/api/plans/{w.plan.pk}/export", ALL_ROLES),
    Call("list elements", "get", lambda w: f"/api/plans/{w.plan.pk}/elements", ALL_ROLES),
    Call("get element", "get", lambda w: f"/api/elements/{w.elements['O1.2'].pk}", ALL_ROLES),
    Call("list indicators", "get", lambda w: f"/api/plans/{w.plan.pk}/indicators", ALL_ROLES),
    Call("get indicator", "get", lambda w: f"/api/indicators/{w.indicators['west'].pk}", ALL_ROLES),
    Call("list targets", "get", lambda w: f"/api/indicators/{w.indicators['west'].pk}/targets", ALL_ROLES),
    Call("list actuals", "get", lambda w: f"/api/indicators/{w.indicators['west'].pk}/actuals", ALL_ROLES),
    Call(
        "create plan",
        "post",
        lambda w: "/api/plans",
        PLANNERS,
        lambda w: {"title": "Next plan", "start_year": 2017, "end_year": 2021},
    ),
    Call(
        "patch plan",
        "patch",
        lambda w: f"/api/plans/{w.plan.pk}",
        PLANNERS,
        lambda w: {"version": w.plan.version, "vision": "New vision"},
    ),
    Call(
        "submit plan",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/status",
        PLANNERS,
        lambda w: {"status": "under_review"},
    ),
    Call(
        "create goal",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/elements",
        PLANNERS,
        lambda w: {"title": "Revenue", "responsible_unit": "HQ-PLN"},
    ),
    Call(
        "create initiative",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/elements",
        PLANNERS | {"contributor"},
        lambda w: {
            "parent_id": w.elements["O1.1"].pk,
            "title": "Scanner",
            "responsible_unit": "BP-S1",
            "starts_on": "2013-01",
            "ends_on": "2013-12",
        },
    ),
    Call(
        "patch element",
        "patch",
        lambda w: f"/api/elements/{w.elements['O1.1'].pk}",
        PLANNERS | {"contributor"},
        lambda w: {"version": 1, "title": "Renamed"},
    ),
    Call(
        "delete element",
        "delete",
        lambda w: f"/api/elements/{w.elements['I1.2.1'].pk}",
        PLANNERS | {"contributor_west"},
    ),
    Call(
        "create indicator",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/indicators",
        PLANNERS | {"contributor_west"},
        lambda w: {
            "name": "Queue",
            "element_id": w.elements["O1.2"].pk,
            "unit_of_measure": "trucks",
            "direction": "decrease",
            "aggregation": "mean",
            "owner_unit": "RD-W",
        },
    ),
    Call(
        "patch indicator",
        "patch",
        lambda w: f"/api/indicators/{w.indicators['west'].pk}",
        PLANNERS | {"contributor_west"},
        lambda w: {"version": 1, "data_source": "TRS"},
    ),
    Call(
        "delete indicator",
        "delete",
        lambda w: f"/api/indicators/{w.indicators['west'].pk}",
        PLANNERS | {"contributor_west"},
    ),
    Call(
        "set target",
        "put",
        lambda w: f"/api/indicators/{w.indicators['west'].pk}/targets/2013",
        PLANNERS | {"contributor_west"},
        lambda w: {"value": 10},
    ),
    Call(
        "record actual",
        "post",
        lambda w: f"/api/indicators/{w.indicators['west'].pk}/actuals",
        PLANNERS | {"contributor_west"},
        lambda w: {"period": "2013", "value": 12},
    ),
    Call(
        "patch actual",
        "patch",
        lambda w: f"/api/actuals/{w.indicators['west'].actuals.get().pk}",
        PLANNERS | {"contributor_west"},
        lambda w: {"version": 1, "value": 13.5},
    ),
    Call(
        "delete actual",
        "delete",
        lambda w: f"/api/actuals/{w.indicators['west'].actuals.get().pk}",
        PLANNERS | {"contributor_west"},
    ),
    # roadmap
    Call("list teams", "get", lambda w: f"/api/plans/{w.plan.pk}/roadmap/teams", ALL_ROLES),
    Call("list caps", "get", lambda w: f"/api/plans/{w.plan.pk}/roadmap/caps", ALL_ROLES),
    Call("list scenarios", "get", lambda w: f"/api/plans/{w.plan.pk}/roadmap/scenarios", ALL_ROLES),
    Call("get schedule", "get", lambda w: f"/api/elements/{w.elements['A1.1.1.1'].pk}/schedule", ALL_ROLES),
    Call(
        "create team",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/roadmap/teams",
        PLANNERS,
        lambda w: {"code": "NEW", "name": "New team", "capacity": 2},
    ),
    Call(
        "put schedule south",
        "put",
        lambda w: f"/api/elements/{w.elements['A1.1.1.1'].pk}/schedule",
        PLANNERS | {"contributor"},
        lambda w: {"duration_months": 5, "weight": 4},
    ),
    Call(
        "add dependency south",
        "post",
        lambda w: f"/api/elements/{w.elements['A1.1.1.1'].pk}/dependencies",
        PLANNERS | {"contributor"},
        lambda w: {"before": "I1.2.1", "kind": "SS", "lag_months": 1},
    ),
    Call(
        "create scenario",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/roadmap/scenarios",
        PLANNERS,
        lambda w: {"name": "From the API", "time_limit_s": 2},
        (202,),
    ),
    # workshops: everyone with a role reads them and takes part; planners create them; guests
    # have no API (tests/test_permission_matrix.py::test_a_guest_is_refused_the_api_and_unknown_urls)
    Call("list workshops", "get", lambda w: "/api/workshops", ALL_ROLES),
    Call("get workshop", "get", lambda w: f"/api/workshops/{_room(w).workshop.pk}", ALL_ROLES),
    Call("workshop record", "get", lambda w: f"/api/workshops/{_room(w).workshop.pk}/record", ALL_ROLES),
    Call("exercise results", "get", lambda w: f"/api/exercises/{_room(w).pairwise.pk}/results", ALL_ROLES),
    Call(
        "create workshop",
        "post",
        lambda w: "/api/workshops",
        PLANNERS,
        lambda w: {"plan_id": w.plan.pk, "title": "From the API", "starts_on": "2012-03-01", "ends_on": "2012-03-02"},
    ),
    Call(
        "add note",
        "post",
        lambda w: f"/api/exercises/{_room(w).board.pk}/notes",
        ALL_ROLES,
        lambda w: {"column": "threat", "text": "Smuggling"},
    ),
    Call(
        "set dots",
        "post",
        lambda w: f"/api/exercises/{_room(w).dots.pk}/dots",
        ALL_ROLES,
        lambda w: {"option": _room(w).dots.options.order_by("pk").first().pk, "dots": 2},
    ),
    Call(
        "set score",
        "post",
        lambda w: f"/api/exercises/{_room(w).scoring.pk}/scores",
        ALL_ROLES,
        lambda w: {
            "option": _room(w).scoring.options.order_by("pk").first().pk,
            "criterion": _room(w).scoring.criteria.order_by("pk").first().pk,
            "value": 4,
        },
    ),
    Call(
        "set comparison",
        "post",
        lambda w: f"/api/exercises/{_room(w).pairwise.pk}/comparisons",
        ALL_ROLES,
        lambda w: {
            "preferred": _room(w).pairwise.options.order_by("pk")[1].pk,
            "other": _room(w).pairwise.options.order_by("pk").first().pk,
            "strength": 5,
        },
    ),
]


def send(client: Client, call: Call, world: World, **extra: Any) -> Any:
    method = getattr(client, call.method)
    body = call.body(world)
    if call.method == "get":
        return method(call.path(world), **extra)
    return method(call.path(world), data=json.dumps(body), content_type="application/json", **extra)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("call", CALLS, ids=[c.name for c in CALLS])
def test_api_rights_by_persona(world: World, call: Call, persona: str) -> None:
    _token, key = api_token_create(actor=world.users[persona], name="test")
    client = Client()
    response = send(client, call, world, HTTP_AUTHORIZATION=f"Bearer {key}")
    if persona in call.allowed:
        assert response.status_code in call.ok, (persona, call.name, response.status_code, response.content[:300])
    elif persona == "outsider" and re.search(r"/(\d+|[A-Z][A-Z0-9-]+)(/|$)", call.path(world)):
        # an object of an administration the caller has no role in is "not found", exactly as
        # one that does not exist (issue 12; it was 403 until then)
        assert response.status_code == 404, (persona, call.name, response.status_code, response.content[:300])
        assert response.json()["code"] == "not_found"
    else:
        assert response.status_code == 403, (persona, call.name, response.status_code, response.content[:300])
        assert response.json()["code"] == "forbidden"


def test_without_credentials_the_api_answers_401(world: World) -> None:
    response = Client().get("/api/plans")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_revoked_token_no_longer_works(world: World) -> None:
    from waypoint.org.services import api_token_revoke

    token, key = api_token_create(actor=world.users["viewer"], name="script")
    client = Client()
    assert client.get("/api/plans", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    api_token_revoke(actor=world.users["viewer"], token=token)
    assert client.get("/api/plans", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_session_writes_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["planner"])
    response = client.post(
        f"/api/plans/{world.plan.pk}/status",
        data=json.dumps({"status": "under_review"}),
        content_type="application/json",
    )
    assert response.status_code == 401 or response.status_code == 403


def test_validation_errors_name_the_json_path(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    response = client.post(
        f"/api/plans/{world.plan.pk}/elements",
        data=json.dumps({"title": "x", "starts_on": "June"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    locations = {p["location"] for p in response.json()["problems"]}
    assert {"$.responsible_unit", "$.starts_on"} <= locations


def test_service_rule_errors_name_the_field(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    response = client.put(
        f"/api/indicators/{world.indicators['west'].pk}/targets/2030",
        data=json.dumps({"value": 1}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["problems"][0]["location"] == "period"


def test_a_stale_version_is_a_409_conflict(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    element = world.elements["G1"]
    path = f"/api/elements/{element.pk}"
    first = client.patch(
        path, data=json.dumps({"version": element.version, "title": "A"}), content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["version"] == element.version + 1
    second = client.patch(
        path, data=json.dumps({"version": element.version, "title": "B"}), content_type="application/json"
    )
    assert second.status_code == 409
    assert second.json()["code"] == "edit_conflict"


def test_import_through_the_api(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    exported = client.get(f"/api/plans/{world.plan.pk}/export").json()
    exported["plan"]["title"] = "Imported copy"
    response = client.post("/api/plans/import", data=json.dumps(exported), content_type="application/json")
    assert response.status_code == 201
    broken = dict(exported, plan={**exported["plan"], "start_year": "soon"})
    refused = client.post("/api/plans/import", data=json.dumps(broken), content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["problems"][0]["location"] == "$.plan.start_year"


def test_statuses_are_in_the_indicator_list(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    rows = {row["code"]: row for row in client.get(f"/api/plans/{world.plan.pk}/indicators").json()}
    assert rows["KPI-02"]["status"] == "off_track"
    assert rows["KPI-01"]["status_period"] == "2012"


def test_the_openapi_document_is_published_to_signed_in_users(world: World, client: Client) -> None:
    for path in ("/api/openapi.json", "/api/docs"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response["Location"], path
    client.force_login(world.users["viewer"])
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/plans/{plan_id}/elements" in response.json()["paths"]
    assert client.get("/api/docs").status_code == 200
