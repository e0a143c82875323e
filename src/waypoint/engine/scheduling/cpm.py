"""Critical path method over finish-to-start, start-to-start and finish-to-finish links."""

from __future__ import annotations

from dataclasses import dataclass

from waypoint.engine.scheduling.model import Problem, link_earliest_start

__all__ = ["CriticalPath", "critical_path"]


@dataclass(frozen=True)
class CriticalPath:
    """Earliest and latest times of every activity, ignoring resources and budgets."""

    earliest_start: dict[str, int]
    latest_start: dict[str, int]
    total_slack: dict[str, int]
    free_slack: dict[str, int]
    project_end: int
    critical: list[str]

    def earliest_finish(self, problem: Problem, activity_id: str) -> int:
        return self.earliest_start[activity_id] + problem.by_id[activity_id].duration

    @property
    def late_activities(self) -> list[str]:
        """Activities whose deadline or pin cannot be met even with unlimited resources."""
        return [a for a, slack in self.total_slack.items() if slack < 0]


def critical_path(problem: Problem, *, project_end: int | None = None) -> CriticalPath:
    """Forward and backward passes.

    Parameters:
        project_end: the date the backward pass starts from; by default the earliest
            possible end of the project, so that critical activities have zero total slack.

    Returns:
        A :class:`CriticalPath`. Slack is negative where a deadline or a pin cannot be met
        given the links alone; ``critical`` lists activities with no total slack, in order.
    """
    by_id = problem.by_id
    order = problem.topological_order()
    predecessors = problem.predecessors()
    successors = problem.successors()
    earliest: dict[str, int] = {}
    for activity_id in order:
        activity = by_id[activity_id]
        start = activity.release
        for link in predecessors[activity_id]:
            start = max(start, link_earliest_start(link, earliest[link.before], by_id))
        if activity.pinned_start is not None:
            start = activity.pinned_start
        earliest[activity_id] = start
    end = max((earliest[a.id] + a.duration for a in problem.activities), default=0)
    if project_end is not None:
        end = project_end
    latest: dict[str, int] = {}
    for activity_id in reversed(order):
        activity = by_id[activity_id]
        start = end - activity.duration
        if activity.deadline is not None:
            start = min(start, activity.deadline - activity.duration)
        for link in successors[activity_id]:
            start = min(start, latest[link.after] - link_earliest_start(link, 0, by_id))
        if activity.pinned_start is not None:
            start = min(start, activity.pinned_start)
        latest[activity_id] = start
    total = {a: latest[a] - earliest[a] for a in order}
    free: dict[str, int] = {}
    for activity_id in order:
        links = successors[activity_id]
        if links:
            free[activity_id] = min(
                earliest[link.after] - link_earliest_start(link, earliest[activity_id], by_id) for link in links
            )
        else:
            free[activity_id] = end - earliest[activity_id] - by_id[activity_id].duration
        free[activity_id] = (
            max(0, min(free[activity_id], total[activity_id])) if total[activity_id] >= 0 else total[activity_id]
        )
    critical = [a for a in order if total[a] == 0]
    return CriticalPath(earliest, latest, total, free, end, critical)
