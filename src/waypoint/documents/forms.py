"""The documents page's forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from waypoint.documents.content import PLAN_SECTIONS
from waypoint.documents.models import DocumentFormat
from waypoint.org.models import OrgUnit


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
        label=_("DOCX template"), help_text=_("A Word document with placeholders such as {{ plan.title }}.")
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
