"""ORM records ⇄ the indicator engine's dataclasses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from waypoint.core.rules import readable_decimal
from waypoint.engine import indicators as engine
from waypoint.engine.periods import Period, PeriodKind
from waypoint.indicators.models import Actual, Indicator, Target

_KIND = {"year": PeriodKind.YEAR, "quarter": PeriodKind.QUARTER, "month": PeriodKind.MONTH}


def indicator_spec(indicator: Indicator, targets: Iterable[Target], actuals: Iterable[Actual]) -> engine.IndicatorSpec:
    """Build the engine's view of one indicator from its stored rows. A stored value that is not
    a finite number (``readable_decimal``) counts as missing: no baseline, no target, no actual
    for its period, no tolerance."""
    return spec_of(
        indicator,
        ((t.period, t.value, t.upper_value) for t in targets),
        ((a.period, a.value, a.unit.code if a.unit_id and a.unit else None) for a in actuals),
    )


def spec_of(
    indicator: Indicator,
    targets: Iterable[tuple[str, Any, Any]],
    actuals: Iterable[tuple[str, Any, str | None]],
) -> engine.IndicatorSpec:
    """``indicator_spec`` from plain rows: targets as (period, value, upper value), actual
    values as (period, value, unit code or ``None``)."""
    baseline = None
    baseline_value = readable_decimal(indicator.baseline_value)
    if baseline_value is not None and indicator.baseline_date is not None:
        baseline = engine.Baseline(float(baseline_value), indicator.baseline_date)
    tolerance_value = float(readable_decimal(indicator.tolerance_value) or 0)
    if indicator.tolerance_kind == "relative":
        tolerance = engine.Tolerance(tolerance_value / 100, engine.ToleranceKind.RELATIVE)
    else:
        tolerance = engine.Tolerance(tolerance_value, engine.ToleranceKind.ABSOLUTE)
    return engine.IndicatorSpec(
        direction=engine.Direction(indicator.direction),
        aggregation=engine.Aggregation(indicator.aggregation),
        cumulative=indicator.cumulative,
        frequency=_KIND[indicator.frequency],
        baseline=baseline,
        targets={
            Period.parse(period): engine.TargetValue(float(value), float(upper) if upper is not None else None)
            for period, stored, stored_upper in targets
            if (value := readable_decimal(stored)) is not None
            if (upper := readable_decimal(stored_upper)) is not None or stored_upper is None
        },
        observations=tuple(
            engine.Observation(Period.parse(period), float(value), unit)
            for period, stored, unit in actuals
            if (value := readable_decimal(stored)) is not None
        ),
        tolerance=tolerance,
        completeness=indicator.completeness_threshold / 100,
    )
