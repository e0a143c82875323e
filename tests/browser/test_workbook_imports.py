"""The two workbook imports in a browser, at laptop and phone width: a changed plan workbook into
its plan (the preview of the changes, then the import), and a logframe of its own layout through
the mapping page (guessed columns, the preview of the plan, then the plan created). The
screenshots are kept in the test's temporary folder (``--basetemp`` to keep them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, FilePayload, expect

from tests.browser.conftest import Session
from tests.documents.test_logframe_mapping import own_layout
from tests.documents.test_workbook_into import changed_workbook
from tests.world import World
from waypoint.plans.models import Plan, PlanElement

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PHONE = {"width": 390, "height": 844}


def _shots(page: Any, folder: Path, name: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(folder / f"{name}-laptop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(folder / f"{name}-phone.png"), full_page=True)
    # nothing wider than the phone's screen but the tables, which scroll in their own box
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} is {overflow}px wider than a phone"
    page.set_viewport_size({"width": 1366, "height": 900})


def test_a_changed_workbook_into_its_plan_in_the_browser(
    live_world: World, browser: Browser, live_server: Any, tmp_path: Path
) -> None:
    world = live_world
    raw = changed_workbook(world)
    session = Session(browser, live_server.url)
    try:
        page = session.sign_in("planner")
        page.goto(f"{live_server.url}/plans/{world.plan.pk}/documents/")
        page.get_by_test_id("workbook-into").click()
        upload: FilePayload = {"name": "plan.xlsx", "mimeType": XLSX, "buffer": raw}
        page.set_input_files("input[type=file]", files=[upload])
        page.get_by_role("button", name="Check").click()
        expect(page.get_by_test_id("preview-counts")).to_contain_text("1 element added")
        expect(page.get_by_test_id("preview-counts")).to_contain_text("1 indicator removed")
        expect(page.get_by_test_id("changes-element")).to_contain_text("O1.9")
        _shots(page, tmp_path, "workbook-into-preview")
        page.get_by_test_id("confirm-import").click()
        page.wait_for_url(f"{live_server.url}/plans/{world.plan.pk}/")
        expect(page.locator(".alert-success")).to_contain_text("1 element added")
        assert PlanElement.objects.filter(plan=world.plan, code="O1.9").exists()
    finally:
        session.close()


def test_a_logframe_of_its_own_layout_through_the_mapping_page(
    live_world: World, browser: Browser, live_server: Any, tmp_path: Path
) -> None:
    session = Session(browser, live_server.url)
    try:
        page = session.sign_in("planner")
        page.goto(f"{live_server.url}/plans/")
        page.get_by_role("link", name="Import a logframe").click()
        upload: FilePayload = {"name": "customs-logframe.xlsx", "mimeType": XLSX, "buffer": own_layout()}
        page.set_input_files("input[type=file]", files=[upload])
        page.get_by_role("button", name="Upload").click()
        # the header row below the title row, and the columns guessed from their headers
        expect(page.locator("#id_header_row")).to_have_value("2")
        expect(page.locator("#id_col_title")).to_have_value("Narrative summary")
        _shots(page, tmp_path, "logframe-map")
        page.fill("#id_title", "Customs logframe")
        page.fill("#id_save_as", "Customs layout")
        page.get_by_test_id("logframe-preview").click()
        expect(page.get_by_test_id("logframe-plan")).to_contain_text("4 elements")
        _shots(page, tmp_path, "logframe-preview")
        page.get_by_test_id("logframe-confirm").click()
        plan = Plan.objects.get(title="Customs logframe")
        page.wait_for_url(f"{live_server.url}/plans/{plan.pk}/")
        page.goto(f"{live_server.url}/plans/import/logframe/")
        expect(page.get_by_test_id("saved-mappings")).to_contain_text("Customs layout")
        _shots(page, tmp_path, "logframe-import")
    finally:
        session.close()
