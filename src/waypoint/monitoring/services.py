"""Every write of the monitoring cycle: atomic, audited, rights checked.

The calendar and its assignments; a unit's report (draft, submit); its approval up the tree
(approve, return, waive, un-approve); follow-up actions and review meetings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core.audit import Action, audit_record, diff, snapshot
from waypoint.core.errors import EditConflict, InvalidInput, NotAllowed, Problem
from waypoint.core.rules import decimal_problems
from waypoint.core.versioning import save_if_unchanged
from waypoint.engine import monitoring as engine
from waypoint.engine.periods import Period, PeriodKind
from waypoint.indicators import locks
from waypoint.indicators import services as indicator_services
from waypoint.indicators.models import Actual, Frequency, Indicator
from waypoint.indicators.rules import PERIOD_KIND
from waypoint.indicators.services import EVIDENCE_SUFFIXES
from waypoint.monitoring import hooks, permissions
from waypoint.monitoring.models import (
    ActionComment,
    ActionSource,
    ActionStatus,
    Assignment,
    AssignmentKind,
    FollowUpAction,
    Priority,
    Rag,
    ReportingCalendar,
    ReportingPeriod,
    ReviewMeeting,
    Submission,
    SubmissionStatus,
)
from waypoint.org.models import OrgUnit, Role, RoleAssignment, User
from waypoint.org.notifications import Message, notify_all
from waypoint.plans.models import ElementKind, Plan, PlanElement

#: units that report values by unit (the offices and posts); headquarters, training centres
#: and directorates gather what their units report
REPORTING_KINDS = {"customs_office", "road_border_post", "rail_border_post", "airport", "sea_port", "inland_office"}


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise NotAllowed(message or _("Your role does not allow this."))


def _check(actor: User | None, allowed: bool, message: str | None = None) -> None:
    """Rights are checked for people; the demo and the system (``actor=None``) act as the plan."""
    if actor is not None:
        _require(allowed, message)


# --- the calendar ---------------------------------------------------------------------------------

CALENDAR_FIELDS = (
    "due_days",
    "grace_days",
    "opens_days_before_end",
    "remind_days_before",
    "escalate_days_after",
    "first_year",
    "last_year",
)


def _calendar_problems(plan: Plan, values: Mapping[str, Any]) -> list[Problem]:
    problems = []
    for name in CALENDAR_FIELDS:
        value = values.get(name)
        if not isinstance(value, int) or value < 0:
            problems.append(Problem(name, _("Give a whole number, 0 or more.")))
        elif name not in ("first_year", "last_year") and value > 366:
            problems.append(Problem(name, _("At most 366 days.")))
    first, last = values.get("first_year"), values.get("last_year")
    if isinstance(first, int) and not plan.start_year <= first <= plan.end_year:
        problems.append(Problem("first_year", _("Choose a year of the plan.")))
    if isinstance(last, int) and not plan.start_year <= last <= plan.end_year:
        problems.append(Problem("last_year", _("Choose a year of the plan.")))
    if isinstance(first, int) and isinstance(last, int) and last < first:
        problems.append(Problem("last_year", _("The last year comes before the first.")))
    return problems


@transaction.atomic
def calendar_save(*, actor: User | None, plan: Plan, **values: Any) -> ReportingCalendar:
    """Set a plan's reporting calendar and (re)build its periods, reports and assignments.

    Rebuilding adds what is missing (a new indicator, a new initiative, a later year) and
    moves the dates of the periods; it never removes a report that exists.

    Raises:
        NotAllowed: the actor is not a planner of the plan's administration.
        InvalidInput: a number is negative or too large, or a year lies outside the plan.
    """
    _check(actor, permissions.can_manage_calendar(actor, plan))
    calendar = ReportingCalendar.objects.select_for_update(of=("self",)).filter(plan=plan).first()
    current = (
        {name: getattr(calendar, name) for name in CALENDAR_FIELDS}
        if calendar
        else {
            "due_days": 15,
            "grace_days": 5,
            "opens_days_before_end": 0,
            "remind_days_before": 5,
            "escalate_days_after": 10,
            "first_year": plan.start_year,
            "last_year": plan.end_year,
        }
    )
    unknown = [name for name in values if name not in CALENDAR_FIELDS]
    if unknown:
        raise InvalidInput.at(unknown[0], _("This field cannot be changed here."))
    merged = {**current, **values}
    problems = _calendar_problems(plan, merged)
    if problems:
        raise InvalidInput(problems[0].message, problems=problems)
    if calendar is None:
        calendar = ReportingCalendar.objects.create(plan=plan, **merged)
        audit_record(actor=actor, action=Action.CREATE, instance=calendar, changes=merged, plan_id=plan.pk)
    else:
        before = snapshot(calendar, CALENDAR_FIELDS)
        for name, value in merged.items():
            setattr(calendar, name, value)
        save_if_unchanged(calendar, expected_version=None, fields=CALENDAR_FIELDS)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            instance=calendar,
            changes=diff(before, snapshot(calendar, CALENDAR_FIELDS)),
            plan_id=plan.pk,
        )
    counts = _build_cycle(calendar)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        entity="monitoring.ReportingCalendar",
        entity_id=calendar.pk,
        label=f"Reports of {plan}",
        changes={"periods": counts[0], "reports": counts[1], "assignments": counts[2]},
        plan_id=plan.pk,
    )
    return calendar


def _reporting_units(
    indicator: Indicator, units: Sequence[OrgUnit], reported: set[int]
) -> list[tuple[OrgUnit, OrgUnit | None]]:
    """(the unit that reports, the unit the value is recorded for) for an indicator.

    Reported by unit: each office and post under its owner, and every unit that has reported a
    value of it before (an indicator owned by a headquarters department is reported by the
    posts it measures); the owner itself when there is none. Otherwise the owner reports the
    value of the whole administration."""
    owner = indicator.owner_unit
    if not indicator.by_unit:
        return [(owner, None)]
    parents = {u.parent_id for u in units if u.is_active}
    found: list[tuple[OrgUnit, OrgUnit | None]] = [
        (u, u)
        for u in units
        if u.is_active
        and (u.pk in reported or (u.path.startswith(owner.path) and u.pk not in parents and u.kind in REPORTING_KINDS))
    ]
    return found or [(owner, owner)]


def _build_cycle(calendar: ReportingCalendar) -> tuple[int, int, int]:
    plan = calendar.plan
    rule = engine.CalendarRule(
        due_days=calendar.due_days,
        grace_days=calendar.grace_days,
        opens_days_before_end=calendar.opens_days_before_end,
    )
    indicators = list(Indicator.objects.filter(plan=plan).select_related("owner_unit"))
    initiatives = list(
        PlanElement.objects.filter(plan=plan, kind=ElementKind.INITIATIVE).select_related("responsible_unit")
    )
    kinds = {PERIOD_KIND[Frequency(i.frequency)] for i in indicators}
    if initiatives:
        kinds.add(PeriodKind.QUARTER)
    periods: dict[str, ReportingPeriod] = {}
    made_periods = 0
    for kind in sorted(kinds, key=lambda k: k.months):
        for cycle in engine.reporting_periods(kind, calendar.first_year, calendar.last_year, rule):
            dates = {
                "kind": kind.value,
                "starts_on": cycle.period.start,
                "ends_on": cycle.period.end,
                "opens_on": cycle.opens_on,
                "due_on": cycle.due_on,
                "grace_until": cycle.grace_until,
            }
            period, created = ReportingPeriod.objects.update_or_create(
                calendar=calendar, code=cycle.code, defaults=dates
            )
            made_periods += created
            periods[cycle.code] = period
    units = list(OrgUnit.objects.filter(path__startswith=plan.administration.path))
    by_id = {u.pk: u for u in units}
    reported: dict[int, set[int]] = {}
    for indicator_id, unit_id in Actual.objects.filter(indicator__plan=plan, unit__isnull=False).values_list(
        "indicator_id", "unit_id"
    ):
        reported.setdefault(indicator_id, set()).add(unit_id)
    # what each (period, unit) reports
    wanted: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for indicator in indicators:
        kind = PERIOD_KIND[Frequency(indicator.frequency)]
        reporters = _reporting_units(indicator, units, reported.get(indicator.pk, set()))
        for code, period in periods.items():
            if period.kind != kind.value:
                continue
            for reporter, value_unit in reporters:
                wanted.setdefault((code, reporter.pk), []).append(
                    {"kind": AssignmentKind.VALUE, "indicator": indicator, "value_unit": value_unit}
                )
    for element in initiatives:
        if element.starts_on is None or element.ends_on is None:
            continue
        for code, period in periods.items():
            if period.kind != PeriodKind.QUARTER.value:
                continue
            if element.starts_on <= period.ends_on and period.starts_on <= element.ends_on:
                wanted.setdefault((code, element.responsible_unit_id), []).append(
                    {"kind": AssignmentKind.PROGRESS, "element": element}
                )
    # each reporting unit's report, and one for every unit above it (the approval tree)
    needed: set[tuple[str, int]] = set()
    for code, unit_id in wanted:
        for ancestor in by_id[unit_id].path.strip("/").split("/"):
            needed.add((code, int(ancestor)))
    existing = {
        (s.period.code, s.unit_id): s
        for s in Submission.objects.filter(period__calendar=calendar).select_related("period")
    }
    made_reports = 0
    for code, unit_id in sorted(needed):
        if (code, unit_id) not in existing:
            existing[(code, unit_id)] = Submission.objects.create(period=periods[code], unit_id=unit_id)
            made_reports += 1
    have = {
        (a.submission_id, a.kind, a.indicator_id, a.value_unit_id, a.element_id)
        for a in Assignment.objects.filter(submission__period__calendar=calendar)
    }
    new: list[Assignment] = []
    for (code, unit_id), items in wanted.items():
        submission = existing[(code, unit_id)]
        for item in items:
            key = (
                submission.pk,
                item["kind"],
                *(
                    item[name].pk if item.get(name) is not None else None
                    for name in ("indicator", "value_unit", "element")
                ),
            )
            if key in have:
                continue
            have.add(key)
            new.append(Assignment(submission=submission, **item))
    Assignment.objects.bulk_create(new)
    return made_periods, made_reports, len(new)


# --- a unit's report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """What a reporter typed for one assignment (``None``: leave as it is)."""

    value: Decimal | None = None
    comment: str | None = None
    confirm_outlier: bool = False
    evidence: str | None = None
    evidence_file: UploadedFile[bytes] | None = None
    percent_complete: int | None = None
    rag: str | None = None
    achievements: str | None = None
    issues: str | None = None
    next_steps: str | None = None


def outlier_check(assignment: Assignment, value: Decimal) -> engine.OutlierBounds | None:
    """The unit's usual range when ``value`` falls outside it, else ``None``.

    The history is the values recorded for the same indicator and unit for earlier periods
    of the same length (``engine.monitoring.outlier_bounds``)."""
    if assignment.indicator is None:
        return None
    period = Period.parse(assignment.submission.period.code)
    earlier = [
        a.value
        for a in Actual.objects.filter(indicator=assignment.indicator, unit=assignment.value_unit).only(
            "period", "value"
        )
        if (p := Period.parse(a.period)).kind is period.kind and p < period
    ]
    bounds = engine.outlier_bounds(earlier)
    if bounds is None or bounds.contains(value):
        return None
    return bounds


def _file_problems(location: str, upload: UploadedFile[bytes] | None) -> list[Problem]:
    if upload is None:
        return []
    problems = []
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in EVIDENCE_SUFFIXES:
        problems.append(
            Problem(
                location,
                _("Attach a document, spreadsheet or image (%(s)s).") % {"s": ", ".join(sorted(EVIDENCE_SUFFIXES))},
            )
        )
    if upload.size is not None and upload.size > settings.EVIDENCE_MAX_BYTES:
        problems.append(
            Problem(location, _("The file is larger than %(mb)d MB.") % {"mb": settings.EVIDENCE_MAX_BYTES // 1048576})
        )
    return problems


def _lock_for_write(submission: Submission, expected_version: int | None) -> Submission:
    locked = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("period__calendar__plan", "unit")
        .get(pk=submission.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise EditConflict(
            _("Someone else changed this report after you opened it; open it again to see their changes."),
            current={"status": locked.status},
            current_version=locked.version,
        )
    return locked


def _require_open(submission: Submission) -> None:
    """Values are entered once the period's entry has opened (``ReportingPeriod.opens_on``:
    the calendar's "entry opens, days before the period ends"): a quarter's figures typed in
    before then would be guesses."""
    period = submission.period
    if not period.is_open(timezone.localdate()):
        raise InvalidInput.at(
            "period",
            _("Reporting for %(period)s opens on %(date)s: values can be entered from then on.")
            % {"period": period.code, "date": period.opens_on.isoformat()},
        )


AssignmentFields = ("value", "comment", "evidence", "percent_complete", "rag", "achievements", "issues", "next_steps")


@transaction.atomic
def submission_save(
    *,
    actor: User | None,
    submission: Submission,
    entries: Mapping[int, Entry],
    expected_version: int | None = None,
) -> Submission:
    """Keep what the reporter typed as a draft (nothing is checked for completeness yet).

    Raises:
        NotAllowed: the actor may not report for this unit.
        InvalidInput: the report is submitted or approved (return or un-approve it first), the
            period's entry has not opened yet (located at ``period``), an entry is not one of
            its assignments, a value or file breaks a rule, or a value would change one that
            an approved report locks; each problem is located at ``a<assignment id>.<field>``.
        EditConflict: someone saved or decided the report after ``expected_version``.
    """
    _check(actor, permissions.can_submit(actor, submission))
    submission = _lock_for_write(submission, expected_version)
    if not submission.is_editable:
        raise InvalidInput.at(
            "status",
            _("This report is %(status)s: it cannot change.") % {"status": submission.get_status_display().lower()},
        )
    _require_open(submission)
    assignments = {a.pk: a for a in submission.assignments.select_related("indicator", "submission__period")}
    problems: list[Problem] = []
    for assignment_id, entry in entries.items():
        assignment = assignments.get(assignment_id)
        where = f"a{assignment_id}"
        if assignment is None:
            problems.append(Problem(where, _("This is not part of the report.")))
            continue
        problems += _file_problems(f"{where}.evidence_file", entry.evidence_file)
        problems += decimal_problems(f"{where}.value", entry.value, Assignment._meta.get_field("value"))
        if entry.percent_complete is not None and not 0 <= entry.percent_complete <= 100:
            problems.append(Problem(f"{where}.percent_complete", _("Give a percentage from 0 to 100.")))
        if entry.rag is not None and entry.rag not in (*Rag.values, ""):
            problems.append(Problem(f"{where}.rag", _("Choose red, amber or green.")))
        if assignment.indicator is not None and entry.value != assignment.value:
            locked = locks.lock_reason(assignment.indicator, submission.period.code, assignment.value_unit)
            if locked:
                problems.append(Problem(f"{where}.value", locked))
    if problems:
        raise InvalidInput(problems[0].message, problems=problems)
    changed: dict[str, Any] = {}
    now = timezone.now()
    for assignment_id, entry in entries.items():
        assignment = assignments[assignment_id]
        before = snapshot(assignment, AssignmentFields)
        if assignment.kind == AssignmentKind.VALUE:
            if entry.value != assignment.value:
                assignment.outlier_confirmed = False
            assignment.value = entry.value
            if entry.confirm_outlier:
                assignment.outlier_confirmed = True
        else:
            assignment.percent_complete = entry.percent_complete
            assignment.rag = entry.rag or ""
            for name in ("achievements", "issues", "next_steps"):
                text = getattr(entry, name)
                if text is not None:
                    setattr(assignment, name, text.strip())
        for name in ("comment", "evidence"):
            text = getattr(entry, name)
            if text is not None:
                setattr(assignment, name, text.strip())
        if entry.evidence_file is not None:
            assignment.evidence_file.save(
                PurePath(entry.evidence_file.name or "evidence").name, entry.evidence_file, save=False
            )
        assignment.saved_at = now
        change = diff(before, snapshot(assignment, AssignmentFields))
        if change.keys() & {"value", "percent_complete", "rag"} and actor is not None:
            # who typed the figures may not approve them (``permissions.took_part``)
            assignment.value_by = actor
        assignment.save()
        if entry.evidence_file is not None:
            change["evidence_file"] = [None, assignment.evidence_file.name]
        if change:
            changed[str(assignment)] = change
    save_if_unchanged(submission, expected_version=None, fields=["status"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        instance=submission,
        changes={"draft": changed},
        plan_id=submission.period.calendar.plan_id,
    )
    return submission


def submission_problems(submission: Submission) -> list[Problem]:
    """What stops the report from being submitted: an empty assignment, or a value outside the
    unit's usual range that is not confirmed with a comment."""
    problems: list[Problem] = []
    for assignment in submission.assignments.select_related("indicator", "element", "submission__period"):
        where = f"a{assignment.pk}"
        if not assignment.is_filled:
            if assignment.kind == AssignmentKind.VALUE:
                problems.append(Problem(f"{where}.value", _("Give the value, or ask the level above to waive it.")))
            else:
                problems.append(Problem(f"{where}.percent_complete", _("Give the percent complete and the colour.")))
            continue
        if assignment.kind == AssignmentKind.VALUE and assignment.value is not None:
            bounds = outlier_check(assignment, assignment.value)
            if bounds is not None and not (assignment.outlier_confirmed and assignment.comment.strip()):
                problems.append(
                    Problem(
                        f"{where}.comment",
                        _(
                            "%(value)s is far outside this unit's usual range (%(low)s to %(high)s): "
                            "confirm it and say why in the comment."
                        )
                        % {
                            "value": assignment.value.normalize(),
                            "low": bounds.low.normalize(),
                            "high": bounds.high.normalize(),
                        },
                    )
                )
    return problems


