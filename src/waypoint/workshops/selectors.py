"""Reads for workshops: what a user may see, the board, and each exercise's results computed
by the engine (``engine.workshops``) from the stored notes, dots, scores and comparisons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from waypoint.core.errors import NotFound
from waypoint.engine.workshops import pairwise, scoring, tally
from waypoint.monitoring.hooks import ActionOrigin
from waypoint.monitoring.models import FollowUpAction
from waypoint.org.access import within_administrations
from waypoint.plans.extensions import ElementNote
from waypoint.plans.models import Plan, PlanElement
from waypoint.plans.translations import text_for
from waypoint.rounds import permissions as round_permissions
from waypoint.rounds import selectors as round_selectors
from waypoint.rounds.models import PlanningRound, Proposal, ProposalKind, Submission
from waypoint.workshops import permissions, rules
from waypoint.workshops.models import (
    Cluster,
    Comparison,
    DotVote,
    Exercise,
    ExerciseKind,
    Note,
    Option,
    Outcome,
    OutcomeKind,
    Participant,
    Score,
    Workshop,
    WorkshopStatus,
)


def workshops_for(user: Any) -> QuerySet[Workshop]:
    return (
        Workshop.objects.filter(within_administrations(user, "administration__path"))
        .select_related("plan", "administration")
        .annotate(participant_count=Count("participants", distinct=True))
    )


def workshop_for(user: Any, workshop_id: int) -> Workshop:
    """A workshop the user may read.

    Raises:
        NotFound: it does not exist, or is of an administration the user has no role in.
    """
    workshop = Workshop.objects.select_related("plan", "administration").filter(pk=workshop_id).first()
    if workshop is None or not permissions.can_view(user, workshop):
        raise NotFound(_("No such workshop."))
    return workshop


def exercise_of(workshop: Workshop, exercise_id: int) -> Exercise:
    exercise: Exercise = get_object_or_404(
        Exercise.objects.select_related("workshop"), pk=exercise_id, workshop=workshop
    )
    exercise.workshop = workshop
    return exercise


def open_workshop_by_code(code: str) -> Workshop | None:
    """The open workshop a join code names (``None`` for a closed, planned or unknown one)."""
    cleaned = "".join(code.split()).upper()
    if not cleaned:
        return None
    return Workshop.objects.filter(join_code=cleaned, status=WorkshopStatus.OPEN).first()


def user_participant(user: Any, workshop: Workshop) -> Participant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.filter(workshop=workshop, user=user).first()


# --- the board -------------------------------------------------------------------------------


@dataclass
class ClusterView:
    cluster: Cluster
    notes: list[Note]


@dataclass
class ColumnView:
    key: str
    label: str
    clusters: list[ClusterView] = field(default_factory=list)
    loose: list[Note] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.loose) + sum(len(c.notes) for c in self.clusters)


def board(exercise: Exercise) -> list[ColumnView]:
    """The board's columns, each with its clusters (and their notes) and its loose notes."""
    columns = {c["key"]: ColumnView(c["key"], c["label"]) for c in exercise.columns}
    clusters: dict[int, ClusterView] = {}
    for cluster in exercise.clusters.all():
        view = ClusterView(cluster, [])
        clusters[cluster.pk] = view
        if cluster.column in columns:
            columns[cluster.column].clusters.append(view)
    for note in exercise.notes.select_related("author"):
        if note.cluster_id is not None and note.cluster_id in clusters:
            clusters[note.cluster_id].notes.append(note)
        elif note.column in columns:
            columns[note.column].loose.append(note)
    return list(columns.values())


# --- results ---------------------------------------------------------------------------------


def options(exercise: Exercise) -> list[Option]:
    return list(exercise.options.all())


