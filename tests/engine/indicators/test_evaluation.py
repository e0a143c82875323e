import datetime as dt

import pytest

from waypoint.engine.indicators import (
    Aggregation,
    Baseline,
    Direction,
    IndicatorSpec,
    Observation,
    Status,
    TargetValue,
    Tolerance,
    ToleranceKind,
    actual_value,
    evaluate,
    evaluate_latest,
    expected_value,
)
from waypoint.engine.periods import Period, PeriodKind

Y = Period.year_of
P = Period.parse


def release_time(*observations: Observation) -> IndicatorSpec:
    """Average release time in hours, to be cut from 10 h to 5 h over 2012–2016."""
    return IndicatorSpec(
        direction=Direction.DECREASE,
        aggregation=Aggregation.MEAN,
        cumulative=False,
        frequency=PeriodKind.YEAR,
        baseline=Baseline(10.0, dt.date(2011, 12, 31)),
        targets={Y(2012): TargetValue(9), Y(2013): TargetValue(8), Y(2014): TargetValue(7), Y(2016): TargetValue(5)},
        observations=observations,
    )


def test_a_better_than_target_release_time_is_on_track() -> None:
    result = evaluate(release_time(Observation(Y(2012), 8.8)), Y(2012))
    assert result.status is Status.ON_TRACK
    assert result.expected == 9
    assert result.achievement == pytest.approx((8.8 - 10) / (9 - 10))


def test_a_shortfall_within_the_band_is_at_risk_and_beyond_it_off_track() -> None:
    # band = 15 % of 8 h = 1.2 h, so up to 9.2 h is at risk in 2013
    assert evaluate(release_time(Observation(Y(2013), 9.2)), Y(2013)).status is Status.AT_RISK
    assert evaluate(release_time(Observation(Y(2013), 9.21)), Y(2013)).status is Status.OFF_TRACK


def test_a_year_without_a_target_is_interpolated_between_its_neighbours() -> None:
    assert expected_value(release_time(), Y(2015)).value == pytest.approx(6.0)  # type: ignore[union-attr]


def test_after_the_last_target_the_last_target_holds() -> None:
    assert expected_value(release_time(), Y(2019)).value == 5  # type: ignore[union-attr]


def test_before_the_baseline_nothing_is_expected() -> None:
    assert expected_value(release_time(), Y(2010)) is None


def test_no_actual_means_no_data_but_the_expectation_is_still_shown() -> None:
    result = evaluate(release_time(), Y(2013))
    assert result.status is Status.NO_DATA
    assert result.expected == 8
    assert result.reason == "no actual value recorded"


def test_units_are_averaged_for_a_mean_indicator() -> None:
    spec = release_time(Observation(Y(2012), 6.0, "AST"), Observation(Y(2012), 12.0, "SAM"))
    assert actual_value(spec, Y(2012))[0] == 9.0


def test_a_national_figure_wins_over_the_combination_of_unit_figures() -> None:
    spec = release_time(Observation(Y(2012), 6.0, "AST"), Observation(Y(2012), 12.0, "SAM"), Observation(Y(2012), 8.5))
    assert actual_value(spec, Y(2012))[0] == 8.5


def test_latest_evaluation_uses_the_most_recent_period() -> None:
    spec = release_time(Observation(Y(2012), 8.8), Observation(Y(2013), 12.0))
    latest = evaluate_latest(spec)
    assert latest is not None
    assert latest.period == Y(2013)
    assert latest.status is Status.OFF_TRACK
    assert evaluate_latest(release_time()) is None


def revenue(*observations: Observation) -> IndicatorSpec:
    """Customs revenue in AZN million: a flow, summed over quarters and units."""
    return IndicatorSpec(
        direction=Direction.INCREASE,
        aggregation=Aggregation.SUM,
        cumulative=False,
        frequency=PeriodKind.QUARTER,
        baseline=Baseline(1600, dt.date(2011, 12, 31)),
        targets={Y(2012): TargetValue(2000), Y(2013): TargetValue(2200)},
        observations=observations,
    )


def test_a_flow_expects_a_quarter_of_its_yearly_target_each_quarter() -> None:
    assert expected_value(revenue(), P("2012Q3")) == TargetValue(500)
    assert expected_value(revenue(), P("2012-02")).value == pytest.approx(2000 / 12)  # type: ignore[union-attr]


def test_a_flow_without_a_target_for_part_of_the_period_expects_nothing() -> None:
    assert expected_value(revenue(), Y(2014)) is None


def test_a_part_year_of_a_flow_is_compared_with_the_part_year_target() -> None:
    spec = revenue(Observation(P("2013Q1"), 540), Observation(P("2013Q2"), 560))
    result = evaluate(spec, Y(2013))
    assert result.actual == 1100
    assert result.expected == pytest.approx(1100)
    assert result.status is Status.ON_TRACK


