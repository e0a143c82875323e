"""Every write to workshops. Each function is one transaction that writes its audit record
and raises the workshop's revision (the live views compare it). Facilitators' writes take the
acting user; participants' writes take the participant (a user's seat or a guest's): a
guest's event names the guest in its changes, since there is no account to name.

Results go into the plan through plans' own services (``analysis_item_save``,
``function_save``, ``element_create``), into its action register through monitoring's
(``action_create``) and into its open planning round through rounds' (``proposal_save``), so
each is checked against the rights and rules of the app that keeps it and audited there too;
an ``Outcome`` row keeps the link back to the workshop and exercise.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils.translation import gettext as _

from waypoint.core.audit import Action, audit_record, diff, snapshot
from waypoint.core.errors import InvalidInput, NotAllowed, Problem
from waypoint.core.versioning import save_if_unchanged
from waypoint.engine.workshops import tally as tally_engine
from waypoint.monitoring import services as monitoring_services
from waypoint.monitoring.models import ActionSource, FollowUpAction
from waypoint.org.models import OrgUnit, User
from waypoint.org.notifications import Message, notify_all
from waypoint.plans import services as plan_services
from waypoint.plans.models import CATEGORIES_BY_FRAMEWORK, Plan, PlanElement, PlanFunction, Priority
from waypoint.plans.translations import text_for
from waypoint.rounds import permissions as round_permissions
from waypoint.rounds import selectors as round_selectors
from waypoint.rounds import services as round_services
from waypoint.rounds.models import PlanningRound, Proposal
from waypoint.workshops import permissions, rules
from waypoint.workshops.models import (
    Cluster,
    Comparison,
    Criterion,
    DotVote,
    Exercise,
    ExerciseKind,
    ExerciseStatus,
    Note,
    Option,
    Outcome,
    OutcomeKind,
    Participant,
    ParticipantRole,
    Score,
    Workshop,
    WorkshopStatus,
)

#: letters and digits that cannot be mistaken for each other when read off a projector
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
WORKSHOP_FIELDS = ("title", "starts_on", "ends_on", "place", "purpose", "plan")
EXERCISE_FIELDS = (
    "kind",
    "title",
    "prompt",
    "columns",
    "dots_per_person",
    "anonymous",
    "scale_low",
    "scale_high",
)


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise InvalidInput(
            problems[0].message if len(problems) == 1 else _("The input breaks %(n)d rules.") % {"n": len(problems)},
            problems=problems,
        )


def _bump(workshop_id: int) -> None:
    """Tell the live views something changed."""
    Workshop.objects.filter(pk=workshop_id).update(revision=F("revision") + 1)


def _facilitator(actor: User | None, workshop: Workshop) -> None:
    if actor is not None and not permissions.can_facilitate(actor, workshop):
        raise NotAllowed(_("Only the workshop's facilitators can do this."))


def _taking_part(participant: Participant, exercise: Exercise) -> None:
    if participant.workshop_id != exercise.workshop_id:
        raise NotAllowed(_("You are not a participant of this workshop."))
    # read afresh: the facilitator may have closed the workshop or the exercise a moment ago
    participant.workshop = Workshop.objects.select_related("administration").get(pk=exercise.workshop_id)
    if not permissions.can_take_part(participant):
        raise NotAllowed(_("This workshop is not open."))
    status = Exercise.objects.filter(pk=exercise.pk).values_list("status", flat=True).first()
    if status != ExerciseStatus.OPEN:
        raise InvalidInput.at("exercise", _("This exercise is not open."))


def _who(participant: Participant) -> dict[str, Any]:
    return {"participant": participant.name, "guest": participant.is_guest}


def _actor_of(participant: Participant) -> User | None:
    return participant.user if not participant.is_guest else None


def new_join_code() -> str:
    """A fresh code no workshop uses."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not Workshop.objects.filter(join_code=code).exists():
            return code


# --- workshops ---------------------------------------------------------------------------------


def _set_facilitators(workshop: Workshop, facilitators: Iterable[User]) -> list[str]:
    names = []
    for user in facilitators:
        seat, _created = Participant.objects.get_or_create(
            workshop=workshop, user=user, defaults={"name": user.display_name, "role": ParticipantRole.FACILITATOR}
        )
        if seat.role != ParticipantRole.FACILITATOR:
            seat.role = ParticipantRole.FACILITATOR
            seat.save(update_fields=["role"])
        names.append(seat.name)
    return sorted(names)


@transaction.atomic
def workshop_create(
    *,
    actor: User | None,
    plan: Plan,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    place: str = "",
    purpose: str = "",
    facilitators: Iterable[User] = (),
) -> Workshop:
    """Add a workshop whose results go into ``plan`` (the actor and ``facilitators`` run it).

    Raises:
        NotAllowed: the actor does not plan for the plan's administration.
        InvalidInput: the title is empty or the dates are the wrong way round.
    """
    administration = plan.administration
    if actor is not None and not permissions.can_create(actor, administration):
        raise NotAllowed(_("Only planners of the administration can run workshops."))
    _raise(rules.workshop_problems(title=title, starts_on=starts_on, ends_on=ends_on))
    workshop = Workshop.objects.create(
        administration=administration,
        plan=plan,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        place=place.strip(),
        purpose=purpose,
        join_code=new_join_code(),
        created_by=actor,
    )
    people = list(facilitators) + ([actor] if actor is not None else [])
    changes: dict[str, Any] = snapshot(workshop, WORKSHOP_FIELDS)
    changes["facilitators"] = _set_facilitators(workshop, people)
    audit_record(actor=actor, action=Action.CREATE, instance=workshop, changes=changes, plan_id=plan.pk)
    return workshop