def _decision_makers(submission: Submission) -> list[User]:
    """Who approves a unit's report: contributors holding their role at the parent unit, else
    the administration's approvers."""
    parent = submission.unit.parent
    ids: list[int] = []
    if parent is not None:
        ids = list(RoleAssignment.objects.filter(unit=parent, role=Role.CONTRIBUTOR).values_list("user_id", flat=True))
    if not ids:
        admin_id = int(submission.unit.path.strip("/").split("/")[0])
        ids = list(
            RoleAssignment.objects.filter(unit_id=admin_id, role__in=[Role.APPROVER]).values_list("user_id", flat=True)
        )
    # those who reported it approve nothing of it: they are not asked
    return [u for u in User.objects.filter(pk__in=ids, is_active=True) if not permissions.took_part(u, submission)]


def reporters_of(unit: OrgUnit) -> list[User]:
    """Who reports for a unit: contributors holding their role at the unit, else at the nearest
    unit above it that has some."""
    ids = [int(part) for part in unit.path.strip("/").split("/")]
    for unit_id in reversed(ids):
        users = list(
            User.objects.filter(
                is_active=True, role_assignments__unit_id=unit_id, role_assignments__role=Role.CONTRIBUTOR
            ).distinct()
        )
        if users:
            return users
    return []