def dot_tally(exercise: Exercise) -> tuple[tally.Tally, dict[int, Option]]:
    found = {o.pk: o for o in options(exercise)}
    allocations = [
        tally.Allocation(participant_id, option_id, dots)
        for participant_id, option_id, dots in DotVote.objects.filter(option__exercise=exercise).values_list(
            "participant_id", "option_id", "dots"
        )
    ]
    return tally.tally(list(found), allocations), found


def my_dots(participant: Participant | None, exercise: Exercise) -> dict[int, int]:
    if participant is None:
        return {}
    return dict(
        DotVote.objects.filter(participant=participant, option__exercise=exercise).values_list("option_id", "dots")
    )


def scoring_result(exercise: Exercise) -> tuple[scoring.ScoringResult, dict[int, Option]]:
    found = {o.pk: o for o in options(exercise)}
    criteria = [scoring.Criterion(c.pk, float(c.weight), c.direction, c.axis) for c in exercise.criteria.all()]
    scores = [
        scoring.Score(p, o, c, float(v))
        for p, o, c, v in Score.objects.filter(option__exercise=exercise).values_list(
            "participant_id", "option_id", "criterion_id", "value"
        )
    ]
    return scoring.score(list(found), criteria, scores, low=exercise.scale_low, high=exercise.scale_high), found


def my_scores(participant: Participant | None, exercise: Exercise) -> dict[tuple[int, int], int]:
    if participant is None:
        return {}
    return {
        (o, c): v
        for o, c, v in Score.objects.filter(participant=participant, option__exercise=exercise).values_list(
            "option_id", "criterion_id", "value"
        )
    }


def _judgements(exercise: Exercise, participant: Participant | None = None) -> list[pairwise.Judgement]:
    rows = Comparison.objects.filter(first__exercise=exercise)
    if participant is not None:
        rows = rows.filter(participant=participant)
    return [
        pairwise.Judgement(who, first if prefers_first else second, second if prefers_first else first, strength)
        for who, first, second, prefers_first, strength in rows.values_list(
            "participant_id", "first_id", "second_id", "prefers_first", "strength"
        )
    ]


@dataclass(frozen=True)
class PairwiseView:
    result: pairwise.PairwiseResult
    options: dict[int, Option]
    individual: dict[Any, float | None]

    @property
    def consistent_people(self) -> int:
        return sum(1 for r in self.individual.values() if r is not None and r <= pairwise.CONSISTENCY_LIMIT)


def pairwise_result(exercise: Exercise) -> PairwiseView:
    found = {o.pk: o for o in options(exercise)}
    judgements = _judgements(exercise)
    return PairwiseView(
        pairwise.rank(list(found), judgements), found, pairwise.individual_ratios(list(found), judgements)
    )


def next_pair(participant: Participant | None, exercise: Exercise) -> tuple[Option, Option] | None:
    """The next pair this participant has not judged yet (round-robin order)."""
    if participant is None:
        return None
    found = {o.pk: o for o in options(exercise)}
    done = {
        (a, b)
        for a, b in Comparison.objects.filter(participant=participant, first__exercise=exercise).values_list(
            "first_id", "second_id"
        )
    }
    for a, b in pairwise.all_pairs(list(found)):
        first, second = int(a), int(b)
        if (min(first, second), max(first, second)) not in done:
            return found[first], found[second]
    return None


def pairs_done(participant: Participant | None, exercise: Exercise) -> int:
    if participant is None:
        return 0
    return Comparison.objects.filter(participant=participant, first__exercise=exercise).count()


def ranking(exercise: Exercise) -> list[tuple[Option, int]]:
    """The exercise's ranking of its options (empty for a board, or before any vote)."""
    if exercise.kind == ExerciseKind.DOT_VOTE:
        result, found = dot_tally(exercise)
        if not result.dots_spent:
            return []
        return [(found[int(row.option)], row.rank) for row in result.rows]
    if exercise.kind == ExerciseKind.SCORING:
        scored, found = scoring_result(exercise)
        return [(found[int(row.option)], row.rank) for row in scored.rows if row.rank is not None]
    if exercise.kind == ExerciseKind.PAIRWISE:
        view = pairwise_result(exercise)
        return [(view.options[int(key)], rank) for key, rank in view.result.ranking]
    return []


