"""HR files and framework files: every problem located, nothing written on any error; the
framework round-trips through the pages and the API."""

from __future__ import annotations

import io
import json
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.people.conftest import SHIPPED, Workforce
from tests.world import World
from waypoint.core.errors import NotAllowed
from waypoint.people import importing, services
from waypoint.people.errors import FileInvalid
from waypoint.people.models import CompetencyFramework, Officer, ProficiencyAssessment, TrainingRecord

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


# --- read and check outside the transaction, then write in one ----------------------------------------------


def in_write_transaction() -> bool:
    """Inside a transaction the code under test opened (the test's own does not count)."""
    from django.db import connection

    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def watch(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[bool]:
    """Record, for every call of ``owner.name``, whether it ran inside a write transaction."""
    seen: list[bool] = []
    original = getattr(owner, name)

    def watched(*args: object, **kwargs: object) -> object:
        seen.append(in_write_transaction())
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, watched)
    return seen


def _import(world: World, workforce: Workforce, kind: str) -> importing.ImportReport:
    admin = world.unit("ADM")
    if kind == "officers":
        data = "staff_number,unit,role_profile\nW0001,BP-S1,INSPECTOR\nT0001,BP-W1,INSPECTOR\n"
        return importing.officers_import(actor=None, administration=admin, data=data.encode(), filename="o.csv")
    if kind == "assessments":
        data = "staff_number,competency,level,source,assessed_on\nT0001,TEC.RISK,3,test,2014-01-10\n"
        return importing.assessments_import(
            actor=None, administration=admin, data=data.encode(), filename="a.csv", round=workforce.rounds[1]
        )
    data = "staff_number,course,completed_on,hours\nT0001,HS-3,2014-02-01,\nT0002,ETH-3,2014-02-01,6\n"
    return importing.training_import(actor=None, administration=admin, data=data.encode(), filename="t.csv")


@pytest.mark.parametrize(
    ("kind", "model"),
    [("officers", Officer), ("assessments", ProficiencyAssessment), ("training", TrainingRecord)],
)
def test_an_hr_file_is_read_and_checked_before_the_import_transaction(
    world: World, workforce: Workforce, monkeypatch: pytest.MonkeyPatch, kind: str, model: type[Any]
) -> None:
    read = watch(monkeypatch, importing, "read_table")
    checked = watch(monkeypatch, importing._Checker, "refuse")
    created = watch(monkeypatch, model.objects, "bulk_create")
    audited = watch(monkeypatch, importing, "audit_record")
    report = _import(world, workforce, kind)
    assert report.created >= 1
    assert read == [False]
    assert checked and not any(checked)  # the header check and the rows' check
    assert created == [True]
    assert audited == [True]  # one audit record, in the writes' transaction


def test_an_officers_file_matched_against_officers_changed_meanwhile_writes_nothing(
    world: World, workforce: Workforce, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = world.unit("ADM")
    original = importing._write_officers

    def somebody_adds_one_first(*args: Any, **kwargs: Any) -> Any:
        # between the check and the writes, another HR officer adds W0001 on its page
        services.officer_save(actor=None, administration=admin, staff_number="W0001", unit=world.unit("BP-W1"))
        return original(*args, **kwargs)

    monkeypatch.setattr(importing, "_write_officers", somebody_adds_one_first)
    moved_before = workforce.officers["T0001"].unit_id
    with pytest.raises(FileInvalid) as refused:
        _import(world, workforce, "officers")
    assert "Import it again" in refused.value.message
    assert refused.value.problems[0].location == "file"
    assert Officer.objects.get(staff_number="W0001").unit.code == "BP-W1"  # theirs, not the file's
    assert Officer.objects.get(staff_number="T0001").unit_id == moved_before


def test_a_training_file_with_errors_is_refused_whole_with_every_problem_located(
    world: World, workforce: Workforce
) -> None:
    before = TrainingRecord.objects.count()
    data = (
        "staff_number,course,completed_on,hours\n"
        "T0001,HS-3,2014-02-01,\n"
        "T9999,HS-3,2014-02-01,\n"
        "T0002,NO-COURSE,2014-02-31,x\n"
        "T0001,HS-3,2014-02-01,\n"
    )
    with pytest.raises(FileInvalid) as refused:
        importing.training_import(actor=None, administration=world.unit("ADM"), data=data.encode(), filename="t.csv")
    locations = {p.location for p in refused.value.problems}
    assert {
        "row 3, column staff_number",
        "row 4, column course",
        "row 4, column completed_on",
        "row 4, column hours",
        "row 5, column course",
    } <= locations
    assert TrainingRecord.objects.count() == before
