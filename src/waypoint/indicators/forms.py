from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waypoint.core.forms import VersionedForm, add_problems, plain_decimal
from waypoint.engine.periods import Period, PeriodKind
from waypoint.indicators import rules
from waypoint.indicators.models import Aggregation, Dimension, Direction, Frequency, Indicator, ToleranceKind
from waypoint.indicators.services import TargetEntry
from waypoint.org.forms import UnitChoiceField
from waypoint.org.models import OrgUnit
from waypoint.plans.forms import units_of
from waypoint.plans.models import Plan, PlanElement, PlanTier


class ElementChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: PlanElement) -> str:
        return f"{obj.code} {obj.title}"


class IndicatorForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=300)
    element = ElementChoiceField(label=_("Measures"), queryset=PlanElement.objects.none())
    tier = forms.ModelChoiceField(
        label=_("Results tier"),
        queryset=PlanTier.objects.none(),
        required=False,
        help_text=_("Empty: the tier of the element it measures."),
    )
    definition = forms.CharField(label=_("Definition"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    formula = forms.CharField(label=_("Formula"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    unit_of_measure = forms.CharField(label=_("Unit of measure"), max_length=40)
    decimals = forms.IntegerField(label=_("Decimals shown"), min_value=0, max_value=4, initial=1)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    aggregation = forms.ChoiceField(
        label=_("Aggregation"), choices=Aggregation.choices, help_text=_("How values combine over periods and units.")
    )
    cumulative = forms.BooleanField(
        label=_("Cumulative"), required=False, help_text=Indicator._meta.get_field("cumulative").help_text
    )
    frequency = forms.ChoiceField(label=_("Reporting frequency"), choices=Frequency.choices)
    data_source = forms.CharField(label=_("Data source"), max_length=300, required=False)
    means_of_verification = forms.CharField(
        label=_("Means of verification"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    owner_unit = UnitChoiceField(label=_("Owner unit"), queryset=OrgUnit.objects.none())
    disaggregation = forms.MultipleChoiceField(
        label=_("Disaggregated by"),
        choices=Dimension.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("'Office / unit' lets values be recorded per unit."),
    )
    is_key = forms.BooleanField(label=_("Key performance indicator"), required=False)
    # numbers are checked by the indicator rules (indicators/rules.py), so a page, the API and
    # a plan file refuse the same values with the same words
    baseline_value = forms.DecimalField(label=_("Baseline value"), required=False)
    baseline_date = forms.DateField(
        label=_("Baseline date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    baseline_source = forms.CharField(label=_("Baseline source"), max_length=300, required=False)
    tolerance_value = forms.DecimalField(
        label=_("Tolerance"), initial=15, widget=forms.NumberInput(attrs={"min": 0, "step": "any"})
    )
    tolerance_kind = forms.ChoiceField(label=_("Tolerance measured"), choices=ToleranceKind.choices)
    completeness_threshold = forms.IntegerField(
        label=_("Units needed (%)"),
        initial=100,
        required=False,  # left empty: all of them
        help_text=Indicator._meta.get_field("completeness_threshold").help_text,
        widget=forms.NumberInput(attrs={"min": 1, "max": 100, "step": 1}),
    )

    def __init__(self, *args: Any, plan: Plan, element_ids: set[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        elements = plan.elements.order_by("code")
        if element_ids is not None:
            elements = elements.filter(pk__in=element_ids)
        self.fields["element"].queryset = elements  # type: ignore[attr-defined]
        self.fields["tier"].queryset = plan.tiers.order_by("level")  # type: ignore[attr-defined]
        self.fields["owner_unit"].queryset = units_of(plan.administration)  # type: ignore[attr-defined]
        for name in ("baseline_value", "tolerance_value"):
            if name in self.initial:
                self.initial[name] = plain_decimal(self.initial[name])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problems = rules.cumulative_problems(data.get("cumulative"), data.get("aggregation"))
        problems += rules.baseline_problems(
            data.get("baseline_value"), data.get("baseline_date"), plan_end_year=self.plan.end_year
        )
        if "tolerance_value" in data:
            problems += rules.tolerance_problems(data["tolerance_value"])
        if "completeness_threshold" in data:
            if data["completeness_threshold"] is None:
                data["completeness_threshold"] = 100
            problems += rules.completeness_problems(data["completeness_threshold"])
        add_problems(self, problems)
        return data


class TargetForm(VersionedForm):
    # the value rules are the service's (indicators/rules.py), put back on the fields
    value = forms.DecimalField(label=_("Target"))
    upper_value = forms.DecimalField(label=_("Upper bound"), required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=500, required=False)


class TargetGridForm(forms.Form):
    """Every plan year's target of one indicator on one form (targets are set per plan year),
    prefilled; field names say the row: ``2014.value``, ``2014.upper_value``, ``2014.reason``
    and ``2014.version`` (the version seen, ``0`` for none), so the service's problems land
    on their row."""

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.targets = {t.period: t for t in indicator.targets.all()}
        for year in indicator.plan.years:
            period, target = str(year), self.targets.get(str(year))
            self.fields[f"{period}.value"] = forms.DecimalField(
                label=_("Target %(p)s") % {"p": period},
                required=False,
                initial=plain_decimal(target.value) if target else None,
                widget=forms.NumberInput(attrs={"step": "any"}),
            )
            if indicator.is_range:
                self.fields[f"{period}.upper_value"] = forms.DecimalField(
                    label=_("Upper bound %(p)s") % {"p": period},
                    required=False,
                    initial=plain_decimal(target.upper_value) if target else None,
                    widget=forms.NumberInput(attrs={"step": "any"}),
                )
            self.fields[f"{period}.reason"] = forms.CharField(
                label=_("Reason for the change in %(p)s") % {"p": period}, max_length=500, required=False
            )
            self.fields[f"{period}.version"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=target.version if target else 0
            )

    def rows(self) -> list[dict[str, Any]]:
        """One row per plan year for the template: its target and its bound fields."""
        rows = []
        for year in self.indicator.plan.years:
            period = str(year)
            rows.append(
                {
                    "period": period,
                    "target": self.targets.get(period),
                    "value": self[f"{period}.value"],
                    "upper_value": self[f"{period}.upper_value"] if self.indicator.is_range else None,
                    "reason": self[f"{period}.reason"],
                    "version": self[f"{period}.version"],
                }
            )
        return rows

    def entries(self) -> list[TargetEntry]:
        data = self.cleaned_data
        return [
            TargetEntry(
                period=str(year),
                value=data.get(f"{year}.value"),
                upper_value=data.get(f"{year}.upper_value"),
                reason=data.get(f"{year}.reason") or "",
                expected_version=data.get(f"{year}.version"),
            )
            for year in self.indicator.plan.years
        ]

    def carry_versions(self, rows: dict[str, Any]) -> None:
        """After a concurrent change, let the next save (once merged) through: the rows take
        the versions stored now."""
        data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict when bound to a request
        for period, row in rows.items():
            data[self.add_prefix(f"{period}.version")] = str(row["version"] if row else 0)
        self.data = data


def period_choices(plan: Plan, frequency: str) -> list[tuple[str, str]]:
    kind = {"year": PeriodKind.YEAR, "quarter": PeriodKind.QUARTER, "month": PeriodKind.MONTH}[frequency]
    choices: list[tuple[str, str]] = []
    for year in plan.years:
        for period in Period.year_of(year).subperiods(kind):
            choices.append((period.code, period.code))
    return choices


class ActualForm(VersionedForm):
    period = forms.ChoiceField(label=_("Period"))
    unit = UnitChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("Whole administration")
    )
    value = forms.DecimalField(label=_("Value"))
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Where the figure comes from: report, system extract, minutes."),
    )
    evidence_file = forms.FileField(label=_("Evidence file"), required=False)

    def __init__(
        self, *args: Any, indicator: Indicator, unit_paths: list[str] | None, whole: bool = True, **kwargs: Any
    ) -> None:
        """``unit_paths``: the units the user may record for (``None``: all); ``whole``: whether
        they may record the administration's own figure. Only what they may do is offered, so a
        choice is never refused after the value is typed."""
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices(indicator.plan, indicator.frequency)  # type: ignore[attr-defined]
        if indicator.by_unit:
            units = units_of(indicator.plan.administration, unit_paths).exclude(kind="administration")
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
            if not whole:
                self.fields["unit"].required = True
                self.fields["unit"].empty_label = None  # type: ignore[attr-defined]
                self.fields["unit"].help_text = _("You record values for your own units.")
        else:
            del self.fields["unit"]
