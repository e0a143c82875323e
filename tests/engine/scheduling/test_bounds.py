"""Lower bounds on the makespan, before any search."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.scheduling.helpers import act, fs, small_roadmap
from waypoint.engine.scheduling import Budget, Problem, Resource, best_heuristic_schedule, critical_path, read_sm
from waypoint.engine.scheduling.bounds import LowerBound, makespan_lower_bound, refutation
from waypoint.engine.scheduling.generator import generate_roadmap


def test_without_teams_or_budgets_the_critical_path_is_the_bound() -> None:
    problem = Problem(activities=(act("A", 3), act("B", 2)), links=(fs("A", "B"),))
    assert makespan_lower_bound(problem) == LowerBound(5, "critical path")
    assert refutation(problem, 4) == "critical path"
    assert refutation(problem, 5) is None


def test_a_team_that_cannot_do_the_work_in_time_raises_the_bound() -> None:
    # B and C each need the whole team: whatever the order, 3 + 2 + 4 months
    problem = small_roadmap()
    bound = makespan_lower_bound(problem)
    assert bound == LowerBound(9, "work of team Implementation team")
    assert critical_path(problem).project_end == 7


def test_the_energy_of_a_team_counts_its_capacity_over_time() -> None:
    # four tasks of 3 months for one person each; two people until month 2, then four
    work = tuple(act(f"W{i}", 3, demands={"team": 1}) for i in range(4))
    problem = Problem(activities=work, resources=(Resource("team", 2, changes=((2, 4),)),))
    # by 4 the team has 12 person-months, as needed, but in months 1 and 2 only 6 of the 8
    # that four tasks within months 0 to 4 must work there: two tasks start at 2
    assert refutation(problem, 4) is not None
    assert makespan_lower_bound(problem).value == 5


def test_release_dates_and_the_work_after_them_count() -> None:
    # three tasks of 4 months for one person, released at 6: not before 18
    work = tuple(act(f"W{i}", 4, demands={"team": 1}, release=6) for i in range(3))
    teams = (Resource("team", 1, "Legal team"), Resource("spare", 2))
    problem = Problem(activities=(act("early", 1), *work), resources=teams)
    assert makespan_lower_bound(problem) == LowerBound(18, "work of team Legal team")


def test_budget_caps_that_cannot_pay_in_time_raise_the_bound() -> None:
    # 2,400 to spend at 1,000 a year: the third year is needed
    work = (act("A", 12, costs={"m": 1200}), act("B", 12, costs={"m": 1200}))
    budgets = (Budget("m", 12, {0: 1000, 1: 1000, 2: 1000}, "State budget"), Budget("unused", 12, {0: 0}))
    problem = Problem(activities=work, budgets=budgets)
    bound = makespan_lower_bound(problem)
    assert bound.value > 24
    assert bound.reason == "spending from State budget"


def test_an_uncapped_year_breaks_a_run_of_caps() -> None:
    # year 1 has no cap: the money can all go there
    work = (act("A", 12, costs={"m": 1200}), act("B", 12, costs={"m": 1200}))
    problem = Problem(activities=work, budgets=(Budget("m", 12, {0: 0, 2: 0}),))
    assert makespan_lower_bound(problem, upper=24).value == 24
    assert refutation(problem, 23) is not None
    assert refutation(problem, 24) is None


def test_links_pass_on_what_the_teams_rule_out() -> None:
    # X holds team p until 3 and Y team q from 3 to 6 (both pinned): A (on p) cannot start
    # before 3, B (on q, after A) must end by 3 or start at 6; neither the links nor a team
    # alone rule out 6, together they do
    problem = Problem(
        activities=(
            act("X", 3, demands={"p": 1}, pinned_start=0),
            act("Y", 3, demands={"q": 1}, pinned_start=3),
            act("A", 1, demands={"p": 1}),
            act("B", 1, demands={"q": 1}),
        ),
        links=(fs("A", "B"),),
        resources=(Resource("p", 1), Resource("q", 1)),
    )
    assert critical_path(problem).project_end == 6
    assert refutation(problem, 6) == "links after the teams' work"
    assert makespan_lower_bound(problem).value == 7


def test_a_window_emptied_by_the_team_is_named() -> None:
    # two pinned tasks fill the team from 0 to 6; A must run in that time with a deadline
    problem = Problem(
        activities=(
            act("X", 3, demands={"p": 1}, pinned_start=0),
            act("Y", 3, demands={"p": 1}, pinned_start=3),
            act("A", 2, demands={"p": 1}),
            act("Z", 7),
        ),
        resources=(Resource("p", 1, "Risk team"),),
    )
    assert refutation(problem, 7) == "work of team Risk team"


def test_the_bisection_stops_at_its_time_limit() -> None:
    assert makespan_lower_bound(small_roadmap(), time_limit_s=-1) == LowerBound(7, "critical path")


def test_every_bound_lies_below_a_known_schedule() -> None:
    for seed in (1, 2):
        problem = generate_roadmap(items=150, teams=3, team_share=0.5, seed=seed)
        schedule = best_heuristic_schedule(problem, time_limit_s=0).schedule
        bound = makespan_lower_bound(problem, upper=schedule.makespan)
        assert critical_path(problem).project_end <= bound.value <= schedule.makespan


def test_the_energy_bound_is_far_above_the_critical_path_on_psplib(psplib: Path) -> None:
    problem = read_sm(psplib / "j120" / "j12051_1.sm")  # best known 206, critical path 100
    bound = makespan_lower_bound(problem)
    assert bound.value >= 170
    assert bound.reason.startswith("work of team")


@pytest.mark.parametrize("makespan", [0, 1])
def test_an_impossible_makespan_is_refuted(makespan: int) -> None:
    assert refutation(small_roadmap(), makespan) == "critical path"
