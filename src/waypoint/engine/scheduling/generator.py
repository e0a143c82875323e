"""A realistic modernisation roadmap, generated: for benchmarks and load tests.

Initiatives are chains of phases (analysis, procurement, build, roll-out, training…) with a
parallel branch now and then; some initiatives wait for others (the risk engine before the
green corridor); teams are the administration's departments with a few people each and more
from the second year; money comes from a yearly state budget that binds. Deterministic by seed.
"""

from __future__ import annotations

import datetime as dt
import random

from waypoint.engine.scheduling.model import Activity, Budget, Granularity, Link, LinkKind, Problem, Resource

__all__ = ["generate_roadmap"]

PHASES = ["Analysis", "Design", "Procurement", "Build", "Pilot", "Roll-out", "Training", "Evaluation"]
TEAMS = [
    "IT",
    "Risk",
    "Legal",
    "HR",
    "Academy",
    "Procedures",
    "Enforcement",
    "Finance",
    "Audit",
    "Integrity",
    "Statistics",
    "Tariff",
    "Air",
    "Sea",
    "West",
    "South",
    "North",
    "Nakhchivan",
    "Planning",
    "Communication",
]


def generate_roadmap(
    *,
    initiatives: int = 300,
    teams: int = 15,
    months: int = 60,
    seed: int = 1,
    budget_tightness: float = 0.9,
) -> Problem:
    """A roadmap of about ``initiatives × 10`` activities over ``months`` months.

    Parameters:
        budget_tightness: yearly caps as a share of the yearly spend an even spread of all
            costs over ``months`` would need (below 1 makes the budget bind).
    """
    rng = random.Random(seed)
    team_ids = TEAMS[:teams]
    resources = tuple(
        Resource(team, capacity, f"{team} team", ((12, capacity + rng.randint(0, 3)),))
        for team, capacity in ((t, rng.randint(3, 8)) for t in team_ids)
    )
    activities: list[Activity] = []
    links: list[Link] = []
    heads: list[str] = []
    tails: list[str] = []
    for number in range(1, initiatives + 1):
        prefix = f"I{number}"
        owner = rng.choice(team_ids)
        helper = rng.choice(team_ids)
        phases = PHASES[: rng.randint(5, len(PHASES))]
        release = rng.choice([0, 0, 0, 6, 12, 18, 24]) if number > initiatives // 5 else 0
        previous: str | None = None
        first = None
        for step, phase in enumerate(phases, start=1):
            activity_id = f"{prefix}.{step}"
            duration = rng.randint(1, 6)
            demands = {owner: rng.randint(1, 2)}
            if rng.random() < 0.4:
                demands[helper] = max(demands.get(helper, 0), rng.randint(1, 2))
            cost = rng.choice([0, 20, 40, 80, 150, 300]) * 1000 * (3 if phase in ("Build", "Procurement") else 1)
            activities.append(
                Activity(
                    id=activity_id,
                    name=f"{phase} — initiative {number}",
                    duration=duration,
                    demands=demands,
                    costs={"state": cost} if cost else {},
                    release=release if step == 1 else 0,
                    weight=rng.randint(1, 5),
                )
            )
            if previous is not None:
                kind = LinkKind.START_TO_START if rng.random() < 0.15 else LinkKind.FINISH_TO_START
                lag = rng.randint(1, 2) if kind is LinkKind.START_TO_START else 0
                links.append(Link(previous, activity_id, kind, lag))
            if step == 2 and rng.random() < 0.3:
                branch = f"{prefix}.{len(phases) + 1}"
                activities.append(
                    Activity(
                        branch, rng.randint(1, 4), f"Change management — initiative {number}", {helper: 1}, weight=1
                    )
                )
                links.append(Link(activity_id, branch))
            first = first or activity_id
            previous = activity_id
        heads.append(first or prefix)
        tails.append(previous or prefix)
    for number in range(initiatives // 5, initiatives):
        if rng.random() < 0.15:
            source = rng.randrange(0, number)
            links.append(Link(tails[source], heads[number]))
    total = sum(a.costs.get("state", 0) for a in activities)
    years = max(1, months // 12)
    cap = int(total / years * budget_tightness / 1000) * 1000
    budget = Budget("state", 12, dict.fromkeys(range(years + 3), cap), "State budget")
    return Problem(
        activities=tuple(activities),
        links=tuple(links),
        resources=resources,
        budgets=(budget,),
        granularity=Granularity.MONTH,
        start=dt.date(2012, 1, 1),
        name=f"generated roadmap ({initiatives} initiatives, seed {seed})",
    )
