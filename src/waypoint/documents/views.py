"""Pages of the documents app: a plan's documents (ask, watch, download), its workbooks, the
administration's template, and the plan workbook's import with its preview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waypoint.core.errors import InvalidInput, NotAllowed
from waypoint.documents import selectors, services
from waypoint.documents.content import progress_periods
from waypoint.documents.forms import (
    ActualsTemplateForm,
    ActualsUploadForm,
    PlanDocumentForm,
    ProgressReportForm,
    TemplateUploadForm,
    WorkbookUploadForm,
)
from waypoint.documents.logframe import logframe_workbook
from waypoint.documents.models import DocumentKind, RenderStatus
from waypoint.documents.templating import default_template
from waypoint.documents.workbook import plan_workbook
from waypoint.org.access import planned_administrations, request_user
from waypoint.org.models import OrgUnit
from waypoint.plans import permissions as plan_permissions
from waypoint.plans import selectors as plan_selectors
from waypoint.plans.errors import PlanFileInvalid
from waypoint.plans.planfile import plan_export
from waypoint.plans.views.common import plan_context
from waypoint.workshops import selectors as workshop_selectors

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _page_context(request: HttpRequest, plan: Any, **extra: Any) -> dict[str, Any]:
    renders = list(selectors.renders_of(plan)[:30])
    return {
        **plan_context(request, plan, "documents"),
        "renders": renders,
        "waiting": any(not r.is_finished for r in renders),
        "plan_form": extra.pop("plan_form", None) or PlanDocumentForm(),
        "progress_form": extra.pop("progress_form", None) or ProgressReportForm(periods=progress_periods(plan)),
        "template_form": extra.pop("template_form", None) or TemplateUploadForm(),
        "template": selectors.template_of(plan),
        "can_plan": plan_permissions.can_create_plan(request.user, plan.administration),
        **extra,
    }


def documents(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A plan's documents: ask for one, watch it render, download it again later."""
    plan = plan_selectors.plan_for(request.user, plan_id)
    return render(request, "documents/documents.html", _page_context(request, plan))


def render_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The list of documents alone (htmx polls it while one renders)."""
    plan = plan_selectors.plan_for(request.user, plan_id)
    renders = list(selectors.renders_of(plan)[:30])
    return render(
        request,
        "documents/_renders.html",
        {"plan": plan, "renders": renders, "waiting": any(not r.is_finished for r in renders)},
    )


@require_POST
def render_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Ask for the strategic plan or a progress report; the worker renders it."""
    plan = plan_selectors.plan_for(request.user, plan_id)
    kind = request.POST.get("kind", DocumentKind.STRATEGIC_PLAN)
    context: dict[str, Any] = {}
    if kind == DocumentKind.PROGRESS_REPORT:
        form: Any = ProgressReportForm(request.POST, periods=progress_periods(plan))
        context["progress_form"] = form
    else:
        form = PlanDocumentForm(request.POST)
        context["plan_form"] = form
    if form.is_valid():
        try:
            services.render_request(
                actor=request_user(request),
                plan=plan,
                kind=kind,
                format=form.cleaned_data["format"],
                period=form.cleaned_data.get("period", ""),
                sections=form.cleaned_data.get("sections") or [],
                use_template=bool(form.cleaned_data.get("use_template")),
            )
        except InvalidInput as error:
            for problem in error.problems:
                form.add_error(problem.location if problem.location in form.fields else None, problem.message)
        else:
            messages.success(request, _("The document is being rendered; it appears below when it is ready."))
            return redirect("documents", plan.pk)
    return render(request, "documents/documents.html", _page_context(request, plan, **context), status=400)


def render_download(request: HttpRequest, render_id: int) -> HttpResponseBase:
    document = selectors.render_for(request.user, render_id)
    if document.status != RenderStatus.DONE or not document.file:
        messages.info(request, _("This document is not ready."))
        return redirect("documents", document.plan_id)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename)


@require_POST
def render_delete(request: HttpRequest, render_id: int) -> HttpResponse:
    document = selectors.render_for(request.user, render_id)
    services.render_delete(actor=request_user(request), render=document)
    messages.success(request, _("The document is deleted."))
    return redirect("documents", document.plan_id)


