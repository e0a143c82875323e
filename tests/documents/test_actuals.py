"""The actuals entry template: prefilled for a period (and a unit), filled offline, read back
in one transaction with every problem at its cell."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tests.plans.test_portable import row_counts
from tests.world import World
from waypoint.core.errors import InvalidInput, NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.documents import services
from waypoint.indicators.models import Actual


def filled(raw: bytes, **cells: Any) -> bytes:
    book = load_workbook(io.BytesIO(raw))
    for cell, value in cells.items():
        book["Actuals"][cell] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rows(raw: bytes) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in load_workbook(io.BytesIO(raw))["Actuals"].iter_rows(min_row=2, values_only=True)]


def test_the_template_holds_the_indicators_of_the_period_and_unit_with_codes_locked(world: World) -> None:
    planner = world.users["planner"]
    raw = services.actuals_template(actor=planner, plan=world.plan, period="2013", unit=world.units["BP-S1"])
    assert rows(raw) == [
        ("Indicator", "Name", "Unit of measure", "Target", "Unit", "Period", "Value", "Evidence"),
        ("KPI-01", "Release time in the south", "hours", 8, "BP-S1", "2013", None, None),
    ]
    sheet = load_workbook(io.BytesIO(raw))["Actuals"]
    assert sheet.protection.sheet and sheet["A3"].protection.locked and sheet["F3"].protection.locked
    assert not sheet["G3"].protection.locked and not sheet["H3"].protection.locked
    assert sheet.row_dimensions[1].hidden
    # without a unit: the indicators reported for the whole administration, the value recorded so far
    raw = services.actuals_template(actor=planner, plan=world.plan, period="2012")
    assert rows(raw)[1:] == [("KPI-02", "Release time in the west", "hours", 11, None, "2012", 14, None)]


def test_a_filled_template_is_recorded_once_and_corrects_what_changed(world: World) -> None:
    planner = world.users["planner"]
    raw = services.actuals_template(actor=planner, plan=world.plan, period="2013", unit=world.units["BP-S1"])
    report = services.actuals_import(actor=planner, plan=world.plan, content=filled(raw, G3=7.75, H3="TRS 2013"))
    assert (report.created, report.changed, report.unchanged) == (1, 0, 0)
    actual = Actual.objects.get(indicator=world.indicators["south"], period="2013", unit=world.units["BP-S1"])
    assert (actual.value, actual.evidence, actual.recorded_by) == (Decimal("7.75"), "TRS 2013", planner)
    # the template downloaded again carries the value; uploading it unchanged changes nothing
    again = services.actuals_template(actor=planner, plan=world.plan, period="2013", unit=world.units["BP-S1"])
    events = AuditEvent.objects.count()
    report = services.actuals_import(actor=planner, plan=world.plan, content=again)
    assert (report.created, report.changed, report.unchanged) == (0, 0, 1)
    assert AuditEvent.objects.count() == events
    report = services.actuals_import(actor=planner, plan=world.plan, content=filled(again, G3="7,5"))
    assert (report.created, report.changed, report.unchanged) == (0, 1, 0)
    actual.refresh_from_db()
    assert actual.value == Decimal("7.5")


def test_every_problem_is_at_its_cell_and_nothing_is_recorded(world: World) -> None:
    planner = world.users["planner"]
    raw = services.actuals_template(actor=planner, plan=world.plan, period="2013")
    broken = filled(raw, G3=13, A4="KPI-99", F4="2013", G4=1, A5="KPI-02", F5="2013-Q5", G5=2, A6="KPI-02", G6="many")
    before = row_counts()
    with pytest.raises(InvalidInput) as refused:
        services.actuals_import(actor=planner, plan=world.plan, content=broken)
    assert [p.location for p in refused.value.problems] == ["Actuals!G6"]  # a cell that does not read comes first
    broken = filled(broken, G6=None)
    with pytest.raises(InvalidInput) as refused:
        services.actuals_import(actor=planner, plan=world.plan, content=broken)
    assert [p.location for p in refused.value.problems] == ["Actuals!A4", "Actuals!F5"]
    assert "KPI-99" in refused.value.problems[0].message
    # row 3 was fine, and is not recorded either: all rows or none
    assert row_counts() == before
    assert not Actual.objects.filter(indicator=world.indicators["west"], period="2013").exists()


def test_a_template_and_its_rows_follow_the_recording_rights(world: World) -> None:
    west = services.actuals_template(actor=world.users["contributor_west"], plan=world.plan, period="2013")
    assert [r[0] for r in rows(west)[1:]] == ["KPI-02"]
    with pytest.raises(NotAllowed):
        services.actuals_template(actor=world.users["contributor"], plan=world.plan, period="2013")
    with pytest.raises(NotAllowed):
        services.actuals_template(actor=world.users["viewer"], plan=world.plan, period="2013")
    # a row somebody may not record is refused at its cell
    with pytest.raises(InvalidInput) as refused:
        services.actuals_import(actor=world.users["contributor"], plan=world.plan, content=filled(west, G3=1))
    assert [p.location for p in refused.value.problems] == ["Actuals!G3"]
    with pytest.raises(InvalidInput) as refused:
        services.actuals_template(actor=world.users["planner"], plan=world.plan, period="2013-Q2")
    assert refused.value.problems[0].location == "period"


def test_the_page_downloads_the_template_and_records_the_upload(world: World, client: Any) -> None:
    client.force_login(world.users["planner"])
    url = f"/plans/{world.plan.pk}/documents/actuals/"
    page = client.get(url)
    assert page.status_code == 200 and b"actuals-template-form" in page.content
    assert b"actuals-entry" in client.get(f"/plans/{world.plan.pk}/documents/").content
    download = client.get(url, {"period": "2013", "unit": "BP-S1"})
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxml")
    raw = b"".join(download.streaming_content) if download.streaming else download.content
    assert client.get(url, {"period": "nonsense"}).status_code == 400
    bad = client.post(url, {"file": SimpleUploadedFile("a.xlsx", filled(raw, G3="x"))})
    assert bad.status_code == 400 and b"Actuals!G3" in bad.content
    good = client.post(url, {"file": SimpleUploadedFile("a.xlsx", filled(raw, G3=7))})
    assert good.status_code == 302
    assert Actual.objects.get(indicator=world.indicators["south"], period="2013", unit=world.units["BP-S1"]).value == 7


def test_the_api_gives_the_template_and_records_it(world: World, client: Any) -> None:
    client.force_login(world.users["planner"])
    base = f"/api/plans/{world.plan.pk}/actuals"
    answer = client.get(f"{base}/template", {"period": "2013", "unit": "BP-S1"})
    assert answer.status_code == 200
    assert client.get(f"{base}/template", {"period": "2013", "unit": "NOPE"}).status_code == 400
    content = filled(answer.content, G3=6.5)
    recorded = client.post(f"{base}/import", data=content, content_type="application/octet-stream")
    assert recorded.status_code == 200 and recorded.json() == {"created": 1, "changed": 0, "unchanged": 0}
    refused = client.post(f"{base}/import", data=filled(content, G3="x"), content_type="application/octet-stream")
    assert refused.status_code == 400
    assert [p["location"] for p in refused.json()["problems"]] == ["Actuals!G3"]


# --- where the plan has a reporting calendar (monitoring cycles) --------------------------------------


def _report(calendar: Any, unit: str, period: str) -> Any:
    from waypoint.monitoring.models import Submission

    return Submission.objects.select_related("unit").get(
        period__calendar=calendar, unit__code=unit, period__code=period
    )


def test_with_a_reporting_calendar_the_values_become_drafts_of_the_units_report(world: World, client: Any) -> None:
    from waypoint.monitoring import services as monitoring

    planner = world.users["planner"]
    calendar = monitoring.calendar_save(actor=planner, plan=world.plan, first_year=2012, last_year=2013)
    raw = services.actuals_template(actor=planner, plan=world.plan, period="2013", unit=world.units["BP-S1"])
    report = services.actuals_import(actor=planner, plan=world.plan, content=filled(raw, G3=7.75, H3="TRS 2013"))
    assert (report.created, report.changed, report.unchanged, report.reports) == (1, 0, 0, ("BP-S1 2013",))
    # not recorded yet: the unit submits its report through the cycle (checks, approval)
    assert not Actual.objects.filter(indicator=world.indicators["south"], period="2013").exists()
    post = _report(calendar, "BP-S1", "2013")
    assert post.status == "draft"
    draft = post.assignments.get(indicator=world.indicators["south"])
    assert (draft.value, draft.evidence) == (Decimal("7.75"), "TRS 2013")
    again = services.actuals_import(actor=planner, plan=world.plan, content=filled(raw, G3=7.75))
    assert (again.created, again.changed, again.unchanged) == (0, 0, 1)
    # through the API too, which names the report
    client.force_login(planner)
    answer = client.post(
        f"/api/plans/{world.plan.pk}/actuals/import", data=filled(raw, G3=7.5), content_type="application/octet-stream"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"created": 0, "changed": 1, "unchanged": 0, "reports": ["BP-S1 2013"]}
    draft.refresh_from_db()
    assert draft.value == Decimal("7.5")
    # a submitted report no longer takes drafts: refused at the value's cell, nothing written
    monitoring.submission_submit(actor=planner, submission=post)
    with pytest.raises(InvalidInput) as refused:
        services.actuals_import(actor=planner, plan=world.plan, content=filled(raw, G3=6))
    assert [p.location for p in refused.value.problems] == ["Actuals!G3"]
    assert "submitted" in refused.value.problems[0].message


def test_with_a_reporting_calendar_a_locked_value_is_refused_at_its_cell(world: World) -> None:
    from waypoint.monitoring import services as monitoring

    planner = world.users["planner"]
    calendar = monitoring.calendar_save(actor=planner, plan=world.plan, first_year=2012, last_year=2013)
    raw = services.actuals_template(actor=planner, plan=world.plan, period="2012")  # KPI-02, 14 recorded
    for unit in ("BP-S1", "RD-W"):
        monitoring.submission_waive(actor=None, submission=_report(calendar, unit, "2012"), reason="Counted centrally")
    monitoring.submission_approve(actor=None, submission=_report(calendar, "RD-S", "2012"))
    monitoring.submission_approve(actor=None, submission=_report(calendar, "ADM", "2012"))
    before = row_counts()
    with pytest.raises(InvalidInput) as refused:
        services.actuals_import(actor=planner, plan=world.plan, content=filled(raw, G3=13))
    assert [p.location for p in refused.value.problems] == ["Actuals!G3"]
    assert "locked" in refused.value.problems[0].message
    assert row_counts() == before
    assert Actual.objects.get(indicator=world.indicators["west"], period="2012").value == Decimal("14")


def _options(html: str) -> list[tuple[str, bool]]:
    """The unit list's options: (value, selected)."""
    import re

    select = re.search(r'<select name="unit"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    return [
        (value, bool(selected)) for value, selected in re.findall(r'<option value="([^"]*)"( selected)?', select[1])
    ]


def test_the_page_offers_only_the_units_a_person_may_report_for_starting_with_their_own(
    world: World, client: Any
) -> None:
    url = f"/plans/{world.plan.pk}/documents/actuals/"
    # a contributor of the southern directorate: their directorate and its post, theirs first;
    # no indicator reported for the whole administration is theirs, so that choice is not offered
    client.force_login(world.users["contributor"])
    assert _options(client.get(url).content.decode()) == [("RD-S", True), ("BP-S1", False)]
    download = client.get(url, {"period": "2013", "unit": "RD-S"})
    assert download.status_code == 200
    # the western contributor owns KPI-02, reported for the whole administration: offered too
    client.force_login(world.users["contributor_west"])
    assert _options(client.get(url).content.decode()) == [("", False), ("RD-W", True), ("BP-W1", False)]
    assert client.get(url, {"period": "2012", "unit": ""}).status_code == 200
    # a unit that is not theirs is refused by the form, not by a 403 after it
    assert client.get(url, {"period": "2013", "unit": "BP-S1"}).status_code == 400
    # a planner: the whole administration first, then every unit
    client.force_login(world.users["planner"])
    options = _options(client.get(url).content.decode())
    assert options[0] == ("", True) and len(options) == 1 + len(world.units)
