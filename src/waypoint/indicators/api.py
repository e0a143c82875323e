from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from waypoint.core.apischema import Omittable, TextLimits
from waypoint.core.errors import InvalidInput, NotFound
from waypoint.core.rules import readable_decimal
from waypoint.engine import indicators as engine
from waypoint.indicators import selectors, services
from waypoint.indicators.models import Actual, Indicator, Target
from waypoint.org.access import request_user
from waypoint.org.models import OrgUnit
from waypoint.plans import permissions as plan_permissions
from waypoint.plans import selectors as plan_selectors
from waypoint.plans.models import Plan

router = Router(tags=["indicators"])

#: a stored number that is not a finite number (core.rules.readable_decimal) is answered as null
UNREADABLE = "null only for a stored value that is not a number (from outside the application)."


class CoverageOut(Schema):
    reported: int = Field(description="Units that reported for the period.")
    expected: int = Field(description="Units that report the indicator (those that reported in any period).")
    needed: int = Field(description="Units that must report before the roll-up counts.")
    complete: bool


class PartialOut(Schema):
    period: str
    value: float = Field(description="The roll-up of the units that reported: not the administration's figure.")
    units: CoverageOut


def coverage_out(coverage: engine.Coverage | None) -> CoverageOut | None:
    if coverage is None:
        return None
    return CoverageOut(
        reported=coverage.reported, expected=coverage.expected, needed=coverage.needed, complete=coverage.complete
    )


def partial_out(evaluation: engine.Evaluation | None) -> PartialOut | None:
    if evaluation is None or evaluation.partial is None or evaluation.coverage is None:
        return None
    units = coverage_out(evaluation.coverage)
    assert units is not None
    return PartialOut(period=evaluation.period.code, value=evaluation.partial, units=units)


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    element: str
    tier: str
    definition: str
    formula: str
    unit_of_measure: str
    direction: str
    aggregation: str
    cumulative: bool
    frequency: str
    data_source: str
    means_of_verification: str
    owner_unit: str
    disaggregation: list[str]
    is_key: bool
    baseline_value: Decimal | None = Field(description="null: no baseline, or a stored value that is not a number.")
    baseline_date: dt.date | None
    baseline_source: str
    tolerance_value: Decimal | None = Field(description=UNREADABLE)
    tolerance_kind: str
    completeness_threshold: int = Field(
        description="Percentage of the units that report the indicator that must have reported for a period "
        "before their roll-up counts for the administration."
    )
    status: str
    status_period: str | None
    latest_actual: float | None
    expected: float | None
    units: CoverageOut | None = Field(
        description="For a latest value rolled up from units: how many reported. Null when the value is the "
        "administration's own figure."
    )
    partial: PartialOut | None = Field(
        description="A newer period whose value was reported by too few units to count: shown, not used for the status."
    )
    version: int


def indicator_out(state: selectors.IndicatorState) -> IndicatorOut:
    i = state.indicator
    latest = state.latest
    return IndicatorOut(
        id=i.pk,
        code=i.code,
        name=i.name,
        element=i.element.code,
        tier=i.tier.key,
        definition=i.definition,
        formula=i.formula,
        unit_of_measure=i.unit_of_measure,
        direction=i.direction,
        aggregation=i.aggregation,
        cumulative=i.cumulative,
        frequency=i.frequency,
        data_source=i.data_source,
        means_of_verification=i.means_of_verification,
        owner_unit=i.owner_unit.code,
        disaggregation=list(i.disaggregation or []),
        is_key=i.is_key,
        baseline_value=readable_decimal(i.baseline_value),
        baseline_date=i.baseline_date,
        baseline_source=i.baseline_source,
        tolerance_value=readable_decimal(i.tolerance_value),
        tolerance_kind=i.tolerance_kind,
        completeness_threshold=i.completeness_threshold,
        status=state.status.value,
        status_period=latest.period.code if latest else None,
        latest_actual=latest.actual if latest else None,
        expected=latest.expected if latest else None,
        units=coverage_out(state.coverage),
        partial=partial_out(state.partial or (latest if latest is not None and latest.partial is not None else None)),
        version=i.version,
    )


class IndicatorIn(TextLimits, Schema):
    limits_from = Indicator

    name: str
    element_id: int
    unit_of_measure: str
    direction: str
    aggregation: str
    frequency: str = "year"
    owner_unit: str
    cumulative: bool = False
    tier: str | None = None
    definition: str = ""
    formula: str = ""
    decimals: int = 1
    data_source: str = ""
    means_of_verification: str = ""
    disaggregation: list[str] = []
    is_key: bool = False
    baseline_value: Decimal | None = None
    baseline_date: dt.date | None = None
    baseline_source: str = ""
    tolerance_value: Decimal = Decimal("15")
    tolerance_kind: str = "relative"
    completeness_threshold: int = Field(
        100, description="Percentage (1–100) of the reporting units needed before their roll-up counts."
    )


