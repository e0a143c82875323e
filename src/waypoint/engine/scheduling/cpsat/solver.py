"""``solve``: warm start, strengthened CP-SAT search, and explanations of infeasibility."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from waypoint.engine.scheduling.cpm import critical_path
from waypoint.engine.scheduling.cpsat.model import BuiltModel, build_model
from waypoint.engine.scheduling.heuristic import best_heuristic_schedule
from waypoint.engine.scheduling.model import Problem, Schedule
from waypoint.engine.scheduling.result import Objective, SolveResult, SolveStatus

__all__ = ["Progress", "SolveOptions", "solve"]


@dataclass(frozen=True)
class SolveOptions:
    """What the optimiser adds to plain CP-SAT; ``SolveOptions.plain()`` switches it all off."""

    warm_start: bool = True  # schedule heuristically first, hint CP-SAT with it, bound the horizon
    tighten: bool = True  # critical-path windows for every start
    strengthen: bool = False  # stronger cumulative propagation (only without phases)
    redundant: bool = False  # implied no-overlap constraints for activities needing over half a resource
    phases: bool = True  # proving phase, then proving or LNS improvement depending on the gap
    prove_share: float = 0.4  # part of the remaining time the proving phase gets first …
    prove_cap_s: float = 1e9  # … but at most this long before the gap decides
    lns_only: bool = False  # improving phase: both threads on LNS (no bound proving)
    heuristic_share: float = 0.1  # part of the time limit given to the heuristic (at most 2 s)
    explain: bool = True  # find a minimal conflicting set when infeasible
    seed: int = 0
    log: bool = False

    @classmethod
    def plain(cls) -> SolveOptions:
        return cls(warm_start=False, tighten=False, strengthen=False, redundant=False, phases=False, explain=False)


@dataclass(frozen=True)
class Progress:
    seconds: float
    objective_value: int
    lower_bound: int


class _Listener(cp_model.CpSolverSolutionCallback):
    """Reports each better schedule as it is found."""

    def __init__(self, on_progress: Callable[[Progress], None] | None) -> None:
        super().__init__()
        self.on_progress = on_progress
        self.began = time.perf_counter()

    def on_solution_callback(self) -> None:
        # runs on a CP-SAT thread, which the coverage tracer does not follow;
        # test_progress_reports_each_better_schedule checks it
        if self.on_progress is not None:  # pragma: no cover
            elapsed = time.perf_counter() - self.began
            self.on_progress(Progress(elapsed, round(self.objective_value), round(self.best_objective_bound)))


#: CP-SAT's generic LNS moves; on scheduling models they rarely improve anything and take
#: search time away from the scheduling-specific ones (benchmarks/schedule.py measured it)
GENERIC_LNS = (
    "graph_arc_lns",
    "graph_cst_lns",
    "graph_dec_lns",
    "graph_var_lns",
    "rnd_cst_lns",
    "rnd_var_lns",
    "feasibility_pump",
    "ls",
)
#: warm-start sampling time per activity beyond SMALL_PROBLEM activities (at most 2 s in all)
SAMPLING_S_PER_ACTIVITY = 0.004
SMALL_PROBLEM = 50
#: below this relative gap the search keeps trying to prove optimality rather than improve
PROVE_GAP = 0.05


def _prove_parameters(parameters: cp_model.SatParameters) -> None:
    """Two complete searches side by side: clause learning without LP (fast on tight
    cumulative problems) and set-times branching (the classic scheduling search)."""
    parameters.subsolvers.extend(["no_lp", "fixed"])


def _improve_parameters(parameters: cp_model.SatParameters) -> None:
    """One complete search with LP for bounds, the other thread on scheduling LNS moves."""
    parameters.ignore_subsolvers.extend(GENERIC_LNS)


def _lns_parameters(parameters: cp_model.SatParameters) -> None:
    """Both threads on scheduling LNS moves from the incumbent."""
    _improve_parameters(parameters)
    parameters.use_lns_only = True


class _Stopper:
    """Stops a running CP-SAT search from another thread when asked, or when told to."""

    def __init__(self, should_stop: Callable[[], bool] | None) -> None:
        self.should_stop = should_stop
        self.solver: cp_model.CpSolver | None = None
        self.stopped = False
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        if should_stop is not None:
            self._thread = threading.Thread(target=self._watch, daemon=True)
            self._thread.start()

    def _watch(self) -> None:
        while not self._done.wait(0.25):
            if self.should_stop is not None and self.should_stop():
                self.stopped = True
                if self.solver is not None:
                    self.solver.stop_search()

    def close(self) -> None:
        self._done.set()


def _run(
    built: BuiltModel,
    seconds: float,
    workers: int,
    seed: int,
    log: bool,
    configure: Callable[[cp_model.SatParameters], None] | None,
    hint: dict[str, int] | None,
    listener: _Listener,
    stopper: _Stopper,
) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
    solver = cp_model.CpSolver()
    if stopper.stopped:
        return cp_model.UNKNOWN, solver
    built.model.clear_hints()  # type: ignore[no-untyped-call]
    if hint:
        for activity_id, start in hint.items():
            built.model.add_hint(built.starts[activity_id], start)
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.log_search_progress = log
    if configure is not None:
        configure(solver.parameters)
    stopper.solver = solver
    # a callback only when someone listens: CP-SAT calls it from its own threads
    status = solver.solve(built.model, listener if listener.on_progress is not None else None)
    stopper.solver = None
    return status, solver


def solve(
    problem: Problem,
    *,
    objective: Objective | str = Objective.MAKESPAN,
    time_limit_s: float = 10.0,
    workers: int = 2,
    options: SolveOptions | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> SolveResult:
    """Find the best schedule within ``time_limit_s``.

    The search runs in phases. A priority-rule warm start bounds the horizon and hints
    CP-SAT. A proving phase (two complete searches) settles small and tight problems. If the
    gap is still wide after it, an improving phase hands one thread to scheduling LNS moves
    from the best schedule so far. ``SolveOptions.plain()`` is a single run of CP-SAT with its
    default parameters, for comparison.

    Parameters:
        objective: ``makespan`` (finish everything as early as possible) or ``weighted``
            (minimise the sum of priority weight × finish, so valuable results come first).
        workers: CP-SAT search workers (threads).
        on_progress: called with each better schedule found.
        should_stop: polled four times a second; returning True stops the search (the best
            schedule so far is returned).

    Returns:
        A :class:`SolveResult`: status, schedule, objective value and best lower bound; for an
        infeasible problem, the conflicting deadlines, pins and budget caps in words.
    """
    options = options or SolveOptions()
    goal = Objective(objective)
    began = time.perf_counter()
    stopper = _Stopper(should_stop)
    try:
        return _solve(problem, goal, time_limit_s, workers, options, on_progress, stopper, began)
    finally:
        stopper.close()


def _solve(
    problem: Problem,
    goal: Objective,
    time_limit_s: float,
    workers: int,
    options: SolveOptions,
    on_progress: Callable[[Progress], None] | None,
    stopper: _Stopper,
    began: float,
) -> SolveResult:
    def remaining() -> float:
        return time_limit_s - (time.perf_counter() - began)

    heuristic: Schedule | None = None
    horizon = problem.trivial_horizon()
    if options.warm_start:
        # sampling pays on large problems only; on small ones CP-SAT's own search is faster
        sampling = SAMPLING_S_PER_ACTIVITY * max(0, len(problem.activities) - SMALL_PROBLEM)
        share = min(2.0, time_limit_s * options.heuristic_share, sampling)
        heuristic = best_heuristic_schedule(
            problem, objective=goal.value, time_limit_s=share, seed=options.seed, stop=lambda: stopper.stopped
        ).schedule
        if heuristic.violations():
            heuristic = None
        elif goal is Objective.MAKESPAN:
            horizon = heuristic.makespan
        else:
            horizon = max(horizon, heuristic.makespan)
    heuristic_value = _value(heuristic, goal) if heuristic is not None else None
    built = build_model(
        problem,
        objective=goal,
        horizon=horizon,
        tighten=options.tighten,
        redundant=options.redundant,
        set_times=options.phases,
    )
    listener = _Listener(on_progress)
    hint = dict(heuristic.starts) if heuristic is not None else None
    best_schedule: Schedule | None = heuristic
    best_value = heuristic_value
    bound: int | None = None
    proven = infeasible = False
    phases: list[tuple[float, Callable[[cp_model.SatParameters], None] | None]]
    if not options.phases:
        phases = [(remaining(), _strengthen if options.strengthen else None)]
    else:
        phases = [(min(options.prove_cap_s, remaining() * options.prove_share), _prove_parameters), (0.0, None)]
    for number, (seconds, configure) in enumerate(phases):
        if number == 1:
            # second phase: keep proving when close, otherwise improve with LNS
            if proven or infeasible or stopper.stopped or remaining() <= 0.05:
                break
            gap = (best_value - (bound or 0)) / best_value if best_value else 1.0
            configure = (
                _prove_parameters
                if gap <= PROVE_GAP
                else (_lns_parameters if options.lns_only else _improve_parameters)
            )
            seconds = remaining()
        status, solver = _run(built, seconds, workers, options.seed, options.log, configure, hint, listener, stopper)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            value = round(solver.objective_value)
            if best_value is None or value <= best_value:
                best_value = value
                best_schedule = Schedule(problem, {a: solver.value(v) for a, v in built.starts.items()})
                hint = dict(best_schedule.starts)
            bound = max(bound or 0, round(solver.best_objective_bound))
            proven = status == cp_model.OPTIMAL
        elif status == cp_model.INFEASIBLE:
            # a warm start always fits its own horizon, so only a problem without one gets here
            infeasible = True
    seconds_used = time.perf_counter() - began
    if best_schedule is not None and best_value is not None:
        # the links alone give a bound whatever resources and budgets add
        cpm = critical_path(problem)
        if goal is Objective.MAKESPAN:
            links_bound = cpm.project_end
        else:
            links_bound = sum(a.weight * cpm.earliest_finish(problem, a.id) for a in problem.activities)
        bound = max(bound or 0, links_bound)
        if bound is not None and bound >= best_value:
            proven = True
        return SolveResult(
            SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE,
            goal,
            best_schedule,
            best_value,
            min(bound, best_value) if bound is not None else None,
            seconds_used,
            heuristic_value=heuristic_value,
        )
    if infeasible:
        conflicts = (
            explain_infeasibility(problem, time_limit_s=max(1.0, time_limit_s / 2), workers=workers)
            if options.explain
            else []
        )
        return SolveResult(
            SolveStatus.INFEASIBLE, goal, None, None, None, time.perf_counter() - began, conflicts=conflicts
        )
    return SolveResult(SolveStatus.NO_SOLUTION, goal, None, None, None, seconds_used)


def _strengthen(parameters: cp_model.SatParameters) -> None:
    """Stronger cumulative propagation (used when phases are off)."""
    parameters.use_overload_checker_in_cumulative = True
    parameters.use_timetable_edge_finding_in_cumulative = True


def _value(schedule: Schedule, goal: Objective) -> int:
    return schedule.makespan if goal is Objective.MAKESPAN else schedule.weighted_completion


def _descriptions(problem: Problem) -> dict[str, str]:
    words: dict[str, str] = {}
    for activity in problem.activities:
        label = problem.label(activity.id)
        if activity.deadline is not None:
            words[f"deadline:{activity.id}"] = f"{label} must finish by {_when(problem, activity.deadline)}"
        if activity.pinned_start is not None:
            words[f"pin:{activity.id}"] = f"{label} is pinned to start at {_when(problem, activity.pinned_start)}"
    for budget in problem.budgets:
        name = budget.name or budget.id
        for period, cap in budget.caps.items():
            first = period * budget.period
            words[f"budget:{budget.id}:{period}"] = (
                f"the {name} cap of {cap:,} for {_when(problem, first)} to {_when(problem, first + budget.period)}"
                if problem.start is None
                else f"the {name} cap of {cap:,} for the period starting {_when(problem, first)}"
            )
    return words


def _when(problem: Problem, units: int) -> str:
    if problem.start is None:
        return f"{problem.granularity.value} {units}"
    return problem.granularity.date_at(problem.start, units).isoformat()


def explain_infeasibility(problem: Problem, *, time_limit_s: float = 10.0, workers: int = 2) -> list[str]:
    """A minimal set of deadlines, pins and budget caps that cannot all hold together.

    Each of those constraints is guarded by an assumption literal. CP-SAT names a set of
    assumptions that is enough for infeasibility; we then drop members one at a time while the
    rest stays infeasible, so every constraint reported is needed for the conflict. (Without
    them a problem is always feasible: the horizon leaves room for every release, capacity
    change and capped budget period.)

    Returns:
        Sentences for the conflicting constraints; a single sentence when the time ran out
        before the conflict was pinned down.
    """
    began = time.perf_counter()
    words = _descriptions(problem)
    built = build_model(
        problem,
        objective=Objective.MAKESPAN,
        horizon=problem.trivial_horizon(),
        tighten=True,
        explainable=True,
        describe=words,
    )
    built.model.clear_objective()  # type: ignore[no-untyped-call]
    literals = [guard.literal for guard in built.guards]

    def solve_with(active: list[int], threads: int) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
        built.model.clear_assumptions()
        built.model.add_assumptions([literals[i] for i in active])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = threads
        solver.parameters.max_time_in_seconds = max(0.2, time_limit_s - (time.perf_counter() - began))
        return solver.solve(built.model), solver

    if solve_with([], workers)[0] == cp_model.INFEASIBLE:
        return [
            "The links, release dates and team capacities cannot all be met, whatever the deadlines, pins and "
            "budget caps: check where a team's capacity falls to zero."
        ]
    # assumption cores come from the single-thread search
    status, solver = solve_with(list(range(len(literals))), 1)
    if status != cp_model.INFEASIBLE:
        return ["No conflict was pinned down in time; try a longer time limit."]
    index = {guard.literal.index: i for i, guard in enumerate(built.guards)}
    needed = sorted(index[k] for k in solver.sufficient_assumptions_for_infeasibility() if k in index)
    for member in list(needed):
        trial = [m for m in needed if m != member]
        if solve_with(trial, workers)[0] == cp_model.INFEASIBLE:
            needed = trial
    return [built.guards[i].description for i in needed]
