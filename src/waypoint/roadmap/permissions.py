"""Rights on the roadmap: planners shape it and run scenarios; contributors keep the schedule
data of their own units' work (durations, teams, actual dates); approvers approve a baseline."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from waypoint.core.errors import NotAllowed
from waypoint.org.access import Access
from waypoint.plans import permissions as plan_permissions
from waypoint.plans.models import Plan, PlanElement


def can_plan_roadmap(user: Any, plan: Plan) -> bool:
    return plan_permissions.can_edit_plan(user, plan)


def can_edit_schedule_of(user: Any, element: PlanElement) -> bool:
    return plan_permissions.can_edit_element(user, element)


def can_approve_baseline(user: Any, plan: Plan) -> bool:
    return not plan.is_archived and Access.of(user).is_approver(plan.administration.path)


def require(actor: Any, allowed: bool, message: str | None = None) -> None:
    """Refuse a person (not the system, ``actor=None``) what ``allowed`` does not grant.

    Raises:
        NotAllowed: with ``message``, or the general refusal to change the roadmap.
    """
    if actor is not None and not allowed:
        raise NotAllowed(message or _("You do not have the right to change this roadmap."))