@transaction.atomic
def workshop_update(
    *,
    actor: User | None,
    workshop: Workshop,
    expected_version: int | None,
    changes: Mapping[str, Any],
    facilitators: Iterable[User] | None = None,
) -> Workshop:
    """Change a workshop's title, dates, place, purpose or plan, and who facilitates.

    Raises:
        NotAllowed: the actor does not facilitate it.
        InvalidInput: the title is empty or the dates are the wrong way round.
        EditConflict: somebody saved it since ``expected_version``.
    """
    _facilitator(actor, workshop)
    before = snapshot(workshop, WORKSHOP_FIELDS)
    for name in WORKSHOP_FIELDS:
        if name in changes:
            setattr(workshop, name, changes[name])
    if "plan" in changes and workshop.plan.administration_id != workshop.administration_id:
        raise InvalidInput.at("plan", _("The plan must belong to the workshop's administration."))
    _raise(rules.workshop_problems(title=workshop.title, starts_on=workshop.starts_on, ends_on=workshop.ends_on))
    save_if_unchanged(workshop, expected_version=expected_version, fields=WORKSHOP_FIELDS)
    recorded: dict[str, Any] = diff(before, snapshot(workshop, WORKSHOP_FIELDS))
    if facilitators is not None:
        chosen = list(facilitators)
        before_names = sorted(p.name for p in workshop.participants.filter(role=ParticipantRole.FACILITATOR))
        workshop.participants.filter(role=ParticipantRole.FACILITATOR).exclude(user__in=[u.pk for u in chosen]).update(
            role=ParticipantRole.PARTICIPANT
        )
        after_names = _set_facilitators(workshop, chosen)
        if before_names != after_names:
            recorded["facilitators"] = [before_names, after_names]
    _bump(workshop.pk)
    audit_record(actor=actor, action=Action.UPDATE, instance=workshop, changes=recorded, plan_id=workshop.plan_id)
    return workshop


@transaction.atomic
def workshop_set_status(*, actor: User | None, workshop: Workshop, status: str) -> Workshop:
    """Open a workshop (its code starts to work) or close it (the code stops working, every
    guest's seat ends with it, and open exercises close). Closing tells the users who took
    part that the record is ready.

    Raises:
        NotAllowed: the actor does not facilitate it.
        InvalidInput: not a status.
    """
    _facilitator(actor, workshop)
    if status not in WorkshopStatus.values:
        raise InvalidInput.at("status", _("Not a workshop status."))
    before = workshop.status
    workshop.status = status
    workshop.save(update_fields=["status", "updated_at"])
    if status == WorkshopStatus.CLOSED:
        workshop.exercises.filter(status=ExerciseStatus.OPEN).update(status=ExerciseStatus.CLOSED)
        if before != WorkshopStatus.CLOSED:
            people = User.objects.filter(workshop_seats__workshop=workshop, is_active=True)
            if actor is not None:
                people = people.exclude(pk=actor.pk)
            notify_all(
                recipients=people,
                key=f"workshop-closed:{workshop.pk}",
                message=Message(
                    subject=_("The record of “%(title)s” is ready") % {"title": workshop.title},
                    body=_(
                        "The workshop is closed; its notes, votes, rankings and what went into the plan are recorded."
                    ),
                    url=reverse("workshop-report", args=[workshop.pk]),
                ),
            )
    _bump(workshop.pk)
    audit_record(
        actor=actor,
        action=Action.STATUS,
        instance=workshop,
        changes={"status": [before, status]},
        plan_id=workshop.plan_id,
    )
    return workshop


@transaction.atomic
def participant_join(
    *, workshop: Workshop, user: User | None = None, name: str = "", as_guest: bool = False
) -> Participant:
    """Take a seat in an open workshop: a user (once; joining again returns the seat), or a
    guest known by ``name``.

    Raises:
        NotAllowed: the workshop is not open, or the user has no role in its administration.
        InvalidInput: a guest without a name, or with a name somebody in the room already has.
    """
    if workshop.status != WorkshopStatus.OPEN:
        raise NotAllowed(_("This workshop is not open."))
    if user is not None and not as_guest:
        if not permissions.can_join_as_user(user, workshop):
            raise NotAllowed(_("You have no role in this workshop's administration."))
        seat, created = Participant.objects.get_or_create(
            workshop=workshop, user=user, defaults={"name": user.display_name}
        )
        if not created:
            return seat
    else:
        cleaned = " ".join(name.split())
        _raise(rules.guest_name_problems(cleaned))
        if workshop.participants.filter(name__iexact=cleaned).exists():
            raise InvalidInput.at("name", _("Somebody in the room already has this name: add an initial."))
        seat = Participant.objects.create(workshop=workshop, name=cleaned, is_guest=True)
    _bump(workshop.pk)
    audit_record(
        actor=user if not seat.is_guest else None,
        action=Action.CREATE,
        instance=seat,
        changes=_who(seat),
        plan_id=workshop.plan_id,
        administration_id=workshop.administration_id,
    )
    return seat


