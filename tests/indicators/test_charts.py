"""The indicator chart's value axis follows the indicator's decimals (issue 13: a chart with
only a baseline read "5.000000")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.world import World
from waypoint.indicators import selectors, services
from waypoint.indicators.charts import indicator_chart


def value_encodings(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The y encodings and value tooltips of every layer."""
    found = []
    for layer in [spec, *spec.get("layer", [])]:
        encoding = layer.get("encoding", {})
        if "y" in encoding:
            found.append(encoding)
    return found


@pytest.mark.parametrize(("decimals", "number", "step"), [(0, ",.0f", 1), (2, ",.2f", 0.01)])
def test_an_indicator_with_only_a_baseline_reads_its_own_decimals(
    world: World, decimals: int, number: str, step: float
) -> None:
    for aggregation in ("mean", "sum"):  # a level is drawn as a line, a flow as bars
        indicator = services.indicator_create(
            actor=None,
            plan=world.plan,
            element=world.elements["G1"],
            name=f"Lanes open ({aggregation})",
            unit_of_measure="lanes",
            direction="increase",
            aggregation=aggregation,
            frequency="year",
            owner_unit=world.unit("HQ-PLN"),
            decimals=decimals,
            baseline_value=Decimal(5),
            baseline_date=dt.date(2011, 12, 31),
        )
        state = selectors.indicator_states(world.plan, [indicator])[indicator.pk]
        encodings = value_encodings(indicator_chart(state))
        assert encodings, aggregation
        for encoding in encodings:
            assert encoding["y"]["axis"]["format"] == number, aggregation
            assert encoding["y"]["axis"]["tickMinStep"] == step, aggregation
            values = [t for t in encoding["tooltip"] if t["field"] == "value"]
            assert values and all(t["format"] == number for t in values), aggregation
