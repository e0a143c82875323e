"""The monitoring cycle: a plan's reporting calendar, what each unit reports for each period
and how far up the tree it is approved; the follow-up actions and the review meetings."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waypoint.core.models import VersionedModel
from waypoint.indicators.models import Actual, Indicator
from waypoint.org.models import OrgUnit
from waypoint.plans.models import Plan, PlanElement


class ReportingCalendar(VersionedModel):
    """When a plan's reports open, fall due and are chased (``engine.monitoring.CalendarRule``)."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="reporting_calendar")
    due_days = models.PositiveSmallIntegerField(
        _("due, days after the period ends"),
        default=15,
        help_text=_("e.g. 15: a quarter ending 31 March is due 15 April."),
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace period, days"),
        default=5,
        help_text=_("A report this many days after the due date still counts as on time."),
    )
    opens_days_before_end = models.PositiveSmallIntegerField(_("entry opens, days before the period ends"), default=0)
    remind_days_before = models.PositiveSmallIntegerField(_("first reminder, days before the due date"), default=5)
    escalate_days_after = models.PositiveSmallIntegerField(
        _("escalate to the parent unit's head, days after the due date"), default=10
    )
    #: the first and last year reports are asked for (within the plan's years)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(last_year__gte=models.F("first_year")), name="calendar_years_in_order")
        ]

    def __str__(self) -> str:
        return f"Reporting calendar of {self.plan}"


class ReportingPeriod(models.Model):
    """One reporting round of a calendar (a month, a quarter or a year) with its dates."""

    calendar = models.ForeignKey(ReportingCalendar, on_delete=models.CASCADE, related_name="periods")
    code = models.CharField(_("period"), max_length=7)
    kind = models.CharField(max_length=8)
    starts_on = models.DateField()
    ends_on = models.DateField()
    opens_on = models.DateField(_("opens"))
    due_on = models.DateField(_("due"))
    grace_until = models.DateField(_("on time until"))

    class Meta:
        # the shorter first where two end on the same day (2012Q4, then the year 2012 that sums
        # it up), as the completeness grid shows them (selectors.period_order)
        ordering = ["calendar", "ends_on", "-starts_on"]
        constraints = [models.UniqueConstraint(fields=["calendar", "code"], name="reporting_period_unique")]

    def __str__(self) -> str:
        return self.code

    def is_open(self, today: dt.date) -> bool:
        return today >= self.opens_on


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Not submitted")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved and locked")
    WAIVED = "waived", _("Waived")


