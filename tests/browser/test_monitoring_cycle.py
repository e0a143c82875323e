"""The monitoring cycle in a browser (issue 15): a reminder e-mail's link, the unit's report
filled and submitted, the directorate's approval, the lock, and un-approval with a reason.

Clicks from the e-mail to a submitted report are counted (README: "Monitoring"): open the
link, sign in, Submit — three, plus typing the value.
"""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.world import PASSWORD, World
from waypoint.indicators.models import Actual
from waypoint.monitoring import services
from waypoint.monitoring.models import Submission
from waypoint.org import services as org_services
from waypoint.org.models import EmailMode

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE: ViewportSize = {"width": 390, "height": 844}

pytestmark = pytest.mark.browser


def _sign_in_from(page: Page, username: str) -> int:
    """Sign in on the login page a link led to; the clicks it took."""
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    return 1


def test_from_a_reminder_e_mail_to_an_approved_locked_and_reopened_report(
    live_world: World, live_server: Any, browser: Browser, settings: Any
) -> None:
    settings.WAYPOINT_BASE_URL = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    world = live_world
    calendar = services.calendar_save(actor=None, plan=world.plan, first_year=2012, last_year=2013)
    officer = org_services.user_create(
        actor=None, username="post.officer", password=PASSWORD, first_name="Nigar", email="nigar@example.org"
    )
    officer.email_mode = EmailMode.IMMEDIATE
    officer.save()
    org_services.role_grant(actor=None, user=officer, role="contributor", unit=world.unit("BP-S1"))
    report = Submission.objects.get(period__calendar=calendar, unit__code="BP-S1", period__code="2013")

    call_command("notifications", stdout=StringIO())  # the cron job: 2013 is long overdue
    letter = next(m for m in mail.outbox if m.to == ["nigar@example.org"] and "2013 report" in m.subject)
    link = re.search(r"https?://\S+/reports/\d+/", str(letter.body))
    assert link is not None and link.group(0).endswith(f"/reports/{report.pk}/")

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    clicks = 1  # the link in the e-mail
    page.goto(link.group(0))
    clicks += _sign_in_from(page, "post.officer")
    page.wait_for_url(f"**/reports/{report.pk}/")
    page.screenshot(path=str(SHOTS / "monitoring-report.png"), full_page=True)
    line = page.get_by_test_id(f"line-{world.indicators['south'].code}")
    expect(line).to_contain_text("Target")
    line.get_by_label("Value 2013").fill("7.8")
    page.get_by_test_id("submit-report").click()
    clicks += 1
    expect(page.get_by_test_id("report-status")).to_have_text("Submitted")
    assert clicks == 3
    context.close()

    # the directorate (the post's parent level) approves: the value is locked
    directorate = browser.new_context(viewport={"width": 1366, "height": 900})
    head = directorate.new_page()
    head.goto(f"{live_server.url}/reports/{report.pk}/")
    _sign_in_from(head, "contributor")
    head.wait_for_url(f"**/reports/{report.pk}/")
    head.get_by_test_id("approve").click()
    expect(head.get_by_test_id("report-status")).to_have_text("Approved and locked")
    head.screenshot(path=str(SHOTS / "monitoring-approved.png"), full_page=True)
    actual = Actual.objects.get(indicator=world.indicators["south"], period="2013", unit=world.unit("BP-S1"))
    head.goto(f"{live_server.url}/indicators/{actual.indicator_id}/actuals/{actual.pk}/edit/")
    # the value's own page shows it locked (a disabled field and why) before anyone types
    expect(head.locator("#id_value")).to_be_disabled()
    expect(head.get_by_test_id("value-locked")).to_be_visible()
    expect(head.locator("body")).to_contain_text("locked")
    assert Actual.objects.get(pk=actual.pk).value == actual.value

    # un-approval with a reason opens it again
    head.goto(f"{live_server.url}/reports/{report.pk}/")
    head.fill("#reason", "The post recounted the trucks")
    head.get_by_test_id("unapprove").click()
    expect(head.get_by_test_id("report-status")).to_have_text("Returned for correction")
    expect(head.get_by_test_id("report-reason")).to_contain_text("recounted")
    directorate.close()
    officer_again = browser.new_context(viewport=PHONE)
    phone = officer_again.new_page()
    phone.goto(f"{live_server.url}/reports/{report.pk}/")
    _sign_in_from(phone, "post.officer")
    phone.wait_for_url(f"**/reports/{report.pk}/")
    expect(phone.get_by_label("Value 2013")).to_be_enabled()
    phone.screenshot(path=str(SHOTS / "monitoring-report-phone.png"), full_page=True)
    officer_again.close()
