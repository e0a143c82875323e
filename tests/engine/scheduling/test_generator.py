from __future__ import annotations

from waypoint.engine.scheduling import best_heuristic_schedule
from waypoint.engine.scheduling.generator import generate_roadmap


def test_the_generated_roadmap_is_large_deterministic_and_schedulable() -> None:
    problem = generate_roadmap(items=3000, teams=15, months=60, seed=7)
    assert 2000 <= len(problem.activities) <= 4000
    assert len(problem.resources) == 15
    assert generate_roadmap(items=3000, teams=15, months=60, seed=7) == problem
    assert generate_roadmap(items=3000, teams=15, months=60, seed=8) != problem
    kinds = {link.kind.value for link in problem.links}
    assert kinds == {"FS", "SS"}
    assert any(a.release > 0 for a in problem.activities)
    assert problem.budgets[0].caps[0] > 0


def test_a_first_feasible_schedule_comes_from_the_heuristic() -> None:
    problem = generate_roadmap(items=400, teams=6, seed=5)
    schedule = best_heuristic_schedule(problem, time_limit_s=0).schedule
    assert schedule.violations() == []
