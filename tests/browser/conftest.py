"""Playwright with Debian's chromium (never a downloaded browser)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
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


class _InFlight:
    """The live server's threads that have begun a request and not yet finished it (its
    ``request_finished`` receivers, closing the database connection, included). The test
    client's requests, made in the test's own thread, are not counted."""

    def __init__(self) -> None:
        self.threads: set[int] = set()
        self.lock = threading.Lock()

    def started(self, **_: Any) -> None:
        if threading.current_thread() is not threading.main_thread():
            with self.lock:
                self.threads.add(threading.get_ident())

    def finished(self, **_: Any) -> None:
        with self.lock:
            self.threads.discard(threading.get_ident())

    def busy(self) -> bool:
        with self.lock:
            return bool(self.threads)


_in_flight = _InFlight()
request_started.connect(_in_flight.started, dispatch_uid="tests.browser.in_flight")
# connected after django.db's own receiver, so a request counts until its connection is closed
request_finished.connect(_in_flight.finished, dispatch_uid="tests.browser.in_flight")


@pytest.fixture(autouse=True)
def _quiet_server_before_the_database_goes(request: pytest.FixtureRequest, browser: Browser) -> Iterator[None]:
    """A page's late request (a fetch started as the test ended) must not meet the emptied
    database: every tab is closed and the live server's requests are let finish before the
    test database is flushed. The database is set up from within this fixture, so this
    fixture's teardown runs before the database's."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    for context in browser.contexts:
        context.close()
    deadline = time.monotonic() + 30
    while _in_flight.busy() and time.monotonic() < deadline:
        time.sleep(0.05)


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
