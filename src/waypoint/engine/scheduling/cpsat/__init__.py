"""The CP-SAT optimiser: the only place that imports OR-Tools."""

from waypoint.engine.scheduling.cpsat.solver import SolveOptions, solve

__all__ = ["SolveOptions", "solve"]
