"""The forecast to the plan's final target on the indicator page (engine.monitoring.forecast)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.world import World
from waypoint.indicators import selectors
from waypoint.indicators import services as indicator_services

pytestmark = pytest.mark.django_db


def _record(world: World, values: dict[str, str]) -> None:
    for period, value in values.items():
        indicator_services.actual_record(
            actor=None, indicator=world.indicators["south"], period=period, value=Decimal(value)
        )


def test_a_trend_that_falls_short_is_unlikely_to_reach_the_target(world: World, client: Client) -> None:
    _record(world, {"2013": "8", "2014": "7.5"})  # 8.5, 8, 7.5: 6.5 in 2016 against a target of 5
    south = world.indicators["south"]
    state = selectors.indicator_states(world.plan, [south])[south.pk]
    view = selectors.indicator_forecast(state, world.plan.end_year)
    assert view is not None
    assert view.forecast.projected == pytest.approx(6.5)
    assert view.forecast.verdict.value == "unlikely"
    client.force_login(world.users["viewer"])
    page = client.get(reverse("indicator-detail", args=[south.pk])).content.decode()
    assert "Forecast 2016" in page and "unlikely to reach the target" in page


def test_a_steep_enough_trend_is_likely(world: World) -> None:
    _record(world, {"2013": "7.5", "2014": "6.5"})  # 8.5, 7.5, 6.5: 4.5 in 2016, the target is 5
    south = world.indicators["south"]
    state = selectors.indicator_states(world.plan, [south])[south.pk]
    view = selectors.indicator_forecast(state, world.plan.end_year)
    assert view is not None and view.forecast.verdict.value == "likely"


def test_two_years_are_too_few_for_a_forecast(world: World) -> None:
    _record(world, {"2013": "8"})
    south = world.indicators["south"]
    state = selectors.indicator_states(world.plan, [south])[south.pk]
    assert selectors.indicator_forecast(state, world.plan.end_year) is None


def test_the_overview_shows_the_forecast_of_each_key_indicator(world: World, client: Client) -> None:
    from waypoint.indicators.models import Indicator

    _record(world, {"2013": "8", "2014": "7.5"})  # unlikely, as above
    Indicator.objects.filter(pk__in=[world.indicators["south"].pk, world.indicators["west"].pk]).update(is_key=True)
    client.force_login(world.users["viewer"])
    page = client.get(reverse("plan-overview", args=[world.plan.pk])).content.decode()
    assert "Forecast 2016" in page
    cells = page.split('data-testid="overview-forecast"')[1:]
    assert len(cells) == 2
    assert any("unlikely to reach the target" in cell.split("</td>")[0] for cell in cells)


def test_the_report_page_shows_each_indicators_forecast(world: World, client: Client) -> None:
    from tests.monitoring.conftest import report_of
    from waypoint.monitoring import services as monitoring

    _record(world, {"2013": "8", "2014": "7.5"})  # unlikely, as above
    calendar = monitoring.calendar_save(actor=None, plan=world.plan, first_year=2012, last_year=2014)
    report = report_of(calendar, "BP-S1", "2014")
    client.force_login(world.users["viewer"])
    page = client.get(reverse("monitoring-report", args=[report.pk])).content.decode()
    assert 'data-testid="report-forecast"' in page
    forecast = page.split('data-testid="report-forecast"')[1].split("</span></span>")[0]
    assert "Forecast 2016" in forecast and "unlikely to reach the target" in forecast
