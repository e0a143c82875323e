from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from waypoint.core.errors import NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.core.selectors import audit_events_for
from waypoint.org.access import Access

T = TypeVar("T")


def home(request: HttpRequest) -> HttpResponse:
    """The current plan at a glance, or an explanation when the user has no role yet."""
    from waypoint.plans.selectors import current_plan_for

    plan = current_plan_for(request.user)
    if plan is None:
        return render(request, "core/no_role.html", status=200 if Access.of(request.user).has_any_role else 403)
    return redirect("plan-overview", plan_id=plan.pk)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Every recorded change in the user's administrations, newest first, for their administrators."""
    access = Access.of(request.user)
    if not access.is_any_administrator():
        raise NotAllowed("Only administrators can read the audit log.")
    visible = audit_events_for(request.user)
    events = visible
    who = request.GET.get("who", "").strip()
    entity = request.GET.get("entity", "").strip()
    action = request.GET.get("action", "").strip()
    plan = request.GET.get("plan", "").strip()
    if who:
        events = events.filter(actor_name__icontains=who)
    if entity:
        events = events.filter(entity=entity)
    if action:
        events = events.filter(action=action)
    if plan.isdigit():
        events = events.filter(plan_id=int(plan))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    entities = visible.order_by("entity").values_list("entity", flat=True).distinct()
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "entities": entities, "actions": AuditEvent.Action.choices, "filters": request.GET},
    )


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
