"""The plan's Health page: its quality findings, and the settings of each rule."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waypoint.core.errors import InvalidInput
from waypoint.org.access import request_user
from waypoint.plans import permissions, quality, selectors
from waypoint.plans.models import RuleSeverity
from waypoint.plans.views.common import plan_context

#: subjects (elements, indicators, recommendations) listed per severity before "show all"
SUBJECTS_SHOWN = 40


def plan_health(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    return render(
        request,
        "plans/plan_health.html",
        {
            **plan_context(request, plan, "health"),
            # the rule settings say how the plan is checked, not what it commits to: they stay
            # open on an approved plan
            "can_edit_plan": permissions.can_edit_plan(request.user, plan),
            "page": quality.quality_page(
                plan,
                request.user,
                element=request.GET.get("element", "").strip()[:40],
                limit=None if request.GET.get("all") else SUBJECTS_SHOWN,
            ),
            "rules": quality.rule_catalogue(plan),
            "severities": RuleSeverity.choices,
        },
    )


def plan_health_summary(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The overview's count of findings, asked for after the overview has shown when the
    findings kept are not current (computing them reads the whole plan)."""
    plan = selectors.plan_for(request.user, plan_id)
    return render(request, "plans/_quality_summary.html", {"plan": plan, "quality": quality.counts(plan)})


@require_POST
def plan_health_rule(request: HttpRequest, plan_id: int, rule: str) -> HttpResponse:
    """One rule's row on the Health page (no page of its own: a refusal comes back as a message)."""
    plan = selectors.plan_for(request.user, plan_id)
    try:
        quality.quality_rule_set(
            actor=request_user(request),
            plan=plan,
            rule=rule,
            enabled=request.POST.get("enabled") == "on",
            severity=request.POST.get("severity", ""),
            reason=request.POST.get("reason", ""),
        )
    except InvalidInput as error:
        messages.error(request, f"{rule}: {error.message}")
    else:
        messages.success(request, _("Saved the setting of rule %(r)s.") % {"r": rule})
    return redirect(reverse("plan-health", args=[plan.pk]) + f"#rule-{rule}")
