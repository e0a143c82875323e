"""Pages of the documents app: a plan's documents (ask, watch, download), its workbooks, the
administration's template, and the plan workbook's import with its preview."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from waypoint.core.errors import EditConflict, InvalidInput, NotAllowed, NotFound
from waypoint.documents import selectors, services
from waypoint.documents.content import default_progress_period, progress_periods
from waypoint.documents.forms import (
    ActualsTemplateForm,
    ActualsUploadForm,
    LogframeMappingForm,
    LogframeUploadForm,
    PlanDocumentForm,
    ProgressReportForm,
    TemplateUploadForm,
    WorkbookUploadForm,
    levels_to_lines,
)
from waypoint.documents.logframe import logframe_workbook
from waypoint.documents.logframes import FIELDS, MappingSpec, guess_columns, guess_levels, header_year, workbook_headers
from waypoint.documents.models import DocumentKind, LevelMode, LogframeMapping, RenderStatus, StagedKind, StagedWorkbook
from waypoint.documents.templating import default_template
from waypoint.documents.workbook import plan_workbook
from waypoint.engine.plandiff import Subject
from waypoint.org.access import Access, planned_administrations, request_user
from waypoint.org.models import OrgUnit
from waypoint.plans import permissions as plan_permissions
from waypoint.plans import selectors as plan_selectors
from waypoint.plans.errors import PlanFileInvalid
from waypoint.plans.models import ElementKind
from waypoint.plans.planfile import plan_export
from waypoint.plans.views.common import plan_context
from waypoint.workshops import selectors as workshop_selectors

#: what each kind of change is about, as the preview's headings say it
SUBJECT_LABELS: dict[Subject, Any] = {
    Subject.PLAN: gettext_lazy("The plan"),
    Subject.ELEMENT: gettext_lazy("Elements"),
    Subject.RISK: gettext_lazy("Risks"),
    Subject.BUDGET: gettext_lazy("Budget lines"),
    Subject.INDICATOR: gettext_lazy("Indicators"),
    Subject.TARGET: gettext_lazy("Targets"),
    Subject.CAP: gettext_lazy("Budget caps"),
    Subject.ANALYSIS: gettext_lazy("Environmental scan"),
    Subject.FUNCTION: gettext_lazy("Functions"),
}
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _progress_form(plan: Any, data: Any = None) -> ProgressReportForm:
    periods = progress_periods(plan)
    return ProgressReportForm(data, periods=periods, default=default_progress_period(plan, periods))


def _page_context(request: HttpRequest, plan: Any, **extra: Any) -> dict[str, Any]:
    renders = list(selectors.renders_of(plan)[:30])
    return {
        **plan_context(request, plan, "documents"),
        "renders": renders,
        "waiting": any(not r.is_finished for r in renders),
        "plan_form": extra.pop("plan_form", None) or PlanDocumentForm(),
        "progress_form": extra.pop("progress_form", None) or _progress_form(plan),
        "template_form": extra.pop("template_form", None) or TemplateUploadForm(),
        "template": selectors.template_of(plan),
        "can_plan": plan_permissions.can_create_plan(request.user, plan.administration),
        "can_import_into": plan_permissions.can_edit_plan(request.user, plan) and not plan_permissions.is_locked(plan),
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
        form: Any = _progress_form(plan, request.POST)
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
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.download_name)


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


def _stage_workbook(
    form: WorkbookUploadForm, stage: Callable[[str, bytes], StagedWorkbook]
) -> tuple[StagedWorkbook | None, list[Any], int]:
    """Stage a valid upload form's workbook (both workbook imports): the staged workbook, or
    the problems shown on the form and the status to answer with (400: the file; 403: a
    right the file's content would need)."""
    upload = form.cleaned_data["file"]
    try:
        return stage(upload.name or "plan.xlsx", upload.read()), [], 200
    except (PlanFileInvalid, NotAllowed) as error:
        if isinstance(error, NotAllowed) and not error.problems:
            raise
        form.add_error(None, error.message)
        return None, error.problems, 400 if isinstance(error, PlanFileInvalid) else 403


def workbook_import(request: HttpRequest) -> HttpResponse:
    """Upload a plan workbook: it is checked and a preview shown; nothing is imported until the
    preview is confirmed."""
    if not planned_administrations(request.user):
        raise NotAllowed(_("Only planners can import a plan."))
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        staged, problems, status = _stage_workbook(
            form, lambda name, content: services.workbook_stage(actor=request_user(request), name=name, content=content)
        )
        if staged is not None:
            return redirect("workbook-preview", staged.pk)
    return render(request, "documents/workbook_import.html", {"form": form, "problems": problems}, status=status)


def plan_workbook_import(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Upload a plan workbook into this plan: checked, and what it would change shown; nothing is
    written until the preview is confirmed."""
    plan = plan_selectors.plan_for(request.user, plan_id)
    if not plan_permissions.can_edit_plan(request.user, plan):
        raise NotAllowed(_("Only planners of this plan can import a workbook into it."))
    plan_permissions.require_unlocked(plan)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        staged, problems, status = _stage_workbook(
            form,
            lambda name, content: services.workbook_into_stage(
                actor=request_user(request), plan=plan, name=name, content=content
            ),
        )
        if staged is not None:
            return redirect("workbook-preview", staged.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "documents/workbook_into.html",
        {**plan_context(request, plan, "documents"), "form": form, "problems": problems},
        status=status,
    )


def _into_preview(request: HttpRequest, staged: StagedWorkbook) -> HttpResponse:
    """The changes a staged workbook makes to its plan; the import itself on POST."""
    actor = request_user(request)
    plan = staged.plan
    assert plan is not None
    context = {**plan_context(request, plan, "documents"), "form": WorkbookUploadForm(), "staged": staged}
    if request.method == "POST":
        try:
            preview = services.workbook_into_confirm(actor=actor, staged=staged)
        except PlanFileInvalid as error:
            context.update(problems=error.problems, message=error.message)
            return render(request, "documents/workbook_into.html", context, status=400)
        except EditConflict as error:
            context.update(problems=[], message=error.message, conflict=True)
            return render(request, "documents/workbook_into.html", context, status=409)
        if preview.is_empty:
            messages.info(request, _("The workbook says what the plan says: nothing was changed."))
        else:
            messages.success(
                request, _("The workbook is imported into the plan: %(s)s.") % {"s": ", ".join(preview.summary())}
            )
        return redirect("plan-overview", plan.pk)
    try:
        preview = services.workbook_into_preview(bytes(staged.content), actor=actor, plan=plan)
    except PlanFileInvalid as error:
        context.update(problems=error.problems, message=error.message)
        return render(request, "documents/workbook_into.html", context, status=400)
    changes = preview.changes
    groups = [(subject, [c for c in changes if c.subject is subject]) for subject in Subject]
    context.update(
        preview=preview,
        summary=preview.summary(),
        groups=[(SUBJECT_LABELS[s], s.value, found) for s, found in groups if found],
        stale=preview.fingerprint != staged.fingerprint,
    )
    return render(request, "documents/workbook_into_preview.html", context)


def workbook_preview(request: HttpRequest, staged_id: int) -> HttpResponse:
    """What the import will make; the import itself on POST."""
    staged = selectors.staged_for(request.user, staged_id)
    if staged.kind == StagedKind.INTO_PLAN:
        return _into_preview(request, staged)
    if staged.kind == StagedKind.LOGFRAME:
        return redirect("logframe-map", staged.pk)
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
    plan_id = staged.plan_id
    services.workbook_discard(actor=request_user(request), staged=staged)
    return redirect("documents", plan_id) if plan_id is not None else redirect("plan-list")


def actuals_entry(request: HttpRequest, plan_id: int) -> HttpResponseBase:
    """The actuals entry template: download it for a period (and a unit), fill it offline,
    upload it back; every problem at its cell, and nothing recorded while one remains."""
    plan = plan_selectors.plan_for(request.user, plan_id)
    offered = selectors.actuals_units(request.user, plan)
    download = ActualsTemplateForm(
        request.GET if "period" in request.GET else None,
        units=offered.units,
        whole=offered.whole,
        default=offered.default,
    )
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


# --- any logframe workbook, through a saved column mapping ------------------------------------------


def _mappings_of(user: Any) -> Any:
    return LogframeMapping.objects.filter(administration__in=planned_administrations(user)).select_related(
        "administration", "saved_by"
    )


def logframe_import(request: HttpRequest) -> HttpResponse:
    """Upload a logframe workbook of any layout (and pick a saved mapping); the next page maps
    its columns."""
    administrations = planned_administrations(request.user)
    if not administrations:
        raise NotAllowed(_("Only planners can import a plan."))
    mappings = _mappings_of(request.user)
    form = LogframeUploadForm(request.POST or None, request.FILES or None, mappings=mappings)
    problems: list[Any] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            staged = services.logframe_stage(
                actor=request_user(request), name=upload.name or "logframe.xlsx", content=upload.read()
            )
        except PlanFileInvalid as error:
            form.add_error(None, error.message)
            problems = error.problems
            status = 400
        else:
            target = reverse("logframe-map", args=[staged.pk])
            mapping = form.cleaned_data.get("mapping")
            return redirect(f"{target}?mapping={mapping.pk}" if mapping else target)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "documents/logframe_import.html",
        {"form": form, "problems": problems, "mappings": mappings},
        status=status,
    )


def _mapping_initial(request: HttpRequest, staged: StagedWorkbook) -> tuple[dict[str, Any], LogframeMapping | None]:
    """The form's first values: a saved mapping's (``?mapping=ID``), else guesses from the
    first sheet's headers."""
    administrations = planned_administrations(request.user)
    mapping = None
    mapping_id = request.GET.get("mapping", "")
    if mapping_id.isdigit():
        mapping = _mappings_of(request.user).filter(pk=int(mapping_id)).first()
    if mapping is not None:
        spec = MappingSpec.of(mapping)
        header_row = spec.header_row
        sheet = spec.sheet
    else:
        sheet, header_row = "", 1
    _names, found = workbook_headers(bytes(staged.content), sheet, header_row)
    if mapping is None and found is not None:
        # a title row above the headers is common: take the first of the top rows with most headers
        best = found
        for row in range(2, 6):
            _n, candidate = workbook_headers(bytes(staged.content), "", row)
            if candidate is not None and len([h for h in candidate.headers if h]) > len([h for h in best.headers if h]):
                best, header_row = candidate, row
        found = best
        columns = guess_columns(found.headers)
        spec = MappingSpec(
            sheet=found.name,
            header_row=header_row,
            columns=columns,
            level_mode=LevelMode.COLUMN if "level" in columns and "code" not in columns else LevelMode.CODE,
            levels=guess_levels(found.values.get(columns.get("level", ""), [])),
        )
    elif mapping is None:
        spec = MappingSpec()
    years = sorted(y for h in spec.target_headers() if (y := header_year(h)) is not None)
    initial: dict[str, Any] = {
        "administration": mapping.administration if mapping else administrations[0],
        "title": staged.name.rsplit(".", 1)[0][:200],
        "start_year": years[0] if years else None,
        "end_year": years[-1] if years else None,
        "currency": "AZN",
        "sheet": spec.sheet,
        "header_row": spec.header_row,
        "level_mode": spec.level_mode,
        "levels": levels_to_lines(spec.levels),
        "code_in_indicator": spec.code_in_indicator,
        "tier_template": spec.tier_template,
        "targets": spec.target_headers(),
        "save_as": mapping.name if mapping else "",
    }
    for key in FIELDS:
        initial[f"col_{key}"] = spec.columns.get(key, "")
    return initial, mapping


def logframe_map(request: HttpRequest, staged_id: int) -> HttpResponse:
    """Map an uploaded logframe's columns to Waypoint's fields, preview the plan they make (every
    problem at its sheet, row and column), and create it."""
    staged = selectors.staged_for(request.user, staged_id)
    if staged.kind != StagedKind.LOGFRAME:
        return redirect("workbook-preview", staged.pk)
    administrations = OrgUnit.objects.filter(pk__in=[a.pk for a in planned_administrations(request.user)])
    raw = bytes(staged.content)
    action = request.POST.get("action", "")
    initial, mapping = _mapping_initial(request, staged)
    sheet = request.POST.get("sheet", initial["sheet"]) if request.method == "POST" else initial["sheet"]
    try:
        header_row = int(request.POST.get("header_row", initial["header_row"]))
    except (TypeError, ValueError):
        header_row = 1
    sheets, found = workbook_headers(raw, sheet, max(header_row, 1))
    headers = found.headers if found is not None else []
    bound = request.method == "POST" and action != "headers"
    form = LogframeMappingForm(
        request.POST if bound else None,
        initial=initial
        if request.method != "POST"
        else {**initial, **request.POST.dict(), "targets": request.POST.getlist("targets")},
        administrations=administrations,
        sheets=sheets,
        headers=headers,
    )
    context: dict[str, Any] = {
        "staged": staged,
        "form": form,
        "mapping": mapping,
        "sheet_values": found.values if found is not None else {},
        "problems": [],
    }
    status = 200
    if bound and form.is_valid():
        spec, plan_settings = form.spec(), form.settings()
        actor = request_user(request)
        try:
            if form.cleaned_data.get("save_as"):
                services.mapping_save(
                    actor=actor,
                    administration=plan_settings.administration,
                    name=form.cleaned_data["save_as"],
                    spec=spec,
                )
            if action == "import":
                report = services.logframe_confirm(actor=actor, staged=staged, spec=spec, settings=plan_settings)
                messages.success(
                    request,
                    _("The plan is imported as a draft: %(e)d elements, %(i)d indicators.")
                    % {"e": report.counts.get("elements", 0), "i": report.counts.get("indicators", 0)},
                )
                return redirect("plan-overview", report.plan.pk)
            preview, data = services.logframe_preview(raw, actor=actor, spec=spec, settings=plan_settings)
        except (PlanFileInvalid, InvalidInput) as error:
            context.update(problems=error.problems, message=error.message)
            status = 400
        else:
            kinds = dict(ElementKind.choices)
            indicators: dict[str, int] = {}
            for indicator in data["indicators"]:
                indicators[indicator["element"]] = indicators.get(indicator["element"], 0) + 1
            context.update(
                preview=preview,
                elements=[(e, kinds.get(e["kind"], e["kind"]), indicators.get(e["code"], 0)) for e in data["elements"]],
                counts=[
                    ngettext("%(n)d element", "%(n)d elements", preview.counts["elements"])
                    % {"n": preview.counts["elements"]},
                    ngettext("%(n)d indicator", "%(n)d indicators", preview.counts["indicators"])
                    % {"n": preview.counts["indicators"]},
                    ngettext("%(n)d target", "%(n)d targets", preview.counts["targets"])
                    % {"n": preview.counts["targets"]},
                ],
            )
    elif bound:
        status = 400
    return render(request, "documents/logframe_map.html", context, status=status)


@require_POST
def logframe_mapping_delete(request: HttpRequest, mapping_id: int) -> HttpResponse:
    mapping = LogframeMapping.objects.filter(pk=mapping_id).select_related("administration").first()
    if mapping is None or not Access.of(request.user).can_read(mapping.administration.path):
        raise NotFound(_("No such mapping."))
    services.mapping_delete(actor=request_user(request), mapping=mapping)
    messages.success(request, _("The mapping is deleted."))
    return redirect("logframe-import")


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