def report_url(submission: Submission) -> str:
    return reverse("monitoring-report", args=[submission.pk])


def _label(submission: Submission) -> dict[str, str]:
    return {"unit": submission.unit.name, "period": submission.period.code}


@transaction.atomic
def submission_submit(*, actor: User | None, submission: Submission, expected_version: int | None = None) -> Submission:
    """Submit a unit's report: every value becomes an actual of its indicator, and the level
    above is asked to approve it.

    Raises:
        NotAllowed: the actor may not report for this unit.
        InvalidInput: the report is not a draft (or returned), the period's entry has not
            opened yet, an assignment is empty, or a value outside the unit's usual range is
            not confirmed with a comment.
        ValueLocked: a value would change an approved report's value.
        EditConflict: someone changed the report after ``expected_version``.
    """
    _check(actor, permissions.can_submit(actor, submission))
    submission = _lock_for_write(submission, expected_version)
    if not submission.is_editable:
        raise InvalidInput.at(
            "status",
            _("This report is %(status)s already.") % {"status": submission.get_status_display().lower()},
        )
    _require_open(submission)
    problems = submission_problems(submission)
    if problems:
        raise InvalidInput(
            problems[0].message
            if len(problems) == 1
            else ngettext(
                "%(n)d entry needs attention before the report can be submitted.",
                "%(n)d entries need attention before the report can be submitted.",
                len(problems),
            )
            % {"n": len(problems)},
            problems=problems,
        )
    code = submission.period.code
    for assignment in submission.assignments.filter(kind=AssignmentKind.VALUE).select_related(
        "indicator__plan__administration", "indicator__owner_unit", "indicator__element", "value_unit"
    ):
        assert assignment.indicator is not None
        assert assignment.value is not None
        existing = Actual.objects.filter(
            indicator=assignment.indicator, period=code, unit=assignment.value_unit
        ).first()
        if existing is not None and existing.value == assignment.value:
            # the value stands as stored (a computed value stays computed, its provenance kept)
            Assignment.objects.filter(pk=assignment.pk).update(actual=existing)
            continue
        evidence = assignment.evidence
        if assignment.comment:
            evidence = f"{evidence}\n{assignment.comment}".strip()
        # the report's rights were checked above (its reporters record its values); the value
        # and its audit event name the person who submitted
        actual = indicator_services.actual_record(
            actor=actor,
            indicator=assignment.indicator,
            period=code,
            value=assignment.value,
            unit=assignment.value_unit,
            evidence=evidence,
            actual=existing,
            rights_checked=True,
        )
        Assignment.objects.filter(pk=assignment.pk).update(actual=actual)
    old = submission.status
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = timezone.now()
    if submission.first_submitted_at is None:
        submission.first_submitted_at = submission.submitted_at
    submission.submitted_by = actor
    submission.reason = ""
    save_if_unchanged(
        submission,
        expected_version=None,
        fields=["status", "submitted_at", "first_submitted_at", "submitted_by", "reason"],
    )
    plan = submission.period.calendar.plan
    audit_record(
        actor=actor,
        action=Action.STATUS,
        instance=submission,
        changes={"status": [old, submission.status]},
        plan_id=plan.pk,
    )
    notify_all(
        recipients=_decision_makers(submission),
        key=f"monitoring:submitted:{submission.pk}:{submission.version}",
        message=Message(
            subject=_("%(unit)s's report for %(period)s waits for your approval") % _label(submission),
            body=(
                _("Submitted by %(who)s.") % {"who": actor.display_name}
                if actor is not None
                else _("Submitted by Waypoint on the unit's behalf.")
            ),
            url=report_url(submission),
        ),
    )
    return submission


