"""Input for the people side's pages: field checks here; the rules that need the framework or
stored rows come back from the services (``core.views.submit`` puts them on the fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waypoint.core.forms import VersionedForm
from waypoint.engine.training.framework import CompetencyFramework as Framework
from waypoint.org.forms import UnitChoiceField
from waypoint.org.models import OrgUnit, UnitKind, User
from waypoint.people.importing import Kind
from waypoint.people.models import (
    AssessmentRound,
    CompetencyFramework,
    Course,
    Measure,
    Provider,
    RoleProfile,
    Source,
)
from waypoint.plans.forms import units_of
from waypoint.plans.models import ElementKind, Plan, PlanElement, PlanFunction


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FileForm(forms.Form):
    file = forms.FileField(label=_("File"))


class FrameworkImportForm(FileForm):
    file = forms.FileField(label=_("Framework file (YAML or JSON)"))


def _level_choices(framework: Framework, code: str, *, blank: str) -> list[tuple[str, str]]:
    competency = framework.competency(code)
    assert competency is not None
    return [("", blank), *((str(level.value), f"{level.value} · {level.label}") for level in competency.scale.levels)]


class LevelsMixin:
    """One select per competency of the framework (the level required, or reached), named
    ``level__<code>``; ``levels()`` reads them back."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_levels(self, framework: Framework, initial: dict[str, int], blank: str) -> None:
        for competency in framework.competencies:
            self.fields[f"level__{competency.code}"] = forms.TypedChoiceField(
                label=f"{competency.code} {competency.name}",
                choices=_level_choices(framework, competency.code, blank=blank),
                coerce=int,
                empty_value=None,
                required=False,
                initial=str(initial[competency.code]) if competency.code in initial else "",
            )

    def levels(self) -> dict[str, int]:
        return {
            name.removeprefix("level__"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("level__") and value
        }

    def level_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("level__")]  # type: ignore[index]


