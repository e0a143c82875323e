"""The demo plan in every format: PDF pages that are not blank, DOCX and XLSX read back."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from tests.documents.conftest import broken_words, inked, overflows, pdf_pages, pdf_text
from tests.documents.test_logframe_mapping import elements_of, indicators_of, logframe_spec
from waypoint.demo.builder import build_demo
from waypoint.documents import content
from waypoint.documents.logframe import logframe_workbook
from waypoint.documents.logframes import PlanSettings
from waypoint.documents.pdf import layout
from waypoint.documents.services import logframe_import, workbook_import
from waypoint.documents.word import render_docx
from waypoint.documents.workbook import plan_workbook
from waypoint.engine.periods import Period
from waypoint.plans.models import Plan
from waypoint.plans.planfile import plan_export, plan_export_json

SECTIONS = [
    "Foreword",
    "Vision, mission and values",
    "Diagnostic summary",
    "Environmental scan",
    "Activity profile",
    "Goals, objectives and initiatives",
    "Logframe matrix",
    "Indicator reference sheets",
    "Roadmap",
    "Budget",
    "Risk register",
    "Annex: recommendations and the elements that answer them",
    # the demo has them all: workforce needs and adopted training, follow-up actions, a round
    "Annex: people and training",
    "Annex: follow-up actions",
    "Annex: attribution of consolidated proposals",
]


@pytest.mark.django_db
def test_the_demo_plan_as_pdf_docx_and_workbooks(tmp_path: Path) -> None:
    build_demo(password="demo-password-1")
    plan = Plan.objects.get(title="Strategic Plan 2012–2016")
    document = content.strategic_plan(plan)
    assert [s.title for s in document.sections] == SECTIONS

    laid = layout(document)
    assert overflows(laid) == []  # the logframe matrix, the indicator and budget tables fit
    assert broken_words(laid) == []  # no header word or number broken across lines
    pdf = laid.write_pdf()
    pages = pdf_pages(pdf, tmp_path / "plan")
    assert 25 <= len(pages) <= 60
    assert all(inked(page) > 0.002 for page in pages), [round(inked(p), 4) for p in pages]
    text = pdf_text(pdf, tmp_path)
    for title in SECTIONS:
        assert title.split(":")[0] in text
    assert "DRAFT" not in text  # the demo plan is approved

    word = docx.Document(io.BytesIO(render_docx(document)))
    headings = [p.text for p in word.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert [h.split(". ", 1)[1] for h in headings[1:]] == SECTIONS
    assert len(word.tables) >= 30
    assert len(word.inline_shapes) >= 5  # radar, indicator charts, Gantt, budget
    logframe = next(t for t in word.tables if t.rows[0].cells[0].text == "Results chain")
    assert [c.text for c in logframe.rows[0].cells] == [
        "Results chain",
        "Indicators",
        "Means of verification",
        "Assumptions",
    ]
    assert len(logframe.rows) > 20

    report = content.progress_report(plan, Period.parse("2014Q2"))
    laid = layout(report)
    assert overflows(laid) == []
    report_pdf = laid.write_pdf()
    report_pages = pdf_pages(report_pdf, tmp_path / "progress")
    assert 4 <= len(report_pages) <= 20
    assert all(inked(page) > 0.002 for page in report_pages)
    report_word = docx.Document(io.BytesIO(render_docx(report)))
    report_headings = [p.text for p in report_word.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert "1. Overall health" in report_headings
    assert any(h.endswith("Indicators") for h in report_headings)
    indicator_table = next(t for t in report_word.tables if t.rows[0].cells[1].text == "Indicator")
    headers = [c.text for c in indicator_table.rows[0].cells]
    assert headers[:6] == [
        "Code",
        "Indicator",
        "Baseline",
        "Target",
        "Actual",
        "Status",
    ]
    assert headers[6:] == [f"Forecast {plan.end_year}"]  # issue 15's forecast, in reports
    assert len(indicator_table.rows) > 10

    book = load_workbook(io.BytesIO(logframe_workbook(plan)))
    sheet = book.active
    assert sheet is not None and sheet.freeze_panes == "D3"
    assert sheet["B3"].value == "G1"
    assert sheet.max_row > plan.elements.count()

    # round trip through the plan workbook, into a new plan of the same administration
    original = json.loads(plan_export_json(plan))
    exported = plan_export(plan)
    exported["plan"]["title"] = "Strategic Plan 2012–2016 (copy)"
    copy = workbook_import(plan_workbook(exported), actor=None).plan
    again = json.loads(plan_export_json(copy))
    assert again["plan"].pop("title") == "Strategic Plan 2012–2016 (copy)"
    original["plan"].pop("title")
    assert copy.status == "draft" and copy.imported_status == "approved"  # it waits for approval here
    assert again == original

    # the demo's own logframe export, read back through a column mapping as the mapping page
    # guesses it (levels by the depth of the codes): the plan's elements and indicators again
    raw = logframe_workbook(plan)
    spec = logframe_spec(raw)
    settings = PlanSettings(
        administration=plan.administration, title="Re-read logframe", start_year=plan.start_year, end_year=plan.end_year
    )
    reread = logframe_import(raw, actor=None, spec=spec, settings=settings).plan
    assert elements_of(reread) == elements_of(plan)
    assert indicators_of(reread) == indicators_of(plan)
    assert len(elements_of(plan)) > 100
