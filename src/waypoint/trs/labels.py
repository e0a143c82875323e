"""What people read instead of the file contract's names: milestones, dimensions, their
values, actors and the reasons a declaration is set aside, all translatable.

A column the contract does not know is shown as its name in words (``border_post`` →
"Border post").
"""

from __future__ import annotations

from django.utils.dates import WEEKDAYS
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MILESTONES: dict[str, Promise] = {
    "arrival": _("Arrival"),
    "lodgement": _("Lodgement"),
    "registration": _("Registration"),
    "documentary_check": _("Documentary check"),
    "physical_examination": _("Physical examination"),
    "oga_release": _("Release by other agencies"),
    "payment": _("Payment"),
    "release": _("Release"),
    "exit": _("Exit"),
}
DIMENSIONS: dict[str, Promise] = {
    "office": _("Office"),
    "office_type": _("Type of office"),
    "mode": _("Mode of transport"),
    "regime": _("Customs regime"),
    "channel": _("Channel"),
    "hs_chapter": _("HS chapter"),
    "aeo": _("Authorised economic operator"),
    "pre_arrival": _("Lodged before arrival"),
    "oga": _("Other agency involved"),
    "declared_value": _("Declared value"),
    "period": _("Peak or off-peak"),
    "weekday": _("Day of arrival"),
    "hour": _("Hour of arrival"),
}
ACTORS: dict[str, Promise] = {
    "customs": _("Customs"),
    "other agencies": _("Other agencies"),
    "trader/broker": _("Trader or broker"),
    "port/terminal": _("Port or terminal"),
}
REASONS: dict[str, Promise] = {
    "missing value": _("Missing value"),
    "unknown milestone": _("Unknown milestone"),
    "unparseable timestamp": _("Unreadable time"),
    "duplicate milestone": _("Milestone recorded twice"),
    "missing required milestone": _("Required milestone missing"),
    "out-of-order timestamps": _("Times out of order"),
}
_VALUES: dict[str, Promise] = {
    "true": _("yes"),
    "false": _("no"),
    "peak": _("peak (weekdays, office hours)"),
    "off-peak": _("off-peak"),
}
_WEEKDAYS = {
    name: WEEKDAYS[index]
    for index, name in enumerate(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))
}


def _words(name: str) -> str:
    return name.replace("_", " ").strip().capitalize()


def milestone_label(name: str) -> str:
    return str(MILESTONES.get(name) or _words(name))


def dimension_label(name: str) -> str:
    return str(DIMENSIONS.get(name) or _words(name))


def value_label(value: object, dimension: str = "") -> str:
    """A dimension's value as people read it: yes/no for flags, the day's name, "(empty)"."""
    text = "" if value is None else str(value)
    if text == "":
        return str(_("(empty)"))
    if dimension == "weekday" and text in _WEEKDAYS:
        return str(_WEEKDAYS[text])
    if dimension == "hour" and text.isdigit():
        return f"{int(text):02d}:00–{int(text) + 1:02d}:00"
    found = _VALUES.get(text.lower())
    return str(found) if found is not None else text


def actor_label(name: str) -> str:
    return str(ACTORS.get(name) or _words(name))


def reason_label(name: str) -> str:
    return str(REASONS.get(name) or _words(name))
