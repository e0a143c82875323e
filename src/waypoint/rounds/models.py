"""Bottom-up planning: a round asks units for proposals, each level reviews its children's,
the planning department consolidates them into the plan.

A round has one submission per asked unit, plus one for the administration itself: the
consolidation level, worked on by planners. Each submission's ``parent`` is the submission of
the nearest asked unit above it (the administration's when there is none), the level that
reviews it. A proposal is written in one submission (``origin``) and travels up: accepted by the
level above, it is held by that level's submission (``holder``) and goes up with it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waypoint.core.models import VersionedModel
from waypoint.org.models import OrgUnit
from waypoint.plans.models import ElementKind, FundingSource, Plan, PlanElement


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class PlanningRound(VersionedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("plan"))
    title = models.CharField(_("title"), max_length=200)
    guidance = models.TextField(_("guidance"), blank=True, help_text=_("What the units are asked for, and how."))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    #: the goals (and objectives) management set, under which units place their proposals
    frame = models.ManyToManyField(PlanElement, related_name="+", verbose_name=_("frame"))
    opened_at = models.DateTimeField(_("opened"))
    opened_by_name = models.CharField(max_length=150)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    consolidated_at = models.DateTimeField(_("consolidated"), null=True, blank=True)
    #: last number handed to a proposal (P1, P2 …), never reused
    last_proposal_number = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["plan", "-opened_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class SubmissionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFTING = "drafting", _("Drafting")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")
    WAIVED = "waived", _("Waived")


#: a submission whose unit still writes it
WORKING_STATUSES = (SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFTING, SubmissionStatus.RETURNED)


class Submission(VersionedModel):
    """What one unit proposes in a round (for the administration itself: the consolidation)."""

    round = models.ForeignKey(PlanningRound, on_delete=models.CASCADE, related_name="submissions")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    #: the submission of the level that reviews this one; empty for the administration's own
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    status = models.CharField(
        _("status"), max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.NOT_STARTED
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    returned_count = models.PositiveSmallIntegerField(_("times returned"), default=0)
    waiver_reason = models.TextField(_("reason for the waiver"), blank=True)

    class Meta:
        ordering = ["round", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="submission_unit_once_per_round"),
            models.CheckConstraint(
                condition=~Q(status="waived") | ~Q(waiver_reason=""), name="submission_waiver_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round.title}: {self.unit.name}"

    @property
    def is_root(self) -> bool:
        return self.parent_id is None


class ProposalKind(models.TextChoices):
    OBJECTIVE = ElementKind.OBJECTIVE.value, _("Objective")
    INITIATIVE = ElementKind.INITIATIVE.value, _("Initiative")
    ACTIVITY = ElementKind.ACTIVITY.value, _("Activity")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    #: accepted by the level that holds it now, which carries it up with its own submission
    ACCEPTED = "accepted", _("Accepted")
    SUBMITTED = "submitted", _("Submitted")
    MERGED = "merged", _("Merged")
    DECLINED = "declined", _("Declined")
    CONSOLIDATED = "consolidated", _("Consolidated")


#: proposals whose fate is settled
FINAL_STATUSES = (ProposalStatus.MERGED, ProposalStatus.DECLINED, ProposalStatus.CONSOLIDATED)


class Proposal(VersionedModel):
    """An objective, initiative or activity a unit proposes, with what it asks for."""

    round = models.ForeignKey(PlanningRound, on_delete=models.CASCADE, related_name="proposals")
    number = models.PositiveIntegerField()
    #: the order in which proposals become elements (a merged proposal takes its first one's)
    position = models.PositiveIntegerField(default=0)
    origin = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="originated")
    holder = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="held")
    kind = models.CharField(_("kind"), max_length=16, choices=ProposalKind.choices)
    parent_element = models.ForeignKey(
        PlanElement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("under")
    )
    parent_proposal = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sub_proposals",
        verbose_name=_("under the proposal"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    responsible_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible unit")
    )
    lead = models.CharField(_("lead"), max_length=150, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    assumptions = models.TextField(_("assumptions"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT)
    #: why it was declined
    reason = models.TextField(_("reason"), blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from")
    #: the plan element it became
    element = models.ForeignKey(PlanElement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    #: the units that proposed it (several once proposals are merged)
    proposed_by = models.ManyToManyField(OrgUnit, related_name="+")
    #: the units that merged proposals into it, lowest level first
    merged_by = models.ManyToManyField(OrgUnit, related_name="+")

    class Meta:
        ordering = ["round", "position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="proposal_number_unique"),
            models.CheckConstraint(
                condition=Q(parent_element__isnull=True) | Q(parent_proposal__isnull=True),
                name="proposal_placed_once",
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False), name="proposal_merged_into_another"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"P{self.number}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class ProposalBudget(models.Model):
    """Money a proposal asks for in one year from one funding source."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="budget")
    year = models.PositiveSmallIntegerField(_("year"))
    funding_source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["proposal", "year", "funding_source__name"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "year", "funding_source"], name="proposal_budget_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="proposal_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.funding_source}: {self.amount}"


