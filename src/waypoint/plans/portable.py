"""Export a whole plan to the portable JSON file and import it back.

Export is deterministic (fixed key order, tree order, canonical numbers) so that exporting,
importing into an empty database and exporting again gives the same bytes. Import checks the
whole file first and reports every problem by JSON path; only a clean file is written, in one
transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, overload

from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import ValidationError

from waypoint.core.audit import audit_record
from waypoint.core.errors import Problem
from waypoint.engine.periods import Period, PeriodKind
from waypoint.engine.quality import CATALOGUE
from waypoint.indicators.models import Actual, Indicator, Target, TargetRevision
from waypoint.org.models import OrgUnit, UnitKind, User
from waypoint.plans import permissions
from waypoint.plans.errors import PlanFileInvalid
from waypoint.plans.models import (
    CATEGORIES_BY_FRAMEWORK,
    CODE_PREFIX,
    PARENT_KIND,
    AnalysisItem,
    BudgetLine,
    FundingSource,
    Plan,
    PlanElement,
    PlanFunction,
    PlanTier,
    QualityRuleSetting,
    Risk,
)
from waypoint.plans.schemas import FORMAT, FORMAT_VERSION, PlanFile

# --- sections other apps own ----------------------------------------------------------------------


@dataclass(frozen=True)
class FileSection:
    """A part of the plan file that another app reads and writes (roadmap links, recommendations).

    ``check`` reports problems through ``add(json_path, message)`` before anything is written;
    ``write`` runs inside the import's transaction once the elements exist.
    """

    key: str
    export: Callable[[Plan], list[dict[str, Any]]]
    check: Callable[[PlanFile, Callable[[str, str], None]], None]
    write: Callable[[Plan, PlanFile, dict[str, PlanElement], dict[str, FundingSource]], None]
    funding_sources: Callable[[Plan], Iterable[FundingSource]] = lambda plan: ()
    #: codes of the org units the section refers to, so that the file lists them
    unit_codes: Callable[[Plan], Iterable[str]] = lambda plan: ()


_SECTIONS: dict[str, FileSection] = {}


def register_section(section: FileSection) -> None:
    """Called from an app's ``ready()``; the file lists sections in the schema's order."""
    _SECTIONS[section.key] = section


def _sections() -> list[FileSection]:
    order = list(PlanFile.model_fields)
    return sorted(_SECTIONS.values(), key=lambda s: order.index(s.key))


# --- export -------------------------------------------------------------------------------------


def _number(value: Decimal | None) -> int | float | None:
    """Canonical JSON number: integers stay integers, the rest the shortest exact float."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _month(day: dt.date | None) -> str | None:
    return f"{day:%Y-%m}" if day else None


def _tree_order(elements: list[PlanElement]) -> list[PlanElement]:
    children: dict[int | None, list[PlanElement]] = defaultdict(list)
    for element in elements:
        children[element.parent_id].append(element)
    ordered: list[PlanElement] = []

    def walk(parent_id: int | None) -> None:
        for element in sorted(children[parent_id], key=lambda e: (e.position, e.number)):
            ordered.append(element)
            walk(element.pk)

    walk(None)
    return ordered


def _units_in_order(administration: OrgUnit, codes: set[str]) -> list[OrgUnit]:
    """The units named in the plan and their ancestors, root first, siblings by code."""
    everything = {
        u.pk: u for u in OrgUnit.objects.filter(path__startswith=administration.path).select_related("parent")
    }
    by_code = {u.code: u for u in everything.values()}
    keep: set[int] = {administration.pk}
    for code in codes:
        unit: OrgUnit | None = by_code.get(code)
        while unit is not None and unit.pk not in keep:
            keep.add(unit.pk)
            unit = everything.get(unit.parent_id) if unit.parent_id else None
    children: dict[int | None, list[OrgUnit]] = defaultdict(list)
    for unit in everything.values():
        if unit.pk in keep:
            children[unit.parent_id].append(unit)
    ordered: list[OrgUnit] = []

    def walk(unit: OrgUnit) -> None:
        ordered.append(unit)
        for child in sorted(children[unit.pk], key=lambda u: u.code):
            walk(child)

    walk(administration)
    return ordered


