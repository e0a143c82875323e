"""Progress callbacks, in a file of their own that runs after the other solver tests:
CP-SAT calls them from its own threads, after which the coverage tracer stops following the
test process, so running them last keeps the coverage report of the other tests complete."""

from __future__ import annotations

from waypoint.engine.scheduling import Progress, SolveOptions, solve
from waypoint.engine.scheduling.generator import generate_roadmap


def test_progress_reports_each_better_schedule() -> None:
    seen: list[Progress] = []
    result = solve(
        generate_roadmap(items=20, teams=3, seed=4),
        work_limit=3.0,
        options=SolveOptions.plain(),
        on_progress=seen.append,
    )
    assert seen
    assert seen[-1].objective_value >= (result.objective_value or 0)
    assert all(p.lower_bound <= p.objective_value for p in seen)
