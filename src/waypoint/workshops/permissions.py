"""Rights in workshops.

- Reading a workshop, its board and its record: anyone with a role in its administration.
- Creating one: planners (and administrators) of the administration.
- Facilitating (the agenda, opening and closing, clusters, turning results into the plan):
  planners of the administration and the users named facilitators of that workshop. Writing
  into the plan still needs the plans' own right (a facilitator who is not a planner can run
  the room but not change the plan: plans' services refuse).
- Writing a result into the plan's open planning round (a proposal): a facilitator who also
  writes that submission by the round's own rule (``rounds.permissions.works_on``): a
  contributor of the unit for the unit's submission, a planner for the administration's own
  level. Facilitating gives no right in the round: a planner who facilitates does not write a
  unit's submission for it, and rounds' ``proposal_save`` checks the same again.
- Taking part (notes, dots, scores, comparisons): its participants while it is open. A
  guest is a participant without an account; the session holds their seat, which is good
  for this workshop only and only while it is open (``guest_participant``).
"""

from __future__ import annotations

from typing import Any

from waypoint.org.access import Access
from waypoint.org.models import OrgUnit
from waypoint.workshops.models import Participant, ParticipantRole, Workshop, WorkshopStatus

#: the session key that holds a guest's seat (a participant id)
GUEST_SESSION_KEY = "workshop_guest"


def can_view(user: Any, workshop: Workshop) -> bool:
    return Access.of(user).can_read(workshop.administration.path)


def can_create(user: Any, administration: OrgUnit) -> bool:
    return Access.of(user).is_planner(administration.path)


def can_facilitate(user: Any, workshop: Workshop) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    access = Access.of(user)
    if access.is_planner(workshop.administration.path):
        return True
    return (
        access.can_read(workshop.administration.path)
        and Participant.objects.filter(workshop=workshop, user=user, role=ParticipantRole.FACILITATOR).exists()
    )


def can_join_as_user(user: Any, workshop: Workshop) -> bool:
    return workshop.status == WorkshopStatus.OPEN and can_view(user, workshop)


def guest_participant(session: Any, workshop_id: int | None = None) -> Participant | None:
    """The guest seat a session holds, while its workshop is open (and, given
    ``workshop_id``, only in that workshop); ``None`` otherwise."""
    seat = session.get(GUEST_SESSION_KEY) if session is not None else None
    if not isinstance(seat, int):
        return None
    found = (
        Participant.objects.select_related("workshop")
        .filter(pk=seat, is_guest=True, workshop__status=WorkshopStatus.OPEN)
        .first()
    )
    if found is None or (workshop_id is not None and found.workshop_id != workshop_id):
        return None
    return found


def holds_guest_seat(session: Any) -> bool:
    """The session was given a guest seat (whether or not it still works)."""
    return session is not None and isinstance(session.get(GUEST_SESSION_KEY), int)


def can_take_part(participant: Participant | None) -> bool:
    """Still a participant with rights: the workshop is open; a user still has a role there."""
    if participant is None or participant.workshop.status != WorkshopStatus.OPEN:
        return False
    if participant.is_guest:
        return True
    return (
        participant.user is not None and participant.user.is_active and can_view(participant.user, participant.workshop)
    )


def can_edit_plan_of(user: Any, workshop: Workshop) -> bool:
    """May change the plan the workshop feeds (plans' own rule: its planners, not archived)."""
    from waypoint.plans.permissions import can_edit_plan

    return can_edit_plan(user, workshop.plan)
