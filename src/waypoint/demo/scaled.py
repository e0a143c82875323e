"""A generated plan the size of the demo's times ``scale``, for benchmarks and size tests.

The plan is written as a portable plan file and imported through ``plan_import`` (the one bulk
path into the database besides the services: the same checks and rights, rows written in
bulk), so it is a plan the application could have been given. Deterministic by seed.

At scale 1 the shape is the demo plan's (about 150 elements, 52 indicators, 90 scheduled
activities); at scale 10 about 1,500 elements, 520 indicators, 900 schedule entries. Every
indicator is reported by each of the administration's offices (its border posts, customs
offices and ports) for every year of the plan, so an indicator's page and every roll-up work
on unit values.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

from waypoint.core.audit import SYSTEM
from waypoint.org.models import OrgUnit, User
from waypoint.plans.models import Plan
from waypoint.plans.planfile import plan_import
from waypoint.plans.planfile.export import _units_in_order

#: the kinds of unit that report values by office
OFFICE_KINDS = ("road_border_post", "customs_office", "sea_port", "airport", "rail_border_post")
TEAMS = ("ICT", "PROC", "LEGAL", "TRAIN", "HR", "FIN", "PLAN", "RISK", "FIELD")
SOURCES = (("State budget", "state_budget"), ("Development loan", "loan"), ("Donor grant", "donor"))
WORDS = (
    "risk-based control",
    "electronic declarations",
    "border post infrastructure",
    "staff training",
    "trader outreach",
    "revenue audit",
    "single window",
    "laboratory capacity",
    "integrity programme",
    "data analytics",
    "post-clearance audit",
    "transit monitoring",
)


def plan_document(
    *,
    administration: OrgUnit,
    scale: int,
    seed: int,
    first_year: int = 2012,
    years: int = 10,
    title: str | None = None,
    recommendations: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The portable file of a generated plan of ``administration`` (whose units it uses)."""
    rng = random.Random(seed)  # noqa: S311 - generated sample data, reproducible by seed
    last_year = first_year + years - 1
    everything = list(OrgUnit.objects.filter(path__startswith=administration.path).order_by("path"))
    offices = [u.code for u in everything if u.kind in OFFICE_KINDS] or [administration.code]
    responsible = [u.code for u in everything if u.parent_id] or [administration.code]
    units = _units_in_order(administration, {u.code for u in everything})
    elements: list[dict[str, Any]] = []
    indicator_hosts: list[tuple[str, str]] = []  # (element code, tier)
    activities: list[dict[str, Any]] = []
    initiatives_activities: list[list[str]] = []

    def element(code: str, kind: str, parent: str | None, number: int, tier: str, children: int) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "code": code,
            "kind": kind,
            "parent": parent,
            "number": number,
            "position": number,
            "title": f"{rng.choice(WORDS).capitalize()} {code}",
            "description": f"Generated {kind} {code} (seed {seed}).",
            "tier": tier,
            "responsible_unit": rng.choice(responsible),
            "lead": "",
            "starts_on": None,
            "ends_on": None,
            "status": "not_started",
            "assumptions": "",
            "last_child_number": children,
            "risks": [],
            "budget": [],
        }
        elements.append(entry)
        return entry

    goals = 5 * scale
    for g in range(1, goals + 1):
        objectives = rng.choice((3, 3, 4))
        element(f"G{g}", "goal", None, g, "impact", objectives)
        indicator_hosts.append((f"G{g}", "impact"))
        for o in range(1, objectives + 1):
            initiatives = rng.choice((2, 2, 3))
            objective = f"O{g}.{o}"
            element(objective, "objective", f"G{g}", o, "outcome", initiatives)
            indicator_hosts.append((objective, "outcome"))
            for i in range(1, initiatives + 1):
                count = rng.choice((2, 2, 3))
                code = f"I{g}.{o}.{i}"
                start = rng.randrange(0, years * 12 - 24)
                length = rng.randrange(18, min(60, years * 12 - start) + 1)
                initiative = element(code, "initiative", objective, i, "output", count)
                initiative |= {
                    "starts_on": _month(first_year, start),
                    "ends_on": _month(first_year, start + length - 1),
                }
                initiative["risks"] = [
                    {
                        "description": f"Delays in {rng.choice(WORDS)}",
                        "likelihood": rng.randint(1, 5),
                        "impact": rng.randint(1, 5),
                        "mitigation": "Monitor monthly",
                        "owner": "Project lead",
                    }
                ]
                indicator_hosts.append((code, "output"))
                codes = []
                offset = start
                for a in range(1, count + 1):
                    remaining = start + length - offset
                    span = max(1, remaining // (count - a + 1))
                    activity = element(f"A{g}.{o}.{i}.{a}", "activity", code, a, "output", 0)
                    activity |= {
                        "starts_on": _month(first_year, offset),
                        "ends_on": _month(first_year, offset + span - 1),
                        "status": rng.choice(("not_started", "in_progress", "completed")),
                    }
                    year = first_year + offset // 12
                    activity["budget"] = [
                        {
                            "year": year,
                            "source": rng.choice(SOURCES)[0],
                            "amount": rng.randrange(10, 500) * 1000,
                            "note": "",
                        }
                    ]
                    activities.append(activity)
                    codes.append(activity["code"])
                    offset += span
                initiatives_activities.append(codes)
    rng.shuffle(indicator_hosts)
    hosts = sorted(indicator_hosts[: round(52 * scale)], key=lambda h: [int(n) for n in h[0][1:].split(".")])
    indicators = [
        _indicator(rng, number, element_code, tier, offices, first_year, years)
        for number, (element_code, tier) in enumerate(hosts, start=1)
    ]
    scheduled = [a for a in activities if rng.random() < 0.9]
    scheduled_codes = {a["code"] for a in scheduled}
    schedule = [
        {
            "element": a["code"],
            "duration_months": _months_between(a["starts_on"], a["ends_on"]),
            "not_before": None,
            "finish_by": None,
            "pinned": False,
            "weight": rng.choice((3, 3, 5)),
            "actual_start": None,
            "actual_finish": None,
            "demands": [{"team": rng.choice(TEAMS), "people": rng.choice((1, 1, 2))}],
        }
        for a in scheduled
    ]
    dependencies = [
        {"before": first, "after": then, "kind": "FS", "lag_months": 0}
        for codes in initiatives_activities
        for first, then in itertools.pairwise(codes)
        if first in scheduled_codes and then in scheduled_codes
    ]
    chosen_recommendations = []
    for entry in recommendations or []:
        answered = rng.sample([e["code"] for e in elements if e["kind"] in ("objective", "initiative")], 3)
        chosen_recommendations.append(entry | {"addressed_by": sorted(answered)})
    return {
        "format": "waypoint-plan",
        "format_version": 1,
        "administration": administration.code,
        "units": [
            {"code": u.code, "name": u.name, "kind": u.kind, "parent": u.parent.code if u.parent else None}
            for u in units
        ],
        "plan": {
            "title": title or f"Generated plan ×{scale} (seed {seed})",
            "start_year": first_year,
            "end_year": last_year,
            "status": "draft",
            "tier_template": "customs",
            "currency": "AZN",
            "vision": "A generated vision.",
            "mission": "A generated mission.",
            "values": "Integrity\nService",
            "summary": f"Generated at scale {scale} with seed {seed} for benchmarks.",
            "last_goal_number": goals,
        },
        "tiers": [
            {"key": "impact", "name": "Impact"},
            {"key": "outcome", "name": "Outcome"},
            {"key": "output", "name": "Output"},
        ],
        "funding_sources": [{"name": name, "kind": kind} for name, kind in SOURCES],
        "elements": elements,
        "analysis": [
            {
                "framework": "swot",
                "category": rng.choice(("strength", "weakness", "opportunity", "threat")),
                "text": f"Statement {n} about {rng.choice(WORDS)}",
                "objectives": [f"O{rng.randint(1, goals)}.1"],
            }
            for n in range(1, 2 * scale + 2)
        ],
        "functions": [
            {
                "name": f"Function {n}",
                "priority": "high",
                "description": "",
                "objectives": sorted({f"O{rng.randint(1, goals)}.1" for _ in range(3)}),
            }
            for n in range(1, 5)
        ],
        "indicators": indicators,
        "teams": [
            {
                "code": code,
                "name": f"{code} team",
                "unit": responsible[index % len(responsible)],
                "capacity": 2 * scale + 1,
                "changes": [],
            }
            for index, code in enumerate(TEAMS)
        ],
        "schedule": schedule,
        "dependencies": dependencies,
        "budget_caps": [],
        "recommendations": chosen_recommendations,
        "quality_rules": [],
    }


def _month(first_year: int, month: int) -> str:
    return f"{first_year + month // 12:04d}-{month % 12 + 1:02d}"


def _months_between(start: str, end: str) -> int:
    (y1, m1), (y2, m2) = (map(int, start.split("-")), map(int, end.split("-")))
    return (y2 - y1) * 12 + m2 - m1 + 1


def _indicator(
    rng: random.Random, number: int, element: str, tier: str, offices: list[str], first_year: int, years: int
) -> dict[str, Any]:
    direction = rng.choice(("increase", "decrease"))
    aggregation = rng.choice(("mean", "mean", "sum", "latest"))
    baseline = float(rng.randrange(50, 500))
    step = baseline * rng.uniform(0.02, 0.08) * (1 if direction == "increase" else -1)
    targets = [
        {
            "period": str(first_year + y),
            "value": round(baseline + step * (y + 1), 2),
            "upper_value": None,
            "history": [
                {
                    "at": f"{first_year}-01-20T09:00:00+00:00",
                    "by": SYSTEM,
                    "old_value": None,
                    "old_upper_value": None,
                    "new_value": round(baseline + step * (y + 1), 2),
                    "new_upper_value": None,
                    "reason": "initial target",
                }
            ],
        }
        for y in range(years)
    ]
    actuals = []
    share = 1 / len(offices) if aggregation == "sum" else 1.0
    for y in range(years):
        expected = baseline + step * (y + 1) * rng.uniform(0.6, 1.2)
        for office in offices:
            actuals.append(
                {
                    "period": str(first_year + y),
                    "unit": office,
                    "value": round(expected * share * rng.uniform(0.85, 1.15), 2),
                    "evidence": f"Monthly report {first_year + y}",
                    "recorded_by": SYSTEM,
                    "computed": False,
                    "provenance": {},
                }
            )
    return {
        "code": f"GEN-{number:04d}",
        "number": number,
        "name": f"Indicator {number}: {rng.choice(WORDS)}",
        "element": element,
        "tier": tier,
        "definition": "Generated.",
        "formula": "",
        "unit_of_measure": rng.choice(("hours", "%", "cases", "AZN million")),
        "decimals": 1,
        "direction": direction,
        "aggregation": aggregation,
        "cumulative": False,
        "frequency": "year",
        "data_source": "Generated",
        "means_of_verification": "Generated",
        "owner_unit": offices[0],
        "disaggregation": ["office"],
        "is_key": number % 10 == 1,
        "baseline": {"value": baseline, "date": f"{first_year - 1}-12-31", "source": "Generated"},
        "tolerance": {"value": 15, "kind": "relative"},
        "completeness_threshold": 100,
        "targets": targets,
        "actuals": actuals,
    }


def build_plan(
    *,
    administration: OrgUnit,
    scale: int,
    seed: int,
    years: int = 10,
    actor: User | None = None,
    title: str | None = None,
    recommendations: list[dict[str, Any]] | None = None,
) -> Plan:
    """Generate the plan and import it; returns the new plan (a draft)."""
    document = plan_document(
        administration=administration,
        scale=scale,
        seed=seed,
        years=years,
        title=title,
        recommendations=recommendations,
    )
    return plan_import(document, actor=actor)