# --- exercises ---------------------------------------------------------------------------------


def _lines(text_or_lines: str | Sequence[str]) -> list[str]:
    lines = text_or_lines.splitlines() if isinstance(text_or_lines, str) else list(text_or_lines)
    return [" ".join(line.split()) for line in lines if line.strip()]


@transaction.atomic
def exercise_save(
    *,
    actor: User | None,
    workshop: Workshop,
    kind: str,
    title: str,
    prompt: str = "",
    columns: Sequence[Mapping[str, str]] = (),
    options: Sequence[str] | None = None,
    criteria: Sequence[Mapping[str, Any]] | None = None,
    dots_per_person: int = 5,
    anonymous: bool = False,
    scale_low: int = 1,
    scale_high: int = 5,
    exercise: Exercise | None = None,
) -> Exercise:
    """Add an exercise to the agenda, or change one. ``options`` (labels) and ``criteria``
    (``{"name", "weight", "direction", "axis"}``) replace the exercise's own when given; options
    that already carry votes keep them (they are matched by label).

    Raises:
        NotAllowed: the actor does not facilitate the workshop.
        InvalidInput: a rule of the exercise is broken (located by field).
    """
    _facilitator(actor, workshop)
    if exercise is not None and exercise.workshop_id != workshop.pk:
        raise NotAllowed(_("This exercise belongs to another workshop."))
    option_labels = _lines(options) if options is not None else None
    _raise(
        rules.exercise_problems(
            kind=kind,
            title=title,
            columns=columns,
            options=option_labels,
            criteria=criteria,
            dots_per_person=dots_per_person,
            scale_low=scale_low,
            scale_high=scale_high,
        )
    )
    values = {
        "kind": kind,
        "title": title.strip(),
        "prompt": prompt,
        "columns": [{"key": c["key"], "label": c["label"]} for c in columns],
        "dots_per_person": dots_per_person,
        "anonymous": anonymous,
        "scale_low": scale_low,
        "scale_high": scale_high,
    }
    if exercise is None:
        position = (workshop.exercises.aggregate(top=Max("position"))["top"] or 0) + 1
        exercise = Exercise.objects.create(workshop=workshop, position=position, **values)
        action, changes = Action.CREATE, snapshot(exercise, EXERCISE_FIELDS)
    else:
        before = snapshot(exercise, EXERCISE_FIELDS)
        for key, value in values.items():
            setattr(exercise, key, value)
        exercise.save()
        action, changes = Action.UPDATE, diff(before, snapshot(exercise, EXERCISE_FIELDS))
    if option_labels is not None:
        kept = {o.label: o for o in exercise.options.all()}
        exercise.options.exclude(label__in=option_labels).delete()
        for position, label in enumerate(option_labels, start=1):
            if label in kept:
                Option.objects.filter(pk=kept[label].pk).update(position=position)
            else:
                Option.objects.create(exercise=exercise, label=label, position=position)
        changes["options"] = option_labels
    if criteria is not None:
        # matched by name, so that changing a weight keeps the scores already given
        names = [str(item["name"]).strip() for item in criteria]
        exercise.criteria.exclude(name__in=names).delete()
        for position, (name, item) in enumerate(zip(names, criteria, strict=True), start=1):
            Criterion.objects.update_or_create(
                exercise=exercise,
                name=name,
                defaults={
                    "weight": int(item.get("weight", 1)),
                    "direction": str(item.get("direction", "higher")),
                    "axis": str(item.get("axis", "")),
                    "position": position,
                },
            )
        changes["criteria"] = [str(item["name"]) for item in criteria]
    _bump(workshop.pk)
    audit_record(actor=actor, action=action, instance=exercise, changes=changes, plan_id=workshop.plan_id)
    return exercise


@transaction.atomic
def exercise_set_status(
    *, actor: User | None, exercise: Exercise, status: str | None = None, results_visible: bool | None = None
) -> Exercise:
    """Open or close an exercise, and show or hide its results to participants.

    Raises:
        NotAllowed: the actor does not facilitate the workshop.
        InvalidInput: not a status; or opening an exercise of a workshop that is not open.
    """
    workshop = exercise.workshop
    _facilitator(actor, workshop)
    changes: dict[str, Any] = {}
    if status is not None:
        if status not in ExerciseStatus.values:
            raise InvalidInput.at("status", _("Not an exercise status."))
        if status == ExerciseStatus.OPEN and not workshop.is_open:
            raise InvalidInput.at("status", _("Open the workshop first."))
        changes["status"] = [exercise.status, status]
        exercise.status = status
    if results_visible is not None:
        changes["results_visible"] = [exercise.results_visible, results_visible]
        exercise.results_visible = results_visible
    exercise.save(update_fields=["status", "results_visible", "updated_at"])
    _bump(workshop.pk)
    audit_record(actor=actor, action=Action.STATUS, instance=exercise, changes=changes, plan_id=workshop.plan_id)
    return exercise


