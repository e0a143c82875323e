"""Every write of the documents app: plan workbooks staged and imported, renders asked for,
the administration's DOCX template."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core import work
from waypoint.core.audit import Action, audit_record, audited_delete
from waypoint.core.errors import ApplicationError, InvalidInput, NotAllowed, Problem
from waypoint.documents import rendering
from waypoint.documents.actuals import ActualRow, TemplateRow, actuals_workbook, read_actuals_workbook
from waypoint.documents.content import PLAN_SECTIONS
from waypoint.documents.logframes import MappingSpec, PlanSettings, read_logframe
from waypoint.documents.merge import MergePreview, merge_preview, merge_write
from waypoint.documents.models import (
    DocumentFormat,
    DocumentKind,
    DocumentTemplate,
    LevelMode,
    LogframeMapping,
    Render,
    StagedKind,
    StagedWorkbook,
)
from waypoint.documents.templating import template_check
from waypoint.documents.workbook import check_archive, read_plan_workbook, relocate
from waypoint.engine.periods import Period
from waypoint.indicators import locks
from waypoint.indicators import permissions as indicator_permissions
from waypoint.indicators import rules as indicator_rules
from waypoint.indicators import services as indicator_services
from waypoint.indicators.models import Actual
from waypoint.monitoring import services as monitoring
from waypoint.monitoring.models import Assignment, AssignmentKind, ReportingCalendar
from waypoint.org.access import planned_administrations
from waypoint.org.models import OrgUnit, User
from waypoint.plans import permissions as plan_permissions
from waypoint.plans.models import Plan, TierTemplate
from waypoint.plans.planfile import ImportPreview, ImportReport, plan_import_preview, plan_import_report
from waypoint.plans.planfile.formats import IntoResult

#: how long an uploaded workbook waits for its import to be confirmed
STAGED_FOR = dt.timedelta(days=1)


def workbook_preview(content: bytes, *, actor: User | None) -> ImportPreview:
    """What importing the workbook would make; nothing is written.

    Raises:
        PlanFileInvalid: every problem, at its sheet and cell ("Elements!C12").
        NotAllowed: the actor may not import plans of the workbook's administration.
    """
    read = read_plan_workbook(content)
    try:
        return plan_import_preview(read.data, actor=actor)
    except ApplicationError as error:
        raise relocate(error, read) from error


def workbook_import(content: bytes, *, actor: User | None) -> ImportReport:
    """Create the plan a workbook describes, through the plan file's checks and writes (rights,
    every problem listed and nothing written on any, one transaction, one audit event).

    Raises:
        PlanFileInvalid: nothing is written; every problem at its sheet and cell.
        NotAllowed: the actor may not import plans of the workbook's administration, or the
            workbook brings units and the actor is not its administrator.
    """
    read = read_plan_workbook(content)
    try:
        return plan_import_report(read.data, actor=actor, source="xlsx")
    except ApplicationError as error:
        raise relocate(error, read) from error


@transaction.atomic
def workbook_stage(*, actor: User, name: str, content: bytes) -> StagedWorkbook:
    """Keep an uploaded workbook while its owner reads the preview (older ones are dropped).

    Raises:
        PlanFileInvalid: as ``workbook_preview``; nothing is kept.
        NotAllowed: as ``workbook_preview``.
    """
    workbook_preview(content, actor=actor)
    StagedWorkbook.objects.filter(uploaded_at__lt=timezone.now() - STAGED_FOR).delete()
    staged = StagedWorkbook.objects.create(uploaded_by=actor, name=name[:200], content=content)
    audit_record(
        actor=actor, action=Action.CREATE, instance=staged, changes={"name": staged.name, "size": len(content)}
    )
    return staged


def workbook_confirm(*, actor: User, staged: StagedWorkbook) -> ImportReport:
    """Import a staged workbook (checked again: the plans and units may have changed since the
    preview) and drop it.

    Raises:
        NotAllowed: the workbook was staged by somebody else.
        PlanFileInvalid: nothing is written; every problem at its sheet and cell.
    """
    if staged.uploaded_by_id != actor.pk:
        raise NotAllowed(_("Only the person who uploaded a workbook can import it."))
    report = workbook_import(bytes(staged.content), actor=actor)
    StagedWorkbook.objects.filter(pk=staged.pk).delete()
    return report


@transaction.atomic
def workbook_discard(*, actor: User, staged: StagedWorkbook) -> None:
    """Drop an uploaded workbook without importing it.

    Raises:
        NotAllowed: the workbook was staged by somebody else.
    """
    if staged.uploaded_by_id != actor.pk:
        raise NotAllowed(_("Only the person who uploaded a workbook can discard it."))
    audited_delete(actor=actor, instance=staged)


# --- a plan workbook into an existing plan ----------------------------------------------------------


def workbook_into_preview(content: bytes, *, actor: User | None, plan: Plan) -> MergePreview:
    """What importing the workbook into ``plan`` would change; nothing is written.

    Raises:
        NotAllowed: the actor is not a planner of the plan (checked before the workbook is read).
        PlanLocked: the plan is submitted, approved (open an amendment first) or superseded.
        PlanFileInvalid: every problem at its sheet and cell, the workbook's own and every
            difference in a part this import does not change.
    """
    if actor is not None and not plan_permissions.can_edit_plan(actor, plan):
        raise NotAllowed(_("Only planners of this plan can import a workbook into it."))
    plan_permissions.require_unlocked(plan)
    read = read_plan_workbook(content)
    try:
        return merge_preview(plan, read.data, actor=actor)
    except ApplicationError as error:
        raise relocate(error, read) from error


def workbook_into_import(
    content: bytes, *, actor: User | None, plan: Plan, expected_fingerprint: str | None = None, source: str = "xlsx"
) -> MergePreview:
    """Import the workbook into ``plan``: the preview's checks, then its changes in one
    transaction with one audit event (none when nothing changes). ``expected_fingerprint``: the
    plan's content the caller saw (a preview's ``fingerprint``); None takes the plan as it is
    now (the command line).

    Raises:
        NotAllowed, PlanLocked, PlanFileInvalid: as ``workbook_into_preview``; nothing is written.
        EditConflict: the plan changed after ``expected_fingerprint``; nothing is written.
    """
    preview = workbook_into_preview(content, actor=actor, plan=plan)
    merge_write(preview, actor=actor, expected_fingerprint=expected_fingerprint or preview.fingerprint, source=source)
    return preview


def workbook_into_cli(content: bytes, plan: Plan, actor: User | None, dry_run: bool) -> IntoResult:
    """``waypoint plan import FILE.xlsx --into PLAN_ID [--dry-run]``: the preview, and unless
    ``dry_run`` the import (as ``workbook_into_import``, the plan taken as it is now).

    Raises:
        NotAllowed, PlanLocked, PlanFileInvalid: as ``workbook_into_preview``; nothing is written.
    """
    if dry_run:
        preview = workbook_into_preview(content, actor=actor, plan=plan)
    else:
        preview = workbook_into_import(content, actor=actor, plan=plan, source="cli")
    return IntoResult(summary=preview.summary(), changes=[c.describe() for c in preview.changes])


@transaction.atomic
def workbook_into_stage(*, actor: User, plan: Plan, name: str, content: bytes) -> StagedWorkbook:
    """Keep a workbook to import into ``plan`` while its uploader reads the preview, with the
    plan's content fingerprint at that moment.

    Raises:
        NotAllowed, PlanLocked, PlanFileInvalid: as ``workbook_into_preview``; nothing is kept.
    """
    preview = workbook_into_preview(content, actor=actor, plan=plan)
    StagedWorkbook.objects.filter(uploaded_at__lt=timezone.now() - STAGED_FOR).delete()
    staged = StagedWorkbook.objects.create(
        uploaded_by=actor,
        name=name[:200],
        content=content,
        kind=StagedKind.INTO_PLAN,
        plan=plan,
        fingerprint=preview.fingerprint,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        instance=staged,
        plan_id=plan.pk,
        changes={"name": staged.name, "size": len(content), "into": plan.pk, "fingerprint": preview.fingerprint},
    )
    return staged


def workbook_into_confirm(*, actor: User, staged: StagedWorkbook) -> MergePreview:
    """Import a staged workbook into its plan, if the plan is as it was at the preview, and drop
    the workbook.

    Raises:
        NotAllowed: staged by somebody else, or the actor's rights changed.
        PlanFileInvalid, PlanLocked: nothing is written.
        EditConflict: the plan changed since the preview; nothing is written (the workbook is
            kept so that its preview can be shown anew).
    """
    if staged.uploaded_by_id != actor.pk:
        raise NotAllowed(_("Only the person who uploaded a workbook can import it."))
    if staged.kind != StagedKind.INTO_PLAN or staged.plan is None:
        raise NotAllowed(_("This workbook is not waiting to be imported into a plan."))
    preview = workbook_into_import(
        bytes(staged.content), actor=actor, plan=staged.plan, expected_fingerprint=staged.fingerprint
    )
    StagedWorkbook.objects.filter(pk=staged.pk).delete()
    return preview


# --- any logframe workbook, through a saved column mapping ------------------------------------------


def _mapping_problems(
    *, name: str, header_row: int, level_mode: str, levels: dict[str, str], tier_template: str
) -> list[Problem]:
    problems: list[Problem] = []
    if not name.strip():
        problems.append(Problem("name", _("Give the mapping a name, to find it again next time.")))
    elif len(name.strip()) > 100:
        problems.append(Problem("name", _("At most 100 characters.")))
    if not 1 <= header_row <= 1000:
        problems.append(Problem("header_row", _("The header row is a row number from 1 to 1000.")))
    if level_mode not in LevelMode.values:
        problems.append(Problem("level_mode", _("Choose how levels are recognised.")))
    if tier_template not in TierTemplate.values:
        problems.append(Problem("tier_template", _("Choose a results chain.")))
    wrong = [v for v in levels.values() if v not in ("goal", "objective", "initiative", "activity")]
    if wrong:
        problems.append(Problem("levels", _("Each level is goal, objective, initiative or activity.")))
    return problems


@transaction.atomic
def mapping_save(
    *,
    actor: User | None,
    administration: OrgUnit,
    name: str,
    spec: MappingSpec,
) -> LogframeMapping:
    """Save a column mapping under its name for the administration's planners (a mapping of
    the same name is replaced).

    Raises:
        NotAllowed: the actor is not a planner of the administration.
        InvalidInput: no name, a header row out of range, an unknown level or results chain.
    """
    if actor is not None and not plan_permissions.can_create_plan(actor, administration):
        raise NotAllowed(_("Only planners of %(code)s can save its mappings.") % {"code": administration.code})
    problems = _mapping_problems(
        name=name,
        header_row=spec.header_row,
        level_mode=spec.level_mode,
        levels=spec.levels,
        tier_template=spec.tier_template,
    )
    if problems:
        raise InvalidInput(
            problems[0].message if len(problems) == 1 else _("The mapping has problems."), problems=problems
        )
    columns: dict[str, object] = {k: str(v) for k, v in spec.columns.items() if k != "targets" and v}
    if spec.target_headers():
        columns["targets"] = spec.target_headers()
    mapping, created = LogframeMapping.objects.update_or_create(
        administration=administration,
        name=name.strip(),
        defaults={
            "sheet": spec.sheet[:31],
            "header_row": spec.header_row,
            "columns": columns,
            "level_mode": spec.level_mode,
            "levels": dict(spec.levels),
            "code_in_indicator": spec.code_in_indicator,
            "tier_template": spec.tier_template,
            "saved_by": actor,
        },
    )
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        instance=mapping,
        administration_id=administration.pk,
        changes={"name": mapping.name, "sheet": mapping.sheet, "columns": columns, "level_mode": mapping.level_mode},
    )
    return mapping


@transaction.atomic
def mapping_delete(*, actor: User, mapping: LogframeMapping) -> None:
    """Delete a saved mapping.

    Raises:
        NotAllowed: the actor is not a planner of the mapping's administration.
    """
    if not plan_permissions.can_create_plan(actor, mapping.administration):
        raise NotAllowed(_("Only planners can delete a saved mapping."))
    audited_delete(actor=actor, instance=mapping)


def logframe_preview(
    content: bytes, *, actor: User | None, spec: MappingSpec, settings: PlanSettings
) -> tuple[ImportPreview, dict[str, Any]]:
    """The plan a logframe workbook makes through ``spec``, checked as a plan file; nothing is
    written. Returns the import's preview and the plan file's JSON value.

    Raises:
        NotAllowed: the actor is not a planner of the administration (before the workbook is read).
        PlanFileInvalid: every problem at its sheet, row and column.
    """
    if actor is not None and not plan_permissions.can_create_plan(actor, settings.administration):
        raise NotAllowed(_("Only planners of %(code)s can import its plans.") % {"code": settings.administration.code})
    read = read_logframe(content, spec, settings)
    try:
        return plan_import_preview(read.data, actor=actor), read.data
    except ApplicationError as error:
        raise relocate(error, read) from error


def logframe_import(content: bytes, *, actor: User | None, spec: MappingSpec, settings: PlanSettings) -> ImportReport:
    """Create the plan a logframe workbook makes through ``spec``: the plan file's checks and
    writes (rights, every problem and nothing written on any, one transaction, one audit event).

    Raises:
        NotAllowed: as ``logframe_preview``.
        PlanFileInvalid: nothing is written; every problem at its sheet, row and column.
    """
    if actor is not None and not plan_permissions.can_create_plan(actor, settings.administration):
        raise NotAllowed(_("Only planners of %(code)s can import its plans.") % {"code": settings.administration.code})
    read = read_logframe(content, spec, settings)
    try:
        return plan_import_report(read.data, actor=actor, source="logframe")
    except ApplicationError as error:
        raise relocate(error, read) from error


@transaction.atomic
def logframe_stage(*, actor: User, name: str, content: bytes) -> StagedWorkbook:
    """Keep an uploaded logframe workbook while its uploader maps its columns.

    Raises:
        NotAllowed: the actor plans no administration.
        PlanFileInvalid: not a workbook, or past the size and row limits; nothing is kept.
    """
    if not planned_administrations(actor):
        raise NotAllowed(_("Only planners can import a plan."))
    check_archive(content)
    StagedWorkbook.objects.filter(uploaded_at__lt=timezone.now() - STAGED_FOR).delete()
    staged = StagedWorkbook.objects.create(
        uploaded_by=actor, name=name[:200], content=content, kind=StagedKind.LOGFRAME
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        instance=staged,
        changes={"name": staged.name, "size": len(content), "kind": "logframe"},
    )
    return staged


def logframe_confirm(*, actor: User, staged: StagedWorkbook, spec: MappingSpec, settings: PlanSettings) -> ImportReport:
    """Create the plan from a staged logframe workbook, and drop the workbook.

    Raises:
        NotAllowed: staged by somebody else, or the actor is not a planner of the administration.
        PlanFileInvalid: nothing is written; every problem at its sheet, row and column.
    """
    if staged.uploaded_by_id != actor.pk:
        raise NotAllowed(_("Only the person who uploaded a workbook can import it."))
    report = logframe_import(bytes(staged.content), actor=actor, spec=spec, settings=settings)
    StagedWorkbook.objects.filter(pk=staged.pk).delete()
    return report


# --- renders ------------------------------------------------------------------------------------------


def _render_rules(kind: str, fmt: str, period: str, sections: list[str], plan: Plan) -> list[Problem]:
    problems: list[Problem] = []
    if kind not in DocumentKind.values:
        problems.append(Problem("kind", _("Choose the strategic plan or a progress report.")))
    if fmt not in DocumentFormat.values:
        problems.append(Problem("format", _("Choose PDF or DOCX.")))
    unknown = [s for s in sections if s not in PLAN_SECTIONS]
    if unknown:
        problems.append(Problem("sections", _("Unknown sections: %(s)s.") % {"s": ", ".join(unknown)}))
    if kind == DocumentKind.PROGRESS_REPORT:
        try:
            parsed = Period.parse(period)
        except ValueError:
            problems.append(Problem("period", _("Give a period such as 2014Q2, 2014-05 or 2014.")))
        else:
            if not (plan.start_year <= parsed.start.year <= plan.end_year):
                problems.append(
                    Problem(
                        "period",
                        _("The period must fall within the plan (%(a)d–%(b)d).")
                        % {"a": plan.start_year, "b": plan.end_year},
                    )
                )
    elif period:
        problems.append(Problem("period", _("Only a progress report has a period.")))
    return problems


@transaction.atomic
def _render_insert(
    *, actor: User | None, plan: Plan, kind: str, fmt: str, period: str, sections: list[str], use_template: bool
) -> Render:
    Plan.objects.select_for_update(of=("self",)).filter(pk=plan.pk).first()  # numbers are given one at a time
    last = Render.objects.filter(plan=plan, kind=kind).order_by("-number").values_list("number", flat=True).first()
    render = Render.objects.create(
        plan=plan,
        kind=kind,
        format=fmt,
        period=period,
        sections=sections,
        use_template=use_template,
        number=(last or 0) + 1,
        requested_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        instance=render,
        plan_id=plan.pk,
        changes={"kind": kind, "format": fmt, "period": period, "sections": sections, "number": render.number},
    )
    return render


def render_request(
    *,
    actor: User | None,
    plan: Plan,
    kind: str,
    format: str,
    period: str = "",
    sections: list[str] | None = None,
    use_template: bool = False,
    run_now: bool = False,
) -> Render:
    """Ask for a document of the plan; the worker renders it in the background (``run_now``:
    in this process, for the command line). Anyone who may read the plan may ask.

    Raises:
        NotAllowed: the actor may not read the plan.
        InvalidInput: an unknown kind, format or section, or a period outside the plan.
    """
    if actor is not None and not plan_permissions.can_view_plan(actor, plan):
        raise NotAllowed(_("You cannot read this plan."))
    chosen = list(sections or [])
    problems = _render_rules(kind, format, period, chosen, plan)
    if use_template and not DocumentTemplate.objects.filter(administration=plan.administration).exists():
        problems.append(Problem("use_template", _("This administration has no DOCX template yet.")))
    if use_template and format != DocumentFormat.DOCX:
        problems.append(Problem("use_template", _("A DOCX template renders DOCX documents.")))
    if problems:
        raise InvalidInput(
            problems[0].message if len(problems) == 1 else _("The request has problems."), problems=problems
        )
    render = _render_insert(
        actor=actor, plan=plan, kind=kind, fmt=format, period=period, sections=chosen, use_template=use_template
    )
    if run_now:
        rendering.run_render(render.pk)
    else:
        # queued once the render is committed, so that the worker finds it
        work.enqueue(rendering.RENDER, render.pk)
    render.refresh_from_db()
    return render


@transaction.atomic
def render_delete(*, actor: User, render: Render) -> None:
    """Delete a stored document (its file too). Who asked for it, or a planner of the plan.

    Raises:
        NotAllowed: somebody else's document and the actor is not a planner of the plan.
    """
    if render.requested_by_id != actor.pk and not plan_permissions.can_edit_plan(actor, render.plan):
        raise NotAllowed(_("Only who asked for a document, or a planner, can delete it."))
    if render.file:
        name = str(render.file.name)
        storage = render.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    audited_delete(actor=actor, instance=render)


# --- the administration's template ------------------------------------------------------------------


@transaction.atomic
def template_upload(*, actor: User, plan: Plan, name: str, content: bytes) -> DocumentTemplate:
    """Store the administration's own DOCX template, after checking every placeholder against
    what the plan offers.

    Raises:
        NotAllowed: the actor is not a planner of the plan's administration.
        InvalidInput: not a DOCX file, or placeholders that do not render, each with where it is.
    """
    if not plan_permissions.can_create_plan(actor, plan.administration):
        raise NotAllowed(_("Only planners can change the administration's template."))
    template_check(content, plan)
    template, created = DocumentTemplate.objects.update_or_create(
        administration=plan.administration,
        defaults={"name": name[:200], "content": content, "uploaded_by": actor},
    )
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        instance=template,
        changes={"name": template.name, "size": len(content)},
    )
    return template


# --- for monitoring cycles ----------------------------------------------------------------------------


def period_approved(*, plan: Plan, period: str, actor: User | None = None) -> list[Render]:
    """Render the progress report of a reporting period once its values are approved at the
    top, in the background, as PDF and as DOCX, for the plan's readers to download. Monitoring
    calls it after the approval commits (registered in ``DocumentsConfig.ready`` with
    ``monitoring.hooks.on_period_approved``), with the approver as ``actor``.

    Raises:
        InvalidInput: the period is not one of the plan's.
    """
    return [
        render_request(actor=actor, plan=plan, kind=DocumentKind.PROGRESS_REPORT, format=fmt, period=period)
        for fmt in (DocumentFormat.PDF, DocumentFormat.DOCX)
    ]


# --- the actuals entry template -----------------------------------------------------------------------


@dataclass(frozen=True)
class ActualsImportReport:
    """What an imported actuals template did: values recorded, corrected, and rows that
    already said what is recorded. Where the plan has a reporting calendar the values are
    kept as drafts of the units' reports (``reports``: "BP-S1 2013", to be submitted there), and
    the counts are of those drafts."""

    created: int
    changed: int
    unchanged: int
    reports: tuple[str, ...] = ()


def actuals_template(*, actor: User | None, plan: Plan, period: str, unit: OrgUnit | None = None) -> bytes:
    """The actuals entry template for ``period``: one row per indicator of the plan reported
    for that kind of period that the actor may record — for ``unit`` (indicators reported by
    unit), or for the whole administration without one — the target and the value recorded so
    far prefilled.

    Raises:
        InvalidInput: the period is not a period code, no indicator is reported for it, or
            the unit is not of the plan's administration.
        NotAllowed: the actor may record none of the rows.
    """
    try:
        parsed = Period.parse(period)
    except ValueError as error:
        raise InvalidInput.at("period", str(error)) from error
    if unit is not None and not unit.path.startswith(plan.administration.path):
        raise InvalidInput.at("unit", _("%(code)s is not a unit of this administration.") % {"code": unit.code})
    rows: list[TemplateRow] = []
    refused = 0
    indicators = plan.indicators.select_related("plan__administration", "owner_unit").order_by("number", "pk")
    for indicator in indicators:
        problems, _found = indicator_rules.actual_period_problems(
            parsed.code, frequency=indicator.frequency, start_year=plan.start_year, end_year=plan.end_year
        )
        if problems or (unit is not None) != indicator.by_unit:
            continue
        if not indicator_permissions.can_record_actual(actor, indicator, unit):
            refused += 1
            continue
        target = indicator.targets.filter(period=parsed.code).first()
        recorded = Actual.objects.filter(indicator=indicator, period=parsed.code, unit=unit).first()
        rows.append(TemplateRow(indicator, unit, target.value if target else None, recorded))
    if not rows:
        if refused:
            raise NotAllowed(_("You may not record values for these indicators."))
        raise InvalidInput.at(
            "period",
            _("No indicator of this plan is reported for %(p)s%(u)s.")
            % {"p": parsed.code, "u": f" ({unit.code})" if unit is not None else ""},
        )
    return actuals_workbook(rows, parsed.code)


def actuals_import(*, actor: User | None, plan: Plan, content: bytes) -> ActualsImportReport:
    """Record the values a filled actuals template holds, all in one transaction: a row whose
    value is already recorded is left alone, a different value corrects the recorded one (an
    audit event each, by ``indicators.services.actual_record``). The workbook is read before
    the write transaction opens.

    Where the plan has a reporting calendar, a row the calendar asks a unit to report is kept
    as a draft value of that unit's report instead (``monitoring.services.submission_save``:
    its rights, its open period, an audit event each), for the unit to submit through the
    cycle; a row the calendar does not ask for is recorded as above.

    Raises:
        InvalidInput: nothing is written; every problem at its sheet and cell ("Actuals!G5"),
            a locked value (its report, or one above it, approved) or a report submitted
            already at the value's cell.
        PlanFileInvalid: the file is not a workbook, or is past the workbook limits.
    """
    rows, problems = read_actuals_workbook(content)
    if problems:
        raise InvalidInput(_problem_count(problems), problems=problems)
    if not rows:
        raise InvalidInput.at(_("workbook"), _("No row of the workbook has a value."))
    return _actuals_write(actor=actor, plan=plan, rows=rows)


def _problem_count(problems: list[Problem]) -> str:
    return ngettext("The workbook has %(n)d problem.", "The workbook has %(n)d problems.", len(problems)) % {
        "n": len(problems)
    }


@transaction.atomic
def _actuals_write(*, actor: User | None, plan: Plan, rows: list[ActualRow]) -> ActualsImportReport:
    problems: list[Problem] = []
    counts = {"created": 0, "changed": 0, "unchanged": 0, "problem": 0}
    indicators = {i.code: i for i in plan.indicators.select_related("plan__administration", "owner_unit")}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={r.unit for r in rows if r.unit})}
    calendar = ReportingCalendar.objects.filter(plan=plan).first()
    reports: set[str] = set()
    seen: set[tuple[str, str, str]] = set()
    for row in rows:
        indicator = indicators.get(row.indicator)
        if indicator is None:
            problems.append(
                Problem(
                    row.cell("indicator"), _("%(code)s is not an indicator of this plan.") % {"code": row.indicator}
                )
            )
            continue
        unit = units.get(row.unit) if row.unit else None
        if row.unit and unit is None:
            problems.append(Problem(row.cell("unit"), _("Unknown unit %(code)s.") % {"code": row.unit}))
            continue
        if (row.indicator, row.unit, row.period) in seen:
            problems.append(Problem(row.cell("indicator"), _("A second row for this indicator, unit and period.")))
            continue
        seen.add((row.indicator, row.unit, row.period))
        assignment = (
            Assignment.objects.filter(
                submission__period__calendar=calendar,
                submission__period__code=row.period,
                kind=AssignmentKind.VALUE,
                indicator=indicator,
                value_unit=unit,
            )
            .select_related("indicator", "value_unit", "submission__unit", "submission__period")
            .first()
            if calendar is not None
            else None
        )
        if assignment is not None:
            counts[_draft_write(actor, assignment, row, problems)] += 1
            reports.add(str(assignment.submission))
            continue
        recorded = Actual.objects.filter(indicator=indicator, period=row.period, unit=unit).first()
        if recorded is not None and recorded.value == row.value and recorded.evidence == row.evidence:
            counts["unchanged"] += 1
            continue
        try:
            indicator_services.actual_record(
                actor=actor,
                indicator=indicator,
                period=row.period,
                value=row.value,
                unit=unit,
                evidence=row.evidence,
                actual=recorded,
            )
        except NotAllowed as error:
            problems.append(Problem(row.cell("value"), error.message))
        except InvalidInput as error:
            for problem in error.problems:
                key = {"period": "period", "unit": "unit", "evidence": "evidence"}.get(problem.location, "value")
                problems.append(Problem(row.cell(key), problem.message))
        else:
            counts["changed" if recorded is not None else "created"] += 1
    if problems:
        # everything recorded above goes back with the transaction: all rows or none
        raise InvalidInput(_problem_count(problems), problems=problems)
    return ActualsImportReport(
        created=counts["created"],
        changed=counts["changed"],
        unchanged=counts["unchanged"],
        reports=tuple(sorted(reports)),
    )


def _draft_write(actor: User | None, assignment: Assignment, row: ActualRow, problems: list[Problem]) -> str:
    """Keep a row's value as the draft of its report's assignment; which count it adds to
    ("problem" when it was refused, its problems appended at the row's cells)."""
    evidence = row.evidence or None  # an empty cell leaves the draft's evidence as it is
    if assignment.value == row.value and (evidence is None or assignment.evidence == evidence):
        return "unchanged"
    assert assignment.indicator is not None
    # the report, or one above it, approved: say so (the report alone would say "approved")
    reason = locks.lock_reason(assignment.indicator, row.period, assignment.value_unit)
    if reason:
        problems.append(Problem(row.cell("value"), reason))
        return "problem"
    try:
        monitoring.submission_save(
            actor=actor,
            submission=assignment.submission,
            entries={assignment.pk: monitoring.Entry(value=row.value, evidence=evidence)},
        )
    except NotAllowed as error:
        problems.append(Problem(row.cell("value"), error.message))
    except InvalidInput as error:
        for problem in error.problems:
            # "status" (submitted already), "a<id>.value", "period" (entry not open yet), ...
            field = problem.location.rsplit(".", 1)[-1]
            key = {"period": "period", "evidence": "evidence", "evidence_file": "evidence"}.get(field, "value")
            problems.append(Problem(row.cell(key), problem.message))
    else:
        return "created" if assignment.value is None else "changed"
    return "problem"
