from __future__ import annotations

import datetime as dt
import time

import pytest

from tests.engine.scheduling.helpers import act, fs, small_roadmap
from waypoint.engine.scheduling import (
    Budget,
    Granularity,
    Objective,
    Problem,
    Progress,
    Resource,
    SolveOptions,
    SolveStatus,
    explain_infeasibility,
    solve,
)
from waypoint.engine.scheduling.generator import generate_roadmap


def test_the_small_roadmap_is_solved_to_optimality() -> None:
    result = solve(small_roadmap(), time_limit_s=5)
    assert result.status is SolveStatus.OPTIMAL
    assert result.makespan == 9  # B and C cannot overlap: 3 + 2 + 4
    assert result.lower_bound == 9
    assert result.gap == 0
    assert result.schedule is not None and result.schedule.violations() == []


def test_plain_cp_sat_agrees() -> None:
    result = solve(small_roadmap(), time_limit_s=5, options=SolveOptions.plain())
    assert result.status is SolveStatus.OPTIMAL
    assert result.makespan == 9
    assert result.heuristic_value is None


def test_the_weighted_objective_finishes_valuable_work_first() -> None:
    result = solve(small_roadmap(), objective="weighted", time_limit_s=5)
    assert result.objective is Objective.WEIGHTED
    assert result.schedule is not None
    assert result.schedule.starts["C"] < result.schedule.starts["B"]  # C weighs 5
    assert result.objective_value == result.schedule.weighted_completion


def test_progress_is_reported_and_the_search_can_be_stopped() -> None:
    seen: list[Progress] = []
    result = solve(small_roadmap(), time_limit_s=5, on_progress=seen.append, should_stop=lambda: True)
    assert result.schedule is not None
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


def test_a_budget_cap_is_respected_by_the_optimiser() -> None:
    problem = Problem(
        activities=(act("A", 6, costs={"m": 600}), act("B", 6, costs={"m": 600}), act("C", 2, costs={"m": 10})),
        links=(fs("A", "C"),),
        budgets=(Budget("m", 12, {0: 700, 1: 700}),),
    )
    result = solve(problem, time_limit_s=5)
    assert result.status is SolveStatus.OPTIMAL
    assert result.schedule is not None and result.schedule.violations() == []
    assert result.schedule.spend(problem.budgets[0])[0] <= 700


def test_capacity_dips_are_respected_by_the_optimiser() -> None:
    problem = Problem(
        activities=(act("A", 2, demands={"r": 2}), act("B", 2, demands={"r": 1})),
        resources=(Resource("r", 2, changes=((0, 1), (4, 2))),),
    )
    result = solve(problem, time_limit_s=5, options=SolveOptions(warm_start=False))
    assert result.schedule is not None and result.schedule.violations() == []
    assert result.schedule.starts["A"] >= 4


def deadline_problem() -> Problem:
    """Two activities that need the only inspector in the same months, both due early."""
    return Problem(
        activities=(
            act("T", 4, name="Train risk analysts", demands={"expert": 1}, deadline=5),
            act("S", 4, name="Set up scanners", demands={"expert": 1}, deadline=6),
            act("P", 1, name="Publish report", pinned_start=3),
        ),
        resources=(Resource("expert", 1, "WCO expert"),),
        granularity=Granularity.MONTH,
        start=dt.date(2013, 1, 1),
    )


def test_conflicting_deadlines_are_explained_in_words() -> None:
    result = solve(deadline_problem(), time_limit_s=5)
    assert result.status is SolveStatus.INFEASIBLE
    assert result.schedule is None
    assert result.conflicts == [
        "T “Train risk analysts” must finish by 2013-06-01",
        "S “Set up scanners” must finish by 2013-07-01",
    ]


def test_a_pin_and_a_budget_cap_in_conflict() -> None:
    problem = Problem(
        activities=(act("A", 3, costs={"m": 900}, pinned_start=0), act("B", 2, costs={"m": 50}, deadline=4)),
        budgets=(Budget("m", 12, {0: 700}, "State budget"),),
    )
    conflicts = explain_infeasibility(problem, time_limit_s=5)
    assert conflicts == [
        "A “task A” is pinned to start at month 0",
        "the State budget cap of 700 for month 0 to month 12",
    ]