def plan_export(plan: Plan) -> dict[str, Any]:
    """The plan as the portable document (a dict ready for ``json.dumps``)."""
    plan = Plan.objects.select_related("administration").get(pk=plan.pk)  # counters may be newer than the caller's copy
    elements = _tree_order(
        list(PlanElement.objects.filter(plan=plan).select_related("tier", "responsible_unit", "parent"))
    )
    risks: dict[int, list[Risk]] = defaultdict(list)
    for risk in Risk.objects.filter(element__plan=plan).order_by("position", "id"):
        risks[risk.element_id].append(risk)
    lines: dict[int, list[BudgetLine]] = defaultdict(list)
    for line in (
        BudgetLine.objects.filter(element__plan=plan)
        .select_related("funding_source")
        .order_by("year", "funding_source__name")
    ):
        lines[line.element_id].append(line)
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

    unit_codes = {e.responsible_unit.code for e in elements} | {i.owner_unit.code for i in indicators}
    unit_codes |= {a.unit.code for rows in actuals.values() for a in rows if a.unit}
    used = {line.funding_source for rows in lines.values() for line in rows}
    for section in _sections():
        used |= set(section.funding_sources(plan))
        unit_codes |= set(section.unit_codes(plan))
    units = _units_in_order(plan.administration, unit_codes)
    sources = sorted(used, key=lambda s: s.name)

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "administration": plan.administration.code,
        "units": [
            {
                "code": u.code,
                "name": u.name,
                "kind": u.kind,
                "parent": u.parent.code if u.parent_id and u.parent else None,
            }
            for u in units
        ],
        "plan": {
            "title": plan.title,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "status": plan.status,
            "tier_template": plan.tier_template,
            "currency": plan.currency,
            "vision": plan.vision,
            "mission": plan.mission,
            "values": plan.values,
            "summary": plan.summary,
            "last_goal_number": plan.last_goal_number,
        },
        "tiers": [{"key": t.key, "name": t.name} for t in plan.tiers.order_by("level")],
        "funding_sources": [{"name": s.name, "kind": s.kind} for s in sources],
        "elements": [
            {
                "code": e.code,
                "kind": e.kind,
                "parent": e.parent.code if e.parent_id and e.parent else None,
                "number": e.number,
                "position": e.position,
                "title": e.title,
                "description": e.description,
                "tier": e.tier.key,
                "responsible_unit": e.responsible_unit.code,
                "lead": e.lead,
                "starts_on": _month(e.starts_on),
                "ends_on": _month(e.ends_on),
                "status": e.status,
                "assumptions": e.assumptions,
                "last_child_number": e.last_child_number,
                "risks": [
                    {
                        "description": r.description,
                        "likelihood": r.likelihood,
                        "impact": r.impact,
                        "mitigation": r.mitigation,
                        "owner": r.owner,
                    }
                    for r in risks[e.pk]
                ],
                "budget": [
                    {"year": b.year, "source": b.funding_source.name, "amount": _number(b.amount), "note": b.note}
                    for b in lines[e.pk]
                ],
            }
            for e in elements
        ],
        "analysis": [
            {
                "framework": a.framework,
                "category": a.category,
                "text": a.text,
                "objectives": sorted(o.code for o in a.objectives.all()),
            }
            for a in AnalysisItem.objects.filter(plan=plan)
            .prefetch_related("objectives")
            .order_by("framework", "category", "position", "id")
        ],
        "functions": [
            {
                "name": f.name,
                "priority": f.priority,
                "description": f.description,
                "objectives": sorted(o.code for o in f.objectives.all()),
            }
            for f in PlanFunction.objects.filter(plan=plan).prefetch_related("objectives").order_by("position", "id")
        ],
        "indicators": [_indicator_entry(i, targets[i.pk], revisions, actuals[i.pk]) for i in indicators],
        **{section.key: section.export(plan) for section in _sections()},
        "quality_rules": [
            {"rule": r.rule, "enabled": r.enabled, "severity": r.severity or None, "reason": r.reason}
            for r in QualityRuleSetting.objects.filter(plan=plan).order_by("rule")
        ],
    }


