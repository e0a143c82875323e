"""Workforce needs at nested units: a need at a unit is met by the officers of that unit and
the units below it, so it includes what those units need for the same role profile. A
directorate's need and its post's need are not added up; totals count each officer once; the
small-group rule sees parts that do not overlap."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.people.conftest import Workforce
from tests.world import World
from waypoint.people import selectors, services
from waypoint.plans.models import PlanFunction

D, P, Q, OTHER = "/1/2/", "/1/2/3/", "/1/2/4/", "/1/5/"


@pytest.mark.parametrize(
    ("needs", "total"),
    [
        ([(D, "insp", 20), (P, "insp", 14)], 20),  # the post's 14 are part of the directorate's 20
        ([(D, "insp", 10), (P, "insp", 14)], 14),  # a directorate cannot need fewer than its posts
        ([(D, "insp", 10), (P, "insp", 6), (Q, "insp", 8)], 14),
        ([(D, "insp", 20), (P, "insp", 6), (Q, "insp", 8)], 20),
        ([(P, "insp", 6), (Q, "insp", 8)], 14),  # units side by side add up
        ([(D, "insp", 20), (P, "analyst", 14)], 34),  # another role profile is another need
        ([(D, "insp", 5), (D, "insp", 7), (P, "insp", 3)], 12),  # two functions at one unit add up
        ([(D, "insp", 20), (P, "insp", 14), (OTHER, "insp", 4)], 24),
        ([("/1/", "insp", 30), (D, "insp", 10), (P, "insp", 14)], 30),  # three levels
        ([("/1/", "insp", 12), (D, "insp", 10), (P, "insp", 14)], 14),
        ([], 0),
    ],
)
def test_nested_needs_are_counted_once(needs: list[tuple[str, str, int]], total: int) -> None:
    assert selectors.rolled_up(needs) == total


def _nest(world: World, workforce: Workforce, directorate: int) -> None:
    """The southern directorate needs ``directorate`` inspectors in 2015; its post BP-S1 already
    needs 14 (``conftest``)."""
    risk = PlanFunction.objects.get(plan=world.plan, name="Risk management")
    services.workforce_need_save(
        actor=None, function=risk, unit=world.unit("RD-S"), role_profile=workforce.inspector, year=2015, headcount=6
    )
    clearance = PlanFunction.objects.get(plan=world.plan, name="Clearance")
    services.workforce_need_save(
        actor=None,
        function=clearance,
        unit=world.unit("RD-S"),
        role_profile=workforce.inspector,
        year=2015,
        headcount=directorate - 6,
    )


def _year(world: World, persona: str, year: int = 2015) -> selectors.YearNeeds:
    return next(y for y in selectors.workforce_gaps(world.users[persona], world.plan) if y.year == year)


def test_a_directorate_need_includes_its_post_need_in_the_year_totals(world: World, workforce: Workforce) -> None:
    _nest(world, workforce, 20)
    year = _year(world, "hr")
    rows = {r.unit.code: r for r in year.rows}
    # HQ-RSK analysts 10, and 20 inspectors in the south of which the post's 14: 30, not 44
    assert year.needed == 30
    assert rows["RD-S"].recorded == 20 and rows["RD-S"].below == 14 and rows["RD-S"].needed == 20
    assert rows["BP-S1"].within is not None and rows["BP-S1"].within.code == "RD-S"
    assert rows["RD-S"].within is None and rows["HQ-RSK"].within is None
    # in service: 6 analysts; 3 inspectors at the directorate and 12 at its post, counted once
    assert rows["RD-S"].present == 15 and rows["BP-S1"].present == 12
    assert year.present == 21
    assert rows["RD-S"].gap == 5


def test_a_directorate_recording_less_than_its_posts_needs_theirs(world: World, workforce: Workforce) -> None:
    _nest(world, workforce, 10)
    year = _year(world, "hr")
    rows = {r.unit.code: r for r in year.rows}
    assert rows["RD-S"].recorded == 10 and rows["RD-S"].needed == 14
    assert year.needed == 24


def test_nested_rows_hide_what_a_subtraction_would_reveal(world: World, workforce: Workforce) -> None:
    _nest(world, workforce, 20)
    year = _year(world, "viewer")
    rows = {r.unit.code: r for r in year.rows}
    # 15 in the south less 12 at the post would be the directorate's own 3 inspectors
    assert rows["RD-S"].present is None
    assert year.present == 21  # each officer once; the hidden parts together hold 9
    shown = [r for r in year.rows if r.present is not None]
    assert all(r.present >= 5 for r in shown if r.present)


def test_the_workforce_page_and_the_activity_profile_say_the_rule_and_count_once(
    world: World, workforce: Workforce
) -> None:
    _nest(world, workforce, 20)
    client = Client()
    client.force_login(world.users["planner"])
    page = client.get(reverse("workforce-needs", args=[world.plan.pk])).content.decode()
    assert 'data-testid="nesting-rule"' in page and "not 34" in page
    assert re.search(r'data-testid="year-needed">30<', page)
    assert "within RD-S" in page and "of which 14 below" in page
    functions = client.get(reverse("functions-matrix", args=[world.plan.pk])).content.decode()
    table = functions[functions.index('data-testid="functions-workforce"') :]
    # Risk management in 2015: 10 analysts, and 14 inspectors at BP-S1 within the 6 of RD-S: 24
    risk = table[table.index("Risk management") : table.index("</tr>", table.index("Risk management"))]
    assert re.findall(r'class="num">(\d*)<', risk).count("24") == 1
    assert "30" not in re.findall(r'class="num">(\d*)<', risk)
