import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waypoint.engine.periods import (
    Period,
    PeriodKind,
    add_months,
    days_in_month,
    month_code,
    month_end,
    month_start,
    months_at,
    months_from,
    months_spanned,
    parse_month,
)


def test_it_parses_the_three_forms() -> None:
    assert Period.parse("2013") == Period(PeriodKind.YEAR, 2013)
    assert Period.parse("2013Q2") == Period(PeriodKind.QUARTER, 2013, 2)
    assert Period.parse(" 2013-05 ") == Period(PeriodKind.MONTH, 2013, 5)


@pytest.mark.parametrize("text", ["13", "2013Q5", "2013-13", "2013-5", "Q1 2013", ""])
def test_it_rejects_what_is_not_a_period(text: str) -> None:
    with pytest.raises(ValueError, match="is not a period"):
        Period.parse(text)


def test_quarter_dates() -> None:
    q = Period.parse("2012Q4")
    assert q.start == dt.date(2012, 10, 1)
    assert q.end == dt.date(2012, 12, 31)
    assert q.end_months == Period.parse("2013").start_months


def test_a_year_splits_into_its_quarters_and_months() -> None:
    year = Period.year_of(2014)
    assert [p.code for p in year.subperiods(PeriodKind.QUARTER)] == ["2014Q1", "2014Q2", "2014Q3", "2014Q4"]
    assert len(Period.parse("2014Q3").subperiods(PeriodKind.MONTH)) == 3
    assert Period.parse("2014Q3").subperiods(PeriodKind.MONTH)[0].code == "2014-07"
    with pytest.raises(ValueError):
        Period.parse("2014Q3").subperiods(PeriodKind.YEAR)


def test_the_end_of_a_year_is_where_the_next_begins_on_the_month_axis() -> None:
    assert months_at(dt.date(2011, 12, 31)) == Period.year_of(2012).start_months


def test_containment_and_overlap() -> None:
    assert Period.year_of(2013).contains(Period.parse("2013-07"))
    assert not Period.parse("2013Q1").contains(Period.parse("2013-04"))
    assert Period.parse("2013Q2").overlaps(Period.parse("2013-04"))
    assert not Period.parse("2013Q2").overlaps(Period.parse("2013-07"))


def test_invalid_indexes_are_refused() -> None:
    with pytest.raises(ValueError):
        Period(PeriodKind.QUARTER, 2013, 0)


periods = st.one_of(
    st.builds(Period, st.just(PeriodKind.YEAR), st.integers(1900, 2100), st.just(1)),
    st.builds(Period, st.just(PeriodKind.QUARTER), st.integers(1900, 2100), st.integers(1, 4)),
    st.builds(Period, st.just(PeriodKind.MONTH), st.integers(1900, 2100), st.integers(1, 12)),
)


@given(periods)
def test_code_round_trips(period: Period) -> None:
    assert Period.parse(period.code) == period


@given(periods)
def test_containing_its_own_start_gives_back_the_period(period: Period) -> None:
    assert Period.containing(period.start, period.kind) == period
    assert Period.containing(period.end, period.kind) == period


# --- months --------------------------------------------------------------------------------------


def test_a_date_is_taken_to_its_month_start_and_end() -> None:
    assert month_start(dt.date(2012, 2, 17)) == dt.date(2012, 2, 1)
    assert month_end(dt.date(2012, 2, 17)) == dt.date(2012, 2, 29)
    assert month_end(dt.date(2013, 2, 1)) == dt.date(2013, 2, 28)
    assert days_in_month(2013, 12) == 31


def test_months_are_added_across_years_both_ways() -> None:
    assert add_months(dt.date(2012, 11, 30), 3) == dt.date(2013, 2, 1)
    assert add_months(dt.date(2012, 1, 15), -1) == dt.date(2011, 12, 1)
    assert add_months(dt.date(2012, 1, 15), 0) == dt.date(2012, 1, 1)
    assert months_from(dt.date(2012, 1, 1), dt.date(2013, 2, 28)) == 13
    assert months_from(dt.date(2012, 1, 31), dt.date(2011, 12, 1)) == -1


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)), st.integers(-600, 600))
def test_months_from_undoes_add_months(day: dt.date, months: int) -> None:
    assert months_from(day, add_months(day, months)) == months
    assert add_months(day, months) == month_start(add_months(day, months))


def test_a_span_counts_every_month_it_touches() -> None:
    assert months_spanned(dt.date(2012, 3, 31), dt.date(2012, 4, 1)) == 2
    assert months_spanned(dt.date(2012, 3, 1), dt.date(2012, 3, 31)) == 1
    assert months_spanned(dt.date(2012, 3, 1), dt.date(2011, 3, 1)) == 1
    assert months_spanned(None, dt.date(2012, 3, 1)) is None


def test_a_month_is_written_and_read_as_yyyy_mm() -> None:
    assert month_code(dt.date(2013, 5, 31)) == "2013-05"
    assert month_code(None) is None
    assert parse_month("2013-05") == dt.date(2013, 5, 1)
    for text in ("2013-13", "2013-5", "2013", "2013Q2", "May 2013"):
        with pytest.raises(ValueError):
            parse_month(text)
