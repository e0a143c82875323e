"""An element's pages: its page, its form and deletion, moving it; its risks and budget lines."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from waypoint.core.errors import NotFound
from waypoint.core.views import HtmxRequest, back_to, confirm_delete, form_page
from waypoint.org.access import request_user
from waypoint.plans import extensions, permissions, selectors, services
from waypoint.plans.forms import BudgetLineForm, ElementForm, RiskForm
from waypoint.plans.models import CHILD_KIND, KIND_PLURAL, BudgetLine, ElementKind, PlanElement, PlanStatus, Risk
from waypoint.plans.views.common import plan_context, unit_paths_for
from waypoint.plans.views.plan import plan_tree


def _element_url(element: PlanElement, anchor: str = "") -> str:
    return reverse("element-detail", kwargs={"element_id": element.pk}) + anchor


def element_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    parent: PlanElement | None = None
    parent_id = request.GET.get("parent") or request.POST.get("parent")
    if parent_id:
        parent = selectors.element_for(request.user, int(parent_id))
        if parent.plan_id != plan.pk:
            raise NotFound(_("No such plan element."))
    permissions.require_unlocked(plan)
    permissions.require(permissions.can_add_element(request.user, plan, parent))
    kind = ElementKind.GOAL if parent is None else CHILD_KIND[parent.kind]
    if kind is None:
        raise NotFound(_("Activities cannot have children."))
    initial: dict[str, Any] = {"tier": services.default_tier(plan, kind)}
    if parent is not None:
        initial.update(responsible_unit=parent.responsible_unit, starts_on=parent.starts_on, ends_on=parent.ends_on)
    form = ElementForm(
        request.POST or None, plan=plan, kind=kind, unit_paths=unit_paths_for(request, plan), initial=initial
    )
    return form_page(
        request,
        form,
        save=lambda data: services.element_create(
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
            translations=form.translations(),
        ),
        message=lambda element: _("%(code)s created.") % {"code": element.code},
        then=_element_url,
        template="plans/element_form.html",
        context={**plan_context(request, plan, "tree"), "parent": parent, "kind": ElementKind(kind), "creating": True},
    )


def element_detail(request: HttpRequest, element_id: int) -> HttpResponse:
    element = selectors.element_for(request.user, element_id)
    plan = element.plan
    page = selectors.element_page(element)
    return render(
        request,
        "plans/element_detail.html",
        {
            **plan_context(request, plan, "tree"),
            "element": element,
            "ancestors": selectors.element_ancestors(element),
            "children": page.children,
            "states": page.states,
            "health": page.health,
            "budget_total": page.budget_total,
            "budget_sum": page.budget_sum,
            "lines": page.lines,
            "risks": page.risks,
            "can_edit": not permissions.is_locked(plan) and permissions.can_edit_element(request.user, element),
            # on a submitted or approved plan only the implementation status changes
            "can_set_status": element.is_dated
            and plan.status in (PlanStatus.UNDER_REVIEW, PlanStatus.APPROVED)
            and permissions.can_edit_element(request.user, element),
            "can_add_child": element.child_kind is not None
            and not permissions.is_locked(plan)
            and permissions.can_add_element(request.user, plan, element),
            "notes": extensions.element_notes(element),
            "child_kind": ElementKind(element.child_kind) if element.child_kind else None,
            "children_label": KIND_PLURAL[element.child_kind] if element.child_kind else "",
            "analysis_items": page.analysis_items,
            "functions": page.functions,
            "years": plan.years,
            "overdue": extensions.overdue_of(plan, element, timezone.localdate()),
            "panels": extensions.element_panels(request.user, element),
        },
    )


def element_edit(request: HttpRequest, element_id: int) -> HttpResponse:
    element = selectors.element_for(request.user, element_id)
    plan = element.plan
    # a submitted or approved plan keeps its content; how the work goes (the implementation
    # status of initiatives and activities) is still recorded here
    status_only = permissions.is_locked(plan)
    if status_only and (not element.is_dated or plan.is_archived):
        permissions.require_unlocked(plan)
    permissions.require(
        permissions.can_edit_element(request.user, element), _("This element belongs to a unit outside yours.")
    )
    initial = {name: getattr(element, name) for name in services.ELEMENT_FIELDS} | {"version": element.version}
    form = ElementForm(
        request.POST or None,
        plan=plan,
        kind=element.kind,
        unit_paths=unit_paths_for(request, plan),
        initial=initial,
        element=element,
        status_only=status_only,
    )
    return form_page(
        request,
        form,
        save=lambda data: services.element_update(
            actor=request_user(request),
            element=element,
            expected_version=data.get("version"),
            changes={name: data[name] for name in services.ELEMENT_FIELDS if name in form.fields}
            # a status-only form has no translation fields: the texts are not this form's to change
            | ({} if status_only else {"translations": form.translations()}),
        ),
        message=_("%(code)s saved.") % {"code": element.code},
        then=_element_url(element),
        template="plans/element_form.html",
        context={
            **plan_context(request, plan, "tree"),
            "element": element,
            "kind": ElementKind(element.kind),
            "status_only": status_only,
        },
    )


def _deleted_message(code: str, removed: dict[str, int]) -> str:
    below = sum(v for k, v in removed.items() if k != "indicator") - 1
    return ngettext(
        "%(label)s deleted with %(n)d element below it.", "%(label)s deleted with %(n)d elements below it.", below
    ) % {"label": code, "n": below}


def element_delete(request: HttpRequest, element_id: int) -> HttpResponse:
    element = selectors.element_for(request.user, element_id)
    deletion = selectors.element_deletion(element)
    permissions.require_unlocked(element.plan)
    permissions.require(
        permissions.can_delete_element(request.user, element, deletion.unit_paths),
        _("Part of this subtree belongs to units outside yours."),
    )
    return confirm_delete(
        request,
        delete=lambda: services.element_delete(actor=request_user(request), element=element),
        message=lambda removed: _deleted_message(element.code, removed),
        then=reverse("plan-tree", kwargs={"plan_id": element.plan_id}),
        cancel=_element_url(element),
        template="plans/element_delete.html",
        context={
            **plan_context(request, element.plan, "tree"),
            "element": element,
            "counts": deletion.counts,
            "indicators": deletion.indicators,
        },
    )


@require_POST
def element_move(request: HtmxRequest, element_id: int) -> HttpResponse:
    element = selectors.element_for(request.user, element_id)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.element_move(actor=request_user(request), element=element, offset=-1 if direction == "up" else 1)
    if request.htmx:  # the tree again, with the filters and page of its URL (the form posts to it)
        return plan_tree(request, element.plan_id, moved=(element, direction))
    return redirect(
        back_to(request, request.POST.get("next"), reverse("plan-tree", kwargs={"plan_id": element.plan_id}))
    )


# --- risks and budget lines ----------------------------------------------------------------------------


def risk_edit(request: HttpRequest, element_id: int, risk_id: int | None = None) -> HttpResponse:
    element = selectors.element_for(request.user, element_id)
    permissions.require_unlocked(element.plan)
    permissions.require(permissions.can_edit_element(request.user, element))
    risk = get_object_or_404(Risk, pk=risk_id, element=element) if risk_id else None
    initial = {name: getattr(risk, name) for name in services.RISK_FIELDS} if risk else {"likelihood": 3, "impact": 3}
    return form_page(
        request,
        RiskForm(request.POST or None, initial=initial),
        save=lambda data: services.risk_save(actor=request_user(request), element=element, risk=risk, **data),
        message=_("Risk saved."),
        then=_element_url(element, "#risks"),
        template="plans/risk_form.html",
        context={**plan_context(request, element.plan, "tree"), "element": element, "risk": risk},
    )


def risk_delete(request: HttpRequest, element_id: int, risk_id: int) -> HttpResponse:
    element = selectors.element_for(request.user, element_id)
    risk = get_object_or_404(Risk, pk=risk_id, element=element)
    permissions.require_unlocked(element.plan)
    permissions.require(permissions.can_edit_element(request.user, element))
    return confirm_delete(
        request,
        delete=lambda: services.risk_delete(actor=request_user(request), risk=risk),
        message=_("Risk removed."),
        then=_element_url(element, "#risks"),
        cancel=_element_url(element),
        what=_("the risk “%(r)s”") % {"r": risk},
        context=plan_context(request, element.plan, "tree"),
    )


def budget_line_edit(request: HttpRequest, element_id: int, line_id: int | None = None) -> HttpResponse:
    element = selectors.element_for(request.user, element_id)
    plan = element.plan
    permissions.require_unlocked(plan)
    permissions.require(permissions.can_edit_element(request.user, element))
    line = get_object_or_404(BudgetLine, pk=line_id, element=element) if line_id else None
    initial: dict[str, Any] = (
        {"year": line.year, "funding_source": line.funding_source, "amount": line.amount, "note": line.note}
        if line
        else {}
    )
    return form_page(
        request,
        BudgetLineForm(request.POST or None, plan=plan, initial=initial),
        save=lambda data: services.budget_line_save(
            actor=request_user(request),
            element=element,
            year=data["year"],
            funding_source=data["funding_source"],
            amount=data["amount"],
            note=data["note"],
            line=line,
        ),
        message=_("Budget line saved."),
        then=_element_url(element, "#budget"),
        template="plans/budget_line_form.html",
        context={**plan_context(request, plan, "tree"), "element": element, "line": line},
    )


def budget_line_delete(request: HttpRequest, element_id: int, line_id: int) -> HttpResponse:
    element = selectors.element_for(request.user, element_id)
    line = get_object_or_404(BudgetLine, pk=line_id, element=element)
    permissions.require_unlocked(element.plan)
    permissions.require(permissions.can_edit_element(request.user, element))
    return confirm_delete(
        request,
        delete=lambda: services.budget_line_delete(actor=request_user(request), line=line),
        message=_("Budget line removed."),
        then=_element_url(element, "#budget"),
        cancel=_element_url(element),
        what=_("the %(year)d budget line from %(source)s") % {"year": line.year, "source": line.funding_source},
        context=plan_context(request, element.plan, "tree"),
    )
