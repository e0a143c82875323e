"""Renders asked for, done in the background, stored with their version and fetched again."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
from django.test import Client
from django.urls import reverse

from tests.documents.conftest import pdf_pages, pdf_text
from tests.world import World
from waypoint.core.errors import InvalidInput, NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.documents import services
from waypoint.documents.models import Render, RenderStatus
from waypoint.documents.templating import default_template
from waypoint.monitoring import services as monitoring
from waypoint.monitoring.models import Submission
from waypoint.org.models import Notification


def test_a_render_is_stored_with_its_version_and_the_requester_is_told(world: World, tmp_path: Path) -> None:
    planner = world.users["planner"]
    render = services.render_request(
        actor=planner, plan=world.plan, kind="plan", format="pdf", sections=["results", "logframe"], run_now=True
    )
    assert render.status == RenderStatus.DONE
    assert render.number == 1 and render.plan_version == world.plan.version and len(render.fingerprint) == 12
    with render.file.open("rb") as stored:
        pdf = stored.read()
    assert render.size == len(pdf)
    pages = pdf_pages(pdf, tmp_path)
    assert len(pages) >= 3
    text = pdf_text(pdf, tmp_path)
    assert "DRAFT" in text  # the world's plan is a draft
    assert "Goals, objectives and initiatives" in text and "Logframe matrix" in text
    assert Notification.objects.filter(recipient=planner, key=f"document-ready-{render.pk}").exists()
    assert AuditEvent.objects.filter(entity="documents.Render", entity_id=str(render.pk)).count() == 2
    second = services.render_request(actor=planner, plan=world.plan, kind="plan", format="docx", run_now=True)
    assert second.number == 2


def test_a_progress_report_needs_a_period_of_the_plan(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.render_request(
            actor=world.users["viewer"], plan=world.plan, kind="progress", format="pdf", period="1999Q1"
        )
    assert [p.location for p in refused.value.problems] == ["period"]
    with pytest.raises(InvalidInput):
        services.render_request(
            actor=world.users["viewer"], plan=world.plan, kind="progress", format="pdf", period="soon"
        )
    with pytest.raises(NotAllowed):
        services.render_request(actor=world.users["outsider"], plan=world.plan, kind="plan", format="pdf")


def test_a_progress_report_as_docx(world: World) -> None:
    render = services.render_request(
        actor=world.users["viewer"], plan=world.plan, kind="progress", format="docx", period="2013Q4", run_now=True
    )
    assert render.status == RenderStatus.DONE
    with render.file.open("rb") as stored:
        word = docx.Document(stored)
    headings = [p.text for p in word.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings[1:4] == ["1. Overall health", "2. Goals and objectives", "3. Indicators"]


def test_the_default_template_renders_and_a_bad_placeholder_is_located(world: World) -> None:
    planner = world.users["planner"]
    services.template_upload(actor=planner, plan=world.plan, name="default.docx", content=default_template())
    render = services.render_request(
        actor=planner, plan=world.plan, kind="plan", format="docx", use_template=True, run_now=True
    )
    assert render.status == RenderStatus.DONE, render.error
    with render.file.open("rb") as stored:
        text = [p.text for p in docx.Document(stored).paragraphs]
    assert world.plan.title in text
    bad = docx.Document()
    bad.add_paragraph("Letterhead")
    bad.add_paragraph("{{ plan.title }} — {{ chairman.name }}")
    out = io.BytesIO()
    bad.save(out)
    with pytest.raises(InvalidInput) as refused:
        services.template_upload(actor=planner, plan=world.plan, name="bad.docx", content=out.getvalue())
    problem = refused.value.problems[0]
    assert problem.location == "paragraph 2"
    assert "chairman" in problem.message
    with pytest.raises(NotAllowed):
        services.template_upload(
            actor=world.users["viewer"], plan=world.plan, name="t.docx", content=default_template()
        )


def test_the_documents_page_asks_for_a_render_and_lists_it(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    page = client.get(reverse("documents", args=[world.plan.pk]))
    assert page.status_code == 200
    assert b"Strategic plan" in page.content and b"Plan workbook" in page.content
    response = client.post(
        reverse("document-create", args=[world.plan.pk]), {"kind": "plan", "format": "docx", "sections": ["results"]}
    )
    assert response.status_code == 302
    render = Render.objects.get()
    assert render.status == RenderStatus.DONE  # the test's task backend runs it at once
    download = client.get(reverse("document-download", args=[render.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"  # type: ignore[attr-defined]
    bad = client.post(
        reverse("document-create", args=[world.plan.pk]), {"kind": "progress", "format": "pdf", "period": "1999Q1"}
    )
    assert bad.status_code == 400


def test_the_api_asks_for_a_render_and_fetches_it(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    asked = client.post(
        f"/api/plans/{world.plan.pk}/documents",
        data={"kind": "plan", "format": "pdf", "sections": ["statements", "results"]},
        content_type="application/json",
    )
    assert asked.status_code == 202, asked.content
    body = asked.json()
    state = client.get(f"/api/documents/{body['id']}").json()
    assert state["status"] == "done" and state["download"]
    file = client.get(state["download"])
    assert file.status_code == 200
    assert b"".join(file.streaming_content)[:4] == b"%PDF"  # type: ignore[attr-defined]
    refused = client.post(
        f"/api/plans/{world.plan.pk}/documents", data={"kind": "plan", "format": "odt"}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json()["problems"][0]["location"] == "format"


def test_the_monitoring_hook_renders_both_formats_of_an_approved_period(world: World) -> None:
    renders = services.period_approved(plan=world.plan, period="2013Q4")
    assert sorted(r.format for r in renders) == ["docx", "pdf"]
    assert all(r.kind == "progress" and r.period == "2013Q4" for r in renders)


def test_the_page_lists_a_document_nobody_asked_for(world: World, client: Client) -> None:
    services.period_approved(plan=world.plan, period="2013Q4")  # the system's renders
    client.force_login(world.users["viewer"])
    page = client.get(reverse("documents", args=[world.plan.pk]))
    assert page.status_code == 200
    assert page.content.count(b"the system") == 2
    listing = client.get(reverse("document-list", args=[world.plan.pk]))
    assert b"Progress report 1 \xc2\xb7 2013Q4" in listing.content or b"2013Q4" in listing.content


def test_a_period_approved_at_the_top_renders_its_progress_report(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    """Monitoring's hook (``monitoring.hooks``) reaches documents without importing it: the
    approver's approval of the administration's report renders both formats of the period."""
    calendar = monitoring.calendar_save(actor=world.users["planner"], plan=world.plan, first_year=2012, last_year=2013)
    reports = {
        s.unit.code: s
        for s in Submission.objects.filter(period__calendar=calendar, period__code="2012").select_related("unit")
    }
    with django_capture_on_commit_callbacks(execute=True):
        for unit in ("BP-S1", "RD-W"):
            monitoring.submission_waive(actor=None, submission=reports[unit], reason="Counted centrally")
        monitoring.submission_approve(actor=None, submission=reports["RD-S"])
    assert not Render.objects.filter(plan=world.plan).exists()  # a directorate settles nothing
    approver = world.users["approver"]
    with django_capture_on_commit_callbacks(execute=True):
        monitoring.submission_approve(actor=approver, submission=reports["ADM"])
    renders = list(Render.objects.filter(plan=world.plan).order_by("format"))
    assert [(r.kind, r.format, r.period) for r in renders] == [
        ("progress", "docx", "2012"),
        ("progress", "pdf", "2012"),
    ]
    assert all(r.status == RenderStatus.DONE and r.requested_by == approver for r in renders)


def _indicator_table(word: Any) -> Any:
    return next(t for t in word.tables if "Actual" in [c.text for c in t.rows[0].cells])


def test_the_progress_report_gives_each_indicators_forecast_as_it_stood_at_the_periods_end(
    world: World, tmp_path: Path
) -> None:
    """Issue 15's forecast, "in reports": the verdict with its projection in both formats, and
    the method named; a report of an earlier period forecasts from what was known then."""
    from waypoint.indicators import services as indicator_services

    south = world.indicators["south"]
    for period, value in {"2013": "8", "2014": "7.5"}.items():  # 8.5, 8, 7.5: 6.5 in 2016, the target is 5
        indicator_services.actual_record(actor=None, indicator=south, period=period, value=Decimal(value))
    viewer = world.users["viewer"]
    word_render = services.render_request(
        actor=viewer, plan=world.plan, kind="progress", format="docx", period="2014Q4", run_now=True
    )
    with word_render.file.open("rb") as stored:
        word = docx.Document(stored)
    table = _indicator_table(word)
    assert table.rows[0].cells[6].text == "Forecast 2016"
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]}
    assert rows[south.code][6] == "Unlikely (6.5)"
    assert rows[world.indicators["west"].code][6] == "—"  # one year of actuals: no trend
    assert any("least squares" in p.text for p in word.paragraphs)
    pdf_render = services.render_request(
        actor=viewer, plan=world.plan, kind="progress", format="pdf", period="2014Q4", run_now=True
    )
    with pdf_render.file.open("rb") as stored:
        text = pdf_text(stored.read(), tmp_path)
    assert "Forecast 2016" in text and "Unlikely (6.5)" in text and "least squares" in text
    # at the end of 2013 only 2012 and 2013 were known: too few years for a trend
    earlier = services.render_request(
        actor=viewer, plan=world.plan, kind="progress", format="docx", period="2013Q4", run_now=True
    )
    with earlier.file.open("rb") as stored:
        table = _indicator_table(docx.Document(stored))
    assert {row.cells[0].text: row.cells[6].text for row in table.rows[1:]}[south.code] == "—"


@pytest.mark.django_db
def test_the_progress_reports_tables_stay_within_the_page_margins(world: World, tmp_path: Path) -> None:
    """Seven columns (the forecast the seventh) each with its padding used to run past the
    right margin to the edge of the paper: every page's right margin is blank."""
    from waypoint.documents import content
    from waypoint.documents.pdf import render_pdf
    from waypoint.engine.periods import Period

    pdf = render_pdf(content.progress_report(world.plan, Period.parse("2013Q4")))
    pages = pdf_pages(pdf, tmp_path, resolution=60)
    assert pages
    for number, page in enumerate(pages, start=1):
        width, height = page.size
        margin = round(width * 12 / 210)  # 12 of the 18 mm right margin of an A4 page
        strip = page.crop((width - margin, 0, width, height))
        # a greyscale page: the share of near-white pixels in the strip is all of it
        assert sum(strip.histogram()[250:]) == strip.width * strip.height, f"page {number} has ink in its right margin"
