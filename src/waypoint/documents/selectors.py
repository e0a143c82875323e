"""Reads of the documents app."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from waypoint.core.errors import NotFound
from waypoint.documents.models import DocumentTemplate, Render, StagedWorkbook
from waypoint.plans import permissions as plan_permissions
from waypoint.plans.models import Plan
from waypoint.plans.selectors import plans_for


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
