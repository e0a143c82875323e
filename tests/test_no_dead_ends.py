"""No dead ends: nothing a page offers a person leads that person to a refusal (issue 13).

For every page of the permission matrix that a persona may open, every same-site link, form
and htmx action on it is followed as that persona: links and GET forms with a GET, actions
that change something with a GET of their page (a form page checks the same right for GET as
for POST) or, for actions that only take a POST, with the POST itself inside a transaction
that is rolled back. None may answer 403 (or 404, 405: a link to nothing is a dead end too).
Before the fix a viewer met 34 "Fix" links on the plan's quality checks, each ending on "You
cannot do this".

Bounded: each distinct request is made once per persona, on the small test world.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client

from tests.test_permission_matrix import CASES
from tests.world import World

PERSONAS_WITH_A_ROLE = ("planner", "contributor", "contributor_west", "approver", "viewer", "administrator")
#: not an action on the plan: signing out ends the walk
SKIP_PATHS = ("/accounts/logout/",)
DEAD_ENDS = {403, 404, 405}


@dataclass
class Action:
    method: str  # "get" or "post"
    url: str
    data: dict[str, str] = field(default_factory=dict)
    htmx: bool = False
    origin: str = ""

    def key(self) -> tuple[str, str, tuple[tuple[str, str], ...]]:
        return (self.method, self.url, tuple(sorted(self.data.items())))


class Offered(HTMLParser):
    """The links, forms (with the values they would send) and htmx requests of a page."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.actions: list[Action] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None

    def _url(self, raw: str | None) -> str:
        return urljoin(self.page_url, raw or self.page_url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        for verb in ("get", "post", "put", "delete"):
            if f"hx-{verb}" in a and tag != "form":
                self.actions.append(
                    Action("get" if verb == "get" else "post", self._url(a[f"hx-{verb}"]), htmx=True, origin=tag)
                )
        if tag == "a" and "href" in a:
            self.actions.append(Action("get", self._url(a["href"]), origin="a"))
        elif tag == "form":
            action = a.get("hx-post") or a.get("hx-get") or a.get("action") or ""
            method = "post" if "hx-post" in a else ("get" if "hx-get" in a else a.get("method", "get").lower())
            self._form = {"method": method, "url": self._url(action), "data": {}, "buttons": []}
        elif self._form is not None:
            self._field(tag, a)

    def _field(self, tag: str, a: dict[str, str]) -> None:
        assert self._form is not None
        name = a.get("name", "")
        kind = a.get("type", "text" if tag == "input" else "submit").lower()
        if tag == "button" or (tag == "input" and kind in {"submit", "image"}):
            if kind == "submit" or tag == "input":
                self._form["buttons"].append((name, a.get("value", "")))
        elif tag == "input" and name and kind not in {"file", "button", "reset"}:
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self._form["data"].setdefault(name, a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select, self._select_value = name, None
        elif tag == "option" and self._select is not None:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._form["data"][name] = ""

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea is not None:
            self._form["data"][self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            self._form["data"][self._select] = self._select_value or ""
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            form, self._form = self._form, None
            presses = [b for b in form["buttons"] if b[0]] or [("", "")]
            for name, value in presses:
                data = dict(form["data"])
                if name:
                    data[name] = value
                if form["method"] == "get":
                    self.actions.append(Action("get", form["url"], origin="form"))
                else:
                    self.actions.append(Action("post", form["url"], data, origin="form"))


def offered(html: str, page_url: str) -> list[Action]:
    parser = Offered(page_url)
    parser.feed(html)
    return [a for a in parser.actions if _same_site(a.url)]


def _same_site(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or parts.netloc != "testserver":
        return False
    return not parts.path.startswith(("/static/", "/media/", *SKIP_PATHS))


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _follow(client: Client, action: Action) -> int:
    headers = {"HTTP_HX_REQUEST": "true"} if action.htmx else {}
    path = _path(action.url)
    if action.method == "get":
        return int(client.get(path, **headers).status_code)  # type: ignore[arg-type]
    # an action that changes something: its page answers a GET with the same right
    status = int(client.get(path, **headers).status_code)  # type: ignore[arg-type]
    if status != 405:
        return status
    with transaction.atomic():  # a POST-only action: try it, and undo it
        status = int(client.post(path, action.data, **headers).status_code)  # type: ignore[arg-type]
        transaction.set_rollback(True)
    return status


def walk(client: Client, world: World, persona: str) -> tuple[int, list[str]]:
    """Everything offered to ``persona`` on the pages they may open: how many distinct
    requests were followed, and the dead ends."""
    client.force_login(world.users[persona])
    answered: dict[tuple[str, str, tuple[tuple[str, str], ...]], int] = {}
    dead: list[str] = []
    for case in CASES:
        if case.method != "get" or persona not in case.allowed:
            continue
        page_url = "http://testserver" + case.url(world)
        response = client.get(_path(page_url))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for action in offered(response.content.decode(), page_url):
            key = action.key()
            if key not in answered:
                answered[key] = _follow(client, action)
            if answered[key] in DEAD_ENDS:
                dead.append(
                    f"{persona} on {case.name}: {action.origin} {action.method.upper()} {_path(action.url)} "
                    f"→ {answered[key]}"
                )
    return len(answered), sorted(set(dead))


@pytest.mark.parametrize("persona", PERSONAS_WITH_A_ROLE)
def test_nothing_offered_leads_to_a_refusal(world: World, client: Client, persona: str) -> None:
    # one test per persona: the walks are the longest tests of the suite, and two test
    # processes share them better in six parts (the world is built once and copied per test)
    followed, dead = walk(client, world, persona)
    assert followed > 20, f"the walk found next to nothing to follow as {persona}"
    assert not dead, f"{len(dead)} dead ends:\n" + "\n".join(dead)
