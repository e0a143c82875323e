"""Who may do what in the monitoring cycle (reading follows the plan).

- A unit's report is filled and submitted by contributors of that unit (or above it in the
  tree) and by planners.
- It is approved, returned, waived or un-approved by "the parent level": contributors of the
  unit's parent (or above it), approvers and administrators. A contributor therefore never
  approves a report of their own unit: the level above does.
- Separation of duties: whoever submitted a report, or typed the figures it holds, never
  approves it, even when they are at the parent level too (a directorate's contributor may
  fill a post's report, an administrator may do everything): someone else approves.
- Follow-up actions: planners and contributors add them; the owner (the person, or a
  contributor of the owning unit) and planners change them; everybody who reads the plan may
  comment. Review meetings: planners.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from waypoint.monitoring.models import FollowUpAction, Submission
from waypoint.org.access import Access
from waypoint.plans.models import Plan


def _plan(submission: Submission) -> Plan:
    return submission.period.calendar.plan


def can_manage_calendar(user: Any, plan: Plan) -> bool:
    return not plan.is_archived and Access.of(user).is_planner(plan.administration.path)


def can_submit(user: Any, submission: Submission) -> bool:
    plan = _plan(submission)
    if plan.is_archived:
        return False
    access = Access.of(user)
    return access.is_planner(plan.administration.path) or access.contributor_covers(submission.unit.path)


def can_decide(user: Any, submission: Submission) -> bool:
    """Approve, return, waive or un-approve: the parent level."""
    plan = _plan(submission)
    if plan.is_archived:
        return False
    access = Access.of(user)
    if access.is_approver(plan.administration.path):
        return True
    parent = submission.unit.parent
    return parent is not None and access.contributor_covers(parent.path)


def took_part(user: Any, submission: Submission) -> bool:
    """Whether ``user`` submitted the report or typed (or recorded) one of its figures."""
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return False
    if submission.submitted_by_id == user_id:
        return True
    return submission.assignments.filter(Q(value_by_id=user_id) | Q(actual__recorded_by_id=user_id)).exists()


def took_part_message() -> str:
    return _("You submitted this report or recorded its values: someone else at the level above approves it.")


def can_approve(user: Any, submission: Submission) -> bool:
    """The parent level approves, but never the person who reported (separation of duties)."""
    return can_decide(user, submission) and not took_part(user, submission)


def can_add_action(user: Any, plan: Plan) -> bool:
    if plan.is_archived:
        return False
    access = Access.of(user)
    return access.is_planner(plan.administration.path) or bool(
        [p for p in access.contributor_paths() if p.startswith(plan.administration.path)]
    )


def can_edit_action(user: Any, action: FollowUpAction) -> bool:
    if action.plan.is_archived:
        return False
    access = Access.of(user)
    if access.is_planner(action.plan.administration.path):
        return True
    if action.owner_person_id is not None and action.owner_person_id == getattr(user, "pk", None):
        return True
    return access.contributor_covers(action.owner_unit.path)


def can_comment(user: Any, plan: Plan) -> bool:
    return not plan.is_archived and Access.of(user).can_read(plan.administration.path)


def can_manage_meetings(user: Any, plan: Plan) -> bool:
    return not plan.is_archived and Access.of(user).is_planner(plan.administration.path)
