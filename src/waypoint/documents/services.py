"""Every write of the documents app: plan workbooks staged and imported, renders asked for,
the administration's DOCX template."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.core.audit import Action, audit_record
from waypoint.core.errors import ApplicationError, NotAllowed
from waypoint.documents.models import StagedWorkbook
from waypoint.documents.workbook import read_plan_workbook, relocate
from waypoint.org.models import User
from waypoint.plans.planfile import ImportPreview, ImportReport, plan_import_preview, plan_import_report

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
