"""What went into the plan, in the reader's language: an outcome keeps its detail as codes (a
SWOT/PESTLE category, "high (#1)", an element's kind, "objective, RD-S", an ISO due date), which
the JSON record and the API give as they are; the record page, the "Into the plan" page and the
DOCX/PDF record show labels in the reader's language (``Outcome.shown_detail``), rows written
before included."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.rounds import helpers as round_helpers
from tests.workshops.conftest import Room, make_room
from tests.world import World
from waypoint.documents.workshop import workshop_record
from waypoint.workshops import services
from waypoint.workshops.models import Outcome


def _into_the_plan(world: World, room: Room) -> dict[str, Outcome]:
    """One outcome of each kind, through the services."""
    planner = world.users["planner"]
    made = {
        "analysis_item": services.to_analysis_item(
            actor=planner, exercise=room.board, framework="swot", category="weakness", text="Manual processing"
        ),
        "element": services.to_element(
            actor=planner,
            exercise=room.dots,
            title="Risk management",
            parent=None,
            responsible_unit=world.unit("HQ-RSK"),
        ),
        "action": services.action_create(
            actor=planner,
            exercise=room.dots,
            title="Draft the risk policy",
            owner_unit=world.unit("HQ-RSK"),
            due_on=dt.date(2012, 3, 1),
        ),
    }
    revenue, trade, enforcement = list(room.pairwise.options.all())
    services.comparison_set(participant=room.guest, preferred=trade, other=revenue, strength=5)
    services.comparison_set(participant=room.guest, preferred=revenue, other=enforcement, strength=3)
    functions = services.to_function_priorities(actor=planner, exercise=room.pairwise)
    made["function"] = next(o for o in functions if o.label == "Trade facilitation")
    round_helpers.world_round(world)
    services.workshop_update(
        actor=planner,
        workshop=room.workshop,
        expected_version=None,
        changes={},
        facilitators=[planner, world.users["contributor"]],
    )
    made["proposal"] = services.to_proposal(
        actor=world.users["contributor"],
        exercise=room.board,
        unit=world.unit("RD-S"),
        title="Paperless clearance in the south",
        parent_element=world.elements["G1"],
    )
    return made


def test_the_detail_is_kept_as_codes_and_shown_in_the_reader_s_language(world: World) -> None:
    room = make_room(world)
    made = _into_the_plan(world, room)
    # what is stored: codes, whatever language the facilitator reads in
    stored = {kind: o.detail for kind, o in made.items()}
    assert stored == {
        "analysis_item": "weakness",
        "element": "goal",
        "action": "2012-03-01",
        "function": "high (#1)",
        "proposal": "objective, RD-S",
    }
    with translation.override("en"):
        assert {kind: o.shown_detail() for kind, o in made.items()} == {
            "analysis_item": "Weakness",
            "element": "Goal",
            "action": "due March 1, 2012",
            "function": "high priority, rank 1",
            "proposal": "Objective, RD-S",
        }
    with translation.override("fr"):
        assert {kind: o.shown_detail() for kind, o in made.items()} == {
            "analysis_item": "Faiblesse",
            "element": "Axe stratégique",
            "action": "échéance 1 mars 2012",
            "function": "priorité haute, rang 1",
            "proposal": "Objectif, RD-S",
        }


def test_rows_written_before_and_free_details_read_too(world: World) -> None:
    room = make_room(world)
    made = _into_the_plan(world, room)
    # a link made by ``outcome_link`` carries what its caller wrote (the demo: "#2" for a vote's
    # rank); what matches no stored form is shown as it is, never dropped
    element = made["element"]
    Outcome.objects.filter(pk=element.pk).update(detail="#2")
    element.refresh_from_db()
    function = made["function"]
    Outcome.objects.filter(pk=function.pk).update(detail="as agreed on day two")
    function.refresh_from_db()
    action = made["action"]
    Outcome.objects.filter(pk=action.pk).update(detail="")
    action.refresh_from_db()
    with translation.override("fr"):
        assert element.shown_detail() == "rang 2"
        assert function.shown_detail() == "as agreed on day two"
        assert action.shown_detail() == ""


def test_the_pages_and_the_document_show_labels_the_json_keeps_codes(world: World, client: Client) -> None:
    room = make_room(world)
    _into_the_plan(world, room)
    planner = world.users["planner"]
    planner.language = "fr"
    planner.save()
    client.force_login(planner)
    record = client.get(reverse("workshop-report", args=[room.workshop.pk])).content.decode()
    for shown in ("(Faiblesse)", "(Axe stratégique)", "(échéance 1 mars 2012)", "(priorité haute, rang 1)"):
        assert shown in record
    assert "(Objectif, RD-S)" in record
    for code in ("(weakness)", "(goal)", "(2012-03-01)", "(high (#1))", "(objective, RD-S)"):
        assert code not in record
    to_plan = client.get(reverse("exercise-to-plan", args=[room.workshop.pk, room.board.pk])).content.decode()
    assert "(Faiblesse)" in to_plan and "(Objectif, RD-S)" in to_plan
    assert "(weakness)" not in to_plan and "(objective, RD-S)" not in to_plan
    # the JSON record keeps the codes, by design (read by programs)
    exported = json.loads(client.get(reverse("workshop-export", args=[room.workshop.pk])).content)
    assert {o["detail"] for o in exported["into_the_plan"]} >= {"weakness", "goal", "objective, RD-S"}
    # the DOCX/PDF record: each exercise's "Into the plan" list, in the reader's language
    with translation.override("fr"):
        document = workshop_record(room.workshop)
    bullets = [
        item
        for section in document.sections
        for block in section.blocks
        for item in getattr(block, "items", [])
        if isinstance(item, str)
    ]
    assert any("Manual processing (Faiblesse)" in b for b in bullets)
    assert any("Risk management (Axe stratégique)" in b for b in bullets)
    assert any("(priorité haute, rang 1)" in b for b in bullets)
