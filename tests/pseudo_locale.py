"""A pseudo-locale: every string in the catalogues (Waypoint's and Django's) rewritten with
accented letters, so that a page rendered in it shows any text that did not go through the
translation machinery as plain ASCII words. Built from the English catalogues into a scratch
directory, never shipped."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import polib

CODE = "qps"
_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçđéƒĝĥíĵķĺɱñóþǫŕšţúṽŵẋýžÁƁÇĐÉƑĜĤÍĴĶĹṀÑÓÞǪŔŠŢÚṼŴẊÝŽ",
)
# what must stay as it is: placeholders, markup, entities, and Django's format strings
_KEEP = re.compile(r"%\([^)]+\)[a-z]|%[a-z%]|\{[^}]*\}|<[^>]*>|&[a-z#0-9]+;")


def pseudo(text: str) -> str:
    out: list[str] = []
    last = 0
    for match in _KEEP.finditer(text):
        out.append(text[last : match.start()].translate(_ACCENTED))
        out.append(match.group())
        last = match.end()
    out.append(text[last:].translate(_ACCENTED))
    return "".join(out)


def english_catalogues(waypoint_locale: Path) -> list[Path]:
    """Waypoint's English catalogue and Django's own (the framework's and its contrib apps')."""
    django_dir = Path(django.__file__).parent
    return [
        waypoint_locale / "en" / "LC_MESSAGES" / "django.po",
        *sorted(django_dir.glob("conf/locale/en/LC_MESSAGES/django.po")),
        *sorted(django_dir.glob("contrib/*/locale/en/LC_MESSAGES/django.po")),
    ]


def build(waypoint_locale: Path, into: Path) -> Path:
    """Write the pseudo-locale's catalogue under ``into`` (a LOCALE_PATHS entry) and compile it."""
    out = polib.POFile()
    out.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": CODE,
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    seen: set[tuple[str | None, str]] = set()
    for path in english_catalogues(waypoint_locale):
        for entry in polib.pofile(str(path)):
            if entry.obsolete or (entry.msgctxt, entry.msgid) in seen:
                continue
            seen.add((entry.msgctxt, entry.msgid))
            copy = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgid_plural=entry.msgid_plural)
            if entry.msgid_plural:
                copy.msgstr_plural = {0: pseudo(entry.msgid), 1: pseudo(entry.msgid_plural)}
            else:
                copy.msgstr = pseudo(entry.msgid)
            out.append(copy)
    folder = into / CODE / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    out.save(str(folder / "django.po"))
    out.save_as_mofile(str(folder / "django.mo"))
    return into


class VisibleText(HTMLParser):
    """The text a person reads on a page: text nodes outside scripts and styles, the
    attributes that are read out or shown (titles, labels, placeholders, button values), and
    the titles of the charts (axes, legends, tooltips) in the pages' JSON data. An element the
    page says is not to be translated (HTML's ``translate="no"``: a URL, a file's column keys, a
    template's syntax) is left out with what it holds; the attribute is written by hand, one
    element at a time, where a reviewer sees it."""

    READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-description", "data-confirm"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skipping = 0
        self._in_json = False
        #: the element marked translate="no" being read, and how deep inside same-named elements
        self._untranslated: str | None = None
        self._untranslated_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self._untranslated is not None:
            if tag == self._untranslated:
                self._untranslated_depth += 1
            return
        if values.get("translate") == "no":
            if tag not in self.VOID:
                self._untranslated, self._untranslated_depth = tag, 1
            return
        if tag in {"script", "style"}:
            self._skipping += 1
            self._in_json = values.get("type") == "application/json"
        for name, value in attrs:
            if value and name in self.READ_ATTRIBUTES:
                self.texts.append(value)
        if tag == "input" and values.get("type") in {"submit", "button", "reset"} and values.get("value"):
            self.texts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self._untranslated is not None:
            if tag == self._untranslated:
                self._untranslated_depth -= 1
                if not self._untranslated_depth:
                    self._untranslated = None
            return
        if tag in {"script", "style"} and self._skipping:
            self._skipping -= 1
            self._in_json = False

    def handle_data(self, data: str) -> None:
        if self._untranslated is not None:
            return
        if self._in_json:
            self._chart_titles(json.loads(data))
        elif not self._skipping and data.strip():
            self.texts.append(data)

    def _chart_titles(self, node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "title" and isinstance(value, str):
                    self.texts.append(value)
                else:
                    self._chart_titles(value)
        elif isinstance(node, list):
            for item in node:
                self._chart_titles(item)


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


WORD = re.compile(r"[A-Za-z]{2,}")


def untranslated_words(text: str, data: list[str], allowed: set[str]) -> list[str]:
    """ASCII words left in ``text`` once the data it shows (``data``, longest first) is taken out."""
    for value in data:
        if value in text:
            text = text.replace(value, " ")
    return [word for word in WORD.findall(text) if word not in allowed]
