"""A workshop in three browsers at once (issue 19): the facilitator's screen, a signed-in
user, and a guest on a phone who joined with the code. Notes and dots appear on the other
screens without a reload (htmx polling), the dots are counted, and the guest cannot open
any page outside the workshop."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, ViewportSize, expect

from tests.browser.conftest import Session
from tests.workshops.conftest import make_room
from tests.world import World

pytestmark = pytest.mark.browser
PHONE: ViewportSize = {"width": 390, "height": 844}
#: polling asks every two seconds; allow for a slow shared machine
LIVE = 15_000


def test_three_screens_see_the_room_live(live_world: World, browser: Browser, live_server: Any) -> None:
    room = make_room(live_world)
    base = live_server.url
    workshop = room.workshop.pk

    facilitator = Session(browser, base)
    user = Session(browser, base)
    phone = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    try:
        screen = facilitator.sign_in("planner")
        screen.goto(f"{base}/workshops/{workshop}/exercises/{room.board.pk}/")

        guest = phone.new_page()
        guest.goto(f"{base}/join/")
        guest.fill("#id_code", room.workshop.join_code)
        guest.fill("#id_name", "Phone Guest")
        guest.click("[data-testid=join]")
        guest.wait_for_url(f"{base}/workshops/{workshop}/play/")
        expect(guest.locator("[data-testid=me]")).to_contain_text("Phone Guest")

        member = user.sign_in("viewer")
        member.goto(f"{base}/workshops/{workshop}/play/")
        member.click("[data-testid=join-as-user]")
        member.wait_for_url(f"{base}/workshops/{workshop}/play/")

        # a note from the phone reaches the projector and the user's screen
        guest.locator("[data-testid=note-text]").first.fill("Skilled and committed staff")
        guest.locator("[data-testid=note-add]").first.click()
        board = screen.locator(f"[data-testid=board-{room.board.pk}]")
        expect(board).to_contain_text("Skilled and committed staff", timeout=LIVE)
        expect(member.locator(f"[data-testid=board-{room.board.pk}]")).to_contain_text(
            "Skilled and committed staff", timeout=LIVE
        )
        # and one from the user reaches the phone
        member.locator("[data-testid=note-text]").first.fill("Paper declarations at small posts")
        member.locator("[data-testid=note-column]").first.select_option("weakness")
        member.locator("[data-testid=note-add]").first.click()
        expect(guest.locator(f"[data-testid=board-{room.board.pk}]")).to_contain_text(
            "Paper declarations", timeout=LIVE
        )
        expect(board).to_contain_text("Paper declarations", timeout=LIVE)

        # dots: one from each; the facilitator's screen counts two on the first option
        screen.goto(f"{base}/workshops/{workshop}/exercises/{room.dots.pk}/")
        first = room.dots.options.order_by("position").first()
        assert first is not None
        guest.locator("[data-testid=dot-plus-1]").click()
        expect(guest.locator(f"[data-testid=my-dots-{first.pk}]")).to_contain_text("1")
        member.locator("[data-testid=dot-plus-1]").click()
        expect(member.locator(f"[data-testid=my-dots-{first.pk}]")).to_contain_text("1")
        expect(screen.locator(f"[data-testid=dots-{first.pk}]")).to_have_text("2", timeout=LIVE)
        expect(screen.locator("[data-testid=dot-total]")).to_contain_text("2 dots from 2 people", timeout=LIVE)
        # participants do not see the results until the facilitator reveals them
        expect(guest.locator("[data-testid=results-hidden]").first).to_be_visible()

        # the guest reaches nothing outside the workshop
        for path in ("/plans/", f"/workshops/{workshop}/", f"/workshops/{workshop}/record/", "/api/plans"):
            response = guest.goto(f"{base}{path}")
            assert response is not None and response.status == 403, path
        guest.goto(f"{base}/plans/")
        expect(guest.locator("[data-testid=guest-refused]")).to_contain_text("as a guest")
    finally:
        facilitator.close()
        user.close()
        phone.close()
