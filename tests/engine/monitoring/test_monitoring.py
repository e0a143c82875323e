"""The monitoring cycle's pure rules: calendar, timeliness and rates, outliers, approval tree, forecast."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waypoint.engine.monitoring import (
    ApprovalState,
    CalendarRule,
    ForecastVerdict,
    Report,
    Timeliness,
    approval_blockers,
    forecast,
    outlier_bounds,
    rates,
    reporting_periods,
    timeliness,
    unapproval_blockers,
)
from waypoint.engine.periods import PeriodKind


def test_quarters_fall_due_fifteen_days_after_they_end() -> None:
    periods = reporting_periods(PeriodKind.QUARTER, 2012, 2013, CalendarRule(due_days=15, grace_days=5))
    assert [p.code for p in periods][:5] == ["2012Q1", "2012Q2", "2012Q3", "2012Q4", "2013Q1"]
    first = periods[0]
    assert first.opens_on == dt.date(2012, 4, 1)
    assert first.due_on == dt.date(2012, 4, 15)
    assert first.grace_until == dt.date(2012, 4, 20)
    assert len(periods) == 8


def test_entry_may_open_before_the_period_ends() -> None:
    (year,) = reporting_periods(PeriodKind.YEAR, 2013, 2013, CalendarRule(opens_days_before_end=10))
    assert year.opens_on == dt.date(2013, 12, 22)
    assert year.due_on == dt.date(2014, 1, 15)


def test_a_calendar_refuses_negative_days_and_reversed_years() -> None:
    with pytest.raises(ValueError):
        CalendarRule(due_days=-1)
    with pytest.raises(ValueError):
        reporting_periods(PeriodKind.MONTH, 2014, 2013, CalendarRule())


def test_timeliness_counts_the_grace_period_as_on_time() -> None:
    grace = dt.date(2012, 4, 20)
    today = dt.date(2012, 6, 1)
    assert timeliness(submitted_on=dt.date(2012, 4, 20), grace_until=grace, today=today) is Timeliness.ON_TIME
    assert timeliness(submitted_on=dt.date(2012, 4, 21), grace_until=grace, today=today) is Timeliness.LATE
    assert timeliness(submitted_on=None, grace_until=grace, today=today) is Timeliness.MISSING
    assert timeliness(submitted_on=None, grace_until=grace, today=dt.date(2012, 4, 20)) is Timeliness.PENDING
    assert timeliness(submitted_on=None, grace_until=grace, today=today, waived=True) is Timeliness.WAIVED


def test_rates_are_received_and_on_time_over_expected() -> None:
    reports = [
        Report("A", Timeliness.ON_TIME),
        Report("A", Timeliness.LATE),
        Report("A", Timeliness.MISSING),
        Report("A", Timeliness.PENDING),
        Report("B", Timeliness.WAIVED),
    ]
    groups, overall = rates(reports)
    assert groups["A"].expected == 3
    assert groups["A"].reporting_rate == pytest.approx(200 / 3)
    assert groups["A"].timeliness_rate == pytest.approx(100 / 3)
    assert groups["B"].expected == 0 and groups["B"].reporting_rate is None
    assert (overall.expected, overall.received, overall.on_time, overall.late, overall.missing) == (3, 2, 1, 1, 1)


@given(st.lists(st.sampled_from(list(Timeliness)), max_size=40))
def test_rates_stay_between_zero_and_a_hundred(states: list[Timeliness]) -> None:
    _, overall = rates(Report("x", s) for s in states)
    assert overall.received == overall.on_time + overall.late
    assert overall.expected == overall.received + overall.missing
    for rate in (overall.reporting_rate, overall.timeliness_rate):
        assert rate is None or 0 <= rate <= 100


def test_outliers_need_three_values_of_history() -> None:
    assert outlier_bounds([Decimal(5), Decimal(6)]) is None
    bounds = outlier_bounds([Decimal(10), Decimal(11), Decimal(9), Decimal(10)])
    assert bounds is not None
    assert bounds.contains(Decimal(12))
    assert not bounds.contains(Decimal(40))
    assert not bounds.contains(Decimal(-5))


def test_a_flat_history_still_allows_a_small_change() -> None:
    bounds = outlier_bounds([Decimal(100)] * 4)
    assert bounds is not None
    assert bounds.contains(Decimal(125))  # within 3 × 10 % of the mean
    assert not bounds.contains(Decimal(131))


def test_a_parent_waits_for_its_children() -> None:
    children = [("BP-1", ApprovalState.APPROVED), ("BP-2", ApprovalState.SUBMITTED), ("BP-3", ApprovalState.WAIVED)]
    assert approval_blockers(ApprovalState.SUBMITTED, has_items=True, children=children) == [("child", "BP-2")]
    assert approval_blockers(ApprovalState.DRAFT, has_items=False, children=children[:1]) == []
    assert approval_blockers(ApprovalState.DRAFT, has_items=True, children=[]) == [("not_submitted", "")]
    assert approval_blockers(ApprovalState.APPROVED, has_items=True, children=[]) == [("already", "")]


def test_unapproval_goes_top_down() -> None:
    assert unapproval_blockers(ApprovalState.APPROVED, parent=ApprovalState.APPROVED) == ["parent_approved"]
    assert unapproval_blockers(ApprovalState.APPROVED, parent=ApprovalState.SUBMITTED) == []
    assert unapproval_blockers(ApprovalState.APPROVED, parent=None) == []
    assert unapproval_blockers(ApprovalState.SUBMITTED, parent=None) == ["not_approved"]


def test_a_steady_trend_is_likely_to_reach_its_target() -> None:
    values = [(float(t), 10.0 - 0.5 * t) for t in range(6)]
    result = forecast(values, at=10, target=6, increase_is_better=False)
    assert result is not None
    assert result.projected == pytest.approx(5.0)
    assert result.verdict is ForecastVerdict.LIKELY
    assert forecast(values, at=10, target=3, increase_is_better=False).verdict is ForecastVerdict.UNLIKELY  # type: ignore[union-attr]


def test_a_noisy_trend_near_the_target_is_at_risk() -> None:
    values = [(0.0, 10.0), (1.0, 12.0), (2.0, 9.0), (3.0, 13.0), (4.0, 10.0)]
    result = forecast(values, at=8, target=11, increase_is_better=True)
    assert result is not None and result.low < 11 < result.high
    assert result.verdict is ForecastVerdict.AT_RISK
    assert forecast(values[:2], at=8, target=11, increase_is_better=True) is None
