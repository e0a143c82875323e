"""The training allocation problem: who attends which course session.

Officers have gaps (the level their role requires against the level assessed, per
competency) and a weight (the priority of the functions they serve). A course brings whoever
attends one of its sessions up to a level in each competency it addresses. Assigning officers
to sessions closes gaps; the *value* of a plan is the weighted number of levels it closes,
counting for each officer and competency the highest level any of their courses reaches,
never beyond the requirement.

A plan must keep within:

- each year's training budget (a course costs the same for every participant);
- each session's seats;
- operational continuity: at no time are more than ``max_away_percent`` per cent of a unit's
  staff (rounded down) in training;
- common sense: an officer attends a course once, and one session at a time.

:func:`violations` checks a plan against these rules without any solver, so that a plan from
the greedy baseline, from CP-SAT or from a file can be verified the same way.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

__all__ = [
    "AllocationError",
    "Course",
    "Officer",
    "Problem",
    "Progress",
    "Result",
    "Session",
    "Status",
    "plan_cost",
    "plan_value",
    "violations",
]


class AllocationError(ValueError):
    """The problem is malformed (unknown ids, negative costs, …)."""


@dataclass(frozen=True)
class Officer:
    id: str
    unit: str
    required: Mapping[str, int]
    levels: Mapping[str, int]
    weight: int = 1

    def gap(self, competency: str) -> int:
        return max(0, self.required.get(competency, 0) - self.levels.get(competency, 0))


@dataclass(frozen=True)
class Course:
    id: str
    #: competency → the level a participant reaches
    outcomes: Mapping[str, int]
    cost: int  # per participant, in whole units of money
    hours: int = 0


@dataclass(frozen=True)
class Session:
    id: str
    course: str
    year: int
    start: int  # a day number (date.toordinal())
    end: int  # the last day, inclusive
    seats: int


@dataclass(frozen=True)
class Problem:
    officers: tuple[Officer, ...]
    courses: tuple[Course, ...]
    sessions: tuple[Session, ...]
    #: year → the money available for training in it
    budgets: Mapping[int, int]
    max_away_percent: int = 20
    #: unit → its staff (everyone, not only those with a gap); by default the officers given
    unit_staff: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = []
        courses = {c.id for c in self.courses}
        if len(courses) != len(self.courses):
            problems.append("course ids must be unique")
        if len({s.id for s in self.sessions}) != len(self.sessions):
            problems.append("session ids must be unique")
        if len({o.id for o in self.officers}) != len(self.officers):
            problems.append("officer ids must be unique")
        for course in self.courses:
            if course.cost < 0:
                problems.append(f"course {course.id}: a cost cannot be negative")
        for session in self.sessions:
            if session.course not in courses:
                problems.append(f"session {session.id}: no course {session.course}")
            if session.end < session.start:
                problems.append(f"session {session.id}: it ends before it starts")
            if session.seats < 0:
                problems.append(f"session {session.id}: seats cannot be negative")
            if session.year not in self.budgets:
                problems.append(f"session {session.id}: no budget for {session.year}")
        for officer in self.officers:
            if officer.weight < 1:
                problems.append(f"officer {officer.id}: the weight must be at least 1")
        if not 0 <= self.max_away_percent <= 100:
            problems.append("the share of a unit away must be between 0 and 100 per cent")
        if any(budget < 0 for budget in self.budgets.values()):
            problems.append("a budget cannot be negative")
        if problems:
            raise AllocationError("; ".join(problems))

    # -- derived data, computed once per problem (frozen: cached_property writes the instance's
    # __dict__ directly) --------------------------------------------------------------------------
    @cached_property
    def course_by_id(self) -> dict[str, Course]:
        return {c.id: c for c in self.courses}

    @cached_property
    def session_by_id(self) -> dict[str, Session]:
        return {s.id: s for s in self.sessions}

    @cached_property
    def officer_by_id(self) -> dict[str, Officer]:
        return {o.id: o for o in self.officers}

    def staff(self, unit: str) -> int:
        if unit in self.unit_staff:
            return self.unit_staff[unit]
        return sum(1 for o in self.officers if o.unit == unit)

    def away_cap(self, unit: str) -> int:
        """The most officers of ``unit`` who may be in training on any one day."""
        return self.staff(unit) * self.max_away_percent // 100

    def gain(self, officer: Officer, course: Course, reached: Mapping[str, int] | None = None) -> int:
        """The weighted levels ``course`` closes for ``officer`` beyond ``reached`` (competency
        → level already reached by the officer's other courses)."""
        total = 0
        for competency, level in course.outcomes.items():
            need = officer.required.get(competency, 0)
            now = max(officer.levels.get(competency, 0), (reached or {}).get(competency, 0))
            total += max(0, min(level, need) - now)
        return officer.weight * total

    def event_days(self) -> list[int]:
        """The days on which a session starts: the most people are away on one of them."""
        return sorted({s.start for s in self.sessions})

    def total_gap(self) -> int:
        return sum(o.weight * sum(o.gap(c) for c in o.required) for o in self.officers)


def days_covered(session: Session, days: list[int]) -> list[int]:
    """The indices of ``days`` that ``session`` spans."""
    first = bisect.bisect_left(days, session.start)
    last = bisect.bisect_right(days, session.end)
    return list(range(first, last))


Assignment = tuple[str, str]  # (officer id, session id)


def plan_value(problem: Problem, assignments: Iterable[Assignment]) -> int:
    """The weighted levels a plan closes (see the module's docstring)."""
    officers, sessions, courses = problem.officer_by_id, problem.session_by_id, problem.course_by_id
    reached: dict[str, dict[str, int]] = defaultdict(dict)
    for officer_id, session_id in assignments:
        course = courses[sessions[session_id].course]
        for competency, level in course.outcomes.items():
            best = reached[officer_id]
            best[competency] = max(best.get(competency, 0), level)
    total = 0
    for officer_id, best in reached.items():
        officer = officers[officer_id]
        for competency, level in best.items():
            need = officer.required.get(competency, 0)
            total += officer.weight * max(0, min(level, need) - officer.levels.get(competency, 0))
    return total


def plan_cost(problem: Problem, assignments: Iterable[Assignment]) -> dict[int, int]:
    """year → what the plan spends in it."""
    sessions, courses = problem.session_by_id, problem.course_by_id
    spent: dict[int, int] = dict.fromkeys(problem.budgets, 0)
    for _officer, session_id in assignments:
        session = sessions[session_id]
        spent[session.year] += courses[session.course].cost
    return spent


def violations(problem: Problem, assignments: Iterable[Assignment]) -> list[str]:
    """Every rule a plan breaks, in words; empty for a plan that keeps them all.

    Written apart from both the greedy baseline and the CP-SAT model (it walks the calendar
    day by day), so that it checks them rather than repeats them.
    """
    rows = list(assignments)
    found: list[str] = []
    officers, sessions = problem.officer_by_id, problem.session_by_id
    known = [(o, s) for o, s in rows if o in officers and s in sessions]
    for officer_id, session_id in rows:
        if officer_id not in officers:
            found.append(f"no officer {officer_id}")
        if session_id not in sessions:
            found.append(f"no session {session_id}")
    if len(set(known)) != len(known):
        found.append("an officer is assigned to the same session twice")
    for year, spent in sorted(plan_cost(problem, known).items()):
        if spent > problem.budgets[year]:
            found.append(f"{year}: {spent:,} spent, over the budget of {problem.budgets[year]:,}")
    seated: dict[str, int] = defaultdict(int)
    for _officer, session_id in known:
        seated[session_id] += 1
    for session_id, count in sorted(seated.items()):
        if count > sessions[session_id].seats:
            found.append(f"session {session_id}: {count} participants for {sessions[session_id].seats} seats")
    by_officer: dict[str, list[Session]] = defaultdict(list)
    for officer_id, session_id in known:
        by_officer[officer_id].append(sessions[session_id])
    away: dict[tuple[str, int], int] = defaultdict(int)
    for officer_id, attended in sorted(by_officer.items()):
        courses = [s.course for s in attended]
        if len(set(courses)) != len(courses):
            found.append(f"officer {officer_id} attends a course twice")
        days: set[int] = set()
        for session in attended:
            span = set(range(session.start, session.end + 1))
            if days & span:
                found.append(f"officer {officer_id} is in two sessions at once")
            days |= span
        for day in days:
            away[(officers[officer_id].unit, day)] += 1
    for (unit, day), count in sorted(away.items()):
        if count > problem.away_cap(unit):
            found.append(
                f"unit {unit}, day {day}: {count} officers away, more than {problem.max_away_percent}% "
                f"of its {problem.staff(unit)} staff"
            )
    return found


class Status(StrEnum):
    OPTIMAL = "optimal"  # proven the best possible
    FEASIBLE = "feasible"  # the best found within the limit
    GREEDY = "greedy"  # the optimiser found nothing better than the greedy plan it started from
    EMPTY = "empty"  # nobody has a gap any session could close


@dataclass(frozen=True)
class Progress:
    seconds: float
    value: int
    bound: int


@dataclass(frozen=True)
class Result:
    status: Status
    assignments: tuple[Assignment, ...]
    value: int
    cost: Mapping[int, int]
    #: no plan can close more than this (CP-SAT's bound; the total gap without one)
    bound: int
    greedy_value: int
    greedy_cost: Mapping[int, int]
    seconds: float
    stopped: bool = False

    @property
    def spent(self) -> int:
        return sum(self.cost.values())

    @property
    def greedy_spent(self) -> int:
        return sum(self.greedy_cost.values())
