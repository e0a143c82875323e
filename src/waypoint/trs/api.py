"""Time Release Study endpoints: datasets and their statistics."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from waypoint.core.errors import InvalidInput
from waypoint.engine.trs.runner import Study, TrsInputError
from waypoint.trs import selectors
from waypoint.trs.models import Dataset, DatasetStatus

router = Router(tags=["time release studies"])


class DatasetOut(Schema):
    id: int
    name: str
    status: str
    declarations_in: int | None
    declarations_used: int | None
    quarantine: dict[str, int]
    dimensions: list[str]
    first_arrival: dt.datetime | None
    last_arrival: dt.datetime | None
    error: str


def dataset_out(d: Dataset) -> DatasetOut:
    return DatasetOut(
        id=d.pk,
        name=d.name,
        status=d.status,
        declarations_in=d.declarations_in,
        declarations_used=d.declarations_used,
        quarantine=dict(d.quarantine_counts),
        dimensions=list(d.dimensions),
        first_arrival=d.first_arrival,
        last_arrival=d.last_arrival,
        error=d.error,
    )


@router.get("/trs/datasets", response=list[DatasetOut])
def list_datasets(request: HttpRequest) -> list[DatasetOut]:
    return [dataset_out(d) for d in selectors.datasets_for(request.user)]


@router.get("/trs/datasets/{dataset_id}", response=DatasetOut)
def get_dataset(request: HttpRequest, dataset_id: int) -> DatasetOut:
    return dataset_out(selectors.dataset_for(request.user, dataset_id))


@router.get("/trs/datasets/{dataset_id}/report", response=list[dict[str, object]])
def report(request: HttpRequest, dataset_id: int, by: str = "", filters: str = "") -> list[dict[str, object]]:
    """One row per interval and group (hours), as ``waypoint trs report --format json``.
    ``by``: comma-separated dimensions; ``filters``: ``dimension=value`` pairs, comma-separated."""
    dataset = selectors.dataset_for(request.user, dataset_id)
    if dataset.status != DatasetStatus.READY:
        raise InvalidInput.at("dataset", "The dataset is not ready.")
    wanted: dict[str, str] = {}
    for part in (p.strip() for p in filters.split(",") if p.strip()):
        if "=" not in part:
            raise InvalidInput.at("filters", f"Write each filter as dimension=value ({part}).")
        name, value = part.split("=", 1)
        wanted[name.strip()] = value.strip()
    study = Study.reopen(dataset.study_file, threads=2)
    try:
        rows = study.statistics([d.strip() for d in by.split(",") if d.strip()], filters=wanted)
    except TrsInputError as error:
        raise InvalidInput.at("by" if "dimension" in str(error) else "filters", str(error)) from error
    finally:
        study.close()
    return [row.as_dict() for row in rows]
