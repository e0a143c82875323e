"""The plan's budget: money per goal and year, and per funding source."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from waypoint.plans import selectors
from waypoint.plans.views.common import plan_context


def budget_summary(request: HttpRequest, plan_id: int) -> HttpResponse:
    """What the plan costs and who pays."""
    plan = selectors.plan_for(request.user, plan_id)
    summary = selectors.budget_summary(plan)
    return render(
        request,
        "plans/budget_summary.html",
        {
            **plan_context(request, plan, "budget"),
            "years": summary.years,
            "rows": summary.rows,
            "totals": summary.totals,
            "grand_total": summary.grand_total,
            "source_rows": summary.sources,
        },
    )
