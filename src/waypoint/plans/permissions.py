"""Rights on plans and their content, in one place for the web UI and the API.

Reading: any role in the plan's administration. Writing plan-wide things (settings, goals,
environmental analysis, functions): planners and administrators. Writing an element:
planners, or contributors whose unit subtree holds the element's responsible unit.
Approving: approvers and administrators. A superseded plan is read-only for everybody.

The lock: a plan submitted for approval, approved or superseded refuses changes to its content
(``require_unlocked``, called by every write service of plans and indicators, whoever acts,
the system and imports included); the reason comes from ``rules.plan_lock_reason``. The
``can_*`` questions above say what a role allows; pages ask ``is_locked`` as well to hide
what the lock refuses. An approved plan changes through an amendment (a planner opens it).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from waypoint.core.errors import NotAllowed
from waypoint.org.access import Access
from waypoint.org.models import OrgUnit
from waypoint.plans import rules
from waypoint.plans.errors import PlanLocked
from waypoint.plans.models import Plan, PlanElement, PlanStatus

#: who may move a plan from one status to another
STATUS_TRANSITIONS: dict[tuple[str, str], str] = {
    (PlanStatus.DRAFT, PlanStatus.UNDER_REVIEW): "planner",
    (PlanStatus.UNDER_REVIEW, PlanStatus.DRAFT): "planner_or_approver",
    (PlanStatus.UNDER_REVIEW, PlanStatus.APPROVED): "approver",
    # opening an amendment (``services.amendment_open``)
    (PlanStatus.APPROVED, PlanStatus.DRAFT): "planner",
    (PlanStatus.APPROVED, PlanStatus.SUPERSEDED): "approver",
}


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise NotAllowed(message or _("Your role does not allow this."))


def is_locked(plan: Plan) -> bool:
    return rules.plan_lock_reason(plan.status) is not None


def require_unlocked(plan: Plan) -> None:
    """Refuse a change to the content of a plan that is not a draft, saying why.

    Raises:
        PlanLocked: the plan is submitted for approval, approved or superseded.
    """
    reason = rules.plan_lock_reason(plan.status)
    if reason is not None:
        raise PlanLocked(reason)


def can_approve(user: Any, plan: Plan) -> bool:
    return Access.of(user).is_approver(plan.administration.path)


def can_view_plan(user: Any, plan: Plan) -> bool:
    return Access.of(user).can_read(plan.administration.path)


def can_create_plan(user: Any, administration: OrgUnit) -> bool:
    return Access.of(user).is_planner(administration.path)


def can_edit_plan(user: Any, plan: Plan) -> bool:
    """Plan-wide content: settings, goals, environmental analysis, functions."""
    return not plan.is_archived and Access.of(user).is_planner(plan.administration.path)


def can_change_status(user: Any, plan: Plan, new_status: str) -> bool:
    who = STATUS_TRANSITIONS.get((plan.status, new_status))
    access = Access.of(user)
    path = plan.administration.path
    if who == "planner":
        return access.is_planner(path)
    if who == "approver":
        return access.is_approver(path)
    if who == "planner_or_approver":
        return access.is_planner(path) or access.is_approver(path)
    return False


def can_edit_element(user: Any, element: PlanElement) -> bool:
    if element.plan.is_archived:
        return False
    return Access.of(user).can_edit_unit_content(element.responsible_unit.path)


def can_add_element(user: Any, plan: Plan, parent: PlanElement | None, unit: OrgUnit | None = None) -> bool:
    """Goals are plan-wide; below a goal, whoever may edit the parent may add to it,
    provided the new element's unit is also theirs."""
    if plan.is_archived:
        return False
    access = Access.of(user)
    if access.is_planner(plan.administration.path):
        return True
    if parent is None:
        return False
    if not access.contributor_covers(parent.responsible_unit.path):
        return False
    return unit is None or access.contributor_covers(unit.path)


def can_delete_element(user: Any, element: PlanElement, descendant_unit_paths: list[str]) -> bool:
    """Deleting removes the subtree, so a contributor must cover every unit in it."""
    if not can_edit_element(user, element):
        return False
    access = Access.of(user)
    if access.is_planner(element.plan.administration.path):
        return True
    return all(access.contributor_covers(path) for path in descendant_unit_paths)