def counts(exercise: Exercise) -> dict[str, int]:
    """How much the room has put in: for the facilitator's screen and the load check."""
    return {
        "notes": Note.objects.filter(exercise=exercise).count(),
        "dots": sum(DotVote.objects.filter(option__exercise=exercise).values_list("dots", flat=True)),
        "scores": Score.objects.filter(option__exercise=exercise).count(),
        "comparisons": Comparison.objects.filter(first__exercise=exercise).count(),
        "participants": exercise.workshop.participants.count(),
    }


def outcomes(workshop: Workshop) -> QuerySet[Outcome]:
    return workshop.outcomes.select_related(
        "exercise",
        "note",
        "cluster",
        "option",
        "created_by",
        "action",
        "action__owner_unit",
        "proposal__round",
        "proposal__origin__unit",
    )


# --- into the planning round -------------------------------------------------------------------


@dataclass
class ProposalChoices:
    """What the "Proposal in the planning round" form offers a facilitator: the plan's open
    round, the submissions they write that still take proposals, and where a proposal may go
    (``parents``: ``("element:<id>" or "proposal:<id>", label)``)."""

    round: PlanningRound
    submissions: list[Submission]
    parents: list[tuple[str, str]]


def _under(kind: str | None, code: str, title: str, unit: str = "") -> str:
    what = str(ProposalKind(kind).label) if kind in ProposalKind.values else ""
    text = _("%(kind)s under %(code)s %(title)s") % {"kind": what, "code": code, "title": title[:60]}
    return f"{text} ({unit})" if unit else text


def proposal_choices(user: Any, plan: Plan) -> ProposalChoices | None:
    """The form's choices for ``user``, or ``None`` when the plan has no round open."""
    found = round_selectors.open_round_of(plan)
    if found is None:
        return None
    mine = round_permissions.worked_submission_ids(user, found)
    submissions = round_selectors.tree_ordered(
        [s for s in found.submissions.select_related("unit").filter(pk__in=mine) if round_selectors.is_writable(s)],
        plan,
    )
    parents = [
        (f"element:{e.pk}", _under(rules.CHILD_KIND.get(e.kind), e.code, text_for(e, "title", plan.language).text))
        for e in round_selectors.placement_elements(found)
    ]
    seen: set[int] = set()
    for submission in submissions:
        for proposal in round_selectors.placement_proposals(submission):
            if proposal.pk not in seen:
                seen.add(proposal.pk)
                parents.append(
                    (
                        f"proposal:{proposal.pk}",
                        _under(
                            rules.CHILD_KIND.get(proposal.kind), proposal.code, proposal.title, submission.unit.code
                        ),
                    )
                )
    return ProposalChoices(found, submissions, parents)


# --- the links back: where a record of the plan came from --------------------------------------


def _origin(outcome: Outcome) -> ElementNote:
    """ "From workshop: <title>, <exercise>", linked to the exercise in the workshop's record."""
    url = reverse("workshop-report", kwargs={"workshop_id": outcome.workshop_id}) + f"#ex-{outcome.exercise_id}"
    return ElementNote(_("From workshop"), f"{outcome.workshop.title}, {outcome.exercise.title}", url)


def _origins(outcomes: QuerySet[Outcome]) -> dict[int, list[ElementNote]]:
    found: dict[int, list[ElementNote]] = {}
    seen: set[tuple[int, int]] = set()
    for outcome in outcomes.select_related("workshop", "exercise").order_by("created_at", "pk"):
        # a ranking sets a function's priority once per exercise: one line for each exercise
        if (outcome.target_id, outcome.exercise_id) not in seen:
            seen.add((outcome.target_id, outcome.exercise_id))
            found.setdefault(outcome.target_id, []).append(_origin(outcome))
    return found


