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


def test_the_demo_size_has_the_demo_teams_and_more_items_more_teams() -> None:
    from waypoint.engine.scheduling.generator import DEMO_ITEMS, DEMO_TEAMS, team_count

    assert team_count(DEMO_ITEMS) == DEMO_TEAMS == 9
    assert team_count(100) < team_count(1000) < team_count(3000)
    assert team_count(1) >= 2
    problem = generate_roadmap(seed=3)
    assert len(problem.activities) == DEMO_ITEMS and len(problem.resources) == DEMO_TEAMS


def test_activities_look_like_the_demo_plan() -> None:
    import statistics

    problem = generate_roadmap(items=1000, seed=2)
    durations = [a.duration for a in problem.activities]
    assert min(durations) >= 3 and max(durations) <= 60
    assert 14 <= statistics.median(durations) <= 24  # the demo: 18
    # initiatives of two to four activities (the demo: 2.1 on average)
    initiatives = {a.id.split(".")[0] for a in problem.activities}
    assert 2.0 <= len(problem.activities) / len(initiatives) <= 2.6
    # one or two people of one team each, now and then a second team
    assert all(1 <= len(a.demands) <= 2 for a in problem.activities)
    assert all(a.costs for a in problem.activities)  # every activity has a funding source
    assert any(a.pinned_start is not None for a in problem.activities)
    assert any(len(resource.changes) == 1 for resource in problem.resources)
    # yearly caps over the plan period only
    assert all(sorted(budget.caps) == list(range(5)) for budget in problem.budgets)


def test_a_sixty_month_plan_fits_its_teams_roughly() -> None:
    from waypoint.engine.scheduling import critical_path

    for items in (100, 300, 1000):
        for seed in (1, 2):
            problem = generate_roadmap(items=items, months=60, seed=seed)
            assert critical_path(problem).project_end <= 60
            schedule = best_heuristic_schedule(problem, time_limit_s=0).schedule
            assert schedule.violations() == []
            assert schedule.makespan <= 72, (items, seed)  # not the 300 months of the old generator


def test_tighter_teams_take_longer() -> None:
    loose = generate_roadmap(items=200, seed=4)
    tight = generate_roadmap(items=200, seed=4, team_share=0.5)
    assert sum(r.capacity for r in tight.resources) < sum(r.capacity for r in loose.resources)
    assert (
        best_heuristic_schedule(tight, time_limit_s=0).schedule.makespan
        >= best_heuristic_schedule(loose, time_limit_s=0).schedule.makespan
    )
