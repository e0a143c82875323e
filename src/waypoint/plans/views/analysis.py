"""The plan's analysis (the SWOT/PESTLE board) and its functions matrix, with their forms."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waypoint.core.views import HtmxRequest, confirm_delete, form_page
from waypoint.org.access import request_user
from waypoint.plans import extensions, permissions, selectors, services
from waypoint.plans.forms import AnalysisItemForm, FunctionForm
from waypoint.plans.models import AnalysisFramework, AnalysisItem, ElementKind, Plan, PlanElement, PlanFunction
from waypoint.plans.views.common import plan_context


def _board(plan: Plan, framework: str) -> str:
    return reverse("analysis-board", kwargs={"plan_id": plan.pk}) + f"?framework={framework}"


def analysis_board(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    framework = request.GET.get("framework", AnalysisFramework.SWOT)
    if framework not in AnalysisFramework.values:
        framework = AnalysisFramework.SWOT
    every = extensions.origins_of(plan, "analysis_item")
    columns, origins = [], {}
    for category, label, items in selectors.analysis_board(plan, framework):
        shared, own = extensions.shared_origins([i.pk for i in items], every)
        columns.append((category, label, items, shared))
        origins.update(own)
    return render(
        request,
        "plans/analysis_board.html",
        {
            **plan_context(request, plan, "analysis"),
            "framework": framework,
            "frameworks": AnalysisFramework.choices,
            "columns": columns,
            "origins": origins,
        },
    )


def analysis_item_edit(request: HttpRequest, plan_id: int, item_id: int | None = None) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    permissions.require_unlocked(plan)
    permissions.require(permissions.can_edit_plan(request.user, plan))
    item = get_object_or_404(AnalysisItem, pk=item_id, plan=plan) if item_id else None
    if item is not None:
        initial: dict[str, Any] = {
            "framework": item.framework,
            "category": item.category,
            "text": item.text,
            "objectives": list(item.objectives.all()),
        }
    else:
        initial = {
            "framework": request.GET.get("framework", "swot"),
            "category": request.GET.get("category", "strength"),
        }
    return form_page(
        request,
        AnalysisItemForm(request.POST or None, plan=plan, initial=initial),
        save=lambda data: services.analysis_item_save(
            actor=request_user(request),
            plan=plan,
            framework=data["framework"],
            category=data["category"],
            text=data["text"],
            objectives=data["objectives"],
            item=item,
        ),
        message=_("Item saved."),
        then=lambda saved: _board(plan, saved.framework),
        template="plans/analysis_item_form.html",
        context={**plan_context(request, plan, "analysis"), "item": item},
    )


def analysis_item_delete(request: HttpRequest, plan_id: int, item_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    item = get_object_or_404(AnalysisItem, pk=item_id, plan=plan)
    permissions.require_unlocked(plan)
    permissions.require(permissions.can_edit_plan(request.user, plan))
    back = _board(plan, item.framework)
    return confirm_delete(
        request,
        delete=lambda: services.analysis_item_delete(actor=request_user(request), item=item),
        message=_("Item removed."),
        then=back,
        cancel=back,
        what=f"“{item.text[:80]}”",
        context=plan_context(request, plan, "analysis"),
    )


def functions_matrix(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    matrix = selectors.functions_matrix(plan)
    return render(
        request,
        "plans/functions_matrix.html",
        {
            **plan_context(request, plan, "functions"),
            "functions": matrix.functions,
            "goals": matrix.goals,
            "rows": matrix.rows,
            "panels": extensions.plan_panels(request.user, plan, "functions"),
            "origins": extensions.origins_of(plan, "function"),
        },
    )


def function_edit(request: HttpRequest, plan_id: int, function_id: int | None = None) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    permissions.require_unlocked(plan)
    permissions.require(permissions.can_edit_plan(request.user, plan))
    function = get_object_or_404(PlanFunction, pk=function_id, plan=plan) if function_id else None
    initial: dict[str, Any] = (
        {
            "name": function.name,
            "priority": function.priority,
            "description": function.description,
            "objectives": list(function.objectives.all()),
        }
        if function
        else {"priority": "medium"}
    )
    return form_page(
        request,
        FunctionForm(request.POST or None, plan=plan, initial=initial),
        save=lambda data: services.function_save(
            actor=request_user(request),
            plan=plan,
            name=data["name"],
            priority=data["priority"],
            description=data["description"],
            objectives=data["objectives"],
            function=function,
        ),
        message=_("Function saved."),
        then=reverse("functions-matrix", kwargs={"plan_id": plan.pk}),
        template="plans/function_form.html",
        context={**plan_context(request, plan, "functions"), "function": function},
    )


def function_delete(request: HttpRequest, plan_id: int, function_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    function = get_object_or_404(PlanFunction, pk=function_id, plan=plan)
    permissions.require_unlocked(plan)
    permissions.require(permissions.can_edit_plan(request.user, plan))
    back = reverse("functions-matrix", kwargs={"plan_id": plan.pk})
    return confirm_delete(
        request,
        delete=lambda: services.function_delete(actor=request_user(request), function=function),
        message=_("Function removed."),
        then=back,
        cancel=back,
        what=_("the function “%(f)s”") % {"f": function.name},
        context=plan_context(request, plan, "functions"),
    )


@require_POST
def function_toggle(request: HtmxRequest, plan_id: int, function_id: int, objective_id: int) -> HttpResponse:
    """One cell of the functions matrix, ticked or unticked in place (htmx)."""
    plan = selectors.plan_for(request.user, plan_id)
    function = get_object_or_404(PlanFunction, pk=function_id, plan=plan)
    objective = get_object_or_404(PlanElement, pk=objective_id, plan=plan, kind=ElementKind.OBJECTIVE)
    linked = request.POST.get("linked") == "1"
    services.function_link(actor=request_user(request), function=function, objective=objective, linked=linked)
    if request.htmx:
        return render(
            request,
            "plans/_function_cell.html",
            {"plan": plan, "function": function, "objective": objective, "linked": linked, "can_edit_plan": True},
        )
    return redirect("functions-matrix", plan_id=plan.pk)
