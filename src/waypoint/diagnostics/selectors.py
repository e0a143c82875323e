"""Reads for diagnostics: assessments a user may see, and the views computed on them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from waypoint.core.errors import NotFound
from waypoint.diagnostics import permissions
from waypoint.diagnostics.models import Assessment, CarriedRecommendation, Framework, Rating, Recommendation
from waypoint.engine.diagnostics import framework as fw
from waypoint.engine.diagnostics import scoring
from waypoint.org.access import within_administrations
from waypoint.org.models import OrgUnit
from waypoint.plans.extensions import RecommendationChoice
from waypoint.plans.models import Plan, PlanElement


@lru_cache(maxsize=64)
def _parsed(pk: int, imported_at: str) -> fw.Framework:  # imported_at: a stored framework never changes
    return fw.framework_from_document(Framework.objects.get(pk=pk).document)


def framework_model(framework: Framework) -> fw.Framework:
    """The engine's framework for a stored one (parsed once per process)."""
    return _parsed(framework.pk, framework.imported_at.isoformat())


def assessments_for(user: Any) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(within_administrations(user, "administration__path"))
        .select_related("framework", "administration")
        .annotate(recommendation_count=Count("recommendations", distinct=True))
    )


def assessment_for(user: Any, assessment_id: int) -> Assessment:
    assessment = Assessment.objects.select_related("framework", "administration").filter(pk=assessment_id).first()
    if assessment is None or not permissions.can_view_assessment(user, assessment):
        raise NotFound(_("No such assessment."))  # the same whether it exists elsewhere or not at all
    return assessment


def ratings_of(assessment: Assessment) -> dict[str, scoring.Rating]:
    return {
        r.criterion: scoring.Rating(r.current or None, r.target or None)
        for r in Rating.objects.filter(assessment=assessment)
    }


@dataclass(frozen=True)
class CriterionRow:
    criterion: fw.Criterion
    rating: Rating | None
    current_position: int | None
    gap: int | None
    heat: int | None  # 0–4 whatever the scale, for the heatmap's colour

    @property
    def current_label(self) -> str:
        return self.rating.current if self.rating and self.rating.current else "—"


@dataclass(frozen=True)
class AreaView:
    area: fw.Area
    summary: scoring.AreaSummary
    rows: list[CriterionRow]


@dataclass(frozen=True)
class AssessmentView:
    framework: fw.Framework
    areas: list[AreaView]
    radar: dict[str, Any]
    rated: int
    criteria: int


def _radar(summaries: list[scoring.AreaSummary], top: int) -> dict[str, Any]:
    """Points of an SVG radar chart (current and target polygons) in a 320×320 box."""
    size, centre, radius = 320, 160.0, 110.0
    n = len(summaries)

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * value / top if top else 0
        return round(centre + r * math.cos(angle), 1), round(centre + r * math.sin(angle), 1)

    def polygon(values: list[float | None]) -> str:
        return " ".join(f"{x},{y}" for i, v in enumerate(values) for x, y in [point(i, v or 0.0)])

    rings = [polygon([float(level)] * n) for level in range(1, top + 1)]
    axes = []
    for i, summary in enumerate(summaries):
        x, y = point(i, float(top))
        lx, ly = point(i, top * 1.22)
        anchor = "middle" if abs(lx - centre) < 20 else ("start" if lx > centre else "end")
        axes.append({"x": x, "y": y, "label_x": lx, "label_y": ly, "anchor": anchor, "code": summary.code})
    return {
        "size": size,
        "centre": centre,
        "rings": rings,
        "axes": axes,
        "current": polygon([s.current for s in summaries]),
        "target": polygon([s.target for s in summaries]),
        "has_target": any(s.target is not None for s in summaries),
    }


def assessment_view(assessment: Assessment) -> AssessmentView:
    framework = framework_model(assessment.framework)
    stored = {r.criterion: r for r in Rating.objects.filter(assessment=assessment)}
    ratings = {code: scoring.Rating(r.current or None, r.target or None) for code, r in stored.items()}
    summaries = scoring.area_summaries(framework, ratings)
    areas = []
    for area, summary in zip(framework.areas, summaries, strict=True):
        rows = []
        for criterion in area.criteria:
            rating = ratings.get(criterion.code)
            current = framework.scale.position(rating.current) if rating and rating.current else None
            heat = None if current is None else round(4 * current / framework.scale.top)
            gap = scoring.criterion_gap(framework, rating)
            rows.append(CriterionRow(criterion, stored.get(criterion.code), current, gap, heat))
        areas.append(AreaView(area, summary, rows))
    return AssessmentView(
        framework,
        areas,
        _radar(summaries, framework.scale.top),
        sum(s.rated for s in summaries),
        len(framework.criteria),
    )


