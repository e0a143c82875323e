"""The CP-SAT model of a problem, split into variables, constraints and objective."""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from waypoint.engine.scheduling.cpm import critical_path
from waypoint.engine.scheduling.model import Activity, Budget, LinkKind, Problem, Resource
from waypoint.engine.scheduling.result import Objective


@dataclass
class Guard:
    """A constraint that may be switched off, so a conflict can be explained."""

    literal: cp_model.IntVar
    description: str


@dataclass
class BuiltModel:
    model: cp_model.CpModel
    starts: dict[str, cp_model.IntVar]
    ends: dict[str, cp_model.IntVar]
    objective: cp_model.LinearExprT
    makespan: cp_model.IntVar
    guards: list[Guard] = field(default_factory=list)


def build_model(
    problem: Problem,
    *,
    objective: Objective,
    horizon: int,
    tighten: bool,
    redundant: bool = True,
    set_times: bool = False,
    explainable: bool = False,
    describe: dict[str, str] | None = None,
) -> BuiltModel:
    """Variables, constraints and objective.

    Parameters:
        horizon: every activity finishes by then (a known schedule's makespan is a valid one
            for the makespan objective).
        tighten: narrow each start to its critical-path window within ``horizon``; plain
            CP-SAT gets the whole horizon.
        redundant: add constraints implied by the others that help propagation (activities
            that each need more than half a resource can never overlap).
        explainable: deadlines, pins and budget caps are guarded by literals (assumptions),
            so the solver can report which of them conflict; windows then ignore them.
        describe: words for the guards, by key (``deadline:<id>``, ``pin:<id>``,
            ``budget:<id>:<period>``).
    """
    model = cp_model.CpModel()
    words = describe or {}
    by_id = problem.by_id
    windows = critical_path(_relaxed(problem) if explainable else problem, project_end=horizon) if tighten else None
    starts: dict[str, cp_model.IntVar] = {}
    ends: dict[str, cp_model.IntVar] = {}
    bounds: dict[str, tuple[int, int]] = {}  # the start window of each activity
    intervals: dict[str, cp_model.IntervalVar] = {}
    guards: list[Guard] = []

    def guard(key: str) -> cp_model.IntVar:
        literal = model.new_bool_var(key)
        guards.append(Guard(literal, words.get(key, key)))
        return literal

    # -- variables --------------------------------------------------------------------------
    for activity in problem.activities:
        low, high = activity.release, horizon - activity.duration
        if windows is not None:
            low = max(low, windows.earliest_start[activity.id])
            high = min(high, windows.latest_start[activity.id])
        if not explainable and activity.pinned_start is not None:
            low = high = activity.pinned_start
        if high < low:
            high = low  # infeasible within the horizon; the constraints below will say so
        bounds[activity.id] = (low, high)
        start = model.new_int_var(low, high, f"start_{activity.id}")
        end = model.new_int_var(low + activity.duration, high + activity.duration, f"end_{activity.id}")
        starts[activity.id], ends[activity.id] = start, end
        intervals[activity.id] = model.new_interval_var(start, activity.duration, end, f"run_{activity.id}")

    # -- constraints ------------------------------------------------------------------------
    for link in problem.links:
        before, after = by_id[link.before], by_id[link.after]
        if link.kind is LinkKind.FINISH_TO_START:
            model.add(starts[after.id] >= ends[before.id] + link.lag)
        elif link.kind is LinkKind.START_TO_START:
            model.add(starts[after.id] >= starts[before.id] + link.lag)
        else:
            model.add(ends[after.id] >= ends[before.id] + link.lag)
    for activity in problem.activities:
        if activity.deadline is not None:
            constraint = model.add(ends[activity.id] <= activity.deadline)
            if explainable:
                constraint.only_enforce_if(guard(f"deadline:{activity.id}"))
        if activity.pinned_start is not None and explainable:
            model.add(starts[activity.id] == activity.pinned_start).only_enforce_if(guard(f"pin:{activity.id}"))
    for resource in problem.resources:
        _add_resource(model, problem, resource, intervals, horizon, redundant)
    for budget in problem.budgets:
        _add_budget(model, problem, budget, starts, ends, bounds, guard if explainable else None)

    # -- objective ----------------------------------------------------------------------------
    makespan = model.new_int_var(0, horizon, "makespan")
    if ends:
        model.add_max_equality(makespan, list(ends.values()))
    else:
        model.add(makespan == 0)
    if objective is Objective.MAKESPAN:
        expression: cp_model.LinearExprT = makespan
    else:
        expression = sum(a.weight * ends[a.id] for a in problem.activities if a.weight)
    model.minimize(expression)
    if set_times:
        # "set times" branching for the fixed-search worker: earliest possible start first
        ordered = sorted(problem.activities, key=lambda a: (bounds[a.id][0], a.id))
        model.add_decision_strategy(
            [starts[a.id] for a in ordered], cp_model.CHOOSE_LOWEST_MIN, cp_model.SELECT_MIN_VALUE
        )
    return BuiltModel(model, starts, ends, expression, makespan, guards)


