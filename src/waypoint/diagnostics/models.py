"""Diagnostics: reference frameworks, assessments against them, and their recommendations.

A framework is stored as its document (the engine reads it); ratings name criteria by code,
so a framework's text can be shown exactly as imported. Recommendations link to the plan
elements that address them: the link that makes diagnostic → plan traceable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waypoint.core.models import VersionedModel
from waypoint.org.models import OrgUnit
from waypoint.plans.models import Plan, PlanElement, Priority


class Framework(models.Model):
    code = models.CharField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    document = models.JSONField(help_text="The framework as imported (format waypoint-framework).")
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="framework_code_version_unique")]

    def __str__(self) -> str:
        return f"{self.name} {self.version}".strip()


class AssessmentKind(models.TextChoices):
    SELF = "self", _("Self-assessment")
    EXPERT = "expert", _("Expert diagnostic")


class Assessment(VersionedModel):
    administration = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="assessments",
        limit_choices_to={"kind": "administration"},
        verbose_name=_("administration"),
    )
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("framework")
    )
    reference = models.CharField(
        _("reference"), max_length=40, help_text=_("Short and stable, cited by plans: e.g. DIAG-2007.")
    )
    title = models.CharField(_("title"), max_length=200)
    assessed_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=AssessmentKind.choices)
    assessors = models.CharField(_("assessors"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    plans = models.ManyToManyField(
        Plan,
        blank=True,
        related_name="assessments",
        verbose_name=_("answered by plans"),
        help_text=_("Plans that must answer this assessment's recommendations."),
    )
    last_recommendation_number = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-assessed_on", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["administration", "reference"], name="assessment_reference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class Rating(models.Model):
    """One criterion in one assessment: where the administration stands and where it aims."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.CharField(max_length=40)
    current = models.CharField(_("current level"), max_length=16, blank=True)
    target = models.CharField(_("target level"), max_length=16, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    assessor = models.CharField(_("assessor"), max_length=150, blank=True)

    class Meta:
        ordering = ["assessment", "criterion"]
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="rating_unique")]

    def __str__(self) -> str:
        return f"{self.assessment.reference} {self.criterion}: {self.current or '—'} → {self.target or '—'}"


class Recommendation(VersionedModel):
    """A finding of the assessment and what it recommends, with the plan elements that answer it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveIntegerField()
    area = models.CharField(_("area"), max_length=40, help_text=_("Code of the framework area."))
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    finding = models.TextField(_("finding"), blank=True)
    text = models.TextField(_("recommendation"))
    elements = models.ManyToManyField(
        PlanElement,
        blank=True,
        related_name="recommendations",
        limit_choices_to=Q(kind__in=["objective", "initiative"]),
        verbose_name=_("addressed by"),
    )

    class Meta:
        ordering = ["assessment", "number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "number"], name="recommendation_number_unique")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.text[:60]}"

    @property
    def code(self) -> str:
        return f"R{self.number}"

    @property
    def reference(self) -> str:
        return f"{self.assessment.reference}/{self.code}"


class CarriedRecommendation(models.Model):
    """A recommendation a plan file carried whose assessment is not recorded here.

    The plan file moves a plan between installations, and the assessments it answers stay
    behind. The import keeps such a recommendation with its text and the elements that answer
    it, unlinked, so the plan's checks still see it and exporting the plan gives it back.
    Recording the assessment later does not link it by itself: the references could name
    another assessment.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="carried_recommendations")
    #: the entry's place in the imported file, so that it is exported in the same order
    position = models.PositiveIntegerField()
    assessment_reference = models.CharField(_("assessment"), max_length=40)
    number = models.PositiveIntegerField()
    area = models.CharField(_("area"), max_length=40, blank=True)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    finding = models.TextField(_("finding"), blank=True)
    text = models.TextField(_("recommendation"), blank=True)
    elements = models.ManyToManyField(
        PlanElement, blank=True, related_name="carried_recommendations", verbose_name=_("addressed by")
    )

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "assessment_reference", "number"], name="carried_recommendation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.text[:60]}"

    @property
    def code(self) -> str:
        return f"R{self.number}"

    @property
    def reference(self) -> str:
        return f"{self.assessment_reference}/{self.code}"
