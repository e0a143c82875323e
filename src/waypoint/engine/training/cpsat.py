"""The CP-SAT training allocation. OR-Tools is imported here and nowhere else in the training
engine.

*The model.* Officers of one unit are interchangeable as far as seats, budgets and continuity
go, so the model decides *who takes which course* per officer and *how many of a unit's
officers sit in each session* per unit, instead of one variable per officer and session (which
has a great many symmetric solutions and grows with officers × sessions):

- ``z[o, k]``: officer ``o`` takes course ``k`` (only courses that close some gap of theirs);
- ``y[o, c, l]``: officer ``o`` reaches level ``l`` of competency ``c``, one per level between
  the assessed and the required one that some of their candidate courses reaches;
  ``y[o, c, l] ≤ Σ z[o, k]`` over the courses reaching ``l``, so a level counts once however
  many courses reach it; the value is Σ weight × y, the weighted levels closed;
- ``n[u, s]``: officers of unit ``u`` in session ``s``; for every unit and course, the unit's
  places in the course's sessions add up to its officers taking the course.

Seats bound Σ n per session, the budget Σ cost × n per year, continuity Σ n over the sessions
under way on each day a session starts, per unit (the most people are away on one of those
days). Each unit's officers are then placed into its places, session by session, one session
at a time per officer (which the model leaves aside; a course that cannot be placed is
dropped).

*The search.* A whole workforce of thousands is too large a model to improve in seconds, so
the optimiser works on neighbourhoods (large neighbourhood search): it frees every officer of a
few units chosen at random (about ``neighbourhood`` officers), keeps everybody else's training
as it is, and has CP-SAT find the best training for the freed officers within the money,
seats and days the others leave, with the freed officers' present plan as the hint and its
value as the floor. The objective is the value first, then the money saved, so a neighbourhood
that cannot do better can still free money for the next one. After each sweep over the units
the money left is filled greedily. A workforce no larger than one neighbourhood is solved as a
whole, and its plan may be proven optimal.

The search starts from the greedy plan (pruned of courses that close nothing the officer's
other courses do not, and refilled), accepts only changes that close more gap or close as much
for less money, and so never returns anything worse than the greedy plan.
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from waypoint.engine.training.allocation import (
    Assignment,
    Problem,
    Progress,
    Result,
    Session,
    Status,
    days_covered,
    plan_cost,
    plan_value,
)
from waypoint.engine.training.greedy import Ledger, greedy_fill, greedy_plan

__all__ = ["prune", "solve"]

SEED = 0
#: about how many officers one step of the search frees
NEIGHBOURHOOD = 40
#: what one step may spend: seconds, or deterministic time under a work limit
SLICE_S = 0.5
SLICE_WORK = 0.5
#: the most one unit's placement may take
PLACING_S = 1.0
PLACING_WORK = 0.2


class _Stopper:
    """Stops the running search when ``should_stop`` says so (polled by a thread of its own)."""

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
        if self.should_stop is not None and self.should_stop():
            self.stopped = True
            if self.solver is not None:
                self.solver.stop_search()

    def close(self) -> None:
        self._done.set()


def prune(problem: Problem, assignments: list[Assignment]) -> list[Assignment]:
    """The plan without the assignments that close nothing the officer's other courses do not
    (dearest first): the same value for less money."""
    sessions, courses = problem.session_by_id, problem.course_by_id
    by_officer: dict[str, list[Assignment]] = defaultdict(list)
    for row in assignments:
        by_officer[row[0]].append(row)
    kept: list[Assignment] = []
    for rows in by_officer.values():
        rows.sort(key=lambda row: -courses[sessions[row[1]].course].cost)
        for row in list(rows):
            rest = [other for other in rows if other != row]
            if plan_value(problem, rest) == plan_value(problem, rows):
                rows = rest
        kept.extend(rows)
    order = {row: i for i, row in enumerate(assignments)}
    return sorted(kept, key=order.__getitem__)


@dataclass
class _Plan:
    """The plan being improved: each officer's sessions."""

    problem: Problem
    by_officer: dict[str, list[str]]

    @classmethod
    def of(cls, problem: Problem, assignments: list[Assignment]) -> _Plan:
        by_officer: dict[str, list[str]] = defaultdict(list)
        for officer_id, session_id in assignments:
            by_officer[officer_id].append(session_id)
        return cls(problem, by_officer)

    def assignments(self, officers: Iterable[str] | None = None) -> list[Assignment]:
        wanted = self.by_officer if officers is None else officers
        return [(o, s) for o in wanted for s in self.by_officer.get(o, [])]

    def value(self, officers: Iterable[str] | None = None) -> int:
        return plan_value(self.problem, self.assignments(officers))

    def spent(self, officers: Iterable[str] | None = None) -> int:
        return sum(plan_cost(self.problem, self.assignments(officers)).values())


