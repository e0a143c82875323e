"""The constraints of the CP-SAT model, one function per kind.

Deadlines, pins and budget caps can be guarded: each is then enforced only when a literal
made by ``guard`` is true, so that the solver can name the ones that conflict.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from waypoint.engine.scheduling.cpsat.variables import Variables
from waypoint.engine.scheduling.model import Activity, Budget, LinkKind, Problem, Resource

__all__ = ["Guard", "add_budgets", "add_deadlines_and_pins", "add_links", "add_resources"]

#: makes the literal that switches one constraint on, given its key (``deadline:<id>`` …)
Guard = Callable[[str], cp_model.IntVar]


def add_links(model: cp_model.CpModel, problem: Problem, variables: Variables) -> None:
    """Finish → start, start → start and finish → finish links, each with its lag."""
    starts, ends = variables.starts, variables.ends
    for link in problem.links:
        if link.kind is LinkKind.FINISH_TO_START:
            model.add(starts[link.after] >= ends[link.before] + link.lag)
        elif link.kind is LinkKind.START_TO_START:
            model.add(starts[link.after] >= starts[link.before] + link.lag)
        else:
            model.add(ends[link.after] >= ends[link.before] + link.lag)


def add_deadlines_and_pins(
    model: cp_model.CpModel, problem: Problem, variables: Variables, guard: Guard | None
) -> None:
    """Deadlines always; pins only when guarded (unguarded, a pin fixes the start's domain)."""
    for activity in problem.activities:
        if activity.deadline is not None:
            constraint = model.add(variables.ends[activity.id] <= activity.deadline)
            if guard is not None:
                constraint.only_enforce_if(guard(f"deadline:{activity.id}"))
        if activity.pinned_start is not None and guard is not None:
            model.add(variables.starts[activity.id] == activity.pinned_start).only_enforce_if(
                guard(f"pin:{activity.id}")
            )


def add_resources(
    model: cp_model.CpModel, problem: Problem, variables: Variables, *, horizon: int, redundant: bool
) -> None:
    """Every team's capacity, with its changes over time."""
    for resource in problem.resources:
        _add_resource(model, problem, resource, variables, horizon, redundant)


def _add_resource(
    model: cp_model.CpModel,
    problem: Problem,
    resource: Resource,
    variables: Variables,
    horizon: int,
    redundant: bool,
) -> None:
    users = [a for a in problem.activities if a.demands.get(resource.id, 0) > 0 and a.duration > 0]
    if not users:
        return
    peak = resource.peak
    chosen = [variables.intervals[a.id] for a in users]
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
    heavy = [variables.intervals[a.id] for a in users if 2 * a.demands[resource.id] > peak]
    if redundant and len(heavy) > 1:
        # implied: activities that each take more than half the capacity can never run together
        model.add_no_overlap(heavy)


def add_budgets(model: cp_model.CpModel, problem: Problem, variables: Variables, guard: Guard | None) -> None:
    """Every capped budget period: the money the activities spend in it stays under the cap."""
    for budget in problem.budgets:
        _add_budget(model, problem, budget, variables, guard)


def _add_budget(
    model: cp_model.CpModel, problem: Problem, budget: Budget, variables: Variables, guard: Guard | None
) -> None:
    spend_by_period: dict[int, list[cp_model.IntVar]] = {}
    for activity in problem.activities:
        cost = activity.costs.get(budget.id, 0)
        if not cost:
            continue
        low, high = variables.windows[activity.id]
        for period in range(budget.period_of(low), budget.period_of(high + max(activity.duration, 1) - 1) + 1):
            if budget.caps.get(period) is None:
                continue
            spend_by_period.setdefault(period, []).append(_spend(model, activity, budget, period, variables, cost))
    for period, spends in spend_by_period.items():
        constraint = model.add(sum(spends) <= budget.caps[period])
        if guard is not None:
            constraint.only_enforce_if(guard(f"budget:{budget.id}:{period}"))


def _spend(
    model: cp_model.CpModel, activity: Activity, budget: Budget, period: int, variables: Variables, cost: int
) -> cp_model.IntVar:
    """The money ``activity`` spends in ``period``: its cost times the share of its duration
    inside the period, rounded up (the same rule as :func:`activity_spend`)."""
    first, last = period * budget.period, (period + 1) * budget.period
    spend = model.new_int_var(0, cost, f"spend_{activity.id}_{budget.id}_{period}")
    start = variables.starts[activity.id]
    low, high = variables.windows[activity.id]
    if activity.duration == 0:
        # a milestone pays its whole cost in the period it falls in
        period_index = model.new_int_var(low // budget.period, high // budget.period, "")
        model.add_division_equality(period_index, start, budget.period)
        inside = model.new_bool_var(f"in_{activity.id}_{period}")
        model.add(period_index == period).only_enforce_if(inside)
        model.add(period_index != period).only_enforce_if(~inside)
        model.add(spend >= cost).only_enforce_if(inside)
        return spend
    clipped_end = model.new_int_var(min(low, last), last, "")
    model.add_min_equality(clipped_end, [variables.ends[activity.id], last])
    clipped_start = model.new_int_var(first, max(first, high), "")
    model.add_max_equality(clipped_start, [start, first])
    overlap = model.new_int_var(0, min(activity.duration, budget.period), f"overlap_{activity.id}_{period}")
    model.add_max_equality(overlap, [0, clipped_end - clipped_start])
    model.add(activity.duration * spend >= cost * overlap)
    return spend
