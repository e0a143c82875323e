"""Roadmap sequencing: a plan's roadmap as a problem (with re-planning), critical path,
priority-rule levelling and the CP-SAT optimiser.

The facade is what the rest of Waypoint uses; OR-Tools is imported only under ``cpsat``.
"""

from waypoint.engine.scheduling.cpm import CriticalPath, critical_path
from waypoint.engine.scheduling.cpsat.solver import Progress, SolveOptions, explain_infeasibility, solve
from waypoint.engine.scheduling.heuristic import (
    HeuristicResult,
    PriorityRule,
    baseline_schedule,
    best_heuristic_schedule,
    schedule_slack,
    serial_schedule,
)
from waypoint.engine.scheduling.model import (
    Activity,
    Budget,
    Granularity,
    Link,
    LinkKind,
    Problem,
    ProblemError,
    Resource,
    Schedule,
    activity_spend,
)
from waypoint.engine.scheduling.psplib import parse_sm, read_sm
from waypoint.engine.scheduling.result import Objective, SolveResult, SolveStatus
from waypoint.engine.scheduling.roadmap import DONE_SUFFIX, Roadmap, Work, roadmap_problem

__all__ = [
    "DONE_SUFFIX",
    "Activity",
    "Budget",
    "CriticalPath",
    "Granularity",
    "HeuristicResult",
    "Link",
    "LinkKind",
    "Objective",
    "PriorityRule",
    "Problem",
    "ProblemError",
    "Progress",
    "Resource",
    "Roadmap",
    "Schedule",
    "SolveOptions",
    "SolveResult",
    "SolveStatus",
    "Work",
    "activity_spend",
    "baseline_schedule",
    "best_heuristic_schedule",
    "critical_path",
    "explain_infeasibility",
    "parse_sm",
    "read_sm",
    "roadmap_problem",
    "schedule_slack",
    "serial_schedule",
    "solve",
]