class IndicatorDirection(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class ProposalIndicator(models.Model):
    """A unit indicator a proposal brings: its baseline and yearly targets."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=40)
    direction = models.CharField(_("direction"), max_length=8, choices=IndicatorDirection.choices)
    baseline_value = models.DecimalField(_("baseline"), max_digits=16, decimal_places=4, null=True, blank=True)
    #: yearly targets: {"2017": "12.5", …}
    targets = models.JSONField(_("targets"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["proposal", "position", "id"]

    def __str__(self) -> str:
        return self.name


class ProposalRisk(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField(_("risk"))
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(_("impact"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    mitigation = models.TextField(_("mitigation"), blank=True)
    owner = models.CharField(_("owner"), max_length=150, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["proposal", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="proposal_risk_scores_1_5",
            )
        ]

    def __str__(self) -> str:
        return self.description[:80]


class Need(models.Model):
    """A problem a unit sees, optionally the diagnostic recommendation that names it.

    The recommendation is cited by its id and reference (e.g. SA-2011/R3) as another app keeps
    it (``plans.extensions.recommendations``): the citation reads the same if it goes."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="needs")
    text = models.TextField(_("need"))
    recommendation_id = models.PositiveIntegerField(null=True, blank=True)
    recommendation_reference = models.CharField(_("recommendation"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submission", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Comment(models.Model):
    """A remark on a submission or on a proposal; ``mentions`` are the people it named (@name)."""

    round = models.ForeignKey(PlanningRound, on_delete=models.CASCADE, related_name="comments")
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField()
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submission__isnull=False) | Q(proposal__isnull=False), name="comment_is_on_something"
            )
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:60]}"


class ReviewAction(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned with comments")
    WAIVED = "waived", _("waived")
    ACCEPTED = "accepted", _("accepted")
    ACCEPTED_WITH_EDITS = "accepted_with_edits", _("accepted with edits")
    MERGED = "merged", _("merged")
    DECLINED = "declined", _("declined")
    CONSOLIDATED = "consolidated", _("consolidated")


class Review(models.Model):
    """What happened to a submission or a proposal, at which level, by whom and why: the
    history its page shows."""

    round = models.ForeignKey(PlanningRound, on_delete=models.CASCADE, related_name="reviews")
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews")
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews")
    action = models.CharField(max_length=24, choices=ReviewAction.choices)
    #: the unit at whose level it happened (the reviewing level, or the submitting unit)
    level = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action}"


class ElementAttribution(models.Model):
    """Where a consolidated element came from: the units that proposed it, those that merged
    proposals into it, and the round. Kept with the element (and in the plan file), so the
    attribution stays when the round's working records do not travel."""

    element = models.OneToOneField(PlanElement, on_delete=models.CASCADE, related_name="attribution")
    proposed_by = models.ManyToManyField(OrgUnit, related_name="+")
    merged_by = models.ManyToManyField(OrgUnit, related_name="+")
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("The round and the proposals."))

    def __str__(self) -> str:
        return f"{self.element.code}: {self.source}"
