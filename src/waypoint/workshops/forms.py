"""Input for workshop pages. Forms check what a form can; the services apply the rules
(``rules.py``) and ``core.views.submit`` puts their problems back on the fields."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from waypoint.core.forms import MonthField, VersionedForm
from waypoint.org.models import User
from waypoint.plans.models import AnalysisCategory, Plan
from waypoint.workshops.models import ExerciseKind
from waypoint.workshops.rules import GUEST_NAME_LENGTH, NOTE_LENGTH

#: board layouts a facilitator starts from; keys of SWOT and PESTLE columns are the plan's
#: analysis categories, so that their notes go into the environmental scan as they are
BOARD_LAYOUTS: dict[str, tuple[Any, list[tuple[str, Any]]]] = {
    "swot": (
        _("SWOT"),
        [
            ("strength", _("Strengths")),
            ("weakness", _("Weaknesses")),
            ("opportunity", _("Opportunities")),
            ("threat", _("Threats")),
        ],
    ),
    "pestle": (
        _("PESTLE"),
        [
            ("political", _("Political")),
            ("economic", _("Economic")),
            ("social", _("Social")),
            ("technological", _("Technological")),
            ("legal", _("Legal")),
            ("environmental", _("Environmental")),
        ],
    ),
    "problems": (_("Problems and causes"), [("problem", _("Problems")), ("cause", _("Causes"))]),
    "ideas": (_("Ideas"), [("idea", _("Ideas"))]),
    "good_plan": (
        _("What a good plan needs"),
        [("needs", _("A good plan needs…")), ("avoid", _("A good plan avoids…"))],
    ),
}
CUSTOM = "custom"


def layout_columns(layout: str, custom: str) -> list[dict[str, str]]:
    if layout in BOARD_LAYOUTS:
        return [{"key": key, "label": str(label)} for key, label in BOARD_LAYOUTS[layout][1]]
    labels = [" ".join(line.split()) for line in custom.splitlines() if line.strip()]
    return [{"key": f"c{i}", "label": label[:60]} for i, label in enumerate(labels, start=1)]


def layout_of(columns: list[dict[str, str]]) -> tuple[str, str]:
    keys = [c["key"] for c in columns]
    for name, (_label, cols) in BOARD_LAYOUTS.items():
        if keys == [key for key, _l in cols]:
            return name, ""
    return CUSTOM, "\n".join(c["label"] for c in columns)


class WorkshopForm(VersionedForm):
    plan: forms.ModelChoiceField[Plan] = forms.ModelChoiceField(
        queryset=Plan.objects.none(), label=_("Plan"), help_text=_("Its results go into this plan.")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    facilitators = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("Facilitators"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They run the room with you: the agenda, opening and closing, clusters."),
    )

    def __init__(self, *args: Any, plans: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans  # type: ignore[attr-defined]
        self.fields["facilitators"].queryset = people  # type: ignore[attr-defined]


class ExerciseForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ExerciseKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    prompt = forms.CharField(label=_("Question to the room"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    layout = forms.ChoiceField(
        label=_("Board columns"),
        choices=[(key, label) for key, (label, _cols) in BOARD_LAYOUTS.items()] + [(CUSTOM, _("My own columns"))],
        initial="swot",
        required=False,
    )
    custom_columns = forms.CharField(
        label=_("My own columns"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One column per line (with “My own columns”)."),
    )
    options = forms.CharField(
        label=_("Options"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("One per line. Or make them from a board's clusters, or from the plan's functions, afterwards."),
    )
    criteria = forms.CharField(
        label=_("Criteria"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        # the example's words are the ones the line is read with (_more, _less, _axis_word)
        help_text=_(
            "Scoring: one per line as name; weight; more or less is better; axis — e.g. "
            "“Impact; 3; more; impact” or “Cost; 1; less; effort”."
        ),
    )
    dots_per_person = forms.IntegerField(label=_("Dots per person"), initial=5, required=False)
    anonymous = forms.BooleanField(label=_("Anonymous votes"), required=False)
    scale_low = forms.IntegerField(label=_("Lowest score"), initial=1, required=False)
    scale_high = forms.IntegerField(label=_("Highest score"), initial=5, required=False)

    def clean_criteria(self) -> list[dict[str, Any]]:
        rows = []
        for number, line in enumerate(self.cleaned_data.get("criteria", "").splitlines(), start=1):
            if not line.strip():
                continue
            # an Arabic keyboard types its own semicolon
            parts = [p.strip() for p in re.split("[;\u061b]", line)]
            name = parts[0]
            try:
                weight = int(parts[1]) if len(parts) > 1 and parts[1] else 1
            except ValueError as error:
                raise forms.ValidationError(_("Line %(n)d: the weight is a whole number.") % {"n": number}) from error
            direction = parts[2].lower() if len(parts) > 2 and parts[2] else "more"
            axis = parts[3].lower() if len(parts) > 3 else ""
            # a word not understood is said, not taken for "more is better" or no axis
            if not direction.startswith((*_lower_words(), *_higher_words())):
                raise forms.ValidationError(_unknown_word(number, direction, (_more(), _less())))
            if axis and axis not in _axes():
                raise forms.ValidationError(_unknown_word(number, axis, (_axis_word("impact"), _axis_word("effort"))))
            rows.append(
                {
                    "name": name,
                    "weight": weight,
                    "direction": "lower" if direction.startswith(_lower_words()) else "higher",
                    "axis": _axes().get(axis, ""),
                }
            )
        return rows


# The words of a criterion's line in the reader's language (the English ones are read in every
# language too, so a line copied from the help of another language still reads)
def _more() -> str:
    return pgettext("scoring criterion: more is better", "more")


def _less() -> str:
    return pgettext("scoring criterion: less is better", "less")


def _axis_word(axis: str) -> str:
    if axis == "impact":
        return pgettext("scoring criterion's axis", "impact")
    if axis == "effort":
        return pgettext("scoring criterion's axis", "effort")
    return ""


def _lower_words() -> tuple[str, ...]:
    return ("less", "lower", _less().lower())


def _higher_words() -> tuple[str, ...]:
    return ("more", "higher", _more().lower())


def _unknown_word(number: int, word: str, words: tuple[str, str]) -> str:
    return _("Line %(n)d: “%(word)s” is not understood here; write “%(first)s” or “%(second)s”.") % {
        "n": number,
        "word": word,
        "first": words[0],
        "second": words[1],
    }


def _axes() -> dict[str, str]:
    return {
        "impact": "impact",
        "effort": "effort",
        _axis_word("impact").lower(): "impact",
        _axis_word("effort").lower(): "effort",
    }


def criteria_text(criteria: Any) -> str:
    """The exercise's criteria as the lines the form reads back (``clean_criteria``)."""
    return "\n".join(
        f"{c.name}; {c.weight}; {_less() if c.direction == 'lower' else _more()}; {_axis_word(c.axis)}".rstrip("; ")
        for c in criteria
    )


