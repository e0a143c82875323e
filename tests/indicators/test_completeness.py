"""A value one post reported is not the administration's figure (issue 13).

The southern release time is reported by unit. Both posts report 2013; only South Post One has
reported 2014, a bad year. Before the fix that one post's 2014 value became the
administration's: the indicator turned off track and goal G1 with it. Now every page and the
API say "1 of 2 units", show the value as partial and take the status from 2013.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.world import World
from waypoint.indicators import services
from waypoint.indicators.models import Indicator
from waypoint.plans.planfile import plan_export_json, plan_import


@pytest.fixture
def partial(world: World) -> Indicator:
    south = world.indicators["south"]
    for unit, value in (("BP-S1", "7.5"), ("BP-W1", "8.5")):
        services.actual_record(actor=None, indicator=south, period="2013", value=Decimal(value), unit=world.unit(unit))
    services.actual_record(actor=None, indicator=south, period="2014", value=Decimal(12), unit=world.unit("BP-S1"))
    Indicator.objects.filter(pk=south.pk).update(is_key=True)
    south.refresh_from_db()
    return south


def test_the_api_takes_the_status_from_the_last_complete_year_and_shows_the_partial_one(
    world: World, client: Client, partial: Indicator
) -> None:
    client.force_login(world.users["viewer"])
    row = client.get(f"/api/indicators/{partial.pk}").json()
    assert (row["status"], row["status_period"], row["latest_actual"]) == ("on_track", "2013", 8.0)
    assert row["units"] == {"reported": 2, "expected": 2, "needed": 2, "complete": True}
    assert row["partial"] == {
        "period": "2014",
        "value": 12.0,
        "units": {"reported": 1, "expected": 2, "needed": 2, "complete": False},
    }
    assert row["completeness_threshold"] == 100
    listed = {r["code"]: r for r in client.get(f"/api/plans/{world.plan.pk}/indicators").json()}
    assert listed[partial.code]["status"] == "on_track"
    elements = {e["code"]: e for e in client.get(f"/api/plans/{world.plan.pk}/elements").json()}
    # G1: south on track, west off track → at risk (it was off track with one post's 2014 value)
    assert elements["G1"]["health"] == "at_risk"
    assert elements["G1"]["partial_indicators"] == 1
    assert elements["O1.2"]["partial_indicators"] == 0


def test_every_page_that_shows_the_value_says_how_many_units_reported(
    world: World, client: Client, partial: Indicator
) -> None:
    client.force_login(world.users["viewer"])
    pages = {
        "overview": reverse("plan-overview", args=[world.plan.pk]),
        "indicator list": reverse("indicator-list", args=[world.plan.pk]),
        "element": reverse("element-detail", args=[world.elements["O1.1"].pk]),
        "unit": reverse("unit-detail", args=["RD-S"]),
        "indicator": reverse("indicator-detail", args=[partial.pk]),
    }
    for name, url in pages.items():
        page = client.get(url).content.decode()
        assert "1 of 2 units" in page, name
        assert "not counted" in page, name
        assert "units-coverage-partial" in page, name
    overview = client.get(pages["overview"]).content.decode()
    assert "1 partial" in overview  # on goal G1's card and in the plan's health
    goal = client.get(reverse("element-detail", args=[world.elements["G1"].pk])).content.decode()
    assert "1 partial" in goal  # the goal's health says one indicator beneath it is partial
    detail = client.get(pages["indicator"]).content.decode()
    assert 'data-testid="units-reported"' in detail
    assert "100% of the units that report it (2 units so far)." in detail
    assert "(12.00)" not in detail and "(12.0)" in detail  # the partial value, in brackets


def test_a_lower_threshold_lets_the_partial_year_count(world: World, client: Client, partial: Indicator) -> None:
    client.force_login(world.users["planner"])
    page = client.get(reverse("indicator-edit", args=[partial.pk]))
    assert page.context["form"]["completeness_threshold"].value() == 100
    form = {
        name: ("" if value is None else value)
        for name, value in page.context["form"].initial.items()
        if not isinstance(value, bool) or value
    }
    form |= {"element": partial.element_id, "tier": partial.tier_id, "owner_unit": partial.owner_unit_id}
    form |= {"completeness_threshold": 50}
    response = client.post(reverse("indicator-edit", args=[partial.pk]), form)
    assert response.status_code == 302, response.context["form"].errors
    row = client.get(f"/api/indicators/{partial.pk}").json()
    assert (row["status"], row["status_period"], row["partial"]) == ("off_track", "2014", None)
    assert row["units"] == {"reported": 1, "expected": 2, "needed": 1, "complete": True}


def test_the_threshold_travels_in_the_plan_file(world: World, partial: Indicator) -> None:
    services.indicator_update(
        actor=None, indicator=partial, expected_version=None, changes={"completeness_threshold": 60}
    )
    doc = json.loads(plan_export_json(world.plan))
    assert doc["indicators"][0]["completeness_threshold"] == 60
    doc["plan"]["title"] = "Copy"
    copy = plan_import(json.dumps(doc), actor=None)
    assert copy.indicators.get(code=partial.code).completeness_threshold == 60
