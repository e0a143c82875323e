"""Somebody guesses a password until the sign-in page refuses them; an administrator sees the
account locked on the People page and unlocks it. In a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Session
from tests.world import PASSWORD, World

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_a_locked_account_is_unlocked_by_an_administrator(
    live_world: World, session: Session, browser: Any, settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    SHOTS.mkdir(parents=True, exist_ok=True)
    # signed in first: the guesses below come from the same address, which they lock too
    admin = session.sign_in("administrator")
    guesser = Session(browser, session.base_url)
    page = guesser.page
    page.goto(f"{session.base_url}/accounts/login/")
    for attempt in range(3):
        page.fill("#id_username", "viewer")
        page.fill("#id_password", f"guess-{attempt}")
        page.click("button[type=submit]")
    expect(page.get_by_test_id("locked-out")).to_contain_text("Too many failed sign-ins")
    page.screenshot(path=str(SHOTS / "sign-in-locked.png"))

    admin.get_by_role("link", name="People").click()
    row = admin.locator('tr[data-username="viewer"]')
    expect(row.get_by_test_id("locked")).to_be_visible()
    admin.screenshot(path=str(SHOTS / "people.png"), full_page=True)
    row.get_by_role("button", name="Unlock").click()
    expect(admin.locator('tr[data-username="viewer"]').get_by_test_id("locked")).to_have_count(0)

    page.fill("#id_username", "viewer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{session.base_url}/plans/**")
    guesser.close()
