from __future__ import annotations

import pytest

from tests.engine.scheduling.helpers import act, ff, fs, small_roadmap, ss
from waypoint.engine.scheduling import (
    Budget,
    PriorityRule,
    Problem,
    Resource,
    baseline_schedule,
    best_heuristic_schedule,
    serial_schedule,
)
from waypoint.engine.scheduling.heuristic import _justify, _rule_priorities
from waypoint.engine.scheduling.model import Schedule


def test_serial_generation_respects_links_and_the_team() -> None:
    problem = small_roadmap()
    schedule = serial_schedule(problem, {"A": 0, "B": 1, "C": 2, "D": 3, "E": 4})
    assert schedule.violations() == []
    # B and C both need the whole team, so one waits for the other
    assert schedule.starts["B"] == 3 and schedule.starts["C"] == 5
    assert schedule.makespan == 9


def test_the_baseline_takes_the_best_classic_rule() -> None:
    result = baseline_schedule(small_roadmap())
    assert result.rule in {
        r.value for r in (PriorityRule.LATEST_FINISH, PriorityRule.MINIMUM_SLACK, PriorityRule.USER_PRIORITY)
    }
    assert result.schedule.violations() == []
    assert result.passes == 3


def test_the_user_priority_rule_puts_heavy_weights_first() -> None:
    result = baseline_schedule(small_roadmap(), objective="weighted")
    priorities = _rule_priorities(
        small_roadmap(),
        __import__("waypoint.engine.scheduling", fromlist=["critical_path"]).critical_path(small_roadmap()),
        PriorityRule.USER_PRIORITY,
    )
    assert min(priorities, key=lambda a: priorities[a]) == "C"
    assert result.schedule.starts["C"] <= result.schedule.starts["B"]


def test_the_warm_start_is_never_worse_than_the_baseline() -> None:
    problem = small_roadmap()
    warm = best_heuristic_schedule(problem, time_limit_s=0.05)
    assert warm.schedule.makespan <= baseline_schedule(problem).schedule.makespan
    assert warm.passes >= len(PriorityRule)


def test_sampling_stops_when_asked() -> None:
    result = best_heuristic_schedule(small_roadmap(), time_limit_s=30, stop=lambda: True)
    assert result.passes == len(PriorityRule)  # the rules only, no sampling


def test_sampling_stops_at_the_critical_path_bound() -> None:
    problem = Problem(activities=(act("A", 2), act("B", 3)), links=(fs("A", "B"),))
    result = best_heuristic_schedule(problem, time_limit_s=30)
    assert result.schedule.makespan == 5
    assert result.passes == len(PriorityRule)


def test_pinned_activities_stay_where_they_are() -> None:
    problem = Problem(
        activities=(act("A", 2, demands={"team": 1}), act("B", 2, demands={"team": 1}, pinned_start=0)),
        resources=(Resource("team", 1),),
    )
    schedule = serial_schedule(problem, {"A": 0, "B": 1})
    assert schedule.starts == {"B": 0, "A": 2}
    assert _justify(schedule).starts["B"] == 0


def test_budget_caps_push_work_into_the_next_year() -> None:
    problem = Problem(
        activities=(act("A", 6, costs={"m": 600}), act("B", 6, costs={"m": 600})),
        budgets=(Budget("m", 12, {0: 700}),),
    )
    schedule = best_heuristic_schedule(problem, time_limit_s=0.05).schedule
    assert schedule.violations() == []
    assert max(schedule.starts.values()) >= 6


def test_a_pinned_activity_over_the_budget_leaves_a_reported_violation() -> None:
    problem = Problem(activities=(act("A", 2, costs={"m": 500}, pinned_start=0),), budgets=(Budget("m", 12, {0: 10}),))
    schedule = serial_schedule(problem, {"A": 0})
    assert any("overspent" in v for v in schedule.violations())
    assert _justify(schedule) is schedule


def test_justification_shortens_a_poor_order() -> None:
    problem = Problem(
        activities=(
            act("A", 1, demands={"r": 1}),
            act("B", 3, demands={"r": 1}),
            act("C", 3, demands={"r": 1}),
            act("D", 1),
        ),
        links=(fs("A", "B"), ss("A", "D")),
        resources=(Resource("r", 1),),
    )
    poor = Schedule(problem, {"A": 0, "B": 4, "C": 1, "D": 0})
    assert _justify(poor).makespan <= poor.makespan


