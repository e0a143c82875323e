"""What changed between two versions of a plan: the plan file (``plans.planfile``) compared
part by part.

Pure: two plan documents (the dicts the plan file holds) in, a :class:`PlanDiff` out. Elements,
indicators and targets are matched by their stable codes (an element's code never changes,
so a code in both versions is the same element), budget lines by year and funding source.
The comparison covers what the plan commits to: the plan's statements and period, elements
(added, removed, moved, each field), their risks and budget lines, indicators (definition,
baseline, tolerance), targets, the yearly budget caps, the environmental scan and the
functions. What is recorded as the plan is carried out (actual values, implementation
status, the roadmap's schedule, target history) and the plan's status are left out: a
version is compared for what was approved, not for what happened since.
"""

from waypoint.engine.plandiff.compare import compare_plans
from waypoint.engine.plandiff.model import Change, ChangeKind, PlanDiff, Subject

__all__ = ["Change", "ChangeKind", "PlanDiff", "Subject", "compare_plans"]
