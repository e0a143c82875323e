"""Export a whole plan as the portable document.

Export is deterministic (fixed key order, tree order, canonical numbers) so that exporting,
importing into an empty database and exporting again gives the same bytes. What an import keeps
as the file had it (the plan's status in the file, the names in the history, recommendations
it could not link) is exported as it came.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from waypoint.engine.periods import month_code
from waypoint.org.models import OrgUnit
from waypoint.plans.models import (
    AnalysisItem,
    BudgetLine,
    Plan,
    PlanElement,
    PlanFunction,
    QualityRuleSetting,
    Risk,
)
from waypoint.plans.planfile.sections import number, sections
from waypoint.plans.schemas import FORMAT, FORMAT_VERSION


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

    unit_codes = {e.responsible_unit.code for e in elements}
    used = {line.funding_source for rows in lines.values() for line in rows}
    parts = sections()
    for section in parts:
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
            # an imported plan is a draft here until its status changes, and carries on the
            # status its file gave it until then (so a file passes through unchanged)
            "status": plan.imported_status or plan.status,
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
                "starts_on": month_code(e.starts_on),
                "ends_on": month_code(e.ends_on),
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
                    {"year": b.year, "source": b.funding_source.name, "amount": number(b.amount), "note": b.note}
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
        **{section.key: section.export(plan) for section in parts},
        "quality_rules": [
            {"rule": r.rule, "enabled": r.enabled, "severity": r.severity or None, "reason": r.reason}
            for r in QualityRuleSetting.objects.filter(plan=plan).order_by("rule")
        ],
    }


def plan_export_json(plan: Plan) -> str:
    return json.dumps(plan_export(plan), ensure_ascii=False, indent=2) + "\n"
