"""The documents page's forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from waypoint.documents.content import PLAN_SECTIONS
from waypoint.documents.logframes import FIELDS, MappingSpec, PlanSettings, header_year
from waypoint.documents.models import DocumentFormat, LevelMode, LogframeMapping
from waypoint.org.models import OrgUnit
from waypoint.plans.models import TierTemplate


def _size_check(upload: Any) -> Any:
    limit = int(settings.WAYPOINT_PLAN_FILE_MAX_BYTES)
    if (upload.size or 0) > limit:
        raise forms.ValidationError(_("The file is larger than %(n)d MB.") % {"n": limit // (1024 * 1024)})
    return upload


class PlanDocumentForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=DocumentFormat.choices, initial=DocumentFormat.PDF)
    sections = forms.MultipleChoiceField(
        label=_("Sections"),
        choices=[(k, v) for k, v in PLAN_SECTIONS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every section the plan's data supports."),
    )
    use_template = forms.BooleanField(label=_("Through the administration's DOCX template"), required=False)


class ProgressReportForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        help_text=_("A year, or a quarter: indicators reported yearly show their value for the quarter's year."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=DocumentFormat.choices, initial=DocumentFormat.PDF)

    def __init__(self, *args: Any, periods: list[str], default: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # newest first; a year is named as one ("2014, the whole year")
        self.fields["period"].choices = [  # type: ignore[attr-defined]
            (p, _("%(year)s, the whole year") % {"year": p} if p.isdigit() else p) for p in periods
        ]
        self.fields["period"].initial = default


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(label=_("Plan workbook"), help_text=_("An XLSX plan workbook exported from Waypoint."))

    def clean_file(self) -> Any:
        return _size_check(self.cleaned_data["file"])


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label=_("DOCX template"),
        help_text=_("A Word document with placeholders where the plan's data goes, as in the example below."),
    )

    def clean_file(self) -> Any:
        return _size_check(self.cleaned_data["file"])


class ActualsTemplateForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("As the indicators are reported: 2014, 2014Q2 or 2014-05."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("The whole administration"),
        help_text=_("A unit: its rows of the indicators reported by unit."),
    )

    def __init__(self, *args: Any, units: Any, whole: bool = True, default: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.queryset = units  # type: ignore[attr-defined]
        if not whole:
            # the administration's own figures are not this person's to report: a unit is needed
            field.required = True
            field.empty_label = None  # type: ignore[attr-defined]
            field.help_text = _("One of your units: its rows of the indicators reported by unit.")
        if default is not None:
            field.initial = default.code


class ActualsUploadForm(forms.Form):
    file = forms.FileField(label=_("Filled actuals template"), help_text=_("The XLSX template, with values filled in."))

    def clean_file(self) -> Any:
        return _size_check(self.cleaned_data["file"])


class LogframeUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Logframe workbook"), help_text=_("An XLSX workbook with your logframe, in your own layout.")
    )
    mapping = forms.ModelChoiceField(
        label=_("Saved mapping"),
        queryset=LogframeMapping.objects.none(),
        required=False,
        empty_label=_("None: map the columns now"),
        help_text=_("A mapping saved from an earlier upload of the same layout."),
    )

    def __init__(self, *args: Any, mappings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mapping"].queryset = mappings  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        return _size_check(self.cleaned_data["file"])


def _lines_to_levels(text: str) -> dict[str, str]:
    levels: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        value, sep, kind = line.rpartition("=")
        if not sep or not value.strip():
            raise forms.ValidationError(
                _("Write one level a line: the value, “=”, and goal, objective, initiative or activity.")
            )
        if kind.strip().casefold() not in ("goal", "objective", "initiative", "activity"):
            raise forms.ValidationError(
                _("“%(k)s” is not a level: goal, objective, initiative or activity.") % {"k": kind.strip()}
            )
        levels[value.strip()] = kind.strip().casefold()
    return levels


def levels_to_lines(levels: dict[str, str]) -> str:
    return "\n".join(f"{value} = {kind}" for value, kind in levels.items())


class LogframeMappingForm(forms.Form):
    """Where the logframe's table is, which column holds which field, how levels are recognised,
    and the plan it becomes. The column choices are the header row's texts."""

    administration = forms.ModelChoiceField(
        label=_("Administration"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Title of the plan"), max_length=200)
    start_year = forms.IntegerField(label=_("First year"), min_value=1900, max_value=2200)
    end_year = forms.IntegerField(label=_("Last year"), min_value=1900, max_value=2200)
    currency = forms.CharField(label=_("Currency"), min_length=3, max_length=3, initial="AZN")
    sheet = forms.ChoiceField(label=_("Sheet"))
    header_row = forms.IntegerField(label=_("Header row"), min_value=1, max_value=1000, initial=1)
    level_mode = forms.ChoiceField(
        label=_("How a row's level is recognised"), choices=LevelMode.choices, widget=forms.RadioSelect
    )
    levels = forms.CharField(
        label=_("Levels of the level column"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line: a value of the level column = goal, objective, initiative or activity."),
    )
    code_in_indicator = forms.BooleanField(
        label=_("The indicator column starts with the indicator's code"), required=False
    )
    tier_template = forms.ChoiceField(label=_("Results chain"), choices=TierTemplate.choices)
    targets = forms.MultipleChoiceField(
        label=_("Target columns"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each header names its year (2014, “Target 2014” …)."),
    )
    save_as = forms.CharField(
        label=_("Save the mapping as"),
        max_length=100,
        required=False,
        help_text=_("A name, to use the mapping for the next upload (a mapping of the same name is replaced)."),
    )

    def __init__(
        self,
        *args: Any,
        administrations: Any,
        sheets: list[str],
        headers: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["administration"].queryset = administrations  # type: ignore[attr-defined]
        self.fields["sheet"].choices = [(s, s) for s in sheets]  # type: ignore[attr-defined]
        choices = [("", "—")] + [(h, h) for h in headers if h]
        for key, label in FIELDS.items():
            self.fields[f"col_{key}"] = forms.ChoiceField(label=label, choices=choices, required=False)
        self.fields["targets"].choices = [(h, h) for h in headers if h and header_year(h) is not None]  # type: ignore[attr-defined]

    def column_fields(self) -> list[Any]:
        return [self[f"col_{key}"] for key in FIELDS]

    def clean_levels(self) -> dict[str, str]:
        return _lines_to_levels(self.cleaned_data.get("levels") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_year"), data.get("end_year")
        if start is not None and end is not None and end < start:
            self.add_error("end_year", _("The last year cannot come before the first."))
        return data

    def spec(self) -> MappingSpec:
        data = self.cleaned_data
        columns: dict[str, Any] = {key: data[f"col_{key}"] for key in FIELDS if data.get(f"col_{key}")}
        if data.get("targets"):
            columns["targets"] = list(data["targets"])
        return MappingSpec(
            sheet=data["sheet"],
            header_row=data["header_row"],
            columns=columns,
            level_mode=data["level_mode"],
            levels=data["levels"],
            code_in_indicator=bool(data.get("code_in_indicator")),
            tier_template=data["tier_template"],
        )

    def settings(self) -> PlanSettings:
        data = self.cleaned_data
        return PlanSettings(
            administration=data["administration"],
            title=data["title"],
            start_year=data["start_year"],
            end_year=data["end_year"],
            currency=data["currency"].upper(),
        )
