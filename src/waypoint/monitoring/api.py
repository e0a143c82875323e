"""The monitoring cycle over the API: calendars, reports (assignments, drafts, submission,
decisions), completeness, follow-up actions and review meetings. Same rights as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from waypoint.core.apischema import Omittable, TextLimits
from waypoint.core.errors import InvalidInput, NotFound
from waypoint.core.rules import readable_decimal
from waypoint.engine.monitoring import Rates
from waypoint.monitoring import selectors, services
from waypoint.monitoring.models import (
    Assignment,
    FollowUpAction,
    ReportingCalendar,
    ReviewMeeting,
    Submission,
    SubmissionStatus,
)
from waypoint.org.access import request_user
from waypoint.org.models import OrgUnit, User
from waypoint.plans.models import Plan

router = Router(tags=["monitoring"])


# --- calendars ------------------------------------------------------------------------------------


class PeriodOut(Schema):
    code: str
    kind: str
    opens_on: dt.date
    due_on: dt.date
    grace_until: dt.date


class CalendarOut(Schema):
    first_year: int
    last_year: int
    due_days: int
    grace_days: int
    opens_days_before_end: int
    remind_days_before: int
    escalate_days_after: int
    periods: list[PeriodOut]


class CalendarIn(Schema):
    first_year: int | None = Field(None, ge=1, le=9999)
    last_year: int | None = Field(None, ge=1, le=9999)
    due_days: int | None = Field(None, ge=0, le=366)
    grace_days: int | None = Field(None, ge=0, le=366)
    opens_days_before_end: int | None = Field(None, ge=0, le=366)
    remind_days_before: int | None = Field(None, ge=0, le=366)
    escalate_days_after: int | None = Field(None, ge=0, le=366)


def _calendar_out(calendar: ReportingCalendar) -> CalendarOut:
    return CalendarOut(
        **{name: getattr(calendar, name) for name in services.CALENDAR_FIELDS},
        periods=[
            PeriodOut(code=p.code, kind=p.kind, opens_on=p.opens_on, due_on=p.due_on, grace_until=p.grace_until)
            for p in calendar.periods.all()
        ],
    )


def _calendar(plan: Plan) -> ReportingCalendar:
    calendar = selectors.calendar_of(plan)
    if calendar is None:
        raise NotFound(_("This plan has no reporting calendar yet."))
    return calendar


@router.get("/plans/{plan_id}/calendar", response=CalendarOut)
def get_calendar(request: HttpRequest, plan_id: int) -> CalendarOut:
    return _calendar_out(_calendar(selectors.plan_of(request.user, plan_id)))


@router.put("/plans/{plan_id}/calendar", response=CalendarOut)
def put_calendar(request: HttpRequest, plan_id: int, payload: CalendarIn) -> CalendarOut:
    """Set the calendar (fields left out keep their value) and build the reports it asks for."""
    plan = selectors.plan_of(request.user, plan_id)
    values = {k: v for k, v in payload.dict().items() if v is not None}
    return _calendar_out(services.calendar_save(actor=request_user(request), plan=plan, **values))


# --- reports ---------------------------------------------------------------------------------------


class AssignmentOut(Schema):
    id: int
    kind: str
    indicator: str | None
    value_unit: str | None = Field(description="The unit the value is for; null: the whole administration.")
    element: str | None
    value: Decimal | None
    comment: str
    outlier_confirmed: bool
    evidence: str
    percent_complete: int | None
    rag: str
    achievements: str
    issues: str
    next_steps: str


class ReportOut(Schema):
    id: int
    unit: str
    period: str
    due_on: dt.date
    status: str
    submitted_at: dt.datetime | None
    first_submitted_at: dt.datetime | None = Field(
        None, description="The first submission: timeliness counts from it (a return and resubmission is not late)."
    )
    decided_at: dt.datetime | None
    reason: str
    timeliness: str = Field(description="on_time, late, missing, pending (not yet expected) or waived.")
    version: int
    assignments: list[AssignmentOut]


def _assignment_out(a: Assignment) -> AssignmentOut:
    return AssignmentOut(
        id=a.pk,
        kind=a.kind,
        indicator=a.indicator.code if a.indicator else None,
        value_unit=a.value_unit.code if a.value_unit else None,
        element=a.element.code if a.element else None,
        value=readable_decimal(a.value),
        comment=a.comment,
        outlier_confirmed=a.outlier_confirmed,
        evidence=a.evidence,
        percent_complete=a.percent_complete,
        rag=a.rag,
        achievements=a.achievements,
        issues=a.issues,
        next_steps=a.next_steps,
    )


def _report_out(s: Submission) -> ReportOut:
    return ReportOut(
        id=s.pk,
        unit=s.unit.code,
        period=s.period.code,
        due_on=s.period.due_on,
        status=s.status,
        submitted_at=s.submitted_at,
        first_submitted_at=s.first_submitted_at,
        decided_at=s.decided_at,
        reason=s.reason,
        timeliness=selectors.cell_state(s, timezone.localdate()).value,
        version=s.version,
        assignments=[_assignment_out(a) for a in s.assignments.select_related("indicator", "value_unit", "element")],
    )


@router.get("/plans/{plan_id}/reports", response=list[ReportOut])
def list_reports(
    request: HttpRequest, plan_id: int, period: str = "", unit: str = "", status: str = ""
) -> list[ReportOut]:
    """The plan's reports, filtered by period code, unit code or status."""
    plan = selectors.plan_of(request.user, plan_id)
    queryset = Submission.objects.filter(period__calendar__plan=plan).select_related("period", "unit")
    if period:
        queryset = queryset.filter(period__code=period)
    if unit:
        queryset = queryset.filter(unit__code=unit)
    if status:
        if status not in SubmissionStatus.values:
            raise InvalidInput.at("status", _("Unknown status: %(s)s") % {"s": ", ".join(SubmissionStatus.values)})
        queryset = queryset.filter(status=status)
    return [_report_out(s) for s in queryset.order_by("period__ends_on", "-period__starts_on", "unit__path")[:500]]


