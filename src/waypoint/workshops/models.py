"""Strategy workshops: an agenda of exercises (a board of sticky notes, dot voting, scoring
against weighted criteria, pairwise comparison), the people in the room (users, and guests who
joined from a phone with a code and a name), what they wrote and voted, and what the
facilitator turned into the plan, into the plan's follow-up actions or into proposals of its
planning round (``Outcome``: the link back from each record to the exercise it came from).

Every write goes through ``services``; each one in a workshop raises its ``revision``, which the
live views compare to answer "nothing new" cheaply.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from waypoint.core.models import VersionedModel
from waypoint.monitoring.models import FollowUpAction
from waypoint.org.models import OrgUnit
from waypoint.plans.models import AnalysisCategory, ElementKind, Plan, PlanFunction, Priority
from waypoint.rounds.models import Proposal, ProposalKind


class WorkshopStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Workshop(VersionedModel):
    administration = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="workshops", verbose_name=_("administration")
    )
    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        related_name="workshops",
        verbose_name=_("plan"),
        help_text=_("The plan its results go into."),
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=WorkshopStatus.choices, default=WorkshopStatus.PLANNED)
    #: what guests type on their phones; it works only while the workshop is open
    join_code = models.CharField(_("join code"), max_length=8, unique=True)
    #: raised by every write in the workshop: the live views answer "nothing new" by comparing it
    revision = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="workshop_dates_ordered")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == WorkshopStatus.OPEN

    @property
    def actions(self) -> models.QuerySet[FollowUpAction]:
        """The follow-up actions of the plan's register that came from this workshop."""
        return FollowUpAction.objects.filter(workshop_outcome__workshop=self).select_related("owner_unit")


