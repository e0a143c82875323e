"""Input validation for plan pages. Field rules here; plan rules come back from services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language as get_language_code
from django.utils.translation import gettext_lazy as _

from waypoint.core.forms import MonthField, VersionedForm, add_problems
from waypoint.org.forms import UnitChoiceField
from waypoint.org.models import OrgUnit, UnitKind
from waypoint.plans import rules
from waypoint.plans.models import (
    DATED_KINDS,
    AnalysisCategory,
    AnalysisFramework,
    FundingSource,
    ImplementationStatus,
    Plan,
    PlanElement,
    PlanStatus,
    PlanTier,
    Priority,
    TierTemplate,
)
from waypoint.plans.planfile.reading import size_problem
from waypoint.plans.selectors import TreeFilters
from waypoint.plans.translations import ELEMENT_FIELDS as ELEMENT_TEXTS
from waypoint.plans.translations import PLAN_FIELDS as PLAN_TEXTS
from waypoint.plans.translations import language_name, plan_languages


def units_of(administration: OrgUnit, within: list[str] | None = None) -> Any:
    units = OrgUnit.objects.filter(path__startswith=administration.path, is_active=True).order_by("path")
    if within is not None:
        from django.db.models import Q

        condition = Q(pk__in=[])
        for path in within:
            condition |= Q(path__startswith=path)
        units = units.filter(condition)
    return units


class TranslationFields:
    """Fields for a plan's texts in each of its other languages (``tr-<language>-<field>``),
    beside the main-language fields they translate."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_translation_fields(
        self, languages: list[str], texts: dict[str, dict[str, str]], names: tuple[str, ...]
    ) -> None:
        self.translated_languages = languages
        self.translated_names = names
        for language in languages:
            for name in names:
                main = self.fields[name]
                field = forms.CharField(
                    label=_("%(field)s (%(language)s)") % {"field": main.label, "language": language_name(language)},
                    required=False,
                    max_length=getattr(main, "max_length", None),
                    widget=forms.Textarea(attrs={"rows": 2, "lang": language})
                    if isinstance(main.widget, forms.Textarea)
                    else forms.TextInput(attrs={"lang": language}),
                )
                field.initial = texts.get(language, {}).get(name, "")
                self.fields[f"tr-{language}-{name}"] = field

    def translation_groups(self) -> list[tuple[str, list[Any]]]:
        """(language name, its bound fields) for the template."""
        return [
            (language_name(language), [self[f"tr-{language}-{name}"] for name in self.translated_names])  # type: ignore[index]
            for language in self.translated_languages
        ]

    def translations(self, languages: list[str] | None = None) -> dict[str, dict[str, str]]:
        """The texts entered, by language (``languages``: those to keep, default the form's)."""
        kept = self.translated_languages if languages is None else languages
        return {
            language: {
                name: text
                for name in self.translated_names
                if (text := self.cleaned_data.get(f"tr-{language}-{name}", "").strip())
            }
            for language in kept
        }


