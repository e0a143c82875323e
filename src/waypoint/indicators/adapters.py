"""ORM records ⇄ the indicator engine's dataclasses."""

from __future__ import annotations

from collections.abc import Iterable

from waypoint.engine import indicators as engine
from waypoint.engine.periods import Period, PeriodKind
from waypoint.indicators.models import Actual, Indicator, Target

_KIND = {"year": PeriodKind.YEAR, "quarter": PeriodKind.QUARTER, "month": PeriodKind.MONTH}


def indicator_spec(indicator: Indicator, targets: Iterable[Target], actuals: Iterable[Actual]) -> engine.IndicatorSpec:
    """Build the engine's view of one indicator from its stored rows."""
    baseline = None
    if indicator.baseline_value is not None and indicator.baseline_date is not None:
        baseline = engine.Baseline(float(indicator.baseline_value), indicator.baseline_date)
    tolerance_value = float(indicator.tolerance_value)
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
            Period.parse(t.period): engine.TargetValue(
                float(t.value), float(t.upper_value) if t.upper_value is not None else None
            )
            for t in targets
        },
        observations=tuple(
            engine.Observation(Period.parse(a.period), float(a.value), a.unit.code if a.unit_id and a.unit else None)
            for a in actuals
        ),
        tolerance=tolerance,
        completeness=indicator.completeness_threshold / 100,
    )


def frequency_kind(indicator: Indicator) -> PeriodKind:
    return _KIND[indicator.frequency]
