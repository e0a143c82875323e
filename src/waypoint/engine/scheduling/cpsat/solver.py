"""``solve``: warm start, CP-SAT search in phases, and explanations of infeasibility."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from waypoint.engine.scheduling.bounds import LowerBound, makespan_lower_bound
from waypoint.engine.scheduling.cpm import CriticalPath, critical_path
from waypoint.engine.scheduling.cpsat._ortools import cp_model
from waypoint.engine.scheduling.cpsat.model import BuiltModel, build_model
from waypoint.engine.scheduling.heuristic import best_heuristic_schedule, repair
from waypoint.engine.scheduling.model import Problem, Schedule
from waypoint.engine.scheduling.result import Objective, SolveResult, SolveStatus

__all__ = ["Phase", "Progress", "SolveOptions", "explain_infeasibility", "solve"]


@dataclass(frozen=True)
class SolveOptions:
    """What the optimiser adds to plain CP-SAT; ``SolveOptions.plain()`` switches it all off."""

    warm_start: bool = True  # schedule heuristically first, hint CP-SAT with it, bound the horizon
    tighten: bool = True  # critical-path windows for every start
    phases: bool = True  # proving phase, then proving or LNS improvement depending on the gap
    explain: bool = True  # find a minimal conflicting set when infeasible
    bounds: bool = True  # destructive lower bounds on the makespan before the search
    lazy_budgets: bool = True  # on large models, budget caps enter the model once overspent

    @classmethod
    def plain(cls) -> SolveOptions:
        return cls(warm_start=False, tighten=False, phases=False, explain=False, bounds=False, lazy_budgets=False)


@dataclass(frozen=True)
class Progress:
    seconds: float
    objective_value: int
    lower_bound: int


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
#: warm-start sampling time per activity beyond SMALL_PROBLEM activities …
SAMPLING_S_PER_ACTIVITY = 0.004
SMALL_PROBLEM = 50
#: … at most this share of the time limit and 2 s
HEURISTIC_SHARE = 0.1
#: the priority rules (before sampling) start no new rule after this share of the time limit
RULES_SHARE = 0.5
#: the share of the remaining limit the proving phase gets before the gap decides what follows
PROVE_SHARE = 0.4
#: below this relative gap the search keeps trying to prove optimality rather than improve
PROVE_GAP = 0.05
SEED = 0
#: the least time an explanation of infeasibility gets (even when the search took it all)
EXPLAIN_MIN_S = 0.2
#: the destructive lower bounds get at most this share of the time limit and 2 s
BOUND_SHARE = 0.1
#: above this many (activity, capped period) pairs, budget caps are modelled lazily: only the
#: periods the warm start fills to LAZY_FILL of their cap at first, the others once a schedule
#: overspends them (a cap costs CP-SAT several variables per activity that may pay in it)
LAZY_BUDGET_TERMS = 2000
LAZY_FILL = 0.9
#: while some caps are left out, a phase runs at most this share of what it was given before
#: its schedule is checked against them (the next phase then starts from a repaired one)
LAZY_ROUND_SHARE = 0.5


def _prove_parameters(parameters: cp_model.SatParameters) -> None:
    """Two complete searches side by side: clause learning without LP (fast on tight
    cumulative problems) and set-times branching (the classic scheduling search)."""
    parameters.subsolvers.extend(["no_lp", "fixed"])


def _improve_parameters(parameters: cp_model.SatParameters) -> None:
    """One complete search with LP for bounds, the other thread on scheduling LNS moves."""
    parameters.ignore_subsolvers.extend(GENERIC_LNS)


@dataclass(frozen=True)
class Phase:
    """One CP-SAT run within a solve: its name, what it may spend, how CP-SAT is set up."""

    name: str
    allowance: float  # seconds, or deterministic time when the solve is limited by work
    configure: Callable[[cp_model.SatParameters], None] | None = None


class _Limit:
    """What a solve may spend: seconds on the clock, or CP-SAT's deterministic time ("work",
    a count of its search effort that is the same on a fast machine and a slow one)."""

    def __init__(self, seconds: float, work: float | None) -> None:
        self.began = time.perf_counter()
        self.seconds = seconds
        self.work = work
        self.worked = 0.0

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.began

    def remaining(self) -> float:
        if self.work is None:
            return self.seconds - self.elapsed
        return self.work - self.worked

    def share(self, part: float) -> float:
        """``part`` of the whole limit, in its unit."""
        return part * (self.seconds if self.work is None else self.work)

    def apply(self, parameters: cp_model.SatParameters, allowance: float) -> None:
        if self.work is None:
            parameters.max_time_in_seconds = max(0.01, allowance)
        else:
            parameters.max_deterministic_time = max(0.001, allowance)

    def record(self, solver: cp_model.CpSolver) -> None:
        if self.work is None:
            return  # the clock keeps its own count
        # CP-SAT reports the work of all its workers together; the limit holds for each
        self.worked += solver.deterministic_time / max(1, solver.parameters.num_workers)


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


class _Stopper:
    """Stops a running CP-SAT search when ``should_stop`` says so (polled by a thread)."""

    POLL_S = 0.25

    def __init__(self, should_stop: Callable[[], bool] | None) -> None:
        self.should_stop = should_stop
        self.solver: cp_model.CpSolver | None = None
        self.stopped = False
        self._done = threading.Event()
        if should_stop is not None:
            threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        while not self._done.wait(self.POLL_S):
            self.check()

    def check(self) -> None:
        """Ask once; stop the running search if told to."""
        if self.should_stop is not None and self.should_stop():
            self.stopped = True
            if self.solver is not None:
                self.solver.stop_search()

    def close(self) -> None:
        self._done.set()


@dataclass
class _Search:
    """One solve's CP-SAT side: the model, what it may spend, and the best schedule so far.

    With lazy budgets, ``periods`` are the capped budget periods in the model (by budget
    id); a schedule that overspends another one brings it in, and the model is rebuilt
    before the next phase.
    """

    problem: Problem
    goal: Objective
    workers: int
    limit: _Limit
    listener: _Listener
    stopper: _Stopper
    build: Callable[[dict[str, set[int]] | None], BuiltModel]
    periods: dict[str, set[int]] | None = None
    #: what repairing an overspending schedule takes (kept free at the end of the limit)
    repair_s: float = 0.0
    best: Schedule | None = None
    best_value: int | None = None
    bound: int | None = None
    proven: bool = False
    infeasible: bool = False
    #: the last phase's schedule overspent a cap left out of the model
    caught: bool = False
    built: BuiltModel = field(init=False)

    def __post_init__(self) -> None:
        self.built = self.build(self.periods)

    @property
    def partial(self) -> bool:
        """Some capped budget periods are not in the model yet."""
        return self.periods is not None and self.periods != _all_periods(self.problem)

    def take(self, status: cp_model.CpSolverStatus, solver: cp_model.CpSolver) -> None:
        """Keep what a phase found: a better (or equal) schedule, the bound, a proof."""
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            schedule = Schedule(self.problem, {a: solver.value(v) for a, v in self.built.variables.starts.items()})
            value = round(solver.objective_value)
            # a bound of the model without some caps still bounds the problem with them
            self.bound = max(self.bound or 0, round(solver.best_objective_bound))
            overspent = _overspent(schedule)
            self.caught = bool(overspent)
            if overspent:
                self._bring_in(overspent)
                schedule = repair(schedule)
                if schedule.violations():
                    return
                value = _value(schedule, self.goal)
            elif self.best_value is None or value <= self.best_value:
                self.proven = status == cp_model.OPTIMAL
            if self.best_value is None or value <= self.best_value:
                self.best_value = value
                self.best = schedule
        elif status == cp_model.INFEASIBLE:
            # a warm start always fits its own horizon, so only a problem without one gets here
            self.infeasible = True

    def _bring_in(self, overspent: dict[str, set[int]]) -> None:
        assert self.periods is not None  # a model with every cap is never overspent
        for budget_id, periods in overspent.items():
            self.periods.setdefault(budget_id, set()).update(periods)
        self.built = self.build(self.periods)

    def gap(self) -> float:
        return (self.best_value - (self.bound or 0)) / self.best_value if self.best_value else 1.0


def _all_periods(problem: Problem) -> dict[str, set[int]]:
    return {b.id: set(b.caps) for b in problem.budgets if b.caps}


def _overspent(schedule: Schedule) -> dict[str, set[int]]:
    """The budget periods whose cap ``schedule`` breaks, by budget id."""
    found: dict[str, set[int]] = {}
    for budget in schedule.problem.budgets:
        for period, spent in schedule.spend(budget).items():
            cap = budget.caps.get(period)
            if cap is not None and spent > cap:
                found.setdefault(budget.id, set()).add(period)
    return found


def _lazy_periods(problem: Problem, warm: Schedule | None, horizon: int) -> dict[str, set[int]] | None:
    """The capped periods to model at first when the budgets are large enough to be modelled
    lazily (those the warm start fills to ``LAZY_FILL`` of their cap), else ``None`` (all)."""
    if warm is None:
        return None
    terms = 0
    for budget in problem.budgets:
        payers = sum(1 for a in problem.activities if a.costs.get(budget.id, 0))
        terms += payers * sum(1 for period in budget.caps if period * budget.period < horizon)
    if terms <= LAZY_BUDGET_TERMS:
        return None
    periods: dict[str, set[int]] = {}
    for budget in problem.budgets:
        spent = warm.spend(budget)
        periods[budget.id] = {k for k, cap in budget.caps.items() if spent.get(k, 0) >= LAZY_FILL * cap}
    return periods


def _run(search: _Search, phase: Phase) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
    """One CP-SAT run from the best schedule so far (as a hint)."""
    solver = cp_model.CpSolver()
    if search.stopper.stopped:
        return cp_model.UNKNOWN, solver
    search.built.variables.hint(search.built.model, search.best.starts if search.best is not None else None)
    search.limit.apply(solver.parameters, phase.allowance)
    solver.parameters.num_workers = search.workers
    solver.parameters.random_seed = SEED
    if phase.configure is not None:
        phase.configure(solver.parameters)
    search.stopper.solver = solver
    # a callback only when someone listens: CP-SAT calls it from its own threads
    listener = search.listener if search.listener.on_progress is not None else None
    status = solver.solve(search.built.model, listener)
    search.stopper.solver = None
    search.limit.record(solver)
    return status, solver


def _next_phase(search: _Search, first: bool) -> Phase | None:
    """A proving phase first; then keep proving when close to the bound, otherwise improve
    with LNS; none once settled. While some budget caps are left out of the model, a phase
    gets only part of its time at first and after a schedule overspent, so that the next
    overspending schedule is caught early and repaired."""
    if search.proven or search.infeasible or search.stopper.stopped or search.limit.remaining() <= 0.05:
        return None
    remaining = search.limit.remaining()
    if first:
        phase = Phase("prove", remaining * PROVE_SHARE, _prove_parameters)
    elif search.gap() <= PROVE_GAP:
        phase = Phase("prove", remaining, _prove_parameters)
    else:
        phase = Phase("improve", remaining, _improve_parameters)
    if search.partial:
        share = LAZY_ROUND_SHARE if first or search.caught else 1.0
        # a schedule that overspends at the end is repaired within the limit
        reserve = 2 * search.repair_s if search.limit.work is None else 0.0
        phase = replace(phase, allowance=min(phase.allowance * share, remaining - reserve))
    return phase if phase.allowance > 0.05 or not search.partial else None


def solve(
    problem: Problem,
    *,
    objective: Objective | str = Objective.MAKESPAN,
    time_limit_s: float = 10.0,
    work_limit: float | None = None,
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
        work_limit: limit the search by CP-SAT's deterministic time instead of the clock, so
            that it does the same work on any machine (tests and reproducible comparisons);
            the warm start then runs its priority rules without timed sampling, and
            ``time_limit_s`` is not used.
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
    limit = _Limit(time_limit_s, work_limit)
    stopper = _Stopper(should_stop)
    try:
        return _solve(problem, goal, options, limit, workers, _Listener(on_progress), stopper)
    finally:
        stopper.close()


def _warm_start(problem: Problem, goal: Objective, limit: _Limit, stopper: _Stopper) -> _Warm:
    """The best priority-rule schedule; sampling around it pays on large problems only (on
    small ones CP-SAT's own search is faster), and never when the limit is work. On the
    clock, the rules stop once half the limit is gone."""
    sampling = SAMPLING_S_PER_ACTIVITY * max(0, len(problem.activities) - SMALL_PROBLEM)
    seconds = 0.0 if limit.work is not None else min(2.0, limit.share(HEURISTIC_SHARE), sampling)
    found = best_heuristic_schedule(
        problem,
        objective=goal.value,
        time_limit_s=seconds,
        seed=SEED,
        stop=lambda: stopper.stopped,
        rules_limit_s=None if limit.work is not None else limit.share(RULES_SHARE),
    )
    schedule = None if found.schedule.violations() else found.schedule
    return _Warm(schedule, found.seconds / max(1, found.passes))


@dataclass(frozen=True)
class _Warm:
    """The warm start, and how long one pass of the heuristic took (what repairing an
    overspending schedule will take)."""

    schedule: Schedule | None
    pass_s: float


def _known_bound(
    problem: Problem, goal: Objective, cpm: CriticalPath, warm: Schedule | None, options: SolveOptions, limit: _Limit
) -> LowerBound:
    """What no schedule can beat before any search: the links alone, and for the makespan
    the destructive energy tests up to the warm start (their time is counted in the limit)."""
    if goal is Objective.WEIGHTED:
        value = sum(a.weight * cpm.earliest_finish(problem, a.id) for a in problem.activities)
        return LowerBound(value, "critical path")
    if not options.bounds or warm is None:
        return LowerBound(cpm.project_end, "critical path")
    seconds = min(2.0, limit.share(BOUND_SHARE)) if limit.work is None else 2.0
    return makespan_lower_bound(problem, upper=warm.makespan, cpm=cpm, time_limit_s=seconds)


def _solve(
    problem: Problem,
    goal: Objective,
    options: SolveOptions,
    limit: _Limit,
    workers: int,
    listener: _Listener,
    stopper: _Stopper,
) -> SolveResult:
    warm = _warm_start(problem, goal, limit, stopper) if options.warm_start else _Warm(None, 0.0)
    heuristic = warm.schedule
    horizon = problem.trivial_horizon()
    if heuristic is not None:
        horizon = heuristic.makespan if goal is Objective.MAKESPAN else max(horizon, heuristic.makespan)
    heuristic_value = _value(heuristic, goal) if heuristic is not None else None
    known = _known_bound(problem, goal, critical_path(problem), heuristic, options, limit)

    def build(periods: dict[str, set[int]] | None) -> BuiltModel:
        return build_model(
            problem,
            objective=goal,
            horizon=horizon,
            tighten=options.tighten,
            redundant=False,
            set_times=options.phases,
            budget_periods=periods,
            lower_bound=known.value if goal is Objective.MAKESPAN else 0,
        )

    if heuristic is not None and heuristic_value is not None and heuristic_value <= known.value:
        # the warm start meets the bound: nothing to search for
        return SolveResult(
            SolveStatus.OPTIMAL,
            goal,
            heuristic,
            heuristic_value,
            heuristic_value,
            limit.elapsed,
            heuristic_value=heuristic_value,
            stopped=stopper.stopped,
            bound_reason=known.reason,
        )
    periods = _lazy_periods(problem, heuristic, horizon) if options.lazy_budgets else None
    search = _Search(
        problem, goal, workers, limit, listener, stopper, build, periods, warm.pass_s, heuristic, heuristic_value
    )
    if options.phases:
        first = True
        while (phase := _next_phase(search, first)) is not None:
            _take(search, phase)
            first = False
    else:
        _take(search, Phase("plain", limit.remaining()))
    if search.best is not None and search.best_value is not None:
        bound, reason = known.value, known.reason
        if (search.bound or 0) > bound:
            bound, reason = search.bound or 0, "CP-SAT"
        proven = search.proven or bound >= search.best_value
        return SolveResult(
            SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE,
            goal,
            search.best,
            search.best_value,
            min(bound, search.best_value),
            limit.elapsed,
            heuristic_value=heuristic_value,
            stopped=stopper.stopped,
            bound_reason=reason,
        )
    if search.infeasible:
        conflicts = []
        if options.explain:
            # on the clock, within what is left of the limit (infeasibility is usually proven
            # early); by work, with half the work again (reproducible in tests)
            conflicts = explain_infeasibility(
                problem,
                time_limit_s=max(EXPLAIN_MIN_S, limit.remaining()) if limit.work is None else 0.0,
                work_limit=None if limit.work is None else max(1.0, limit.work / 2),
                workers=workers,
            )
        return SolveResult(
            SolveStatus.INFEASIBLE, goal, None, None, None, limit.elapsed, conflicts=conflicts, stopped=stopper.stopped
        )
    return SolveResult(SolveStatus.NO_SOLUTION, goal, None, None, None, limit.elapsed, stopped=stopper.stopped)


def _take(search: _Search, phase: Phase) -> None:
    search.take(*_run(search, phase))


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


def explain_infeasibility(
    problem: Problem, *, time_limit_s: float = 10.0, work_limit: float | None = None, workers: int = 2
) -> list[str]:
    """A minimal set of deadlines, pins and budget caps that cannot all hold together.

    Each of those constraints is guarded by an assumption literal. CP-SAT names a set of
    assumptions that is enough for infeasibility; we then drop members one at a time while the
    rest stays infeasible, so every constraint reported is needed for the conflict. (Without
    them a problem is always feasible: the horizon leaves room for every release, capacity
    change and capped budget period.)

    Parameters:
        work_limit: as for :func:`solve`, CP-SAT's deterministic time instead of the clock.

    Returns:
        Sentences for the conflicting constraints (all needed for the conflict, unless the
        time ran out while dropping members); a single sentence when the time ran out
        before the conflict was pinned down.
    """
    limit = _Limit(time_limit_s, work_limit)
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
        limit.apply(solver.parameters, max(0.2 if limit.work is None else 0.001, limit.remaining()))
        status = solver.solve(built.model)
        limit.record(solver)
        return status, solver

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
        if limit.remaining() <= 0:
            break  # out of time: what is left is still a conflict, perhaps not a minimal one
        trial = [m for m in needed if m != member]
        if solve_with(trial, workers)[0] == cp_model.INFEASIBLE:
            needed = trial
    return [built.guards[i].description for i in needed]
