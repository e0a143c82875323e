"""Any logframe workbook read as a plan through a saved column mapping: the demo's own logframe
export gives back the plan's elements and indicators; a malformed workbook is refused with
located problems and nothing written."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.documents.test_workbook import saved
from tests.plans.test_portable import row_counts
from tests.world import World
from waypoint.core.errors import NotAllowed
from waypoint.documents import services
from waypoint.documents.logframe import logframe_workbook
from waypoint.documents.logframes import MappingSpec, PlanSettings, guess_columns, workbook_headers
from waypoint.documents.models import LogframeMapping
from waypoint.indicators.models import Indicator
from waypoint.plans.errors import PlanFileInvalid
from waypoint.plans.models import Plan, PlanElement


def logframe_spec(raw: bytes) -> MappingSpec:
    """The mapping a planner makes for Waypoint's own logframe export: its guesses, as the page
    offers them, with the indicator's code read from the start of the indicator column."""
    _names, found = workbook_headers(raw, "", 2)
    assert found is not None
    return MappingSpec(
        sheet=found.name, header_row=2, columns=guess_columns(found.headers), level_mode="code", code_in_indicator=True
    )


def settings_of(world: World, title: str = "Re-read plan") -> PlanSettings:
    return PlanSettings(administration=world.unit("ADM"), title=title, start_year=2012, end_year=2016)


def elements_of(plan: Plan) -> list[tuple[Any, ...]]:
    return sorted(
        (e.code, e.kind, e.title, e.parent.code if e.parent else None, e.responsible_unit.code, e.assumptions)
        for e in PlanElement.objects.filter(plan=plan).select_related("parent", "responsible_unit")
    )


def indicators_of(plan: Plan) -> list[tuple[Any, ...]]:
    return sorted(
        (
            i.code,
            i.name,
            i.element.code,
            i.unit_of_measure,
            i.baseline_value,
            tuple(sorted((t.period, t.value) for t in i.targets.all())),
        )
        for i in Indicator.objects.filter(plan=plan).select_related("element")
    )


def test_the_logframe_export_re_read_through_a_mapping_gives_back_the_plans_elements_and_indicators(
    world: World,
) -> None:
    raw = logframe_workbook(world.plan)
    spec = logframe_spec(raw)
    assert spec.columns["title"] == "Results chain" and spec.columns["indicator"] == "Indicator"
    assert spec.columns["targets"] == ["2012", "2013", "2014", "2015", "2016"]
    report = services.logframe_import(raw, actor=world.users["planner"], spec=spec, settings=settings_of(world))
    assert report.plan.pk != world.plan.pk and report.plan.title == "Re-read plan"
    assert elements_of(report.plan) == elements_of(world.plan)
    assert indicators_of(report.plan) == indicators_of(world.plan)


