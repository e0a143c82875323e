"""Input validation for diagnostics pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from waypoint.core.forms import VersionedForm
from waypoint.diagnostics.models import AssessmentKind, Framework
from waypoint.engine.diagnostics.framework import MAX_BYTES
from waypoint.engine.diagnostics.framework import Framework as FrameworkModel
from waypoint.plans.models import Plan, PlanElement, Priority

#: a framework file is a few hundred kilobytes at most; anything bigger is a mistake (the
#: engine refuses it too, whichever way it comes in)
MAX_FRAMEWORK_BYTES = MAX_BYTES


class FrameworkImportForm(forms.Form):
    file = forms.FileField(label=_("Framework file"), help_text=_("YAML or JSON (format waypoint-framework)."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FRAMEWORK_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB; a framework is much smaller."))
        return upload


class AssessmentForm(VersionedForm):
    framework = forms.ModelChoiceField(queryset=Framework.objects.all(), label=_("Framework"))
    reference = forms.CharField(label=_("Reference"), max_length=40, help_text=_("Short and stable: e.g. DIAG-2007."))
    title = forms.CharField(label=_("Title"), max_length=200)
    assessed_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=AssessmentKind.choices)
    assessors = forms.CharField(label=_("Assessors"), max_length=300, required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    plans = forms.ModelMultipleChoiceField(
        queryset=Plan.objects.none(),
        label=_("Answered by plans"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Plans whose objectives and initiatives must answer the recommendations."),
    )

    def __init__(self, *args: Any, plans: Any, editing: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plans"].queryset = plans  # type: ignore[attr-defined]
        if editing:  # ratings refer to the framework's criteria: it cannot change afterwards
            del self.fields["framework"]


class RecommendationForm(VersionedForm):
    area = forms.ChoiceField(label=_("Area"))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.MEDIUM)
    finding = forms.CharField(
        label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text=_("What was found.")
    )
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))
    elements = forms.ModelMultipleChoiceField(
        queryset=PlanElement.objects.none(),
        label=_("Addressed by"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Objectives and initiatives of the plans that answer this assessment."),
    )

    def __init__(self, *args: Any, framework: FrameworkModel, elements: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.code, f"{a.code} — {a.name}") for a in framework.areas]  # type: ignore[attr-defined]
        field = self.fields["elements"]
        field.queryset = elements  # type: ignore[attr-defined]
        # newest plan first, then tree order (O1.1, I1.1.1, I1.1.2, O1.2 …); the plan's years
        # only when several plans answer the assessment, since codes repeat between plans
        rows = sorted(elements, key=lambda e: (-e.plan.start_year, [int(n) for n in e.code[1:].split(".")]))
        several = len({e.plan_id for e in rows}) > 1
        field.choices = [  # type: ignore[attr-defined]
            (e.pk, f"{e.plan.start_year}–{e.plan.end_year} · {e.code} {e.title}" if several else f"{e.code} {e.title}")
            for e in rows
        ]


class RatingsForm(VersionedForm):
    """The criteria of one area: a current and a target level, evidence and a comment each."""

    def __init__(self, *args: Any, framework: FrameworkModel, area_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = [("", "—")] + [(lv.value, f"{lv.value} · {gettext(lv.label)}") for lv in framework.scale.levels]
        area = next(a for a in framework.areas if a.code == area_code)
        self.criteria = list(area.criteria)
        for criterion in self.criteria:
            code = criterion.code
            self.fields[f"{code}-current"] = forms.ChoiceField(label=_("Current"), choices=levels, required=False)
            self.fields[f"{code}-target"] = forms.ChoiceField(label=_("Target"), choices=levels, required=False)
            self.fields[f"{code}-evidence"] = forms.CharField(
                label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False
            )
            self.fields[f"{code}-comment"] = forms.CharField(
                label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
            )
            self.fields[f"{code}-assessor"] = forms.CharField(label=_("Assessor"), max_length=150, required=False)

    def rows(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            c.code: {
                key: data.get(f"{c.code}-{key}") or ""
                for key in ("current", "target", "evidence", "comment", "assessor")
            }
            for c in self.criteria
        }
