"""The demo plan's roadmap: teams, durations, dependencies, budget caps, recorded progress, an
approved baseline and a mid-term re-plan. Built through the roadmap services, idempotently."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict
from decimal import Decimal

from waypoint.engine import scheduling as engine
from waypoint.engine.periods import add_months, month_end, months_from, months_spanned
from waypoint.org.models import OrgUnit
from waypoint.plans.models import ElementKind, FundingSource, Plan, PlanElement
from waypoint.roadmap import services
from waypoint.roadmap.adapters import plan_problem, roadmap_start
from waypoint.roadmap.models import ScenarioStatus, Team

#: (code, name, unit); each unit's work needs its team (sized from the plan below)
TEAMS = [
    ("ICT", "ICT development team", "HQ-ITD"),
    ("PROC", "Customs procedures team", "HQ-CAD"),
    ("LEGAL", "Legal drafting team", "HQ-LEG"),
    ("TRAIN", "Academy trainers", "HQ-ACA"),
    ("HR", "Human resources project team", "HQ-HRD"),
    ("FIN", "Finance and procurement", "HQ-FIN"),
    ("PLAN", "Strategic planning unit", "HQ-SPD"),
    ("RISK", "Risk, enforcement and audit analysts", "HQ-RMD"),
    ("FIELD", "Regional implementation team", "RD-STH"),
]
#: people added from a month on (the ICT team grows with the e-customs loan)
TEAM_GROWTH = {"ICT": [(dt.date(2014, 1, 1), 2)], "TRAIN": [(dt.date(2015, 1, 1), 1)]}
UNIT_TEAM = {
    "HQ-ITD": "ICT",
    "HQ-CAD": "PROC",
    "HQ-LEG": "LEGAL",
    "HQ-ACA": "TRAIN",
    "HQ-HRD": "HR",
    "HQ-FIN": "FIN",
    "HQ-SPD": "PLAN",
    "HQ-RMD": "RISK",
    "HQ-ENF": "RISK",
    "HQ-INT": "RISK",
    "HQ-PCA": "RISK",
    "HQ-TVO": "RISK",
}
#: initiatives that wait for others: (before, after, kind, lag in months)
LINKS = [
    ("I1.4.1", "I1.4.2", "FS", 0),  # certify AEOs once the legal basis exists
    ("I1.2.1", "I1.2.3", "FS", 0),  # the green corridor needs the risk engine
    ("I5.1.1", "I1.1.2", "SS", 6),  # pre-arrival processing builds on electronic declarations
    ("I4.1.1", "I4.1.2", "SS", 12),  # merit-based recruitment uses the new job profiles
    ("I5.1.2", "I5.2.2", "SS", 12),  # the management information system needs the new data centre half built
    ("I1.3.2", "I1.3.3", "SS", 6),  # fewer documents once the law allows it
]
#: the results management wants first
HIGH_PRIORITY = {"I1.2.1", "I1.3.1", "I5.1.1", "I1.1.1", "I2.2.1"}
PINNED = {"I3.3.2"}  # the coordination committee met when the ministers decided
REPLAN_FROM = dt.date(2014, 7, 1)


def build_roadmap(plan: Plan, units: dict[str, OrgUnit]) -> bool:
    """Give ``plan`` its roadmap unless it has one; returns whether it was built now."""
    if Team.objects.filter(plan=plan).exists():
        return False
    teams: dict[str, Team] = {}
    for code, name, unit in TEAMS:
        # generous until the work is known; sized by _size_teams below
        teams[code] = services.team_save(actor=None, plan=plan, code=code, name=name, unit=units[unit], capacity=99)
    elements = list(
        PlanElement.objects.filter(plan=plan, kind__in=[ElementKind.INITIATIVE, ElementKind.ACTIVITY])
        .select_related("responsible_unit", "parent")
        .order_by("pk")
    )
    by_code = {e.code: e for e in elements}
    activities_of: dict[int, list[PlanElement]] = defaultdict(list)
    for element in elements:
        if element.kind == ElementKind.ACTIVITY and element.parent_id:
            activities_of[element.parent_id].append(element)
    for number, element in enumerate(e for e in elements if e.kind == ElementKind.ACTIVITY):
        assert element.starts_on
        assert element.ends_on
        assert element.parent
        team = UNIT_TEAM.get(element.responsible_unit.code, "FIELD")
        demands = {teams[team]: 2 if team == "ICT" else 1}
        if "train" in element.title.lower() and team != "TRAIN":
            demands[teams["TRAIN"]] = 1
        values: dict[str, object] = {
            "duration_months": months_spanned(element.starts_on, element.ends_on),
            "weight": 5 if element.parent.code in HIGH_PRIORITY else 3,
            "pinned": element.parent.code in PINNED,
        }
        # progress recorded by mid-2014: some work started or finished a month or two late
        slip = (number % 3 == 0) + (number % 7 == 0)
        started = add_months(element.starts_on, slip)
        finished = month_end(add_months(element.ends_on, slip))
        if element.status in ("completed", "in_progress", "delayed") and started < REPLAN_FROM:
            values["actual_start"] = started
            if element.status == "completed" and finished < REPLAN_FROM:
                values["actual_finish"] = finished
        services.item_save(actor=None, element=element, values=values, demands=demands)
    for activities in activities_of.values():
        ordered = sorted(activities, key=lambda a: (a.starts_on or dt.date.min, a.pk))
        for first, then in itertools.pairwise(ordered):
            if first.ends_on and then.starts_on and then.starts_on > first.ends_on:
                services.dependency_add(actor=None, before=first, after=then, kind="FS")
    for before_code, after_code, kind, lag in LINKS:
        services.dependency_add(
            actor=None, before=by_code[before_code], after=by_code[after_code], kind=kind, lag_months=lag
        )
    _size_teams(plan, teams)
    _caps(plan)
    baseline = services.scenario_create(
        actor=None, plan=plan, name="Baseline roadmap (approved 2012)", time_limit_s=5, run_now=True
    )
    if baseline.status == ScenarioStatus.DONE and baseline.starts:
        services.scenario_approve(actor=None, scenario=baseline)
    services.scenario_create(
        actor=None,
        plan=plan,
        name="Re-plan from July 2014",
        time_limit_s=5,
        replan_from=REPLAN_FROM,
        run_now=True,
    )
    return True


def _planned_schedule(plan: Plan) -> engine.Schedule:
    """The roadmap as the plan's dates have it (before any levelling)."""
    built = plan_problem(plan)
    origin = roadmap_start(plan)
    starts = {
        code: months_from(origin, element.starts_on) if element.starts_on else 0
        for code, element in built.leaves.items()
    }
    return engine.Schedule(built.problem, starts)


