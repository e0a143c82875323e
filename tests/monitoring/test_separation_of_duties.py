"""Separation of duties: whoever submitted a unit's report, or typed its figures, never
approves it, even at the parent level; someone else at that level does. Refused in the
service, the page and the API, for every persona."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.monitoring.conftest import report_of
from tests.world import PERSONAS, World
from waypoint.core.errors import NotAllowed
from waypoint.monitoring import permissions, selectors, services
from waypoint.monitoring.models import ReportingCalendar, Submission, SubmissionStatus
from waypoint.org.models import Notification, User

pytestmark = pytest.mark.django_db

REFUSAL = "someone else at the level above approves it"


def _report_by(world: World, cycle: ReportingCalendar, reporter: User) -> Submission:
    report = report_of(cycle, "BP-S1", "2013")
    entries = {a.pk: services.Entry(value=Decimal("7.5")) for a in report.assignments.all()}
    services.submission_save(actor=reporter, submission=report, entries=entries)
    return services.submission_submit(actor=reporter, submission=report_of(cycle, "BP-S1", "2013"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_persona_approves_a_report_they_submitted(world: World, cycle: ReportingCalendar, persona: str) -> None:
    user = world.users[persona]
    report = report_of(cycle, "BP-S1", "2013")
    reports = permissions.can_submit(user, report)
    _report_by(world, cycle, user if reports else world.users["contributor_post"])
    report = report_of(cycle, "BP-S1", "2013")
    if reports:
        assert permissions.took_part(user, report)
        assert not permissions.can_approve(user, report)
        assert report not in selectors.to_decide(user, world.plan)
    may_approve = permissions.can_decide(user, report) and not reports
    assert permissions.can_approve(user, report) == may_approve
    if may_approve:
        assert services.submission_approve(actor=user, submission=report).status == SubmissionStatus.APPROVED
        return
    with pytest.raises(NotAllowed) as refused:
        services.submission_approve(actor=user, submission=report)
    if reports and permissions.can_decide(user, report):
        assert REFUSAL in refused.value.message
    assert report_of(cycle, "BP-S1", "2013").status == SubmissionStatus.SUBMITTED


def test_the_directorate_contributor_who_submitted_the_post_report_cannot_approve_it(
    world: World, cycle: ReportingCalendar, client: Client
) -> None:
    contributor = world.users["contributor"]
    report = _report_by(world, cycle, contributor)
    # they are the post's parent level …
    assert permissions.can_decide(contributor, report)
    # … but they reported it: refused in the service, the page and the API
    with pytest.raises(NotAllowed) as refused:
        services.submission_approve(actor=contributor, submission=report)
    assert REFUSAL in refused.value.message
    client.force_login(contributor)
    page = client.get(reverse("monitoring-report", args=[report.pk]))
    assert b'data-testid="approve-refusal"' in page.content
    assert b'value="approve" data-testid="approve" disabled' in page.content
    answer = client.post(reverse("monitoring-decide", args=[report.pk]), {"decision": "approve"})
    assert answer.status_code == 403 and REFUSAL.encode() in answer.content
    answer = client.post(
        f"/api/reports/{report.pk}/decision", json.dumps({"decision": "approve"}), content_type="application/json"
    )
    assert answer.status_code == 403 and REFUSAL in answer.json()["message"]
    assert report_of(cycle, "BP-S1", "2013").status == SubmissionStatus.SUBMITTED
    # they are not asked to approve it; the administration's approver is
    assert not Notification.objects.filter(recipient=contributor, key__startswith="monitoring:submitted").exists()
    # someone else at the parent level approves it
    approved = services.submission_approve(actor=world.users["approver"], submission=report)
    assert approved.status == SubmissionStatus.APPROVED


def test_who_typed_the_values_cannot_approve_what_another_submitted(
    world: World, cycle: ReportingCalendar, client: Client
) -> None:
    contributor, post = world.users["contributor"], world.users["contributor_post"]
    report = report_of(cycle, "BP-S1", "2013")
    entries = {a.pk: services.Entry(value=Decimal("7.5")) for a in report.assignments.all()}
    services.submission_save(actor=contributor, submission=report, entries=entries)
    # the post adds a comment only and submits: the value is still the directorate's
    comment = {a.pk: services.Entry(value=Decimal("7.5000"), comment="Checked") for a in report.assignments.all()}
    services.submission_save(actor=post, submission=report_of(cycle, "BP-S1", "2013"), entries=comment)
    report = services.submission_submit(actor=post, submission=report_of(cycle, "BP-S1", "2013"))
    with pytest.raises(NotAllowed):
        services.submission_approve(actor=contributor, submission=report)
    client.force_login(contributor)
    answer = client.post(
        f"/api/reports/{report.pk}/decision", json.dumps({"decision": "approve"}), content_type="application/json"
    )
    assert answer.status_code == 403
    # returning it for correction stays theirs to do: only approval is kept from the reporter
    services.submission_return(actor=contributor, submission=report, reason="Check the count")
