"""A document names the plan's version as its approval history numbers it (not the edit
counter), a draft is marked DRAFT in both formats, and a rendered document is named after the
plan, the report's period, the version and the date, as a file name any system keeps."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.documents.conftest import pdf_text
from tests.world import World
from waypoint.documents import content, services
from waypoint.documents.models import safe_filename
from waypoint.documents.pdf import render_pdf
from waypoint.documents.word import render_docx
from waypoint.plans import services as plan_services


def _submit(world: World) -> None:
    plan_services.plan_set_status(actor=world.users["planner"], plan=world.plan, status="under_review")


def _approve(world: World) -> None:
    _submit(world)
    plan_services.plan_set_status(actor=world.users["approver"], plan=world.plan, status="approved", note="Yes")


def _header_xml(docx_bytes: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        return "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("word/header"))


def test_a_draft_is_the_version_it_becomes_and_is_marked_draft_in_both_formats(world: World, tmp_path: Path) -> None:
    shown = content.edition(world.plan)
    assert (shown.number, shown.draft, shown.label) == (1, True, "v1 draft")
    document = content.strategic_plan(world.plan, sections=["statements"])
    assert "Draft of version 1 (no version submitted yet)" in " ".join(document.cover_lines)
    assert f"Plan version {world.plan.version}" not in " ".join(document.cover_lines)  # the edit counter
    assert document.watermark == "DRAFT" and document.footer.endswith("v1 draft · DRAFT")
    text = pdf_text(render_pdf(document), tmp_path)
    pages = text.split("\f")[:-1]
    assert all("T\nF\nA\nR" in page for page in pages)  # the turned watermark, read letter by letter
    assert all("v1 draft · DRAFT" in page for page in pages[1:])  # the footer but on the cover
    header = _header_xml(render_docx(document))
    assert 'string="DRAFT"' in header and "_x0000_t136" in header  # Word's own watermark

    _submit(world)
    world.plan.refresh_from_db()
    submitted = content.edition(world.plan)
    assert (submitted.number, submitted.draft) == (1, True)
    assert submitted.line.startswith("Version 1, submitted for approval on ")


def test_an_approved_plan_is_the_version_approved_and_carries_no_draft_mark(world: World, tmp_path: Path) -> None:
    _approve(world)
    world.plan.refresh_from_db()
    assert world.plan.version != 2  # the edit counter is not the version
    shown = content.edition(world.plan)
    assert (shown.number, shown.draft, shown.label) == (2, False, "v2")
    today = timezone.localdate()
    assert shown.line == f"Version 2, approved on {today.day} {today:%B %Y}"
    document = content.strategic_plan(world.plan, sections=["statements"])
    assert document.watermark == "" and document.footer == f"{world.plan.title} · v2"
    assert "DRAFT" not in pdf_text(render_pdf(document), tmp_path)
    assert "WaypointWatermark" not in _header_xml(render_docx(document))


def test_a_rendered_document_is_named_after_the_plan_period_version_and_date(world: World) -> None:
    world.plan.title = 'Plan "2012/2016": customs\\trade — Gömrük'
    world.plan.save()
    _approve(world)
    world.plan.refresh_from_db()
    render = services.render_request(
        actor=world.users["viewer"], plan=world.plan, kind="progress", format="pdf", period="2013Q4", run_now=True
    )
    today = timezone.localdate().isoformat()
    assert render.plan_edition == 2
    assert render.title == f"{world.plan.title} — progress report 2013Q4 — v2 — {today}"
    assert render.download_name == f"Plan 2012 2016 customs trade — Gömrük — progress report 2013Q4 — v2 — {today}.pdf"
    assert str(render.file.name).endswith(f"/plan-{world.plan.pk}-progress-2013Q4-v2-doc1.pdf")

    client = Client()
    client.force_login(world.users["viewer"])
    response = client.get(reverse("document-download", args=[render.pk]))
    assert response.status_code == 200
    assert "Gömrük".encode() not in response["Content-Disposition"].encode("latin-1", "replace")  # RFC 5987
    assert "filename*=utf-8''Plan%202012%202016" in response["Content-Disposition"]
    listing = client.get(reverse("documents", args=[world.plan.pk])).content.decode()
    assert "progress report 2013Q4 — v2 — " in listing


def test_safe_file_names() -> None:
    assert safe_filename('a/b\\c:d*e?f"g<h>i|j\x00k\nl') == "a b c d e f g h i j k l"
    assert safe_filename(" ..Plan. ") == "Plan"
    assert safe_filename("///") == "document"
    assert safe_filename("Стратегический план " * 20) == ("Стратегический план " * 20)[:150].rstrip()
