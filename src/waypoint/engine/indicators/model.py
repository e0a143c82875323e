"""Dataclasses describing an indicator, its targets and its observed values."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from waypoint.engine.periods import Period, PeriodKind

__all__ = [
    "Aggregation",
    "Baseline",
    "Coverage",
    "Direction",
    "Evaluation",
    "IndicatorSpec",
    "Observation",
    "Status",
    "TargetValue",
    "Tolerance",
    "ToleranceKind",
]


class Direction(enum.Enum):
    """Which way is better."""

    INCREASE = "increase"
    DECREASE = "decrease"
    RANGE = "range"  # keep within a band: the target gives its lower and upper bounds


class Aggregation(enum.Enum):
    """How values combine over time and across units.

    ``SUM``: flows (revenue collected, seizures made) add up over periods and units.
    ``MEAN``: averages (release time) are averaged over periods and units.
    ``LATEST``: stocks (posts connected) take the last period's value, summed across units.
    """

    SUM = "sum"
    MEAN = "mean"
    LATEST = "latest"


class Status(enum.Enum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"

    @property
    def score(self) -> float | None:
        """Numeric value used when statuses are rolled up; ``None`` for no data."""
        return {Status.ON_TRACK: 1.0, Status.AT_RISK: 0.5, Status.OFF_TRACK: 0.0}.get(self)


class ToleranceKind(enum.Enum):
    RELATIVE = "relative"  # a fraction of the expected value (0.15 = ±15 %)
    ABSOLUTE = "absolute"  # in the indicator's own unit


@dataclass(frozen=True)
class Tolerance:
    """How far short of the expected value still counts as "at risk" rather than "off track"."""

    value: float = 0.15
    kind: ToleranceKind = ToleranceKind.RELATIVE

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("a tolerance cannot be negative")

    def band(self, expected: float) -> float:
        if self.kind is ToleranceKind.ABSOLUTE:
            return self.value
        return abs(expected) * self.value


@dataclass(frozen=True)
class Baseline:
    value: float
    date: dt.date


@dataclass(frozen=True)
class TargetValue:
    """A target for one period; ``upper`` is set only for range indicators."""

    value: float
    upper: float | None = None

    def __post_init__(self) -> None:
        if self.upper is not None and self.upper < self.value:
            raise ValueError(f"the upper bound {self.upper} is below the lower bound {self.value}")


@dataclass(frozen=True)
class Observation:
    """A measured value for one period, for one unit (``unit=None``: the whole administration).

    For a cumulative indicator the value is what happened *in* the period; the engine adds
    the periods up.
    """

    period: Period
    value: float
    unit: str | None = None


@dataclass(frozen=True)
class Coverage:
    """How many of the expected units a rolled-up value was built from, and how many it needs
    to stand for the whole administration."""

    reported: int
    expected: int
    needed: int

    @property
    def complete(self) -> bool:
        return self.reported >= self.needed


@dataclass(frozen=True)
class IndicatorSpec:
    direction: Direction
    aggregation: Aggregation
    cumulative: bool
    frequency: PeriodKind
    baseline: Baseline | None
    targets: Mapping[Period, TargetValue] = field(default_factory=dict)
    observations: Sequence[Observation] = ()
    tolerance: Tolerance = Tolerance()
    #: share of the expected units that must report before their roll-up counts for a period
    #: (1.0: all of them); the expected units are those that reported in any period
    completeness: float = 1.0
    #: what the evaluation derives from the observations once (values per period, coverage),
    #: kept with the spec: a plan's page evaluates each indicator for every year, and each
    #: evaluation needs them (``evaluation._derived``); not part of the value
    derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not 0 < self.completeness <= 1:
            raise ValueError("the share of units needed lies in (0, 1]")
        if self.cumulative and self.aggregation is not Aggregation.SUM:
            raise ValueError("a cumulative indicator must add its values up (aggregation 'sum')")
        if self.direction is Direction.RANGE:
            missing = [p.code for p, t in self.targets.items() if t.upper is None]
            if missing:
                raise ValueError(f"range targets need an upper bound: {', '.join(sorted(missing))}")

    @property
    def is_flow(self) -> bool:
        """Values that pile up within a period (so a quarter is a quarter of a year's target)."""
        return self.aggregation is Aggregation.SUM and not self.cumulative


@dataclass(frozen=True)
class Evaluation:
    """The verdict for one period."""

    period: Period
    status: Status
    actual: float | None
    expected: float | None
    expected_upper: float | None = None
    #: share of the planned change from the baseline that has been achieved (1.0 = as planned)
    achievement: float | None = None
    reason: str = ""
    #: for a value rolled up from units, how many reported (``None``: the administration's own
    #: figure, or nothing observed)
    coverage: Coverage | None = None
    #: the roll-up of the units that did report, when too few did for it to count (``actual``
    #: is then ``None`` and the status no data)
    partial: float | None = None
