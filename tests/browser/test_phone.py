"""On a phone (390 px wide): the plan's tabs scroll sideways and show that there is more, the
current tab in view; the targets table keeps its links on screen (issue 13)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, ViewportSize, expect

from tests.world import PASSWORD, World

pytestmark = pytest.mark.browser
PHONE: ViewportSize = {"width": 390, "height": 844}


def _has(name: str) -> re.Pattern[str]:
    return re.compile(rf"(^|\s){name}(\s|$)")


def test_tabs_and_targets_fit_a_phone(live_world: World, browser: Browser, live_server: Any) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "planner")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/plans/**")

        page.goto(f"{live_server.url}/plans/{live_world.plan.pk}/")
        tabs = page.locator(".plan-tabs")
        assert tabs.evaluate("el => el.scrollWidth > el.clientWidth"), "the tabs are wider than a phone"
        expect(tabs).to_have_class(_has("scroll-more-right"))
        tabs.evaluate("el => { el.scrollLeft = el.scrollWidth; el.dispatchEvent(new Event('scroll')); }")
        expect(tabs).to_have_class(_has("scroll-more-left"))

        page.goto(f"{live_server.url}/plans/{live_world.plan.pk}/health/")
        active = page.locator(".plan-tabs .nav-link.active")
        box = active.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box

        page.goto(f"{live_server.url}/indicators/{live_world.indicators['south'].pk}/")
        links = page.locator("#targets a", has_text="Change")
        expect(links.first).to_be_visible()
        for index in range(links.count()):
            box = links.nth(index).bounding_box()
            assert box is not None and box["x"] + box["width"] <= PHONE["width"], box
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_in_arabic_the_tabs_fade_where_more_is_hidden_on_the_left(
    live_world: World, browser: Browser, live_server: Any
) -> None:
    planner = live_world.users["planner"]
    planner.language = "ar"
    planner.save(update_fields=["language"])
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "planner")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/plans/**")

        page.goto(f"{live_server.url}/plans/{live_world.plan.pk}/")
        tabs = page.locator(".plan-tabs")
        assert tabs.evaluate("el => getComputedStyle(el).direction") == "rtl"
        # the first tab at the right edge; the rest hidden past the left edge
        expect(tabs).to_have_class(_has("scroll-more-left"))
        expect(tabs).not_to_have_class(_has("scroll-more-right"))
        tabs.evaluate("el => { el.scrollLeft = -el.scrollWidth; el.dispatchEvent(new Event('scroll')); }")
        expect(tabs).to_have_class(_has("scroll-more-right"))
        expect(tabs).not_to_have_class(_has("scroll-more-left"))

        page.goto(f"{live_server.url}/plans/{live_world.plan.pk}/health/")
        active = page.locator(".plan-tabs .nav-link.active")
        box = active.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    finally:
        context.close()
