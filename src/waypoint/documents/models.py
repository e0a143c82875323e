"""Rendered documents (kept with the plan's version, downloadable again) and workbooks waiting
for their import to be confirmed."""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypoint.core.models import BackgroundWork
from waypoint.org.models import OrgUnit
from waypoint.plans.models import Plan, TierTemplate


class DocumentKind(models.TextChoices):
    STRATEGIC_PLAN = "plan", _("Strategic plan")
    PROGRESS_REPORT = "progress", _("Progress report")


class DocumentFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


class RenderStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RENDERING = "rendering", _("Rendering")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def safe_filename(text: str, *, limit: int = 150) -> str:
    """``text`` as a file name: letters of any script kept, the characters file systems refuse
    (``/ \\ : * ? " < > |`` and control characters) replaced by a space, spaces run together,
    no leading or trailing dot or space, cut at ``limit`` characters."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)
    text = re.sub(r'[/\\:*?"<>|]+', " ", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    return text[:limit].rstrip(" .") or "document"


class Render(BackgroundWork):
    """One rendering of a document: asked for by a person (or the system), done by the worker,
    kept with the plan's version and content fingerprint at the time."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="renders", verbose_name=_("plan"))
    kind = models.CharField(_("document"), max_length=16, choices=DocumentKind.choices)
    format = models.CharField(_("format"), max_length=8, choices=DocumentFormat.choices)
    #: the reporting period of a progress report ("2014Q2"); empty for the strategic plan
    period = models.CharField(_("period"), max_length=10, blank=True)
    #: the sections asked for (empty: all that the data supports)
    sections = models.JSONField(default=list, blank=True)
    #: render through the administration's own DOCX template instead of the built-in layout
    use_template = models.BooleanField(default=False)
    status = models.CharField(_("status"), max_length=16, choices=RenderStatus.choices, default=RenderStatus.QUEUED)
    #: what the worker is doing, for the page that waits: {"step": n, "of": m, "stage": "..."}
    progress = models.JSONField(default=dict, blank=True)
    #: the n-th document of this kind for this plan
    number = models.PositiveIntegerField(default=1)
    #: the plan's edit counter when rendered (``Plan.version``, which guards concurrent edits)
    plan_version = models.PositiveIntegerField(default=0)
    #: the plan's version as its approval history numbers it (``content.Edition``): the version
    #: approved, submitted, or, for a draft, the one it becomes; 0 before it is rendered
    plan_edition = models.PositiveIntegerField(_("plan version"), default=0)
    plan_status = models.CharField(max_length=16, blank=True)
    #: the first characters of the SHA-256 of the plan's JSON export when it was rendered
    fingerprint = models.CharField(max_length=16, blank=True)
    file = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    size = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "number"], name="render_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number} ({self.format})"

    @property
    def is_finished(self) -> bool:
        return self.status in (RenderStatus.DONE, RenderStatus.FAILED)

    @property
    def filename(self) -> str:
        """The stored file's name (letters, digits and dashes: any storage takes it)."""
        label = "progress-" + self.period if self.kind == DocumentKind.PROGRESS_REPORT else "strategic-plan"
        version = f"-v{self.plan_edition}" if self.plan_edition else ""
        return f"plan-{self.plan_id}-{label}{version}-doc{self.number}.{self.format}"

    @property
    def is_draft(self) -> bool:
        return self.plan_status in ("draft", "under_review")

    @property
    def title(self) -> str:
        """What people call the document: "Strategic Plan 2012–2016 — v5 — 2026-12-03", a
        progress report with its period, a draft's version marked."""
        parts = [self.plan.title]
        if self.kind == DocumentKind.PROGRESS_REPORT:
            parts.append(_("progress report %(period)s") % {"period": self.period})
        if self.plan_edition:
            parts.append((_("v%(n)d draft") if self.is_draft else _("v%(n)d")) % {"n": self.plan_edition})
        when = self.finished_at or self.created_at
        if when is not None:
            parts.append(timezone.localtime(when).date().isoformat())
        return " — ".join(parts)

    @property
    def download_name(self) -> str:
        """The title as a file name that any system keeps: no path separators, none of the
        characters Windows refuses, no control characters, at most 150 characters."""
        return f"{safe_filename(self.title)}.{self.format}"


class DocumentTemplate(models.Model):
    """An administration's own DOCX template: the plan is rendered through it (docxtpl)."""

    administration = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="document_template")
    name = models.CharField(_("name"), max_length=200)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


class StagedKind(models.TextChoices):
    NEW_PLAN = "plan", _("A plan workbook, as a new plan")
    INTO_PLAN = "into", _("A plan workbook, into an existing plan")
    LOGFRAME = "logframe", _("A logframe workbook, through a column mapping")


class StagedWorkbook(models.Model):
    """An uploaded workbook whose preview a person is reading: nothing of it is imported
    until they confirm. Kept a day at most."""

    name = models.CharField(max_length=200)
    content = models.BinaryField()
    kind = models.CharField(max_length=16, choices=StagedKind.choices, default=StagedKind.NEW_PLAN)
    #: the plan a workbook is imported into (``kind`` into)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    #: the plan's content fingerprint when the preview was made: a plan changed since is refused
    fingerprint = models.CharField(max_length=16, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class LevelMode(models.TextChoices):
    COLUMN = "column", _("A column holds the level")
    CODE = "code", _("The depth of the code (1, 1.2, 1.2.3 …)")
    INDENT = "indent", _("The indentation of the title cell")


class LogframeMapping(models.Model):
    """How an administration's own logframe workbook reads as a plan: the sheet and header row,
    which of its columns (by header text) holds each of Waypoint's fields, and how a row's level
    (goal, objective, initiative, activity) is recognised. Named and saved for the next upload;
    shared by the administration's planners."""

    administration = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="logframe_mappings", verbose_name=_("administration")
    )
    name = models.CharField(_("name"), max_length=100)
    #: the sheet's name; empty: the workbook's first sheet
    sheet = models.CharField(_("sheet"), max_length=31, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), default=1)
    #: Waypoint's field → the header text of the column that holds it; ``targets``: a list of
    #: headers, each naming its year
    columns = models.JSONField(default=dict, blank=True)
    level_mode = models.CharField(_("levels"), max_length=8, choices=LevelMode.choices, default=LevelMode.CODE)
    #: a value of the level column → goal, objective, initiative or activity
    levels = models.JSONField(default=dict, blank=True)
    #: the indicator column starts with the indicator's code ("KPI-01 Clearance time")
    code_in_indicator = models.BooleanField(_("the indicator column starts with its code"), default=False)
    tier_template = models.CharField(
        _("results chain"), max_length=16, choices=TierTemplate.choices, default=TierTemplate.CUSTOMS
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["administration", "name"]
        constraints = [
            models.UniqueConstraint(fields=["administration", "name"], name="logframe_mapping_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name
