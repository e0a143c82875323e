"""Background renders, and their kind of background work (``core.work``): what to do with a
render whose worker was lost."""

from __future__ import annotations

from django_tasks import task

from waypoint.core import work
from waypoint.core.audit import Action, audit_record
from waypoint.documents import rendering
from waypoint.documents.models import Render, RenderStatus


@task()
def render_document(render_id: int) -> str:
    """Render a requested document."""
    render = rendering.run_render(render_id, queued=True)
    return str(render.status) if render is not None else "deleted"


def _enqueue(render_id: int) -> str:
    return str(render_document.enqueue(render_id).id)


def _give_up(render_id: int, reason: str) -> None:
    render = Render.objects.get(pk=render_id)
    before = render.status
    Render.objects.filter(pk=render_id).update(status=RenderStatus.FAILED, error=reason)
    audit_record(
        actor=None,
        action=Action.STATUS,
        instance=render,
        plan_id=render.plan_id,
        changes={"status": [before, RenderStatus.FAILED], "reason": [None, reason]},
    )


def register() -> None:
    work.register(
        work.WorkKind(
            name=rendering.RENDER,
            model=Render,
            waiting=RenderStatus.QUEUED,
            active=RenderStatus.RENDERING,
            enqueue=_enqueue,
            give_up=_give_up,
            reset={"progress": {}},
        )
    )
