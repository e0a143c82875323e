"""A locked value holds through the pages, the API, the values computed from data (the Time
Release Study, training records) and imports."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.monitoring.conftest import report_of
from tests.world import World
from waypoint.core.models import AuditEvent
from waypoint.indicators.models import Actual
from waypoint.monitoring import services
from waypoint.monitoring.models import ReportingCalendar
from waypoint.plans.planfile import plan_export, plan_import
from waypoint.trs import services as trs

pytestmark = pytest.mark.django_db

EVENTS = (
    "declaration_id,milestone,timestamp\n"
    "D1,arrival,2012-03-01T08:00:00Z\n"
    "D1,lodgement,2012-03-01T09:00:00Z\n"
    "D1,registration,2012-03-01T09:30:00Z\n"
    "D1,release,2012-03-01T11:00:00Z\n"
)


def _lock_2012(world: World, calendar: ReportingCalendar) -> None:
    """The administration's 2012 report approved, its directorates' waived: all of 2012 locked."""
    for unit in ("BP-S1", "RD-S", "RD-W"):
        report = report_of(calendar, unit, "2012")
        if report.status != "waived" and unit != "RD-S":
            services.submission_waive(actor=None, submission=report, reason="Counted centrally")
    services.submission_approve(actor=None, submission=report_of(calendar, "RD-S", "2012"))
    services.submission_approve(actor=None, submission=report_of(calendar, "ADM", "2012"))


def test_the_api_refuses_to_change_a_locked_value(world: World, cycle: ReportingCalendar, client: Client) -> None:
    _lock_2012(world, cycle)
    actual = world.indicators["west"].actuals.get(period="2012")
    client.force_login(world.users["planner"])
    answer = client.patch(
        f"/api/actuals/{actual.pk}",
        json.dumps({"version": actual.version, "value": 1}),
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "locked"
    answer = client.post(
        f"/api/indicators/{world.indicators['south'].pk}/actuals",
        json.dumps({"period": "2012", "value": 3, "unit": "BP-S1"}),
        content_type="application/json",
    )
    assert answer.status_code == 400 and answer.json()["code"] == "locked"
    assert client.delete(f"/api/actuals/{actual.pk}").status_code == 400
    assert Actual.objects.get(pk=actual.pk).value == Decimal(14)
    # a year that is not locked may still change
    answer = client.post(
        f"/api/indicators/{world.indicators['west'].pk}/actuals",
        json.dumps({"period": "2013", "value": 12}),
        content_type="application/json",
    )
    assert answer.status_code == 201


def test_the_page_refuses_to_delete_a_locked_value(world: World, cycle: ReportingCalendar, client: Client) -> None:
    _lock_2012(world, cycle)
    actual = world.indicators["west"].actuals.get(period="2012")
    client.force_login(world.users["planner"])
    answer = client.post(reverse("actual-delete", args=[actual.indicator_id, actual.pk]))
    assert answer.status_code == 302
    assert Actual.objects.filter(pk=actual.pk).exists()


def test_computed_values_are_locked_once_approved(world: World, cycle: ReportingCalendar) -> None:
    west = world.indicators["west"]
    west.actuals.all().delete()
    root = Path(settings.WAYPOINT_TRS_DATA)
    root.mkdir(parents=True, exist_ok=True)
    (root / "events.csv").write_text(EVENTS, encoding="utf-8")
    dataset = trs.dataset_register(
        actor=None, administration=world.unit("ADM"), name="Study", server_path="events.csv", run_now=True
    )
    binding = trs.binding_save(actor=None, indicator=west, dataset=dataset, statistic="median")
    computed = west.actuals.get(period="2012")
    assert computed.is_computed
    _lock_2012(world, cycle)
    Actual.objects.filter(pk=computed.pk).update(value=Decimal(99))  # as approved
    trs.binding_recompute(binding)
    assert Actual.objects.get(pk=computed.pk).value == Decimal(99)
    event = AuditEvent.objects.filter(entity="trs.IndicatorBinding", action="compute").order_by("-id").first()
    assert event is not None and event.changes["kept (approved and locked)"] == [None, ["2012"]]


def test_a_plan_file_import_makes_a_new_plan_and_leaves_locked_values_alone(
    world: World, cycle: ReportingCalendar
) -> None:
    _lock_2012(world, cycle)
    before = {a.pk: a.value for a in Actual.objects.all()}
    document = plan_export(world.plan)
    document["plan"]["title"] = "Imported copy"
    copy = plan_import(json.dumps(document), actor=world.users["planner"])
    assert copy.pk != world.plan.pk
    assert {a.pk: a.value for a in Actual.objects.filter(pk__in=before)} == before


def test_values_computed_from_training_records_are_locked_once_approved(world: World, cycle: ReportingCalendar) -> None:
    from tests.people.conftest import make_workforce
    from waypoint.people import measures
    from waypoint.people.models import Measure

    west = world.indicators["west"]
    west.actuals.all().delete()
    make_workforce(world)  # six officers completed RISK-2 in 2012
    binding = measures.binding_save(
        actor=None, indicator=west, measure=Measure.OFFICERS_TRAINED, competencies=["TEC.RISK"]
    )
    computed = west.actuals.get(period="2012", unit__isnull=True)
    assert computed.is_computed and computed.value == 6
    _lock_2012(world, cycle)
    Actual.objects.filter(pk=computed.pk).update(value=Decimal(99))  # as approved
    measures.binding_recompute(binding)
    assert Actual.objects.get(pk=computed.pk).value == Decimal(99)
    event = (
        AuditEvent.objects.filter(entity="people.TrainingIndicatorBinding", action="compute").order_by("-id").first()
    )
    assert event is not None and event.changes["kept (approved and locked)"] == [None, ["2012"]]
