"""Time Release Study endpoints: datasets and their statistics."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from waypoint.core.errors import InvalidInput
from waypoint.engine.trs.runner import Study, TrsInputError
from waypoint.trs import selectors
from waypoint.trs.models import Dataset, DatasetStatus

router = Router(tags=["time release studies"])


class SetAsideOut(Schema):
    declaration: str = Field(description="The declaration id; empty for a row without one (see line).")
    reason: str
    detail: str
    line: int | None = Field(
        None,
        description="For a row without a declaration id: its line in a CSV file (the header is line 1), "
        "its row in a spreadsheet (the header is row 1) or in a Parquet file (from 1).",
    )
    file: str = Field("", description="The file of a directory of Parquet files that holds the row.")


class DatasetOut(Schema):
    id: int
    name: str
    status: str
    time_zone: str = Field(
        description="The time zone the declarations were recorded in; hours, days and periods are counted in it."
    )
    declarations_in: int | None
    declarations_used: int | None
    set_aside: int | None = Field(description="Distinct declarations set aside, whatever their number of reasons.")
    quarantine: dict[str, int] = Field(
        description="Distinct declarations per reason. A declaration with several problems counts under each of "
        "its reasons, so these can add up to more than set_aside."
    )
    quarantine_note: str
    rows_without_declaration_id: int | None = Field(
        description="Rows without a declaration id; each counts as one declaration set aside, under 'missing value'."
    )
    quarantine_sample: list[SetAsideOut]
    dimensions: list[str]
    first_arrival: dt.datetime | None
    last_arrival: dt.datetime | None
    error: str


def dataset_out(d: Dataset) -> DatasetOut:
    return DatasetOut(
        id=d.pk,
        name=d.name,
        status=d.status,
        time_zone=d.time_zone,
        declarations_in=d.declarations_in,
        declarations_used=d.declarations_used,
        set_aside=d.set_aside,
        quarantine=dict(d.quarantine_counts),
        quarantine_note=(
            _("The reasons add up to more than the declarations set aside: a declaration can have several.")
            if d.reasons_overlap
            else ""
        ),
        rows_without_declaration_id=d.rows_without_id,
        quarantine_sample=[
            SetAsideOut(
                declaration=str(row.get("declaration", "")),
                reason=str(row.get("reason", "")),
                detail=str(row.get("detail", "")),
                line=row.get("line"),
                file=str(row.get("file", "")),
            )
            for row in d.quarantine_sample
        ],
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
    ``by``: comma-separated dimensions; ``filters``: ``dimension=value`` pairs, comma-separated
    (a dimension given twice allows either value)."""
    dataset = selectors.dataset_for(request.user, dataset_id)
    if dataset.status != DatasetStatus.READY:
        raise InvalidInput.at("dataset", _("The dataset is not ready."))
    wanted: dict[str, list[str]] = {}
    for part in (p.strip() for p in filters.split(",") if p.strip()):
        if "=" not in part:
            raise InvalidInput.at("filters", _("Write each filter as dimension=value (%(part)s).") % {"part": part})
        name, value = part.split("=", 1)
        wanted.setdefault(name.strip(), []).append(value.strip())
    study = Study.reopen(dataset.study_file, threads=2)
    try:
        rows = study.statistics([d.strip() for d in by.split(",") if d.strip()], filters=wanted)
    except TrsInputError as error:
        raise InvalidInput.at("by" if "dimension" in str(error) else "filters", str(error)) from error
    finally:
        study.close()
    return [row.as_dict() for row in rows]
