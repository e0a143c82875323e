"""The catalogues are kept complete: every string marked in the code is in them, and every
language Waypoint offers has each one translated, none fuzzy, placeholders intact."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.LOCALE_PATHS[0])
OFFERED = [code for code, _name in settings.LANGUAGES if code != "en"]
KEPT = sorted({*OFFERED, *settings.WAYPOINT_CATALOGUE_LANGUAGES})


def catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))


def key(entry: polib.POEntry) -> tuple[str | None, str, str]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or "")


def live(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def test_the_english_catalogue_holds_every_string_marked_in_the_code(tmp_path: Path) -> None:
    """`make messages` was run after the last string was marked, changed or removed."""
    copy = tmp_path / "waypoint"
    shutil.copytree(LOCALE.parent, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "waypoint.cli", "makemessages", "-l", "en", "--add-location=file", "-v", "0"],
        cwd=copy,
        check=True,
    )
    fresh = {key(entry) for entry in live(polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")))}
    kept = {key(entry) for entry in live(catalogue("en"))}
    assert fresh - kept == set(), "strings marked but not in the catalogues: run `make messages`"
    assert kept - fresh == set(), "strings in the catalogues no longer in the code: run `make messages`"


@pytest.mark.parametrize("code", KEPT)
def test_every_catalogue_has_the_english_catalogue_s_strings(code: str) -> None:
    assert {key(e) for e in live(catalogue(code))} == {key(e) for e in live(catalogue("en"))}, (
        f"the {code} catalogue is behind: run `make messages`"
    )


@pytest.mark.parametrize("code", OFFERED)
def test_every_language_offered_is_completely_translated(code: str) -> None:
    po = catalogue(code)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{code}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{code}: {len(fuzzy)} fuzzy (check them, then drop the fuzzy flag), e.g. {fuzzy[:5]}"


PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdfr]|%[sdf]|\{[a-z_0-9]*\}")


@pytest.mark.parametrize("code", KEPT)
def test_translations_keep_their_placeholders(code: str) -> None:
    """msgfmt checks python-format strings; this also covers {name} and strings without the flag."""
    wrong = []
    for entry in live(catalogue(code)):
        texts = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        expected = sorted(set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural or "")))
        for text in texts:
            if text and sorted(set(PLACEHOLDER.findall(text))) != expected:
                # a plural form for one may leave out the number ("une heure")
                if entry.msgid_plural and set(PLACEHOLDER.findall(text)) < set(expected):
                    continue
                wrong.append((entry.msgid, text))
    assert not wrong, f"{code}: placeholders differ in {wrong[:5]}"


@pytest.mark.parametrize("code", KEPT)
def test_each_catalogue_compiles(code: str, tmp_path: Path) -> None:
    shutil.which("msgfmt") or pytest.skip("gettext's msgfmt is not installed (make system-packages)")
    subprocess.run(
        [
            "msgfmt",
            "--check-format",
            "-o",
            str(tmp_path / "django.mo"),
            str(LOCALE / code / "LC_MESSAGES" / "django.po"),
        ],
        check=True,
    )
