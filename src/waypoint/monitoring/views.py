"""Monitoring pages: the completeness dashboard, the calendar, "My reporting", a unit's report
(fill, submit, approve), the action register and review meetings. Thin: selectors to read,
services to write."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waypoint.core.errors import ApplicationError, EditConflict, InvalidInput, NotAllowed, Problem
from waypoint.core.views import form_page
from waypoint.monitoring import hooks, permissions, selectors, services
from waypoint.monitoring.forms import (
    ActionForm,
    ActionStatusForm,
    CalendarForm,
    CommentForm,
    DecisionForm,
    MeetingForm,
)
from waypoint.monitoring.models import ActionSource, ActionStatus, AssignmentKind, FollowUpAction, Rag
from waypoint.org.access import request_user
from waypoint.plans import permissions as plan_permissions
from waypoint.plans.models import Plan


def _context(request: HttpRequest, plan: Plan, section: str = "monitoring") -> dict[str, Any]:
    return {
        "plan": plan,
        "section": section,
        "can_edit_plan": plan_permissions.can_edit_plan(request.user, plan),
        # reports, actions and meetings are recorded as the plan is carried out: an approved
        # plan's "locked" banner does not belong on their forms
        "records_stay_open": True,
    }


# --- dashboard, calendar, my reporting ----------------------------------------------------------------


def dashboard(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_of(request.user, plan_id)
    kind = request.GET.get("kind", "")
    if kind not in ("", "month", "quarter", "year"):
        kind = ""
    calendar = selectors.calendar_of(plan)
    return render(
        request,
        "monitoring/dashboard.html",
        {
            **_context(request, plan),
            "calendar": calendar,
            "data": selectors.completeness(plan, kind=kind) if calendar else None,
            "kind": kind,
            "overdue": selectors.overdue_actions(plan)[:10],
            "can_manage": permissions.can_manage_calendar(request.user, plan),
        },
    )


def calendar_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_of(request.user, plan_id)
    plan_permissions.require(permissions.can_manage_calendar(request.user, plan))
    calendar = selectors.calendar_of(plan)
    initial = (
        {name: getattr(calendar, name) for name in services.CALENDAR_FIELDS}
        if calendar
        else {
            "first_year": plan.start_year,
            "last_year": plan.end_year,
            "due_days": 15,
            "grace_days": 5,
            "opens_days_before_end": 0,
            "remind_days_before": 5,
            "escalate_days_after": 10,
        }
    )
    form = CalendarForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        save=lambda data: services.calendar_save(actor=request_user(request), plan=plan, **data),
        message=_("Reporting calendar saved; the reports of every period are ready."),
        then=reverse("monitoring-dashboard", args=[plan.pk]),
        template="monitoring/calendar_form.html",
        context=_context(request, plan),
    )


def my_reporting(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_of(request.user, plan_id)
    today = timezone.localdate()
    return render(
        request,
        "monitoring/my_reporting.html",
        {
            **_context(request, plan),
            "reports": selectors.my_reports(request.user, plan),
            "to_decide": selectors.to_decide(request.user, plan),
            "today": today,
            "calendar": selectors.calendar_of(plan),
        },
    )


# --- one report ------------------------------------------------------------------------------------


def _entries(request: HttpRequest, page: selectors.ReportPage) -> tuple[dict[int, services.Entry], list[Problem]]:
    """What the reporter typed, by assignment; numbers that are not numbers are problems."""
    entries: dict[int, services.Entry] = {}
    problems: list[Problem] = []
    post = request.POST
    for line in page.values + page.progress:
        if line.locked:
            continue  # shown locked and disabled: the browser sends nothing for it
        a = line.assignment
        prefix = f"a{a.pk}"
        upload = request.FILES.get(f"{prefix}.evidence_file")
        if a.kind == AssignmentKind.VALUE:
            raw = post.get(f"{prefix}.value", "").strip().replace(",", ".")
            value: Decimal | None = None
            if raw:
                try:
                    value = Decimal(raw)
                    if not value.is_finite():
                        raise InvalidOperation
                except InvalidOperation:
                    problems.append(Problem(f"{prefix}.value", _("Write a number, e.g. 12.5.")))
                    continue
            entries[a.pk] = services.Entry(
                value=value,
                comment=post.get(f"{prefix}.comment", ""),
                confirm_outlier=post.get(f"{prefix}.confirm") == "on",
                evidence=post.get(f"{prefix}.evidence", ""),
                evidence_file=upload,
            )
        else:
            raw = post.get(f"{prefix}.percent_complete", "").strip()
            percent: int | None = None
            if raw:
                try:
                    percent = int(raw)
                except ValueError:
                    problems.append(Problem(f"{prefix}.percent_complete", _("Give a whole percentage, 0 to 100.")))
                    continue
            entries[a.pk] = services.Entry(
                percent_complete=percent,
                rag=post.get(f"{prefix}.rag", ""),
                achievements=post.get(f"{prefix}.achievements", ""),
                issues=post.get(f"{prefix}.issues", ""),
                next_steps=post.get(f"{prefix}.next_steps", ""),
                comment=post.get(f"{prefix}.comment", ""),
                evidence_file=upload,
            )
    return entries, problems


def report(request: HttpRequest, submission_id: int) -> HttpResponse:
    """A unit's report for a period: every value and update due, prefilled with the previous
    period and the target; save as a draft, submit; the parent level approves here."""
    user = request_user(request)
    submission = selectors.submission_for(user, submission_id)
    page = selectors.report_page(user, submission)
    problems: list[Problem] = []
    error = ""
    status = 200
    saved_draft = False
    if request.method == "POST":
        plan_permissions.require(page.can_submit, _("You cannot report for this unit."))
        entries, problems = _entries(request, page)
        version = request.POST.get("version")
        expected = int(version) if version and version.isdigit() else None
        if not problems:
            try:
                saved = services.submission_save(
                    actor=user, submission=submission, entries=entries, expected_version=expected
                )
                saved_draft = True
                if request.POST.get("action") == "submit":
                    services.submission_submit(actor=user, submission=saved)
                    messages.success(request, _("Report submitted; the level above is asked to approve it."))
                else:
                    messages.success(request, _("Draft saved."))
                return redirect(reverse("monitoring-report", args=[submission.pk]))
            except NotAllowed:
                raise
            except EditConflict as conflict:
                error = conflict.message
            except ApplicationError as refusal:
                error = refusal.message
                if saved_draft:
                    error = _("Your entries are saved as a draft, but the report cannot be submitted yet: %(why)s") % {
                        "why": refusal.message
                    }
                problems = refusal.problems if isinstance(refusal, InvalidInput) else []
        else:
            error = _("Some entries need attention.")
        status = 400
        submission = selectors.submission_for(user, submission_id)
        page = selectors.report_page(user, submission)
    keep_typed = request.method == "POST" and status == 400 and not saved_draft
    for line in page.values + page.progress:
        line.show(request.POST if keep_typed else None)
    general: list[str] = []
    lines = {f"a{line.assignment.pk}": line for line in page.values + page.progress}
    for problem in problems:
        found = lines.get(problem.location.split(".")[0])
        if found is not None:
            found.problems.append(problem.message)
        else:
            general.append(problem.message)
    return render(
        request,
        "monitoring/report.html",
        {
            **_context(request, submission.period.calendar.plan),
            "page": page,
            "submission": submission,
            "general_problems": general,
            # a unit with nothing of its own sends nothing, so it is never late or overdue
            "timeliness": "" if page.gathers_only else selectors.cell_state(submission, timezone.localdate()).value,
            "error": error,
            "rags": Rag.choices,
            "max_mb": settings.EVIDENCE_MAX_BYTES // 1048576,
        },
        status=status,
    )


@require_POST
def report_decide(request: HttpRequest, submission_id: int) -> HttpResponse:
    """Approve, return, waive or un-approve a report (POST from the report page)."""
    user = request_user(request)
    submission = selectors.submission_for(user, submission_id)
    plan_permissions.require(
        permissions.can_decide(user, submission), _("The level above this unit decides on its report.")
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the report."))
        return redirect(reverse("monitoring-report", args=[submission.pk]))
    decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"] or ""
    version = form.cleaned_data.get("version")
    done = {
        "approve": _("Report approved: its values are locked."),
        "return": _("Report returned to the unit for correction."),
        "waive": _("Report waived."),
        "unapprove": _("Approval taken back: the report is open for correction."),
    }
    try:
        if decision == "approve":
            services.submission_approve(actor=user, submission=submission, expected_version=version)
        elif decision == "return":
            services.submission_return(actor=user, submission=submission, reason=reason, expected_version=version)
        elif decision == "waive":
            services.submission_waive(actor=user, submission=submission, reason=reason, expected_version=version)
        else:
            services.submission_unapprove(actor=user, submission=submission, reason=reason, expected_version=version)
        messages.success(request, done[decision])
    except NotAllowed:
        raise
    except ApplicationError as refusal:
        messages.error(request, " ".join([refusal.message, *[p.message for p in refusal.problems[1:]]]))
    return redirect(reverse("monitoring-report", args=[submission.pk]))


def assignment_evidence(request: HttpRequest, submission_id: int, assignment_id: int) -> FileResponse:
    submission = selectors.submission_for(request.user, submission_id)
    assignment = submission.assignments.filter(pk=assignment_id).first()
    if assignment is None or not assignment.evidence_file:
        raise Http404
    return FileResponse(assignment.evidence_file.open("rb"), as_attachment=True)


# --- follow-up actions ----------------------------------------------------------------------------


def action_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_of(request.user, plan_id)
    status = request.GET.get("status", "active")
    overdue = request.GET.get("overdue") == "1"
    listing = selectors.actions(plan, status=status, overdue=overdue, unit=request.GET.get("unit", ""))
    return render(
        request,
        "monitoring/action_list.html",
        {
            **_context(request, plan, "actions"),
            "page": Paginator(listing, 50).get_page(request.GET.get("page")),
            "status": status,
            "overdue": overdue,
            "statuses": ActionStatus.choices,
            "today": timezone.localdate(),
            "overdue_count": selectors.overdue_actions(plan).count(),
            "can_add": permissions.can_add_action(request.user, plan),
        },
    )


def _action_values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in services.ACTION_FIELDS if name in data}


def action_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_of(request.user, plan_id)
    plan_permissions.require(permissions.can_add_action(request.user, plan), _("You cannot add actions to this plan."))
    initial: dict[str, Any] = {"source": ActionSource.REVIEW_MEETING if request.GET.get("meeting") else ""}
    if request.GET.get("meeting", "").isdigit():
        initial["meeting"] = int(request.GET["meeting"])
    if request.GET.get("element", "").isdigit():
        initial["elements"] = [int(request.GET["element"])]
    form = ActionForm(request.POST or None, plan=plan, initial=initial)
    return form_page(
        request,
        form,
        save=lambda data: services.action_create(
            actor=request_user(request),
            plan=plan,
            elements=list(data["elements"]),
            indicators=list(data["indicators"]),
            **_action_values(data),
        ),
        message=lambda action: _("Action %(code)s added.") % {"code": action.code},
        then=lambda action: reverse("action-detail", args=[action.pk]),
        template="monitoring/action_form.html",
        context={**_context(request, plan, "actions"), "action": None},
    )


def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_for(request.user, action_id)
    from waypoint.core.models import AuditEvent

    labels = dict(ActionStatus.choices)
    history = [
        # the statuses as people read them ("In progress"), not the stored keys
        (event, [labels.get(key, key) for key in status] if isinstance(status, list) else [])
        for event in AuditEvent.objects.filter(entity="monitoring.FollowUpAction", entity_id=str(action.pk)).order_by(
            "at"
        )
        for status in [(event.changes or {}).get("status")]
    ]
    return render(
        request,
        "monitoring/action_detail.html",
        {
            **_context(request, action.plan, "actions"),
            "action": action,
            "origins": hooks.action_origins([action]).get(action.pk, []),
            "comments": action.comments.all(),
            "history": history,
            "today": timezone.localdate(),
            "can_edit": permissions.can_edit_action(request.user, action),
            "can_comment": permissions.can_comment(request.user, action.plan),
            "status_form": ActionStatusForm(initial={"status": action.status, "version": action.version}),
            "comment_form": CommentForm(),
        },
    )


def _editable_action(request: HttpRequest, action_id: int) -> FollowUpAction:
    action = selectors.action_for(request.user, action_id)
    plan_permissions.require(
        permissions.can_edit_action(request.user, action), _("Only its owner or a planner changes this action.")
    )
    return action


def action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    action = _editable_action(request, action_id)
    initial = {name: getattr(action, name) for name in services.ACTION_FIELDS}
    initial.update(
        version=action.version,
        elements=list(action.elements.values_list("pk", flat=True)),
        indicators=list(action.indicators.values_list("pk", flat=True)),
    )
    form = ActionForm(request.POST or None, plan=action.plan, initial=initial)
    return form_page(
        request,
        form,
        save=lambda data: services.action_update(
            actor=request_user(request),
            action=action,
            changes=_action_values(data),
            expected_version=data.get("version"),
            elements=list(data["elements"]),
            indicators=list(data["indicators"]),
        ),
        message=_("Action saved."),
        then=reverse("action-detail", args=[action.pk]),
        template="monitoring/action_form.html",
        context={**_context(request, action.plan, "actions"), "action": action},
    )


def action_status(request: HttpRequest, action_id: int) -> HttpResponse:
    action = _editable_action(request, action_id)
    # the version it was read at: a change saved meanwhile is shown, not overwritten
    form = ActionStatusForm(
        request.POST or None,
        request.FILES or None,
        initial={"status": action.status, "version": action.version, "evidence": action.evidence},
    )
    return form_page(
        request,
        form,
        save=lambda data: services.action_set_status(
            actor=request_user(request),
            action=action,
            status=data["status"],
            reason=data["reason"] or "",
            evidence=data["evidence"] or "",  # the form shows the evidence: emptied is removed
            evidence_file=data.get("evidence_file"),
            remove_evidence_file=bool(data.get("remove_evidence_file")),
            expected_version=data.get("version"),
        ),
        message=_("Status changed."),
        then=reverse("action-detail", args=[action.pk]),
        template="monitoring/action_status.html",
        context={**_context(request, action.plan, "actions"), "action": action},
    )


@require_POST  # a GET is not allowed (405), not refused: nobody is denied anything by opening it
def action_comment(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_for(request.user, action_id)
    plan_permissions.require(permissions.can_comment(request.user, action.plan))
    form = CommentForm(request.POST)
    if form.is_valid():
        services.action_comment(actor=request_user(request), action=action, text=form.cleaned_data["text"])
        messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("Write the comment."))
    return redirect(reverse("action-detail", args=[action.pk]) + "#comments")


def action_evidence(request: HttpRequest, action_id: int) -> FileResponse:
    action = selectors.action_for(request.user, action_id)
    if not action.evidence_file:
        raise Http404
    return FileResponse(action.evidence_file.open("rb"), as_attachment=True)


# --- review meetings ------------------------------------------------------------------------------


def meeting_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_of(request.user, plan_id)
    return render(
        request,
        "monitoring/meeting_list.html",
        {
            **_context(request, plan, "actions"),
            "meetings": plan.review_meetings.prefetch_related("actions"),
            "can_add": permissions.can_manage_meetings(request.user, plan),
        },
    )


def meeting_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_of(request.user, plan_id)
    plan_permissions.require(permissions.can_manage_meetings(request.user, plan))
    form = MeetingForm(request.POST or None, plan=plan)
    return form_page(
        request,
        form,
        save=lambda data: services.meeting_save(
            actor=request_user(request),
            plan=plan,
            goals=list(data["goals"]),
            **{k: v for k, v in data.items() if k in services.MEETING_FIELDS},
        ),
        message=_("Meeting recorded. Add the actions it decided."),
        then=lambda meeting: reverse("meeting-detail", args=[meeting.pk]),
        template="monitoring/meeting_form.html",
        context=_context(request, plan, "actions"),
    )


def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Correct a review meeting's record (planners), with the version it was read at."""
    meeting = selectors.meeting_for(request.user, meeting_id)
    plan = meeting.plan
    plan_permissions.require(permissions.can_manage_meetings(request.user, plan))
    initial = {name: getattr(meeting, name) for name in services.MEETING_FIELDS}
    initial.update(version=meeting.version, goals=list(meeting.goals.values_list("pk", flat=True)))
    form = MeetingForm(request.POST or None, plan=plan, initial=initial)
    return form_page(
        request,
        form,
        save=lambda data: services.meeting_save(
            actor=request_user(request),
            plan=plan,
            meeting=meeting,
            goals=list(data["goals"]),
            expected_version=data.get("version"),
            **{k: v for k, v in data.items() if k in services.MEETING_FIELDS},
        ),
        message=_("Meeting saved."),
        then=reverse("meeting-detail", args=[meeting.pk]),
        template="monitoring/meeting_form.html",
        context={**_context(request, plan, "actions"), "meeting": meeting},
    )


def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, meeting_id)
    return render(
        request,
        "monitoring/meeting_detail.html",
        {
            **_context(request, meeting.plan, "actions"),
            "meeting": meeting,
            "actions": meeting.actions.select_related("owner_unit", "owner_person"),
            "today": timezone.localdate(),
            "can_add": permissions.can_add_action(request.user, meeting.plan),
            "can_edit": permissions.can_manage_meetings(request.user, meeting.plan),
        },
    )