def _children(submission: Submission) -> list[Submission]:
    return list(
        Submission.objects.filter(period=submission.period, unit__parent=submission.unit).select_related("unit")
    )


def _parent(submission: Submission) -> Submission | None:
    if submission.unit.parent_id is None:
        return None
    return Submission.objects.filter(period=submission.period, unit_id=submission.unit.parent_id).first()


def _state(submission: Submission) -> engine.ApprovalState:
    return engine.ApprovalState(submission.status)


def approval_problems(submission: Submission) -> list[Problem]:
    """Why the report cannot be approved yet (``engine.monitoring.approval_blockers``)."""
    blockers = engine.approval_blockers(
        _state(submission),
        has_items=submission.assignments.exists(),
        children=[(c.unit.code, _state(c)) for c in _children(submission)],
    )
    messages = {
        "already": _("This report is approved or waived already."),
        "not_submitted": _("The unit has not submitted this report yet."),
    }
    waiting = [subject for reason, subject in blockers if reason == "child"]
    problems = [Problem("status", messages[reason]) for reason, _subject in blockers if reason in messages]
    if waiting:
        problems.append(
            Problem(
                "children",
                _("Approve or waive the reports of %(units)s first.") % {"units": ", ".join(waiting)},
            )
        )
    return problems


def _decide(
    submission: Submission,
    *,
    actor: User | None,
    status: str,
    reason: str,
    action: Action,
) -> Submission:
    old = submission.status
    submission.status = status
    submission.decided_at = timezone.now()
    submission.decided_by = actor
    submission.reason = reason.strip()
    save_if_unchanged(submission, expected_version=None, fields=["status", "decided_at", "decided_by", "reason"])
    changes: dict[str, Any] = {"status": [old, status]}
    if reason.strip():
        changes["reason"] = reason.strip()
    audit_record(
        actor=actor, action=action, instance=submission, changes=changes, plan_id=submission.period.calendar.plan_id
    )
    return submission


