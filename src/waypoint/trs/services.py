"""Writes for Time Release Studies: datasets, their ingestion, and indicators computed from
them. Each write checks rights (``actor=None`` is the system) and leaves an audit record."""

from __future__ import annotations

import datetime as dt
import logging
import time
import zoneinfo
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core import work
from waypoint.core.audit import SYSTEM, Action, audit_record, audited_delete
from waypoint.core.errors import InvalidInput, NotAllowed, Problem
from waypoint.engine.periods import Period, PeriodKind
from waypoint.engine.timezones import is_time_zone
from waypoint.engine.trs.loader import brief
from waypoint.engine.trs.model import DEFAULT_MILESTONES, Limits, StudyConfig
from waypoint.engine.trs.runner import Study, TrsInputError
from waypoint.indicators import locks
from waypoint.indicators.models import Actual, Indicator
from waypoint.indicators.permissions import can_edit_indicator
from waypoint.org.access import Access
from waypoint.org.models import OrgUnit, User
from waypoint.trs.models import Dataset, DatasetStatus, IndicatorBinding, Statistic

SUFFIXES = (".parquet", ".csv", ".xlsx")
#: the name ``trs.tasks`` registers datasets under in ``core.work``
DATASET = "trs.dataset"
#: at most this many characters of an error are kept with a dataset
ERROR_LENGTH = 1000

logger = logging.getLogger(__name__)


def can_manage_datasets(user: Any, administration: OrgUnit) -> bool:
    return Access.of(user).is_planner(administration.path)


def _require(actor: User | None, allowed: bool) -> None:
    if actor is not None and not allowed:
        raise NotAllowed(_("Only planners and administrators manage Time Release Study data."))


def _queue(dataset: Dataset, run_now: bool = False) -> Dataset:
    if run_now:
        ingest(dataset.pk)
    else:
        work.enqueue(DATASET, dataset.pk)
    dataset.refresh_from_db()
    return dataset


def _time_zone_problems(time_zone: str) -> list[Problem]:
    if is_time_zone(time_zone):
        return []
    return [
        Problem("time_zone", _("“%(zone)s” is not a time zone; choose one such as Asia/Baku.") % {"zone": time_zone})
    ]


def max_upload_bytes() -> int:
    """The largest request (and so the largest file) the server reads: ``WAYPOINT_MAX_UPLOAD_MB``."""
    return int(settings.WAYPOINT_MAX_UPLOAD_MB) * 1024 * 1024


def dataset_upload(
    *,
    actor: User | None,
    administration: OrgUnit,
    name: str,
    upload: UploadedFile[bytes],
    description: str = "",
    time_zone: str | None = None,
) -> Dataset:
    """Store an uploaded file and read it in the background, in ``time_zone`` (by default
    the administration's).

    Raises:
        NotAllowed: the actor does not manage the administration's data.
        InvalidInput: no name, not a Parquet, CSV or XLSX file, a file above the upload
            limit, or an unknown time zone.
    """
    _require(actor, can_manage_datasets(actor, administration))
    filename = Path(upload.name or "").name
    zone = time_zone or administration.local_time_zone
    problems = []
    if not name.strip():
        problems.append(Problem("name", _("Give the dataset a name.")))
    if Path(filename).suffix.lower() not in SUFFIXES:
        problems.append(Problem("file", _("Upload a Parquet, CSV or XLSX file.")))
    elif upload.size is not None and upload.size > max_upload_bytes():
        problems.append(
            Problem(
                "file",
                _("The file is larger than %(mb)d MB. Put larger files in the TRS data directory and register them.")
                % {"mb": settings.WAYPOINT_MAX_UPLOAD_MB},
            )
        )
    problems += _time_zone_problems(zone)
    if problems:
        raise InvalidInput(problems[0].message, problems=problems)
    dataset = Dataset(
        administration=administration,
        name=name.strip(),
        description=description,
        created_by=actor,
        time_zone=zone,
    )
    # the file is copied into place before the write transaction opens (a large file takes a
    # while, and on SQLite every other save would wait for it); a failed insert removes it
    dataset.file.save(filename, upload, save=False)
    try:
        with transaction.atomic():
            dataset.save()
            audit_record(
                actor=actor,
                action=Action.UPLOAD,
                instance=dataset,
                changes={"file": [None, filename], "time zone": [None, zone]},
            )
    except BaseException:
        dataset.file.delete(save=False)
        raise
    return _queue(dataset)


