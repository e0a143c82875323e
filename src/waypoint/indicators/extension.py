"""What indicators add to plans (``plans.extensions``): the measures behind each element's
health, the targets and actuals a shorter period would strand, the indicators a deletion
takes with it, and the indicators' ids for the quality page's links."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core.errors import Problem
from waypoint.engine.quality import Subject
from waypoint.indicators import permissions
from waypoint.indicators.models import Actual, Indicator, Target
from waypoint.indicators.selectors import IndicatorState, indicator_states, indicators_for_plan, plan_states
from waypoint.plans.extensions import PlanExtension, register_extension
from waypoint.plans.models import Plan, PlanElement


def _measures(plan: Plan, elements: Sequence[PlanElement] | None, stamp: str | None) -> dict[int, IndicatorState]:
    if elements is None:
        return dict(plan_states(plan, stamp))
    return indicator_states(plan, indicators_for_plan(plan).filter(element__in=elements), with_actuals=False)


def _period_problems(plan: Plan, start_year: int, end_year: int) -> list[Problem]:
    problems: list[Problem] = []
    stray_targets = [
        f"{t.indicator.code} {t.period}"
        for t in Target.objects.filter(indicator__plan=plan).select_related("indicator")
        if not start_year <= int(t.period[:4]) <= end_year
    ]
    if stray_targets:
        problems.append(
            Problem(
                "end_year",
                _("These targets would fall outside the period: %(t)s.") % {"t": ", ".join(stray_targets[:10])},
            )
        )
    stray_actuals = sum(
        1
        for a in Actual.objects.filter(indicator__plan=plan).only("period")
        if not start_year <= int(a.period[:4]) <= end_year
    )
    if stray_actuals:
        problems.append(
            Problem(
                "end_year",
                ngettext(
                    "%(n)d actual value would fall outside the period.",
                    "%(n)d actual values would fall outside the period.",
                    stray_actuals,
                )
                % {"n": stray_actuals},
            )
        )
    return problems


def _removed_with(elements: Sequence[PlanElement]) -> dict[str, int]:
    return {"indicator": Indicator.objects.filter(element__in=elements).count()}


def _subject_ids(plan: Plan) -> Mapping[Subject, Mapping[str, int]]:
    return {Subject.INDICATOR: dict(Indicator.objects.filter(plan=plan).values_list("code", "pk"))}


def _editable_subjects(plan: Plan, user: Any, codes: Collection[str]) -> Mapping[Subject, set[str]]:
    indicators = Indicator.objects.filter(plan=plan, code__in=codes).select_related(
        "plan__administration", "element__responsible_unit", "owner_unit"
    )
    return {Subject.INDICATOR: {i.code for i in indicators if permissions.can_edit_indicator(user, i)}}


def register() -> None:
    register_extension(
        PlanExtension(
            "indicators",
            measures=_measures,
            period_problems=_period_problems,
            removed_with=_removed_with,
            subject_ids=_subject_ids,
            editable_subjects=_editable_subjects,
        )
    )
