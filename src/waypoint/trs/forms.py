"""Forms of the Time Release Study pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from waypoint.engine.timezones import time_zone_names
from waypoint.engine.trs.model import DEFAULT_MILESTONES
from waypoint.trs.labels import milestone_label
from waypoint.trs.models import Dataset, DatasetStatus, Statistic

# lazy: the labels are read in the language of each request, not the one active at import
MILESTONE_CHOICES = [(m, lazy(milestone_label, str)(m)) for m in DEFAULT_MILESTONES]


class _DataForm(forms.Form):
    """What every way of adding data asks: the time zone the declarations were recorded in."""

    time_zone = forms.ChoiceField(
        label=_("Time zone of the data"),
        # left out, the administration's time zone applies
        required=False,
        help_text=_(
            "Where the times were recorded. Times written without an offset are read in it, and hours, "
            "days and periods are counted in it."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(name, name) for name in time_zone_names()]  # type: ignore[attr-defined]


class UploadForm(_DataForm):
    name = forms.CharField(label=_("Name"), max_length=150, help_text=_("e.g. Road border posts, 2014"))
    file = forms.FileField(
        label=_("File"), help_text=_("Parquet, CSV or XLSX in the long or wide form (see the file contract).")
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ("name", "file", "time_zone", "description")


class RegisterForm(_DataForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    server_path = forms.CharField(
        label=_("Path on the server"), max_length=500, help_text=_("Relative to the TRS data directory.")
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ("name", "server_path", "time_zone", "description")


def parse_filters(text: str) -> dict[str, str]:
    """``office=BP-AST, mode=road`` → {"office": "BP-AST", "mode": "road"}."""
    filters: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if "=" not in part:
            raise ValidationError(
                _("Write each filter as dimension=value, e.g. mode=road (%(part)s).") % {"part": part}
            )
        name, value = (x.strip() for x in part.split("=", 1))
        filters[name] = value
    return filters


class BindingForm(forms.Form):
    dataset = forms.ModelChoiceField(label=_("Dataset"), queryset=Dataset.objects.none())
    statistic = forms.ChoiceField(label=_("Statistic"), choices=Statistic.choices)
    start_milestone = forms.ChoiceField(label=_("From"), choices=MILESTONE_CHOICES, initial="arrival")
    end_milestone = forms.ChoiceField(label=_("To"), choices=MILESTONE_CHOICES, initial="release")
    filters = forms.CharField(
        label=_("Only declarations with"), required=False, help_text=_("e.g. mode=road, channel=green (empty: all)")
    )
    target_hours = forms.DecimalField(label=_("Target time (hours)"), required=False, min_value=0, decimal_places=2)

    def __init__(self, *args: Any, administration_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = Dataset.objects.filter(  # type: ignore[attr-defined]
            administration_id=administration_id, status=DatasetStatus.READY
        )

    def clean_filters(self) -> dict[str, str]:
        return parse_filters(str(self.cleaned_data.get("filters") or ""))
