"""A locked value is shown locked where it would be edited (the report page, the value's own
edit page): a disabled field and the reason, not a refusal only once it is saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.monitoring.conftest import report_of
from tests.world import World
from waypoint.core.errors import InvalidInput
from waypoint.indicators.models import Actual
from waypoint.monitoring import services
from waypoint.monitoring.models import ReportingCalendar, Submission, SubmissionStatus

pytestmark = pytest.mark.django_db


def _approved(world: World, cycle: ReportingCalendar) -> Actual:
    reporter = world.users["contributor_post"]
    report = report_of(cycle, "BP-S1", "2013")
    entries = {a.pk: services.Entry(value=Decimal("7.5")) for a in report.assignments.all()}
    services.submission_save(actor=reporter, submission=report, entries=entries)
    services.submission_submit(actor=reporter, submission=report_of(cycle, "BP-S1", "2013"))
    services.submission_approve(actor=world.users["contributor"], submission=report_of(cycle, "BP-S1", "2013"))
    return Actual.objects.get(indicator=world.indicators["south"], period="2013", unit=world.unit("BP-S1"))


def test_the_value_edit_page_shows_a_locked_value_disabled_with_the_reason(
    world: World, cycle: ReportingCalendar, client: Client
) -> None:
    actual = _approved(world, cycle)
    client.force_login(world.users["planner"])
    url = reverse("actual-edit", args=[actual.indicator_id, actual.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="value-locked"' in page and "is approved, so this value is locked" in page
    field = page[page.index('name="value"') - 200 : page.index('name="value"') + 200]
    assert "disabled" in field
    assert 'type="submit"' not in page[page.index("form-actions") :]  # nothing to save
    # an unlocked value's page is as before
    services.submission_unapprove(
        actor=world.users["contributor"], submission=report_of(cycle, "BP-S1", "2013"), reason="Recount"
    )
    page = client.get(url).content.decode()
    assert 'data-testid="value-locked"' not in page and 'type="submit"' in page


def test_the_report_page_flags_each_locked_value(world: World, cycle: ReportingCalendar, client: Client) -> None:
    report = report_of(cycle, "BP-S1", "2012")
    (line,) = report.assignments.all()
    # the post was closed: its report is waived, and the directorate's approval locks it
    services.submission_waive(actor=world.users["contributor"], submission=report, reason="Post closed")
    services.submission_approve(actor=world.users["approver"], submission=report_of(cycle, "RD-S", "2012"))
    client.force_login(world.users["contributor_post"])
    page = client.get(reverse("monitoring-report", args=[report.pk])).content.decode()
    assert 'data-testid="line-locked"' in page and "RD-S" in page
    value = page[page.index(f'name="a{line.pk}.value"') : page.index(f'name="a{line.pk}.value"') + 200]
    assert "disabled" in value and f'aria-describedby="a{line.pk}-locked"' in value


def test_a_locked_line_of_an_open_report_is_disabled_and_refused(
    world: World, cycle: ReportingCalendar, client: Client
) -> None:
    actual = _approved(world, cycle)
    report = report_of(cycle, "BP-S1", "2013")
    (line,) = report.assignments.all()
    # a report open for correction while the report above still locks the value (the
    # directorate's report was approved by an earlier rule, say): the line is locked alone
    Submission.objects.filter(pk=report.pk).update(status=SubmissionStatus.RETURNED)
    Submission.objects.filter(period=report.period, unit__code="RD-S").update(status=SubmissionStatus.APPROVED)
    client.force_login(world.users["contributor_post"])
    url = reverse("monitoring-report", args=[report.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="line-locked"' in page
    value = page[page.index(f'name="a{line.pk}.value"') : page.index(f'name="a{line.pk}.value"') + 200]
    assert "disabled" in value
    # saving the page (the disabled field sends nothing) keeps the value
    answer = client.post(url, {"action": "save", "version": report_of(cycle, "BP-S1", "2013").version})
    assert answer.status_code == 302
    assert report_of(cycle, "BP-S1", "2013").assignments.get().value == Decimal("7.5")
    # the service refuses a change of it, located at the line
    with pytest.raises(InvalidInput) as refused:
        services.submission_save(
            actor=world.users["contributor_post"],
            submission=report_of(cycle, "BP-S1", "2013"),
            entries={line.pk: services.Entry(value=Decimal(9))},
        )
    assert refused.value.problems[0].location == f"a{line.pk}.value"
    assert Actual.objects.get(pk=actual.pk).value == Decimal("7.5")