def _indicator_entry(
    indicator: Indicator, targets: list[Target], revisions: dict[int, list[TargetRevision]], actuals: list[Actual]
) -> dict[str, Any]:
    baseline = None
    if indicator.baseline_value is not None and indicator.baseline_date is not None:
        baseline = {
            "value": _number(indicator.baseline_value),
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
        "tolerance": {"value": _number(indicator.tolerance_value), "kind": indicator.tolerance_kind},
        "targets": [
            {
                "period": t.period,
                "value": _number(t.value),
                "upper_value": _number(t.upper_value),
                "history": [
                    {
                        "at": r.changed_at.astimezone(dt.UTC).isoformat(),
                        "by": r.changed_by_name,
                        "old_value": _number(r.old_value),
                        "old_upper_value": _number(r.old_upper_value),
                        "new_value": _number(r.new_value),
                        "new_upper_value": _number(r.new_upper_value),
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
                "value": _number(a.value),
                "evidence": a.evidence,
                "recorded_by": a.recorded_by_name,
                "computed": a.is_computed,
                "provenance": a.provenance,
            }
            for a in actuals
        ],
    }


def plan_export_json(plan: Plan) -> str:
    return json.dumps(plan_export(plan), ensure_ascii=False, indent=2) + "\n"


# --- import -------------------------------------------------------------------------------------


def _path(*parts: str | int) -> str:
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _pydantic_problems(error: ValidationError) -> list[Problem]:
    return [
        Problem(_path(*[p for p in issue["loc"] if isinstance(p, str | int)]), issue["msg"]) for issue in error.errors()
    ]


class _Checker:
    """Collects every problem of a parsed file before anything is written."""

    def __init__(self, doc: PlanFile) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def add(self, location: str, message: str) -> None:
        self.problems.append(Problem(location, message))

    def run(self) -> None:
        doc = self.doc
        plan = doc.plan
        if plan.end_year < plan.start_year:
            self.add("$.plan.end_year", _("The last year cannot come before the first year."))
        elif plan.end_year - plan.start_year > 14:
            self.add("$.plan.end_year", _("A plan covers at most 15 years."))
        self.units = self._check_units()
        tiers = {t.key for t in doc.tiers}
        if len(tiers) != len(doc.tiers):
            self.add("$.tiers", _("Tier keys must be unique."))
        sources = [s.name for s in doc.funding_sources]
        if len(set(sources)) != len(sources):
            self.add("$.funding_sources", _("Funding source names must be unique."))
        self.elements = self._check_elements(tiers, set(sources))
        objective_codes = {e.code for e in doc.elements if e.kind == "objective"}
        for i, item in enumerate(doc.analysis):
            if item.category not in CATEGORIES_BY_FRAMEWORK[item.framework]:
                self.add(
                    _path("analysis", i, "category"),
                    _("'%(c)s' is not a %(fw)s category.") % {"c": item.category, "fw": item.framework.upper()},
                )
            for j, code in enumerate(item.objectives):
                if code not in objective_codes:
                    self.add(_path("analysis", i, "objectives", j), _("Unknown objective %(code)s.") % {"code": code})
        names = [f.name for f in doc.functions]
        for i, function in enumerate(doc.functions):
            if names.count(function.name) > 1:
                self.add(
                    _path("functions", i, "name"), _("The function %(name)s appears twice.") % {"name": function.name}
                )
            for j, code in enumerate(function.objectives):
                if code not in objective_codes:
                    self.add(_path("functions", i, "objectives", j), _("Unknown objective %(code)s.") % {"code": code})
        self._check_indicators(tiers)
        self._check_quality_rules()
        for section in _sections():
            section.check(doc, self.add)

    def _check_quality_rules(self) -> None:
        seen: set[str] = set()
        for i, entry in enumerate(self.doc.quality_rules):
            if entry.rule not in CATALOGUE:
                self.add(_path("quality_rules", i, "rule"), _("Unknown quality rule %(r)s.") % {"r": entry.rule})
            elif entry.rule in seen:
                self.add(_path("quality_rules", i, "rule"), _("The rule %(r)s is listed twice.") % {"r": entry.rule})
            seen.add(entry.rule)

    def _check_units(self) -> dict[str, Any]:
        doc = self.doc
        known: dict[str, Any] = {}
        for i, unit in enumerate(doc.units):
            where = _path("units", i)
            if unit.code in known:
                self.add(f"{where}.code", _("The unit %(code)s is listed twice.") % {"code": unit.code})
                continue
            if unit.kind not in UnitKind.values:
                self.add(f"{where}.kind", _("Unknown unit type '%(kind)s'.") % {"kind": unit.kind})
            if unit.parent is None:
                if unit.code != doc.administration:
                    self.add(
                        f"{where}.parent",
                        _("Only the administration %(code)s may have no parent.") % {"code": doc.administration},
                    )
                elif unit.kind != UnitKind.ADMINISTRATION:
                    self.add(f"{where}.kind", _("The administration must have the type 'administration'."))
            elif unit.parent not in known:
                self.add(
                    f"{where}.parent",
                    _("The parent %(code)s must be listed before its children.") % {"code": unit.parent},
                )
            stored = OrgUnit.objects.filter(code=unit.code).select_related("parent").first()
            if stored is not None:
                stored_parent = stored.parent.code if stored.parent else None
                if (stored.name, stored.kind, stored_parent) != (unit.name, unit.kind, unit.parent):
                    self.add(
                        where,
                        _(
                            "The unit %(code)s already exists as “%(name)s” (%(kind)s, under %(parent)s); "
                            "the file describes it differently."
                        )
                        % {"code": unit.code, "name": stored.name, "kind": stored.kind, "parent": stored_parent or "—"},
                    )
            known[unit.code] = unit
        if doc.administration not in known:
            self.add(
                "$.administration",
                _("The administration %(code)s must be listed in $.units.") % {"code": doc.administration},
            )
        admin = OrgUnit.objects.filter(code=doc.administration).first()
        if admin is not None:
            duplicate = Plan.objects.filter(
                administration=admin, title=doc.plan.title, start_year=doc.plan.start_year, end_year=doc.plan.end_year
            ).first()
            if duplicate is not None:
                self.add(
                    "$.plan.title",
                    _("This administration already has “%(t)s” for %(a)d–%(b)d (plan %(id)d).")
                    % {"t": doc.plan.title, "a": doc.plan.start_year, "b": doc.plan.end_year, "id": duplicate.pk},
                )
        return known

    def _check_elements(self, tiers: set[str], sources: set[str]) -> dict[str, Any]:
        doc = self.doc
        first, last = doc.plan.start_year, doc.plan.end_year
        seen: dict[str, Any] = {}
        numbers: set[tuple[str | None, int]] = set()
        for i, element in enumerate(doc.elements):
            where = _path("elements", i)
            if element.code in seen:
                self.add(f"{where}.code", _("The code %(code)s is used twice.") % {"code": element.code})
                continue
            parent = None
            expected_parent_kind = PARENT_KIND[element.kind]
            if element.parent is None:
                if expected_parent_kind is not None:
                    self.add(f"{where}.parent", _("A %(kind)s needs a parent.") % {"kind": element.kind})
                expected_code = f"{CODE_PREFIX[element.kind]}{element.number}"
            else:
                parent = seen.get(element.parent)
                if parent is None:
                    self.add(
                        f"{where}.parent",
                        _("The parent %(code)s must be listed before its children.") % {"code": element.parent},
                    )
                elif parent.kind != expected_parent_kind:
                    self.add(
                        f"{where}.parent",
                        _("A %(kind)s must sit under a %(parent)s, not a %(actual)s.")
                        % {"kind": element.kind, "parent": expected_parent_kind, "actual": parent.kind},
                    )
                elif element.number > parent.last_child_number:
                    self.add(f"{where}.number", _("The number is above its parent's last_child_number."))
                expected_code = f"{CODE_PREFIX[element.kind]}{element.parent[1:]}.{element.number}"
            if element.parent is None and element.number > doc.plan.last_goal_number:
                self.add(f"{where}.number", _("The number is above the plan's last_goal_number."))
            if element.code != expected_code:
                self.add(
                    f"{where}.code",
                    _("The code should be %(code)s (kind, parent and number).") % {"code": expected_code},
                )
            if (element.parent, element.number) in numbers:
                self.add(
                    f"{where}.number",
                    _("Two elements under the same parent have number %(n)d.") % {"n": element.number},
                )
            numbers.add((element.parent, element.number))
            if element.tier not in tiers:
                self.add(f"{where}.tier", _("Unknown tier '%(t)s'.") % {"t": element.tier})
            if element.responsible_unit not in self.units:
                self.add(
                    f"{where}.responsible_unit",
                    _("Unknown unit %(code)s: list it in $.units.") % {"code": element.responsible_unit},
                )
            starts = dt.date.fromisoformat(element.starts_on + "-01") if element.starts_on else None
            ends = dt.date.fromisoformat(element.ends_on + "-01") if element.ends_on else None
            if element.kind in ("goal", "objective") and (starts or ends):
                self.add(f"{where}.starts_on", _("Only initiatives and activities have dates."))
            for name, day in (("starts_on", starts), ("ends_on", ends)):
                if day is not None and not first <= day.year <= last:
                    self.add(f"{where}.{name}", _("Outside the plan period %(a)d–%(b)d.") % {"a": first, "b": last})
            if starts and ends and ends < starts:
                self.add(f"{where}.ends_on", _("The end cannot come before the start."))
            if parent is not None and parent.kind in ("initiative",):
                if starts and parent.starts_on and element.starts_on < parent.starts_on:
                    self.add(f"{where}.starts_on", _("Starts before its parent %(code)s.") % {"code": parent.code})
                if ends and parent.ends_on and element.ends_on > parent.ends_on:
                    self.add(f"{where}.ends_on", _("Ends after its parent %(code)s.") % {"code": parent.code})
            for j, line in enumerate(element.budget):
                if line.source not in sources:
                    self.add(
                        _path("elements", i, "budget", j, "source"),
                        _("Unknown funding source '%(s)s'.") % {"s": line.source},
                    )
                if not first <= line.year <= last:
                    self.add(_path("elements", i, "budget", j, "year"), _("Outside the plan period."))
            pairs = [(line.year, line.source) for line in element.budget]
            if len(set(pairs)) != len(pairs):
                self.add(f"{where}.budget", _("Two budget lines for the same year and source."))
            seen[element.code] = element
        return seen

    def _check_indicators(self, tiers: set[str]) -> None:
        doc = self.doc
        first, last = doc.plan.start_year, doc.plan.end_year
        codes: set[str] = set()
        numbers: set[int] = set()
        kinds = {"year": PeriodKind.YEAR, "quarter": PeriodKind.QUARTER, "month": PeriodKind.MONTH}
        for i, indicator in enumerate(doc.indicators):
            where = _path("indicators", i)
            if indicator.code in codes:
                self.add(f"{where}.code", _("The code %(code)s is used twice.") % {"code": indicator.code})
            if indicator.number in numbers:
                self.add(f"{where}.number", _("The number %(n)d is used twice.") % {"n": indicator.number})
            codes.add(indicator.code)
            numbers.add(indicator.number)
            if indicator.element not in self.elements:
                self.add(f"{where}.element", _("Unknown element %(code)s.") % {"code": indicator.element})
            if indicator.tier not in tiers:
                self.add(f"{where}.tier", _("Unknown tier '%(t)s'.") % {"t": indicator.tier})
            if indicator.owner_unit not in self.units:
                self.add(
                    f"{where}.owner_unit",
                    _("Unknown unit %(code)s: list it in $.units.") % {"code": indicator.owner_unit},
                )
            if indicator.cumulative and indicator.aggregation != "sum":
                self.add(f"{where}.cumulative", _("A cumulative indicator must use the aggregation 'sum'."))
            periods: set[str] = set()
            for j, target in enumerate(indicator.targets):
                at = _path("indicators", i, "targets", j)
                try:
                    period = Period.parse(target.period)
                except ValueError as error:
                    self.add(f"{at}.period", str(error))
                    continue
                if period.kind is not PeriodKind.YEAR or not first <= period.year <= last:
                    self.add(
                        f"{at}.period", _("Targets are plan years between %(a)d and %(b)d.") % {"a": first, "b": last}
                    )
                if target.period in periods:
                    self.add(f"{at}.period", _("A second target for %(p)s.") % {"p": target.period})
                periods.add(target.period)
                if indicator.direction == "range" and target.upper_value is None:
                    self.add(f"{at}.upper_value", _("A range indicator needs an upper bound."))
                if indicator.direction != "range" and target.upper_value is not None:
                    self.add(f"{at}.upper_value", _("Only range indicators have an upper bound."))
                if target.upper_value is not None and target.upper_value < target.value:
                    self.add(f"{at}.upper_value", _("The upper bound is below the lower bound."))
            seen: set[tuple[str, str | None]] = set()
            for j, actual in enumerate(indicator.actuals):
                at = _path("indicators", i, "actuals", j)
                try:
                    period = Period.parse(actual.period)
                except ValueError as error:
                    self.add(f"{at}.period", str(error))
                    continue
                if period.kind is not kinds[indicator.frequency]:
                    self.add(f"{at}.period", _("This indicator is reported per %(f)s.") % {"f": indicator.frequency})
                elif not first <= period.year <= last:
                    self.add(f"{at}.period", _("Outside the plan period."))
                if actual.unit is not None:
                    if actual.unit not in self.units:
                        self.add(f"{at}.unit", _("Unknown unit %(code)s: list it in $.units.") % {"code": actual.unit})
                    elif "office" not in indicator.disaggregation:
                        self.add(f"{at}.unit", _("This indicator is not reported by unit."))
                if (actual.period, actual.unit) in seen:
                    self.add(at, _("A second value for %(p)s and the same unit.") % {"p": actual.period})
                seen.add((actual.period, actual.unit))


def plan_file_check(raw: str | bytes | dict[str, Any]) -> PlanFile:
    """Parse and check a plan file without writing anything.

    Raises:
        PlanFileInvalid: with every problem, located by JSON path.
    """
    try:
        data = json.loads(raw) if isinstance(raw, str | bytes) else raw
    except json.JSONDecodeError as error:
        raise PlanFileInvalid(
            _("The file is not valid JSON."),
            problems=[Problem("$", f"line {error.lineno}, column {error.colno}: {error.msg}")],
        ) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PlanFileInvalid(
            _("This is not a Waypoint plan file."),
            problems=[Problem("$.format", _('Expected "%(f)s".') % {"f": FORMAT})],
        )
    try:
        doc = PlanFile.model_validate(data)
    except ValidationError as error:
        problems = _pydantic_problems(error)
        raise PlanFileInvalid(
            _("The plan file has %(n)d problems.") % {"n": len(problems)}, problems=problems
        ) from error
    checker = _Checker(doc)
    checker.run()
    if checker.problems:
        raise PlanFileInvalid(
            _("The plan file has %(n)d problems.") % {"n": len(checker.problems)}, problems=checker.problems
        )
    return doc


@overload
def _dec(value: Decimal) -> Decimal: ...
@overload
def _dec(value: Decimal | None) -> Decimal | None: ...
def _dec(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@transaction.atomic
def plan_import(raw: str | bytes | dict[str, Any], *, actor: User | None) -> Plan:
    """Create the plan described by a portable file (and any units it needs).

    Raises:
        PlanFileInvalid: nothing is written; every problem is listed by JSON path.
        NotAllowed: the actor is not a planner of the file's administration.
    """
    doc = plan_file_check(raw)
    existing_admin = OrgUnit.objects.filter(code=doc.administration).first()
    if actor is not None:
        permissions.require(
            existing_admin is not None and permissions.can_create_plan(actor, existing_admin),
            _("Only planners of %(code)s can import its plans.") % {"code": doc.administration},
        )
    units: dict[str, OrgUnit] = {}
    for unit_entry in doc.units:
        unit = OrgUnit.objects.filter(code=unit_entry.code).first()
        if unit is None:
            unit = OrgUnit(
                code=unit_entry.code,
                name=unit_entry.name,
                kind=unit_entry.kind,
                parent=units.get(unit_entry.parent) if unit_entry.parent else None,
            )
            unit.save()
            audit_record(actor=actor, action="import", instance=unit)
        units[unit_entry.code] = unit
    administration = units[doc.administration]
    sources: dict[str, FundingSource] = {}
    for source_entry in doc.funding_sources:
        source, _created = FundingSource.objects.get_or_create(
            administration=administration, name=source_entry.name, defaults={"kind": source_entry.kind}
        )
        sources[source_entry.name] = source
    p = doc.plan
    plan = Plan.objects.create(
        administration=administration,
        title=p.title,
        start_year=p.start_year,
        end_year=p.end_year,
        status=p.status,
        tier_template=p.tier_template,
        currency=p.currency,
        vision=p.vision,
        mission=p.mission,
        values=p.values,
        summary=p.summary,
        last_goal_number=p.last_goal_number,
    )
    tiers = {
        t.key: PlanTier.objects.create(plan=plan, level=level, key=t.key, name=t.name)
        for level, t in enumerate(doc.tiers, start=1)
    }
    elements: dict[str, PlanElement] = {}
    for element_entry in doc.elements:
        element = PlanElement.objects.create(
            plan=plan,
            parent=elements.get(element_entry.parent) if element_entry.parent else None,
            kind=element_entry.kind,
            number=element_entry.number,
            code=element_entry.code,
            position=element_entry.position,
            title=element_entry.title,
            description=element_entry.description,
            tier=tiers[element_entry.tier],
            responsible_unit=units[element_entry.responsible_unit],
            lead=element_entry.lead,
            starts_on=dt.date.fromisoformat(element_entry.starts_on + "-01") if element_entry.starts_on else None,
            ends_on=_month_end(element_entry.ends_on),
            status=element_entry.status,
            assumptions=element_entry.assumptions,
            last_child_number=element_entry.last_child_number,
        )
        Risk.objects.bulk_create(
            Risk(
                element=element,
                position=k,
                description=r.description,
                likelihood=r.likelihood,
                impact=r.impact,
                mitigation=r.mitigation,
                owner=r.owner,
            )
            for k, r in enumerate(element_entry.risks, start=1)
        )
        BudgetLine.objects.bulk_create(
            BudgetLine(
                element=element, year=b.year, funding_source=sources[b.source], amount=_dec(b.amount), note=b.note
            )
            for b in element_entry.budget
        )
        elements[element_entry.code] = element
    for position, item in enumerate(doc.analysis, start=1):
        analysis = AnalysisItem.objects.create(
            plan=plan, framework=item.framework, category=item.category, text=item.text, position=position
        )
        analysis.objectives.set(elements[code] for code in item.objectives)
    for position, function_entry in enumerate(doc.functions, start=1):
        function = PlanFunction.objects.create(
            plan=plan,
            name=function_entry.name,
            priority=function_entry.priority,
            description=function_entry.description,
            position=position,
        )
        function.objectives.set(elements[code] for code in function_entry.objectives)
    users = {u.username: u for u in User.objects.all().only("id", "username")}
    for indicator_entry in doc.indicators:
        indicator = Indicator.objects.create(
            plan=plan,
            element=elements[indicator_entry.element],
            tier=tiers[indicator_entry.tier],
            number=indicator_entry.number,
            code=indicator_entry.code,
            name=indicator_entry.name,
            definition=indicator_entry.definition,
            formula=indicator_entry.formula,
            unit_of_measure=indicator_entry.unit_of_measure,
            decimals=indicator_entry.decimals,
            direction=indicator_entry.direction,
            aggregation=indicator_entry.aggregation,
            cumulative=indicator_entry.cumulative,
            frequency=indicator_entry.frequency,
            data_source=indicator_entry.data_source,
            means_of_verification=indicator_entry.means_of_verification,
            owner_unit=units[indicator_entry.owner_unit],
            disaggregation=list(indicator_entry.disaggregation),
            is_key=indicator_entry.is_key,
            baseline_value=_dec(indicator_entry.baseline.value) if indicator_entry.baseline else None,
            baseline_date=indicator_entry.baseline.date if indicator_entry.baseline else None,
            baseline_source=indicator_entry.baseline.source if indicator_entry.baseline else "",
            tolerance_value=_dec(indicator_entry.tolerance.value),
            tolerance_kind=indicator_entry.tolerance.kind,
            position=indicator_entry.number,
        )
        for target_entry in indicator_entry.targets:
            target = Target.objects.create(
                indicator=indicator,
                period=target_entry.period,
                value=_dec(target_entry.value),
                upper_value=_dec(target_entry.upper_value),
            )
            TargetRevision.objects.bulk_create(
                TargetRevision(
                    target=target,
                    changed_at=r.at,
                    changed_by=users.get(r.by),
                    changed_by_name=r.by,
                    old_value=_dec(r.old_value),
                    old_upper_value=_dec(r.old_upper_value),
                    new_value=_dec(r.new_value),
                    new_upper_value=_dec(r.new_upper_value),
                    reason=r.reason,
                )
                for r in target_entry.history
            )
        Actual.objects.bulk_create(
            Actual(
                indicator=indicator,
                period=a.period,
                unit=units[a.unit] if a.unit else None,
                value=_dec(a.value),
                evidence=a.evidence,
                recorded_by=users.get(a.recorded_by),
                recorded_by_name=a.recorded_by,
                is_computed=a.computed,
                provenance=dict(a.provenance),
            )
            for a in indicator_entry.actuals
        )
    QualityRuleSetting.objects.bulk_create(
        QualityRuleSetting(
            plan=plan,
            rule=r.rule,
            enabled=r.enabled,
            severity=r.severity or "",
            reason=r.reason,
            changed_by_name=actor.username if actor else "import",
        )
        for r in doc.quality_rules
    )
    for section in _sections():
        section.write(plan, doc, elements, sources)
    audit_record(
        actor=actor,
        action="import",
        instance=plan,
        plan_id=plan.pk,
        changes={"elements": len(doc.elements), "indicators": len(doc.indicators)},
    )
    return plan


def _month_end(value: str | None) -> dt.date | None:
    if not value:
        return None
    from waypoint.plans.services import month_end

    return month_end(dt.date.fromisoformat(value + "-01"))


def problems_text(problems: Iterable[Problem]) -> str:
    return "\n".join(f"{p.location}: {p.message}" for p in problems)
