"""The plan's own pages: the list, a new plan, the overview, settings and status, the tree and
the logframe."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waypoint.core.errors import NotAllowed
from waypoint.core.views import HtmxRequest, form_page, submit
from waypoint.org.access import Access, planned_administrations, request_user
from waypoint.org.forms import chosen_administration, offer_administrations
from waypoint.plans import extensions, permissions, planfile, quality, selectors, services
from waypoint.plans.errors import PlanFileInvalid
from waypoint.plans.forms import PlanForm, PlanImportForm, PlanStatusForm, TreeFilterForm
from waypoint.plans.models import Plan, PlanElement, PlanStatus
from waypoint.plans.views.common import editable_element_ids, goal_page, plan_context

#: what the plan's settings page changes (its results chain is fixed once the plan exists)
EDITABLE = (
    "title",
    "start_year",
    "end_year",
    "currency",
    "vision",
    "mission",
    "values",
    "summary",
    "previous",
    "language",
)


def plan_list(request: HttpRequest) -> HttpResponse:
    access = Access.of(request.user)
    permissions.require(access.has_any_role, _("You have no role in any administration yet."))
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    sort = selectors.plan_sort(request.GET.get("sort", "-start_year"))
    plans = selectors.plan_list(request.user, search=search, status=status, sort=sort)
    return render(
        request,
        "plans/plan_list.html",
        {
            "page": Paginator(plans, 20).get_page(request.GET.get("page")),
            "search": search,
            "status": status,
            "sort": sort,
            "statuses": PlanStatus.choices,
            "can_create": any(access.is_planner(path) for path in access.administration_paths()),
        },
    )


def plan_create(request: HttpRequest) -> HttpResponse:
    administrations = planned_administrations(request.user)
    if not administrations:
        raise NotAllowed(_("Only planners can start a plan."))
    form = PlanForm(request.POST or None, plans=selectors.plans_for(request.user))
    offer_administrations(form, administrations)

    def save(data: dict[str, Any]) -> Plan:
        return services.plan_create(
            actor=request_user(request),
            administration=chosen_administration(form, administrations),
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
            language=data["language"],
            translations={code: {} for code in data["other_languages"] if code != data["language"]},
        )

    return form_page(
        request,
        form,
        save=save,
        message=_("Plan created. Add its goals next."),
        then=lambda plan: reverse("plan-tree", kwargs={"plan_id": plan.pk}),
        template="plans/plan_form.html",
        context={"creating": True},
    )


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
    keys = overview.key_measures()[:8]
    return render(
        request,
        "plans/plan_overview.html",
        {
            **plan_context(request, plan, "overview"),
            "overview": overview,
            "counts": overview.counts(),
            "plan_health": overview.plan_health(),
            "key_states": keys,
            # the forecast to the plan's final target beside each key indicator (no query: the
            # states hold their targets and actuals)
            "key_rows": [(s, s.forecast_to(plan.end_year)) for s in keys],
            "overdue": extensions.overdue_of(plan, None, timezone.localdate()),
            "quality": quality.counts(plan, kept_only=True),
        },
    )


def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    permissions.require_unlocked(plan)
    permissions.require(permissions.can_edit_plan(request.user, plan))
    initial = {name: getattr(plan, name) for name in (*EDITABLE, "tier_template")} | {"version": plan.version}
    others = selectors.plans_for(request.user).exclude(pk=plan.pk)
    form = PlanForm(request.POST or None, initial=initial, plans=others, editing=True, plan=plan)

    def changes(data: dict[str, Any]) -> dict[str, Any]:
        # the languages ticked, each with the texts entered for it (a language just ticked has
        # none yet: its fields appear when the form is opened again)
        kept = [code for code in data["other_languages"] if code != data["language"]]
        return {name: data[name] for name in EDITABLE} | {"translations": form.translations(kept)}

    return form_page(
        request,
        form,
        save=lambda data: services.plan_update(
            actor=request_user(request),
            plan=plan,
            expected_version=data.get("version"),
            changes=changes(data),
        ),
        message=_("Plan saved."),
        then=reverse("plan-overview", kwargs={"plan_id": plan.pk}),
        template="plans/plan_form.html",
        context=plan_context(request, plan, "overview"),
    )


@require_POST
def plan_status(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A button on the Approval page, not a page of its own: the refusal comes back as a message."""
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
    return redirect("plan-approval", plan_id=plan.pk)


def plan_tree(request: HtmxRequest, plan_id: int, moved: tuple[PlanElement, str] | None = None) -> HttpResponse:
    """The plan tree; ``moved`` (an element just moved, and which way) when it answers a move:
    the elements above it stay open and its button keeps the focus."""
    plan = selectors.plan_for(request.user, plan_id)
    form = TreeFilterForm(request.GET or None, plan=plan)
    filters = form.filters() if form.is_valid() else selectors.TreeFilters()
    overview = selectors.plan_overview(plan, filters)
    goals, query = goal_page(request, overview.roots)
    context = {
        **plan_context(request, plan, "tree"),
        "form": form,
        "filters": filters,
        "roots": goals.object_list,
        "goals": goals,
        "query": query,
        "editable": editable_element_ids(request, plan, overview.elements),
        "can_add_goal": not permissions.is_locked(plan) and permissions.can_add_element(request.user, plan, None),
        "total": len(overview.elements),
        "matches": overview.matches,
        "cannot_move": overview.cannot_move(),
        "checks": quality.element_checks(plan),
        "moved": (moved[0].pk, moved[1]) if moved else None,
        "opened": _above(moved[0], overview.elements) if moved else set(),
    }
    template = "plans/_tree.html" if request.htmx else "plans/plan_tree.html"
    return render(request, template, context)


def _above(element: PlanElement, elements: list[PlanElement]) -> set[int]:
    """The ids of the elements above ``element``."""
    parent_of = {e.pk: e.parent_id for e in elements}
    found: set[int] = set()
    parent = parent_of.get(element.pk)
    while parent is not None and parent not in found:
        found.add(parent)
        parent = parent_of.get(parent)
    return found


def logframe(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    depth = request.GET.get("depth", "3")
    max_depth = int(depth) if depth in {"1", "2", "3", "4"} else 3
    groups: list[list[dict[str, Any]]] = []
    for row in selectors.logframe_rows(plan):
        if row["depth"] == 0:
            groups.append([])
        if row["depth"] < max_depth and groups:
            groups[-1].append(row)
    goals, query = goal_page(request, groups)
    rows = [row for group in goals.object_list for row in group]
    return render(
        request,
        "plans/logframe.html",
        {**plan_context(request, plan, "logframe"), "rows": rows, "depth": max_depth, "goals": goals, "query": query},
    )
