from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.engine.scheduling.helpers import act, ff, fs, small_roadmap, ss
from waypoint.engine.scheduling import (
    Activity,
    Budget,
    Granularity,
    Problem,
    ProblemError,
    Resource,
    Schedule,
    activity_spend,
)


def messages(problem_args: dict[str, Any]) -> list[str]:
    with pytest.raises(ProblemError) as caught:
        Problem(**problem_args)
    return caught.value.messages


def test_a_cycle_is_refused_with_the_activities_in_it() -> None:
    found = messages(
        {"activities": (act("A", 1), act("B", 1), act("C", 1)), "links": (fs("A", "B"), fs("B", "C"), fs("C", "A"))}
    )
    assert len(found) == 1
    assert "cycle" in found[0]
    assert all(code in found[0] for code in ("A", "B", "C"))


def test_unknown_ids_are_named() -> None:
    found = messages(
        {
            "activities": (act("A", 1, demands={"ghost": 1}, costs={"fund": 5}),),
            "links": (fs("A", "Z"),),
        }
    )
    assert any("unknown resource ghost" in m for m in found)
    assert any("unknown budget fund" in m for m in found)
    assert any("unknown activity Z" in m for m in found)


def test_demand_above_any_capacity_is_refused() -> None:
    found = messages(
        {"activities": (act("A", 1, demands={"team": 5}),), "resources": (Resource("team", 2, changes=((10, 4),)),)}
    )
    assert found == ["A “task A” needs 5 of team but at most 4 is ever available"]


def test_a_deadline_before_release_plus_duration_is_refused() -> None:
    found = messages({"activities": (act("A", 5, release=3, deadline=6),)})
    assert "cannot finish by its deadline 6" in found[0]


def test_pins_must_respect_release_and_deadline() -> None:
    found = messages(
        {"activities": (act("A", 5, release=3, deadline=20, pinned_start=1), act("B", 5, deadline=8, pinned_start=4))}
    )
    assert any("before its release" in m for m in found)
    assert any("after its deadline" in m for m in found)


def test_other_bad_numbers_are_reported_together() -> None:
    found = messages(
        {
            "activities": (act("A", -1, weight=-1, release=-2, demands={"team": -1}, costs={"money": -5}), act("A", 1)),
            "links": (fs("A", "A"),),
            "resources": (Resource("team", -1),),
            "budgets": (Budget("money", 0, {0: -3}),),
        }
    )
    text = " | ".join(found)
    for fragment in (
        "used twice",
        "negative duration",
        "negative priority",
        "negative release",
        "negative amount",
        "negative cost",
        "negative capacity",
        "period of at least",
        "negative cap",
        "linked to itself",
    ):
        assert fragment in text


def test_capacity_changes_apply_from_their_time() -> None:
    team = Resource("team", 2, changes=((5, 4), (10, 1)))
    assert [team.capacity_at(t) for t in (0, 4, 5, 9, 10, 50)] == [2, 2, 4, 4, 1, 1]
    assert team.peak == 4


def test_spend_is_spread_over_the_years_and_rounded_up() -> None:
    budget = Budget("money", 12, {})
    activity = act("A", 6, costs={"money": 1000})
    assert activity_spend(activity, budget, 9) == {0: 500, 1: 500}
    assert activity_spend(act("B", 3, costs={"money": 100}), budget, 11) == {0: 34, 1: 67}
    assert activity_spend(act("M", 0, costs={"money": 50}), budget, 12) == {1: 50}
    assert activity_spend(act("N", 3), budget, 0) == {}


def test_a_schedule_reports_every_broken_rule() -> None:
    problem = small_roadmap()
    schedule = Schedule(problem, {"A": 0, "B": 2, "C": 3, "D": 4, "E": 0})
    broken = " | ".join(schedule.violations())
    assert "FS link A → B" in broken
    assert "team is over capacity" in broken
    tight = Problem(
        activities=(act("A", 2, release=1, deadline=3, pinned_start=1, costs={"money": 10}), act("B", 2, deadline=2)),
        budgets=(Budget("money", 12, {0: 5}),),
    )
    late = " | ".join(Schedule(tight, {"A": 0, "B": 1}).violations())
    assert "before its release" in late and "after its deadline" in late and "is pinned" in late and "overspent" in late


def test_links_of_each_kind() -> None:
    problem = Problem(activities=(act("A", 3), act("B", 2)), links=(ss("A", "B", 1), ff("A", "B", 2)))
    assert Schedule(problem, {"A": 0, "B": 3}).violations() == []
    assert Schedule(problem, {"A": 0, "B": 2}).violations() == ["FF link A → B (lag 2) is broken"]
    assert Schedule(problem, {"A": 1, "B": 1}).violations()[0].startswith("SS link")


def test_usage_and_spend_of_a_schedule() -> None:
    problem = small_roadmap()
    schedule = Schedule(problem, {"A": 0, "B": 3, "C": 5, "D": 5, "E": 0})
    assert schedule.usage(problem.resources[0]) == [2, 1, 1, 2, 2, 2, 2, 2, 2]
    assert schedule.spend(problem.budgets[0]) == {0: 300}
    assert schedule.makespan == 9
    assert schedule.weighted_completion == 3 + 5 + 45 + 7 + 1


@pytest.mark.parametrize(
    ("granularity", "units", "expected"),
    [
        (Granularity.DAY, 10, dt.date(2012, 1, 11)),
        (Granularity.WEEK, 2, dt.date(2012, 1, 15)),
        (Granularity.MONTH, 13, dt.date(2013, 2, 1)),
    ],
)
def test_calendar_dates(granularity: Granularity, units: int, expected: dt.date) -> None:
    start = dt.date(2012, 1, 1)
    assert granularity.date_at(start, units) == expected
    assert granularity.units_between(start, expected) == units


def test_month_ends_are_clamped() -> None:
    assert Granularity.MONTH.date_at(dt.date(2012, 1, 31), 1) == dt.date(2012, 2, 29)
    assert Granularity.MONTH.units_between(dt.date(2012, 1, 31), dt.date(2012, 2, 29)) == 0


def test_labels_and_lookups() -> None:
    problem = small_roadmap()
    assert problem.label("A") == "A “task A”"
    assert Problem(activities=(Activity("X", 1),)).label("X") == "X"
    assert problem.topological_order().index("A") < problem.topological_order().index("D")
    assert problem.trivial_horizon() == 12 + 12  # after the capped first year, all work in a row
