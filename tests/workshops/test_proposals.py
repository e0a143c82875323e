"""From the room to the planning round: a note, cluster or option written as a proposal of a
unit's submission in the plan's open round (``services.to_proposal``), through the round's own
service, rights and audit, with the link back to the workshop and exercise on the proposal's
page, on the element it is consolidated into, in the record and over the API."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.rounds import helpers as round_helpers
from tests.workshops.conftest import Room, make_room
from tests.world import PERSONAS, World
from waypoint.core.errors import InvalidInput, NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.org.services import api_token_create
from waypoint.rounds import selectors as round_selectors
from waypoint.rounds import services as round_services
from waypoint.rounds.models import PlanningRound, Proposal
from waypoint.workshops import selectors, services
from waypoint.workshops.models import Cluster, Note, Outcome


def _facilitators(room: Room, w: World, *names: str) -> None:
    """Name these users facilitators of the room (the planner who created it stays one)."""
    services.workshop_update(
        actor=w.users["planner"],
        workshop=room.workshop,
        expected_version=None,
        changes={},
        facilitators=[w.users["planner"], *(w.users[n] for n in names)],
    )


def _cluster(room: Room, w: World) -> tuple[Note, Cluster]:
    note = services.note_add(participant=room.guest, exercise=room.board, column="weakness", text="Paper forms")
    cluster = services.cluster_save(actor=None, exercise=room.board, name="Manual work", column="weakness")
    services.note_cluster(actor=None, note=note, cluster=cluster)
    return note, cluster


def _counts() -> tuple[int, int, int]:
    return Proposal.objects.count(), Outcome.objects.count(), AuditEvent.objects.count()


def test_a_cluster_becomes_a_proposal_of_the_units_submission_with_a_link_back(world: World) -> None:
    room = make_room(world)
    round_ = round_helpers.world_round(world)
    _note, cluster = _cluster(room, world)
    _facilitators(room, world, "contributor")
    outcome = services.to_proposal(
        actor=world.users["contributor"],
        exercise=room.board,
        unit=world.unit("RD-S"),
        title="  Paperless   clearance in the south ",
        parent_element=world.elements["G1"],
        cluster=cluster,
    )
    proposal = Proposal.objects.get(pk=outcome.target_id)
    # the round's own proposal: numbered, a draft of the unit's submission, proposed by the unit
    assert proposal.round == round_ and proposal.origin.unit == world.unit("RD-S") == proposal.holder.unit
    assert (
        proposal.kind == "objective" and proposal.status == "draft" and proposal.parent_element == world.elements["G1"]
    )
    assert proposal.title == "Paperless clearance in the south" and proposal.responsible_unit == world.unit("RD-S")
    assert [u.code for u in proposal.proposed_by.all()] == ["RD-S"]
    # the link back: the outcome names the workshop, exercise and cluster, and the proposal
    assert outcome.kind == "proposal" and outcome.proposal == proposal and outcome.cluster == cluster
    assert outcome.exercise == room.board and outcome.workshop == room.workshop
    assert outcome.label == f"{proposal.code} {proposal.title}"
    # audited by the round (the proposal, as its contributor) and by the workshop (the outcome)
    made = AuditEvent.objects.get(entity="rounds.Proposal", entity_id=str(proposal.pk), action="create")
    assert made.actor == world.users["contributor"] and made.plan_id == world.plan.pk
    assert AuditEvent.objects.filter(entity="workshops.Outcome", entity_id=str(outcome.pk), action="create").exists()
    # the proposal's page says where it came from, linked to the exercise in the record
    origins = round_selectors.proposal_page(world.users["contributor"], proposal)["origins"]
    assert [(o.label, o.text) for o in origins] == [("From workshop", f"{room.workshop.title}, SWOT")]
    assert origins[0].url.endswith(f"/workshops/{room.workshop.pk}/record/#ex-{room.board.pk}")


def test_the_kind_follows_the_parent_and_a_proposal_can_go_under_another(world: World) -> None:
    room = make_room(world)
    round_helpers.world_round(world)
    planner = world.users["planner"]
    objective = services.to_proposal(
        actor=planner, exercise=room.board, unit=world.unit("ADM"), title="Risk", parent_element=world.elements["G1"]
    ).proposal
    assert objective is not None and objective.kind == "objective" and objective.origin.is_root
    initiative = services.to_proposal(
        actor=planner,
        exercise=room.dots,
        unit=world.unit("ADM"),
        title="Risk engine",
        parent_proposal=objective,
        starts_on=dt.date(2013, 2, 10),
        ends_on=dt.date(2014, 6, 3),
        option=room.dots.options.first(),
    ).proposal
    assert initiative is not None and initiative.kind == "initiative" and initiative.parent_proposal == objective
    # the round keeps months: the first day of the first, the last day of the last
    assert (initiative.starts_on, initiative.ends_on) == (dt.date(2013, 2, 1), dt.date(2014, 6, 30))


def _try(room: Room, world: World, actor: str, unit: str, **extra: Any) -> Outcome:
    """``actor`` writes the board as a proposal of ``unit``'s submission (an objective under G1)."""
    values: dict[str, Any] = {"title": "Paperless clearance", "parent_element": world.elements["G1"]} | extra
    return services.to_proposal(actor=world.users[actor], exercise=room.board, unit=world.unit(unit), **values)


