"""What every plan page needs: the frame's context and who may change which element."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from waypoint.org.access import Access
from waypoint.plans import permissions, rules
from waypoint.plans.models import Plan, PlanElement


def plan_context(request: HttpRequest, plan: Plan, section: str) -> dict[str, Any]:
    """The plan's frame: its header, the tab ``section`` marked, and whether the user may edit
    its content (not while it is submitted, approved or superseded: ``lock_reason`` says why).
    ``changes_content``: whether the user's role changes the plan's content when it is a draft
    (a planner, or a contributor), to tell them of the lock where they would otherwise edit."""
    lock_reason = rules.plan_lock_reason(plan.status)
    access, path = Access.of(request.user), plan.administration.path
    return {
        "changes_content": access.is_planner(path) or any(p.startswith(path) for p in access.contributor_paths()),
        "plan": plan,
        "section": section,
        "can_edit_plan": lock_reason is None and permissions.can_edit_plan(request.user, plan),
        "lock_reason": lock_reason,
    }


def editable_element_ids(request: HttpRequest, plan: Plan, elements: list[PlanElement]) -> set[int]:
    """Elements the user may change, worked out without extra queries."""
    if permissions.is_locked(plan):
        return set()
    access = Access.of(request.user)
    if access.is_planner(plan.administration.path):
        return {e.pk for e in elements}
    paths = access.contributor_paths()
    return {e.pk for e in elements if any(e.responsible_unit.path.startswith(p) for p in paths)}


def unit_paths_for(request: HttpRequest, plan: Plan) -> list[str] | None:
    """Units a user may hand elements to: all for planners, their subtrees for contributors."""
    access = Access.of(request.user)
    if access.is_planner(plan.administration.path):
        return None
    return access.contributor_paths()