def _need_reason(reason: str, message: str) -> None:
    if not reason.strip():
        raise InvalidInput.at("reason", message)


@transaction.atomic
def submission_approve(
    *, actor: User | None, submission: Submission, expected_version: int | None = None
) -> Submission:
    """Approve a unit's report: its values are locked (pages, API, imports and computed values
    refuse to change them). A report is approved only once every report of the units below it
    is approved or waived. Approving the administration's own report settles the period: once
    the approval commits, the apps above are told (``hooks.on_period_approved``; documents
    renders the period's progress report).

    Raises:
        NotAllowed: the actor is not at the parent level, or submitted the report or typed
            one of its figures (someone else approves it).
        InvalidInput: the report is not submitted (when it has values of its own), is settled
            already, or a child's report is neither approved nor waived.
        EditConflict: someone changed the report after ``expected_version``.
    """
    _check(actor, permissions.can_decide(actor, submission), _("The level above this unit approves its report."))
    submission = _lock_for_write(submission, expected_version)
    _check(actor, not permissions.took_part(actor, submission), permissions.took_part_message())
    problems = approval_problems(submission)
    if problems:
        raise InvalidInput(problems[0].message, problems=problems)
    _decide(submission, actor=actor, status=SubmissionStatus.APPROVED, reason="", action=Action.APPROVE)
    notify_all(
        recipients=reporters_of(submission.unit),
        key=f"monitoring:approved:{submission.pk}:{submission.version}",
        message=Message(
            subject=_("%(unit)s's report for %(period)s is approved") % _label(submission),
            url=report_url(submission),
        ),
    )
    plan = submission.period.calendar.plan
    if submission.unit_id == plan.administration_id:
        hooks.announce_approved(plan=plan, period=submission.period.code, actor=actor)
    return submission


