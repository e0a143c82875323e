"""The people side of the plan: what officers must know and be able to do (competency
frameworks, role profiles), how many are needed where (workforce needs per function and year),
who the officers are and where they stand (pseudonymous records, assessed proficiency), and
the training that closes the gaps (courses, sessions, records, allocation runs).

Officers are personal data. Who may read them is decided in ``permissions.py`` and every
aggregate goes through ``privacy.py``; every read of an officer's record by somebody else is
kept in ``PersonalRecordRead``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from waypoint.core.models import BackgroundWork, VersionedModel
from waypoint.indicators.models import Indicator
from waypoint.org.models import OrgUnit
from waypoint.plans.models import Plan, PlanElement, PlanFunction


class CompetencyFramework(models.Model):
    """A competency framework as imported (the engine reads ``document``). Never edited in
    place: a changed file is imported as a new version."""

    administration = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="competency_frameworks")
    code = models.CharField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    document = models.JSONField(help_text="The framework as imported (format waypoint-competencies).")
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "code", "version"], name="competency_framework_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}".strip()


class RoleProfile(VersionedModel):
    """What a post requires: a level of each competency it needs, and education."""

    administration = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="role_profiles")
    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.PROTECT, related_name="role_profiles", verbose_name=_("framework")
    )
    code = models.CharField(_("code"), max_length=32, help_text=_("Short and stable, e.g. BP-INSP."))
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    #: a code of the framework's education levels: the lowest accepted; empty: none required
    education_level = models.CharField(_("education required"), max_length=40, blank=True)
    #: codes of the framework's fields of study accepted; empty: any field
    education_fields = models.JSONField(_("fields of study accepted"), default=list, blank=True)
    #: competency code → level required
    requirements = models.JSONField(_("competencies required"), default=dict, blank=True)

    class Meta:
        ordering = ["administration", "code"]
        constraints = [models.UniqueConstraint(fields=["administration", "code"], name="role_profile_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class WorkforceNeed(models.Model):
    """How many holders of a role profile a unit needs in a plan year to carry out a function
    of the activity profile (the future activity profile, in people)."""

    function = models.ForeignKey(
        PlanFunction, on_delete=models.CASCADE, related_name="workforce_needs", verbose_name=_("function")
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="workforce_needs", verbose_name=_("unit"))
    role_profile = models.ForeignKey(
        RoleProfile, on_delete=models.PROTECT, related_name="workforce_needs", verbose_name=_("role profile")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    headcount = models.PositiveIntegerField(_("officers needed"))

    class Meta:
        ordering = ["function", "year", "unit", "role_profile"]
        constraints = [
            models.UniqueConstraint(fields=["function", "unit", "role_profile", "year"], name="workforce_need_unique")
        ]

    def __str__(self) -> str:
        return f"{self.function} {self.year}: {self.headcount} × {self.role_profile.code} at {self.unit.code}"


class Officer(VersionedModel):
    """An officer, under a pseudonymous staff number: no name is kept here."""

    administration = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="officers")
    staff_number = models.CharField(
        _("staff number"), max_length=32, help_text=_("The pseudonymous number HR gives the officer; no names.")
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="unit_officers", verbose_name=_("unit"))
    role_profile = models.ForeignKey(
        RoleProfile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officers",
        verbose_name=_("role profile"),
    )
    education_level = models.CharField(_("education"), max_length=40, blank=True)
    education_field = models.CharField(_("field of study"), max_length=40, blank=True)
    entry_date = models.DateField(_("entry date"), null=True, blank=True)
    is_active = models.BooleanField(_("in service"), default=True)
    #: the officer's own account, so that they can read and export their record
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer_record",
        verbose_name=_("account"),
    )

    class Meta:
        ordering = ["administration", "staff_number"]
        constraints = [
            models.UniqueConstraint(fields=["administration", "staff_number"], name="officer_staff_number_unique"),
            models.CheckConstraint(condition=~Q(staff_number=""), name="officer_staff_number_not_empty"),
        ]

    def __str__(self) -> str:
        return self.staff_number


class AssessmentRound(models.Model):
    """A campaign of assessments against one framework (the 2011 round, the 2013 round)."""

    administration = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="assessment_rounds")
    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("framework")
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=150)
    held_on = models.DateField(_("date"))

    class Meta:
        ordering = ["administration", "held_on", "code"]
        constraints = [models.UniqueConstraint(fields=["administration", "code"], name="assessment_round_code_unique")]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    SELF = "self", _("Self-assessment")
    MANAGER = "manager", _("Manager")
    TEST = "test", _("Test")


class ProficiencyAssessment(models.Model):
    """An officer's level of one competency, as assessed by themself, their manager or a test."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="assessments")
    competency = models.CharField(_("competency"), max_length=40)
    level = models.PositiveSmallIntegerField(_("level"))
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    assessed_on = models.DateField(_("date"))
    round = models.ForeignKey(
        AssessmentRound,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
        verbose_name=_("round"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["officer", "competency", "-assessed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "competency", "source", "assessed_on"], name="proficiency_assessment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer} {self.competency} = {self.level} ({self.source}, {self.assessed_on})"


class Provider(models.TextChoices):
    ACADEMY = "academy", _("In-house academy")
    WCO = "wco", _("WCO e-learning")
    PARTNER = "partner", _("Partner")


class Course(VersionedModel):
    """A course of the catalogue: the competencies it addresses and the level it brings them to."""

    administration = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="courses")
    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.PROTECT, related_name="courses", verbose_name=_("framework")
    )
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    provider_kind = models.CharField(_("provider"), max_length=8, choices=Provider.choices, default=Provider.ACADEMY)
    provider = models.CharField(_("provider's name"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)
    #: competency code → the level a participant reaches
    outcomes = models.JSONField(_("competencies and level reached"), default=dict)
    duration_hours = models.PositiveIntegerField(_("duration (hours)"))
    cost = models.DecimalField(_("cost per participant"), max_digits=12, decimal_places=2)
    seats = models.PositiveIntegerField(_("seats per session"), default=20)
    #: the plan initiative whose part of the training plan this course is
    initiative = models.ForeignKey(
        PlanElement,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
        verbose_name=_("plan initiative"),
        limit_choices_to={"kind": "initiative"},
    )

    class Meta:
        ordering = ["administration", "code"]
        constraints = [models.UniqueConstraint(fields=["administration", "code"], name="course_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CourseSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    seats = models.PositiveIntegerField(_("seats"))
    location = models.CharField(_("location"), max_length=150, blank=True)

    class Meta:
        ordering = ["course", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="session_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.course.code} {self.starts_on:%Y-%m-%d}"


class TrainingRecord(models.Model):
    """A course an officer completed."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="training_records")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="records", verbose_name=_("course"))
    session = models.ForeignKey(CourseSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="records")
    completed_on = models.DateField(_("completed"))
    hours = models.PositiveIntegerField(_("hours"))

    class Meta:
        ordering = ["officer", "-completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "course", "completed_on"], name="training_record_unique")
        ]

    def __str__(self) -> str:
        return f"{self.officer} {self.course.code} {self.completed_on}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Stopped")


class AllocationRun(BackgroundWork):
    """One optimisation of a year's training: who attends which session, within the budget,
    the seats and the share of a unit that may be away at once. Solved by the background
    worker (``BackgroundWork``: its task, lease and attempts), like a roadmap scenario."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="training_runs")
    name = models.CharField(_("name"), max_length=150)
    year = models.PositiveSmallIntegerField(_("year"))
    budget = models.DecimalField(_("training budget"), max_digits=14, decimal_places=2)
    max_away_percent = models.PositiveSmallIntegerField(
        _("most of a unit away at once (%)"),
        default=20,
        help_text=_(
            "Operational continuity: never more than this share of a unit's staff in training at the same time."
        ),
    )
    time_limit_s = models.PositiveIntegerField(_("time limit (seconds)"), default=60)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    cancel_requested = models.BooleanField(default=False)
    is_adopted = models.BooleanField(_("adopted"), default=False)
    result_status = models.CharField(max_length=12, blank=True)
    officers_considered = models.PositiveIntegerField(null=True, blank=True)
    value = models.PositiveIntegerField(null=True, blank=True)
    greedy_value = models.PositiveIntegerField(null=True, blank=True)
    bound = models.PositiveIntegerField(null=True, blank=True)
    total_gap = models.PositiveIntegerField(null=True, blank=True)
    spent = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    greedy_spent = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED, RunStatus.CANCELLED)

    @property
    def improvement_percent(self) -> float | None:
        if not self.greedy_value or self.value is None:
            return None
        return round(100 * (self.value - self.greedy_value) / self.greedy_value, 1)


class Allocation(models.Model):
    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="allocations")
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="allocations")
    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="allocations")

    class Meta:
        ordering = ["run", "session", "officer"]
        constraints = [models.UniqueConstraint(fields=["run", "officer", "session"], name="allocation_unique")]

    def __str__(self) -> str:
        return f"{self.officer} → {self.session}"


