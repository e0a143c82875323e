"""Diagnostics endpoints: frameworks, assessments with their area means, recommendations,
and a plan's coverage of recommendations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from waypoint.core.apischema import TextLimits
from waypoint.diagnostics import selectors, services
from waypoint.diagnostics.models import Assessment, Framework, Rating
from waypoint.engine.diagnostics.framework import framework_document
from waypoint.org.access import request_user, require_any_role
from waypoint.plans.selectors import plan_for

router = Router(tags=["diagnostics"])


class FrameworkOut(Schema):
    id: int
    code: str
    version: str
    name: str
    areas: int
    criteria: int


def _framework_out(stored: Framework) -> FrameworkOut:
    model = selectors.framework_model(stored)
    return FrameworkOut(
        id=stored.pk,
        code=stored.code,
        version=stored.version,
        name=stored.name,
        areas=len(model.areas),
        criteria=len(model.criteria),
    )


class FrameworkIn(Schema):
    content: str
    filename: str = "framework.yaml"


@router.get("/diagnostics/frameworks", response=list[FrameworkOut])
def list_frameworks(request: HttpRequest) -> list[FrameworkOut]:
    require_any_role(request.user)
    return [_framework_out(f) for f in Framework.objects.all()]


@router.post("/diagnostics/frameworks", response={201: FrameworkOut})
def import_framework(request: HttpRequest, payload: FrameworkIn) -> tuple[int, FrameworkOut]:
    """Import a framework file (YAML or JSON text). A bad file is refused with every problem
    located by JSON path (code ``framework_invalid``), and nothing is stored."""
    stored = services.framework_import(actor=request_user(request), content=payload.content, filename=payload.filename)
    return 201, _framework_out(stored)


@router.get("/diagnostics/frameworks/{framework_id}/document", response=dict[str, Any])
def framework_file(request: HttpRequest, framework_id: int) -> dict[str, Any]:
    require_any_role(request.user)
    return framework_document(selectors.framework_model(get_object_or_404(Framework, pk=framework_id)))


class AreaOut(Schema):
    code: str
    name: str
    criteria: int
    rated: int
    current: float | None
    target: float | None
    gap: float | None


class RatingOut(Schema):
    criterion: str
    current: str
    target: str
    evidence: str
    comment: str


class RecommendationOut(Schema):
    id: int
    reference: str
    area: str
    priority: str
    finding: str
    text: str
    addressed_by: list[str]


class AssessmentOut(Schema):
    id: int
    reference: str
    title: str
    kind: str
    assessed_on: dt.date
    framework: int
    plans: list[int]
    version: int


class AssessmentDetailOut(AssessmentOut):
    areas: list[AreaOut]
    ratings: list[RatingOut]
    recommendations: list[RecommendationOut]


def _assessment_out(a: Assessment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "reference": a.reference,
        "title": a.title,
        "kind": a.kind,
        "assessed_on": a.assessed_on,
        "framework": a.framework_id,
        "plans": sorted(a.plans.values_list("pk", flat=True)),
        "version": a.version,
    }


@router.get("/diagnostics/assessments", response=list[AssessmentOut])
def list_assessments(request: HttpRequest) -> list[dict[str, Any]]:
    return [_assessment_out(a) for a in selectors.assessments_for(request.user).prefetch_related("plans")]


@router.get("/diagnostics/assessments/{assessment_id}", response=AssessmentDetailOut)
def get_assessment(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    assessment = selectors.assessment_for(request.user, assessment_id)
    view = selectors.assessment_view(assessment)
    return _assessment_out(assessment) | {
        "areas": [
            {
                "code": a.summary.code,
                "name": a.summary.name,
                "criteria": a.summary.criteria,
                "rated": a.summary.rated,
                "current": a.summary.current,
                "target": a.summary.target,
                "gap": a.summary.gap,
            }
            for a in view.areas
        ],
        "ratings": [
            {
                "criterion": r.criterion,
                "current": r.current,
                "target": r.target,
                "evidence": r.evidence,
                "comment": r.comment,
            }
            for r in assessment.ratings.order_by("criterion")
        ],
        "recommendations": [
            {
                "id": r.pk,
                "reference": r.reference,
                "area": r.area,
                "priority": r.priority,
                "finding": r.finding,
                "text": r.text,
                "addressed_by": sorted(e.code for e in r.elements.all()),
            }
            for r in assessment.recommendations.prefetch_related("elements").order_by("number")
        ],
    }


class RatingIn(TextLimits, Schema):
    limits_from = Rating

    current: str = ""
    target: str = ""
    evidence: str = ""
    comment: str = ""
    assessor: str = ""


class RatingsIn(Schema):
    version: int
    ratings: dict[str, RatingIn]


@router.put("/diagnostics/assessments/{assessment_id}/ratings", response=AssessmentDetailOut)
def put_ratings(request: HttpRequest, assessment_id: int, payload: RatingsIn) -> dict[str, Any]:
    """Rate several criteria at once; ``version`` is the assessment's, as read (409 if changed)."""
    assessment = selectors.assessment_for(request.user, assessment_id)
    services.ratings_save(  # checks the right to rate
        actor=request_user(request),
        assessment=assessment,
        rows={code: row.model_dump() for code, row in payload.ratings.items()},
        expected_version=payload.version,
    )
    return get_assessment(request, assessment_id)


class CoverageRowOut(Schema):
    reference: str
    priority: str
    text: str
    addressed_by: list[str]


@router.get("/plans/{plan_id}/coverage", response=list[CoverageRowOut])
def plan_coverage(request: HttpRequest, plan_id: int) -> list[dict[str, Any]]:
    """The recommendations the plan must answer; an empty ``addressed_by`` is a gap."""
    coverage = selectors.coverage(plan_for(request.user, plan_id))
    return [
        {
            "reference": row.recommendation.reference,
            "priority": row.recommendation.priority,
            "text": row.recommendation.text,
            "addressed_by": [e.code for e in row.addressed_by],
        }
        for row in coverage.rows
    ]
