"""The monitoring cycle through the API: draft, submit, approve, un-approve."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.monitoring.conftest import report_of
from tests.world import World
from waypoint.monitoring.models import ReportingCalendar

pytestmark = pytest.mark.django_db


def _send(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def test_a_report_goes_through_the_api(world: World, cycle: ReportingCalendar, client: Client) -> None:
    report = report_of(cycle, "BP-S1", "2013")
    (line,) = report.assignments.all()
    client.force_login(world.users["contributor_post"])  # the post reports; its directorate decides
    answer = _send(
        client, "put", f"/api/reports/{report.pk}/draft", {"entries": [{"assignment": line.pk, "value": "1e30"}]}
    )
    assert answer.status_code == 400
    assert answer.json()["problems"][0]["location"] == f"a{line.pk}.value"
    answer = _send(client, "post", f"/api/reports/{report.pk}/submit", {})
    assert answer.status_code == 400  # nothing reported yet
    answer = _send(
        client,
        "put",
        f"/api/reports/{report.pk}/draft",
        {"version": report.version, "entries": [{"assignment": line.pk, "value": 7.5}]},
    )
    assert answer.status_code == 200 and answer.json()["assignments"][0]["value"] == "7.5000"
    stale = _send(client, "put", f"/api/reports/{report.pk}/draft", {"version": report.version, "entries": []})
    assert stale.status_code == 409
    assert _send(client, "post", f"/api/reports/{report.pk}/submit", {}).json()["status"] == "submitted"
    client.force_login(world.users["contributor"])
    answer = _send(client, "post", f"/api/reports/{report.pk}/decision", {"decision": "approve"})
    assert answer.json()["status"] == "approved"
    answer = _send(client, "post", f"/api/reports/{report.pk}/decision", {"decision": "unapprove"})
    assert answer.status_code == 400 and answer.json()["problems"][0]["location"] == "reason"
    answer = _send(client, "post", f"/api/reports/{report.pk}/decision", {"decision": "unapprove", "reason": "Recount"})
    assert answer.json()["status"] == "returned" and answer.json()["reason"] == "Recount"
    listed = client.get(f"/api/plans/{world.plan.pk}/reports?unit=BP-S1&period=2013").json()
    assert [r["id"] for r in listed] == [report.pk]
    assert client.get(f"/api/plans/{world.plan.pk}/reports?status=nonsense").status_code == 400


def test_periods_and_reports_come_shorter_first_as_the_grid_shows_them(
    world: World, cycle: ReportingCalendar, client: Client
) -> None:
    client.force_login(world.users["planner"])
    codes = [p["code"] for p in client.get(f"/api/plans/{world.plan.pk}/calendar").json()["periods"]]
    # 2012Q4 and the year 2012 both end on 31 December: the quarter first, then the year it sums up
    assert codes == ["2012Q1", "2012Q2", "2012Q3", "2012Q4", "2012", "2013Q1", "2013Q2", "2013Q3", "2013Q4", "2013"]
    listed = [r["period"] for r in client.get(f"/api/plans/{world.plan.pk}/reports?unit=BP-S1").json()]
    assert listed.index("2012Q4") < listed.index("2012") < listed.index("2013Q1")


def test_my_reports_put_a_quarter_before_the_year_due_the_same_day(world: World, cycle: ReportingCalendar) -> None:
    from waypoint.monitoring import selectors

    codes = [s.period.code for s in selectors.my_reports(world.users["contributor_post"], world.plan)]
    assert codes.index("2012Q4") < codes.index("2012") < codes.index("2013Q1")
