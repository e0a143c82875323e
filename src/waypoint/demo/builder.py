"""Builds the demo administration through the same services the web app uses.

Idempotent: units and people are matched by code and user name, plans by administration,
title and period; whatever already exists is left alone, so running it twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from waypoint.demo import content, content_az, programme
from waypoint.demo.diagnostics import build_diagnostics
from waypoint.demo.monitoring import build_monitoring
from waypoint.demo.organisation import (
    ADMINISTRATION,
    EARLY_POST_REPORT,
    PEOPLE,
    POST_OFFSETS_UNITS,
    build_people,
    build_units,
)
from waypoint.demo.people import build_people as build_workforce
from waypoint.demo.roadmap import build_roadmap
from waypoint.demo.rounds import build_round_2011, build_round_2016
from waypoint.demo.trs import build_trs
from waypoint.demo.workshops import build_workshops
from waypoint.engine.periods import parse_month
from waypoint.indicators import services as indicator_services
from waypoint.indicators.models import Indicator
from waypoint.org.models import OrgUnit, User
from waypoint.plans import services
from waypoint.plans.models import DATED_KINDS, FundingSource, Plan, PlanElement, PlanStatus


@dataclass(frozen=True)
class DemoSummary:
    units: int
    people: list[tuple[str, str, str]]
    plans: list[tuple[int, str, bool]]


def _d(value: float) -> Decimal:
    return Decimal(str(round(value, 4)))


@transaction.atomic
def build_demo(*, password: str) -> DemoSummary:
    """Create (or complete) the demo administration; returns what exists afterwards."""
    units = build_units()
    people = {user.username: user for user in build_people(units, password)}
    admin = units[ADMINISTRATION]
    sources = {}
    for spec in content.FUNDING_SOURCES:
        source = FundingSource.objects.filter(administration=admin, name=spec.name).first()
        sources[spec.name] = source or services.funding_source_create(
            actor=None, administration=admin, name=spec.name, kind=spec.kind
        )
    previous, created_previous = _build_programme(admin, units)
    plan, created_plan = _build_strategic_plan(admin, units, sources, previous, people)
    build_roadmap(plan, units)
    build_trs(plan, admin)
    build_diagnostics(admin, previous, plan)
    build_workforce(plan, admin, units)
    build_monitoring(plan, units)
    draft = _existing(admin, "Strategic Plan 2017–2021 (draft)", 2017, 2021)
    created_draft = draft is None
    if draft is None:
        draft = build_round_2016(plan, admin, units, sources, people)
    build_workshops(plan, admin)
    return DemoSummary(
        units=OrgUnit.objects.filter(path__startswith=admin.path).count(),
        people=[(p.username, p.role, p.unit) for p in PEOPLE],
        plans=[
            (previous.pk, str(previous), created_previous),
            (plan.pk, str(plan), created_plan),
            (draft.pk, str(draft), created_draft),
        ],
    )


_PROGRAMME_AGGREGATION = {"AZN million": "sum", "officers": "sum", "bodies": "latest", "checkpoints": "latest"}


def _existing(admin: OrgUnit, title: str, start: int, end: int) -> Plan | None:
    return Plan.objects.filter(administration=admin, title=title, start_year=start, end_year=end).first()


def _build_programme(admin: OrgUnit, units: dict[str, OrgUnit]) -> tuple[Plan, bool]:
    title = "State Programme on the Development of the Customs System 2007–2011"
    found = _existing(admin, title, 2007, 2011)
    if found is not None:
        return found, False
    plan = services.plan_create(
        actor=None,
        administration=admin,
        title=title,
        start_year=2007,
        end_year=2011,
        vision="A customs service that meets international standards.",
        mission="Implement the recommendations of the 2007 diagnostic.",
        summary="The five-year state programme built on the recommendations of the 2007 Columbus Programme diagnostic.",
    )
    objectives: dict[str, PlanElement] = {}
    for goal_spec in programme.GOALS:
        goal = services.element_create(
            actor=None, plan=plan, parent=None, title=goal_spec.title, responsible_unit=units[goal_spec.unit]
        )
        for objective_spec in goal_spec.objectives:
            objective = services.element_create(
                actor=None,
                plan=plan,
                parent=goal,
                title=objective_spec.title,
                responsible_unit=units[objective_spec.unit],
            )
            objectives[objective.code] = objective
            for initiative_spec in objective_spec.initiatives:
                services.element_create(
                    actor=None,
                    plan=plan,
                    parent=objective,
                    title=initiative_spec.title,
                    responsible_unit=units[initiative_spec.unit],
                    starts_on=parse_month(initiative_spec.start),
                    ends_on=parse_month(initiative_spec.end),
                    status=initiative_spec.status,
                )
    for spec in programme.INDICATORS:
        indicator = indicator_services.indicator_create(
            actor=None,
            plan=plan,
            element=objectives[spec.objective],
            name=spec.name,
            unit_of_measure=spec.unit_of_measure,
            direction=spec.direction,
            aggregation=_PROGRAMME_AGGREGATION.get(spec.unit_of_measure, "mean"),
            cumulative=spec.unit_of_measure == "officers",
            frequency="year",
            owner_unit=units[spec.owner],
            baseline_value=_d(spec.baseline),
            baseline_date=dt.date(2006, 12, 31),
            baseline_source="2007 diagnostic report",
            decimals=1 if spec.unit_of_measure == "hours" else 0,
        )
        actuals = spec.actuals
        if indicator.cumulative:  # the programme reports running totals; actuals are per year
            actuals = {year: value - spec.actuals.get(year - 1, spec.baseline) for year, value in spec.actuals.items()}
        for year, value in spec.targets.items():
            indicator_services.target_set(
                actor=None,
                indicator=indicator,
                period=str(year),
                value=_d(value),
                at=dt.datetime(2007, 2, 1, tzinfo=dt.UTC),
            )
        for year, value in actuals.items():
            indicator_services.actual_record(
                actor=None,
                indicator=indicator,
                period=str(year),
                value=_d(value),
                evidence="Programme completion report",
            )
    services.plan_set_status(actor=None, plan=plan, status=PlanStatus.UNDER_REVIEW)
    services.plan_set_status(actor=None, plan=plan, status=PlanStatus.APPROVED)
    services.plan_set_status(
        actor=None, plan=plan, status=PlanStatus.SUPERSEDED, note="Replaced by the Strategic Plan 2012–2016"
    )
    return plan, True


def _in_azerbaijani(title: str) -> dict[str, dict[str, str]]:
    return {"az": {"title": content_az.TITLES[title]}}


def _keep_in_azerbaijani(plan: Plan, planner: User) -> None:
    """The titles the 2011 round brought into the plan, in Azerbaijani as well: the planning
    department keeps the plan in the administration's language beside the donors' English."""
    for element in plan.elements.exclude(kind="goal").order_by("pk"):
        services.element_update(
            actor=planner,
            element=element,
            expected_version=None,
            changes={"translations": _in_azerbaijani(element.title)},
        )


def _build_strategic_plan(
    admin: OrgUnit,
    units: dict[str, OrgUnit],
    sources: dict[str, FundingSource],
    previous: Plan,
    people: dict[str, User],
) -> tuple[Plan, bool]:
    """The Strategic Plan 2012–2016 as it came about: headquarters set the five goals, the 2011
    planning round brought the units' proposals, the planning department consolidated them and
    completed the draft (indicators, the environmental scan, functions), the Chairman approved
    it; values were recorded from 2012 on, and one amendment in 2014 re-based two targets."""
    found = _existing(admin, content.PLAN_TITLE, 2012, 2016)
    if found is not None:
        return found, False
    planner, chairman = people["planner"], people["chairman"]
    plan = services.plan_create(
        actor=planner,
        administration=admin,
        title=content.PLAN_TITLE,
        start_year=2012,
        end_year=2016,
        vision=content.VISION,
        mission=content.MISSION,
        values=content.VALUES,
        summary=content.SUMMARY,
        previous=previous,
        # written in English for the donors, kept in Azerbaijani for the administration
        language="en",
        translations={"az": content_az.PLAN},
    )
    goals = [
        services.element_create(
            actor=planner,
            plan=plan,
            parent=None,
            title=goal_spec.title,
            translations=_in_azerbaijani(goal_spec.title),
            responsible_unit=units[goal_spec.unit],
            description=goal_spec.description,
        )
        for goal_spec in content.GOALS
    ]
    build_round_2011(plan, goals, units, sources, people)
    _keep_in_azerbaijani(plan, planner)
    by_code = {e.code: e for e in plan.elements.all()}
    indicators = _build_indicators(plan, units, by_code)
    for framework, items in (("swot", content.SWOT), ("pestle", content.PESTLE)):
        for statement in items:
            services.analysis_item_save(
                actor=None,
                plan=plan,
                framework=framework,
                category=statement.category,
                text=statement.text,
                objectives=[by_code[c] for c in statement.objectives],
            )
    for function in content.FUNCTIONS:
        services.function_save(
            actor=None,
            plan=plan,
            name=function.name,
            priority=function.priority,
            description=function.description,
            objectives=[by_code[c] for c in function.objectives],
        )
    services.plan_set_status(
        actor=planner,
        plan=plan,
        status=PlanStatus.UNDER_REVIEW,
        note="Consolidated draft sent to the Chairman",
        at=dt.datetime(2011, 12, 12, 10, tzinfo=dt.UTC),
    )
    services.plan_set_status(
        actor=chairman,
        plan=plan,
        status=PlanStatus.APPROVED,
        note="Approved by the Chairman's order: the plan runs from 1 January 2012.",
        at=dt.datetime(2011, 12, 27, 11, tzinfo=dt.UTC),
    )
    _record_actuals(indicators)
    services.amendment_open(
        actor=planner,
        plan=plan,
        reason="Two 2014 targets re-based: the 2012 Time Release Study and the Academy's confirmed capacity.",
        at=dt.datetime(2014, 3, 10, 9, tzinfo=dt.UTC),
    )
    _revise_targets(indicators)
    services.plan_set_status(
        actor=planner,
        plan=plan,
        status=PlanStatus.UNDER_REVIEW,
        note="Amendment 1 for the Chairman's approval",
        at=dt.datetime(2014, 3, 20, 10, tzinfo=dt.UTC),
    )
    services.plan_set_status(
        actor=chairman,
        plan=plan,
        status=PlanStatus.APPROVED,
        note="Amendment 1 approved.",
        at=dt.datetime(2014, 3, 28, 11, tzinfo=dt.UTC),
    )
    _record_progress(plan)
    return plan, True


def _record_progress(plan: Plan) -> None:
    """How the work stood in mid-2014: the implementation status of each initiative and activity
    (open on the approved plan: it records how the work goes)."""
    statuses: dict[str, str] = {}
    for g, goal in enumerate(content.GOALS, start=1):
        for o, objective in enumerate(goal.objectives, start=1):
            for i, initiative in enumerate(objective.initiatives, start=1):
                statuses[f"I{g}.{o}.{i}"] = initiative.status
                statuses.update(
                    (f"A{g}.{o}.{i}.{a}", act.status) for a, act in enumerate(initiative.activities, start=1)
                )
    for element in plan.elements.filter(kind__in=DATED_KINDS):
        status = statuses.get(element.code)
        if status and status != element.status:
            services.element_update(actor=None, element=element, expected_version=None, changes={"status": status})


def _build_indicators(plan: Plan, units: dict[str, OrgUnit], by_code: dict[str, PlanElement]) -> list[Built]:
    """The plan's indicators with their first targets (the 2014 amendment revises two)."""
    initial = dt.datetime(2012, 1, 20, 9, 0, tzinfo=dt.UTC)
    originals = {(r.element, r.indicator, r.year): r.original for r in content.REVISIONS}
    built: list[Built] = []
    for spec in content.INDICATORS:
        element = by_code[spec.element]
        indicator = indicator_services.indicator_create(
            actor=None,
            plan=plan,
            element=element,
            name=spec.name,
            unit_of_measure=spec.unit_of_measure,
            direction=spec.direction,
            aggregation=spec.aggregation,
            cumulative=spec.cumulative,
            frequency=spec.frequency,
            owner_unit=units[spec.owner],
            definition=spec.definition,
            data_source=spec.data_source,
            means_of_verification=spec.verification,
            is_key=spec.key,
            decimals=spec.decimals,
            baseline_value=_d(spec.baseline),
            baseline_date=dt.date(2011, 12, 31),
            baseline_source="2011 self-assessment and customs system data",
            disaggregation=["office"]
            if spec.by_post
            else (["mode", "channel"] if spec.data_source.startswith("Time Release") else []),
            tolerance_value=_d(spec.tolerance),
            tolerance_kind=spec.tolerance_kind,
        )
        for year, value in spec.targets.items():
            original = originals.get((spec.element, spec.name, year))
            upper = spec.upper.get(year)
            indicator_services.target_set(
                actor=None,
                indicator=indicator,
                period=str(year),
                value=_d(original if original is not None else value),
                upper_value=_d(upper) if upper is not None else None,
                at=initial,
            )
        built.append(Built(spec, indicator))
    return built


