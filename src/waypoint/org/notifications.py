"""Notifications: the in-app inbox and e-mail, for every app above ``org``.

An app calls :func:`notify` when something concerns a person (a value is due, a submission
waits for review, a comment mentions them). Each notification has a ``key`` naming its
occasion; one person gets one notification per key, so a reminder job that runs twice, or is
restarted half-way, sends nothing twice.

E-mail follows the person's choice (``User.email_mode``): one e-mail per notification, sent
once the transaction that made it has committed; or one digest a day; or none. Sending is
*at most once*: a notification is marked as e-mailed before the mail goes out, and marked
back only when the mail server refused it, so that :func:`deliver_pending` tries again, later
each time (:data:`RETRY_FIRST`, doubling), and not at all once the server refused the address
itself or :data:`MAX_FAILURES` tries failed: the notification stays in the inbox.

Notifications are messages derived from records that are audited where they change (the
assignment, the proposal, the comment); they carry their own trail (created, read, e-mailed)
and are not written to the audit log. Changing one's e-mail choice is
(``org.services.notification_settings_set``).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from waypoint.org.models import EmailMode, Notification, User

log = logging.getLogger(__name__)

#: a digest goes out at most once in this many hours, however often the job runs
DIGEST_EVERY = dt.timedelta(hours=20)
#: after a refused e-mail, the next try waits this long, then twice as long each time ...
RETRY_FIRST = dt.timedelta(minutes=5)
#: ... until this many tries failed (5 minutes to 5 hours 20 minutes apart: about 10 hours of
#: a mail server away)
MAX_FAILURES = 8


def _may_try(now: dt.datetime, prefix: str = "") -> Q:
    """Notifications whose e-mail is not given up and not waiting for its next try."""
    return Q(**{f"{prefix}email_failures__lt": MAX_FAILURES}) & (
        Q(**{f"{prefix}email_retry_at__isnull": True}) | Q(**{f"{prefix}email_retry_at__lte": now})
    )


#: reminder jobs of the apps above ``org`` (e.g. a planning round's deadline), registered in
#: their ``AppConfig.ready()``; each takes today's date and returns how many notifications it made
ReminderJob = Callable[[dt.date], int]

_REMINDERS: dict[str, ReminderJob] = {}


def register_reminders(name: str, job: ReminderJob) -> None:
    """Called from an app's ``ready()``: ``job`` runs with :func:`send_reminders`."""
    _REMINDERS[name] = job


def send_reminders(today: dt.date | None = None) -> int:
    """Run every app's reminder job. Safe to run as often as wanted: a reminder's key names its
    occasion (the deadline included), so a person is reminded once per occasion."""
    today = today or timezone.localdate()
    return sum(job(today) for job in _REMINDERS.values())


@dataclass(frozen=True)
class Message:
    """What a notification says: a subject line, a few sentences, and the page to open."""

    subject: str
    body: str = ""
    url: str = ""


def notify(*, recipient: User, key: str, message: Message) -> Notification | None:
    """Give ``recipient`` a notification for the occasion ``key``, once.

    Returns the new notification, or ``None`` when this person already has one for ``key``
    (or cannot sign in any more). An immediate e-mail goes out when the surrounding
    transaction commits.
    """
    if not recipient.is_active:
        return None
    if Notification.objects.filter(recipient=recipient, key=key[:200]).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                key=key[:200],
                subject=message.subject[:300],
                body=message.body,
                url=message.url[:500],
            )
    except IntegrityError:  # made by a concurrent run of the same job a moment ago
        return None
    if recipient.email_mode == EmailMode.IMMEDIATE and recipient.email:
        transaction.on_commit(lambda: _send_one(notification.pk))
    return notification


def notify_all(*, recipients: Iterable[User], key: str, message: Message) -> list[Notification]:
    """:func:`notify` each person once (a person listed twice is told once)."""
    made = []
    seen: set[int] = set()
    for person in recipients:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        notification = notify(recipient=person, key=key, message=message)
        if notification is not None:
            made.append(notification)
    return made