def test_a_yearly_figure_beats_its_own_quarters() -> None:
    spec = revenue(Observation(P("2012Q1"), 400), Observation(Y(2012), 2050))
    assert actual_value(spec, Y(2012))[0] == 2050


def trained_officers(*observations: Observation) -> IndicatorSpec:
    """Officers trained in risk management: cumulative, targets are totals to date."""
    return IndicatorSpec(
        direction=Direction.INCREASE,
        aggregation=Aggregation.SUM,
        cumulative=True,
        frequency=PeriodKind.YEAR,
        baseline=Baseline(50, dt.date(2011, 12, 31)),
        targets={Y(2012): TargetValue(150), Y(2013): TargetValue(300), Y(2014): TargetValue(450)},
        observations=observations,
    )


def test_a_cumulative_indicator_adds_each_year_to_the_baseline() -> None:
    spec = trained_officers(Observation(Y(2012), 90), Observation(Y(2013), 170))
    assert actual_value(spec, Y(2013))[0] == 50 + 90 + 170
    assert evaluate(spec, Y(2013)).status is Status.ON_TRACK
    assert evaluate(spec, Y(2012)).status is Status.AT_RISK  # 140 vs 150, band 22.5


def test_a_cumulative_indicator_has_no_data_for_a_year_not_reported() -> None:
    spec = trained_officers(Observation(Y(2012), 90))
    assert evaluate(spec, Y(2013)).status is Status.NO_DATA


def test_a_cumulative_indicator_must_sum() -> None:
    with pytest.raises(ValueError, match="cumulative"):
        IndicatorSpec(Direction.INCREASE, Aggregation.MEAN, True, PeriodKind.YEAR, None)


def inspection_rate(*observations: Observation) -> IndicatorSpec:
    """Physical inspection rate kept between 5 % and 10 %."""
    return IndicatorSpec(
        direction=Direction.RANGE,
        aggregation=Aggregation.MEAN,
        cumulative=False,
        frequency=PeriodKind.YEAR,
        baseline=Baseline(40, dt.date(2011, 12, 31)),
        targets={Y(2013): TargetValue(5, 10)},
        observations=observations,
        tolerance=Tolerance(2, ToleranceKind.ABSOLUTE),
    )


@pytest.mark.parametrize(
    ("rate", "status"),
    [
        (7, Status.ON_TRACK),
        (10, Status.ON_TRACK),
        (11.5, Status.AT_RISK),
        (3.5, Status.AT_RISK),
        (12.5, Status.OFF_TRACK),
        (2, Status.OFF_TRACK),
    ],
)
def test_a_range_indicator_is_on_track_inside_its_band(rate: float, status: Status) -> None:
    assert evaluate(inspection_rate(Observation(Y(2013), rate)), Y(2013)).status is status


def test_range_targets_need_an_upper_bound() -> None:
    with pytest.raises(ValueError, match="upper bound"):
        IndicatorSpec(Direction.RANGE, Aggregation.MEAN, False, PeriodKind.YEAR, None, {Y(2013): TargetValue(5)})


def test_an_upper_bound_below_the_lower_one_is_refused() -> None:
    with pytest.raises(ValueError, match="below the lower bound"):
        TargetValue(10, 5)


def test_the_range_trajectory_narrows_from_the_baseline() -> None:
    halfway = expected_value(inspection_rate(), P("2012Q4"))
    assert halfway is not None
    assert halfway.value == pytest.approx((40 + 5) / 2)
    assert halfway.upper == pytest.approx((40 + 10) / 2)


def test_an_actual_without_a_target_is_no_data_with_the_reason() -> None:
    spec = IndicatorSpec(
        Direction.INCREASE, Aggregation.SUM, False, PeriodKind.YEAR, None, {}, (Observation(Y(2012), 3),)
    )
    result = evaluate(spec, Y(2012))
    assert result.status is Status.NO_DATA
    assert result.actual == 3
    assert result.reason == "no target covers this period"


def test_a_negative_tolerance_is_refused() -> None:
    with pytest.raises(ValueError):
        Tolerance(-0.1)


def test_latest_aggregation_takes_the_last_quarter() -> None:
    spec = IndicatorSpec(
        Direction.INCREASE,
        Aggregation.LATEST,
        False,
        PeriodKind.QUARTER,
        Baseline(2, dt.date(2011, 12, 31)),
        {Y(2012): TargetValue(6)},
        (Observation(P("2012Q1"), 3), Observation(P("2012Q2"), 4, "A"), Observation(P("2012Q2"), 1, "B")),
    )
    assert actual_value(spec, Y(2012))[0] == 5
    result = evaluate(spec, Y(2012))
    # expected at the end of Q2 is half-way from 2 to 6
    assert result.expected == pytest.approx(4)
    assert result.status is Status.ON_TRACK
