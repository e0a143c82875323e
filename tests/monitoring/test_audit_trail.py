"""What the monitoring cycle writes in the audit trail and tells people names the person who
did it, never a bare "system" when someone did."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.monitoring.conftest import report_of
from tests.world import World
from waypoint.core.models import AuditEvent
from waypoint.indicators.models import Actual
from waypoint.monitoring import services
from waypoint.monitoring.models import ReportingCalendar
from waypoint.org.models import Notification

pytestmark = pytest.mark.django_db


def test_values_recorded_at_submission_are_audited_as_the_submitter(world: World, cycle: ReportingCalendar) -> None:
    reporter = world.users["contributor_post"]
    report = report_of(cycle, "BP-S1", "2013")
    entries = {a.pk: services.Entry(value=Decimal("7.5")) for a in report.assignments.all()}
    services.submission_save(actor=reporter, submission=report, entries=entries)
    services.submission_submit(actor=reporter, submission=report_of(cycle, "BP-S1", "2013"))
    actual = Actual.objects.get(indicator=world.indicators["south"], period="2013", unit=world.unit("BP-S1"))
    assert actual.recorded_by == reporter and actual.recorded_by_name == reporter.get_username()
    event = AuditEvent.objects.get(entity="indicators.Actual", entity_id=str(actual.pk))
    assert event.actor == reporter and event.actor_name == reporter.get_username()
    asked = Notification.objects.get(recipient=world.users["contributor"], key__startswith="monitoring:submitted")
    assert reporter.display_name in asked.body


def test_what_waypoint_does_itself_is_said_in_words_people_read(
    world: World, cycle: ReportingCalendar, client: Client
) -> None:
    report = report_of(cycle, "BP-S1", "2013")
    entries = {a.pk: services.Entry(value=Decimal("7.5")) for a in report.assignments.all()}
    services.submission_save(actor=None, submission=report, entries=entries)
    services.submission_submit(actor=None, submission=report_of(cycle, "BP-S1", "2013"))
    asked = Notification.objects.get(recipient=world.users["contributor"], key__startswith="monitoring:submitted")
    assert "system" not in asked.body and "Waypoint" in asked.body
    action = services.action_create(
        actor=None, plan=world.plan, title="Publish times", owner_unit=world.unit("RD-S"), due_on=report.period.due_on
    )
    comment = services.action_comment(actor=None, action=action, text="Reminder sent")
    assert comment.author_name == "" and comment.author_label == "Waypoint"
    client.force_login(world.users["viewer"])
    page = client.get(reverse("action-detail", args=[action.pk])).content.decode()
    assert "Waypoint ·" in page and "system ·" not in page
    page = client.get(reverse("monitoring-report", args=[report.pk])).content.decode()
    assert "by Waypoint." in page and "by system" not in page
