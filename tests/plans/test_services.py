from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.world import World
from waypoint.core.errors import EditConflict, NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.plans import services
from waypoint.plans.errors import PlanRuleBroken
from waypoint.plans.models import PlanElement


def locations(error: PlanRuleBroken) -> dict[str, str]:
    return {p.location: p.message for p in error.problems}


def test_codes_follow_the_tree(world: World) -> None:
    assert [world.elements[c].code for c in ("G1", "O1.1", "I1.1.1", "A1.1.1.1")] == [
        "G1",
        "O1.1",
        "I1.1.1",
        "A1.1.1.1",
    ]


def test_codes_survive_reordering(world: World) -> None:
    o11, o12 = world.elements["O1.1"], world.elements["O1.2"]
    services.element_move(actor=world.users["planner"], element=o12, offset=-1)
    o11.refresh_from_db()
    o12.refresh_from_db()
    assert o12.position < o11.position
    assert (o11.code, o12.code) == ("O1.1", "O1.2")
    assert AuditEvent.objects.filter(action="move", entity_id=str(o12.pk)).exists()


def test_numbers_of_deleted_elements_are_not_reused(world: World) -> None:
    goal = world.elements["G1"]
    extra = services.element_create(
        actor=None, plan=world.plan, parent=goal, title="Third", responsible_unit=goal.responsible_unit
    )
    assert extra.code == "O1.3"
    services.element_delete(actor=None, element=extra)
    again = services.element_create(
        actor=None, plan=world.plan, parent=goal, title="Fourth", responsible_unit=goal.responsible_unit
    )
    assert again.code == "O1.4"


def test_an_activity_cannot_have_children(world: World) -> None:
    with pytest.raises(PlanRuleBroken, match="cannot have children"):
        services.element_create(
            actor=None,
            plan=world.plan,
            parent=world.elements["A1.1.1.1"],
            title="x",
            responsible_unit=world.units["BP-S1"],
        )


def test_a_child_outside_its_parents_dates_is_refused(world: World) -> None:
    with pytest.raises(PlanRuleBroken) as caught:
        services.element_create(
            actor=None,
            plan=world.plan,
            parent=world.elements["I1.1.1"],
            title="Late",
            responsible_unit=world.units["BP-S1"],
            starts_on=dt.date(2014, 1, 1),
            ends_on=dt.date(2015, 6, 1),
        )
    assert "after its parent I1.1.1 ends (2014-12)" in locations(caught.value)["ends_on"]


def test_dates_outside_the_plan_period_are_refused(world: World) -> None:
    with pytest.raises(PlanRuleBroken) as caught:
        services.element_create(
            actor=None,
            plan=world.plan,
            parent=world.elements["O1.1"],
            title="Too early",
            responsible_unit=world.units["RD-S"],
            starts_on=dt.date(2010, 1, 1),
            ends_on=dt.date(2012, 6, 1),
        )
    assert "2012–2016" in locations(caught.value)["starts_on"]


def test_shrinking_an_initiative_around_its_activities_is_refused(world: World) -> None:
    initiative = world.elements["I1.1.1"]
    with pytest.raises(PlanRuleBroken) as caught:
        services.element_update(
            actor=None, element=initiative, expected_version=None, changes={"ends_on": dt.date(2013, 1, 1)}
        )
    assert "A1.1.1.1" in locations(caught.value)["ends_on"]


def test_an_unknown_unit_is_refused(world: World) -> None:
    from waypoint.org import services as org_services

    other = org_services.unit_create(
        actor=None, code="OTHER", name="Other administration", kind="administration", parent=None
    )
    with pytest.raises(PlanRuleBroken) as caught:
        services.element_create(
            actor=None, plan=world.plan, parent=world.elements["G1"], title="x", responsible_unit=other
        )
    assert "Unknown unit" in locations(caught.value)["responsible_unit"]


def test_a_negative_budget_is_refused(world: World) -> None:
    with pytest.raises(PlanRuleBroken) as caught:
        services.budget_line_save(
            actor=None, element=world.elements["A1.1.1.1"], year=2013, funding_source=world.source, amount=Decimal("-5")
        )
    assert locations(caught.value)["amount"] == "A budget cannot be negative."


def test_a_budget_outside_the_element_years_is_refused(world: World) -> None:
    with pytest.raises(PlanRuleBroken) as caught:
        services.budget_line_save(
            actor=None, element=world.elements["A1.1.1.1"], year=2015, funding_source=world.source, amount=Decimal("5")
        )
    assert "2012–2013" in locations(caught.value)["year"]


