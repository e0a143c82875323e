"""The workshop record as DOCX and PDF: read back with python-docx (headings, tables, charts)
and drawn by pdftoppm (pages, none blank); downloaded from the record page by whoever may read
the workshop, refused to others."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
from django.test import Client
from django.urls import reverse

from tests.documents.conftest import inked, pdf_pages, pdf_text
from tests.workshops.conftest import Room, make_room
from tests.world import World
from waypoint.documents.pdf import render_pdf
from waypoint.documents.word import render_docx
from waypoint.documents.workshop import workshop_record
from waypoint.workshops import services


def _held(world: World) -> Room:
    """A workshop with notes in a cluster, dots, scores, comparisons and results in the plan."""
    room = make_room(world)
    planner = world.users["planner"]
    first = services.note_add(participant=room.guest, exercise=room.board, column="weakness", text="Paper forms")
    services.note_add(participant=room.guest, exercise=room.board, column="weakness", text="Stamps everywhere")
    services.note_add(participant=room.guest, exercise=room.board, column="threat", text="Smuggling rises")
    cluster = services.cluster_save(actor=planner, exercise=room.board, name="Manual work", column="weakness")
    services.note_cluster(actor=planner, note=first, cluster=cluster)
    dots = list(room.dots.options.all())
    services.dots_set(participant=room.guest, option=dots[0], dots=2)
    services.dots_set(participant=room.guest, option=dots[1], dots=1)
    options = list(room.scoring.options.all())
    for criterion in room.scoring.criteria.all():
        for value, option in zip((5, 2), options, strict=True):
            services.score_set(participant=room.guest, option=option, criterion=criterion, value=value)
    functions = list(room.pairwise.options.all())
    for i, a in enumerate(functions):
        for b in functions[i + 1 :]:
            services.comparison_set(participant=room.guest, preferred=a, other=b, strength=3)
    services.to_analysis_item(
        actor=planner,
        exercise=room.board,
        framework="swot",
        category="weakness",
        text="Manual processing",
        cluster=cluster,
    )
    services.action_create(
        actor=planner,
        exercise=room.dots,
        title="Draft the risk policy",
        owner_unit=world.unit("HQ-RSK"),
        due_on=dt.date(2012, 3, 1),
        option=dots[0],
    )
    return room


def test_the_record_reads_back_as_docx_and_draws_as_pdf(world: World, tmp_path: Path) -> None:
    room = _held(world)
    document = workshop_record(room.workshop)
    word = docx.Document(io.BytesIO(render_docx(document)))
    headings = [p.text for p in word.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings[1:] == [
        "1. Agenda",
        "2. Participants",
        "3. SWOT",
        "4. Priorities",
        "5. Initiatives",
        "6. Functions",
        "7. Into the plan",
    ]
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Manual work (1)" in text and "Paper forms" in text and "Smuggling rises" in text
    tables = {t.rows[0].cells[0].text: t for t in word.tables}
    agenda = tables["No."]
    assert [r.cells[1].text for r in agenda.rows[1:]] == ["SWOT", "Priorities", "Initiatives", "Functions"]
    assert "Guest Officer" in [r.cells[0].text for r in tables["Name"].rows[1:]]
    ranks = [t for t in word.tables if [c.text for c in t.rows[0].cells] == ["Rank", "Option", "Dots", "Voters"]]
    assert [r.cells[2].text for r in ranks[0].rows[1:3]] == ["2", "1"]
    into = tables["Became"]
    assert [c.text for c in into.rows[1].cells][:3] == ["SWOT/PESTLE item", "Manual processing", "SWOT"]
    actions = tables["Action"]
    assert actions.rows[1].cells[0].text.endswith("Draft the risk policy")
    assert actions.rows[1].cells[2].text == "2012-03-01"
    assert len(word.inline_shapes) >= 4  # dots, score, impact/effort matrix, weights

    pdf = render_pdf(document)
    pages = pdf_pages(pdf, tmp_path / "pages")
    assert len(pages) >= 3
    assert all(inked(page) > 0.002 for page in pages)
    words = pdf_text(pdf, tmp_path)
    assert "Workshop record" in words.replace("WORKSHOP RECORD", "Workshop record")
    assert "Manual processing" in words and "Draft the risk policy" in words


def test_the_record_downloads_from_its_page_for_readers_only(world: World, client: Client) -> None:
    room = make_room(world)
    page = reverse("workshop-report", args=[room.workshop.pk])
    docx_url = reverse("workshop-record-docx", args=[room.workshop.pk])
    pdf_url = reverse("workshop-record-pdf", args=[room.workshop.pk])
    client.force_login(world.users["viewer"])
    content = client.get(page).content.decode()
    assert docx_url in content and pdf_url in content
    got = client.get(docx_url)
    assert got.status_code == 200 and got["Content-Type"].endswith("wordprocessingml.document")
    assert docx.Document(io.BytesIO(got.content)).core_properties.title == room.workshop.title
    got = client.get(pdf_url)
    assert got.status_code == 200 and got.content.startswith(b"%PDF")
    outsider = Client()
    outsider.force_login(world.users["outsider"])
    assert outsider.get(docx_url).status_code == 404