def test_without_deadlines_pins_or_caps_the_problem_is_always_feasible() -> None:
    result = solve(Problem(activities=(act("A", 2), act("B", 2)), links=(fs("A", "B"),)), time_limit_s=2)
    assert result.status is SolveStatus.OPTIMAL


def test_explaining_a_feasible_problem_finds_no_conflict() -> None:
    assert explain_infeasibility(Problem(activities=(act("A", 1),)), time_limit_s=1) == [
        "No conflict was pinned down in time; try a longer time limit."
    ]


def test_deadlines_that_the_links_alone_break_are_explained() -> None:
    problem = Problem(activities=(act("A", 5), act("B", 3, deadline=6)), links=(fs("A", "B"),))
    result = solve(problem, time_limit_s=5)
    assert result.status is SolveStatus.INFEASIBLE
    assert result.conflicts == ["B “task B” must finish by month 6"]


def test_a_search_can_be_stopped_from_outside() -> None:
    began = time.perf_counter()
    asked = {"n": 0}

    def stop() -> bool:
        asked["n"] += 1
        return time.perf_counter() - began > 3.5  # during the CP-SAT search

    result = solve(generate_roadmap(initiatives=60, seed=2), time_limit_s=60, should_stop=stop)
    assert result.seconds < 60  # ended by the stop, not by its time limit
    assert asked["n"] > 1
    assert result.schedule is not None and result.schedule.violations() == []


def test_a_wide_gap_hands_the_rest_of_the_time_to_improvement() -> None:
    problem = generate_roadmap(initiatives=40, teams=5, seed=3)
    result = solve(problem, time_limit_s=4)
    assert result.status is SolveStatus.FEASIBLE
    assert result.schedule is not None and result.schedule.violations() == []
    assert result.objective_value is not None and result.heuristic_value is not None
    assert result.objective_value <= result.heuristic_value
    assert result.lower_bound is not None and result.lower_bound <= result.objective_value


def test_no_solution_when_the_time_is_far_too_short() -> None:
    result = solve(generate_roadmap(initiatives=300, seed=1), time_limit_s=0.01, options=SolveOptions(warm_start=False))
    assert result.status is SolveStatus.NO_SOLUTION
    assert result.schedule is None and result.makespan is None and result.gap is None


def test_a_milestone_that_costs_money_is_paid_in_its_year() -> None:
    problem = Problem(
        activities=(act("A", 12, costs={"m": 1200}), act("M", 0, costs={"m": 500})),
        resources=(Resource("unused", 1),),
        budgets=(Budget("m", 12, {0: 1200, 1: 400, 2: 1000}),),
    )
    result = solve(problem, time_limit_s=5)
    assert result.schedule is not None and result.schedule.violations() == []
    assert result.schedule.starts["M"] >= 24


def test_without_phases_the_stronger_propagation_is_available() -> None:
    result = solve(small_roadmap(), time_limit_s=5, options=SolveOptions(phases=False, strengthen=True))
    assert result.status is SolveStatus.OPTIMAL
    assert result.makespan == 9


def test_the_explanation_drops_constraints_not_needed_for_the_conflict(monkeypatch: pytest.MonkeyPatch) -> None:
    from ortools.sat.python import cp_model

    # pretend CP-SAT's core names every assumption: the deletion filter must cut it back
    monkeypatch.setattr(
        cp_model.CpSolver,
        "sufficient_assumptions_for_infeasibility",
        lambda self: list(range(1000)),
    )
    problem = Problem(
        activities=(*deadline_problem().activities, act("Z", 1, name="Unrelated", deadline=40)),
        resources=deadline_problem().resources,
        granularity=Granularity.MONTH,
        start=dt.date(2013, 1, 1),
    )
    assert explain_infeasibility(problem, time_limit_s=5) == [
        "T “Train risk analysts” must finish by 2013-06-01",
        "S “Set up scanners” must finish by 2013-07-01",
    ]


