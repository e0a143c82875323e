"""Every page of the permission matrix, rendered in a pseudo-locale, shows no interface text that
escaped translation: each string of the catalogues is rewritten with accented letters
(tests/pseudo_locale.py), so a plain ASCII word left on the page, once the data it shows is
taken out, is a string nobody marked for translation (or one marked after the last `make
messages`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client

from tests import pseudo_locale
from tests.test_permission_matrix import CASES, Case
from tests.world import World
from waypoint.engine.timezones import time_zone_names
from waypoint.site.context_processors import navigation_languages

#: names that are the same in every language: the product, the formats and frameworks known by
#: their acronyms
ALLOWED = {
    *("Waypoint", "API", "JSON", "CSV", "XLSX", "DOCX", "PDF", "XML", "YAML", "Parquet", "SWOT", "PESTLE", "UTC", "ID"),
}
#: the marker of a plan text shown in the plan's main language (plans/templatetags/plan_text.py)
#: names that language by its code, as currencies are named by theirs
ALLOWED |= {code.upper() for code in ("en", "fr", "es", "ru", "az", "ar")}


def persona_for(case: Case) -> str:
    """Somebody who may open the page: the administrator sees the most."""
    return "administrator" if "administrator" in case.allowed else sorted(case.allowed)[0]


def data_shown(world: World) -> list[str]:
    """Every text stored in the database (and the time zones offered): what pages show as data,
    longest first so that a value is taken out before any value inside it."""
    found: set[str] = set(time_zone_names())

    def collect(value: Any) -> None:
        if isinstance(value, str):
            found.update({value, *value.splitlines()})
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for model in apps.get_models():
        # a field with choices stores a code, which a page shows by its label: not data
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField)) and not f.choices
        ]
        if fields:
            for row in model._default_manager.values_list(*fields):
                for value in row:
                    collect(value)
    return sorted((v.strip() for v in found if len(v.strip()) >= 2), key=len, reverse=True)


@pytest.fixture
def pseudo_language(settings: Any, tmp_path: Path) -> str:
    locale = pseudo_locale.build(Path(settings.LOCALE_PATHS[0]), tmp_path / "locale")
    # the pseudo-locale in front of the real catalogues, and offered so that it can be chosen
    settings.LOCALE_PATHS = [locale, *settings.LOCALE_PATHS]
    settings.LANGUAGES = [*settings.LANGUAGES, (pseudo_locale.CODE, "Pseudo")]
    return pseudo_locale.CODE


GET_CASES = [case for case in CASES if case.method == "get"]


def test_the_pseudo_locale_rewrites_text_but_not_placeholders_or_markup() -> None:
    assert pseudo_locale.pseudo("Sign out") == "Šíĝñ óúţ"
    assert pseudo_locale.pseudo("%(count)s plans for <b>%(name)s</b> &amp; {unit}") == (
        "%(count)s þĺáñš ƒóŕ <b>%(name)s</b> &amp; {unit}"
    )
    assert pseudo_locale.untranslated_words("Šíĝñ óúţ Test Customs Save", ["Test Customs"], set()) == ["Save"]


def test_only_what_the_page_marks_translate_no_is_left_out() -> None:
    html = (
        '<p>Join at <span translate="no">http://x/join/ <b>code</b></span> now'
        '<code translate="no"><code>inner</code> still out</code> <input translate="no" type="submit" value="v"> after</p>'
    )
    assert [t.strip() for t in pseudo_locale.visible_texts(html)] == ["Join at", "now", "after"]


def test_every_page_shows_only_translated_text(world: World, client: Client, pseudo_language: str) -> None:
    pages: list[tuple[str, str]] = []
    for case in GET_CASES:
        user = world.users[persona_for(case)]
        user.language = pseudo_language
        user.save(update_fields=["language"])
        client.force_login(user)
        response = client.get(case.url(world))
        assert response.status_code in (200, 302), f"{case.name}: {response.status_code}"
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append((case.name, response.content.decode()))
    assert len(pages) > 40
    assert all(f'<html lang="{pseudo_language}"' in html for _name, html in pages if "<html" in html)
    # the languages in the switch are named in their own language, whatever the page's
    data = [*data_shown(world), *(name for _code, name in navigation_languages())]
    found: dict[str, set[str]] = {}
    for name, html in pages:
        for text in pseudo_locale.visible_texts(html):
            words = pseudo_locale.untranslated_words(text, data, ALLOWED)
            if words:
                found.setdefault(name, set()).add(text.strip()[:120])
    report = "\n".join(f"{name}: {sorted(texts)}" for name, texts in sorted(found.items()))
    assert not found, f"text not marked for translation (or `make messages` not run):\n{report}"


def test_the_sign_in_page_shows_only_translated_text(db: None, client: Client, pseudo_language: str) -> None:
    html = client.get(settings.LOGIN_URL and "/accounts/login/", HTTP_ACCEPT_LANGUAGE=pseudo_language).content
    left = [
        text
        for text in pseudo_locale.visible_texts(html.decode())
        if pseudo_locale.untranslated_words(text, [name for _code, name in navigation_languages()], ALLOWED)
    ]
    assert not left, left