class JoinForm(forms.Form):
    code = forms.CharField(label=_("Workshop code"), max_length=12)
    name = forms.CharField(
        label=_("Your name"),
        max_length=GUEST_NAME_LENGTH,
        required=False,
        help_text=_("As the room knows you. No account needed."),
    )


class NoteForm(forms.Form):
    column = forms.CharField(max_length=40)
    text = forms.CharField(label=_("Note"), max_length=NOTE_LENGTH * 2)


class ClusterForm(forms.Form):
    name = forms.CharField(label=_("Cluster"), max_length=200)
    column = forms.CharField(max_length=40, required=False)
    cluster = forms.IntegerField(required=False)


#: what a result of the room becomes on the Into the plan page ("Becomes")
BECOMES: dict[str, Any] = {
    "analysis_item": _("SWOT/PESTLE item"),
    "element": _("Plan element"),
    "action": _("Follow-up action"),
}
#: the fields each choice needs beside its text; the view reads only these for it (the others
#: are ignored), and the page shows only the chosen one's (``to-plan.js``)
NEEDS: dict[str, tuple[str, ...]] = {
    "category": ("analysis_item",),
    "parent": ("element",),
    "responsible_unit": ("element", "action"),
    "due_on": ("action",),
}
#: what a group of fields says it is for, by the choices it serves (all that a page offers)
_FOR: dict[tuple[str, ...], Any] = {
    ("analysis_item",): _("For a SWOT/PESTLE item"),
    ("element",): _("For a plan element"),
    ("action",): _("For a follow-up action"),
    ("element", "action"): _("For a plan element or a follow-up action"),
}


def becomes_groups(offered: list[str]) -> dict[str, dict[str, Any]]:
    """Each field that a choice in ``offered`` needs: the choices it serves (space-separated,
    for the script) and its legend; a field only choices not offered need is left out."""
    groups = {}
    for name, kinds in NEEDS.items():
        serves = tuple(k for k in kinds if k in offered)
        if serves:
            groups[name] = {"kinds": " ".join(serves), "legend": _FOR[serves]}
    return groups


class ToPlanForm(forms.Form):
    """One result to put into the plan: what it becomes, and the details that need
    (``NEEDS``)."""

    source = forms.CharField(max_length=40)  # note:<id>, cluster:<id> or option:<id>
    kind = forms.ChoiceField(choices=list(BECOMES.items()))
    text = forms.CharField(max_length=300)
    category = forms.ChoiceField(choices=[("", ""), *list(AnalysisCategory.choices)], required=False)
    parent = forms.IntegerField(required=False)
    responsible_unit = forms.IntegerField(required=False)
    due_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ToProposalForm(forms.Form):
    """One result written as a proposal in the plan's open planning round: the round, the unit
    whose submission takes it, where it goes (``element:<id>`` or ``proposal:<id>``: its kind
    follows) and its title; dates for an initiative or an activity."""

    source = forms.CharField(max_length=40)  # note:<id>, cluster:<id> or option:<id>
    round = forms.IntegerField()
    unit = forms.IntegerField()
    parent = forms.CharField(max_length=40)
    title = forms.CharField(max_length=300)
    starts_on = MonthField(required=False)
    ends_on = MonthField(required=False)
