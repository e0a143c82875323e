"""The optimiser. Every search here is limited by CP-SAT's deterministic time (``work_limit``),
never by the clock, so a fast machine and a slow one reach the same result."""

from __future__ import annotations

import datetime as dt
import threading

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

#: deterministic time far beyond what the small problems here need to be proven
WORK = 5.0


def test_the_small_roadmap_is_solved_to_optimality() -> None:
    result = solve(small_roadmap(), work_limit=WORK)
    assert result.status is SolveStatus.OPTIMAL
    assert result.makespan == 9  # B and C cannot overlap: 3 + 2 + 4
    assert result.lower_bound == 9
    assert result.gap == 0
    assert result.schedule is not None and result.schedule.violations() == []


def test_plain_cp_sat_agrees() -> None:
    result = solve(small_roadmap(), work_limit=WORK, options=SolveOptions.plain())
    assert result.status is SolveStatus.OPTIMAL
    assert result.makespan == 9
    assert result.heuristic_value is None


def test_the_weighted_objective_finishes_valuable_work_first() -> None:
    result = solve(small_roadmap(), objective="weighted", work_limit=WORK)
    assert result.objective is Objective.WEIGHTED
    assert result.schedule is not None
    assert result.schedule.starts["C"] < result.schedule.starts["B"]  # C weighs 5
    assert result.objective_value == result.schedule.weighted_completion


def test_progress_is_reported_and_the_search_can_be_stopped() -> None:
    seen: list[Progress] = []
    result = solve(small_roadmap(), work_limit=WORK, on_progress=seen.append, should_stop=lambda: True)
    assert result.schedule is not None
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


def test_a_budget_cap_is_respected_by_the_optimiser() -> None:
    problem = Problem(
        activities=(act("A", 6, costs={"m": 600}), act("B", 6, costs={"m": 600}), act("C", 2, costs={"m": 10})),
        links=(fs("A", "C"),),
        budgets=(Budget("m", 12, {0: 700, 1: 700}),),
    )
    result = solve(problem, work_limit=WORK)
    assert result.status is SolveStatus.OPTIMAL
    assert result.schedule is not None and result.schedule.violations() == []
    assert result.schedule.spend(problem.budgets[0])[0] <= 700


def test_capacity_dips_are_respected_by_the_optimiser() -> None:
    problem = Problem(
        activities=(act("A", 2, demands={"r": 2}), act("B", 2, demands={"r": 1})),
        resources=(Resource("r", 2, changes=((0, 1), (4, 2))),),
    )
    result = solve(problem, work_limit=WORK, options=SolveOptions(warm_start=False))
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
    result = solve(deadline_problem(), work_limit=WORK)
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
    conflicts = explain_infeasibility(problem, work_limit=WORK)
    assert conflicts == [
        "A “task A” is pinned to start at month 0",
        "the State budget cap of 700 for month 0 to month 12",
    ]


def test_without_deadlines_pins_or_caps_the_problem_is_always_feasible() -> None:
    result = solve(Problem(activities=(act("A", 2), act("B", 2)), links=(fs("A", "B"),)), work_limit=WORK)
    assert result.status is SolveStatus.OPTIMAL


def test_explaining_a_feasible_problem_finds_no_conflict() -> None:
    assert explain_infeasibility(Problem(activities=(act("A", 1),)), work_limit=WORK) == [
        "No conflict was pinned down in time; try a longer time limit."
    ]


def test_deadlines_that_the_links_alone_break_are_explained() -> None:
    problem = Problem(activities=(act("A", 5), act("B", 3, deadline=6)), links=(fs("A", "B"),))
    result = solve(problem, work_limit=WORK)
    assert result.status is SolveStatus.INFEASIBLE
    assert result.conflicts == ["B “task B” must finish by month 6"]


def test_a_search_can_be_stopped_from_outside() -> None:
    asked = {"n": 0}

    def stop() -> bool:
        asked["n"] += 1
        return asked["n"] > 1  # the second question, during the CP-SAT search

    # enough work for hours and a gap no machine closes in seconds: only the stop ends it
    problem = generate_roadmap(items=100, teams=2, team_share=0.5, seed=3)
    result = solve(problem, work_limit=1e6, workers=1, should_stop=stop)
    assert result.stopped  # ended by the stop, not by its limit
    assert asked["n"] > 1
    assert result.schedule is not None and result.schedule.violations() == []


