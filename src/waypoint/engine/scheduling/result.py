"""What a solve returns."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from waypoint.engine.scheduling.model import Schedule

__all__ = ["Objective", "SolveResult", "SolveStatus"]


class Objective(enum.Enum):
    MAKESPAN = "makespan"  # finish the whole roadmap as early as possible
    WEIGHTED = "weighted"  # finish valuable work early: minimise the sum of weight × finish


class SolveStatus(enum.Enum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    NO_SOLUTION = "no_solution"  # the time limit ran out before any schedule was found


@dataclass(frozen=True)
class SolveResult:
    status: SolveStatus
    objective: Objective
    schedule: Schedule | None
    objective_value: int | None
    lower_bound: int | None
    seconds: float
    #: for an infeasible problem: a minimal set of constraints that cannot all hold, in words
    conflicts: list[str] = field(default_factory=list)
    #: objective value of the warm start (the heuristic), for comparison
    heuristic_value: int | None = None
    #: the search was stopped from outside (``should_stop``) before its limit
    stopped: bool = False
    #: what showed the lower bound: "critical path", "CP-SAT", or a destructive energy test
    #: (the work of a team, the spending from a budget)
    bound_reason: str | None = None

    @property
    def makespan(self) -> int | None:
        return self.schedule.makespan if self.schedule is not None else None

    @property
    def gap(self) -> float | None:
        """Relative distance between the schedule and the best bound (0 when proven optimal)."""
        if self.objective_value is None or self.lower_bound is None or self.objective_value == 0:
            return None
        return (self.objective_value - self.lower_bound) / self.objective_value
