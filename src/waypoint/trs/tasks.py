"""Background tasks of Time Release Studies."""

from __future__ import annotations

from django_tasks import task

from waypoint.trs import services


@task()
def ingest_dataset(dataset_id: int) -> str:
    """Read and validate a dataset; recompute the indicators bound to it."""
    return str(services.ingest(dataset_id).status)
