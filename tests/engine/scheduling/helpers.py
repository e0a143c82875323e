from __future__ import annotations

import datetime as dt
from typing import Any

from waypoint.engine.scheduling import Activity, Budget, Granularity, Link, LinkKind, Problem, Resource


def act(activity_id: str, duration: int, **kwargs: Any) -> Activity:
    return Activity(id=activity_id, duration=duration, name=kwargs.pop("name", f"task {activity_id}"), **kwargs)


def fs(before: str, after: str, lag: int = 0) -> Link:
    return Link(before, after, LinkKind.FINISH_TO_START, lag)


def ss(before: str, after: str, lag: int = 0) -> Link:
    return Link(before, after, LinkKind.START_TO_START, lag)


def ff(before: str, after: str, lag: int = 0) -> Link:
    return Link(before, after, LinkKind.FINISH_TO_FINISH, lag)


def small_roadmap() -> Problem:
    """Five activities, one team of 2, a yearly budget: small enough to check by hand.

    A (3) → B (2) → D (2); A → C (4); C and B both need the whole team.
    """
    return Problem(
        activities=(
            act("A", 3, demands={"team": 1}, costs={"money": 300}),
            act("B", 2, demands={"team": 2}),
            act("C", 4, demands={"team": 2}, weight=5),
            act("D", 2),
            act("E", 1, demands={"team": 1}),
        ),
        links=(fs("A", "B"), fs("A", "C"), fs("B", "D")),
        resources=(Resource("team", 2, "Implementation team"),),
        budgets=(Budget("money", 12, {0: 1000}, "State budget"),),
        granularity=Granularity.MONTH,
        start=dt.date(2012, 1, 1),
        name="small roadmap",
    )
