"""The overview, the plan tree, an indicator and the roadmap in every language, in a real
browser: Arabic laid out right to left (the menu, the tree, tables, the chart's value axis and
the Gantt chart mirrored), the others left to right, each with its own words and numbers.
Screenshots land in var/screenshots/ to be looked at."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.browser.conftest import Session
from tests.world import World
from waypoint.indicators import services as indicator_services
from waypoint.roadmap import services as roadmap_services

pytestmark = pytest.mark.browser

SHOTS = settings.VAR_DIR / "screenshots"
#: a word each language's pages show on the plan tree (the tab "Plan tree")
PLAN_TREE = {
    "en": "Plan tree",
    "fr": "Arbre du plan",
    "es": "Árbol del plan",
    "ru": "Дерево плана",
    "az": "Plan ağacı",
    "ar": "شجرة الخطة",
}


def pages(world: World) -> dict[str, str]:
    plan = world.plan
    return {
        "overview": f"/plans/{plan.pk}/",
        "tree": f"/plans/{plan.pk}/tree/",
        "indicator": f"/indicators/{world.indicators['south'].pk}/",
        "roadmap": f"/plans/{plan.pk}/roadmap/",
    }


def prepare(world: World) -> None:
    """A solved roadmap and an actual value, so that the Gantt chart and the chart draw."""
    team = roadmap_services.team_save(actor=None, plan=world.plan, code="PROJ", name="Project team", capacity=1)
    for code, months in (("A1.1.1.1", 4), ("I1.2.1", 3)):
        roadmap_services.item_save(
            actor=None, element=world.elements[code], values={"duration_months": months}, demands={team: 1}
        )
    roadmap_services.scenario_create(actor=None, plan=world.plan, name="Roadmap", time_limit_s=5, run_now=True)
    indicator_services.actual_record(
        actor=None,
        indicator=world.indicators["south"],
        period="2012",
        value=Decimal("1234.5"),
        unit=world.units["BP-S1"],
        evidence="TRS",
    )


def shoot(page: Page, language: str, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{language}-{name}.png"), full_page=True)


def test_every_language_lays_out_its_pages(live_world: World, session: Session) -> None:
    prepare(live_world)
    page = session.sign_in("planner")
    urls = pages(live_world)
    for language, tree_word in PLAN_TREE.items():
        # the language switch in the user menu, as a person would use it
        page.goto(session.base_url + urls["overview"])
        page.get_by_test_id("user-menu").click()
        page.locator(f'.language-switch button[value="{language}"]').click()
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
        expect(page.locator(".plan-tabs")).to_contain_text(tree_word)
        shoot(page, language, "overview")
        for name in ("tree", "indicator", "roadmap"):
            page.goto(session.base_url + urls[name])
            if name == "indicator":
                expect(page.locator('[data-vega-spec="indicator-chart"] svg.marks')).to_be_visible()
            if name == "roadmap":
                expect(page.locator("#gantt .bar-wrapper").first).to_be_visible()
            shoot(page, language, name)


def test_arabic_pages_mirror_the_layout(live_world: World, session: Session) -> None:
    prepare(live_world)
    planner = live_world.users["planner"]
    planner.language = "ar"
    planner.save()
    page = session.sign_in("planner")
    urls = pages(live_world)
    width = page.viewport_size["width"] if page.viewport_size else 1366

    page.goto(session.base_url + urls["tree"])
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # the brand sits at the right end of the menu bar, the user menu at the left
    brand = page.locator(".navbar-brand").bounding_box()
    user_menu = page.get_by_test_id("user-menu").bounding_box()
    assert brand and user_menu and brand["x"] > width / 2 > user_menu["x"]
    # the tree indents from the right: a child row starts left of its parent's right edge
    nested = page.locator(".plan-tree ul ul").first
    assert page.evaluate("(el) => getComputedStyle(el).borderRightStyle", nested.element_handle()) == "dashed"

    page.goto(session.base_url + urls["indicator"])
    chart = page.locator('[data-vega-spec="indicator-chart"]')
    expect(chart.locator("svg.marks")).to_be_visible()
    # the value axis stands at the right of the plot
    axis = chart.locator("g.role-axis").filter(has=page.locator("g.role-axis-label")).last.bounding_box()
    plot = chart.locator("svg.marks").bounding_box()
    assert axis and plot and axis["x"] > plot["x"] + plot["width"] / 2
    # each text is anchored as the chart drew it, not turned round by the page's direction: no
    # legend label lies over a symbol
    overlaps = page.evaluate(
        """(chart) => {
            const boxes = (selector) => [...chart.querySelectorAll(selector)].map((el) => el.getBoundingClientRect());
            const symbols = boxes(".role-legend-symbol path");
            const labels = boxes(".role-legend-label text");
            if (!symbols.length || !labels.length) return -1;
            return labels.filter((l) => symbols.some((s) =>
                l.left < s.right && s.left < l.right && l.top < s.bottom && s.top < l.bottom)).length;
        }""",
        chart.element_handle(),
    )
    assert overlaps == 0, overlaps
    shoot(page, "ar", "indicator")

    page.goto(session.base_url + urls["roadmap"])
    gantt = page.locator("#gantt .gantt-container")
    expect(gantt).to_be_visible()
    assert page.evaluate("(el) => getComputedStyle(el).transform", gantt.element_handle()).startswith("matrix(-1")
    # the first bar (the earliest work) is drawn at the right end of the chart
    first_bar = page.locator("#gantt .bar-wrapper").first.bounding_box()
    box = gantt.bounding_box()
    assert first_bar and box and first_bar["x"] > box["x"] + box["width"] / 2
    shoot(page, "ar", "roadmap")