def own_layout() -> bytes:
    """A logframe in a layout of its own: a title row, then levels named in a column, numbered
    codes, the indicator's unit in its header, targets headed "Target 2013"."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "LF"
    sheet.append(["Customs logframe 2012–2016"])
    sheet.append(["Ref", "Type", "Narrative summary", "Indicator", "Baseline", "Target 2013", "Target 2014", "MoV"])
    sheet.append(["1", "Goal", "Trade moves faster", None, None, None, None, None])
    sheet.append(["1.1", "Purpose", "Release time falls", "Average release time", 10, 8, 6, "ASYCUDA"])
    sheet.append([None, None, None, "Share of green lane", "20%", "30%", "40%", "Reports"])
    sheet.append(["1.1.1", "Output", "Risk engine in place", None, None, None, None, None])
    sheet.append([])
    sheet.append(["2", "Goal", "Revenue is collected", None, None, None, None, None])
    return saved(book)


def own_spec(**changes: Any) -> MappingSpec:
    values: dict[str, Any] = {
        "sheet": "LF",
        "header_row": 2,
        "columns": {
            "code": "Ref",
            "level": "Type",
            "title": "Narrative summary",
            "indicator": "Indicator",
            "baseline": "Baseline",
            "means_of_verification": "MoV",
            "targets": ["Target 2013", "Target 2014"],
        },
        "level_mode": "column",
        "levels": {"Goal": "goal", "Purpose": "objective", "Output": "initiative"},
    }
    values.update(changes)
    return MappingSpec(**values)


def test_a_logframe_of_its_own_layout_reads_through_its_mapping(world: World) -> None:
    report = services.logframe_import(
        own_layout(), actor=world.users["planner"], spec=own_spec(), settings=settings_of(world)
    )
    plan = report.plan
    assert elements_of(plan) == [
        ("G1", "goal", "Trade moves faster", None, "ADM", ""),
        ("G2", "goal", "Revenue is collected", None, "ADM", ""),
        ("I1.1.1", "initiative", "Risk engine in place", "O1.1", "ADM", ""),
        ("O1.1", "objective", "Release time falls", "G1", "ADM", ""),
    ]
    release, green = Indicator.objects.filter(plan=plan).order_by("number")
    assert (release.name, release.element.code, release.direction) == ("Average release time", "O1.1", "decrease")
    assert [(t.period, t.value) for t in release.targets.order_by("period")] == [
        ("2013", Decimal(8)),
        ("2014", Decimal(6)),
    ]
    assert (green.baseline_value, green.means_of_verification) == (Decimal(20), "Reports")
    # the same rows, levels by the depth of the code instead of the level column
    again = services.logframe_import(
        own_layout(),
        actor=world.users["planner"],
        spec=own_spec(level_mode="code", levels={}),
        settings=settings_of(world, "By code"),
    )
    assert [e[:4] for e in elements_of(again.plan)] == [e[:4] for e in elements_of(plan)]


def test_a_malformed_logframe_is_refused_at_its_cells_and_nothing_is_written(world: World) -> None:
    book = load_workbook(io.BytesIO(own_layout()))
    sheet = book["LF"]
    sheet["B6"] = "Activity?"  # a level the mapping does not know
    sheet["F4"] = "soon"  # not a number
    sheet["A9"], sheet["B9"], sheet["C9"] = "3.1", "Purpose", "An objective without its goal above it"
    sheet["A8"], sheet["B8"], sheet["C8"] = None, None, None
    counts = row_counts()
    with pytest.raises(PlanFileInvalid) as refused:
        services.logframe_import(
            saved(book), actor=world.users["planner"], spec=own_spec(), settings=settings_of(world)
        )
    locations = {p.location for p in refused.value.problems}
    assert {"LF!B6", "LF!F4"} <= locations
    assert row_counts() == counts
    # a column the mapping names and the header row lacks
    with pytest.raises(PlanFileInvalid) as missing:
        services.logframe_preview(
            own_layout(),
            actor=world.users["planner"],
            spec=own_spec(columns={"title": "Objectives", "code": "Ref"}, level_mode="code"),
            settings=settings_of(world),
        )
    assert [p.location for p in missing.value.problems] == ["LF!2:2"]
    # a plan file check (a target outside the plan's years) at its cell
    with pytest.raises(PlanFileInvalid) as outside:
        services.logframe_preview(
            own_layout(),
            actor=world.users["planner"],
            spec=own_spec(),
            settings=PlanSettings(administration=world.unit("ADM"), title="Short", start_year=2012, end_year=2013),
        )
    assert any(p.location.startswith("LF!G") for p in outside.value.problems)
    assert row_counts() == counts


def test_a_file_that_is_not_a_workbook_is_refused(world: World) -> None:
    with pytest.raises(PlanFileInvalid) as refused:
        services.logframe_stage(actor=world.users["planner"], name="x.xlsx", content=b"not a zip")
    assert refused.value.problems[0].location == "workbook"


def test_only_planners_import_a_logframe_or_save_a_mapping(world: World) -> None:
    for persona in ("contributor", "approver", "viewer"):
        with pytest.raises(NotAllowed):
            services.logframe_preview(
                own_layout(), actor=world.users[persona], spec=own_spec(), settings=settings_of(world)
            )
        with pytest.raises(NotAllowed):
            services.mapping_save(
                actor=world.users[persona], administration=world.unit("ADM"), name="M", spec=own_spec()
            )


def test_the_pages_map_preview_save_the_mapping_and_create_the_plan(world: World, client: Any) -> None:
    client.force_login(world.users["planner"])
    assert client.get(reverse("logframe-import")).status_code == 200
    upload = io.BytesIO(own_layout())
    upload.name = "customs-logframe.xlsx"
    response = client.post(reverse("logframe-import"), {"file": upload})
    assert response.status_code == 302
    map_url = response["Location"]
    page = client.get(map_url)
    assert page.status_code == 200
    text = page.content.decode()
    # the header row found below the title row, and the first guesses
    assert 'value="2"' in text and "Narrative summary" in text
    form = {
        "administration": world.unit("ADM").pk,
        "title": "Customs logframe",
        "start_year": 2012,
        "end_year": 2016,
        "currency": "AZN",
        "sheet": "LF",
        "header_row": 2,
        "level_mode": "column",
        "levels": "Goal = goal\nPurpose = objective\nOutput = initiative",
        "tier_template": "customs",
        "targets": ["Target 2013", "Target 2014"],
        "col_code": "Ref",
        "col_level": "Type",
        "col_title": "Narrative summary",
        "col_indicator": "Indicator",
        "col_baseline": "Baseline",
        "col_means_of_verification": "MoV",
        "save_as": "Customs layout",
        "action": "preview",
    }
    preview = client.post(map_url, form)
    assert preview.status_code == 200, preview.content.decode()[:2000]
    assert 'data-testid="logframe-plan"' in preview.content.decode()
    assert not Plan.objects.filter(title="Customs logframe").exists()
    saved_mapping = LogframeMapping.objects.get(administration=world.unit("ADM"), name="Customs layout")
    assert saved_mapping.columns["title"] == "Narrative summary" and saved_mapping.levels["Purpose"] == "objective"
    done = client.post(map_url, {**form, "action": "import"})
    plan = Plan.objects.get(title="Customs logframe")
    assert done.status_code == 302 and done["Location"] == reverse("plan-overview", args=[plan.pk])
    assert PlanElement.objects.filter(plan=plan).count() == 4
    # the next upload reuses the saved mapping
    upload = io.BytesIO(own_layout())
    upload.name = "next.xlsx"
    response = client.post(reverse("logframe-import"), {"file": upload, "mapping": saved_mapping.pk})
    assert response["Location"].endswith(f"?mapping={saved_mapping.pk}")
    text = client.get(response["Location"]).content.decode()
    assert "Purpose = objective" in text
    listed = client.get(reverse("logframe-import")).content.decode()
    assert "Customs layout" in listed
    client.post(reverse("logframe-mapping-delete", args=[saved_mapping.pk]))
    assert not LogframeMapping.objects.filter(pk=saved_mapping.pk).exists()


def test_a_malformed_logframe_on_the_page_lists_its_cells(world: World, client: Any) -> None:
    client.force_login(world.users["planner"])
    book = load_workbook(io.BytesIO(own_layout()))
    book["LF"]["F4"] = "soon"
    upload = io.BytesIO(saved(book))
    upload.name = "bad.xlsx"
    map_url = client.post(reverse("logframe-import"), {"file": upload})["Location"]
    counts = row_counts()
    response = client.post(
        map_url,
        {
            "administration": world.unit("ADM").pk,
            "title": "Bad",
            "start_year": 2012,
            "end_year": 2016,
            "currency": "AZN",
            "sheet": "LF",
            "header_row": 2,
            "level_mode": "code",
            "tier_template": "customs",
            "targets": ["Target 2013"],
            "col_code": "Ref",
            "col_title": "Narrative summary",
            "col_indicator": "Indicator",
            "action": "import",
        },
    )
    assert response.status_code == 400
    assert "LF!F4" in response.content.decode()
    assert row_counts() == counts


def test_a_staged_logframe_is_its_uploaders_alone(world: World, client: Any) -> None:
    staged = services.logframe_stage(actor=world.users["planner"], name="lf.xlsx", content=own_layout())
    client.force_login(world.users["administrator"])
    assert client.get(reverse("logframe-map", args=[staged.pk])).status_code == 404
    client.force_login(world.users["planner"])
    assert client.get(reverse("logframe-map", args=[staged.pk])).status_code == 200


def test_the_api_saves_a_mapping_and_imports_a_logframe_through_it(world: World, client: Any) -> None:
    client.force_login(world.users["planner"])
    saved_mapping = client.post(
        "/api/logframe-mappings",
        {
            "administration": "ADM",
            "name": "Own layout",
            "sheet": "LF",
            "header_row": 2,
            "columns": {"code": "Ref", "title": "Narrative summary", "indicator": "Indicator", "baseline": "Baseline"},
            "targets": ["Target 2013", "Target 2014"],
            "level_mode": "code",
        },
        content_type="application/json",
    )
    assert saved_mapping.status_code == 200, saved_mapping.content
    mapping_id = saved_mapping.json()["id"]
    url = f"/api/logframe-mappings/{mapping_id}/import?title=Through+the+API&start_year=2012&end_year=2016"
    bad = load_workbook(io.BytesIO(own_layout()))
    bad["LF"]["F4"] = "soon"
    refused = client.post(url + "&confirm=true", saved(bad), content_type="application/octet-stream")
    assert refused.status_code == 400
    assert {"location": "LF!F4", "message": "“soon” is not a number."} in refused.json()["problems"]
    preview = client.post(url, own_layout(), content_type="application/octet-stream")
    assert preview.status_code == 200 and preview.json()["imported"] is False
    assert {"part": "elements", "count": 4} in preview.json()["counts"]
    assert not Plan.objects.filter(title="Through the API").exists()
    done = client.post(url + "&confirm=true", own_layout(), content_type="application/octet-stream")
    assert done.status_code == 201
    assert Plan.objects.get(pk=done.json()["plan"]).title == "Through the API"


def test_a_logframe_past_the_row_limit_is_refused_before_it_is_read(world: World, settings: Any) -> None:
    settings.WAYPOINT_WORKBOOK_MAX_ROWS = 5
    with pytest.raises(PlanFileInvalid) as refused:
        services.logframe_stage(actor=world.users["planner"], name="lf.xlsx", content=own_layout())
    assert "rows" in refused.value.message
    with pytest.raises(PlanFileInvalid):
        services.logframe_preview(
            own_layout(), actor=world.users["planner"], spec=own_spec(), settings=settings_of(world)
        )