class IndicatorPatch(TextLimits, Schema):
    limits_from = Indicator

    version: int
    name: Omittable[str] = None
    unit_of_measure: Omittable[str] = None
    direction: Omittable[str] = None
    aggregation: Omittable[str] = None
    frequency: Omittable[str] = None
    owner_unit: Omittable[str] = None
    cumulative: Omittable[bool] = None
    definition: Omittable[str] = None
    formula: Omittable[str] = None
    decimals: Omittable[int] = None
    data_source: Omittable[str] = None
    means_of_verification: Omittable[str] = None
    disaggregation: Omittable[list[str]] = None
    is_key: Omittable[bool] = None
    baseline_value: Decimal | None = Field(None, description="null removes the baseline.")
    baseline_date: dt.date | None = None
    baseline_source: Omittable[str] = None
    tolerance_value: Omittable[Decimal] = None
    tolerance_kind: Omittable[str] = None
    completeness_threshold: Omittable[int] = None


class TargetOut(Schema):
    period: str
    value: Decimal | None = Field(description=UNREADABLE)
    upper_value: Decimal | None
    version: int


class TargetIn(TextLimits, Schema):
    limits_from = Target

    value: Decimal
    upper_value: Decimal | None = None
    reason: str = Field("", description="Required when an existing target changes.")
    version: int | None = Field(None, description="The version you read, to detect a concurrent change.")


class ActualOut(Schema):
    id: int
    period: str
    unit: str | None
    value: Decimal | None = Field(description=UNREADABLE + " Delete it, or record the value again.")
    evidence: str
    recorded_by: str
    computed: bool
    version: int


def actual_out(a: Actual) -> ActualOut:
    return ActualOut(
        id=a.pk,
        period=a.period,
        unit=a.unit.code if a.unit else None,
        value=readable_decimal(a.value),
        evidence=a.evidence,
        recorded_by=a.recorded_by_name,
        computed=a.is_computed,
        version=a.version,
    )


class ActualIn(TextLimits, Schema):
    limits_from = Actual

    period: str
    value: Decimal
    unit: str | None = Field(None, description="Unit code; empty for the whole administration.")
    evidence: str = ""


class ActualPatch(TextLimits, Schema):
    limits_from = Actual

    version: int
    period: Omittable[str] = None
    value: Omittable[Decimal] = None
    unit: str | None = Field(None, description="Unit code; null for the whole administration.")
    evidence: Omittable[str] = None


def _unit(plan: Plan, code: str | None, location: str) -> OrgUnit | None:
    if not code:
        return None
    unit = OrgUnit.objects.filter(code=code, path__startswith=plan.administration.path).first()
    if unit is None:
        raise InvalidInput.at(location, _("Unknown unit %(code)s in this administration.") % {"code": code})
    return unit


def _state(indicator: Indicator) -> selectors.IndicatorState:
    return selectors.indicator_states(indicator.plan, [indicator])[indicator.pk]


@router.get("/plans/{plan_id}/indicators", response=list[IndicatorOut])
def list_indicators(request: HttpRequest, plan_id: int, q: str = "", key_only: bool = False) -> list[IndicatorOut]:
    plan = plan_selectors.plan_for(request.user, plan_id)
    states = selectors.indicator_states(plan, selectors.indicators_for_plan(plan, search=q, key_only=key_only))
    return [indicator_out(s) for s in states.values()]


@router.post("/plans/{plan_id}/indicators", response={201: IndicatorOut})
def create_indicator(request: HttpRequest, plan_id: int, payload: IndicatorIn) -> Status[IndicatorOut]:
    plan = plan_selectors.plan_for(request.user, plan_id)
    data: dict[str, Any] = payload.dict()
    element = plan_selectors.element_for(request.user, data.pop("element_id"))
    if element.plan_id != plan.pk:
        raise InvalidInput.at("$.element_id", _("The element belongs to another plan."))
    data["element"] = element
    data["owner_unit"] = _unit(plan, data["owner_unit"], "$.owner_unit")
    tier_key = data.pop("tier")
    data["tier"] = plan.tiers.filter(key=tier_key).first() if tier_key else None
    if tier_key and data["tier"] is None:
        raise InvalidInput.at("$.tier", _("Unknown tier '%(tier_key)s'.") % {"tier_key": tier_key})
    indicator = services.indicator_create(actor=request_user(request), plan=plan, **data)
    return Status(201, indicator_out(_state(indicator)))


