"""The monitoring cycle end to end: calendar → report → submit → approve → lock → un-approve."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.monitoring.conftest import report_of
from tests.world import World
from waypoint.core.errors import InvalidInput, NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.indicators import services as indicator_services
from waypoint.indicators.errors import ValueLocked
from waypoint.indicators.models import Actual
from waypoint.monitoring import services
from waypoint.monitoring.models import Assignment, ReportingCalendar, Submission, SubmissionStatus
from waypoint.org.models import Notification, User

pytestmark = pytest.mark.django_db


def _fill(
    world: World,
    calendar: ReportingCalendar,
    unit: str,
    period: str,
    value: str,
    by: User | None = None,
    **extra: object,
) -> None:
    report = report_of(calendar, unit, period)
    entries = {a.pk: services.Entry(value=Decimal(value), **extra) for a in report.assignments.filter(kind="value")}  # type: ignore[arg-type]
    services.submission_save(actor=by or world.users["contributor"], submission=report, entries=entries)


def test_the_calendar_makes_periods_reports_and_assignments(world: World, cycle: ReportingCalendar) -> None:
    codes = list(cycle.periods.values_list("code", flat=True))
    assert "2012" in codes and "2013Q4" in codes  # years for the indicators, quarters for initiatives
    year = cycle.periods.get(code="2012")
    assert (year.due_on, year.grace_until) == (dt.date(2013, 1, 15), dt.date(2013, 1, 20))
    post = report_of(cycle, "BP-S1", "2012")
    assert [a.indicator.code for a in post.assignments.all() if a.indicator] == [world.indicators["south"].code]
    assert post.assignments.get().value_unit == world.unit("BP-S1")
    west = report_of(cycle, "RD-W", "2012").assignments.get()
    assert west.value_unit is None  # the whole administration's value, owned by RD-W
    # initiatives under way send a progress update each quarter
    assert report_of(cycle, "BP-S1", "2012Q2").assignments.get().element == world.elements["I1.1.1"]
    # I1.2.1 starts in 2013: nothing to report before, so no report
    assert not Submission.objects.filter(period__calendar=cycle, unit__code="BP-W1", period__code="2012Q2").exists()
    assert report_of(cycle, "BP-W1", "2013Q1").assignments.exists()
    # every unit above a reporting unit has a report, for the approval tree
    assert report_of(cycle, "RD-S", "2012").assignments.count() == 0
    assert report_of(cycle, "ADM", "2012")
    again = services.calendar_save(actor=None, plan=world.plan, due_days=20)
    assert Assignment.objects.filter(submission__period__calendar=again).count() == Assignment.objects.count()
    assert again.periods.get(code="2012").due_on == dt.date(2013, 1, 20)


def test_the_calendar_is_for_planners(world: World) -> None:
    with pytest.raises(NotAllowed):
        services.calendar_save(actor=world.users["contributor"], plan=world.plan)
    with pytest.raises(InvalidInput) as refused:
        services.calendar_save(actor=world.users["planner"], plan=world.plan, first_year=2020)
    assert refused.value.problems[0].location == "first_year"


def test_whole_path_report_submit_approve_lock_and_edit_refused(world: World, cycle: ReportingCalendar) -> None:
    contributor, planner = world.users["contributor"], world.users["planner"]
    # the post's own contributor reports (whoever reports never approves the same report)
    reporter = world.users["contributor_post"]
    _fill(world, cycle, "BP-S1", "2013", "7.5", evidence="TRS 2013", by=reporter)
    post = report_of(cycle, "BP-S1", "2013")
    assert post.status == SubmissionStatus.DRAFT
    assert not Actual.objects.filter(indicator=world.indicators["south"], period="2013").exists()
    services.submission_submit(actor=reporter, submission=post)
    actual = Actual.objects.get(indicator=world.indicators["south"], period="2013", unit=world.unit("BP-S1"))
    assert actual.value == Decimal("7.5") and actual.recorded_by == reporter
    # the southern contributor holds the directorate, the post's parent level: they approve
    post = services.submission_approve(actor=contributor, submission=report_of(cycle, "BP-S1", "2013"))
    assert post.status == SubmissionStatus.APPROVED
    # locked: the service behind the pages and the API refuses a change or a delete
    with pytest.raises(ValueLocked):
        indicator_services.actual_record(
            actor=planner, indicator=actual.indicator, period="2013", value=Decimal(9), unit=actual.unit, actual=actual
        )
    with pytest.raises(ValueLocked):
        indicator_services.actual_delete(actor=planner, actual=actual)
    # … and so does the report itself
    with pytest.raises(InvalidInput):
        services.submission_save(actor=contributor, submission=post, entries={})
    # the directorate cannot approve its own report; the administration's approver does, once
    # every child is settled
    directorate = report_of(cycle, "RD-S", "2013")
    with pytest.raises(NotAllowed):
        services.submission_approve(actor=contributor, submission=directorate)
    services.submission_approve(actor=world.users["approver"], submission=directorate)
    # un-approval goes top down and needs a reason
    with pytest.raises(InvalidInput) as refused:
        services.submission_unapprove(actor=contributor, submission=post, reason="Typo")
    assert "RD-S" in refused.value.message
    with pytest.raises(InvalidInput):
        services.submission_unapprove(actor=world.users["approver"], submission=directorate, reason=" ")
    services.submission_unapprove(actor=world.users["approver"], submission=directorate, reason="Recount")
    services.submission_unapprove(actor=contributor, submission=report_of(cycle, "BP-S1", "2013"), reason="Typo")
    reopened = report_of(cycle, "BP-S1", "2013")
    assert reopened.status == SubmissionStatus.RETURNED and reopened.reason == "Typo"
    indicator_services.actual_record(
        actor=planner, indicator=actual.indicator, period="2013", value=Decimal(9), unit=actual.unit, actual=actual
    )
    events = AuditEvent.objects.filter(entity="monitoring.Submission", entity_id=str(post.pk))
    assert {e.action for e in events} >= {"update", "status", "approve"}


def test_a_parent_waits_for_its_children_unless_waived(world: World, cycle: ReportingCalendar) -> None:
    approver = world.users["approver"]
    directorate = report_of(cycle, "RD-S", "2012")
    with pytest.raises(InvalidInput) as refused:
        services.submission_approve(actor=approver, submission=directorate)
    assert "BP-S1" in refused.value.message
    with pytest.raises(InvalidInput):
        services.submission_waive(
            actor=world.users["contributor"], submission=report_of(cycle, "BP-S1", "2012"), reason=""
        )
    services.submission_waive(
        actor=world.users["contributor"], submission=report_of(cycle, "BP-S1", "2012"), reason="Post closed"
    )
    services.submission_approve(actor=approver, submission=report_of(cycle, "RD-S", "2012"))
    # approving the higher level locks the values below it, the waived post's too
    with pytest.raises(ValueLocked):
        indicator_services.actual_record(
            actor=None, indicator=world.indicators["south"], period="2012", value=Decimal(1), unit=world.unit("BP-S1")
        )


def test_the_west_owner_reports_the_whole_value_and_others_may_not(world: World, cycle: ReportingCalendar) -> None:
    report = report_of(cycle, "RD-W", "2013")
    (line,) = report.assignments.all()
    with pytest.raises(NotAllowed):
        services.submission_save(
            actor=world.users["contributor"], submission=report, entries={line.pk: services.Entry(value=Decimal(1))}
        )
    services.submission_save(
        actor=world.users["contributor_west"], submission=report, entries={line.pk: services.Entry(value=Decimal(11))}
    )
    services.submission_submit(actor=world.users["contributor_west"], submission=report)
    assert Actual.objects.get(indicator=world.indicators["west"], period="2013", unit=None).value == 11


def test_an_empty_report_cannot_be_submitted(world: World, cycle: ReportingCalendar) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.submission_submit(actor=world.users["contributor"], submission=report_of(cycle, "BP-S1", "2013"))
    assert str(refused.value.problems[0].location).endswith(".value")


def _history(world: World, values: list[str]) -> None:
    south, post = world.indicators["south"], world.unit("BP-S1")
    world.plan.start_year = 2008
    world.plan.save(update_fields=["start_year"])
    for year, value in zip(range(2008, 2012), values, strict=True):
        Actual.objects.create(indicator=south, period=str(year), unit=post, value=Decimal(value))


def test_an_outlier_needs_confirmation_and_a_comment(world: World, cycle: ReportingCalendar) -> None:
    _history(world, ["10", "9.5", "10.5", "10"])
    contributor = world.users["contributor"]
    _fill(world, cycle, "BP-S1", "2012", "45")
    report = report_of(cycle, "BP-S1", "2012")
    with pytest.raises(InvalidInput) as refused:
        services.submission_submit(actor=contributor, submission=report)
    assert "usual range" in refused.value.message
    assert refused.value.problems[0].location.endswith(".comment")
    _fill(world, cycle, "BP-S1", "2012", "45", confirm_outlier=True)
    with pytest.raises(InvalidInput):  # confirmed, but without a comment
        services.submission_submit(actor=contributor, submission=report_of(cycle, "BP-S1", "2012"))
    _fill(world, cycle, "BP-S1", "2012", "45", confirm_outlier=True, comment="Scanner down for six weeks")
    services.submission_submit(actor=contributor, submission=report_of(cycle, "BP-S1", "2012"))
    assert (
        "Scanner down"
        in Actual.objects.get(indicator=world.indicators["south"], period="2012", unit=world.unit("BP-S1")).evidence
    )


def test_an_ordinary_value_needs_no_confirmation(world: World, cycle: ReportingCalendar) -> None:
    _history(world, ["10", "9.5", "10.5", "10"])
    _fill(world, cycle, "BP-S1", "2012", "10.2")
    services.submission_submit(actor=world.users["contributor"], submission=report_of(cycle, "BP-S1", "2012"))


def test_evidence_files_have_limits(world: World, cycle: ReportingCalendar, settings: object) -> None:
    report = report_of(cycle, "BP-S1", "2013")
    (line,) = report.assignments.all()
    bad = SimpleUploadedFile("run.exe", b"MZ")
    with pytest.raises(InvalidInput) as refused:
        services.submission_save(
            actor=world.users["contributor"], submission=report, entries={line.pk: services.Entry(evidence_file=bad)}
        )
    assert refused.value.problems[0].location == f"a{line.pk}.evidence_file"
    settings.EVIDENCE_MAX_BYTES = 10  # type: ignore[attr-defined]
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 100)
    with pytest.raises(InvalidInput):
        services.submission_save(
            actor=world.users["contributor"], submission=report, entries={line.pk: services.Entry(evidence_file=big)}
        )
    settings.EVIDENCE_MAX_BYTES = 1000  # type: ignore[attr-defined]
    services.submission_save(
        actor=world.users["contributor"],
        submission=report,
        entries={line.pk: services.Entry(value=Decimal(7), evidence_file=SimpleUploadedFile("count.pdf", b"%PDF-1"))},
    )
    assert str(report.assignments.get().evidence_file.name).endswith(".pdf")


def test_submitting_asks_the_parent_level_and_approval_tells_the_reporter(
    world: World, cycle: ReportingCalendar
) -> None:
    reporter = world.users["contributor_post"]
    _fill(world, cycle, "BP-S1", "2013", "7", by=reporter)
    services.submission_submit(actor=reporter, submission=report_of(cycle, "BP-S1", "2013"))
    asked = Notification.objects.get(recipient=world.users["contributor"], key__startswith="monitoring:submitted")
    assert asked.url == reverse("monitoring-report", args=[report_of(cycle, "BP-S1", "2013").pk])
    directorate_report = report_of(cycle, "RD-S", "2013")
    assert not directorate_report.assignments.exists()


def test_the_report_page_fills_submits_and_shows_the_lock(
    world: World, cycle: ReportingCalendar, client: Client
) -> None:
    report = report_of(cycle, "BP-S1", "2013")
    (line,) = report.assignments.all()
    client.force_login(world.users["contributor_post"])  # the post reports; its directorate approves
    url = reverse("monitoring-report", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"Previous" in page.content and b"Target" in page.content
    answer = client.post(url, {f"a{line.pk}.value": "abc", "action": "save"})
    assert answer.status_code == 400 and b"Write a number" in answer.content
    answer = client.post(url, {f"a{line.pk}.value": "7,25", "action": "submit", "version": report.version})
    assert answer.status_code == 302
    assert report_of(cycle, "BP-S1", "2013").status == SubmissionStatus.SUBMITTED
    client.force_login(world.users["contributor"])
    answer = client.post(reverse("monitoring-decide", args=[report.pk]), {"decision": "approve"})
    assert answer.status_code == 302
    page = client.get(url)
    assert b"locked" in page.content and b"Approved and locked" in page.content
    actual = Actual.objects.get(indicator=world.indicators["south"], period="2013", unit=world.unit("BP-S1"))
    client.force_login(world.users["planner"])
    edit = client.post(
        reverse("actual-edit", args=[actual.indicator_id, actual.pk]),
        {"period": "2013", "unit": world.unit("BP-S1").pk, "value": "99", "version": actual.version},
    )
    assert edit.status_code == 200 and b"locked" in edit.content
    assert Actual.objects.get(pk=actual.pk).value == Decimal("7.25")


def test_values_are_refused_before_the_period_opens_in_the_service_the_page_and_the_api(
    world: World, cycle: ReportingCalendar, client: Client
) -> None:
    import json

    from django.utils import timezone

    from waypoint.monitoring.models import ReportingPeriod

    report = report_of(cycle, "BP-S1", "2013")
    opens = timezone.localdate() + dt.timedelta(days=10)
    ReportingPeriod.objects.filter(pk=report.period_id).update(opens_on=opens)
    report = report_of(cycle, "BP-S1", "2013")
    (line,) = report.assignments.all()
    entries = {line.pk: services.Entry(value=Decimal(7))}
    with pytest.raises(InvalidInput) as refused:
        services.submission_save(actor=world.users["contributor"], submission=report, entries=entries)
    assert refused.value.problems[0].location == "period"
    assert opens.isoformat() in refused.value.message
    with pytest.raises(InvalidInput):
        services.submission_submit(actor=None, submission=report)
    assert Assignment.objects.get(pk=line.pk).value is None

    client.force_login(world.users["contributor"])
    url = reverse("monitoring-report", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'data-testid="report-not-open"' in page.content
    assert b'name="action" value="submit"' not in page.content  # no buttons before it opens
    answer = client.post(url, {"version": report.version, f"a{line.pk}.value": "7", "action": "save"})
    assert answer.status_code == 400 and opens.isoformat().encode() in answer.content
    answer = client.put(
        f"/api/reports/{report.pk}/draft",
        json.dumps({"entries": [{"assignment": line.pk, "value": 7}]}),
        content_type="application/json",
    )
    assert answer.status_code == 400 and answer.json()["problems"][0]["location"] == "period"
    assert Assignment.objects.get(pk=line.pk).value is None
    # once it has opened, the same entry goes through
    ReportingPeriod.objects.filter(pk=report.period_id).update(opens_on=timezone.localdate())
    saved = services.submission_save(actor=world.users["contributor"], submission=report, entries=entries)
    assert saved.assignments.get().value == Decimal(7)


def test_a_unit_with_nothing_of_its_own_gathers_its_units_reports_and_is_never_overdue(
    world: World, cycle: ReportingCalendar, client: Client
) -> None:
    directorate = report_of(cycle, "RD-S", "2012")  # nothing of its own; its post reports
    assert not directorate.assignments.exists()
    below = Submission.objects.filter(period=directorate.period, unit__parent=directorate.unit)
    client.force_login(world.users["contributor"])
    page = client.get(reverse("monitoring-report", args=[directorate.pk])).content.decode()
    assert "Gathers its units' reports" in page and "Not submitted" not in page.split('data-testid="children"')[0]
    assert "overdue" not in page  # 2012's report was due long ago, but this unit sends nothing
    assert f"0 of {below.count()} report" in page
    _fill(world, cycle, "BP-S1", "2012", "7", by=world.users["contributor_post"])
    services.submission_submit(actor=world.users["contributor_post"], submission=report_of(cycle, "BP-S1", "2012"))
    services.submission_approve(actor=world.users["contributor"], submission=report_of(cycle, "BP-S1", "2012"))
    settled = below.filter(status__in=[SubmissionStatus.APPROVED, SubmissionStatus.WAIVED]).count()
    assert settled >= 1
    page = client.get(reverse("monitoring-report", args=[directorate.pk])).content.decode()
    assert f"{settled} of {below.count()} report" in page
    # the administration's page names the directorate among its units the same way
    client.force_login(world.users["planner"])
    top = client.get(reverse("monitoring-report", args=[report_of(cycle, "ADM", "2012").pk])).content.decode()
    children = top.split('data-testid="children"')[1]
    assert "Gathers its units' reports" in children
    # a unit that reports keeps its own status and timeliness
    post = client.get(reverse("monitoring-report", args=[report_of(cycle, "BP-S1", "2013").pk])).content.decode()
    assert "Not submitted" in post and "Gathers its units" not in post.split('data-testid="children"')[0]
