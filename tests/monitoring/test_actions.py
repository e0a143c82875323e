"""Follow-up actions and review meetings: the register, its rules, and overdue actions
highlighted wherever they appear."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.world import World
from waypoint.core.errors import InvalidInput, NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.monitoring import services
from waypoint.monitoring.models import ActionStatus, FollowUpAction
from waypoint.org.models import Notification

pytestmark = pytest.mark.django_db


def _action(world: World, **values: Any) -> FollowUpAction:
    defaults: dict[str, Any] = {
        "title": "Publish release times monthly",
        "owner_unit": world.unit("RD-S"),
        "due_on": dt.date(2013, 6, 30),
        "elements": [world.elements["O1.1"]],
    }
    return services.action_create(actor=world.users["contributor"], plan=world.plan, **(defaults | values))


def test_an_action_is_numbered_followed_and_closed(world: World) -> None:
    meeting = services.meeting_save(
        actor=world.users["planner"], plan=world.plan, title="Q1 review", held_on=dt.date(2013, 4, 20)
    )
    action = services.action_create(
        actor=world.users["planner"],
        plan=world.plan,
        title="Publish release times monthly",
        owner_unit=world.unit("RD-S"),
        owner_person=world.users["contributor"],
        due_on=dt.date(2013, 6, 30),
        source="review_meeting",
        meeting=meeting,
        indicators=[world.indicators["south"]],
    )
    assert action.code == "A-001" and list(meeting.actions.all()) == [action]
    second = _action(world, title="Second")
    assert second.code == "A-002"
    # the owner (a person) may move it on; cancelling needs a reason
    with pytest.raises(InvalidInput):
        services.action_set_status(actor=world.users["contributor"], action=action, status=ActionStatus.CANCELLED)
    services.action_set_status(
        actor=world.users["contributor"],
        action=action,
        status=ActionStatus.DONE,
        evidence="https://example.org/release-times",
        on=dt.date(2013, 6, 20),
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.closed_on == dt.date(2013, 6, 20)
    assert not action.is_overdue(dt.date(2014, 1, 1))
    history = AuditEvent.objects.filter(entity="monitoring.FollowUpAction", entity_id=str(action.pk))
    assert {e.action for e in history} == {"create", "status"}


def test_only_owners_and_planners_change_an_action_and_anyone_comments(world: World) -> None:
    action = _action(world)
    with pytest.raises(NotAllowed):
        services.action_update(actor=world.users["contributor_west"], action=action, changes={"title": "Mine"})
    with pytest.raises(NotAllowed):
        services.action_create(
            actor=world.users["viewer"],
            plan=world.plan,
            title="x",
            owner_unit=world.unit("RD-S"),
            due_on=dt.date(2013, 1, 1),
        )
    services.action_update(actor=world.users["planner"], action=action, changes={"priority": "high"})
    services.action_update(
        actor=world.users["planner"],
        action=action,
        changes={"owner_person": world.users["contributor"]},
    )
    services.action_comment(actor=world.users["viewer"], action=action, text="Any news?")
    assert Notification.objects.filter(
        recipient=world.users["contributor"], key__startswith="monitoring:action-comment"
    ).exists()
    with pytest.raises(InvalidInput):
        services.action_comment(actor=world.users["viewer"], action=action, text="  ")


def test_an_action_must_stay_within_its_plan(world: World) -> None:
    from waypoint.plans import services as plan_services

    other = plan_services.plan_create(
        actor=None, administration=world.unit("ADM"), title="Next", start_year=2017, end_year=2021
    )
    goal = plan_services.element_create(
        actor=None, plan=other, parent=None, title="Other goal", responsible_unit=world.unit("HQ-PLN")
    )
    with pytest.raises(InvalidInput) as refused:
        _action(world, elements=[goal])
    assert refused.value.problems[0].location == "elements"
    with pytest.raises(InvalidInput) as refused:
        _action(world, title=" ", due_on=None)
    assert {p.location for p in refused.value.problems} == {"title", "due_on"}


def test_overdue_actions_are_highlighted_on_the_element_the_unit_and_the_overview(world: World, client: Client) -> None:
    late = _action(world, title="Late one", due_on=dt.date(2013, 1, 31))
    _action(world, title="Future one", due_on=dt.date(2999, 1, 31))
    done = _action(world, title="Done one", due_on=dt.date(2013, 1, 31))
    services.action_set_status(actor=None, action=done, status=ActionStatus.DONE)
    client.force_login(world.users["viewer"])
    for url in (
        reverse("element-detail", args=[world.elements["O1.1"].pk]),
        reverse("plan-overview", args=[world.plan.pk]),
        reverse("unit-detail", args=["RD-S"]) + f"?plan={world.plan.pk}",
        reverse("action-list", args=[world.plan.pk]),
        reverse("monitoring-dashboard", args=[world.plan.pk]),
    ):
        page = client.get(url).content.decode()
        assert "Late one" in page, url
        assert "Done one" not in page, url
    assert late.code in client.get(reverse("element-detail", args=[world.elements["O1.1"].pk])).content.decode()
    assert "Late one" not in client.get(reverse("element-detail", args=[world.elements["O1.2"].pk])).content.decode()
    assert (
        "Late one" not in client.get(reverse("unit-detail", args=["RD-W"]) + f"?plan={world.plan.pk}").content.decode()
    )


def test_the_action_pages_create_and_move_an_action_on(world: World, client: Client) -> None:
    client.force_login(world.users["contributor"])
    answer = client.post(
        reverse("action-create", args=[world.plan.pk]),
        {
            "title": "Train the post's officers",
            "owner_unit": world.unit("BP-S1").pk,
            "due_on": "2013-09-30",
            "priority": "high",
            "source": "monitoring_period",
            "source_detail": "2013Q2",
            "elements": [world.elements["I1.1.1"].pk],
        },
    )
    assert answer.status_code == 302
    detail = answer["Location"]
    page = client.get(detail).content.decode()
    assert "Train the post" in page and "I1.1.1" in page
    action_id = int(detail.rstrip("/").split("/")[-1])
    answer = client.post(reverse("action-status", args=[action_id]), {"status": "cancelled", "reason": ""})
    assert answer.status_code == 200 and "Say why" in answer.content.decode()
    answer = client.post(reverse("action-status", args=[action_id]), {"status": "in_progress"})
    assert answer.status_code == 302
    answer = client.post(reverse("action-comment", args=[action_id]), {"text": "Trainer booked"})
    assert "Trainer booked" in client.get(detail).content.decode()


def test_a_planner_edits_a_review_meeting_and_a_stale_form_is_refused(world: World, client: Client) -> None:
    import datetime as dt

    from waypoint.core.models import AuditEvent
    from waypoint.monitoring.models import ReviewMeeting

    meeting = services.meeting_save(
        actor=None, plan=world.plan, title="Q1 review", held_on=dt.date(2013, 4, 20), goals=[world.elements["G1"]]
    )
    url = reverse("meeting-edit", args=[meeting.pk])
    client.force_login(world.users["contributor"])
    assert client.get(url).status_code == 403
    client.force_login(world.users["planner"])
    detail = client.get(reverse("meeting-detail", args=[meeting.pk])).content.decode()
    assert f'href="{url}"' in detail
    form = {
        "version": meeting.version,
        "title": "Q1 2013 review",
        "held_on": "2013-04-22",
        "participants": "Chairman\nHead of planning",
        "periods": "2013Q1",
        "decisions": "Publish release times",
        "goals": [],
    }
    answer = client.post(url, form)
    assert answer.status_code == 302 and answer["Location"] == reverse("meeting-detail", args=[meeting.pk])
    saved = ReviewMeeting.objects.get(pk=meeting.pk)
    assert (saved.title, saved.held_on, saved.periods) == ("Q1 2013 review", dt.date(2013, 4, 22), "2013Q1")
    assert list(saved.goals.all()) == []
    event = AuditEvent.objects.filter(entity="monitoring.ReviewMeeting", action="update").latest("id")
    assert event.changes["title"] == ["Q1 review", "Q1 2013 review"] and event.changes["goals"] == [["G1"], []]
    # the same form again, at the version it was read: somebody saved meanwhile
    stale = client.post(url, {**form, "title": "Another title"})
    assert stale.status_code == 200 and "Someone else saved this record" in stale.content.decode()
    assert ReviewMeeting.objects.get(pk=meeting.pk).title == "Q1 2013 review"


def test_the_status_page_detects_a_change_saved_meanwhile(world: World, client: Client) -> None:
    action = _action(world)
    url = reverse("action-status", args=[action.pk])
    client.force_login(world.users["contributor"])
    page = client.get(url).content.decode()
    assert f'name="version" value="{action.version}"' in page
    read_at = action.version
    # somebody else moves it on after the page was opened …
    services.action_set_status(actor=world.users["planner"], action=action, status=ActionStatus.DONE)
    # … so the form sent at the version it was read is refused, and nothing is overwritten
    stale = client.post(url, {"status": "in_progress", "reason": "", "evidence": "", "version": read_at})
    assert stale.status_code == 200 and "Someone else saved this record" in stale.content.decode()
    assert FollowUpAction.objects.get(pk=action.pk).status == ActionStatus.DONE
    current = FollowUpAction.objects.get(pk=action.pk).version
    answer = client.post(url, {"status": "in_progress", "evidence": "", "version": current})
    assert answer.status_code == 302
    assert FollowUpAction.objects.get(pk=action.pk).status == ActionStatus.IN_PROGRESS


def test_evidence_added_replaced_and_removed_is_audited(
    world: World, client: Client, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    action = _action(world)
    owner = world.users["contributor"]

    def last() -> dict[str, Any]:
        event = AuditEvent.objects.filter(entity="monitoring.FollowUpAction", action="status").latest("id")
        return dict(event.changes)

    services.action_set_status(
        actor=owner,
        action=action,
        status=ActionStatus.IN_PROGRESS,
        evidence="https://example.org/times",
        evidence_file=SimpleUploadedFile("times.pdf", b"%PDF-1"),
    )
    changes = last()
    assert changes["evidence"] == ["", "https://example.org/times"]
    assert changes["evidence_file"][0] is None and changes["evidence_file"][1].endswith("times.pdf")
    action = FollowUpAction.objects.get(pk=action.pk)
    services.action_set_status(
        actor=owner,
        action=action,
        status=ActionStatus.IN_PROGRESS,
        evidence="https://example.org/times\nhttps://example.org/minutes",
    )
    assert last()["evidence"] == ["https://example.org/times", "https://example.org/times\nhttps://example.org/minutes"]
    assert "evidence_file" not in last()
    # through the page: the links shown are kept unless changed, the file is removed
    client.force_login(owner)
    action = FollowUpAction.objects.get(pk=action.pk)
    url = reverse("action-status", args=[action.pk])
    page = client.get(url).content.decode()
    assert "https://example.org/minutes" in page and "remove_evidence_file" in page
    answer = client.post(
        url,
        {
            "status": "done",
            "evidence": "https://example.org/minutes",
            "remove_evidence_file": "on",
            "version": action.version,
        },
    )
    assert answer.status_code == 302
    changes = last()
    assert changes["evidence"] == [
        "https://example.org/times\nhttps://example.org/minutes",
        "https://example.org/minutes",
    ]
    assert changes["evidence_file"][0].endswith("times.pdf") and changes["evidence_file"][1] is None
    assert not FollowUpAction.objects.get(pk=action.pk).evidence_file


def test_the_history_shows_statuses_as_people_read_them(world: World, client: Client) -> None:
    action = _action(world)
    services.action_set_status(actor=world.users["contributor"], action=action, status=ActionStatus.IN_PROGRESS)
    client.force_login(world.users["viewer"])
    page = client.get(reverse("action-detail", args=[action.pk])).content.decode()
    entries = re.findall(r'data-testid="history-entry">(.*?)</li>', page, re.S)
    assert any("Open → In progress" in entry for entry in entries)
    assert "in_progress" not in "".join(entries)


def test_the_meeting_form_shows_its_record_whole_and_no_plan_lock(world: World, client: Client) -> None:
    from waypoint.plans import services as plan_services
    from waypoint.plans.models import PlanStatus

    for status in (PlanStatus.UNDER_REVIEW, PlanStatus.APPROVED):
        plan_services.plan_set_status(actor=None, plan=world.plan, status=status, note="")
    people = "\n".join(f"Participant {n}" for n in range(7))
    meeting = services.meeting_save(
        actor=None, plan=world.plan, title="Q1 review", held_on=dt.date(2013, 4, 20), participants=people
    )
    client.force_login(world.users["planner"])
    page = client.get(reverse("meeting-edit", args=[meeting.pk])).content.decode()
    # meetings are recorded as the plan is carried out: the approved plan's lock banner is not theirs
    assert 'data-testid="approved-banner"' not in page
    # every goal is a box to tick, none hidden in a scrolling list
    assert 'type="checkbox" name="goals"' in page and '<select name="goals"' not in page
    # the participants show whole (seven lines, not three)
    field = re.search(r'<textarea name="participants"[^>]*rows="(\d+)"', page)
    assert field is not None and int(field.group(1)) >= 8
