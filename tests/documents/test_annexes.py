"""The strategic plan's annexes for what exists in the plan beside it: people and training (the
people app), the follow-up action register (monitoring) and where consolidated elements came
from (rounds); each present when its data exists, absent otherwise, in both formats, and
chosen like any section."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx

from tests.documents.conftest import pdf_text
from tests.documents.test_workbook import attribute
from tests.people.conftest import make_workforce
from tests.test_permission_matrix import run as allocation_run
from tests.world import World
from waypoint.documents import content
from waypoint.documents.blocks import Document, Table
from waypoint.documents.forms import PlanDocumentForm
from waypoint.documents.pdf import render_pdf
from waypoint.documents.word import render_docx
from waypoint.monitoring import services as monitoring
from waypoint.people import services as people_services
from waypoint.people.models import AllocationRun

ANNEXES = {
    "people": "Annex: people and training",
    "actions": "Annex: follow-up actions",
    "attributions": "Annex: attribution of consolidated proposals",
}


def _table(document: Document, key: str, first_header: str) -> Table:
    blocks = next(s.blocks for s in document.sections if s.key == key)
    return next(b for b in blocks if isinstance(b, Table) and b.headers[0] == first_header)


def test_no_annex_without_its_data(world: World) -> None:
    document = content.strategic_plan(world.plan)
    assert not {s.key for s in document.sections} & set(ANNEXES)
    assert set(ANNEXES) <= {key for key, _label in PlanDocumentForm().fields["sections"].choices}  # type: ignore[attr-defined]


def test_the_annexes_of_people_actions_and_attributions(world: World, tmp_path: Path) -> None:
    make_workforce(world)
    allocation_run(world)
    people_services.allocation_adopt(actor=world.users["hr"], run=AllocationRun.objects.get(plan=world.plan))
    monitoring.action_create(
        actor=world.users["planner"],
        plan=world.plan,
        title="Publish the release-time study",
        owner_unit=world.unit("HQ-PLN"),
        due_on=dt.date(2013, 6, 30),
        source_detail="Review of 2013Q1",
    )
    attribute(world)

    document = content.strategic_plan(world.plan)
    annexes = [s for s in document.sections if s.key in ANNEXES]
    assert [(s.title, s.annex) for s in annexes] == [(title, True) for title in ANNEXES.values()]

    needs = _table(document, "people", "Year")
    assert needs.rows[0][:4] == ["2015", "All units", "", "24"]  # 10 analysts and 14 inspectors
    assert any(row[1:4] == ["Risk Department", "ANALYST Risk analyst", "10"] for row in needs.rows)
    required = _table(document, "people", "Role")
    assert ["ANALYST Risk analyst", "TEC.RISK 4, VAL.INTEG 3"] in required.rows
    training = _table(document, "people", "Initiative")
    assert all(row[0] == "I1.1.1 Lane management at South Post One" for row in training.rows)

    actions = _table(document, "actions", "Action")
    assert actions.rows == [
        [
            "A-001",
            "Publish the release-time study",
            "Planning Department",
            "Jun 2013",
            "Open · overdue",
            "Review of 2013Q1",
        ]
    ]
    origins = _table(document, "attributions", "Proposed by")
    assert origins.rows == [
        ["South Post One, West Post One", "Southern Directorate", "I1.1.1", "Round 2013: P-3, P-7, with a comma"]
    ]

    text = pdf_text(render_pdf(document), tmp_path)
    for title in ANNEXES.values():
        assert title in text
    word = docx.Document(io.BytesIO(render_docx(document)))
    headings = [p.text for p in word.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert [h.split(". ", 1)[1] for h in headings if h.split(". ", 1)[-1] in ANNEXES.values()] == list(ANNEXES.values())

    # chosen like the other sections
    only = content.strategic_plan(world.plan, sections=["actions"])
    assert [s.key for s in only.sections] == ["actions"]


def test_a_document_in_a_language_the_plan_is_kept_in_gives_the_plans_texts_in_it(world: World) -> None:
    from django.utils import translation

    plan, element = world.plan, world.elements["I1.1.1"]
    plan.translations = {"az": {"title": "Strateji plan"}}
    plan.save(update_fields=["translations"])
    element.translations = {"az": {"title": "Cənubda buraxılış müddətini azaltmaq"}}
    element.save(update_fields=["translations"])
    with translation.override("az"):
        kept = content.strategic_plan(plan)
    with translation.override("fr"):
        not_kept = content.strategic_plan(plan)
    assert kept.title == "Strateji plan" and kept.footer.startswith("Strateji plan")
    assert "Cənubda buraxılış müddətini azaltmaq" in repr(kept.sections)
    assert element.title not in repr(kept.sections)
    # a language the plan is not kept in: its main language's texts
    assert not_kept.title == plan.title and element.title in repr(not_kept.sections)