def test_capacity_that_vanishes_for_good_is_reported() -> None:
    problem = Problem(
        activities=(act("A", 3), act("B", 2, demands={"team": 1})),
        links=(fs("A", "B"),),
        resources=(Resource("team", 1, "Project team", changes=((2, 0),)),),
    )
    result = solve(problem, time_limit_s=3)
    assert result.status is SolveStatus.INFEASIBLE
    assert "whatever the deadlines, pins and budget caps" in result.conflicts[0]


class _FakeSolver:
    """Stands in for a finished CP-SAT solve."""

    def __init__(self, value: int, bound: int, starts: dict[str, int]) -> None:
        self.objective_value = float(value)
        self.best_objective_bound = float(bound)
        self.starts = starts

    def value(self, variable: object) -> int:
        return self.starts[str(variable).removeprefix("start_")]


@pytest.mark.parametrize(("bound", "second_phase"), [(4, "_improve_parameters"), (9, None), (8, "_prove_parameters")])
def test_the_second_phase_depends_on_the_gap(
    monkeypatch: pytest.MonkeyPatch, bound: int, second_phase: str | None
) -> None:
    from ortools.sat.python import cp_model

    from waypoint.engine.scheduling.cpsat import solver as module

    problem = small_roadmap()
    starts = {"A": 0, "B": 3, "C": 5, "D": 5, "E": 0}
    calls: list[str] = []

    def fake_run(built, seconds, workers, seed, log, configure, hint, listener, stopper):  # type: ignore[no-untyped-def]
        calls.append(configure.__name__)
        status = cp_model.OPTIMAL if bound == 9 else cp_model.FEASIBLE
        return status, _FakeSolver(9, bound, starts)

    monkeypatch.setattr(module, "_run", fake_run)
    monkeypatch.setattr(module, "PROVE_GAP", 0.15)
    result = solve(problem, time_limit_s=5)
    assert calls[0] == "_prove_parameters"
    assert (calls[1] if len(calls) > 1 else None) == second_phase
    assert result.makespan == 9
    assert result.lower_bound == max(bound, 7)


def test_the_parameter_sets() -> None:
    from ortools.sat.python import cp_model

    from waypoint.engine.scheduling.cpsat.solver import (
        GENERIC_LNS,
        _improve_parameters,
        _lns_parameters,
        _prove_parameters,
    )

    parameters = cp_model.SatParameters()
    _improve_parameters(parameters)
    assert list(parameters.ignore_subsolvers) == list(GENERIC_LNS)
    _prove_parameters(parameters)
    assert list(parameters.subsolvers) == ["no_lp", "fixed"]
    lns = cp_model.SatParameters()
    _lns_parameters(lns)
    assert lns.use_lns_only and list(lns.ignore_subsolvers) == list(GENERIC_LNS)


def test_the_stopper_stops_a_running_search() -> None:
    from waypoint.engine.scheduling.cpsat.solver import _Stopper

    class Running:
        stops = 0

        def stop_search(self) -> None:
            self.stops += 1

    running = Running()
    stopper = _Stopper(lambda: True)
    stopper.solver = running  # type: ignore[assignment]
    time.sleep(0.6)
    stopper.close()
    assert stopper.stopped
    assert running.stops >= 1


def test_an_empty_roadmap_takes_no_time() -> None:
    result = solve(Problem(activities=()), time_limit_s=1, options=SolveOptions(warm_start=False))
    assert result.status is SolveStatus.OPTIMAL
    assert result.makespan == 0


def test_a_phase_does_not_start_once_a_stop_was_asked() -> None:
    from ortools.sat.python import cp_model

    from waypoint.engine.scheduling.cpsat.model import build_model
    from waypoint.engine.scheduling.cpsat.solver import _Listener, _run, _Stopper

    problem = small_roadmap()
    built = build_model(problem, objective=Objective.MAKESPAN, horizon=problem.trivial_horizon(), tighten=False)
    stopper = _Stopper(None)
    stopper.stopped = True
    status, _solver = _run(built, 5.0, 1, 0, False, None, None, _Listener(None), stopper)
    assert status == cp_model.UNKNOWN
