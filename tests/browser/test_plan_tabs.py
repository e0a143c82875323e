"""The plan's sixteen tabs at common widths, in English, Azerbaijani (long words) and Arabic
(right to left): from a tablet up every tab is on screen (they wrap onto more lines); on a phone
they scroll, and the edge that hides tabs shows an arrow pointing their way."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.world import PASSWORD, World

pytestmark = pytest.mark.browser

WIDE = (1280, 1024, 768)
PHONE = 390

#: where each tab is drawn, and whether the strip scrolls
TABS = """el => ({
  scrolls: el.scrollWidth > el.clientWidth,
  tabs: [...el.querySelectorAll('.nav-link')].map(a => {
    const r = a.getBoundingClientRect();
    return {text: a.textContent.trim(), left: r.left, right: r.right};
  }),
})"""

#: the arrows at the start and at the end of the strip (::before, ::after), when drawn
ARROWS = """el => ['::before', '::after'].map(p => {
  const s = getComputedStyle(el, p);
  return s.display === 'none' ? null : s.content;
})"""


def signed_in(browser: Browser, live_server: Any) -> Page:
    page = browser.new_context(viewport={"width": WIDE[0], "height": 800}).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "planner")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/plans/**")
    return page


@pytest.mark.parametrize("language", ["en", "az", "ar"])
def test_every_tab_is_on_screen_or_signalled(
    live_world: World, browser: Browser, live_server: Any, language: str
) -> None:
    planner = live_world.users["planner"]
    planner.language = language
    planner.save(update_fields=["language"])
    page = signed_in(browser, live_server)
    try:
        overview = f"{live_server.url}/plans/{live_world.plan.pk}/"
        for width in WIDE:
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(overview)
            tabs = page.locator(".plan-tabs").evaluate(TABS)
            assert len(tabs["tabs"]) == 16
            assert not tabs["scrolls"], (language, width)
            outside = [t for t in tabs["tabs"] if t["left"] < 0 or t["right"] > width]
            assert not outside, (language, width, outside)

        page.set_viewport_size({"width": PHONE, "height": 800})
        page.goto(overview)
        strip = page.locator(".plan-tabs")
        assert strip.evaluate(TABS)["scrolls"]
        # on the first tab: nothing hidden before it, the rest hidden after, the arrow pointing
        # the way they are (right in English, left in Arabic): triangles, drawn as written
        end = "\u25c2" if language == "ar" else "\u25b8"
        start = "\u25b8" if language == "ar" else "\u25c2"
        assert strip.evaluate(ARROWS) == [None, f'"{end}" / ""'], language
        page.goto(f"{live_server.url}/plans/{live_world.plan.pk}/actions/")
        assert strip.evaluate(ARROWS) == [f'"{start}" / ""', None], language
        page.goto(f"{live_server.url}/plans/{live_world.plan.pk}/health/")
        assert strip.evaluate(ARROWS) == [f'"{start}" / ""', f'"{end}" / ""'], language
    finally:
        page.context.close()