def test_a_second_line_for_the_same_year_and_source_is_refused(world: World) -> None:
    with pytest.raises(PlanRuleBroken) as caught:
        services.budget_line_save(
            actor=None, element=world.elements["A1.1.1.1"], year=2012, funding_source=world.source, amount=Decimal("5")
        )
    assert "already" in locations(caught.value)["year"]


def test_the_plan_period_cannot_shrink_past_its_content(world: World) -> None:
    with pytest.raises(PlanRuleBroken) as caught:
        services.plan_update(actor=None, plan=world.plan, expected_version=None, changes={"end_year": 2013})
    messages = " ".join(p.message for p in caught.value.problems)
    assert "I1.1.1" in messages and "targets" in messages
    world.plan.refresh_from_db()
    assert world.plan.end_year == 2016


def test_a_second_save_from_a_stale_form_is_refused_and_reports_the_saved_text(world: World) -> None:
    element = world.elements["O1.1"]
    opened = element.version
    services.element_update(
        actor=world.users["planner"], element=element, expected_version=opened, changes={"title": "Planner's title"}
    )
    stale = PlanElement.objects.get(pk=element.pk)
    with pytest.raises(EditConflict) as caught:
        services.element_update(
            actor=world.users["contributor"],
            element=stale,
            expected_version=opened,
            changes={"title": "Contributor's title"},
        )
    assert caught.value.current["title"] == "Planner's title"
    element.refresh_from_db()
    assert element.title == "Planner's title"


def test_contributors_cannot_edit_other_units_elements(world: World) -> None:
    with pytest.raises(NotAllowed):
        services.element_update(
            actor=world.users["contributor"],
            element=world.elements["O1.2"],
            expected_version=None,
            changes={"title": "x"},
        )


def test_contributors_cannot_hand_an_element_to_another_unit(world: World) -> None:
    with pytest.raises(NotAllowed, match="outside your own"):
        services.element_update(
            actor=world.users["contributor"],
            element=world.elements["O1.1"],
            expected_version=None,
            changes={"responsible_unit": world.units["RD-W"]},
        )


def test_status_moves_through_review_to_approval_by_the_right_people(world: World) -> None:
    plan = world.plan
    with pytest.raises(NotAllowed):
        services.plan_set_status(actor=world.users["approver"], plan=plan, status="under_review")
    services.plan_set_status(actor=world.users["planner"], plan=plan, status="under_review")
    with pytest.raises(NotAllowed):
        services.plan_set_status(actor=world.users["planner"], plan=plan, status="approved")
    services.plan_set_status(actor=world.users["approver"], plan=plan, status="approved")
    with pytest.raises(PlanRuleBroken, match="cannot go from Approved to Under review"):
        services.plan_set_status(actor=world.users["approver"], plan=plan, status="under_review")


def test_a_superseded_plan_is_read_only(world: World) -> None:
    plan = world.plan
    for status in ("under_review", "approved", "superseded"):
        services.plan_set_status(actor=None, plan=plan, status=status)
    with pytest.raises(NotAllowed):
        services.element_update(
            actor=world.users["planner"], element=world.elements["G1"], expected_version=None, changes={"title": "x"}
        )


def test_every_write_leaves_an_audit_record(world: World) -> None:
    before = AuditEvent.objects.count()
    services.element_update(
        actor=world.users["planner"], element=world.elements["G1"], expected_version=None, changes={"title": "New"}
    )
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert event is not None
    assert (event.actor_name, event.action, event.changes["title"]) == (
        "planner",
        "update",
        ["Faster clearance", "New"],
    )


def test_swot_items_only_link_objectives(world: World) -> None:
    with pytest.raises(Exception, match="Only objectives"):
        services.analysis_item_save(
            actor=None,
            plan=world.plan,
            framework="swot",
            category="strength",
            text="x",
            objectives=[world.elements["G1"]],
        )


def test_a_pestle_category_in_swot_is_refused(world: World) -> None:
    with pytest.raises(PlanRuleBroken) as caught:
        services.analysis_item_save(actor=None, plan=world.plan, framework="swot", category="legal", text="x")
    assert "category" in locations(caught.value)


def test_function_names_are_unique_in_a_plan(world: World) -> None:
    services.function_save(actor=None, plan=world.plan, name="Revenue", priority="high")
    with pytest.raises(PlanRuleBroken):
        services.function_save(actor=None, plan=world.plan, name="Revenue", priority="low")
