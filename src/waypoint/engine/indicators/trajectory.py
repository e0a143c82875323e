"""The path an indicator is expected to follow from its baseline through its targets."""

from __future__ import annotations

from bisect import bisect_left

from waypoint.engine.indicators.model import IndicatorSpec, TargetValue
from waypoint.engine.periods import Period, months_at

__all__ = ["expected_value", "trajectory_points"]


def trajectory_points(spec: IndicatorSpec) -> list[tuple[float, TargetValue]]:
    """Baseline and targets as points on the month axis, in time order.

    Targets sit at the end of their period: a 2013 target is what should be true on
    31 December 2013. The baseline becomes a point with equal bounds.
    """
    points: list[tuple[float, TargetValue]] = []
    if spec.baseline is not None:
        base = spec.baseline.value
        upper = base if any(t.upper is not None for t in spec.targets.values()) else None
        points.append((months_at(spec.baseline.date), TargetValue(base, upper)))
    for period, target in sorted(spec.targets.items(), key=lambda item: item[0].sort_key()):
        points.append((period.end_months, target))
    points.sort(key=lambda point: point[0])
    return points


def _interpolate(points: list[tuple[float, TargetValue]], at: float) -> TargetValue | None:
    if not points:
        return None
    times = [t for t, _ in points]
    if at < times[0]:
        return None
    if at >= times[-1]:
        return points[-1][1]
    right = bisect_left(times, at)
    if times[right] == at:
        return points[right][1]
    (t0, v0), (t1, v1) = points[right - 1], points[right]
    share = (at - t0) / (t1 - t0)
    value = v0.value + (v1.value - v0.value) * share
    upper = None
    if v0.upper is not None and v1.upper is not None:
        upper = v0.upper + (v1.upper - v0.upper) * share
    return TargetValue(value, upper)


def expected_value(spec: IndicatorSpec, period: Period) -> TargetValue | None:
    """What the indicator should read for ``period``.

    An explicit target for the period wins. A flow (summed, non-cumulative) indicator
    expects the share of its target periods that ``period`` covers (a quarter of a yearly
    revenue target in each quarter). Any other indicator follows a straight line between
    its baseline and successive targets, holding the last target afterwards.

    Returns:
        ``None`` when nothing is expected: no target reaches the period, or the period ends
        before the baseline was measured.
    """
    if period in spec.targets:
        return spec.targets[period]
    if spec.is_flow:
        return _flow_expectation(spec, period)
    return _interpolate(trajectory_points(spec), period.end_months)


def _flow_expectation(spec: IndicatorSpec, period: Period) -> TargetValue | None:
    total = 0.0
    covered = 0.0
    for target_period, target in spec.targets.items():
        if not target_period.overlaps(period):
            continue
        overlap = min(period.end_months, target_period.end_months) - max(
            period.start_months, target_period.start_months
        )
        total += target.value * overlap / target_period.months
        covered += overlap
    if covered < period.months:
        # Part of the period has no target at all: a partial expectation would mislead.
        return None
    return TargetValue(total)