#: each persona, named a facilitator of the workshop, tries its own level's submission:
#: only those who write it by the round's rule may (planners: the administration's own)
OWN_LEVEL = {"planner": "ADM", "administrator": "ADM", "contributor": "RD-S", "contributor_west": "RD-W"}


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "outsider"])
def test_who_may_write_a_result_into_the_round(world: World, persona: str) -> None:
    room = make_room(world)
    round_helpers.world_round(world)
    _facilitators(room, world, persona)
    unit = OWN_LEVEL.get(persona, "RD-S")
    before = _counts()
    if persona in OWN_LEVEL:
        outcome = _try(room, world, persona, unit)
        assert outcome.proposal is not None and outcome.proposal.origin.unit.code == unit
    else:
        with pytest.raises(NotAllowed):
            _try(room, world, persona, unit)
        assert _counts() == before


def test_facilitating_gives_no_right_in_the_round(world: World) -> None:
    room = make_room(world)
    round_helpers.world_round(world)
    before = _counts()
    # a contributor who does not facilitate the workshop
    with pytest.raises(NotAllowed, match="facilitators"):
        _try(room, world, "contributor", "RD-S")
    _facilitators(room, world, "contributor", "contributor_west")
    before = _counts()
    # a planner does not write a unit's submission for it, nor a contributor another unit's
    for actor, unit in (
        ("planner", "RD-S"),
        ("contributor", "ADM"),
        ("contributor", "BP-S1"),
        ("contributor_west", "RD-S"),
    ):
        with pytest.raises(NotAllowed):
            _try(room, world, actor, unit)
    assert _counts() == before
    # an outsider cannot facilitate at all
    with pytest.raises(NotAllowed):
        _try(room, world, "outsider", "RD-S")


def _problem(error: pytest.ExceptionInfo[InvalidInput]) -> str:
    return error.value.problems[0].location


