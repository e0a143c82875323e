"""Reading Time Release Study datasets: what the TRS page shows."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from waypoint.core.errors import NotFound
from waypoint.engine.trs.compare import Change, compare
from waypoint.engine.trs.model import StatRow
from waypoint.engine.trs.runner import COMPUTED_DIMENSIONS, Study
from waypoint.org.access import Access, within_administrations
from waypoint.trs.labels import dimension_label
from waypoint.trs.models import Dataset, DatasetStatus


def datasets_for(user: Any) -> QuerySet[Dataset]:
    """Datasets of the administrations the user holds a role in (one query)."""
    return Dataset.objects.filter(within_administrations(user, "administration__path")).select_related(
        "administration", "created_by"
    )


def dataset_for(user: Any, dataset_id: int) -> Dataset:
    dataset = Dataset.objects.select_related("administration", "created_by").filter(pk=dataset_id).first()
    if dataset is None or not Access.of(user).can_read(dataset.administration.path):
        raise NotFound(_("No such dataset."))  # the same whether it exists elsewhere or not at all
    return dataset


@dataclass
class Analysis:
    dimensions: list[str]
    values: dict[str, list[str]]
    filters: dict[str, str]
    by: list[str]
    intervals: list[StatRow]  # step by step, whole selection
    totals: list[StatRow]
    breakdown: list[StatRow]  # by the chosen dimensions
    curve: list[tuple[float, float]]
    actors: dict[str, float]
    within: float | None
    target_hours: float
    bottleneck: StatRow | None
    comparison: list[Change] = field(default_factory=list)

    @property
    def by_labels(self) -> list[str]:
        return [dimension_label(d) for d in self.by]


#: analyses recently asked for, in this process: a read study does not change (reading the
#: file again makes a new study file and a new ``ingested_at``), so the same question gets the
#: same answer; on a million declarations the page's queries take seconds
_ANALYSES: OrderedDict[tuple[Any, ...], Analysis] = OrderedDict()
_ANALYSES_KEPT = 32
_ANALYSES_LOCK = threading.Lock()


def _version(dataset: Dataset | None) -> tuple[Any, ...]:
    if dataset is None:
        return ()
    return (dataset.pk, dataset.status, dataset.ingested_at, str(dataset.study_file))


def analysis(
    dataset: Dataset,
    *,
    by: list[str],
    filters: dict[str, str],
    target_hours: float,
    other: Dataset | None = None,
) -> Analysis:
    """The dataset page's figures: kept per question and read study in this process
    (``_ANALYSES``), worked out with DuckDB on the study file otherwise."""
    key = (_version(dataset), tuple(by), tuple(sorted(filters.items())), target_hours, _version(other))
    with _ANALYSES_LOCK:
        found = _ANALYSES.get(key)
        if found is not None:
            _ANALYSES.move_to_end(key)
            return found
    found = _analysis(dataset, by=by, filters=filters, target_hours=target_hours, other=other)
    with _ANALYSES_LOCK:
        _ANALYSES[key] = found
        while len(_ANALYSES) > _ANALYSES_KEPT:
            _ANALYSES.popitem(last=False)
    return found


def forget_analyses() -> None:
    """Drop what this process kept (tests roll the database back under it)."""
    with _ANALYSES_LOCK:
        _ANALYSES.clear()


def _analysis(
    dataset: Dataset,
    *,
    by: list[str],
    filters: dict[str, str],
    target_hours: float,
    other: Dataset | None = None,
) -> Analysis:
    study = Study.reopen(dataset.study_file, threads=2)
    dimensions = [*study.dimensions, *COMPUTED_DIMENSIONS]
    by = [d for d in by if d in dimensions][:3]
    filters = {k: v for k, v in filters.items() if k in dimensions and v}
    rows = study.statistics((), filters=filters)
    intervals = [r for r in rows if not _is_total(study, r)]
    totals = [r for r in rows if _is_total(study, r)]
    steps_total = sum(max(r.mean, 0) * r.n for r in intervals) or 1.0
    bottleneck = max(intervals, key=lambda r: max(r.mean, 0) * r.n, default=None)
    if bottleneck is not None and max(bottleneck.mean, 0) * bottleneck.n / steps_total < 0.25:
        bottleneck = None  # no single step dominates
    within = study.released_within(target_hours, filters=filters)
    shares = study.actor_shares(filters=filters)
    result = Analysis(
        dimensions=dimensions,
        values={d: study.values(d, limit=60) for d in dimensions if d not in ("declared_value",)},
        filters=filters,
        by=by,
        intervals=intervals,
        totals=totals,
        breakdown=study.statistics(by, filters=filters) if by else [],
        curve=study.release_curve(points=50, filters=filters),
        actors=dict(shares[0]) if shares else {},
        within=within[0]["share"] if within else None,
        target_hours=target_hours,
        bottleneck=bottleneck,
    )
    if other is not None and other.status == DatasetStatus.READY:
        before = Study.reopen(other.study_file, threads=2)
        result.comparison = compare(before, study)
        before.close()
    study.close()
    return result


def _is_total(study: Study, row: StatRow) -> bool:
    """arrival → release and arrival → exit (never single steps: lodgement and registration
    are required between them)."""
    return row.start == study.config.start and row.end in study.config.ends
