"""Workshop endpoints: workshops and their exercises, each exercise's results (the record's
data), and notes, dots, scores and comparisons by signed-in users (a user takes a seat with
their first one). Guests use the pages only: the guest boundary refuses them the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from waypoint.core.apischema import ErrorOut, TextLimits
from waypoint.org.access import request_user, require_any_role
from waypoint.plans.selectors import plan_for
from waypoint.workshops import record, selectors, services
from waypoint.workshops.models import Criterion, Exercise, Note, Option, Participant, Workshop

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
