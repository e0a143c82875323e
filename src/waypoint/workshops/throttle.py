"""A limit on guessing join codes: after ``WAYPOINT_JOIN_FAILURE_LIMIT`` wrong codes from one
address within ``WAYPOINT_JOIN_WINDOW_MINUTES``, the join page refuses that address (HTTP 429)
until the oldest of them leaves the window. Kept in the database, so that every server
process counts the same attempts. (Sign-ins have django-axes; joining is not a sign-in.)

Only wrong codes count: a room of thirty phones behind one office address joining with the
right code is not an attack."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from waypoint.org.throttle import client_address
from waypoint.workshops.models import JoinAttempt


def limit() -> int:
    return int(getattr(settings, "WAYPOINT_JOIN_FAILURE_LIMIT", 20))


def window() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "WAYPOINT_JOIN_WINDOW_MINUTES", 10)))


def _address(request: HttpRequest) -> str:
    return (client_address(request) or "unknown")[:64]


def is_blocked(request: HttpRequest) -> bool:
    since = timezone.now() - window()
    return JoinAttempt.objects.filter(address=_address(request), at__gte=since).count() >= limit()


def record_failure(request: HttpRequest) -> None:
    JoinAttempt.objects.create(address=_address(request))
    # old attempts go, so that the table stays small
    JoinAttempt.objects.filter(at__lt=timezone.now() - 2 * window()).delete()
