from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import get_language_info

from waypoint.org.access import Access
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


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the page frame needs: the languages for the switch, the plans for the switcher and
    the user's standing."""
    languages = {"nav_languages": navigation_languages()}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return languages
    access = Access.of(user)
    return {
        **languages,
        "nav_plans": plans_for(user).order_by("-start_year"),
        "nav_is_admin": access.is_any_administrator(),
        "nav_roles": sorted({grant.role for grant in access.grants}),
        "nav_unread": unread_count(user),
    }
