"""Rights on indicators, targets and actuals (reading follows the plan)."""

from __future__ import annotations

from typing import Any

from waypoint.indicators.models import Indicator
from waypoint.org.access import Access
from waypoint.org.models import OrgUnit
from waypoint.plans.models import Plan


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


def editable_element_ids(user: Any, plan: Plan) -> set[int] | None:
    """Elements of ``plan`` the user may hang an indicator on: ``None`` for all (a planner),
    else those of their units (a contributor; empty for everybody else)."""
    access = Access.of(user)
    if access.is_planner(plan.administration.path):
        return None
    paths = access.contributor_paths()
    return {
        e.pk
        for e in plan.elements.select_related("responsible_unit")
        if any(e.responsible_unit.path.startswith(p) for p in paths)
    }


def can_add_indicator(user: Any, plan: Plan) -> bool:
    """Whether the plan's indicator list offers "New indicator" (a contributor may add one
    to the elements of their units)."""
    if plan.is_archived:
        return False
    access = Access.of(user)
    return access.is_planner(plan.administration.path) or bool(access.contributor_paths())


def recording_unit_paths(user: Any, plan: Plan) -> list[str] | None:
    """Units the user may record values for: ``None`` for all (a planner), else their subtrees."""
    access = Access.of(user)
    return None if access.is_planner(plan.administration.path) else access.contributor_paths()