@transaction.atomic
def submission_return(
    *, actor: User | None, submission: Submission, reason: str, expected_version: int | None = None
) -> Submission:
    """Send a submitted report back to its unit for correction, saying why.

    Raises:
        NotAllowed: the actor is not at the parent level.
        InvalidInput: the report is not submitted, or no reason is given.
        EditConflict: someone changed the report after ``expected_version``.
    """
    _check(actor, permissions.can_decide(actor, submission))
    submission = _lock_for_write(submission, expected_version)
    _need_reason(reason, _("Say what needs correcting."))
    if submission.status != SubmissionStatus.SUBMITTED:
        raise InvalidInput.at("status", _("Only a submitted report can be returned."))
    _decide(submission, actor=actor, status=SubmissionStatus.RETURNED, reason=reason, action=Action.STATUS)
    _tell_reporters(submission, "returned", _("%(unit)s's report for %(period)s was returned for correction"), reason)
    return submission


@transaction.atomic
def submission_waive(
    *, actor: User | None, submission: Submission, reason: str, expected_version: int | None = None
) -> Submission:
    """Excuse a unit from a report (a post closed for the quarter), saying why: the level above
    may then be approved without it, and the report no longer counts as expected.

    Raises:
        NotAllowed: the actor is not at the parent level.
        InvalidInput: no reason, or the report is approved or waived already.
        EditConflict: someone changed the report after ``expected_version``.
    """
    _check(actor, permissions.can_decide(actor, submission))
    submission = _lock_for_write(submission, expected_version)
    _need_reason(reason, _("Say why this report is waived."))
    if submission.status in (SubmissionStatus.APPROVED, SubmissionStatus.WAIVED):
        raise InvalidInput.at("status", _("This report is approved or waived already."))
    return _decide(submission, actor=actor, status=SubmissionStatus.WAIVED, reason=reason, action=Action.STATUS)


@transaction.atomic
def submission_unapprove(
    *, actor: User | None, submission: Submission, reason: str, expected_version: int | None = None
) -> Submission:
    """Take back an approval (or a waiver), saying why: the report opens again for correction.
    Un-approval goes top down: the level above must be un-approved first.

    Raises:
        NotAllowed: the actor is not at the parent level.
        InvalidInput: no reason, the report is not approved or waived, or the report above it
            is approved.
        EditConflict: someone changed the report after ``expected_version``.
    """
    _check(actor, permissions.can_decide(actor, submission))
    submission = _lock_for_write(submission, expected_version)
    _need_reason(reason, _("Say why the approval is taken back."))
    parent = _parent(submission)
    blockers = engine.unapproval_blockers(_state(submission), parent=_state(parent) if parent else None)
    if "not_approved" in blockers:
        raise InvalidInput.at("status", _("This report is not approved or waived."))
    if "parent_approved" in blockers:
        assert parent is not None
        raise InvalidInput.at(
            "status",
            _("The report of %(unit)s above it is approved: un-approve that one first.") % {"unit": parent.unit.code},
        )
    _decide(submission, actor=actor, status=SubmissionStatus.RETURNED, reason=reason, action=Action.STATUS)
    _tell_reporters(submission, "reopened", _("%(unit)s's report for %(period)s was opened again"), reason)
    return submission


def _tell_reporters(submission: Submission, what: str, subject: str, reason: str) -> None:
    notify_all(
        recipients=reporters_of(submission.unit),
        key=f"monitoring:{what}:{submission.pk}:{submission.version}",
        message=Message(subject=subject % _label(submission), body=reason.strip(), url=report_url(submission)),
    )


# --- follow-up actions ------------------------------------------------------------------------------

ACTION_FIELDS = (
    "title",
    "description",
    "owner_person",
    "owner_unit",
    "due_on",
    "priority",
    "evidence",
    "source",
    "source_detail",
    "meeting",
)


def _action_problems(plan: Plan, values: Mapping[str, Any]) -> list[Problem]:
    problems = []
    if not str(values.get("title") or "").strip():
        problems.append(Problem("title", _("Give the action a title.")))
    unit = values.get("owner_unit")
    if not isinstance(unit, OrgUnit) or not unit.path.startswith(plan.administration.path):
        problems.append(Problem("owner_unit", _("Choose a unit of this administration.")))
    if not isinstance(values.get("due_on"), dt.date):
        problems.append(Problem("due_on", _("Give the due date.")))
    if values.get("priority") not in Priority.values:
        problems.append(Problem("priority", _("Choose high, medium or low.")))
    if values.get("source") not in ActionSource.values:
        problems.append(Problem("source", _("Choose where the action comes from.")))
    meeting = values.get("meeting")
    if meeting is not None and (not isinstance(meeting, ReviewMeeting) or meeting.plan_id != plan.pk):
        problems.append(Problem("meeting", _("Choose a review meeting of this plan.")))
    return problems


