"""Importing a plan file: it travels to an empty installation and back byte for byte, arrives as a
draft whose history names nobody here, needs the rights it uses (checked before the file is
compared with anything stored), and a hostile or broken file gets a located answer on every
path (page, API, command line), never a server error."""

from __future__ import annotations

import copy
import html
import json
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.world import PASSWORD, World
from waypoint.core.errors import NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.diagnostics.models import Assessment, CarriedRecommendation
from waypoint.indicators import services as indicator_services
from waypoint.indicators.models import Actual, TargetRevision
from waypoint.org import services as org_services
from waypoint.org.models import OrgUnit, User
from waypoint.plans import quality, services
from waypoint.plans.errors import PlanFileInvalid
from waypoint.plans.models import Plan, PlanStatus
from waypoint.plans.planfile import plan_export_json, plan_import, plan_import_report


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in ("org", "plans", "indicators", "roadmap", "diagnostics", "core")
    }


# --- a plan file that travels ----------------------------------------------------------------------


def test_the_demo_plan_moves_to_an_empty_installation_and_exports_the_same_bytes(
    db: None, settings: Any, tmp_path: Path
) -> None:
    from waypoint.demo.builder import build_demo

    settings.WAYPOINT_TRS_DATA = tmp_path / "trs-data"
    settings.WAYPOINT_TRS_STUDIES = tmp_path / "trs-studies"
    build_demo(password="demo-password-1")
    plan = Plan.objects.get(start_year=2012, end_year=2016)
    # the demo switches no quality rule off: one setting fills the last section
    quality.quality_rule_set(
        actor=None, plan=plan, rule="Q602", enabled=False, severity="", reason="Dates come from the roadmap"
    )
    first = plan_export_json(plan)
    document = json.loads(first)
    empty = [key for key, value in document.items() if isinstance(value, list) and not value]
    assert not empty, f"every section of the demo plan is filled: {empty}"
    assert document["plan"]["status"] == "approved"

    # a fresh installation: no administration, no units, no users, no assessments. The test's
    # transaction holds deferred foreign-key checks, which PostgreSQL must run before TRUNCATE.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", "--no-input", verbosity=0)
    assert not (OrgUnit.objects.exists() or User.objects.exists() or Assessment.objects.exists())

    report = plan_import_report(first, actor=None)
    assert plan_export_json(report.plan) == first
    assert report.plan.status == PlanStatus.DRAFT and report.plan.imported_status == "approved"
    # the thirteen recommendations of the two assessments that stayed behind: kept, unlinked
    assert [w.location for w in report.warnings] == [f"$.recommendations[{i}]" for i in range(13)]
    assert "SA-2011 is not recorded" in report.warnings[12].message
    assert CarriedRecommendation.objects.filter(plan=report.plan).count() == 13
    # their findings still count on the plan's Health page (two are not addressed)
    unanswered = [f.subject_code for f in quality.plan_quality(report.plan).findings if f.rule == "Q501"]
    assert unanswered == ["DIAG-2007/R7", "SA-2011/R5"]
    assert not User.objects.exists(), "the history's names are not accounts"


def test_a_recommendation_is_linked_where_its_assessment_is_recorded_and_kept_where_not(world: World) -> None:
    from tests.diagnostics.conftest import make_assessment
    from waypoint.diagnostics import services as diagnostics_services

    assessment = make_assessment(world)
    diagnostics_services.recommendation_save(
        actor=None, assessment=assessment, area="SP", text="Automate", elements=[world.elements["I1.1.1"]]
    )
    document = json.loads(plan_export_json(world.plan))
    linked = document["recommendations"][0]
    carried = {**linked, "assessment": "ELSEWHERE-1", "code": "R4", "text": "Train", "addressed_by": ["O1.2"]}
    missing_number = {**linked, "code": "R9", "text": "Not in the assessment", "addressed_by": []}
    document["recommendations"] = [linked, carried, missing_number]
    world.plan.delete()
    report = plan_import_report(json.dumps(document), actor=world.users["planner"])
    assert [w.location for w in report.warnings] == ["$.recommendations[1]", "$.recommendations[2]"]
    assert "ELSEWHERE-1 is not recorded" in report.warnings[0].message
    assert "has no recommendation R9" in report.warnings[1].message
    assert assessment.plans.get() == report.plan
    assert json.loads(plan_export_json(report.plan))["recommendations"] == document["recommendations"]


