"""Properties of the indicator maths that must hold for any numbers."""

import datetime as dt

from hypothesis import assume, given
from hypothesis import strategies as st

from waypoint.engine.indicators import (
    Aggregation,
    Baseline,
    Direction,
    IndicatorSpec,
    Observation,
    Status,
    TargetValue,
    Tolerance,
    evaluate,
    expected_value,
    health,
    rollup_tree,
    trajectory_points,
)
from waypoint.engine.periods import Period, PeriodKind

values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
years = st.integers(2000, 2030)
RANK = {Status.OFF_TRACK: 0, Status.AT_RISK: 1, Status.ON_TRACK: 2}


@st.composite
def level_specs(draw: st.DrawFn, direction: Direction = Direction.INCREASE) -> IndicatorSpec:
    start = draw(years)
    count = draw(st.integers(1, 6))
    target_values = draw(st.lists(values, min_size=count, max_size=count))
    return IndicatorSpec(
        direction=direction,
        aggregation=draw(st.sampled_from([Aggregation.MEAN, Aggregation.LATEST])),
        cumulative=False,
        frequency=PeriodKind.YEAR,
        baseline=Baseline(draw(values), dt.date(start - 1, 12, 31)),
        targets={Period.year_of(start + i): TargetValue(v) for i, v in enumerate(target_values)},
        tolerance=Tolerance(draw(st.floats(0, 1))),
    )


@given(level_specs())
def test_the_trajectory_passes_through_every_target(spec: IndicatorSpec) -> None:
    for period, target in spec.targets.items():
        assert expected_value(spec, period) == target


@given(level_specs(), st.integers(0, 24))
def test_between_two_points_the_trajectory_stays_between_them(spec: IndicatorSpec, quarters_on: int) -> None:
    points = trajectory_points(spec)
    first_year = min(p.year for p in spec.targets)
    at = Period(PeriodKind.QUARTER, first_year + quarters_on // 4, quarters_on % 4 + 1)
    assume(at.end_months <= points[-1][0])
    expected = expected_value(spec, at)
    assert expected is not None
    before = max((p for p in points if p[0] <= at.end_months), key=lambda p: p[0])
    after = min((p for p in points if p[0] >= at.end_months), key=lambda p: p[0])
    low, high = sorted((before[1].value, after[1].value))
    assert low - 1e-6 <= expected.value <= high + 1e-6


@given(level_specs(), values, years)
def test_flipping_the_direction_and_the_sign_gives_the_same_verdict(
    spec: IndicatorSpec, actual: float, year: int
) -> None:
    period = Period.year_of(year)
    up = IndicatorSpec(
        Direction.INCREASE,
        spec.aggregation,
        False,
        PeriodKind.YEAR,
        spec.baseline,
        spec.targets,
        (Observation(period, actual),),
        spec.tolerance,
    )
    assert spec.baseline is not None
    down = IndicatorSpec(
        Direction.DECREASE,
        spec.aggregation,
        False,
        PeriodKind.YEAR,
        Baseline(-spec.baseline.value, spec.baseline.date),
        {p: TargetValue(-t.value) for p, t in spec.targets.items()},
        (Observation(period, -actual),),
        spec.tolerance,
    )
    assert evaluate(up, period).status is evaluate(down, period).status


@given(level_specs(), values, values, years)
def test_a_better_actual_never_gets_a_worse_status(spec: IndicatorSpec, a: float, b: float, year: int) -> None:
    period = Period.year_of(year)
    low, high = sorted((a, b))

    def status(actual: float) -> Status:
        observed = IndicatorSpec(
            spec.direction,
            spec.aggregation,
            False,
            PeriodKind.YEAR,
            spec.baseline,
            spec.targets,
            (Observation(period, actual),),
            spec.tolerance,
        )
        return evaluate(observed, period).status

    worse, better = status(low), status(high)
    if worse is Status.NO_DATA:
        assert better is Status.NO_DATA
    else:
        assert RANK[better] >= RANK[worse]


@given(st.lists(positive, min_size=1, max_size=5), years)
def test_a_flow_spreads_each_yearly_target_over_its_quarters(targets: list[float], start: int) -> None:
    spec = IndicatorSpec(
        Direction.INCREASE,
        Aggregation.SUM,
        False,
        PeriodKind.QUARTER,
        None,
        {Period.year_of(start + i): TargetValue(v) for i, v in enumerate(targets)},
    )
    for i, target in enumerate(targets):
        quarters = Period.year_of(start + i).subperiods(PeriodKind.QUARTER)
        parts = [expected_value(spec, q) for q in quarters]
        assert abs(sum(p.value for p in parts if p is not None) - target) <= 1e-6 * max(1.0, target)


@given(st.lists(positive, min_size=1, max_size=6), positive, years)
def test_a_cumulative_total_is_the_baseline_plus_every_increment(
    increments: list[float], base: float, start: int
) -> None:
    spec = IndicatorSpec(
        Direction.INCREASE,
        Aggregation.SUM,
        True,
        PeriodKind.YEAR,
        Baseline(base, dt.date(start - 1, 12, 31)),
        {Period.year_of(start + len(increments) - 1): TargetValue(base + 1)},
        tuple(Observation(Period.year_of(start + i), v) for i, v in enumerate(increments)),
    )
    result = evaluate(spec, Period.year_of(start + len(increments) - 1))
    assert result.actual is not None
    assert abs(result.actual - (base + sum(increments))) <= 1e-6 * max(1.0, result.actual)


tree = {"ADM": None, "R1": "ADM", "R2": "ADM", "O1": "R1", "O2": "R1", "O3": "R2"}


@given(st.dictionaries(st.sampled_from(sorted(tree)), positive, min_size=1))
def test_the_root_sum_is_the_sum_of_everything_recorded(recorded: dict[str, float]) -> None:
    rolled = rollup_tree(recorded, tree, Aggregation.SUM)
    assert abs(rolled["ADM"] - sum(recorded.values())) <= 1e-6 * max(1.0, rolled["ADM"])


@given(st.dictionaries(st.sampled_from(sorted(tree)), values, min_size=1))
def test_a_mean_roll_up_stays_within_the_recorded_values(recorded: dict[str, float]) -> None:
    rolled = rollup_tree(recorded, tree, Aggregation.MEAN)
    for value in rolled.values():
        assert min(recorded.values()) - 1e-6 <= value <= max(recorded.values()) + 1e-6


@given(st.lists(st.sampled_from(list(Status))))
def test_health_is_no_data_only_when_nothing_is_measured(statuses: list[Status]) -> None:
    result = health(statuses)
    measured = [s for s in statuses if s is not Status.NO_DATA]
    assert (result.status is Status.NO_DATA) == (not measured)
    if measured:
        assert min(RANK[s] for s in measured) <= RANK[result.status] <= max(RANK[s] for s in measured)
