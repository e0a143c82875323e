"""Every write of a planning round. Each function is one transaction that writes its audit
record; each checks the actor's rights (``actor=None`` is the system: the demo builder).

The path of a proposal: written in its unit's submission (draft) → submitted with it →
accepted by the level above (held by that level's submission, carried up with it) or merged
there with others into a new proposal, or declined → … → accepted at the administration's
level (the planning department) → consolidated into the plan. A submission is returned with
comments (its unit revises and resubmits) or waived with a reason; a level submits only when
each of its children is accepted or waived.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core.audit import SYSTEM, Action, audit_record, audited_delete, diff, snapshot
from waypoint.core.errors import ApplicationError, EditConflict, InvalidInput, Problem
from waypoint.core.versioning import save_if_unchanged
from waypoint.engine.periods import month_end, month_start
from waypoint.indicators import services as indicator_services
from waypoint.org.models import OrgUnit, Role, RoleAssignment, User
from waypoint.org.notifications import Message, notify_all
from waypoint.plans import extensions
from waypoint.plans import permissions as plan_permissions
from waypoint.plans import services as plan_services
from waypoint.plans.models import KIND_PLURAL, PARENT_KIND, ElementKind, FundingSource, Plan, PlanElement
from waypoint.rounds import permissions, rules, selectors
from waypoint.rounds.models import (
    WORKING_STATUSES,
    Comment,
    ElementAttribution,
    Need,
    PlanningRound,
    Proposal,
    ProposalBudget,
    ProposalIndicator,
    ProposalRisk,
    ProposalStatus,
    Review,
    ReviewAction,
    RoundStatus,
    Submission,
    SubmissionStatus,
)
from waypoint.rounds.rules import BudgetAsk, IndicatorAsk, RiskAsk

ROUND_FIELDS = ("title", "guidance", "deadline", "status")
PROPOSAL_FIELDS = (
    "kind",
    "title",
    "description",
    "responsible_unit",
    "lead",
    "starts_on",
    "ends_on",
    "assumptions",
    "parent_element",
    "parent_proposal",
)
#: what a reviewer may change when accepting with edits
EDITABLE_ON_REVIEW = ("title", "description", "responsible_unit", "lead", "starts_on", "ends_on", "assumptions")


def _check(actor: User | None, allowed: bool, message: str | None = None) -> None:
    if actor is not None:
        permissions.require(allowed, message)


def _raise(problems: list[Problem]) -> None:
    if problems:
        message = (
            problems[0].message if len(problems) == 1 else _("The input breaks %(n)d rules.") % {"n": len(problems)}
        )
        raise InvalidInput(message, problems=problems)


def _name(actor: User | None) -> str:
    return actor.display_name if actor is not None else SYSTEM


def _require_open(round_: PlanningRound) -> None:
    if round_.status != RoundStatus.OPEN:
        raise InvalidInput.at("status", _("The round is closed: a planner reopens it first."))


def _review(
    round_: PlanningRound,
    *,
    action: str,
    actor: User | None,
    level: OrgUnit | None,
    submission: Submission | None = None,
    proposal: Proposal | None = None,
    comment: str = "",
    changes: Mapping[str, Any] | None = None,
) -> Review:
    return Review.objects.create(
        round=round_,
        submission=submission,
        proposal=proposal,
        action=action,
        level=level,
        comment=comment.strip(),
        changes=dict(changes or {}),
        actor=actor if actor is not None and actor.pk else None,
        actor_name=_name(actor),
        at=timezone.now(),
    )


def _audit(actor: User | None, action: Action, instance: Any, round_: PlanningRound, **changes: Any) -> None:
    audit_record(actor=actor, action=action, instance=instance, changes=changes, plan_id=round_.plan_id)


def _submission_url(submission: Submission) -> str:
    return reverse("submission-detail", kwargs={"submission_id": submission.pk})


def _tell(people: Iterable[User], key: str, subject: str, body: str, url: str, besides: User | None) -> None:
    notify_all(
        recipients=[p for p in people if besides is None or p.pk != besides.pk],
        key=key,
        message=Message(subject, body, url),
    )


# --- rounds ----------------------------------------------------------------------------------------


def _frame_problems(plan: Plan, frame: Sequence[PlanElement]) -> list[Problem]:
    wrong = [e.code for e in frame if e.plan_id != plan.pk or e.kind not in ("goal", "objective")]
    if wrong:
        return [
            Problem("frame", _("The frame holds goals and objectives of this plan: %(c)s.") % {"c": ", ".join(wrong)})
        ]
    return []


@transaction.atomic
def round_open(
    *,
    actor: User | None,
    plan: Plan,
    title: str,
    deadline: dt.date | None,
    frame: Iterable[PlanElement],
    units: Iterable[OrgUnit],
    guidance: str = "",
) -> PlanningRound:
    """Open a planning round on a draft plan: each asked unit gets its submission, reviewed by
    the nearest asked unit above it (by the planners when there is none).

    Raises:
        PlanLocked: the plan is not a draft.
        NotAllowed: the actor is not a planner.
        InvalidInput: no title, deadline, frame or unit; another round of the plan is open.
    """
    plan_permissions.require_unlocked(plan)
    _check(actor, permissions.can_open_round(actor, plan))
    frame = list(frame)
    admin = plan.administration
    asked = sorted(
        {u.pk: u for u in units if u.path.startswith(admin.path) and u.pk != admin.pk and u.is_active}.values(),
        key=lambda u: u.path,
    )
    problems = rules.round_problems(title=title, deadline=deadline, frame_count=len(frame), unit_count=len(asked))
    problems += _frame_problems(plan, frame)
    if PlanningRound.objects.filter(plan=plan, status=RoundStatus.OPEN).exists():
        problems.append(Problem("title", _("Another round of this plan is open: close it first.")))
    _raise(problems)
    assert deadline is not None
    round_ = PlanningRound.objects.create(
        plan=plan,
        title=title.strip(),
        guidance=guidance,
        deadline=deadline,
        opened_at=timezone.now(),
        opened_by_name=_name(actor),
    )
    round_.frame.set(frame)
    root = Submission.objects.create(round=round_, unit=admin, status=SubmissionStatus.DRAFTING)
    made: dict[str, Submission] = {admin.path: root}
    for unit in asked:
        parts = unit.path.strip("/").split("/")[:-1]
        parent = next(
            (made[p] for depth in range(len(parts), 0, -1) if (p := "/" + "/".join(parts[:depth]) + "/") in made),
            root,
        )
        made[unit.path] = Submission.objects.create(round=round_, unit=unit, parent=parent)
    _audit(
        actor,
        Action.CREATE,
        round_,
        round_,
        **snapshot(round_, ("title", "deadline")),
        frame=[e.code for e in frame],
        units=[u.code for u in asked],
    )
    for unit in asked:
        submission = made[unit.path]
        _tell(
            selectors.workers(submission),
            f"round:{round_.pk}:asked:{submission.pk}",
            _("%(round)s: %(unit)s is asked for its proposals") % {"round": round_.title, "unit": unit.name},
            _("Submit by %(date)s.") % {"date": f"{deadline:%Y-%m-%d}"} + (f"\n\n{guidance}" if guidance else ""),
            _submission_url(submission),
            actor,
        )
    return round_


@transaction.atomic
def round_update(
    *,
    actor: User | None,
    round_: PlanningRound,
    expected_version: int | None,
    title: str,
    guidance: str,
    deadline: dt.date | None,
    frame: Iterable[PlanElement] | None = None,
) -> PlanningRound:
    """Change a round's title, guidance, deadline (extend it) or frame.

    Raises:
        NotAllowed: the actor is not a planner.
        InvalidInput: no title, deadline or frame.
        EditConflict: someone else saved the round after ``expected_version``.
    """
    _check(actor, permissions.can_manage_round(actor, round_))
    frame_list = list(frame) if frame is not None else list(round_.frame.all())
    problems = rules.round_problems(title=title, deadline=deadline, frame_count=len(frame_list), unit_count=1)
    _raise(problems + _frame_problems(round_.plan, frame_list))
    before = snapshot(round_, ROUND_FIELDS)
    before_frame = sorted(e.code for e in round_.frame.all())
    assert deadline is not None
    round_.title, round_.guidance, round_.deadline = title.strip(), guidance, deadline
    save_if_unchanged(round_, expected_version=expected_version, fields=["title", "guidance", "deadline"])
    round_.frame.set(frame_list)
    changes: dict[str, Any] = diff(before, snapshot(round_, ROUND_FIELDS))
    after_frame = sorted(e.code for e in frame_list)
    if after_frame != before_frame:
        changes["frame"] = [before_frame, after_frame]
    audit_record(actor=actor, action=Action.UPDATE, instance=round_, changes=changes, plan_id=round_.plan_id)
    if "deadline" in changes and round_.is_open:
        _tell_not_in(round_, f"deadline:{deadline:%Y-%m-%d}", _("%(round)s: the deadline is now %(date)s"), actor)
    return round_


def _tell_not_in(round_: PlanningRound, occasion: str, subject: str, actor: User | None) -> None:
    """Tell the units whose submission is not in yet of a change to the round (``subject``
    names it, with ``%(round)s`` and ``%(date)s``, the deadline)."""
    waiting = round_.submissions.filter(status__in=WORKING_STATUSES, parent__isnull=False).select_related("unit")
    for submission in waiting:
        _tell(
            selectors.workers(submission),
            f"round:{round_.pk}:{occasion}:{submission.pk}",
            subject % {"round": round_.title, "date": f"{round_.deadline:%Y-%m-%d}"},
            _("Submit by %(date)s.") % {"date": f"{round_.deadline:%Y-%m-%d}"},
            _submission_url(submission),
            actor,
        )


@transaction.atomic
def round_set_status(*, actor: User | None, round_: PlanningRound, status: str, note: str = "") -> PlanningRound:
    """Close a round (nothing more is written in it) or reopen it.

    Raises:
        NotAllowed: the actor is not a planner.
        InvalidInput: an unknown status, or another round of the plan is open.
    """
    _check(actor, permissions.can_manage_round(actor, round_))
    if status not in RoundStatus.values:
        raise InvalidInput.at("status", _("Unknown status."))
    if status == round_.status:
        return round_
    if (
        status == RoundStatus.OPEN
        and PlanningRound.objects.filter(plan=round_.plan, status=RoundStatus.OPEN).exclude(pk=round_.pk).exists()
    ):
        raise InvalidInput.at("status", _("Another round of this plan is open: close it first."))
    old = round_.status
    round_.status = status
    round_.closed_at = timezone.now() if status == RoundStatus.CLOSED else None
    save_if_unchanged(round_, expected_version=None, fields=["status", "closed_at"])
    _audit(actor, Action.STATUS, round_, round_, status=[old, status], note=note)
    if status == RoundStatus.OPEN:
        reopened = f"reopened:{timezone.now():%Y%m%d%H%M%S}"
        _tell_not_in(round_, reopened, _("%(round)s is open again: submit by %(date)s"), actor)
    return round_


# --- proposals ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalInput:
    """What a unit writes in a proposal."""

    kind: str
    title: str
    responsible_unit: OrgUnit
    description: str = ""
    lead: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    assumptions: str = ""
    parent_element: PlanElement | None = None
    parent_proposal: Proposal | None = None
    budget: Sequence[BudgetAsk] = field(default_factory=list)
    indicators: Sequence[IndicatorAsk] = field(default_factory=list)
    risks: Sequence[RiskAsk] = field(default_factory=list)


def _placement_problems(submission: Submission, values: ProposalInput, proposal: Proposal | None) -> list[Problem]:
    round_ = submission.round
    wanted = PARENT_KIND.get(values.kind)
    if (values.parent_element is None) == (values.parent_proposal is None):
        return [Problem("parent", _("Place the proposal under one element of the frame or one proposal."))]
    if wanted is None:
        return []  # not a kind that is proposed: the content's rules say so (``rules.proposal_problems``)
    # the kinds in the reader's language, as the rest of the sentence (never the stored codes)
    kinds = {"kind": ElementKind(values.kind).label.lower(), "parents": KIND_PLURAL[wanted].lower()}
    if values.parent_element is not None:
        parent = values.parent_element
        if parent.plan_id != round_.plan_id or parent.kind != wanted or not selectors.within_frame(round_, parent):
            return [
                Problem(
                    "parent", _("A proposed %(kind)s goes under one of the %(parents)s of the round's frame.") % kinds
                )
            ]
        return []
    above = values.parent_proposal
    assert above is not None
    if (
        above.round_id != round_.pk
        or above.kind != wanted
        or above.is_final
        or (proposal is not None and above.pk == proposal.pk)
    ):
        return [
            Problem(
                "parent",
                _("A proposed %(kind)s goes under one of the proposed %(parents)s that are still open.") % kinds,
            )
        ]
    if submission.pk not in (above.holder_id, above.origin_id):
        return [Problem("parent", _("Place it under a proposal of your own submission."))]
    return []


def _content_problems(round_: PlanningRound, values: ProposalInput) -> list[Problem]:
    plan = round_.plan
    problems = rules.proposal_problems(
        kind=values.kind,
        title=values.title,
        starts_on=values.starts_on,
        ends_on=values.ends_on,
        start_year=plan.start_year,
        end_year=plan.end_year,
        budget=values.budget,
        indicators=values.indicators,
        risks=values.risks,
    )
    unit = values.responsible_unit
    if not unit.path.startswith(plan.administration.path) or not unit.is_active:
        problems.append(Problem("responsible_unit", _("Choose an active unit of this administration.")))
    sources = set(FundingSource.objects.filter(administration=plan.administration).values_list("pk", flat=True))
    for ask in values.budget:
        if ask.funding_source_id not in sources:
            problems.append(Problem("budget", _("Unknown funding source for this administration.")))
    return problems


def _dated(values: ProposalInput) -> tuple[dt.date | None, dt.date | None]:
    if values.kind not in ("initiative", "activity"):
        return None, None
    return (
        month_start(values.starts_on) if values.starts_on else None,
        month_end(values.ends_on) if values.ends_on else None,
    )


def _write_parts(
    proposal: Proposal,
    budget: Iterable[BudgetAsk],
    indicators: Iterable[IndicatorAsk],
    risks: Iterable[RiskAsk],
) -> None:
    """Replace what the proposal asks for."""
    proposal.budget.all().delete()
    proposal.indicators.all().delete()
    proposal.risks.all().delete()
    ProposalBudget.objects.bulk_create(
        ProposalBudget(proposal=proposal, year=a.year, funding_source_id=a.funding_source_id, amount=a.amount)
        for a in budget
        if a.amount
    )
    ProposalIndicator.objects.bulk_create(
        ProposalIndicator(
            proposal=proposal,
            name=i.name.strip(),
            unit_of_measure=i.unit_of_measure.strip(),
            direction=i.direction,
            baseline_value=i.baseline_value,
            targets={str(year): str(value) for year, value in sorted(i.targets.items())},
            position=n,
        )
        for n, i in enumerate(indicators)
    )
    ProposalRisk.objects.bulk_create(
        ProposalRisk(
            proposal=proposal,
            description=r.description.strip(),
            likelihood=r.likelihood,
            impact=r.impact,
            mitigation=r.mitigation,
            owner=r.owner,
            position=n,
        )
        for n, r in enumerate(risks)
    )


def _parts_snapshot(proposal: Proposal) -> dict[str, Any]:
    return {
        "budget": [f"{b.year} {b.funding_source_id}: {b.amount}" for b in proposal.budget.all()],
        "indicators": [i.name for i in proposal.indicators.all()],
        "risks": [r.description[:60] for r in proposal.risks.all()],
    }


def _start_drafting(submission: Submission, actor: User | None) -> None:
    """The first thing written in a submission starts it: not started → drafting (audited)."""
    if submission.status != SubmissionStatus.NOT_STARTED:
        return
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.DRAFTING)
    submission.status = SubmissionStatus.DRAFTING
    _audit(actor, Action.STATUS, submission, submission.round, status=[SubmissionStatus.NOT_STARTED.value, "drafting"])


def _next_number(round_: PlanningRound) -> int:
    locked = PlanningRound.objects.select_for_update(of=("self",)).get(pk=round_.pk)
    number = locked.last_proposal_number + 1
    PlanningRound.objects.filter(pk=round_.pk).update(last_proposal_number=number)
    return number


def _editable(submission: Submission) -> bool:
    return selectors.is_writable(submission)


@transaction.atomic
def proposal_save(
    *,
    actor: User | None,
    submission: Submission,
    values: ProposalInput,
    proposal: Proposal | None = None,
    expected_version: int | None = None,
) -> Proposal:
    """Write a proposal in ``submission`` (a new one, or change ``proposal`` while the
    submission holds it and is being written).

    Raises:
        NotAllowed: the actor does not work on this submission.
        InvalidInput: the round is closed, the submission is in, or a rule is broken (problems
            name the fields).
        EditConflict: someone else saved the proposal after ``expected_version``.
    """
    round_ = submission.round
    _require_open(round_)
    _check(actor, permissions.works_on(actor, submission), _("Only your own unit's submission is yours to write."))
    if not _editable(submission):
        raise InvalidInput.at("status", _("This submission is in: it changes only if it is returned."))
    if proposal is not None and (
        proposal.holder_id != submission.pk or proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.ACCEPTED)
    ):
        raise InvalidInput.at("status", _("This proposal is no longer this submission's to change."))
    _raise(_content_problems(round_, values) + _placement_problems(submission, values, proposal))
    starts_on, ends_on = _dated(values)
    fields = {
        "kind": values.kind,
        "title": values.title.strip(),
        "description": values.description,
        "responsible_unit": values.responsible_unit,
        "lead": values.lead.strip(),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "assumptions": values.assumptions,
        "parent_element": values.parent_element,
        "parent_proposal": values.parent_proposal,
    }
    if proposal is None:
        number = _next_number(round_)
        proposal = Proposal.objects.create(
            round=round_,
            number=number,
            position=number,
            origin=submission,
            holder=submission,
            status=ProposalStatus.DRAFT,
            **fields,
        )
        proposal.proposed_by.set([submission.unit])
        _write_parts(proposal, values.budget, values.indicators, values.risks)
        changes: dict[str, Any] = {**snapshot(proposal, PROPOSAL_FIELDS), **_parts_snapshot(proposal)}
        action = Action.CREATE
    else:
        before = {**snapshot(proposal, PROPOSAL_FIELDS), **_parts_snapshot(proposal)}
        for name, value in fields.items():
            setattr(proposal, name, value)
        save_if_unchanged(proposal, expected_version=expected_version, fields=list(fields))
        _write_parts(proposal, values.budget, values.indicators, values.risks)
        changes = diff(before, {**snapshot(proposal, PROPOSAL_FIELDS), **_parts_snapshot(proposal)})
        action = Action.UPDATE
    _start_drafting(submission, actor)
    audit_record(actor=actor, action=action, instance=proposal, changes=changes, plan_id=round_.plan_id)
    return proposal


@transaction.atomic
def proposal_delete(*, actor: User | None, proposal: Proposal) -> None:
    """Take back a draft proposal of one's own submission.

    Raises:
        NotAllowed: the actor does not work on its submission.
        InvalidInput: it is not a draft of this submission, or proposals are placed under it.
    """
    submission = proposal.holder
    _require_open(proposal.round)
    _check(actor, permissions.works_on(actor, submission))
    if proposal.status != ProposalStatus.DRAFT or proposal.origin_id != submission.pk or not _editable(submission):
        raise InvalidInput.at("status", _("Only a draft of your own submission can be taken back."))
    if proposal.sub_proposals.exists():
        raise InvalidInput.at("status", _("Proposals are placed under this one: move or remove them first."))
    audited_delete(actor=actor, instance=proposal, plan_id=proposal.round.plan_id, changes={"title": proposal.title})


# --- needs ---------------------------------------------------------------------------------------------


@transaction.atomic
def need_save(
    *,
    actor: User | None,
    submission: Submission,
    text: str,
    recommendation_id: int | None = None,
    need: Need | None = None,
) -> Need:
    """Record a problem the unit sees, optionally the diagnostic recommendation that names it.

    Raises:
        NotAllowed: the actor does not work on this submission.
        InvalidInput: the round is closed, the submission is in, no text, or an unknown recommendation.
    """
    _require_open(submission.round)
    _check(actor, permissions.works_on(actor, submission), _("Only your own unit's submission is yours to write."))
    if not _editable(submission):
        raise InvalidInput.at("status", _("This submission is in: it changes only if it is returned."))
    problems = rules.reason_problems("text", text, _("Say what the unit needs."))
    reference = ""
    if recommendation_id is not None:
        choices = {c.id: c for c in extensions.recommendations(submission.round.plan.administration)}
        if recommendation_id not in choices:
            problems.append(Problem("recommendation", _("Choose a recommendation of this administration.")))
        else:
            reference = choices[recommendation_id].reference
    _raise(problems)
    if need is not None and need.submission_id != submission.pk:
        raise InvalidInput.at("need", _("This need belongs to another submission."))
    fields = ("text", "recommendation_reference")
    if need is None:
        need = Need.objects.create(
            submission=submission,
            text=text.strip(),
            recommendation_id=recommendation_id,
            recommendation_reference=reference,
        )
        action, changes = Action.CREATE, snapshot(need, fields)
    else:
        before = snapshot(need, fields)
        need.text, need.recommendation_id, need.recommendation_reference = text.strip(), recommendation_id, reference
        need.save()
        action, changes = Action.UPDATE, diff(before, snapshot(need, fields))
    _start_drafting(submission, actor)
    audit_record(actor=actor, action=action, instance=need, changes=changes, plan_id=submission.round.plan_id)
    return need


@transaction.atomic
def need_delete(*, actor: User | None, need: Need) -> None:
    submission = need.submission
    _require_open(submission.round)
    _check(actor, permissions.works_on(actor, submission))
    if not _editable(submission):
        raise InvalidInput.at("status", _("This submission is in: it changes only if it is returned."))
    audited_delete(actor=actor, instance=need, plan_id=submission.round.plan_id)


# --- up the tree -------------------------------------------------------------------------------------


@transaction.atomic
def submission_submit(*, actor: User | None, submission: Submission, comment: str = "") -> Submission:
    """Send a submission to the level above, with its own proposals and those it accepted from
    the units below it.

    Raises:
        NotAllowed: the actor does not work on this submission.
        InvalidInput: the round is closed, the submission is in already, or a unit below it is
            neither accepted nor waived yet.
    """
    round_ = submission.round
    _require_open(round_)
    _check(actor, permissions.works_on(actor, submission), _("Only your own unit's submission is yours to submit."))
    if submission.is_root or submission.status not in WORKING_STATUSES:
        raise InvalidInput.at("status", _("This submission is already in."))
    waiting = [
        child.unit.name
        for child in submission.children.select_related("unit")
        if child.status not in (SubmissionStatus.ACCEPTED, SubmissionStatus.WAIVED)
    ]
    if waiting:
        raise InvalidInput.at(
            "status",
            _("Review the units below first: each must be accepted or waived. Waiting: %(units)s.")
            % {"units": ", ".join(waiting)},
        )
    carried = Proposal.objects.filter(holder=submission, status__in=[ProposalStatus.DRAFT, ProposalStatus.ACCEPTED])
    count = carried.count()
    for proposal in carried:
        before = proposal.status
        proposal.status = ProposalStatus.SUBMITTED
        save_if_unchanged(proposal, expected_version=None, fields=["status"])
        _audit(
            actor, Action.STATUS, proposal, round_, status=[before, proposal.status], submission=submission.unit.code
        )
    again = submission.returned_count > 0
    old = submission.status
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = timezone.now()
    save_if_unchanged(submission, expected_version=None, fields=["status", "submitted_at"])
    _review(
        round_,
        action=ReviewAction.SUBMITTED,
        actor=actor,
        level=submission.unit,
        submission=submission,
        comment=comment,
        changes={"proposals": count, "resubmission": again},
    )
    _audit(actor, Action.SUBMIT, submission, round_, status=[old, submission.status], proposals=count, note=comment)
    parent = submission.parent
    assert parent is not None
    _tell(
        selectors.workers(parent),
        f"submission:{submission.pk}:submitted:{submission.returned_count}",
        _("%(unit)s submitted its proposals for review") % {"unit": submission.unit.name},
        ngettext(
            "%(n)d proposal waits for your decision in %(round)s.",
            "%(n)d proposals wait for your decision in %(round)s.",
            count,
        )
        % {"n": count, "round": round_.title},
        _submission_url(submission),
        actor,
    )
    return submission


def _restore(submission: Submission, actor: User | None) -> int:
    """Undecided proposals of a submission going back to its unit: its own become drafts again,
    those it had accepted from below are accepted again."""
    undecided = Proposal.objects.filter(holder=submission, status=ProposalStatus.SUBMITTED)
    count = 0
    for proposal in undecided:
        proposal.status = ProposalStatus.DRAFT if proposal.origin_id == submission.pk else ProposalStatus.ACCEPTED
        save_if_unchanged(proposal, expected_version=None, fields=["status"])
        _audit(
            actor,
            Action.STATUS,
            proposal,
            submission.round,
            status=[ProposalStatus.SUBMITTED.value, proposal.status],
            returned_with=submission.unit.code,
        )
        count += 1
    return count


@transaction.atomic
def submission_return(*, actor: User | None, submission: Submission, comment: str) -> Submission:
    """Send a submission back to its unit with comments; the unit revises and resubmits.

    Raises:
        NotAllowed: the actor does not review this submission.
        InvalidInput: the round is closed, the submission is not in, or no comment.
    """
    round_ = submission.round
    _require_open(round_)
    _check(actor, permissions.reviews(actor, submission), _("Only the level above reviews this submission."))
    if submission.status != SubmissionStatus.SUBMITTED:
        raise InvalidInput.at("status", _("Only a submission that is in can be returned."))
    _raise(rules.reason_problems("comment", comment, _("Say what the unit should change.")))
    back = _restore(submission, actor)
    submission.status = SubmissionStatus.RETURNED
    submission.returned_count += 1
    submission.decided_at = timezone.now()
    save_if_unchanged(submission, expected_version=None, fields=["status", "returned_count", "decided_at"])
    parent = submission.parent
    _review(
        round_,
        action=ReviewAction.RETURNED,
        actor=actor,
        level=parent.unit if parent else None,
        submission=submission,
        comment=comment,
        changes={"proposals": back},
    )
    _audit(actor, Action.RETURN, submission, round_, status=["submitted", "returned"], note=comment, proposals=back)
    _tell(
        selectors.workers(submission),
        f"submission:{submission.pk}:returned:{submission.returned_count}",
        _("Your submission to %(round)s was returned") % {"round": round_.title},
        comment,
        _submission_url(submission),
        actor,
    )
    return submission


@transaction.atomic
def submission_waive(*, actor: User | None, submission: Submission, reason: str) -> Submission:
    """Go on without a unit's submission, saying why. Its drafts are declined with the reason;
    the units below it now report to the level above it.

    Raises:
        NotAllowed: the actor neither reviews it nor runs the round.
        InvalidInput: the round is closed, the submission is in, it already accepted proposals
            from below, or no reason.
    """
    round_ = submission.round
    _require_open(round_)
    _check(
        actor, permissions.can_waive(actor, submission), _("Only the level above, or a planner, waives a submission.")
    )
    if submission.is_root or submission.status not in WORKING_STATUSES:
        raise InvalidInput.at("status", _("Only a submission that is not in can be waived."))
    _raise(rules.reason_problems("reason", reason, _("Say why the round goes on without this unit.")))
    if Proposal.objects.filter(holder=submission, status=ProposalStatus.ACCEPTED).exists():
        raise InvalidInput.at(
            "status",
            _("It has accepted proposals from the units below it: submit it instead, or decline them first."),
        )
    declined = 0
    for proposal in Proposal.objects.filter(holder=submission, status=ProposalStatus.DRAFT):
        _decline(proposal, _("Not submitted: the submission was waived (%(r)s).") % {"r": reason.strip()}, actor)
        declined += 1
    parent = submission.parent
    moved = [child.unit.code for child in submission.children.select_related("unit")]
    submission.children.update(parent=parent)
    old = submission.status
    submission.status = SubmissionStatus.WAIVED
    submission.waiver_reason = reason.strip()
    submission.decided_at = timezone.now()
    save_if_unchanged(submission, expected_version=None, fields=["status", "waiver_reason", "decided_at"])
    _review(
        round_,
        action=ReviewAction.WAIVED,
        actor=actor,
        level=parent.unit if parent else None,
        submission=submission,
        comment=reason,
        changes={"declined": declined, "now_reviewed_above": moved},
    )
    _audit(
        actor, Action.WAIVE, submission, round_, status=[old, "waived"], reason=reason, declined=declined, moved=moved
    )
    _tell(
        selectors.workers(submission),
        f"submission:{submission.pk}:waived",
        _("%(round)s goes on without your unit's submission") % {"round": round_.title},
        reason,
        _submission_url(submission),
        actor,
    )
    return submission


def _settle(submission: Submission, actor: User | None) -> None:
    """A submission whose every proposal is decided is accepted by the level above."""
    if submission.status != SubmissionStatus.SUBMITTED:
        return
    if Proposal.objects.filter(holder=submission, status=ProposalStatus.SUBMITTED).exists():
        return
    submission.status = SubmissionStatus.ACCEPTED
    submission.decided_at = timezone.now()
    save_if_unchanged(submission, expected_version=None, fields=["status", "decided_at"])
    parent = submission.parent
    _review(
        submission.round,
        action=ReviewAction.ACCEPTED,
        actor=actor,
        level=parent.unit if parent else None,
        submission=submission,
    )
    _audit(actor, Action.ACCEPT, submission, submission.round, status=["submitted", "accepted"])


def _accept(proposal: Proposal, actor: User | None, expected_version: int | None, edits: Mapping[str, Any]) -> bool:
    """Accept a submitted proposal into the level above; True when edits changed it."""
    holder = proposal.holder
    parent = holder.parent
    assert parent is not None
    before = snapshot(proposal, EDITABLE_ON_REVIEW)
    for name, value in edits.items():
        if name not in EDITABLE_ON_REVIEW:
            raise InvalidInput.at(name, _("This field cannot be changed here."))
        setattr(proposal, name, value.strip() if isinstance(value, str) and name in ("title", "lead") else value)
    if proposal.starts_on is not None:
        proposal.starts_on = month_start(proposal.starts_on)
    if proposal.ends_on is not None:
        proposal.ends_on = month_end(proposal.ends_on)
    changes = diff(before, snapshot(proposal, EDITABLE_ON_REVIEW))
    if changes:
        round_ = proposal.round
        _raise(
            rules.proposal_problems(
                kind=proposal.kind,
                title=proposal.title,
                starts_on=proposal.starts_on,
                ends_on=proposal.ends_on,
                start_year=round_.plan.start_year,
                end_year=round_.plan.end_year,
                budget=[],
                indicators=[],
                risks=[],
            )
        )
    proposal.status = ProposalStatus.ACCEPTED
    proposal.holder = parent
    save_if_unchanged(proposal, expected_version=expected_version, fields=["status", "holder", *EDITABLE_ON_REVIEW])
    _review(
        proposal.round,
        action=ReviewAction.ACCEPTED_WITH_EDITS if changes else ReviewAction.ACCEPTED,
        actor=actor,
        level=parent.unit,
        proposal=proposal,
        changes=changes,
    )
    _audit(actor, Action.ACCEPT, proposal, proposal.round, level=parent.unit.code, **changes)
    return bool(changes)


def _decline(proposal: Proposal, reason: str, actor: User | None, expected_version: int | None = None) -> None:
    """Decline a proposal and what is placed under it."""
    level = proposal.holder.parent.unit if proposal.holder.parent else proposal.holder.unit
    proposal.status = ProposalStatus.DECLINED
    proposal.reason = reason.strip()
    save_if_unchanged(proposal, expected_version=expected_version, fields=["status", "reason"])
    _review(proposal.round, action=ReviewAction.DECLINED, actor=actor, level=level, proposal=proposal, comment=reason)
    _audit(actor, Action.DECLINE, proposal, proposal.round, reason=proposal.reason)
    for below in proposal.sub_proposals.exclude(
        status__in=[ProposalStatus.DECLINED, ProposalStatus.MERGED, ProposalStatus.CONSOLIDATED]
    ):
        _decline(below, _("Its parent proposal %(code)s was declined.") % {"code": proposal.code}, actor)


@transaction.atomic
def proposal_review(
    *,
    actor: User | None,
    proposal: Proposal,
    decision: str,
    expected_version: int | None,
    reason: str = "",
    edits: Mapping[str, Any] | None = None,
) -> Proposal:
    """Decide on a submitted proposal: ``accept`` (with ``edits``, if any: accepted with edits),
    or ``decline`` with a reason (what is placed under it is declined too). Two reviewers
    deciding at once: the second gets a conflict.

    Raises:
        NotAllowed: the actor does not review the submission that holds it.
        InvalidInput: the round is closed, it is not waiting for a decision, an unknown
            decision, a decline without a reason, or edits that break a rule.
        EditConflict: someone else decided or changed it after ``expected_version``.
    """
    round_ = proposal.round
    _require_open(round_)
    holder = proposal.holder
    if expected_version is not None and expected_version != proposal.version:
        raise EditConflict(
            _("Someone else decided on or changed this proposal after you opened it: it is now %(s)s.")
            % {"s": ProposalStatus(proposal.status).label.lower()},
            current={"status": proposal.status, "title": proposal.title},
            current_version=proposal.version,
        )
    _check(actor, permissions.reviews(actor, holder), _("Only the level above decides on these proposals."))
    if proposal.status != ProposalStatus.SUBMITTED:
        raise InvalidInput.at("decision", _("This proposal is not waiting for a decision."))
    if decision == "accept":
        _accept(proposal, actor, expected_version, edits or {})
    elif decision == "decline":
        _raise(rules.reason_problems("reason", reason, _("Say why it is declined.")))
        _decline(proposal, reason, actor, expected_version)
        _tell(
            selectors.workers(proposal.origin),
            f"proposal:{proposal.pk}:declined",
            _("%(code)s “%(title)s” was declined") % {"code": proposal.code, "title": proposal.title},
            reason,
            reverse("proposal-detail", kwargs={"proposal_id": proposal.pk}),
            actor,
        )
    else:
        raise InvalidInput.at("decision", _("Accept or decline."))
    _settle(holder, actor)
    return proposal


@transaction.atomic
def submission_accept(*, actor: User | None, submission: Submission, comment: str = "") -> Submission:
    """Accept a submission as it is: every proposal still waiting is accepted.

    Raises:
        NotAllowed: the actor does not review this submission.
        InvalidInput: the round is closed or the submission is not in.
    """
    round_ = submission.round
    _require_open(round_)
    _check(actor, permissions.reviews(actor, submission), _("Only the level above reviews this submission."))
    if submission.status != SubmissionStatus.SUBMITTED:
        raise InvalidInput.at("status", _("Only a submission that is in can be accepted."))
    for proposal in Proposal.objects.filter(holder=submission, status=ProposalStatus.SUBMITTED).order_by("position"):
        _accept(proposal, actor, None, {})
    if comment.strip():
        comment_add(actor=actor, submission=submission, body=comment)
    _settle(submission, actor)
    return submission


def _merging_unit(actor: User | None, into: Submission) -> OrgUnit:
    """The unit named as the merger: the level's own; at the administration's level, the unit
    where the planner holds the role (the planning department)."""
    if not into.is_root or actor is None:
        return into.unit
    grant = (
        RoleAssignment.objects.filter(
            user=actor, role__in=[Role.PLANNER, Role.ADMINISTRATOR], unit__path__startswith=into.unit.path
        )
        .select_related("unit")
        .order_by("role", "unit__path")
        .first()
    )
    return grant.unit if grant is not None else into.unit


def _mergeable(actor: User | None, into: Submission, proposal: Proposal) -> bool:
    if proposal.round_id != into.round_id:
        return False
    if proposal.status == ProposalStatus.SUBMITTED and proposal.holder.parent_id == into.pk:
        return actor is None or permissions.reviews(actor, proposal.holder)
    if proposal.holder_id == into.pk and proposal.status in (ProposalStatus.DRAFT, ProposalStatus.ACCEPTED):
        return actor is None or permissions.works_on(actor, into)
    return False


@transaction.atomic
def proposal_merge(
    *,
    actor: User | None,
    into: Submission,
    proposals: Sequence[Proposal],
    title: str,
    description: str | None = None,
    responsible_unit: OrgUnit | None = None,
    expected_versions: Mapping[int, int] | None = None,
) -> Proposal:
    """Merge proposals of the same kind into one, held by the level ``into`` that merges them.

    The merged proposal keeps its origins: the units that proposed any of them and those that
    merged them before; this level is added to the mergers. It asks for the sum of their
    budgets and brings all their indicators and risks; what was placed under them now sits
    under it. The originals are marked merged into it.

    Raises:
        NotAllowed: a proposal is neither waiting for this level's decision nor its own.
        InvalidInput: fewer than two, of different kinds, the round is closed, or no title.
        EditConflict: one of them changed after the version the reviewer saw.
    """
    round_ = into.round
    _require_open(round_)
    chosen = list(proposals)
    if len(chosen) < 2:
        raise InvalidInput.at("proposals", _("Choose at least two proposals to merge."))
    if len({p.kind for p in chosen}) > 1:
        raise InvalidInput.at("proposals", _("Only proposals of the same kind are merged."))
    for proposal in chosen:
        if not _mergeable(actor, into, proposal):
            permissions.require(
                False, _("%(code)s is not waiting for this level's decision.") % {"code": proposal.code}
            )
    if not into.is_root and into.status not in WORKING_STATUSES:
        raise InvalidInput.at("status", _("This level's submission is in: it merges nothing more."))
    _raise(rules.reason_problems("title", title, _("Give the merged proposal a title.")))
    chosen.sort(key=lambda p: (p.position, p.number))
    first = chosen[0]
    starts = [p.starts_on for p in chosen if p.starts_on]
    ends = [p.ends_on for p in chosen if p.ends_on]
    from_below = any(p.holder_id != into.pk or p.status == ProposalStatus.ACCEPTED for p in chosen)
    merged = Proposal.objects.create(
        round=round_,
        number=_next_number(round_),
        position=first.position,
        origin=into,
        holder=into,
        kind=first.kind,
        parent_element=first.parent_element,
        parent_proposal=first.parent_proposal,
        title=title.strip(),
        description=first.description if description is None else description,
        responsible_unit=responsible_unit or first.responsible_unit,
        lead=first.lead,
        starts_on=min(starts) if starts else None,
        ends_on=max(ends) if ends else None,
        assumptions="\n".join(
            dict.fromkeys(line for p in chosen for line in p.assumptions.splitlines() if line.strip())
        ),
        status=ProposalStatus.ACCEPTED if from_below else ProposalStatus.DRAFT,
    )
    merged.proposed_by.set({u for p in chosen for u in p.proposed_by.all()})
    merged.merged_by.set({u for p in chosen for u in p.merged_by.all()} | {_merging_unit(actor, into)})
    totals: dict[tuple[int, int], Decimal] = {}
    for proposal in chosen:
        for ask in proposal.budget.all():
            key = (ask.year, ask.funding_source_id)
            totals[key] = totals.get(key, Decimal(0)) + ask.amount
    indicators = [
        IndicatorAsk(
            i.name, i.unit_of_measure, i.direction, i.baseline_value, {int(y): Decimal(v) for y, v in i.targets.items()}
        )
        for p in chosen
        for i in p.indicators.all()
    ]
    risks = list(
        {
            r.description: RiskAsk(r.description, r.likelihood, r.impact, r.mitigation, r.owner)
            for p in chosen
            for r in p.risks.all()
        }.values()
    )
    _write_parts(merged, [BudgetAsk(y, s, a) for (y, s), a in sorted(totals.items())], indicators, risks)
    codes = [p.code for p in chosen]
    holders = {p.holder for p in chosen}
    versions = expected_versions or {}
    for proposal in chosen:
        proposal.status = ProposalStatus.MERGED
        proposal.merged_into = merged
        save_if_unchanged(proposal, expected_version=versions.get(proposal.pk), fields=["status", "merged_into"])
        proposal.sub_proposals.update(parent_proposal=merged)
        _review(
            round_,
            action=ReviewAction.MERGED,
            actor=actor,
            level=into.unit,
            proposal=proposal,
            changes={"into": merged.code},
        )
        _audit(actor, Action.MERGE, proposal, round_, into=merged.code)
    _review(round_, action=ReviewAction.MERGED, actor=actor, level=into.unit, proposal=merged, changes={"from": codes})
    _audit(actor, Action.CREATE, merged, round_, title=merged.title, merged_from=codes, status=merged.status)
    for holder in holders:
        if holder.pk != into.pk:
            _settle(holder, actor)
    return merged


# --- comments --------------------------------------------------------------------------------------------

MENTION = re.compile(r"(?<![\w.])@([\w.+-]+)")


@transaction.atomic
def comment_add(
    *, actor: User | None, body: str, submission: Submission | None = None, proposal: Proposal | None = None
) -> Comment:
    """Comment on a submission or a proposal; each person named as @username who may read it
    is notified.

    Raises:
        NotAllowed: the actor may not read what they comment on.
        InvalidInput: no text, or neither a submission nor a proposal.
    """
    if (submission is None) == (proposal is None):
        raise InvalidInput.at("body", _("Comment on a submission or on a proposal."))
    on = submission if submission is not None else proposal.holder  # type: ignore[union-attr]
    round_ = on.round
    readers = [on] if proposal is None else [proposal.holder, proposal.origin]
    _check(actor, any(permissions.can_read_submission(actor, s) for s in readers))
    _raise(rules.reason_problems("body", body, _("Write the comment.")))
    comment = Comment.objects.create(
        round=round_,
        submission=submission,
        proposal=proposal,
        author=actor if actor is not None and actor.pk else None,
        author_name=_name(actor),
        body=body.strip(),
        created_at=timezone.now(),
    )
    names = set(MENTION.findall(body))
    admin_path = round_.plan.administration.path
    named = [
        person
        for person in User.objects.filter(username__in=names, is_active=True)
        if person.role_assignments.filter(unit__path__startswith=admin_path).exists()
        and any(permissions.can_read_submission(person, s) for s in readers)
    ]
    comment.mentions.set(named)
    what = proposal.code if proposal is not None else on.unit.name
    url = (
        reverse("proposal-detail", kwargs={"proposal_id": proposal.pk}) if proposal is not None else _submission_url(on)
    )
    _tell(
        named,
        f"comment:{comment.pk}:mention",
        _("%(who)s mentioned you on %(what)s") % {"who": comment.author_name, "what": what},
        comment.body,
        url,
        actor,
    )
    audit_record(
        actor=actor,
        action=Action.COMMENT,
        instance=comment,
        changes={"on": what, "mentions": sorted(p.username for p in named)},
        plan_id=round_.plan_id,
    )
    return comment


# --- consolidation ------------------------------------------------------------------------------------------

KIND_ORDER = {"objective": 0, "initiative": 1, "activity": 2}


@dataclass(frozen=True)
class Consolidation:
    """What a consolidation made: each proposal's code and the element it became."""

    created: list[tuple[str, str]]
    waiting: list[tuple[str, str]]


