"""Roadmap endpoints: teams, schedule data, dependencies, budget caps and scenarios."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from waypoint.core.apischema import MONTH, TextLimits
from waypoint.core.errors import InvalidInput, NotFound
from waypoint.core.rules import readable_decimal
from waypoint.engine.periods import parse_month
from waypoint.org.access import request_user
from waypoint.org.models import OrgUnit
from waypoint.plans import selectors as plan_selectors
from waypoint.plans.models import FundingSource, PlanElement
from waypoint.roadmap import msproject, selectors, services
from waypoint.roadmap.models import Dependency, Scenario, ScheduleItem, Team

router = Router(tags=["roadmap"])


class CapacityChangeIO(Schema):
    month: str = Field(..., description="YYYY-MM", pattern=MONTH)
    people: int = Field(..., ge=0)


class TeamOut(Schema):
    id: int
    code: str
    name: str
    unit: str | None
    capacity: int
    changes: list[CapacityChangeIO]
    version: int


class TeamIn(TextLimits, Schema):
    limits_from = Team

    code: str
    name: str
    capacity: int = Field(..., ge=0)
    unit: str | None = None
    changes: list[CapacityChangeIO] = []
    version: int | None = Field(None, description="The version you read (updates only), to detect a concurrent change.")


def team_out(team: Team) -> TeamOut:
    return TeamOut(
        id=team.pk,
        code=team.code,
        name=team.name,
        unit=team.unit.code if team.unit else None,
        capacity=team.capacity,
        changes=[
            CapacityChangeIO(month=f"{c.starts_on:%Y-%m}", people=c.capacity) for c in team.capacity_changes.all()
        ],
        version=team.version,
    )


@router.get("/plans/{plan_id}/roadmap/teams", response=list[TeamOut])
def list_teams(request: HttpRequest, plan_id: int) -> list[TeamOut]:
    plan = plan_selectors.plan_for(request.user, plan_id)
    return [team_out(t) for t in selectors.teams(plan)]


def _save_team(request: HttpRequest, plan_id: int, payload: TeamIn, team: Team | None) -> Team:
    plan = plan_selectors.plan_for(request.user, plan_id)
    unit = None
    if payload.unit:
        unit = OrgUnit.objects.filter(code=payload.unit, path__startswith=plan.administration.path).first()
        if unit is None:
            raise InvalidInput.at("$.unit", _("Unknown unit %(unit)s in this administration.") % {"unit": payload.unit})
    return services.team_save(
        actor=request_user(request),
        plan=plan,
        team=team,
        code=payload.code,
        name=payload.name,
        capacity=payload.capacity,
        unit=unit,
        changes=[(parse_month(c.month), c.people) for c in payload.changes],
        expected_version=payload.version,
    )


@router.post("/plans/{plan_id}/roadmap/teams", response={201: TeamOut})
def create_team(request: HttpRequest, plan_id: int, payload: TeamIn) -> Status[TeamOut]:
    return Status(201, team_out(_save_team(request, plan_id, payload, None)))


@router.put("/plans/{plan_id}/roadmap/teams/{team_id}", response=TeamOut)
def update_team(request: HttpRequest, plan_id: int, team_id: int, payload: TeamIn) -> TeamOut:
    plan = plan_selectors.plan_for(request.user, plan_id)
    team = get_object_or_404(Team, pk=team_id, plan=plan)
    return team_out(_save_team(request, plan_id, payload, team))


@router.delete("/plans/{plan_id}/roadmap/teams/{team_id}", response={204: None})
def delete_team(request: HttpRequest, plan_id: int, team_id: int) -> Status[None]:
    plan = plan_selectors.plan_for(request.user, plan_id)
    team = get_object_or_404(Team, pk=team_id, plan=plan)
    services.team_delete(actor=request_user(request), team=team)
    return Status(204, None)


class DependencyOut(Schema):
    id: int
    before: str
    after: str
    kind: str
    lag_months: int


class ScheduleOut(Schema):
    element: str
    duration_months: int | None
    weight: int
    release_on: dt.date | None
    deadline_on: dt.date | None
    pinned: bool
    actual_start: dt.date | None
    actual_finish: dt.date | None
    teams: dict[str, int]
    waits_for: list[DependencyOut]
    version: int | None


class ScheduleIn(Schema):
    duration_months: int = Field(..., ge=1, le=120)
    weight: int = Field(3, ge=1, le=5)
    release_on: dt.date | None = None
    deadline_on: dt.date | None = None
    pinned: bool = False
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None
    teams: dict[str, int] | None = Field(None, description="Team code → people; replaces the demands when given.")
    version: int | None = None


def dependency_out(d: Dependency) -> DependencyOut:
    return DependencyOut(id=d.pk, before=d.before.code, after=d.after.code, kind=d.kind, lag_months=d.lag_months)


def schedule_out(element: PlanElement) -> ScheduleOut:
    item = ScheduleItem.objects.filter(element=element).prefetch_related("demands__team").first()
    dependencies = Dependency.objects.filter(after=element).select_related("before", "after")
    return ScheduleOut(
        element=element.code,
        duration_months=item.duration_months if item else None,
        weight=item.weight if item else 3,
        release_on=item.release_on if item else None,
        deadline_on=item.deadline_on if item else None,
        pinned=item.pinned if item else False,
        actual_start=item.actual_start if item else None,
        actual_finish=item.actual_finish if item else None,
        teams={d.team.code: d.people for d in item.demands.all()} if item else {},
        waits_for=[dependency_out(d) for d in dependencies],
        version=item.version if item else None,
    )


@router.get("/elements/{element_id}/schedule", response=ScheduleOut)
def get_schedule(request: HttpRequest, element_id: int) -> ScheduleOut:
    return schedule_out(plan_selectors.element_for(request.user, element_id))


@router.put("/elements/{element_id}/schedule", response=ScheduleOut)
def put_schedule(request: HttpRequest, element_id: int, payload: ScheduleIn) -> ScheduleOut:
    element = plan_selectors.element_for(request.user, element_id)
    demands = None
    if payload.teams is not None:
        teams = {t.code: t for t in Team.objects.filter(plan=element.plan)}
        demands = {}
        for code, people in payload.teams.items():
            if code not in teams:
                raise InvalidInput.at(f"$.teams.{code}", _("Unknown team %(code)s in this plan.") % {"code": code})
            demands[teams[code]] = people
    values = payload.dict(exclude={"teams", "version"})
    services.item_save(
        actor=request_user(request),
        element=element,
        values=values,
        demands=demands,
        expected_version=payload.version,
    )
    return schedule_out(element)


class DependencyIn(Schema):
    before: str = Field(..., description="Code of the initiative or activity to wait for, e.g. I1.2.3")
    kind: str = Field("FS", pattern="^(FS|SS|FF)$")
    lag_months: int = Field(0, ge=-60, le=60)


@router.post("/elements/{element_id}/dependencies", response={201: DependencyOut})
def add_dependency(request: HttpRequest, element_id: int, payload: DependencyIn) -> Status[DependencyOut]:
    element = plan_selectors.element_for(request.user, element_id)
    before = PlanElement.objects.filter(plan=element.plan, code=payload.before).first()
    if before is None:
        raise InvalidInput.at("$.before", _("No element %(before)s in this plan.") % {"before": payload.before})
    dependency = services.dependency_add(
        actor=request_user(request), before=before, after=element, kind=payload.kind, lag_months=payload.lag_months
    )
    return Status(201, dependency_out(dependency))


@router.delete("/elements/{element_id}/dependencies/{dependency_id}", response={204: None})
def delete_dependency(request: HttpRequest, element_id: int, dependency_id: int) -> Status[None]:
    element = plan_selectors.element_for(request.user, element_id)
    dependency = get_object_or_404(Dependency, pk=dependency_id, after=element)
    services.dependency_delete(actor=request_user(request), dependency=dependency)
    return Status(204, None)


class CapIO(Schema):
    funding_source: str = Field(..., description="The funding source's name")
    year: int
    amount: Decimal | None = Field(None, ge=0, description="Empty removes the cap.")


@router.get("/plans/{plan_id}/roadmap/caps", response=list[CapIO])
def list_caps(request: HttpRequest, plan_id: int) -> list[CapIO]:
    plan = plan_selectors.plan_for(request.user, plan_id)
    return [
        CapIO(funding_source=c.funding_source.name, year=c.year, amount=readable_decimal(c.amount))
        for c in plan.budget_caps.select_related("funding_source")
    ]


@router.put("/plans/{plan_id}/roadmap/caps", response=list[CapIO])
def put_caps(request: HttpRequest, plan_id: int, payload: list[CapIO]) -> list[CapIO]:
    plan = plan_selectors.plan_for(request.user, plan_id)
    sources = {s.name: s for s in FundingSource.objects.filter(administration=plan.administration)}
    caps: dict[tuple[FundingSource, int], Decimal | None] = {}
    for index, cap in enumerate(payload):
        source = sources.get(cap.funding_source)
        if source is None:
            raise InvalidInput.at(
                f"$[{index}].funding_source",
                _("Unknown funding source “%(funding_source)s”.") % {"funding_source": cap.funding_source},
            )
        caps[(source, cap.year)] = cap.amount
    services.budget_caps_save(actor=request_user(request), plan=plan, caps=caps)
    return list_caps(request, plan_id)


class ScenarioOut(Schema):
    id: int
    name: str
    objective: str
    status: str
    result_status: str
    is_baseline: bool
    time_limit_s: int
    replan_from: dt.date | None
    makespan_months: int | None
    finishes_on: dt.date | None
    objective_value: int | None
    lower_bound: int | None
    progress: dict[str, float]
    conflicts: list[str]
    error: str


class ScenarioItemOut(Schema):
    element: str
    starts_on: dt.date
    ends_on: dt.date
    critical: bool
    pinned: bool


class ScenarioDetailOut(ScenarioOut):
    items: list[ScenarioItemOut]


def scenario_out(s: Scenario) -> ScenarioOut:
    return ScenarioOut(
        id=s.pk,
        name=s.name,
        objective=s.objective,
        status=s.status,
        result_status=s.result_status,
        is_baseline=s.is_baseline,
        time_limit_s=s.time_limit_s,
        replan_from=s.replan_from,
        makespan_months=s.makespan_months,
        finishes_on=s.finish_date,
        objective_value=s.objective_value,
        lower_bound=s.lower_bound,
        progress={k: float(v) for k, v in (s.progress or {}).items()},
        conflicts=list(s.conflicts or []),
        error=s.error,
    )


class ScenarioIn(TextLimits, Schema):
    limits_from = Scenario

    name: str
    objective: str = Field("makespan", pattern="^(makespan|weighted)$")
    time_limit_s: int = Field(30, ge=1, le=600)
    replan_from: dt.date | None = None


@router.get("/plans/{plan_id}/roadmap/scenarios", response=list[ScenarioOut])
def list_scenarios(request: HttpRequest, plan_id: int) -> list[ScenarioOut]:
    plan = plan_selectors.plan_for(request.user, plan_id)
    return [scenario_out(s) for s in selectors.scenarios(plan)]


@router.post("/plans/{plan_id}/roadmap/scenarios", response={202: ScenarioOut})
def create_scenario(request: HttpRequest, plan_id: int, payload: ScenarioIn) -> Status[ScenarioOut]:
    """Queue a scenario for solving; poll it until ``status`` is ``done``."""
    plan = plan_selectors.plan_for(request.user, plan_id)
    scenario = services.scenario_create(
        actor=request_user(request),
        plan=plan,
        name=payload.name,
        objective=payload.objective,
        time_limit_s=payload.time_limit_s,
        replan_from=payload.replan_from,
    )
    return Status(202, scenario_out(scenario))


@router.get("/scenarios/{scenario_id}", response=ScenarioDetailOut)
def get_scenario(request: HttpRequest, scenario_id: int) -> ScenarioDetailOut:
    s = selectors.scenario_for(request.user, scenario_id)
    items = [
        ScenarioItemOut(
            element=i.element.code, starts_on=i.starts_on, ends_on=i.ends_on, critical=i.critical, pinned=i.pinned
        )
        for i in s.items.select_related("element")
    ]
    return ScenarioDetailOut(**scenario_out(s).dict(), items=items)


@router.post("/scenarios/{scenario_id}/cancel", response=ScenarioOut)
def cancel_scenario(request: HttpRequest, scenario_id: int) -> ScenarioOut:
    s = selectors.scenario_for(request.user, scenario_id)
    return scenario_out(services.scenario_cancel(actor=request_user(request), scenario=s))


@router.post("/scenarios/{scenario_id}/approve", response=ScenarioOut)
def approve_scenario(request: HttpRequest, scenario_id: int) -> ScenarioOut:
    s = selectors.scenario_for(request.user, scenario_id)
    return scenario_out(services.scenario_approve(actor=request_user(request), scenario=s))


@router.delete("/scenarios/{scenario_id}", response={204: None})
def delete_scenario(request: HttpRequest, scenario_id: int) -> Status[None]:
    s = selectors.scenario_for(request.user, scenario_id)
    services.scenario_delete(actor=request_user(request), scenario=s)
    return Status(204, None)


@router.get("/scenarios/{scenario_id}/mspdi")
def export_scenario(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """The scenario as MS Project XML (MSPDI)."""
    s = selectors.scenario_for(request.user, scenario_id)
    data = msproject.scenario_mspdi(s)
    if data is None:
        raise NotFound(_("This scenario has no schedule."))
    return HttpResponse(data, content_type="application/xml")