def dataset_register(
    *,
    actor: User | None,
    administration: OrgUnit,
    name: str,
    server_path: str,
    description: str = "",
    run_now: bool = False,
    time_zone: str | None = None,
) -> Dataset:
    """Read a file (or a directory of Parquet files) already on the server, in ``time_zone``
    (by default the administration's). Only paths under the TRS data directory may be
    registered, so the web app never reads other files.

    Raises:
        NotAllowed: the actor does not manage the administration's data.
        InvalidInput: no name, a path outside the data directory or not there, not a data
            file, or an unknown time zone.
    """
    _require(actor, can_manage_datasets(actor, administration))
    root = Path(settings.WAYPOINT_TRS_DATA).resolve()
    target = (root / server_path).resolve()
    zone = time_zone or administration.local_time_zone
    problems = []
    if not name.strip():
        problems.append(Problem("name", _("Give the dataset a name.")))
    if not target.is_relative_to(root):
        problems.append(Problem("server_path", _("Give a path inside the TRS data directory.")))
    elif not target.exists():
        problems.append(
            Problem(
                "server_path",
                _("There is no %(path)s in the TRS data directory.") % {"path": target.relative_to(root)},
            )
        )
    elif target.is_file() and target.suffix.lower() not in SUFFIXES:
        problems.append(
            Problem("server_path", _("Register a Parquet, CSV or XLSX file, or a directory of Parquet files."))
        )
    problems += _time_zone_problems(zone)
    if problems:
        raise InvalidInput(problems[0].message, problems=problems)
    with transaction.atomic():
        dataset = Dataset.objects.create(
            administration=administration,
            name=name.strip(),
            description=description,
            server_path=str(target),
            created_by=actor,
            time_zone=zone,
        )
        audit_record(
            actor=actor,
            action=Action.REGISTER,
            instance=dataset,
            changes={"path": [None, str(target.relative_to(root))], "time zone": [None, zone]},
        )
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


def limits() -> Limits:
    """What a data file may hold (settings ``WAYPOINT_TRS_MAX_ROWS`` and
    ``WAYPOINT_TRS_MAX_SPREADSHEET_MB``)."""
    return Limits(
        max_rows=int(settings.WAYPOINT_TRS_MAX_ROWS),
        max_spreadsheet_bytes=int(settings.WAYPOINT_TRS_MAX_SPREADSHEET_MB) * 1_000_000,
    )


def public_error(text: str, dataset: Dataset) -> str:
    """An error as people may read it: the file named as they know it (never the server's
    absolute paths), each line cut, and the whole kept short, since an engine's message can
    quote a whole line of the file."""
    replacements = [(str(dataset.source), dataset.source_name)]
    for root in (settings.WAYPOINT_TRS_DATA, settings.MEDIA_ROOT, settings.WAYPOINT_TRS_STUDIES):
        for form in {str(Path(root)), str(Path(root).resolve())}:
            replacements += [(form + "/", ""), (form, "…")]
    for old, new in sorted(replacements, key=lambda pair: -len(pair[0])):
        text = text.replace(old, new)
    text = brief(text)
    return text if len(text) <= ERROR_LENGTH else text[: ERROR_LENGTH - 1] + "…"


def ingest(dataset_id: int, *, queued: bool = False) -> Dataset | None:
    """Read and validate a dataset into its study file (the background task's body), then
    recompute the indicators bound to it; ``None`` if the dataset was deleted. A file that
    cannot be read leaves the dataset failed with the reason, never half-read.

    The dataset is held through ``core.work`` (``queued``: by its queued task, which takes
    it only while it waits), so one worker reads it, and a worker lost on the way leaves it
    to the sweeper; the result is stored only while this worker still holds it.
    """
    lease = work.hold(DATASET, dataset_id, queued=queued, stage=_("Reading and checking the file"))
    dataset = Dataset.objects.filter(pk=dataset_id).first()
    if lease is None or dataset is None:
        return dataset
    try:
        return _read(dataset, lease)
    finally:
        lease.release()