# --- an import arrives as a draft, and its history names nobody here -----------------------------------


def exported_with_history(world: World) -> str:
    """The world's plan, approved, with a value recorded by ``planner`` and a target revised by
    ``administrator``: people who also exist in the installation it is imported into."""
    south = world.indicators["south"]
    indicator_services.actual_record(
        actor=world.users["planner"], indicator=south, period="2013", value=Decimal("8.5"), unit=None
    )
    indicator_services.target_set(
        actor=world.users["administrator"], indicator=south, period="2014", value=Decimal("6.5"), reason="Budget cut"
    )
    services.plan_set_status(actor=None, plan=world.plan, status="under_review")
    services.plan_set_status(actor=None, plan=world.plan, status="approved")
    text = plan_export_json(world.plan)
    world.plan.delete()
    return text


def test_an_imported_plan_is_a_draft_whose_history_names_no_local_account(world: World) -> None:
    first = exported_with_history(world)
    plan = plan_import(first, actor=world.users["planner"])
    assert plan.status == PlanStatus.DRAFT
    assert plan.imported_status == PlanStatus.APPROVED
    actuals = Actual.objects.filter(indicator__plan=plan)
    revisions = TargetRevision.objects.filter(target__indicator__plan=plan)
    assert {a.recorded_by_name for a in actuals} >= {"planner"}
    assert {r.changed_by_name for r in revisions} >= {"administrator"}
    assert not actuals.filter(recorded_by__isnull=False).exists()
    assert not revisions.filter(changed_by__isnull=False).exists()
    # the file passes through unchanged: its status and its names as text
    assert plan_export_json(plan) == first
    # once this installation moves the plan on, the file's status has had its say
    services.plan_set_status(actor=world.users["planner"], plan=plan, status="under_review")
    plan.refresh_from_db()
    assert plan.imported_status == ""
    assert json.loads(plan_export_json(plan))["plan"]["status"] == "under_review"


def test_the_overview_says_the_imported_plan_waits_for_approval(world: World, client: Client) -> None:
    plan = plan_import(exported_with_history(world), actor=None)
    client.force_login(world.users["viewer"])
    page = client.get(reverse("plan-overview", args=[plan.pk])).content.decode()
    assert "This plan is <strong>Draft</strong>" in page
    assert "gives it the status “Approved”" in page


def test_one_audit_event_says_who_imported_what(world: World) -> None:
    first = exported_with_history(world)
    AuditEvent.objects.all().delete()
    plan = plan_import(first, actor=world.users["planner"])
    event = AuditEvent.objects.get(action="import")
    assert event.actor == world.users["planner"] and event.plan_id == plan.pk
    document = json.loads(first)
    assert event.changes["elements"] == len(document["elements"])
    assert event.changes["actuals"] == sum(len(i["actuals"]) for i in document["indicators"])
    assert event.changes["target_revisions"] == sum(
        len(t["history"]) for i in document["indicators"] for t in i["targets"]
    )
    assert event.changes["status_in_file"] == "approved"
    assert event.changes["units_created"] == 0


# --- units need an administrator ----------------------------------------------------------------------


def with_new_unit(world: World) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(plan_export_json(world.plan))
    document["plan"]["title"] = "With a new post"
    document["units"].append({"code": "BP-S9", "name": "South Post Nine", "kind": "road_border_post", "parent": "RD-S"})
    document["elements"][-1]["responsible_unit"] = "BP-S9"
    return document


