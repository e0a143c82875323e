from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.world import World
from waypoint.engine.indicators import Status
from waypoint.plans import selectors


def test_budgets_roll_up_the_tree(world: World) -> None:
    overview = selectors.plan_overview(world.plan)
    e = world.elements
    assert overview.budget.total_of(e["A1.1.1.1"].pk) == Decimal(100000)
    assert overview.budget.total_of(e["I1.1.1"].pk) == Decimal(100000)
    assert overview.budget.total_of(e["G1"].pk) == Decimal(150000)
    assert overview.total_budget() == Decimal(150000)


def test_health_rolls_up_from_indicators(world: World) -> None:
    overview = selectors.plan_overview(world.plan)
    e = world.elements
    assert overview.health[e["O1.1"].pk].status is Status.ON_TRACK  # 8.5 h against 9 h
    assert overview.health[e["O1.2"].pk].status is Status.OFF_TRACK  # 14 h against 11 h
    assert overview.health[e["G1"].pk].status is Status.AT_RISK


def test_filters_keep_matches_and_their_ancestors(world: World) -> None:
    overview = selectors.plan_overview(world.plan, selectors.TreeFilters(search="lanes"))
    goal = overview.roots[0]
    assert not goal.matched
    activity = goal.children[0].children[0].children[0]
    assert activity.element.code == "A1.1.1.1" and activity.matched
    assert len(goal.children) == 1


def test_filter_by_unit_covers_its_subtree(world: World) -> None:
    filters = selectors.TreeFilters(unit_path=world.units["RD-W"].path)
    overview = selectors.plan_overview(world.plan, filters)
    codes = [c.element.code for c in overview.roots[0].children]
    assert codes == ["O1.2"]


def test_filter_by_health(world: World) -> None:
    overview = selectors.plan_overview(world.plan, selectors.TreeFilters(health="off_track"))
    assert [c.element.code for c in overview.roots[0].children] == ["O1.2"]


def test_the_overview_needs_a_fixed_number_of_queries(world: World, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(6):
        selectors.plan_overview(world.plan)