def _phases(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the CP-SAT phases a solve runs, in order."""
    from waypoint.engine.scheduling.cpsat import solver as module

    names: list[str] = []
    run = module._run

    def recording(search, phase):
        names.append(phase.name)
        return run(search, phase)

    monkeypatch.setattr(module, "_run", recording)
    return names


def test_a_wide_gap_hands_the_rest_of_the_time_to_improvement(monkeypatch: pytest.MonkeyPatch) -> None:
    phases = _phases(monkeypatch)
    # the critical path alone: a bound far below what teams this tight allow
    problem = generate_roadmap(items=100, teams=3, team_share=0.5, seed=3)
    result = solve(problem, work_limit=0.2, workers=1, options=SolveOptions(bounds=False))
    assert phases == ["prove", "improve"]
    assert result.status is SolveStatus.FEASIBLE
    assert result.schedule is not None and result.schedule.violations() == []
    assert result.objective_value is not None and result.heuristic_value is not None
    assert result.objective_value <= result.heuristic_value
    assert result.lower_bound is not None and result.lower_bound <= result.objective_value
    assert (result.objective_value - result.lower_bound) / result.objective_value > 0.05


def test_no_solution_when_the_work_allowed_is_far_too_little() -> None:
    result = solve(
        generate_roadmap(items=3000, seed=1), work_limit=0.01, workers=1, options=SolveOptions(warm_start=False)
    )
    assert result.status is SolveStatus.NO_SOLUTION
    assert result.schedule is None and result.makespan is None and result.gap is None
    assert not result.stopped


def test_a_milestone_that_costs_money_is_paid_in_its_year() -> None:
    problem = Problem(
        activities=(act("A", 12, costs={"m": 1200}), act("M", 0, costs={"m": 500})),
        resources=(Resource("unused", 1),),
        budgets=(Budget("m", 12, {0: 1200, 1: 400, 2: 1000}),),
    )
    result = solve(problem, work_limit=WORK)
    assert result.schedule is not None and result.schedule.violations() == []
    assert result.schedule.starts["M"] >= 24


def test_without_phases_one_run_from_the_warm_start_proves_it(monkeypatch: pytest.MonkeyPatch) -> None:
    phases = _phases(monkeypatch)
    # (without the destructive bounds, which show the warm start optimal before any search)
    result = solve(small_roadmap(), work_limit=WORK, options=SolveOptions(phases=False, bounds=False))
    assert phases == ["plain"]
    assert result.heuristic_value is not None
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
    assert explain_infeasibility(problem, work_limit=WORK) == [
        "T “Train risk analysts” must finish by 2013-06-01",
        "S “Set up scanners” must finish by 2013-07-01",
    ]


def test_capacity_that_vanishes_for_good_is_reported() -> None:
    problem = Problem(
        activities=(act("A", 3), act("B", 2, demands={"team": 1})),
        links=(fs("A", "B"),),
        resources=(Resource("team", 1, "Project team", changes=((2, 0),)),),
    )
    result = solve(problem, work_limit=WORK)
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


@pytest.mark.parametrize(("bound", "second_phase"), [(4, "improve"), (9, None), (8, "prove")])
def test_the_second_phase_depends_on_the_gap(
    monkeypatch: pytest.MonkeyPatch, bound: int, second_phase: str | None
) -> None:
    from ortools.sat.python import cp_model

    from waypoint.engine.scheduling.cpsat import solver as module
    from waypoint.engine.scheduling.cpsat.solver import Phase

    problem = small_roadmap()
    starts = {"A": 0, "B": 3, "C": 5, "D": 5, "E": 0}
    calls: list[Phase] = []

    def fake_run(search, phase):
        calls.append(phase)
        search.limit.worked += phase.allowance  # as a run that used all it was given
        status = cp_model.OPTIMAL if bound == 9 else cp_model.FEASIBLE
        return status, _FakeSolver(9, bound, starts)

    monkeypatch.setattr(module, "_run", fake_run)
    monkeypatch.setattr(module, "PROVE_GAP", 0.15)
    # the destructive bounds would show the warm start optimal before any phase
    result = solve(problem, work_limit=WORK, options=SolveOptions(bounds=False))
    assert calls[0].name == "prove" and calls[0].configure is module._prove_parameters
    assert (calls[1].name if len(calls) > 1 else None) == second_phase
    if second_phase is not None:
        # the second phase gets all that the first left
        assert calls[1].allowance == pytest.approx(WORK - calls[0].allowance)
        assert calls[1].configure is getattr(module, f"_{second_phase}_parameters")
    assert result.makespan == 9
    assert result.lower_bound == max(bound, 7)


def _subsolvers(configure: object) -> dict[str, set[str]]:
    """The subsolvers CP-SAT names in its log, by line ("full problem", "interleaved",
    "ignored" …), when set up by ``configure`` for a small roadmap."""
    import re

    from ortools.sat.python import cp_model

    from waypoint.engine.scheduling.cpsat.model import build_model

    problem = generate_roadmap(items=20, teams=3, seed=4)
    built = build_model(problem, objective=Objective.MAKESPAN, horizon=problem.trivial_horizon(), tighten=True)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_deterministic_time = 0.01
    solver.parameters.log_search_progress = True
    solver.parameters.log_to_stdout = False
    lines: list[str] = []
    solver.log_callback = lines.append
    if callable(configure):
        configure(solver.parameters)
    solver.solve(built.model)
    found: dict[str, set[str]] = {}
    for line in lines:
        match = re.match(r"\d+ ([a-z ]+?) subsolvers?: \[(.*)\]$", line)
        if match:
            found[match[1]] = set(match[2].split(", "))
    return found


def test_the_phases_set_up_the_searches_they_claim() -> None:
    from waypoint.engine.scheduling.cpsat.solver import GENERIC_LNS, _improve_parameters, _prove_parameters

    default = _subsolvers(None)
    assert "default_lp" in default["full problem"] and "graph_arc_lns" in default["interleaved"]
    # proving: the complete search without LP instead of CP-SAT's default one
    proving = _subsolvers(_prove_parameters)
    assert "no_lp" in proving["full problem"] and "default_lp" not in proving["full problem"]
    # improving: CP-SAT's generic LNS moves are off, its scheduling ones stay
    improving = _subsolvers(_improve_parameters)
    assert "scheduling_intervals_lns" in improving["interleaved"]
    assert not set(GENERIC_LNS) & improving["interleaved"]
    assert set(GENERIC_LNS) <= improving["ignored"]


def test_the_stopper_stops_a_running_search() -> None:
    from waypoint.engine.scheduling.cpsat.solver import _Stopper

    class Running:
        stops = 0

        def stop_search(self) -> None:
            self.stops += 1

    asked = threading.Event()

    def stop() -> bool:
        asked.set()
        return True

    running = Running()
    stopper = _Stopper(stop)
    stopper.solver = running  # type: ignore[assignment]
    assert asked.wait(timeout=60)  # the watching thread asks (a hang guard, not a timing)
    stopper.close()
    stopper.check()
    assert stopper.stopped
    assert running.stops >= 1


def test_a_stopper_without_a_question_never_stops() -> None:
    from waypoint.engine.scheduling.cpsat.solver import _Stopper

    stopper = _Stopper(None)
    stopper.check()
    stopper.close()
    assert not stopper.stopped


def test_an_empty_roadmap_takes_no_time() -> None:
    result = solve(Problem(activities=()), work_limit=WORK, options=SolveOptions(warm_start=False))
    assert result.status is SolveStatus.OPTIMAL
    assert result.makespan == 0


def test_a_phase_does_not_start_once_a_stop_was_asked() -> None:
    from ortools.sat.python import cp_model

    from waypoint.engine.scheduling.cpsat.model import build_model
    from waypoint.engine.scheduling.cpsat.solver import Phase, _Limit, _Listener, _run, _Search, _Stopper

    problem = small_roadmap()
    built = build_model(problem, objective=Objective.MAKESPAN, horizon=problem.trivial_horizon(), tighten=False)
    stopper = _Stopper(None)
    stopper.stopped = True
    search = _Search(problem, Objective.MAKESPAN, 1, _Limit(5.0, None), _Listener(None), stopper, lambda _: built)
    status, _solver = _run(search, Phase("prove", 5.0))
    assert status == cp_model.UNKNOWN