#: the kinds of a plan's records the plan's pages ask about, and the outcome kind of each
_PLAN_KINDS = {"analysis_item": OutcomeKind.ANALYSIS_ITEM, "function": OutcomeKind.FUNCTION}


def _proposal_origins(plan_id: int) -> dict[int, list[ElementNote]]:
    """Where the proposals of the plan's rounds came from, by proposal id: the workshop results
    written as each, and those written as a proposal merged into it (a merged proposal keeps
    its sources' lines, as it keeps the units that proposed them)."""
    direct = _origins(
        Outcome.objects.filter(workshop__plan_id=plan_id, kind=OutcomeKind.PROPOSAL, proposal__isnull=False)
    )
    if not direct:
        return {}
    merged_into = dict(
        Proposal.objects.filter(round__plan_id=plan_id, merged_into__isnull=False).values_list("pk", "merged_into_id")
    )
    found: dict[int, list[ElementNote]] = {}
    for proposal_id, notes in direct.items():
        node: int | None = proposal_id
        visited: set[int] = set()
        while node is not None and node not in visited:
            visited.add(node)
            lines = found.setdefault(node, [])
            lines.extend(n for n in notes if n not in lines)
            node = merged_into.get(node)
    return found


def plan_origins(plan: Plan, kind: str) -> dict[int, list[ElementNote]]:
    """Where the plan's SWOT/PESTLE items, functions or round proposals came from
    (``plans.extensions``)."""
    if kind == "proposal":
        return _proposal_origins(plan.pk)
    if kind not in _PLAN_KINDS:
        return {}
    return _origins(Outcome.objects.filter(workshop__plan=plan, kind=_PLAN_KINDS[kind]))


def element_origins(element: PlanElement) -> list[ElementNote]:
    """The element page's lines on the workshop results it came from (``plans.extensions``):
    drafted from the room, or proposed in a round from the room and consolidated into it."""
    found = _origins(
        Outcome.objects.filter(workshop__plan_id=element.plan_id, kind=OutcomeKind.ELEMENT, target_id=element.pk)
    ).get(element.pk, [])
    consolidated = list(Proposal.objects.filter(element=element).values_list("pk", flat=True))
    if consolidated:
        proposed = _proposal_origins(element.plan_id)
        for proposal_id in consolidated:
            found += [n for n in proposed.get(proposal_id, []) if n not in found]
    return found


def action_origins(actions: Sequence[FollowUpAction]) -> dict[int, list[ActionOrigin]]:
    """The action page's line on the workshop result it came from (``monitoring.hooks``)."""
    found: dict[int, list[ActionOrigin]] = {}
    for outcome in Outcome.objects.filter(action__in=actions).select_related("workshop", "exercise"):
        note = _origin(outcome)
        found.setdefault(outcome.action_id or 0, []).append(ActionOrigin(note.label, note.text, note.url))
    return found


def facilitator_pk_set(workshop: Workshop) -> set[int]:
    return set(workshop.participants.filter(role="facilitator").values_list("user_id", flat=True))


def exercise_by_id(exercise_id: int) -> Exercise:
    found = Exercise.objects.select_related("workshop").filter(pk=exercise_id).first()
    if found is None:
        raise NotFound(_("No such exercise."))
    return found


def exercise_for(user: Any, exercise_id: int) -> Exercise:
    """An exercise of a workshop the user may read.

    Raises:
        NotFound: it does not exist, or its workshop is not one the user may read (the same
            answer, so that another administration's exercises cannot be told from missing ones).
    """
    found = Exercise.objects.select_related("workshop__plan", "workshop__administration").filter(pk=exercise_id).first()
    if found is None or not permissions.can_view(user, found.workshop):
        raise NotFound(_("No such exercise."))
    return found
