"""Indicators' part of the portable plan file: each indicator with its baseline, targets (with
their history) and actual values.

Checked with the same rules as the indicator services (``indicators/rules.py``); written in
bulk inside the plan import's transaction, so that targets keep the history the file carries.
Who recorded a value or revised a target stays the name the file gives, as text: it is never
bound to a local account of the same name, which may be somebody else.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from waypoint.core.rules import integer_problems
from waypoint.indicators import rules
from waypoint.indicators.models import Actual, Indicator, Target, TargetRevision
from waypoint.org.models import OrgUnit
from waypoint.plans.models import FundingSource, Plan, PlanElement
from waypoint.plans.planfile import FileSection, register_section
from waypoint.plans.planfile.sections import (
    Add,
    decimal,
    json_path,
    number,
    unknown_tier,
    unlisted_unit,
    used_twice,
)
from waypoint.plans.schemas import IndicatorEntry, PlanFile

#: the file's names for the indicator fields it nests
_FILE_FIELDS = {
    "baseline_value": "baseline.value",
    "baseline_date": "baseline.date",
    "tolerance_value": "tolerance.value",
    "tolerance_kind": "tolerance.kind",
}


# --- export ------------------------------------------------------------------------------------------


def _export(plan: Plan) -> list[dict[str, Any]]:
    indicators = list(
        Indicator.objects.filter(plan=plan).select_related("element", "tier", "owner_unit").order_by("number")
    )
    targets: dict[int, list[Target]] = defaultdict(list)
    for target in Target.objects.filter(indicator__plan=plan).order_by("period"):
        targets[target.indicator_id].append(target)
    revisions: dict[int, list[TargetRevision]] = defaultdict(list)
    for revision in TargetRevision.objects.filter(target__indicator__plan=plan).order_by("changed_at", "id"):
        revisions[revision.target_id].append(revision)
    actuals: dict[int, list[Actual]] = defaultdict(list)
    for actual in Actual.objects.filter(indicator__plan=plan).select_related("unit"):
        actuals[actual.indicator_id].append(actual)
    for rows in actuals.values():
        rows.sort(key=lambda a: (a.period, a.unit.code if a.unit else ""))
    return [_entry(i, targets[i.pk], revisions, actuals[i.pk]) for i in indicators]


def _entry(
    indicator: Indicator, targets: list[Target], revisions: dict[int, list[TargetRevision]], actuals: list[Actual]
) -> dict[str, Any]:
    baseline = None
    if indicator.baseline_value is not None and indicator.baseline_date is not None:
        baseline = {
            "value": number(indicator.baseline_value),
            "date": indicator.baseline_date.isoformat(),
            "source": indicator.baseline_source,
        }
    return {
        "code": indicator.code,
        "number": indicator.number,
        "name": indicator.name,
        "element": indicator.element.code,
        "tier": indicator.tier.key,
        "definition": indicator.definition,
        "formula": indicator.formula,
        "unit_of_measure": indicator.unit_of_measure,
        "decimals": indicator.decimals,
        "direction": indicator.direction,
        "aggregation": indicator.aggregation,
        "cumulative": indicator.cumulative,
        "frequency": indicator.frequency,
        "data_source": indicator.data_source,
        "means_of_verification": indicator.means_of_verification,
        "owner_unit": indicator.owner_unit.code,
        "disaggregation": list(indicator.disaggregation or []),
        "is_key": indicator.is_key,
        "baseline": baseline,
        "tolerance": {"value": number(indicator.tolerance_value), "kind": indicator.tolerance_kind},
        "completeness_threshold": indicator.completeness_threshold,
        "targets": [
            {
                "period": t.period,
                "value": number(t.value),
                "upper_value": number(t.upper_value),
                "history": [
                    {
                        "at": r.changed_at.astimezone(dt.UTC).isoformat(),
                        "by": r.changed_by_name,
                        "old_value": number(r.old_value),
                        "old_upper_value": number(r.old_upper_value),
                        "new_value": number(r.new_value),
                        "new_upper_value": number(r.new_upper_value),
                        "reason": r.reason,
                    }
                    for r in revisions[t.pk]
                ],
            }
            for t in targets
        ],
        "actuals": [
            {
                "period": a.period,
                "unit": a.unit.code if a.unit else None,
                "value": number(a.value),
                "evidence": a.evidence,
                "recorded_by": a.recorded_by_name,
                "computed": a.is_computed,
                "provenance": a.provenance,
            }
            for a in actuals
        ],
    }


def _unit_codes(plan: Plan) -> Iterable[str]:
    """The owners of the indicators and the units values were recorded for."""
    owners = Indicator.objects.filter(plan=plan).values_list("owner_unit__code", flat=True)
    recorded = Actual.objects.filter(indicator__plan=plan, unit__isnull=False).values_list("unit__code", flat=True)
    return {*owners, *recorded}


# --- check -------------------------------------------------------------------------------------------


def _definition(entry: IndicatorEntry) -> dict[str, Any]:
    """The entry in ``Indicator`` field names, as the indicator rules read it."""
    return {
        "name": entry.name,
        "unit_of_measure": entry.unit_of_measure,
        "direction": entry.direction,
        "aggregation": entry.aggregation,
        "cumulative": entry.cumulative,
        "frequency": entry.frequency,
        "disaggregation": entry.disaggregation,
        "baseline_value": entry.baseline.value if entry.baseline else None,
        "baseline_date": entry.baseline.date if entry.baseline else None,
        "tolerance_value": entry.tolerance.value,
        "tolerance_kind": entry.tolerance.kind,
        "completeness_threshold": entry.completeness_threshold,
    }


def _check(doc: PlanFile, add: Add) -> None:
    first, last = doc.plan.start_year, doc.plan.end_year
    units = {u.code for u in doc.units}
    elements = {e.code for e in doc.elements}
    tiers = {t.key for t in doc.tiers}
    codes: set[str] = set()
    numbers: set[int] = set()

    def add_at(where: str, problems: Iterable[Any]) -> None:
        for problem in problems:
            add(f"{where}.{_FILE_FIELDS.get(problem.location, problem.location)}", problem.message)

    for i, indicator in enumerate(doc.indicators):
        where = json_path("indicators", i)
        if indicator.code in codes:
            add(f"{where}.code", used_twice(indicator.code))
        if indicator.number in numbers:
            add(f"{where}.number", _("The number %(n)d is used twice.") % {"n": indicator.number})
        codes.add(indicator.code)
        numbers.add(indicator.number)
        add_at(where, integer_problems("number", indicator.number, Indicator._meta.get_field("number")))
        if indicator.element not in elements:
            add(f"{where}.element", _("Unknown element %(code)s.") % {"code": indicator.element})
        if indicator.tier not in tiers:
            add(f"{where}.tier", unknown_tier(indicator.tier))
        if indicator.owner_unit not in units:
            add(f"{where}.owner_unit", unlisted_unit(indicator.owner_unit))
        add_at(where, rules.indicator_problems(_definition(indicator), plan_end_year=last))
        _check_targets(indicator, where, first, last, add, add_at)
        _check_actuals(indicator, where, first, last, units, add, add_at)


def _check_targets(indicator: IndicatorEntry, where: str, first: int, last: int, add: Add, add_at: Any) -> None:
    periods: set[str] = set()
    for j, target in enumerate(indicator.targets):
        at = f"{where}.targets[{j}]"
        problems, parsed = rules.target_period_problems(target.period, start_year=first, end_year=last)
        add_at(at, problems)
        if parsed is None:
            continue
        if target.period in periods:
            add(f"{at}.period", _("A second target for %(p)s.") % {"p": target.period})
        periods.add(target.period)
        add_at(
            at, rules.target_value_problems(target.value, target.upper_value, is_range=indicator.direction == "range")
        )
        for k, revision in enumerate(target.history):
            if not _storable_time(revision.at):
                add(
                    f"{at}.history[{k}].at",
                    _("Give a time between 1900 and 2200 with its offset from UTC, e.g. 2013-05-02T09:30:00+04:00."),
                )
            add_at(
                f"{at}.history[{k}]",
                rules.revision_value_problems(
                    {
                        "old_value": revision.old_value,
                        "old_upper_value": revision.old_upper_value,
                        "new_value": revision.new_value,
                        "new_upper_value": revision.new_upper_value,
                    }
                ),
            )


def _storable_time(at: dt.datetime) -> bool:
    """A revision time the database stores and the export writes back the same: aware, and in
    UTC still a year the application knows."""
    if at.tzinfo is None or at.utcoffset() is None:
        return False
    try:
        return 1900 <= at.astimezone(dt.UTC).year <= 2200
    except OverflowError:
        return False


def _check_actuals(
    indicator: IndicatorEntry, where: str, first: int, last: int, units: set[str], add: Add, add_at: Any
) -> None:
    seen: set[tuple[str, str | None]] = set()
    for j, actual in enumerate(indicator.actuals):
        at = f"{where}.actuals[{j}]"
        problems, parsed = rules.actual_period_problems(
            actual.period, frequency=indicator.frequency, start_year=first, end_year=last
        )
        add_at(at, problems)
        if parsed is None:
            continue
        if actual.unit is not None:
            if actual.unit not in units:
                add(f"{at}.unit", unlisted_unit(actual.unit))
            else:
                add_at(at, rules.actual_unit_problems(by_unit="office" in indicator.disaggregation))
        add_at(at, rules.actual_value_problems(actual.value))
        if (actual.period, actual.unit) in seen:
            # the entry as a whole is the second one, so the problem points at the entry
            taken = rules.actual_taken(actual.period, actual.unit or _("the whole administration"))
            add(at, taken.message)
        seen.add((actual.period, actual.unit))


# --- write -------------------------------------------------------------------------------------------


def _write(plan: Plan, doc: PlanFile, elements: dict[str, PlanElement], sources: dict[str, FundingSource]) -> None:
    tiers = {t.key: t for t in plan.tiers.all()}
    codes = {i.owner_unit for i in doc.indicators} | {a.unit for i in doc.indicators for a in i.actuals if a.unit}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    for entry in doc.indicators:
        indicator = Indicator.objects.create(
            plan=plan,
            element=elements[entry.element],
            tier=tiers[entry.tier],
            number=entry.number,
            code=entry.code,
            name=entry.name,
            definition=entry.definition,
            formula=entry.formula,
            unit_of_measure=entry.unit_of_measure,
            decimals=entry.decimals,
            direction=entry.direction,
            aggregation=entry.aggregation,
            cumulative=entry.cumulative,
            frequency=entry.frequency,
            data_source=entry.data_source,
            means_of_verification=entry.means_of_verification,
            owner_unit=units[entry.owner_unit],
            disaggregation=list(entry.disaggregation),
            is_key=entry.is_key,
            baseline_value=decimal(entry.baseline.value) if entry.baseline else None,
            baseline_date=entry.baseline.date if entry.baseline else None,
            baseline_source=entry.baseline.source if entry.baseline else "",
            tolerance_value=decimal(entry.tolerance.value),
            tolerance_kind=entry.tolerance.kind,
            completeness_threshold=entry.completeness_threshold,
            position=entry.number,
        )
        for target_entry in entry.targets:
            target = Target.objects.create(
                indicator=indicator,
                period=target_entry.period,
                value=decimal(target_entry.value),
                upper_value=decimal(target_entry.upper_value),
            )
            TargetRevision.objects.bulk_create(
                TargetRevision(
                    target=target,
                    changed_at=r.at,
                    changed_by_name=r.by,
                    old_value=decimal(r.old_value),
                    old_upper_value=decimal(r.old_upper_value),
                    new_value=decimal(r.new_value),
                    new_upper_value=decimal(r.new_upper_value),
                    reason=r.reason,
                )
                for r in target_entry.history
            )
        Actual.objects.bulk_create(
            Actual(
                indicator=indicator,
                period=a.period,
                unit=units[a.unit] if a.unit else None,
                value=decimal(a.value),
                evidence=a.evidence,
                recorded_by_name=a.recorded_by,
                is_computed=a.computed,
                provenance=dict(a.provenance),
            )
            for a in entry.actuals
        )


def register() -> None:
    register_section(FileSection("indicators", _export, _check, _write, unit_codes=_unit_codes))
