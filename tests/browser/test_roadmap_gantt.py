"""A planner solves a roadmap scenario and reads its Gantt chart in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Session
from tests.world import World
from waypoint.plans.models import ImplementationStatus, PlanElement
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
    # a bar's popup says in words what its colours say, and the months it runs with their years
    gantt.locator(".bar-wrapper.wp-initiative-critical-pinned .bar").click()
    popup = page.locator(".gantt-container .popup-wrapper")
    expect(popup.locator(".subtitle")).to_have_text("BP-W1 · on the critical path · pinned")
    expect(popup.locator(".details")).to_have_text("Jan 2013 – Mar 2013")
    # no weekend shading: drawn day by day over the plan's years, it took seconds
    assert gantt.locator(".holiday-highlight").count() == 0
    page.screenshot(path=str(tmp_path / "roadmap.png"), full_page=True)


def _luminance(rgb: str) -> float:
    """WCAG relative luminance of a computed colour such as ``rgb(73, 80, 87)``."""
    channels = [int(c) / 255 for c in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


LABELS = """() => [...document.querySelectorAll('#gantt .bar-wrapper')].map(bar => {
  const label = bar.querySelector('.bar-label');
  const progress = bar.querySelector('.bar-progress');
  const done = progress && progress.getBBox().width > 0;
  const fill = getComputedStyle(done ? progress : bar.querySelector('.bar')).fill;
  return {kind: bar.getAttribute('class'), text: label.textContent, outside: label.classList.contains('big'),
          label: getComputedStyle(label).fill, fill: fill, done: done};
})"""


def test_every_bar_label_is_readable(live_world: World, session: Session, tmp_path: Path) -> None:
    """Labels on initiative, activity and critical bars, finished or not, reach the WCAG AA
    contrast of 4.5:1 against their bar (or against the chart where they sit beside it)."""
    plan = live_world.plan
    team = services.team_save(actor=None, plan=plan, code="PROJ", name="Project team", capacity=2)
    lanes, joint = live_world.elements["A1.1.1.1"], live_world.elements["I1.2.1"]
    # the lanes (finished, as is their initiative) run beside the longer joint controls: they
    # have slack, the joint controls are critical
    services.item_save(actor=None, element=lanes, values={"duration_months": 8}, demands={team: 1})
    services.item_save(actor=None, element=joint, values={"duration_months": 18}, demands={team: 1})
    PlanElement.objects.filter(pk__in=[lanes.pk, lanes.parent_id]).update(status=ImplementationStatus.COMPLETED)
    services.scenario_create(actor=None, plan=plan, name="Readable", time_limit_s=5, run_now=True)

    page = session.sign_in("viewer")
    page.goto(f"{session.base_url}/plans/{plan.pk}/roadmap/")
    page.get_by_role("button", name="Month").click()
    expect(page.locator("#gantt .bar-wrapper")).to_have_count(3)
    page.wait_for_timeout(300)  # frappe-gantt places the labels on the next animation frame
    page.screenshot(path=str(tmp_path / "labels.png"), full_page=True)
    bars = page.evaluate(LABELS)
    inside = [b for b in bars if not b["outside"]]
    # the initiative, its finished activity and the joint initiative all carry their label inside
    assert {b["text"].split()[0] for b in inside} == {"I1.1.1", "A1.1.1.1", "I1.2.1"}
    assert {b["kind"].split()[-1] for b in inside} == {"wp-initiative", "wp-activity", "wp-initiative-critical"}
    assert any(b["done"] for b in inside) and not all(b["done"] for b in inside)
    for bar in bars:
        background = "rgb(255, 255, 255)" if bar["outside"] else bar["fill"]
        assert _contrast(bar["label"], background) >= 4.5, bar
