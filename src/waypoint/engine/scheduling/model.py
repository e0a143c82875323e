"""The scheduling problem and its answer, as validated dataclasses.

Time is counted in whole units of the problem's granularity (days, weeks or months) from 0,
the start of the roadmap. An activity that starts at 3 and lasts 4 occupies units 3, 4, 5
and 6 and finishes at 7.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from waypoint.engine.periods import add_months, days_in_month, months_from

__all__ = [
    "Activity",
    "Budget",
    "Granularity",
    "Link",
    "LinkKind",
    "Problem",
    "ProblemError",
    "Resource",
    "Schedule",
    "activity_spend",
]


class ProblemError(ValueError):
    """The problem cannot be scheduled as stated; ``messages`` name the activities involved."""

    def __init__(self, messages: Iterable[str]) -> None:
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


class Granularity(enum.Enum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"

    def date_at(self, start: dt.date, units: int) -> dt.date:
        """Calendar date ``units`` time units after ``start``."""
        if self is Granularity.DAY:
            return start + dt.timedelta(days=units)
        if self is Granularity.WEEK:
            return start + dt.timedelta(weeks=units)
        month = add_months(start, units)
        return month.replace(day=min(start.day, days_in_month(month.year, month.month)))

    def units_between(self, start: dt.date, day: dt.date) -> int:
        """Whole units from ``start`` to ``day`` (the inverse of :meth:`date_at`, rounding down)."""
        if self is Granularity.DAY:
            return (day - start).days
        if self is Granularity.WEEK:
            return (day - start).days // 7
        return months_from(start, day) - (1 if day.day < start.day else 0)


class LinkKind(enum.Enum):
    FINISH_TO_START = "FS"
    START_TO_START = "SS"
    FINISH_TO_FINISH = "FF"


@dataclass(frozen=True)
class Link:
    """``after`` may start (FS, SS) or finish (FF) only ``lag`` units after ``before`` does."""

    before: str
    after: str
    kind: LinkKind = LinkKind.FINISH_TO_START
    lag: int = 0


@dataclass(frozen=True)
class Resource:
    """A renewable resource such as a team: ``capacity`` units at any time, except where
    ``changes`` says otherwise (``(from_time, capacity)`` pairs, in force until the next one)."""

    id: str
    capacity: int
    name: str = ""
    changes: tuple[tuple[int, int], ...] = ()

    def capacity_at(self, time: int) -> int:
        current = self.capacity
        for start, capacity in self.changes:
            if start <= time:
                current = capacity
        return current

    def capacities(self, begin: int, end: int) -> list[int]:
        """``capacity_at`` for every time from ``begin`` up to ``end``, computed once per
        stretch between changes rather than once per time unit."""
        breaks = sorted({begin, *(start for start, _ in self.changes if begin < start < end)})
        values: list[int] = []
        for first, following in itertools.pairwise([*breaks, max(begin, end)]):
            values += [self.capacity_at(first)] * (following - first)
        return values

    @property
    def peak(self) -> int:
        return max([self.capacity, *(capacity for _, capacity in self.changes)])


@dataclass(frozen=True)
class Budget:
    """A non-renewable budget: at most ``caps[k]`` may be spent in budget period ``k``
    (time units ``k * period`` up to ``(k + 1) * period``); periods without a cap are free."""

    id: str
    period: int
    caps: Mapping[int, int]
    name: str = ""

    def period_of(self, time: int) -> int:
        return time // self.period


@dataclass(frozen=True)
class Activity:
    id: str
    duration: int
    name: str = ""
    demands: Mapping[str, int] = field(default_factory=dict)
    costs: Mapping[str, int] = field(default_factory=dict)
    release: int = 0
    deadline: int | None = None
    pinned_start: int | None = None
    weight: int = 1


def activity_spend(activity: Activity, budget: Budget, start: int) -> dict[int, int]:
    """What ``activity`` started at ``start`` spends from ``budget`` in each budget period.

    The cost is spread evenly over the duration; each period's share is rounded up to the
    currency unit, so a schedule that respects the caps here respects them exactly.
    """
    cost = activity.costs.get(budget.id, 0)
    if cost == 0:
        return {}
    if activity.duration == 0:
        return {budget.period_of(start): cost}
    spend: dict[int, int] = {}
    finish = start + activity.duration
    for period in range(budget.period_of(start), budget.period_of(finish - 1) + 1):
        overlap = min(finish, (period + 1) * budget.period) - max(start, period * budget.period)
        spend[period] = math.ceil(cost * overlap / activity.duration)
    return spend


@dataclass(frozen=True)
class Problem:
    activities: tuple[Activity, ...]
    links: tuple[Link, ...] = ()
    resources: tuple[Resource, ...] = ()
    budgets: tuple[Budget, ...] = ()
    granularity: Granularity = Granularity.MONTH
    start: dt.date | None = None
    name: str = ""

    def __post_init__(self) -> None:
        problems = _validate(self)
        if problems:
            raise ProblemError(problems)

    # -- lookups ---------------------------------------------------------------------------
    @functools.cached_property
    def by_id(self) -> dict[str, Activity]:
        """Activities by id, built once: the problem is immutable (read it, do not change it)."""
        return {a.id: a for a in self.activities}

    def successors(self) -> dict[str, list[Link]]:
        out: dict[str, list[Link]] = {a.id: [] for a in self.activities}
        for link in self.links:
            out[link.before].append(link)
        return out

    def predecessors(self) -> dict[str, list[Link]]:
        into: dict[str, list[Link]] = {a.id: [] for a in self.activities}
        for link in self.links:
            into[link.after].append(link)
        return into

    def topological_order(self) -> list[str]:
        """Activities ordered so every link goes forward (the graph is acyclic once validated)."""
        order = _topological_order([a.id for a in self.activities], self.links)
        assert order is not None
        return order

    def trivial_horizon(self) -> int:
        """A time by which any feasible schedule can finish if all work ran one after another,
        after every release, pin, capacity change and capped budget period."""
        lags = sum(max(0, link.lag) for link in self.links)
        fixed = [0]
        fixed += [a.release for a in self.activities] + [a.pinned_start or 0 for a in self.activities]
        fixed += [time for resource in self.resources for time, _ in resource.changes]
        fixed += [(max(b.caps) + 1) * b.period for b in self.budgets if b.caps]
        return max(fixed) + sum(a.duration for a in self.activities) + lags

    def label(self, activity_id: str) -> str:
        activity = self.by_id[activity_id]
        return f"{activity.id} “{activity.name}”" if activity.name else activity.id


@dataclass(frozen=True)
class Schedule:
    """Start times of every activity, with the facts derived from them."""

    problem: Problem
    starts: Mapping[str, int]

    def finish(self, activity_id: str) -> int:
        return self.starts[activity_id] + self.problem.by_id[activity_id].duration

    @property
    def makespan(self) -> int:
        return max((self.finish(a.id) for a in self.problem.activities), default=0)

    @property
    def weighted_completion(self) -> int:
        return sum(a.weight * self.finish(a.id) for a in self.problem.activities)

    def usage(self, resource: Resource) -> list[int]:
        """Units of ``resource`` in use at each time from 0 to the makespan."""
        return self.usages()[resource.id]

    def usages(self) -> dict[str, list[int]]:
        """Units of every resource in use at each time from 0 to the makespan, in one pass
        over the activities (a change at each start and finish, then running sums)."""
        end = self.makespan
        changes = {r.id: [0] * (end + 1) for r in self.problem.resources}
        for activity in self.problem.activities:
            start = self.starts[activity.id]
            for resource_id, need in activity.demands.items():
                if need and activity.duration > 0:
                    profile = changes[resource_id]
                    profile[start] += need
                    profile[start + activity.duration] -= need
        return {resource_id: list(itertools.accumulate(profile[:end])) for resource_id, profile in changes.items()}

    def spend(self, budget: Budget) -> dict[int, int]:
        """Money spent from ``budget`` in each budget period."""
        totals: dict[int, int] = {}
        for activity in self.problem.activities:
            for period, amount in activity_spend(activity, budget, self.starts[activity.id]).items():
                totals[period] = totals.get(period, 0) + amount
        return totals

    def violations(self) -> list[str]:
        """Every broken constraint, in words (empty for a feasible schedule)."""
        problem = self.problem
        found: list[str] = []
        by_id = problem.by_id
        for activity in problem.activities:
            start = self.starts[activity.id]
            if start < activity.release:
                found.append(
                    f"{problem.label(activity.id)} starts at {start}, before its release at {activity.release}"
                )
            if activity.deadline is not None and self.finish(activity.id) > activity.deadline:
                found.append(
                    f"{problem.label(activity.id)} finishes at {self.finish(activity.id)}, after its deadline {activity.deadline}"
                )
            if activity.pinned_start is not None and start != activity.pinned_start:
                found.append(f"{problem.label(activity.id)} is pinned at {activity.pinned_start} but starts at {start}")
        for link in problem.links:
            if not link_respected(link, self.starts, by_id):
                found.append(f"{link.kind.value} link {link.before} → {link.after} (lag {link.lag}) is broken")
        usages = self.usages()
        end = self.makespan
        for resource in problem.resources:
            capacities = resource.capacities(0, end)
            for time, used in enumerate(usages[resource.id]):
                if used > capacities[time]:
                    found.append(f"{resource.id} is over capacity at {time}: {used} > {capacities[time]}")
                    break
        for budget in problem.budgets:
            for period, spent in sorted(self.spend(budget).items()):
                cap = budget.caps.get(period)
                if cap is not None and spent > cap:
                    found.append(f"budget {budget.id} overspent in period {period}: {spent} > {cap}")
        return found


def link_respected(link: Link, starts: Mapping[str, int], by_id: Mapping[str, Activity]) -> bool:
    before, after = by_id[link.before], by_id[link.after]
    if link.kind is LinkKind.FINISH_TO_START:
        return starts[after.id] >= starts[before.id] + before.duration + link.lag
    if link.kind is LinkKind.START_TO_START:
        return starts[after.id] >= starts[before.id] + link.lag
    return starts[after.id] + after.duration >= starts[before.id] + before.duration + link.lag


def link_earliest_start(link: Link, before_start: int, by_id: Mapping[str, Activity]) -> int:
    """Earliest start of ``link.after`` allowed by this link, given the start of ``link.before``."""
    before, after = by_id[link.before], by_id[link.after]
    if link.kind is LinkKind.FINISH_TO_START:
        return before_start + before.duration + link.lag
    if link.kind is LinkKind.START_TO_START:
        return before_start + link.lag
    return before_start + before.duration + link.lag - after.duration


def _kahn(ids: list[str], links: Iterable[Link]) -> list[str]:
    """Kahn's algorithm: the activities it can order (all of them unless there is a cycle)."""
    indegree = dict.fromkeys(ids, 0)
    out: dict[str, list[str]] = {i: [] for i in ids}
    for link in links:
        out[link.before].append(link.after)
        indegree[link.after] += 1
    ready = [i for i in ids if indegree[i] == 0]
    order: list[str] = []
    while ready:
        node = ready.pop()
        order.append(node)
        for nxt in out[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    return order


def _topological_order(ids: list[str], links: Iterable[Link]) -> list[str] | None:
    order = _kahn(ids, links)
    return order if len(order) == len(ids) else None


def _find_cycle(ids: list[str], links: Iterable[Link]) -> list[str]:
    """One cycle among the activities Kahn's algorithm could not order.

    Each of those still has a predecessor among them, so walking backwards from any of them
    must come round to an activity already seen.
    """
    link_list = list(links)
    ordered = set(_kahn(ids, link_list))
    left = [i for i in ids if i not in ordered]
    remaining = set(left)
    before: dict[str, list[str]] = {i: [] for i in remaining}
    for link in link_list:
        if link.after in remaining and link.before in remaining:
            before[link.after].append(link.before)
    walk: list[str] = []
    position: dict[str, int] = {}
    node = left[0]
    while node not in position:
        position[node] = len(walk)
        walk.append(node)
        node = before[node][0]
    cycle = walk[position[node] :]
    cycle.reverse()
    return [*cycle, cycle[0]]


def _validate(problem: Problem) -> list[str]:
    messages: list[str] = []
    ids = [a.id for a in problem.activities]
    seen: set[str] = set()
    for activity_id in ids:
        if activity_id in seen:
            messages.append(f"activity id {activity_id} is used twice")
        seen.add(activity_id)
    resources = {r.id: r for r in problem.resources}
    budgets = {b.id for b in problem.budgets}
    for resource in problem.resources:
        if resource.capacity < 0 or any(c < 0 for _, c in resource.changes):
            messages.append(f"resource {resource.id} has a negative capacity")
    for budget in problem.budgets:
        if budget.period <= 0:
            messages.append(f"budget {budget.id} needs a period of at least one time unit")
        if any(cap < 0 for cap in budget.caps.values()):
            messages.append(f"budget {budget.id} has a negative cap")
    for activity in problem.activities:
        name = f"{activity.id} “{activity.name}”" if activity.name else activity.id
        if activity.duration < 0:
            messages.append(f"{name} has a negative duration")
        if activity.weight < 0:
            messages.append(f"{name} has a negative priority weight")
        if activity.release < 0:
            messages.append(f"{name} has a negative release date")
        for resource_id, need in activity.demands.items():
            if resource_id not in resources:
                messages.append(f"{name} needs unknown resource {resource_id}")
            elif need < 0:
                messages.append(f"{name} needs a negative amount of {resource_id}")
            elif need > resources[resource_id].peak:
                messages.append(
                    f"{name} needs {need} of {resource_id} but at most {resources[resource_id].peak} is ever available"
                )
        for budget_id, cost in activity.costs.items():
            if budget_id not in budgets:
                messages.append(f"{name} is paid from unknown budget {budget_id}")
            elif cost < 0:
                messages.append(f"{name} has a negative cost")
        if activity.deadline is not None and activity.deadline < activity.release + max(activity.duration, 0):
            messages.append(
                f"{name} cannot finish by its deadline {activity.deadline}: it is released at {activity.release} and lasts {activity.duration}"
            )
        if activity.pinned_start is not None:
            if activity.pinned_start < activity.release:
                messages.append(
                    f"{name} is pinned at {activity.pinned_start}, before its release at {activity.release}"
                )
            if activity.deadline is not None and activity.pinned_start + activity.duration > activity.deadline:
                messages.append(
                    f"{name} is pinned at {activity.pinned_start} and so finishes after its deadline {activity.deadline}"
                )
    known = set(ids)
    valid_links = []
    for link in problem.links:
        unknown = [i for i in (link.before, link.after) if i not in known]
        if unknown:
            messages.append(f"link {link.before} → {link.after} names unknown activity {', '.join(unknown)}")
        elif link.before == link.after:
            messages.append(f"{link.before} is linked to itself")
        else:
            valid_links.append(link)
    if not messages and _topological_order(ids, valid_links) is None:
        cycle = _find_cycle(ids, valid_links)
        messages.append(f"the links form a cycle: {' → '.join(cycle)}")
    return messages
