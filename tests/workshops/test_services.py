"""Workshop services: rights, rules, and results into the plan through plans' services."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.workshops.conftest import make_room
from tests.world import World
from waypoint.core.errors import InvalidInput, NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.monitoring.models import FollowUpAction
from waypoint.plans.models import AnalysisItem, PlanElement, PlanFunction
from waypoint.workshops import record, selectors, services
from waypoint.workshops.models import DotVote, Outcome
from waypoint.workshops.selectors import action_origins


def test_only_planners_create_workshops(world: World) -> None:
    with pytest.raises(NotAllowed):
        services.workshop_create(
            actor=world.users["viewer"],
            plan=world.plan,
            title="x",
            starts_on=world.plan.created_at.date(),
            ends_on=world.plan.created_at.date(),
        )


def test_dates_must_be_in_order(world: World) -> None:
    import datetime as dt

    with pytest.raises(InvalidInput) as caught:
        services.workshop_create(
            actor=world.users["planner"],
            plan=world.plan,
            title="x",
            starts_on=dt.date(2012, 1, 2),
            ends_on=dt.date(2012, 1, 1),
        )
    assert caught.value.problems[0].location == "ends_on"


def test_a_join_code_is_short_and_unambiguous(world: World) -> None:
    room = make_room(world)
    code = room.workshop.join_code
    assert len(code) == 6 and not set(code) & set("01IO")


def test_guests_write_notes_while_open_and_not_after(world: World) -> None:
    room = make_room(world)
    note = services.note_add(participant=room.guest, exercise=room.board, column="strength", text="  Skilled   staff ")
    assert note.text == "Skilled staff" and note.author == room.guest
    event = AuditEvent.objects.filter(entity="workshops.Note").latest("id")
    assert event.changes["participant"] == "Guest Officer" and event.changes["guest"] is True
    with pytest.raises(InvalidInput):
        services.note_add(participant=room.guest, exercise=room.board, column="nowhere", text="x")
    services.workshop_set_status(actor=world.users["planner"], workshop=room.workshop, status="closed")
    room.guest.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.note_add(participant=room.guest, exercise=room.board, column="strength", text="Late")


def test_a_closed_exercise_takes_nothing(world: World) -> None:
    room = make_room(world)
    services.exercise_set_status(actor=world.users["planner"], exercise=room.board, status="closed")
    room.board.refresh_from_db()
    with pytest.raises(InvalidInput):
        services.note_add(participant=room.guest, exercise=room.board, column="strength", text="x")


def test_dots_are_limited_to_the_budget_and_counted_once(world: World) -> None:
    room = make_room(world)
    first, second, _third = list(room.dots.options.all())
    services.dots_set(participant=room.guest, option=first, dots=2)
    services.dots_set(participant=room.guest, option=second, dots=1)
    with pytest.raises(InvalidInput):
        services.dots_set(participant=room.guest, option=second, dots=2)
    services.dots_set(participant=room.guest, option=first, dots=2)  # the same again: one row
    assert DotVote.objects.filter(participant=room.guest).count() == 2
    result, _found = selectors.dot_tally(room.dots)
    assert result.dots_spent == 3 and result.dots_of(first.pk) == 2


def test_an_anonymous_vote_names_nobody(world: World) -> None:
    room = make_room(world)
    services.exercise_save(
        actor=world.users["planner"],
        workshop=room.workshop,
        exercise=room.dots,
        kind="dot_vote",
        title="Priorities",
        options=None,
        dots_per_person=3,
        anonymous=True,
    )
    room.dots.refresh_from_db()
    option = room.dots.options.first()
    assert option is not None
    services.dots_set(participant=room.guest, option=option, dots=1)
    event = AuditEvent.objects.filter(entity="workshops.DotVote").latest("id")
    assert "participant" not in event.changes and event.actor_name == "system"
    assert "votes" not in record.exercise_results(room.dots)


def test_participants_only_act_in_their_own_workshop(world: World) -> None:
    room = make_room(world)
    other = make_room(world)
    with pytest.raises(NotAllowed):
        services.note_add(participant=other.guest, exercise=room.board, column="strength", text="x")


def test_users_join_once_and_need_a_role(world: World) -> None:
    room = make_room(world)
    seat = services.participant_join(workshop=room.workshop, user=world.users["viewer"])
    assert services.participant_join(workshop=room.workshop, user=world.users["viewer"]) == seat
    with pytest.raises(NotAllowed):
        services.participant_join(workshop=room.workshop, user=world.users["outsider"])
    with pytest.raises(InvalidInput):
        services.participant_join(workshop=room.workshop, name="guest officer")  # taken
    with pytest.raises(InvalidInput):
        services.participant_join(workshop=room.workshop, name="   ")


def test_scores_and_comparisons_rank_the_options(world: World) -> None:
    room = make_room(world)
    lanes, scanners = list(room.scoring.options.all())
    impact, cost = list(room.scoring.criteria.all())
    services.score_set(participant=room.guest, option=lanes, criterion=impact, value=5)
    services.score_set(participant=room.guest, option=lanes, criterion=cost, value=1)
    services.score_set(participant=room.guest, option=scanners, criterion=impact, value=3)
    services.score_set(participant=room.guest, option=scanners, criterion=cost, value=5)
    with pytest.raises(InvalidInput):
        services.score_set(participant=room.guest, option=lanes, criterion=impact, value=6)
    assert [o.label for o, _rank in selectors.ranking(room.scoring)] == ["Lanes", "Scanners"]
    revenue, trade, enforcement = list(room.pairwise.options.all())
    services.comparison_set(participant=room.guest, preferred=trade, other=revenue, strength=3)
    services.comparison_set(participant=room.guest, preferred=trade, other=enforcement, strength=5)
    services.comparison_set(participant=room.guest, preferred=revenue, other=enforcement, strength=2)
    view = selectors.pairwise_result(room.pairwise)
    assert view.result.ranking[0] == (trade.pk, 1) and view.result.consistent
    with pytest.raises(InvalidInput):
        services.comparison_set(participant=room.guest, preferred=trade, other=trade, strength=3)
    assert selectors.next_pair(room.guest, room.pairwise) is None


def test_clusters_and_notes_become_swot_items_with_a_link_back(world: World) -> None:
    room = make_room(world)
    planner = world.users["planner"]
    note = services.note_add(participant=room.guest, exercise=room.board, column="weakness", text="Paper declarations")
    cluster = services.cluster_save(actor=planner, exercise=room.board, name="Manual work", column="weakness")
    services.note_cluster(actor=planner, note=note, cluster=cluster)
    with pytest.raises(NotAllowed):
        services.cluster_save(actor=world.users["viewer"], exercise=room.board, name="x", column="weakness")
    outcome = services.to_analysis_item(
        actor=planner, exercise=room.board, framework="swot", category="weakness", text="Manual work", cluster=cluster
    )
    item = AnalysisItem.objects.get(pk=outcome.target_id)
    assert item.plan == world.plan and item.category == "weakness"
    assert outcome.cluster == cluster and outcome.exercise == room.board
    assert AuditEvent.objects.filter(entity="plans.AnalysisItem", entity_id=str(item.pk)).exists()


def test_a_ranking_sets_function_priorities(world: World) -> None:
    room = make_room(world)
    planner = world.users["planner"]
    revenue, trade, enforcement = list(room.pairwise.options.all())
    services.comparison_set(participant=room.guest, preferred=trade, other=revenue, strength=5)
    services.comparison_set(participant=room.guest, preferred=revenue, other=enforcement, strength=3)
    outcomes = services.to_function_priorities(actor=planner, exercise=room.pairwise)
    priorities = {f.name: f.priority for f in PlanFunction.objects.filter(plan=world.plan)}
    assert priorities == {"Trade facilitation": "high", "Revenue collection": "medium", "Enforcement": "low"}
    assert {o.kind for o in outcomes} == {"function"}
    # a facilitator who may not change the plan is refused by plans' own check
    seat = services.participant_join(workshop=room.workshop, user=world.users["viewer"])
    seat.role = "facilitator"
    seat.save()
    with pytest.raises(NotAllowed):
        services.to_function_priorities(actor=world.users["viewer"], exercise=room.pairwise)


def test_options_come_from_a_board_or_the_functions(world: World) -> None:
    room = make_room(world)
    planner = world.users["planner"]
    services.note_add(participant=room.guest, exercise=room.board, column="opportunity", text="WTO accession")
    cluster = services.cluster_save(actor=planner, exercise=room.board, name="Trade", column="opportunity")
    made = services.options_from_board(actor=planner, exercise=room.dots, board=room.board)
    assert [o.label for o in made] == ["Trade", "WTO accession"] and made[0].cluster == cluster
    with pytest.raises(InvalidInput):
        services.options_from_functions(actor=planner, exercise=room.pairwise)  # the plan has none
    for name in ("Revenue", "Facilitation"):
        from waypoint.plans import services as plan_services

        plan_services.function_save(actor=planner, plan=world.plan, name=name, priority="medium")
    made = services.options_from_functions(actor=planner, exercise=room.pairwise)
    assert [o.function.name for o in made if o.function] == ["Revenue", "Facilitation"]


def test_elements_and_actions_from_the_room(world: World) -> None:
    room = make_room(world)
    planner = world.users["planner"]
    option = room.dots.options.first()
    assert option is not None
    outcome = services.to_element(
        actor=planner,
        exercise=room.dots,
        title="Risk management",
        parent=None,
        responsible_unit=world.unit("HQ-RSK"),
        option=option,
    )
    assert PlanElement.objects.get(pk=outcome.target_id).kind == "goal"
    made = services.action_create(
        actor=planner,
        exercise=room.dots,
        title="Draft the risk policy",
        owner_unit=world.unit("HQ-RSK"),
        due_on=dt.date(2025, 6, 30),
        option=option,
    )
    # the action is the register's own (numbered, followed there), its source the workshop
    action = FollowUpAction.objects.get(pk=made.target_id)
    assert made.action == action and action.plan == world.plan and action.source == "workshop"
    assert action.title == "Draft the risk policy" and action.source_detail == f"{room.workshop.title}, Priorities"
    assert list(room.workshop.actions) == [action]
    # the register's action page names the workshop and exercise, with a link back
    origins = action_origins([action])[action.pk]
    assert [o.text for o in origins] == [f"{room.workshop.title}, Priorities"]
    assert origins[0].url.endswith(f"/workshops/{room.workshop.pk}/record/#ex-{room.dots.pk}")
    # an action is linked to one result at most: linking it again is refused
    with pytest.raises(InvalidInput):
        services.outcome_link(actor=planner, exercise=room.board, kind="action", target_id=action.pk)
    # the register asks for what it needs to follow an action: an owner and a date
    with pytest.raises(InvalidInput):
        services.action_create(actor=planner, exercise=room.dots, title="No date", owner_unit=None, due_on=None)
    assert Outcome.objects.filter(kind="action").count() == 1


def test_closing_tells_the_users_who_took_part(world: World) -> None:
    from waypoint.org.models import Notification

    room = make_room(world)
    services.participant_join(workshop=room.workshop, user=world.users["viewer"])
    services.workshop_set_status(actor=world.users["planner"], workshop=room.workshop, status="closed")
    assert Notification.objects.filter(
        recipient=world.users["viewer"], key=f"workshop-closed:{room.workshop.pk}"
    ).exists()
    assert not Notification.objects.filter(recipient=world.users["planner"]).exists()


def test_every_write_raises_the_revision(world: World) -> None:
    room = make_room(world)
    before = room.workshop.revision
    services.note_add(participant=room.guest, exercise=room.board, column="strength", text="x")
    room.workshop.refresh_from_db()
    assert room.workshop.revision == before + 1


def test_editing_an_exercise_keeps_what_was_given(world: World) -> None:
    from waypoint.workshops.models import Score

    room = make_room(world)
    lanes = room.scoring.options.get(label="Lanes")
    impact = room.scoring.criteria.get(name="Impact")
    services.score_set(participant=room.guest, option=lanes, criterion=impact, value=4)
    services.exercise_save(
        actor=world.users["planner"],
        workshop=room.workshop,
        exercise=room.scoring,
        kind="scoring",
        title="Initiatives, reweighted",
        options=["Lanes", "Scanners", "Training"],
        criteria=[
            {"name": "Impact", "weight": 5, "direction": "higher", "axis": "impact"},
            {"name": "Cost", "weight": 1, "direction": "lower", "axis": "effort"},
        ],
    )
    assert Score.objects.filter(option=lanes, criterion=impact).get().value == 4
    assert room.scoring.criteria.get(name="Impact").weight == 5
    assert list(room.scoring.options.values_list("label", flat=True)) == ["Lanes", "Scanners", "Training"]
