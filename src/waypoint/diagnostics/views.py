"""Diagnostics pages: frameworks, assessments (radar, heatmap, gaps), comparison, coverage."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from waypoint.core.errors import NotAllowed
from waypoint.core.views import back_to, confirm_delete, form_page
from waypoint.diagnostics import permissions, selectors, services
from waypoint.diagnostics.errors import FrameworkFileInvalid
from waypoint.diagnostics.forms import AssessmentForm, FrameworkImportForm, RatingsForm, RecommendationForm
from waypoint.diagnostics.models import Assessment, Framework, Rating, Recommendation
from waypoint.engine.diagnostics.framework import framework_document, framework_yaml
from waypoint.org.access import planned_administrations, request_user, require_any_role
from waypoint.org.forms import chosen_administration, offer_administrations
from waypoint.org.models import OrgUnit
from waypoint.plans.models import Plan
from waypoint.plans.selectors import plan_for

SECTION = "diagnostics"


def _require_editor(request: HttpRequest, administration: OrgUnit) -> None:
    if not permissions.can_edit_assessments(request.user, administration):
        raise NotAllowed(_("Only planners of the administration may change its diagnostics."))


def diagnostics_home(request: HttpRequest) -> HttpResponse:
    require_any_role(request.user)
    query = request.GET.get("q", "").strip()
    assessments = selectors.assessments_for(request.user)
    if query:
        assessments = assessments.filter(Q(title__icontains=query) | Q(reference__icontains=query))
    page = Paginator(assessments.order_by("-assessed_on", "reference"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "diagnostics/home.html",
        {
            "section": SECTION,
            "page": page,
            "query": query,
            "frameworks": Framework.objects.all(),
            "can_import": permissions.can_import_framework(request.user),
            "can_add": bool(planned_administrations(request.user)),
        },
    )


def framework_import(request: HttpRequest) -> HttpResponse:
    if not permissions.can_import_framework(request.user):
        raise NotAllowed(_("Only planners import frameworks."))
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            framework = services.framework_import(
                actor=request_user(request), content=upload.read(), filename=upload.name or ""
            )
        except FrameworkFileInvalid as error:
            form.add_error(None, error.message)
            problems = error.problems
        else:
            messages.success(request, _("Imported “%(name)s”.") % {"name": framework})
            return redirect("diagnostics-framework", framework_id=framework.pk)
    return render(
        request, "diagnostics/framework_import.html", {"section": SECTION, "form": form, "problems": problems}
    )


def framework_detail(request: HttpRequest, framework_id: int) -> HttpResponse:
    require_any_role(request.user)
    framework = get_object_or_404(Framework, pk=framework_id)
    return render(
        request,
        "diagnostics/framework_detail.html",
        {"section": SECTION, "framework": framework, "model": selectors.framework_model(framework)},
    )


def framework_export(request: HttpRequest, framework_id: int, fmt: str) -> HttpResponse:
    require_any_role(request.user)
    stored = get_object_or_404(Framework, pk=framework_id)
    model = selectors.framework_model(stored)
    name = f"{stored.code}-{stored.version or 'framework'}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(framework_document(model), ensure_ascii=False, indent=2) + "\n", content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    if fmt != "yaml":
        raise Http404
    response = HttpResponse(framework_yaml(model), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.yaml"'
    return response


def _assessment_form(request: HttpRequest, plans: QuerySet[Plan], assessment: Assessment | None) -> AssessmentForm:
    initial: dict[str, Any] = {}
    if assessment is not None:
        initial = {
            "reference": assessment.reference,
            "title": assessment.title,
            "assessed_on": assessment.assessed_on,
            "kind": assessment.kind,
            "assessors": assessment.assessors,
            "summary": assessment.summary,
            "plans": list(assessment.plans.all()),
            "version": assessment.version,
        }
    return AssessmentForm(request.POST or None, initial=initial, plans=plans, editing=assessment is not None)


def assessment_edit(request: HttpRequest, assessment_id: int | None = None) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, assessment_id) if assessment_id else None
    administrations = [assessment.administration] if assessment else planned_administrations(request.user)
    if not administrations:
        raise NotAllowed(_("Only planners record assessments."))
    for administration in administrations:
        _require_editor(request, administration)
    # a new assessment's plans are offered from every administration it may be for; the
    # service refuses plans of another administration than the one chosen
    form = _assessment_form(request, Plan.objects.filter(administration__in=administrations), assessment)
    if assessment is None:
        offer_administrations(form, administrations)
    return form_page(
        request,
        form,
        save=lambda data: services.assessment_save(
            actor=request_user(request),
            administration=chosen_administration(form, administrations),
            framework=data["framework"] if assessment is None else assessment.framework,
            reference=data["reference"],
            title=data["title"],
            assessed_on=data["assessed_on"],
            kind=data["kind"],
            assessors=data["assessors"],
            summary=data["summary"],
            plans=data["plans"],
            assessment=assessment,
            expected_version=data.get("version"),
        ),
        message=lambda saved: _("Saved %(ref)s.") % {"ref": saved.reference},
        then=lambda saved: reverse("diagnostics-assessment", args=[saved.pk]),
        template="diagnostics/assessment_form.html",
        context={"section": SECTION, "assessment": assessment},
    )


def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, assessment_id)
    view = selectors.assessment_view(assessment)
    recommendations = assessment.recommendations.prefetch_related("elements").order_by("number")
    others = selectors.assessments_for(request.user).filter(framework=assessment.framework).exclude(pk=assessment.pk)
    return render(
        request,
        "diagnostics/assessment_detail.html",
        {
            "section": SECTION,
            "assessment": assessment,
            "view": view,
            "levels": list(range(view.framework.scale.top + 1)),
            "recommendations": recommendations,
            "others": others,
            "plans": assessment.plans.all(),
            "can_edit": permissions.can_edit_assessments(request.user, assessment.administration),
        },
    )


def assessment_delete(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, assessment_id)
    _require_editor(request, assessment.administration)
    return confirm_delete(
        request,
        delete=lambda: services.assessment_delete(actor=request_user(request), assessment=assessment),
        message=_("Deleted %(ref)s.") % {"ref": assessment.reference},
        then=reverse("diagnostics"),
        cancel=reverse("diagnostics-assessment", args=[assessment.pk]),
        what=str(assessment),
        consequence=_("Its ratings and recommendations go with it; plan elements stay."),
        context={"section": SECTION},
    )


def ratings_edit(request: HttpRequest, assessment_id: int, area_code: str) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, assessment_id)
    _require_editor(request, assessment.administration)
    framework = selectors.framework_model(assessment.framework)
    area = next((a for a in framework.areas if a.code == area_code), None)
    if area is None:
        raise Http404
    stored = {r.criterion: r for r in Rating.objects.filter(assessment=assessment)}
    initial: dict[str, Any] = {"version": assessment.version}
    for criterion in area.criteria:
        rating = stored.get(criterion.code)
        if rating is not None:
            for key in ("current", "target", "evidence", "comment", "assessor"):
                initial[f"{criterion.code}-{key}"] = getattr(rating, key)
    form = RatingsForm(request.POST or None, initial=initial, framework=framework, area_code=area_code)
    rows = [
        {
            "criterion": c,
            "current": form[f"{c.code}-current"],
            "target": form[f"{c.code}-target"],
            "evidence": form[f"{c.code}-evidence"],
            "comment": form[f"{c.code}-comment"],
            "assessor": form[f"{c.code}-assessor"],
        }
        for c in area.criteria
    ]
    return form_page(
        request,
        form,
        save=lambda data: services.ratings_save(
            actor=request_user(request), assessment=assessment, rows=form.rows(), expected_version=data.get("version")
        ),
        message=_("Saved the ratings of %(area)s.") % {"area": area.name},
        then=reverse("diagnostics-assessment", args=[assessment.pk]) + f"#area-{area.code}",
        template="diagnostics/ratings_form.html",
        context={"section": SECTION, "assessment": assessment, "area": area, "rows": rows},
    )


def recommendation_edit(request: HttpRequest, assessment_id: int, recommendation_id: int | None = None) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, assessment_id)
    _require_editor(request, assessment.administration)
    recommendation = (
        get_object_or_404(Recommendation, pk=recommendation_id, assessment=assessment) if recommendation_id else None
    )
    initial: dict[str, Any] = {}
    if recommendation is not None:
        initial = {
            "area": recommendation.area,
            "priority": recommendation.priority,
            "finding": recommendation.finding,
            "text": recommendation.text,
            "elements": list(recommendation.elements.all()),
            "version": recommendation.version,
        }
    elif request.GET.get("area"):
        initial["area"] = request.GET["area"]
    form = RecommendationForm(
        request.POST or None,
        initial=initial,
        framework=selectors.framework_model(assessment.framework),
        elements=selectors.answering_elements(assessment),
    )
    fallback = reverse("diagnostics-assessment", args=[assessment.pk]) + "#recommendations"
    return form_page(
        request,
        form,
        save=lambda data: services.recommendation_save(
            actor=request_user(request),
            assessment=assessment,
            area=data["area"],
            priority=data["priority"],
            finding=data["finding"],
            text=data["text"],
            elements=data["elements"],
            recommendation=recommendation,
            expected_version=data.get("version"),
        ),
        message=lambda saved: _("Saved %(ref)s.") % {"ref": saved.reference},
        then=back_to(request, request.GET.get("next"), fallback),
        template="diagnostics/recommendation_form.html",
        context={"section": SECTION, "assessment": assessment, "recommendation": recommendation},
    )


def recommendation_delete(request: HttpRequest, assessment_id: int, recommendation_id: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, assessment_id)
    recommendation = get_object_or_404(Recommendation, pk=recommendation_id, assessment=assessment)
    _require_editor(request, assessment.administration)
    back = reverse("diagnostics-assessment", args=[assessment.pk]) + "#recommendations"
    return confirm_delete(
        request,
        delete=lambda: services.recommendation_delete(actor=request_user(request), recommendation=recommendation),
        message=_("Deleted %(ref)s.") % {"ref": recommendation.reference},
        then=back,
        cancel=back,
        what=recommendation.reference,
        context={"section": SECTION},
    )


def assessment_compare(request: HttpRequest) -> HttpResponse:
    require_any_role(request.user)
    visible = selectors.assessments_for(request.user)
    before = after = None
    result = None
    error = ""
    try:
        if request.GET.get("before"):
            before = selectors.assessment_for(request.user, int(request.GET["before"]))
        if request.GET.get("after"):
            after = selectors.assessment_for(request.user, int(request.GET["after"]))
    except ValueError as exc:
        raise Http404 from exc
    if before is not None and after is not None:
        if before.framework_id != after.framework_id:
            error = _("The two assessments use different frameworks; only assessments on the same framework compare.")
        else:
            result = selectors.comparison(before, after)
    return render(
        request,
        "diagnostics/compare.html",
        {
            "section": SECTION,
            "assessments": visible.order_by("assessed_on"),
            "before": before,
            "after": after,
            "result": result,
            "error": error,
        },
    )


def plan_coverage(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for(request.user, plan_id)
    coverage = selectors.coverage(plan)
    return render(
        request,
        "diagnostics/coverage.html",
        {
            "section": "coverage",
            "plan": plan,
            "coverage": coverage,
            "assessments": plan.assessments.all(),
            "can_edit": permissions.can_edit_assessments(request.user, plan.administration),
        },
    )
