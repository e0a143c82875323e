"""The administration's org-unit tree, its people and their roles."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EmailMode(models.TextChoices):
    """How a person wants to hear of new notifications by e-mail (the inbox has them all)."""

    IMMEDIATE = "immediate", _("One e-mail for each, when it arrives")
    DIGEST = "digest", _("One e-mail a day with all of them")
    NONE = "none", _("No e-mail: only the inbox")


class User(AbstractUser):
    """A person who signs in. Rights come from ``RoleAssignment`` rows, not from groups."""

    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    email_mode = models.CharField(
        _("e-mail notifications"), max_length=16, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )
    #: the language the person reads Waypoint in; empty: their browser's
    language = models.CharField(_("language"), max_length=16, blank=True, default="")
    #: when the last daily digest went out, so that a job run every few minutes sends one a day
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.get_username()


class UnitKind(models.TextChoices):
    ADMINISTRATION = "administration", _("Administration")
    HQ_DEPARTMENT = "hq_department", _("Headquarters department")
    REGIONAL_DIRECTORATE = "regional_directorate", _("Regional directorate")
    CUSTOMS_OFFICE = "customs_office", _("Customs office")
    ROAD_BORDER_POST = "road_border_post", _("Road border post")
    RAIL_BORDER_POST = "rail_border_post", _("Rail border post")
    AIRPORT = "airport", _("Airport")
    SEA_PORT = "sea_port", _("Sea port")
    INLAND_OFFICE = "inland_office", _("Inland office")
    TRAINING_CENTRE = "training_centre", _("Training centre")


class OrgUnit(models.Model):
    """A node of the org tree. ``path`` holds the ids from the root ("/1/4/17/") so a
    subtree is one indexed ``startswith`` query on any database."""

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("Short stable code, e.g. HQ-SPD or BP-AST. Letters, digits and dashes."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent unit")
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    position = models.PositiveIntegerField(default=0)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    #: set on the demo administration so every page can say the data is fictional
    is_sample = models.BooleanField(_("sample data"), default=False)
    #: an administration's local time zone (a zoneinfo name), in which its declaration data
    #: is recorded unless a dataset says otherwise; empty: the deployment's (``TIME_ZONE``)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, default="")

    class Meta:
        ordering = ["path"]
        verbose_name = _("org unit")
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True, kind="administration") | Q(parent__isnull=False),
                name="org_unit_root_is_an_administration",
            ),
            models.CheckConstraint(condition=~Q(code=""), name="org_unit_code_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args: object, **kwargs: object) -> None:
        """Keep ``path`` and ``depth`` in step with ``parent``, for this unit and its subtree."""
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        parent_path = self.parent.path if self.parent_id is not None and self.parent is not None else "/"
        new_path = f"{parent_path}{self.pk}/"
        if new_path == self.path:
            return
        old_path = self.path
        depth = new_path.count("/") - 2
        OrgUnit.objects.filter(pk=self.pk).update(path=new_path, depth=depth)
        if old_path:
            for descendant in OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                moved = new_path + descendant.path[len(old_path) :]
                OrgUnit.objects.filter(pk=descendant.pk).update(path=moved, depth=moved.count("/") - 2)
        self.path, self.depth = new_path, depth

    @property
    def local_time_zone(self) -> str:
        """The administration's time zone, else the deployment's."""
        return self.time_zone or str(settings.TIME_ZONE)

    def is_within(self, other: OrgUnit) -> bool:
        """True when this unit is ``other`` or lies below it."""
        return self.path.startswith(other.path)

    @property
    def administration_path(self) -> str:
        """Path of the administration (root) this unit belongs to."""
        first = self.path.strip("/").split("/")[0]
        return f"/{first}/"


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    PLANNER = "planner", _("Planner")
    APPROVER = "approver", _("Approver")
    CONTRIBUTOR = "contributor", _("Contributor")
    VIEWER = "viewer", _("Viewer")
    #: sees and keeps the administration's officers' records (docs/architecture.md, "People")
    HR = "hr", _("HR officer")
    #: sees the records of the officers of their unit and the units below it
    HEAD = "head", _("Head of unit")


class RoleAssignment(models.Model):
    """A role held by a user at a unit.

    The unit places the person in the organisation. Contributors may change what belongs to
    that unit's subtree, and a head of unit sees the officers of that subtree; every other role
    (HR included) acts on the whole administration the unit is in.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("unit"))
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="role_assignment_unique")]
        verbose_name = _("role assignment")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.unit.code}"


class ApiToken(models.Model):
    """A personal token for scripts calling the REST API. Only a hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    #: set from WAYPOINT_API_TOKEN_DAYS when the token is made; empty only where that is 0
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        from django.utils import timezone

        return self.expires_at is not None and self.expires_at <= timezone.now()


class Notification(models.Model):
    """A message to one person: something is due, was decided, or mentions them.

    ``key`` names the occasion (e.g. ``reminder:assignment:42:due``): one person gets one
    notification per key, so a job that runs twice, or restarts half-way, sends nothing twice.
    ``url`` is the page (a path on this site) where the work is done.
    """

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=200)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    #: when it went out by e-mail (alone or in a digest); empty while it waits for the digest
    emailed_at = models.DateTimeField(null=True, blank=True)
    #: how often the mail server refused it, and when it is tried next (``org.notifications``
    #: backs off, and gives up on an address refused for good: the inbox still has it)
    email_failures = models.PositiveSmallIntegerField(default=0)
    email_retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.subject}"