class _Budget:
    """What the search may still spend: seconds on the clock, or CP-SAT's deterministic time."""

    def __init__(self, seconds: float, work: float | None) -> None:
        self.began = time.perf_counter()
        self.seconds = seconds
        self.work = work
        self.worked = 0.0

    def remaining(self) -> float:
        if self.work is None:
            return self.seconds - (time.perf_counter() - self.began)
        return self.work - self.worked

    def apply(self, parameters: cp_model.SatParameters, allowance: float) -> None:
        if self.work is None:
            parameters.max_time_in_seconds = max(0.05, allowance)
        else:
            parameters.max_deterministic_time = max(0.01, allowance)

    def record(self, solver: cp_model.CpSolver) -> None:
        if self.work is not None:
            self.worked += solver.deterministic_time / max(1, solver.parameters.num_workers)


def solve(
    problem: Problem,
    *,
    time_limit_s: float = 30.0,
    work_limit: float | None = None,
    workers: int = 2,
    neighbourhood: int = NEIGHBOURHOOD,
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Result:
    """The allocation that closes the most weighted gap within the rules, starting from the
    greedy plan and never worse than it.

    Parameters:
        time_limit_s: the search's limit in seconds.
        work_limit: limit the search by CP-SAT's deterministic time instead of the clock, so
            that it does the same work on any machine (tests); ``time_limit_s`` is then unused.
        workers: CP-SAT search workers (threads).
        neighbourhood: about how many officers each step frees (whole units).
        on_progress: called with each better plan found.
        should_stop: polled four times a second; True stops the search (the best plan so far
            is returned).
    """
    began = time.perf_counter()
    greedy = greedy_plan(problem)
    greedy_value = plan_value(problem, greedy)
    greedy_cost = plan_cost(problem, greedy)
    bound = problem.total_gap()
    offered = {s.course for s in problem.sessions if s.seats > 0}
    if not any(problem.gain(o, c) for o in problem.officers for c in problem.courses if c.id in offered):
        return Result(Status.EMPTY, (), 0, greedy_cost, 0, 0, greedy_cost, time.perf_counter() - began)
    limit = _Budget(time_limit_s, work_limit)
    stopper = _Stopper(should_stop)
    plan = _Plan.of(problem, _refilled(problem, prune(problem, greedy)))
    if plan.value() < greedy_value:  # pragma: no cover - pruning keeps the value and filling only adds
        plan = _Plan.of(problem, greedy)
    proven = False
    try:
        proven, bound = _search(problem, plan, limit, workers, neighbourhood, stopper, on_progress, began, bound)
    finally:
        stopper.close()
    best = plan.assignments()
    value = plan.value()
    cost = plan_cost(problem, best)
    better = value > greedy_value or (value == greedy_value and sum(cost.values()) < sum(greedy_cost.values()))
    if not better:
        best, value, cost = list(greedy), greedy_value, greedy_cost
    status = Status.OPTIMAL if proven else Status.FEASIBLE if better else Status.GREEDY
    return Result(
        status,
        tuple(best),
        value,
        cost,
        max(bound, value),
        greedy_value,
        greedy_cost,
        time.perf_counter() - began,
        stopped=stopper.stopped,
    )


def _refilled(problem: Problem, assignments: list[Assignment]) -> list[Assignment]:
    ledger = Ledger(problem)
    sessions = problem.session_by_id
    for officer_id, session_id in assignments:
        ledger.take(officer_id, sessions[session_id])
    plan = list(assignments)
    greedy_fill(problem, ledger, plan)
    return plan


def _search(
    problem: Problem,
    plan: _Plan,
    limit: _Budget,
    workers: int,
    neighbourhood: int,
    stopper: _Stopper,
    on_progress: Callable[[Progress], None] | None,
    began: float,
    bound: int,
) -> tuple[bool, int]:
    """Improve ``plan`` in place, neighbourhood by neighbourhood, until the limit, a stop, or
    two sweeps that change nothing. Returns whether the plan is proven optimal, and the bound."""
    rng = random.Random(SEED)
    staff: dict[str, list[str]] = defaultdict(list)
    for officer in problem.officers:
        staff[officer.unit].append(officer.id)
    units = sorted(staff)
    whole = len(problem.officers) <= neighbourhood
    quiet_sweeps = 0
    while limit.remaining() > 0.05 and not stopper.stopped and quiet_sweeps < 2:
        order = list(units)
        if not whole:
            rng.shuffle(order)
        changed = False
        while order and limit.remaining() > 0.05 and not stopper.stopped:
            chosen: list[str] = []
            while order and (whole or len(chosen) < neighbourhood):
                chosen.extend(staff[order.pop()])
            slice_ = (
                limit.remaining() if whole else min(limit.remaining(), SLICE_S if limit.work is None else SLICE_WORK)
            )
            outcome = _improve(problem, plan, chosen, limit, slice_, workers, stopper)
            if outcome is None:
                continue
            improved, proven, sub_bound = outcome
            if whole:
                bound = min(bound, sub_bound)
                if proven:
                    return True, bound
            if improved:
                changed = True
                if on_progress is not None:
                    on_progress(Progress(time.perf_counter() - began, plan.value(), bound))
        before = (plan.value(), -plan.spent())
        filled = _refilled(problem, plan.assignments())
        plan.by_officer = _Plan.of(problem, filled).by_officer
        changed = changed or (plan.value(), -plan.spent()) != before
        quiet_sweeps = 0 if changed else quiet_sweeps + 1
    return False, bound


def _improve(
    problem: Problem,
    plan: _Plan,
    chosen: list[str],
    limit: _Budget,
    allowance: float,
    workers: int,
    stopper: _Stopper,
) -> tuple[bool, bool, int] | None:
    """Re-plan the officers ``chosen`` with everybody else's training fixed; keep the result if
    it closes more gap, or as much for less money. Returns (improved, proven optimal for the
    neighbourhood, its bound), or None when CP-SAT found nothing."""
    freed = set(chosen)
    fixed = [(o, s) for o, s in plan.assignments() if o not in freed]
    model = _Model(problem, chosen, fixed)
    if not model.z:
        return None
    now_value, now_spent = plan.value(chosen), plan.spent(chosen)
    model.start_from(plan.assignments(chosen), now_value)
    solver = cp_model.CpSolver()
    limit.apply(solver.parameters, allowance)
    _configure(solver.parameters, workers)
    stopper.solver = solver
    stopper.check()
    status = cp_model.UNKNOWN if stopper.stopped else solver.solve(model.model)
    stopper.solver = None
    limit.record(solver)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    found = prune(problem, model.plan(solver, plan.assignments(chosen), deterministic=limit.work is not None))
    trial = _Plan.of(problem, found)
    value, spent = trial.value(chosen), trial.spent(chosen)
    improved = value > now_value or (value == now_value and spent < now_spent)
    if improved:
        for officer_id in chosen:
            plan.by_officer.pop(officer_id, None)
        for officer_id, session_id in found:
            if officer_id in freed:
                plan.by_officer[officer_id].append(session_id)
    proven = status == cp_model.OPTIMAL and value * model.scale - spent >= round(solver.objective_value)
    # the bound is on value × scale − money; the value's own bound rounds up
    return improved, proven, -(-round(solver.best_objective_bound) // model.scale)


def _configure(parameters: cp_model.SatParameters, workers: int) -> None:
    """Every constraint in the LP from the start, and no presolve: presolve turns the level
    constraints into clauses the LP then leaves out, and the bound stays far from the value
    (measured: a 100-officer problem unproven after 40 s with them, proven in seconds without)."""
    parameters.num_workers = workers
    parameters.random_seed = SEED
    parameters.linearization_level = 2
    parameters.add_lp_constraints_lazily = False
    parameters.cp_model_presolve = False


class _Model:
    """The CP-SAT model of the officers ``chosen`` (see the module's docstring), within what the
    ``fixed`` assignments of everybody else leave, and the way back to a plan."""

    def __init__(self, problem: Problem, chosen: list[str], fixed: list[Assignment]) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        model = self.model
        courses, officers, sessions = problem.course_by_id, problem.officer_by_id, problem.session_by_id
        self.fixed = fixed
        days = problem.event_days()
        self.spans = {s.id: days_covered(s, days) for s in problem.sessions}
        budget = dict(problem.budgets)
        seats = {s.id: s.seats for s in problem.sessions}
        away_fixed: dict[tuple[str, int], int] = defaultdict(int)
        for officer_id, session_id in fixed:
            session = sessions[session_id]
            budget[session.year] -= courses[session.course].cost
            seats[session_id] -= 1
            for day in self.spans[session_id]:
                away_fixed[(officers[officer_id].unit, day)] += 1
        self.sessions: dict[str, list[Session]] = defaultdict(list)
        for session in problem.sessions:
            if seats[session.id] > 0:
                self.sessions[session.course].append(session)
        self.caps = {unit: problem.away_cap(unit) for unit in {officers[o].unit for o in chosen}}
        self.z: dict[tuple[str, str], cp_model.IntVar] = {}
        self.y: dict[tuple[str, str, int], cp_model.IntVar] = {}
        terms: list[tuple[int, cp_model.IntVar]] = []
        takers: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
        for officer_id in chosen:
            officer = officers[officer_id]
            if not self.caps[officer.unit]:
                continue  # nobody of the unit may be away
            mine = {}
            for course in problem.courses:
                if self.sessions[course.id] and problem.gain(officer, course) > 0:
                    variable = model.new_bool_var(f"z[{officer.id},{course.id}]")
                    self.z[(officer.id, course.id)] = variable
                    mine[course.id] = variable
                    takers[(officer.unit, course.id)].append(variable)
            for competency, need in officer.required.items():
                previous = None
                for level in range(officer.levels.get(competency, 0) + 1, need + 1):
                    reaching = [v for k, v in mine.items() if courses[k].outcomes.get(competency, 0) >= level]
                    if not reaching:
                        break
                    reached = model.new_bool_var(f"y[{officer.id},{competency},{level}]")
                    self.y[(officer.id, competency, level)] = reached
                    model.add(reached <= sum(reaching))
                    if previous is not None:
                        model.add_implication(reached, previous)
                    previous = reached
                    terms.append((officer.weight, reached))
        self.n: dict[tuple[str, str], cp_model.IntVar] = {}
        seated: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        spending: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        away: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        away_most: dict[tuple[str, int], int] = defaultdict(int)
        total_cost = 0
        for (unit, course_id), group in takers.items():
            places = []
            for session in self.sessions[course_id]:
                most = min(seats[session.id], self.caps[unit], len(group))
                variable = model.new_int_var(0, most, f"n[{unit},{session.id}]")
                total_cost += courses[course_id].cost * most
                self.n[(unit, session.id)] = variable
                places.append(variable)
                seated[session.id].append(variable)
                spending[session.year].append((courses[course_id].cost, variable))
                for day in self.spans[session.id]:
                    away[(unit, day)].append(variable)
                    away_most[(unit, day)] += most
            model.add(sum(places) == sum(group))
        for session_id, group in seated.items():
            model.add(sum(group) <= seats[session_id])
        for year, items in spending.items():
            model.add(sum(cost * variable for cost, variable in items) <= budget[year])
        for (unit, day), group in away.items():
            room = self.caps[unit] - away_fixed[(unit, day)]
            if away_most[(unit, day)] > room:
                model.add(sum(group) <= max(0, room))
        self.value = sum(weight * variable for weight, variable in terms)
        self.cost = sum(cost * variable for items in spending.values() for cost, variable in items)
        #: the value counts first; money saved decides between plans of equal value
        self.scale = total_cost + 1
        model.maximize(self.value * self.scale - self.cost)

    def start_from(self, plan: list[Assignment], value: int) -> None:
        """Hint the model with the chosen officers' ``plan`` and require at least its ``value``."""
        self.model.add(self.value >= value)
        sessions = self.problem.session_by_id
        officers = self.problem.officer_by_id
        courses = self.problem.course_by_id
        taken = {(officer_id, sessions[session_id].course) for officer_id, session_id in plan}
        counts: dict[tuple[str, str], int] = defaultdict(int)
        reached: dict[str, dict[str, int]] = defaultdict(dict)
        for officer_id, session_id in plan:
            counts[(officers[officer_id].unit, session_id)] += 1
            for competency, level in courses[sessions[session_id].course].outcomes.items():
                reached[officer_id][competency] = max(reached[officer_id].get(competency, 0), level)
        for key, variable in self.z.items():
            self.model.add_hint(variable, key in taken)
        for key, variable in self.n.items():
            self.model.add_hint(variable, counts.get(key, 0))
        for (officer_id, competency, level), variable in self.y.items():
            self.model.add_hint(variable, reached[officer_id].get(competency, 0) >= level)

    def plan(
        self, solver: cp_model.CpSolver, preferred: Iterable[Assignment] = (), *, deterministic: bool = False
    ) -> list[Assignment]:
        """The solution as (officer, session) pairs, everybody's: each unit's chosen officers
        placed into its places, one session at a time per officer (each keeping a session they
        had in ``preferred`` where the places allow); what cannot be placed is dropped."""
        problem = self.problem
        sessions = problem.session_by_id
        places: dict[tuple[str, str], int] = {key: solver.value(v) for key, v in self.n.items()}
        wanted: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        officers = problem.officer_by_id
        for (officer_id, course_id), variable in self.z.items():
            if solver.boolean_value(variable):
                wanted[officers[officer_id].unit][officer_id].append(course_id)
        before = {(o, sessions[s].course): s for o, s in preferred}
        plan = list(self.fixed)
        for unit in sorted(wanted):
            mine = {session_id: count for (u, session_id), count in places.items() if u == unit and count}
            placed = self._place_in_order(wanted[unit], dict(mine), before)
            if sum(len(courses) for courses in wanted[unit].values()) > len(placed):
                placed = max(placed, self._place_exactly(wanted[unit], mine, deterministic=deterministic), key=len)
            plan.extend(placed)
        return plan

    def _place_in_order(
        self, wanted: Mapping[str, list[str]], places: dict[str, int], before: Mapping[tuple[str, str], str]
    ) -> list[Assignment]:
        """Officers with the most courses first (the hardest to place), each into the session
        they had or the one with the most places left that does not clash with their others."""
        placed: list[Assignment] = []
        busy: dict[str, list[Session]] = defaultdict(list)
        for officer_id in sorted(wanted, key=lambda o: (-len(wanted[o]), o)):
            for course_id in wanted[officer_id]:
                free = [
                    s
                    for s in self.sessions[course_id]
                    if places.get(s.id, 0) > 0 and not any(_clash(s, other) for other in busy[officer_id])
                ]
                if not free:
                    continue
                session = max(free, key=lambda s: (s.id == before.get((officer_id, course_id)), places[s.id]))
                places[session.id] -= 1
                busy[officer_id].append(session)
                placed.append((officer_id, session.id))
        return placed

    def _place_exactly(
        self, wanted: Mapping[str, list[str]], places: Mapping[str, int], *, deterministic: bool = False
    ) -> list[Assignment]:
        """The most courses placed (a small CP-SAT model of one unit), when placing in order
        left some out."""
        model = cp_model.CpModel()
        chosen: dict[Assignment, cp_model.IntVar] = {}
        by_session: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for officer_id, courses in wanted.items():
            by_day: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for course_id in courses:
                options = []
                for session in self.sessions[course_id]:
                    if places.get(session.id, 0) <= 0:
                        continue
                    variable = model.new_bool_var("")
                    chosen[(officer_id, session.id)] = variable
                    options.append(variable)
                    by_session[session.id].append(variable)
                    for day in self.spans[session.id]:
                        by_day[day].append(variable)
                model.add_at_most_one(options)
            for group in by_day.values():
                model.add_at_most_one(group)
        for session_id, group in by_session.items():
            model.add(sum(group) <= places[session_id])
        model.maximize(sum(chosen.values()))
        solver = cp_model.CpSolver()
        if deterministic:
            solver.parameters.max_deterministic_time = PLACING_WORK
        else:
            solver.parameters.max_time_in_seconds = PLACING_S
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = SEED
        if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # pragma: no cover - empty is feasible
            return []
        return [key for key, variable in chosen.items() if solver.boolean_value(variable)]


def _clash(one: Session, other: Session) -> bool:
    return one.start <= other.end and other.start <= one.end
