"""The CP-SAT model of a problem, assembled from its variables, constraints and objective."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace

from waypoint.engine.scheduling.cpm import critical_path
from waypoint.engine.scheduling.cpsat._ortools import cp_model
from waypoint.engine.scheduling.cpsat.constraints import add_budgets, add_deadlines_and_pins, add_links, add_resources
from waypoint.engine.scheduling.cpsat.objective import add_objective
from waypoint.engine.scheduling.cpsat.variables import Variables, make_variables
from waypoint.engine.scheduling.model import Problem
from waypoint.engine.scheduling.result import Objective

__all__ = ["BuiltModel", "GuardLiteral", "build_model"]


@dataclass
class GuardLiteral:
    """A constraint that may be switched off, so a conflict can be explained."""

    literal: cp_model.IntVar
    description: str


@dataclass
class BuiltModel:
    model: cp_model.CpModel
    variables: Variables
    objective: cp_model.LinearExprT
    guards: list[GuardLiteral] = field(default_factory=list)


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
    budget_periods: Mapping[str, Collection[int]] | None = None,
    lower_bound: int = 0,
) -> BuiltModel:
    """Variables, then constraints, then the objective.

    Parameters:
        horizon: every activity finishes by then (a known schedule's makespan is a valid one
            for the makespan objective).
        tighten: narrow each start to its critical-path window within ``horizon``; plain
            CP-SAT gets the whole horizon.
        redundant: add constraints implied by the others that help propagation (activities
            that each need more than half a resource can never overlap).
        set_times: branch on starts, earliest possible first (the fixed-search worker's
            strategy).
        explainable: deadlines, pins and budget caps are guarded by literals (assumptions),
            so the solver can report which of them conflict; windows then ignore them.
        describe: words for the guards, by key (``deadline:<id>``, ``pin:<id>``,
            ``budget:<id>:<period>``).
        budget_periods: the capped budget periods to model, by budget id (all by default);
            the solver adds the others when a schedule overspends them.
        lower_bound: a makespan no schedule can beat (it narrows the objective's domain, so
            a schedule that reaches it is known to be optimal at once).
    """
    model = cp_model.CpModel()
    words = describe or {}
    guards: list[GuardLiteral] = []

    def guard(key: str) -> cp_model.IntVar:
        literal = model.new_bool_var(key)
        guards.append(GuardLiteral(literal, words.get(key, key)))
        return literal

    windows = critical_path(_relaxed(problem) if explainable else problem, project_end=horizon) if tighten else None
    variables = make_variables(model, problem, horizon=horizon, windows=windows, fix_pins=not explainable)
    add_links(model, problem, variables)
    add_deadlines_and_pins(model, problem, variables, guard if explainable else None)
    add_resources(model, problem, variables, horizon=horizon, redundant=redundant)
    add_budgets(model, problem, variables, guard if explainable else None, budget_periods)
    expression = add_objective(model, problem, variables, objective, horizon=horizon, lower_bound=lower_bound)
    if set_times:
        _branch_on_starts(model, problem, variables)
    return BuiltModel(model, variables, expression, guards)


def _relaxed(problem: Problem) -> Problem:
    """The problem without deadlines and pins (their windows must not pre-judge a conflict)."""
    return replace(
        problem,
        activities=tuple(replace(a, deadline=None, pinned_start=None) for a in problem.activities),
    )


def _branch_on_starts(model: cp_model.CpModel, problem: Problem, variables: Variables) -> None:
    """ "Set times" branching: the activity that can start earliest first, at its earliest."""
    ordered = sorted(problem.activities, key=lambda a: (variables.windows[a.id][0], a.id))
    model.add_decision_strategy(
        [variables.starts[a.id] for a in ordered], cp_model.CHOOSE_LOWEST_MIN, cp_model.SELECT_MIN_VALUE
    )
