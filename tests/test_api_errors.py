"""The API's refusals (issue 12): one JSON shape for every error, documented on every operation;
input the database cannot hold, bodies that are not JSON text and nulls where no empty value
exists are refused with their location, never answered with a server error."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.world import World
from waypoint.api import api
from waypoint.indicators.models import Indicator
from waypoint.plans.models import Plan, PlanElement
from waypoint.roadmap.models import BudgetCap, Team


def planner(world: World) -> Client:
    client = Client()
    client.force_login(world.users["planner"])
    return client


def send(client: Client, method: str, path: str, body: Any) -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return getattr(client, method)(path, data=data, content_type="application/json")


def locations(response: Any) -> set[str]:
    return {p["location"] for p in response.json().get("problems", [])}


def test_a_change_may_leave_a_field_out_but_not_send_it_as_null(world: World) -> None:
    """``{"start_year": null}`` in a PATCH was a server error: the plan's start year has no empty
    value. Leaving it out keeps it; null is refused where it is."""
    client = planner(world)
    path = f"/api/plans/{world.plan.pk}"
    for name in ("start_year", "title", "currency"):
        refused = send(client, "patch", path, {"version": world.plan.version, name: None})
        assert refused.status_code == 422, (name, refused.content)
        assert locations(refused) == {f"$.{name}"}
    element = world.elements["I1.1.1"]
    refused = send(client, "patch", f"/api/elements/{element.pk}", {"version": element.version, "title": None})
    assert refused.status_code == 422 and locations(refused) == {"$.title"}
    actual = world.indicators["west"].actuals.get()
    refused = send(client, "patch", f"/api/actuals/{actual.pk}", {"version": actual.version, "value": None})
    assert refused.status_code == 422 and locations(refused) == {"$.value"}
    # a nullable field still takes null: it clears the value
    cleared = send(client, "patch", f"/api/elements/{element.pk}", {"version": element.version, "ends_on": None})
    assert cleared.status_code == 200 and cleared.json()["ends_on"] is None
    kept = send(client, "patch", path, {"version": world.plan.version, "vision": "Kept"})
    assert kept.status_code == 200 and kept.json()["start_year"] == world.plan.start_year


def test_a_month_in_year_zero_is_refused_not_a_server_error(world: World) -> None:
    client = planner(world)
    element = world.elements["I1.1.1"]
    refused = send(client, "patch", f"/api/elements/{element.pk}", {"version": element.version, "starts_on": "0000-01"})
    assert refused.status_code == 422 and locations(refused) == {"$.starts_on"}
    team = {"code": "T0", "name": "Zero", "capacity": 1, "changes": [{"month": "0000-01", "people": 2}]}
    refused = send(client, "post", f"/api/plans/{world.plan.pk}/roadmap/teams", team)
    assert refused.status_code == 422 and locations(refused) == {"$.changes[0].month"}


@pytest.mark.parametrize("number", [2**64, 2**63, 32768, -(2**64)])
def test_team_sizes_the_database_cannot_hold_are_refused(world: World, number: int) -> None:
    """A team capacity above 2**63 was a server error (SQLite cannot hold it; PostgreSQL's
    smallint stops at 32767): the rule in core/rules.py refuses it, with its location."""
    client = planner(world)
    path = f"/api/plans/{world.plan.pk}/roadmap/teams"
    refused = send(client, "post", path, {"code": "BIG", "name": "Big", "capacity": number})
    assert refused.status_code in (400, 422), refused.content
    assert locations(refused) in ({"capacity"}, {"$.capacity"})
    changes = [{"month": "2013-01", "people": number}]
    refused = send(client, "post", path, {"code": "BIG", "name": "Big", "capacity": 1, "changes": changes})
    assert refused.status_code in (400, 422), refused.content
    assert locations(refused) in ({"changes[0]"}, {"$.changes[0].people"})
    assert not Team.objects.filter(code="BIG").exists()


def test_indicator_decimals_and_budget_caps_the_database_cannot_hold_are_refused(world: World) -> None:
    client = planner(world)
    indicator = world.indicators["west"]
    for decimals in (2**64, 9, -1):
        refused = send(client, "patch", f"/api/indicators/{indicator.pk}", {"version": 1, "decimals": decimals})
        assert refused.status_code == 400, (decimals, refused.content)
        assert locations(refused) == {"decimals"}
    assert Indicator.objects.get(pk=indicator.pk).decimals == 1
    cap = [{"funding_source": world.source.name, "year": 2013, "amount": "1e20"}]
    refused = send(client, "put", f"/api/plans/{world.plan.pk}/roadmap/caps", cap)
    assert refused.status_code == 400, refused.content
    assert "too large" in refused.json()["problems"][0]["message"]
    assert not BudgetCap.objects.exists()


BAD_BODIES = {
    "not UTF-8": (b'{"title": "\xff"}', "$"),
    "lone surrogate": ('{"title": "\\ud800", "responsible_unit": "HQ-PLN"}', "$.title"),
    "lone surrogate in a key": ('{"\\udc00": 1}', "$"),
    "nested 100000 deep": ("[" * 100_000 + "]" * 100_000, "$"),
    "not JSON": ("{bad", "$"),
    "NaN, which JSON does not have": ('{"title": "x", "responsible_unit": "HQ-PLN", "n": [NaN]}', "$.n[0]"),
    "a NUL character": ('{"title": "x\\u0000", "responsible_unit": "HQ-PLN"}', "$.title"),
}


@pytest.mark.parametrize("name", BAD_BODIES)
def test_a_body_that_is_not_json_text_is_refused_with_its_location(world: World, name: str) -> None:
    body, where = BAD_BODIES[name]
    refused = send(planner(world), "post", f"/api/plans/{world.plan.pk}/elements", body)
    assert refused.status_code == 400, (name, refused.content)
    assert refused.json()["code"] == "invalid"
    assert locations(refused) == {where}, name
    assert PlanElement.objects.filter(plan=world.plan).count() == len(world.elements)


def test_nesting_within_the_parser_but_past_the_limit_is_located(world: World) -> None:
    """70 levels parse, but no Waypoint document is that deep: refused where it goes too deep."""
    body = {"title": "x", "responsible_unit": "HQ-PLN", "extra": json.loads("[" * 70 + "]" * 70)}
    refused = send(planner(world), "post", f"/api/plans/{world.plan.pk}/elements", body)
    assert refused.status_code == 400
    (where,) = locations(refused)
    assert where.startswith("$.extra[0]") and "too deeply" in refused.json()["problems"][0]["message"]


def test_a_csrf_failure_answers_in_the_api_error_shape(world: World) -> None:
    """A signed-in browser session that writes without the CSRF token is refused in JSON, as
    every other API error (it was Django's HTML page); a caller with no session at all is told
    to sign in."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["planner"])
    status = send(client, "post", f"/api/plans/{world.plan.pk}/status", {"status": "under_review"})
    assert status.status_code == 403
    assert status["Content-Type"].startswith("application/json")
    assert status.json()["code"] == "csrf_failed" and status.json()["message"]
    # outside ninja's operations (the schema's URL), Django's own CSRF check answers the same way
    schema = send(client, "post", "/api/openapi.json", {})
    assert schema.status_code == 403 and schema.json()["code"] == "csrf_failed"
    anonymous = send(Client(enforce_csrf_checks=True), "post", f"/api/plans/{world.plan.pk}/status", {})
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "unauthenticated"
    # a web page keeps Django's page
    page = Client(enforce_csrf_checks=True)
    page.force_login(world.users["planner"])
    assert b"CSRF" in page.post(f"/plans/{world.plan.pk}/status/", {"status": "under_review"}).content


def test_an_unknown_id_behind_get_object_or_404_answers_in_the_error_shape(world: World) -> None:
    response = planner(world).delete(f"/api/plans/{world.plan.pk}/roadmap/teams/999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_openapi_document_lists_the_error_answers_of_every_operation() -> None:
    document = api.get_openapi_schema()
    schemas = document["components"]["schemas"]
    assert set(schemas["ErrorOut"]["required"]) == {"code", "message"}
    assert "current_version" in schemas["ConflictOut"]["properties"]
    operations = [(path, method, op) for path, methods in document["paths"].items() for method, op in methods.items()]
    assert len(operations) > 50
    for path, method, operation in operations:
        answers = operation["responses"]
        assert {401, 403} <= set(answers), (method, path)
        if "{" in path:
            assert 404 in answers, (method, path)
        if method != "get":
            assert 400 in answers, (method, path)
        if operation.get("parameters") or operation.get("requestBody"):
            assert 422 in answers, (method, path)
        for status in set(answers) & {400, 401, 403, 404, 409, 422}:
            ref = answers[status]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("ConflictOut" if status == 409 else "ErrorOut")
    patches = [op for path, method, op in operations if method == "patch"]
    assert patches and all(409 in op["responses"] for op in patches)
    # a field a change may leave out but not empty is documented as not nullable
    plan_patch = schemas["PlanPatch"]["properties"]
    assert plan_patch["start_year"] == {"title": "Start Year", "type": "integer"}


def test_a_nul_character_in_an_address_is_refused_before_the_database_sees_it(world: World) -> None:
    """PostgreSQL refuses NUL in text, so /api/units/%00 or ?q=%00 failed the query (a 500)."""
    client = planner(world)
    for url in (
        "/api/units/RD%00",
        f"/api/plans/{world.plan.pk}/indicators?q=a%00b",
        f"/api/plans/{world.plan.pk}/indicators?q=a%00b&q=fine",  # an earlier value of a repeated parameter
    ):
        refused = client.get(url)
        assert refused.status_code == 400, url
        assert refused.json()["code"] == "invalid" and locations(refused) == {"url"}
    page = client.get("/units/RD%00/")
    assert page.status_code == 400 and b"NUL" in page.content


def test_text_longer_than_its_column_is_refused_and_documented(world: World) -> None:
    """SQLite ignores a column's length; PostgreSQL failed the write with a server error (a
    four-letter currency in PATCH /api/plans, found by schemathesis on PostgreSQL)."""
    client = planner(world)
    refused = send(client, "patch", f"/api/plans/{world.plan.pk}", {"version": world.plan.version, "currency": "EURO"})
    assert refused.status_code == 400 and locations(refused) == {"$.currency"}
    team = {"code": "T" * 21, "name": "N" * 121, "capacity": 1}
    refused = send(client, "post", f"/api/plans/{world.plan.pk}/roadmap/teams", team)
    assert refused.status_code == 400 and locations(refused) == {"$.code", "$.name"}
    assert Plan.objects.get(pk=world.plan.pk).currency == world.plan.currency
    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert schemas["PlanPatch"]["properties"]["currency"]["maxLength"] == 3
    assert schemas["IndicatorIn"]["properties"]["unit_of_measure"]["maxLength"] == 40