class PersonalRecordRead(models.Model):
    """Somebody read an officer's record who is not that officer: kept for as long as the
    administration keeps its audit trail, shown to HR and to the officer."""

    administration_id = models.BigIntegerField(db_index=True)
    officer = models.ForeignKey(Officer, null=True, on_delete=models.SET_NULL, related_name="reads")
    #: kept when the record is deleted
    staff_number = models.CharField(max_length=32)
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reader_name = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    #: where: the page, the API, an export
    via = models.CharField(max_length=40)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.reader_name} read {self.staff_number} ({self.via})"


class Measure(models.TextChoices):
    OFFICERS_TRAINED = "officers_trained", _("Officers who completed a course")
    HOURS_PER_OFFICER = "hours_per_officer", _("Training hours per officer in service")
    SHARE_AT_LEVEL = "share_at_level", _("Percent of officers at the level their role requires")


class TrainingIndicatorBinding(models.Model):
    """An indicator whose actual values are computed from training and assessment records."""

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="training_binding")
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    #: only courses addressing (or requirements on) these competencies; empty: all
    competencies = models.JSONField(_("competencies"), default=list, blank=True)
    #: only officers of units of these kinds (border posts …); empty: all
    unit_kinds = models.JSONField(_("kinds of unit"), default=list, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    periods_written = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.indicator} ← {self.get_measure_display()}"
