"""People: competency frameworks, gaps between what roles require and what officers are
assessed at, the small-group rule for aggregates, and the training allocation (a greedy
baseline and the CP-SAT optimiser that starts from it).

OR-Tools is imported only by ``cpsat``; nothing here imports Django.
"""

from waypoint.engine.training.allocation import (
    AllocationError,
    Course,
    Officer,
    Problem,
    Progress,
    Result,
    Session,
    Status,
    plan_cost,
    plan_value,
    violations,
)
from waypoint.engine.training.cpsat import prune, solve
from waypoint.engine.training.greedy import greedy_plan

__all__ = [
    "AllocationError",
    "Course",
    "Officer",
    "Problem",
    "Progress",
    "Result",
    "Session",
    "Status",
    "greedy_plan",
    "plan_cost",
    "plan_value",
    "prune",
    "solve",
    "violations",
]