def test_capacity_that_changes_over_time_is_respected() -> None:
    problem = Problem(
        activities=(act("A", 2, demands={"r": 2}), act("B", 2, demands={"r": 2})),
        resources=(Resource("r", 2, changes=((0, 0), (3, 2))),),
    )
    schedule = serial_schedule(problem, {"A": 0, "B": 1})
    assert schedule.violations() == []
    assert schedule.starts == {"A": 3, "B": 5}


def test_justification_keeps_a_schedule_it_cannot_order() -> None:
    # negative lags let a successor finish before its predecessor, which the passes cannot order
    problem = Problem(
        activities=(act("A", 4, demands={"r": 1}), act("B", 1, demands={"r": 1})),
        links=(ff("A", "B", -3), ss("A", "B", -2)),
        resources=(Resource("r", 1),),
    )
    schedule = serial_schedule(problem, {"A": 0, "B": 1})
    assert schedule.violations() == []
    assert _justify(schedule).makespan <= schedule.makespan


def test_a_long_roadmap_grows_the_profiles() -> None:
    problem = Problem(
        activities=tuple(act(f"X{n}", 20, demands={"r": 1}) for n in range(6)), resources=(Resource("r", 1),)
    )
    schedule = serial_schedule(problem, {f"X{n}": n for n in range(6)})
    assert schedule.makespan == 120
    assert schedule.violations() == []


def test_a_zero_demand_is_ignored() -> None:
    problem = Problem(
        activities=(act("A", 2, demands={"r": 0}), act("B", 2, demands={"r": 1})), resources=(Resource("r", 1),)
    )
    assert serial_schedule(problem, {"A": 0, "B": 1}).starts == {"A": 0, "B": 0}


def test_first_and_last_fit_give_up_outside_their_window() -> None:
    from waypoint.engine.scheduling.heuristic import _first_fit, _last_fit, _Profiles

    problem = Problem(
        activities=(act("A", 3, demands={"r": 1}),), resources=(Resource("r", 1, changes=((0, 0), (10, 1))),)
    )
    profiles = _Profiles(problem, 20)
    activity = problem.activities[0]
    assert _first_fit(profiles, activity, 0, 5) is None
    assert _first_fit(profiles, activity, 0, 20) == 10
    assert _last_fit(profiles, activity, 8, 0) is None
    assert _last_fit(profiles, activity, 15, 0) == 15


def test_when_a_step_cannot_be_completed_the_schedule_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    from waypoint.engine.scheduling import heuristic

    problem = small_roadmap()
    schedule = serial_schedule(problem, {"A": 0, "B": 1, "C": 2, "D": 3, "E": 4})
    monkeypatch.setattr(heuristic, "_last_fit", lambda *args: None)
    assert _justify(schedule) is schedule
    monkeypatch.undo()
    monkeypatch.setattr(heuristic, "_first_fit", lambda *args: None)
    assert _justify(schedule) is schedule
    # serial generation itself places an activity that fits nowhere at its earliest start
    placed = serial_schedule(problem, {"A": 0, "B": 1, "C": 2, "D": 3, "E": 4})
    assert placed.starts["C"] == 3


def test_slack_in_a_levelled_schedule_marks_the_critical_chain() -> None:
    from waypoint.engine.scheduling import schedule_slack

    problem = small_roadmap()
    schedule = Schedule(problem, {"A": 0, "B": 3, "C": 5, "D": 5, "E": 0})
    slack = schedule_slack(schedule)
    # A → B → C (B and C share the whole team) ends at 9; D and E can slip
    assert slack["A"] == 0 and slack["B"] == 0 and slack["C"] == 0
    assert slack["D"] == 2
    assert slack["E"] > 0


def test_slack_of_a_schedule_that_cannot_be_shifted_is_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    from waypoint.engine.scheduling import heuristic, schedule_slack

    monkeypatch.setattr(heuristic, "_shift", lambda *args, **kwargs: None)
    assert set(schedule_slack(Schedule(small_roadmap(), {"A": 0, "B": 3, "C": 5, "D": 5, "E": 0})).values()) == {0}
