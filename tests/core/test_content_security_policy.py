"""The Content Security Policy: on every response, per path where configured, and pages that
need nothing it refuses (no inline script, no inline event handler, no script URL, no eval in
our own scripts). The browser test that plants payloads is tests/browser/test_no_script_runs.py."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.world import World

PACKAGE = Path(settings.PACKAGE_DIR)


def _directives(header: str) -> dict[str, str]:
    return {part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_every_kind_of_response_carries_the_policy(world: World, client: Client) -> None:
    answers = [client.get("/accounts/login/")]  # a page for somebody not signed in
    client.force_login(world.users["planner"])
    answers += [
        client.get(f"/plans/{world.plan.pk}/"),  # a page
        client.get(f"/plans/{world.plan.pk}/tree/", HTTP_HX_REQUEST="true"),  # an htmx partial
        client.get("/api/plans"),  # the API
        client.get("/no/such/page/"),  # an error
    ]
    for answer in answers:
        policy = _directives(answer["Content-Security-Policy"])
        assert policy["script-src"] == "'self'"
        assert policy["default-src"] == "'self'"
        assert policy["object-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
        assert policy["form-action"] == "'self'"
        assert policy["base-uri"] == "'self'"
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 404]


@pytest.mark.django_db
def test_a_path_can_have_its_own_directives(world: World, client: Client, settings: Any) -> None:
    settings.WAYPOINT_CSP_PATHS = {"/api/docs": {"img-src": ["'self'", "data:", "blob:"]}}
    client.force_login(world.users["planner"])
    docs = _directives(client.get("/api/docs")["Content-Security-Policy"])
    page = _directives(client.get(f"/plans/{world.plan.pk}/")["Content-Security-Policy"])
    assert docs["img-src"] == "'self' data: blob:"
    assert page["img-src"] == "'self' data:"
    # only the directives named are replaced
    assert docs["script-src"] == page["script-src"] == "'self'"


def _templates() -> list[Path]:
    found = sorted(PACKAGE.glob("**/templates/**/*.html"))
    assert len(found) > 50
    return found


#: what the policy refuses in a page (and what would let text run as code)
REFUSED_IN_TEMPLATES = {
    "an inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "an inline event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "a script URL": re.compile(r"javascript:", re.IGNORECASE),
    "an htmx attribute that runs code": re.compile(r"\b(?:data-)?hx-(?:on|vars)\b|js:", re.IGNORECASE),
    "an inline style element": re.compile(r"<style\b", re.IGNORECASE),
}


COMMENTS = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


@pytest.mark.parametrize("what", REFUSED_IN_TEMPLATES)
def test_no_template_needs_what_the_policy_refuses(what: str) -> None:
    pattern = REFUSED_IN_TEMPLATES[what]
    offending = [
        f"{path.relative_to(PACKAGE)}: {match.group(0)}"
        for path in _templates()
        for match in pattern.finditer(COMMENTS.sub("", path.read_text()))
    ]
    assert offending == [], f"{what} in templates"


#: our own scripts never build HTML from text, nor compile text to code
REFUSED_IN_SCRIPTS = re.compile(
    r"\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|\beval\(|new Function|setTimeout\(\s*[\"']"
)


def test_our_scripts_build_no_html_from_text() -> None:
    scripts = sorted((PACKAGE / "static" / "waypoint").glob("*.js"))
    assert scripts
    offending = [
        f"{path.name}: {m.group(0)}" for path in scripts for m in REFUSED_IN_SCRIPTS.finditer(path.read_text())
    ]
    assert offending == []


def test_the_patterns_catch_what_they_should() -> None:
    """The scans above would see an offence (a scan that cannot fail proves nothing)."""
    bad = {
        "an inline script": "<script>alert(1)</script>",
        "an inline event handler": '<select onchange="this.form.submit()">',
        "a script URL": '<a href="javascript:history.back()">',
        "an htmx attribute that runs code": '<div hx-on:click="go()">',
        "an inline style element": "<style>.x{}</style>",
    }
    for what, text in bad.items():
        assert REFUSED_IN_TEMPLATES[what].search(text), what
    assert not REFUSED_IN_TEMPLATES["an inline script"].search('<script src="/static/x.js"></script>')
    assert not REFUSED_IN_TEMPLATES["an inline event handler"].search('<a data-confirm="x" class="on">')
    assert REFUSED_IN_SCRIPTS.search("el.innerHTML = text")
    assert REFUSED_IN_SCRIPTS.search("new Function('return 1')")
