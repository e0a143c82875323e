"""Planning-round endpoints: rounds, submissions, proposals, reviews, merges, comments,
consolidation and the accounting of every proposal. Same rights as the pages; a decision
made on a proposal someone else decided a moment ago answers 409."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from waypoint.core.errors import InvalidInput
from waypoint.engine.periods import parse_month
from waypoint.org.access import request_user
from waypoint.org.models import OrgUnit
from waypoint.plans import selectors as plan_selectors
from waypoint.plans.models import FundingSource, Plan, PlanElement
from waypoint.rounds import permissions, selectors, services
from waypoint.rounds.models import PlanningRound, Proposal, Submission
from waypoint.rounds.rules import BudgetAsk, IndicatorAsk, RiskAsk

router = Router(tags=["planning rounds"])

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class RoundOut(Schema):
    id: int
    plan_id: int
    title: str
    guidance: str
    deadline: dt.date
    status: str
    frame: list[str] = Field(description="Codes of the goals and objectives the units propose under.")
    consolidated_at: dt.datetime | None
    version: int


def round_out(round_: PlanningRound) -> RoundOut:
    return RoundOut(
        id=round_.pk,
        plan_id=round_.plan_id,
        title=round_.title,
        guidance=round_.guidance,
        deadline=round_.deadline,
        status=round_.status,
        frame=sorted(e.code for e in round_.frame.all()),
        consolidated_at=round_.consolidated_at,
        version=round_.version,
    )


class RoundIn(Schema):
    title: str
    deadline: dt.date
    guidance: str = ""
    frame: list[str] = Field(description="Codes of goals (and objectives) of the plan.")
    unit_kinds: list[str] = Field([], description="Every unit of these kinds is asked (e.g. road_border_post).")
    units: list[str] = Field([], description="Codes of units asked one by one.")


class RoundPatch(Schema):
    version: int
    title: str | None = None
    guidance: str | None = None
    deadline: dt.date | None = Field(None, description="A later date extends the round.")


class RoundStatusIn(Schema):
    status: Literal["open", "closed"]


class SubmissionOut(Schema):
    id: int
    unit: str
    unit_name: str
    reviewed_by: str | None = Field(description="Code of the unit whose level reviews it; null: the planners.")
    status: str
    status_label: str
    late: bool
    returned_count: int
    waiver_reason: str
    version: int


def submission_out(submission: Submission, round_: PlanningRound) -> SubmissionOut:
    parent = submission.parent
    return SubmissionOut(
        id=submission.pk,
        unit=submission.unit.code,
        unit_name=submission.unit.name,
        reviewed_by=None if parent is None or parent.is_root else parent.unit.code,
        status=submission.status,
        status_label=selectors.status_label(submission),
        late=selectors.is_late(submission, round_, timezone.localdate()),
        returned_count=submission.returned_count,
        waiver_reason=submission.waiver_reason,
        version=submission.version,
    )


class BudgetAskIO(Schema):
    year: int
    source: str = Field(description="Name of a funding source of the administration.")
    amount: Decimal = Field(ge=0)


class IndicatorAskIO(Schema):
    name: str
    unit_of_measure: str
    direction: Literal["increase", "decrease"] = "increase"
    baseline_value: Decimal | None = None
    targets: dict[int, Decimal] = Field({}, description="Target per year.")


class RiskAskIO(Schema):
    description: str
    likelihood: int = Field(ge=1, le=5)
    impact: int = Field(ge=1, le=5)
    mitigation: str = ""
    owner: str = ""


class ProposalOut(Schema):
    id: int
    code: str
    kind: str
    status: str
    title: str
    description: str
    responsible_unit: str
    lead: str
    starts_on: str | None
    ends_on: str | None
    assumptions: str
    parent_element: str | None = Field(description="Code of the plan element it is placed under.")
    parent_proposal: str | None = Field(description="Code of the proposal it is placed under.")
    origin: str = Field(description="Code of the unit whose submission it was written (or merged) in.")
    holder: str = Field(description="Code of the unit whose submission holds it now.")
    proposed_by: list[str]
    merged_by: list[str]
    reason: str
    merged_into: str | None
    element: str | None = Field(description="Code of the plan element it became.")
    budget: list[BudgetAskIO]
    indicators: list[IndicatorAskIO]
    risks: list[RiskAskIO]
    version: int


def _month(day: dt.date | None) -> str | None:
    return f"{day:%Y-%m}" if day else None


def proposal_out(p: Proposal) -> ProposalOut:
    return ProposalOut(
        id=p.pk,
        code=p.code,
        kind=p.kind,
        status=p.status,
        title=p.title,
        description=p.description,
        responsible_unit=p.responsible_unit.code,
        lead=p.lead,
        starts_on=_month(p.starts_on),
        ends_on=_month(p.ends_on),
        assumptions=p.assumptions,
        parent_element=p.parent_element.code if p.parent_element else None,
        parent_proposal=p.parent_proposal.code if p.parent_proposal else None,
        origin=p.origin.unit.code,
        holder=p.holder.unit.code,
        proposed_by=sorted(u.code for u in p.proposed_by.all()),
        merged_by=sorted(u.code for u in p.merged_by.all()),
        reason=p.reason,
        merged_into=p.merged_into.code if p.merged_into else None,
        element=p.element.code if p.element else None,
        budget=[BudgetAskIO(year=b.year, source=b.funding_source.name, amount=b.amount) for b in p.budget.all()],
        indicators=[
            IndicatorAskIO(
                name=i.name,
                unit_of_measure=i.unit_of_measure,
                direction=i.direction,  # type: ignore[arg-type]
                baseline_value=i.baseline_value,
                targets={int(y): Decimal(v) for y, v in i.targets.items()},
            )
            for i in p.indicators.all()
        ],
        risks=[
            RiskAskIO(
                description=r.description,
                likelihood=r.likelihood,
                impact=r.impact,
                mitigation=r.mitigation,
                owner=r.owner,
            )
            for r in p.risks.all()
        ],
        version=p.version,
    )


class ProposalIn(Schema):
    version: int | None = Field(None, description="The version you read (changes only).")
    kind: Literal["objective", "initiative", "activity"]
    parent_element: str | None = Field(None, description="Code of a plan element of the frame (or below it).")
    parent_proposal: str | None = Field(None, description="Code of a proposal of this submission (P12).")
    title: str
    description: str = ""
    responsible_unit: str = Field(description="Unit code.")
    lead: str = ""
    starts_on: str | None = Field(None, pattern=MONTH)
    ends_on: str | None = Field(None, pattern=MONTH)
    assumptions: str = ""
    budget: list[BudgetAskIO] = []
    indicators: list[IndicatorAskIO] = []
    risks: list[RiskAskIO] = []


class ReviewIn(Schema):
    decision: Literal["accept", "decline"]
    version: int = Field(description="The version you read: if someone decided since, the answer is 409.")
    reason: str = Field("", description="Required to decline.")
    edits: dict[str, Any] = Field(
        {},
        description="Fields changed as it is accepted: title, description, lead, assumptions, responsible_unit, starts_on, ends_on.",
    )


class MergeIn(Schema):
    proposals: list[str] = Field(description="Codes of the proposals to merge (P3, P7 …).")
    title: str
    description: str | None = None
    responsible_unit: str | None = None
    versions: dict[str, int] = Field({}, description="Code → the version you read, to detect a concurrent decision.")


class TextIn(Schema):
    text: str = ""


class NeedIn(Schema):
    text: str
    recommendation_id: int | None = None


class NeedOut(Schema):
    id: int
    text: str
    recommendation: str


class CommentIn(Schema):
    body: str = Field(description="Name people as @username to notify them.")


class CommentOut(Schema):
    id: int
    author: str
    body: str
    mentions: list[str]
    at: dt.datetime


class SubmissionDetailOut(SubmissionOut):
    proposals: list[ProposalOut] = Field(description="The proposals this submission holds now.")
    needs: list[NeedOut]


class FateOut(Schema):
    proposal: str
    title: str
    origin: str
    fate: str
    detail: str
    element: str


class AccountingOut(Schema):
    total: int
    counts: dict[str, int]
    unaccounted: int
    proposals: list[FateOut]


class ConsolidationOut(Schema):
    created: dict[str, str] = Field(description="Proposal code → element code.")
    waiting: dict[str, str]


# --- helpers ----------------------------------------------------------------------------------


def _round(request: HttpRequest, round_id: int) -> PlanningRound:
    return selectors.round_for(request.user, round_id)


def _submission(request: HttpRequest, submission_id: int) -> Submission:
    return selectors.submission_for(request.user, submission_id)


def _proposal(request: HttpRequest, proposal_id: int) -> Proposal:
    return selectors.proposal_for(request.user, proposal_id)


def _unit(plan: Plan, code: str, location: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code, path__startswith=plan.administration.path).first()
    if unit is None:
        raise InvalidInput.at(location, _("Unknown unit %(code)s in this administration.") % {"code": code})
    return unit


def _day(text: str | None) -> dt.date | None:
    return parse_month(text) if text else None


def _values(submission: Submission, payload: ProposalIn) -> services.ProposalInput:
    round_ = submission.round
    plan = round_.plan
    sources = {s.name: s for s in FundingSource.objects.filter(administration=plan.administration)}
    budget = []
    for i, ask in enumerate(payload.budget):
        if ask.source not in sources:
            raise InvalidInput.at(
                f"$.budget[{i}].source", _("Unknown funding source %(source)s.") % {"source": ask.source}
            )
        budget.append(BudgetAsk(ask.year, sources[ask.source].pk, ask.amount))
    parent_element = parent_proposal = None
    if payload.parent_element:
        parent_element = PlanElement.objects.filter(plan=plan, code=payload.parent_element).first()
        if parent_element is None:
            raise InvalidInput.at(
                "$.parent_element",
                _("No element %(parent_element)s in this plan.") % {"parent_element": payload.parent_element},
            )
    if payload.parent_proposal:
        number = payload.parent_proposal.lstrip("P")
        parent_proposal = round_.proposals.filter(number=int(number)).first() if number.isdigit() else None
        if parent_proposal is None:
            raise InvalidInput.at(
                "$.parent_proposal",
                _("No proposal %(parent_proposal)s in this round.") % {"parent_proposal": payload.parent_proposal},
            )
    return services.ProposalInput(
        kind=payload.kind,
        title=payload.title,
        responsible_unit=_unit(plan, payload.responsible_unit, "$.responsible_unit"),
        description=payload.description,
        lead=payload.lead,
        starts_on=_day(payload.starts_on),
        ends_on=_day(payload.ends_on),
        assumptions=payload.assumptions,
        parent_element=parent_element,
        parent_proposal=parent_proposal,
        budget=budget,
        indicators=[
            IndicatorAsk(i.name, i.unit_of_measure, i.direction, i.baseline_value, dict(i.targets))
            for i in payload.indicators
        ],
        risks=[RiskAsk(r.description, r.likelihood, r.impact, r.mitigation, r.owner) for r in payload.risks],
    )


def _by_code(round_: PlanningRound, codes: list[str], location: str) -> list[Proposal]:
    found = []
    for i, code in enumerate(codes):
        number = code.lstrip("P")
        proposal = round_.proposals.filter(number=int(number)).first() if number.isdigit() else None
        if proposal is None:
            raise InvalidInput.at(f"{location}[{i}]", _("No proposal %(code)s in this round.") % {"code": code})
        found.append(proposal)
    return found


# --- rounds -------------------------------------------------------------------------------------


@router.get("/plans/{plan_id}/rounds", response=list[RoundOut])
def list_rounds(request: HttpRequest, plan_id: int) -> list[RoundOut]:
    plan = plan_selectors.plan_for(request.user, plan_id)
    return [round_out(r) for r in selectors.rounds_of(plan)]


@router.post("/plans/{plan_id}/rounds", response={201: RoundOut})
def open_round(request: HttpRequest, plan_id: int, payload: RoundIn) -> Status[RoundOut]:
    """Open a round on a draft plan (planners): each unit asked gets its submission."""
    plan = plan_selectors.plan_for(request.user, plan_id)
    permissions.require(permissions.can_open_round(request.user, plan), "Only planners open a planning round.")
    frame = list(plan.elements.filter(code__in=payload.frame))
    missing = sorted(set(payload.frame) - {e.code for e in frame})
    if missing:
        raise InvalidInput.at("$.frame", _("No element %(codes)s in this plan.") % {"codes": ", ".join(missing)})
    units = {u.pk: u for u in selectors.units_of_kinds(plan, payload.unit_kinds)}
    for i, code in enumerate(payload.units):
        unit = _unit(plan, code, f"$.units[{i}]")
        units[unit.pk] = unit
    round_ = services.round_open(
        actor=request_user(request),
        plan=plan,
        title=payload.title,
        deadline=payload.deadline,
        guidance=payload.guidance,
        frame=frame,
        units=units.values(),
    )
    return Status(201, round_out(round_))


@router.get("/rounds/{round_id}", response=RoundOut)
def get_round(request: HttpRequest, round_id: int) -> RoundOut:
    return round_out(_round(request, round_id))


@router.patch("/rounds/{round_id}", response=RoundOut)
def patch_round(request: HttpRequest, round_id: int, payload: RoundPatch) -> RoundOut:
    """Change the title, the guidance, or extend the deadline (planners)."""
    round_ = _round(request, round_id)
    services.round_update(
        actor=request_user(request),
        round_=round_,
        expected_version=payload.version,
        title=payload.title if payload.title is not None else round_.title,
        guidance=payload.guidance if payload.guidance is not None else round_.guidance,
        deadline=payload.deadline or round_.deadline,
    )
    return round_out(round_)


@router.post("/rounds/{round_id}/status", response=RoundOut)
def set_round_status(request: HttpRequest, round_id: int, payload: RoundStatusIn) -> RoundOut:
    round_ = _round(request, round_id)
    services.round_set_status(actor=request_user(request), round_=round_, status=payload.status)
    return round_out(round_)


@router.get("/rounds/{round_id}/submissions", response=list[SubmissionOut])
def list_submissions(request: HttpRequest, round_id: int) -> list[SubmissionOut]:
    """Every unit asked and the status of its submission (the dashboard's rows)."""
    round_ = _round(request, round_id)
    rows = round_.submissions.select_related("unit", "parent__unit").filter(parent__isnull=False)
    return [submission_out(s, round_) for s in selectors.tree_ordered(rows, round_.plan)]


@router.get("/rounds/{round_id}/accounting", response=AccountingOut)
def round_accounting(request: HttpRequest, round_id: int) -> AccountingOut:
    """Every proposal with its fate: the same figures as the round's Accounting page."""
    report = selectors.accounting(_round(request, round_id))
    return AccountingOut(
        total=report.total,
        counts=report.counts,
        unaccounted=report.unaccounted,
        proposals=[
            FateOut(
                proposal=f.proposal.code,
                title=f.proposal.title,
                origin=f.proposal.origin.unit.code,
                fate=f.fate,
                detail=f.detail,
                element=f.element_code,
            )
            for f in report.fates
        ],
    )


@router.post("/rounds/{round_id}/consolidate", response=ConsolidationOut)
def consolidate_round(request: HttpRequest, round_id: int) -> ConsolidationOut:
    """Make the proposals accepted at the administration's level plan content, in one transaction."""
    result = services.round_consolidate(actor=request_user(request), round_=_round(request, round_id))
    return ConsolidationOut(created=dict(result.created), waiting=dict(result.waiting))


# --- submissions ----------------------------------------------------------------------------------


def _detail(submission: Submission) -> SubmissionDetailOut:
    held = submission.held.select_related(
        "responsible_unit",
        "parent_element",
        "parent_proposal",
        "origin__unit",
        "holder__unit",
        "merged_into",
        "element",
    ).prefetch_related("budget__funding_source", "indicators", "risks", "proposed_by", "merged_by")
    return SubmissionDetailOut(
        **submission_out(submission, submission.round).dict(),
        proposals=[proposal_out(p) for p in held.order_by("position", "number")],
        needs=[
            NeedOut(id=n.pk, text=n.text, recommendation=n.recommendation_reference) for n in submission.needs.all()
        ],
    )


@router.get("/submissions/{submission_id}", response=SubmissionDetailOut)
def get_submission(request: HttpRequest, submission_id: int) -> SubmissionDetailOut:
    return _detail(_submission(request, submission_id))


@router.post("/submissions/{submission_id}/submit", response=SubmissionOut)
def submit_submission(request: HttpRequest, submission_id: int, payload: TextIn) -> SubmissionOut:
    submission = _submission(request, submission_id)
    services.submission_submit(actor=request_user(request), submission=submission, comment=payload.text)
    return submission_out(submission, submission.round)


@router.post("/submissions/{submission_id}/return", response=SubmissionOut)
def return_submission(request: HttpRequest, submission_id: int, payload: TextIn) -> SubmissionOut:
    """Send it back with comments (the level above)."""
    submission = _submission(request, submission_id)
    services.submission_return(actor=request_user(request), submission=submission, comment=payload.text)
    return submission_out(submission, submission.round)


@router.post("/submissions/{submission_id}/waive", response=SubmissionOut)
def waive_submission(request: HttpRequest, submission_id: int, payload: TextIn) -> SubmissionOut:
    submission = _submission(request, submission_id)
    services.submission_waive(actor=request_user(request), submission=submission, reason=payload.text)
    return submission_out(submission, submission.round)


@router.post("/submissions/{submission_id}/accept", response=SubmissionOut)
def accept_submission(request: HttpRequest, submission_id: int, payload: TextIn) -> SubmissionOut:
    """Accept it as it is: every proposal still waiting is accepted."""
    submission = _submission(request, submission_id)
    services.submission_accept(actor=request_user(request), submission=submission, comment=payload.text)
    return submission_out(submission, submission.round)


@router.post("/submissions/{submission_id}/proposals", response={201: ProposalOut})
def create_proposal(request: HttpRequest, submission_id: int, payload: ProposalIn) -> Status[ProposalOut]:
    submission = _submission(request, submission_id)
    proposal = services.proposal_save(
        actor=request_user(request), submission=submission, values=_values(submission, payload)
    )
    return Status(201, proposal_out(proposal))


@router.post("/submissions/{submission_id}/merge", response={201: ProposalOut})
def merge_proposals(request: HttpRequest, submission_id: int, payload: MergeIn) -> Status[ProposalOut]:
    """Merge proposals waiting at this level into one, keeping who proposed each."""
    submission = _submission(request, submission_id)
    chosen = _by_code(submission.round, payload.proposals, "$.proposals")
    merged = services.proposal_merge(
        actor=request_user(request),
        into=submission,
        proposals=chosen,
        title=payload.title,
        description=payload.description,
        responsible_unit=_unit(submission.round.plan, payload.responsible_unit, "$.responsible_unit")
        if payload.responsible_unit
        else None,
        expected_versions={p.pk: payload.versions[p.code] for p in chosen if p.code in payload.versions},
    )
    return Status(201, proposal_out(merged))


@router.post("/submissions/{submission_id}/needs", response={201: NeedOut})
def add_need(request: HttpRequest, submission_id: int, payload: NeedIn) -> Status[NeedOut]:
    submission = _submission(request, submission_id)
    need = services.need_save(
        actor=request_user(request),
        submission=submission,
        text=payload.text,
        recommendation_id=payload.recommendation_id,
    )
    return Status(201, NeedOut(id=need.pk, text=need.text, recommendation=need.recommendation_reference))


def _comment_out(comment: Any) -> CommentOut:
    return CommentOut(
        id=comment.pk,
        author=comment.author_name,
        body=comment.body,
        mentions=sorted(u.username for u in comment.mentions.all()),
        at=comment.created_at,
    )


@router.post("/submissions/{submission_id}/comments", response={201: CommentOut})
def comment_submission(request: HttpRequest, submission_id: int, payload: CommentIn) -> Status[CommentOut]:
    submission = _submission(request, submission_id)
    comment = services.comment_add(actor=request_user(request), submission=submission, body=payload.body)
    return Status(201, _comment_out(comment))


# --- proposals ---------------------------------------------------------------------------------------


@router.get("/proposals/{proposal_id}", response=ProposalOut)
def get_proposal(request: HttpRequest, proposal_id: int) -> ProposalOut:
    return proposal_out(_proposal(request, proposal_id))


@router.put("/proposals/{proposal_id}", response=ProposalOut)
def update_proposal(request: HttpRequest, proposal_id: int, payload: ProposalIn) -> ProposalOut:
    proposal = _proposal(request, proposal_id)
    submission = proposal.holder
    saved = services.proposal_save(
        actor=request_user(request),
        submission=submission,
        values=_values(submission, payload),
        proposal=proposal,
        expected_version=payload.version,
    )
    return proposal_out(saved)


@router.delete("/proposals/{proposal_id}", response={204: None})
def delete_proposal(request: HttpRequest, proposal_id: int) -> Status[None]:
    services.proposal_delete(actor=request_user(request), proposal=_proposal(request, proposal_id))
    return Status(204, None)


@router.post("/proposals/{proposal_id}/review", response=ProposalOut)
def review_proposal(request: HttpRequest, proposal_id: int, payload: ReviewIn) -> ProposalOut:
    """Accept (with edits) or decline (with a reason) a proposal waiting for your level."""
    proposal = _proposal(request, proposal_id)
    plan = proposal.round.plan
    edits: dict[str, Any] = {}
    for name, value in payload.edits.items():
        if name == "responsible_unit":
            edits[name] = _unit(plan, str(value), "$.edits.responsible_unit")
        elif name in ("starts_on", "ends_on"):
            edits[name] = _day(str(value)) if value else None
        else:
            edits[name] = value
    services.proposal_review(
        actor=request_user(request),
        proposal=proposal,
        decision=payload.decision,
        expected_version=payload.version,
        reason=payload.reason,
        edits=edits,
    )
    proposal.refresh_from_db()
    return proposal_out(proposal)


@router.post("/proposals/{proposal_id}/comments", response={201: CommentOut})
def comment_proposal(request: HttpRequest, proposal_id: int, payload: CommentIn) -> Status[CommentOut]:
    comment = services.comment_add(
        actor=request_user(request), proposal=_proposal(request, proposal_id), body=payload.body
    )
    return Status(201, _comment_out(comment))
