"""View helpers every app uses: where to go after a form, and running a service for a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from waypoint.core.errors import NotAllowed

T = TypeVar("T")


def back_to(request: HttpRequest, wanted: str | None, fallback: str) -> str:
    """Where to go after a form: ``wanted`` (a ``next`` parameter) when it stays on this site,
    else ``fallback``, so that a crafted link cannot send a user elsewhere."""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback


def submit(form: forms.Form, action: Callable[[], T]) -> tuple[T | None, dict[str, object]]:
    """Run a service for a valid form; put its complaints back on the form.

    Returns the service's result (``None`` when refused) and extra template context
    (the stored values when another user saved first). ``NotAllowed`` propagates: it is a
    403, not a form error.
    """
    from waypoint.core.errors import ApplicationError, EditConflict
    from waypoint.core.forms import apply_error, conflict_context

    try:
        return action(), {}
    except EditConflict as error:
        return None, conflict_context(form, error)
    except NotAllowed:
        raise
    except ApplicationError as error:
        apply_error(form, error)
        return None, {}
