"""Input for the People page: a new person with a first role, another role for somebody."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waypoint.org.models import Role


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{'· ' * obj.depth}{obj.name} ({obj.code})"


class GrantForm(forms.Form):
    # no role is preselected: giving somebody "administrator" by a slip is too easy otherwise
    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *Role.choices])
    unit = UnitChoiceField(
        label=_("At unit"),
        queryset=None,
        help_text=_("Contributors act on this unit's subtree; every other role on the whole administration."),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class PersonForm(GrantForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    password = forms.CharField(
        label=_("First password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("At least 10 characters; tell it to the person, who should change it."),
    )

    field_order = ["username", "first_name", "last_name", "email", "job_title", "password", "role", "unit"]
