"""A planner reads a Time Release Study, filters and breaks it down, then computes an
indicator from it, in a real browser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Session
from tests.world import World
from waypoint.engine.trs import generator
from waypoint.trs import services

pytestmark = pytest.mark.browser


def test_a_planner_reads_a_study_and_computes_an_indicator_from_it(
    live_world: World, session: Session, settings: Any, tmp_path: Path
) -> None:
    settings.WAYPOINT_TRS_DATA = tmp_path / "data"
    settings.WAYPOINT_TRS_STUDIES = tmp_path / "studies"
    generator.write(4000, tmp_path / "data" / "y2013", seed=3, scenario=generator.Scenario(start=dt.date(2013, 1, 1)))
    dataset = services.dataset_register(
        actor=None, administration=live_world.unit("ADM"), name="Study 2013", server_path="y2013", run_now=True
    )

    page = session.sign_in("planner")
    page.get_by_role("link", name="Clearance times").click()
    page.get_by_role("link", name="Study 2013").click()
    expect(page.get_by_test_id("dataset-status")).to_contain_text("4000 of 4000 declarations used")
    expect(page.locator('[data-vega-spec="steps-chart"] svg.marks')).to_be_visible()
    expect(page.locator('[data-vega-spec="curve-chart"] svg.marks')).to_be_visible()

    page.select_option("#f_mode", "road")
    page.select_option("#by", "channel")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", name="By channel")).to_be_visible()
    expect(page.get_by_test_id("total-release")).to_contain_text("median")
    assert "f_mode=road" in page.url

    west = live_world.indicators["west"]
    page.goto(f"{session.base_url}/indicators/{west.pk}/")
    page.get_by_role("link", name="Compute from Time Release Study data").click()
    page.select_option("#id_dataset", str(dataset.pk))
    page.fill("#id_filters", "mode=road")
    page.get_by_role("button", name="Compute").click()
    expect(page.locator(".alert-success")).to_contain_text("1 value computed")
    expect(page.get_by_test_id("trs-binding")).to_contain_text("mode = road")
    page.screenshot(path=str(tmp_path / "indicator.png"), full_page=True)
