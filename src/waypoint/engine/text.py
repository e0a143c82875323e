"""Text that engines hand to people, in English, that the application can say in the reader's
language.

Engines have no Django, so they cannot translate; they mark what they say with ``_`` and
``ngettext`` below (the names ``makemessages`` looks for, so the strings land in the
catalogues) and return a ``Text``: an ordinary English string (the CLI prints it, files and
tests read it) that also keeps its template and values. The application says it again with
``Text.say(gettext, ngettext)`` (``waypoint.core.templatetags.waypoint.translated``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


def _(template: str) -> str:
    """Marks ``template`` for the catalogues; the English text itself."""
    return template


@dataclass(frozen=True)
class Plural:
    singular: str
    plural: str
    count: int


def ngettext(singular: str, plural: str, count: int) -> Plural:
    """Marks a text that depends on a number (the catalogues hold a form per number)."""
    return Plural(singular, plural, count)


class Text(str):
    """An English text (``str(text)``) with what it was made from, to be said in other words."""

    template: str | Plural
    values: Mapping[str, Any]

    def __new__(cls, template: str | Plural, values: Mapping[str, Any] | None = None) -> Text:
        values = dict(values or {})
        if isinstance(template, Plural):
            english = template.singular if template.count == 1 else template.plural
        else:
            english = template
        made = super().__new__(cls, english % values if values else english)
        made.template = template
        made.values = values
        return made

    def say(self, gettext: Callable[[str], str], ngettext: Callable[[str, str, int], str]) -> str:
        """The text in the language ``gettext`` and ``ngettext`` speak; values that are
        themselves ``Text`` are said in it too."""
        values = {k: v.say(gettext, ngettext) if isinstance(v, Text) else v for k, v in self.values.items()}
        if isinstance(self.template, Plural):
            words = ngettext(self.template.singular, self.template.plural, self.template.count)
        else:
            words = gettext(self.template)
        return words % values if values else words


def dumped(text: str) -> Any:
    """``text`` as JSON that keeps what it was made from (a ``Text``'s template and values,
    nested texts included), so that it can be said in another language after a round trip
    through a database; a plain string stays a string."""
    if not isinstance(text, Text):
        return text
    template: Any = (
        {"singular": text.template.singular, "plural": text.template.plural, "count": text.template.count}
        if isinstance(text.template, Plural)
        else text.template
    )
    values = {k: dumped(v) if isinstance(v, Text) else v for k, v in text.values.items()}
    return {"template": template, "values": values}


def loaded(data: Any) -> str:
    """The text ``dumped`` wrote: a ``Text`` again where it was one."""
    if not isinstance(data, dict):
        return str(data)
    raw = data["template"]
    template = Plural(raw["singular"], raw["plural"], int(raw["count"])) if isinstance(raw, dict) else str(raw)
    values = {k: loaded(v) if isinstance(v, dict) else v for k, v in data["values"].items()}
    return Text(template, values)
