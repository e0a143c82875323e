"""Rights in a planning round, in one place for pages, the API and the services.

- **Running a round** (open, extend, close, reopen, consolidate): planners (and administrators)
  of the plan's administration, on a draft plan.
- **Working on a submission** (proposals, needs, submitting it): the contributors of its unit.
  A contributor's submission is that of the nearest asked unit at or above the unit where
  they hold the role: a contributor at a customs office that was not asked works on its
  directorate's submission. The administration's own submission, where the planning
  department consolidates, is the planners'.
- **Reviewing** a submission (accept, accept with edits, merge, decline, return, waive) is the
  right of the level above: whoever works on its parent submission. A directorate's
  contributors, acting for its head, review their border posts' submissions; planners review
  the submissions that come straight to the administration. No new role is needed: the
  reviewing right follows the round's tree. Planners may also waive any submission that is
  not in yet (a unit that does not answer).
- **Reading**: every administration-wide role (planner, approver, administrator, viewer) reads
  every submission; a contributor reads the submissions of units within their own subtree
  (their unit's and those it reviews), not their siblings' drafts. The round's page (frame,
  dashboard of statuses and counts, accounting) is open to every role in the administration.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from waypoint.core.errors import NotAllowed
from waypoint.org.access import Access
from waypoint.org.models import Role
from waypoint.plans import permissions as plan_permissions
from waypoint.rounds.models import PlanningRound, Submission


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise NotAllowed(message or _("Your role does not allow this in this planning round."))


def can_read_round(user: Any, round_: PlanningRound) -> bool:
    return plan_permissions.can_view_plan(user, round_.plan)


def can_manage_round(user: Any, round_: PlanningRound) -> bool:
    return Access.of(user).is_planner(round_.plan.administration.path)


def can_open_round(user: Any, plan: Any) -> bool:
    return Access.of(user).is_planner(plan.administration.path)


def _asked_paths(round_: PlanningRound) -> dict[str, int]:
    """Unit path → submission id, for the round's submissions (cached on the round)."""
    cached: dict[str, int] | None = getattr(round_, "_asked_paths", None)
    if cached is None:
        cached = dict(round_.submissions.values_list("unit__path", "pk"))
        round_._asked_paths = cached  # type: ignore[attr-defined]
    return cached


def submission_of_unit_path(round_: PlanningRound, path: str) -> int | None:
    """The id of the submission of the nearest asked unit at or above ``path``."""
    asked = _asked_paths(round_)
    parts = path.strip("/").split("/")
    for depth in range(len(parts), 0, -1):
        found = asked.get("/" + "/".join(parts[:depth]) + "/")
        if found is not None:
            return found
    return None


def worked_submission_ids(user: Any, round_: PlanningRound) -> set[int]:
    """The submissions ``user`` works on: their contributor units' (and, for a planner, the
    administration's own)."""
    access = Access.of(user)
    found: set[int] = set()
    admin_path = round_.plan.administration.path
    for grant in access.grants:
        if grant.role == Role.CONTRIBUTOR and grant.unit_path.startswith(admin_path):
            submission = submission_of_unit_path(round_, grant.unit_path)
            if submission is not None and not _is_root_id(round_, submission):
                found.add(submission)
    if access.is_planner(admin_path):
        root = _asked_paths(round_).get(admin_path)
        if root is not None:
            found.add(root)
    return found


def _is_root_id(round_: PlanningRound, submission_id: int) -> bool:
    return _asked_paths(round_).get(round_.plan.administration.path) == submission_id


def works_on(user: Any, submission: Submission) -> bool:
    return submission.pk in worked_submission_ids(user, submission.round)


def reviews(user: Any, submission: Submission) -> bool:
    """Whether ``user`` decides on ``submission`` (works on the level above it)."""
    return submission.parent_id is not None and submission.parent_id in worked_submission_ids(user, submission.round)


def can_read_submission(user: Any, submission: Submission) -> bool:
    access = Access.of(user)
    path = submission.round.plan.administration.path
    roles = access.roles_in_administration(path)
    if roles - {Role.CONTRIBUTOR}:
        return True
    if submission.is_root:
        return bool(roles)
    return access.contributor_covers(submission.unit.path) or works_on(user, submission)


def can_waive(user: Any, submission: Submission) -> bool:
    return not submission.is_root and (reviews(user, submission) or can_manage_round(user, submission.round))
