"""The greedy baseline: best value for money first.

Every (officer, course) pair that closes some gap is a candidate, ranked by the weighted
levels it closes per unit of cost. The best is taken if one of the course's sessions still
keeps every rule (the one with the most seats left, then the earliest), then the next; a
candidate whose gain has fallen since it was ranked (the officer has since been given another
course on the same competency) is ranked again with its new gain. Gains only fall as a plan
grows, so the candidate on top, once re-ranked, is truly the best left.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from waypoint.engine.training.allocation import Assignment, Course, Problem, Session, days_covered

__all__ = ["Ledger", "greedy_plan"]


class Ledger:
    """What a plan uses so far: money per year, seats, who is away when; answers whether one
    more assignment still keeps every rule."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.days = problem.event_days()
        self.courses = problem.course_by_id
        self.officers = problem.officer_by_id
        self.left = dict(problem.budgets)
        self.seats = {s.id: s.seats for s in problem.sessions}
        self.caps: dict[str, int] = {}
        self.away: dict[tuple[str, int], int] = defaultdict(int)
        self.taken: dict[str, list[Session]] = defaultdict(list)
        self.reached: dict[str, dict[str, int]] = defaultdict(dict)
        self.spans = {s.id: days_covered(s, self.days) for s in problem.sessions}
        self.sessions: dict[str, list[Session]] = defaultdict(list)
        for session in sorted(problem.sessions, key=lambda s: (s.start, s.id)):
            self.sessions[session.course].append(session)

    def cap(self, unit: str) -> int:
        if unit not in self.caps:
            self.caps[unit] = self.problem.away_cap(unit)
        return self.caps[unit]

    def fits(self, officer_id: str, session: Session) -> bool:
        cost = self.courses[session.course].cost
        if self.seats[session.id] <= 0 or self.left[session.year] < cost:
            return False
        for other in self.taken[officer_id]:
            if other.course == session.course or (other.start <= session.end and session.start <= other.end):
                return False
        unit = self.officers[officer_id].unit
        cap = self.cap(unit)
        return all(self.away[(unit, day)] < cap for day in self.spans[session.id])

    def take(self, officer_id: str, session: Session) -> None:
        self.left[session.year] -= self.courses[session.course].cost
        self.seats[session.id] -= 1
        self.taken[officer_id].append(session)
        unit = self.officers[officer_id].unit
        for day in self.spans[session.id]:
            self.away[(unit, day)] += 1
        reached = self.reached[officer_id]
        for competency, level in self.courses[session.course].outcomes.items():
            reached[competency] = max(reached.get(competency, 0), level)

    def gain(self, officer_id: str, course: Course) -> int:
        return self.problem.gain(self.officers[officer_id], course, self.reached[officer_id])

    def place(self, officer_id: str, course: Course) -> Session | None:
        """The session of ``course`` that keeps every rule for ``officer_id`` (most seats left,
        then the earliest), taken; None when there is none."""
        fitting = [s for s in self.sessions[course.id] if self.fits(officer_id, s)]
        if not fitting:
            return None
        session = max(fitting, key=lambda s: self.seats[s.id])  # max keeps the earliest of equals
        self.take(officer_id, session)
        return session


def _rank(gain: int, cost: int) -> float:
    # free courses first, then the most levels per unit of money
    return -float("inf") if cost == 0 else -gain / cost


def greedy_fill(problem: Problem, ledger: Ledger, plan: list[Assignment]) -> None:
    """Add to ``plan`` (whose assignments ``ledger`` holds) best value for money first, until
    nothing more fits."""
    cheapest = min((c.cost for c in problem.courses), default=0)
    if all(left < cheapest for left in ledger.left.values()):
        return  # not enough money left for any course
    order = {o.id: i for i, o in enumerate(problem.officers)}
    heap: list[tuple[float, int, int, int, str, Course]] = []
    for position, course in enumerate(problem.courses):
        if not ledger.sessions[course.id]:
            continue
        for officer in problem.officers:
            gain = ledger.gain(officer.id, course)
            if gain > 0:
                heap.append((_rank(gain, course.cost), -gain, order[officer.id], position, officer.id, course))
    heapq.heapify(heap)
    while heap:
        _rank_now, negative_gain, index, position, officer_id, course = heapq.heappop(heap)
        gain = ledger.gain(officer_id, course)
        if gain <= 0:
            continue
        if gain != -negative_gain:
            heapq.heappush(heap, (_rank(gain, course.cost), -gain, index, position, officer_id, course))
            continue
        session = ledger.place(officer_id, course)
        if session is not None:
            plan.append((officer_id, session.id))


def greedy_plan(problem: Problem) -> list[Assignment]:
    """A plan that keeps every rule, built best value for money first (deterministic: ties go
    to the officer and course given first)."""
    plan: list[Assignment] = []
    greedy_fill(problem, Ledger(problem), plan)
    return plan
