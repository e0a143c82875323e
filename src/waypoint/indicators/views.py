"""Indicator pages: list, reference sheet with chart, targets with history, actuals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from waypoint.core.errors import NotFound
from waypoint.core.forms import plain_decimal
from waypoint.core.views import submit
from waypoint.engine.indicators import Status
from waypoint.engine.periods import Period
from waypoint.indicators import permissions, selectors, services
from waypoint.indicators.charts import indicator_chart
from waypoint.indicators.forms import ActualForm, IndicatorForm, TargetForm, period_choices
from waypoint.indicators.models import Actual
from waypoint.org.access import Access, request_user
from waypoint.org.models import OrgUnit
from waypoint.plans import permissions as plan_permissions
from waypoint.plans import selectors as plan_selectors
from waypoint.plans.models import Plan

SORTS = {
    "code": lambda s: s.indicator.number,
    "name": lambda s: s.indicator.name.lower(),
    "status": lambda s: s.status.score if s.status.score is not None else 2,
}


def _context(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    return {"plan": plan, "section": "indicators", "can_edit_plan": plan_permissions.can_edit_plan(request.user, plan)}


def indicator_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_for(request.user, plan_id)
    search = request.GET.get("q", "").strip()
    unit_code = request.GET.get("unit", "")
    unit = (
        OrgUnit.objects.filter(code=unit_code, path__startswith=plan.administration.path).first() if unit_code else None
    )
    key_only = request.GET.get("key") == "1"
    queryset = selectors.indicators_for_plan(
        plan, search=search, unit_path=unit.path if unit else None, key_only=key_only
    )
    states = list(selectors.indicator_states(plan, queryset).values())
    status = request.GET.get("status", "")
    if status in {s.value for s in Status}:
        states = [s for s in states if s.status.value == status]
    sort = request.GET.get("sort", "code")
    states.sort(key=SORTS.get(sort.lstrip("-"), SORTS["code"]), reverse=sort.startswith("-"))
    page = Paginator(states, 25).get_page(request.GET.get("page"))
    units = (
        OrgUnit.objects.filter(path__startswith=plan.administration.path, indicators_owned__plan=plan)
        .distinct()
        .order_by("name")
    )
    return render(
        request,
        "indicators/indicator_list.html",
        {
            **_context(request, plan),
            "page": page,
            "search": search,
            "status": status,
            "sort": sort,
            "unit": unit,
            "units": units,
            "key_only": key_only,
            "statuses": [(s.value, s) for s in Status],
            "can_add": not plan.is_archived
            and (
                Access.of(request.user).is_planner(plan.administration.path)
                or bool(Access.of(request.user).contributor_paths())
            ),
        },
    )


def _editable_elements(request: HttpRequest, plan: Plan) -> set[int] | None:
    access = Access.of(request.user)
    if access.is_planner(plan.administration.path):
        return None
    paths = access.contributor_paths()
    return {
        e.pk
        for e in plan.elements.select_related("responsible_unit")
        if any(e.responsible_unit.path.startswith(p) for p in paths)
    }


def indicator_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_for(request.user, plan_id)
    element_ids = _editable_elements(request, plan)
    if plan.is_archived or element_ids == set():
        plan_permissions.require(False, _("You cannot add indicators to this plan."))
    initial: dict[str, Any] = {
        "direction": "increase",
        "aggregation": "mean",
        "frequency": "year",
        "tolerance_kind": "relative",
        "tolerance_value": 15,
        "decimals": 1,
    }
    element_id = request.GET.get("element")
    if element_id and element_id.isdigit():
        element = plan.elements.filter(pk=int(element_id)).select_related("responsible_unit").first()
        if element is not None:
            initial.update(element=element, owner_unit=element.responsible_unit)
    form = IndicatorForm(request.POST or None, plan=plan, element_ids=element_ids, initial=initial)
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        indicator, context = submit(
            form, lambda: services.indicator_create(actor=request_user(request), plan=plan, **data)
        )
        if indicator is not None:
            messages.success(request, _("%(code)s created. Set its targets next.") % {"code": indicator.code})
            return redirect("indicator-detail", indicator_id=indicator.pk)
    return render(
        request,
        "indicators/indicator_form.html",
        {**_context(request, plan), "form": form, "creating": True, **context},
    )


def indicator_detail(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = selectors.indicator_for(request.user, indicator_id)
    plan = indicator.plan
    state = selectors.indicator_states(plan, [indicator])[indicator.pk]
    can_edit = permissions.can_edit_indicator(request.user, indicator)
    can_record = permissions.can_record_some_actual(request.user, indicator)
    actual_form = None
    if can_record:
        recorded = {a.period for a in state.actuals if a.unit_id is None}
        next_period = next(
            (code for code, _label in period_choices(plan, indicator.frequency) if code not in recorded), None
        )
        actual_form = ActualForm(
            indicator=indicator, unit_paths=_unit_paths(request, plan), initial={"period": next_period}
        )
    editable_actuals = {a.pk for a in state.actuals if permissions.can_record_actual(request.user, indicator, a.unit)}
    target_rows = [
        {"year": year, "target": state.target_for(str(year)), "evaluation": evaluation}
        for year, evaluation in zip(plan.years, state.by_year, strict=True)
    ]
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            **_context(request, plan),
            "indicator": indicator,
            "state": state,
            "chart": indicator_chart(state),
            "breakdown": selectors.unit_breakdown(state) if indicator.by_unit else ([], []),
            "target_rows": target_rows,
            "revisions": selectors.target_revisions(indicator)[:50],
            "can_edit": can_edit,
            "actual_form": actual_form,
            "editable_actuals": editable_actuals,
            "ancestors": [*plan_selectors.element_ancestors(indicator.element), indicator.element],
        },
    )


def indicator_edit(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = selectors.indicator_for(request.user, indicator_id)
    plan = indicator.plan
    plan_permissions.require(permissions.can_edit_indicator(request.user, indicator))
    initial = {name: getattr(indicator, name) for name in services.INDICATOR_FIELDS}
    initial["version"] = indicator.version
    element_ids = _editable_elements(request, plan)
    if element_ids is not None:
        element_ids.add(indicator.element_id)
    form = IndicatorForm(request.POST or None, plan=plan, element_ids=element_ids, initial=initial)
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        if data.get("tier") is None:
            data["tier"] = data["element"].tier
        saved, context = submit(
            form,
            lambda: services.indicator_update(
                actor=request_user(request), indicator=indicator, expected_version=version, changes=data
            ),
        )
        if saved is not None:
            messages.success(request, _("%(code)s saved.") % {"code": indicator.code})
            return redirect("indicator-detail", indicator_id=indicator.pk)
    return render(
        request,
        "indicators/indicator_form.html",
        {**_context(request, plan), "form": form, "indicator": indicator, **context},
    )


def indicator_delete(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = selectors.indicator_for(request.user, indicator_id)
    plan_permissions.require(permissions.can_edit_indicator(request.user, indicator))
    if request.method == "POST":
        plan_id = indicator.plan_id
        services.indicator_delete(actor=request_user(request), indicator=indicator)
        messages.success(request, _("%(code)s deleted.") % {"code": indicator.code})
        return redirect("indicator-list", plan_id=plan_id)
    return render(
        request,
        "core/confirm_delete.html",
        {
            **_context(request, indicator.plan),
            "what": str(indicator),
            "consequence": _("Its %(t)d targets and %(a)d actual values go with it.")
            % {"t": indicator.targets.count(), "a": indicator.actuals.count()},
            "cancel": reverse("indicator-detail", kwargs={"indicator_id": indicator.pk}),
        },
    )


def target_edit(request: HttpRequest, indicator_id: int, period: str) -> HttpResponse:
    """One target row: shown, edited in place (htmx) or on its own page, saved with a reason."""
    indicator = selectors.indicator_for(request.user, indicator_id)
    try:
        parsed = Period.parse(period)
    except ValueError as error:
        raise NotFound(str(error)) from error
    plan_permissions.require(permissions.can_edit_indicator(request.user, indicator))
    target = indicator.targets.filter(period=parsed.code).first()
    initial = (
        {
            "value": plain_decimal(target.value),
            "upper_value": plain_decimal(target.upper_value),
            "version": target.version,
        }
        if target
        else {}
    )
    form = TargetForm(request.POST or None, initial=initial)
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, context = submit(
            form,
            lambda: services.target_set(
                actor=request_user(request),
                indicator=indicator,
                period=parsed.code,
                value=data["value"],
                upper_value=data.get("upper_value"),
                reason=data.get("reason") or "",
                expected_version=data.get("version"),
            ),
        )
        if saved is not None:
            messages.success(request, _("Target for %(p)s saved.") % {"p": parsed.code})
            if request.htmx:  # type: ignore[attr-defined]
                response = HttpResponse(status=204)
                response["HX-Redirect"] = (
                    reverse("indicator-detail", kwargs={"indicator_id": indicator.pk}) + "#targets"
                )
                return response
            return redirect(reverse("indicator-detail", kwargs={"indicator_id": indicator.pk}) + "#targets")
    template = "indicators/_target_form.html" if request.htmx else "indicators/target_form.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            **_context(request, indicator.plan),
            "indicator": indicator,
            "form": form,
            "period": parsed.code,
            "target": target,
            **context,
        },
    )


def _unit_paths(request: HttpRequest, plan: Plan) -> list[str] | None:
    access = Access.of(request.user)
    return None if access.is_planner(plan.administration.path) else access.contributor_paths()


def actual_edit(request: HttpRequest, indicator_id: int, actual_id: int | None = None) -> HttpResponse:
    indicator = selectors.indicator_for(request.user, indicator_id)
    actual = (
        get_object_or_404(Actual.objects.select_related("unit"), pk=actual_id, indicator=indicator)
        if actual_id
        else None
    )
    if actual is not None:
        plan_permissions.require(permissions.can_record_actual(request.user, indicator, actual.unit))
    else:
        plan_permissions.require(permissions.can_record_some_actual(request.user, indicator))
    initial: dict[str, Any] = (
        {
            "period": actual.period,
            "unit": actual.unit,
            "value": plain_decimal(actual.value),
            "evidence": actual.evidence,
            "version": actual.version,
        }
        if actual
        else {}
    )
    form = ActualForm(
        request.POST or None,
        request.FILES or None,
        indicator=indicator,
        unit_paths=_unit_paths(request, indicator.plan),
        initial=initial,
    )
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, context = submit(
            form,
            lambda: services.actual_record(
                actor=request_user(request),
                indicator=indicator,
                period=data["period"],
                value=data["value"],
                unit=data.get("unit"),
                evidence=data["evidence"],
                evidence_file=data.get("evidence_file"),
                actual=actual,
                expected_version=data.get("version"),
            ),
        )
        if saved is not None:
            messages.success(request, _("Value for %(p)s recorded.") % {"p": saved.period})
            return redirect(reverse("indicator-detail", kwargs={"indicator_id": indicator.pk}) + "#actuals")
    return render(
        request,
        "indicators/actual_form.html",
        {**_context(request, indicator.plan), "indicator": indicator, "form": form, "actual": actual, **context},
    )


def actual_delete(request: HttpRequest, indicator_id: int, actual_id: int) -> HttpResponse:
    indicator = selectors.indicator_for(request.user, indicator_id)
    actual = get_object_or_404(Actual.objects.select_related("unit"), pk=actual_id, indicator=indicator)
    plan_permissions.require(permissions.can_record_actual(request.user, indicator, actual.unit))
    back = reverse("indicator-detail", kwargs={"indicator_id": indicator.pk}) + "#actuals"
    if request.method == "POST":
        services.actual_delete(actor=request_user(request), actual=actual)
        messages.success(request, _("Value removed."))
        return redirect(back)
    where = actual.unit.code if actual.unit else _("whole administration")
    return render(
        request,
        "core/confirm_delete.html",
        {
            **_context(request, indicator.plan),
            "what": _("the value %(v)s for %(p)s (%(w)s)") % {"v": actual.value, "p": actual.period, "w": where},
            "cancel": back,
        },
    )


def actual_evidence(request: HttpRequest, indicator_id: int, actual_id: int) -> FileResponse:
    """Evidence files are served only to people who may read the plan."""
    indicator = selectors.indicator_for(request.user, indicator_id)
    actual = get_object_or_404(Actual, pk=actual_id, indicator=indicator)
    if not actual.evidence_file:
        raise Http404
    name = (actual.evidence_file.name or "evidence").rsplit("/", 1)[-1]
    return FileResponse(actual.evidence_file.open("rb"), as_attachment=True, filename=name)