class ParticipantRole(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    PARTICIPANT = "participant", _("Participant")


class Participant(models.Model):
    """Somebody in the room: a user, or a guest (no account) known by the name they typed."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="workshop_seats"
    )
    name = models.CharField(_("name"), max_length=80)
    role = models.CharField(
        _("role"), max_length=12, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT
    )
    is_guest = models.BooleanField(_("guest"), default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "user"], condition=Q(user__isnull=False), name="workshop_participant_user_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({_('guest')})" if self.is_guest else self.name


class ExerciseKind(models.TextChoices):
    BOARD = "board", _("Board of notes")
    DOT_VOTE = "dot_vote", _("Dot voting")
    SCORING = "scoring", _("Scoring against criteria")
    PAIRWISE = "pairwise", _("Pairwise comparison")


class ExerciseStatus(models.TextChoices):
    PENDING = "pending", _("Not started")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Exercise(VersionedModel):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="exercises")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=ExerciseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    prompt = models.TextField(_("question"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=ExerciseStatus.choices, default=ExerciseStatus.PENDING)
    #: votes, scores and rankings are shown to participants only once the facilitator reveals them
    results_visible = models.BooleanField(_("results shown to participants"), default=False)
    #: a board's columns: [{"key": "strength", "label": "Strengths"}, …]
    columns = models.JSONField(default=list, blank=True)
    dots_per_person = models.PositiveSmallIntegerField(_("dots per person"), default=5)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    scale_low = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_high = models.PositiveSmallIntegerField(_("highest score"), default=5)
    #: the board whose clusters and notes became this exercise's options
    source = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("from board")
    )

    class Meta:
        ordering = ["workshop", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(scale_high__gt=F("scale_low")), name="exercise_scale_ordered"),
            models.CheckConstraint(condition=Q(dots_per_person__gte=1), name="exercise_dots_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == ExerciseStatus.OPEN

    def column_label(self, key: str) -> str:
        return next((str(c.get("label", key)) for c in self.columns if c.get("key") == key), key)


class Cluster(models.Model):
    """Notes of a board grouped under a name the facilitator gives."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="clusters")
    column = models.CharField(_("column"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["exercise", "position", "id"]

    def __str__(self) -> str:
        return self.name


class Note(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="notes")
    column = models.CharField(_("column"), max_length=40)
    text = models.CharField(_("note"), max_length=280)
    author = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes")
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["exercise", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Option(models.Model):
    """What a vote, a scoring or a comparison is about: typed in, or made from a board's
    cluster or note, or a function of the plan's activity profile."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("option"), max_length=200)
    position = models.PositiveIntegerField(default=0)
    note = models.ForeignKey(Note, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    function = models.ForeignKey(PlanFunction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["exercise", "position", "id"]

    def __str__(self) -> str:
        return self.label


class CriterionDirection(models.TextChoices):
    HIGHER = "higher", _("More is better")
    LOWER = "lower", _("Less is better")


class CriterionAxis(models.TextChoices):
    NONE = "", _("Neither")
    IMPACT = "impact", _("Impact")
    EFFORT = "effort", _("Effort")


class Criterion(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    direction = models.CharField(max_length=8, choices=CriterionDirection.choices, default=CriterionDirection.HIGHER)
    axis = models.CharField(max_length=8, choices=CriterionAxis.choices, blank=True, default="")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["exercise", "position", "id"]

    def __str__(self) -> str:
        return self.name


class DotVote(models.Model):
    """The dots one participant has on one option (one row, changed in place)."""

    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="dot_votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="dot_votes")
    dots = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["option", "participant"], name="dot_vote_unique")]

    def __str__(self) -> str:
        return f"{self.option}: {self.dots}"


class Score(models.Model):
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["option", "criterion", "participant"], name="score_unique")]

    def __str__(self) -> str:
        return f"{self.option} / {self.criterion}: {self.value}"


class Comparison(models.Model):
    """One participant's judgement of one pair (``first`` has the lower id): which matters
    more and how strongly, on Saaty's 1–9 scale."""

    first = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="comparisons")
    prefers_first = models.BooleanField(default=True)
    strength = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second", "participant"], name="comparison_unique"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="comparison_pair_ordered"),
            models.CheckConstraint(condition=Q(strength__gte=1, strength__lte=9), name="comparison_saaty_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.first} / {self.second}: {self.strength}"


class OutcomeKind(models.TextChoices):
    ANALYSIS_ITEM = "analysis_item", _("SWOT/PESTLE item")
    FUNCTION = "function", _("Function priority")
    ELEMENT = "element", _("Plan element")
    ACTION = "action", _("Follow-up action")
    PROPOSAL = "proposal", _("Proposal in a planning round")


class Outcome(models.Model):
    """A result of the room that went into the plan: what it came from (an exercise's note,
    cluster or option) and what it became (a record of the plan, by kind and id)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="outcomes")
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="outcomes")
    note = models.ForeignKey(Note, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes")
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes")
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes")
    kind = models.CharField(max_length=16, choices=OutcomeKind.choices)
    target_id = models.BigIntegerField()
    #: a follow-up action of the plan's register (``monitoring``), when that is what it became:
    #: an action comes from one workshop result at most
    action = models.OneToOneField(
        FollowUpAction, null=True, blank=True, on_delete=models.CASCADE, related_name="workshop_outcome"
    )
    #: a proposal of the plan's open planning round (``rounds``), when that is what it became;
    #: a draft its unit takes back leaves the record of the room as it was, without the link
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="workshop_outcomes"
    )
    label = models.CharField(max_length=300)
    detail = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["workshop", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label[:60]}"

    def shown_detail(self) -> str:
        """``detail`` as a reader sees it, in their language: the services store codes (a
        SWOT/PESTLE category, "high (#2)", an element's kind, "objective, ADM", an ISO due
        date) and keep them (the JSON record and the API give them as they are); the labels
        are worked out here, when shown, so rows written before read the same way. A detail
        that is none of these (a link's free text) is shown as it is."""
        detail = self.detail.strip()
        if not detail:
            return ""
        rank = _RANK.fullmatch(detail)
        if rank:
            return gettext("rank %(rank)s") % {"rank": rank["rank"]}
        if self.kind == OutcomeKind.ANALYSIS_ITEM and detail in AnalysisCategory.values:
            return str(AnalysisCategory(detail).label)
        if self.kind == OutcomeKind.ELEMENT and detail in ElementKind.values:
            return str(ElementKind(detail).label)
        if self.kind == OutcomeKind.FUNCTION:
            ranked = _PRIORITY_RANK.fullmatch(detail)
            if ranked and ranked["priority"] in Priority.values:
                return gettext("%(priority)s priority, rank %(rank)s") % {
                    "priority": str(Priority(ranked["priority"]).label).lower(),
                    "rank": ranked["rank"],
                }
        if self.kind == OutcomeKind.ACTION:
            try:
                due = dt.date.fromisoformat(detail)
            except ValueError:
                return detail
            return gettext("due %(date)s") % {"date": date_format(due)}
        if self.kind == OutcomeKind.PROPOSAL:
            kind, _sep, unit = detail.partition(", ")
            if kind in ProposalKind.values and unit:
                return gettext("%(kind)s, %(unit)s") % {"kind": ProposalKind(kind).label, "unit": unit}
        return detail


#: the forms ``detail`` is stored in (``services``): "#3", "high (#2)"
_RANK = re.compile(r"#(?P<rank>\d+)")
_PRIORITY_RANK = re.compile(r"(?P<priority>\w+) \(#(?P<rank>\d+)\)")


class JoinAttempt(models.Model):
    """A code typed on the join page that named no open workshop, by address: too many from one
    address within the window and joining from there is refused for a while (``throttle``)."""

    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.address} {self.at:%Y-%m-%d %H:%M}"