class PlanForm(TranslationFields, VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    # the years' bounds are a plan rule (plans/rules.py); the browser gets them as a hint
    start_year = forms.IntegerField(
        label=_("First year"), widget=forms.NumberInput(attrs={"min": rules.FIRST_YEAR, "max": rules.LAST_YEAR})
    )
    end_year = forms.IntegerField(
        label=_("Last year"), widget=forms.NumberInput(attrs={"min": rules.FIRST_YEAR, "max": rules.LAST_YEAR})
    )
    tier_template = forms.ChoiceField(label=_("Results chain"), choices=TierTemplate.choices)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="AZN")
    vision = forms.CharField(label=_("Vision"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    mission = forms.CharField(label=_("Mission"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    values = forms.CharField(
        label=_("Values"), widget=forms.Textarea(attrs={"rows": 4}), required=False, help_text=_("One value per line.")
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    previous = forms.ModelChoiceField(label=_("Previous plan"), queryset=Plan.objects.none(), required=False)
    # not required: a form sent without it (an older client) keeps the plan's language
    language = forms.ChoiceField(
        label=_("Main language"), required=False, help_text=_("The language the texts above are written in.")
    )
    other_languages = forms.MultipleChoiceField(
        label=_("Also kept in"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Languages the plan's titles and texts are also written in, e.g. English for the donors."),
    )

    def __init__(
        self, *args: Any, plans: Any = None, editing: bool = False, plan: Plan | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["previous"].queryset = plans  # type: ignore[attr-defined]
        if editing:
            self.fields["tier_template"].disabled = True
        choices = [(code, language_name(code)) for code in plan_languages()]
        self.fields["language"].choices = choices  # type: ignore[attr-defined]
        reader = get_language_code()
        self.fields["language"].initial = plan.language if plan else reader if reader in plan_languages() else "en"
        self.fields["other_languages"].choices = choices  # type: ignore[attr-defined]
        kept = sorted(plan.translations) if plan else []
        self.fields["other_languages"].initial = kept
        self.add_translation_fields(kept, plan.translations if plan else {}, PLAN_TEXTS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start_year") is not None and data.get("end_year") is not None:
            add_problems(self, rules.plan_period_problems(data["start_year"], data["end_year"]))
        if data.get("currency"):
            data["currency"] = data["currency"].upper()
        data["language"] = data.get("language") or self.fields["language"].initial
        return data


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(choices=PlanStatus.choices)
    note = forms.CharField(required=False, max_length=4000)


class ElementForm(TranslationFields, VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    tier = forms.ModelChoiceField(label=_("Results tier"), queryset=PlanTier.objects.none())
    responsible_unit = UnitChoiceField(label=_("Responsible unit"), queryset=OrgUnit.objects.none())
    lead = forms.CharField(
        label=_("Lead"), max_length=150, required=False, help_text=_("The person who answers for it.")
    )
    starts_on = MonthField(label=_("Start"), required=False)
    ends_on = MonthField(label=_("End"), required=False)
    status = forms.ChoiceField(label=_("Implementation status"), choices=ImplementationStatus.choices, required=False)
    assumptions = forms.CharField(
        label=_("Assumptions"), widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text=_("One per line.")
    )

    def __init__(
        self,
        *args: Any,
        plan: Plan,
        kind: str,
        unit_paths: list[str] | None = None,
        element: PlanElement | None = None,
        status_only: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if status_only:
            # a submitted or approved plan: only how the work goes changes here
            for name in [n for n in self.fields if n not in ("status", "version")]:
                del self.fields[name]
            self.fields["status"].required = True
            return
        self.fields["tier"].queryset = plan.tiers.order_by("level")  # type: ignore[attr-defined]
        self.fields["responsible_unit"].queryset = units_of(plan.administration, unit_paths)  # type: ignore[attr-defined]
        if kind not in DATED_KINDS:
            for name in ("starts_on", "ends_on", "status"):
                del self.fields[name]
        else:
            self.fields["starts_on"].required = True
            self.fields["ends_on"].required = True
        self.add_translation_fields(sorted(plan.translations), element.translations if element else {}, ELEMENT_TEXTS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        add_problems(self, rules.date_order_problems(data.get("starts_on"), data.get("ends_on")))
        if "status" in self.fields and not data.get("status"):
            data["status"] = ImplementationStatus.NOT_STARTED
        return data


class RiskForm(forms.Form):
    description = forms.CharField(label=_("Risk"), widget=forms.Textarea(attrs={"rows": 2}))
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), coerce=int, choices=[(i, str(i)) for i in range(1, 6)])
    impact = forms.TypedChoiceField(label=_("Impact"), coerce=int, choices=[(i, str(i)) for i in range(1, 6)])
    mitigation = forms.CharField(label=_("Mitigation"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner = forms.CharField(label=_("Owner"), max_length=150, required=False)


class BudgetLineForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    funding_source = forms.ModelChoiceField(label=_("Funding source"), queryset=FundingSource.objects.none())
    # the amount's limits are a plan rule (plans/rules.py), checked in clean_amount
    amount = forms.DecimalField(label=_("Amount"), widget=forms.NumberInput(attrs={"step": "0.01"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in plan.years]  # type: ignore[attr-defined]
        self.fields["funding_source"].queryset = FundingSource.objects.filter(administration=plan.administration)  # type: ignore[attr-defined]

    def clean_amount(self) -> Any:
        amount = self.cleaned_data["amount"]
        problems = rules.budget_amount_problems(amount)
        if problems:
            raise forms.ValidationError([p.message for p in problems])
        return amount


class ObjectiveChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: PlanElement) -> str:
        return f"{obj.code} {obj.title}"


class AnalysisItemForm(forms.Form):
    framework = forms.ChoiceField(label=_("Framework"), choices=AnalysisFramework.choices)
    category = forms.ChoiceField(label=_("Category"), choices=AnalysisCategory.choices)
    text = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 3}))
    objectives = ObjectiveChoices(
        label=_("Objectives that answer it"), queryset=PlanElement.objects.none(), required=False
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objectives"].queryset = plan.elements.filter(kind="objective").order_by("code")  # type: ignore[attr-defined]


class FunctionForm(forms.Form):
    name = forms.CharField(label=_("Function"), max_length=150)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    objectives = ObjectiveChoices(
        label=_("Objectives that serve it"), queryset=PlanElement.objects.none(), required=False
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objectives"].queryset = plan.elements.filter(kind="objective").order_by("code")  # type: ignore[attr-defined]


class TreeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False, to_field_name="code")
    tier = forms.ModelChoiceField(label=_("Tier"), queryset=PlanTier.objects.none(), required=False)
    health = forms.ChoiceField(
        label=_("Health"),
        required=False,
        choices=[
            ("", _("Any health")),
            ("on_track", _("On track")),
            ("at_risk", _("At risk")),
            ("off_track", _("Off track")),
            ("no_data", _("No data")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Implementation"), required=False, choices=[("", _("Any status")), *ImplementationStatus.choices]
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of(plan.administration).exclude(kind=UnitKind.ADMINISTRATION)  # type: ignore[attr-defined]
        self.fields["unit"].empty_label = _("Any unit")  # type: ignore[attr-defined]
        self.fields["tier"].queryset = plan.tiers.order_by("level")  # type: ignore[attr-defined]
        self.fields["tier"].empty_label = _("Any tier")  # type: ignore[attr-defined]

    def filters(self) -> TreeFilters:
        """What a valid form asks the tree for."""
        data = self.cleaned_data
        return TreeFilters(
            search=data.get("q") or "",
            unit_path=data["unit"].path if data.get("unit") else None,
            tier_id=data["tier"].pk if data.get("tier") else None,
            health=data.get("health") or None,
            status=data.get("status") or None,
        )


class PlanImportForm(forms.Form):
    file = forms.FileField(label=_("Plan file"), help_text=_("A JSON plan file exported from Waypoint."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        problem = size_problem(upload.size or 0)  # asked before the upload is read
        if problem is not None:
            raise forms.ValidationError(problem.message)
        return upload
