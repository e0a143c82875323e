"""Actual values over periods and units, and the status verdict against the trajectory."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from statistics import fmean

from waypoint.engine.indicators.model import (
    Aggregation,
    Direction,
    Evaluation,
    IndicatorSpec,
    Status,
    TargetValue,
)
from waypoint.engine.indicators.trajectory import expected_value
from waypoint.engine.periods import Period, months_at

__all__ = ["actual_value", "evaluate", "evaluate_latest", "period_values"]


def _combine_units(values: Sequence[float], aggregation: Aggregation) -> float:
    if aggregation is Aggregation.MEAN:
        return fmean(values)
    return float(sum(values))


def period_values(spec: IndicatorSpec) -> dict[Period, float]:
    """One value per observed period, units combined.

    A value recorded for the whole administration (``unit=None``) is the official figure
    for that period and wins over the combination of unit values: administrations often
    publish a national figure that is not the plain sum of their offices' figures.
    """
    whole: dict[Period, float] = {}
    by_unit: dict[Period, list[float]] = defaultdict(list)
    for observation in spec.observations:
        if observation.unit is None:
            whole[observation.period] = observation.value
        else:
            by_unit[observation.period].append(observation.value)
    combined = {period: _combine_units(values, spec.aggregation) for period, values in by_unit.items()}
    combined.update(whole)
    return combined


def _outermost(periods: Iterable[Period]) -> list[Period]:
    """Drop periods contained in another one of the list (a year beats its own quarters)."""
    candidates = sorted(set(periods), key=lambda p: (p.start_months, -p.months))
    kept: list[Period] = []
    for period in candidates:
        if not any(other != period and other.contains(period) for other in candidates):
            kept.append(period)
    return kept


def _combine_time(values: list[tuple[Period, float]], aggregation: Aggregation) -> float:
    if aggregation is Aggregation.SUM:
        return float(sum(value for _, value in values))
    if aggregation is Aggregation.MEAN:
        return fmean(value for _, value in values)
    return max(values, key=lambda item: item[0].sort_key())[1]


def actual_value(spec: IndicatorSpec, period: Period) -> tuple[float | None, list[Period]]:
    """The measured value for ``period`` and the observed periods it was built from.

    Sub-periods inside ``period`` are combined by the indicator's aggregation. A cumulative
    indicator adds every observed period since its baseline up to the end of ``period`` to
    the baseline value, so its value is a running total.
    """
    values = period_values(spec)
    if spec.cumulative:
        since = months_at(spec.baseline.date) if spec.baseline is not None else float("-inf")
        inside = [p for p in values if p.end_months > since and p.end_months <= period.end_months]
        used = _outermost(inside)
        if not any(period.contains(p) for p in used):
            return None, []
        start = spec.baseline.value if spec.baseline is not None else 0.0
        return start + sum(values[p] for p in used), used
    used = _outermost(p for p in values if period.contains(p))
    if not used:
        return None, []
    return _combine_time([(p, values[p]) for p in used], spec.aggregation), used


def _expected_for(spec: IndicatorSpec, period: Period, used: list[Period]) -> TargetValue | None:
    """Expectation matching what was actually observed inside ``period``.

    A year with only two quarters reported is compared with what was expected by the end of
    the second quarter (flows: the sum for those two quarters), not with the whole year.
    """
    inside = [p for p in used if period.contains(p)]
    if not inside or inside == [period]:
        return expected_value(spec, period)
    if spec.is_flow:
        parts = [expected_value(spec, p) for p in inside]
        if any(part is None for part in parts):
            return None
        return TargetValue(sum(part.value for part in parts if part is not None))
    return expected_value(spec, max(inside, key=lambda p: p.sort_key()))


def _verdict(direction: Direction, actual: float, expected: TargetValue, band: float) -> Status:
    if direction is Direction.INCREASE:
        if actual >= expected.value:
            return Status.ON_TRACK
        return Status.AT_RISK if actual >= expected.value - band else Status.OFF_TRACK
    if direction is Direction.DECREASE:
        if actual <= expected.value:
            return Status.ON_TRACK
        return Status.AT_RISK if actual <= expected.value + band else Status.OFF_TRACK
    lower = expected.value
    upper = expected.upper if expected.upper is not None else expected.value
    if lower <= actual <= upper:
        return Status.ON_TRACK
    distance = lower - actual if actual < lower else actual - upper
    return Status.AT_RISK if distance <= band else Status.OFF_TRACK


def evaluate(spec: IndicatorSpec, period: Period) -> Evaluation:
    """Status of the indicator for ``period``.

    On track when the actual is at least as good as expected (direction-aware), at risk when
    it falls short by no more than the tolerance band, off track beyond it, and no data when
    either the actual or the expectation is missing.
    """
    actual, used = actual_value(spec, period)
    expected = _expected_for(spec, period, used) if used else expected_value(spec, period)
    if actual is None:
        return Evaluation(
            period, Status.NO_DATA, None, _value(expected), _upper(expected), reason="no actual value recorded"
        )
    if expected is None:
        return Evaluation(period, Status.NO_DATA, actual, None, reason="no target covers this period")
    band = spec.tolerance.band(expected.value)
    status = _verdict(spec.direction, actual, expected, band)
    return Evaluation(
        period,
        status,
        actual,
        expected.value,
        expected.upper,
        achievement=_achievement(spec, actual, expected),
    )


def evaluate_latest(spec: IndicatorSpec) -> Evaluation | None:
    """Status at the most recent observed period, or ``None`` when nothing was observed."""
    values = period_values(spec)
    if not values:
        return None
    latest = max(values, key=lambda p: (p.end_months, p.months))
    return evaluate(spec, latest)


def _achievement(spec: IndicatorSpec, actual: float, expected: TargetValue) -> float | None:
    if spec.baseline is None or spec.direction is Direction.RANGE:
        return None
    planned = expected.value - spec.baseline.value
    if planned == 0:
        return None
    return (actual - spec.baseline.value) / planned


def _value(target: TargetValue | None) -> float | None:
    return None if target is None else target.value


def _upper(target: TargetValue | None) -> float | None:
    return None if target is None else target.upper