@router.get("/reports/{report_id}", response=ReportOut)
def get_report(request: HttpRequest, report_id: int) -> ReportOut:
    return _report_out(selectors.submission_for(request.user, report_id))


class EntryIn(TextLimits, Schema):
    limits_from = Assignment

    assignment: int
    value: Decimal | None = None
    comment: str | None = None
    confirm_outlier: bool = Field(False, description="Confirm a value outside the unit's usual range.")
    evidence: str | None = None
    percent_complete: int | None = Field(None, ge=0, le=100)
    rag: str | None = Field(None, description="green, amber or red.")
    achievements: str | None = None
    issues: str | None = None
    next_steps: str | None = None


class DraftIn(Schema):
    version: int | None = Field(None, description="The version you read, to detect a concurrent change.")
    entries: list[EntryIn]


@router.put("/reports/{report_id}/draft", response=ReportOut)
def save_draft(request: HttpRequest, report_id: int, payload: DraftIn) -> ReportOut:
    """Keep entries as a draft; problems are located at ``a<assignment id>.<field>``."""
    report = selectors.submission_for(request.user, report_id)
    entries = {
        e.assignment: services.Entry(**{k: v for k, v in e.dict().items() if k != "assignment"})
        for e in payload.entries
    }
    services.submission_save(
        actor=request_user(request), submission=report, entries=entries, expected_version=payload.version
    )
    return _report_out(selectors.submission_for(request.user, report_id))


class VersionIn(Schema):
    version: int | None = None


@router.post("/reports/{report_id}/submit", response=ReportOut)
def submit_report(request: HttpRequest, report_id: int, payload: VersionIn) -> ReportOut:
    report = selectors.submission_for(request.user, report_id)
    services.submission_submit(actor=request_user(request), submission=report, expected_version=payload.version)
    return _report_out(selectors.submission_for(request.user, report_id))


