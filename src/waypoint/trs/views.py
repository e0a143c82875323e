"""Time Release Study pages: datasets, the analysis page, and indicators computed from data."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core.errors import NotAllowed
from waypoint.core.views import HtmxRequest, confirm_delete, form_page
from waypoint.indicators.permissions import can_edit_indicator
from waypoint.indicators.selectors import indicator_for
from waypoint.org.access import planned_administrations, request_user, require_any_role
from waypoint.org.forms import chosen_administration, offer_administrations
from waypoint.trs import charts, selectors, services
from waypoint.trs.forms import BindingForm, RegisterForm, UploadForm
from waypoint.trs.models import Dataset, DatasetStatus, IndicatorBinding


def dataset_list(request: HttpRequest) -> HttpResponse:
    require_any_role(request.user)
    query = request.GET.get("q", "").strip()
    datasets = selectors.datasets_for(request.user)
    if query:
        datasets = datasets.filter(name__icontains=query)
    page = Paginator(datasets, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "trs/dataset_list.html",
        {"section": "trs", "page": page, "query": query, "can_add": bool(planned_administrations(request.user))},
    )


def dataset_create(request: HttpRequest) -> HttpResponse:
    administrations = planned_administrations(request.user)
    if not administrations:
        raise NotAllowed(_("Only planners and administrators manage Time Release Study data."))
    kind = "path" if request.GET.get("from") == "server" or "server_path" in request.POST else "upload"
    # with one administration its zone is the default; with several the chosen one's applies
    # (an empty zone means "the administration's")
    initial = {"time_zone": administrations[0].local_time_zone} if len(administrations) == 1 else {}
    form: UploadForm | RegisterForm
    if kind == "upload":
        form = UploadForm(request.POST or None, request.FILES or None, initial=initial)
    else:
        form = RegisterForm(request.POST or None, initial=initial)
    offer_administrations(form, administrations)

    def save(data: dict[str, Any]) -> Dataset:
        administration = chosen_administration(form, administrations)
        if kind == "upload":
            return services.dataset_upload(
                actor=request_user(request),
                administration=administration,
                name=data["name"],
                upload=data["file"],
                description=data["description"],
                time_zone=data["time_zone"] or None,
            )
        return services.dataset_register(
            actor=request_user(request),
            administration=administration,
            name=data["name"],
            server_path=data["server_path"],
            description=data["description"],
            time_zone=data["time_zone"] or None,
        )

    return form_page(
        request,
        form,
        save=save,
        message=lambda dataset: _("“%(name)s” is being read and checked.") % {"name": dataset.name},
        then=lambda dataset: reverse("trs-dataset", kwargs={"dataset_id": dataset.pk}),
        template="trs/dataset_form.html",
        context={"section": "trs", "kind": kind},
    )


def _filters(request: HttpRequest) -> dict[str, str]:
    return {key[2:]: str(value) for key, value in request.GET.items() if key.startswith("f_") and value}


def dataset_detail(request: HtmxRequest, dataset_id: int) -> HttpResponse:
    dataset = selectors.dataset_for(request.user, dataset_id)
    if request.htmx and dataset.is_finished:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    context: dict[str, Any] = {
        "section": "trs",
        "dataset": dataset,
        "can_manage": services.can_manage_datasets(request.user, dataset.administration),
    }
    if request.htmx:
        return render(request, "trs/_status.html", context)
    if dataset.status == DatasetStatus.READY:
        try:
            target = float(request.GET.get("target") or 24)
        except ValueError:
            target = 24.0
        others = [
            d for d in selectors.datasets_for(request.user).filter(status=DatasetStatus.READY) if d.pk != dataset.pk
        ]
        other = next((d for d in others if str(d.pk) == request.GET.get("compare")), None)
        result = selectors.analysis(
            dataset,
            by=[d for d in request.GET.get("by", "").split(",") if d],
            filters=_filters(request),
            target_hours=max(target, 0.0),
            other=other,
        )
        context |= {
            "analysis": result,
            "others": others,
            "other": other,
            "steps_chart": charts.steps_chart(result.intervals, result.bottleneck),
            "curve_chart": charts.release_curve_chart(result.curve, result.target_hours),
            "bound": dataset.bindings.select_related("indicator__plan"),
        }
    return render(request, "trs/dataset_detail.html", context)


def dataset_delete(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = selectors.dataset_for(request.user, dataset_id)
    if not services.can_manage_datasets(request.user, dataset.administration):
        raise NotAllowed(_("Only planners and administrators manage Time Release Study data."))
    return confirm_delete(
        request,
        delete=lambda: services.dataset_delete(actor=request_user(request), dataset=dataset),
        message=_("Dataset deleted."),
        then=reverse("trs-datasets"),
        cancel=reverse("trs-dataset", kwargs={"dataset_id": dataset.pk}),
        what=_("the dataset “%(name)s”") % {"name": dataset.name},
        consequence=_("Its file and its prepared study are removed."),
        context={"section": "trs"},
    )


def binding_edit(request: HttpRequest, indicator_id: int) -> HttpResponse:
    """Compute an indicator's actual values from a TRS dataset."""
    indicator = indicator_for(request.user, indicator_id)
    if not can_edit_indicator(request.user, indicator):
        raise NotAllowed(_("You cannot change how this indicator is measured."))
    binding = IndicatorBinding.objects.filter(indicator=indicator).first()
    if request.method == "POST" and request.POST.get("action") == "unbind" and binding is not None:
        services.binding_delete(actor=request_user(request), binding=binding)
        messages.success(request, _("The indicator is no longer computed from data; the values computed so far stay."))
        return redirect("indicator-detail", indicator_id=indicator.pk)
    initial: dict[str, Any] = {}
    if binding:
        initial = {
            "dataset": binding.dataset,
            "statistic": binding.statistic,
            "start_milestone": binding.start_milestone,
            "end_milestone": binding.end_milestone,
            "filters": ", ".join(f"{k}={v}" for k, v in binding.filters.items()),
            "target_hours": binding.target_hours,
        }
    return form_page(
        request,
        BindingForm(request.POST or None, administration_id=indicator.plan.administration_id, initial=initial),
        save=lambda data: services.binding_save(
            actor=request_user(request),
            indicator=indicator,
            dataset=data["dataset"],
            statistic=data["statistic"],
            start_milestone=data["start_milestone"],
            end_milestone=data["end_milestone"],
            filters=data["filters"],
            target_hours=data["target_hours"],
        ),
        message=lambda saved: (
            ngettext(
                "%(n)d value computed from “%(name)s”.",
                "%(n)d values computed from “%(name)s”.",
                saved.periods_written,
            )
            % {"n": saved.periods_written, "name": saved.dataset.name}
        ),
        then=reverse("indicator-detail", kwargs={"indicator_id": indicator.pk}),
        template="trs/binding_form.html",
        context={"plan": indicator.plan, "section": "indicators", "indicator": indicator, "binding": binding},
    )
