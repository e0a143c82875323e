"""A roll-up of unit values stands for the administration only when enough units reported (issue 13)."""

import dataclasses
import datetime as dt

import pytest

from waypoint.engine.indicators import (
    Aggregation,
    Baseline,
    Coverage,
    Direction,
    IndicatorSpec,
    Observation,
    Status,
    TargetValue,
    evaluate,
    evaluate_latest,
    expected_units,
    latest_partial,
    period_coverage,
)
from waypoint.engine.periods import Period, PeriodKind

Y = Period.year_of
POSTS = ("AST", "BIL", "RED", "MAZ", "SAM", "SDK", "JUL")


def border_posts(*observations: Observation, completeness: float = 1.0) -> IndicatorSpec:
    """Median release time at road border posts (hours, lower is better), reported by post."""
    return IndicatorSpec(
        direction=Direction.DECREASE,
        aggregation=Aggregation.MEAN,
        cumulative=False,
        frequency=PeriodKind.YEAR,
        baseline=Baseline(4.2, dt.date(2011, 12, 31)),
        targets={Y(2014): TargetValue(2.4), Y(2015): TargetValue(1.9)},
        observations=observations,
        completeness=completeness,
    )


def every_post(year: int, value: float) -> list[Observation]:
    return [Observation(Y(year), value, post) for post in POSTS]


def test_one_post_of_seven_is_not_the_national_figure() -> None:
    spec = border_posts(*every_post(2014, 2.6), Observation(Y(2015), 4.0, "AST"))
    result = evaluate(spec, Y(2015))
    assert result.status is Status.NO_DATA
    assert result.actual is None
    assert result.partial == 4.0
    assert result.coverage == Coverage(reported=1, expected=7, needed=7)
    assert result.reason == "only 1 of 7 units reported (7 needed)"


def test_the_latest_status_comes_from_the_latest_complete_period() -> None:
    # before the fix one post's 2015 value (4.0 h against 1.9 h) turned the indicator off track
    spec = border_posts(*every_post(2014, 2.6), Observation(Y(2015), 4.0, "AST"))
    latest = evaluate_latest(spec)
    assert latest is not None
    assert latest.period == Y(2014)
    assert latest.status is Status.AT_RISK
    assert latest.coverage == Coverage(reported=7, expected=7, needed=7)
    partial = latest_partial(spec)
    assert partial is not None and partial.period == Y(2015) and partial.partial == 4.0


def test_a_complete_latest_period_has_nothing_partial() -> None:
    spec = border_posts(*every_post(2014, 2.6))
    assert latest_partial(spec) is None
    assert latest_partial(border_posts()) is None


def test_the_threshold_is_a_share_of_the_expected_units_rounded_up() -> None:
    six = [*every_post(2014, 2.6), *[Observation(Y(2015), 2.0, post) for post in POSTS[:6]]]
    assert period_coverage(border_posts(*six, completeness=0.8))[Y(2015)] == Coverage(6, 7, 6)
    assert evaluate(border_posts(*six, completeness=0.8), Y(2015)).status is Status.AT_RISK
    assert evaluate(border_posts(*six, completeness=0.9), Y(2015)).status is Status.NO_DATA  # 0.9 × 7 = 6.3 → 7
    assert period_coverage(border_posts(*six, completeness=0.01))[Y(2015)].needed == 1


def test_a_figure_for_the_whole_administration_is_complete_whatever_the_units() -> None:
    spec = border_posts(*every_post(2014, 2.6), Observation(Y(2015), 4.0, "AST"), Observation(Y(2015), 1.8))
    result = evaluate(spec, Y(2015))
    assert result.actual == 1.8 and result.status is Status.ON_TRACK
    assert result.coverage is None
    assert Y(2015) not in period_coverage(spec)


def test_the_expected_units_are_those_that_ever_reported() -> None:
    spec = border_posts(Observation(Y(2013), 3.0, "AST"), Observation(Y(2014), 2.5, "BIL"), Observation(Y(2014), 9.0))
    assert expected_units(spec) == {"AST", "BIL"}
    assert period_coverage(spec) == {Y(2013): Coverage(1, 2, 2)}


def test_a_cumulative_total_is_partial_when_any_period_in_it_is() -> None:
    spec = IndicatorSpec(
        direction=Direction.INCREASE,
        aggregation=Aggregation.SUM,
        cumulative=True,
        frequency=PeriodKind.YEAR,
        baseline=Baseline(0, dt.date(2011, 12, 31)),
        targets={Y(2013): TargetValue(20)},
        observations=(
            Observation(Y(2012), 5, "A"),
            Observation(Y(2012), 5, "B"),
            Observation(Y(2013), 5, "A"),
            Observation(Y(2014), 5, "A"),
            Observation(Y(2014), 5, "B"),
        ),
    )
    first = evaluate(spec, Y(2012))
    assert first.status is Status.ON_TRACK and first.coverage == Coverage(2, 2, 2)
    assert evaluate(spec, Y(2013)).coverage == Coverage(1, 2, 2)
    assert evaluate(spec, Y(2014)).partial == 25
    latest = evaluate_latest(spec)
    assert latest is not None and latest.period == Y(2012)


def test_when_no_period_counts_the_latest_is_the_newest_partial_one() -> None:
    spec = border_posts(Observation(Y(2014), 3.0, "AST"), Observation(Y(2015), 2.0, "BIL"))
    latest = evaluate_latest(spec)
    assert latest is not None and latest.period == Y(2015) and latest.status is Status.NO_DATA
    assert latest.coverage == Coverage(1, 2, 2)


@pytest.mark.parametrize("share", [0.0, -0.5, 1.01])
def test_the_share_of_units_needed_lies_between_nothing_and_all(share: float) -> None:
    with pytest.raises(ValueError, match="share of units"):
        dataclasses.replace(border_posts(), completeness=share)
