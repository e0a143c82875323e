"""What is worked out once per change of a plan (its quality findings, its indicators'
verdicts) is never shown stale: every kind of write moves the plan's change count, and the
pages then read findings and verdicts equal to those worked out afresh (issue 20)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.core.test_services_audited import WRITES
from tests.world import World
from waypoint.core.audit import changes_counted
from waypoint.core.models import AuditEvent, ChangeCount
from waypoint.core.templatetags.waypoint import translated
from waypoint.indicators import services as indicator_services
from waypoint.indicators.selectors import IndicatorState, forget_verdicts, indicator_states
from waypoint.plans import quality, services
from waypoint.plans.models import Plan, PlanFindings
from waypoint.plans.selectors import forget_rollups, plan_overview


def _counts() -> dict[str, tuple[int, str]]:
    return {scope: (count, token) for scope, count, token in ChangeCount.objects.values_list("scope", "count", "token")}


def _overview(plan: Plan) -> tuple[Any, ...]:
    """What the tree, the overview and the logframe read of the plan's kept roll-ups."""
    overview = plan_overview(plan)
    elements = [
        (
            e.pk,
            e.parent_id,
            e.position,
            e.code,
            e.title,
            e.kind,
            e.status,
            e.starts_on,
            e.ends_on,
            e.tier.name if e.tier else None,
            e.responsible_unit.code,
            e.responsible_unit.name,
        )
        for e in overview.elements
    ]
    return elements, overview.health, overview.budget.total, [node.indicator_count for node in overview.roots]


def _fresh_overview(plan: Plan) -> tuple[Any, ...]:
    forget_verdicts()
    forget_rollups()
    return _overview(plan)


def _verdicts(plan: Plan, *, kept: bool) -> dict[int, Any]:
    states = indicator_states(plan, with_actuals=not kept)
    return {pk: (s.latest, s.by_year, s.partial, s.reporting_units) for pk, s in states.items()}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_every_write_moves_the_change_count_and_the_pages_read_fresh_results(name: str, world: World) -> None:
    run = WRITES[name].prepare(world)
    plan = world.plan
    quality.checked(plan)  # keep the findings, verdicts and roll-ups as they are before the write
    _verdicts(plan, kept=True)
    _overview(plan)
    before_counts = _counts()
    before_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    run()
    after_counts = _counts()
    moved = {scope for scope, value in after_counts.items() if before_counts.get(scope) != value}
    for event in AuditEvent.objects.filter(pk__gt=before_event):
        if event.plan_id is not None:
            assert f"plan:{event.plan_id}" in moved, (name, event.entity, event.action)
        elif event.administration_id is not None:
            assert f"administration:{event.administration_id}" in moved or any(s.startswith("plan:") for s in moved), (
                name,
                event.entity,
                event.action,
            )
    plan.refresh_from_db()
    assert quality.checked(plan) == quality.compute(plan), name
    assert _verdicts(plan, kept=True) == _verdicts(plan, kept=False), name
    assert _overview(plan) == _fresh_overview(plan), name


