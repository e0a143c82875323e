"""Roadmap pages: the Gantt chart, scenarios, work items, teams and budget caps.

Thin: read through selectors, write through services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from waypoint.core.errors import InvalidInput, NotAllowed
from waypoint.core.views import HtmxRequest, confirm_delete, form_page
from waypoint.engine.periods import months_spanned
from waypoint.org.access import Access, request_user
from waypoint.plans import selectors as plan_selectors
from waypoint.plans.models import DATED_KINDS, FundingSource, Plan
from waypoint.roadmap import charts, msproject, permissions, selectors, services
from waypoint.roadmap.forms import (
    CapsForm,
    DependencyForm,
    ImportForm,
    ItemForm,
    RenameForm,
    ScenarioForm,
    TeamForm,
)
from waypoint.roadmap.models import BudgetCap, Dependency, Scenario, ScheduleItem, Team


def _context(request: HttpRequest, plan: Plan, **extra: Any) -> dict[str, Any]:
    return {
        "plan": plan,
        "section": "roadmap",
        "can_plan": permissions.can_plan_roadmap(request.user, plan),
        "can_approve": permissions.can_approve_baseline(request.user, plan),
        **extra,
    }


def _scenario_url(scenario: Scenario) -> str:
    return reverse("scenario-detail", kwargs={"scenario_id": scenario.pk})


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise NotAllowed(message or _("You do not have the right to change this roadmap."))


# --- the roadmap page ---------------------------------------------------------------------------------


def roadmap(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_for(request.user, plan_id)
    scenario = selectors.shown_scenario(plan, request.GET.get("scenario"))
    usage = selectors.usage(scenario) if scenario else None
    form = ScenarioForm(initial={"name": _("Scenario %(n)d") % {"n": selectors.scenarios(plan).count() + 1}})
    return render(
        request,
        "roadmap/roadmap.html",
        _context(
            request,
            plan,
            scenario=scenario,
            tasks=selectors.gantt_tasks(scenario) if scenario else [],
            team_chart=charts.team_load_chart(usage) if usage else None,
            budget_chart=charts.budget_chart(usage) if usage else None,
            over=usage.over if usage else [],
            scenarios=selectors.scenarios(plan)[:50],
            baseline=selectors.baseline(plan),
            form=form,
            view_mode=request.GET.get("zoom") if request.GET.get("zoom") in {"Month", "Quarter", "Year"} else "Quarter",
        ),
    )


def scenario_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_for(request.user, plan_id)
    _require(permissions.can_plan_roadmap(request.user, plan))
    return form_page(
        request,
        ScenarioForm(request.POST or None, initial={"objective": "makespan", "time_limit_s": 30}),
        save=lambda data: services.scenario_create(
            actor=request_user(request),
            plan=plan,
            name=data["name"],
            objective=data["objective"],
            time_limit_s=data["time_limit_s"],
            replan_from=data["replan_from"],
        ),
        message=lambda scenario: _("Scenario “%(name)s” is being solved.") % {"name": scenario.name},
        then=_scenario_url,
        template="roadmap/scenario_form.html",
        context=_context(request, plan),
    )


def scenario_detail(request: HtmxRequest, scenario_id: int) -> HttpResponse:
    scenario = selectors.scenario_for(request.user, scenario_id)
    plan = scenario.plan
    if request.htmx and scenario.is_finished:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"  # the whole page changes once the result is in
        return response
    progress = scenario.progress or {}
    baseline = selectors.baseline(plan)
    shift = selectors.months_after(scenario, baseline)
    share = min(100, round(100 * progress.get("elapsed", 0) / max(scenario.time_limit_s, 1)))
    return render(
        request,
        "roadmap/_scenario_status.html" if request.htmx else "roadmap/scenario_detail.html",
        _context(
            request,
            plan,
            scenario=scenario,
            share=share,
            rename_form=RenameForm(initial={"name": scenario.name}),
            baseline=baseline,
            months_after_baseline=shift,
            months_apart=abs(shift or 0),
            others=selectors.scenarios(plan).exclude(pk=scenario.pk).exclude(starts={})[:20],
        ),
    )


@require_POST
def scenario_cancel(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = selectors.scenario_for(request.user, scenario_id)
    _require(permissions.can_plan_roadmap(request.user, scenario.plan))
    if scenario.is_finished:
        messages.info(request, _("The scenario had already finished."))
    else:
        services.scenario_cancel(actor=request_user(request), scenario=scenario)
        messages.success(request, _("Stopping the search; the best schedule found so far is kept."))
    return redirect("scenario-detail", scenario_id=scenario.pk)


@require_POST
def scenario_rename(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = selectors.scenario_for(request.user, scenario_id)
    _require(permissions.can_plan_roadmap(request.user, scenario.plan))
    form = RenameForm(request.POST)
    if form.is_valid():
        services.scenario_rename(actor=request_user(request), scenario=scenario, name=form.cleaned_data["name"])
        messages.success(request, _("Scenario renamed."))
    else:
        messages.error(request, _("Give the scenario a name."))
    return redirect("scenario-detail", scenario_id=scenario.pk)


@require_POST
def scenario_approve(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = selectors.scenario_for(request.user, scenario_id)
    _require(
        permissions.can_approve_baseline(request.user, scenario.plan),
        _("Only management (approvers) can approve the baseline roadmap."),
    )
    if _refused(request, lambda: services.scenario_approve(actor=request_user(request), scenario=scenario)) is None:
        messages.success(request, _("“%(name)s” is now the approved baseline roadmap.") % {"name": scenario.name})
    return redirect("scenario-detail", scenario_id=scenario.pk)


def _refused(request: HttpRequest, action: Callable[[], object]) -> str | None:
    """Run a service for a one-button action (no form): its refusal, shown as a message, or
    ``None`` when it went through."""
    try:
        action()
    except InvalidInput as error:
        messages.error(request, error.message)
        return error.message
    return None


def scenario_delete(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = selectors.scenario_for(request.user, scenario_id)
    plan = scenario.plan
    _require(permissions.can_plan_roadmap(request.user, plan))
    return confirm_delete(
        request,
        delete=lambda: services.scenario_delete(actor=request_user(request), scenario=scenario),
        message=_("Scenario deleted."),
        then=reverse("roadmap", kwargs={"plan_id": plan.pk}),
        cancel=_scenario_url(scenario),
        what=_("the scenario “%(name)s”") % {"name": scenario.name},
        context=_context(request, plan),
    )


def scenario_export(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """The scenario as MS Project XML, to open in MS Project or ProjectLibre."""
    scenario = selectors.scenario_for(request.user, scenario_id)
    data = msproject.scenario_mspdi(scenario)
    if data is None:
        messages.error(request, _("This scenario has no schedule to export."))
        return redirect("scenario-detail", scenario_id=scenario.pk)
    response = HttpResponse(data, content_type="application/xml")
    filename = slugify(f"{scenario.plan.title}-{scenario.name}") or "roadmap"
    response["Content-Disposition"] = f'attachment; filename="{filename}.xml"'
    return response


def scenario_compare(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_for(request.user, plan_id)
    solved = list(selectors.scenarios(plan).exclude(starts={}))
    by_id = {str(s.pk): s for s in solved}
    base = selectors.baseline(plan)
    left = by_id.get(request.GET.get("left", "")) or base or (solved[-1] if solved else None)
    right = by_id.get(request.GET.get("right", "")) or next((s for s in solved if s != left), None)
    comparison = selectors.compare(left, right) if left and right else None
    return render(
        request,
        "roadmap/compare.html",
        _context(
            request,
            plan,
            solved=solved,
            left=left,
            right=right,
            comparison=comparison,
            comparison_sides=[("A", left), ("B", right)],
        ),
    )


def roadmap_import(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_for(request.user, plan_id)
    _require(permissions.can_plan_roadmap(request.user, plan))
    return form_page(
        request,
        ImportForm(request.POST or None, request.FILES or None),
        save=lambda data: msproject.scenario_import_mspdi(
            actor=request_user(request), plan=plan, data=data["file"], name=data["name"]
        ),
        message=lambda scenario: _("Imported as scenario “%(name)s”.") % {"name": scenario.name},
        then=_scenario_url,
        template="roadmap/import.html",
        context=_context(request, plan),
    )


# --- work items ---------------------------------------------------------------------------------------


def work_items(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_for(request.user, plan_id)
    query = request.GET.get("q", "").strip()
    mine = request.GET.get("mine") == "1"
    paths = Access.of(request.user).contributor_paths() if mine else None
    rows = selectors.work_rows(plan, query=query)
    if paths is not None:
        rows = [r for r in rows if any(r.element.responsible_unit.path.startswith(p) for p in paths)]
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    editable = {r.element.pk for r in page if permissions.can_edit_schedule_of(request.user, r.element)}
    return render(
        request,
        "roadmap/work_items.html",
        _context(request, plan, page=page, query=query, mine=mine, editable=editable, total=len(rows)),
    )


def item_edit(request: HttpRequest, element_id: int) -> HttpResponse:
    element = plan_selectors.element_for(request.user, element_id)
    plan = element.plan
    if element.kind not in DATED_KINDS:
        messages.info(request, _("Only initiatives and activities are scheduled."))
        return redirect("element-detail", element_id=element.pk)
    can_edit = permissions.can_edit_schedule_of(request.user, element)
    if request.method == "POST":
        _require(can_edit)
    item = ScheduleItem.objects.filter(element=element).prefetch_related("demands__team").first()
    if item:
        initial = {field: getattr(item, field) for field in services.ITEM_FIELDS} | {"version": item.version}
        initial |= {f"team_{d.team.code}": d.people for d in item.demands.all()}
    else:
        initial = {"duration_months": months_spanned(element.starts_on, element.ends_on) or 1, "weight": 3}
    form = ItemForm(request.POST or None, teams=list(selectors.teams(plan)), initial=initial)
    links = selectors.item_links(element)
    return form_page(
        request,
        form,
        save=lambda data: services.item_save(
            actor=request_user(request),
            element=element,
            values={field: data[field] for field in services.ITEM_FIELDS},
            demands=form.demands(),
            expected_version=data.get("version"),
        ),
        message=_("Schedule data of %(code)s saved.") % {"code": element.code},
        then=reverse("schedule-item-edit", kwargs={"element_id": element.pk}),
        template="roadmap/item_form.html",
        context=_context(
            request,
            plan,
            element=element,
            can_edit=can_edit,
            dependencies=links.waits_for,
            inherited=links.inherited,
            dependants=links.dependants,
            dependency_form=DependencyForm(element=element),
        ),
    )


def dependency_add(request: HttpRequest, element_id: int) -> HttpResponse:
    element = plan_selectors.element_for(request.user, element_id)
    _require(permissions.can_edit_schedule_of(request.user, element))
    return form_page(
        request,
        DependencyForm(request.POST or None, element=element),
        save=lambda data: services.dependency_add(
            actor=request_user(request),
            before=data["before"],
            after=element,
            kind=data["kind"],
            lag_months=data["lag_months"],
        ),
        message=lambda dependency: _("%(b)s now waits for %(a)s.") % {"a": dependency.before.code, "b": element.code},
        then=reverse("schedule-item-edit", kwargs={"element_id": element.pk}) + "#dependencies",
        template="roadmap/dependency_form.html",
        context=_context(request, element.plan, element=element),
    )


@require_POST
def dependency_delete(request: HttpRequest, element_id: int, dependency_id: int) -> HttpResponse:
    element = plan_selectors.element_for(request.user, element_id)
    dependency = get_object_or_404(Dependency, pk=dependency_id, after=element)
    _require(permissions.can_edit_schedule_of(request.user, element))
    services.dependency_delete(actor=request_user(request), dependency=dependency)
    messages.success(request, _("%(b)s no longer waits for %(a)s.") % {"a": dependency.before.code, "b": element.code})
    return redirect(reverse("schedule-item-edit", kwargs={"element_id": element.pk}) + "#dependencies")


# --- teams and budget caps ------------------------------------------------------------------------------


def _sources(plan: Plan) -> list[FundingSource]:
    return list(FundingSource.objects.filter(administration=plan.administration))


def resources(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Teams, and the budget caps per funding source and year (the page's form)."""
    plan = plan_selectors.plan_for(request.user, plan_id)
    can_plan = permissions.can_plan_roadmap(request.user, plan)
    if request.method == "POST":
        _require(can_plan)
    initial = {(c.funding_source_id, c.year): c.amount for c in BudgetCap.objects.filter(plan=plan)}
    form = CapsForm(request.POST or None, plan=plan, sources=_sources(plan), initial_caps=initial)
    return form_page(
        request,
        form,
        save=lambda _data: services.budget_caps_save(actor=request_user(request), plan=plan, caps=form.caps()),
        message=lambda changed: _("Budget caps saved (%(n)d changed).") % {"n": changed},
        then=reverse("roadmap-resources", kwargs={"plan_id": plan.pk}) + "#caps",
        template="roadmap/resources.html",
        context=_context(request, plan, teams=selectors.teams(plan), caps_form=form),
    )


