"""Who may do what with the people side. Officers are personal data:

- an **HR officer** (the ``hr`` role, held at any unit) keeps the administration's officers:
  reads and edits every record, imports files, keeps frameworks, role profiles, courses and
  sessions, and runs the training allocation; HR sees aggregates without suppression;
- a **head of unit** (the ``head`` role, held at a unit) reads the records of the officers of
  that unit and the units below it, and records their manager's assessments;
- an **officer** with an account linked to their record reads and exports it, and records their
  own self-assessment;
- everybody else with a role in the administration sees aggregates only, with small groups
  suppressed (``privacy.py``).

Workforce needs belong to a plan's activity profile: its planners and HR keep them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from waypoint.org.access import Access
from waypoint.org.models import OrgUnit, Role
from waypoint.people.models import Officer, Source
from waypoint.plans.models import Plan


def is_hr(user: Any, administration: OrgUnit) -> bool:
    return Role.HR in Access.of(user).roles_in_administration(administration.path)


def hr_administration_paths(user: Any) -> set[str]:
    return {grant.administration_path for grant in Access.of(user).grants if grant.role == Role.HR}


def head_paths(user: Any) -> list[str]:
    """The units (paths) whose subtree's officers the user heads."""
    return [grant.unit_path for grant in Access.of(user).grants if grant.role == Role.HEAD]


def can_read(user: Any, administration: OrgUnit) -> bool:
    return Access.of(user).can_read(administration.path)


def can_manage(user: Any, administration: OrgUnit) -> bool:
    """Keep frameworks, role profiles, officers, courses; import; allocate."""
    return is_hr(user, administration)


def can_plan_workforce(user: Any, plan: Plan) -> bool:
    access = Access.of(user)
    path = plan.administration.path
    return access.is_planner(path) or Role.HR in access.roles_in_administration(path)


def sees_officers(user: Any) -> bool:
    """Whether the user may open the list of officers at all (HR or a head of unit)."""
    return bool(hr_administration_paths(user) or head_paths(user))


def visible_officers(user: Any) -> Q:
    """A filter for the officers whose records the user may read besides their own (HR of the
    administration, or head of their unit or a unit above it); nothing for anyone else."""
    condition = Q(pk__in=[])
    for path in hr_administration_paths(user):
        condition |= Q(unit__path__startswith=path)
    for path in head_paths(user):
        condition |= Q(unit__path__startswith=path)
    return condition


def can_see_officer(user: Any, officer: Officer) -> bool:
    if officer.user_id is not None and officer.user_id == getattr(user, "pk", None):
        return True
    path = officer.unit.path
    return path.startswith((*hr_administration_paths(user), *head_paths(user)))


def sources_allowed(user: Any, officer: Officer) -> list[str]:
    """The assessment sources the user may record for ``officer``: HR any; their head of unit
    the manager's; the officer their own."""
    allowed: list[str] = []
    if is_hr(user, officer.administration):
        return list(Source.values)
    if officer.unit.path.startswith(tuple(head_paths(user))):
        allowed.append(Source.MANAGER)
    if officer.user_id is not None and officer.user_id == getattr(user, "pk", None):
        allowed.append(Source.SELF)
    return allowed


def sees_everything(user: Any, administration: OrgUnit) -> bool:
    """Aggregates without suppression: for those who may read every officer anyway."""
    return is_hr(user, administration)
