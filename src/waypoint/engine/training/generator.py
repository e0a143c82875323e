"""Generated workforces for the benchmark and the tests: units of different sizes, role
profiles requiring a handful of competencies, assessed levels scattered below and around the
requirement, a course catalogue with sessions through the year, and a budget that buys a
share of what closing every gap would cost. Deterministic by seed."""

from __future__ import annotations

import datetime as dt
import random

from waypoint.engine.training.allocation import Course, Officer, Problem, Session

__all__ = ["generate"]

COMPETENCIES = (
    "CLASS",
    "VALUE",
    "ORIGIN",
    "RISK",
    "AUDIT",
    "ENF",
    "FACIL",
    "INTEG",
    "IT",
    "LEAD",
    "PLAN",
    "LANG",
)


def generate(
    officers: int,
    *,
    seed: int = 1,
    units: int | None = None,
    year: int = 2015,
    budget_share: float = 0.25,
    max_away_percent: int = 20,
) -> Problem:
    """A workforce of ``officers`` with its training catalogue for ``year``.

    Parameters:
        units: how many units (by default one per 25 officers); sizes vary threefold.
        budget_share: the budget as a share of what the greedy-free upper estimate of closing
            every gap with the cheapest course would cost.
    """
    rng = random.Random(seed)
    unit_count = units or max(2, officers // 25)
    sizes = [rng.uniform(1, 3) for _ in range(unit_count)]
    scale = sum(sizes)
    unit_ids = [f"U{i + 1:03d}" for i in range(unit_count)]
    profiles = []
    for index in range(8):
        chosen = rng.sample(COMPETENCIES, rng.randint(4, 6))
        profiles.append((f"P{index + 1}", {code: rng.randint(2, 4) for code in chosen}, rng.randint(1, 3)))
    people = []
    for number in range(officers):
        unit = rng.choices(unit_ids, weights=[size / scale for size in sizes])[0]
        _code, required, weight = profiles[number % len(profiles)]
        levels = {code: max(0, need - rng.choice((0, 0, 1, 1, 2, 3))) for code, need in required.items()}
        people.append(Officer(f"O{number + 1:05d}", unit, required, levels, weight))
    courses = []
    for index, code in enumerate(COMPETENCIES):
        for level, cost, hours in ((2, 300, 16), (3, 700, 40), (4, 1500, 80)):
            extra = COMPETENCIES[(index + level) % len(COMPETENCIES)]
            outcomes = {code: level} | ({extra: level - 1} if rng.random() < 0.3 else {})
            courses.append(Course(f"{code}-{level}", outcomes, cost + rng.randint(-50, 50), hours))
    sessions = []
    first = dt.date(year, 1, 12).toordinal()
    per_course = max(2, officers // 400)
    for course in courses:
        days = max(1, course.hours // 8)
        for number in range(per_course):
            start = first + rng.randrange(0, 340)
            sessions.append(
                Session(
                    f"{course.id}/{number + 1}", course.id, year, start, start + days - 1, rng.choice((12, 16, 20, 24))
                )
            )
    cheapest = min(c.cost for c in courses)
    demand = sum(sum(1 for c in o.required if o.gap(c)) for o in people)
    budget = int(demand * cheapest * 2 * budget_share)
    return Problem(tuple(people), tuple(courses), tuple(sessions), {year: budget}, max_away_percent)