def _links_problems(plan: Plan, elements: Iterable[PlanElement], indicators: Iterable[Indicator]) -> list[Problem]:
    problems = []
    if any(e.plan_id != plan.pk for e in elements):
        problems.append(Problem("elements", _("Choose elements of this plan.")))
    if any(i.plan_id != plan.pk for i in indicators):
        problems.append(Problem("indicators", _("Choose indicators of this plan.")))
    return problems


@transaction.atomic
def action_create(
    *,
    actor: User | None,
    plan: Plan,
    elements: Sequence[PlanElement] = (),
    indicators: Sequence[Indicator] = (),
    **values: Any,
) -> FollowUpAction:
    """Add a follow-up action to the plan's register (numbered A-001, A-002 … in the plan).

    Raises:
        NotAllowed: the actor is neither a planner nor a contributor of the administration.
        InvalidInput: a title, unit, due date, priority or source is missing or wrong, or a
            linked element, indicator or meeting belongs to another plan.
    """
    _check(actor, permissions.can_add_action(actor, plan))
    values.setdefault("priority", Priority.MEDIUM)
    values.setdefault("source", ActionSource.OTHER)
    unknown = [name for name in values if name not in ACTION_FIELDS]
    if unknown:
        raise InvalidInput.at(unknown[0], _("This field cannot be set here."))
    problems = _action_problems(plan, values) + _links_problems(plan, elements, indicators)
    if problems:
        raise InvalidInput(problems[0].message, problems=problems)
    locked = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    number = (locked.follow_up_actions.aggregate(top=Max("number"))["top"] or 0) + 1
    action = FollowUpAction.objects.create(plan=plan, number=number, **values)
    action.elements.set(elements)
    action.indicators.set(indicators)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        instance=action,
        changes={
            **snapshot(action, ACTION_FIELDS),
            "elements": [e.code for e in elements],
            "indicators": [i.code for i in indicators],
        },
        plan_id=plan.pk,
    )
    return action


@transaction.atomic
def action_update(
    *,
    actor: User | None,
    action: FollowUpAction,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    elements: Sequence[PlanElement] | None = None,
    indicators: Sequence[Indicator] | None = None,
) -> FollowUpAction:
    """Change an action's description, owner, due date, links …

    Raises:
        NotAllowed: the actor is neither its owner nor a planner.
        InvalidInput: a value breaks a rule (as for ``action_create``).
        EditConflict: someone changed the action after ``expected_version``.
    """
    _check(actor, permissions.can_edit_action(actor, action))
    unknown = [name for name in changes if name not in ACTION_FIELDS]
    if unknown:
        raise InvalidInput.at(unknown[0], _("This field cannot be changed here."))
    values = {name: getattr(action, name) for name in ACTION_FIELDS}
    values.update(changes)
    problems = _action_problems(action.plan, values) + _links_problems(action.plan, elements or (), indicators or ())
    if problems:
        raise InvalidInput(problems[0].message, problems=problems)
    before = snapshot(action, ACTION_FIELDS)
    for name, value in values.items():
        setattr(action, name, value)
    save_if_unchanged(action, expected_version=expected_version, fields=ACTION_FIELDS)
    change = diff(before, snapshot(action, ACTION_FIELDS))
    if elements is not None:
        old = sorted(action.elements.values_list("code", flat=True))
        action.elements.set(elements)
        if old != sorted(e.code for e in elements):
            change["elements"] = [old, sorted(e.code for e in elements)]
    if indicators is not None:
        old = sorted(action.indicators.values_list("code", flat=True))
        action.indicators.set(indicators)
        if old != sorted(i.code for i in indicators):
            change["indicators"] = [old, sorted(i.code for i in indicators)]
    audit_record(actor=actor, action=Action.UPDATE, instance=action, changes=change, plan_id=action.plan_id)
    return action


