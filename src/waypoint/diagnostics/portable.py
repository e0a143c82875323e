"""Diagnostics' part of the portable plan file: the recommendations the plan answers.

The recommendations themselves belong to assessments, which live outside the plan; the file
carries them (so ``waypoint check`` sees what is not addressed) and, on import, restores the
links to the assessments of the same reference in the target administration. A file moves a
plan between installations and the assessments stay behind: an entry without a recorded
recommendation to link to is kept as it is (``CarriedRecommendation``: its text and the
elements that answer it), the import report says so, and exporting the plan gives it back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from waypoint.core.rules import integer_problems
from waypoint.diagnostics.models import CarriedRecommendation, Recommendation
from waypoint.diagnostics.selectors import recommendations_for_plan
from waypoint.plans.models import FundingSource, Plan, PlanElement
from waypoint.plans.planfile import FileSection, register_section
from waypoint.plans.schemas import PlanFile, RecommendationEntry


def _entry(assessment: str, code: str, r: Recommendation | CarriedRecommendation, plan: Plan) -> dict[str, Any]:
    return {
        "assessment": assessment,
        "code": code,
        "area": r.area,
        "priority": r.priority,
        "finding": r.finding,
        "text": r.text,
        "addressed_by": sorted(e.code for e in r.elements.all() if e.plan_id == plan.pk),
    }


def _export(plan: Plan) -> list[dict[str, Any]]:
    """The linked recommendations (by assessment date, reference and number), then the carried
    ones in the order of the file they came from."""
    linked = [_entry(r.assessment.reference, r.code, r, plan) for r in recommendations_for_plan(plan)]
    carried = [
        _entry(c.assessment_reference, c.code, c, plan)
        for c in CarriedRecommendation.objects.filter(plan=plan).prefetch_related("elements").order_by("position")
    ]
    return linked + carried


def _number(entry: RecommendationEntry) -> int:
    return int(entry.code[1:])


def _stored(doc: PlanFile) -> dict[tuple[str, int], Recommendation]:
    found = Recommendation.objects.filter(
        assessment__administration__code=doc.administration,
        assessment__reference__in={r.assessment for r in doc.recommendations},
    ).select_related("assessment")
    return {(r.assessment.reference, r.number): r for r in found}


def _check(doc: PlanFile, add: Callable[[str, str], None]) -> None:
    answering = {e.code for e in doc.elements if e.kind in ("objective", "initiative")}
    seen: set[tuple[str, int]] = set()
    for i, entry in enumerate(doc.recommendations):
        key = (entry.assessment, _number(entry))
        if key in seen:
            add(
                f"$.recommendations[{i}]",
                _("Recommendation %(code)s of assessment %(ref)s is listed twice.")
                % {"code": entry.code, "ref": entry.assessment},
            )
        seen.add(key)
        for problem in integer_problems("code", key[1], Recommendation._meta.get_field("number")):
            add(f"$.recommendations[{i}].code", problem.message)
        for j, code in enumerate(entry.addressed_by):
            if code not in answering:
                add(
                    f"$.recommendations[{i}].addressed_by[{j}]",
                    _("%(code)s is not an objective or initiative of this plan.") % {"code": code},
                )


def _warn(doc: PlanFile, add: Callable[[str, str], None]) -> None:
    """Entries the import keeps without a link: their assessment, or the recommendation in it,
    is not recorded in the file's administration."""
    if not doc.recommendations:
        return
    stored = _stored(doc)
    assessments = {reference for reference, _number in stored}
    for i, entry in enumerate(doc.recommendations):
        if (entry.assessment, _number(entry)) in stored:
            continue
        values = {"code": entry.code, "ref": entry.assessment}
        if entry.assessment in assessments:
            message = _(
                "Assessment %(ref)s has no recommendation %(code)s here: the import keeps it with its text and "
                "the elements that answer it, without a link to the assessment."
            )
        else:
            message = _(
                "Assessment %(ref)s is not recorded in this administration: the import keeps %(code)s with its "
                "text and the elements that answer it, without a link to the assessment."
            )
        add(f"$.recommendations[{i}]", message % values)


def _write(plan: Plan, doc: PlanFile, elements: dict[str, PlanElement], sources: dict[str, FundingSource]) -> None:
    stored = _stored(doc)
    for position, entry in enumerate(doc.recommendations, start=1):
        answering = [elements[code] for code in entry.addressed_by]
        recommendation = stored.get((entry.assessment, _number(entry)))
        if recommendation is not None:
            recommendation.assessment.plans.add(plan)
            recommendation.elements.add(*answering)
            continue
        carried = CarriedRecommendation.objects.create(
            plan=plan,
            position=position,
            assessment_reference=entry.assessment,
            number=_number(entry),
            area=entry.area,
            priority=entry.priority,
            finding=entry.finding,
            text=entry.text,
        )
        carried.elements.add(*answering)


def register() -> None:
    register_section(FileSection("recommendations", _export, _check, _write, warn=_warn))