def team_edit(request: HttpRequest, plan_id: int, team_id: int | None = None) -> HttpResponse:
    plan = plan_selectors.plan_for(request.user, plan_id)
    _require(permissions.can_plan_roadmap(request.user, plan))
    team = get_object_or_404(Team, pk=team_id, plan=plan) if team_id else None
    initial: dict[str, Any] = {}
    if team:
        initial = {
            "code": team.code,
            "name": team.name,
            "unit": team.unit,
            "capacity": team.capacity,
            "version": team.version,
            "changes": "\n".join(f"{c.starts_on:%Y-%m}: {c.capacity}" for c in team.capacity_changes.all()),
        }
    return form_page(
        request,
        TeamForm(request.POST or None, plan=plan, initial=initial),
        save=lambda data: services.team_save(
            actor=request_user(request),
            plan=plan,
            team=team,
            code=data["code"],
            name=data["name"],
            unit=data["unit"],
            capacity=data["capacity"],
            changes=data["changes"],
            expected_version=data.get("version"),
        ),
        message=_("Team saved."),
        then=reverse("roadmap-resources", kwargs={"plan_id": plan.pk}),
        template="roadmap/team_form.html",
        context=_context(request, plan, team=team),
    )


def team_delete(request: HttpRequest, plan_id: int, team_id: int) -> HttpResponse:
    plan = plan_selectors.plan_for(request.user, plan_id)
    team = get_object_or_404(Team, pk=team_id, plan=plan)
    _require(permissions.can_plan_roadmap(request.user, plan))
    back = reverse("roadmap-resources", kwargs={"plan_id": plan.pk})
    demands = team.demands.count()
    return confirm_delete(
        request,
        delete=lambda: services.team_delete(actor=request_user(request), team=team),
        message=_("Team removed."),
        then=back,
        cancel=back,
        what=_("the team “%(name)s”") % {"name": team.name},
        consequence=ngettext(
            "%(n)d initiative or activity loses its demand on this team.",
            "%(n)d initiatives and activities lose their demand on this team.",
            demands,
        )
        % {"n": demands}
        if demands
        else "",
        context=_context(request, plan),
    )