def _final(proposal: Proposal) -> Proposal:
    while proposal.merged_into_id is not None and proposal.merged_into is not None:
        proposal = proposal.merged_into
    return proposal


def _attribution_source(round_: PlanningRound, proposal: Proposal) -> str:
    return f"{round_.title}, {proposal.code}"


@transaction.atomic
def round_consolidate(*, actor: User | None, round_: PlanningRound) -> Consolidation:
    """Make the proposals accepted at the administration's level plan content, in one
    transaction: each becomes an element (its code handed out now, in the order the round
    gives them), with its budget lines, risks and unit indicators (baseline and targets), and
    the attribution of the units that proposed and merged it. A proposal placed under one
    that is not consolidated yet waits.

    Raises:
        PlanLocked: the plan is not a draft.
        NotAllowed: the actor is not a planner.
        InvalidInput: nothing to consolidate, or a proposal breaks a plan rule (named by its code).
    """
    plan = round_.plan
    plan_permissions.require_unlocked(plan)
    _check(actor, permissions.can_manage_round(actor, round_))
    root = round_.submissions.get(parent__isnull=True)
    candidates = sorted(
        Proposal.objects.filter(holder=root, status__in=[ProposalStatus.DRAFT, ProposalStatus.ACCEPTED])
        .select_related("parent_element", "parent_proposal", "responsible_unit")
        .prefetch_related("budget__funding_source", "indicators", "risks", "proposed_by", "merged_by"),
        key=lambda p: (KIND_ORDER[p.kind], p.position, p.number),
    )
    if not candidates:
        raise InvalidInput.at(
            "round", _("Nothing to consolidate: accept proposals at the administration's level first.")
        )
    made: dict[int, PlanElement] = {}
    created: list[tuple[str, str]] = []
    waiting: list[tuple[str, str]] = []
    baseline_date = dt.date(plan.start_year - 1, 12, 31)
    for proposal in candidates:
        parent: PlanElement | None = proposal.parent_element
        if proposal.parent_proposal_id is not None and proposal.parent_proposal is not None:
            above = _final(proposal.parent_proposal)
            parent = made.get(above.pk) or (above.element if above.status == ProposalStatus.CONSOLIDATED else None)
            if parent is None:
                waiting.append((proposal.code, _("waits for %(code)s") % {"code": above.code}))
                continue
        try:
            element = plan_services.element_create(
                actor=actor,
                plan=plan,
                parent=parent,
                title=proposal.title,
                responsible_unit=proposal.responsible_unit,
                description=proposal.description,
                lead=proposal.lead,
                starts_on=proposal.starts_on,
                ends_on=proposal.ends_on,
                assumptions=proposal.assumptions,
            )
            for ask in proposal.budget.all():
                plan_services.budget_line_save(
                    actor=actor, element=element, year=ask.year, funding_source=ask.funding_source, amount=ask.amount
                )
            for risk in proposal.risks.all():
                plan_services.risk_save(
                    actor=actor,
                    element=element,
                    description=risk.description,
                    likelihood=risk.likelihood,
                    impact=risk.impact,
                    mitigation=risk.mitigation,
                    owner=risk.owner,
                )
            for wanted in proposal.indicators.all():
                indicator = indicator_services.indicator_create(
                    actor=actor,
                    plan=plan,
                    element=element,
                    name=wanted.name,
                    unit_of_measure=wanted.unit_of_measure,
                    direction=wanted.direction,
                    aggregation="mean",
                    frequency="year",
                    owner_unit=proposal.responsible_unit,
                    baseline_value=wanted.baseline_value,
                    baseline_date=baseline_date if wanted.baseline_value is not None else None,
                    baseline_source=_("proposed in %(round)s") % {"round": round_.title},
                )
                for year, value in sorted(wanted.targets.items()):
                    indicator_services.target_set(
                        actor=actor, indicator=indicator, period=str(year), value=Decimal(value)
                    )
        except ApplicationError as error:
            problems = [
                Problem(proposal.code, _("%(location)s: %(message)s") % {"location": p.location, "message": p.message})
                for p in error.problems
            ] or [Problem(proposal.code, error.message)]
            raise InvalidInput(
                _("%(code)s “%(title)s” cannot become plan content: %(why)s")
                % {"code": proposal.code, "title": proposal.title, "why": error.message},
                problems=problems,
            ) from error
        attribution = ElementAttribution.objects.create(element=element, source=_attribution_source(round_, proposal))
        attribution.proposed_by.set(proposal.proposed_by.all())
        attribution.merged_by.set(proposal.merged_by.all())
        before = proposal.status
        proposal.status = ProposalStatus.CONSOLIDATED
        proposal.element = element
        save_if_unchanged(proposal, expected_version=None, fields=["status", "element"])
        _audit(actor, Action.STATUS, proposal, round_, status=[before, proposal.status], element=element.code)
        _review(
            round_,
            action=ReviewAction.CONSOLIDATED,
            actor=actor,
            level=root.unit,
            proposal=proposal,
            changes={"element": element.code},
        )
        made[proposal.pk] = element
        created.append((proposal.code, element.code))
    round_.consolidated_at = timezone.now()
    save_if_unchanged(round_, expected_version=None, fields=["consolidated_at"])
    _audit(actor, Action.CONSOLIDATE, round_, round_, elements=dict(created), waiting=dict(waiting))
    return Consolidation(created=created, waiting=waiting)
