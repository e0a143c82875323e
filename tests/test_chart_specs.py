"""The charts' Vega-Lite specs are valid against the schema (issue 20).

The pages build their specs without Altair's checks (``waypoint.core.charts``: they were most
of a chart page's time), so these tests check the specs the pages draw, as built there, with
the Vega-Lite schema itself.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # altair's, for its error type
import pytest
from altair.utils import schemapi
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema
from django.test import Client
from django.urls import reverse

from tests.world import World
from waypoint.engine.trs.model import StatRow
from waypoint.indicators import selectors, services
from waypoint.indicators.charts import indicator_chart
from waypoint.roadmap.charts import budget_chart, team_load_chart
from waypoint.roadmap.selectors import Usage
from waypoint.trs.charts import release_curve_chart, steps_chart


def valid(spec: dict[str, Any] | None) -> bool:
    assert spec is not None
    validate_jsonschema(spec, load_schema())
    return True


def test_the_schema_check_catches_a_broken_spec() -> None:
    spec = release_curve_chart([(0.5, 0.1), (20.0, 1.0)], target_hours=24)
    assert spec is not None and valid(spec)
    with pytest.raises(jsonschema.ValidationError):
        valid(spec | {"mark": "no such mark"})


def test_altair_builds_without_checking_each_part() -> None:
    assert schemapi.DEBUG_MODE is False  # waypoint.core.charts, imported by every chart module


def test_indicator_charts_are_valid_vega_lite(world: World) -> None:
    flow = services.indicator_create(
        actor=None,
        plan=world.plan,
        element=world.elements["G1"],
        name="Declarations a year",
        unit_of_measure="declarations",
        direction="increase",
        aggregation="sum",
        frequency="year",
        owner_unit=world.unit("HQ-PLN"),
        baseline_value=Decimal(5),
        baseline_date=dt.date(2011, 12, 31),
    )
    services.actual_record(actor=None, indicator=flow, period="2013", value=Decimal(9))
    states = selectors.indicator_states(world.plan)
    assert any(s.spec.is_flow for s in states.values()) and any(not s.spec.is_flow for s in states.values())
    for state in states.values():
        assert valid(indicator_chart(state)), state.indicator.code
        # the layers written once per shape are those Altair writes afresh (and checks)
        assert indicator_chart(state) == indicator_chart(state, validate=True), state.indicator.code


def test_a_new_value_and_a_new_unit_show_on_the_indicator_chart(world: World, client: Client) -> None:
    """The chart's layers are written once per shape: its rows and its shape still follow
    every change (the page after a write shows it)."""
    client.force_login(world.users["planner"])
    indicator = next(i for i in world.indicators.values() if not i.is_range)
    url = reverse("indicator-detail", args=[indicator.pk])

    def chart() -> dict[str, Any]:
        response = client.get(url)
        assert response.status_code == 200
        spec: dict[str, Any] = response.context["chart"]
        return spec

    before = chart()
    services.actual_record(actor=None, indicator=indicator, period="2014", value=Decimal("123.25"))
    after = chart()
    assert 123.25 in [row["value"] for row in after["data"]["values"] if row["series"] == "Actual"]
    assert 123.25 not in [row["value"] for row in before["data"]["values"] if row["series"] == "Actual"]
    indicator.refresh_from_db()
    services.indicator_update(
        actor=None, indicator=indicator, expected_version=None, changes={"unit_of_measure": "lanes open"}
    )
    assert "lanes open" in json.dumps(chart()) and "lanes open" not in json.dumps(after)


def test_roadmap_charts_are_valid_vega_lite() -> None:
    usage = Usage(
        teams=[
            {"team": "Planning", "month": "2013-01-01", "used": 3, "capacity": 4},
            {"team": "Planning", "month": "2013-02-01", "used": 5, "capacity": 4},
            {"team": "IT", "month": "2013-01-01", "used": 1, "capacity": 0},
        ],
        budgets=[
            {"source": "State budget", "year": 2013, "spent": 1000.0, "cap": 1200.0},
            {"source": "Donor", "year": 2013, "spent": 300.0, "cap": None},
        ],
    )
    assert valid(team_load_chart(usage))
    assert valid(budget_chart(usage))


def test_clearance_time_charts_are_valid_vega_lite() -> None:
    rows = [
        StatRow("lodged", "assessed", {}, 10, 2.0, 1.5, 3.0, 4.0, 5.0, 0.1, 9.0, 2.0),
        StatRow("assessed", "released", {}, 10, 6.0, 4.0, 8.0, 12.0, 20.0, 0.5, 40.0, 5.5),
    ]
    assert valid(steps_chart(rows, rows[1]))
    assert valid(release_curve_chart([(0.5, 0.1), (20.0, 0.8), (130.0, 1.0)], target_hours=24))
