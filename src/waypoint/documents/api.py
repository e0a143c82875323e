"""The documents API: ask for a render and fetch it; the plan workbook out and in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from waypoint.core.errors import InvalidInput, NotFound, Problem
from waypoint.documents import selectors, services
from waypoint.documents.logframe import logframe_workbook
from waypoint.documents.logframes import FIELDS, MappingSpec, PlanSettings
from waypoint.documents.models import LogframeMapping, Render, RenderStatus
from waypoint.documents.workbook import plan_workbook
from waypoint.org.access import Access, planned_administration, request_user
from waypoint.org.models import OrgUnit
from waypoint.plans import selectors as plan_selectors
from waypoint.plans.planfile import plan_export

router = Router(tags=["documents"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# defined before /plans/{plan_id}/workbook, whose pattern would take this path first
class CountOut(Schema):
    part: str
    count: int


class WorkbookImportOut(Schema):
    imported: bool = Field(description="false: a preview, nothing written (confirm=false)")
    plan: int | None
    title: str
    counts: list[CountOut]
    units_created: list[str]


@router.post(
    "/plans/import/workbook",
    response={200: WorkbookImportOut, 201: WorkbookImportOut},
    summary="Check an XLSX plan workbook (the request body) and, with confirm=true, import it as a new draft plan",
)
def import_workbook(request: HttpRequest, confirm: bool = False) -> Status[WorkbookImportOut]:
    """Every problem is located at its sheet and cell (``Elements!C12``); nothing is written
    unless ``confirm`` is true and the workbook is clean."""
    actor = request_user(request)
    if not confirm:
        preview = services.workbook_preview(request.body, actor=actor)
        return Status(
            200,
            WorkbookImportOut(
                imported=False,
                plan=None,
                title=preview.review.doc.plan.title,
                counts=[CountOut(part=k, count=v) for k, v in preview.counts.items()],
                units_created=preview.units_to_create,
            ),
        )
    report = services.workbook_import(request.body, actor=actor)
    return Status(
        201,
        WorkbookImportOut(
            imported=True,
            plan=report.plan.pk,
            title=report.plan.title,
            counts=[CountOut(part=k, count=v) for k, v in report.counts.items()],
            units_created=report.units_created,
        ),
    )


class ChangeCountOut(Schema):
    change: str = Field(description="What and how: element added, indicator removed, target changed …")
    count: int
    text: str = Field(description="The count in words, in the caller's language.")


class ChangeOut(Schema):
    kind: str = Field(description="added, removed, moved or changed")
    subject: str = Field(description="plan, element, risk, budget, indicator or target")
    code: str
    label: str
    key: str
    field: str
    old: object | None = None
    new: object | None = None


class WorkbookIntoOut(Schema):
    imported: bool = Field(description="false: a preview, nothing written (confirm=false)")
    plan: int
    fingerprint: str = Field(
        description="The plan's content the preview was made from: send it back with confirm=true; a plan "
        "changed since is refused with 409."
    )
    counts: list[ChangeCountOut]
    changes: list[ChangeOut]


_CONFLICT = {
    409: {
        "description": "The plan changed after the preview (its fingerprint differs): nothing was written.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ConflictOut"}}},
    }
}


@router.post(
    "/plans/{plan_id}/import/workbook",
    response={200: WorkbookIntoOut},
    summary="Check an XLSX plan workbook (the request body) against the plan and, with confirm=true and the "
    "preview's fingerprint, import its changes into the plan",
    openapi_extra={"responses": _CONFLICT},
)
def import_workbook_into(
    request: HttpRequest, plan_id: int, confirm: bool = False, fingerprint: str = ""
) -> WorkbookIntoOut:
    """Every problem is located at its sheet and cell; nothing is written unless ``confirm`` is
    true, the workbook is clean and the plan is as it was at the preview (``fingerprint``)."""
    plan = plan_selectors.plan_for(request.user, plan_id)
    actor = request_user(request)
    if confirm:
        if not fingerprint.strip():
            raise InvalidInput.at(
                "fingerprint",
                _("Send the fingerprint of the preview, so that a plan changed since is not overwritten."),
            )
        preview = services.workbook_into_import(
            request.body, actor=actor, plan=plan, expected_fingerprint=fingerprint.strip(), source="api"
        )
    else:
        preview = services.workbook_into_preview(request.body, actor=actor, plan=plan)
    return WorkbookIntoOut(
        imported=confirm,
        plan=plan.pk,
        fingerprint=preview.fingerprint,
        counts=[ChangeCountOut(change=k, count=n, text=text) for k, n, text in preview.counted()],
        changes=[ChangeOut(**c.as_dict()) for c in preview.changes],
    )


class MappingIn(Schema):
    administration: str = Field(description="Code of the administration the mapping is for.")
    name: str = Field(description="The mapping's name; a mapping of the same name is replaced.")
    sheet: str = Field("", description="The sheet's name; empty: the workbook's first sheet.")
    header_row: int = Field(1, description="The row of the headers; data starts on the row below.")
    columns: dict[str, str] = Field(
        default_factory=dict,
        description="Waypoint's field (code, title, level, parent, responsible_unit, description, assumptions, "
        "indicator, indicator_code, unit_of_measure, baseline, baseline_year, means_of_verification, "
        "data_source) → the header text of the column holding it.",
    )
    targets: list[str] = Field(default_factory=list, description="Headers of the target columns, each naming its year.")
    level_mode: str = Field("code", description="column, code or indent: how a row's level is recognised.")
    levels: dict[str, str] = Field(
        default_factory=dict, description="A value of the level column → goal, objective, initiative or activity."
    )
    code_in_indicator: bool = Field(False, description="The indicator column starts with the indicator's code.")
    tier_template: str = Field("customs", description="customs or logframe: the plan's results chain.")


class MappingOut(MappingIn):
    id: int


def mapping_out(mapping: LogframeMapping) -> MappingOut:
    columns = {k: str(v) for k, v in mapping.columns.items() if k != "targets"}
    targets = mapping.columns.get("targets") or []
    return MappingOut(
        id=mapping.pk,
        administration=mapping.administration.code,
        name=mapping.name,
        sheet=mapping.sheet,
        header_row=mapping.header_row,
        columns=columns,
        targets=[str(t) for t in targets] if isinstance(targets, list) else [],
        level_mode=mapping.level_mode,
        levels={str(k): str(v) for k, v in mapping.levels.items()},
        code_in_indicator=mapping.code_in_indicator,
        tier_template=mapping.tier_template,
    )


@router.get("/logframe-mappings", response=list[MappingOut], summary="The saved logframe column mappings")
def list_mappings(request: HttpRequest) -> list[MappingOut]:
    """The mappings of the administrations the caller has a role in."""
    access = Access.of(request.user)
    found = LogframeMapping.objects.select_related("administration").order_by("administration__code", "name")
    return [mapping_out(m) for m in found if access.can_read(m.administration.path)]


def _mapping_for(user: Any, mapping_id: int) -> LogframeMapping:
    """A saved mapping of an administration the user has a role in.

    Raises:
        NotFound: no such mapping, or one of another administration (the same answer).
    """
    mapping = LogframeMapping.objects.filter(pk=mapping_id).select_related("administration").first()
    if mapping is None or not Access.of(user).can_read(mapping.administration.path):
        raise NotFound(_("No such mapping."))
    return mapping


@router.post(
    "/logframe-mappings", response={200: MappingOut}, summary="Save a logframe column mapping (replaced by name)"
)
def save_mapping(request: HttpRequest, payload: MappingIn) -> MappingOut:
    administration = planned_administration(request.user, payload.administration)
    columns: dict[str, object] = dict(payload.columns)
    if payload.targets:
        columns["targets"] = list(payload.targets)
    unknown = [k for k in payload.columns if k not in FIELDS]
    if unknown:
        raise InvalidInput.at("columns", _("Unknown fields: %(f)s.") % {"f": ", ".join(unknown)})
    mapping = services.mapping_save(
        actor=request_user(request),
        administration=administration,
        name=payload.name,
        spec=MappingSpec(
            sheet=payload.sheet,
            header_row=payload.header_row,
            columns=columns,
            level_mode=payload.level_mode,
            levels=dict(payload.levels),
            code_in_indicator=payload.code_in_indicator,
            tier_template=payload.tier_template,
        ),
    )
    return mapping_out(mapping)


@router.delete("/logframe-mappings/{mapping_id}", response={204: None}, summary="Delete a saved logframe mapping")
def delete_mapping(request: HttpRequest, mapping_id: int) -> Status[None]:
    mapping = _mapping_for(request.user, mapping_id)
    services.mapping_delete(actor=request_user(request), mapping=mapping)
    return Status(204, None)


@router.post(
    "/logframe-mappings/{mapping_id}/import",
    response={200: WorkbookImportOut, 201: WorkbookImportOut},
    summary="Read an XLSX logframe (the request body) through a saved mapping and, with confirm=true, import "
    "it as a new draft plan",
)
def import_logframe(
    request: HttpRequest,
    mapping_id: int,
    title: str,
    start_year: int,
    end_year: int,
    currency: str = "AZN",
    confirm: bool = False,
) -> Status[WorkbookImportOut]:
    """Every problem is located at its sheet, row and column (``Logframe!C12``); nothing is
    written unless ``confirm`` is true and the workbook is clean."""
    found = _mapping_for(request.user, mapping_id)
    actor = request_user(request)
    problems = []
    if not 1900 <= start_year <= 2200:
        problems.append(Problem("start_year", _("A year from 1900 to 2200.")))
    if not 1900 <= end_year <= 2200:
        problems.append(Problem("end_year", _("A year from 1900 to 2200.")))
    if problems:
        raise InvalidInput(problems[0].message, problems=problems)
    settings = PlanSettings(
        administration=found.administration,
        title=title,
        start_year=start_year,
        end_year=end_year,
        currency=currency.upper()[:3],
    )
    spec = MappingSpec.of(found)
    if not confirm:
        preview, _data = services.logframe_preview(request.body, actor=actor, spec=spec, settings=settings)
        return Status(
            200,
            WorkbookImportOut(
                imported=False,
                plan=None,
                title=preview.review.doc.plan.title,
                counts=[CountOut(part=k, count=v) for k, v in preview.counts.items()],
                units_created=preview.units_to_create,
            ),
        )
    report = services.logframe_import(request.body, actor=actor, spec=spec, settings=settings)
    return Status(
        201,
        WorkbookImportOut(
            imported=True,
            plan=report.plan.pk,
            title=report.plan.title,
            counts=[CountOut(part=k, count=v) for k, v in report.counts.items()],
            units_created=report.units_created,
        ),
    )


class RenderIn(Schema):
    kind: str = Field("plan", description="plan (the strategic plan) or progress (a progress report)")
    format: str = Field("pdf", description="pdf or docx")
    period: str = Field("", description="The reporting period of a progress report, e.g. 2014Q2.")
    sections: list[str] = Field(
        default_factory=list, description="Sections of the strategic plan; none: every section the data supports."
    )
    use_template: bool = Field(False, description="Render through the administration's DOCX template.")


class RenderOut(Schema):
    id: int
    plan: int
    kind: str
    format: str
    period: str
    sections: list[str]
    number: int
    status: str = Field(description="queued, rendering, done or failed")
    progress: dict[str, object]
    plan_version: int = Field(description="The plan's edit counter when rendered (the one If-Match checks).")
    plan_edition: int = Field(
        description="The plan's version as its approval history numbers it: the version approved, "
        "submitted, or the one a draft becomes; 0 until rendered."
    )
    title: str = Field(description="The plan title, the report's period, the plan's version and the date.")
    fingerprint: str = Field(description="First characters of the SHA-256 of the plan's JSON export when rendered.")
    size: int
    error: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    download: str | None = Field(description="Where to fetch the file once it is done.")


def render_out(render: Render) -> RenderOut:
    return RenderOut(
        id=render.pk,
        plan=render.plan_id,
        kind=render.kind,
        format=render.format,
        period=render.period,
        sections=list(render.sections),
        number=render.number,
        status=render.status,
        progress=dict(render.progress),
        plan_version=render.plan_version,
        plan_edition=render.plan_edition,
        title=render.title,
        fingerprint=render.fingerprint,
        size=render.size,
        error=render.error,
        created_at=render.created_at,
        finished_at=render.finished_at,
        download=reverse("api:document_file", args=[render.pk]) if render.status == RenderStatus.DONE else None,
    )


@router.post(
    "/plans/{plan_id}/documents",
    response={202: RenderOut},
    summary="Ask for the strategic plan or a progress report; it is rendered in the background",
)
def request_render(request: HttpRequest, plan_id: int, payload: RenderIn) -> Status[RenderOut]:
    plan = plan_selectors.plan_for(request.user, plan_id)
    render = services.render_request(
        actor=request_user(request),
        plan=plan,
        kind=payload.kind,
        format=payload.format,
        period=payload.period,
        sections=payload.sections,
        use_template=payload.use_template,
    )
    return Status(202, render_out(render))


@router.get("/plans/{plan_id}/documents", response=list[RenderOut], summary="The plan's rendered documents")
def list_renders(request: HttpRequest, plan_id: int) -> list[RenderOut]:
    plan = plan_selectors.plan_for(request.user, plan_id)
    return [render_out(r) for r in selectors.renders_of(plan)[:100]]


@router.get("/documents/{render_id}", response=RenderOut, summary="A render's status and progress")
def get_render(request: HttpRequest, render_id: int) -> RenderOut:
    return render_out(selectors.render_for(request.user, render_id))


@router.get(
    "/documents/{render_id}/file",
    url_name="document_file",
    summary="The rendered file (PDF or DOCX); 400 while it is not ready",
)
def get_render_file(request: HttpRequest, render_id: int) -> HttpResponseBase:
    render = selectors.render_for(request.user, render_id)
    if render.status != RenderStatus.DONE or not render.file:
        raise InvalidInput.at("status", _("The document is not ready (%(s)s).") % {"s": render.status})
    return FileResponse(render.file.open("rb"), as_attachment=True, filename=render.download_name)


@router.get("/plans/{plan_id}/workbook", summary="The whole plan as the XLSX plan workbook")
def export_workbook(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_for(request.user, plan_id)
    response = HttpResponse(plan_workbook(plan_export(plan)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}.xlsx"'
    return response


@router.get("/plans/{plan_id}/logframe-workbook", summary="The logframe as a styled XLSX workbook")
def export_logframe(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_for(request.user, plan_id)
    response = HttpResponse(logframe_workbook(plan), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}-logframe.xlsx"'
    return response


@router.get(
    "/plans/{plan_id}/actuals/template",
    summary="The actuals entry template (XLSX) for a period, and a unit's rows with unit",
)
def actuals_template(request: HttpRequest, plan_id: int, period: str, unit: str = "") -> HttpResponse:
    """One row per indicator the caller may record for ``period``: for ``unit`` (a unit's
    code; indicators reported by unit), or for the whole administration without one."""
    plan = plan_selectors.plan_for(request.user, plan_id)
    found = None
    if unit:
        found = OrgUnit.objects.filter(code=unit[:50]).first()
        if found is None:
            raise InvalidInput.at("unit", _("Unknown unit %(code)s.") % {"code": unit[:50]})
    data = services.actuals_template(actor=request_user(request), plan=plan, period=period[:20], unit=found)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="actuals-{plan.pk}.xlsx"'
    return response


class ActualsImportOut(Schema):
    created: int = Field(description="Values recorded for the first time")
    changed: int = Field(description="Recorded values corrected")
    unchanged: int = Field(description="Rows that said what was already recorded")
    reports: list[str] | None = Field(
        None,
        description="Only where the plan has a reporting calendar: the unit reports (unit code and "
        "period) whose draft values the rows became, to be submitted there",
    )


@router.post(
    "/plans/{plan_id}/actuals/import",
    response=ActualsImportOut,
    summary="Record the values of a filled actuals template (the request body); all or nothing",
    exclude_none=True,
)
def actuals_import(request: HttpRequest, plan_id: int) -> ActualsImportOut:
    """Every problem is located at its cell (``Actuals!G5``); nothing is recorded while one
    remains."""
    plan = plan_selectors.plan_for(request.user, plan_id)
    report = services.actuals_import(actor=request_user(request), plan=plan, content=request.body)
    return ActualsImportOut(
        created=report.created,
        changed=report.changed,
        unchanged=report.unchanged,
        reports=list(report.reports) or None,
    )