@transaction.atomic
def action_set_status(
    *,
    actor: User | None,
    action: FollowUpAction,
    status: str,
    reason: str = "",
    evidence: str | None = None,
    evidence_file: UploadedFile[bytes] | None = None,
    remove_evidence_file: bool = False,
    on: dt.date | None = None,
    expected_version: int | None = None,
) -> FollowUpAction:
    """Move an action on (open, in progress, done, cancelled); cancelling needs a reason.
    ``evidence`` replaces the evidence text (links, a note; ``None`` keeps it), ``evidence_file``
    replaces the file and ``remove_evidence_file`` removes it; the audit event records what
    the evidence was and became.

    Raises:
        NotAllowed: the actor is neither its owner nor a planner.
        InvalidInput: an unknown status, a cancellation without a reason, or a file that is
            not a document or is too large.
        EditConflict: someone changed the action after ``expected_version``.
    """
    _check(actor, permissions.can_edit_action(actor, action))
    if status not in ActionStatus.values:
        raise InvalidInput.at("status", _("Choose open, in progress, done or cancelled."))
    if status == ActionStatus.CANCELLED and not reason.strip():
        raise InvalidInput.at("reason", _("Say why the action is cancelled."))
    problems = _file_problems("evidence_file", evidence_file)
    if problems:
        raise InvalidInput(problems[0].message, problems=problems)
    old = action.status
    evidence_before = {"evidence": action.evidence, "evidence_file": action.evidence_file.name or None}
    replaced_file = action.evidence_file.name if action.evidence_file else None
    action.status = status
    action.status_reason = reason.strip()
    action.closed_on = (on or timezone.localdate()) if status in (ActionStatus.DONE, ActionStatus.CANCELLED) else None
    fields = ["status", "status_reason", "closed_on"]
    if evidence is not None:
        action.evidence = evidence.strip()
        fields.append("evidence")
    if evidence_file is not None:
        action.evidence_file.save(PurePath(evidence_file.name or "evidence").name, evidence_file, save=False)
        fields.append("evidence_file")
    elif remove_evidence_file and action.evidence_file:
        action.evidence_file = None  # None clears the file field
        fields.append("evidence_file")
    save_if_unchanged(action, expected_version=expected_version, fields=fields)
    changes: dict[str, Any] = {"status": [old, status]}
    if reason.strip():
        changes["reason"] = reason.strip()
    # links and files added, replaced or removed are part of what changed
    changes |= diff(evidence_before, {"evidence": action.evidence, "evidence_file": action.evidence_file.name or None})
    if replaced_file and "evidence_file" in changes:
        storage = action.evidence_file.storage
        # only once the change is committed: a rollback must not lose the evidence
        transaction.on_commit(lambda: storage.delete(replaced_file))
    audit_record(actor=actor, action=Action.STATUS, instance=action, changes=changes, plan_id=action.plan_id)
    return action


@transaction.atomic
def action_comment(*, actor: User | None, action: FollowUpAction, text: str) -> ActionComment:
    """Add a comment to an action; its owner hears of it.

    Raises:
        NotAllowed: the actor cannot read the plan.
        InvalidInput: the comment is empty.
    """
    _check(actor, permissions.can_comment(actor, action.plan))
    if not text.strip():
        raise InvalidInput.at("text", _("Write the comment."))
    comment = ActionComment.objects.create(
        action=action, author=actor, author_name=actor.display_name if actor else "", text=text.strip()
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        instance=comment,
        changes={"text": comment.text[:500]},
        plan_id=action.plan_id,
    )
    if action.owner_person is not None and action.owner_person != actor:
        notify_all(
            recipients=[action.owner_person],
            key=f"monitoring:action-comment:{comment.pk}",
            message=Message(
                subject=_("New comment on %(action)s") % {"action": action},
                body=comment.text[:300],
                url=reverse("action-detail", args=[action.pk]),
            ),
        )
    return comment


# --- review meetings ------------------------------------------------------------------------------

MEETING_FIELDS = ("title", "held_on", "participants", "periods", "decisions")


@transaction.atomic
def meeting_save(
    *,
    actor: User | None,
    plan: Plan,
    meeting: ReviewMeeting | None = None,
    goals: Sequence[PlanElement] = (),
    expected_version: int | None = None,
    **values: Any,
) -> ReviewMeeting:
    """Record (or correct) a review meeting: date, participants, periods and goals reviewed,
    decisions. Its actions are added to the register with the meeting as their source.

    Raises:
        NotAllowed: the actor is not a planner.
        InvalidInput: no title or date, or a goal of another plan.
        EditConflict: someone changed the meeting after ``expected_version``.
    """
    _check(actor, permissions.can_manage_meetings(actor, plan))
    unknown = [name for name in values if name not in MEETING_FIELDS]
    if unknown:
        raise InvalidInput.at(unknown[0], _("This field cannot be set here."))
    merged = {name: getattr(meeting, name) for name in MEETING_FIELDS} if meeting else {}
    merged.update(values)
    problems = []
    if not str(merged.get("title") or "").strip():
        problems.append(Problem("title", _("Give the meeting a title.")))
    if not isinstance(merged.get("held_on"), dt.date):
        problems.append(Problem("held_on", _("Give the date of the meeting.")))
    if any(g.plan_id != plan.pk for g in goals):
        problems.append(Problem("goals", _("Choose goals of this plan.")))
    if problems:
        raise InvalidInput(problems[0].message, problems=problems)
    if meeting is None:
        meeting = ReviewMeeting.objects.create(plan=plan, **merged)
        meeting.goals.set(goals)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            instance=meeting,
            changes={**snapshot(meeting, MEETING_FIELDS), "goals": [g.code for g in goals]},
            plan_id=plan.pk,
        )
        return meeting
    before = snapshot(meeting, MEETING_FIELDS)
    goals_before = sorted(meeting.goals.values_list("code", flat=True))
    for name, value in merged.items():
        setattr(meeting, name, value)
    save_if_unchanged(meeting, expected_version=expected_version, fields=MEETING_FIELDS)
    meeting.goals.set(goals)
    changes = diff(before, snapshot(meeting, MEETING_FIELDS))
    goals_after = sorted(g.code for g in goals)
    if goals_after != goals_before:
        changes["goals"] = [goals_before, goals_after]
    audit_record(actor=actor, action=Action.UPDATE, instance=meeting, changes=changes, plan_id=plan.pk)
    return meeting
