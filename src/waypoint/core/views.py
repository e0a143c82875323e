"""View helpers every app uses: the form page, the confirm-delete page, where to go after a
form, and the request type of a page that answers htmx.

A page that edits something is a view of a few lines: read what it needs through selectors,
check the right, build the form, and hand the rest to :func:`form_page`; a page that deletes
something hands it to :func:`confirm_delete`. Both keep one behaviour across the apps (how a
refusal, a concurrent edit or an htmx request is answered), so the views only say what differs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from waypoint.core.errors import ApplicationError, EditConflict, InvalidInput, NotAllowed
from waypoint.core.forms import apply_error, conflict_context

T = TypeVar("T")


class HtmxRequest(HttpRequest):
    """A request as views see it: django-htmx's middleware (``settings.MIDDLEWARE``) has
    attached ``htmx``, which is falsy unless htmx sent the request. Views that answer htmx take
    this type, so mypy knows the attribute."""

    htmx: HtmxDetails


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
    try:
        return action(), {}
    except EditConflict as error:
        return None, conflict_context(form, error)
    except NotAllowed:
        raise
    except ApplicationError as error:
        apply_error(form, error)
        return None, {}


def _resolve(value: str | Callable[[T], str], result: T) -> str:
    return value(result) if callable(value) else value


def _go(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect; an htmx request is told to load the page itself (a redirect would be followed
    by htmx and swapped into the fragment)."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    save: Callable[[dict[str, Any]], T],
    message: str | Callable[[T], str],
    then: str | Callable[[T], str],
    template: str,
    context: Mapping[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page of a form that a service saves.

    GET shows the form. POST validates it and runs ``save`` (a call of the service, given the
    cleaned data) through :func:`submit`; when it goes through, the user gets ``message`` and is
    sent to ``then`` (each a value, or a function of what the service returned). Otherwise
    the page comes back with what the user typed, the form's and the service's problems on
    their fields, and, when somebody else saved first, the stored values beside theirs
    (``conflict`` in the template, with the version that lets the next save through). A
    refused page is answered with ``status`` (the page it is part of may want a 400).
    """
    extra: dict[str, object] = {}
    if request.method == "POST" and form.is_valid():
        result, extra = submit(form, lambda: save(form.cleaned_data))
        if result is not None:
            messages.success(request, _resolve(message, result))
            return _go(request, _resolve(then, result))
    refused = request.method == "POST"
    return render(request, template, {**(context or {}), "form": form, **extra}, status=status if refused else 200)


def confirm_delete(
    request: HttpRequest,
    *,
    delete: Callable[[], T],
    message: str | Callable[[T], str],
    then: str,
    cancel: str,
    what: str = "",
    consequence: str = "",
    template: str = "core/confirm_delete.html",
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The page that asks before a deletion, and the deletion.

    GET asks ("Delete ``what``?", with ``consequence`` below it and a way back to ``cancel``);
    POST runs ``delete`` (the service) and sends the user to ``then`` with ``message`` (a
    value, or a function of what the service returned). A service that refuses (``InvalidInput``:
    a scenario being solved, a dataset bound to an indicator) sends the user back to ``cancel``
    with its reason; ``NotAllowed`` and ``NotFound`` propagate as a 403 or 404 page.
    """
    if request.method == "POST":
        try:
            result = delete()
        except InvalidInput as error:
            messages.error(request, error.message)
            return redirect(cancel)
        messages.success(request, _resolve(message, result))
        return redirect(then)
    return render(request, template, {**(context or {}), "what": what, "consequence": consequence, "cancel": cancel})
