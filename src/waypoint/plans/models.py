"""The strategic plan: goals → objectives → initiatives → activities on a results chain.

Later capabilities hang on these records: unit proposals and approvals refer to elements,
the roadmap schedules initiatives and activities, diagnostics' recommendations link to
objectives and initiatives, and the follow-up register points back to any element.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from waypoint.core.models import VersionedModel
from waypoint.org.models import OrgUnit


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")


class TierTemplate(models.TextChoices):
    CUSTOMS = "customs", _("Customs results chain (impact → outcome → output)")
    LOGFRAME = "logframe", _("Logical framework (overall objective → purpose → results → activities)")


#: tier key and name per template, top first
TIER_TEMPLATES: dict[str, list[tuple[str, str]]] = {
    TierTemplate.CUSTOMS: [("impact", "Impact"), ("outcome", "Outcome"), ("output", "Output")],
    TierTemplate.LOGFRAME: [
        ("overall_objective", "Overall objective"),
        ("purpose", "Purpose"),
        ("result", "Results"),
        ("activity", "Activities"),
    ],
}


class Plan(VersionedModel):
    administration = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="plans",
        limit_choices_to={"kind": "administration"},
        verbose_name=_("administration"),
    )
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    vision = models.TextField(_("vision"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    values = models.TextField(_("values"), blank=True, help_text=_("One value per line."))
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    tier_template = models.CharField(
        _("results chain"), max_length=16, choices=TierTemplate.choices, default=TierTemplate.CUSTOMS
    )
    currency = models.CharField(_("currency"), max_length=3, default="AZN")
    #: the language the plan is written in: its title and texts, and its elements' (the columns)
    language = models.CharField(_("main language"), max_length=16, default="en")
    #: the same texts in other languages, {"az": {"title": …, "vision": …}}; a language listed
    #: here is one the plan is kept in (plans/translations.py, docs/architecture.md "Languages")
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        verbose_name=_("previous plan"),
    )
    #: last number handed to a goal, so goal numbers are never reused after a deletion
    last_goal_number = models.PositiveIntegerField(default=0, editable=False)
    #: the status a plan file gave the plan; an import starts every plan as a draft and keeps
    #: the file's status here (shown beside the plan's own, and exported again) until the plan's
    #: status changes in this installation
    imported_status = models.CharField(
        _("status in the imported file"), max_length=16, choices=PlanStatus.choices, blank=True, editable=False
    )

    class Meta:
        ordering = ["-start_year", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="plan_period_ordered"),
            models.CheckConstraint(
                condition=Q(end_year__lte=F("start_year") + 14), name="plan_period_at_most_15_years"
            ),
            models.CheckConstraint(condition=Q(start_year__gte=1900), name="plan_start_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}–{self.end_year})"

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def is_archived(self) -> bool:
        return self.status == PlanStatus.SUPERSEDED

    def value_list(self) -> list[str]:
        return [line.strip() for line in self.values.splitlines() if line.strip()]


class PlanTier(models.Model):
    """A level of the plan's results chain; level 1 is the top (impact)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tiers")
    level = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=32)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["plan", "level"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "level"], name="plan_tier_level_unique"),
            models.UniqueConstraint(fields=["plan", "key"], name="plan_tier_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ElementKind(models.TextChoices):
    GOAL = "goal", _("Goal")
    OBJECTIVE = "objective", _("Objective")
    INITIATIVE = "initiative", _("Initiative")
    ACTIVITY = "activity", _("Activity")


CODE_PREFIX: dict[str, str] = {
    ElementKind.GOAL: "G",
    ElementKind.OBJECTIVE: "O",
    ElementKind.INITIATIVE: "I",
    ElementKind.ACTIVITY: "A",
}
CHILD_KIND: dict[str, str | None] = {
    ElementKind.GOAL: ElementKind.OBJECTIVE,
    ElementKind.OBJECTIVE: ElementKind.INITIATIVE,
    ElementKind.INITIATIVE: ElementKind.ACTIVITY,
    ElementKind.ACTIVITY: None,
}
PARENT_KIND: dict[str, str | None] = {
    ElementKind.GOAL: None,
    ElementKind.OBJECTIVE: ElementKind.GOAL,
    ElementKind.INITIATIVE: ElementKind.OBJECTIVE,
    ElementKind.ACTIVITY: ElementKind.INITIATIVE,
}
KIND_PLURAL: dict[str, Any] = {
    ElementKind.GOAL: _("Goals"),
    ElementKind.OBJECTIVE: _("Objectives"),
    ElementKind.INITIATIVE: _("Initiatives"),
    ElementKind.ACTIVITY: _("Activities"),
}
#: kinds that are scheduled and therefore carry start and end months
DATED_KINDS = (ElementKind.INITIATIVE, ElementKind.ACTIVITY)


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class PlanElement(VersionedModel):
    """A goal, objective, initiative or activity.

    ``number`` is given once, when the element is created, and never reused within its
    parent; ``code`` (G1, O1.2, I1.2.3, A1.2.3.4) is built from the numbers, so reordering
    (which only changes ``position``) never changes a code that documents already cite.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="elements")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    kind = models.CharField(_("kind"), max_length=16, choices=ElementKind.choices)
    number = models.PositiveIntegerField()
    code = models.CharField(_("code"), max_length=40)
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    tier = models.ForeignKey(
        PlanTier, on_delete=models.RESTRICT, related_name="elements", verbose_name=_("results tier")
    )
    responsible_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="responsible_for", verbose_name=_("responsible unit")
    )
    lead = models.CharField(_("lead"), max_length=150, blank=True, help_text=_("The person who answers for it."))
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("implementation status"),
        max_length=16,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.NOT_STARTED,
    )
    #: title, description and assumptions in the plan's other languages, {"az": {"title": …}}
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    assumptions = models.TextField(
        _("assumptions"),
        blank=True,
        help_text=_("Conditions needed for this result to lead to the next; one per line."),
    )
    #: last number handed to a child, so numbers are never reused after a deletion
    last_child_number = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["plan", "position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="plan_element_code_unique"),
            models.UniqueConstraint(
                fields=["parent", "number"], condition=Q(parent__isnull=False), name="plan_element_number_unique"
            ),
            models.UniqueConstraint(
                fields=["plan", "number"], condition=Q(parent__isnull=True), name="plan_goal_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="plan_element_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(kind="goal", parent__isnull=True) | (~Q(kind="goal") & Q(parent__isnull=False)),
                name="plan_element_only_goals_at_top",
            ),
        ]
        indexes = [models.Index(fields=["plan", "kind"]), models.Index(fields=["plan", "parent", "position"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def child_kind(self) -> str | None:
        return CHILD_KIND[self.kind]

    @property
    def is_dated(self) -> bool:
        return self.kind in DATED_KINDS

    def assumption_list(self) -> list[str]:
        return [line.strip() for line in self.assumptions.splitlines() if line.strip()]


class Risk(models.Model):
    """Something that could stop the element from delivering, scored 1–5 × 1–5."""

    element = models.ForeignKey(PlanElement, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField(_("risk"))
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 rare … 5 almost certain"),
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"), validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=_("1 minor … 5 severe")
    )
    mitigation = models.TextField(_("mitigation"), blank=True)
    owner = models.CharField(_("owner"), max_length=150, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["element", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(likelihood__gte=1, likelihood__lte=5), name="risk_likelihood_1_5"),
            models.CheckConstraint(condition=Q(impact__gte=1, impact__lte=5), name="risk_impact_1_5"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def level(self) -> str:
        if self.score >= 15:
            return "high"
        if self.score >= 8:
            return "medium"
        return "low"


class FundingKind(models.TextChoices):
    STATE_BUDGET = "state_budget", _("State budget")
    DONOR = "donor", _("Donor funds")
    LOAN = "loan", _("Loan")
    OWN_REVENUE = "own_revenue", _("Own revenue")
    OTHER = "other", _("Other")


class FundingSource(models.Model):
    administration = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="funding_sources")
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=16, choices=FundingKind.choices)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["administration", "name"], name="funding_source_name_unique")]

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """Money planned for an element in one year from one source.

    Totals roll up the tree: an element's total is its own lines plus its children's totals.
    """

    element = models.ForeignKey(PlanElement, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("year"))
    funding_source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="budget_lines")
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["element", "year", "funding_source"]
        constraints = [
            models.UniqueConstraint(fields=["element", "year", "funding_source"], name="budget_line_unique"),
            models.CheckConstraint(condition=Q(amount__gte=Decimal("0")), name="budget_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.element.code} {self.year} {self.funding_source}: {self.amount}"


class AnalysisFramework(models.TextChoices):
    SWOT = "swot", _("SWOT")
    PESTLE = "pestle", _("PESTLE")


class AnalysisCategory(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    WEAKNESS = "weakness", _("Weakness")
    OPPORTUNITY = "opportunity", _("Opportunity")
    THREAT = "threat", _("Threat")
    POLITICAL = "political", _("Political")
    ECONOMIC = "economic", _("Economic")
    SOCIAL = "social", _("Social")
    TECHNOLOGICAL = "technological", _("Technological")
    LEGAL = "legal", _("Legal")
    ENVIRONMENTAL = "environmental", _("Environmental")


CATEGORIES_BY_FRAMEWORK: dict[str, list[str]] = {
    AnalysisFramework.SWOT: ["strength", "weakness", "opportunity", "threat"],
    AnalysisFramework.PESTLE: ["political", "economic", "social", "technological", "legal", "environmental"],
}


class AnalysisItem(models.Model):
    """An environmental-scan finding, linked to the objectives that answer it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="analysis_items")
    framework = models.CharField(_("framework"), max_length=8, choices=AnalysisFramework.choices)
    category = models.CharField(_("category"), max_length=16, choices=AnalysisCategory.choices)
    text = models.TextField(_("statement"))
    position = models.PositiveIntegerField(default=0)
    objectives = models.ManyToManyField(
        PlanElement, blank=True, related_name="analysis_items", limit_choices_to={"kind": "objective"}
    )

    class Meta:
        ordering = ["plan", "framework", "category", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(framework="swot", category__in=CATEGORIES_BY_FRAMEWORK["swot"])
                | Q(framework="pestle", category__in=CATEGORIES_BY_FRAMEWORK["pestle"]),
                name="analysis_category_fits_framework",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.text[:60]}"


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


