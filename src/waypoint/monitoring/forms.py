from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waypoint.core.forms import VersionedForm
from waypoint.indicators.models import Indicator
from waypoint.monitoring.models import ActionSource, ActionStatus, Priority, ReviewMeeting
from waypoint.org.forms import UnitChoiceField
from waypoint.org.models import OrgUnit, User
from waypoint.plans.forms import units_of
from waypoint.plans.models import ElementKind, Plan, PlanElement

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CalendarForm(forms.Form):
    first_year = forms.IntegerField(label=_("First year reported"))
    last_year = forms.IntegerField(label=_("Last year reported"))
    due_days = forms.IntegerField(label=_("Due, days after the period ends"), min_value=0, max_value=366)
    grace_days = forms.IntegerField(
        label=_("Grace period, days"),
        min_value=0,
        max_value=366,
        help_text=_("A report this many days after the due date still counts as on time."),
    )
    opens_days_before_end = forms.IntegerField(
        label=_("Entry opens, days before the period ends"), min_value=0, max_value=366
    )
    remind_days_before = forms.IntegerField(
        label=_("First reminder, days before the due date"), min_value=0, max_value=366
    )
    escalate_days_after = forms.IntegerField(
        label=_("Escalate to the parent unit's head, days after the due date"), min_value=0, max_value=366
    )


class ElementChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: PlanElement) -> str:
        return f"{obj.code} {obj.title}"


class IndicatorChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Indicator) -> str:
        return f"{obj.code} {obj.name}"


class PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class ActionForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner_unit = UnitChoiceField(label=_("Owner (unit)"), queryset=OrgUnit.objects.none())
    owner_person = PersonChoice(label=_("Owner (person)"), queryset=User.objects.none(), required=False)
    due_on = forms.DateField(label=_("Due date"), widget=DATE)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.MEDIUM)
    source = forms.ChoiceField(label=_("Source"), choices=ActionSource.choices)
    source_detail = forms.CharField(label=_("Source detail"), max_length=200, required=False)
    meeting = forms.ModelChoiceField(label=_("Decided at"), queryset=ReviewMeeting.objects.none(), required=False)
    evidence = forms.CharField(
        label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text=_("Links or a note.")
    )
    elements = ElementChoices(label=_("Plan elements"), queryset=PlanElement.objects.none(), required=False)
    indicators = IndicatorChoices(label=_("Indicators"), queryset=Indicator.objects.none(), required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        admin = plan.administration
        self.fields["owner_unit"].queryset = units_of(admin)  # type: ignore[attr-defined]
        people = User.objects.filter(is_active=True, role_assignments__unit__path__startswith=admin.path)
        chosen = people.distinct().order_by("last_name", "first_name", "username")
        self.fields["owner_person"].queryset = chosen  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = plan.review_meetings.all()  # type: ignore[attr-defined]
        self.fields["elements"].queryset = plan.elements.order_by("code")  # type: ignore[attr-defined]
        self.fields["indicators"].queryset = plan.indicators.order_by("number")  # type: ignore[attr-defined]


class ActionStatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text=_("Needed to cancel.")
    )
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence_file = forms.FileField(label=_("Evidence file"), required=False)
    remove_evidence_file = forms.BooleanField(label=_("Remove the evidence file"), required=False)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class MeetingForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    participants = forms.CharField(
        label=_("Participants"), widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text=_("One per line.")
    )
    periods = forms.CharField(label=_("Periods reviewed"), max_length=200, required=False)
    # a plan has a handful of goals: ticked in a list, not picked in a box that hides some
    goals = ElementChoices(
        label=_("Goals reviewed"),
        queryset=PlanElement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    decisions = forms.CharField(label=_("Decisions"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = plan.elements.filter(kind=ElementKind.GOAL).order_by("code")  # type: ignore[attr-defined]
        # the record's text shows whole, not cut at the third line
        for name, least in (("participants", 3), ("decisions", 4)):
            text = str(self.data.get(name) if self.is_bound else self.initial.get(name) or "")
            lines = sum(1 + len(line) // 90 for line in text.splitlines())
            self.fields[name].widget.attrs["rows"] = max(least, min(lines + 1, 16))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "approve"), ("return", "return"), ("waive", "waive"), ("unapprove", "unapprove")]
    )
    reason = forms.CharField(required=False)
    version = forms.IntegerField(required=False)
