"""The workshop record as data: agenda, participants, each exercise's notes, clusters, votes
and rankings, and what went into the plan (its follow-up actions and the proposals of its
planning round included). The JSON export and the API read it; votes of an
anonymous exercise are counted, never attributed."""

from __future__ import annotations

from typing import Any

from waypoint.workshops import selectors
from waypoint.workshops.models import DotVote, Exercise, ExerciseKind, Workshop

FORMAT = "waypoint-workshop-record"


def exercise_results(exercise: Exercise) -> dict[str, Any]:
    """One exercise's content and results."""
    data: dict[str, Any] = {
        "id": exercise.pk,
        "kind": exercise.kind,
        "title": exercise.title,
        "prompt": exercise.prompt,
        "status": exercise.status,
        "anonymous": exercise.anonymous,
        "counts": selectors.counts(exercise),
    }
    if exercise.kind == ExerciseKind.BOARD:
        data["columns"] = [
            {
                "key": column.key,
                "label": column.label,
                "clusters": [
                    {
                        "id": view.cluster.pk,
                        "name": view.cluster.name,
                        "notes": [_note(n, exercise) for n in view.notes],
                    }
                    for view in column.clusters
                ],
                "notes": [_note(n, exercise) for n in column.loose],
            }
            for column in selectors.board(exercise)
        ]
        return data
    data["options"] = [{"id": o.pk, "label": o.label} for o in exercise.options.all()]
    if exercise.kind == ExerciseKind.DOT_VOTE:
        result, _found = selectors.dot_tally(exercise)
        data["dots_per_person"] = exercise.dots_per_person
        data["results"] = [
            {"option": r.option, "dots": r.dots, "voters": r.voters, "rank": r.rank} for r in result.rows
        ]
        if not exercise.anonymous:
            data["votes"] = [
                {"option": v.option_id, "participant": v.participant.name, "dots": v.dots}
                for v in DotVote.objects.filter(option__exercise=exercise, dots__gt=0).select_related("participant")
            ]
    elif exercise.kind == ExerciseKind.SCORING:
        scored, _found = selectors.scoring_result(exercise)
        data["criteria"] = [
            {"id": c.pk, "name": c.name, "weight": c.weight, "direction": c.direction, "axis": c.axis}
            for c in exercise.criteria.all()
        ]
        data["scale"] = [exercise.scale_low, exercise.scale_high]
        data["results"] = [
            {
                "option": r.option,
                "score": r.score,
                "rank": r.rank,
                "impact": r.impact,
                "effort": r.effort,
                "quadrant": r.quadrant,
                "scorers": r.scorers,
            }
            for r in scored.rows
        ]
    elif exercise.kind == ExerciseKind.PAIRWISE:
        view = selectors.pairwise_result(exercise)
        data["method"] = "AHP: geometric mean of judgements, principal eigenvector, Harker for missing pairs"
        data["results"] = [
            {"option": key, "rank": rank, "weight": round(view.result.weights[key], 6)}
            for key, rank in view.result.ranking
        ]
        data["consistency_ratio"] = view.result.consistency_ratio
        data["connected"] = view.result.connected
        data["pairs_compared"] = view.result.pairs_compared
        data["pairs_total"] = view.result.pairs_total
        data["participants_consistent"] = view.consistent_people
        data["participants_judging"] = len(view.individual)
    return data


def _note(note: Any, exercise: Exercise) -> dict[str, Any]:
    row = {"id": note.pk, "text": note.text}
    if not exercise.anonymous and note.author is not None:
        row["author"] = note.author.name
    return row


def workshop_record(workshop: Workshop) -> dict[str, Any]:
    return {
        "format": FORMAT,
        # 2: follow-up actions are the register's (code, title, owner unit, due date, status)
        # 3: results written as proposals of the plan's planning round (kind "proposal", and
        #    the proposals with their round, unit and status)
        "format_version": 3,
        "workshop": {
            "id": workshop.pk,
            "title": workshop.title,
            "starts_on": workshop.starts_on,
            "ends_on": workshop.ends_on,
            "place": workshop.place,
            "purpose": workshop.purpose,
            "status": workshop.status,
            "plan": {"id": workshop.plan_id, "title": workshop.plan.title},
        },
        "participants": [{"name": p.name, "role": p.role, "guest": p.is_guest} for p in workshop.participants.all()],
        "exercises": [exercise_results(e) for e in workshop.exercises.all()],
        "into_the_plan": [
            {
                "kind": o.kind,
                "target_id": o.target_id,
                "label": o.label,
                "detail": o.detail,
                "exercise": o.exercise.title,
                "from": (
                    {"note": o.note.text}
                    if o.note
                    else {"cluster": o.cluster.name}
                    if o.cluster
                    else {"option": o.option.label}
                    if o.option
                    else {}
                ),
            }
            for o in selectors.outcomes(workshop)
        ],
        "follow_up_actions": [
            {
                "code": o.action.code,
                "title": o.action.title,
                "owner_unit": o.action.owner_unit.code,
                "due_on": o.action.due_on,
                "status": o.action.status,
                "exercise": o.exercise.title,
            }
            for o in selectors.outcomes(workshop)
            if o.action is not None
        ],
        "proposals": [
            {
                "code": o.proposal.code,
                "kind": o.proposal.kind,
                "title": o.proposal.title,
                "unit": o.proposal.origin.unit.code,
                "round": o.proposal.round.title,
                "status": o.proposal.status,
                "exercise": o.exercise.title,
            }
            for o in selectors.outcomes(workshop)
            if o.proposal is not None
        ],
    }
