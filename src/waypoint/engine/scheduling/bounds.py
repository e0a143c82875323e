"""Lower bounds on the makespan, computed before (and beside) the solver.

A lower bound says how far any schedule is from the best possible one: a schedule whose
makespan equals it is optimal, and the gap between them tells the planner what is left to
gain. CP-SAT computes one during its search, but on large roadmaps the one it has after a
minute can be far from the truth (its linear relaxation sees the teams' capacity only
loosely). The bounds here are the classic ones of project scheduling:

- *the critical path*: the links, release dates and pins alone;
- *destructive energy bounds* (Klein and Scholl 1999, "Computing lower bounds by destructive
  improvement"; energetic reasoning after Erschler and Lopez 1990, Baptiste, Le Pape and
  Nuijten 2001): suppose the roadmap finishes by ``M``; the links then give every activity a
  window (earliest start to latest finish). In any time interval, each activity must do at
  least the part of its work that it cannot push outside the interval, and a team cannot do
  more work in an interval than its people there; a budget cannot pay more in its capped
  years than its caps. If some interval or budget period asks too much, no schedule
  finishes by ``M``, and the bound is at least ``M + 1``. A bisection between the critical
  path and a known schedule finds the first ``M`` that is not refuted. The same test with
  the whole plan's intervals is the resource-energy bound (a team's total work after a
  date divided by its people) and the budget bound (money that must be spent in the capped
  years).

Every test is a relaxation of the problem, so every bound is valid: no schedule is shorter.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from waypoint.engine.scheduling.cpm import CriticalPath, critical_path
from waypoint.engine.scheduling.model import Activity, Budget, Link, Problem, Resource, link_earliest_start

__all__ = ["LowerBound", "makespan_lower_bound", "refutation"]

#: intervals tested together, so that the arrays stay small (start times × end times × activities)
_CHUNK = 16


@dataclass(frozen=True)
class LowerBound:
    """No schedule finishes before ``value``; ``reason`` says which test showed it."""

    value: int
    reason: str


def makespan_lower_bound(
    problem: Problem,
    *,
    upper: int | None = None,
    cpm: CriticalPath | None = None,
    time_limit_s: float = 5.0,
) -> LowerBound:
    """The best makespan bound the critical path and the destructive energy tests give.

    Parameters:
        upper: the makespan of a known schedule, where the bisection stops (by default the
            problem's trivial horizon, by which any feasible schedule finishes).
        cpm: the critical path of ``problem``, if already computed.
        time_limit_s: stop the bisection after this long (the bound found so far holds).
    """
    cpm = cpm or critical_path(problem)
    began = time.perf_counter()
    best = LowerBound(cpm.project_end, "critical path")
    low = cpm.project_end  # the first value not refuted yet
    high = problem.trivial_horizon() if upper is None else upper  # a value known not to be refuted
    structure = _Structure.of(problem) if low < high else None
    while structure is not None and low < high and time.perf_counter() - began <= time_limit_s:
        trial = (low + high) // 2
        reason = refutation(problem, trial, structure)
        if reason is None:
            high = trial
        else:
            low, best = trial + 1, LowerBound(trial + 1, reason)
    return best


def refutation(problem: Problem, makespan: int, structure: _Structure | None = None) -> str | None:
    """Why no schedule finishes by ``makespan``, or ``None`` if these tests cannot tell."""
    structure = structure or _Structure.of(problem)
    cpm = critical_path(problem, project_end=makespan)
    if any(slack < 0 for slack in cpm.total_slack.values()):
        return "critical path"
    earliest, latest = dict(cpm.earliest_start), dict(cpm.latest_start)
    reason = _narrow(problem, structure, earliest, latest, makespan)
    if reason is not None:
        return reason
    windows = _Bounds(earliest, latest)
    for resource in problem.resources:
        if _overloaded(problem, resource, structure.users[resource.id], windows, makespan):
            return _team(resource)
    for budget in problem.budgets:
        if _overspent(problem, budget, structure.payers[budget.id], windows):
            return f"spending from {budget.name or budget.id}"
    return None


@dataclass(frozen=True)
class _Structure:
    """What every test of one problem looks up: each team's activities, each budget's
    payers (those that take time), the links in order."""

    users: dict[str, list[Activity]]
    payers: dict[str, list[Activity]]
    order: list[str]
    predecessors: dict[str, list[Link]]
    successors: dict[str, list[Link]]

    @classmethod
    def of(cls, problem: Problem) -> _Structure:
        users: dict[str, list[Activity]] = {r.id: [] for r in problem.resources}
        payers: dict[str, list[Activity]] = {b.id: [] for b in problem.budgets}
        for activity in problem.activities:
            if activity.duration <= 0:
                continue
            for resource_id, need in activity.demands.items():
                if need > 0:
                    users[resource_id].append(activity)
            for budget_id, cost in activity.costs.items():
                if cost > 0:
                    payers[budget_id].append(activity)
        return cls(users, payers, problem.topological_order(), problem.predecessors(), problem.successors())


def _team(resource: Resource) -> str:
    return f"work of team {resource.name or resource.id}"


@dataclass(frozen=True)
class _Bounds:
    earliest_start: dict[str, int]
    latest_start: dict[str, int]


#: rounds of narrowing at most (each round: every team, then the links)
_ROUNDS = 8


def _narrow(
    problem: Problem, structure: _Structure, earliest: dict[str, int], latest: dict[str, int], makespan: int
) -> str | None:
    """Narrow the windows by time-tabling: where activities that must run at some time (their
    latest start is before their earliest finish) fill a team, no other activity of that
    team can be there; what that moves, the links pass on. Returns why a window emptied."""
    users = structure.users
    capacities = {r.id: r.capacities(0, makespan) for r in problem.resources}
    order, predecessors, successors = structure.order, structure.predecessors, structure.successors
    by_id = problem.by_id
    for _round in range(_ROUNDS):
        changed = False
        for resource in problem.resources:
            moved = _time_table(users[resource.id], resource.id, capacities[resource.id], earliest, latest)
            if moved is None:
                return _team(resource)
            changed = changed or moved
        if not changed:
            break
        for activity_id in order:
            for link in predecessors[activity_id]:
                start = link_earliest_start(link, earliest[link.before], by_id)
                earliest[activity_id] = max(earliest[activity_id], start)
        for activity_id in reversed(order):
            for link in successors[activity_id]:
                offset = link_earliest_start(link, 0, by_id)
                latest[activity_id] = min(latest[activity_id], latest[link.after] - offset)
        if any(earliest[a.id] > latest[a.id] for a in problem.activities):
            return "links after the teams' work"
    return None


def _time_table(
    users: list[Activity], resource_id: str, capacity: list[int], earliest: dict[str, int], latest: dict[str, int]
) -> bool | None:
    """One team's time-tabling: moves earliest and latest starts in place; returns whether
    any moved, or ``None`` when an activity has nowhere left to go."""
    horizon = len(capacity)
    used = [0] * (horizon + 1)
    for activity in users:
        first, last = latest[activity.id], earliest[activity.id] + activity.duration
        for t in range(first, min(last, horizon)):
            used[t] += activity.demands[resource_id]
    moved = False
    for activity in users:
        need, duration = activity.demands[resource_id], activity.duration
        low, high = earliest[activity.id], latest[activity.id]
        own = range(high, low + duration)  # its own compulsory part (empty if it has none)
        fits = [
            capacity[t] - used[t] + (need if t in own else 0) >= need if t < horizon else False
            for t in range(low, high + duration)
        ]
        # a start fits where no misfit lies within its duration
        misfits = [0, *itertools.accumulate(not f for f in fits)]
        starts = [s for s in range(high - low + 1) if misfits[s + duration] == misfits[s]]
        if not starts:
            return None
        if starts[0] > 0 or starts[-1] < high - low:
            earliest[activity.id], latest[activity.id] = low + starts[0], low + starts[-1]
            moved = True
    return moved


@dataclass(frozen=True)
class _Windows:
    """Earliest start, earliest finish, latest start, latest finish and duration, as arrays."""

    es: np.ndarray
    ef: np.ndarray
    ls: np.ndarray
    lf: np.ndarray
    duration: np.ndarray

    @classmethod
    def of(cls, problem: Problem, ids: list[str], cpm: CriticalPath | _Bounds) -> _Windows:
        duration = np.array([problem.by_id[a].duration for a in ids], dtype=np.int64)
        es = np.array([cpm.earliest_start[a] for a in ids], dtype=np.int64)
        ls = np.array([cpm.latest_start[a] for a in ids], dtype=np.int64)
        return cls(es, es + duration, ls, ls + duration, duration)

    def least_overlap(self, begin: np.ndarray, end: np.ndarray) -> np.ndarray:
        """The least time each activity must run within each interval ``[begin, end)``
        (``begin`` and ``end`` broadcast against each other; activities on the last axis)."""
        begin, end = begin[..., None], end[..., None]
        inside = np.minimum(np.minimum(self.duration, end - begin), np.minimum(self.ef - begin, end - self.ls))
        least: np.ndarray = np.maximum(inside, 0)
        return least


def _intervals(
    starts: np.ndarray, ends: np.ndarray, demand: Callable[[np.ndarray, np.ndarray], np.ndarray], supply: np.ndarray
) -> bool:
    """Whether some interval ``[start, end)`` asks more than ``supply[end] - supply[start]``
    (``supply`` is cumulative), testing every pair of a start and an end, in chunks."""
    for first in range(0, len(starts), _CHUNK):
        begin = starts[first : first + _CHUNK, None]
        end = ends[None, :]
        needed = demand(begin, end)
        available = supply[np.clip(end, 0, len(supply) - 1)] - supply[np.clip(begin, 0, len(supply) - 1)]
        if np.any((end > begin) & (needed > available)):
            return True
    return False


def _overloaded(problem: Problem, resource: Resource, users: list[Activity], cpm: _Bounds, makespan: int) -> bool:
    """Energetic reasoning for one team: some interval needs more people-months than it has."""
    if not users:
        return False
    windows = _Windows.of(problem, [a.id for a in users], cpm)
    need = np.array([a.demands[resource.id] for a in users], dtype=np.int64)
    capacity = np.array(resource.capacities(0, max(makespan, 0)), dtype=np.int64)
    supply = np.concatenate(([0], np.cumsum(capacity)))
    starts = np.unique(np.concatenate((windows.es, windows.ls)))
    ends = np.unique(np.concatenate((windows.ef, windows.lf)))
    return _intervals(starts, ends, lambda b, e: windows.least_overlap(b, e) @ need, supply)


def _overspent(problem: Problem, budget: Budget, payers: list[Activity], cpm: _Bounds) -> bool:
    """Energetic reasoning for one budget over runs of capped periods: the activities must
    spend more in them than the caps allow (each spends its cost evenly over its duration)."""
    if not payers or not budget.caps:
        return False
    windows = _Windows.of(problem, [a.id for a in payers], cpm)
    cost = np.array([a.costs[budget.id] for a in payers], dtype=np.float64)
    periods = sorted(budget.caps)
    # runs of consecutive capped periods; a run's caps add up, an uncapped period breaks it
    for first_index, first in enumerate(periods):
        total = 0
        for offset, period in enumerate(periods[first_index:]):
            if period != first + offset:
                break
            total += budget.caps[period]
            begin = np.array([[first * budget.period]])
            end = np.array([[(period + 1) * budget.period]])
            spent = windows.least_overlap(begin, end) @ (cost / windows.duration)
            # each period's share is rounded up to the currency unit: the run pays at least this
            if np.ceil(spent[0, 0] - 1e-9) > total:
                return True
    return False
