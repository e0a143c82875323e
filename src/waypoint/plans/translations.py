"""A plan's texts in several languages.

The plan is written in its main language (``Plan.language``): the model's columns hold that
text, so everything that reads a plan keeps working unchanged. The other languages the plan is
kept in live in a JSON field beside them (``translations``: language → field → text) on the
plan and on each element. A page shows each text in the reader's language when the plan has it,
else in the main language with a marker that says so (``text_for``). docs/architecture.md,
"Languages", says why this and not a column per language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from waypoint.core.errors import InvalidInput, Problem

#: the texts of each model that are kept in several languages
PLAN_FIELDS = ("title", "vision", "mission", "values", "summary")
ELEMENT_FIELDS = ("title", "description", "assumptions")
#: the columns' lengths, which a translation keeps to as well
PLAN_LIMITS = {"title": 200}
ELEMENT_LIMITS = {"title": 300}


@dataclass(frozen=True)
class Shown:
    """A text as a reader sees it: in ``language``; ``fallback`` when that is not theirs."""

    text: str
    language: str
    fallback: bool


def reader_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def text_for(obj: Any, field: str, main_language: str, language: str | None = None) -> Shown:
    """``obj.field`` in ``language`` (the reader's by default): the translation if there is one,
    else the main-language text, marked as a fallback when the languages differ."""
    wanted = language or reader_language()
    main_text = str(getattr(obj, field) or "")
    if wanted == main_language:
        return Shown(main_text, main_language, False)
    translated = (getattr(obj, "translations", None) or {}).get(wanted, {}).get(field, "")
    if translated:
        return Shown(str(translated), wanted, False)
    return Shown(main_text, main_language, bool(main_text))


def language_name(code: str) -> str:
    """A language's name in the reader's language ("Azerbaijani" in English)."""
    try:
        return str(_(get_language_info(code)["name"]))
    except KeyError:
        return code


def plan_languages() -> list[str]:
    """The languages a plan may be written in: those Waypoint speaks or keeps a catalogue for."""
    known = [code for code, _name in settings.LANGUAGES]
    return [*known, *(code for code in getattr(settings, "WAYPOINT_CATALOGUE_LANGUAGES", []) if code not in known)]


def check_language(code: str) -> None:
    """Raises InvalidInput unless ``code`` is one of ``plan_languages()``."""
    if code not in plan_languages():
        raise InvalidInput.at(
            "language", _("Choose one of these languages: %(codes)s.") % {"codes": ", ".join(plan_languages())}
        )


def clean_translations(
    value: Any, *, fields: tuple[str, ...], main_language: str, limits: dict[str, int], where: str = "translations"
) -> dict[str, dict[str, str]]:
    """``value`` as stored: languages other than the main one, known fields, text within the
    columns' limits; empty texts dropped (a language with none stays listed, empty).

    Raises:
        InvalidInput: an unknown language or field, a text that is not text or is too long.
    """
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise InvalidInput.at(where, _("Translations are a mapping from language to texts."))
    problems: list[Problem] = []
    cleaned: dict[str, dict[str, str]] = {}
    for language, texts in value.items():
        at = f"{where}.{language}"
        if not isinstance(language, str) or len(language) > 16 or not language.replace("-", "").isalpha():
            problems.append(Problem(at, _("“%(language)s” is not a language code.") % {"language": language}))
            continue
        if language == main_language:
            problems.append(Problem(at, _("The plan's main language is in the texts themselves, not a translation.")))
            continue
        if not isinstance(texts, dict):
            problems.append(Problem(at, _("Give the texts of a language as a mapping from field to text.")))
            continue
        kept: dict[str, str] = {}
        for name, text in texts.items():
            if name not in fields:
                problems.append(
                    Problem(
                        f"{at}.{name}",
                        _("Only these texts are translated: %(fields)s.") % {"fields": ", ".join(fields)},
                    )
                )
            elif not isinstance(text, str):
                problems.append(Problem(f"{at}.{name}", _("A translation is text.")))
            elif name in limits and len(text) > limits[name]:
                problems.append(Problem(f"{at}.{name}", _("At most %(n)d characters.") % {"n": limits[name]}))
            elif "\x00" in text:
                problems.append(Problem(f"{at}.{name}", _("The text holds a NUL character.")))
            elif text.strip():
                kept[name] = text.strip() if name == "title" else text
        cleaned[language] = kept
    if problems:
        raise InvalidInput(problems[0].message, problems=problems)
    return cleaned