def _read(dataset: Dataset, lease: work.Lease) -> Dataset | None:
    began = time.perf_counter()
    target = dataset.study_file
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        study = Study(
            dataset.source,
            StudyConfig(timezone=dataset.time_zone),
            database=target,
            memory_limit=settings.WAYPOINT_TRS_MEMORY,
            limits=limits(),
        )
        quarantine = study.quarantine(limit=10)
        span = study.span()
    except (TrsInputError, OSError) as error:
        return _failed(dataset, str(error), lease)
    except Exception:  # a defect must not leave the dataset "being read" for ever
        logger.exception("reading dataset %s failed", dataset.pk)
        return _failed(
            dataset, _("The file could not be read because of an error in Waypoint (see the server log)."), lease
        )
    study.close()

    def store() -> bool:
        with transaction.atomic():
            if not lease.confirm():
                return False
            Dataset.objects.filter(pk=dataset.pk).update(
                status=DatasetStatus.READY,
                stage="",
                error="",
                declarations_in=quarantine.declarations_in,
                declarations_used=quarantine.declarations_used,
                quarantine_counts={reason.value: n for reason, n in quarantine.counts.items()},
                rows_without_id=quarantine.rows_without_id,
                quarantine_sample=[
                    {"declaration": row.declaration_id, "reason": row.reason.value, "detail": row.detail}
                    | ({"line": row.line, "file": row.file} if row.line is not None else {})
                    for row in quarantine.rows
                ],
                dimensions=study.dimensions,
                first_arrival=span[0],
                last_arrival=span[1],
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
            return True

    if not work.retry_locked(store, what=f"dataset {dataset.pk}"):
        return _abandoned(dataset)
    for binding in dataset.bindings.select_related("indicator__plan"):
        binding_recompute(binding)
    return dataset


def discard_study(dataset: Dataset) -> None:
    """Remove the study file (and DuckDB's write-ahead log) of a read that did not finish."""
    dataset.study_file.unlink(missing_ok=True)
    dataset.study_file.with_name(dataset.study_file.name + ".wal").unlink(missing_ok=True)


def _abandoned(dataset: Dataset) -> Dataset | None:
    """The dataset was deleted, or taken away from this worker, while it was read: what was
    read is not kept unless another worker now holds it (it writes its own)."""
    current = Dataset.objects.filter(pk=dataset.pk).first()
    if current is None:
        discard_study(dataset)
    return current


def _failed(dataset: Dataset, error: str, lease: work.Lease) -> Dataset | None:
    def store() -> int:
        return Dataset.objects.filter(pk=dataset.pk, held_by=lease.holder, status=DatasetStatus.INGESTING).update(
            status=DatasetStatus.FAILED, error=public_error(error, dataset), stage=""
        )

    if not work.retry_locked(store, what=f"dataset {dataset.pk}"):
        return _abandoned(dataset)
    discard_study(dataset)
    dataset.refresh_from_db()
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
    # a period runs from midnight to midnight where the declarations were recorded
    zone = zoneinfo.ZoneInfo(dataset.time_zone)
    bounds = [
        (
            p.code,
            dt.datetime.combine(p.start, dt.time(), zone).isoformat(),
            dt.datetime.combine(p.end + dt.timedelta(days=1), dt.time(), zone).isoformat(),
        )
        for p in _periods(indicator)
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
    written, kept, locked = 0, [], []
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
            if locks.lock_reason(indicator, code, None):  # an approved report's value stays as approved
                locked.append(code)
                continue
            if existing is None:
                Actual.objects.create(
                    indicator=indicator,
                    period=code,
                    value=rounded,
                    evidence=ngettext(
                        "Computed from the Time Release Study data “%(name)s” (%(n)d declaration).",
                        "Computed from the Time Release Study data “%(name)s” (%(n)d declarations).",
                        n,
                    )
                    % {"name": dataset.name, "n": n},
                    recorded_by_name=SYSTEM,
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
            changes={
                "periods written": [None, written],
                "kept (entered by a person)": [None, kept],
                "kept (approved and locked)": [None, locked],
            },
            plan_id=indicator.plan_id,
        )
    return written
