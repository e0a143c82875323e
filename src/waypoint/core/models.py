"""Cross-cutting models: the audit trail and the base every editable record derives from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionedModel(models.Model):
    """A record edited by people: carries a version so concurrent edits are detected."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class BackgroundWork(models.Model):
    """A piece of work done by the background worker (a scenario to solve, a data file to
    read): the fields ``core.work`` uses to hand it to exactly one worker and to notice when
    that worker is lost. The model keeps its own ``status``; ``core.work`` knows which of its
    values mean "waiting" and "being worked on" from the kind the app registers."""

    #: the queued task (django-tasks' result id) that will do it
    task_id = models.CharField(max_length=64, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    #: how many times a worker took it off the queue
    attempts = models.PositiveSmallIntegerField(default=0)
    #: the worker that holds it (or held it last), and until when its lease runs: the worker
    #: renews it while alive; a lease run out means the worker was lost
    held_by = models.CharField(max_length=64, blank=True)
    held_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class WorkerBeat(models.Model):
    """A background worker's sign of life, written every few seconds while it runs: the health
    endpoint and the pages that wait on work read it; the sweeper uses it to tell lost tasks."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)
    #: the task it is running now (empty when idle)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} seen {self.seen_at:%Y-%m-%d %H:%M:%S}"


class ChangeCount(models.Model):
    """How many audited changes a plan, or an administration, has had: a number that moves
    whenever something the plan's derived results (its quality findings) read may have
    changed, so that they can be kept until it moves.

    ``core.audit.audit_record`` counts every event in the same transaction as the change it
    records: under the plan's scope (``plan:12``) when the event names a plan or its record
    leads to one, else under its administration's (``administration:3``: a unit, a funding
    source, an assessment's recommendation, which several plans may read). Every write is
    audited (``tests/core/test_services_audited.py``), so no write escapes the count. The row
    is updated inside the writing transaction, so two writers are counted one after the
    other, whatever order their transactions commit in."""

    scope = models.CharField(max_length=48, primary_key=True)
    count = models.BigIntegerField(default=0)
    #: drawn again at every change: a count that a rolled-back transaction took and a later
    #: one took again never reads the same, so what was kept for the first is not reused
    token = models.CharField(max_length=16, default="")

    def __str__(self) -> str:
        return f"{self.scope}: {self.count}"


class AuditEvent(models.Model):
    """Who did what, when. Written by services in the same transaction as the change."""

    class Action(models.TextChoices):
        """Every action a service records (``audit_record`` takes only these)."""

        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")
        MOVE = "move", _("moved")
        IMPORT = "import", _("imported")
        STATUS = "status", _("changed status")
        GRANT = "grant", _("granted")
        REVOKE = "revoke", _("revoked")
        UNLOCK = "unlock", _("unlocked")
        UPLOAD = "upload", _("uploaded")
        REGISTER = "register", _("registered")
        INGEST = "ingest", _("read in")
        COMPUTE = "compute", _("computed")
        SOLVE = "solve", _("solved")
        CANCEL = "cancel", _("cancelled")
        APPROVE = "approve", _("approved")
        SUBMIT = "submit", _("submitted")
        RETURN = "return", _("returned")
        ACCEPT = "accept", _("accepted")
        DECLINE = "decline", _("declined")
        MERGE = "merge", _("merged")
        WAIVE = "waive", _("waived")
        CONSOLIDATE = "consolidate", _("consolidated")
        COMMENT = "comment", _("commented")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: kept even if the account is deleted later
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=16, choices=Action.choices)
    entity = models.CharField(max_length=64, db_index=True, help_text="app_label.Model")
    entity_id = models.CharField(max_length=64)
    label = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True)
    plan_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    #: the administration (root unit) the change belongs to: its administrators read the event;
    #: empty for what belongs to none (a person's own API tokens, shared frameworks)
    administration_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["entity", "entity_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.label}"
