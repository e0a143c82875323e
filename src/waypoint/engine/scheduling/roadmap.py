"""A plan's roadmap as a scheduling problem: initiatives and their activities, the links
between them, and re-planning from a month once work has happened.

The rules, in plain values (the roadmap app reads its tables into :class:`Work` rows):

- Activities are scheduled; an initiative without activities is scheduled as one block.
- An initiative's release date, deadline and links apply to all of its activities.
- When re-planning from month ``now``, what has happened is fixed and nothing new starts
  before ``now``: finished work stays where it was and no longer claims teams; work under
  way is split into its done part (history, an activity ``<id>~done`` with its share of the
  cost) and what remains, scheduled from ``now``; work that has started no longer waits
  for its predecessors; budget caps of periods before ``now`` are dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from waypoint.engine.scheduling.model import Activity, Budget, Granularity, Link, LinkKind, Problem, Resource

__all__ = ["DONE_SUFFIX", "Roadmap", "Work", "roadmap_problem"]

#: the part of a re-planned activity already done (an activity with no work of its own)
DONE_SUFFIX = "~done"


@dataclass(frozen=True)
class Work:
    """An initiative or an activity, in time units (months) from the roadmap's start.

    ``parent`` is the initiative an activity belongs to (``None`` for an initiative).
    ``deadline`` is the unit by which it must be finished (exclusive); ``actual_finish`` the
    unit it finished in (inclusive).
    """

    id: str
    duration: int
    name: str = ""
    parent: str | None = None
    release: int | None = None
    deadline: int | None = None
    pinned_start: int | None = None
    demands: Mapping[str, int] = field(default_factory=dict)
    costs: Mapping[str, int] = field(default_factory=dict)
    weight: int = 3
    actual_start: int | None = None
    actual_finish: int | None = None


@dataclass(frozen=True)
class Roadmap:
    """The problem, with what it was made from."""

    problem: Problem
    #: the work scheduled as activities: every activity and each initiative without any
    leaves: tuple[str, ...]
    #: work under way when re-planning: scheduled from the re-plan month, started at this unit
    history: dict[str, int]


def roadmap_problem(
    work: Sequence[Work],
    links: Sequence[Link] = (),
    *,
    resources: Sequence[Resource] = (),
    budgets: Sequence[Budget] = (),
    replan_from: int | None = None,
    granularity: Granularity = Granularity.MONTH,
    start: dt.date | None = None,
    name: str = "",
) -> Roadmap:
    """The scheduling problem of a roadmap, re-planned from ``replan_from`` when given.

    ``links`` join any two pieces of work (element ids); a link to an initiative is expanded
    to its activities. Activities keep the order of ``work``.

    Raises:
        ProblemError: the roadmap cannot be scheduled as stated (a cycle, a demand above a
            team's size …).
    """
    by_id = {w.id: w for w in work}
    with_activities = {w.parent for w in work if w.parent is not None}
    leaves = [w for w in work if w.parent is not None or w.id not in with_activities]
    activities: list[Activity] = []
    history: dict[str, int] = {}
    members: dict[str, list[str]] = {}
    for item in leaves:
        initiative = by_id.get(item.parent) if item.parent is not None else None
        activities += _scheduled(item, initiative, replan_from, history)
        members.setdefault(initiative.id if initiative else item.id, []).append(item.id)
    started = {w.id for w in leaves if replan_from is not None and w.actual_start is not None}
    leaf_ids = {w.id for w in leaves}
    problem = Problem(
        activities=tuple(activities),
        links=tuple(_expanded_links(links, leaf_ids, members, started)),
        resources=tuple(resources),
        budgets=tuple(_remaining_caps(b, replan_from) for b in budgets),
        granularity=granularity,
        start=start,
        name=name,
    )
    return Roadmap(problem, tuple(w.id for w in leaves), history)


def _scheduled(item: Work, initiative: Work | None, now: int | None, history: dict[str, int]) -> list[Activity]:
    """The activity for ``item`` (two when work under way is split), recording its history."""
    release = 0
    deadline = None
    for source in (initiative, item):
        if source is None:
            continue
        if source.release is not None:
            release = max(release, source.release)
        if source.deadline is not None:
            deadline = source.deadline if deadline is None else min(deadline, source.deadline)
    duration, pinned = item.duration, item.pinned_start
    demands, costs = item.demands, item.costs
    done: list[Activity] = []
    if now is not None:
        if item.actual_start is not None:
            begun = item.actual_start
            if item.actual_finish is not None:
                # finished work is history: where it was, paid for, no claim on teams
                pinned, duration = begun, item.actual_finish - begun + 1
                demands = {}
            elif begun < now:
                # work under way: what remains is scheduled from now, where it is already
                # running; what was done is history (money spent, no claim on teams)
                planned_end = max(begun + duration, now + 1)
                remaining = planned_end - now
                costs = {k: v * remaining // (planned_end - begun) for k, v in item.costs.items()}
                done.append(
                    Activity(
                        id=item.id + DONE_SUFFIX,
                        name=item.name,
                        duration=now - begun,
                        costs={k: v - costs[k] for k, v in item.costs.items()},
                        release=begun,
                        pinned_start=begun,
                    )
                )
                pinned, duration = now, remaining
                history[item.id] = begun
            else:
                pinned = begun
            release = min(release, pinned)
            if deadline is not None and deadline < pinned + duration:
                deadline = None  # history cannot break a deadline any more
        else:
            release = max(release, now)
            if pinned is not None and pinned < now:
                pinned = None
    scheduled = Activity(
        id=item.id,
        name=item.name,
        duration=duration,
        demands=demands,
        costs=costs,
        release=release,
        deadline=deadline if deadline is None or deadline >= release + duration else None,
        pinned_start=pinned,
        weight=item.weight,
    )
    return [*done, scheduled]


def _expanded_links(
    links: Sequence[Link], leaves: set[str], members: Mapping[str, list[str]], started: set[str]
) -> list[Link]:
    """Links between work as links between the activities that stand for it.

    An initiative starts with its first activity and finishes with its last. "Waits for it
    to finish" and "cannot start before" hold for every activity exactly; "after it starts"
    is tied to the activities that open it (no predecessor inside it), and "finishes after"
    to those that close it, so that a link to an initiative does not bind each of its
    activities to each of the other's. Work that has started no longer waits: what happened
    stands, even if it did not follow the plan's order.
    """
    inner = [(link.before, link.after) for link in links if link.before in leaves and link.after in leaves]
    has_inner_before = {after for _before, after in inner}
    has_inner_after = {before for before, _after in inner}

    def expand(work_id: str, ends: str) -> list[str]:
        if work_id in leaves:
            return [work_id]
        ids = members.get(work_id, [])
        if ends == "opening":
            return [i for i in ids if i not in has_inner_before] or ids
        if ends == "closing":
            return [i for i in ids if i not in has_inner_after] or ids
        return ids

    expanded: list[Link] = []
    for link in links:
        before_end = "opening" if link.kind is LinkKind.START_TO_START else "all"
        after_end = "closing" if link.kind is LinkKind.FINISH_TO_FINISH else "all"
        for before in expand(link.before, before_end):
            for after in expand(link.after, after_end):
                if before != after and after not in started:
                    expanded.append(Link(before, after, link.kind, link.lag))
    return expanded


def _remaining_caps(budget: Budget, now: int | None) -> Budget:
    """Past periods are spent: their caps can no longer be met or broken."""
    if now is None:
        return budget
    current = budget.period_of(now)
    return replace(budget, caps={period: cap for period, cap in budget.caps.items() if period >= current})
