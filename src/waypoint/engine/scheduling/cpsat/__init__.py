"""The CP-SAT optimiser: the only place that imports OR-Tools.

``model`` assembles the CP-SAT model from ``variables``, ``constraints`` and ``objective``;
``solver`` runs it in phases from a warm start.
"""

from waypoint.engine.scheduling.cpsat.solver import SolveOptions, solve

__all__ = ["SolveOptions", "solve"]
