"""Create the plan a portable file describes.

The one bulk path into the database besides the services. It keeps their rules and their
audit: the whole file is checked first with the services' own rule functions (``plan_file_check``),
nothing is written unless it is clean, everything is written in one transaction, and the
import writes the audit record (one for the plan, with what it holds, and one per unit it
creates). It writes rows directly rather than calling the services one by one because a
file carries what the services hand out themselves — codes and numbers with their gaps,
positions, target history with its authors and dates — and must come back exactly as it
was exported.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from waypoint.core.audit import audit_record
from waypoint.org.models import OrgUnit, User
from waypoint.plans import permissions
from waypoint.plans.models import (
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
from waypoint.plans.planfile.check import month_first, month_last, plan_file_check
from waypoint.plans.planfile.sections import decimal, sections
from waypoint.plans.schemas import PlanFile


def plan_import(raw: str | bytes | dict[str, Any], *, actor: User | None) -> Plan:
    """Create the plan described by a portable file (and any units it needs).

    The file is read and checked before the write transaction opens: a large file takes a
    while, and on SQLite every other save (and the background worker) waits for the write
    lock. The writes are then one transaction.

    Raises:
        PlanFileInvalid: nothing is written; every problem is listed by JSON path.
        NotAllowed: the actor is not a planner of the file's administration.
    """
    doc = plan_file_check(raw)
    return _write(doc, actor=actor)


@transaction.atomic
def _write(doc: PlanFile, *, actor: User | None) -> Plan:
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
            starts_on=month_first(element_entry.starts_on),
            ends_on=month_last(element_entry.ends_on),
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
                element=element, year=b.year, funding_source=sources[b.source], amount=decimal(b.amount), note=b.note
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
    for section in sections():
        section.write(plan, doc, elements, sources)
    audit_record(
        actor=actor,
        action="import",
        instance=plan,
        plan_id=plan.pk,
        changes={"elements": len(doc.elements), "indicators": len(doc.indicators)},
    )
    return plan
