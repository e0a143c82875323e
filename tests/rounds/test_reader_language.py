"""A planning round speaks the reader's language: the kinds in its messages are labels, never
the stored codes, and the plan's and elements' titles in its options and messages are those of
the reader's language when the plan is kept in it (else the main language's)."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.rounds import helpers
from tests.workshops.conftest import make_room
from tests.world import World
from waypoint.core.errors import InvalidInput
from waypoint.plans import services as plan_services
from waypoint.rounds import selectors as round_selectors
from waypoint.rounds.models import PlanningRound, Proposal
from waypoint.workshops import selectors as workshop_selectors
from waypoint.workshops import services as workshop_services

PLAN_AZ = "Sınaq planı"
G1_AZ = "Gömrük xidmətinin sürətləndirilməsi"
O11_AZ = "Cənubda buraxılışı sürətləndirmək"


def in_azerbaijani(world: World) -> None:
    """The plan and two elements kept in Azerbaijani too (as tests/plans/test_translations.py)."""
    plan_services.plan_update(
        actor=None, plan=world.plan, expected_version=None, changes={"translations": {"az": {"title": PLAN_AZ}}}
    )
    for code, title in (("G1", G1_AZ), ("O1.1", O11_AZ)):
        plan_services.element_update(
            actor=None,
            element=world.elements[code],
            expected_version=None,
            changes={"translations": {"az": {"title": title}}},
        )
        world.elements[code].refresh_from_db()
    world.plan.refresh_from_db()


def _placement_message(world: World, language: str, **where: object) -> str:
    round_ = helpers.world_round(world)
    with translation.override(language), pytest.raises(InvalidInput) as refused:
        helpers.propose(world, round_, "RD-S", "contributor", "Lanes for trucks", **where)  # type: ignore[arg-type]
    return next(p.message for p in refused.value.problems if p.location == "parent")


def test_placement_messages_name_the_kinds_in_the_reader_s_language(world: World) -> None:
    # an initiative under a goal of the frame: it goes under an objective
    assert _placement_message(world, "en", parent="G1") == (
        "A proposed initiative goes under one of the objectives of the round's frame."
    )
    french = _placement_message(world, "fr", parent="G1")
    assert "objectifs" in french and "goes under" not in french and "objective " not in french
    # under a proposed initiative (the directorate's own "Southern lanes"): an objective again
    round_ = helpers.world_round(world)
    lanes = round_.proposals.get(title="Southern lanes")
    assert lanes.kind == "initiative"
    assert _placement_message(world, "en", parent_proposal=lanes) == (
        "A proposed initiative goes under one of the proposed objectives that are still open."
    )
    russian = _placement_message(world, "ru", parent_proposal=lanes)
    assert "цел" in russian and "objective" not in russian and "initiative" not in russian


def _options(content: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', content, re.S)
    assert select is not None, name
    return [html.unescape(o) for o in re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))]


def test_the_proposal_form_offers_the_elements_in_the_reader_s_language(world: World, client: Client) -> None:
    in_azerbaijani(world)
    round_ = helpers.world_round(world)
    contributor = world.users["contributor"]
    contributor.language = "az"
    contributor.save()
    client.force_login(contributor)
    page = client.get(reverse("proposal-create", args=[helpers.submission(round_, "RD-S").pk])).content.decode()
    parents = _options(page, "parent")
    assert f"G1 {G1_AZ}" in parents and f"O1.1 {O11_AZ}" in parents
    assert f"G1 {world.elements['G1'].title}" not in parents
    # an element not kept in Azerbaijani: its main-language title, as plain text
    assert f"O1.2 {world.elements['O1.2'].title}" in parents
    # the proposals keep the title their unit wrote
    assert any(p.endswith("Southern lanes") for p in parents)


def test_opening_a_round_offers_the_frame_and_a_title_in_the_reader_s_language(world: World, client: Client) -> None:
    in_azerbaijani(world)
    planner = world.users["planner"]
    planner.language = "az"
    planner.save()
    client.force_login(planner)
    page = client.get(reverse("round-create", args=[world.plan.pk])).content.decode()
    assert f"G1 {G1_AZ}" in html.unescape(page)
    title = re.search(r'<input type="text" name="title" value="([^"]*)"', page)
    assert title is not None and PLAN_AZ in html.unescape(title.group(1))
    assert world.plan.title not in html.unescape(title.group(1))


def test_the_workshop_s_proposal_choices_and_round_messages_in_the_reader_s_language(world: World) -> None:
    in_azerbaijani(world)
    room = make_room(world)
    planner = world.users["planner"]
    # no round open: the message names the plan by its title in the reader's language
    with translation.override("az"), pytest.raises(InvalidInput) as refused:
        workshop_services.to_proposal(
            actor=planner,
            exercise=room.board,
            unit=world.unit("RD-S"),
            title="Paperless clearance",
            parent_element=world.elements["G1"],
        )
    assert PLAN_AZ in refused.value.problems[0].message and world.plan.title not in refused.value.problems[0].message
    round_ = helpers.world_round(world)
    workshop_services.workshop_update(
        actor=planner,
        workshop=room.workshop,
        expected_version=None,
        changes={},
        facilitators=[planner, world.users["contributor"]],
    )
    # "where it goes": the frame's elements in the reader's language
    with translation.override("az"):
        choices = workshop_selectors.proposal_choices(world.users["contributor"], world.plan)
    assert choices is not None
    labels = dict(choices.parents)
    assert G1_AZ in labels[f"element:{world.elements['G1'].pk}"]
    assert O11_AZ in labels[f"element:{world.elements['O1.1'].pk}"]
    # a round that is not the open one: the message names the plan in the reader's language
    with translation.override("az"), pytest.raises(InvalidInput) as refused:
        workshop_services.to_proposal(
            actor=world.users["contributor"],
            exercise=room.board,
            unit=world.unit("RD-S"),
            title="Paperless clearance",
            parent_element=world.elements["G1"],
            round_=PlanningRound(pk=round_.pk + 1, plan=world.plan, title="An earlier round"),
        )
    message = refused.value.problems[0].message
    assert PLAN_AZ in message and world.plan.title not in message and round_.title in message


def test_an_incomplete_record_names_its_status_in_the_reader_s_language(world: World) -> None:
    round_ = helpers.world_round(world)
    lanes = round_.proposals.get(title="Southern lanes")
    # consolidated, but the element it became is gone: its fate cannot be told
    Proposal.objects.filter(pk=lanes.pk).update(status="consolidated", element=None)
    lanes.refresh_from_db()
    with translation.override("fr"):
        fate = round_selectors.fate_of(lanes)
    assert fate.fate == "unaccounted" and fate.detail == "son enregistrement est incomplet (consolidée)"
