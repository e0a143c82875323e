"""Workshop pages: joining (and its limit), the live parts, writes with CSRF, the facilitator's
screen, results into the plan, and the record."""

from __future__ import annotations

import json

from django.test import Client
from django.urls import reverse

from tests.workshops.conftest import make_room
from tests.world import World
from waypoint.monitoring.models import FollowUpAction
from waypoint.plans.models import AnalysisItem
from waypoint.workshops import services
from waypoint.workshops.models import DotVote, Note, Participant


def _guest(client: Client, code: str, name: str = "Phone Guest") -> None:
    response = client.post(reverse("workshop-join"), {"code": code, "name": name})
    assert response.status_code == 302, response.content[:400]


def test_a_guest_joins_with_the_code_and_a_name(world: World) -> None:
    room = make_room(world)
    client = Client()
    assert client.get(reverse("workshop-join")).status_code == 200
    _guest(client, room.workshop.join_code.lower())  # case and spaces do not matter
    seat = Participant.objects.get(name="Phone Guest")
    assert seat.is_guest and seat.user is None
    page = client.get(reverse("workshop-play", args=[room.workshop.pk]))
    assert page.status_code == 200
    assert b"Phone Guest" in page.content and b"note-text" in page.content


def test_a_wrong_code_is_refused_and_guessing_is_limited(world: World, settings: object) -> None:
    settings.WAYPOINT_JOIN_FAILURE_LIMIT = 3  # type: ignore[attr-defined]
    room = make_room(world)
    client = Client()
    for _ in range(3):
        response = client.post(reverse("workshop-join"), {"code": "ZZZZZZ", "name": "Eve"})
        assert response.status_code == 400
        assert b"No open workshop has this code" in response.content
    # the right code too, now: the address is blocked for a while
    blocked = client.post(reverse("workshop-join"), {"code": room.workshop.join_code, "name": "Eve"})
    assert blocked.status_code == 429
    assert not Participant.objects.filter(name="Eve").exists()


def test_a_planned_workshop_cannot_be_joined(world: World) -> None:
    room = make_room(world, open_all=False)
    response = Client().post(reverse("workshop-join"), {"code": room.workshop.join_code, "name": "Early"})
    assert response.status_code == 400


def test_a_signed_in_user_joins_as_themselves(world: World, client: Client) -> None:
    room = make_room(world)
    client.force_login(world.users["viewer"])
    response = client.post(reverse("workshop-join"), {"code": room.workshop.join_code})
    assert response.status_code == 302
    assert Participant.objects.filter(workshop=room.workshop, user=world.users["viewer"]).exists()
    client.force_login(world.users["outsider"])
    assert client.post(reverse("workshop-join"), {"code": room.workshop.join_code}).status_code == 403


def test_the_live_part_answers_204_until_something_changes(world: World) -> None:
    room = make_room(world)
    client = Client()
    _guest(client, room.workshop.join_code)
    room.workshop.refresh_from_db()
    url = reverse("exercise-live", args=[room.workshop.pk, room.board.pk])
    assert client.get(url, {"rev": room.workshop.revision}).status_code == 204
    services.note_add(participant=room.guest, exercise=room.board, column="strength", text="Skilled staff")
    response = client.get(url, {"rev": room.workshop.revision})
    assert response.status_code == 200
    assert b"Skilled staff" in response.content
    room.workshop.refresh_from_db()
    assert f"rev={room.workshop.revision}".encode() in response.content  # it asks with the new one


def test_results_stay_hidden_from_participants_until_revealed(world: World) -> None:
    room = make_room(world)
    services.dots_set(participant=room.guest, option=room.dots.options.first(), dots=2)  # type: ignore[arg-type]
    client = Client()
    _guest(client, room.workshop.join_code)
    url = reverse("exercise-live", args=[room.workshop.pk, room.dots.pk])
    assert b"results-hidden" in client.get(url).content
    services.exercise_set_status(actor=world.users["planner"], exercise=room.dots, results_visible=True)
    shown = client.get(url).content
    assert b"results-hidden" not in shown and b"dot-total" in shown
    # the facilitator's screen shows them all along
    staff = Client()
    staff.force_login(world.users["planner"])
    screen = staff.get(reverse("exercise-screen", args=[room.workshop.pk, room.scoring.pk]))
    assert screen.status_code == 200