def test_a_planner_cannot_add_units_through_an_import(world: World) -> None:
    document = with_new_unit(world)
    before = row_counts()
    with pytest.raises(NotAllowed) as refused:
        plan_import(json.dumps(document), actor=world.users["planner"])
    assert row_counts() == before
    assert [(p.location, p.message) for p in refused.value.problems] == [
        (f"$.units[{len(document['units']) - 1}]", "BP-S9 “South Post Nine” does not exist here.")
    ]
    assert "only an administrator of ADM" in refused.value.message


def test_an_administrator_adds_the_units_a_file_brings(world: World) -> None:
    report = plan_import_report(json.dumps(with_new_unit(world)), actor=world.users["administrator"])
    assert report.units_created == ["BP-S9"]
    unit = OrgUnit.objects.get(code="BP-S9")
    assert unit.parent == world.units["RD-S"]
    created = AuditEvent.objects.get(entity="org.OrgUnit", entity_id=str(unit.pk))
    assert created.actor == world.users["administrator"]
    assert AuditEvent.objects.get(action="import").changes["new_units"] == ["BP-S9"]


def test_the_page_names_the_units_only_an_administrator_may_add(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    response = client.post(reverse("plan-import"), {"file": upload(json.dumps(with_new_unit(world)))})
    assert response.status_code == 403
    assert "BP-S9 “South Post Nine” does not exist here." in response.content.decode()
    assert not Plan.objects.filter(title="With a new post").exists()


# --- rights before the file ----------------------------------------------------------------------------

#: what of the world's administration must never reach a planner of another one
SECRETS = ("Plan 2012–2016", "Faster clearance", "Southern Directorate", "Planning Department", "South Post One")


@dataclass
class Other:
    administration: OrgUnit
    planner: User


@pytest.fixture
def other(world: World) -> Other:
    administration = org_services.unit_create(
        actor=None, code="OTH", name="Other Customs", kind="administration", parent=None
    )
    planner = org_services.user_create(actor=None, username="other_planner", password=PASSWORD)
    org_services.role_grant(actor=None, user=planner, role="planner", unit=administration)
    return Other(administration, planner)


def upload(text: str | bytes, name: str = "plan.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text, "application/json")


def probe(world: World) -> str:
    """The world's plan as a file whose check would name stored things: it duplicates the stored
    plan (title and id) and describes a stored unit differently (its name and place)."""
    document = json.loads(plan_export_json(world.plan))
    document["units"][1]["name"] = "Renamed"
    return json.dumps(document)


def assert_tells_nothing(world: World, text: str) -> None:
    for secret in (*SECRETS, f"plan {world.plan.pk}", "Renamed", "already"):
        assert secret not in text, secret


def test_the_import_page_checks_rights_before_it_reads_the_file(world: World, other: Other, client: Client) -> None:
    client.force_login(other.planner)
    before = row_counts()
    foreign = client.post(reverse("plan-import"), {"file": upload(probe(world))})
    missing = client.post(reverse("plan-import"), {"file": upload(probe(world).replace('"ADM"', '"NOPE"'))})
    assert foreign.status_code == missing.status_code == 403
    assert_tells_nothing(world, foreign.content.decode())
    assert row_counts() == before
    # people who plan nowhere do not reach the form at all
    client.force_login(world.users["viewer"])
    assert client.post(reverse("plan-import"), {"file": upload(probe(world))}).status_code == 403


def test_the_command_line_checks_a_users_rights_before_it_reads_the_file(
    world: World, other: Other, tmp_path: Path
) -> None:
    path = tmp_path / "plan.json"
    path.write_text(probe(world), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("plan", "import", str(path), "--user", "other_planner")
    assert "Only planners of ADM" in str(refused.value)
    assert_tells_nothing(world, str(refused.value))


def test_a_unit_code_of_another_administration_is_not_described(world: World, other: Other, client: Client) -> None:
    """A planner of OTH imports a file of OTH that borrows the world's unit codes: the answer says
    the code is taken, and nothing of the unit that has it."""
    document = json.loads(plan_export_json(world.plan))
    document["administration"] = "OTH"
    document["units"][0] = {"code": "OTH", "name": "Other Customs", "kind": "administration", "parent": None}
    for unit in document["units"][1:]:
        if unit["parent"] == "ADM":
            unit["parent"] = "OTH"
    client.force_login(other.planner)
    for response in (
        client.post("/api/plans/import", data=json.dumps(document), content_type="application/json"),
        client.post(reverse("plan-import"), {"file": upload(json.dumps(document))}),
    ):
        text = response.content.decode()
        assert "HQ-PLN is taken by a unit outside this administration" in text
        assert_tells_nothing(world, text)
        assert "Test Customs" not in text


def test_a_stored_funding_source_of_another_kind_is_refused_where_the_file_names_it(
    world: World, client: Client
) -> None:
    """The import reuses the administration's funding source of the same name: a file that
    calls the state budget a loan is refused at that entry, and nothing is written."""
    document = json.loads(plan_export_json(world.plan))
    document["plan"]["title"] = "Carried over"
    index = next(i for i, s in enumerate(document["funding_sources"]) if s["name"] == world.source.name)
    document["funding_sources"][index]["kind"] = "loan"
    before = row_counts()
    client.force_login(world.users["planner"])
    answer = client.post("/api/plans/import", data=json.dumps(document), content_type="application/json")
    assert answer.status_code == 400
    problems = answer.json()["problems"]
    assert [p["location"] for p in problems] == [f"$.funding_sources[{index}].kind"]
    assert "already exists here as state_budget" in problems[0]["message"]
    assert row_counts() == before
    # the same kind: reused, not duplicated
    document["funding_sources"][index]["kind"] = world.source.kind
    assert (
        client.post("/api/plans/import", data=json.dumps(document), content_type="application/json").status_code == 201
    )
    assert world.plan.administration.funding_sources.filter(name=world.source.name).count() == 1


# --- the import report on every path -------------------------------------------------------------------


def with_unlinked_recommendation(world: World) -> str:
    document = json.loads(plan_export_json(world.plan))
    document["plan"]["title"] = "Answers a diagnostic"
    document["recommendations"] = [
        {
            "assessment": "DIAG-2007",
            "code": "R3",
            "area": "SP",
            "priority": "high",
            "finding": "No risk engine",
            "text": "Select by risk",
            "addressed_by": ["O1.1"],
        }
    ]
    return json.dumps(document)


def test_the_api_page_and_command_line_list_what_was_kept_without_a_link(
    world: World, client: Client, tmp_path: Path
) -> None:
    client.force_login(world.users["planner"])
    answer = client.post("/api/plans/import", data=with_unlinked_recommendation(world), content_type="application/json")
    assert answer.status_code == 201
    body = answer.json()
    assert body["status"] == "draft" and body["imported_status"] == ""
    assert [w["location"] for w in body["warnings"]] == ["$.recommendations[0]"]
    assert "DIAG-2007 is not recorded" in body["warnings"][0]["message"]
    Plan.objects.get(pk=body["id"]).delete()

    page = client.post(reverse("plan-import"), {"file": upload(with_unlinked_recommendation(world))})
    assert page.status_code == 200
    text = page.content.decode()
    assert "is imported as a <strong>draft</strong>" in text
    assert "$.recommendations[0]" in text and "DIAG-2007 is not recorded" in text
    Plan.objects.get(title="Answers a diagnostic").delete()

    path = tmp_path / "plan.json"
    path.write_text(with_unlinked_recommendation(world), encoding="utf-8")
    checked = StringIO()
    call_command("plan", "check", str(path), stdout=checked)
    assert "$.recommendations[0]: Assessment DIAG-2007 is not recorded" in checked.getvalue()
    out = StringIO()
    call_command("plan", "import", str(path), stdout=out)
    assert "as a draft" in out.getvalue()
    assert "$.recommendations[0]: Assessment DIAG-2007 is not recorded" in out.getvalue()


def test_a_kept_recommendation_is_on_the_plans_coverage_page(world: World, client: Client) -> None:
    plan = plan_import(with_unlinked_recommendation(world), actor=None)
    client.force_login(world.users["viewer"])
    page = client.get(reverse("plan-coverage", args=[plan.pk])).content.decode()
    assert 'id="rec-diag-2007r3"' in page and "from the file" in page and "Select by risk" in page


# --- hostile and broken files: located answers, never a server error -----------------------------------


def valid_file(world: World) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(plan_export_json(world.plan))
    document["plan"]["title"] = "Another copy"
    return document


def nested(depth: int) -> dict[str, Any]:
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return {"x": value}


def broken_files(world: World) -> dict[str, tuple[bytes, str, str]]:
    """name → (file, location of the first problem, a fragment of its message)."""
    good = valid_file(world)
    good["indicators"][0]["actuals"][0]["value"] = 123456789  # a mark to break the number at
    surrogate = json.dumps(good).replace('"Another copy"', '"Another \\ud800 copy"')
    nul = json.dumps(good).replace('"Another copy"', '"Another \\u0000 copy"')
    deep_provenance = copy.deepcopy(good)
    deep_provenance["indicators"][0]["actuals"][0]["provenance"] = nested(40)
    infinite = json.dumps(good).replace("123456789", "1e999")
    return {
        "deep nesting": (b"[" * 100_000 + b"]" * 100_000, "$", "nested deeper than 32 levels"),
        "deep object": (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "$", "nested deeper than 32 levels"),
        "deep provenance": (
            json.dumps(deep_provenance).encode(),
            # the provenance object is the 6th level, x the 7th: the 33rd is 26 levels of a below
            "$.indicators[0].actuals[0].provenance.x" + ".a" * 26,
            "nested deeper than 32 levels",
        ),
        "lone surrogate": (surrogate.encode(), "$.plan.title", "lone surrogate (\\ud800)"),
        "NUL character": (nul.encode(), "$.plan.title", "NUL character"),
        "invalid UTF-8": (json.dumps(good).encode().replace(b"Another", b"Anoth\xe9r"), "$", "0xe9 is not UTF-8"),
        "a list": (b"[1, 2]", "$", "not a list"),
        "a text": (b'"plan"', "$", "not a text"),
        "null": (b"null", "$", "not null"),
        "NaN": (json.dumps(good).replace("123456789", "NaN").encode(), "$", "NaN is not a number"),
        "infinity": (infinite.encode(), "$.indicators[0].actuals[0].value", "too large"),
        "huge integer": (b'{"format": ' + b"9" * 5000 + b"}", "$", "5000 digits"),
    }


CASES = [
    "deep nesting",
    "deep object",
    "deep provenance",
    "lone surrogate",
    "NUL character",
    "invalid UTF-8",
    "a list",
    "a text",
    "null",
    "NaN",
    "infinity",
    "huge integer",
]


@pytest.mark.parametrize("case", CASES)
def test_a_broken_file_gets_a_located_answer_from_the_api(world: World, client: Client, case: str) -> None:
    body, location, fragment = broken_files(world)[case]
    client.force_login(world.users["planner"])
    before = row_counts()
    response = client.post("/api/plans/import", data=body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    first = response.json()["problems"][0]
    assert first["location"] == location and fragment in first["message"], first
    assert row_counts() == before


@pytest.mark.parametrize("case", CASES)
def test_a_broken_file_gets_a_located_answer_on_the_page(world: World, client: Client, case: str) -> None:
    body, location, fragment = broken_files(world)[case]
    client.force_login(world.users["planner"])
    response = client.post(reverse("plan-import"), {"file": upload(body)})
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert f"<code>{location}</code>" in text
    assert fragment in text


@pytest.mark.parametrize("case", CASES)
def test_a_broken_file_gets_a_clear_message_from_the_command_line(world: World, tmp_path: Path, case: str) -> None:
    body, location, fragment = broken_files(world)[case]
    path = tmp_path / "plan.json"
    path.write_bytes(body)
    for action in ("import", "check"):
        with pytest.raises(CommandError) as refused:
            call_command("plan", action, str(path))
        assert f"{location}: " in str(refused.value) and fragment in str(refused.value)


def test_plan_files_above_the_size_limit_are_refused_on_every_path(
    world: World, client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.WAYPOINT_PLAN_FILE_MAX_BYTES = 2048
    text = json.dumps(valid_file(world))
    assert len(text) > 2048
    client.force_login(world.users["planner"])
    answer = client.post("/api/plans/import", data=text, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["problems"] == [
        {"location": "$", "message": "The file is larger than 2 KB (WAYPOINT_PLAN_FILE_MAX_BYTES)."}
    ]
    page = client.post(reverse("plan-import"), {"file": upload(text)})
    assert "WAYPOINT_PLAN_FILE_MAX_BYTES" in page.content.decode()
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="WAYPOINT_PLAN_FILE_MAX_BYTES"):
        call_command("plan", "import", str(path))
    assert not Plan.objects.filter(title="Another copy").exists()


def test_the_nesting_limit_is_a_setting(world: World, settings: Any) -> None:
    document = valid_file(world)
    # the provenance object is the 6th level; three more below it
    document["indicators"][0]["actuals"][0]["provenance"] = nested(3)
    settings.WAYPOINT_PLAN_FILE_MAX_DEPTH = 8
    with pytest.raises(PlanFileInvalid) as refused:
        plan_import(json.dumps(document), actor=None)
    assert "nested deeper than 8 levels" in refused.value.problems[0].message
    settings.WAYPOINT_PLAN_FILE_MAX_DEPTH = 9
    assert plan_import(json.dumps(document), actor=None).title == "Another copy"


def _set(document: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    target: Any = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


@pytest.mark.parametrize(
    ("path", "value", "location", "fragment"),
    [
        (("plan", "start_year"), 10**30, "$.plan.start_year", "a year such as 2012"),
        (
            ("indicators", 0, "targets", 0, "history", 0, "at"),
            "0001-01-01T00:00:00+14:00",
            "$.indicators[0].targets[0].history[0].at",
            "between 1900 and 2200",
        ),
        (("recommendations", 0, "code"), "R99999999999999999999", "$.recommendations[0].code", "2147483647"),
        (("budget_caps", 0, "amount"), 10**30, "$.budget_caps[0].amount", "too large"),
        (("elements", 0, "lead"), "x" * 151, "$.elements[0].lead", "at most 150 characters"),
        (("indicators", 0, "actuals", 0, "recorded_by"), "x" * 151, "$.indicators[0].actuals[0].recorded_by", "150"),
        (("units", 1, "name"), "x" * 201, "$.units[1].name", "at most 200 characters"),
    ],
    ids=["year", "revision time", "recommendation number", "cap", "lead", "recorded by", "unit name"],
)
def test_a_value_the_database_cannot_hold_is_refused_at_its_path(
    world: World, path: tuple[str | int, ...], value: Any, location: str, fragment: str
) -> None:
    """Found by trying every field of the file with values out of range (on PostgreSQL, which
    refuses a text longer than its column where SQLite stores it)."""
    from tests.plans.test_quality import enrich_sections

    enrich_sections(world)
    document = valid_file(world)
    _set(document, path, value)
    before = row_counts()
    with pytest.raises(PlanFileInvalid) as refused:
        plan_import(json.dumps(document), actor=None)
    found = [(p.location, p.message) for p in refused.value.problems]
    assert any(loc == location and fragment in message for loc, message in found), found
    assert row_counts() == before