class RoleProfileForm(LevelsMixin, VersionedForm):
    code = forms.CharField(label=_("Code"), max_length=32, help_text=_("Short and stable, e.g. BP-INSP."))
    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    education_level = forms.ChoiceField(label=_("Education required"), required=False)
    education_fields = forms.MultipleChoiceField(
        label=_("Fields of study accepted"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any field."),
    )

    def __init__(
        self,
        *args: Any,
        administration: OrgUnit,
        framework: Framework | None,
        profile: RoleProfile | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if framework is not None:
            self.fields["education_level"].choices = [("", _("None required"))] + [  # type: ignore[attr-defined]
                (e.code, e.name) for e in framework.education_levels
            ]
            self.fields["education_fields"].choices = [(e.code, e.name) for e in framework.education_fields]  # type: ignore[attr-defined]
            self.add_levels(framework, dict(profile.requirements) if profile else {}, str(_("Not required")))


class NeedForm(forms.Form):
    function = forms.ModelChoiceField(label=_("Function"), queryset=PlanFunction.objects.none())
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    role_profile = forms.ModelChoiceField(label=_("Role profile"), queryset=RoleProfile.objects.none())
    headcount = forms.IntegerField(label=_("Officers needed"), min_value=0, max_value=100_000)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["function"].queryset = PlanFunction.objects.filter(plan=plan)  # type: ignore[attr-defined]
        self.fields["year"].choices = [(y, str(y)) for y in plan.years]  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units_of(plan.administration)  # type: ignore[attr-defined]
        self.fields["role_profile"].queryset = RoleProfile.objects.filter(administration=plan.administration)  # type: ignore[attr-defined]


class OfficerForm(VersionedForm):
    staff_number = forms.CharField(label=_("Staff number"), max_length=32, help_text=_("Pseudonymous; no names."))
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    role_profile = forms.ModelChoiceField(label=_("Role profile"), queryset=RoleProfile.objects.none(), required=False)
    education_level = forms.CharField(label=_("Education (code)"), max_length=40, required=False)
    education_field = forms.CharField(label=_("Field of study (code)"), max_length=40, required=False)
    entry_date = forms.DateField(label=_("Entry date"), required=False, widget=DateInput())
    is_active = forms.BooleanField(label=_("In service"), required=False, initial=True)
    user = forms.ModelChoiceField(
        label=_("Account"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("The officer's own account, so that they can read and export their record."),
    )

    def __init__(self, *args: Any, administration: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of(administration)  # type: ignore[attr-defined]
        self.fields["role_profile"].queryset = RoleProfile.objects.filter(administration=administration)  # type: ignore[attr-defined]
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(role_assignments__unit__path__startswith=administration.path)
            .distinct()
            .order_by("username")
        )


class AssessForm(forms.Form):
    competency = forms.ChoiceField(label=_("Competency"))
    level = forms.TypedChoiceField(label=_("Level"), coerce=int)
    source = forms.ChoiceField(label=_("Assessed by"), choices=Source.choices)
    assessed_on = forms.DateField(label=_("Date"), widget=DateInput())
    round = forms.ModelChoiceField(label=_("Round"), queryset=AssessmentRound.objects.none(), required=False)

    def __init__(
        self, *args: Any, framework: Framework, sources: list[str], administration: OrgUnit, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [(c.code, f"{c.code} {c.name}") for c in framework.competencies]  # type: ignore[attr-defined]
        values = sorted({level.value for c in framework.competencies for level in c.scale.levels})
        self.fields["level"].choices = [(v, str(v)) for v in values]  # type: ignore[attr-defined]
        self.fields["source"].choices = [(v, label) for v, label in Source.choices if v in sources]  # type: ignore[attr-defined]
        self.fields["round"].queryset = AssessmentRound.objects.filter(administration=administration)  # type: ignore[attr-defined]


#: the kinds of HR file, in words
IMPORT_KINDS = [
    (Kind.OFFICERS, _("Officers")),
    (Kind.ASSESSMENTS, _("Assessments")),
    (Kind.TRAINING, _("Training records")),
]


class ImportForm(FileForm):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=IMPORT_KINDS)
    round = forms.ModelChoiceField(
        label=_("Assessment round"),
        queryset=AssessmentRound.objects.none(),
        required=False,
        help_text=_("For assessments: the round they belong to."),
    )
    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def __init__(self, *args: Any, administration: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = AssessmentRound.objects.filter(administration=administration)  # type: ignore[attr-defined]


class RoundForm(forms.Form):
    framework = forms.ModelChoiceField(label=_("Framework"), queryset=CompetencyFramework.objects.none())
    code = forms.CharField(label=_("Code"), max_length=32, help_text=_("Short, e.g. 2013."))
    name = forms.CharField(label=_("Name"), max_length=150)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args: Any, administration: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = CompetencyFramework.objects.filter(administration=administration)  # type: ignore[attr-defined]


class CourseForm(LevelsMixin, VersionedForm):
    code = forms.CharField(label=_("Code"), max_length=32)
    title = forms.CharField(label=_("Title"), max_length=200)
    provider_kind = forms.ChoiceField(label=_("Provider"), choices=Provider.choices)
    provider = forms.CharField(label=_("Provider's name"), max_length=150, required=False)
    duration_hours = forms.IntegerField(label=_("Duration (hours)"), min_value=1, max_value=10_000)
    cost = forms.DecimalField(label=_("Cost per participant"), min_value=0, max_digits=12, decimal_places=2)
    seats = forms.IntegerField(label=_("Seats per session"), min_value=1, max_value=10_000, initial=20)
    initiative = forms.ModelChoiceField(
        label=_("Plan initiative"),
        queryset=PlanElement.objects.none(),
        required=False,
        help_text=_("The initiative of the plan whose part of the training plan this course is."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self,
        *args: Any,
        administration: OrgUnit,
        framework: Framework | None,
        course: Course | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = PlanElement.objects.filter(  # type: ignore[attr-defined]
            plan__administration=administration, kind=ElementKind.INITIATIVE
        ).select_related("plan")
        if framework is not None:
            self.add_levels(framework, dict(course.outcomes) if course else {}, str(_("Not addressed")))


class SessionForm(forms.Form):
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends"), widget=DateInput())
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=10_000)
    location = forms.CharField(label=_("Location"), max_length=150, required=False)


class RunForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    budget = forms.DecimalField(
        label=_("Training budget"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("Proposed: the budget lines of the initiatives the courses belong to, for that year."),
    )
    max_away_percent = forms.IntegerField(
        label=_("Most of a unit in training at once (%)"), min_value=0, max_value=100, initial=20
    )
    time_limit_s = forms.TypedChoiceField(
        label=_("Search time"),
        coerce=int,
        initial=60,
        choices=[
            (10, _("10 seconds")),
            (30, _("30 seconds")),
            (60, _("1 minute")),
            (180, _("3 minutes")),
            (600, _("10 minutes")),
        ],
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in plan.years]  # type: ignore[attr-defined]


class BindingForm(forms.Form):
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices)
    competencies = forms.MultipleChoiceField(
        label=_("Competencies"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Courses that develop, or requirements on, these competencies; none ticked: all."),
    )
    unit_kinds = forms.MultipleChoiceField(
        label=_("Kinds of unit"),
        required=False,
        choices=UnitKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only officers of these kinds of unit; none ticked: all."),
    )

    def __init__(self, *args: Any, competencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competencies"].choices = competencies  # type: ignore[attr-defined]
