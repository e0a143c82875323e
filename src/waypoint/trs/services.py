"""Writes for Time Release Studies: datasets, their ingestion, and indicators computed from
them. Each write checks rights (``actor=None`` is the system) and leaves an audit record."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.core.audit import Action, audit_record, audited_delete
from waypoint.core.errors import InvalidInput, NotAllowed, Problem
from waypoint.engine.periods import Period, PeriodKind
from waypoint.engine.trs.model import DEFAULT_MILESTONES
from waypoint.engine.trs.runner import Study, TrsInputError
from waypoint.indicators.models import Actual, Indicator
from waypoint.indicators.permissions import can_edit_indicator
from waypoint.org.access import Access
from waypoint.org.models import OrgUnit, User
from waypoint.trs.models import Dataset, DatasetStatus, IndicatorBinding, Statistic

SUFFIXES = (".parquet", ".csv", ".xlsx")


def can_manage_datasets(user: Any, administration: OrgUnit) -> bool:
    return Access.of(user).is_planner(administration.path)


def _require(actor: User | None, allowed: bool) -> None:
    if actor is not None and not allowed:
        raise NotAllowed(_("Only planners and administrators manage Time Release Study data."))


def _queue(dataset: Dataset, run_now: bool = False) -> Dataset:
    if run_now:
        return ingest(dataset.pk)
    from waypoint.trs.tasks import ingest_dataset

    ingest_dataset.enqueue(dataset.pk)
    dataset.refresh_from_db()
    return dataset


def dataset_upload(
    *, actor: User | None, administration: OrgUnit, name: str, upload: UploadedFile[bytes], description: str = ""
) -> Dataset:
    """Store an uploaded file and read it in the background."""
    _require(actor, can_manage_datasets(actor, administration))
    filename = Path(upload.name or "").name
    problems = []
    if not name.strip():
        problems.append(Problem("name", _("Give the dataset a name.")))
    if Path(filename).suffix.lower() not in SUFFIXES:
        problems.append(Problem("file", _("Upload a Parquet, CSV or XLSX file.")))
    if problems:
        raise InvalidInput(problems[0].message, problems=problems)
    with transaction.atomic():
        dataset = Dataset(administration=administration, name=name.strip(), description=description, created_by=actor)
        dataset.file.save(filename, upload, save=False)
        dataset.save()
        audit_record(actor=actor, action=Action.UPLOAD, instance=dataset, changes={"file": [None, filename]})
    return _queue(dataset)


def dataset_register(
    *,
    actor: User | None,
    administration: OrgUnit,
    name: str,
    server_path: str,
    description: str = "",
    run_now: bool = False,
) -> Dataset:
    """Read a file (or a directory of Parquet files) already on the server. Only paths under
    the TRS data directory may be registered, so the web app never reads other files."""
    _require(actor, can_manage_datasets(actor, administration))
    root = Path(settings.WAYPOINT_TRS_DATA).resolve()
    target = (root / server_path).resolve()
    problems = []
    if not name.strip():
        problems.append(Problem("name", _("Give the dataset a name.")))
    if not target.is_relative_to(root):
        problems.append(Problem("server_path", _("Give a path inside %(root)s.") % {"root": root}))
    elif not target.exists():
        problems.append(Problem("server_path", _("There is no %(path)s on the server.") % {"path": target}))
    elif target.is_file() and target.suffix.lower() not in SUFFIXES:
        problems.append(
            Problem("server_path", _("Register a Parquet, CSV or XLSX file, or a directory of Parquet files."))
        )
    if problems:
        raise InvalidInput(problems[0].message, problems=problems)
    with transaction.atomic():
        dataset = Dataset.objects.create(
            administration=administration,
            name=name.strip(),
            description=description,
            server_path=str(target),
            created_by=actor,
        )
        audit_record(actor=actor, action=Action.REGISTER, instance=dataset, changes={"path": [None, str(target)]})
    return _queue(dataset, run_now)


@transaction.atomic
def dataset_delete(*, actor: User | None, dataset: Dataset) -> None:
    _require(actor, can_manage_datasets(actor, dataset.administration))
    bound = list(dataset.bindings.select_related("indicator"))
    if bound:
        raise InvalidInput(
            _("Indicators are computed from this dataset: %(names)s. Unbind them first.")
            % {"names": ", ".join(b.indicator.code for b in bound)}
        )
    dataset.study_file.unlink(missing_ok=True)
    if dataset.file:
        dataset.file.delete(save=False)
    audited_delete(actor=actor, instance=dataset)


def ingest(dataset_id: int) -> Dataset:
    """Read and validate a dataset into its study file (the background task's body), then
    recompute the indicators bound to it."""
    dataset = Dataset.objects.get(pk=dataset_id)
    Dataset.objects.filter(pk=dataset.pk).update(
        status=DatasetStatus.INGESTING, stage=_("Reading and checking the file")
    )
    began = time.perf_counter()
    target = dataset.study_file
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        study = Study(dataset.source, database=target, memory_limit=settings.WAYPOINT_TRS_MEMORY)
        quarantine = study.quarantine(limit=10)
        span = study.db.execute("SELECT min(started_at), max(started_at) FROM intervals").fetchone()
    except (TrsInputError, OSError) as error:
        target.unlink(missing_ok=True)
        Dataset.objects.filter(pk=dataset.pk).update(status=DatasetStatus.FAILED, error=str(error), stage="")
        dataset.refresh_from_db()
        return dataset
    study.close()
    Dataset.objects.filter(pk=dataset.pk).update(
        status=DatasetStatus.READY,
        stage="",
        error="",
        declarations_in=quarantine.declarations_in,
        declarations_used=quarantine.declarations_used,
        quarantine_counts={reason.value: n for reason, n in quarantine.counts.items()},
        quarantine_sample=[
            {"declaration": row.declaration_id, "reason": row.reason.value, "detail": row.detail}
            for row in quarantine.rows
        ],
        dimensions=study.dimensions,
        first_arrival=span[0] if span else None,
        last_arrival=span[1] if span else None,
        seconds=time.perf_counter() - began,
        ingested_at=timezone.now(),
    )
    dataset.refresh_from_db()
    audit_record(
        actor=None,
        action=Action.INGEST,
        instance=dataset,
        changes={
            "declarations used": [None, dataset.declarations_used],
            "set aside": [None, quarantine.declarations_set_aside],
        },
    )
    for binding in dataset.bindings.select_related("indicator__plan"):
        binding_recompute(binding)
    return dataset


# --- indicators computed from a dataset -----------------------------------------------------------------


def binding_save(
    *,
    actor: User | None,
    indicator: Indicator,
    dataset: Dataset,
    statistic: str,
    start_milestone: str = "arrival",
    end_milestone: str = "release",
    filters: Mapping[str, str] | None = None,
    target_hours: Decimal | None = None,
) -> IndicatorBinding:
    """Compute ``indicator``'s actual values from ``dataset`` (now and whenever it is read again)."""
    if actor is not None and not can_edit_indicator(actor, indicator):
        raise NotAllowed(_("You cannot change how this indicator is measured."))
    problems = []
    if dataset.administration_id != indicator.plan.administration_id:
        problems.append(Problem("dataset", _("The dataset belongs to another administration.")))
    if dataset.status != DatasetStatus.READY:
        problems.append(Problem("dataset", _("The dataset is not ready yet.")))
    if statistic not in Statistic.values:
        problems.append(Problem("statistic", _("Unknown statistic.")))
    for field, milestone in (("start_milestone", start_milestone), ("end_milestone", end_milestone)):
        if milestone not in DEFAULT_MILESTONES:
            problems.append(Problem(field, _("Unknown milestone %(m)s.") % {"m": milestone}))
    known = start_milestone in DEFAULT_MILESTONES and end_milestone in DEFAULT_MILESTONES
    if known and DEFAULT_MILESTONES.index(end_milestone) <= DEFAULT_MILESTONES.index(start_milestone):
        problems.append(Problem("end_milestone", _("The interval must end after it starts.")))
    for name in filters or {}:
        if name not in dataset.dimensions and name not in ("period", "weekday", "hour"):
            problems.append(Problem("filters", _("The dataset has no dimension %(d)s.") % {"d": name}))
    if statistic == Statistic.SHARE_WITHIN and (target_hours is None or target_hours <= 0):
        problems.append(Problem("target_hours", _("Give the target time in hours.")))
    if problems:
        raise InvalidInput(problems[0].message, problems=problems)
    with transaction.atomic():
        binding, created = IndicatorBinding.objects.update_or_create(
            indicator=indicator,
            defaults={
                "dataset": dataset,
                "statistic": statistic,
                "start_milestone": start_milestone,
                "end_milestone": end_milestone,
                "filters": dict(filters or {}),
                "target_hours": target_hours if statistic == Statistic.SHARE_WITHIN else None,
            },
        )
        audit_record(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            entity="trs.IndicatorBinding",
            entity_id=binding.pk,
            label=f"{indicator.code} computed from {dataset}",
            changes={"measure": [None, binding.description]},
            plan_id=indicator.plan_id,
        )
    binding_recompute(binding)
    binding.refresh_from_db()
    return binding


@transaction.atomic
def binding_delete(*, actor: User | None, binding: IndicatorBinding) -> None:
    """Stop computing; values already computed stay, marked as computed, until changed."""
    indicator = binding.indicator
    if actor is not None and not can_edit_indicator(actor, indicator):
        raise NotAllowed(_("You cannot change how this indicator is measured."))
    label = f"{indicator.code} computed from {binding.dataset}"
    audited_delete(actor=actor, instance=binding, plan_id=indicator.plan_id, label=label)


def _periods(indicator: Indicator) -> list[Period]:
    kind = PeriodKind(indicator.frequency)
    return [p for year in indicator.plan.years for p in Period.year_of(year).subperiods(kind)]


def binding_recompute(binding: IndicatorBinding) -> int:
    """Write the indicator's actual value for every period the dataset covers.

    A value typed by a person is never overwritten: that period is skipped and reported in
    the provenance of the binding's audit record.
    """
    indicator, dataset = binding.indicator, binding.dataset
    study = Study.reopen(dataset.study_file, threads=2)
    periods = _periods(indicator)
    bounds = [
        (p.code, f"{p.start.isoformat()}T00:00:00+00:00", f"{p.end + dt.timedelta(days=1)}T00:00:00+00:00")
        for p in periods
    ]
    values = study.period_values(
        binding.statistic,
        binding.start_milestone,
        binding.end_milestone,
        bounds,
        filters={str(k): str(v) for k, v in binding.filters.items()},
        target_hours=float(binding.target_hours) if binding.target_hours is not None else None,
    )
    study.close()
    now = timezone.now()
    written, kept = 0, []
    with transaction.atomic():
        for code, (value, n) in sorted(values.items()):
            provenance = {
                "dataset": dataset.pk,
                "dataset_name": dataset.name,
                "measure": binding.description,
                "declarations": n,
                "computed_at": now.isoformat(timespec="seconds"),
            }
            rounded = Decimal(str(round(value, 4)))
            existing = Actual.objects.filter(indicator=indicator, period=code, unit__isnull=True).first()
            if existing is not None and not existing.is_computed:
                kept.append(code)
                continue
            if existing is None:
                Actual.objects.create(
                    indicator=indicator,
                    period=code,
                    value=rounded,
                    evidence=_("Computed from the Time Release Study data “%(name)s” (%(n)d declarations).")
                    % {"name": dataset.name, "n": n},
                    recorded_by_name="system",
                    is_computed=True,
                    provenance=provenance,
                )
            else:
                Actual.objects.filter(pk=existing.pk).update(value=rounded, provenance=provenance)
            written += 1
        IndicatorBinding.objects.filter(pk=binding.pk).update(computed_at=now, periods_written=written)
        audit_record(
            actor=None,
            action=Action.COMPUTE,
            entity="trs.IndicatorBinding",
            entity_id=binding.pk,
            label=f"{indicator.code} computed from {dataset}",
            changes={"periods written": [None, written], "kept (entered by a person)": [None, kept]},
            plan_id=indicator.plan_id,
        )
    return written
