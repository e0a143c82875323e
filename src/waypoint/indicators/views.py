"""Indicator pages: list, reference sheet with chart, targets with history, actuals.

Thin: read through selectors, write through services, with ``core.views``' form and
confirm-delete pages.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core.errors import NotFound
from waypoint.core.forms import plain_decimal
from waypoint.core.views import HtmxRequest, confirm_delete, form_page
from waypoint.engine.indicators import Status
from waypoint.engine.periods import Period
from waypoint.indicators import locks, permissions, selectors, services
from waypoint.indicators.charts import indicator_chart
from waypoint.indicators.errors import TargetsChangedMeanwhile
from waypoint.indicators.forms import ActualForm, IndicatorForm, TargetForm, TargetGridForm, period_choices
from waypoint.indicators.models import Actual, Indicator
from waypoint.org.access import request_user
from waypoint.org.forms import tree_labels
from waypoint.plans import permissions as plan_permissions
from waypoint.plans import selectors as plan_selectors
from waypoint.plans.models import Plan
from waypoint.plans.views.common import plan_context


def _context(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    return plan_context(request, plan, "indicators")


def _detail_url(indicator: Indicator, anchor: str = "") -> str:
    return reverse("indicator-detail", kwargs={"indicator_id": indicator.pk}) + anchor


def indicator_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_for(request.user, plan_id)
    search = request.GET.get("q", "").strip()
    key_only = request.GET.get("key") == "1"
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "code")
    listing = selectors.indicator_listing(
        plan, search=search, unit_code=request.GET.get("unit", ""), key_only=key_only, status=status, sort=sort
    )
    return render(
        request,
        "indicators/indicator_list.html",
        {
            **_context(request, plan),
            "page": Paginator(listing.states, 25).get_page(request.GET.get("page")),
            "search": search,
            "status": status,
            "sort": sort,
            "unit": listing.unit,
            "units": [(u.code, label) for u, label in tree_labels(listing.units)],
            "key_only": key_only,
            "statuses": [(s.value, s) for s in Status],
            "can_add": not plan_permissions.is_locked(plan) and permissions.can_add_indicator(request.user, plan),
        },
    )


def indicator_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_for(request.user, plan_id)
    plan_permissions.require_unlocked(plan)
    element_ids = permissions.editable_element_ids(request.user, plan)
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
    return form_page(
        request,
        IndicatorForm(request.POST or None, plan=plan, element_ids=element_ids, initial=initial),
        save=lambda data: services.indicator_create(
            actor=request_user(request), plan=plan, **{k: v for k, v in data.items() if k != "version"}
        ),
        message=lambda indicator: _("%(code)s created. Set its targets next.") % {"code": indicator.code},
        then=_detail_url,
        template="indicators/indicator_form.html",
        context={**_context(request, plan), "creating": True},
    )


def indicator_detail(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = selectors.indicator_for(request.user, indicator_id)
    plan = indicator.plan
    state = selectors.indicator_states(plan, [indicator])[indicator.pk]
    actual_form = None
    if permissions.can_record_some_actual(request.user, indicator):
        recorded = {a.period for a in state.actuals if a.unit_id is None}
        next_period = next(
            (code for code, _label in period_choices(plan, indicator.frequency) if code not in recorded), None
        )
        actual_form = ActualForm(
            indicator=indicator,
            unit_paths=permissions.recording_unit_paths(request.user, plan),
            whole=permissions.can_record_actual(request.user, indicator, None),
            initial={"period": next_period},
        )
    editable_actuals = {a.pk for a in state.actuals if permissions.can_record_actual(request.user, indicator, a.unit)}
    breakdown = selectors.unit_breakdown(state) if indicator.by_unit else ([], [])
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
            "breakdown": breakdown,
            "units_reported": selectors.units_reported(state, breakdown[0]),
            "target_rows": target_rows,
            "forecast": selectors.indicator_forecast(state, plan.end_year),
            "revisions": selectors.target_revisions(indicator)[:50],
            "can_edit": not plan_permissions.is_locked(plan)
            and permissions.can_edit_indicator(request.user, indicator),
            "actual_form": actual_form,
            "editable_actuals": editable_actuals,
            "ancestors": [*plan_selectors.element_ancestors(indicator.element), indicator.element],
        },
    )


def indicator_edit(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = selectors.indicator_for(request.user, indicator_id)
    plan = indicator.plan
    plan_permissions.require_unlocked(plan)
    plan_permissions.require(permissions.can_edit_indicator(request.user, indicator))
    initial = {name: getattr(indicator, name) for name in services.INDICATOR_FIELDS} | {"version": indicator.version}
    element_ids = permissions.editable_element_ids(request.user, plan)
    if element_ids is not None:
        element_ids.add(indicator.element_id)

    def save(data: dict[str, Any]) -> Indicator:
        changes = {name: value for name, value in data.items() if name != "version"}
        if changes.get("tier") is None:
            changes["tier"] = changes["element"].tier
        return services.indicator_update(
            actor=request_user(request), indicator=indicator, expected_version=data.get("version"), changes=changes
        )

    return form_page(
        request,
        IndicatorForm(request.POST or None, plan=plan, element_ids=element_ids, initial=initial),
        save=save,
        message=_("%(code)s saved.") % {"code": indicator.code},
        then=_detail_url(indicator),
        template="indicators/indicator_form.html",
        context={**_context(request, plan), "indicator": indicator},
    )


def indicator_delete(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = selectors.indicator_for(request.user, indicator_id)
    plan_permissions.require_unlocked(indicator.plan)
    plan_permissions.require(permissions.can_edit_indicator(request.user, indicator))
    targets, actuals = indicator.targets.count(), indicator.actuals.count()
    return confirm_delete(
        request,
        delete=lambda: services.indicator_delete(actor=request_user(request), indicator=indicator),
        message=_("%(code)s deleted.") % {"code": indicator.code},
        then=reverse("indicator-list", kwargs={"plan_id": indicator.plan_id}),
        cancel=_detail_url(indicator),
        what=str(indicator),
        consequence=_("%(targets)s and %(actuals)s go with it.")
        % {
            "targets": ngettext("Its %(n)d target", "Its %(n)d targets", targets) % {"n": targets},
            "actuals": ngettext("%(n)d actual value", "%(n)d actual values", actuals) % {"n": actuals},
        },
        context=_context(request, indicator.plan),
    )


def target_edit(request: HtmxRequest, indicator_id: int, period: str) -> HttpResponse:
    """One target row: shown, edited in place (htmx) or on its own page, saved with a reason."""
    indicator = selectors.indicator_for(request.user, indicator_id)
    try:
        parsed = Period.parse(period)
    except ValueError as error:
        raise NotFound(str(error)) from error
    plan_permissions.require_unlocked(indicator.plan)
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
    return form_page(
        request,
        TargetForm(request.POST or None, initial=initial),
        save=lambda data: services.target_set(
            actor=request_user(request),
            indicator=indicator,
            period=parsed.code,
            value=data["value"],
            upper_value=data.get("upper_value"),
            reason=data.get("reason") or "",
            expected_version=data.get("version"),
        ),
        message=_("Target for %(p)s saved.") % {"p": parsed.code},
        then=_detail_url(indicator, "#targets"),
        template="indicators/_target_form.html" if request.htmx else "indicators/target_form.html",
        context={**_context(request, indicator.plan), "indicator": indicator, "period": parsed.code, "target": target},
    )


def target_grid(request: HttpRequest, indicator_id: int) -> HttpResponse:
    """Every plan year's target on one page, saved together (a change needs its reason)."""
    indicator = selectors.indicator_for(request.user, indicator_id)
    plan_permissions.require_unlocked(indicator.plan)
    plan_permissions.require(permissions.can_edit_indicator(request.user, indicator))
    form = TargetGridForm(request.POST or None, indicator=indicator)

    def save(_data: dict[str, Any]) -> list[str]:
        try:
            return services.targets_set(actor=request_user(request), indicator=indicator, entries=form.entries())
        except TargetsChangedMeanwhile as error:
            form.carry_versions(error.rows)  # the user's values stay; the next save, merged, goes through
            raise

    return form_page(
        request,
        form,
        save=save,
        message=lambda changed: (
            ngettext("Target for %(p)s saved.", "Targets for %(p)s saved.", len(changed)) % {"p": ", ".join(changed)}
            if changed
            else _("No target changed.")
        ),
        then=_detail_url(indicator, "#targets"),
        template="indicators/target_grid.html",
        context={**_context(request, indicator.plan), "indicator": indicator},
    )


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
        unit_paths=permissions.recording_unit_paths(request.user, indicator.plan),
        whole=permissions.can_record_actual(request.user, indicator, None),
        initial=initial,
    )
    # a value of an approved report is shown locked, with why, rather than refused on save
    locked = locks.lock_reason(indicator, actual.period, actual.unit) if actual is not None else None
    if locked:
        for field in form.fields.values():
            field.disabled = True
    return form_page(
        request,
        form,
        save=lambda data: services.actual_record(
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
        message=lambda saved: _("Value for %(p)s recorded.") % {"p": saved.period},
        then=_detail_url(indicator, "#actuals"),
        template="indicators/actual_form.html",
        context={**_context(request, indicator.plan), "indicator": indicator, "actual": actual, "locked": locked},
    )


def actual_delete(request: HttpRequest, indicator_id: int, actual_id: int) -> HttpResponse:
    indicator = selectors.indicator_for(request.user, indicator_id)
    actual = get_object_or_404(Actual.objects.select_related("unit"), pk=actual_id, indicator=indicator)
    plan_permissions.require(permissions.can_record_actual(request.user, indicator, actual.unit))
    back = _detail_url(indicator, "#actuals")
    where = actual.unit.code if actual.unit else _("whole administration")
    return confirm_delete(
        request,
        delete=lambda: services.actual_delete(actor=request_user(request), actual=actual),
        message=_("Value removed."),
        then=back,
        cancel=back,
        what=_("the value %(v)s for %(p)s (%(w)s)") % {"v": actual.value, "p": actual.period, "w": where},
        context=_context(request, indicator.plan),
    )


def actual_evidence(request: HttpRequest, indicator_id: int, actual_id: int) -> FileResponse:
    """Evidence files are served only to people who may read the plan."""
    indicator = selectors.indicator_for(request.user, indicator_id)
    actual = get_object_or_404(Actual, pk=actual_id, indicator=indicator)
    if not actual.evidence_file:
        raise Http404
    name = (actual.evidence_file.name or "evidence").rsplit("/", 1)[-1]
    return FileResponse(actual.evidence_file.open("rb"), as_attachment=True, filename=name)