@dataclass(frozen=True)
class Comparison:
    framework: fw.Framework
    before: list[scoring.AreaSummary]
    after: list[scoring.AreaSummary]
    changes: list[scoring.CriterionChange]
    texts: dict[str, str]

    @property
    def areas(self) -> list[tuple[scoring.AreaSummary, scoring.AreaSummary, float | None]]:
        """Each area before and after, with the change of its mean level (None unless both rated)."""
        return [
            (old, new, None if old.current is None or new.current is None else new.current - old.current)
            for old, new in zip(self.before, self.after, strict=True)
        ]

    @property
    def counts(self) -> dict[str, int]:
        """How many criteria improved, stayed, got worse or cannot be compared."""
        return {c.value: sum(1 for x in self.changes if x.change is c) for c in scoring.Change}


def comparison(before: Assessment, after: Assessment) -> Comparison:
    framework = framework_model(after.framework)
    old, new = ratings_of(before), ratings_of(after)
    return Comparison(
        framework,
        scoring.area_summaries(framework, old),
        scoring.area_summaries(framework, new),
        scoring.compare(framework, old, new),
        {c.code: c.text for c in framework.criteria},
    )


def answering_elements(assessment: Assessment) -> QuerySet[PlanElement]:
    """Objectives and initiatives of the plans that answer the assessment: what a
    recommendation can be addressed by."""
    return (
        PlanElement.objects.filter(plan__in=assessment.plans.all(), kind__in=["objective", "initiative"])
        .select_related("plan")
        .order_by("plan__start_year", "code")
    )


def recommendations_for_plan(plan: Plan) -> QuerySet[Recommendation]:
    """The recommendations this plan must answer: those of the assessments linked to it."""
    return (
        Recommendation.objects.filter(assessment__plans=plan)
        .select_related("assessment")
        .prefetch_related("elements")
        .order_by("assessment__assessed_on", "assessment__reference", "number")
    )


@dataclass(frozen=True)
class CoverageRow:
    recommendation: Recommendation | CarriedRecommendation
    addressed_by: list[PlanElement]
    columns: list[bool]  # one per objective: addressed by it or by an initiative under it

    @property
    def carried(self) -> bool:
        """Kept from an imported plan file; its assessment is not recorded here."""
        return isinstance(self.recommendation, CarriedRecommendation)


@dataclass(frozen=True)
class Coverage:
    objectives: list[PlanElement]
    rows: list[CoverageRow]

    @property
    def unaddressed(self) -> int:
        return sum(1 for row in self.rows if not row.addressed_by)


def coverage(plan: Plan) -> Coverage:
    objectives = list(PlanElement.objects.filter(plan=plan, kind="objective").select_related("parent").order_by("code"))
    objectives.sort(key=lambda e: (e.parent.number if e.parent else 0, e.number))
    parent_of = dict(PlanElement.objects.filter(plan=plan, kind="initiative").values_list("pk", "parent_id"))
    rows = []
    carried = CarriedRecommendation.objects.filter(plan=plan).prefetch_related("elements").order_by("position")
    answered: list[Recommendation | CarriedRecommendation] = [*recommendations_for_plan(plan), *carried]
    for recommendation in answered:
        linked = [e for e in recommendation.elements.all() if e.plan_id == plan.pk]
        objective_ids = {e.pk if e.kind == "objective" else parent_of.get(e.pk) for e in linked}
        rows.append(CoverageRow(recommendation, linked, [o.pk in objective_ids for o in objectives]))
    return Coverage(objectives, rows)


def recommendation_choices(administration: OrgUnit) -> list[RecommendationChoice]:
    """The administration's recommendations, newest assessment first, as other apps cite them
    (``plans.extensions.recommendations``)."""
    found = Recommendation.objects.filter(assessment__administration=administration).select_related("assessment")
    return [
        RecommendationChoice(id=r.pk, reference=r.reference, text=r.text)
        for r in found.order_by("-assessment__assessed_on", "assessment__reference", "number")
    ]