class Submission(VersionedModel):
    """What one unit reports for one period: its assignments, and where it stands.

    Every unit with something to report has one, and so has each unit above it: a directorate
    approves its posts' reports, and its own report (with or without values of its own) is then
    approved by the level above. Approved means locked: the values refuse every change.
    """

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="submissions")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("unit"))
    status = models.CharField(
        _("status"), max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    #: the first time it was submitted: timeliness counts from it, so a report sent on time
    #: and returned for correction is not late when it comes back
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: why it was waived, returned or un-approved (the last decision's reason)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["period", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="submission_unit_period_unique")]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.period.code}"

    @property
    def is_editable(self) -> bool:
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)

    @property
    def is_locked(self) -> bool:
        return self.status == SubmissionStatus.APPROVED


class AssignmentKind(models.TextChoices):
    VALUE = "value", _("Indicator value")
    PROGRESS = "progress", _("Progress update")


class Rag(models.TextChoices):
    GREEN = "green", _("Green: on track")
    AMBER = "amber", _("Amber: some delay or risk")
    RED = "red", _("Red: off track")


def assignment_evidence_path(instance: Assignment, filename: str) -> str:
    return f"evidence/monitoring/{instance.submission_id}/{filename}"


class Assignment(models.Model):
    """One thing a unit reports for a period: an indicator's value (for the unit, or for the
    whole administration when the unit owns an indicator that is not reported by unit), or an
    initiative's progress update. The draft lives here; submitting writes the value as an
    actual (``indicators.Actual``)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    kind = models.CharField(max_length=10, choices=AssignmentKind.choices)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    #: the unit the actual is recorded for; empty: the whole administration
    value_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    element = models.ForeignKey(
        PlanElement, null=True, blank=True, on_delete=models.CASCADE, related_name="progress_assignments"
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    #: the reporter confirmed a value outside the unit's usual range (the comment says why)
    outlier_confirmed = models.BooleanField(default=False)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to=assignment_evidence_path, blank=True)
    percent_complete = models.PositiveSmallIntegerField(_("percent complete"), null=True, blank=True)
    rag = models.CharField(_("red / amber / green"), max_length=8, choices=Rag.choices, blank=True)
    achievements = models.TextField(_("achievements"), blank=True)
    issues = models.TextField(_("issues"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    actual = models.ForeignKey(Actual, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    saved_at = models.DateTimeField(null=True, blank=True)
    #: who typed the figures now held (the value, or the percent complete and colour): they
    #: may not approve the report (``permissions.took_part``)
    value_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["submission", "kind", "indicator__number", "element__code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="value", indicator__isnull=False) | Q(kind="progress", element__isnull=False)),
                name="assignment_has_its_subject",
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__isnull=True) | Q(percent_complete__lte=100),
                name="assignment_percent_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        subject = self.indicator.code if self.indicator_id and self.indicator else str(self.element)
        return f"{self.submission} {subject}"

    @property
    def is_filled(self) -> bool:
        if self.kind == AssignmentKind.VALUE:
            return self.value is not None
        return self.percent_complete is not None and bool(self.rag)


# --- follow-up actions -------------------------------------------------------------------------------


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class ActionSource(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    REVIEW_MEETING = "review_meeting", _("Review meeting")
    MONITORING_PERIOD = "monitoring_period", _("Monitoring period")
    DIAGNOSTIC = "diagnostic", _("Diagnostic recommendation")
    PLAN_HEALTH = "plan_health", _("Plan-health finding")
    OTHER = "other", _("Other")


class ReviewMeeting(VersionedModel):
    """A review of the plan's progress: who met, what they reviewed, what they decided."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="review_meetings")
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    participants = models.TextField(_("participants"), blank=True, help_text=_("One per line."))
    periods = models.CharField(_("periods reviewed"), max_length=200, blank=True, help_text=_("e.g. 2013Q1, 2013Q2"))
    goals = models.ManyToManyField(PlanElement, blank=True, related_name="+", verbose_name=_("goals reviewed"))
    decisions = models.TextField(_("decisions"), blank=True)

    class Meta:
        ordering = ["plan", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%Y-%m-%d})"


def action_evidence_path(instance: FollowUpAction, filename: str) -> str:
    return f"evidence/actions/{instance.plan_id}/{filename}"


class FollowUpAction(VersionedModel):
    """Something a workshop, review or finding decided must be done, followed to its end."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="follow_up_actions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_up_actions",
        verbose_name=_("owner (person)"),
    )
    owner_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="follow_up_actions", verbose_name=_("owner (unit)")
    )
    due_on = models.DateField(_("due date"))
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    status_reason = models.TextField(_("reason"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("Links or a note of what shows it is done."))
    evidence_file = models.FileField(_("evidence file"), upload_to=action_evidence_path, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=ActionSource.choices, default=ActionSource.OTHER)
    source_detail = models.CharField(
        _("source detail"), max_length=200, blank=True, help_text=_("e.g. the 2011 planning workshop, 2013Q2")
    )
    meeting = models.ForeignKey(
        ReviewMeeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        verbose_name=_("decided at"),
    )
    elements = models.ManyToManyField(
        PlanElement, blank=True, related_name="follow_up_actions", verbose_name=_("plan elements")
    )
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="follow_up_actions", verbose_name=_("indicators")
    )

    class Meta:
        ordering = ["plan", "due_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="follow_up_action_number_unique"),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(status_reason=""), name="cancelled_action_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"A-{self.number:03d} {self.title}"

    @property
    def code(self) -> str:
        return f"A-{self.number:03d}"

    @property
    def is_closed(self) -> bool:
        return self.status in (ActionStatus.DONE, ActionStatus.CANCELLED)

    def is_overdue(self, today: dt.date) -> bool:
        return not self.is_closed and self.due_on < today


class ActionComment(models.Model):
    action = models.ForeignKey(FollowUpAction, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField(max_length=150)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action.code} · {self.author_label}"

    @property
    def author_label(self) -> str:
        """Who wrote it, as people read it (a comment Waypoint wrote itself has no author)."""
        return self.author_name or str(_("Waypoint"))
