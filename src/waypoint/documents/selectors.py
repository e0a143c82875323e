"""Reads of the documents app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from waypoint.core.errors import NotFound
from waypoint.documents.models import DocumentTemplate, Render, StagedWorkbook
from waypoint.indicators import permissions as indicator_permissions
from waypoint.org.access import Access
from waypoint.org.models import OrgUnit
from waypoint.plans import permissions as plan_permissions
from waypoint.plans.models import Plan
from waypoint.plans.selectors import plans_for


@dataclass(frozen=True)
class ActualsUnits:
    """What the actuals template offers a person to download for: the units they may report
    for, whether the administration's own figures are among them, and where to start."""

    units: QuerySet[OrgUnit]
    #: the indicators reported for the whole administration: a planner, or a contributor who
    #: owns one of them
    whole: bool
    #: the person's own unit (a contributor's), ``None`` for the whole administration
    default: OrgUnit | None


def actuals_units(user: Any, plan: Plan) -> ActualsUnits:
    """The units ``user`` may download the plan's actuals template for (``actuals_template``
    refuses the others): all of the administration's for a planner, starting with the whole
    administration; a contributor's own units and those below them, starting with their own."""
    administration = plan.administration
    inside = OrgUnit.objects.filter(path__startswith=administration.path).order_by("path")
    access = Access.of(user)
    if access.is_planner(administration.path):
        return ActualsUnits(inside, True, None)
    own = sorted((path for path in access.contributor_paths() if path.startswith(administration.path)), key=len)
    units = inside.filter(pk__in=[u.pk for u in inside if any(u.path.startswith(p) for p in own)])
    whole = any(
        indicator_permissions.can_record_actual(user, indicator, None)
        for indicator in plan.indicators.select_related("plan__administration", "owner_unit")
        if not indicator.by_unit
    )
    default = units.filter(path=own[0]).first() if own else None
    return ActualsUnits(units, whole, default)


def renders_of(plan: Plan) -> QuerySet[Render]:
    return Render.objects.filter(plan=plan).select_related("requested_by").order_by("-created_at", "-pk")


def render_for(user: Any, render_id: int) -> Render:
    """A stored document of a plan the user may read.

    Raises:
        NotFound: no such document, or one of a plan the user cannot read (the same answer).
    """
    render = Render.objects.select_related("plan", "plan__administration").filter(pk=render_id).first()
    if render is None or not plan_permissions.can_view_plan(user, render.plan):
        raise NotFound(_not_found())
    return render


def staged_for(user: Any, staged_id: int) -> StagedWorkbook:
    """A workbook this user uploaded and has not imported yet.

    Raises:
        NotFound: no such upload, or somebody else's.
    """
    staged = StagedWorkbook.objects.filter(pk=staged_id, uploaded_by_id=getattr(user, "pk", None)).first()
    if staged is None:
        raise NotFound(_not_found())
    return staged


def template_of(plan: Plan) -> DocumentTemplate | None:
    return DocumentTemplate.objects.filter(administration=plan.administration).first()


def readable_plans(user: Any) -> QuerySet[Plan]:
    return plans_for(user)


def _not_found() -> str:
    from django.utils.translation import gettext as _

    return _("No such document.")