def plan_workbook_download(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_for(request.user, plan_id)
    return _attachment(plan_workbook(plan_export(plan)), f"plan-{plan.pk}.xlsx", XLSX)


def logframe_download(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_for(request.user, plan_id)
    return _attachment(logframe_workbook(plan), f"plan-{plan.pk}-logframe.xlsx", XLSX)


def template_default(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_for(request.user, plan_id)
    return _attachment(default_template(), f"waypoint-template-{plan.administration.code}.docx", DOCX)


def template_upload(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Upload the administration's own DOCX template (planners); problems named by placeholder."""
    plan = plan_selectors.plan_for(request.user, plan_id)
    if not plan_permissions.can_create_plan(request.user, plan.administration):
        raise NotAllowed(_("Only planners can change the administration's template."))
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.template_upload(
                actor=request_user(request), plan=plan, name=upload.name or "template.docx", content=upload.read()
            )
        except InvalidInput as error:
            form.add_error(None, error.message)
            problems = error.problems
        else:
            messages.success(request, _("The template is saved; documents can now be rendered through it."))
            return redirect("documents", plan.pk)
    return render(
        request,
        "documents/template_upload.html",
        {**plan_context(request, plan, "documents"), "form": form, "problems": problems},
        status=400 if problems else 200,
    )


def workbook_import(request: HttpRequest) -> HttpResponse:
    """Upload a plan workbook: it is checked and a preview shown; nothing is imported until the
    preview is confirmed."""
    if not planned_administrations(request.user):
        raise NotAllowed(_("Only planners can import a plan."))
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            staged = services.workbook_stage(
                actor=request_user(request), name=upload.name or "plan.xlsx", content=upload.read()
            )
        except (PlanFileInvalid, NotAllowed) as error:
            if isinstance(error, NotAllowed) and not error.problems:
                raise
            form.add_error(None, error.message)
            problems = error.problems
            status = 400 if isinstance(error, PlanFileInvalid) else 403
        else:
            return redirect("workbook-preview", staged.pk)
    return render(request, "documents/workbook_import.html", {"form": form, "problems": problems}, status=status)


def workbook_preview(request: HttpRequest, staged_id: int) -> HttpResponse:
    """What the import will make; the import itself on POST."""
    staged = selectors.staged_for(request.user, staged_id)
    actor = request_user(request)
    if request.method == "POST":
        try:
            report = services.workbook_confirm(actor=actor, staged=staged)
        except PlanFileInvalid as error:
            return render(
                request,
                "documents/workbook_import.html",
                {"form": WorkbookUploadForm(), "problems": error.problems, "message": error.message},
                status=400,
            )
        messages.success(request, _("The plan is imported as a draft."))
        return redirect("plan-overview", report.plan.pk)
    try:
        preview = services.workbook_preview(bytes(staged.content), actor=actor)
    except PlanFileInvalid as error:
        return render(
            request,
            "documents/workbook_import.html",
            {"form": WorkbookUploadForm(), "problems": error.problems, "message": error.message},
            status=400,
        )
    labels = {
        "elements": _("elements"),
        "risks": _("risks"),
        "budget_lines": _("budget lines"),
        "analysis": _("SWOT and PESTLE findings"),
        "functions": _("functions"),
        "indicators": _("indicators"),
        "targets": _("targets"),
        "target_revisions": _("target revisions"),
        "actuals": _("actual values"),
        "teams": _("teams"),
        "schedule": _("schedule entries"),
        "dependencies": _("dependencies"),
        "budget_caps": _("budget caps"),
        "recommendations": _("recommendations"),
        "quality_rules": _("quality rule settings"),
        "units_created": _("units added"),
    }
    counts = [(labels.get(k, k), n) for k, n in preview.counts.items() if n]
    return render(
        request,
        "documents/workbook_preview.html",
        {"staged": staged, "preview": preview, "doc": preview.review.doc, "counts": counts},
    )


@require_POST
def workbook_discard(request: HttpRequest, staged_id: int) -> HttpResponse:
    staged = selectors.staged_for(request.user, staged_id)
    services.workbook_discard(actor=request_user(request), staged=staged)
    return redirect("plan-list")


def actuals_entry(request: HttpRequest, plan_id: int) -> HttpResponseBase:
    """The actuals entry template: download it for a period (and a unit), fill it offline,
    upload it back; every problem at its cell, and nothing recorded while one remains."""
    plan = plan_selectors.plan_for(request.user, plan_id)
    units = OrgUnit.objects.filter(path__startswith=plan.administration.path).order_by("path")
    download = ActualsTemplateForm(request.GET if "period" in request.GET else None, units=units)
    upload = ActualsUploadForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    status = 200
    if download.is_bound and download.is_valid():
        try:
            data = services.actuals_template(
                actor=request_user(request),
                plan=plan,
                period=download.cleaned_data["period"],
                unit=download.cleaned_data["unit"],
            )
        except InvalidInput as error:
            for problem in error.problems:
                download.add_error(problem.location if problem.location in download.fields else None, problem.message)
        else:
            unit = download.cleaned_data["unit"]
            name = f"actuals-{plan.pk}-{download.cleaned_data['period']}" + (f"-{unit.code}" if unit else "")
            return _attachment(data, f"{name}.xlsx", XLSX)
    if download.is_bound and download.errors:
        status = 400
    if request.method == "POST" and upload.is_valid():
        try:
            report = services.actuals_import(
                actor=request_user(request), plan=plan, content=upload.cleaned_data["file"].read()
            )
        except (InvalidInput, PlanFileInvalid) as error:
            upload.add_error(None, error.message)
            problems = error.problems
            status = 400
        else:
            counts = {"c": report.created, "u": report.changed, "s": report.unchanged}
            if report.reports:
                # the plan's reporting calendar asks for these values: they wait in the reports
                message = _(
                    "Kept as draft values of the reports %(r)s, to be submitted there: "
                    "%(c)d new values, %(u)d corrected, %(s)d unchanged."
                ) % {**counts, "r": ", ".join(report.reports)}
            else:
                message = _("Recorded: %(c)d new values, %(u)d corrected, %(s)d unchanged.") % counts
            messages.success(request, message)
            return redirect("actuals-entry", plan.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "documents/actuals_entry.html",
        {**plan_context(request, plan, "documents"), "download": download, "upload": upload, "problems": problems},
        status=status,
    )


def _workshop_record(request: HttpRequest, workshop_id: int, extension: str) -> HttpResponse:
    """A workshop's record as a document, rendered now: it is small (``documents.workshop``)."""
    from waypoint.documents.pdf import render_pdf
    from waypoint.documents.word import render_docx
    from waypoint.documents.workshop import workshop_record

    workshop = workshop_selectors.workshop_for(request.user, workshop_id)
    document = workshop_record(workshop)
    data = render_pdf(document) if extension == "pdf" else render_docx(document)
    return _attachment(data, f"workshop-{workshop.pk}-record.{extension}", PDF if extension == "pdf" else DOCX)


def workshop_record_docx(request: HttpRequest, workshop_id: int) -> HttpResponse:
    return _workshop_record(request, workshop_id, "docx")


def workshop_record_pdf(request: HttpRequest, workshop_id: int) -> HttpResponse:
    return _workshop_record(request, workshop_id, "pdf")
