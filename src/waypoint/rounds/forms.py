"""Input of a planning round's pages. Field checks here; the round's rules come back from the
services (``rounds.rules``, the plan's own rules for what becomes plan content)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from waypoint.core.forms import MonthField, VersionedForm
from waypoint.org.forms import UnitChoiceField
from waypoint.org.models import OrgUnit, UnitKind
from waypoint.plans.forms import units_of
from waypoint.plans.models import FundingSource, Plan, PlanElement
from waypoint.plans.translations import text_for
from waypoint.rounds.models import IndicatorDirection, Proposal, ProposalKind, Submission
from waypoint.rounds.rules import BudgetAsk, IndicatorAsk, RiskAsk


def element_label(element: PlanElement, main_language: str) -> str:
    """An element's code and title in the reader's language (else the plan's main one), as
    plain text for an option."""
    return f"{element.code} {text_for(element, 'title', main_language).text}"


class ElementChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    main_language = "en"

    def label_from_instance(self, obj: PlanElement) -> str:
        return element_label(obj, self.main_language)


class RoundForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    guidance = forms.CharField(
        label=_("Guidance"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("What the units are asked for, and how."),
    )
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    frame = ElementChoiceField(
        label=_("Frame"),
        queryset=PlanElement.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The goals (and objectives) management set: units propose under them."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Levels asked"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Every unit of these kinds is asked."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units asked"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Or pick units one by one (both add up)."),
    )

    def __init__(self, *args: Any, plan: Plan, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        frame = self.fields["frame"]
        assert isinstance(frame, ElementChoiceField)
        frame.main_language = plan.language
        frame.queryset = plan.elements.filter(kind__in=["goal", "objective"]).order_by("code")
        if editing:
            del self.fields["kinds"]
            del self.fields["units"]
            return
        present = set(
            OrgUnit.objects.filter(path__startswith=plan.administration.path, is_active=True)
            .exclude(kind=UnitKind.ADMINISTRATION)
            .values_list("kind", flat=True)
        )
        kinds = self.fields["kinds"]
        assert isinstance(kinds, forms.MultipleChoiceField)
        kinds.choices = [(k, label) for k, label in UnitKind.choices if k in present]
        self.fields["units"].queryset = units_of(plan.administration).exclude(pk=plan.administration_id)  # type: ignore[attr-defined]


class ProposalForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ProposalKind.choices)
    parent = forms.ChoiceField(
        label=_("Under"), help_text=_("An element of the frame, or one of your proposals, of the kind above it.")
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    responsible_unit = UnitChoiceField(label=_("Responsible unit"), queryset=OrgUnit.objects.none())
    lead = forms.CharField(label=_("Lead"), max_length=150, required=False)
    starts_on = MonthField(label=_("Start"), required=False, help_text=_("Initiatives and activities."))
    ends_on = MonthField(label=_("End"), required=False)
    assumptions = forms.CharField(
        label=_("Assumptions"), widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text=_("One per line.")
    )

    def __init__(
        self,
        *args: Any,
        plan: Plan,
        elements: list[PlanElement],
        proposals: list[Proposal],
        units: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ChoiceField)
        parent.choices = [
            (_("Plan elements"), [(f"e{e.pk}", element_label(e, plan.language)) for e in elements]),
            (_("Proposals"), [(f"p{p.pk}", f"{p.code} {p.title}") for p in proposals]),
        ]
        self.fields["responsible_unit"].queryset = units  # type: ignore[attr-defined]
        self.sources = list(FundingSource.objects.filter(administration=plan.administration).order_by("name"))
        for year in plan.years:
            for source in self.sources:
                self.fields[f"budget_{year}_{source.pk}"] = forms.DecimalField(
                    label=f"{source.name} {year}",
                    required=False,
                    min_value=Decimal(0),
                    decimal_places=2,
                    max_digits=16,
                    widget=forms.NumberInput(attrs={"step": "any", "class": "form-control form-control-sm num"}),
                )

    def budget_rows(self) -> list[tuple[FundingSource, list[forms.BoundField]]]:
        return [(s, [self[f"budget_{year}_{s.pk}"] for year in self.plan.years]) for s in self.sources]

    def parent_choice(self) -> tuple[str, int] | None:
        value = str(self.cleaned_data.get("parent") or "")
        if len(value) < 2 or value[0] not in "ep" or not value[1:].isdigit():
            return None
        return value[0], int(value[1:])

    def budget(self) -> list[BudgetAsk]:
        asks = []
        for year in self.plan.years:
            for source in self.sources:
                amount = self.cleaned_data.get(f"budget_{year}_{source.pk}")
                if amount:
                    asks.append(BudgetAsk(year, source.pk, amount))
        return asks


def initial_budget(proposal: Proposal) -> dict[str, Any]:
    return {f"budget_{b.year}_{b.funding_source_id}": b.amount for b in proposal.budget.all()}


class IndicatorAskForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=300, required=False)
    unit_of_measure = forms.CharField(label=_("Unit of measure"), max_length=40, required=False)
    direction = forms.ChoiceField(label=_("Direction"), choices=IndicatorDirection.choices, required=False)
    baseline_value = forms.DecimalField(label=_("Baseline"), required=False, max_digits=16, decimal_places=4)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            self.fields[f"target_{year}"] = forms.DecimalField(
                label=str(year), required=False, max_digits=16, decimal_places=4
            )

    def targets(self) -> list[forms.BoundField]:
        return [self[f"target_{year}"] for year in self.years]

    def ask(self) -> IndicatorAsk | None:
        data = self.cleaned_data
        if not data or not (data.get("name") or "").strip():
            return None
        return IndicatorAsk(
            name=data["name"],
            unit_of_measure=data.get("unit_of_measure") or "",
            direction=data.get("direction") or "increase",
            baseline_value=data.get("baseline_value"),
            targets={y: data[f"target_{y}"] for y in self.years if data.get(f"target_{y}") is not None},
        )


class RiskAskForm(forms.Form):
    description = forms.CharField(label=_("Risk"), required=False, widget=forms.Textarea(attrs={"rows": 1}))
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood"), coerce=int, choices=[(i, i) for i in range(1, 6)], initial=3, required=False
    )
    impact = forms.TypedChoiceField(
        label=_("Impact"), coerce=int, choices=[(i, i) for i in range(1, 6)], initial=3, required=False
    )
    mitigation = forms.CharField(label=_("Mitigation"), required=False)
    owner = forms.CharField(label=_("Owner"), max_length=150, required=False)

    def ask(self) -> RiskAsk | None:
        data = self.cleaned_data
        if not data or not (data.get("description") or "").strip():
            return None
        return RiskAsk(
            data["description"],
            data.get("likelihood") or 3,
            data.get("impact") or 3,
            data.get("mitigation", ""),
            data.get("owner", ""),
        )


IndicatorFormSet: type[BaseFormSet[IndicatorAskForm]] = formset_factory(IndicatorAskForm, extra=1, max_num=10)
RiskFormSet: type[BaseFormSet[RiskAskForm]] = formset_factory(RiskAskForm, extra=1, max_num=10)


def indicator_initial(proposal: Proposal) -> list[dict[str, Any]]:
    return [
        {
            "name": i.name,
            "unit_of_measure": i.unit_of_measure,
            "direction": i.direction,
            "baseline_value": i.baseline_value,
            **{f"target_{year}": Decimal(value) for year, value in i.targets.items()},
        }
        for i in proposal.indicators.all()
    ]


def risk_initial(proposal: Proposal) -> list[dict[str, Any]]:
    return [
        {
            "description": r.description,
            "likelihood": r.likelihood,
            "impact": r.impact,
            "mitigation": r.mitigation,
            "owner": r.owner,
        }
        for r in proposal.risks.all()
    ]


class ReviewForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept (with the edits below, if any)")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text=_("Needed to decline.")
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    responsible_unit = UnitChoiceField(label=_("Responsible unit"), queryset=OrgUnit.objects.none())
    lead = forms.CharField(label=_("Lead"), max_length=150, required=False)
    starts_on = MonthField(label=_("Start"), required=False)
    ends_on = MonthField(label=_("End"), required=False)
    assumptions = forms.CharField(label=_("Assumptions"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, plan: Plan, dated: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = units_of(plan.administration)  # type: ignore[attr-defined]
        if not dated:
            del self.fields["starts_on"]
            del self.fields["ends_on"]


class ProposalChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Proposal) -> str:
        return f"{obj.code} · {obj.get_kind_display()} · {obj.title} ({obj.origin.unit.name})"


class MergeForm(forms.Form):
    proposals = ProposalChoiceField(
        label=_("Proposals to merge"), queryset=Proposal.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("Title of the merged proposal"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    responsible_unit = UnitChoiceField(
        label=_("Responsible unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("Empty: the first proposal's."),
    )

    def __init__(self, *args: Any, choices: list[Proposal], plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = Proposal.objects.filter(pk__in=[p.pk for p in choices]).order_by(  # type: ignore[attr-defined]
            "position", "number"
        )
        self.fields["responsible_unit"].queryset = units_of(plan.administration)  # type: ignore[attr-defined]


class NeedForm(forms.Form):
    text = forms.CharField(label=_("What the unit needs"), widget=forms.Textarea(attrs={"rows": 3}))
    recommendation = forms.TypedChoiceField(
        label=_("Diagnostic recommendation"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, recommendations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].choices = [("", _("None")), *recommendations]  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Name a person with @username to notify them."),
    )


class ReasonForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


def submission_label(submission: Submission) -> str:
    return submission.unit.name