def test_no_open_round_a_unit_without_a_submission_and_a_submission_in_are_refused(world: World) -> None:
    room = make_room(world)
    _facilitators(room, world, "contributor", "contributor_post")
    before = _counts()
    # no round yet
    with pytest.raises(InvalidInput, match="no planning round open") as error:
        _try(room, world, "planner", "ADM")
    assert _problem(error) == "round"
    round_ = round_helpers.world_round(world)
    before = _counts()
    # the planning department was not asked: it has no submission in the round
    with pytest.raises(InvalidInput, match="asks Planning Department for nothing") as error:
        _try(room, world, "planner", "HQ-PLN")
    assert _problem(error) == "unit"
    # South Post One has submitted: its submission is in
    with pytest.raises(InvalidInput, match="has submitted its proposals") as error:
        _try(room, world, "contributor_post", "BP-S1")
    assert _problem(error) == "unit"
    assert _counts() == before
    # a round that is not the plan's open one
    round_services.round_set_status(actor=None, round_=round_, status="closed")
    with pytest.raises(InvalidInput) as error:
        _try(room, world, "planner", "ADM", round_=round_)
    assert _problem(error) == "round"
    later = round_helpers.open_round(world)
    before = _counts()
    with pytest.raises(InvalidInput, match="Choose the open planning round") as error:
        _try(room, world, "planner", "ADM", round_=round_)
    assert _problem(error) == "round"
    assert _counts() == before
    assert _try(room, world, "planner", "ADM", round_=later).proposal is not None


def test_a_result_of_another_exercise_a_missing_parent_and_a_broken_rule_write_nothing(world: World) -> None:
    room = make_room(world)
    round_ = round_helpers.world_round(world)
    note = services.note_add(participant=room.guest, exercise=room.board, column="threat", text="Smuggling")
    round_.refresh_from_db()
    before, numbered = _counts(), round_.last_proposal_number
    with pytest.raises(InvalidInput) as error:
        services.to_proposal(
            actor=world.users["planner"],
            exercise=room.dots,
            unit=world.unit("ADM"),
            title="x",
            parent_element=world.elements["G1"],
            note=note,
        )
    assert _problem(error) == "source"
    with pytest.raises(InvalidInput) as error:
        _try(room, world, "planner", "ADM", parent_element=None)
    assert _problem(error) == "parent"
    with pytest.raises(InvalidInput, match="Nothing is proposed under an activity") as error:
        _try(room, world, "planner", "ADM", parent_element=world.elements["A1.1.1.1"])
    assert _problem(error) == "parent"
    # an initiative needs its months: the round's own rule, every problem located
    with pytest.raises(InvalidInput) as error:
        _try(room, world, "planner", "ADM", parent_element=world.elements["O1.1"])
    assert {p.location for p in error.value.problems} == {"starts_on", "ends_on"}
    # a goal outside the round's frame: the round's placement rule
    with pytest.raises(InvalidInput) as error:
        _try(room, world, "planner", "ADM", parent_element=world.elements["I1.2.1"], kind="objective")
    assert _problem(error) == "parent"
    assert _counts() == before
    round_.refresh_from_db()
    assert round_.last_proposal_number == numbered


def test_the_link_back_follows_a_merge_and_the_consolidation(world: World) -> None:
    room = make_room(world)
    round_ = round_helpers.world_round(world)
    planner = world.users["planner"]
    note = services.note_add(participant=room.guest, exercise=room.board, column="threat", text="Smuggling")
    first = services.to_proposal(
        actor=planner, exercise=room.board, unit=world.unit("ADM"), title="Risk", parent_element=world.elements["G1"]
    )
    second = services.to_proposal(
        actor=planner,
        exercise=room.dots,
        unit=world.unit("ADM"),
        title="Risk management",
        parent_element=world.elements["G1"],
        option=room.dots.options.first(),
    )
    services.to_proposal(
        actor=planner,
        exercise=room.board,
        unit=world.unit("ADM"),
        title="Risk again",
        parent_element=world.elements["G1"],
        note=note,
    )
    root = round_selectors.root_of(round_)
    assert first.proposal is not None and second.proposal is not None
    merged = round_services.proposal_merge(
        actor=planner, into=root, proposals=[first.proposal, second.proposal], title="Risk-based control"
    )
    lines = selectors.plan_origins(world.plan, "proposal")
    texts = {o.text for o in lines[merged.pk]}
    assert texts == {f"{room.workshop.title}, SWOT", f"{room.workshop.title}, Priorities"}
    # two results of the same exercise are one line
    assert len(lines[merged.pk]) == 2
    made = round_services.round_consolidate(actor=planner, round_=round_)
    element = world.plan.elements.get(code=dict(made.created)[merged.code])
    assert {o.text for o in selectors.element_origins(element)} == texts