@router.get("/indicators/{indicator_id}", response=IndicatorOut)
def get_indicator(request: HttpRequest, indicator_id: int) -> IndicatorOut:
    return indicator_out(_state(selectors.indicator_for(request.user, indicator_id)))


@router.patch("/indicators/{indicator_id}", response=IndicatorOut)
def patch_indicator(request: HttpRequest, indicator_id: int, payload: IndicatorPatch) -> IndicatorOut:
    indicator = selectors.indicator_for(request.user, indicator_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if "owner_unit" in data:
        data["owner_unit"] = _unit(indicator.plan, data["owner_unit"], "$.owner_unit")
    services.indicator_update(actor=request_user(request), indicator=indicator, expected_version=version, changes=data)
    return indicator_out(_state(selectors.indicator_for(request.user, indicator_id)))


@router.delete("/indicators/{indicator_id}", response={204: None})
def delete_indicator(request: HttpRequest, indicator_id: int) -> Status[None]:
    indicator = selectors.indicator_for(request.user, indicator_id)
    services.indicator_delete(actor=request_user(request), indicator=indicator)
    return Status(204, None)


@router.get("/indicators/{indicator_id}/targets", response=list[TargetOut])
def list_targets(request: HttpRequest, indicator_id: int) -> list[TargetOut]:
    indicator = selectors.indicator_for(request.user, indicator_id)
    return [
        TargetOut(
            period=t.period,
            value=readable_decimal(t.value),
            upper_value=readable_decimal(t.upper_value),
            version=t.version,
        )
        for t in indicator.targets.all()
    ]


@router.put("/indicators/{indicator_id}/targets/{period}", response=TargetOut)
def set_target(request: HttpRequest, indicator_id: int, period: str, payload: TargetIn) -> TargetOut:
    indicator = selectors.indicator_for(request.user, indicator_id)
    target = services.target_set(
        actor=request_user(request),
        indicator=indicator,
        period=period,
        value=payload.value,
        upper_value=payload.upper_value,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return TargetOut(period=target.period, value=target.value, upper_value=target.upper_value, version=target.version)


@router.get("/indicators/{indicator_id}/actuals", response=list[ActualOut])
def list_actuals(request: HttpRequest, indicator_id: int) -> list[ActualOut]:
    indicator = selectors.indicator_for(request.user, indicator_id)
    return [actual_out(a) for a in indicator.actuals.select_related("unit").order_by("period", "unit__code")]


@router.post("/indicators/{indicator_id}/actuals", response={201: ActualOut})
def record_actual(request: HttpRequest, indicator_id: int, payload: ActualIn) -> Status[ActualOut]:
    indicator = selectors.indicator_for(request.user, indicator_id)
    actual = services.actual_record(
        actor=request_user(request),
        indicator=indicator,
        period=payload.period,
        value=payload.value,
        unit=_unit(indicator.plan, payload.unit, "$.unit"),
        evidence=payload.evidence,
    )
    return Status(201, actual_out(actual))


def _actual(request: HttpRequest, actual_id: int) -> Actual:
    actual = Actual.objects.select_related("unit", "indicator__plan__administration").filter(pk=actual_id).first()
    if actual is None or not plan_permissions.can_view_plan(request.user, actual.indicator.plan):
        raise NotFound(_("No such value."))  # the same whether it exists elsewhere or not at all
    return actual


@router.patch("/actuals/{actual_id}", response=ActualOut)
def patch_actual(request: HttpRequest, actual_id: int, payload: ActualPatch) -> ActualOut:
    actual = _actual(request, actual_id)
    indicator = selectors.indicator_for(request.user, actual.indicator_id)
    data = payload.dict(exclude_unset=True)
    unit = _unit(indicator.plan, data["unit"], "$.unit") if "unit" in data else actual.unit
    saved = services.actual_record(
        actor=request_user(request),
        indicator=indicator,
        period=data.get("period", actual.period),
        value=data.get("value", actual.value),
        unit=unit,
        evidence=data.get("evidence", actual.evidence),
        actual=actual,
        expected_version=payload.version,
    )
    return actual_out(saved)


@router.delete("/actuals/{actual_id}", response={204: None})
def delete_actual(request: HttpRequest, actual_id: int) -> Status[None]:
    actual = _actual(request, actual_id)
    services.actual_delete(actor=request_user(request), actual=actual)
    return Status(204, None)
