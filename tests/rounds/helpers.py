"""A planning round on the test world's draft plan, built through the services.

The round asks the southern directorate and its post, the western directorate and its post,
and the risk department; the directorates review their posts, the planners review the
directorates and the department. ``contributor_post`` writes South Post One's submission,
``contributor`` (southern directorate) reviews it, ``contributor_west`` writes the west's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.world import World
from waypoint.org import services as org_services
from waypoint.org.models import User
from waypoint.rounds import services
from waypoint.rounds.models import PlanningRound, Proposal, Submission
from waypoint.rounds.rules import BudgetAsk, IndicatorAsk, RiskAsk

ASKED = ("RD-S", "BP-S1", "RD-W", "BP-W1", "HQ-RSK")


def open_round(w: World, units: tuple[str, ...] = ASKED, deadline: dt.date | None = None) -> PlanningRound:
    return services.round_open(
        actor=w.users["planner"],
        plan=w.plan,
        title="Round 2011",
        guidance="Propose what your unit will do under the five goals.",
        deadline=deadline or dt.date(2099, 10, 31),
        frame=[w.elements["G1"]],
        units=[w.unit(code) for code in units],
    )


def submission(round_: PlanningRound, code: str) -> Submission:
    return round_.submissions.select_related("unit", "parent__unit", "round__plan__administration").get(unit__code=code)


def propose(
    w: World,
    round_: PlanningRound,
    unit: str,
    actor: str,
    title: str,
    *,
    kind: str = "initiative",
    parent: str = "O1.1",
    parent_proposal: Proposal | None = None,
    budget: dict[int, int] | None = None,
    starts_on: dt.date = dt.date(2013, 1, 1),
    ends_on: dt.date = dt.date(2014, 12, 1),
) -> Proposal:
    """A proposal of ``unit``'s submission, written by ``actor`` (a world user name)."""
    values = services.ProposalInput(
        kind=kind,
        title=title,
        responsible_unit=w.unit(unit),
        description=f"{title}, as {unit} sees it.",
        starts_on=starts_on if kind != "objective" else None,
        ends_on=ends_on if kind != "objective" else None,
        parent_element=None if parent_proposal is not None else w.elements[parent],
        parent_proposal=parent_proposal,
        budget=[BudgetAsk(year, w.source.pk, Decimal(amount)) for year, amount in (budget or {2013: 1000}).items()],
        indicators=[IndicatorAsk("Trucks cleared per hour", "trucks", "increase", Decimal("10"), {2013: Decimal(12)})]
        if kind != "activity"
        else [],
        risks=[RiskAsk("Works run late", 3, 4, "Pay by milestones")],
    )
    return services.proposal_save(actor=w.users[actor], submission=submission(round_, unit), values=values)


def second_post(w: World) -> User:
    """A second border post below the southern directorate, and its contributor."""
    unit = org_services.unit_create(
        actor=None, code="BP-S2", name="South Post Two", kind="road_border_post", parent=w.unit("RD-S")
    )
    w.units["BP-S2"] = unit
    user = org_services.user_create(actor=None, username="contributor_post2", password="x" * 16)
    org_services.role_grant(actor=None, user=user, role="contributor", unit=unit)
    w.users["contributor_post2"] = user
    return user


def world_round(w: World) -> PlanningRound:
    """The world's round (made on first use): South Post One has submitted one proposal to the
    southern directorate, which drafts its own; the directorate has a need on record."""
    found = PlanningRound.objects.filter(plan=w.plan).first()
    if found is None:
        found = open_round(w)
        propose(w, found, "BP-S1", "contributor_post", "Scanner at South Post One")
        services.submission_submit(actor=None, submission=submission(found, "BP-S1"))
        propose(w, found, "RD-S", "contributor", "Southern lanes")
        services.need_save(actor=None, submission=submission(found, "RD-S"), text="More staff")
    return found
