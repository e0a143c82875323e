"""Diagnostics' part of the portable plan file: the recommendations the plan answers.

The recommendations themselves belong to assessments, which live outside the plan; the file
carries them (so ``waypoint check`` sees what is not addressed) and, on import, restores the
links to the assessments of the same reference in the target administration.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from waypoint.diagnostics.models import Recommendation
from waypoint.diagnostics.selectors import recommendations_for_plan
from waypoint.plans.models import FundingSource, Plan, PlanElement
from waypoint.plans.planfile import FileSection, register_section
from waypoint.plans.schemas import PlanFile


def _export(plan: Plan) -> list[dict[str, Any]]:
    return [
        {
            "assessment": r.assessment.reference,
            "code": r.code,
            "area": r.area,
            "priority": r.priority,
            "finding": r.finding,
            "text": r.text,
            "addressed_by": sorted(e.code for e in r.elements.all() if e.plan_id == plan.pk),
        }
        for r in recommendations_for_plan(plan)
    ]


def _stored(doc: PlanFile) -> dict[tuple[str, int], Recommendation]:
    found = Recommendation.objects.filter(
        assessment__administration__code=doc.administration,
        assessment__reference__in={r.assessment for r in doc.recommendations},
    ).select_related("assessment")
    return {(r.assessment.reference, r.number): r for r in found}


def _check(doc: PlanFile, add: Callable[[str, str], None]) -> None:
    if not doc.recommendations:
        return
    stored = _stored(doc)
    answering = {e.code for e in doc.elements if e.kind in ("objective", "initiative")}
    for i, entry in enumerate(doc.recommendations):
        if (entry.assessment, int(entry.code[1:])) not in stored:
            add(
                f"$.recommendations[{i}]",
                _(
                    "No recommendation %(code)s of assessment %(ref)s in this administration: record the "
                    "diagnostic first, or remove the entry."
                )
                % {"code": entry.code, "ref": entry.assessment},
            )
        for j, code in enumerate(entry.addressed_by):
            if code not in answering:
                add(
                    f"$.recommendations[{i}].addressed_by[{j}]",
                    _("%(code)s is not an objective or initiative of this plan.") % {"code": code},
                )


def _write(plan: Plan, doc: PlanFile, elements: dict[str, PlanElement], sources: dict[str, FundingSource]) -> None:
    stored = _stored(doc)
    for entry in doc.recommendations:
        recommendation = stored[entry.assessment, int(entry.code[1:])]
        recommendation.assessment.plans.add(plan)
        recommendation.elements.add(*(elements[code] for code in entry.addressed_by))


def register() -> None:
    register_section(FileSection("recommendations", _export, _check, _write))