def test_a_draft_taken_back_leaves_the_record_without_the_link(world: World) -> None:
    room = make_room(world)
    round_helpers.world_round(world)
    outcome = services.to_proposal(
        actor=world.users["planner"],
        exercise=room.board,
        unit=world.unit("ADM"),
        title="Risk",
        parent_element=world.elements["G1"],
    )
    assert outcome.proposal is not None
    round_services.proposal_delete(actor=world.users["planner"], proposal=outcome.proposal)
    outcome.refresh_from_db()
    assert outcome.proposal is None and outcome.label.endswith("Risk")
    assert selectors.plan_origins(world.plan, "proposal") == {}
    # the record document lists it with the proposals, taken back, not as a record of the plan
    from waypoint.documents.blocks import Heading, Table
    from waypoint.documents.workshop import _into_the_plan

    blocks = _into_the_plan(list(room.workshop.outcomes.all()))
    headings = [b.text for b in blocks if isinstance(b, Heading)]
    tables = [b for b in blocks if isinstance(b, Table)]
    assert headings == ["Proposals in the planning round"]
    assert [row[:2] for row in tables[0].rows] == [[outcome.label, "taken back by its unit"]]


# --- the pages ----------------------------------------------------------------------------------


def _post(client: Client, room: Room, world: World, round_: PlanningRound, source: str, **extra: Any) -> Any:
    data = {
        "source": source,
        "round": round_.pk,
        "unit": world.unit("ADM").pk,
        "parent": f"element:{world.elements['G1'].pk}",
        "title": "Paperless clearance",
    } | extra
    return client.post(reverse("exercise-to-proposal", args=[room.workshop.pk, room.board.pk]), data, follow=True)


def test_the_facilitator_proposes_from_the_board_and_the_record_links_to_it(world: World, client: Client) -> None:
    room = make_room(world)
    _note, cluster = _cluster(room, world)
    client.force_login(world.users["planner"])
    to_plan = reverse("exercise-to-plan", args=[room.workshop.pk, room.board.pk])
    # no round open: no proposal form
    page = client.get(to_plan).content.decode()
    assert 'data-testid="to-proposal"' not in page
    round_ = round_helpers.world_round(world)
    page = client.get(to_plan).content.decode()
    assert 'data-testid="to-proposal"' in page and round_.title in page
    assert "proposed in the round" not in page
    # the title is prefilled from the cluster; the submissions offered are the planner's (the
    # administration's level), the places the round's frame and below
    assert 'name="title" id="pt-1" value="Manual work"' in page
    assert f'<option value="{world.unit("ADM").pk}">Administration level</option>' in page
    assert f'value="element:{world.elements["G1"].pk}">Objective under G1' in page
    assert f'value="element:{world.elements["O1.1"].pk}">Initiative under O1.1' in page
    response = _post(client, room, world, round_, f"cluster:{cluster.pk}", title="Manual work, gone")
    proposal = Proposal.objects.get(title="Manual work, gone")
    assert f"Proposed in “{round_.title}”: {proposal.code} Manual work, gone." in response.content.decode()
    assert proposal.origin.is_root and proposal.kind == "objective"
    # the page lists it with a link to the proposal
    page = client.get(to_plan).content.decode()
    assert "proposed in the round" in page and "in the plan</span>" not in page
    assert f'<a href="{reverse("proposal-detail", args=[proposal.pk])}">{proposal.code} Manual work, gone</a>' in page
    # the proposal's page links back to the exercise in the workshop's record
    detail = client.get(reverse("proposal-detail", args=[proposal.pk])).content.decode()
    assert (
        f'From workshop:</span> <a href="/workshops/{room.workshop.pk}/record/#ex-{room.board.pk}">'
        f"{room.workshop.title}, SWOT</a>" in detail
    )
    # the record lists it in the exercise and in its own table, linked
    record = client.get(reverse("workshop-report", args=[room.workshop.pk])).content.decode()
    link = f'href="{reverse("proposal-detail", args=[proposal.pk])}"'
    assert record.count(link) == 2 and 'data-testid="workshop-proposals"' in record
    exported = json.loads(client.get(reverse("workshop-export", args=[room.workshop.pk])).content)
    assert exported["format_version"] == 3
    assert exported["into_the_plan"][0]["kind"] == "proposal"
    assert exported["into_the_plan"][0]["from"] == {"cluster": "Manual work"}
    assert exported["proposals"] == [
        {
            "code": proposal.code,
            "kind": "objective",
            "title": "Manual work, gone",
            "unit": "ADM",
            "round": round_.title,
            "status": "draft",
            "exercise": "SWOT",
        }
    ]


