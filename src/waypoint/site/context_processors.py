from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from waypoint.org.access import Access
from waypoint.org.notifications import unread_count
from waypoint.plans.selectors import plans_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the page frame needs: the plans for the switcher and the user's standing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    access = Access.of(user)
    return {
        "nav_plans": plans_for(user).order_by("-start_year"),
        "nav_is_admin": access.is_any_administrator(),
        "nav_roles": sorted({grant.role for grant in access.grants}),
        "nav_unread": unread_count(user),
    }
