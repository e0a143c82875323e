"""The baseline: serial schedule generation with priority rules, the way levelling tools
(MS Project, TaskJuggler) sequence work, plus the justification and sampling that make it a
good warm start for the optimiser.

Serial schedule generation takes activities one at a time, each as early as its links,
release date, resources and budgets allow, in an order given by a priority rule.
"""

from __future__ import annotations

import enum
import heapq
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from waypoint.engine.scheduling.cpm import CriticalPath, critical_path
from waypoint.engine.scheduling.model import Activity, Budget, Problem, Schedule, activity_spend, link_earliest_start

__all__ = [
    "HeuristicResult",
    "PriorityRule",
    "baseline_schedule",
    "best_heuristic_schedule",
    "repair",
    "serial_schedule",
]


class PriorityRule(enum.Enum):
    LATEST_FINISH = "latest_finish"  # smallest latest finish first (LFT)
    MINIMUM_SLACK = "minimum_slack"  # least total slack first (MSLK)
    USER_PRIORITY = "user_priority"  # highest weight first, then latest finish
    MOST_WORK_AFTER = "most_work_after"  # greatest rank positional weight first (GRPW)
    EARLIEST_START = "earliest_start"


class _Profiles:
    """Resource use per time unit and budget spend per period, for one schedule being built."""

    def __init__(self, problem: Problem, horizon: int) -> None:
        self.problem = problem
        self.horizon = horizon
        self.capacity = {r.id: r.capacities(0, horizon) for r in problem.resources}
        self.used = {r.id: [0] * horizon for r in problem.resources}
        self.spent: dict[str, dict[int, int]] = {b.id: {} for b in problem.budgets}
        self.budgets: dict[str, Budget] = {b.id: b for b in problem.budgets}

    def _grow(self, upto: int) -> None:
        if upto <= self.horizon:
            return
        extra = max(upto - self.horizon, self.horizon // 2 + 1)
        for resource in self.problem.resources:
            self.capacity[resource.id].extend(resource.capacities(self.horizon, self.horizon + extra))
            self.used[resource.id].extend([0] * extra)
        self.horizon += extra

    def conflict(self, activity: Activity, start: int) -> int | None:
        """The first time unit in ``[start, finish)`` where ``activity`` does not fit, or -1 for a
        budget clash (any start in the same period fails alike), or ``None`` if it fits."""
        finish = start + activity.duration
        self._grow(finish + 1)
        for resource_id, need in activity.demands.items():
            if need == 0:
                continue
            used, capacity = self.used[resource_id], self.capacity[resource_id]
            for t in range(start, finish):
                if used[t] + need > capacity[t]:
                    return t
        for budget_id in activity.costs:
            budget = self.budgets[budget_id]
            spent = self.spent[budget_id]
            for period, amount in activity_spend(activity, budget, start).items():
                cap = budget.caps.get(period)
                if cap is not None and spent.get(period, 0) + amount > cap:
                    return -1
        return None

    def place(self, activity: Activity, start: int, sign: int = 1) -> None:
        finish = start + activity.duration
        self._grow(finish + 1)
        for resource_id, need in activity.demands.items():
            used = self.used[resource_id]
            for t in range(start, finish):
                used[t] += sign * need
        for budget_id in activity.costs:
            spent = self.spent[budget_id]
            for period, amount in activity_spend(activity, self.budgets[budget_id], start).items():
                spent[period] = spent.get(period, 0) + sign * amount


def _first_fit(profiles: _Profiles, activity: Activity, earliest: int, limit: int) -> int | None:
    """The earliest start at or after ``earliest`` (and not after ``limit``) where it fits."""
    start = earliest
    while start <= limit:
        clash = profiles.conflict(activity, start)
        if clash is None:
            return start
        start = start + 1 if clash < 0 else clash + 1
    return None


def _last_fit(profiles: _Profiles, activity: Activity, latest: int, floor: int) -> int | None:
    """The latest start at or before ``latest`` (and not before ``floor``) where it fits."""
    start = latest
    while start >= floor:
        clash = profiles.conflict(activity, start)
        if clash is None:
            return start
        start = start - 1 if clash < 0 else min(start - 1, clash - activity.duration)
    return None


def serial_schedule(problem: Problem, priority: Mapping[str, float]) -> Schedule:
    """One pass of serial schedule generation; lower ``priority`` values go first.

    Pinned activities are placed first, at their pin. Others start as early as links,
    release, resources and budgets allow; a deadline is not enforced (the schedule then
    reports it among its violations).
    """
    by_id = problem.by_id
    predecessors = problem.predecessors()
    successors = problem.successors()
    profiles = _Profiles(problem, max(problem.trivial_horizon() // 4, 16))
    starts: dict[str, int] = {}
    for activity in problem.activities:
        if activity.pinned_start is not None:
            starts[activity.id] = activity.pinned_start
            profiles.place(activity, activity.pinned_start)
    # pinned activities are already in place, so they do not hold their successors back
    waiting = {a.id: sum(1 for link in predecessors[a.id] if link.before not in starts) for a in problem.activities}
    # the eligible activity with the lowest priority value goes next: a heap keeps each pick
    # O(log n) on large roadmaps (the priorities do not change while scheduling)
    eligible = [(priority[a], a) for a, n in waiting.items() if n == 0 and a not in starts]
    heapq.heapify(eligible)
    done = set(starts)
    horizon = problem.trivial_horizon()
    while eligible:
        _priority, chosen = heapq.heappop(eligible)
        activity = by_id[chosen]
        earliest = activity.release
        for link in predecessors[chosen]:
            earliest = max(earliest, link_earliest_start(link, starts[link.before], by_id))
        start = _first_fit(profiles, activity, earliest, horizon)
        if start is None:  # only when a budget is too small for the activity: place it anyway
            start = earliest
        starts[chosen] = start
        profiles.place(activity, start)
        done.add(chosen)
        for link in successors[chosen]:
            waiting[link.after] -= 1
            if waiting[link.after] == 0 and link.after not in done:
                heapq.heappush(eligible, (priority[link.after], link.after))
    return Schedule(problem, starts)


#: double justification is repeated while it shortens the schedule, at most this often
JUSTIFY_ROUNDS = 4


def _justify(schedule: Schedule) -> Schedule:
    """Double justification, repeated while it shortens the schedule (forward-backward
    improvement): see :func:`_justify_once`."""
    if schedule.violations():
        return schedule
    for _round in range(JUSTIFY_ROUNDS):
        better = _justify_once(schedule)
        if better.makespan >= schedule.makespan:
            return better
        schedule = better
    return schedule


def _justify_once(schedule: Schedule) -> Schedule:
    """Double justification: shift every activity as late as possible (keeping the end), then
    as early as possible again. It never lengthens a feasible schedule and often shortens it.
    Pinned activities stay put. Returns the input when a step cannot be completed (a budget
    period filled by the shifts, for instance)."""
    late = _shift(schedule, latest_first=True)
    if late is None:
        return schedule
    early = _shift(Schedule(schedule.problem, late), latest_first=False)
    if early is None:
        return schedule
    justified = Schedule(schedule.problem, early)
    return justified if not justified.violations() else schedule


def _shift(schedule: Schedule, *, latest_first: bool) -> dict[str, int] | None:
    """Right-shift (``latest_first``) or left-shift every activity, one at a time.

    An activity moves once everything it constrains in that direction has moved: its
    successors for a right shift, its predecessors for a left shift; among those ready, the
    latest finisher (right) or earliest starter (left) goes first.
    """
    problem = schedule.problem
    by_id = problem.by_id
    successors, predecessors = problem.successors(), problem.predecessors()
    end = schedule.makespan
    profiles = _Profiles(problem, end + 1)
    placed: dict[str, int] = {}
    for activity in problem.activities:
        if activity.pinned_start is not None:
            placed[activity.id] = activity.pinned_start
            profiles.place(activity, activity.pinned_start)
    blockers = successors if latest_first else predecessors
    # pinned activities are in place already, so they hold nobody back
    waiting = {
        a: sum(1 for link in blockers[a] if (link.after if latest_first else link.before) not in placed) for a in by_id
    }
    # among the ready, the latest finisher (right shift) or the earliest starter (left shift)
    # goes first: a heap on a precomputed rank keeps each pick O(log n) on large roadmaps
    if latest_first:
        order = sorted(by_id, key=lambda a: (schedule.finish(a), a), reverse=True)
    else:
        order = sorted(by_id, key=lambda a: (schedule.starts[a], a))
    rank = {a: i for i, a in enumerate(order)}
    ready = [(rank[a], a) for a, n in waiting.items() if n == 0 and a not in placed]
    heapq.heapify(ready)

    def release_dependants(activity_id: str) -> None:
        for link in (predecessors if latest_first else successors)[activity_id]:
            other = link.before if latest_first else link.after
            waiting[other] -= 1
            if waiting[other] == 0 and other not in placed:
                heapq.heappush(ready, (rank[other], other))

    while ready:
        _rank, activity_id = heapq.heappop(ready)
        activity = by_id[activity_id]
        if latest_first:
            latest = end - activity.duration
            if activity.deadline is not None:
                latest = min(latest, activity.deadline - activity.duration)
            for link in successors[activity_id]:
                latest = min(latest, placed[link.after] - link_earliest_start(link, 0, by_id))
            start = _last_fit(profiles, activity, latest, activity.release)
        else:
            earliest = activity.release
            for link in predecessors[activity_id]:
                earliest = max(earliest, link_earliest_start(link, placed[link.before], by_id))
            start = _first_fit(profiles, activity, earliest, schedule.starts[activity_id])
        if start is None:
            return None
        placed[activity_id] = start
        profiles.place(activity, start)
        release_dependants(activity_id)
    return placed


def _rule_priorities(problem: Problem, cpm: CriticalPath, rule: PriorityRule) -> dict[str, float]:
    by_id = problem.by_id
    if rule is PriorityRule.LATEST_FINISH:
        return {a: cpm.latest_start[a] + by_id[a].duration for a in by_id}
    if rule is PriorityRule.MINIMUM_SLACK:
        return {a: cpm.total_slack[a] for a in by_id}
    if rule is PriorityRule.USER_PRIORITY:
        return {a: -by_id[a].weight * 1_000_000 + cpm.latest_start[a] + by_id[a].duration for a in by_id}
    if rule is PriorityRule.EARLIEST_START:
        return {a: cpm.earliest_start[a] for a in by_id}
    # greatest rank positional weight: own duration plus that of every successor
    work: dict[str, int] = {}
    successors = problem.successors()
    for activity_id in reversed(problem.topological_order()):
        work[activity_id] = by_id[activity_id].duration + sum(
            by_id[link.after].duration for link in successors[activity_id]
        )
    return {a: -work[a] for a in by_id}


@dataclass(frozen=True)
class HeuristicResult:
    schedule: Schedule
    rule: str
    passes: int
    seconds: float


def _score(schedule: Schedule, objective: str) -> tuple[int, int]:
    value = schedule.makespan if objective == "makespan" else schedule.weighted_completion
    return (len(schedule.violations()), value)


def baseline_schedule(problem: Problem, *, objective: str = "makespan") -> HeuristicResult:
    """The levelling-tool baseline: the best single pass of the three classic rules
    (latest finish, minimum slack, user priority), without any improvement step."""
    began = time.perf_counter()
    cpm = critical_path(problem)
    best: tuple[tuple[int, int], Schedule, str] | None = None
    for rule in (PriorityRule.LATEST_FINISH, PriorityRule.MINIMUM_SLACK, PriorityRule.USER_PRIORITY):
        schedule = serial_schedule(problem, _rule_priorities(problem, cpm, rule))
        score = _score(schedule, objective)
        if best is None or score < best[0]:
            best = (score, schedule, rule.value)
    assert best is not None
    return HeuristicResult(best[1], best[2], 3, time.perf_counter() - began)


def best_heuristic_schedule(
    problem: Problem,
    *,
    objective: str = "makespan",
    time_limit_s: float = 1.0,
    seed: int = 0,
    stop: Callable[[], bool] | None = None,
    rules_limit_s: float | None = None,
) -> HeuristicResult:
    """Every priority rule, each followed by double justification, then randomised sampling
    around the best rule until ``time_limit_s``: the warm start for the optimiser.

    Parameters:
        rules_limit_s: start no further rule after this long (the first always runs): on
            the largest roadmaps with a short limit, the rules alone could take it all.
    """
    began = time.perf_counter()
    cpm = critical_path(problem)
    rng = random.Random(seed)
    best: tuple[tuple[int, int], Schedule, str] | None = None
    passes = 0

    def consider(priorities: dict[str, float], label: str) -> None:
        nonlocal best, passes
        schedule = _justify(serial_schedule(problem, priorities))
        passes += 1
        score = _score(schedule, objective)
        if best is None or score < best[0]:
            best = (score, schedule, label)

    rule_priorities = {rule: _rule_priorities(problem, cpm, rule) for rule in PriorityRule}
    for rule, priorities in rule_priorities.items():
        if passes and rules_limit_s is not None and time.perf_counter() - began > rules_limit_s:
            break
        consider(priorities, rule.value)
    base = rule_priorities[PriorityRule.LATEST_FINISH]
    spread = max(1.0, max(base.values(), default=0) - min(base.values(), default=0))
    while time.perf_counter() - began < time_limit_s and not (stop and stop()):
        assert best is not None
        if objective == "makespan" and best[1].makespan <= cpm.project_end:
            break  # the links alone allow no shorter schedule
        # sample around the best schedule so far: its start order with random perturbation
        anchor = best[1].starts
        noise = rng.uniform(0.02, 0.25) * spread
        consider({a: anchor[a] + rng.uniform(0, noise) for a in anchor}, "sampling")
    assert best is not None
    return HeuristicResult(best[1], best[2], passes, time.perf_counter() - began)


def repair(schedule: Schedule) -> Schedule:
    """A feasible schedule close to ``schedule``, which may break budget caps or capacities:
    serial schedule generation in its order of starts, then justification."""
    return _justify(serial_schedule(schedule.problem, schedule.starts))


def schedule_slack(schedule: Schedule) -> dict[str, int]:
    """How far each activity could slip without delaying the end, given the levelled sequence.

    The right-shift pass of justification moves every activity as late as links, teams and
    budgets allow while keeping the makespan; the move is the activity's slack. Activities
    with no slack form the critical chain of a resource-constrained schedule, which is what
    a planner must watch (the critical path of the links alone ignores the teams).
    """
    late = _shift(schedule, latest_first=True)
    if late is None:
        return dict.fromkeys(schedule.starts, 0)
    return {activity_id: late[activity_id] - start for activity_id, start in schedule.starts.items()}
