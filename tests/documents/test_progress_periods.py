"""A progress report's period: the plan's years and quarters, newest first, the latest period
with data offered first; a quarter's report states its coverage and shows an indicator reported
yearly with its year's value, or says why it has none."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from tests.world import World
from waypoint.documents import content
from waypoint.documents.blocks import Block, Bullets, Document, Paragraph, Table
from waypoint.engine.periods import Period
from waypoint.indicators import services as indicator_services


def test_the_periods_are_years_and_quarters_and_the_latest_with_data_comes_first(world: World) -> None:
    periods = content.progress_periods(world.plan)
    assert periods[:7] == ["2016", "2016Q4", "2016Q3", "2016Q2", "2016Q1", "2015", "2015Q4"]
    assert len(periods) == 25 and periods[-1] == "2012Q1"
    assert content.default_progress_period(world.plan, periods) == "2012"  # the only year with values
    # one indicator in two has a 2013 value: 2013 has data; 2016Q4, still to come in the story, does not
    indicator_services.actual_record(actor=None, indicator=world.indicators["south"], period="2013", value=Decimal(8))
    assert content.default_progress_period(world.plan, periods) == "2013"

    client = Client()
    client.force_login(world.users["viewer"])
    page = client.get(reverse("documents", args=[world.plan.pk])).content.decode()
    assert '<option value="2013" selected>2013, the whole year</option>' in page
    assert '<option value="2013Q2">2013Q2</option>' in page


def _blocks(document: Document, key: str) -> list[Block]:
    return next(s.blocks for s in document.sections if s.key == key)


def test_a_quarters_report_states_its_coverage_and_shows_yearly_values_or_why_not(world: World) -> None:
    south, west = world.indicators["south"], world.indicators["west"]
    indicator_services.actual_record(actor=None, indicator=south, period="2013", value=Decimal(8))
    quarterly = indicator_services.indicator_create(
        actor=None,
        plan=world.plan,
        element=world.elements["O1.2"],
        name="Lanes open",
        unit_of_measure="lanes",
        direction="increase",
        aggregation="latest",
        frequency="quarter",
        owner_unit=world.unit("RD-W"),
        baseline_value=Decimal(2),
        baseline_date=dt.date(2011, 12, 31),
    )
    indicator_services.actual_record(actor=None, indicator=quarterly, period="2013Q1", value=Decimal(3))
    report = content.progress_report(world.plan, Period.parse("2013Q2"))

    health = [b.text for b in _blocks(report, "health") if isinstance(b, Paragraph)]
    assert health[0].endswith("from the 2 indicators with a value.")
    assert health[1] == (
        "0 of 3 indicators have a value for 2013Q2; 2 are shown with a value of another period of 2013 "
        "(the year's own, for indicators reported yearly); 1 has none (listed under the indicator "
        "table, with the reason)."
    )
    blocks = _blocks(report, "indicators")
    table = next(b for b in blocks if isinstance(b, Table))
    rows = {row[0]: row for row in table.rows}
    assert rows[south.code][3:6] == ["8.0", "8.0 (2013)", "on_track|On track"]  # the year's target and value
    assert rows[quarterly.code][4] == "3.0 (2013Q1)"  # the latest quarter of the year with a value
    assert rows[west.code][4:6] == ["—", "no_data|No data"]
    reasons = next(b for b in blocks if isinstance(b, Bullets)).items
    assert reasons == [f"{west.code} Release time in the west: reported yearly; no 2013 value recorded yet"]

    # a year's report: each indicator's own value for the year, nothing stood in
    year = content.progress_report(world.plan, Period.parse("2013"))
    assert [b.text for b in _blocks(year, "health") if isinstance(b, Paragraph)][1].startswith(
        "2 of 3 indicators have a value for 2013; 1 has none"
    )