@dataclass(frozen=True)
class Built:
    spec: content.Indicator
    indicator: Indicator


def _revise_targets(built: list[Built]) -> None:
    for item in built:
        spec = item.spec
        for revision in content.REVISIONS:
            if (revision.element, revision.indicator) == (spec.element, spec.name):
                indicator_services.target_set(
                    actor=None,
                    indicator=item.indicator,
                    period=str(revision.year),
                    value=_d(revision.value),
                    reason=revision.reason,
                    at=dt.datetime.fromisoformat(revision.on).replace(hour=10, tzinfo=dt.UTC),
                )


def _record_actuals(built: list[Built]) -> None:
    """The values recorded from 2012 to 2014 (monitoring: open on the approved plan)."""
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=POST_OFFSETS_UNITS)}
    for item in built:
        spec, indicator = item.spec, item.indicator
        previous_total = spec.baseline
        for year, value in sorted(spec.actuals.items()):
            amount = value - previous_total if spec.cumulative else value
            previous_total = value
            if spec.frequency == "quarter":
                for quarter, share in enumerate(content.REVENUE_QUARTERS, start=1):
                    indicator_services.actual_record(
                        actor=None,
                        indicator=indicator,
                        period=f"{year}Q{quarter}",
                        value=_d(amount * share),
                        evidence="Treasury revenue report",
                    )
                continue
            indicator_services.actual_record(
                actor=None, indicator=indicator, period=str(year), value=_d(amount), evidence=spec.verification
            )
            if spec.by_post:
                for post, offset in POST_OFFSETS_UNITS.items():
                    post_value = max(0.2, amount + offset * (1.0 - 0.15 * (year - 2012)))
                    indicator_services.actual_record(
                        actor=None,
                        indicator=indicator,
                        period=str(year),
                        value=_d(post_value),
                        unit=units[post],
                        evidence=f"TRS {year}, {units[post].name}",
                    )
        if spec.by_post:
            post, year, value = EARLY_POST_REPORT
            indicator_services.actual_record(
                actor=None,
                indicator=indicator,
                period=str(year),
                value=_d(value),
                unit=units[post],
                evidence=f"TRS {year}, {units[post].name} (first post to report)",
            )
