"""A planner solves a roadmap scenario and reads its Gantt chart in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Session
from tests.world import World
from waypoint.roadmap import services

pytestmark = pytest.mark.browser


def test_a_planner_solves_a_scenario_and_zooms_the_gantt_chart(
    live_world: World, session: Session, tmp_path: Path
) -> None:
    plan = live_world.plan
    team = services.team_save(actor=None, plan=plan, code="PROJ", name="Project team", capacity=1)
    for code, months in (("A1.1.1.1", 4), ("I1.2.1", 3)):
        services.item_save(
            actor=None, element=live_world.elements[code], values={"duration_months": months}, demands={team: 1}
        )
    services.item_save(
        actor=None,
        element=live_world.elements["I1.2.1"],
        values={"duration_months": 3, "pinned": True},
        demands={team: 1},
    )

    page = session.sign_in("planner")
    page.goto(f"{session.base_url}/plans/{plan.pk}/roadmap/")
    expect(page.get_by_text("No roadmap has been computed")).to_be_visible()
    page.fill("#id_name", "First look")
    page.select_option("#id_time_limit_s", "10")
    page.get_by_role("button", name="Solve").click()
    # the test backend solves at once; I1.2.1 is pinned to its planned start, January 2013
    expect(page.get_by_test_id("scenario-status")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("scenario-status")).to_contain_text("15 months")
    page.get_by_role("link", name="Gantt chart").click()

    gantt = page.locator("#gantt")
    expect(gantt.locator(".bar-wrapper")).to_have_count(3)
    # the pinned joint controls end last; the lanes could slip until then, so only the pin is critical
    expect(gantt.locator('.bar-wrapper[class*="-critical"]')).to_have_count(1)
    expect(gantt.locator(".bar-wrapper.wp-initiative-critical-pinned")).to_have_count(1)
    expect(gantt.locator(".lower-text").first).to_have_text("Q4")
    page.get_by_role("button", name="Month").click()
    expect(page.get_by_role("button", name="Month")).to_have_attribute("aria-pressed", "true")
    expect(gantt.locator(".lower-text").nth(2)).to_have_text("Jan")
    page.get_by_role("button", name="Year").click()
    expect(page.get_by_role("button", name="Year")).to_have_attribute("aria-pressed", "true")
    expect(gantt.locator(".lower-text").nth(1)).to_have_text("2012")
    expect(page.locator('[data-vega-spec="team-chart"] svg.marks')).to_be_visible()
    page.screenshot(path=str(tmp_path / "roadmap.png"), full_page=True)