class DecisionIn(Schema):
    decision: str = Field(description="approve, return, waive or unapprove.")
    reason: str = Field("", description="Needed to return, waive or un-approve.")
    version: int | None = None


@router.post("/reports/{report_id}/decision", response=ReportOut)
def decide_report(request: HttpRequest, report_id: int, payload: DecisionIn) -> ReportOut:
    """Approve (and lock), return, waive or un-approve a report: the parent level."""
    report = selectors.submission_for(request.user, report_id)
    actor, version = request_user(request), payload.version
    if payload.decision == "approve":
        services.submission_approve(actor=actor, submission=report, expected_version=version)
    elif payload.decision == "return":
        services.submission_return(actor=actor, submission=report, reason=payload.reason, expected_version=version)
    elif payload.decision == "waive":
        services.submission_waive(actor=actor, submission=report, reason=payload.reason, expected_version=version)
    elif payload.decision == "unapprove":
        services.submission_unapprove(actor=actor, submission=report, reason=payload.reason, expected_version=version)
    else:
        raise InvalidInput.at("$.decision", _("Choose approve, return, waive or unapprove."))
    return _report_out(selectors.submission_for(request.user, report_id))


# --- completeness ----------------------------------------------------------------------------------


class RatesOut(Schema):
    expected: int
    received: int
    on_time: int
    late: int
    missing: int
    reporting_rate: float | None
    timeliness_rate: float | None


class GroupRatesOut(RatesOut):
    group: str


class CompletenessOut(Schema):
    overall: RatesOut
    units: list[GroupRatesOut]
    directorates: list[GroupRatesOut]
    periods: list[GroupRatesOut]
    approved: int
    waived: int


def _rates(r: Rates) -> RatesOut:
    return RatesOut(
        expected=r.expected,
        received=r.received,
        on_time=r.on_time,
        late=r.late,
        missing=r.missing,
        reporting_rate=r.reporting_rate,
        timeliness_rate=r.timeliness_rate,
    )


def _group(r: Rates, group: str) -> GroupRatesOut:
    return GroupRatesOut(group=group, **_rates(r).dict())


@router.get("/plans/{plan_id}/completeness", response=CompletenessOut)
def get_completeness(request: HttpRequest, plan_id: int, kind: str = "") -> CompletenessOut:
    """Reporting rate and timeliness (DHIS2's), overall, per unit, per directorate, per period."""
    plan = selectors.plan_of(request.user, plan_id)
    if kind not in ("", "month", "quarter", "year"):
        raise InvalidInput.at("kind", _("Choose month, quarter or year."))
    data = selectors.completeness(plan, kind=kind)
    return CompletenessOut(
        overall=_rates(data.overall),
        units=[_group(r, unit.code) for unit, _cells, r in data.rows],
        directorates=[_group(r, unit.code) for unit, r in data.directorates],
        periods=[_group(r, p.code) for p, r in data.by_period],
        approved=data.counts["approved"],
        waived=data.counts["waived"],
    )


# --- actions and meetings --------------------------------------------------------------------------


class ActionOut(Schema):
    id: int
    code: str
    title: str
    description: str
    owner_unit: str
    owner_person: str | None
    due_on: dt.date
    priority: str
    status: str
    status_reason: str
    closed_on: dt.date | None
    overdue: bool
    evidence: str
    source: str
    source_detail: str
    meeting: int | None
    elements: list[str]
    indicators: list[str]
    version: int


def _action_out(a: FollowUpAction) -> ActionOut:
    return ActionOut(
        id=a.pk,
        code=a.code,
        title=a.title,
        description=a.description,
        owner_unit=a.owner_unit.code,
        owner_person=a.owner_person.get_username() if a.owner_person else None,
        due_on=a.due_on,
        priority=a.priority,
        status=a.status,
        status_reason=a.status_reason,
        closed_on=a.closed_on,
        overdue=a.is_overdue(timezone.localdate()),
        evidence=a.evidence,
        source=a.source,
        source_detail=a.source_detail,
        meeting=a.meeting_id,
        elements=sorted(a.elements.values_list("code", flat=True)),
        indicators=sorted(a.indicators.values_list("code", flat=True)),
        version=a.version,
    )


