"""Workshop endpoints: workshops and their exercises, each exercise's results (the record's
data), notes, dots, scores and comparisons by signed-in users (a user takes a seat with their
first one), and a result written as a proposal in the plan's open planning round. Guests use
the pages only: the guest boundary refuses them the API."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from waypoint.core.apischema import ErrorOut, TextLimits
from waypoint.core.errors import InvalidInput
from waypoint.engine.periods import parse_month
from waypoint.org.access import request_user, require_any_role
from waypoint.org.models import OrgUnit
from waypoint.plans.selectors import plan_for
from waypoint.rounds import selectors as round_selectors
from waypoint.rounds.models import PlanningRound, Proposal
from waypoint.workshops import record, selectors, services
from waypoint.workshops.models import Cluster, Criterion, Exercise, Note, Option, Outcome, Participant, Workshop

router = Router(tags=["workshops"])


class ExerciseOut(Schema):
    id: int
    kind: str
    title: str
    prompt: str
    status: str
    results_visible: bool
    anonymous: bool
    options: list[dict[str, Any]]
    columns: list[dict[str, str]]


class WorkshopOut(Schema):
    id: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    place: str
    status: str
    plan_id: int
    participants: int
    exercises: list[ExerciseOut]


def _exercise_out(exercise: Exercise) -> ExerciseOut:
    return ExerciseOut(
        id=exercise.pk,
        kind=exercise.kind,
        title=exercise.title,
        prompt=exercise.prompt,
        status=exercise.status,
        results_visible=exercise.results_visible,
        anonymous=exercise.anonymous,
        options=[{"id": o.pk, "label": o.label} for o in exercise.options.all()],
        columns=list(exercise.columns),
    )


def _workshop_out(workshop: Workshop) -> WorkshopOut:
    return WorkshopOut(
        id=workshop.pk,
        title=workshop.title,
        starts_on=workshop.starts_on,
        ends_on=workshop.ends_on,
        place=workshop.place,
        status=workshop.status,
        plan_id=workshop.plan_id,
        participants=workshop.participants.count(),
        exercises=[_exercise_out(e) for e in workshop.exercises.all()],
    )


class WorkshopIn(TextLimits, Schema):
    limits_from = Workshop
    plan_id: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    place: str = ""
    purpose: str = ""


@router.get("/workshops", response=list[WorkshopOut])
def list_workshops(request: HttpRequest) -> list[WorkshopOut]:
    require_any_role(request.user)
    return [_workshop_out(w) for w in selectors.workshops_for(request.user)]


@router.post("/workshops", response={201: WorkshopOut, 404: ErrorOut})
def create_workshop(request: HttpRequest, payload: WorkshopIn) -> tuple[int, WorkshopOut]:
    """A new workshop of a plan (planners of its administration); 404 when the plan is not one
    the caller may see."""
    require_any_role(request.user)
    plan = plan_for(request.user, payload.plan_id)
    workshop = services.workshop_create(
        actor=request_user(request),
        plan=plan,
        title=payload.title,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        place=payload.place,
        purpose=payload.purpose,
    )
    return 201, _workshop_out(workshop)


@router.get("/workshops/{workshop_id}", response=WorkshopOut)
def get_workshop(request: HttpRequest, workshop_id: int) -> WorkshopOut:
    return _workshop_out(selectors.workshop_for(request.user, workshop_id))


@router.get("/workshops/{workshop_id}/record", response=dict[str, Any])
def workshop_record(request: HttpRequest, workshop_id: int) -> dict[str, Any]:
    """The workshop's record: agenda, participants, each exercise's content and results, and
    what went into the plan (the same data as the record page's download)."""
    return record.workshop_record(selectors.workshop_for(request.user, workshop_id))


def _exercise(request: HttpRequest, exercise_id: int) -> Exercise:
    return selectors.exercise_for(request.user, exercise_id)


@router.get("/exercises/{exercise_id}/results", response=dict[str, Any])
def exercise_results(request: HttpRequest, exercise_id: int) -> dict[str, Any]:
    """Notes and clusters of a board; the tally, the scores or the AHP ranking (with its
    consistency ratio) of the others. Signed-in readers see results whether or not they are
    revealed to the room."""
    return record.exercise_results(_exercise(request, exercise_id))


class OutcomeOut(Schema):
    """A result of the room that went into the plan, and what it became."""

    id: int
    workshop_id: int
    exercise_id: int
    kind: str = Field(description="analysis_item, function, element, action or proposal.")
    target_id: int = Field(description="Id of the record it became (a proposal: GET /api/proposals/{id}).")
    label: str
    detail: str
    note_id: int | None
    cluster_id: int | None
    option_id: int | None


def _outcome_out(outcome: Outcome) -> OutcomeOut:
    return OutcomeOut(
        id=outcome.pk,
        workshop_id=outcome.workshop_id,
        exercise_id=outcome.exercise_id,
        kind=outcome.kind,
        target_id=outcome.target_id,
        label=outcome.label,
        detail=outcome.detail,
        note_id=outcome.note_id,
        cluster_id=outcome.cluster_id,
        option_id=outcome.option_id,
    )


MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class ToProposalIn(TextLimits, Schema):
    limits_from = Proposal
    note: int | None = Field(None, description="Id of the note it comes from (one of note, cluster, option).")
    cluster: int | None = Field(None, description="Id of the cluster it comes from.")
    option: int | None = Field(None, description="Id of the option it comes from.")
    round: int | None = Field(None, description="Id of the plan's open planning round (left out: that round).")
    unit: str = Field(description="Code of the unit whose submission takes it (the administration's: its own level).")
    parent_element: str | None = Field(None, description="Code of an element of the round's frame, or below it.")
    parent_proposal: str | None = Field(None, description="Code of an open proposal of the round (P12).")
    kind: Literal["objective", "initiative", "activity"] | None = Field(
        None, description="Left out: the kind that goes under the parent."
    )
    title: str
    description: str = ""
    starts_on: str | None = Field(None, pattern=MONTH, description="Initiatives and activities: YYYY-MM.")
    ends_on: str | None = Field(None, pattern=MONTH)


def _result(exercise: Exercise, payload: ToProposalIn) -> dict[str, Any]:
    given = [
        (name, pk)
        for name, pk in (("note", payload.note), ("cluster", payload.cluster), ("option", payload.option))
        if pk is not None
    ]
    if len(given) != 1:
        raise InvalidInput.at("$.note", _("Name the one note, cluster or option the proposal comes from."))
    name, pk = given[0]
    models: dict[str, Any] = {"note": Note, "cluster": Cluster, "option": Option}
    return {name: get_object_or_404(models[name], pk=pk, exercise=exercise)}


@router.post(
    "/exercises/{exercise_id}/proposals",
    response={201: OutcomeOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def to_proposal(request: HttpRequest, exercise_id: int, payload: ToProposalIn) -> Status[OutcomeOut]:
    """Write a note, cluster or option as a proposal of a unit's submission in the open
    planning round of the workshop's plan, keeping the link back to the exercise. The caller
    facilitates the workshop and writes that submission by the round's rule: a contributor of
    the unit, or a planner for the administration's own level. 400: no round open (or
    ``round`` is not it), the round asked the unit for nothing, its submission is in, or a rule
    of the round is broken; 403: not a facilitator, or not one who writes the submission;
    404: no such exercise, or a result that is not one of its own."""
    exercise = _exercise(request, exercise_id)
    plan = exercise.workshop.plan
    result = _result(exercise, payload)
    unit = OrgUnit.objects.filter(code=payload.unit, path__startswith=plan.administration.path).first()
    if unit is None:
        raise InvalidInput.at("$.unit", _("Unknown unit %(code)s in this administration.") % {"code": payload.unit})
    round_ = (
        PlanningRound.objects.filter(pk=payload.round, plan=plan).first()
        if payload.round is not None
        else round_selectors.open_round_of(plan)
    )
    if payload.round is not None and round_ is None:
        raise InvalidInput.at("$.round", _("Not a planning round of the workshop's plan."))
    parent_element = None
    if payload.parent_element:
        parent_element = plan.elements.filter(code=payload.parent_element).first()
        if parent_element is None:
            raise InvalidInput.at(
                "$.parent_element", _("The plan has no element %(code)s.") % {"code": payload.parent_element}
            )
    parent_proposal = None
    if payload.parent_proposal and round_ is not None:
        number = payload.parent_proposal.upper().removeprefix("P")
        parent_proposal = round_.proposals.filter(number=int(number)).first() if number.isdigit() else None
        if parent_proposal is None:
            raise InvalidInput.at(
                "$.parent_proposal", _("The round has no proposal %(code)s.") % {"code": payload.parent_proposal}
            )
    outcome = services.to_proposal(
        actor=request_user(request),
        exercise=exercise,
        round_=round_,
        unit=unit,
        title=payload.title,
        parent_element=parent_element,
        parent_proposal=parent_proposal,
        kind=payload.kind,
        description=payload.description,
        starts_on=parse_month(payload.starts_on) if payload.starts_on else None,
        ends_on=parse_month(payload.ends_on) if payload.ends_on else None,
        **result,
    )
    return Status(201, _outcome_out(outcome))


def _seat(request: HttpRequest, exercise: Exercise) -> Participant:
    workshop = exercise.workshop
    found = selectors.user_participant(request.user, workshop)
    return found or services.participant_join(workshop=workshop, user=request_user(request))


class NoteIn(TextLimits, Schema):
    limits_from = Note
    column: str
    text: str


class NoteOut(Schema):
    id: int
    column: str
    text: str


@router.post("/exercises/{exercise_id}/notes", response={201: NoteOut})
def add_note(request: HttpRequest, exercise_id: int, payload: NoteIn) -> tuple[int, NoteOut]:
    exercise = _exercise(request, exercise_id)
    note = services.note_add(
        participant=_seat(request, exercise), exercise=exercise, column=payload.column, text=payload.text
    )
    return 201, NoteOut(id=note.pk, column=note.column, text=note.text)


class DotsIn(Schema):
    option: int
    dots: int


class DoneOut(Schema):
    ok: bool = True


@router.post("/exercises/{exercise_id}/dots", response=DoneOut)
def set_dots(request: HttpRequest, exercise_id: int, payload: DotsIn) -> DoneOut:
    """Put ``dots`` of one's dots on an option (the new total there; 0 takes them back)."""
    exercise = _exercise(request, exercise_id)
    option = get_object_or_404(Option, pk=payload.option, exercise=exercise)
    services.dots_set(participant=_seat(request, exercise), option=option, dots=payload.dots)
    return DoneOut()


class ScoreIn(Schema):
    option: int
    criterion: int
    value: int


@router.post("/exercises/{exercise_id}/scores", response=DoneOut)
def set_score(request: HttpRequest, exercise_id: int, payload: ScoreIn) -> DoneOut:
    exercise = _exercise(request, exercise_id)
    option = get_object_or_404(Option, pk=payload.option, exercise=exercise)
    criterion = get_object_or_404(Criterion, pk=payload.criterion, exercise=exercise)
    services.score_set(participant=_seat(request, exercise), option=option, criterion=criterion, value=payload.value)
    return DoneOut()


class ComparisonIn(Schema):
    preferred: int
    other: int
    strength: int


@router.post("/exercises/{exercise_id}/comparisons", response=DoneOut)
def set_comparison(request: HttpRequest, exercise_id: int, payload: ComparisonIn) -> DoneOut:
    """``preferred`` matters more than ``other`` by ``strength`` (Saaty's 1–9; 1 is equal)."""
    exercise = _exercise(request, exercise_id)
    preferred = get_object_or_404(Option, pk=payload.preferred, exercise=exercise)
    other = get_object_or_404(Option, pk=payload.other, exercise=exercise)
    services.comparison_set(
        participant=_seat(request, exercise), preferred=preferred, other=other, strength=payload.strength
    )
    return DoneOut()