def inbox(user: User) -> QuerySet[Notification]:
    """The person's notifications, unread first, newest first."""
    return Notification.objects.filter(recipient=user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the person's notifications read (all of them without ids); how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        # an id past the database's integer is no notification (SQLite refuses to compare it)
        unread = unread.filter(pk__in=[i for i in notification_ids if 0 < i < 2**63])
    return unread.update(read_at=timezone.now())


def absolute_url(path: str) -> str:
    """A link for an e-mail: the site's address (``WAYPOINT_BASE_URL``) and the page's path."""
    if not path:
        return str(settings.WAYPOINT_BASE_URL)
    return urljoin(str(settings.WAYPOINT_BASE_URL).rstrip("/") + "/", path.lstrip("/"))


def deliver_pending(now: dt.datetime | None = None) -> dict[str, int]:
    """Send what is waiting: immediate e-mails that failed before, and the daily digests that
    are due. Safe to run as often as wanted (the background worker runs it periodically;
    ``waypoint notifications`` runs it from cron)."""
    now = now or timezone.now()
    sent = 0
    # a notification read in the inbox meanwhile needs no e-mail any more
    waiting = Notification.objects.filter(
        _may_try(now),
        emailed_at__isnull=True,
        read_at__isnull=True,
        recipient__is_active=True,
        recipient__email_mode=EmailMode.IMMEDIATE,
    ).exclude(recipient__email="")
    for notification_id in waiting.values_list("pk", flat=True):
        sent += _send_one(notification_id, now)
    digests = 0
    due = User.objects.filter(
        _may_try(now, "notifications__"),
        is_active=True,
        email_mode=EmailMode.DIGEST,
        notifications__emailed_at__isnull=True,
        notifications__read_at__isnull=True,
    ).exclude(email="")
    for user in due.distinct():
        if user.last_digest_at is not None and now - user.last_digest_at < DIGEST_EVERY:
            continue
        digests += _send_digest(user, now)
    return {"emails": sent, "digests": digests}


def _claim(queryset: QuerySet[Notification], now: dt.datetime) -> list[int]:
    """Mark the notifications e-mailed before the mail goes out (at most once); the ids won."""
    ids = list(queryset.filter(emailed_at__isnull=True).values_list("pk", flat=True))
    if not ids:
        return []
    claimed = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=now)
    if claimed != len(ids):  # another run took some: keep only what is ours
        return list(Notification.objects.filter(pk__in=ids, emailed_at=now).values_list("pk", flat=True))
    return ids


def _send_one(notification_id: int, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    if not _claim(Notification.objects.filter(pk=notification_id), now):
        return 0
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    person = notification.recipient
    with translation.override(_language_of(person)):
        text = render_to_string(
            "org/email/notification.txt",
            {"person": person, "notification": notification, "link": absolute_url(notification.url)},
        )
        subject = f"[Waypoint] {notification.subject}"
    return _mail(subject, text, person, [notification.pk], now)


def _send_digest(user: User, now: dt.datetime) -> int:
    ids = _claim(Notification.objects.filter(_may_try(now), recipient=user, read_at__isnull=True), now)
    if not ids:
        return 0
    notifications = list(Notification.objects.filter(pk__in=ids).order_by("created_at", "id"))
    with translation.override(_language_of(user)):
        text = render_to_string(
            "org/email/digest.txt",
            {
                "person": user,
                "items": [(n, absolute_url(n.url)) for n in notifications],
                "inbox": absolute_url("/inbox/"),
            },
        )
        subject = translation.ngettext(
            "[Waypoint] %(count)d new notification", "[Waypoint] %(count)d new notifications", len(ids)
        ) % {"count": len(ids)}
    sent = _mail(subject, text, user, ids, now)
    if sent:
        User.objects.filter(pk=user.pk).update(last_digest_at=now)
    return sent


def _mail(subject: str, text: str, person: User, ids: list[int], now: dt.datetime) -> int:
    try:
        send_mail(subject, text, None, [person.email])
    except smtplib.SMTPRecipientsRefused as refusal:
        if _for_good(refusal):  # the address itself (5xx): trying again changes nothing
            log.exception("E-mail to %s refused for its address; not tried again", person.get_username())
            Notification.objects.filter(pk__in=ids).update(emailed_at=None, email_failures=MAX_FAILURES)
            return 0
        return _try_later(person, ids, now)  # 4xx: greylisted, mailbox busy
    except Exception:  # the mail server refused or is away: a later run tries again
        return _try_later(person, ids, now)
    return 1


def _for_good(refusal: smtplib.SMTPRecipientsRefused) -> bool:
    """Every recipient refused with a permanent (5xx) reply; a 4xx reply asks to try later."""
    codes = [answer[0] for answer in refusal.recipients.values()]
    return bool(codes) and all(int(code) >= 500 for code in codes)


def _try_later(person: User, ids: list[int], now: dt.datetime) -> int:
    """Unmark the notifications for a later run, which waits twice as long after each failure
    (called while the exception is being handled: the log carries it)."""
    failures = 1 + max(Notification.objects.filter(pk__in=ids).values_list("email_failures", flat=True))
    if failures >= MAX_FAILURES:
        log.exception("E-mail to %s not sent after %d tries; given up", person.get_username(), failures)
    else:
        log.exception("E-mail to %s not sent; it will be tried again", person.get_username())
    Notification.objects.filter(pk__in=ids).update(
        emailed_at=None,
        email_failures=F("email_failures") + 1,
        email_retry_at=now + RETRY_FIRST * 2 ** (failures - 1),
    )
    return 0


def _language_of(person: User) -> str:
    """The language a person reads (their preference, else the site's)."""
    return person.language or str(settings.LANGUAGE_CODE)