@transaction.atomic
def options_from_board(*, actor: User | None, exercise: Exercise, board: Exercise) -> list[Option]:
    """Make the options of a vote, a scoring or a comparison from a board: one per cluster and
    one per note left outside any cluster. Options made from that board before are replaced.

    Raises:
        NotAllowed: the actor does not facilitate the workshop.
        InvalidInput: ``board`` is not a board of this workshop, or this exercise is a board.
    """
    workshop = exercise.workshop
    _facilitator(actor, workshop)
    if board.workshop_id != workshop.pk or board.kind != ExerciseKind.BOARD:
        raise InvalidInput.at("board", _("Choose a board of this workshop."))
    if exercise.kind == ExerciseKind.BOARD:
        raise InvalidInput.at("exercise", _("A board has notes, not options."))
    exercise.options.exclude(cluster__isnull=True, note__isnull=True).delete()
    made: list[Option] = []
    position = exercise.options.aggregate(top=Max("position"))["top"] or 0
    for cluster in board.clusters.all():
        position += 1
        made.append(
            Option.objects.create(exercise=exercise, label=cluster.name[:200], cluster=cluster, position=position)
        )
    for note in board.notes.filter(cluster__isnull=True):
        position += 1
        made.append(Option.objects.create(exercise=exercise, label=note.text[:200], note=note, position=position))
    exercise.source = board
    exercise.save(update_fields=["source", "updated_at"])
    _bump(workshop.pk)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        instance=exercise,
        changes={"options_from": board.title, "options": [o.label for o in made]},
        plan_id=workshop.plan_id,
    )
    return made


@transaction.atomic
def options_from_functions(*, actor: User | None, exercise: Exercise) -> list[Option]:
    """Make the options of a comparison from the functions of the plan's activity profile,
    so that the ranking can set their priorities.

    Raises:
        NotAllowed: the actor does not facilitate the workshop.
        InvalidInput: the plan has no functions, or more than a comparison can take.
    """
    workshop = exercise.workshop
    _facilitator(actor, workshop)
    functions = list(workshop.plan.functions.all())
    _raise(rules.option_count_problems(exercise.kind, len(functions)))
    exercise.options.all().delete()
    made = [
        Option.objects.create(exercise=exercise, label=f.name[:200], function=f, position=i)
        for i, f in enumerate(functions, start=1)
    ]
    _bump(workshop.pk)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        instance=exercise,
        changes={"options_from": "functions", "options": [o.label for o in made]},
        plan_id=workshop.plan_id,
    )
    return made


# --- the board ---------------------------------------------------------------------------------


@transaction.atomic
def note_add(*, participant: Participant, exercise: Exercise, column: str, text: str) -> Note:
    """A participant's sticky note in a column of an open board.

    Raises:
        NotAllowed: not a participant of this open workshop.
        InvalidInput: the exercise is not an open board, the column is not one of its columns,
            or the text is empty or too long.
    """
    _taking_part(participant, exercise)
    if exercise.kind != ExerciseKind.BOARD:
        raise InvalidInput.at("exercise", _("Notes go on a board."))
    _raise(rules.note_problems(column=column, text=text, columns=[c["key"] for c in exercise.columns]))
    note = Note.objects.create(exercise=exercise, column=column, text=" ".join(text.split()), author=participant)
    _bump(exercise.workshop_id)
    audit_record(
        actor=_actor_of(participant),
        action=Action.CREATE,
        instance=note,
        changes={"column": column, "text": note.text, **_who(participant)},
        plan_id=exercise.workshop.plan_id,
        administration_id=exercise.workshop.administration_id,
    )
    return note


@transaction.atomic
def note_delete(*, actor: User | None, note: Note) -> None:
    """Take a note off the board (a duplicate, something off topic).

    Raises:
        NotAllowed: the actor does not facilitate the workshop.
    """
    workshop = note.exercise.workshop
    _facilitator(actor, workshop)
    label, pk, text = str(note), note.pk, note.text
    note.delete()
    _bump(workshop.pk)
    audit_record(
        actor=actor,
        action=Action.DELETE,
        entity="workshops.Note",
        entity_id=pk,
        label=label,
        changes={"text": text},
        plan_id=workshop.plan_id,
        administration_id=workshop.administration_id,
    )


