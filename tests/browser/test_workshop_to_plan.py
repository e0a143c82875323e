"""The Into the plan page in a real browser: choosing what a result "Becomes" shows only the
fields that choice needs (the others hidden and not sent), the script runs under the Content
Security Policy, every field stays without the script, and a locked plan offers only a
follow-up action and says why. Screenshots, in English and in Arabic (right to left), land in
var/screenshots/ to be looked at."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import Session
from tests.rounds import helpers as round_helpers
from tests.workshops.conftest import make_room
from tests.world import World
from waypoint.monitoring.models import FollowUpAction
from waypoint.plans import services as plan_services
from waypoint.plans.models import AnalysisItem, PlanElement
from waypoint.workshops import services

pytestmark = pytest.mark.browser
SHOTS = settings.VAR_DIR / "screenshots"
GROUPS = ("category", "parent", "responsible_unit", "due_on")
#: what each choice shows
SHOWN = {
    "analysis_item": {"category"},
    "element": {"parent", "responsible_unit"},
    "action": {"responsible_unit", "due_on"},
}


def _language(page: Page, language: str) -> None:
    page.get_by_test_id("user-menu").click()
    page.locator(f'.language-switch button[value="{language}"]').click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", language)


def _shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"to-plan-{name}.png"), full_page=True)


def _shows(form: Locator, wanted: set[str]) -> None:
    for name in GROUPS:
        group = form.get_by_test_id(f"for-{name}")
        if name in wanted:
            expect(group).to_be_visible()
            expect(group).to_be_enabled()
        else:
            expect(group).to_be_hidden()
            # disabled: what it holds is not sent with the chosen result
            expect(group.locator("select, input")).to_be_disabled()


def test_becomes_shows_only_the_fields_the_result_needs(live_world: World, session: Session, browser: Browser) -> None:
    world = live_world
    room = make_room(world)
    services.note_add(participant=room.guest, exercise=room.board, column="strength", text="Skilled staff")
    services.note_add(participant=room.guest, exercise=room.board, column="weakness", text="Paper forms at posts")
    round_helpers.world_round(world)
    url = session.base_url + reverse("exercise-to-plan", args=[room.workshop.pk, room.board.pk])
    page = session.sign_in("planner")
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda error: refused.append(str(error)))
    page.goto(url)
    form = page.get_by_test_id("to-plan-form").first
    kind = form.locator("select[name=kind]")
    expect(kind).to_have_value("analysis_item")
    _shows(form, SHOWN["analysis_item"])
    # the legends are left to screen readers: the fields shown are the chosen one's
    expect(form.locator("legend").first).to_have_class("to-plan-legend visually-hidden")
    for choice in ("element", "action", "analysis_item", "action"):
        kind.select_option(choice)
        _shows(form, SHOWN[choice])
    # the other rows keep their own choice
    _shows(page.get_by_test_id("to-plan-form").nth(1), SHOWN["analysis_item"])
    _shoot(page, "en")

    # an action, with the hidden category still selected in its (disabled) field
    form.locator("select[name=responsible_unit]").select_option(str(world.unit("HQ-RSK").pk))
    form.locator("input[name=due_on]").fill("2013-03-15")
    form.locator("input[name=text]").fill("Train the staff")
    items, elements = AnalysisItem.objects.count(), PlanElement.objects.count()
    with page.expect_request(lambda r: r.method == "POST") as sent:
        form.get_by_role("button").click()
    # only the chosen result's fields are sent
    assert "category=" not in (sent.value.post_data or "") and "parent=" not in (sent.value.post_data or "")
    assert "due_on=2013-03-15" in (sent.value.post_data or "")
    expect(page.locator(".alert-success")).to_contain_text("Train the staff")
    assert FollowUpAction.objects.filter(title="Train the staff", owner_unit=world.unit("HQ-RSK")).exists()
    assert (AnalysisItem.objects.count(), PlanElement.objects.count()) == (items, elements)

    # without the script every field stays, each group saying which choice it is for
    plain = Session(browser, session.base_url, javascript=False)
    try:
        plain.sign_in("planner")
        plain.page.goto(url)
        form = plain.page.get_by_test_id("to-plan-form").first
        for name in GROUPS:
            expect(form.get_by_test_id(f"for-{name}")).to_be_visible()
            expect(form.get_by_test_id(f"for-{name}").locator("legend")).to_be_visible()
        expect(form.get_by_test_id("for-due_on").locator("legend")).to_have_text("For a follow-up action")
        _shoot(plain.page, "no-script")
    finally:
        plain.close()

    _language(page, "ar")
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    form = page.get_by_test_id("to-plan-form").first
    form.locator("select[name=kind]").select_option("element")
    _shows(form, SHOWN["element"])
    _shoot(page, "ar")

    # a locked plan: a follow-up action only, and the page says why
    plan_services.plan_set_status(actor=world.users["planner"], plan=world.plan, status="under_review")
    plan_services.plan_set_status(actor=world.users["approver"], plan=world.plan, status="approved", note="OK")
    page.goto(url)
    expect(page.get_by_test_id("plan-locked")).to_be_visible()
    form = page.get_by_test_id("to-plan-form").first
    expect(form.locator("select[name=kind] option")).to_have_count(1)
    expect(form.get_by_test_id("for-category")).to_have_count(0)
    expect(form.get_by_test_id("for-parent")).to_have_count(0)
    expect(form.get_by_test_id("for-due_on")).to_be_visible()
    _shoot(page, "ar-locked")
    _language(page, "en")
    page.goto(url)
    expect(page.get_by_test_id("plan-locked")).to_contain_text("This plan is approved and locked")
    _shoot(page, "en-locked")
    assert refused == []