PRIORITY_ORDER: dict[str, int] = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}


class PlanFunction(models.Model):
    """A function of the administration's activity profile and the objectives that serve it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="functions")
    name = models.CharField(_("function"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    position = models.PositiveIntegerField(default=0)
    objectives = models.ManyToManyField(
        PlanElement, blank=True, related_name="functions", limit_choices_to={"kind": "objective"}
    )

    class Meta:
        ordering = ["plan", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="plan_function_name_unique")]

    def __str__(self) -> str:
        return self.name


class RuleSeverity(models.TextChoices):
    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")
    INFO = "info", _("Info")


class QualityRuleSetting(models.Model):
    """A plan's decision to switch a quality rule off or give it another severity, and why."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="quality_rules")
    rule = models.CharField(_("rule"), max_length=8)
    enabled = models.BooleanField(_("checked"), default=True)
    severity = models.CharField(
        _("severity"), max_length=8, choices=RuleSeverity.choices, blank=True, help_text=_("Empty: the default.")
    )
    reason = models.TextField(_("reason"))
    changed_at = models.DateTimeField(auto_now=True)
    changed_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["plan", "rule"]
        constraints = [models.UniqueConstraint(fields=["plan", "rule"], name="quality_rule_setting_unique")]

    def __str__(self) -> str:
        return f"{self.rule}: {'off' if not self.enabled else self.severity or 'default'}"


