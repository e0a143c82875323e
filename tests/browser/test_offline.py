"""Waypoint runs on closed networks: no page asks the browser for anything from another host
(issue 13). Every GET page of the permission matrix, opened by a persona it allows, and the API's
documentation page (Swagger UI, which loaded its scripts from a CDN and stayed blank offline)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Request, Route, expect

from tests.browser.conftest import Session
from tests.test_permission_matrix import CASES, Case
from tests.world import World

pytestmark = pytest.mark.browser

#: who opens each page: the planner where allowed (planners see the most controls), else the
#: first persona the matrix allows
PREFERRED = (
    "planner",
    "administrator",
    "hr",
    "head",
    "contributor",
    "contributor_west",
    "approver",
    "viewer",
    "outsider",
)


def _persona(case: Case) -> str:
    return next(p for p in PREFERRED if p in case.allowed)


def _pages_by_persona() -> dict[str, list[Case]]:
    found: dict[str, list[Case]] = {}
    for case in CASES:
        if case.method == "get":
            found.setdefault(_persona(case), []).append(case)
    return found


BY_PERSONA = _pages_by_persona()


def test_every_get_page_of_the_matrix_is_opened_by_someone() -> None:
    """The sweep below is split by persona (so that two test processes share it); together the
    parts open every GET page of the permission matrix once."""
    assert sorted(c.name for cases in BY_PERSONA.values() for c in cases) == sorted(
        c.name for c in CASES if c.method == "get"
    )


@pytest.mark.parametrize("persona", sorted(BY_PERSONA))
def test_no_page_requests_anything_from_another_host(
    live_world: World, browser: Browser, live_server: Any, settings: Any, tmp_path: Any, persona: str
) -> None:
    settings.WAYPOINT_TRS_DATA = tmp_path / "trs-data"
    settings.WAYPOINT_TRS_STUDIES = tmp_path / "trs-studies"
    own = urlsplit(live_server.url).netloc
    foreign: list[str] = []
    opened: list[str] = []
    cases = BY_PERSONA[persona]

    def guard(route: Route, request: Request) -> None:
        # data: and blob: URLs stay in the page; anything with a host must be this server
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != own:
            foreign.append(f"{request.url} (from {request.frame.url})")
            route.abort()
        else:
            route.continue_()

    session = Session(browser, live_server.url)
    session.context.route("**/*", guard)
    try:
        page = session.sign_in(persona)
        for case in cases:
            url = f"{live_server.url}{case.url(live_world)}"
            # a file (an export) is downloaded, not shown: it asks for nothing more
            fetched = page.request.get(url)
            assert fetched.status == 200, (persona, case.name, url)
            if fetched.headers.get("content-type", "").startswith("text/html"):
                response = page.goto(url, wait_until="networkidle")
                assert response is not None and response.status == 200, (persona, case.name, url)
            opened.append(case.name)
        if persona == "planner":
            page.goto(f"{live_server.url}/api/docs", wait_until="networkidle")
            assert not foreign, "requests to another host:\n" + "\n".join(foreign)
            # the documentation actually renders: Swagger UI's scripts came from this server
            # (the OpenAPI document is built on first request: seconds on a loaded machine)
            expect(page.locator(".swagger-ui .info .title")).to_contain_text("Waypoint API", timeout=60_000)
            expect(page.locator(".opblock").first).to_be_visible(timeout=60_000)
            opened.append("api-docs")
    finally:
        session.close()
    assert not foreign, "requests to another host:\n" + "\n".join(foreign)
    assert len(opened) == len(cases) + (persona == "planner"), opened
    assert persona != "planner" or "api-docs" in opened
