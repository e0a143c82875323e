"""What every plan page needs: the frame's context and who may change which element."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
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


#: goals shown on one page of the tree and the logframe: a plan of a thousand elements is read
#: a few goals at a time, and the page costs the same whatever the plan's size
GOALS_PER_PAGE = 10


def goal_page(request: HttpRequest, groups: Sequence[Any]) -> tuple[Page[Any], str]:
    """The page of ``groups`` (one per goal) the request asks for, and the request's other
    parameters as a query string, for the pager's links."""
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(groups, GOALS_PER_PAGE).get_page(request.GET.get("page")), query.urlencode()