@transaction.atomic
def cluster_save(
    *, actor: User | None, exercise: Exercise, name: str, column: str = "", cluster: Cluster | None = None
) -> Cluster:
    """Add a cluster to a board's column, or rename one.

    Raises:
        NotAllowed: the actor does not facilitate the workshop.
        InvalidInput: no name, or not a column of the board.
    """
    workshop = exercise.workshop
    _facilitator(actor, workshop)
    if cluster is not None and cluster.exercise_id != exercise.pk:
        raise NotAllowed(_("This cluster belongs to another exercise."))
    column = cluster.column if cluster is not None else column
    _raise(rules.cluster_problems(name=name, column=column, columns=[c["key"] for c in exercise.columns]))
    changes: dict[str, Any]
    if cluster is None:
        position = (exercise.clusters.aggregate(top=Max("position"))["top"] or 0) + 1
        cluster = Cluster.objects.create(exercise=exercise, column=column, name=name.strip(), position=position)
        action, changes = Action.CREATE, {"name": cluster.name, "column": column}
    else:
        action, changes = Action.UPDATE, {"name": [cluster.name, name.strip()]}
        cluster.name = name.strip()
        cluster.save(update_fields=["name"])
    _bump(workshop.pk)
    audit_record(actor=actor, action=action, instance=cluster, changes=changes, plan_id=workshop.plan_id)
    return cluster


@transaction.atomic
def note_cluster(*, actor: User | None, note: Note, cluster: Cluster | None) -> Note:
    """Put a note into a cluster (``None``: take it out). The note moves to the cluster's column.

    Raises:
        NotAllowed: the actor does not facilitate the workshop.
        InvalidInput: the cluster is on another board.
    """
    workshop = note.exercise.workshop
    _facilitator(actor, workshop)
    if cluster is not None and cluster.exercise_id != note.exercise_id:
        raise InvalidInput.at("cluster", _("The cluster is on another board."))
    before = note.cluster.name if note.cluster is not None else None
    note.cluster = cluster
    if cluster is not None:
        note.column = cluster.column
    note.save(update_fields=["cluster", "column"])
    _bump(workshop.pk)
    audit_record(
        actor=actor,
        action=Action.MOVE,
        instance=note,
        changes={"cluster": [before, cluster.name if cluster is not None else None]},
        plan_id=workshop.plan_id,
    )
    return note


# --- votes, scores, comparisons ----------------------------------------------------------------


def _option_of(exercise: Exercise, option: Option) -> None:
    if option.exercise_id != exercise.pk:
        raise InvalidInput.at("option", _("This option belongs to another exercise."))


@transaction.atomic
def dots_set(*, participant: Participant, option: Option, dots: int) -> DotVote:
    """Set how many of their dots a participant puts on an option (0 takes them back).

    Raises:
        NotAllowed: not a participant of this open workshop.
        InvalidInput: the exercise is not open dot voting, or the dots are negative or more
            than the participant has left.
    """
    exercise = option.exercise
    _taking_part(participant, exercise)
    if exercise.kind != ExerciseKind.DOT_VOTE:
        raise InvalidInput.at("exercise", _("This exercise is not a dot vote."))
    # the participant's row is locked so that two quick taps cannot both spend the last dot
    Participant.objects.select_for_update(of=("self",)).filter(pk=participant.pk).first()
    mine = dict(
        DotVote.objects.filter(participant=participant, option__exercise=exercise).values_list("option_id", "dots")
    )
    problem = tally_engine.allocation_problem(budget=exercise.dots_per_person, mine=mine, option=option.pk, dots=dots)
    if problem == "negative":
        raise InvalidInput.at("dots", _("Dots cannot be negative."))
    if problem == "over_budget":
        raise InvalidInput.at(
            "dots", _("You have %(n)d dots in all; take some back first.") % {"n": exercise.dots_per_person}
        )
    vote, _created = DotVote.objects.update_or_create(option=option, participant=participant, defaults={"dots": dots})
    _bump(exercise.workshop_id)
    who = {} if exercise.anonymous else _who(participant)
    audit_record(
        actor=None if exercise.anonymous else _actor_of(participant),
        action=Action.UPDATE,
        entity="workshops.DotVote",
        entity_id=vote.pk,
        label=f"{exercise.title}: {option.label}"[:300],
        changes={"dots": [mine.get(option.pk, 0), dots], **who},
        plan_id=exercise.workshop.plan_id,
        administration_id=exercise.workshop.administration_id,
    )
    return vote


@transaction.atomic
def score_set(*, participant: Participant, option: Option, criterion: Criterion, value: int) -> Score:
    """A participant's score of one option on one criterion (given again, it replaces the last).

    Raises:
        NotAllowed: not a participant of this open workshop.
        InvalidInput: the exercise is not open scoring, the criterion is another exercise's,
            or the value is off the scale.
    """
    exercise = option.exercise
    _taking_part(participant, exercise)
    if exercise.kind != ExerciseKind.SCORING or criterion.exercise_id != exercise.pk:
        raise InvalidInput.at("criterion", _("This criterion is not one of the exercise's."))
    if not exercise.scale_low <= value <= exercise.scale_high:
        raise InvalidInput.at(
            "value",
            _("Score from %(low)d to %(high)d.") % {"low": exercise.scale_low, "high": exercise.scale_high},
        )
    score, _created = Score.objects.update_or_create(
        option=option, criterion=criterion, participant=participant, defaults={"value": value}
    )
    _bump(exercise.workshop_id)
    audit_record(
        actor=_actor_of(participant),
        action=Action.UPDATE,
        entity="workshops.Score",
        entity_id=score.pk,
        label=f"{exercise.title}: {option.label} / {criterion.name}"[:300],
        changes={"value": value, **_who(participant)},
        plan_id=exercise.workshop.plan_id,
        administration_id=exercise.workshop.administration_id,
    )
    return score


