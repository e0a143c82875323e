"""A plan workbook imported into the plan it came from: the preview of what changes, nothing
written until confirmed and nothing at all on any problem, a plan changed meanwhile refused,
and an unchanged workbook changing nothing."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tests.documents.test_workbook import saved, workbook_of
from tests.plans.test_portable import enrich, row_counts
from tests.world import World
from waypoint.core.audit import Action
from waypoint.core.errors import EditConflict, NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.documents import services
from waypoint.documents.models import StagedWorkbook
from waypoint.indicators import services as indicator_services
from waypoint.indicators.models import Indicator, Target
from waypoint.plans import services as plan_services
from waypoint.plans.errors import PlanFileInvalid, PlanLocked
from waypoint.plans.models import Plan, PlanElement
from waypoint.plans.planfile import plan_export_json


def _rows(sheet: Any) -> list[int]:
    return [r for r in range(3, sheet.max_row + 1) if sheet.cell(row=r, column=1).value is not None]


def _row_of(sheet: Any, column: int, value: str) -> int:
    return next(r for r in _rows(sheet) if sheet.cell(row=r, column=column).value == value)


def _header(sheet: Any) -> dict[str, int]:
    return {str(c.value): c.column for c in sheet[1] if c.value is not None}


def spare_indicator(world: World) -> Indicator:
    """An indicator with a target and no recorded value: one a workbook may remove."""
    found = Indicator.objects.filter(plan=world.plan, name="Spare indicator").first()
    if found is not None:
        return found
    spare = indicator_services.indicator_create(
        actor=None,
        plan=world.plan,
        element=world.elements["O1.2"],
        name="Spare indicator",
        unit_of_measure="%",
        direction="increase",
        aggregation="latest",
        frequency="year",
        owner_unit=world.units["RD-W"],
    )
    indicator_services.target_set(actor=None, indicator=spare, period="2013", value=Decimal("50"))
    return spare


def _drop(book: Any, sheet_name: str, column: str, value: str) -> None:
    sheet = book[sheet_name]
    col = _header(sheet)[column]
    for row in reversed(_rows(sheet)):
        if sheet.cell(row=row, column=col).value == value:
            sheet.delete_rows(row)


def changed_workbook(world: World) -> bytes:
    """The world's workbook with an element renamed, an objective added under G1, an indicator
    removed (with its targets) and a target changed."""
    spare = spare_indicator(world).code
    book = load_workbook(io.BytesIO(workbook_of(world)))
    elements = book["Elements"]
    cols = _header(elements)
    o11 = _row_of(elements, cols["code"], "O1.1")
    elements.cell(row=o11, column=cols["title"]).value = "Faster and fairer clearance"
    new = elements.max_row + 1
    for col in cols.values():
        elements.cell(row=new, column=col).value = elements.cell(row=o11, column=col).value
    elements.cell(row=new, column=cols["code"]).value = "O1.9"
    elements.cell(row=new, column=cols["number"]).value = 9
    elements.cell(row=new, column=cols["position"]).value = 9
    elements.cell(row=new, column=cols["title"]).value = "Open data on release times"
    elements.cell(row=new, column=cols["last_child_number"]).value = 0
    for sheet_name, column in (("Indicators", "code"), ("Targets", "indicator"), ("Target history", "indicator")):
        _drop(book, sheet_name, column, spare)
    targets = book["Targets"]
    tcols = _header(targets)
    south = world.indicators["south"].code
    row = next(
        r
        for r in _rows(targets)
        if targets.cell(row=r, column=tcols["indicator"]).value == south
        and targets.cell(row=r, column=tcols["period"]).value == "2014"
    )
    targets.cell(row=row, column=tcols["value"]).value = 4
    return saved(book)


def test_an_unchanged_workbook_changes_nothing_and_the_json_export_stays_identical(world: World) -> None:
    enrich(world)
    before = plan_export_json(world.plan)
    events = AuditEvent.objects.count()
    raw = workbook_of(world)
    preview = services.workbook_into_preview(raw, actor=world.users["planner"], plan=world.plan)
    assert preview.is_empty and preview.summary() == []
    services.workbook_into_import(raw, actor=world.users["planner"], plan=world.plan)
    assert plan_export_json(world.plan) == before
    assert AuditEvent.objects.count() == events


def test_the_preview_counts_each_kind_of_change_and_writes_nothing(world: World) -> None:
    enrich(world)
    raw = changed_workbook(world)
    before = plan_export_json(world.plan)
    preview = services.workbook_into_preview(raw, actor=world.users["planner"], plan=world.plan)
    summary = preview.summary()
    assert "1 element added" in summary
    assert "1 indicator removed" in summary
    assert "1 target changed" in summary
    assert any(s.startswith("1 element field changed") for s in summary)
    assert plan_export_json(world.plan) == before


def test_a_confirmed_import_writes_every_change_in_one_audited_event(world: World) -> None:
    enrich(world)
    planner = world.users["planner"]
    spare = spare_indicator(world).code
    staged = services.workbook_into_stage(
        actor=planner, plan=world.plan, name="plan.xlsx", content=changed_workbook(world)
    )
    version = Plan.objects.get(pk=world.plan.pk).version
    services.workbook_into_confirm(actor=planner, staged=staged)
    assert PlanElement.objects.get(plan=world.plan, code="O1.1").title == "Faster and fairer clearance"
    added = PlanElement.objects.get(plan=world.plan, code="O1.9")
    assert added.parent == world.elements["G1"] and added.title == "Open data on release times"
    assert not Indicator.objects.filter(plan=world.plan, code=spare).exists()
    target = Target.objects.get(indicator=world.indicators["south"], period="2014")
    assert target.value == 4
    assert target.revisions.order_by("-changed_at", "-id").first().changed_by_name == planner.username  # type: ignore[union-attr]
    assert Plan.objects.get(pk=world.plan.pk).version == version + 1
    event = AuditEvent.objects.filter(action=Action.IMPORT, plan_id=world.plan.pk).latest("pk")
    assert event.changes["counts"]["element added"] == 1
    assert event.changes["counts"]["indicator removed"] == 1
    assert not StagedWorkbook.objects.filter(pk=staged.pk).exists()
    # the workbook of the plan now imports into it without a change
    assert services.workbook_into_preview(workbook_of(world), actor=planner, plan=world.plan).is_empty


def test_a_problem_anywhere_is_refused_at_its_cell_and_nothing_is_written(world: World) -> None:
    enrich(world)
    book = load_workbook(io.BytesIO(changed_workbook(world)))
    before, counts = plan_export_json(world.plan), row_counts()
    elements = book["Elements"]
    cols = _header(elements)
    row = _row_of(elements, cols["code"], "O1.2")
    elements.cell(row=row, column=cols["responsible_unit"]).value = "NOPE"
    with pytest.raises(PlanFileInvalid) as refused:
        services.workbook_into_import(saved(book), actor=world.users["planner"], plan=world.plan)
    letter = get_column_letter(cols["responsible_unit"])
    assert any(p.location == f"Elements!{letter}{row}" for p in refused.value.problems)
    assert plan_export_json(world.plan) == before and row_counts() == counts


def test_a_part_with_a_page_of_its_own_is_not_changed_by_the_import(world: World) -> None:
    enrich(world)
    book = load_workbook(io.BytesIO(workbook_of(world)))
    functions = book["Functions"]
    cols = _header(functions)
    functions.cell(row=3, column=cols["description"]).value = "Changed in the workbook"
    with pytest.raises(PlanFileInvalid) as refused:
        services.workbook_into_preview(saved(book), actor=world.users["planner"], plan=world.plan)
    assert [p.location for p in refused.value.problems] == ["Functions!3:3"]


def test_a_plan_changed_after_the_preview_is_refused_and_nothing_is_written(world: World) -> None:
    planner = world.users["planner"]
    raw = changed_workbook(world)
    staged = services.workbook_into_stage(actor=planner, plan=world.plan, name="plan.xlsx", content=raw)
    plan_services.element_update(
        actor=planner, element=world.elements["O1.2"], expected_version=None, changes={"title": "Changed meanwhile"}
    )
    before = plan_export_json(world.plan)
    with pytest.raises(EditConflict) as refused:
        services.workbook_into_confirm(actor=planner, staged=staged)
    assert "changed after the preview" in refused.value.message
    assert plan_export_json(world.plan) == before
    assert StagedWorkbook.objects.filter(pk=staged.pk).exists()


def test_only_planners_import_into_a_draft_plan(world: World) -> None:
    raw = workbook_of(world)
    for persona in ("contributor", "approver", "viewer"):
        with pytest.raises(NotAllowed):
            services.workbook_into_preview(raw, actor=world.users[persona], plan=world.plan)
    plan_services.plan_set_status(actor=world.users["planner"], plan=world.plan, status="under_review")
    with pytest.raises(PlanLocked):
        services.workbook_into_preview(raw, actor=world.users["planner"], plan=world.plan)


def test_the_page_previews_the_changes_then_imports_them(world: World, client: Any) -> None:
    enrich(world)
    client.force_login(world.users["planner"])
    url = reverse("plan-workbook-import", args=[world.plan.pk])
    assert client.get(url).status_code == 200
    upload = io.BytesIO(changed_workbook(world))
    upload.name = "plan.xlsx"
    response = client.post(url, {"file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "1 element added" in text and "1 indicator removed" in text
    assert 'data-testid="changes-element"' in text
    response = client.post(response["Location"])
    assert response.status_code == 302 and response["Location"] == reverse("plan-overview", args=[world.plan.pk])
    assert PlanElement.objects.filter(plan=world.plan, code="O1.9").exists()


def test_the_page_says_no_changes_for_an_unchanged_workbook(world: World, client: Any) -> None:
    client.force_login(world.users["planner"])
    upload = io.BytesIO(workbook_of(world))
    upload.name = "plan.xlsx"
    response = client.post(reverse("plan-workbook-import", args=[world.plan.pk]), {"file": upload})
    page = client.get(response["Location"])
    assert 'data-testid="no-changes"' in page.content.decode()


def test_the_page_shows_problems_at_their_cells(world: World, client: Any) -> None:
    client.force_login(world.users["planner"])
    book = load_workbook(io.BytesIO(workbook_of(world)))
    book["Plan"]["C5"] = 1800
    upload = io.BytesIO(saved(book))
    upload.name = "plan.xlsx"
    response = client.post(reverse("plan-workbook-import", args=[world.plan.pk]), {"file": upload})
    assert response.status_code == 400
    assert "Plan!C" in response.content.decode()


def test_the_api_previews_and_imports_into_the_plan(world: World, client: Any) -> None:
    client.force_login(world.users["planner"])
    url = f"/api/plans/{world.plan.pk}/import/workbook"
    raw = changed_workbook(world)
    preview = client.post(url, raw, content_type="application/octet-stream")
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["imported"] is False and body["fingerprint"]
    assert {"change": "element added", "count": 1, "text": "1 element added"} in body["counts"]
    stale = client.post(f"{url}?confirm=true&fingerprint=0000", raw, content_type="application/octet-stream")
    assert stale.status_code == 409
    done = client.post(
        f"{url}?confirm=true&fingerprint={body['fingerprint']}", raw, content_type="application/octet-stream"
    )
    assert done.status_code == 200 and done.json()["imported"] is True
    assert PlanElement.objects.filter(plan=world.plan, code="O1.9").exists()


def test_the_command_line_imports_into_a_plan(world: World, tmp_path: Any, capsys: Any) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(changed_workbook(world))
    call_command("plan", "import", str(path), "--into", str(world.plan.pk), "--dry-run")
    assert "1 element added" in capsys.readouterr().out
    assert not PlanElement.objects.filter(plan=world.plan, code="O1.9").exists()
    call_command("plan", "import", str(path), "--into", str(world.plan.pk), "--user", "planner")
    assert PlanElement.objects.filter(plan=world.plan, code="O1.9").exists()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("plan", "import", str(path), "--into", str(world.plan.pk), "--user", "viewer")
