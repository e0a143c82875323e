"""Login throttling with django-axes: the backend, the client's address, the lockout page and
what the People page shows (failed sign-ins per account) and does (unlock an account).

The numbers are settings (``AXES_FAILURE_LIMIT``, ``AXES_COOLOFF_TIME``), set from the
environment in ``waypoint.settings``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext


class LoginThrottle(AxesStandaloneBackend):  # type: ignore[misc]  # axes ships no types
    """Axes' check, for sign-ins that come with a request.

    ``authenticate()`` without a request (Django's test client ``login()``, a script on the
    server) has no remote client to throttle; axes would raise instead of answering.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)  # type: ignore[no-any-return]


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from. Behind a declared proxy (``WAYPOINT_BEHIND_PROXY``),
    the one the outermost of ``PROXY_COUNT`` proxies saw: the right-hand entries of
    X-Forwarded-For are added by our proxies, the left-hand ones by whoever sent the request."""
    remote: str | None = request.META.get("REMOTE_ADDR")
    if not getattr(settings, "BEHIND_PROXY", False):
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    count = max(int(getattr(settings, "PROXY_COUNT", 1)), 1)
    if len(forwarded) >= count:
        return forwarded[-count]
    return remote


def cool_off_minutes() -> int:
    cool_off = settings.AXES_COOLOFF_TIME
    return max(int(cool_off.total_seconds() // 60), 1) if cool_off else 0


def lockout_message() -> str:
    minutes = cool_off_minutes()
    return ngettext(
        "Too many failed sign-ins for this account or from this address. Try again in %(minutes)d minute, "
        "or ask an administrator of your administration to unlock your account.",
        "Too many failed sign-ins for this account or from this address. Try again in %(minutes)d minutes, "
        "or ask an administrator of your administration to unlock your account.",
        minutes,
    ) % {"minutes": minutes}


def locked_out(request: HttpRequest, original_response: HttpResponse | None, credentials: Any) -> HttpResponse:
    """The sign-in page again, saying why it refused (HTTP 429), without telling whether the
    password was right."""
    form = AuthenticationForm(request, data=request.POST or None)
    form.errors.clear()
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out": lockout_message(), "next": request.POST.get("next", "")},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def failed_sign_ins(usernames: Iterable[str]) -> dict[str, int]:
    """Recent failed sign-ins per account (those within the cool-off time; all of them when
    there is none)."""
    attempts = AccessAttempt.objects.filter(username__in=list(usernames))
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    rows = attempts.values("username").annotate(failures=Sum("failures_since_start"))
    return {row["username"]: int(row["failures"] or 0) for row in rows}


def is_locked(failures: int) -> bool:
    return bool(settings.AXES_ENABLED) and failures >= int(settings.AXES_FAILURE_LIMIT)


def unlock_account(username: str) -> int:
    """Forget the failed sign-ins for one account; returns how many records went."""
    return int(reset(username=username))
