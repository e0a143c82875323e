"""Reads of the site's own pages that put several apps side by side."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from waypoint.indicators.models import Actual
from waypoint.indicators.selectors import IndicatorState, indicator_states, indicators_for_plan
from waypoint.org.models import OrgUnit, RoleAssignment
from waypoint.plans import selectors as plan_selectors
from waypoint.plans.models import ElementKind, Plan, PlanElement


@dataclass
class UnitPage:
    """What a unit answers for in one plan (its elements, the indicators it owns, the latest
    values it reported) and who holds roles there. ``plans``: the plans of its administration
    the user may read, to switch between."""

    unit: OrgUnit
    ancestors: list[OrgUnit]
    children: QuerySet[OrgUnit]
    plans: QuerySet[Plan]
    plan: Plan | None
    people: QuerySet[RoleAssignment]
    elements: list[PlanElement] = field(default_factory=list)
    states: list[IndicatorState] = field(default_factory=list)
    actuals: list[Actual] = field(default_factory=list)


def unit_page(user: Any, unit: OrgUnit, *, plan_id: str = "", include_subunits: bool = False) -> UnitPage:
    """The unit's page for the plan asked for (``plan_id``, when it is one of the unit's
    administration the user may read), else the user's current plan; with
    ``include_subunits``, the elements and indicators of the units below it too."""
    plans = plan_selectors.plans_for(user).filter(administration__path=unit.administration_path)
    plan = plans.filter(pk=plan_id).first() if plan_id.isdigit() else None
    page = UnitPage(
        unit=unit,
        ancestors=_ancestors(unit),
        children=unit.children.filter(is_active=True).order_by("position", "name"),
        plans=plans,
        plan=plan or plan_selectors.current_plan_for(user),
        people=unit.role_assignments.select_related("user").order_by("role", "user__last_name"),
    )
    if page.plan is None:
        return page
    responsible = Q(responsible_unit__path__startswith=unit.path) if include_subunits else Q(responsible_unit=unit)
    order = {kind: i for i, kind in enumerate(ElementKind.values)}
    page.elements = sorted(
        page.plan.elements.filter(responsible).select_related("responsible_unit", "tier"),
        key=lambda e: (order[e.kind], e.code),
    )
    owned = indicators_for_plan(page.plan).filter(
        Q(owner_unit__path__startswith=unit.path) if include_subunits else Q(owner_unit=unit)
    )
    page.states = list(indicator_states(page.plan, owned).values())
    page.actuals = list(
        Actual.objects.filter(indicator__plan=page.plan, unit__path__startswith=unit.path)
        .select_related("indicator", "unit")
        .order_by("-period", "indicator__number")[:50]
    )
    return page


def _ancestors(unit: OrgUnit) -> list[OrgUnit]:
    chain: list[OrgUnit] = []
    node = unit.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))