def test_participant_writes_need_the_csrf_token(world: World) -> None:
    room = make_room(world)
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("workshop-join"))
    token = page.cookies["csrftoken"].value
    client.post(
        reverse("workshop-join"), {"code": room.workshop.join_code, "name": "Careful", "csrfmiddlewaretoken": token}
    )
    url = reverse("note-add", args=[room.workshop.pk, room.board.pk])
    refused = client.post(url, {"column": "strength", "text": "Without token"})
    assert refused.status_code == 403
    token = client.cookies["csrftoken"].value
    accepted = client.post(url, {"column": "strength", "text": "With token"}, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 302
    assert list(Note.objects.values_list("text", flat=True)) == ["With token"]


def test_a_user_takes_a_seat_with_their_first_vote(world: World, client: Client) -> None:
    room = make_room(world)
    client.force_login(world.users["contributor"])
    option = room.dots.options.first()
    assert option is not None
    response = client.post(
        reverse("dots-set", args=[room.workshop.pk, room.dots.pk]),
        {"option": option.pk, "dots": 1},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and response["HX-Trigger"] == "workshop-changed"
    assert DotVote.objects.get(participant__user=world.users["contributor"]).dots == 1
    too_many = client.post(
        reverse("dots-set", args=[room.workshop.pk, room.dots.pk]),
        {"option": option.pk, "dots": 9},
        HTTP_HX_REQUEST="true",
    )
    assert too_many.status_code == 400 and b"3 dots in all" in too_many.content


def test_a_comparison_takes_one_tap_and_offers_the_next_pair(world: World) -> None:
    room = make_room(world)
    client = Client()
    _guest(client, room.workshop.join_code)
    a, b, _c = list(room.pairwise.options.all())
    url = reverse("comparison-set", args=[room.workshop.pk, room.pairwise.pk])
    response = client.post(url, {"a": a.pk, "b": b.pk, "choice": "b7"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"1 of 3 pairs" in response.content
    seat = Participant.objects.get(name="Phone Guest")
    judgement = seat.comparisons.get()
    assert (judgement.first_id, judgement.prefers_first, judgement.strength) == (a.pk, False, 7)


def test_the_play_page_reloads_when_the_agenda_moves(world: World) -> None:
    room = make_room(world)
    client = Client()
    _guest(client, room.workshop.join_code)
    url = reverse("workshop-play", args=[room.workshop.pk])
    state = "open:" + ",".join(str(e.pk) for e in (room.board, room.dots, room.scoring, room.pairwise))
    same = client.get(url, {"state": state}, HTTP_HX_REQUEST="true")
    assert same.status_code == 204 and "HX-Refresh" not in same
    services.exercise_set_status(actor=world.users["planner"], exercise=room.board, status="closed")
    moved = client.get(url, {"state": state}, HTTP_HX_REQUEST="true")
    assert moved.status_code == 204 and moved["HX-Refresh"] == "true"


def test_a_guest_leaves(world: World) -> None:
    room = make_room(world)
    client = Client()
    _guest(client, room.workshop.join_code)
    assert client.post(reverse("workshop-leave", args=[room.workshop.pk])).status_code == 302
    assert client.get(reverse("workshop-play", args=[room.workshop.pk])).status_code == 302  # to sign in


def test_the_facilitator_clusters_and_puts_results_into_the_plan(world: World, client: Client) -> None:
    room = make_room(world)
    note = services.note_add(participant=room.guest, exercise=room.board, column="weakness", text="Paper forms")
    client.force_login(world.users["planner"])
    client.post(
        reverse("cluster-save", args=[room.workshop.pk, room.board.pk]), {"name": "Manual", "column": "weakness"}
    )
    cluster = room.board.clusters.get()
    client.post(reverse("note-cluster", args=[room.workshop.pk, note.pk]), {"cluster": cluster.pk})
    note.refresh_from_db()
    assert note.cluster == cluster
    page = client.get(reverse("exercise-to-plan", args=[room.workshop.pk, room.board.pk]))
    assert page.status_code == 200 and b"cluster:" in page.content
    response = client.post(
        reverse("exercise-to-plan", args=[room.workshop.pk, room.board.pk]),
        {
            "source": f"cluster:{cluster.pk}",
            "kind": "analysis_item",
            "text": "Manual processing",
            "category": "weakness",
        },
    )
    assert response.status_code == 302
    assert AnalysisItem.objects.filter(plan=world.plan, text="Manual processing", category="weakness").exists()
    record = client.get(reverse("workshop-report", args=[room.workshop.pk]))
    assert b"Manual processing" in record.content and b"from the cluster" in record.content
    exported = json.loads(client.get(reverse("workshop-export", args=[room.workshop.pk])).content)
    assert exported["into_the_plan"][0]["from"] == {"cluster": "Manual"}
    assert exported["exercises"][0]["columns"][1]["clusters"][0]["notes"][0]["author"] == "Guest Officer"


def test_pages_of_a_facilitator_render(world: World, client: Client) -> None:
    room = make_room(world)
    client.force_login(world.users["planner"])
    for url in (
        reverse("workshop-list"),
        reverse("workshop-create"),
        reverse("workshop-detail", args=[room.workshop.pk]),
        reverse("workshop-edit", args=[room.workshop.pk]),
        reverse("exercise-create", args=[room.workshop.pk]),
        reverse("exercise-edit", args=[room.workshop.pk, room.scoring.pk]),
        reverse("exercise-screen", args=[room.workshop.pk, room.board.pk]),
        reverse("exercise-to-plan", args=[room.workshop.pk, room.pairwise.pk]),
        reverse("workshop-play", args=[room.workshop.pk]),
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(
        reverse("exercise-create", args=[room.workshop.pk]),
        {"kind": "scoring", "title": "Ideas", "options": "A\nB", "criteria": "Impact; 3; more; impact\nCost; x"},
    )
    assert b"weight is a whole number" in response.content
    # a word the form does not know is named with its line, not read as "more is better"
    response = client.post(
        reverse("exercise-create", args=[room.workshop.pk]),
        {"kind": "scoring", "title": "Ideas", "options": "A\nB", "criteria": "Impact; 3; more; impact\nCost; 1; fewer"},
    )
    assert "Line 2: “fewer” is not understood here; write “more” or “less”." in response.content.decode()
    response = client.post(
        reverse("exercise-create", args=[room.workshop.pk]),
        {"kind": "scoring", "title": "Ideas", "options": "A\nB", "criteria": "Impact; 3; more; impakt"},
    )
    assert "Line 1: “impakt” is not understood here; write “impact” or “effort”." in response.content.decode()
    assert not room.workshop.exercises.filter(title="Ideas").exists()
    # the Arabic semicolon separates as ours does
    response = client.post(
        reverse("exercise-create", args=[room.workshop.pk]),
        {"kind": "scoring", "title": "Ideas", "options": "A\nB", "criteria": "Cost\u061b 2\u061b less\u061b effort"},
    )
    assert response.status_code == 302
    criterion = room.workshop.exercises.get(title="Ideas").criteria.get()
    assert (criterion.name, criterion.weight, criterion.direction, criterion.axis) == ("Cost", 2, "lower", "effort")
    response = client.post(
        reverse("exercise-create", args=[room.workshop.pk]),
        {"kind": "board", "title": "Causes", "layout": "custom", "custom_columns": "Causes\nEffects"},
    )
    assert response.status_code == 302
    assert room.workshop.exercises.get(title="Causes").columns == [
        {"key": "c1", "label": "Causes"},
        {"key": "c2", "label": "Effects"},
    ]


def test_results_become_register_actions_and_the_plan_pages_link_back(world: World, client: Client) -> None:
    """A follow-up action put in from the room is the register's own; the action page, the
    environmental scan, the activity profile and an element's page each say "From workshop:
    <title>, <exercise>" with a link to the exercise in the workshop's record."""
    room = make_room(world)
    note = services.note_add(participant=room.guest, exercise=room.board, column="threat", text="Smuggling rises")
    client.force_login(world.users["planner"])
    to_plan = reverse("exercise-to-plan", args=[room.workshop.pk, room.board.pk])
    # the register needs a due date: without one, nothing is made and the page says why
    client.post(to_plan, {"source": f"note:{note.pk}", "kind": "action", "text": "Brief the border posts"})
    assert not FollowUpAction.objects.filter(title="Brief the border posts").exists()
    client.post(
        to_plan,
        {
            "source": f"note:{note.pk}",
            "kind": "action",
            "text": "Brief the border posts",
            "responsible_unit": world.unit("HQ-RSK").pk,
            "due_on": "2012-03-15",
        },
    )
    action = FollowUpAction.objects.get(title="Brief the border posts")
    assert action.source == "workshop" and action.owner_unit == world.unit("HQ-RSK")
    client.post(
        to_plan,
        {"source": f"note:{note.pk}", "kind": "analysis_item", "text": "Smuggling rises", "category": "threat"},
    )
    services.dots_set(participant=room.guest, option=room.dots.options.all()[0], dots=2)
    services.to_function_priorities(actor=world.users["planner"], exercise=room.dots)
    goal = services.to_element(
        actor=world.users["planner"],
        exercise=room.dots,
        title="Risk management",
        parent=None,
        responsible_unit=world.unit("HQ-RSK"),
    )
    link = f'href="/workshops/{room.workshop.pk}/record/#ex-'
    origin = f"From workshop:</span> <a {link}"
    pages = {
        reverse("action-detail", args=[action.pk]): "SWOT",
        reverse("analysis-board", args=[world.plan.pk]) + "?framework=swot": "SWOT",
        reverse("functions-matrix", args=[world.plan.pk]): "Priorities",
        reverse("element-detail", args=[goal.target_id]): "Priorities",
    }
    for url, exercise in pages.items():
        page = client.get(url).content.decode()
        assert f"{room.workshop.title}, {exercise}</a>" in page, url
        assert link in page and ("From workshop: <a" in page or origin in page), url
    record = client.get(reverse("workshop-report", args=[room.workshop.pk])).content.decode()
    assert f'href="/actions/{action.pk}/"' in record and action.code in record


def test_a_quadrant_whose_statements_came_from_one_exercise_names_it_once(world: World, client: Client) -> None:
    """The environmental scan says "From workshop" once above a quadrant whose statements all
    came from the same exercise, and under each statement where they differ."""
    from waypoint.plans import services as plan_services

    room = make_room(world)
    planner = world.users["planner"]
    for text in ("Paper forms", "Manual checks"):
        services.to_analysis_item(actor=planner, exercise=room.board, framework="swot", category="weakness", text=text)
    services.to_analysis_item(actor=planner, exercise=room.board, framework="swot", category="threat", text="Smuggling")
    plan_services.analysis_item_save(
        actor=planner, plan=world.plan, framework="swot", category="threat", text="Typed in later"
    )
    client.force_login(world.users["viewer"])
    page = client.get(reverse("analysis-board", args=[world.plan.pk]) + "?framework=swot").content.decode()
    line = f'From workshop:</span> <a href="/workshops/{room.workshop.pk}/record/#ex-{room.board.pk}">'
    weakness = page[page.index('data-testid="board-weakness"') : page.index('data-testid="board-opportunity"')]
    threat = page[page.index('data-testid="board-threat"') :]
    # both weaknesses from the board: one line for the quadrant, none under the statements
    assert weakness.count(line) == 1 and 'data-testid="group-origin"' in weakness
    assert 'data-testid="origin-note"' not in weakness
    # one threat from the board and one typed in: the line stays with its statement
    assert threat.count(line) == 1 and 'data-testid="origin-note"' in threat
    assert 'data-testid="group-origin"' not in threat
