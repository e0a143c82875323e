"""Results-based management maths: trajectories, statuses and roll-ups of indicators.

The facade is what Django apps use; the modules behind it stay free of any framework.
"""

from waypoint.engine.indicators.evaluation import (
    actual_value,
    evaluate,
    evaluate_latest,
    expected_units,
    latest_partial,
    period_coverage,
    period_values,
)
from waypoint.engine.indicators.model import (
    Aggregation,
    Baseline,
    Coverage,
    Direction,
    Evaluation,
    IndicatorSpec,
    Observation,
    Status,
    TargetValue,
    Tolerance,
    ToleranceKind,
)
from waypoint.engine.indicators.rollup import Health, health, rollup_tree
from waypoint.engine.indicators.trajectory import expected_value, trajectory_points

__all__ = [
    "Aggregation",
    "Baseline",
    "Coverage",
    "Direction",
    "Evaluation",
    "Health",
    "IndicatorSpec",
    "Observation",
    "Status",
    "TargetValue",
    "Tolerance",
    "ToleranceKind",
    "actual_value",
    "evaluate",
    "evaluate_latest",
    "expected_units",
    "expected_value",
    "health",
    "latest_partial",
    "period_coverage",
    "period_values",
    "rollup_tree",
    "trajectory_points",
]
