"""The constraints of the CP-SAT model, one function per kind.

Deadlines, pins and budget caps can be guarded: each is then enforced only when a literal
made by ``guard`` is true, so that the solver can name the ones that conflict.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping

from waypoint.engine.scheduling.cpsat._ortools import cp_model
from waypoint.engine.scheduling.cpsat.variables import Variables
from waypoint.engine.scheduling.model import Activity, Budget, LinkKind, Problem, Resource, activity_spend

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


def add_budgets(
    model: cp_model.CpModel,
    problem: Problem,
    variables: Variables,
    guard: Guard | None,
    periods: Mapping[str, Collection[int]] | None = None,
) -> None:
    """Every capped budget period (or only ``periods``, by budget id): the money the
    activities spend in it stays under the cap."""
    for budget in problem.budgets:
        chosen = None if periods is None else set(periods.get(budget.id, ()))
        _add_budget(model, problem, budget, variables, guard, chosen)


def _add_budget(
    model: cp_model.CpModel,
    problem: Problem,
    budget: Budget,
    variables: Variables,
    guard: Guard | None,
    periods: set[int] | None,
) -> None:
    spend_by_period: dict[int, list[cp_model.LinearExprT]] = {}
    for activity in problem.activities:
        cost = activity.costs.get(budget.id, 0)
        if not cost:
            continue
        low, high = variables.windows[activity.id]
        spent = _Spending(model, activity, budget, variables, cost)
        for period in range(budget.period_of(low), budget.period_of(high + max(activity.duration, 1) - 1) + 1):
            if budget.caps.get(period) is None or (periods is not None and period not in periods):
                continue
            spend_by_period.setdefault(period, []).append(spent.in_period(period))
    for period, spends in spend_by_period.items():
        constraint = model.add(sum(spends) <= budget.caps[period])
        if guard is not None:
            constraint.only_enforce_if(guard(f"budget:{budget.id}:{period}"))


class _Spending:
    """The money one activity spends in each budget period: its cost times the share of its
    duration inside the period, rounded up (the same rule as :func:`activity_spend`).

    The share comes from how much of the activity has run by each period boundary ``B``,
    ``min(duration, max(0, B - start))``: constant where the start's window lies wholly on
    one side of ``B``, otherwise one variable shared by the two periods that meet at ``B``.
    """

    def __init__(
        self, model: cp_model.CpModel, activity: Activity, budget: Budget, variables: Variables, cost: int
    ) -> None:
        self.model, self.activity, self.budget, self.cost = model, activity, budget, cost
        self.variables = variables
        self.start = variables.starts[activity.id]
        self.low, self.high = variables.windows[activity.id]
        self._run: dict[int, cp_model.LinearExprT] = {}

    def run_by(self, boundary: int) -> cp_model.LinearExprT:
        """How much of the activity has run by ``boundary``."""
        if boundary not in self._run:
            self._run[boundary] = self._make_run_by(boundary)
        return self._run[boundary]

    def _make_run_by(self, boundary: int) -> cp_model.LinearExprT:
        duration, low, high = self.activity.duration, self.low, self.high
        if boundary <= low:
            return 0
        if boundary >= high + duration:
            return duration
        before = boundary - self.start  # between boundary - high and boundary - low
        if boundary - high >= 0 and boundary - low <= duration:  # started, not finished
            return before
        activity_id = self.activity.id

        def run_value(starts: Mapping[str, int]) -> int:
            return min(duration, max(0, boundary - starts[activity_id]))

        run = self.model.new_int_var(max(0, boundary - high), min(duration, boundary - low), "")
        self.variables.derive(run, run_value)
        if boundary - high >= 0:  # it has started by the boundary whatever its start
            self.model.add_min_equality(run, [before, duration])
        elif boundary - low <= duration:  # it cannot have finished by the boundary
            self.model.add_max_equality(run, [before, 0])
        else:
            started = self.model.new_int_var(0, boundary - low, "")
            self.variables.derive(started, lambda starts: max(0, boundary - starts[activity_id]))
            self.model.add_max_equality(started, [before, 0])
            self.model.add_min_equality(run, [started, duration])
        return run

    def in_period(self, period: int) -> cp_model.LinearExprT:
        if self.activity.duration == 0:
            return self._milestone(period)
        first, last = period * self.budget.period, (period + 1) * self.budget.period
        overlap = self.run_by(last) - self.run_by(first)  # type: ignore[operator]
        if isinstance(overlap, int):
            return math.ceil(self.cost * overlap / self.activity.duration)
        name = f"spend_{self.activity.id}_{self.budget.id}_{period}"
        spend = self.model.new_int_var(0, self.cost, name)
        self.variables.derive(spend, lambda starts: self._spent(starts, period))
        self.model.add(self.activity.duration * spend >= self.cost * overlap)
        return spend

    def _spent(self, starts: Mapping[str, int], period: int) -> int:
        return activity_spend(self.activity, self.budget, starts[self.activity.id]).get(period, 0)

    def _milestone(self, period: int) -> cp_model.LinearExprT:
        """A milestone pays its whole cost in the period it falls in."""
        spend = self.model.new_int_var(0, self.cost, f"spend_{self.activity.id}_{self.budget.id}_{period}")
        self.variables.derive(spend, lambda starts: self._spent(starts, period))
        low, high, length, activity_id = self.low, self.high, self.budget.period, self.activity.id
        period_index = self.model.new_int_var(low // length, high // length, "")
        self.variables.derive(period_index, lambda starts: starts[activity_id] // length)
        self.model.add_division_equality(period_index, self.start, self.budget.period)
        inside = self.model.new_bool_var(f"in_{self.activity.id}_{period}")
        self.variables.derive(inside, lambda starts: int(starts[activity_id] // length == period))
        self.model.add(period_index == period).only_enforce_if(inside)
        self.model.add(period_index != period).only_enforce_if(~inside)
        self.model.add(spend >= self.cost).only_enforce_if(inside)
        return spend
