"""A contributor and a planner walk the plan tree and edit an objective in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import Session
from tests.world import World

pytestmark = pytest.mark.browser


def open_tree(session: Session, world: World) -> Any:
    page = session.page
    page.goto(f"{session.base_url}/plans/{world.plan.pk}/tree/")
    expect(page.get_by_test_id("plan-tree")).to_be_visible()
    return page


def test_a_contributor_edits_their_objective_and_is_refused_on_another_units(
    live_world: World, session: Session
) -> None:
    page = session.sign_in("contributor")
    open_tree(session, live_world)
    # the southern objective is theirs: it has an Edit button; the western one has none
    south = page.locator('.tree-row[data-code="O1.1"]')
    west = page.locator('.tree-row[data-code="O1.2"]')
    expect(south.get_by_role("link", name="Edit O1.1")).to_be_visible()
    expect(west.get_by_role("link", name="Edit O1.2")).to_have_count(0)

    south.get_by_role("link", name="Cut release time in the south").click()
    page.get_by_test_id("edit-element").click()
    page.fill("#id_title", "Halve release time at southern posts")
    page.locator("main").get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("O1.1 saved")
    expect(page.locator("h1")).to_contain_text("Halve release time at southern posts")

    # going straight to the western objective's edit page is refused
    west_id = live_world.elements["O1.2"].pk
    response = page.goto(f"{session.base_url}/elements/{west_id}/edit/")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_contain_text("You cannot do this")


def test_a_planner_filters_the_tree_expands_it_and_edits_an_objective(live_world: World, session: Session) -> None:
    page = session.sign_in("planner")
    page = open_tree(session, live_world)
    # filtering by text narrows the tree through htmx, keeping the path to the match
    page.fill("#id_q", "lanes")
    expect(page.locator('.tree-row[data-code="A1.1.1.1"]')).to_be_visible()
    expect(page.locator('.tree-row[data-code="O1.2"]')).to_have_count(0)
    assert "q=lanes" in page.url
    page.goto(f"{session.base_url}/plans/{live_world.plan.pk}/tree/")
    page.get_by_role("button", name="Collapse all").click()
    expect(page.locator('.tree-row[data-code="O1.1"]')).to_be_hidden()
    page.get_by_role("button", name="Expand all").click()
    expect(page.locator('.tree-row[data-code="A1.1.1.1"]')).to_be_visible()

    page.locator('.tree-row[data-code="O1.2"]').get_by_role("link", name="Edit O1.2").click()
    page.fill("#id_title", "Cut release time at western posts")
    page.fill("#id_assumptions", "Georgian customs join the joint controls")
    page.locator("main").get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("O1.2 saved")
    open_tree(session, live_world)
    expect(page.locator('.tree-row[data-code="O1.2"]')).to_contain_text("Cut release time at western posts")


def test_back_after_filtering_shows_the_filters_the_tree_shows(live_world: World, session: Session) -> None:
    """htmx puts back the page's kept HTML on Back, in which the fields held what the page came
    with: the tree was filtered and the filters read "Any" and an empty search."""
    page = session.sign_in("planner")
    open_tree(session, live_world)
    tier = live_world.elements["O1.1"].tier_id
    page.select_option("#id_tier", str(tier))
    expect(page).to_have_url(re.compile(f"tier={tier}"))
    page.fill("#id_q", "lanes")
    expect(page).to_have_url(re.compile("q=lanes"))
    expect(page.locator('.tree-row[data-code="O1.2"]')).to_have_count(0)
    page.go_back()
    expect(page).not_to_have_url(re.compile("q=lanes"))
    expect(page.locator("#id_q")).to_have_value("")
    expect(page.locator("#id_tier")).to_have_value(str(tier))
    page.go_back()
    expect(page.locator("#id_tier")).to_have_value("")
    page.go_forward()
    page.go_forward()
    expect(page.locator("#id_q")).to_have_value("lanes")
    expect(page.locator("#id_tier")).to_have_value(str(tier))
    # the restored search is the field's own value: emptying it filters again
    page.fill("#id_q", "")
    expect(page).not_to_have_url(re.compile("q=lanes"))
    expect(page.locator('.tree-row[data-code="O1.1"]')).to_be_visible()


def test_reordering_in_the_tree_keeps_codes(live_world: World, session: Session) -> None:
    page = session.sign_in("planner")
    open_tree(session, live_world)
    page.get_by_role("button", name="Move O1.2 up").click()
    expect(page.locator(".tree-row").nth(1)).to_have_attribute("data-code", "O1.2")
    page.reload()
    codes = page.locator(".tree-row").evaluate_all("rows => rows.map(r => r.dataset.code)")
    assert codes.index("O1.2") < codes.index("O1.1")


def test_a_second_editor_sees_the_conflict_and_keeps_their_text(
    live_world: World, browser: Browser, live_server: Any
) -> None:
    first, second = Session(browser, live_server.url), Session(browser, live_server.url)
    try:
        element = live_world.elements["G1"]
        for tab, user in ((first, "planner"), (second, "administrator")):
            tab.sign_in(user)
            tab.page.goto(f"{live_server.url}/elements/{element.pk}/edit/")
        first.page.fill("#id_title", "Planner's wording")
        first.page.locator("main").get_by_role("button", name="Save").click()
        expect(first.page.locator(".alert-success")).to_be_visible()
        second.page.fill("#id_title", "Administrator's wording")
        second.page.locator("main").get_by_role("button", name="Save").click()
        conflict = second.page.get_by_test_id("edit-conflict")
        expect(conflict).to_contain_text("Planner's wording")
        expect(second.page.locator("#id_title")).to_have_value("Administrator's wording")
    finally:
        first.close()
        second.close()


def test_the_indicator_chart_is_drawn(live_world: World, session: Session) -> None:
    page = session.sign_in("viewer")
    page.goto(f"{session.base_url}/indicators/{live_world.indicators['south'].pk}/")
    expect(page.locator(".chart svg.marks")).to_be_visible()
    expect(page.locator(".chart")).to_have_attribute("data-rendered", "1")
    assert re.search(r"On track", page.content())
