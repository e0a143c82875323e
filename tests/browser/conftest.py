"""Playwright with Debian's chromium (never a downloaded browser)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.world import PASSWORD, World, build_world

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def live_world(transactional_db: None, live_server: Any, tmp_path: Any, settings: Any) -> World:
    settings.MEDIA_ROOT = str(tmp_path)
    return build_world()


class Session:
    """A signed-in browser tab for one persona."""

    def __init__(self, browser: Browser, base_url: str, *, javascript: bool = True) -> None:
        self.base_url = base_url
        # javascript=False: the page as a browser without scripts gets it (progressive
        # enhancement: everything must still be there)
        self.context = browser.new_context(viewport={"width": 1366, "height": 900}, java_script_enabled=javascript)
        self.page: Page = self.context.new_page()

    def sign_in(self, username: str) -> Page:
        page = self.page
        page.goto(f"{self.base_url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.base_url}/plans/**")
        return page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser: Browser, live_server: Any) -> Iterator[Session]:
    opened = Session(browser, live_server.url)
    yield opened
    opened.close()
