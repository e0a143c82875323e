"""Actual values over periods and units, and the status verdict against the trajectory."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from statistics import fmean
from typing import TypeVar, cast

from waypoint.engine.indicators.model import (
    Aggregation,
    Coverage,
    Direction,
    Evaluation,
    IndicatorSpec,
    Status,
    TargetValue,
)
from waypoint.engine.indicators.trajectory import expected_value
from waypoint.engine.periods import Period, months_at

T = TypeVar("T")

__all__ = [
    "actual_value",
    "evaluate",
    "evaluate_latest",
    "expected_units",
    "latest_partial",
    "period_coverage",
    "period_values",
]


def _combine_units(values: Sequence[float], aggregation: Aggregation) -> float:
    if aggregation is Aggregation.MEAN:
        return fmean(values)
    return float(sum(values))


def _derived(spec: IndicatorSpec, name: str, compute: Callable[[IndicatorSpec], T]) -> T:
    """``compute(spec)``, worked out once per spec (the callers only read the result)."""
    if name not in spec.derived:
        spec.derived[name] = compute(spec)
    return cast(T, spec.derived[name])


def period_values(spec: IndicatorSpec) -> dict[Period, float]:
    """One value per observed period, units combined.

    A value recorded for the whole administration (``unit=None``) is the official figure
    for that period and wins over the combination of unit values: administrations often
    publish a national figure that is not the plain sum of their offices' figures.
    """
    return _derived(spec, "period_values", _period_values)


def _period_values(spec: IndicatorSpec) -> dict[Period, float]:
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


def expected_units(spec: IndicatorSpec) -> frozenset[str]:
    """The units expected to report: every unit that reported a value in any period.

    Nothing else says which units an indicator is measured at, and a unit that has reported
    once is one whose silence the figure must not hide.
    """
    return _derived(spec, "expected_units", _expected_units)


def _expected_units(spec: IndicatorSpec) -> frozenset[str]:
    return frozenset(o.unit for o in spec.observations if o.unit is not None)


def period_coverage(spec: IndicatorSpec) -> dict[Period, Coverage]:
    """For each observed period whose value is rolled up from units (no value recorded for
    the whole administration), how many of the expected units reported and how many must
    (``spec.completeness`` of them, rounded up, at least one)."""
    return _derived(spec, "period_coverage", _period_coverage)


def _period_coverage(spec: IndicatorSpec) -> dict[Period, Coverage]:
    expected = len(expected_units(spec))
    needed = max(1, math.ceil(round(spec.completeness * expected, 9)))
    whole = {o.period for o in spec.observations if o.unit is None}
    reported: dict[Period, set[str]] = defaultdict(set)
    for observation in spec.observations:
        if observation.unit is not None and observation.period not in whole:
            reported[observation.period].add(observation.unit)
    return {period: Coverage(len(units), expected, needed) for period, units in reported.items()}


def _coverage(spec: IndicatorSpec, used: list[Period]) -> Coverage | None:
    """The coverage of a value built from ``used`` periods: that of its least complete roll-up."""
    coverage = period_coverage(spec)
    found = [coverage[p] for p in used if p in coverage]
    if not found:
        return None
    return min(found, key=lambda c: (c.complete, c.reported / c.needed))


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
    coverage = _coverage(spec, used)
    if actual is not None and coverage is not None and not coverage.complete:
        # a few units' roll-up is not the administration's figure: show it as partial, judge nothing
        return Evaluation(
            period,
            Status.NO_DATA,
            None,
            _value(expected),
            _upper(expected),
            reason=f"only {coverage.reported} of {coverage.expected} units reported ({coverage.needed} needed)",
            coverage=coverage,
            partial=actual,
        )
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
        coverage=coverage,
    )


def _newest_first(spec: IndicatorSpec) -> list[Period]:
    return sorted(period_values(spec), key=lambda p: (p.end_months, p.months), reverse=True)


def evaluate_latest(spec: IndicatorSpec) -> Evaluation | None:
    """Status at the most recent observed period whose value counts, or ``None`` when
    nothing was observed.

    A newer period whose value is a roll-up of too few units is passed over (see
    :func:`latest_partial`); when no period has a value that counts, the most recent one is
    returned, with no data and its coverage.
    """
    newest: Evaluation | None = None
    for period in _newest_first(spec):
        evaluation = evaluate(spec, period)
        newest = newest or evaluation
        if evaluation.coverage is None or evaluation.coverage.complete:
            return evaluation
    return newest


def latest_partial(spec: IndicatorSpec) -> Evaluation | None:
    """The most recent observed period when too few units reported for it to count: what
    :func:`evaluate_latest` passes over, for pages to say that it is there."""
    periods = _newest_first(spec)
    if not periods:
        return None
    evaluation = evaluate(spec, periods[0])
    return evaluation if evaluation.partial is not None else None


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