class ActionIn(TextLimits, Schema):
    limits_from = FollowUpAction

    title: str
    description: str = ""
    owner_unit: str = Field(description="Unit code.")
    owner_person: str | None = Field(None, description="User name.")
    due_on: dt.date
    priority: str = "medium"
    evidence: str = ""
    source: str = "other"
    source_detail: str = ""
    meeting: int | None = None
    elements: list[str] = Field(default_factory=list, description="Element codes.")
    indicators: list[str] = Field(default_factory=list, description="Indicator codes.")


class ActionPatch(TextLimits, Schema):
    limits_from = FollowUpAction

    version: int
    title: Omittable[str] = None
    description: Omittable[str] = None
    owner_unit: Omittable[str] = None
    owner_person: str | None = None
    due_on: Omittable[dt.date] = None
    priority: Omittable[str] = None
    evidence: Omittable[str] = None
    source: Omittable[str] = None
    source_detail: Omittable[str] = None
    meeting: int | None = None
    elements: Omittable[list[str]] = None
    indicators: Omittable[list[str]] = None


def _resolve(plan: Plan, data: dict[str, Any]) -> tuple[dict[str, Any], list[Any] | None, list[Any] | None]:
    """Codes and names in an action's body → the records the service takes."""
    if "owner_unit" in data:
        unit = OrgUnit.objects.filter(code=data["owner_unit"], path__startswith=plan.administration.path).first()
        if unit is None:
            raise InvalidInput.at("$.owner_unit", _("Unknown unit in this administration."))
        data["owner_unit"] = unit
    if "owner_person" in data:
        name = data["owner_person"]
        data["owner_person"] = User.objects.filter(username=name).first() if name else None
        if name and data["owner_person"] is None:
            raise InvalidInput.at("$.owner_person", _("Unknown user name."))
    if "meeting" in data:
        wanted = data["meeting"]
        data["meeting"] = plan.review_meetings.filter(pk=wanted).first() if wanted is not None else None
        if wanted is not None and data["meeting"] is None:
            raise InvalidInput.at("$.meeting", _("Unknown meeting of this plan."))
    elements = indicators = None
    if "elements" in data:
        codes = data.pop("elements")
        elements = list(plan.elements.filter(code__in=codes))
        if len(elements) != len(set(codes)):
            raise InvalidInput.at("$.elements", _("Unknown element code in this plan."))
    if "indicators" in data:
        codes = data.pop("indicators")
        indicators = list(plan.indicators.filter(code__in=codes))
        if len(indicators) != len(set(codes)):
            raise InvalidInput.at("$.indicators", _("Unknown indicator code in this plan."))
    return data, elements, indicators


@router.get("/plans/{plan_id}/actions", response=list[ActionOut])
def list_actions(request: HttpRequest, plan_id: int, status: str = "", overdue: bool = False) -> list[ActionOut]:
    """The action register; ``status=active`` for open and in progress, ``overdue=true`` for late ones."""
    plan = selectors.plan_of(request.user, plan_id)
    return [_action_out(a) for a in selectors.actions(plan, status=status, overdue=overdue)]


@router.post("/plans/{plan_id}/actions", response={201: ActionOut})
def create_action(request: HttpRequest, plan_id: int, payload: ActionIn) -> Status[ActionOut]:
    plan = selectors.plan_of(request.user, plan_id)
    data, elements, indicators = _resolve(plan, payload.dict())
    action = services.action_create(
        actor=request_user(request), plan=plan, elements=elements or [], indicators=indicators or [], **data
    )
    return Status(201, _action_out(action))