def _relaxed(problem: Problem) -> Problem:
    """The problem without deadlines and pins (their windows must not pre-judge a conflict)."""
    from dataclasses import replace

    return replace(
        problem,
        activities=tuple(replace(a, deadline=None, pinned_start=None) for a in problem.activities),
    )


def _add_resource(
    model: cp_model.CpModel,
    problem: Problem,
    resource: Resource,
    intervals: dict[str, cp_model.IntervalVar],
    horizon: int,
    redundant: bool,
) -> None:
    users = [a for a in problem.activities if a.demands.get(resource.id, 0) > 0 and a.duration > 0]
    if not users:
        return
    peak = resource.peak
    chosen = [intervals[a.id] for a in users]
    demands = [a.demands[resource.id] for a in users]
    # where capacity dips below its peak, a fixed block takes up the difference
    time, dips = 0, []
    for start, _capacity in [*sorted(resource.changes), (horizon, resource.capacity_at(horizon))]:
        if start > time and resource.capacity_at(time) < peak:
            dips.append((time, start, peak - resource.capacity_at(time)))
        time = max(time, start)
    for begin, end, amount in dips:
        if end > begin:
            chosen.append(model.new_fixed_size_interval_var(begin, end - begin, f"dip_{resource.id}_{begin}"))
            demands.append(amount)
    model.add_cumulative(chosen, demands, peak)
    heavy = [intervals[a.id] for a in users if 2 * a.demands[resource.id] > peak]
    if redundant and len(heavy) > 1:
        # activities that each take more than half the capacity can never run together
        model.add_no_overlap(heavy)


def _add_budget(
    model: cp_model.CpModel,
    problem: Problem,
    budget: Budget,
    starts: dict[str, cp_model.IntVar],
    ends: dict[str, cp_model.IntVar],
    bounds: dict[str, tuple[int, int]],
    guard: object,
) -> None:
    spend_by_period: dict[int, list[cp_model.IntVar]] = {}
    for activity in problem.activities:
        cost = activity.costs.get(budget.id, 0)
        if not cost:
            continue
        low, high = bounds[activity.id]
        for period in range(budget.period_of(low), budget.period_of(high + max(activity.duration, 1) - 1) + 1):
            if budget.caps.get(period) is None:
                continue
            spend_by_period.setdefault(period, []).append(
                _spend(model, activity, budget, period, starts, ends, bounds, cost)
            )
    for period, spends in spend_by_period.items():
        constraint = model.add(sum(spends) <= budget.caps[period])
        if guard is not None:
            constraint.only_enforce_if(guard(f"budget:{budget.id}:{period}"))  # type: ignore[operator]


def _spend(
    model: cp_model.CpModel,
    activity: Activity,
    budget: Budget,
    period: int,
    starts: dict[str, cp_model.IntVar],
    ends: dict[str, cp_model.IntVar],
    bounds: dict[str, tuple[int, int]],
    cost: int,
) -> cp_model.IntVar:
    """The money ``activity`` spends in ``period``: its cost times the share of its duration
    inside the period, rounded up (the same rule as :func:`activity_spend`)."""
    first, last = period * budget.period, (period + 1) * budget.period
    spend = model.new_int_var(0, cost, f"spend_{activity.id}_{budget.id}_{period}")
    start = starts[activity.id]
    if activity.duration == 0:
        # a milestone pays its whole cost in the period it falls in
        low, high = bounds[activity.id]
        period_index = model.new_int_var(low // budget.period, high // budget.period, "")
        model.add_division_equality(period_index, start, budget.period)
        inside = model.new_bool_var(f"in_{activity.id}_{period}")
        model.add(period_index == period).only_enforce_if(inside)
        model.add(period_index != period).only_enforce_if(~inside)
        model.add(spend >= cost).only_enforce_if(inside)
        return spend
    low, high = bounds[activity.id]
    clipped_end = model.new_int_var(min(low, last), last, "")
    model.add_min_equality(clipped_end, [ends[activity.id], last])
    clipped_start = model.new_int_var(first, max(first, high), "")
    model.add_max_equality(clipped_start, [start, first])
    overlap = model.new_int_var(0, min(activity.duration, budget.period), f"overlap_{activity.id}_{period}")
    model.add_max_equality(overlap, [0, clipped_end - clipped_start])
    model.add(activity.duration * spend >= cost * overlap)
    return spend
