"""The site's pages: home, the audit log, a unit's page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.core.audit import markers_matching
from waypoint.core.errors import NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.monitoring.selectors import actions
from waypoint.org.access import Access, unit_for
from waypoint.org.selectors import audit_events_for
from waypoint.plans import selectors as plan_selectors
from waypoint.plans.extensions import Overdue
from waypoint.site import selectors


def home(request: HttpRequest) -> HttpResponse:
    """The current plan at a glance, or an explanation when the user has no role yet."""
    plan = plan_selectors.current_plan_for(request.user)
    if plan is None:
        return render(request, "site/no_role.html", status=200 if Access.of(request.user).has_any_role else 403)
    return redirect("plan-overview", plan_id=plan.pk)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Every recorded change in the user's administrations, newest first, for their administrators."""
    access = Access.of(request.user)
    if not access.is_any_administrator():
        raise NotAllowed(_("Only administrators can read the audit log."))
    visible = audit_events_for(request.user)
    events = visible
    who = request.GET.get("who", "").strip()
    entity = request.GET.get("entity", "").strip()
    action = request.GET.get("action", "").strip()
    plan = request.GET.get("plan", "").strip()
    if who:
        events = events.filter(Q(actor_name__icontains=who) | Q(actor_name__in=markers_matching(who)))
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
        "site/audit_log.html",
        {"page": page, "entities": entities, "actions": AuditEvent.Action.choices, "filters": request.GET},
    )


def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    """What a unit answers for in a plan: elements, indicators owned, values it reported."""
    unit = unit_for(request.user, code)  # another administration's unit is "not found"
    include_subunits = request.GET.get("subunits") == "1"
    page = selectors.unit_page(
        request.user, unit, plan_id=request.GET.get("plan", ""), include_subunits=include_subunits
    )
    return render(
        request,
        "site/unit_detail.html",
        {
            "unit": unit,
            "ancestors": page.ancestors,
            "children": page.children,
            "plan": page.plan,
            "plans": page.plans,
            "elements": page.elements,
            "states": page.states,
            "actuals": page.actuals,
            "people": page.people,
            "include_subunits": include_subunits,
            "overdue": _overdue_actions(page.plan, unit, include_subunits),
            "section": "units",
        },
    )


def _overdue_actions(plan: Any, unit: Any, include_subunits: bool) -> list[Overdue]:
    """The unit's overdue follow-up actions in the plan shown (with its sub-units' on request)."""
    if plan is None:
        return []
    found = actions(plan, overdue=True, today=timezone.localdate())
    found = found.filter(owner_unit__path__startswith=unit.path) if include_subunits else found.filter(owner_unit=unit)
    return [Overdue(code=a.code, title=a.title, url=reverse("action-detail", args=[a.pk]), due=a.due_on) for a in found]
