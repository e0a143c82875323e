"""The rules of a planning round and its proposals, written once (pure, like ``plans.rules``).

A proposal is checked with the plan's own rules where it will become plan content (titles,
dates, risks, budget amounts), so what a unit writes passes when it is consolidated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from waypoint.core.errors import Problem
from waypoint.plans import rules as plan_rules
from waypoint.plans.models import DATED_KINDS, ElementKind


@dataclass(frozen=True)
class BudgetAsk:
    year: int
    funding_source_id: int
    amount: Decimal


@dataclass(frozen=True)
class IndicatorAsk:
    name: str
    unit_of_measure: str
    direction: str = "increase"
    baseline_value: Decimal | None = None
    targets: Mapping[int, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class RiskAsk:
    description: str
    likelihood: int
    impact: int
    mitigation: str = ""
    owner: str = ""


def round_problems(*, title: str, deadline: dt.date | None, frame_count: int, unit_count: int) -> list[Problem]:
    problems = []
    if not title.strip():
        problems.append(Problem("title", _("Give the round a title.")))
    if deadline is None:
        problems.append(Problem("deadline", _("Set the deadline for the units' submissions.")))
    if frame_count == 0:
        problems.append(Problem("frame", _("Choose the goals (and objectives) the units propose under.")))
    if unit_count == 0:
        problems.append(Problem("units", _("Ask at least one unit: choose levels of the org tree or units.")))
    return problems


def proposal_problems(
    *,
    kind: str,
    title: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    start_year: int,
    end_year: int,
    budget: Iterable[BudgetAsk],
    indicators: Iterable[IndicatorAsk],
    risks: Iterable[RiskAsk],
) -> list[Problem]:
    """A proposal's own content, by the plan's rules (``start_year``, ``end_year``: the plan's period)."""
    if kind not in (ElementKind.OBJECTIVE, ElementKind.INITIATIVE, ElementKind.ACTIVITY):
        return [Problem("kind", _("Propose an objective, an initiative or an activity."))]
    problems = plan_rules.element_title_problems(kind, title)
    if kind in DATED_KINDS:
        if starts_on is None:
            problems.append(Problem("starts_on", _("When does it start?")))
        if ends_on is None:
            problems.append(Problem("ends_on", _("When does it end?")))
        problems += plan_rules.element_date_problems(
            start_year=start_year, end_year=end_year, starts_on=starts_on, ends_on=ends_on, parent=None
        )
    dates = plan_rules.Dates("", kind, starts_on, ends_on)
    seen: set[tuple[int, int]] = set()
    for ask in budget:
        for problem in plan_rules.budget_line_problems(
            year=ask.year, amount=ask.amount, start_year=start_year, end_year=end_year, element=dates
        ):
            problems.append(Problem(f"budget_{ask.year}_{ask.funding_source_id}", problem.message))
        if (ask.year, ask.funding_source_id) in seen:
            problems.append(Problem(f"budget_{ask.year}_{ask.funding_source_id}", _("One amount per year and source.")))
        seen.add((ask.year, ask.funding_source_id))
    for i, indicator in enumerate(indicators):
        if not indicator.name.strip():
            problems.append(Problem(f"indicators-{i}-name", _("Name the indicator.")))
        if not indicator.unit_of_measure.strip():
            problems.append(Problem(f"indicators-{i}-unit_of_measure", _("Say what it is counted in.")))
        if indicator.direction not in ("increase", "decrease"):
            problems.append(Problem(f"indicators-{i}-direction", _("Say whether higher or lower is better.")))
        for year in indicator.targets:
            if not start_year <= year <= end_year:
                problems.append(
                    Problem(
                        f"indicators-{i}-targets",
                        _("A target for %(year)d lies outside the plan period.") % {"year": year},
                    )
                )
    for i, risk in enumerate(risks):
        for problem in plan_rules.risk_problems(
            description=risk.description, likelihood=risk.likelihood, impact=risk.impact
        ):
            problems.append(Problem(f"risks-{i}-{problem.location}", problem.message))
    return problems


def reason_problems(location: str, text: str, message: str) -> list[Problem]:
    return [Problem(location, message)] if not text.strip() else []