def test_a_change_shows_on_the_tree_and_the_health_page_at_once(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    health = reverse("plan-health", args=[world.plan.pk])
    assert "An objective added" not in client.get(health).content.decode()
    goal = world.elements["G1"]
    services.element_create(
        actor=None, plan=world.plan, parent=goal, title="An objective added", responsible_unit=goal.responsible_unit
    )
    page = client.get(health).content.decode()
    assert "An objective added" in page  # an objective without indicators is a finding
    kept = PlanFindings.objects.get(plan=world.plan)
    assert kept.stamp == changes_counted(world.plan.pk, world.plan.administration_id)


def test_a_new_actual_value_changes_the_kept_verdicts(world: World) -> None:
    indicator = next(iter(world.indicators.values()))
    before = _verdicts(world.plan, kept=True)[indicator.pk]
    indicator_services.actual_record(
        actor=None, indicator=indicator, period="2016", value=indicator.baseline_value or Decimal(1)
    )
    after = _verdicts(world.plan, kept=True)[indicator.pk]
    assert after != before
    assert _verdicts(world.plan, kept=True) == _verdicts(world.plan, kept=False)


def _years_of_rolled_up_verdicts(plan: Plan) -> dict[int, list[str]]:
    states = plan_overview(plan).states
    return {pk: [str(e.period) for e in cast(IndicatorState, s).by_year] for pk, s in states.items()}


def test_a_request_that_read_the_plan_before_its_years_changed_keeps_nothing_for_later(world: World) -> None:
    # a request reads the plan, another changes its years, then the first reads the stamp
    # (already moved) and works out the verdicts with the years it read: they must not be
    # kept for requests that read the plan as it is now
    stale = Plan.objects.get(pk=world.plan.pk)
    services.plan_update(actor=None, plan=world.plan, expected_version=None, changes={"end_year": 2018})
    stale_verdicts = _verdicts(stale, kept=True)
    _overview(stale)
    plan = Plan.objects.get(pk=world.plan.pk)
    assert _verdicts(plan, kept=True) == _verdicts(plan, kept=False) != stale_verdicts
    # the roll-ups hold the states they were worked out with: the years of each verdict
    kept_years = _years_of_rolled_up_verdicts(plan)
    assert _overview(plan) == _fresh_overview(plan)
    fresh_years = _years_of_rolled_up_verdicts(plan)
    assert kept_years == fresh_years and all(len(years) == 7 for years in fresh_years.values())


def test_what_a_rolled_back_write_showed_is_not_kept_for_later(world: World) -> None:
    goal = world.elements["G1"]
    quality.checked(world.plan)
    created: list[Any] = []

    def change_then_fail() -> None:
        with transaction.atomic():
            created.append(
                services.element_create(
                    actor=None,
                    plan=world.plan,
                    parent=goal,
                    title="Rolled back",
                    responsible_unit=goal.responsible_unit,
                )
            )
            inside = quality.checked(world.plan)
            assert any(f.subject_code == created[0].code for f in inside.report.findings)
            _verdicts(world.plan, kept=True)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    # the count moved back with the transaction; a later change draws a new token
    services.plan_update(actor=None, plan=world.plan, expected_version=None, changes={"vision": "Later"})
    assert quality.checked(world.plan) == quality.compute(world.plan)
    assert not any(f.subject_code == created[0].code for f in quality.checked(world.plan).report.findings)
    assert _verdicts(world.plan, kept=True) == _verdicts(world.plan, kept=False)


def test_a_record_without_a_plan_id_is_counted_under_the_plan_it_leads_to(world: World) -> None:
    """The Django admin and a few services record an instance without naming its plan."""
    from waypoint.core.audit import plan_of

    indicator = next(iter(world.indicators.values()))
    assert plan_of(indicator) == world.plan.pk
    assert plan_of(world.elements["G1"]) == world.plan.pk
    assert plan_of(world.unit("ADM")) is None


def test_findings_read_back_from_the_database_are_said_in_the_reader_s_language(world: World) -> None:
    """The kept findings keep each message's template and values, not the English sentence:
    another process reading them back says them in its reader's language."""
    fresh = quality.compute(world.plan).report.findings
    quality.checked(world.plan)  # worked out and kept
    quality.forget_read()  # as another process: read back from the database
    read = quality.checked(world.plan).report.findings
    assert [str(f.message) for f in read] == [str(f.message) for f in fresh]
    with translation.override("fr"):
        said_fresh = [translated(f.message) for f in fresh]
        said_read = [translated(f.message) for f in read]
    assert said_read == said_fresh
    assert any(said != str(f.message) for said, f in zip(said_read, read, strict=True))


def test_findings_kept_in_an_older_format_are_worked_out_again(world: World) -> None:
    quality.checked(world.plan)
    quality.forget_read()
    kept = PlanFindings.objects.get(plan=world.plan)
    kept.report = {key: value for key, value in kept.report.items() if key != "format"}
    kept.save(update_fields=["report"])
    quality.checked(world.plan)
    assert PlanFindings.objects.get(plan=world.plan).report["format"] == quality.FORMAT
