"""Pages of the strategic plan. Thin: read through selectors, write through services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waypoint.core.errors import InvalidInput, NotAllowed, NotFound
from waypoint.core.views import back_to, submit
from waypoint.org.access import Access, planned_administrations, request_user
from waypoint.plans import extensions, permissions, planfile, quality, selectors, services
from waypoint.plans.errors import PlanFileInvalid
from waypoint.plans.forms import (
    AnalysisItemForm,
    BudgetLineForm,
    ElementForm,
    FunctionForm,
    PlanForm,
    PlanImportForm,
    PlanStatusForm,
    RiskForm,
    TreeFilterForm,
)
from waypoint.plans.models import (
    CHILD_KIND,
    KIND_PLURAL,
    AnalysisFramework,
    AnalysisItem,
    BudgetLine,
    ElementKind,
    Plan,
    PlanElement,
    PlanFunction,
    PlanStatus,
    Risk,
    RuleSeverity,
)


def _editable_element_ids(request: HttpRequest, plan: Plan, elements: list[PlanElement]) -> set[int]:
    """Elements the user may change, worked out without extra queries."""
    if plan.is_archived:
        return set()
    access = Access.of(request.user)
    if access.is_planner(plan.administration.path):
        return {e.pk for e in elements}
    paths = access.contributor_paths()
    return {e.pk for e in elements if any(e.responsible_unit.path.startswith(p) for p in paths)}


def _plan_context(request: HttpRequest, plan: Plan, section: str) -> dict[str, Any]:
    return {"plan": plan, "section": section, "can_edit_plan": permissions.can_edit_plan(request.user, plan)}


# --- plans ----------------------------------------------------------------------------------------


def plan_list(request: HttpRequest) -> HttpResponse:
    permissions.require(Access.of(request.user).has_any_role, _("You have no role in any administration yet."))
    plans = selectors.plans_for(request.user).annotate(
        element_count=Count("elements", distinct=True), indicator_count=Count("indicators", distinct=True)
    )
    search = request.GET.get("q", "").strip()
    if search:
        plans = plans.filter(Q(title__icontains=search) | Q(summary__icontains=search))
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        plans = plans.filter(status=status)
    sort = request.GET.get("sort", "-start_year")
    if sort.lstrip("-") not in {"start_year", "title", "status"}:
        sort = "-start_year"
    page = Paginator(plans.order_by(sort, "title"), 20).get_page(request.GET.get("page"))
    access = Access.of(request.user)
    can_create = any(access.is_planner(path) for path in access.administration_paths())
    return render(
        request,
        "plans/plan_list.html",
        {
            "page": page,
            "search": search,
            "status": status,
            "sort": sort,
            "statuses": PlanStatus.choices,
            "can_create": can_create,
        },
    )


def plan_create(request: HttpRequest) -> HttpResponse:
    administrations = planned_administrations(request.user)
    if not administrations:
        raise NotAllowed(_("Only planners can start a plan."))
    administration = administrations[0]
    visible = selectors.plans_for(request.user)
    form = PlanForm(request.POST or None, plans=visible)
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan, context = submit(
            form,
            lambda: services.plan_create(
                actor=request_user(request),
                administration=administration,
                title=data["title"],
                start_year=data["start_year"],
                end_year=data["end_year"],
                tier_template=data["tier_template"],
                vision=data["vision"],
                mission=data["mission"],
                values=data["values"],
                summary=data["summary"],
                currency=data["currency"],
                previous=data["previous"],
            ),
        )
        if plan is not None:
            messages.success(request, _("Plan created. Add its goals next."))
            return redirect("plan-tree", plan_id=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "creating": True, **context})


def plan_import(request: HttpRequest) -> HttpResponse:
    """Create a plan from a plan file. Rights before anything is read: only planners reach the
    form, and the import refuses a file of an administration the user does not plan for before
    it compares the file with stored data (the 403 page then names nothing stored)."""
    if not planned_administrations(request.user):
        raise NotAllowed(_("Only planners can import a plan."))
    form = PlanImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "problems": [], "report": None}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            context["report"] = planfile.plan_import_report(
                form.cleaned_data["file"].read(), actor=request_user(request)
            )
        except PlanFileInvalid as error:
            form.add_error(None, error.message)
            context["problems"] = error.problems
        except NotAllowed as error:
            if not error.problems:
                raise
            # units the file brings and only an administrator may add: say which, in the form
            form.add_error(None, error.message)
            context["problems"] = error.problems
            status = 403
    return render(request, "plans/plan_import.html", context, status=status)


def plan_overview(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan at a glance: statements, goals with their health, key figures."""
    plan = selectors.plan_for(request.user, plan_id)
    overview = selectors.plan_overview(plan)
    key_states = sorted(
        (s for s in overview.states.values() if s.is_key),
        key=lambda s: (s.status.score if s.status.score is not None else 2, s.number),
    )
    transitions = [
        (status, PlanStatus(status).label)
        for (old, status) in permissions.STATUS_TRANSITIONS
        if old == plan.status and permissions.can_change_status(request.user, plan, status)
    ]
    return render(
        request,
        "plans/plan_overview.html",
        {
            **_plan_context(request, plan, "overview"),
            "overview": overview,
            "counts": overview.counts(),
            "plan_health": overview.plan_health(),
            "key_states": key_states[:8],
            "transitions": transitions,
        },
    )


