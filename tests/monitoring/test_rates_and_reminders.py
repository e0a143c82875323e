"""Completeness and timeliness as the dashboard shows them, and the reminder job."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.monitoring.conftest import report_of
from tests.world import World
from waypoint.monitoring import reminders, selectors, services
from waypoint.monitoring.models import ReportingCalendar, Submission, SubmissionStatus
from waypoint.org.models import EmailMode, Notification, User

pytestmark = pytest.mark.django_db


def _submit(world: World, calendar: ReportingCalendar, unit: str, period: str, on: dt.date, user: str) -> None:
    report = report_of(calendar, unit, period)
    entries = {a.pk: services.Entry(value=Decimal(7)) for a in report.assignments.filter(kind="value")}
    entries |= {
        a.pk: services.Entry(percent_complete=50, rag="green") for a in report.assignments.filter(kind="progress")
    }
    services.submission_save(actor=world.users[user], submission=report, entries=entries)
    services.submission_submit(actor=world.users[user], submission=report_of(calendar, unit, period))
    moment = timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
    Submission.objects.filter(pk=report.pk).update(submitted_at=moment, first_submitted_at=moment)


def test_the_dashboard_figures_equal_a_direct_count(world: World, cycle: ReportingCalendar, client: Client) -> None:
    _submit(world, cycle, "BP-S1", "2012", dt.date(2013, 1, 10), "contributor")  # on time
    _submit(world, cycle, "RD-W", "2012", dt.date(2013, 2, 1), "contributor_west")  # late
    services.submission_waive(actor=None, submission=report_of(cycle, "BP-S1", "2012Q1"), reason="Closed")
    today = timezone.localdate()
    data = selectors.completeness(world.plan)
    # a direct count: reports with something to report whose grace period is over, or that arrived
    reports = Submission.objects.filter(period__calendar=cycle, assignments__isnull=False).distinct()
    received = [r for r in reports if r.submitted_at is not None and r.status != SubmissionStatus.WAIVED]
    expected = [
        r
        for r in reports
        if r.status != SubmissionStatus.WAIVED and (r.submitted_at is not None or r.period.grace_until < today)
    ]
    on_time = [r for r in received if timezone.localdate(r.submitted_at) <= r.period.grace_until]
    assert data.overall.expected == len(expected)
    assert data.overall.received == len(received) == 2
    assert data.overall.on_time == len(on_time) == 1
    assert data.overall.late == 1
    assert data.overall.missing == len(expected) - 2
    assert data.counts["waived"] == 1
    south = next(rates for unit, _cells, rates in data.rows if unit.code == "BP-S1")
    assert south.received == 1
    directorates = {unit.code: rates for unit, rates in data.directorates}
    assert directorates["RD-W"].late == 1
    # the page and the API show the same figures
    client.force_login(world.users["viewer"])
    page = client.get(reverse("monitoring-dashboard", args=[world.plan.pk]))
    assert page.status_code == 200
    rate = data.overall.reporting_rate
    assert rate == pytest.approx(100 * 2 / len(expected))
    assert f"{rate:.1f} %".encode() in page.content
    assert f"{len(received)} of {len(expected)} reports".encode() in page.content
    answer = client.get(f"/api/plans/{world.plan.pk}/completeness").json()
    overall = answer["overall"]
    assert (overall["expected"], overall["received"], overall["on_time"], overall["late"], overall["missing"]) == (
        len(expected),
        len(received),
        len(on_time),
        1,
        len(expected) - 2,
    )
    assert overall["reporting_rate"] == pytest.approx(rate)
    assert answer["waived"] == 1
    units = {row["group"]: row for row in answer["units"]}
    assert units["BP-S1"]["received"] == south.received


def _contributor_with_email(world: World, name: str = "contributor") -> User:
    User.objects.filter(pk=world.users[name].pk).update(email=f"{name}@example.org", email_mode=EmailMode.IMMEDIATE)
    return User.objects.get(pk=world.users[name].pk)


def test_reminders_go_before_on_and_after_the_due_date_once_each(
    world: World, cycle: ReportingCalendar, django_capture_on_commit_callbacks: object
) -> None:
    # BP-S1's own contributor reports for it (``reporters_of``: the nearest unit with some)
    person = _contributor_with_email(world, "contributor_post")
    report = report_of(cycle, "BP-S1", "2013")
    due = report.period.due_on
    before = f"reminder:submission:{report.pk}:before"
    reminders.send_reminders(due - dt.timedelta(days=cycle.remind_days_before + 1))
    assert not Notification.objects.filter(recipient=person, key=before).exists()
    reminders.send_reminders(due - dt.timedelta(days=3))
    assert Notification.objects.filter(recipient=person, key=before).exists()
    assert reminders.send_reminders(due - dt.timedelta(days=3)) == 0  # the second run sends nothing
    reminders.send_reminders(due)
    reminders.send_reminders(due + dt.timedelta(days=1))
    keys = set(
        Notification.objects.filter(recipient=person, key__contains=f":{report.pk}:").values_list("key", flat=True)
    )
    assert keys == {f"reminder:submission:{report.pk}:{step}" for step in ("before", "due", "overdue")}
    notice = Notification.objects.get(recipient=person, key=f"reminder:submission:{report.pk}:due")
    assert notice.url == reverse("monitoring-report", args=[report.pk])


def test_an_overdue_report_is_escalated_to_the_head_of_the_parent_unit(world: World, cycle: ReportingCalendar) -> None:
    report = report_of(cycle, "RD-W", "2013")  # RD-W's parent is the administration: its approver
    due = report.period.due_on
    reminders.send_reminders(due + dt.timedelta(days=cycle.escalate_days_after - 1))
    assert not Notification.objects.filter(key=f"reminder:submission:{report.pk}:escalated").exists()
    reminders.send_reminders(due + dt.timedelta(days=cycle.escalate_days_after))
    escalated = Notification.objects.get(key=f"reminder:submission:{report.pk}:escalated")
    assert escalated.recipient == world.users["approver"]
    post = report_of(cycle, "BP-S1", "2013")  # BP-S1's parent is RD-S: its contributor
    assert (
        Notification.objects.get(key=f"reminder:submission:{post.pk}:escalated").recipient == world.users["contributor"]
    )


def test_the_scheduled_job_run_twice_sends_nothing_the_second_time(
    world: World, cycle: ReportingCalendar, settings: object
) -> None:
    _contributor_with_email(world)
    _contributor_with_email(world, "contributor_west")
    from io import StringIO

    first = StringIO()
    call_command("notifications", stdout=first)
    sent = len(mail.outbox)
    assert sent > 0  # 2012 and 2013 are long overdue
    made = re.search(r"(\d+) reminders made", first.getvalue())
    assert made is not None and int(made.group(1)) > 0  # the monitoring job ran with the others
    count = Notification.objects.count()
    call_command("notifications", stdout=StringIO())
    assert Notification.objects.count() == count
    assert len(mail.outbox) == sent
    # the e-mail links straight to the report page
    assert "/reports/" in mail.outbox[0].body


def test_the_workers_reminders_chore_runs_the_monitoring_job_once(world: World, cycle: ReportingCalendar) -> None:
    """The background worker runs the chores between tasks (``core.work.run_chores``): the
    monitoring reminders are among them, and a second round makes nothing new."""
    from waypoint.core import work

    _contributor_with_email(world)
    assert work.run_chores() == []
    count = Notification.objects.filter(key__startswith="reminder:submission:").count()
    assert count > 0
    assert work.run_chores() == []
    assert Notification.objects.filter(key__startswith="reminder:submission:").count() == count


def test_a_submitted_or_approved_report_is_not_reminded(world: World, cycle: ReportingCalendar) -> None:
    _submit(world, cycle, "BP-S1", "2013", dt.date(2014, 1, 10), "contributor")
    report = report_of(cycle, "BP-S1", "2013")
    reminders.send_reminders(report.period.due_on + dt.timedelta(days=30))
    assert not Notification.objects.filter(key__startswith=f"reminder:submission:{report.pk}:").exists()


def test_my_work_lists_reports_to_fill_and_to_approve(world: World, cycle: ReportingCalendar, client: Client) -> None:
    # the post reports; the directorate approves (a report its own contributor submitted is
    # approved by someone else, so it would not wait for them)
    _submit(world, cycle, "BP-S1", "2012", dt.date(2013, 1, 10), "contributor_post")
    client.force_login(world.users["contributor"])
    page = client.get(reverse("my-work"))
    text = page.content.decode()
    assert "Values to report" in text and "Reports to approve" in text
    assert reverse("monitoring-report", args=[report_of(cycle, "BP-S1", "2013").pk]) in text
    client.force_login(world.users["viewer"])
    assert b"Nothing waits for you" in client.get(reverse("my-work")).content


def test_a_report_sent_on_time_returned_and_sent_again_late_stays_on_time(
    world: World, cycle: ReportingCalendar, client: Client
) -> None:
    _submit(world, cycle, "BP-S1", "2012", dt.date(2013, 1, 10), "contributor_post")  # on time
    report = report_of(cycle, "BP-S1", "2012")
    services.submission_return(actor=world.users["contributor"], submission=report, reason="Check the count")
    # corrected and sent again well after the grace period (2013-01-20)
    services.submission_submit(actor=world.users["contributor_post"], submission=report_of(cycle, "BP-S1", "2012"))
    late = timezone.make_aware(dt.datetime.combine(dt.date(2013, 3, 1), dt.time(12)))
    Submission.objects.filter(pk=report.pk).update(submitted_at=late)
    report = report_of(cycle, "BP-S1", "2012")
    assert timezone.localdate(report.first_submitted_at) == dt.date(2013, 1, 10)
    assert selectors.cell_state(report, timezone.localdate()).value == "on_time"
    data = selectors.completeness(world.plan, kind="year")
    south = next(rates for unit, _cells, rates in data.rows if unit.code == "BP-S1")
    assert (south.on_time, south.late) == (1, 0)
    client.force_login(world.users["viewer"])
    answer = client.get(f"/api/reports/{report.pk}").json()
    assert answer["timeliness"] == "on_time" and answer["first_submitted_at"].startswith("2013-01-10")


def test_a_first_submission_after_the_grace_period_is_late_even_when_sent_again(
    world: World, cycle: ReportingCalendar
) -> None:
    _submit(world, cycle, "BP-S1", "2012", dt.date(2013, 2, 1), "contributor_post")  # late
    services.submission_return(
        actor=world.users["contributor"], submission=report_of(cycle, "BP-S1", "2012"), reason="Check"
    )
    services.submission_submit(actor=world.users["contributor_post"], submission=report_of(cycle, "BP-S1", "2012"))
    Submission.objects.filter(pk=report_of(cycle, "BP-S1", "2012").pk).update(
        submitted_at=timezone.make_aware(dt.datetime.combine(dt.date(2013, 1, 12), dt.time(12)))
    )
    assert selectors.cell_state(report_of(cycle, "BP-S1", "2012"), timezone.localdate()).value == "late"


def test_the_grid_puts_each_unit_under_its_own_directorate_and_periods_in_order(
    world: World, cycle: ReportingCalendar, client: Client
) -> None:
    data = selectors.completeness(world.plan)
    # the year closes its quarters: 2012Q4, then 2012, then 2013Q1
    codes = [p.code for p in data.periods]
    assert codes.index("2012Q3") < codes.index("2012Q4") < codes.index("2012") < codes.index("2013Q1")
    assert codes.index("2013Q4") < codes.index("2013")
    ends = [(p.ends_on, p.starts_on) for p in data.periods]
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(ends))
    # RD-S reports nothing of its own: it heads its post's line, and no post stands under
    # another directorate (the nearest line above with less indent is the unit's parent)
    grid = [(row.unit.code, row.indent, row.is_heading) for row in data.grid]
    assert grid == [
        ("RD-S", 0, True),
        ("BP-S1", 1, False),
        ("RD-W", 0, False),
        ("BP-W1", 1, False),
    ]
    for i, row in enumerate(data.grid):
        if row.indent:
            above = next(r for r in reversed(data.grid[:i]) if r.indent < row.indent)
            assert above.unit.pk == row.unit.parent_id
    assert [u.code for u, _cells, _rates in data.rows] == ["BP-S1", "RD-W", "BP-W1"]  # the API's units
    client.force_login(world.users["viewer"])
    page = client.get(reverse("monitoring-dashboard", args=[world.plan.pk])).content.decode()
    order = re.findall(r'data-testid="grid-row" data-unit="([^"]+)" data-indent="(\d)"', page)
    assert order == [("RD-S", "0"), ("BP-S1", "1"), ("RD-W", "0"), ("BP-W1", "1")]
    headers = re.findall(r'<th scope="col" class="text-center small">([^<]+)</th>', page)
    assert headers == codes