@router.get("/actions/{action_id}", response=ActionOut)
def get_action(request: HttpRequest, action_id: int) -> ActionOut:
    return _action_out(selectors.action_for(request.user, action_id))


@router.patch("/actions/{action_id}", response=ActionOut)
def patch_action(request: HttpRequest, action_id: int, payload: ActionPatch) -> ActionOut:
    action = selectors.action_for(request.user, action_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    data, elements, indicators = _resolve(action.plan, data)
    services.action_update(
        actor=request_user(request),
        action=action,
        changes=data,
        expected_version=version,
        elements=elements,
        indicators=indicators,
    )
    return _action_out(selectors.action_for(request.user, action_id))


class ActionStatusIn(Schema):
    status: str = Field(description="open, in_progress, done or cancelled.")
    reason: str = Field("", description="Needed to cancel.")
    evidence: str | None = None
    version: int | None = None


@router.post("/actions/{action_id}/status", response=ActionOut)
def set_action_status(request: HttpRequest, action_id: int, payload: ActionStatusIn) -> ActionOut:
    action = selectors.action_for(request.user, action_id)
    services.action_set_status(
        actor=request_user(request),
        action=action,
        status=payload.status,
        reason=payload.reason,
        evidence=payload.evidence,
        expected_version=payload.version,
    )
    return _action_out(selectors.action_for(request.user, action_id))


class CommentIn(Schema):
    text: str = Field(max_length=5000)


class CommentOut(Schema):
    id: int
    author: str
    text: str
    created_at: dt.datetime


@router.post("/actions/{action_id}/comments", response={201: CommentOut})
def comment_action(request: HttpRequest, action_id: int, payload: CommentIn) -> Status[CommentOut]:
    action = selectors.action_for(request.user, action_id)
    comment = services.action_comment(actor=request_user(request), action=action, text=payload.text)
    return Status(
        201, CommentOut(id=comment.pk, author=comment.author_label, text=comment.text, created_at=comment.created_at)
    )


class MeetingOut(Schema):
    id: int
    title: str
    held_on: dt.date
    participants: str
    periods: str
    goals: list[str]
    decisions: str
    actions: list[str]
    version: int


class MeetingIn(TextLimits, Schema):
    limits_from = ReviewMeeting

    title: str
    held_on: dt.date
    participants: str = ""
    periods: str = ""
    goals: list[str] = Field(default_factory=list, description="Goal codes.")
    decisions: str = ""


def _meeting_out(m: ReviewMeeting) -> MeetingOut:
    return MeetingOut(
        id=m.pk,
        title=m.title,
        held_on=m.held_on,
        participants=m.participants,
        periods=m.periods,
        goals=sorted(m.goals.values_list("code", flat=True)),
        decisions=m.decisions,
        actions=[a.code for a in m.actions.all()],
        version=m.version,
    )


@router.get("/plans/{plan_id}/meetings", response=list[MeetingOut])
def list_meetings(request: HttpRequest, plan_id: int) -> list[MeetingOut]:
    plan = selectors.plan_of(request.user, plan_id)
    return [_meeting_out(m) for m in plan.review_meetings.all()]


@router.post("/plans/{plan_id}/meetings", response={201: MeetingOut})
def create_meeting(request: HttpRequest, plan_id: int, payload: MeetingIn) -> Status[MeetingOut]:
    plan = selectors.plan_of(request.user, plan_id)
    data = payload.dict()
    codes = data.pop("goals")
    goals = list(plan.elements.filter(code__in=codes))
    if len(goals) != len(set(codes)):
        raise InvalidInput.at("$.goals", _("Unknown element code in this plan."))
    meeting = services.meeting_save(actor=request_user(request), plan=plan, goals=goals, **data)
    return Status(201, _meeting_out(meeting))


@router.get("/meetings/{meeting_id}", response=MeetingOut)
def get_meeting(request: HttpRequest, meeting_id: int) -> MeetingOut:
    return _meeting_out(selectors.meeting_for(request.user, meeting_id))
