"""The workforce in a real browser (issue 17): HR imports an officers file with errors (all
reported, nothing written), fixes it and imports it; runs the training allocation; a viewer
sees only aggregates, with small groups hidden. Then every workforce page on a laptop and a
phone, screenshotted (var/screenshots/workforce-*.png) and checked for sideways scrolling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import FilePayload, Page, expect

from tests.browser.conftest import Session
from tests.people.conftest import make_workforce
from tests.world import World
from waypoint.people.models import AllocationRun, Officer

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

BROKEN = (
    "staff_number,unit,role_profile,education_level,education_field,entry_date,in_service\n"
    "B0001,BP-S1,INSPECTOR,bachelor,law,2012-01-01,yes\n"
    "B0002,NOWHERE,INSPECTOR,bachelor,law,2012-01-01,yes\n"
    "B0003,BP-S1,ASTRONAUT,bachelor,law,2012-13-01,yes\n"
)
FIXED = (
    "staff_number,unit,role_profile,education_level,education_field,entry_date,in_service\n"
    "B0001,BP-S1,INSPECTOR,bachelor,law,2012-01-01,yes\n"
    "B0002,BP-W1,INSPECTOR,bachelor,law,2012-01-01,yes\n"
    "B0003,BP-S1,INSPECTOR,bachelor,law,2012-11-01,yes\n"
)


def _small_figures(page: Page) -> list[str]:
    """Every figure about 1 to 4 officers the page shows (templatetags/people.py marks them)."""
    figures: list[str] = page.eval_on_selector_all(
        "[data-officers]", "nodes => nodes.map(n => n.getAttribute('data-officers'))"
    )
    return [f for f in figures if f != "hidden" and 0 < int(f.replace(",", "")) < 5]


def _upload(page: Page, base: str, name: str, content: str) -> None:
    page.goto(f"{base}{reverse('workforce-import')}")
    page.select_option("#id_kind", "officers")
    upload: FilePayload = {"name": name, "mimeType": "text/csv", "buffer": content.encode()}
    page.set_input_files("#id_file", files=[upload])
    page.get_by_role("button", name="Import").click()


def test_hr_imports_fixes_and_allocates_and_a_viewer_sees_only_safe_aggregates(
    live_world: World, session: Session, browser: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    make_workforce(live_world)
    base = session.base_url
    before = Officer.objects.count()
    hr = session.sign_in("hr")

    _upload(hr, base, "officers.csv", BROKEN)
    problems = hr.get_by_test_id("import-problems")
    expect(problems).to_contain_text("Nothing was imported")
    expect(problems.locator("li")).to_have_count(3)
    for where in ("row 3, column unit", "row 4, column role_profile", "row 4, column entry_date"):
        expect(problems).to_contain_text(where)
    hr.screenshot(path=str(SHOTS / "workforce-import-refused.png"), full_page=True)
    assert Officer.objects.count() == before

    _upload(hr, base, "officers.csv", FIXED)
    expect(hr.get_by_test_id("import-problems")).to_have_count(0)
    assert Officer.objects.count() == before + 3

    hr.goto(f"{base}{reverse('workforce-training', args=[live_world.plan.pk])}")
    hr.get_by_role("link", name="Allocate training").click()
    hr.select_option("#id_year", "2015")
    hr.fill("#id_budget", "3000")
    hr.select_option("#id_time_limit_s", "10")
    hr.get_by_role("button", name="Start the allocation").click()
    expect(hr.locator("#run-status")).to_contain_text("closed", timeout=90_000)
    run = AllocationRun.objects.get(plan=live_world.plan)
    assert run.status == "done" and run.value is not None and run.greedy_value is not None
    assert run.value >= run.greedy_value and run.spent is not None and run.spent <= 3000
    hr.get_by_role("button", name="Adopt as the training plan").click()
    expect(hr.locator(".badge", has_text="adopted").first).to_be_visible()
    hr.screenshot(path=str(SHOTS / "workforce-run.png"), full_page=True)

    hr.goto(f"{base}{reverse('workforce-gaps')}")
    assert _small_figures(hr), "HR sees the small units' figures"

    viewer_session = Session(browser, base)
    viewer = viewer_session.sign_in("viewer")
    for url in (
        reverse("workforce"),
        reverse("workforce-gaps"),
        reverse("workforce-trend"),
        reverse("workforce-needs", args=[live_world.plan.pk]),
        reverse("workforce-training", args=[live_world.plan.pk]),
        reverse("workforce-run", args=[run.pk]),
    ):
        viewer.goto(f"{base}{url}")
        assert not _small_figures(viewer), url
    viewer.goto(f"{base}{reverse('workforce-gaps')}")
    expect(viewer.locator(".suppressed").first).to_be_visible()
    expect(viewer.locator(".suppressed").first).to_have_text("fewer than 5")
    viewer.screenshot(path=str(SHOTS / "workforce-gaps-viewer.png"), full_page=True)
    refused = viewer.goto(f"{base}{reverse('workforce-officers')}")
    assert refused is not None and refused.status == 403
    viewer_session.close()


def _pages(world: World) -> list[tuple[str, str]]:
    workforce = make_workforce(world)
    officer = workforce.officers["T0001"]
    return [
        ("home", reverse("workforce")),
        ("framework", reverse("workforce-framework", args=[workforce.framework.pk])),
        ("framework-import", reverse("workforce-framework-import")),
        ("roles", reverse("workforce-roles")),
        ("role", reverse("workforce-role", args=[workforce.inspector.pk])),
        ("role-edit", reverse("workforce-role-edit", args=[workforce.inspector.pk])),
        ("officers", reverse("workforce-officers")),
        ("officer", reverse("workforce-officer", args=[officer.pk])),
        ("officer-assess", reverse("workforce-officer-assess", args=[officer.pk])),
        ("import", reverse("workforce-import")),
        ("access-log", reverse("workforce-access-log")),
        ("gaps", reverse("workforce-gaps")),
        ("trend", reverse("workforce-trend")),
        ("courses", reverse("workforce-courses")),
        ("course", reverse("workforce-course", args=[workforce.courses["RISK-2"].pk])),
        ("needs", reverse("workforce-needs", args=[world.plan.pk])),
        ("training", reverse("workforce-training", args=[world.plan.pk])),
        ("run-create", reverse("workforce-run-create", args=[world.plan.pk])),
        ("me", reverse("workforce-me")),
    ]


@pytest.mark.parametrize("device", ["laptop", "phone"])
def test_every_workforce_page_fits_the_screen(live_world: World, browser: Any, live_server: Any, device: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = _pages(live_world)
    size = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}[device]
    opened = Session(browser, live_server.url)
    opened.context.close()
    opened.context = browser.new_context(viewport=size, is_mobile=device == "phone")
    opened.page = opened.context.new_page()
    page = opened.sign_in("hr")
    for name, url in pages:
        answer = page.goto(f"{live_server.url}{url}")
        assert answer is not None and answer.status == 200, name
        expect(page.locator("h1").first).to_be_visible()
        page.screenshot(path=str(SHOTS / f"workforce-{name}-{device}.png"), full_page=True)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= size["width"] + 1, f"{name} scrolls sideways on a {device}: {wide}px"
    opened.close()