@transaction.atomic
def comparison_set(*, participant: Participant, preferred: Option, other: Option, strength: int) -> Comparison:
    """A participant's judgement of a pair: ``preferred`` matters more than ``other`` by
    ``strength`` on Saaty's scale (1 equal … 9 extremely). Given again, it replaces the last.

    Raises:
        NotAllowed: not a participant of this open workshop.
        InvalidInput: not an open comparison, the two are the same or of different exercises,
            or the strength is off the scale.
    """
    exercise = preferred.exercise
    _taking_part(participant, exercise)
    if exercise.kind != ExerciseKind.PAIRWISE:
        raise InvalidInput.at("exercise", _("This exercise is not a pairwise comparison."))
    _option_of(exercise, other)
    if preferred.pk == other.pk:
        raise InvalidInput.at("other", _("Compare two different options."))
    if not 1 <= strength <= 9:
        raise InvalidInput.at("strength", _("The strength runs from 1 (equal) to 9 (extremely more important)."))
    first, second = (preferred, other) if preferred.pk < other.pk else (other, preferred)
    comparison, _created = Comparison.objects.update_or_create(
        first=first,
        second=second,
        participant=participant,
        defaults={"prefers_first": first.pk == preferred.pk, "strength": strength},
    )
    _bump(exercise.workshop_id)
    audit_record(
        actor=_actor_of(participant),
        action=Action.UPDATE,
        entity="workshops.Comparison",
        entity_id=comparison.pk,
        label=f"{exercise.title}: {preferred.label} / {other.label}"[:300],
        changes={"preferred": preferred.label, "other": other.label, "strength": strength, **_who(participant)},
        plan_id=exercise.workshop.plan_id,
        administration_id=exercise.workshop.administration_id,
    )
    return comparison


# --- from the room to the plan -----------------------------------------------------------------


def _results_of(exercise: Exercise, *sources: Note | Cluster | Option | None) -> None:
    for source in sources:
        if source is not None and source.exercise_id != exercise.pk:
            raise InvalidInput.at("source", _("This result belongs to another exercise."))


def _outcome(
    *,
    actor: User | None,
    exercise: Exercise,
    kind: str,
    target_id: int,
    label: str,
    detail: str = "",
    note: Note | None = None,
    cluster: Cluster | None = None,
    option: Option | None = None,
    action: FollowUpAction | None = None,
    proposal: Proposal | None = None,
) -> Outcome:
    outcome = Outcome.objects.create(
        workshop=exercise.workshop,
        exercise=exercise,
        note=note,
        cluster=cluster,
        option=option,
        action=action,
        proposal=proposal,
        kind=kind,
        target_id=target_id,
        label=label[:300],
        detail=detail[:100],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        instance=outcome,
        changes={"kind": kind, "target_id": target_id, "exercise": exercise.title, "workshop": exercise.workshop.title},
        plan_id=exercise.workshop.plan_id,
    )
    return outcome


@transaction.atomic
def to_analysis_item(
    *,
    actor: User | None,
    exercise: Exercise,
    framework: str,
    category: str,
    text: str,
    note: Note | None = None,
    cluster: Cluster | None = None,
) -> Outcome:
    """Turn a board's note or cluster into a SWOT/PESTLE item of the plan's environmental scan
    (through ``plans.services.analysis_item_save``), keeping the link back.

    Raises:
        NotAllowed: the actor does not facilitate the workshop or may not change the plan.
        InvalidInput: the note or cluster is on another board, or the item breaks a plan rule.
    """
    _facilitator(actor, exercise.workshop)
    for source in (note, cluster):
        if source is not None and source.exercise_id != exercise.pk:
            raise InvalidInput.at("source", _("This note is on another board."))
    if category not in CATEGORIES_BY_FRAMEWORK.get(framework, []):
        raise InvalidInput.at("category", _("Choose a category of the framework."))
    item = plan_services.analysis_item_save(
        actor=actor, plan=exercise.workshop.plan, framework=framework, category=category, text=text
    )
    return _outcome(
        actor=actor,
        exercise=exercise,
        kind=OutcomeKind.ANALYSIS_ITEM,
        target_id=item.pk,
        label=item.text,
        detail=category,
        note=note,
        cluster=cluster,
    )


def priority_for_rank(rank: int, count: int) -> str:
    """High for the first third of a ranking, medium for the second, low for the rest."""
    if rank <= max(1, round(count / 3)):
        return Priority.HIGH
    if rank <= max(2, round(2 * count / 3)):
        return Priority.MEDIUM
    return Priority.LOW


