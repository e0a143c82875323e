"""The plan workbook: an exact round trip through XLSX, and bad workbooks refused at their cells
with nothing written."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.plans.test_portable import enrich, row_counts, wipe_database
from tests.world import World
from waypoint.core.errors import NotAllowed
from waypoint.documents import services
from waypoint.documents.workbook import plan_workbook, read_plan_workbook
from waypoint.plans.errors import PlanFileInvalid
from waypoint.plans.planfile import plan_export, plan_export_json


def workbook_of(world: World) -> bytes:
    return plan_workbook(plan_export(world.plan))


def saved(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def edited(raw: bytes, sheet: str, cell: str, value: Any) -> bytes:
    book = load_workbook(io.BytesIO(raw))
    book[sheet][cell] = value
    return saved(book)


def attribute(world: World) -> None:
    """The attribution a planning round's consolidation leaves on an element (rounds' part of
    the plan file), written directly: the round itself is not what these tests are about."""
    from waypoint.rounds.models import ElementAttribution

    attribution = ElementAttribution.objects.create(
        element=world.elements["I1.1.1"], source="Round 2013: P-3, P-7, with a comma"
    )
    attribution.proposed_by.set([world.units["BP-S1"], world.units["BP-W1"]])
    attribution.merged_by.set([world.units["RD-S"]])


def test_plan_to_workbook_to_a_new_database_gives_the_same_plan_file(world: World) -> None:
    enrich(world)
    attribute(world)
    first = plan_export_json(world.plan)
    raw = workbook_of(world)
    wipe_database()
    report = services.workbook_import(raw, actor=None)
    assert plan_export_json(report.plan) == first
    assert json.loads(first)["attributions"] == [
        {
            "element": "I1.1.1",
            "proposed_by": ["BP-S1", "BP-W1"],
            "merged_by": ["RD-S"],
            "source": "Round 2013: P-3, P-7, with a comma",
        }
    ]


def test_a_planning_rounds_attributions_have_their_sheet_with_its_own_words(world: World) -> None:
    attribute(world)
    book = load_workbook(io.BytesIO(workbook_of(world)))
    sheet = book["Attributions"]
    assert [c.value for c in sheet[2]] == ["Element", "Proposed by", "Merged by", "Round and proposals"]
    assert [c.value for c in sheet[3]] == ["I1.1.1", "BP-S1, BP-W1", "RD-S", "Round 2013: P-3, P-7, with a comma"]
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    # the element is chosen from the plan's elements; the round's text is free, not a funding source
    assert any(ref.startswith("A3") and "Elements" in f for ref, f in lists.items())
    assert not any(ref.startswith("D3") for ref in lists)
    budget = book["Budget"]
    assert any("'Funding sources'" in v.formula1 for v in budget.data_validations.dataValidation)


def test_a_workbook_without_a_later_parts_sheet_reads_that_part_as_empty(world: World) -> None:
    """A workbook exported before a part existed (its index does not list the part) imports
    with the part empty, as a plan file without the key does; a part it lists must be there."""
    raw = edited(workbook_of(world), "Plan", "C4", "Another plan")
    book = load_workbook(io.BytesIO(raw))
    del book["Attributions"]
    with pytest.raises(PlanFileInvalid) as refused:
        read_plan_workbook(saved(book))
    assert [p.location for p in refused.value.problems] == ["Attributions"]
    index = book["_waypoint"]
    for row in list(index.iter_rows()):
        if row[0].value == "attributions":
            index.delete_rows(row[0].row)
    assert read_plan_workbook(saved(book)).data["attributions"] == []
    # a part of the plan's own (not another app's) is asked for, listed or not
    del book["Elements"]
    for row in list(index.iter_rows()):
        if row[0].value == "elements":
            index.delete_rows(row[0].row)
    with pytest.raises(PlanFileInvalid) as refused:
        read_plan_workbook(saved(book))
    assert refused.value.problems[0].location == "Elements"


def test_a_workbook_imports_into_a_new_plan_beside_the_original(world: World) -> None:
    enrich(world)
    original = json.loads(plan_export_json(world.plan))
    raw = edited(workbook_of(world), "Plan", "C4", "Strategic plan, second draft")
    report = services.workbook_import(raw, actor=world.users["planner"])
    assert report.plan.pk != world.plan.pk
    copy = json.loads(plan_export_json(report.plan))
    assert copy["plan"].pop("title") == "Strategic plan, second draft"
    original["plan"].pop("title")
    copy["plan"]["status"] = original["plan"]["status"]  # an imported plan starts as a draft
    assert copy == original


def test_the_workbook_has_its_sheets_headers_lists_and_locked_codes(world: World) -> None:
    book = load_workbook(io.BytesIO(workbook_of(world)))
    assert {"Plan", "Elements", "Indicators", "Targets", "Actuals", "Budget", "Risks", "Funding sources"} <= set(
        book.sheetnames
    )
    elements = book["Elements"]
    assert elements.freeze_panes == "A3"
    assert elements.row_dimensions[1].hidden
    assert elements["A2"].value == "Code"
    assert elements["A3"].value == "G1"
    assert elements.protection.sheet
    assert elements["A3"].protection.locked
    assert not elements["F3"].protection.locked
    lists = [v.formula1 for v in elements.data_validations.dataValidation]
    assert '"goal,objective,initiative,activity"' in lists
    assert any("Units" in f for f in lists)


def test_a_broken_workbook_is_refused_at_its_cells_and_nothing_is_written(world: World) -> None:
    enrich(world)  # a risk in row 3 of Risks
    raw = edited(workbook_of(world), "Plan", "C4", "Another plan")
    raw = edited(raw, "Elements", "D4", "two")  # number
    raw = edited(raw, "Risks", "A3", "I9.9.9")  # a risk of an element that is not there
    before = row_counts()
    with pytest.raises(PlanFileInvalid) as refused:
        services.workbook_import(raw, actor=world.users["planner"])
    locations = {p.location for p in refused.value.problems}
    assert "Risks!A3" in locations
    assert row_counts() == before
    # the reading problems come first; once the rows read, the plan file's own checks say where
    raw = edited(raw, "Risks", "A3", "I1.1.1")
    with pytest.raises(PlanFileInvalid) as refused:
        services.workbook_import(raw, actor=world.users["planner"])
    assert [p.location for p in refused.value.problems] == ["Elements!D4"]
    assert row_counts() == before


def test_a_check_of_the_plan_file_is_reported_at_its_cell(world: World) -> None:
    raw = edited(workbook_of(world), "Plan", "C4", "Another plan")
    raw = edited(raw, "Elements", "H4", "nowhere")  # tier
    with pytest.raises(PlanFileInvalid) as refused:
        services.workbook_preview(raw, actor=world.users["planner"])
    assert [(p.location, p.message) for p in refused.value.problems] == [("Elements!H4", "Unknown tier 'nowhere'.")]


def test_a_file_that_is_not_a_workbook_is_refused(world: World) -> None:
    with pytest.raises(PlanFileInvalid) as refused:
        read_plan_workbook(b"plan,title\n1,x\n")
    assert "zip" in refused.value.problems[0].message


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_read(world: World, settings: Any) -> None:
    settings.WAYPOINT_WORKBOOK_MAX_MB = 0
    with pytest.raises(PlanFileInvalid) as refused:
        read_plan_workbook(workbook_of(world))
    assert "WAYPOINT_WORKBOOK_MAX_MB" in refused.value.problems[0].message


def test_rows_past_the_limit_are_refused(world: World, settings: Any) -> None:
    settings.WAYPOINT_WORKBOOK_MAX_ROWS = 5
    with pytest.raises(PlanFileInvalid) as refused:
        read_plan_workbook(workbook_of(world))
    assert "WAYPOINT_WORKBOOK_MAX_ROWS" in refused.value.problems[0].message


def test_the_preview_counts_what_the_import_would_write_and_writes_nothing(world: World) -> None:
    raw = edited(workbook_of(world), "Plan", "C4", "Another plan")
    before = row_counts()
    preview = services.workbook_preview(raw, actor=world.users["planner"])
    assert preview.counts["elements"] == world.plan.elements.count()
    assert preview.units_to_create == []
    assert row_counts() == before


def test_only_planners_import_a_workbook(world: World) -> None:
    raw = edited(workbook_of(world), "Plan", "C4", "Another plan")
    with pytest.raises(NotAllowed):
        services.workbook_preview(raw, actor=world.users["viewer"])


def test_the_import_page_previews_then_imports(world: World, client: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from waypoint.plans.models import Plan

    client.force_login(world.users["planner"])
    raw = edited(workbook_of(world), "Plan", "C4", "From the page")
    before = row_counts()
    response = client.post(reverse("workbook-import"), {"file": SimpleUploadedFile("plan.xlsx", raw)})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert b"From the page" in preview.content
    assert Plan.objects.filter(title="From the page").count() == 0
    done = client.post(response["Location"])
    assert done.status_code == 302
    assert Plan.objects.filter(title="From the page").count() == 1
    assert row_counts()["plans.Plan"] == before["plans.Plan"] + 1

    broken = edited(raw, "Elements", "D4", "two")
    refused = client.post(reverse("workbook-import"), {"file": SimpleUploadedFile("plan.xlsx", broken)})
    assert refused.status_code == 400
    assert b"Elements!D4" in refused.content


def test_the_api_previews_and_imports_a_workbook_with_problems_at_their_cells(world: World, client: Any) -> None:
    client.force_login(world.users["planner"])
    raw = edited(workbook_of(world), "Plan", "C4", "Through the API")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    preview = client.post("/api/plans/import/workbook", data=raw, content_type=xlsx)
    assert preview.status_code == 200, preview.content
    assert preview.json()["imported"] is False
    done = client.post("/api/plans/import/workbook?confirm=true", data=raw, content_type=xlsx)
    assert done.status_code == 201
    assert done.json()["title"] == "Through the API"
    refused = client.post(
        "/api/plans/import/workbook?confirm=true", data=edited(raw, "Plan", "C4", "Again"), content_type=xlsx
    )
    assert refused.status_code == 201  # another title: another plan
    broken = client.post("/api/plans/import/workbook?confirm=true", data=b"not a workbook", content_type=xlsx)
    assert broken.status_code == 400
    assert broken.json()["problems"][0]["location"] == "workbook"


def test_a_staged_workbook_is_its_uploaders_alone(world: World, client: Any) -> None:
    from django.urls import reverse

    staged = services.workbook_stage(
        actor=world.users["planner"], name="plan.xlsx", content=edited(workbook_of(world), "Plan", "C4", "Mine")
    )
    client.force_login(world.users["administrator"])
    assert client.get(reverse("workbook-preview", args=[staged.pk])).status_code == 404
    assert client.post(reverse("workbook-discard", args=[staged.pk])).status_code == 404
    client.force_login(world.users["planner"])
    assert client.get(reverse("workbook-preview", args=[staged.pk])).status_code == 200
    assert client.post(reverse("workbook-discard", args=[staged.pk])).status_code == 302


def test_an_empty_cell_of_a_list_the_file_requires_is_reported_as_the_file_would_be(world: World) -> None:
    attribute(world)
    raw = edited(edited(workbook_of(world), "Plan", "C4", "Another plan"), "Attributions", "B3", None)
    with pytest.raises(PlanFileInvalid) as refused:
        services.workbook_preview(raw, actor=world.users["planner"])
    assert [p.location for p in refused.value.problems] == ["Attributions!B3"]
    assert "at least 1 item" in refused.value.problems[0].message


def test_an_attribution_naming_no_unit_goes_through_its_own_export_and_back(world: World) -> None:
    """Issue 16: a consolidated element whose proposing units are not known here (only the
    round's words) was exported with an empty list its own import refused."""
    from waypoint.plans.planfile import plan_import
    from waypoint.rounds.models import ElementAttribution

    attribute(world)  # I1.1.1, with its units
    ElementAttribution.objects.create(element=world.elements["I1.2.1"], source="Round 2011: proposed by a post")
    first = plan_export_json(world.plan)
    assert json.loads(first)["attributions"][1] == {
        "element": "I1.2.1",
        "proposed_by": [],
        "merged_by": [],
        "source": "Round 2011: proposed by a post",
    }
    raw = workbook_of(world)
    wipe_database()
    through_workbook = services.workbook_import(raw, actor=None).plan
    assert plan_export_json(through_workbook) == first
    wipe_database()
    through_json = plan_import(json.loads(first), actor=None)
    assert plan_export_json(through_json) == first


def test_an_attribution_must_name_its_proposers_when_units_merged_it_or_say_something(world: World) -> None:
    from waypoint.plans.planfile import plan_import

    document = plan_export(world.plan)
    document["plan"]["title"] = "Another plan"
    document["attributions"] = [
        {"element": "I1.1.1", "proposed_by": [], "merged_by": ["RD-S"], "source": "Round 2013"},
        {"element": "I1.2.1", "proposed_by": [], "merged_by": [], "source": " "},
    ]
    with pytest.raises(PlanFileInvalid) as refused:
        plan_import(document, actor=None)
    assert [p.location for p in refused.value.problems] == [
        "$.attributions[0].proposed_by",
        "$.attributions[1].proposed_by",
    ]