class AmendmentStatus(models.TextChoices):
    OPEN = "open", _("Open: being edited")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")


class Amendment(models.Model):
    """A change to an approved plan: a planner opens it with a reason, the plan becomes a
    draft again, and the amended plan goes through approval as the plan did."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveIntegerField()
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=16, choices=AmendmentStatus.choices, default=AmendmentStatus.OPEN)
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: kept as the person was called then, even if the account goes
    opened_by_name = models.CharField(max_length=150)
    closed_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="amendment_number_unique")]

    def __str__(self) -> str:
        return f"{self.plan.title}: amendment {self.number}"


class VersionEvent(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for approval")
    WITHDRAWN = "withdrawn", _("Withdrawn from approval")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")
    AMENDMENT = "amendment", _("Amendment opened")


class PlanVersion(models.Model):
    """The plan file as it stood when it was submitted, decided on or opened for amendment,
    with who did it, when, and what they said (an approval records the decision-maker's name
    and title as they were then)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    event = models.CharField(_("event"), max_length=16, choices=VersionEvent.choices)
    at = models.DateTimeField(_("date"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=150)
    actor_title = models.CharField(_("position"), max_length=150, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    amendment = models.ForeignKey(Amendment, null=True, blank=True, on_delete=models.SET_NULL, related_name="versions")
    #: the plan file (``plans.planfile.plan_export``) at that moment
    document = models.JSONField()

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.plan.title} v{self.number} ({self.event})"


class PlanFindings(models.Model):
    """A plan's quality findings as last computed, and the changes they were computed after.

    The findings read the whole plan (its file, the roadmap it shows, the recommendations
    its elements answer): too much for every view of the tree. They are computed once per
    change and kept here, shared by every web process, until the plan's or its
    administration's change count (``core.audit.changes_counted``) moves
    (``plans.quality``)."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, primary_key=True, related_name="findings")
    #: ``core.audit.changes_counted`` read before the plan was: the findings are at least as new
    stamp = models.CharField(max_length=64)
    #: the report (findings, rules switched off) and the indicators' elements and names
    report = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"findings of plan {self.plan_id} at {self.stamp}"
