"""Input of the organisation's pages (people, roles, units), and the choice of administration
that forms of other apps offer to somebody who plans for several."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.translation import gettext_lazy as _

from waypoint.org.models import OrgUnit, Role, UnitKind
from waypoint.org.selectors import in_tree_order

#: one step of indentation in a unit's label (no-break spaces, which a drop-down keeps)
INDENT = "\u00a0" * 4


def unit_label(unit: OrgUnit) -> str:
    return f"{unit.name} ({unit.code})"


def tree_labels(units: Iterable[OrgUnit]) -> list[tuple[OrgUnit, str]]:
    """Each unit with its label in a drop-down: in tree order, indented below its parent
    (from the shallowest of them)."""
    ordered = in_tree_order(units)
    top = min((unit.depth for unit in ordered), default=0)
    return [(unit, INDENT * (unit.depth - top) + unit_label(unit)) for unit in ordered]


class UnitChoiceIterator(ModelChoiceIterator):  # type: ignore[type-arg]
    """The units in tree order, each indented below its parent."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for unit, label in tree_labels(self.queryset):
            yield (ModelChoiceIteratorValue(self.field.prepare_value(unit), unit), label)


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """The choice of a unit, wherever one is chosen: the units as the tree reads, indented,
    with their codes."""

    iterator = UnitChoiceIterator

    def label_from_instance(self, obj: Any) -> str:
        return unit_label(obj)


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


class UnitForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("Capital letters, digits and dashes, e.g. BP-AST. Codes are stable."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Type"), choices=[(v, label) for v, label in UnitKind.choices if v != UnitKind.ADMINISTRATION]
    )
    parent = UnitChoiceField(label=_("Parent unit"), queryset=None)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    position = forms.IntegerField(label=_("Position among its siblings"), min_value=0, initial=0)
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("A closed unit keeps its history but grants no role."),
    )

    def __init__(self, *args: Any, units: Any, root: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = units  # type: ignore[attr-defined]
        if root:  # an administration stays at the top, an administration, and open (closing it
            # would shut out everybody in it, its administrators first: the platform's call)
            del self.fields["parent"]
            del self.fields["kind"]
            del self.fields["is_active"]


def offer_administrations(form: forms.Form, administrations: Sequence[OrgUnit]) -> None:
    """Let somebody who plans for several administrations say which one a new record belongs
    to: a required choice, first on the form, added only when there is more than one (a
    planner of one administration sees no such field). Read the answer with
    :func:`chosen_administration`."""
    if len(administrations) < 2:
        return
    field = forms.ModelChoiceField(
        label=_("Administration"),
        queryset=OrgUnit.objects.filter(pk__in=[unit.pk for unit in administrations]).order_by("name"),
        help_text=_("You plan for several administrations: which one is this for?"),
    )
    form.fields = {"administration": field, **form.fields}


def chosen_administration(form: forms.Form, administrations: Sequence[OrgUnit]) -> OrgUnit:
    """The administration a valid form is for: the one chosen, or the only one offered."""
    chosen: OrgUnit | None = form.cleaned_data.get("administration")
    return chosen if chosen is not None else administrations[0]
