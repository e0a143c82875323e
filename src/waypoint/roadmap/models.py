"""The roadmap: scheduling data on the plan's initiatives and activities, the teams that do
the work, yearly budget caps, and the scenarios the optimiser produced."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from waypoint.core.models import BackgroundWork, VersionedModel
from waypoint.engine.periods import add_months, month_end
from waypoint.org.models import OrgUnit
from waypoint.plans.models import FundingSource, Plan, PlanElement


class Team(VersionedModel):
    """People who can work on the roadmap at the same time (a department's project team,
    trainers, IT staff): ``capacity`` of them, changing from the months given."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="teams")
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=120)
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("unit")
    )
    capacity = models.PositiveSmallIntegerField(_("people"), validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["plan", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="team_code_unique")]

    def __str__(self) -> str:
        return self.name


class TeamCapacity(models.Model):
    """From ``starts_on`` (first of a month) the team has ``capacity`` people."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="capacity_changes")
    starts_on = models.DateField(_("from"))
    capacity = models.PositiveSmallIntegerField(_("people"))

    class Meta:
        ordering = ["team", "starts_on"]
        constraints = [models.UniqueConstraint(fields=["team", "starts_on"], name="team_capacity_unique")]

    def __str__(self) -> str:
        return f"{self.team.code} from {self.starts_on:%Y-%m}: {self.capacity}"


class ScheduleItem(VersionedModel):
    """What the scheduler needs to know about an initiative or activity."""

    element = models.OneToOneField(PlanElement, on_delete=models.CASCADE, related_name="schedule")
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), validators=[MaxValueValidator(120)])
    release_on = models.DateField(_("not before"), null=True, blank=True, help_text=_("e.g. when donor money arrives"))
    deadline_on = models.DateField(_("finish by"), null=True, blank=True)
    pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Keep the current start date when re-planning.")
    )
    weight = models.PositiveSmallIntegerField(
        _("priority"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=_("1 low … 5 high")
    )
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_finish = models.DateField(_("actual finish"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(actual_finish__isnull=True) | Q(actual_start__isnull=False),
                name="schedule_finish_after_start_recorded",
            ),
            models.CheckConstraint(
                condition=Q(actual_finish__isnull=True) | Q(actual_finish__gte=F("actual_start")),
                name="schedule_actual_dates_ordered",
            ),
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=5), name="schedule_weight_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.element.code}: {self.duration_months} months"


class TeamDemand(models.Model):
    item = models.ForeignKey(ScheduleItem, on_delete=models.CASCADE, related_name="demands")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="demands")
    people = models.PositiveSmallIntegerField(_("people"), validators=[MinValueValidator(1)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "team"], name="team_demand_unique"),
            models.CheckConstraint(condition=Q(people__gte=1), name="team_demand_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item.element.code} needs {self.people} of {self.team.code}"


class LinkKind(models.TextChoices):
    FINISH_TO_START = "FS", _("Finish → start")
    START_TO_START = "SS", _("Start → start")
    FINISH_TO_FINISH = "FF", _("Finish → finish")


class Dependency(models.Model):
    """``after`` waits for ``before`` (initiatives or activities of the same plan)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="dependencies")
    before = models.ForeignKey(
        PlanElement, on_delete=models.CASCADE, related_name="dependents", verbose_name=_("waits for")
    )
    after = models.ForeignKey(
        PlanElement, on_delete=models.CASCADE, related_name="dependencies", verbose_name=_("element")
    )
    kind = models.CharField(_("kind"), max_length=2, choices=LinkKind.choices, default=LinkKind.FINISH_TO_START)
    lag_months = models.SmallIntegerField(_("lag (months)"), default=0)

    class Meta:
        ordering = ["plan", "after", "before"]
        constraints = [
            models.UniqueConstraint(fields=["before", "after"], name="dependency_unique"),
            models.CheckConstraint(condition=~Q(before=F("after")), name="dependency_not_on_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.before.code} → {self.after.code} ({self.kind}{self.lag_months:+d})"


class BudgetCap(models.Model):
    """The most that may be spent in a year from a funding source (all sources when empty)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budget_caps")
    funding_source = models.ForeignKey(FundingSource, on_delete=models.CASCADE, related_name="caps")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("cap"), max_digits=16, decimal_places=0)

    class Meta:
        ordering = ["plan", "funding_source", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "funding_source", "year"], name="budget_cap_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_cap_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.funding_source} {self.year}: {self.amount}"


class ScenarioStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Objective(models.TextChoices):
    MAKESPAN = "makespan", _("Finish the whole roadmap as early as possible")
    WEIGHTED = "weighted", _("Deliver high-priority results first")


class Scenario(BackgroundWork):
    """One run of the scheduler, kept so that runs can be compared side by side. Solved by the
    background worker (``BackgroundWork``: its task, lease and attempts)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(_("name"), max_length=120)
    objective = models.CharField(_("objective"), max_length=10, choices=Objective.choices, default=Objective.MAKESPAN)
    time_limit_s = models.PositiveSmallIntegerField(
        _("time limit (seconds)"), default=20, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    workers = models.PositiveSmallIntegerField(default=2, validators=[MinValueValidator(1), MaxValueValidator(16)])
    replan_from = models.DateField(
        _("re-plan from"),
        null=True,
        blank=True,
        help_text=_("Fix what happened before this month and re-optimise the rest."),
    )
    status = models.CharField(max_length=10, choices=ScenarioStatus.choices, default=ScenarioStatus.QUEUED)
    cancel_requested = models.BooleanField(default=False)
    progress = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result_status = models.CharField(max_length=16, blank=True)
    objective_value = models.BigIntegerField(null=True, blank=True)
    lower_bound = models.BigIntegerField(null=True, blank=True)
    makespan_months = models.PositiveSmallIntegerField(null=True, blank=True)
    conflicts = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    is_baseline = models.BooleanField(_("approved baseline"), default=False)
    problem = models.JSONField(
        default=dict, blank=True, help_text="The problem exactly as solved (Waypoint JSON format)."
    )
    starts = models.JSONField(default=dict, blank=True, help_text="Month index of each scheduled activity's start.")
    history = models.JSONField(
        default=dict, blank=True, help_text="Real start month of work under way when re-planned."
    )

    class Meta:
        ordering = ["plan", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["plan"], condition=Q(is_baseline=True), name="one_baseline_per_plan"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def finish_date(self) -> dt.date | None:
        """The last day of the roadmap's last month of work."""
        if self.makespan_months is None:
            return None
        return month_end(add_months(dt.date(self.plan.start_year, 1, 1), self.makespan_months - 1))

    @property
    def months_after_plan(self) -> int:
        """How many months of work fall after the plan's last year (0 when none do)."""
        if self.makespan_months is None:
            return 0
        return max(0, self.makespan_months - (self.plan.end_year - self.plan.start_year + 1) * 12)

    @property
    def gap(self) -> float | None:
        """How far the schedule may be from the best possible (0 = proven the best)."""
        if not self.objective_value or self.lower_bound is None:
            return None
        return max(0.0, (self.objective_value - self.lower_bound) / self.objective_value)

    @property
    def gap_percent(self) -> float | None:
        return None if self.gap is None else round(self.gap * 100, 1)

    @property
    def is_finished(self) -> bool:
        return self.status in (ScenarioStatus.DONE, ScenarioStatus.FAILED, ScenarioStatus.CANCELLED)


class ScenarioItem(models.Model):
    """Where a scenario put one element (leaves computed, initiatives rolled up)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="items")
    element = models.ForeignKey(PlanElement, on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="Last day of the last month of work.")
    critical = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)

    class Meta:
        ordering = ["scenario", "starts_on", "element__code"]
        constraints = [models.UniqueConstraint(fields=["scenario", "element"], name="scenario_item_unique")]

    def __str__(self) -> str:
        return f"{self.element.code} {self.starts_on:%Y-%m} – {self.ends_on:%Y-%m}"
