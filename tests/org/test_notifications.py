"""Notifications: once per occasion, in the inbox, by e-mail as each person chooses."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import smtplib
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.world import World
from waypoint.core.errors import InvalidInput, NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.org import notifications, services
from waypoint.org.models import EmailMode, Notification, User
from waypoint.org.notifications import DIGEST_EVERY, Message, deliver_pending, notify

pytestmark = pytest.mark.django_db


def _person(world: World, name: str = "contributor", *, email: str = "", mode: str = EmailMode.IMMEDIATE) -> User:
    user = world.users[name]
    User.objects.filter(pk=user.pk).update(email=email, email_mode=mode)
    user.refresh_from_db()
    return user


def _notify(user: User, key: str, subject: str = "Values for 2013Q2 are due", url: str = "/plans/") -> Any:
    return notify(recipient=user, key=key, message=Message(subject=subject, body="Due on 15 July.", url=url))


def test_a_person_is_notified_once_per_occasion(world: World) -> None:
    person = _person(world)
    assert _notify(person, "reminder:1:due") is not None
    assert _notify(person, "reminder:1:due") is None
    assert _notify(person, "reminder:1:overdue") is not None
    assert Notification.objects.filter(recipient=person).count() == 2


def test_a_person_who_can_no_longer_sign_in_is_not_notified(world: World) -> None:
    person = _person(world)
    User.objects.filter(pk=person.pk).update(is_active=False)
    person.refresh_from_db()
    assert _notify(person, "k") is None


def test_an_immediate_e_mail_goes_out_once_the_change_is_committed_with_a_link_to_the_page(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.WAYPOINT_BASE_URL = "https://waypoint.customs.example"
    person = _person(world, email="elvin@customs.example")
    with django_capture_on_commit_callbacks(execute=True):
        _notify(person, "reminder:7:due", url="/reporting/RD-S/2013Q2/")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["elvin@customs.example"]
    assert "Values for 2013Q2 are due" in sent.subject
    assert "https://waypoint.customs.example/reporting/RD-S/2013Q2/" in sent.body
    assert Notification.objects.get(recipient=person).emailed_at is not None
    # the job that retries finds nothing left to send
    assert deliver_pending() == {"emails": 0, "digests": 0}
    assert len(mail.outbox) == 1


def test_nobody_is_e_mailed_without_an_address_or_against_their_choice(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    without = _person(world, "contributor")
    quiet = _person(world, "viewer", email="viewer@customs.example", mode=EmailMode.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(without, "a")
        _notify(quiet, "a")
    assert deliver_pending() == {"emails": 0, "digests": 0}
    assert mail.outbox == []
    assert Notification.objects.count() == 2


def test_a_refused_e_mail_is_sent_by_the_next_run(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    person = _person(world, email="elvin@customs.example")
    notification = _notify(person, "k")

    def refuse(*args: Any, **kwargs: Any) -> int:
        raise ConnectionRefusedError("mail server away")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    assert deliver_pending() == {"emails": 0, "digests": 0}
    notification.refresh_from_db()
    assert notification.emailed_at is None
    monkeypatch.undo()
    # not at once: the next try waits (the server may be away for a while)
    assert deliver_pending() == {"emails": 0, "digests": 0}
    assert deliver_pending(timezone.now() + notifications.RETRY_FIRST) == {"emails": 1, "digests": 0}
    assert len(mail.outbox) == 1


def test_refused_e_mails_are_tried_later_each_time_and_given_up_after_the_last_try(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = _person(world, email="elvin@customs.example")
    notification = _notify(person, "k")
    tries: list[dt.datetime] = []

    def away(*args: Any, **kwargs: Any) -> int:
        raise ConnectionRefusedError("mail server away")

    monkeypatch.setattr(notifications, "send_mail", away)
    now = timezone.now()
    for minute in range(0, 24 * 60, 5):  # a sweep every five minutes for a day
        at = now + dt.timedelta(minutes=minute)
        before = Notification.objects.get(pk=notification.pk).email_failures
        deliver_pending(at)
        if Notification.objects.get(pk=notification.pk).email_failures > before:
            tries.append(at)
    gaps = [int((b - a).total_seconds() // 60) for a, b in itertools.pairwise(tries)]
    assert len(tries) == notifications.MAX_FAILURES
    assert gaps == [5 * 2**n for n in range(notifications.MAX_FAILURES - 1)]
    notification.refresh_from_db()
    assert notification.emailed_at is None and notification.read_at is None  # still in the inbox


def test_an_address_the_mail_server_refuses_is_not_tried_again(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    person = _person(world, email="nobody@customs.example")
    _notify(person, "k")
    calls: list[str] = []

    def refuse_address(subject: str, text: str, sender: Any, to: list[str]) -> int:
        calls.append(to[0])
        raise smtplib.SMTPRecipientsRefused({to[0]: (550, b"No such user")})

    monkeypatch.setattr(notifications, "send_mail", refuse_address)
    assert deliver_pending() == {"emails": 0, "digests": 0}
    assert deliver_pending(timezone.now() + dt.timedelta(days=2)) == {"emails": 0, "digests": 0}
    assert calls == ["nobody@customs.example"]
    # a temporary refusal of the address (4xx: greylisting, a full mailbox) is tried again
    _notify(person, "k-greylisted")
    greylisted: list[str] = []

    def greylist(subject: str, text: str, sender: Any, to: list[str]) -> int:
        greylisted.append(to[0])
        raise smtplib.SMTPRecipientsRefused({to[0]: (451, b"Greylisted, try again later")})

    monkeypatch.setattr(notifications, "send_mail", greylist)
    deliver_pending(timezone.now() + dt.timedelta(days=2, minutes=1))
    monkeypatch.undo()
    assert greylisted == ["nobody@customs.example"]
    assert deliver_pending(timezone.now() + dt.timedelta(days=2, minutes=10)) == {"emails": 1, "digests": 0}
    monkeypatch.setattr(notifications, "send_mail", refuse_address)
    # a digest reader's refused address is given up the same way
    User.objects.filter(pk=person.pk).update(email_mode=EmailMode.DIGEST)
    _notify(person, "k2")
    deliver_pending(timezone.now() + dt.timedelta(days=3))
    deliver_pending(timezone.now() + dt.timedelta(days=5))
    assert calls == ["nobody@customs.example"] * 2


def test_a_digest_gathers_a_days_notifications_and_goes_out_once_a_day(world: World) -> None:
    person = _person(world, email="elvin@customs.example", mode=EmailMode.DIGEST)
    for number in range(3):
        _notify(person, f"k{number}", subject=f"Item {number}")
    now = timezone.now()
    assert deliver_pending(now) == {"emails": 0, "digests": 1}
    assert len(mail.outbox) == 1
    assert "3 new notifications" in mail.outbox[0].subject
    assert all(f"Item {n}" in mail.outbox[0].body for n in range(3))
    # run again at once, and after a new notification the same day: nothing more today
    assert deliver_pending(now) == {"emails": 0, "digests": 0}
    _notify(person, "k3", subject="Item 3")
    assert deliver_pending(now + dt.timedelta(hours=2)) == {"emails": 0, "digests": 0}
    assert deliver_pending(now + DIGEST_EVERY) == {"emails": 0, "digests": 1}
    assert "1 new notification" in mail.outbox[1].subject
    assert "Item 3" in mail.outbox[1].body
    assert "Item 0" not in mail.outbox[1].body


def test_the_inbox_shows_unread_first_and_opening_marks_read(world: World, client: Client) -> None:
    person = _person(world)
    first = _notify(person, "old", subject="Older", url=reverse("plan-list"))
    Notification.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(days=1))
    second = _notify(person, "new", subject="Newer")
    notifications.mark_read(person, [second.pk])
    client.force_login(person)
    page = client.get(reverse("inbox")).content.decode()
    assert page.index("Older") < page.index("Newer")  # the unread one first
    assert "1 unread notification" in page
    response = client.get(reverse("inbox-open", args=[first.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("plan-list")
    first.refresh_from_db()
    assert first.read_at is not None
    assert "0 unread notifications" in client.get(reverse("inbox")).content.decode()


def test_the_menu_counts_unread_notifications(world: World, client: Client) -> None:
    person = _person(world)
    _notify(person, "a")
    _notify(person, "b")
    client.force_login(person)
    page = client.get(reverse("unit-tree")).content.decode()
    assert 'data-testid="nav-inbox"' in page
    assert ">2<span" in page.replace(" ", "")


def test_a_notification_only_leads_to_a_page_of_this_site(world: World, client: Client) -> None:
    person = _person(world)
    elsewhere = _notify(person, "x", url="https://elsewhere.example/phish")
    client.force_login(person)
    response = client.get(reverse("inbox-open", args=[elsewhere.pk]))
    assert response["Location"] == reverse("inbox")


def test_nobody_opens_another_persons_notification(world: World, client: Client) -> None:
    mine = _notify(_person(world, "contributor"), "x")
    client.force_login(world.users["viewer"])
    assert client.get(reverse("inbox-open", args=[mine.pk])).status_code == 404
    mine.refresh_from_db()
    assert mine.read_at is None


def test_mark_all_read(world: World, client: Client) -> None:
    person = _person(world)
    _notify(person, "a")
    _notify(person, "b")
    other = _notify(_person(world, "viewer"), "a")
    client.force_login(person)
    response = client.post(reverse("inbox-read"), follow=True)
    assert "2 notifications marked read." in response.content.decode()
    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_turning_e_mail_on_does_not_mail_what_came_before_nor_what_was_read(world: World) -> None:
    person = _person(world, email="elvin@customs.example", mode=EmailMode.NONE)
    _notify(person, "while-quiet")
    services.notification_settings_set(actor=person, user=person, email_mode=EmailMode.IMMEDIATE)
    assert deliver_pending() == {"emails": 0, "digests": 0}
    read = _notify(person, "read-before-the-retry")
    Notification.objects.filter(pk=read.pk).update(emailed_at=None, read_at=timezone.now())
    assert deliver_pending() == {"emails": 0, "digests": 0}
    assert mail.outbox == []


def test_people_choose_how_they_hear_and_the_choice_is_audited(world: World, client: Client) -> None:
    person = _person(world)
    client.force_login(person)
    response = client.post(reverse("notification-settings"), {"email_mode": EmailMode.DIGEST})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email_mode == EmailMode.DIGEST
    event = AuditEvent.objects.get(entity="org.User", entity_id=str(person.pk), action=AuditEvent.Action.UPDATE)
    assert event.changes == {"email_mode": [EmailMode.IMMEDIATE, EmailMode.DIGEST]}
    refused = client.post(reverse("notification-settings"), {"email_mode": "carrier-pigeon"})
    assert refused.status_code == 200
    assert "carrier-pigeon" in refused.content.decode()  # the choice is named in the error
    person.refresh_from_db()
    assert person.email_mode == EmailMode.DIGEST


def test_nobody_chooses_for_somebody_else(world: World) -> None:
    with pytest.raises(NotAllowed):
        services.notification_settings_set(
            actor=world.users["administrator"], user=world.users["viewer"], email_mode=EmailMode.NONE
        )
    with pytest.raises(InvalidInput):
        services.notification_settings_set(actor=world.users["viewer"], user=world.users["viewer"], email_mode="x")


def test_the_api_lists_and_marks_ones_own_notifications(world: World, client: Client) -> None:
    person = _person(world)
    first = _notify(person, "a", subject="First")
    _notify(person, "b", subject="Second")
    _notify(_person(world, "viewer"), "a", subject="Not yours")
    client.force_login(person)
    listed = client.get("/api/notifications").json()
    assert listed["count"] == 2
    assert {item["subject"] for item in listed["items"]} == {"First", "Second"}
    answer = client.post(
        "/api/notifications/read", data=json.dumps({"ids": [first.pk]}), content_type="application/json"
    )
    assert answer.json() == {"marked": 1, "unread": 1}
    answer = client.post("/api/notifications/read", data=json.dumps({}), content_type="application/json")
    assert answer.json() == {"marked": 1, "unread": 0}
    # an id no database holds is refused, not handed to SQLite (which cannot compare it)
    answer = client.post("/api/notifications/read", data=json.dumps({"ids": [2**64]}), content_type="application/json")
    assert answer.status_code == 422 and answer.json()["problems"][0]["location"] == "$.ids[0]"


def test_the_background_worker_sends_what_waits_between_tasks(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """No cron job needed: an idle worker runs the chores the apps registered, once per sweep
    interval, and its heartbeat never does (a slow mail server must not delay the leases)."""
    from waypoint.core import work
    from waypoint.core.management.commands.worker import Worker

    person = _person(world, email="elvin@customs.example")
    _notify(person, "k")
    mail.outbox.clear()
    Notification.objects.update(emailed_at=None)  # as if the mail server had refused it
    work.Heartbeat("test-worker", lambda: "").tick(sweeping=True)
    assert mail.outbox == []
    worker = Worker(
        queue_names=["*"],
        interval=1,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.between_tasks()
    assert len(mail.outbox) == 1
    Notification.objects.update(emailed_at=None)
    worker.between_tasks()  # within the interval: not again
    assert len(mail.outbox) == 1


def test_a_failing_chore_does_not_keep_the_others_from_running(monkeypatch: pytest.MonkeyPatch) -> None:
    from waypoint.core import work

    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("a defect")

    monkeypatch.setattr(work, "_CHORES", {"a-broken": broken, "b-fine": lambda: ran.append("b")})
    assert work.run_chores() == ["a-broken"]
    assert ran == ["b"]
