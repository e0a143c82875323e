"""Form building blocks shared by every app."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from waypoint.core.errors import ApplicationError, EditConflict, InvalidInput, Problem


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month written as 2013-06 (the browser's month picker), stored as a date."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": _("Write the month as YYYY-MM, e.g. 2013-06.")}


class VersionedForm(forms.Form):
    """Carries the version the user started from, so a concurrent save can be detected."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def add_problems(form: forms.Form, problems: Iterable[Problem]) -> None:
    """Put broken rules on the form: each problem on its field, the rest on top.

    Forms call the same rule functions as the services (``<app>/rules.py``), so a page says
    what the API and the plan file say."""
    for problem in problems:
        field = problem.location if problem.location in form.fields else None
        form.add_error(field, ValidationError(problem.message))


def apply_error(form: forms.Form, error: ApplicationError) -> None:
    """Put a service's error on the form: each problem on its field, the rest on top."""
    if isinstance(error, InvalidInput) and error.problems:
        add_problems(form, error.problems)
        return
    form.add_error(None, ValidationError(error.message))


def conflict_context(form: forms.Form, error: EditConflict) -> dict[str, Any]:
    """Keep the user's text, show what is stored now, and let the next save go through."""
    data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict when bound to a request
    data["version"] = str(error.current_version)
    form.data = data
    form.add_error(None, ValidationError(error.message))
    labels = {name: field.label for name, field in form.fields.items()}
    rows = []
    for name, value in error.current.items():
        if name in form.fields and name != "version":
            rows.append({"label": labels.get(name) or name, "stored": value, "yours": form.data.get(name, "")})
    return {"conflict": rows}


def plain_decimal(value: Any) -> Any:
    """4.2000 → 4.2 for display in a form field (values are stored with four places)."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return Decimal(text)
    return value
