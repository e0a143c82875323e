"""Indicators with their baseline, targets (with revision history) and actual values."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waypoint.core.models import VersionedModel
from waypoint.org.models import OrgUnit
from waypoint.plans.models import Plan, PlanElement, PlanTier


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase is better")
    DECREASE = "decrease", _("Decrease is better")
    RANGE = "range", _("Keep within a range")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    MEAN = "mean", _("Mean")
    LATEST = "latest", _("Latest value")


class Frequency(models.TextChoices):
    ANNUAL = "year", _("Annual")
    QUARTERLY = "quarter", _("Quarterly")
    MONTHLY = "month", _("Monthly")


class ToleranceKind(models.TextChoices):
    RELATIVE = "relative", _("Percent of the expected value")
    ABSOLUTE = "absolute", _("In the indicator's unit")


class Dimension(models.TextChoices):
    OFFICE = "office", _("Office / unit")
    TRANSPORT_MODE = "mode", _("Transport mode")
    CHANNEL = "channel", _("Selectivity channel")
    REGIME = "regime", _("Customs regime")
    HS_CHAPTER = "hs_chapter", _("Goods (HS chapter)")
    AEO = "aeo", _("AEO status")
    GENDER = "gender", _("Gender")


class Indicator(VersionedModel):
    """A performance indicator and its reference sheet."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    element = models.ForeignKey(
        PlanElement, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("measures")
    )
    tier = models.ForeignKey(
        PlanTier, on_delete=models.RESTRICT, related_name="indicators", verbose_name=_("results tier")
    )
    number = models.PositiveIntegerField()
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    definition = models.TextField(_("definition"), blank=True)
    formula = models.TextField(_("formula"), blank=True, help_text=_("How the value is calculated, in words."))
    unit_of_measure = models.CharField(_("unit of measure"), max_length=40, help_text=_("e.g. hours, %, AZN million"))
    decimals = models.PositiveSmallIntegerField(_("decimals shown"), default=1)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    aggregation = models.CharField(_("aggregation"), max_length=8, choices=Aggregation.choices)
    cumulative = models.BooleanField(
        _("cumulative"),
        default=False,
        help_text=_("Actuals are what happened in each period; targets are totals to date including the baseline."),
    )
    frequency = models.CharField(
        _("reporting frequency"), max_length=8, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    means_of_verification = models.TextField(_("means of verification"), blank=True)
    owner_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="indicators_owned", verbose_name=_("owner unit")
    )
    disaggregation = models.JSONField(_("disaggregation"), default=list, blank=True)
    is_key = models.BooleanField(_("key performance indicator"), default=False)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=20, decimal_places=4, null=True, blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    baseline_source = models.CharField(_("baseline source"), max_length=300, blank=True)
    tolerance_value = models.DecimalField(
        _("tolerance"),
        max_digits=12,
        decimal_places=4,
        default=15,
        help_text=_("How far short of the expected value still counts as 'at risk'."),
    )
    tolerance_kind = models.CharField(
        _("tolerance measured"), max_length=10, choices=ToleranceKind.choices, default=ToleranceKind.RELATIVE
    )
    completeness_threshold = models.PositiveSmallIntegerField(
        _("units needed (%)"),
        default=100,
        help_text=_(
            "A value rolled up from units stands for the whole administration only when at least this share of "
            "the units that report the indicator reported for the period. 100: all of them."
        ),
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique"),
            models.UniqueConstraint(fields=["plan", "number"], name="indicator_number_unique"),
            models.CheckConstraint(
                condition=~Q(cumulative=True) | Q(aggregation="sum"), name="indicator_cumulative_sums"
            ),
            models.CheckConstraint(condition=Q(tolerance_value__gte=0), name="indicator_tolerance_not_negative"),
            models.CheckConstraint(
                condition=Q(completeness_threshold__gte=1, completeness_threshold__lte=100),
                name="indicator_completeness_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True) | Q(baseline_date__isnull=False),
                name="indicator_baseline_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_range(self) -> bool:
        return self.direction == Direction.RANGE

    @property
    def by_unit(self) -> bool:
        return Dimension.OFFICE in (self.disaggregation or [])

    @property
    def trs_binding_or_none(self) -> Any:
        """The Time Release Study statistic this indicator is computed from, if any."""
        return getattr(self, "trs_binding", None)


class Target(VersionedModel):
    """The value planned for one period. For range indicators ``value`` is the lower bound."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period = models.CharField(_("period"), max_length=7)
    value = models.DecimalField(_("target"), max_digits=20, decimal_places=4)
    upper_value = models.DecimalField(_("upper bound"), max_digits=20, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="target_period_unique"),
            models.CheckConstraint(
                condition=Q(upper_value__isnull=True) | Q(upper_value__gte=models.F("value")),
                name="target_upper_not_below_lower",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value}"


class TargetRevision(models.Model):
    """Every value a target ever had: who set it, when and why."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="revisions")
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by_name = models.CharField(max_length=150)
    old_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    old_upper_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    new_value = models.DecimalField(max_digits=20, decimal_places=4)
    new_upper_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ["target", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.target} {self.old_value} → {self.new_value}"


def evidence_path(instance: Actual, filename: str) -> str:
    return f"evidence/{instance.indicator.plan_id}/{instance.indicator_id}/{filename}"


class Actual(VersionedModel):
    """A measured value for a period; ``unit`` empty means the administration as a whole."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    period = models.CharField(_("period"), max_length=7)
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="actuals", verbose_name=_("unit")
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to=evidence_path, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=150, blank=True)
    #: filled by data feeds (e.g. Time Release Study) instead of a person
    is_computed = models.BooleanField(default=False)
    provenance = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["indicator", "period", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "unit"],
                condition=Q(unit__isnull=False),
                name="actual_unit_period_unique",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"], condition=Q(unit__isnull=True), name="actual_whole_period_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period} {self.unit.code if self.unit else ''}: {self.value}"
