"""The objective of the CP-SAT model."""

from __future__ import annotations

from waypoint.engine.scheduling.cpsat._ortools import cp_model
from waypoint.engine.scheduling.cpsat.variables import Variables
from waypoint.engine.scheduling.model import Problem
from waypoint.engine.scheduling.result import Objective

__all__ = ["add_objective"]


def add_objective(
    model: cp_model.CpModel,
    problem: Problem,
    variables: Variables,
    objective: Objective,
    *,
    horizon: int,
    lower_bound: int = 0,
) -> cp_model.LinearExprT:
    """Minimise the makespan (the last end) or the sum of priority weight × end; returns the
    expression minimised. ``lower_bound`` is a makespan known to be unbeatable."""
    makespan = model.new_int_var(min(lower_bound, horizon), horizon, "makespan")
    durations = variables.durations
    variables.derive(makespan, lambda starts: max((s + durations[a] for a, s in starts.items()), default=0))
    ends = variables.ends
    if ends:
        model.add_max_equality(makespan, list(ends.values()))
    else:
        model.add(makespan == 0)
    if objective is Objective.MAKESPAN:
        expression: cp_model.LinearExprT = makespan
    else:
        expression = sum(a.weight * ends[a.id] for a in problem.activities if a.weight)
    model.minimize(expression)
    return expression
