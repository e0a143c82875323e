"""The roadmap page in a real browser: text people write is shown as text, never run, and the
page works under a Content Security Policy that allows no inline script."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.browser.conftest import Session
from tests.world import World
from waypoint.plans.models import FundingSource, PlanElement
from waypoint.roadmap import services

pytestmark = pytest.mark.browser

PAYLOAD = '<img src=x onerror="window.__xss=(window.__xss||0)+1">'


def _roadmap_with_payloads(world: World) -> None:
    """A solved roadmap whose element, team, funding source and scenario names are markup."""
    plan = world.plan
    for code in ("I1.1.1", "A1.1.1.1", "I1.2.1"):
        PlanElement.objects.filter(pk=world.elements[code].pk).update(title=f"{code} {PAYLOAD}")
    FundingSource.objects.filter(pk=world.source.pk).update(name=f"Fund {PAYLOAD}")
    team = services.team_save(actor=None, plan=plan, code="PROJ", name=f"Team {PAYLOAD}", capacity=1)
    for code, months in (("A1.1.1.1", 4), ("I1.2.1", 3)):
        services.item_save(
            actor=None, element=world.elements[code], values={"duration_months": months}, demands={team: 1}
        )
    for name in (f"First {PAYLOAD}", f"Second {PAYLOAD}"):
        services.scenario_create(actor=None, plan=plan, name=name, time_limit_s=5, run_now=True)


def _ran(page: Page) -> Any:
    return page.evaluate("window.__xss || 0")


def test_markup_in_titles_is_shown_as_text_on_the_roadmap(live_world: World, session: Session, tmp_path: Path) -> None:
    _roadmap_with_payloads(live_world)
    page = session.sign_in("viewer")
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    page.goto(f"{session.base_url}/plans/{live_world.plan.pk}/roadmap/")
    gantt = page.locator("#gantt")
    expect(gantt.locator(".bar-wrapper")).to_have_count(3)
    expect(page.locator('[data-vega-spec="team-chart"] svg.marks')).to_be_visible()
    expect(page.locator('[data-vega-spec="budget-chart"] svg.marks')).to_be_visible()
    labels = gantt.locator(".bar-label")
    # the bar labels read exactly what was typed, markup and all
    expect(labels.filter(has_text="A1.1.1.1 A1.1.1.1 <img src=x")).to_have_count(1)
    assert gantt.locator("img").count() == 0
    # the popup of a bar too
    gantt.locator(".bar-wrapper").first.locator(".bar").click()
    popup = page.locator(".gantt-container .popup-wrapper .title")
    expect(popup).to_contain_text("<img src=x onerror=")
    assert page.locator(".gantt-container img").count() == 0
    # the charts' tooltips name the team and the funding source
    for chart in ("team-chart", "budget-chart"):
        page.locator(f'[data-vega-spec="{chart}"] svg.marks path[aria-roledescription]').first.hover()
        expect(page.locator("#vg-tooltip-element")).to_contain_text("<img src=x onerror=")
    assert page.locator("#vg-tooltip-element img").count() == 0
    page.mouse.move(5, 5)
    page.screenshot(path=str(tmp_path / "roadmap-payload.png"), full_page=True)
    assert _ran(page) == 0 and dialogs == []
    # the scenario and compare pages show the same names as text
    for path in ("compare/", "work/", "resources/"):
        page.goto(f"{session.base_url}/plans/{live_world.plan.pk}/roadmap/{path}")
        assert _ran(page) == 0


def test_the_roadmap_page_needs_no_inline_script(live_world: World, session: Session) -> None:
    _roadmap_with_payloads(live_world)
    page = session.sign_in("planner")
    # the policy Waypoint serves (it refuses inline script and eval: Vega runs through its
    # expression interpreter)
    served = page.request.get(f"{session.base_url}/plans/{live_world.plan.pk}/roadmap/").headers
    assert "script-src 'self';" in served["content-security-policy"] + ";"
    page.add_init_script(
        "window.__refused = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__refused.push(e.violatedDirective));"
    )
    page.goto(f"{session.base_url}/plans/{live_world.plan.pk}/roadmap/")
    expect(page.locator("#gantt .bar-wrapper")).to_have_count(3)
    expect(page.locator('[data-vega-spec="team-chart"] svg.marks')).to_be_visible()
    # choosing another scenario shows it (this used to be an inline onchange handler)
    first = page.locator("#scenario-pick option").nth(1)
    wanted = first.get_attribute("value")
    page.select_option("#scenario-pick", wanted)
    page.wait_for_url(f"**/roadmap/?scenario={wanted}")
    expect(page.locator("#gantt .bar-wrapper")).to_have_count(3)
    page.get_by_role("button", name="Month").click()
    expect(page.get_by_role("button", name="Month")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__refused") == []
