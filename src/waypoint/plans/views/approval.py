"""The plan's Approval page: submit, decide, amend; the versions each of them stored, one
version's file, and what changed between two versions."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from waypoint.core.errors import NotFound
from waypoint.engine.plandiff import ChangeKind, Subject
from waypoint.plans import selectors
from waypoint.plans.views.common import plan_context


def plan_approval(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    return render(
        request,
        "plans/plan_approval.html",
        {**plan_context(request, plan, "approval"), **selectors.approval_page(request.user, plan)},
    )


def _number(text: str | None, default: int) -> int:
    try:
        return int(text) if text not in (None, "") else default
    except ValueError as error:
        raise NotFound(_("No such version.")) from error


def version_compare(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Two versions side by side (``?old=2&new=4``; ``new=0``, the default, is the plan now)."""
    plan = selectors.plan_for(request.user, plan_id)
    versions = selectors.plan_versions(plan)
    if not versions:
        raise NotFound(_("This plan has no stored version yet: one is kept at each submission and decision."))
    old = _number(request.GET.get("old"), versions[-1].number)
    new = _number(request.GET.get("new"), 0)
    diff = selectors.version_compare(plan, old, new)
    groups = [(subject, diff.by_subject(subject)) for subject in Subject if diff.by_subject(subject)]
    return render(
        request,
        "plans/version_compare.html",
        {
            **plan_context(request, plan, "approval"),
            "versions": versions,
            "old": old,
            "new": new,
            "diff": diff,
            "groups": groups,
            "kinds": ChangeKind,
        },
    )


def version_file(request: HttpRequest, plan_id: int, number: int) -> HttpResponse:
    """One stored version as the plan file it was (for ``waypoint plan diff``)."""
    plan = selectors.plan_for(request.user, plan_id)
    version = selectors.version_for(plan, number)
    response = HttpResponse(
        json.dumps(version.document, ensure_ascii=False, indent=2) + "\n", content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}-v{version.number}.json"'
    return response
