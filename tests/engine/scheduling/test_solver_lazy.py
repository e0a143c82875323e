"""The optimiser on large models: budget caps brought in lazily, complete hints, lower bounds
before the search. Every search is limited by deterministic time, as in test_solver.py."""

from __future__ import annotations

import sys

import pytest

from tests.engine.scheduling.helpers import act, small_roadmap
from waypoint.engine.scheduling import Budget, Objective, Problem, Resource, Schedule, SolveStatus, solve
from waypoint.engine.scheduling.cpsat import solver as module
from waypoint.engine.scheduling.generator import generate_roadmap
from waypoint.engine.scheduling.heuristic import repair, serial_schedule

WORK = 5.0


def _phases(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, float, int]]:
    """Each CP-SAT phase a solve runs: its name, allowance and the capped periods modelled."""
    seen: list[tuple[str, float, int]] = []
    run = module._run

    def recording(search, phase):
        seen.append((phase.name, phase.allowance, sum(len(p) for p in (search.periods or {}).values())))
        return run(search, phase)

    monkeypatch.setattr(module, "_run", recording)
    return seen


def money_problem() -> Problem:
    """Two independent pieces of work that could both run at once, but the first year's
    budget pays for ten of their twelve months: both start at 7 (13) or one waits (14)."""
    return Problem(
        activities=(
            act("A", 6, demands={"team": 1}, costs={"m": 600}),
            act("B", 6, demands={"team": 1}, costs={"m": 600}),
            act("C", 10, demands={"other": 1}),
        ),
        resources=(Resource("team", 2), Resource("other", 1)),
        budgets=(Budget("m", 12, {0: 1000, 1: 1000}),),
    )


def test_a_cap_left_out_is_brought_in_once_a_schedule_overspends_it(monkeypatch: pytest.MonkeyPatch) -> None:
    phases = _phases(monkeypatch)
    monkeypatch.setattr(module, "LAZY_BUDGET_TERMS", 0)
    monkeypatch.setattr(module, "LAZY_FILL", 2.0)  # no cap is in the model at first
    result = solve(money_problem(), work_limit=WORK, workers=1, options=module.SolveOptions(bounds=False))
    assert result.schedule is not None and result.schedule.violations() == []
    # without the cap CP-SAT runs A and B together; the cap then enters the model
    assert phases[0][2] == 0 and phases[-1][2] >= 1
    # a phase that may be overspending gets part of its time only
    assert phases[0][1] == pytest.approx(WORK * module.PROVE_SHARE * module.LAZY_ROUND_SHARE)
    assert result.heuristic_value == 14  # one waits
    assert result.status is SolveStatus.OPTIMAL
    assert result.makespan == 13
    assert result.schedule.starts["A"] == result.schedule.starts["B"] == 7


def test_small_models_keep_every_cap() -> None:
    problem = money_problem()
    warm = serial_schedule(problem, {"A": 0, "B": 1, "C": 2})
    assert module._lazy_periods(problem, warm, horizon=24) is None
    assert module._lazy_periods(problem, None, horizon=24) is None


def test_lazy_periods_start_with_the_caps_the_warm_start_fills(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "LAZY_BUDGET_TERMS", 0)
    problem = money_problem()
    warm = serial_schedule(problem, {"A": 0, "B": 1, "C": 2})
    assert warm.spend(problem.budgets[0]) == {0: 1000, 1: 200}
    assert module._lazy_periods(problem, warm, horizon=24) == {"m": {0}}


def test_a_repaired_schedule_keeps_the_caps() -> None:
    problem = money_problem()
    overspending = Schedule(problem, {"A": 0, "B": 0, "C": 0})
    assert module._overspent(overspending) == {"m": {0}}
    repaired = repair(overspending)
    assert repaired.violations() == []
    assert module._overspent(repaired) == {}


def test_a_relaxed_schedule_that_cannot_be_repaired_is_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    # as if repairing always failed: the search keeps its warm start
    monkeypatch.setattr(module, "repair", lambda schedule: Schedule(schedule.problem, {"A": -1, "B": 0, "C": 0}))
    monkeypatch.setattr(module, "LAZY_BUDGET_TERMS", 0)
    monkeypatch.setattr(module, "LAZY_FILL", 2.0)
    result = solve(money_problem(), work_limit=1.0, workers=1, options=module.SolveOptions(bounds=False))
    assert result.schedule is not None and result.schedule.violations() == []


def test_a_warm_start_at_the_bound_needs_no_search(monkeypatch: pytest.MonkeyPatch) -> None:
    phases = _phases(monkeypatch)
    result = solve(small_roadmap(), work_limit=WORK)
    assert phases == []
    assert result.status is SolveStatus.OPTIMAL and result.makespan == 9
    assert result.bound_reason == "work of team Implementation team"


def test_the_bound_names_cp_sat_when_its_own_is_better(monkeypatch: pytest.MonkeyPatch) -> None:
    result = solve(small_roadmap(), work_limit=WORK, options=module.SolveOptions(bounds=False))
    assert result.status is SolveStatus.OPTIMAL and result.lower_bound == 9
    assert result.bound_reason == "CP-SAT"


def test_the_weighted_objective_is_bounded_by_the_links() -> None:
    result = solve(small_roadmap(), objective="weighted", work_limit=WORK)
    assert result.status is SolveStatus.OPTIMAL
    assert result.bound_reason in {"critical path", "CP-SAT"}


