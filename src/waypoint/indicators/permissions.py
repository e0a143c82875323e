"""Rights on indicators, targets and actuals (reading follows the plan)."""

from __future__ import annotations

from typing import Any

from waypoint.indicators.models import Indicator
from waypoint.org.access import Access
from waypoint.org.models import OrgUnit


def can_edit_indicator(user: Any, indicator: Indicator) -> bool:
    """Definition and targets: planners, or contributors owning the element or the indicator."""
    if indicator.plan.is_archived:
        return False
    access = Access.of(user)
    return (
        access.is_planner(indicator.plan.administration.path)
        or access.contributor_covers(indicator.element.responsible_unit.path)
        or access.contributor_covers(indicator.owner_unit.path)
    )


def can_record_actual(user: Any, indicator: Indicator, unit: OrgUnit | None) -> bool:
    """Actuals: planners; contributors for their own units, or for the whole administration
    when they own the indicator."""
    if indicator.plan.is_archived:
        return False
    access = Access.of(user)
    if access.is_planner(indicator.plan.administration.path):
        return True
    if unit is not None:
        return access.contributor_covers(unit.path)
    return access.contributor_covers(indicator.owner_unit.path)


def can_record_some_actual(user: Any, indicator: Indicator) -> bool:
    """Whether the user may record at least one value: for the whole administration, or
    (for indicators reported by unit) for one of their own units."""
    if can_record_actual(user, indicator, None):
        return True
    if indicator.plan.is_archived or not indicator.by_unit:
        return False
    admin_path = indicator.plan.administration.path
    return any(path.startswith(admin_path) for path in Access.of(user).contributor_paths())
