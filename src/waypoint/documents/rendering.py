"""The worker's side of a render: hold it (``core.work``), build the document, store the file
with the plan's version and fingerprint, tell whoever asked that it is ready."""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from waypoint.core import work
from waypoint.core.audit import Action, audit_record
from waypoint.documents import content
from waypoint.documents.blocks import Document
from waypoint.documents.models import DocumentFormat, DocumentKind, DocumentTemplate, Render, RenderStatus
from waypoint.engine.periods import Period
from waypoint.org.notifications import Message, notify
from waypoint.plans.translations import text_for

__all__ = ["RENDER", "build", "run_render"]

logger = logging.getLogger(__name__)
#: the name ``documents.tasks`` registers renders under in ``core.work``
RENDER = "documents.render"
#: how long a render may take before its lease runs out without a heartbeat (the command line)
EXPECTED_S = 120.0


def _document(render: Render, step: Any) -> Document:
    plan = render.plan
    if render.kind == DocumentKind.PROGRESS_REPORT:
        return content.progress_report(plan, Period.parse(render.period), number=render.number, progress=step)
    return content.strategic_plan(plan, sections=render.sections, number=render.number, progress=step)


def build(render: Render, step: Any = None) -> bytes:
    """The document's bytes (no database write)."""
    from waypoint.documents.pdf import render_pdf
    from waypoint.documents.templating import render_template
    from waypoint.documents.word import render_docx

    if render.use_template:
        template = DocumentTemplate.objects.get(administration=render.plan.administration)
        return render_template(bytes(template.content), render.plan, number=render.number)
    document = _document(render, step)
    if step is not None:
        step(_("Laying out the pages"))
    return render_pdf(document) if render.format == DocumentFormat.PDF else render_docx(document)


def run_render(render_id: int, *, queued: bool = False) -> Render | None:
    """Render a stored request (the background task's body); ``None`` when it was deleted.

    Progress is written as the sections are built; the file, the plan's version and the audit
    event are one transaction, written only while this worker still holds the render.
    """
    render = Render.objects.select_related("plan", "plan__administration", "requested_by").filter(pk=render_id).first()
    if render is None or render.is_finished:
        return render
    lease = work.hold(RENDER, render.pk, queued=queued, expected_s=EXPECTED_S, started_at=timezone.now())
    if lease is None:
        render.refresh_from_db()
        return render
    language = getattr(render.requested_by, "language", "") or translation.get_language()
    steps = len(content.PLAN_SECTIONS) + 2 if render.kind == DocumentKind.STRATEGIC_PLAN else 9
    done = [0]

    def step(stage: str) -> None:
        done[0] += 1
        try:
            Render.objects.filter(pk=render.pk).update(progress={"step": done[0], "of": steps, "stage": stage})
        except work.TRANSIENT_ERRORS as error:  # progress is a courtesy
            logger.warning("render %s: progress not written (%s)", render.pk, error)

    try:
        with translation.override(language):
            data = build(render, step)
            plan_version, fingerprint = render.plan.version, content.fingerprint(render.plan)
            plan_edition = content.edition(render.plan).number
    except Exception as error:
        logger.exception("render %s failed", render.pk)
        Render.objects.filter(pk=render.pk, held_by=lease.holder).update(
            status=RenderStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        lease.release()
        return Render.objects.get(pk=render.pk)
    try:
        if not lease.lost.is_set():
            work.retry_locked(
                lambda: _store(render, lease, data, plan_version, plan_edition, fingerprint),
                what=f"render {render.pk}",
            )
    finally:
        lease.release()
    return Render.objects.filter(pk=render.pk).first()


@transaction.atomic
def _store(
    render: Render, lease: work.Lease, data: bytes, plan_version: int, plan_edition: int, fingerprint: str
) -> None:
    if not lease.confirm():
        return  # taken away from this worker meanwhile: the one that has it now stores its own
    render.refresh_from_db()
    render.plan_version = plan_version
    render.plan_edition = plan_edition
    render.plan_status = render.plan.status
    render.fingerprint = fingerprint
    render.status = RenderStatus.DONE
    render.finished_at = timezone.now()
    render.file.save(render.filename, ContentFile(data), save=False)
    render.size = len(data)
    render.progress = {"step": render.progress.get("of", 1), "of": render.progress.get("of", 1), "stage": ""}
    render.save()
    audit_record(
        actor=None,
        action=Action.STATUS,
        instance=render,
        plan_id=render.plan_id,
        changes={"status": [RenderStatus.QUEUED, RenderStatus.DONE], "size": render.size, "fingerprint": fingerprint},
    )
    if render.requested_by is not None:
        with translation.override(getattr(render.requested_by, "language", "") or None):
            notify(
                recipient=render.requested_by,
                key=f"document-ready-{render.pk}",
                message=Message(
                    subject=_("Your document is ready: %(doc)s") % {"doc": render.title},
                    body=_("%(doc)s of “%(plan)s” (%(format)s) can be downloaded.")
                    % {
                        "doc": render.get_kind_display(),
                        "plan": text_for(render.plan, "title", render.plan.language).text,
                        "format": render.get_format_display(),
                    },
                    url=reverse("documents", args=[render.plan_id]),
                ),
            )
