"""The portable plan file: exact round trip, and bad files refused with nothing written."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from tests.world import World
from waypoint.core.errors import NotAllowed
from waypoint.indicators import services as indicator_services
from waypoint.org.models import OrgUnit, User
from waypoint.plans import services
from waypoint.plans.errors import PlanFileInvalid
from waypoint.plans.models import Plan
from waypoint.plans.planfile import plan_export_json, plan_file_check, plan_import


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in ("org", "plans", "indicators")
    }


def enrich(world: World) -> None:
    """Add the parts of a plan the fixture world leaves out, so the round trip covers them."""
    plan, e = world.plan, world.elements
    services.risk_save(
        actor=None,
        element=e["I1.1.1"],
        description="Contractor late",
        likelihood=3,
        impact=4,
        mitigation="Penalties",
        owner="Head of post",
    )
    services.analysis_item_save(
        actor=None, plan=plan, framework="swot", category="weakness", text="Slow release", objectives=[e["O1.1"]]
    )
    services.analysis_item_save(
        actor=None, plan=plan, framework="pestle", category="legal", text="New code", objectives=[]
    )
    services.function_save(
        actor=None, plan=plan, name="Trade facilitation", priority="high", objectives=[e["O1.1"], e["O1.2"]]
    )
    services.element_update(
        actor=None,
        element=e["O1.1"],
        expected_version=None,
        changes={"assumptions": "Agencies cooperate\nTraders pre-lodge"},
    )
    # the plan kept in a second language: its texts and an element's (plans/translations.py)
    services.plan_update(
        actor=None,
        plan=plan,
        expected_version=None,
        changes={"translations": {"az": {"title": "Strateji plan", "vision": "Sürətli gömrük"}, "fr": {}}},
    )
    services.element_update(
        actor=None,
        element=e["O1.1"],
        expected_version=None,
        changes={"translations": {"az": {"title": "Cənubda buraxılış müddətini azaltmaq"}}},
    )
    south = world.indicators["south"]
    indicator_services.target_set(
        actor=None, indicator=south, period="2013", value=Decimal("7.5"), reason="Faster roll-out"
    )
    indicator_services.actual_record(
        actor=None, indicator=south, period="2012", value=Decimal("8.25"), unit=world.units["BP-S1"], evidence="TRS"
    )
    gone = services.element_create(
        actor=None, plan=plan, parent=e["G1"], title="Dropped", responsible_unit=world.units["HQ-PLN"]
    )
    services.element_delete(actor=None, element=gone)  # leaves a gap in the numbers: O1.3 is never reused


def wipe_database() -> None:
    """Empty every Waypoint table, as on a fresh installation."""
    from waypoint.core.models import AuditEvent

    Plan.objects.all().delete()
    AuditEvent.objects.all().delete()
    for unit in OrgUnit.objects.order_by("-depth"):
        unit.delete()
    User.objects.all().delete()
    assert sum(row_counts().values()) == 0


def test_export_import_into_an_empty_database_and_export_again_gives_the_same_bytes(world: World) -> None:
    enrich(world)
    first = plan_export_json(world.plan)
    wipe_database()
    plan = plan_import(first, actor=None)
    second = plan_export_json(plan)
    assert second == first
    document = json.loads(first)
    assert [e["code"] for e in document["elements"]][:3] == ["G1", "O1.1", "I1.1.1"]
    assert document["plan"]["last_goal_number"] == 1
    assert next(e for e in document["elements"] if e["code"] == "G1")["last_child_number"] == 3
    assert document["plan"]["language"] == "en"
    assert document["plan"]["translations"] == {"az": {"title": "Strateji plan", "vision": "Sürətli gömrük"}, "fr": {}}
    o11 = next(e for e in document["elements"] if e["code"] == "O1.1")
    assert o11["translations"] == {"az": {"title": "Cənubda buraxılış müddətini azaltmaq"}}


def test_after_import_new_children_continue_the_numbering(world: World) -> None:
    enrich(world)
    text = plan_export_json(world.plan)
    wipe_database()
    plan = plan_import(text, actor=None)
    goal = plan.elements.get(code="G1")
    child = services.element_create(
        actor=None, plan=plan, parent=goal, title="New", responsible_unit=goal.responsible_unit
    )
    assert child.code == "O1.4"


def document(world: World) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(plan_export_json(world.plan))
    return loaded


def assert_refused(world: World, doc: Any, *expected: tuple[str, str]) -> list[tuple[str, str]]:
    before = row_counts()
    with pytest.raises(PlanFileInvalid) as caught:
        plan_import(json.dumps(doc) if not isinstance(doc, str) else doc, actor=None)
    assert row_counts() == before, "a refused file must not change the database"
    found = [(p.location, p.message) for p in caught.value.problems]
    for location, fragment in expected:
        assert any(loc == location and fragment in message for loc, message in found), (location, fragment, found)
    return found


def test_a_file_that_is_not_json_is_refused_with_its_position(world: World) -> None:
    found = assert_refused(world, '{"format": "waypoint-plan",')
    assert found[0][0] == "$"
    assert "line 1" in found[0][1]


def test_a_file_of_another_kind_is_refused(world: World) -> None:
    assert_refused(world, {"hello": "world"}, ("$.format", "waypoint-plan"))


def test_schema_errors_are_listed_by_json_path(world: World) -> None:
    doc = document(world)
    doc["elements"][1]["kind"] = "mission"
    doc["indicators"][0]["direction"] = "sideways"
    del doc["plan"]["title"]
    assert_refused(
        world,
        doc,
        ("$.elements[1].kind", "Input should be"),
        ("$.indicators[0].direction", "Input should be"),
        ("$.plan.title", "Field required"),
    )


def test_a_conflicting_file_is_refused_with_every_problem(world: World) -> None:
    doc = document(world)
    doc["plan"]["title"] = "Another plan"  # otherwise it duplicates the existing plan
    doc["units"][1]["name"] = "Renamed department"  # the unit exists with another name
    doc["elements"][1]["responsible_unit"] = "NOPE"
    doc["elements"][2]["parent"] = "G9"
    doc["elements"][3]["starts_on"] = "2020-01"
    doc["indicators"][0]["targets"][0]["period"] = "2030"
    doc["indicators"][0]["actuals"].append(dict(doc["indicators"][0]["actuals"][0]))
    assert_refused(
        world,
        doc,
        ("$.units[1]", "already exists"),
        ("$.elements[1].responsible_unit", "Unknown unit NOPE"),
        ("$.elements[2].parent", "G9"),
        ("$.elements[3].starts_on", "Outside the plan period"),
        ("$.indicators[0].targets[0].period", "between 2012 and 2016"),
        ("$.indicators[0].actuals[1]", "second value"),
    )


def test_the_same_plan_twice_is_a_conflict(world: World) -> None:
    assert_refused(world, document(world), ("$.plan.title", "already has"))


def test_codes_must_follow_kind_parent_and_number(world: World) -> None:
    doc = document(world)
    doc["plan"]["title"] = "Copy"
    doc["elements"][1]["code"] = "O7.7"
    assert_refused(world, doc, ("$.elements[1].code", "should be O1.1"))


def test_a_partial_file_is_refused(world: World) -> None:
    doc = document(world)
    partial = {key: doc[key] for key in ("format", "format_version", "administration")}
    assert_refused(world, partial, ("$.units", "Field required"), ("$.plan", "Field required"))


def test_a_valid_file_checks_clean_without_writing(world: World) -> None:
    doc = document(world)
    doc["plan"]["title"] = "Copy"
    before = row_counts()
    plan_file_check(json.dumps(doc))
    assert row_counts() == before


def test_importing_needs_a_planner_of_the_administration(world: World) -> None:
    doc = copy.deepcopy(document(world))
    doc["plan"]["title"] = "Copy"
    with pytest.raises(NotAllowed):
        plan_import(json.dumps(doc), actor=world.users["contributor"])
    plan = plan_import(json.dumps(doc), actor=world.users["planner"])
    assert plan.title == "Copy"
    assert plan.elements.count() == world.plan.elements.count()


def test_the_round_trip_query_count_is_bounded(world: World, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(40):
        plan_export_json(world.plan)
    assert connection.vendor in ("sqlite", "postgresql")