def test_a_complete_hint_is_taken_as_it_is() -> None:
    """Every variable of the model gets its value from the hinted starts: fixing them all to
    their hints leaves a feasible model (with a missing or wrong value it would not be)."""
    from ortools.sat.python import cp_model

    from waypoint.engine.scheduling.cpsat.model import build_model

    problem = Problem(
        activities=(
            act("A", 14, demands={"t": 1}, costs={"m": 1400}),
            act("M", 0, costs={"m": 500}),
            act("B", 3, demands={"t": 1}, costs={"m": 300}),
        ),
        resources=(Resource("t", 1),),
        budgets=(Budget("m", 12, {0: 1300, 1: 1300, 2: 1300}),),
    )
    schedule = Schedule(problem, {"A": 0, "M": 13, "B": 14})
    assert schedule.violations() == []
    built = build_model(problem, objective=Objective.MAKESPAN, horizon=30, tighten=True, lower_bound=17)
    assert built.variables.derived  # spending by year, the makespan…
    built.variables.hint(built.model, schedule.starts)
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = WORK
    assert solver.solve(built.model) == cp_model.OPTIMAL
    assert solver.objective_value == 17


def test_the_model_narrows_the_objective_to_the_bound() -> None:
    from ortools.sat.python import cp_model

    from waypoint.engine.scheduling.cpsat.model import build_model

    problem = small_roadmap()
    built = build_model(problem, objective=Objective.MAKESPAN, horizon=12, tighten=True, lower_bound=10)
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = WORK
    assert solver.solve(built.model) == cp_model.OPTIMAL
    assert solver.objective_value == 10  # 9 is possible, but the bound says otherwise


def test_a_large_generated_roadmap_is_improved_and_bounded() -> None:
    problem = generate_roadmap(items=60, teams=2, team_share=0.6, seed=2)
    result = solve(problem, work_limit=0.5, workers=1)
    assert result.schedule is not None and result.schedule.violations() == []
    assert result.heuristic_value is not None and result.objective_value is not None
    assert result.objective_value < result.heuristic_value
    assert result.lower_bound is not None and result.lower_bound > 60  # the critical path is 60
    assert result.bound_reason is not None and result.bound_reason.startswith("work of team")


def test_cp_sat_comes_without_pandas() -> None:
    from waypoint.engine.scheduling.cpsat import _ortools

    assert "CpModel" in dir(_ortools.cp_model)
    # a module imported with a placeholder for a missing one, which is taken away after
    _ortools.import_without("json", "waypoint_missing_module")
    assert "waypoint_missing_module" not in sys.modules
    placeholder = _ortools._placeholder("anything")
    assert isinstance(placeholder.Series, type)


def test_a_module_already_imported_is_not_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    from waypoint.engine.scheduling.cpsat import _ortools

    marker = object()
    monkeypatch.setitem(sys.modules, "waypoint_present_module", marker)
    _ortools.import_without("json", "waypoint_present_module")
    assert sys.modules["waypoint_present_module"] is marker


def test_an_explanation_cut_short_by_the_limit_is_still_a_conflict(monkeypatch: pytest.MonkeyPatch) -> None:
    from ortools.sat.python import cp_model

    from tests.engine.scheduling.test_solver import deadline_problem
    from waypoint.engine.scheduling import explain_infeasibility

    monkeypatch.setattr(cp_model.CpSolver, "sufficient_assumptions_for_infeasibility", lambda self: list(range(1000)))
    calls = {"n": 0}
    remaining = module._Limit.remaining

    def running_out(self: module._Limit) -> float:
        calls["n"] += 1
        return remaining(self) if calls["n"] <= 2 else 0.0  # time is up once the core is known

    monkeypatch.setattr(module._Limit, "remaining", running_out)
    conflicts = explain_infeasibility(deadline_problem(), work_limit=WORK)
    # the whole core as CP-SAT named it, the pin that is not needed included: nothing dropped
    assert len(conflicts) == 3
    assert sum("must finish by" in c for c in conflicts) == 2


def test_the_rules_stop_once_their_time_is_up() -> None:
    from waypoint.engine.scheduling import best_heuristic_schedule

    result = best_heuristic_schedule(small_roadmap(), time_limit_s=0, rules_limit_s=-1)
    assert result.passes == 1
    assert result.schedule.violations() == []


def test_every_kind_of_link_holds_in_the_model() -> None:
    from ortools.sat.python import cp_model

    from tests.engine.scheduling.helpers import ff, fs, ss
    from waypoint.engine.scheduling.cpsat.model import build_model

    problem = Problem(
        activities=(act("A", 4), act("B", 2), act("C", 3), act("D", 1)),
        links=(ss("A", "C", 1), ff("A", "B", 2), fs("C", "D")),
    )
    built = build_model(problem, objective=Objective.WEIGHTED, horizon=20, tighten=False)
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = WORK
    assert solver.solve(built.model) == cp_model.OPTIMAL
    starts = {a: solver.value(v) for a, v in built.variables.starts.items()}
    schedule = Schedule(problem, starts)
    assert schedule.violations() == []
    # each as early as its link allows: B finishes 2 after A, C starts 1 after A, D after C
    assert starts == {"A": 0, "B": 4, "C": 1, "D": 4}


def test_no_phase_starts_that_would_leave_no_time_for_a_repair() -> None:
    from waypoint.engine.scheduling.cpsat.model import build_model

    problem = money_problem()
    built = build_model(problem, objective=Objective.MAKESPAN, horizon=24, tighten=True, budget_periods={"m": set()})
    search = module._Search(
        problem,
        Objective.MAKESPAN,
        1,
        module._Limit(10.0, None),
        module._Listener(None),
        module._Stopper(None),
        lambda _periods: built,
        periods={"m": set()},
        repair_s=6.0,  # a repair would take longer than what is left after it
    )
    assert search.partial
    assert module._next_phase(search, first=False) is None
    search.repair_s = 0.0
    phase = module._next_phase(search, first=False)
    assert phase is not None and phase.name == "improve" and 0.05 < phase.allowance <= 10.0
