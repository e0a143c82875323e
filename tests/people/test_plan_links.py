"""The workforce in the plan: an initiative's page carries its part of the training plan,
the activity profile shows what each function needs, needs count the officers of a unit's
sub-units, the allocation keeps every rule (checked apart from the solver), and indicators are
computed from training records with their provenance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from tests.people.conftest import Workforce
from tests.world import World
from waypoint.engine.training import violations
from waypoint.indicators.models import Actual
from waypoint.people import measures, selectors, services, worker
from waypoint.people.adapters import allocation_problem
from waypoint.people.models import Allocation, Measure


def _client(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def _solved(world: World, *, budget: str = "3000", away: int = 20) -> int:
    run = services.allocation_create(
        actor=None, plan=world.plan, name="Test 2015", year=2015, budget=Decimal(budget), max_away_percent=away
    )
    worker.run_allocation(run.pk, work_limit=2.0)
    return int(run.pk)


def test_the_allocation_keeps_budget_seats_and_continuity_checked_apart_from_the_solver(
    world: World, workforce: Workforce
) -> None:
    from waypoint.people.models import AllocationRun

    run = AllocationRun.objects.get(pk=_solved(world, budget="2500", away=25))
    assert run.status == "done" and run.value is not None and run.greedy_value is not None
    assert run.value >= run.greedy_value
    built = allocation_problem(run)
    officer_key = {pk: key for key, pk in built.officers.items()}
    session_key = {pk: key for key, pk in built.sessions.items()}
    plan = [(officer_key[a.officer_id], session_key[a.session_id]) for a in Allocation.objects.filter(run=run)]
    assert plan, "the test workforce has gaps a session can close"
    assert violations(built.problem, plan) == []
    assert run.spent is not None and run.spent <= Decimal("2500")


def test_an_initiative_carries_its_part_of_the_training_plan(world: World, workforce: Workforce) -> None:
    from waypoint.people.models import AllocationRun

    run = AllocationRun.objects.get(pk=_solved(world))
    services.allocation_adopt(actor=None, run=run)
    initiative = world.elements["I1.1.1"]
    viewer = _client(world, "viewer")
    page = viewer.get(reverse("element-detail", args=[initiative.pk])).content.decode()
    assert 'data-testid="initiative-training"' in page
    for code in ("RISK-2", "HS-3", "ETH-3"):
        assert code in page
    assert reverse("workforce-run", args=[run.pk]) in page
    # another initiative carries no course, and shows no training card
    other = world.elements["I1.2.1"]
    assert (
        'data-testid="initiative-training"'
        not in viewer.get(reverse("element-detail", args=[other.pk])).content.decode()
    )


def test_the_activity_profile_shows_what_each_function_needs(world: World, workforce: Workforce) -> None:
    page = _client(world, "viewer").get(reverse("functions-matrix", args=[world.plan.pk])).content.decode()
    assert 'data-testid="functions-workforce"' in page
    assert "Risk management" in page and ">24<" in page  # 10 analysts and 14 inspectors in 2015
    assert reverse("workforce-needs", args=[world.plan.pk]) in page


def test_a_need_at_a_unit_counts_the_officers_below_it(world: World, workforce: Workforce) -> None:
    from waypoint.people.models import RoleProfile

    inspector = RoleProfile.objects.get(pk=workforce.inspector.pk)
    risk = world.plan.functions.get(name="Risk management")
    # the southern directorate's inspectors serve at its posts (BP-S1: 12 of them, RD-S: 3)
    services.workforce_need_save(
        actor=None, function=risk, unit=world.unit("RD-S"), role_profile=inspector, year=2016, headcount=20
    )
    years = {y.year: y for y in selectors.workforce_gaps(world.users["hr"], world.plan)}
    row = next(r for r in years[2016].rows if r.unit.code == "RD-S")
    below = sum(1 for o in workforce.officers.values() if o.unit.path.startswith(world.unit("RD-S").path))
    assert row.present == below and row.gap == 20 - below


def test_indicators_are_computed_from_training_records_with_provenance(world: World, workforce: Workforce) -> None:
    indicator = world.indicators["south"]
    Actual.objects.filter(indicator=indicator).delete()
    # six officers completed RISK-2 in 2012 (conftest); eight more in 2013
    for number in ("T0004", "T0005", "T0006", "T0007", "T0008", "T0009", "T0010", "T0011"):
        services.training_record_add(
            actor=None,
            officer=workforce.officers[number],
            course=workforce.courses["RISK-2"],
            completed_on=dt.date(2013, 4, 2),
        )
    # and three in 2014: a group under five is not written
    for number in ("T0014", "T0015", "T0016"):
        services.training_record_add(
            actor=None,
            officer=workforce.officers[number],
            course=workforce.courses["RISK-4"],
            completed_on=dt.date(2014, 4, 2),
        )
    measures.binding_save(actor=None, indicator=indicator, measure=Measure.OFFICERS_TRAINED, competencies=["TEC.RISK"])
    computed = {a.period: a for a in Actual.objects.filter(indicator=indicator, unit__isnull=True)}
    assert set(computed) == {"2012", "2013"}
    assert computed["2012"].value == 6 and computed["2013"].value == 8
    assert computed["2013"].is_computed
    assert computed["2013"].provenance["source"] == "training records"
    assert computed["2013"].provenance["officers"] == 8
    # a value typed by a person is kept
    computed["2013"].is_computed = False
    computed["2013"].value = Decimal(99)
    computed["2013"].save()
    measures.binding_recompute(indicator.training_binding)
    assert Actual.objects.get(indicator=indicator, period="2013", unit__isnull=True).value == 99
