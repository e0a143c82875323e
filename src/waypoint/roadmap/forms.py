"""Input validation for roadmap pages. Field rules here; roadmap rules come back from services."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from waypoint.core.forms import MonthField, VersionedForm
from waypoint.org.forms import UnitChoiceField
from waypoint.plans.forms import units_of
from waypoint.plans.models import DATED_KINDS, FundingSource, Plan, PlanElement
from waypoint.roadmap.models import LinkKind, Objective, Team

TIME_LIMITS = [
    (10, _("10 seconds (quick look)")),
    (30, _("30 seconds")),
    (60, _("1 minute")),
    (180, _("3 minutes")),
    (600, _("10 minutes")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    objective = forms.ChoiceField(label=_("Objective"), choices=Objective.choices)
    time_limit_s = forms.TypedChoiceField(label=_("Search time"), choices=TIME_LIMITS, coerce=int, initial=30)
    replan_from = MonthField(
        label=_("Re-plan from"),
        required=False,
        help_text=_(
            "Leave empty to plan from the start. With a month, recorded actual dates are kept and the rest is re-optimised."
        ),
    )


class RenameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)


class TeamForm(VersionedForm):
    code = forms.SlugField(label=_("Code"), max_length=20, help_text=_("Short, e.g. IT or TRAIN."))
    name = forms.CharField(label=_("Name"), max_length=120)
    unit = UnitChoiceField(label=_("Unit"), queryset=None, required=False)
    capacity = forms.IntegerField(label=_("People"), min_value=0, max_value=10000)
    changes = forms.CharField(
        label=_("Changes over time"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2014-01: 8"}),
        help_text=_("One line per change: the month and the number of people from then on, e.g. 2014-01: 8."),
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of(plan.administration)  # type: ignore[attr-defined]

    def clean_changes(self) -> list[tuple[dt.date, int]]:
        changes = []
        errors = []
        for number, line in enumerate(str(self.cleaned_data["changes"]).splitlines(), start=1):
            if not line.strip():
                continue
            match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*[:=]\s*(\d+)\s*", line)
            if not match or not 1 <= int(match.group(2)) <= 12:
                errors.append(_("Line %(n)d: write YYYY-MM: people, e.g. 2014-01: 8.") % {"n": number})
                continue
            changes.append((dt.date(int(match.group(1)), int(match.group(2)), 1), int(match.group(3))))
        if errors:
            raise ValidationError(errors)
        return changes


class ItemForm(VersionedForm):
    duration_months = forms.IntegerField(label=_("Duration (months)"), min_value=1, max_value=120)
    weight = forms.TypedChoiceField(
        label=_("Priority"),
        coerce=int,
        choices=[(5, _("5 — highest")), (4, "4"), (3, _("3 — normal")), (2, "2"), (1, _("1 — lowest"))],
        initial=3,
    )
    release_on = MonthField(label=_("Not before"), required=False, help_text=_("e.g. when donor money arrives"))
    deadline_on = MonthField(label=_("Finish by (month)"), required=False)
    pinned = forms.BooleanField(label=_("Pinned: keep the planned start"), required=False)
    actual_start = forms.DateField(label=_("Actual start"), required=False, widget=DateInput)
    actual_finish = forms.DateField(label=_("Actual finish"), required=False, widget=DateInput)

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = teams
        for team in teams:
            self.fields[f"team_{team.code}"] = forms.IntegerField(
                label=team.name, min_value=0, max_value=10000, required=False, help_text=_("people")
            )

    def clean_deadline_on(self) -> dt.date | None:
        """A deadline month means the end of that month."""
        day: dt.date | None = self.cleaned_data.get("deadline_on")
        if day is None:
            return None
        following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    def team_fields(self) -> list[forms.BoundField]:
        return [self[f"team_{team.code}"] for team in self.teams]

    def demands(self) -> dict[Team, int]:
        return {team: int(self.cleaned_data.get(f"team_{team.code}") or 0) for team in self.teams}


class DependencyForm(forms.Form):
    before = forms.ModelChoiceField(label=_("Waits for"), queryset=PlanElement.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=LinkKind.choices, initial=LinkKind.FINISH_TO_START)
    lag_months = forms.IntegerField(label=_("Lag (months)"), initial=0, min_value=-60, max_value=60)

    def __init__(self, *args: Any, element: PlanElement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["before"]
        field.queryset = (  # type: ignore[attr-defined]
            PlanElement.objects.filter(plan=element.plan, kind__in=DATED_KINDS).exclude(pk=element.pk).order_by("code")
        )
        field.label_from_instance = lambda e: f"{e.code} {e.title}"  # type: ignore[attr-defined]


class CapsForm(forms.Form):
    """One field per funding source and year: the most that may be spent (empty: no cap)."""

    def __init__(
        self,
        *args: Any,
        plan: Plan,
        sources: list[FundingSource],
        initial_caps: dict[tuple[int, int], Decimal],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.sources = sources
        self.years = list(range(plan.start_year, plan.end_year + 1))
        for source in sources:
            for year in self.years:
                self.fields[f"cap_{source.pk}_{year}"] = forms.DecimalField(
                    label=f"{source.name} {year}",
                    required=False,
                    min_value=Decimal(0),
                    max_digits=16,
                    decimal_places=0,
                    initial=initial_caps.get((source.pk, year)),
                )

    def grid(self) -> list[tuple[FundingSource, list[forms.BoundField]]]:
        return [(source, [self[f"cap_{source.pk}_{year}"] for year in self.years]) for source in self.sources]

    def caps(self) -> dict[tuple[FundingSource, int], Decimal | None]:
        return {
            (source, year): self.cleaned_data.get(f"cap_{source.pk}_{year}")
            for source in self.sources
            for year in self.years
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("MS Project XML file"), help_text=_("Saved from MS Project or ProjectLibre as XML (MSPDI).")
    )
    name = forms.CharField(label=_("Scenario name"), max_length=120, initial=_("Imported from MS Project"))

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 20 MB."))
        data: bytes = upload.read()
        return data