def _size_teams(plan: Plan, teams: dict[str, Team]) -> None:
    """Teams a quarter smaller than the plan's dates would need at their busiest: the plan was
    drafted without levelling, so the roadmap has to sequence the work."""
    planned = _planned_schedule(plan)
    for resource in planned.problem.resources:
        team = teams[resource.id]
        peak = max(planned.usage(resource), default=1)
        largest = max((a.demands.get(resource.id, 0) for a in planned.problem.activities), default=1)
        people = max(largest, math.ceil(peak * 0.75))
        grown = [(day, people + extra) for day, extra in TEAM_GROWTH.get(resource.id, [])]
        services.team_save(
            actor=None,
            plan=plan,
            team=team,
            code=team.code,
            name=team.name,
            unit=team.unit,
            capacity=people,
            changes=grown,
        )


def _caps(plan: Plan) -> None:
    """Yearly caps 30% above what each source pays in that year under the plan's dates."""
    planned = _planned_schedule(plan)
    sources = {str(s.pk): s for s in FundingSource.objects.filter(administration=plan.administration)}
    caps = {}
    for budget in planned.problem.budgets:
        for period, amount in planned.spend(budget).items():
            year = plan.start_year + period
            if year <= plan.end_year:
                caps[(sources[budget.id], year)] = Decimal(math.ceil(amount * 1.3 / 10000) * 10000)
    services.budget_caps_save(actor=None, plan=plan, caps=caps)