def test_the_record_as_a_document_lists_the_proposals(world: World, client: Client, tmp_path: Path) -> None:
    from docx import Document

    from tests.documents.conftest import pdf_text

    room = make_room(world)
    round_helpers.world_round(world)
    outcome = services.to_proposal(
        actor=world.users["planner"],
        exercise=room.board,
        unit=world.unit("ADM"),
        title="Paperless clearance",
        parent_element=world.elements["G1"],
    )
    client.force_login(world.users["viewer"])
    response = client.get(reverse("workshop-record-docx", args=[room.workshop.pk]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Proposals in the planning round" in texts
    assert outcome.label in cells and "Test Customs" in cells and "Round 2011" in cells
    response = client.get(reverse("workshop-record-pdf", args=[room.workshop.pk]))
    words = pdf_text(response.content, tmp_path)
    assert "Paperless clearance" in words and "Round 2011" in words


def test_a_refused_proposal_says_why_and_writes_nothing(world: World, client: Client) -> None:
    room = make_room(world)
    round_ = round_helpers.world_round(world)
    note = services.note_add(participant=room.guest, exercise=room.board, column="threat", text="Smuggling")
    client.force_login(world.users["planner"])
    before = _counts()
    # the planning department has no submission in the round
    response = _post(client, room, world, round_, f"note:{note.pk}", unit=world.unit("HQ-PLN").pk)
    assert "asks Planning Department for nothing" in response.content.decode()
    # an initiative without its months: both problems are told
    response = _post(client, room, world, round_, f"note:{note.pk}", parent=f"element:{world.elements['O1.1'].pk}")
    assert "When does it start?" in response.content.decode() and "When does it end?" in response.content.decode()
    # a month the form cannot read
    response = _post(client, room, world, round_, f"note:{note.pk}", starts_on="March")
    assert "Write the month as YYYY-MM" in response.content.decode()
    # a unit's submission the planner does not write
    response = _post(client, room, world, round_, f"note:{note.pk}", unit=world.unit("RD-S").pk)
    assert "Only the contributors of Southern Directorate write its submission" in response.content.decode()
    assert _counts() == before
    # with its months, it is written
    _post(
        client,
        room,
        world,
        round_,
        f"note:{note.pk}",
        parent=f"element:{world.elements['O1.1'].pk}",
        starts_on="2013-03",
        ends_on="2014-12",
    )
    assert Proposal.objects.get(title="Paperless clearance").kind == "initiative"


def test_a_facilitator_who_writes_no_submission_is_told_so(world: World, client: Client) -> None:
    room = make_room(world)
    round_helpers.world_round(world)
    _facilitators(room, world, "viewer")
    client.force_login(world.users["viewer"])
    page = client.get(reverse("exercise-to-plan", args=[room.workshop.pk, room.board.pk])).content.decode()
    assert "You write no submission of this round that still takes proposals." in page
    assert 'data-testid="to-proposal"' not in page


# --- the API ------------------------------------------------------------------------------------


def _api(world: World, persona: str) -> tuple[Client, dict[str, str]]:
    _token, key = api_token_create(actor=world.users[persona], name="t")
    return Client(), {"Authorization": f"Bearer {key}"}


def test_the_api_writes_a_result_into_the_round(world: World) -> None:
    room = make_room(world)
    round_helpers.world_round(world)
    note = services.note_add(participant=room.guest, exercise=room.board, column="threat", text="Smuggling")
    client, auth = _api(world, "planner")
    path = f"/api/exercises/{room.board.pk}/proposals"
    body = {"note": note.pk, "unit": "ADM", "parent_element": "G1", "title": "Risk-based selectivity"}
    response = client.post(path, json.dumps(body), content_type="application/json", headers=auth)
    assert response.status_code == 201, response.content
    answer = response.json()
    proposal = Proposal.objects.get(pk=answer["target_id"])
    assert answer["kind"] == "proposal" and answer["note_id"] == note.pk and answer["exercise_id"] == room.board.pk
    assert answer["label"] == f"{proposal.code} Risk-based selectivity"
    # under a proposal, by its code, with months: an initiative
    below = body | {
        "parent_element": None,
        "parent_proposal": proposal.code,
        "starts_on": "2013-01",
        "ends_on": "2013-12",
    }
    response = client.post(path, json.dumps(below), content_type="application/json", headers=auth)
    assert response.status_code == 201 and Proposal.objects.get(pk=response.json()["target_id"]).kind == "initiative"
    # every refusal located
    for change, status, location in (
        ({"unit": "HQ-PLN"}, 400, "unit"),
        ({"unit": "NOPE"}, 400, "$.unit"),
        ({"parent_element": "G9"}, 400, "$.parent_element"),
        ({"parent_element": None, "parent_proposal": "P999"}, 400, "$.parent_proposal"),
        ({"note": None}, 400, "$.note"),
        ({"cluster": 1}, 400, "$.note"),
        ({"round": 99999}, 400, "$.round"),
        ({"unit": "RD-S"}, 403, None),
        ({"starts_on": "2013-13"}, 422, None),
    ):
        response = client.post(path, json.dumps(body | change), content_type="application/json", headers=auth)
        assert response.status_code == status, (change, response.content)
        if location:
            assert response.json()["problems"][0]["location"] == location, change
    # a note of another exercise is not one of this exercise's results
    other = services.note_add(participant=room.guest, exercise=room.board, column="threat", text="Drugs")
    response = client.post(
        f"/api/exercises/{room.dots.pk}/proposals",
        json.dumps(body | {"note": other.pk}),
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 404
    # a contributor who does not facilitate the workshop
    client, auth = _api(world, "contributor")
    response = client.post(path, json.dumps(body | {"unit": "RD-S"}), content_type="application/json", headers=auth)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_the_api_says_when_no_round_is_open(world: World) -> None:
    room = make_room(world)
    client, auth = _api(world, "planner")
    response = client.post(
        f"/api/exercises/{room.board.pk}/proposals",
        json.dumps(
            {"option": None, "note": None, "cluster": None, "unit": "ADM", "parent_element": "G1", "title": "x"}
        ),
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 400 and response.json()["problems"][0]["location"] == "$.note"
    note = services.note_add(participant=room.guest, exercise=room.board, column="threat", text="Smuggling")
    response = client.post(
        f"/api/exercises/{room.board.pk}/proposals",
        json.dumps({"note": note.pk, "unit": "ADM", "parent_element": "G1", "title": "x"}),
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 400 and response.json()["problems"][0]["location"] == "round"
    assert not Proposal.objects.exists()


def test_the_api_documents_its_answers() -> None:
    from waypoint.api import api

    schema = api.get_openapi_schema()
    answers = {
        str(k): v for k, v in schema["paths"]["/api/exercises/{exercise_id}/proposals"]["post"]["responses"].items()
    }
    assert {"201", "400", "401", "403", "404", "422"} <= set(answers)
    for status in ("400", "403", "404"):
        assert answers[status]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut"), status
