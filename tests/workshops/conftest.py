"""A workshop of the test world's plan with one exercise of each kind (made through the services)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tests.world import World
from waypoint.workshops import services
from waypoint.workshops.models import Exercise, Participant, Workshop

SWOT = [
    {"key": "strength", "label": "Strengths"},
    {"key": "weakness", "label": "Weaknesses"},
    {"key": "opportunity", "label": "Opportunities"},
    {"key": "threat", "label": "Threats"},
]


@dataclass
class Room:
    workshop: Workshop
    board: Exercise
    dots: Exercise
    scoring: Exercise
    pairwise: Exercise
    guest: Participant


def make_room(w: World, *, open_all: bool = True) -> Room:
    planner = w.users["planner"]
    workshop = services.workshop_create(
        actor=planner,
        plan=w.plan,
        title="Strategic planning workshop",
        starts_on=dt.date(2011, 11, 14),
        ends_on=dt.date(2011, 11, 18),
        place="Baku",
    )
    board = services.exercise_save(actor=planner, workshop=workshop, kind="board", title="SWOT", columns=SWOT)
    dots = services.exercise_save(
        actor=planner,
        workshop=workshop,
        kind="dot_vote",
        title="Priorities",
        options=["Risk management", "Single window", "Training"],
        dots_per_person=3,
    )
    scoring = services.exercise_save(
        actor=planner,
        workshop=workshop,
        kind="scoring",
        title="Initiatives",
        options=["Lanes", "Scanners"],
        criteria=[
            {"name": "Impact", "weight": 3, "direction": "higher", "axis": "impact"},
            {"name": "Cost", "weight": 1, "direction": "lower", "axis": "effort"},
        ],
    )
    pairwise = services.exercise_save(
        actor=planner,
        workshop=workshop,
        kind="pairwise",
        title="Functions",
        options=["Revenue collection", "Trade facilitation", "Enforcement"],
    )
    guest = None
    if open_all:
        services.workshop_set_status(actor=planner, workshop=workshop, status="open")
        for exercise in (board, dots, scoring, pairwise):
            services.exercise_set_status(actor=planner, exercise=exercise, status="open")
        guest = services.participant_join(workshop=workshop, name="Guest Officer")
    workshop.refresh_from_db()
    for exercise in (board, dots, scoring, pairwise):
        exercise.refresh_from_db()
    return Room(workshop, board, dots, scoring, pairwise, guest)  # type: ignore[arg-type]
