"""The roadmap API: a whole round from teams to a solved scenario, and located errors."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from tests.roadmap.conftest import Roadmap
from waypoint.org.services import api_token_create


def _client(roadmap: Roadmap, persona: str = "planner") -> tuple[Client, dict[str, str]]:
    _token, key = api_token_create(actor=roadmap.world.users[persona], name="test")
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _send(client: Client, auth: dict[str, str], method: str, path: str, body: Any = None) -> Any:
    if method == "get":
        return client.get(path, HTTP_AUTHORIZATION=auth["HTTP_AUTHORIZATION"])
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json", **auth)


def test_from_teams_to_a_solved_scenario(roadmap: Roadmap) -> None:
    client, auth = _client(roadmap)
    plan = roadmap.world.plan
    team = _send(
        client,
        auth,
        "post",
        f"/api/plans/{plan.pk}/roadmap/teams",
        {"code": "IT", "name": "IT", "capacity": 2, "unit": "HQ-PLN", "changes": [{"month": "2013-01", "people": 3}]},
    )
    assert team.status_code == 201, team.content
    assert team.json()["changes"] == [{"month": "2013-01", "people": 3}]
    schedule = _send(
        client, auth, "put", f"/api/elements/{roadmap.joint.pk}/schedule", {"duration_months": 2, "teams": {"IT": 2}}
    )
    assert schedule.json()["teams"] == {"IT": 2}
    dependency = _send(client, auth, "post", f"/api/elements/{roadmap.joint.pk}/dependencies", {"before": "A1.1.1.2"})
    assert dependency.status_code == 201
    assert (
        _send(client, auth, "get", f"/api/elements/{roadmap.joint.pk}/schedule").json()["waits_for"][0]["before"]
        == "A1.1.1.2"
    )
    source = roadmap.world.source.name
    caps = _send(
        client,
        auth,
        "put",
        f"/api/plans/{plan.pk}/roadmap/caps",
        [{"funding_source": source, "year": 2012, "amount": 150000}],
    )
    assert caps.json() == [{"funding_source": source, "year": 2012, "amount": "150000"}]
    created = _send(
        client, auth, "post", f"/api/plans/{plan.pk}/roadmap/scenarios", {"name": "API run", "time_limit_s": 5}
    )
    assert created.status_code == 202
    scenario = _send(client, auth, "get", f"/api/scenarios/{created.json()['id']}").json()
    assert scenario["status"] == "done"
    assert scenario["makespan_months"] == 8  # lanes 4, training 2, then the joint controls 2
    assert {i["element"] for i in scenario["items"]} == {"I1.1.1", "A1.1.1.1", "A1.1.1.2", "I1.2.1"}
    xml = _send(client, auth, "get", f"/api/scenarios/{scenario['id']}/mspdi")
    assert b"<Project" in xml.content
    refused = _send(client, auth, "post", f"/api/scenarios/{scenario['id']}/approve")
    assert refused.status_code == 403
    approver, approver_auth = _client(roadmap, "approver")
    assert _send(approver, approver_auth, "post", f"/api/scenarios/{scenario['id']}/approve").json()["is_baseline"]
    assert _send(client, auth, "delete", f"/api/scenarios/{scenario['id']}").status_code == 400
    assert _send(client, auth, "post", f"/api/scenarios/{scenario['id']}/cancel").status_code == 400


def test_errors_name_the_json_path(roadmap: Roadmap) -> None:
    client, auth = _client(roadmap)
    plan = roadmap.world.plan
    unknown_team = _send(
        client, auth, "put", f"/api/elements/{roadmap.lanes.pk}/schedule", {"duration_months": 2, "teams": {"NOPE": 1}}
    )
    assert unknown_team.status_code == 400
    assert unknown_team.json()["problems"][0]["location"] == "$.teams.NOPE"
    bad_caps = _send(
        client,
        auth,
        "put",
        f"/api/plans/{plan.pk}/roadmap/caps",
        [{"funding_source": "State budget", "year": 2012, "amount": 1}, {"funding_source": "Nobody", "year": 2012}],
    )
    assert bad_caps.json()["problems"][0]["location"] == "$[1].funding_source"
    bad_month = _send(
        client,
        auth,
        "post",
        f"/api/plans/{plan.pk}/roadmap/teams",
        {"code": "X", "name": "X", "capacity": 1, "changes": [{"month": "2013-13", "people": 1}]},
    )
    assert bad_month.json()["problems"][0]["location"] == "$.changes[0].month"
    cycle = _send(client, auth, "post", f"/api/elements/{roadmap.lanes.pk}/dependencies", {"before": "A1.1.1.2"})
    assert cycle.status_code == 400
    assert "cycle" in cycle.json()["message"]
    too_long = _send(
        client, auth, "post", f"/api/plans/{plan.pk}/roadmap/scenarios", {"name": "x", "time_limit_s": 5000}
    )
    assert too_long.json()["problems"][0]["location"] == "$.time_limit_s"
    delete_team = _send(client, auth, "delete", f"/api/plans/{plan.pk}/roadmap/teams/{roadmap.team.pk}")
    assert delete_team.status_code == 204
    removed = _send(
        client, auth, "delete", f"/api/elements/{roadmap.training.pk}/dependencies/{roadmap.lanes.dependents.get().pk}"
    )
    assert removed.status_code == 204


def test_updating_a_team_detects_a_concurrent_change(roadmap: Roadmap) -> None:
    client, auth = _client(roadmap)
    path = f"/api/plans/{roadmap.world.plan.pk}/roadmap/teams/{roadmap.team.pk}"
    body = {"code": "PROJ", "name": "Renamed", "capacity": 2, "version": roadmap.team.version}
    assert _send(client, auth, "put", path, body).status_code == 200
    stale = _send(client, auth, "put", path, body | {"name": "Again"})
    assert stale.status_code == 409
