"""The monitoring cycle's rules, without Django: the reporting calendar, the outlier rule,
reporting and timeliness rates, the approval tree, and the forecast to the final target.

The monitoring app (``waypoint.monitoring``) reads its records into these types and writes the
answers back; everything here is plain data and arithmetic, tested with ``-p no:django``.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from waypoint.engine.periods import Period, PeriodKind

__all__ = [
    "ApprovalState",
    "CalendarRule",
    "CyclePeriod",
    "Forecast",
    "ForecastVerdict",
    "OutlierBounds",
    "Rates",
    "Report",
    "Timeliness",
    "approval_blockers",
    "forecast",
    "outlier_bounds",
    "rates",
    "reporting_periods",
    "timeliness",
    "unapproval_blockers",
]


# --- the calendar ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarRule:
    """When a period's report opens, falls due and stops counting as on time.

    ``opens_days_before_end``: data entry opens this many days before the period ends (0: the
    day after it ends). ``due_days``: the report is due this many days after the period ends.
    ``grace_days``: a report that arrives within this many days after the due date still counts
    as on time (DHIS2's "days after period end to qualify for timely submission" is the sum).
    """

    due_days: int = 15
    grace_days: int = 5
    opens_days_before_end: int = 0

    def __post_init__(self) -> None:
        if min(self.due_days, self.grace_days, self.opens_days_before_end) < 0:
            raise ValueError("calendar days cannot be negative")


@dataclass(frozen=True)
class CyclePeriod:
    """One reporting round: a period and its dates."""

    period: Period
    opens_on: dt.date
    due_on: dt.date
    grace_until: dt.date

    @property
    def code(self) -> str:
        return self.period.code


def reporting_periods(kind: PeriodKind, start_year: int, end_year: int, rule: CalendarRule) -> list[CyclePeriod]:
    """Every period of ``kind`` from ``start_year`` to ``end_year`` with its dates."""
    if end_year < start_year:
        raise ValueError("the calendar ends before it starts")
    found: list[CyclePeriod] = []
    for year in range(start_year, end_year + 1):
        for period in Period.year_of(year).subperiods(kind):
            end = period.end
            due = end + dt.timedelta(days=rule.due_days)
            found.append(
                CyclePeriod(
                    period=period,
                    opens_on=end + dt.timedelta(days=1) - dt.timedelta(days=rule.opens_days_before_end),
                    due_on=due,
                    grace_until=due + dt.timedelta(days=rule.grace_days),
                )
            )
    return found


# --- timeliness and rates ---------------------------------------------------------------------------


class Timeliness(enum.Enum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    #: not submitted, but its grace period has not ended: not yet expected
    PENDING = "pending"
    #: the parent level waived it: not expected at all
    WAIVED = "waived"


def timeliness(
    *, submitted_on: dt.date | None, grace_until: dt.date, today: dt.date, waived: bool = False
) -> Timeliness:
    """How one report stands: on time when submitted by the end of the grace period, late
    after it, missing when the grace period is over without a submission."""
    if waived:
        return Timeliness.WAIVED
    if submitted_on is not None:
        return Timeliness.ON_TIME if submitted_on <= grace_until else Timeliness.LATE
    return Timeliness.MISSING if today > grace_until else Timeliness.PENDING


@dataclass(frozen=True)
class Report:
    """One expected report for the rates: its group (a unit, a directorate, a period) and
    how it stands."""

    group: str
    state: Timeliness


@dataclass(frozen=True)
class Rates:
    """DHIS2's reporting rate (reports received / reports expected) and timeliness (reports
    received on time / reports expected). A report is expected once its grace period is over
    or once it has arrived; a waived report is not expected."""

    expected: int
    received: int
    on_time: int
    late: int
    missing: int

    @property
    def reporting_rate(self) -> float | None:
        return None if self.expected == 0 else 100.0 * self.received / self.expected

    @property
    def timeliness_rate(self) -> float | None:
        return None if self.expected == 0 else 100.0 * self.on_time / self.expected


def _rates(states: Iterable[Timeliness]) -> Rates:
    counts = dict.fromkeys(Timeliness, 0)
    for state in states:
        counts[state] += 1
    on_time, late, missing = counts[Timeliness.ON_TIME], counts[Timeliness.LATE], counts[Timeliness.MISSING]
    return Rates(
        expected=on_time + late + missing, received=on_time + late, on_time=on_time, late=late, missing=missing
    )


def rates(reports: Iterable[Report]) -> tuple[dict[str, Rates], Rates]:
    """The rates of each group and of all reports together."""
    listed = list(reports)
    groups: dict[str, list[Timeliness]] = {}
    for report in listed:
        groups.setdefault(report.group, []).append(report.state)
    return {group: _rates(states) for group, states in groups.items()}, _rates(r.state for r in listed)


# --- the outlier rule ---------------------------------------------------------------------------------

#: how many earlier values the rule needs before it judges a new one
OUTLIER_MIN_HISTORY = 3
#: how many standard deviations from the mean still count as usual
OUTLIER_DEVIATIONS = 3
#: the spread never counts as less than this share of the mean, so that a unit whose values
#: never moved is not stopped at its first small change
OUTLIER_MIN_SPREAD = Decimal("0.10")


@dataclass(frozen=True)
class OutlierBounds:
    """The usual range of a unit's values: mean ± 3 standard deviations of its history (the
    standard deviation counted as at least 10 % of the mean)."""

    low: Decimal
    high: Decimal
    mean: Decimal
    history: int

    def contains(self, value: Decimal) -> bool:
        return self.low <= value <= self.high


def outlier_bounds(history: Sequence[Decimal]) -> OutlierBounds | None:
    """The usual range from the unit's earlier values, or ``None`` with fewer than three
    (too little history to call anything unusual)."""
    if len(history) < OUTLIER_MIN_HISTORY:
        return None
    values = [Decimal(v) for v in history]
    mean = sum(values, Decimal(0)) / len(values)
    spread = Decimal(str(statistics.pstdev(float(v) for v in values)))
    spread = max(spread, abs(mean) * OUTLIER_MIN_SPREAD)
    quantum = Decimal("0.0001")
    return OutlierBounds(
        low=(mean - OUTLIER_DEVIATIONS * spread).quantize(quantum),
        high=(mean + OUTLIER_DEVIATIONS * spread).quantize(quantum),
        mean=mean.quantize(quantum),
        history=len(values),
    )


# --- the approval tree ----------------------------------------------------------------------------------


class ApprovalState(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    WAIVED = "waived"

    @property
    def settled(self) -> bool:
        """Approved or waived: what a parent needs of each child before it is approved."""
        return self in (ApprovalState.APPROVED, ApprovalState.WAIVED)

    @property
    def editable(self) -> bool:
        return self in (ApprovalState.DRAFT, ApprovalState.RETURNED)


def approval_blockers(
    state: ApprovalState, *, has_items: bool, children: Sequence[tuple[str, ApprovalState]]
) -> list[tuple[str, str]]:
    """Why a report cannot be approved yet, as ``(reason, subject)`` pairs; empty when it can.

    Reasons: ``"not_submitted"`` (it has values to report and was not submitted),
    ``"already"`` (approved or waived already), ``"child"`` (the child ``subject`` is neither
    approved nor waived). A report with nothing of its own to report (a directorate that only
    gathers its posts) need not be submitted.
    """
    if state.settled:
        return [("already", "")]
    blockers: list[tuple[str, str]] = []
    if has_items and state is not ApprovalState.SUBMITTED:
        blockers.append(("not_submitted", ""))
    blockers += [("child", label) for label, child in children if not child.settled]
    return blockers


def unapproval_blockers(state: ApprovalState, *, parent: ApprovalState | None) -> list[str]:
    """Why an approval (or a waiver) cannot be taken back: ``"not_approved"``, or
    ``"parent_approved"`` (un-approval goes top down: the parent level first)."""
    blockers = []
    if not state.settled:
        blockers.append("not_approved")
    if parent is not None and parent is ApprovalState.APPROVED:
        blockers.append("parent_approved")
    return blockers


# --- the forecast -------------------------------------------------------------------------------------


class ForecastVerdict(enum.Enum):
    LIKELY = "likely"
    AT_RISK = "at_risk"
    UNLIKELY = "unlikely"


@dataclass(frozen=True)
class Forecast:
    """A straight line through the last values (least squares), carried to the final period;
    the band is ± two standard errors of the line's residuals. The verdict: likely when the
    whole band reaches the target, unlikely when none of it does, at risk otherwise."""

    projected: float
    low: float
    high: float
    verdict: ForecastVerdict
    points: int


#: how many of the latest values the trend is drawn through
FORECAST_POINTS = 8


def forecast(
    values: Sequence[tuple[float, float]], *, at: float, target: float, increase_is_better: bool
) -> Forecast | None:
    """Project ``values`` (``(time, value)`` pairs, time in any steady unit) to time ``at``.

    ``None`` with fewer than three values (no trend worth the name)."""
    points = sorted(values)[-FORECAST_POINTS:]
    if len(points) < 3:
        return None
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
    intercept = mean_y - slope * mean_x
    residuals = [y - (intercept + slope * x) for x, y in points]
    dof = len(points) - 2
    sigma = math.sqrt(sum(r * r for r in residuals) / dof) if dof > 0 else 0.0
    error = sigma * math.sqrt(1 + 1 / len(points) + (at - mean_x) ** 2 / sxx)
    projected = intercept + slope * at
    low, high = projected - 2 * error, projected + 2 * error
    if increase_is_better:
        verdict = (
            ForecastVerdict.LIKELY
            if low >= target
            else ForecastVerdict.UNLIKELY
            if high < target
            else ForecastVerdict.AT_RISK
        )
    else:
        verdict = (
            ForecastVerdict.LIKELY
            if high <= target
            else ForecastVerdict.UNLIKELY
            if low > target
            else ForecastVerdict.AT_RISK
        )
    return Forecast(projected=projected, low=low, high=high, verdict=verdict, points=len(points))
