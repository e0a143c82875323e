"""Who may do what in the monitoring cycle (reading follows the plan).

- A unit's report is filled and submitted by contributors of that unit (or above it in the
  tree) and by planners.
- It is approved, returned, waived or un-approved by "the parent level": contributors of the
  unit's parent (or above it), approvers and administrators. A contributor therefore never
  approves a report of their own unit: the level above does.
- Follow-up actions: planners and contributors add them; the owner (the person, or a
  contributor of the owning unit) and planners change them; everybody who reads the plan may
  comment. Review meetings: planners.
"""

from __future__ import annotations

from typing import Any

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
