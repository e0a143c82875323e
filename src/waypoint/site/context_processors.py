from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import get_format
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext

from waypoint.org.access import Access
from waypoint.org.models import Role
from waypoint.org.notifications import unread_count
from waypoint.plans.selectors import plans_for


def _language_name(code: str, name: str) -> str:
    """A language's name in that language (Français, العربية), as the switch shows it."""
    try:
        return str(capfirst(get_language_info(code)["name_local"]))
    except KeyError:
        return name


def navigation_languages() -> list[tuple[str, str]]:
    """The languages offered, each named in itself."""
    return [(code, _language_name(code, str(name))) for code, name in settings.LANGUAGES]


def page_locale() -> str:
    """How charts write numbers and dates in the reader's language, for the page's scripts
    (``data-locale`` on <html>, read by app.js into vega-embed's d3 locales)."""
    months = [str(capfirst(MONTHS[m])) for m in range(1, 13)]
    short_months = [str(capfirst(MONTHS_3[m])) for m in range(1, 13)]
    # d3 weeks start on Sunday, Django's on Monday
    days = [str(WEEKDAYS[(d + 6) % 7]) for d in range(7)]
    short_days = [str(WEEKDAYS_ABBR[(d + 6) % 7]) for d in range(7)]
    return json.dumps(
        {
            "number": {
                "decimal": get_format("DECIMAL_SEPARATOR"),
                "thousands": get_format("THOUSAND_SEPARATOR"),
                "grouping": [3],
                "currency": ["", ""],
            },
            "time": {
                "dateTime": "%x %X",
                "date": "%Y-%m-%d",
                "time": "%H:%M",
                "periods": ["AM", "PM"],
                "days": days,
                "shortDays": short_days,
                "months": months,
                "shortMonths": short_months,
            },
            "embed": {
                "SVG_ACTION": gettext("Save as SVG"),
                "PNG_ACTION": gettext("Save as PNG"),
                "CLICK_TO_VIEW_ACTIONS": gettext("Click to view actions"),
            },
            "chartFailed": gettext("The chart could not be drawn:"),
        },
        ensure_ascii=False,
    )


ROLE_NAMES = dict(Role.choices)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the page frame needs: the languages for the switch, the plans for the switcher and
    the user's standing."""
    languages = {"nav_languages": navigation_languages(), "page_locale": page_locale()}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return languages
    access = Access.of(user)
    return {
        **languages,
        "nav_plans": plans_for(user).order_by("-start_year"),
        "nav_is_admin": access.is_any_administrator(),
        # the roles' names in the reader's language (the grants hold their codes)
        "nav_roles": [ROLE_NAMES.get(code, code) for code in sorted({grant.role for grant in access.grants})],
        "nav_unread": unread_count(user),
    }
