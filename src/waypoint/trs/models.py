"""Time Release Study datasets and the plan indicators computed from them."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waypoint.core.models import BackgroundWork
from waypoint.indicators.models import Indicator
from waypoint.org.models import OrgUnit


class DatasetStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    INGESTING = "ingesting", _("Reading and checking")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def upload_path(instance: Dataset, filename: str) -> str:
    return f"trs/{instance.administration_id}/{Path(filename).name}"


class Dataset(BackgroundWork):
    """Declaration events from the customs system (uploaded, or a file on the server), read by
    the background worker (``BackgroundWork``: its task, lease and attempts)."""

    administration = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="trs_datasets")
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to=upload_path, blank=True)
    server_path = models.CharField(_("file on the server"), max_length=500, blank=True)
    #: the time zone the declarations were recorded in (a zoneinfo name): times written
    #: without an offset are read in it, and hours, days and periods are counted in it
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    status = models.CharField(max_length=10, choices=DatasetStatus.choices, default=DatasetStatus.QUEUED)
    stage = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    declarations_in = models.PositiveIntegerField(null=True, blank=True)
    declarations_used = models.PositiveIntegerField(null=True, blank=True)
    #: distinct declarations set aside per reason (a declaration with several reasons counts
    #: under each, so these add up to more than ``set_aside`` when reasons overlap)
    quarantine_counts = models.JSONField(default=dict, blank=True)
    #: rows without a declaration id (each counted as one declaration set aside)
    rows_without_id = models.PositiveIntegerField(null=True, blank=True)
    quarantine_sample = models.JSONField(default=list, blank=True)
    dimensions = models.JSONField(default=list, blank=True)
    first_arrival = models.DateTimeField(null=True, blank=True)
    last_arrival = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ingested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def source(self) -> Path:
        return Path(self.file.path) if self.file else Path(self.server_path)

    @property
    def study_file(self) -> Path:
        """Where the validated study is kept (a DuckDB file)."""
        return Path(settings.WAYPOINT_TRS_STUDIES) / f"dataset-{self.pk}.duckdb"

    @property
    def is_finished(self) -> bool:
        return self.status in (DatasetStatus.READY, DatasetStatus.FAILED)

    @property
    def set_aside(self) -> int | None:
        """Distinct declarations set aside, whatever their number of reasons."""
        if self.declarations_in is None or self.declarations_used is None:
            return None
        return self.declarations_in - self.declarations_used

    @property
    def reasons_overlap(self) -> bool:
        """The counts per reason add up to more than the declarations set aside."""
        return sum(int(n) for n in self.quarantine_counts.values()) > (self.set_aside or 0)

    @property
    def source_name(self) -> str:
        """The file as people know it: the uploaded file's name, or the path under the TRS
        data directory (never the server's absolute path)."""
        if self.file:
            return Path(self.file.name or "").name
        root = Path(settings.WAYPOINT_TRS_DATA).resolve()
        path = Path(self.server_path)
        return str(path.relative_to(root)) if path.is_relative_to(root) else path.name


class Statistic(models.TextChoices):
    MEDIAN = "median", _("Median hours")
    MEAN = "mean", _("Mean hours")
    P90 = "p90", _("90th percentile, hours")
    SHARE_WITHIN = "share_within", _("Percent done within a target time")


class IndicatorBinding(models.Model):
    """An indicator whose actual values are computed from a TRS dataset."""

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="trs_binding")
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="bindings")
    statistic = models.CharField(_("statistic"), max_length=14, choices=Statistic.choices, default=Statistic.MEDIAN)
    start_milestone = models.CharField(_("from"), max_length=40, default="arrival")
    end_milestone = models.CharField(_("to"), max_length=40, default="release")
    filters = models.JSONField(_("only declarations with"), default=dict, blank=True)
    target_hours = models.DecimalField(_("target time (hours)"), max_digits=8, decimal_places=2, null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    periods_written = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.indicator} ← {self.dataset}"

    @property
    def description(self) -> str:
        where = ", ".join(f"{k} = {v}" for k, v in self.filters.items()) or "all declarations"
        what = self.get_statistic_display()
        if self.statistic == Statistic.SHARE_WITHIN:
            what = f"percent within {self.target_hours} h"
        return f"{what}, {self.start_milestone} → {self.end_milestone}, {where}"