@transaction.atomic
def to_function_priorities(*, actor: User | None, exercise: Exercise) -> list[Outcome]:
    """Set the priorities of the activity profile's functions from an exercise's ranking (a
    comparison, a scoring or a dot vote): the first third high, the next medium, the rest low.
    An option that is not yet a function of the plan becomes one (``function_save``).

    Raises:
        NotAllowed: the actor does not facilitate the workshop or may not change the plan.
        InvalidInput: the exercise has no ranking yet (a board, or nothing voted).
    """
    from waypoint.workshops import selectors

    _facilitator(actor, exercise.workshop)
    ranking = selectors.ranking(exercise)
    if not ranking:
        raise InvalidInput.at("exercise", _("There is no ranking to take priorities from yet."))
    plan = exercise.workshop.plan
    outcomes = []
    for option, rank in ranking:
        priority = priority_for_rank(rank, len(ranking))
        function = option.function
        if function is None:
            function = PlanFunction.objects.filter(plan=plan, name=option.label[:150]).first()
        function = plan_services.function_save(
            actor=actor,
            plan=plan,
            name=function.name if function is not None else option.label[:150],
            description=function.description if function is not None else "",
            priority=priority,
            function=function,
        )
        if option.function_id != function.pk:
            Option.objects.filter(pk=option.pk).update(function=function)
        outcomes.append(
            _outcome(
                actor=actor,
                exercise=exercise,
                kind=OutcomeKind.FUNCTION,
                target_id=function.pk,
                label=function.name,
                detail=f"{priority} (#{rank})",
                option=option,
            )
        )
    return outcomes


@transaction.atomic
def to_element(
    *,
    actor: User | None,
    exercise: Exercise,
    title: str,
    parent: PlanElement | None,
    responsible_unit: OrgUnit | None,
    note: Note | None = None,
    cluster: Cluster | None = None,
    option: Option | None = None,
) -> Outcome:
    """Draft a plan element (a goal, or a child of ``parent``) from a result of the room,
    through ``plans.services.element_create``.

    Raises:
        NotAllowed: the actor does not facilitate the workshop or may not add the element.
        PlanRuleBroken: the element breaks a plan rule.
    """
    _facilitator(actor, exercise.workshop)
    element = plan_services.element_create(
        actor=actor, plan=exercise.workshop.plan, parent=parent, title=title, responsible_unit=responsible_unit
    )
    return _outcome(
        actor=actor,
        exercise=exercise,
        kind=OutcomeKind.ELEMENT,
        target_id=element.pk,
        label=f"{element.code} {element.title}",
        detail=element.kind,
        note=note,
        cluster=cluster,
        option=option,
    )


#: what an existing record of the plan may be linked to a result as, and where it is found
_LINKABLE: dict[str, str] = {
    OutcomeKind.ANALYSIS_ITEM: "analysis_items",
    OutcomeKind.FUNCTION: "functions",
    OutcomeKind.ELEMENT: "elements",
    OutcomeKind.ACTION: "follow_up_actions",
}


@transaction.atomic
def outcome_link(
    *,
    actor: User | None,
    exercise: Exercise,
    kind: str,
    target_id: int,
    detail: str = "",
    note: Note | None = None,
    cluster: Cluster | None = None,
    option: Option | None = None,
) -> Outcome:
    """Record that a record the plan already has (a SWOT/PESTLE item, a function, an element,
    a follow-up action of its register) is what a result of the room says, instead of adding a
    duplicate: the link back is kept as for a new one.

    Raises:
        NotAllowed: the actor does not facilitate the workshop, or may not change the plan.
        InvalidInput: not a kind that can be linked, no such record in the workshop's plan, or
            an action that another result is linked to already.
    """
    workshop = exercise.workshop
    _facilitator(actor, workshop)
    if actor is not None and not permissions.can_edit_plan_of(actor, workshop):
        raise NotAllowed(_("Only planners can change the plan."))
    if kind not in _LINKABLE:
        raise InvalidInput.at(
            "kind", _("Only SWOT/PESTLE items, functions, plan elements and follow-up actions can be linked.")
        )
    target = getattr(workshop.plan, _LINKABLE[kind]).filter(pk=target_id).first()
    if target is None:
        raise InvalidInput.at("target_id", _("The plan has no such record."))
    action = target if isinstance(target, FollowUpAction) else None
    if action is not None and Outcome.objects.filter(action=action).exists():
        raise InvalidInput.at("target_id", _("This action is linked to a workshop result already."))
    return _outcome(
        actor=actor,
        exercise=exercise,
        kind=kind,
        target_id=target.pk,
        label=str(getattr(target, "text", None) or getattr(target, "name", None) or target),
        detail=detail,
        note=note,
        cluster=cluster,
        option=option,
        action=action,
    )


@transaction.atomic
def action_create(
    *,
    actor: User | None,
    exercise: Exercise,
    title: str,
    owner_unit: OrgUnit | None,
    due_on: dt.date | None,
    priority: str = "medium",
    description: str = "",
    note: Note | None = None,
    cluster: Cluster | None = None,
    option: Option | None = None,
) -> Outcome:
    """Turn a result of the room into a follow-up action of the plan's register
    (``monitoring.services.action_create``: numbered, rights checked and audited there), its
    source the workshop; the ``Outcome`` keeps the link back to the exercise and result.

    Raises:
        NotAllowed: the actor does not facilitate the workshop, or may not add actions to the plan.
        InvalidInput: no title, no unit of the administration, no due date, or a source on
            another exercise.
    """
    workshop = exercise.workshop
    _facilitator(actor, workshop)
    _results_of(exercise, note, cluster, option)
    action = monitoring_services.action_create(
        actor=actor,
        plan=workshop.plan,
        title=title.strip()[:300],
        description=description,
        owner_unit=owner_unit,
        due_on=due_on,
        priority=priority,
        source=ActionSource.WORKSHOP,
        source_detail=f"{workshop.title}, {exercise.title}"[:200],
    )
    return _outcome(
        actor=actor,
        exercise=exercise,
        kind=OutcomeKind.ACTION,
        target_id=action.pk,
        label=f"{action.code} {action.title}",
        detail=action.due_on.isoformat(),
        note=note,
        cluster=cluster,
        option=option,
        action=action,
    )


