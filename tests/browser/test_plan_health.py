"""A planner reads the plan's health, follows a finding to its form, fixes it, and the finding
is gone; then links an unaddressed recommendation from the coverage matrix. In a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Session
from tests.diagnostics.conftest import make_assessment
from tests.world import World
from waypoint.diagnostics import services as diagnostics_services

pytestmark = pytest.mark.browser


def test_a_planner_fixes_findings_and_they_disappear(live_world: World, session: Session) -> None:
    assessment = make_assessment(live_world)
    diagnostics_services.recommendation_save(
        actor=None, assessment=assessment, area="SP", priority="high", text="Automate selectivity"
    )
    south = live_world.indicators["south"]
    page = session.sign_in("planner")
    page.goto(f"{session.base_url}/plans/{live_world.plan.pk}/tree/")
    expect(page.get_by_test_id("check-badge").first).to_be_visible()

    page.get_by_role("link", name="Quality checks").click()
    finding = page.locator(f'li[data-rule="Q203"][data-code="{south.code}"]')
    expect(finding).to_contain_text("has no data source")
    finding.get_by_role("link", name="Fix").click()
    page.fill("#id_data_source", "ASYCUDA declaration events")
    page.get_by_role("button", name="Save").click()
    page.goto(f"{session.base_url}/plans/{live_world.plan.pk}/health/")
    expect(page.locator(f'li[data-rule="Q203"][data-code="{south.code}"]')).to_have_count(0)

    unaddressed = page.locator('li[data-rule="Q501"]')
    expect(unaddressed).to_contain_text("DIAG-2011/R1")
    unaddressed.get_by_role("link", name="Link").click()
    expect(page.get_by_test_id("coverage-summary")).to_contain_text("1 not addressed")
    page.get_by_role("link", name="link", exact=True).click()
    page.get_by_label(f"{live_world.elements['O1.1'].code} {live_world.elements['O1.1'].title}").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("coverage-summary")).to_contain_text("0 not addressed")
    page.get_by_role("link", name="Quality checks").click()
    expect(page.locator('li[data-rule="Q501"]')).to_have_count(0)

    page.locator("#rules").scroll_into_view_if_needed()
    row = page.locator("#rule-Q602")
    row.locator('input[name="enabled"]').uncheck()
    row.locator('input[name="reason"]').fill("Every objective runs to the plan's last year")
    row.get_by_role("button", name="Save").click()
    expect(page.locator('li[data-rule="Q602"]')).to_have_count(0)
    expect(page.locator("#rule-Q602")).to_contain_text("planner")
