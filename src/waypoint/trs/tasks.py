"""Background tasks of Time Release Studies, and their kind of background work
(``core.work``): what to do with a dataset whose worker was lost."""

from __future__ import annotations

from django_tasks import task

from waypoint.core import work
from waypoint.core.audit import Action, audit_record
from waypoint.trs import services
from waypoint.trs.models import Dataset, DatasetStatus


@task()
def ingest_dataset(dataset_id: int) -> str:
    """Read and validate a dataset; recompute the indicators bound to it."""
    dataset = services.ingest(dataset_id, queued=True)
    return str(dataset.status) if dataset is not None else "deleted"


def _enqueue(dataset_id: int) -> str:
    return str(ingest_dataset.enqueue(dataset_id).id)


def _give_up(dataset_id: int, reason: str) -> None:
    dataset = Dataset.objects.get(pk=dataset_id)
    services.discard_study(dataset)
    before = dataset.status
    Dataset.objects.filter(pk=dataset_id).update(status=DatasetStatus.FAILED, error=reason, stage="")
    audit_record(
        actor=None,
        action=Action.STATUS,
        instance=dataset,
        changes={"status": [before, DatasetStatus.FAILED], "reason": [None, reason]},
    )


def register() -> None:
    work.register(
        work.WorkKind(
            name=services.DATASET,
            model=Dataset,
            waiting=DatasetStatus.QUEUED,
            active=DatasetStatus.INGESTING,
            enqueue=_enqueue,
            give_up=_give_up,
            reset={"stage": ""},
        )
    )