def _open_round(plan: Plan, round_: PlanningRound | None) -> PlanningRound:
    found = round_selectors.open_round_of(plan)
    if found is None:
        raise InvalidInput.at(
            "round",
            _("“%(plan)s” has no planning round open: proposals are written while a planner keeps one open.")
            % {"plan": text_for(plan, "title", plan.language).text},
        )
    if round_ is not None and round_.pk != found.pk:
        raise InvalidInput.at(
            "round",
            _("Choose the open planning round of “%(plan)s”: %(round)s.")
            % {"plan": text_for(plan, "title", plan.language).text, "round": found.title},
        )
    return found


@transaction.atomic
def to_proposal(
    *,
    actor: User | None,
    exercise: Exercise,
    unit: OrgUnit,
    title: str,
    parent_element: PlanElement | None = None,
    parent_proposal: Proposal | None = None,
    kind: str | None = None,
    round_: PlanningRound | None = None,
    description: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    note: Note | None = None,
    cluster: Cluster | None = None,
    option: Option | None = None,
) -> Outcome:
    """Write a result of the room as a proposal of ``unit``'s submission in the open planning
    round of the workshop's plan (bottom-up planning), through ``rounds.services.proposal_save``:
    numbered, checked by the round's rules and rights, and audited there. It goes under
    ``parent_element`` (an element of the round's frame, or below it) or ``parent_proposal``;
    its kind is the one that goes under that parent unless ``kind`` says otherwise. The
    ``Outcome`` keeps the link back, which the proposal's page shows ("From workshop").

    Who may: a facilitator of the workshop who also writes that unit's submission by the
    round's own rule (``rounds.permissions.works_on``): a contributor of the unit, or a planner
    for the administration's own submission (the planning department's level). Facilitating
    gives no right in the round: a planner does not write a unit's submission for it.

    Raises:
        NotAllowed: the actor does not facilitate the workshop, or does not write the unit's
            submission.
        InvalidInput: the result is on another exercise ("source"); the plan has no open
            round, or ``round_`` is not it ("round"); the round asked the unit for nothing, or
            its submission is in ("unit"); no parent, or an activity as parent ("parent"); the
            proposal breaks a rule of the round (problems name the fields: "parent", "title",
            "starts_on", …). Nothing is written then.
    """
    workshop = exercise.workshop
    _facilitator(actor, workshop)
    _results_of(exercise, note, cluster, option)
    found = _open_round(workshop.plan, round_)
    submission = (
        found.submissions.select_related("unit", "parent", "round__plan__administration").filter(unit=unit).first()
    )
    if submission is None:
        raise InvalidInput.at(
            "unit",
            _("%(round)s asks %(unit)s for nothing: choose a unit that has a submission in the round.")
            % {"round": found.title, "unit": unit.name},
        )
    if actor is not None and not round_permissions.works_on(actor, submission):
        raise NotAllowed(
            _("Only planners write the proposals of the administration's own level.")
            if submission.is_root
            else _("Only the contributors of %(unit)s write its submission: choose a unit you work for.")
            % {"unit": unit.name}
        )
    if not round_selectors.is_writable(submission):
        raise InvalidInput.at(
            "unit",
            _("%(unit)s has submitted its proposals: its submission takes new ones only if it is returned.")
            % {"unit": unit.name},
        )
    parent = parent_element or parent_proposal
    if parent is None:
        raise InvalidInput.at("parent", _("Place the proposal under an element of the round's frame or a proposal."))
    wanted = kind or rules.CHILD_KIND.get(parent.kind)
    if wanted is None:
        raise InvalidInput.at(
            "parent", _("Nothing is proposed under an activity: choose a goal, objective or initiative.")
        )
    proposal = round_services.proposal_save(
        actor=actor,
        submission=submission,
        values=round_services.ProposalInput(
            kind=wanted,
            title=" ".join(title.split())[:300],
            responsible_unit=unit,
            description=description,
            starts_on=starts_on,
            ends_on=ends_on,
            parent_element=parent_element,
            parent_proposal=parent_proposal,
        ),
    )
    return _outcome(
        actor=actor,
        exercise=exercise,
        kind=OutcomeKind.PROPOSAL,
        target_id=proposal.pk,
        label=f"{proposal.code} {proposal.title}",
        detail=f"{proposal.kind}, {unit.code}",
        note=note,
        cluster=cluster,
        option=option,
        proposal=proposal,
    )
