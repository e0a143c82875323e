"""The site's pages: home, the audit log, a unit's page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from waypoint.core.errors import NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.indicators.models import Actual
from waypoint.indicators.selectors import indicator_states, indicators_for_plan
from waypoint.org.access import Access, unit_for
from waypoint.org.models import OrgUnit
from waypoint.org.selectors import audit_events_for
from waypoint.plans import selectors as plan_selectors
from waypoint.plans.models import ElementKind, PlanElement


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
        "site/audit_log.html",
        {"page": page, "entities": entities, "actions": AuditEvent.Action.choices, "filters": request.GET},
    )


def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    """What a unit answers for in a plan: elements, indicators owned, values it reported."""
    unit = unit_for(request.user, code)  # another administration's unit is "not found"
    plans = plan_selectors.plans_for(request.user).filter(administration__path=unit.administration_path)
    plan_id = request.GET.get("plan")
    plan = plans.filter(pk=plan_id).first() if plan_id and plan_id.isdigit() else None
    plan = plan or plan_selectors.current_plan_for(request.user)
    include_subunits = request.GET.get("subunits") == "1"
    elements: list[PlanElement] = []
    states: list[Any] = []
    actuals: list[Actual] = []
    if plan is not None:
        unit_filter = Q(responsible_unit__path__startswith=unit.path) if include_subunits else Q(responsible_unit=unit)
        elements = list(
            plan.elements.filter(unit_filter).select_related("responsible_unit", "tier").order_by("kind", "code")
        )
        owned = indicators_for_plan(plan).filter(
            Q(owner_unit__path__startswith=unit.path) if include_subunits else Q(owner_unit=unit)
        )
        states = list(indicator_states(plan, owned).values())
        actuals = list(
            Actual.objects.filter(indicator__plan=plan, unit__path__startswith=unit.path)
            .select_related("indicator", "unit")
            .order_by("-period", "indicator__number")[:50]
        )
    order = {kind: i for i, kind in enumerate(ElementKind.values)}
    elements.sort(key=lambda e: (order[e.kind], e.code))
    people = unit.role_assignments.select_related("user").order_by("role", "user__last_name")
    return render(
        request,
        "site/unit_detail.html",
        {
            "unit": unit,
            "ancestors": _unit_ancestors(unit),
            "children": unit.children.filter(is_active=True).order_by("position", "name"),
            "plan": plan,
            "plans": plans,
            "elements": elements,
            "states": states,
            "actuals": actuals,
            "people": people,
            "include_subunits": include_subunits,
            "section": "units",
        },
    )


def _unit_ancestors(unit: OrgUnit) -> list[OrgUnit]:
    chain: list[OrgUnit] = []
    node = unit.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))
