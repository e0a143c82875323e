"""Roadmaps like real ones, generated: for benchmarks and load tests.

Calibrated on the demo plan (``waypoint.demo.roadmap``: 85 activities in 40 initiatives, 9
teams, a 60-month plan), and built the way that roadmap was:

- A plan is drafted first, with dates and without levelling. Each initiative has two to four
  activities of 6 to 48 months (most 12 to 24), one after the other or overlapping; the
  initiatives are spread over the plan period. About one initiative in seven waits for an
  earlier one (finish to start, or start to start with a lag of 6 or 12 months) in a way the
  drafted dates respect.
- Each activity needs one team (one or two people; the IT team works in pairs), a few need a
  second one. Some teams carry much more of the work than others, as IT does in the demo.
- Teams are then sized at a share of what the drafted dates need at their busiest (the demo:
  three quarters, at least the largest single demand), and some grow by a person or two
  from a later year, so that the work has to be sequenced but a plan of ``months`` fits
  its teams roughly.
- Every activity is paid by one funding source; each source's yearly caps are a margin above
  what the drafted dates spend in that year (the demo: 30 %); years after the plan are
  not capped.
- A few activities are pinned where the plan has them (decided already), a few
  initiatives may not start before their drafted year (money arrives then).

The number of teams grows with the square root of the number of activities (9 for the
demo's 85, about 53 for 3,000), so a team's share of the work grows too, as in a larger
administration. Deterministic by seed.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from waypoint.engine.scheduling.model import Activity, Budget, Granularity, Link, LinkKind, Problem, Resource, Schedule

__all__ = ["DEMO_ITEMS", "DEMO_TEAMS", "generate_roadmap", "team_count"]

#: the demo plan's size: schedulable activities and teams
DEMO_ITEMS = 85
DEMO_TEAMS = 9

PHASES = ["Analysis", "Design", "Procurement", "Build", "Pilot", "Roll-out", "Training", "Evaluation"]
TEAMS = [
    "IT",
    "Procedures",
    "Legal",
    "Academy",
    "HR",
    "Finance",
    "Planning",
    "Risk",
    "Field",
    "Enforcement",
    "Audit",
    "Integrity",
    "Statistics",
    "Tariff",
    "Laboratory",
    "Communication",
]
#: months, as drafted plans have them (the demo's activities: 6 to 48, half of them 12 to 24)
DURATIONS = (6, 6, 6, 8, 9, 10, 12, 12, 12, 12, 15, 18, 18, 18, 18, 20, 24, 24, 24, 30, 36, 36, 42, 48)
#: activities per initiative (the demo: 35 of 40 initiatives have two, 5 have three)
STEPS = (2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 4)
#: funding sources, with the share of the activities each pays (the demo: 67, 7, 7, 4 of 85)
SOURCES = (("state", "State budget", 0.79), ("loan", "E-customs loan", 0.08), ("grant", "Donor grant", 0.08))
SOURCE_REST = ("revenue", "Own revenue")
_SOURCE_NAMES = {source: name for source, name, _share in SOURCES} | {SOURCE_REST[0]: SOURCE_REST[1]}


def team_count(items: int) -> int:
    """Teams for a roadmap of ``items`` activities: the demo's 9 for 85, growing with the
    square root (a larger administration has more teams, and larger ones)."""
    return max(2, round(DEMO_TEAMS * math.sqrt(items / DEMO_ITEMS)))


@dataclass
class _Draft:
    """The plan as drafted: activities with dates, before teams are sized."""

    months: int
    activities: list[Activity] = field(default_factory=list)
    starts: dict[str, int] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)
    tails: list[str] = field(default_factory=list)


def generate_roadmap(
    *,
    items: int = DEMO_ITEMS,
    months: int = 60,
    teams: int | None = None,
    seed: int = 1,
    team_share: float = 0.75,
    budget_margin: float = 0.3,
) -> Problem:
    """A roadmap of about ``items`` activities, drafted over ``months`` months.

    Parameters:
        teams: how many teams; by default :func:`team_count` of ``items``.
        team_share: each team is this share of the people the drafted dates need at their
            busiest (at least its largest single demand); lower makes the teams bind harder.
        budget_margin: each yearly cap is the drafted year's spend plus this share.
    """
    rng = random.Random(seed)
    team_ids = _team_ids(teams if teams is not None else team_count(items))
    # some teams carry much more of the work than others (IT in the demo: a fifth of the activities)
    load = [1 / math.sqrt(rank + 1) for rank in range(len(team_ids))]
    draft = _Draft(months)
    number = 0
    while len(draft.activities) < items:
        number += 1
        _draft_initiative(draft, rng, number, team_ids, load, items - len(draft.activities))
    _link_initiatives(draft, rng)
    # the drafted dates, with teams and budgets large enough for anything
    unlimited = tuple(Resource(team, 10**6) for team in team_ids)
    uncapped = tuple(Budget(source, 12, {}) for source in _SOURCE_NAMES)
    planned = Schedule(Problem(tuple(draft.activities), tuple(draft.links), unlimited, uncapped), draft.starts)
    resources = _size_teams(planned, team_ids, rng, team_share)
    budgets = _budgets(planned, budget_margin)
    return Problem(
        activities=tuple(draft.activities),
        links=tuple(draft.links),
        resources=resources,
        budgets=budgets,
        granularity=Granularity.MONTH,
        start=dt.date(2012, 1, 1),
        name=f"generated roadmap ({len(draft.activities)} activities, {len(resources)} teams, seed {seed})",
    )


def _team_ids(count: int) -> list[str]:
    return [TEAMS[i] if i < len(TEAMS) else f"Region {i - len(TEAMS) + 1}" for i in range(count)]


def _draft_initiative(
    draft: _Draft, rng: random.Random, number: int, team_ids: list[str], load: list[float], left: int
) -> None:
    """One initiative: its activities one after the other (linked) or overlapping (not)."""
    steps = min(rng.choice(STEPS), left)
    durations = [rng.choice(DURATIONS) for _ in range(steps)]
    offsets = [0]
    chained = [False]
    for step in range(1, steps):
        previous = durations[step - 1]
        if rng.random() < 0.75:  # after the previous one, now and then with a pause
            offsets.append(offsets[-1] + previous + rng.choice((0, 0, 0, 0, 1, 2, 3, 6)))
            chained.append(True)
        else:  # overlapping it: no link between them
            offsets.append(offsets[-1] + rng.randint(1, max(1, previous - 1)))
            chained.append(False)
    span = max(o + d for o, d in zip(offsets, durations, strict=True))
    if span > draft.months:  # squeeze into the plan period
        factor = draft.months / span
        durations = [max(3, int(d * factor)) for d in durations]
        offsets = [int(o * factor) for o in offsets]
        span = max(o + d for o, d in zip(offsets, durations, strict=True))
    begin = rng.randint(0, max(0, draft.months - span))
    owner = rng.choices(range(len(team_ids)), load)[0]
    weight = 5 if rng.random() < 0.15 else 3
    release = (begin // 12) * 12 if rng.random() < 0.1 else 0
    phases = sorted(rng.sample(range(len(PHASES)), steps))
    previous_id = None
    for step in range(steps):
        activity_id = f"I{number}.{step + 1}"
        team = owner if rng.random() < 0.6 else rng.choices(range(len(team_ids)), load)[0]
        demands = {team_ids[team]: 2 if team == 0 else 1}
        if rng.random() < 0.1:
            helper = rng.randrange(len(team_ids))
            demands.setdefault(team_ids[helper], 1)
        draft.activities.append(
            Activity(
                id=activity_id,
                name=f"{PHASES[phases[step]]} — initiative {number}",
                duration=durations[step],
                demands=demands,
                costs={_source(rng): _cost(rng, durations[step], demands)},
                release=release if step == 0 else 0,
                # one in fifty is pinned where the plan has it (a decision already taken)
                pinned_start=begin + offsets[step] if rng.random() < 0.02 else None,
                weight=weight,
            )
        )
        draft.starts[activity_id] = begin + offsets[step]
        if previous_id is not None and chained[step]:
            draft.links.append(Link(previous_id, activity_id))
        previous_id = activity_id
    draft.heads.append(f"I{number}.1")
    draft.tails.append(f"I{number}.{steps}")


def _source(rng: random.Random) -> str:
    draw = rng.random()
    for source, _name, share in SOURCES:
        if draw < share:
            return source
        draw -= share
    return SOURCE_REST[0]


def _cost(rng: random.Random, duration: int, demands: dict[str, int]) -> int:
    """People-months at a monthly rate, and for some a purchase (equipment, systems)."""
    people = sum(demands.values())
    cost = duration * people * rng.choice((4, 6, 8, 12)) * 1000
    if rng.random() < 0.15:
        cost += rng.choice((200, 500, 1000, 2000)) * 1000
    return math.ceil(cost / 10000) * 10000


def _link_initiatives(draft: _Draft, rng: random.Random) -> None:
    """About one initiative in seven waits for an earlier one, as far as the drafted dates
    allow: finish to start, else start to start with a lag of 6 or 12 months."""
    by_id = {a.id: a for a in draft.activities}
    for index in range(1, len(draft.heads)):
        if rng.random() >= 0.15:
            continue
        head = draft.heads[index]
        other = rng.randrange(index)
        tail_end = draft.starts[draft.tails[other]] + by_id[draft.tails[other]].duration
        if tail_end <= draft.starts[head]:
            draft.links.append(Link(draft.tails[other], head))
            continue
        lag = rng.choice((6, 12))
        if draft.starts[draft.heads[other]] + lag <= draft.starts[head]:
            draft.links.append(Link(draft.heads[other], head, LinkKind.START_TO_START, lag))


def _size_teams(planned: Schedule, team_ids: list[str], rng: random.Random, share: float) -> tuple[Resource, ...]:
    """Each team ``share`` of its busiest drafted month (at least its largest single demand,
    and what its pinned work needs); one in five grows by a person or two from a later year."""
    problem = planned.problem
    resources = []
    for resource in problem.resources:
        usage = planned.usage(resource)
        largest = max((a.demands.get(resource.id, 0) for a in problem.activities), default=0)
        pinned = max(Schedule(_only_pinned(problem), planned.starts).usage(resource), default=0)
        people = max(1, largest, pinned, math.ceil(max(usage, default=0) * share))
        changes: tuple[tuple[int, int], ...] = ()
        if rng.random() < 0.2:
            changes = ((rng.choice((12, 24, 36)), people + rng.randint(1, 2)),)
        name = resource.id if resource.id.startswith("Region") else f"{resource.id} team"
        resources.append(Resource(resource.id, people, name, changes))
    order = {team: i for i, team in enumerate(team_ids)}
    return tuple(sorted(resources, key=lambda r: order[r.id]))


def _budgets(planned: Schedule, margin: float) -> tuple[Budget, ...]:
    """Yearly caps for every source: its drafted spend in the year plus ``margin``; the years
    after the plan are not capped."""
    years = max(1, math.ceil(planned.makespan / 12))
    budgets = []
    for budget in planned.problem.budgets:
        spend = planned.spend(budget)
        if not spend:
            continue
        caps = {year: math.ceil(spend.get(year, 0) * (1 + margin) / 10000) * 10000 for year in range(years)}
        budgets.append(Budget(budget.id, 12, caps, _SOURCE_NAMES[budget.id]))
    return tuple(budgets)


def _only_pinned(problem: Problem) -> Problem:
    """The pinned activities alone: the teams must hold them wherever the rest goes."""
    pinned = tuple(a for a in problem.activities if a.pinned_start is not None)
    return Problem(pinned, (), problem.resources, problem.budgets)