def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    permissions.require(permissions.can_edit_plan(request.user, plan))
    initial = {
        name: getattr(plan, name)
        for name in (
            "title",
            "start_year",
            "end_year",
            "tier_template",
            "currency",
            "vision",
            "mission",
            "values",
            "summary",
            "previous",
        )
    }
    initial["version"] = plan.version
    form = PlanForm(
        request.POST or None, initial=initial, plans=selectors.plans_for(request.user).exclude(pk=plan.pk), editing=True
    )
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {
            name: data[name]
            for name in (
                "title",
                "start_year",
                "end_year",
                "currency",
                "vision",
                "mission",
                "values",
                "summary",
                "previous",
            )
        }
        saved, context = submit(
            form,
            lambda: services.plan_update(
                actor=request_user(request), plan=plan, expected_version=data.get("version"), changes=changes
            ),
        )
        if saved is not None:
            messages.success(request, _("Plan saved."))
            return redirect("plan-overview", plan_id=plan.pk)
    return render(
        request, "plans/plan_form.html", {**_plan_context(request, plan, "overview"), "form": form, **context}
    )


@require_POST
def plan_status(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    form = PlanStatusForm(request.POST)
    if form.is_valid():
        submit(
            form,
            lambda: services.plan_set_status(
                actor=request_user(request),
                plan=plan,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            ),
        )
        if form.errors:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        else:
            messages.success(
                request, _("The plan is now %(status)s.") % {"status": PlanStatus(plan.status).label.lower()}
            )
    return redirect("plan-overview", plan_id=plan.pk)


# --- the plan tree ---------------------------------------------------------------------------------


def plan_tree(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    form = TreeFilterForm(request.GET or None, plan=plan)
    filters = selectors.TreeFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.TreeFilters(
            search=data.get("q") or "",
            unit_path=data["unit"].path if data.get("unit") else None,
            tier_id=data["tier"].pk if data.get("tier") else None,
            health=data.get("health") or None,
            status=data.get("status") or None,
        )
    overview = selectors.plan_overview(plan, filters)
    context = {
        **_plan_context(request, plan, "tree"),
        "form": form,
        "filters": filters,
        "roots": overview.roots,
        "editable": _editable_element_ids(request, plan, overview.elements),
        "can_add_goal": permissions.can_add_element(request.user, plan, None),
        "total": len(overview.elements),
        "checks": quality.element_checks(plan),
    }
    template = "plans/_tree.html" if request.htmx else "plans/plan_tree.html"  # type: ignore[attr-defined]
    return render(request, template, context)


# --- elements ----------------------------------------------------------------------------------------


def _unit_paths_for(request: HttpRequest, plan: Plan) -> list[str] | None:
    """Units a user may hand elements to: all for planners, their subtrees for contributors."""
    access = Access.of(request.user)
    if access.is_planner(plan.administration.path):
        return None
    return access.contributor_paths()


def element_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    parent: PlanElement | None = None
    parent_id = request.GET.get("parent") or request.POST.get("parent")
    if parent_id:
        parent = selectors.element_for(request.user, int(parent_id))
        if parent.plan_id != plan.pk:
            raise NotFound(_("No such plan element."))
    permissions.require(permissions.can_add_element(request.user, plan, parent))
    kind = ElementKind.GOAL if parent is None else CHILD_KIND[parent.kind]
    if kind is None:
        raise NotFound(_("Activities cannot have children."))
    initial: dict[str, Any] = {"tier": services.default_tier(plan, kind)}
    if parent is not None:
        initial.update(responsible_unit=parent.responsible_unit, starts_on=parent.starts_on, ends_on=parent.ends_on)
    form = ElementForm(
        request.POST or None, plan=plan, kind=kind, unit_paths=_unit_paths_for(request, plan), initial=initial
    )
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        element, context = submit(
            form,
            lambda: services.element_create(
                actor=request_user(request),
                plan=plan,
                parent=parent,
                title=data["title"],
                description=data["description"],
                tier=data["tier"],
                responsible_unit=data["responsible_unit"],
                lead=data["lead"],
                starts_on=data.get("starts_on"),
                ends_on=data.get("ends_on"),
                status=data.get("status") or "not_started",
                assumptions=data["assumptions"],
            ),
        )
        if element is not None:
            messages.success(request, _("%(code)s created.") % {"code": element.code})
            return redirect("element-detail", element_id=element.pk)
    return render(
        request,
        "plans/element_form.html",
        {
            **_plan_context(request, plan, "tree"),
            "form": form,
            "parent": parent,
            "kind": ElementKind(kind),
            "creating": True,
            **context,
        },
    )


def element_detail(request: HttpRequest, element_id: int) -> HttpResponse:
    element = selectors.element_for(request.user, element_id)
    plan = element.plan
    children = list(element.children.select_related("responsible_unit", "tier").order_by("position", "number"))
    descendants = services.element_descendants(element)
    all_states = extensions.measures_of(plan, [element, *descendants])
    health = selectors.element_health([element, *descendants], all_states)
    budget = selectors.budget_rollup(plan, [element, *descendants])
    lines = list(element.budget_lines.select_related("funding_source").order_by("year", "funding_source__name"))
    can_edit = permissions.can_edit_element(request.user, element)
    return render(
        request,
        "plans/element_detail.html",
        {
            **_plan_context(request, plan, "tree"),
            "element": element,
            "ancestors": selectors.element_ancestors(element),
            "children": children,
            "states": [s for s in all_states.values() if s.element_id == element.pk],
            "health": health,
            "budget_total": budget.total.get(element.pk, {}),
            "budget_sum": budget.total_of(element.pk),
            "lines": lines,
            "risks": list(element.risks.all()),
            "can_edit": can_edit,
            "can_add_child": element.child_kind is not None
            and permissions.can_add_element(request.user, plan, element),
            "child_kind": ElementKind(element.child_kind) if element.child_kind else None,
            "children_label": KIND_PLURAL[element.child_kind] if element.child_kind else "",
            "analysis_items": list(element.analysis_items.all()) if element.kind == ElementKind.OBJECTIVE else [],
            "functions": list(element.functions.all()) if element.kind == ElementKind.OBJECTIVE else [],
            "years": plan.years,
        },
    )


def element_edit(request: HttpRequest, element_id: int) -> HttpResponse:
    element = selectors.element_for(request.user, element_id)
    plan = element.plan
    permissions.require(
        permissions.can_edit_element(request.user, element), _("This element belongs to a unit outside yours.")
    )
    initial = {name: getattr(element, name) for name in services.ELEMENT_FIELDS}
    initial["version"] = element.version
    form = ElementForm(
        request.POST or None, plan=plan, kind=element.kind, unit_paths=_unit_paths_for(request, plan), initial=initial
    )
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in services.ELEMENT_FIELDS if name in form.fields}
        saved, context = submit(
            form,
            lambda: services.element_update(
                actor=request_user(request), element=element, expected_version=data.get("version"), changes=changes
            ),
        )
        if saved is not None:
            messages.success(request, _("%(code)s saved.") % {"code": element.code})
            return redirect("element-detail", element_id=element.pk)
    return render(
        request,
        "plans/element_form.html",
        {
            **_plan_context(request, plan, "tree"),
            "form": form,
            "element": element,
            "kind": ElementKind(element.kind),
            **context,
        },
    )


def element_delete(request: HttpRequest, element_id: int) -> HttpResponse:
    element = selectors.element_for(request.user, element_id)
    descendants = services.element_descendants(element)
    paths = [element.responsible_unit.path] + [d.responsible_unit.path for d in descendants]
    permissions.require(
        permissions.can_delete_element(request.user, element, paths),
        _("Part of this subtree belongs to units outside yours."),
    )
    if request.method == "POST":
        plan_id = element.plan_id
        removed = services.element_delete(actor=request_user(request), element=element)
        messages.success(
            request,
            _("%(label)s deleted with %(n)d elements below it.")
            % {"label": element.code, "n": sum(v for k, v in removed.items() if k != "indicator") - 1},
        )
        return redirect("plan-tree", plan_id=plan_id)

    counts: dict[str, int] = {}
    for item in descendants:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    indicators = extensions.removed_with([element, *descendants]).get("indicator", 0)
    return render(
        request,
        "plans/element_delete.html",
        {
            **_plan_context(request, element.plan, "tree"),
            "element": element,
            "counts": counts,
            "indicators": indicators,
        },
    )


@require_POST
def element_move(request: HttpRequest, element_id: int) -> HttpResponse:
    element = selectors.element_for(request.user, element_id)
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.element_move(actor=request_user(request), element=element, offset=offset)
    if request.htmx:  # type: ignore[attr-defined]
        return plan_tree(request, element.plan_id)
    return redirect(
        back_to(request, request.POST.get("next"), reverse("plan-tree", kwargs={"plan_id": element.plan_id}))
    )


# --- risks and budget lines ----------------------------------------------------------------------------


def risk_edit(request: HttpRequest, element_id: int, risk_id: int | None = None) -> HttpResponse:
    element = selectors.element_for(request.user, element_id)
    permissions.require(permissions.can_edit_element(request.user, element))
    risk = get_object_or_404(Risk, pk=risk_id, element=element) if risk_id else None
    initial = {name: getattr(risk, name) for name in services.RISK_FIELDS} if risk else {"likelihood": 3, "impact": 3}
    form = RiskForm(request.POST or None, initial=initial)
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        saved, context = submit(
            form,
            lambda: services.risk_save(actor=request_user(request), element=element, risk=risk, **form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, _("Risk saved."))
            return redirect(reverse("element-detail", kwargs={"element_id": element.pk}) + "#risks")
    return render(
        request,
        "plans/risk_form.html",
        {**_plan_context(request, element.plan, "tree"), "form": form, "element": element, "risk": risk, **context},
    )


def risk_delete(request: HttpRequest, element_id: int, risk_id: int) -> HttpResponse:
    element = selectors.element_for(request.user, element_id)
    risk = get_object_or_404(Risk, pk=risk_id, element=element)
    permissions.require(permissions.can_edit_element(request.user, element))
    if request.method == "POST":
        services.risk_delete(actor=request_user(request), risk=risk)
        messages.success(request, _("Risk removed."))
        return redirect(reverse("element-detail", kwargs={"element_id": element.pk}) + "#risks")
    return render(
        request,
        "core/confirm_delete.html",
        {
            **_plan_context(request, element.plan, "tree"),
            "what": _("the risk “%(r)s”") % {"r": risk},
            "cancel": reverse("element-detail", kwargs={"element_id": element.pk}),
        },
    )


def budget_line_edit(request: HttpRequest, element_id: int, line_id: int | None = None) -> HttpResponse:
    element = selectors.element_for(request.user, element_id)
    plan = element.plan
    permissions.require(permissions.can_edit_element(request.user, element))
    line = get_object_or_404(BudgetLine, pk=line_id, element=element) if line_id else None
    initial: dict[str, Any] = (
        {"year": line.year, "funding_source": line.funding_source, "amount": line.amount, "note": line.note}
        if line
        else {}
    )
    form = BudgetLineForm(request.POST or None, plan=plan, initial=initial)
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, context = submit(
            form,
            lambda: services.budget_line_save(
                actor=request_user(request),
                element=element,
                year=data["year"],
                funding_source=data["funding_source"],
                amount=data["amount"],
                note=data["note"],
                line=line,
            ),
        )
        if saved is not None:
            messages.success(request, _("Budget line saved."))
            return redirect(reverse("element-detail", kwargs={"element_id": element.pk}) + "#budget")
    return render(
        request,
        "plans/budget_line_form.html",
        {**_plan_context(request, plan, "tree"), "form": form, "element": element, "line": line, **context},
    )


def budget_line_delete(request: HttpRequest, element_id: int, line_id: int) -> HttpResponse:
    element = selectors.element_for(request.user, element_id)
    line = get_object_or_404(BudgetLine, pk=line_id, element=element)
    permissions.require(permissions.can_edit_element(request.user, element))
    if request.method == "POST":
        services.budget_line_delete(actor=request_user(request), line=line)
        messages.success(request, _("Budget line removed."))
        return redirect(reverse("element-detail", kwargs={"element_id": element.pk}) + "#budget")
    return render(
        request,
        "core/confirm_delete.html",
        {
            **_plan_context(request, element.plan, "tree"),
            "what": _("the %(year)d budget line from %(source)s") % {"year": line.year, "source": line.funding_source},
            "cancel": reverse("element-detail", kwargs={"element_id": element.pk}),
        },
    )


# --- logframe, analysis, functions, budget ------------------------------------------------------------


def logframe(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    depth = request.GET.get("depth", "3")
    max_depth = int(depth) if depth in {"1", "2", "3", "4"} else 3
    rows = [row for row in selectors.logframe_rows(plan) if row["depth"] < max_depth]
    return render(
        request, "plans/logframe.html", {**_plan_context(request, plan, "logframe"), "rows": rows, "depth": max_depth}
    )


def analysis_board(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    framework = request.GET.get("framework", AnalysisFramework.SWOT)
    if framework not in AnalysisFramework.values:
        framework = AnalysisFramework.SWOT
    return render(
        request,
        "plans/analysis_board.html",
        {
            **_plan_context(request, plan, "analysis"),
            "framework": framework,
            "frameworks": AnalysisFramework.choices,
            "columns": selectors.analysis_board(plan, framework),
        },
    )


def analysis_item_edit(request: HttpRequest, plan_id: int, item_id: int | None = None) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
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
    form = AnalysisItemForm(request.POST or None, plan=plan, initial=initial)
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, context = submit(
            form,
            lambda: services.analysis_item_save(
                actor=request_user(request),
                plan=plan,
                framework=data["framework"],
                category=data["category"],
                text=data["text"],
                objectives=data["objectives"],
                item=item,
            ),
        )
        if saved is not None:
            messages.success(request, _("Item saved."))
            return redirect(reverse("analysis-board", kwargs={"plan_id": plan.pk}) + f"?framework={saved.framework}")
    return render(
        request,
        "plans/analysis_item_form.html",
        {**_plan_context(request, plan, "analysis"), "form": form, "item": item, **context},
    )


def analysis_item_delete(request: HttpRequest, plan_id: int, item_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    item = get_object_or_404(AnalysisItem, pk=item_id, plan=plan)
    permissions.require(permissions.can_edit_plan(request.user, plan))
    back = reverse("analysis-board", kwargs={"plan_id": plan.pk}) + f"?framework={item.framework}"
    if request.method == "POST":
        services.analysis_item_delete(actor=request_user(request), item=item)
        messages.success(request, _("Item removed."))
        return redirect(back)
    return render(
        request,
        "core/confirm_delete.html",
        {**_plan_context(request, plan, "analysis"), "what": f"“{item.text[:80]}”", "cancel": back},
    )


def functions_matrix(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    functions, goals, links = selectors.functions_matrix(plan)
    objectives = [objective for _goal, objs in goals for objective in objs]
    rows = [
        {
            "function": function,
            "cells": [(objective, (function.pk, objective.pk) in links) for objective in objectives],
            "count": sum(1 for objective in objectives if (function.pk, objective.pk) in links),
        }
        for function in functions
    ]
    return render(
        request,
        "plans/functions_matrix.html",
        {**_plan_context(request, plan, "functions"), "functions": functions, "goals": goals, "rows": rows},
    )


def function_edit(request: HttpRequest, plan_id: int, function_id: int | None = None) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
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
    form = FunctionForm(request.POST or None, plan=plan, initial=initial)
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, context = submit(
            form,
            lambda: services.function_save(
                actor=request_user(request),
                plan=plan,
                name=data["name"],
                priority=data["priority"],
                description=data["description"],
                objectives=data["objectives"],
                function=function,
            ),
        )
        if saved is not None:
            messages.success(request, _("Function saved."))
            return redirect("functions-matrix", plan_id=plan.pk)
    return render(
        request,
        "plans/function_form.html",
        {**_plan_context(request, plan, "functions"), "form": form, "function": function, **context},
    )


def function_delete(request: HttpRequest, plan_id: int, function_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    function = get_object_or_404(PlanFunction, pk=function_id, plan=plan)
    permissions.require(permissions.can_edit_plan(request.user, plan))
    back = reverse("functions-matrix", kwargs={"plan_id": plan.pk})
    if request.method == "POST":
        services.function_delete(actor=request_user(request), function=function)
        messages.success(request, _("Function removed."))
        return redirect(back)
    return render(
        request,
        "core/confirm_delete.html",
        {
            **_plan_context(request, plan, "functions"),
            "what": _("the function “%(f)s”") % {"f": function.name},
            "cancel": back,
        },
    )


@require_POST
def function_toggle(request: HttpRequest, plan_id: int, function_id: int, objective_id: int) -> HttpResponse:
    """One cell of the functions matrix, ticked or unticked in place (htmx)."""
    plan = selectors.plan_for(request.user, plan_id)
    function = get_object_or_404(PlanFunction, pk=function_id, plan=plan)
    objective = get_object_or_404(PlanElement, pk=objective_id, plan=plan, kind=ElementKind.OBJECTIVE)
    linked = request.POST.get("linked") == "1"
    services.function_link(actor=request_user(request), function=function, objective=objective, linked=linked)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "plans/_function_cell.html",
            {"plan": plan, "function": function, "objective": objective, "linked": linked, "can_edit_plan": True},
        )
    return redirect("functions-matrix", plan_id=plan.pk)


def budget_summary(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Money per goal and year, and per funding source: what the plan costs and who pays."""
    plan = selectors.plan_for(request.user, plan_id)
    overview = selectors.plan_overview(plan)
    years = plan.years
    rows: list[dict[str, Any]] = []
    for node in overview.roots:
        per_year = overview.budget.total.get(node.element.pk, {})
        rows.append(
            {
                "node": node,
                "years": [per_year.get(y, Decimal(0)) for y in years],
                "total": sum(per_year.values(), Decimal(0)),
            }
        )
        for child in node.children:
            child_years = overview.budget.total.get(child.element.pk, {})
            rows.append(
                {
                    "node": child,
                    "years": [child_years.get(y, Decimal(0)) for y in years],
                    "total": sum(child_years.values(), Decimal(0)),
                    "child": True,
                }
            )
    totals = [sum((r["years"][i] for r in rows if not r.get("child")), Decimal(0)) for i in range(len(years))]
    sources: dict[str, dict[str, Any]] = {}
    for row in selectors.budget_by_source(plan):
        entry = sources.setdefault(
            row["funding_source__name"],
            {
                "name": row["funding_source__name"],
                "kind": row["funding_source__kind"],
                "years": {y: Decimal(0) for y in years},
            },
        )
        entry["years"][row["year"]] = row["amount"]
    source_rows = [
        {**s, "values": [s["years"][y] for y in years], "total": sum(s["years"].values(), Decimal(0))}
        for s in sources.values()
    ]
    return render(
        request,
        "plans/budget_summary.html",
        {
            **_plan_context(request, plan, "budget"),
            "years": years,
            "rows": rows,
            "totals": totals,
            "grand_total": sum(totals, Decimal(0)),
            "source_rows": source_rows,
        },
    )


# --- plan health (quality checks) -----------------------------------------------------------------


def plan_health(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    page = quality.quality_page(plan)
    return render(
        request,
        "plans/plan_health.html",
        {
            **_plan_context(request, plan, "health"),
            "page": page,
            "rules": quality.rule_catalogue(plan),
            "severities": RuleSeverity.choices,
        },
    )


@require_POST
def plan_health_rule(request: HttpRequest, plan_id: int, rule: str) -> HttpResponse:
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
