"""HR files and framework files: every problem located, nothing written on any error; the
framework round-trips through the pages and the API."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.people.conftest import SHIPPED, Workforce
from tests.world import World
from waypoint.core.errors import NotAllowed
from waypoint.people import importing
from waypoint.people.errors import FileInvalid
from waypoint.people.models import CompetencyFramework, Officer, ProficiencyAssessment

BROKEN = (
    "staff_number,unit,role_profile,education_level,education_field,entry_date,in_service\n"
    "N0001,BP-S1,INSPECTOR,bachelor,law,2010-01-01,yes\n"
    "N0002,NOWHERE,INSPECTOR,bachelor,law,2010-01-01,yes\n"
    "N0003,BP-S1,ASTRONAUT,bachelor,law,2010-13-01,yes\n"
    "N0001,BP-S1,INSPECTOR,alchemy,law,2010-01-01,maybe\n"
)


def _client(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def _xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Officers"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_officers_file_with_errors_is_refused_whole_with_every_problem_located(
    world: World, workforce: Workforce
) -> None:
    admin = world.unit("ADM")
    before = Officer.objects.count()
    with pytest.raises(FileInvalid) as refused:
        importing.officers_import(actor=None, administration=admin, data=BROKEN.encode(), filename="officers.csv")
    where = {p.location: p.message for p in refused.value.problems}
    assert "row 3, column unit" in where
    assert "row 4, column role_profile" in where
    assert "row 4, column entry_date" in where
    assert "row 5, column education_level" in where
    assert "row 5, column in_service" in where
    assert any(location.startswith("row 5") and "row 2" in message for location, message in where.items())
    assert Officer.objects.count() == before


def test_a_spreadsheet_is_located_by_sheet_row_and_column(world: World, workforce: Workforce) -> None:
    admin = world.unit("ADM")
    data = _xlsx(
        [
            ["staff_number", "unit", "role_profile"],
            ["X0001", "BP-S1", "INSPECTOR"],
            ["X0002", "BP-S1", "NOBODY"],
        ]
    )
    with pytest.raises(FileInvalid) as refused:
        importing.officers_import(actor=None, administration=admin, data=data, filename="officers.xlsx")
    assert [p.location for p in refused.value.problems] == ["sheet Officers, row 3, column role_profile"]
    assert not Officer.objects.filter(staff_number__startswith="X").exists()
    fixed = _xlsx([["staff_number", "unit", "role_profile"], ["X0001", "BP-S1", "INSPECTOR"], ["X0002", "BP-S1", ""]])
    report = importing.officers_import(actor=None, administration=admin, data=fixed, filename="officers.xlsx")
    assert report.created == 2
    assert Officer.objects.filter(staff_number__startswith="X").count() == 2


def test_an_assessments_file_with_an_unknown_competency_or_level_writes_nothing(
    world: World, workforce: Workforce
) -> None:
    admin = world.unit("ADM")
    before = ProficiencyAssessment.objects.count()
    data = (
        "staff_number,competency,level,source,assessed_on\n"
        "T0001,TEC.RISK,3,manager,2014-01-10\n"
        "T0001,TEC.NOPE,2,manager,2014-01-10\n"
        "T0002,TEC.RISK,9,boss,2014-01-10\n"
        "T9999,TEC.RISK,2,self,2014-01-10\n"
    )
    with pytest.raises(FileInvalid) as refused:
        importing.assessments_import(actor=None, administration=admin, data=data.encode(), filename="a.csv")
    locations = {p.location for p in refused.value.problems}
    assert {"row 3, column competency", "row 4, column level", "row 4, column source"} <= locations
    assert "row 5, column staff_number" in locations
    assert ProficiencyAssessment.objects.count() == before


def test_only_hr_imports(world: World, workforce: Workforce) -> None:
    with pytest.raises(NotAllowed):
        importing.officers_import(
            actor=world.users["planner"], administration=world.unit("ADM"), data=BROKEN.encode(), filename="o.csv"
        )


def test_the_import_page_lists_every_problem_and_writes_nothing(world: World, workforce: Workforce) -> None:
    hr = _client(world, "hr")
    before = Officer.objects.count()
    page = hr.post(
        reverse("workforce-import"),
        {"kind": "officers", "file": SimpleUploadedFile("officers.csv", BROKEN.encode(), "text/csv")},
    )
    assert page.status_code == 400  # the form again, with the problems
    text = page.content.decode()
    for location in ("row 3, column unit", "row 4, column role_profile", "row 5, column in_service"):
        assert location in text
    assert Officer.objects.count() == before


def test_a_malformed_framework_is_refused_with_located_problems_by_page_and_api(
    world: World, workforce: Workforce
) -> None:
    hr = _client(world, "hr")
    before = CompetencyFramework.objects.count()
    text = SHIPPED.read_text(encoding="utf-8")
    broken = text.replace("kind: knowledge", "kind: wisdom", 1).replace("code: STR.LEAD", "code: STR.PLAN", 1)
    page = hr.post(
        reverse("workforce-framework-import"),
        {"file": SimpleUploadedFile("framework.yaml", broken.encode(), "application/yaml")},
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "$.clusters[0].competencies[0].kind" in html and "$.clusters[0].competencies[1].code" in html
    answer = hr.post(
        "/api/workforce/frameworks",
        data=json.dumps({"content": broken, "filename": "framework.yaml"}),
        content_type="application/json",
    )
    assert answer.status_code == 400
    body = json.loads(answer.content)
    assert body["code"] == "framework_invalid"
    assert {p["location"] for p in body["problems"]} >= {
        "$.clusters[0].competencies[0].kind",
        "$.clusters[0].competencies[1].code",
    }
    not_yaml = hr.post(
        "/api/workforce/frameworks",
        data=json.dumps({"content": "clusters: [unclosed", "filename": "framework.yaml"}),
        content_type="application/json",
    )
    assert not_yaml.status_code == 400 and json.loads(not_yaml.content)["problems"]
    assert CompetencyFramework.objects.count() == before


def test_the_shipped_framework_round_trips_through_the_export(world: World, workforce: Workforce) -> None:
    hr = _client(world, "hr")
    exported = hr.get(reverse("workforce-framework-export", args=[workforce.framework.pk, "json"]))
    assert exported.status_code == 200
    document = json.loads(exported.content)
    assert [c["code"] for c in document["clusters"]] == ["STR", "OPS", "TEC", "VAL"]
    kinds = {c["kind"] for cluster in document["clusters"] for c in cluster["competencies"]}
    assert kinds == {"knowledge", "skill", "attitude", "behaviour"}
    codes = {c["code"] for cluster in document["clusters"] for c in cluster["competencies"]}
    assert {"TEC.CLASS", "TEC.VAL", "TEC.ORIG", "TEC.RISK", "TEC.AUDIT", "TEC.ENF", "OPS.FAC", "VAL.INTEG"} <= codes
