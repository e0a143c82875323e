"""Create the plan a portable file describes.

The one bulk path into the database besides the services. It keeps their rules, their rights
and their audit:

- rights first: before anything of the file is compared with stored data, the actor must be a
  planner of the file's administration (the answer is the same whether it exists or not), so a
  refusal tells nothing of another administration's units or plans;
- the whole file is checked with the services' own rule functions (``plan_file_check``), and
  nothing is written unless it is clean; units the file brings need an administrator of the
  administration (the org services create them, with their own audit);
- the plan starts as a draft whatever the file says (approval belongs to this installation's
  approvers); the file's status is kept as ``Plan.imported_status`` and exported again until
  the plan's status changes here;
- the history the file carries (who recorded a value, who revised a target) stays text as the
  file has it, never bound to a local account of the same name;
- one audit event says who imported what, with the counts.

It writes rows directly rather than calling the services one by one because a file carries
what the services hand out themselves — codes and numbers with their gaps, positions, target
history with its authors and dates — and must come back exactly as it was exported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core.audit import IMPORT, Action, audit_record
from waypoint.core.errors import NotAllowed, Problem
from waypoint.org import services as org_services
from waypoint.org.access import Access
from waypoint.org.models import OrgUnit, User
from waypoint.plans import permissions
from waypoint.plans.models import (
    AnalysisItem,
    BudgetLine,
    FundingSource,
    Plan,
    PlanElement,
    PlanFunction,
    PlanStatus,
    PlanTier,
    QualityRuleSetting,
    Risk,
)
from waypoint.plans.planfile.check import (
    Review,
    month_first,
    month_last,
    plan_file_review,
    stored_administration,
)
from waypoint.plans.planfile.reading import read_document
from waypoint.plans.planfile.sections import decimal, json_path, sections
from waypoint.plans.schemas import PlanFile


@dataclass(frozen=True)
class ImportReport:
    """What an import made: the plan, the units it added, what it kept without a link
    (``warnings``, located by JSON path) and how much of each part it wrote."""

    plan: Plan
    warnings: list[Problem] = field(default_factory=list)
    units_created: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def plan_import(raw: str | bytes | dict[str, Any], *, actor: User | None) -> Plan:
    """Create the plan described by a portable file; ``plan_import_report`` tells more.

    The file is read and checked before the write transaction opens: a large file takes a
    while, and on SQLite every other save (and the background worker) waits for the write
    lock. The writes are then one transaction.

    Raises:
        PlanFileInvalid: nothing is written; every problem is listed by JSON path.
        NotAllowed: the actor is not a planner of the file's administration, or the file
            brings units and the actor is not its administrator.
    """
    return plan_import_report(raw, actor=actor).plan


def _require_import_right(actor: User, data: Any) -> None:
    """Before the file is compared with anything stored. A file without a readable
    administration goes on to the check, which refuses it on its form alone.

    Raises:
        NotAllowed: the same answer whether the administration exists or not.
    """
    code = data.get("administration") if isinstance(data, dict) else None
    if not isinstance(code, str):
        return
    administration = stored_administration(code)
    if administration is None or not permissions.can_create_plan(actor, administration):
        raise NotAllowed(_("Only planners of %(code)s can import its plans.") % {"code": code})


def _require_unit_right(actor: User, doc: PlanFile) -> None:
    """Units the file lists and this installation lacks are created only by an administrator of
    the administration, as on the Organisation page.

    Raises:
        NotAllowed: naming each missing unit at its place in the file.
    """
    administration = stored_administration(doc.administration)
    existing = set(OrgUnit.objects.filter(code__in=[u.code for u in doc.units]).values_list("code", flat=True))
    missing = [(i, u) for i, u in enumerate(doc.units) if u.code not in existing]
    if not missing or (administration is not None and Access.of(actor).is_administrator(administration.path)):
        return
    raise NotAllowed(
        ngettext(
            "The file brings %(n)d unit that %(admin)s does not have; only an administrator of %(admin)s can "
            "add units. Ask one to add it, or to import the file.",
            "The file brings %(n)d units that %(admin)s does not have; only an administrator of %(admin)s can "
            "add units. Ask one to add them, or to import the file.",
            len(missing),
        )
        % {"n": len(missing), "admin": doc.administration},
        problems=[
            Problem(
                json_path("units", i),
                _("%(code)s “%(name)s” does not exist here.") % {"code": unit.code, "name": unit.name},
            )
            for i, unit in missing
        ],
    )


@dataclass(frozen=True)
class ImportPreview:
    """What an import would make, without writing it: the checked file, what it would keep
    without a link, how much of each part it would write and the units it would add."""

    review: Review
    counts: dict[str, int]
    units_to_create: list[str]


def plan_import_preview(raw: str | bytes | dict[str, Any], *, actor: User | None) -> ImportPreview:
    """Everything ``plan_import_report`` checks (rights first, then the whole file), and what it
    would write; nothing is written.

    Raises:
        PlanFileInvalid: every problem, by JSON path.
        NotAllowed: as ``plan_import_report``.
    """
    data = read_document(raw)
    if actor is not None:
        _require_import_right(actor, data)
    review = plan_file_review(data)
    doc = review.doc
    if actor is not None:
        _require_unit_right(actor, doc)
    existing = set(OrgUnit.objects.filter(code__in=[u.code for u in doc.units]).values_list("code", flat=True))
    missing = [u.code for u in doc.units if u.code not in existing]
    return ImportPreview(review=review, counts=_counts(doc, len(missing)), units_to_create=missing)


def plan_import_report(raw: str | bytes | dict[str, Any], *, actor: User | None, source: str = "json") -> ImportReport:
    """Create the plan described by a portable file (and any units it needs); ``actor=None`` is
    the platform (the command line), which may also start a new administration.

    ``source`` names, in the audit event, what the file came as (``json``, ``xlsx``).

    Raises:
        PlanFileInvalid: nothing is written; every problem is listed by JSON path.
        NotAllowed: the actor is not a planner of the file's administration (checked before
            the file is compared with stored data), or the file brings units and the actor is
            not an administrator of that administration.
    """
    data = read_document(raw)
    if actor is not None:
        _require_import_right(actor, data)
    review = plan_file_review(data)
    doc = review.doc
    if actor is not None:
        _require_unit_right(actor, doc)
    return _write(review, actor, source)


@transaction.atomic
def _write(review: Review, actor: User | None, source: str = "json") -> ImportReport:
    """The import's writes: one transaction, opened only once the file is read and checked (a
    large file takes a while, and on SQLite every other save, the worker's included, waits for
    the write lock)."""
    doc = review.doc
    units, created = _write_units(doc, actor)
    plan = _write_plan(doc, units, actor)
    counts = _counts(doc, len(created))
    audit_record(
        actor=actor,
        action=Action.IMPORT,
        instance=plan,
        plan_id=plan.pk,
        changes={
            **counts,
            "status_in_file": doc.plan.status,
            "new_units": created,
            "warnings": len(review.warnings),
            **({"source": source} if source != "json" else {}),
        },
    )
    return ImportReport(plan=plan, warnings=review.warnings, units_created=created, counts=counts)


def _counts(doc: PlanFile, units_created: int) -> dict[str, int]:
    indicators = doc.indicators
    return {
        "units_created": units_created,
        "elements": len(doc.elements),
        "risks": sum(len(e.risks) for e in doc.elements),
        "budget_lines": sum(len(e.budget) for e in doc.elements),
        "analysis": len(doc.analysis),
        "functions": len(doc.functions),
        "indicators": len(indicators),
        "targets": sum(len(i.targets) for i in indicators),
        "target_revisions": sum(len(t.history) for i in indicators for t in i.targets),
        "actuals": sum(len(i.actuals) for i in indicators),
        "teams": len(doc.teams),
        "schedule": len(doc.schedule),
        "dependencies": len(doc.dependencies),
        "budget_caps": len(doc.budget_caps),
        "recommendations": len(doc.recommendations),
        "attributions": len(doc.attributions),
        "quality_rules": len(doc.quality_rules),
    }


def _write_units(doc: PlanFile, actor: User | None) -> tuple[dict[str, OrgUnit], list[str]]:
    """The file's units, the missing ones created through the org services (rights, rules and
    audit as on the Organisation page)."""
    stored = {u.code: u for u in OrgUnit.objects.filter(code__in=[u.code for u in doc.units])}
    units: dict[str, OrgUnit] = {}
    created: list[str] = []
    for entry in doc.units:
        unit = stored.get(entry.code)
        if unit is None:
            unit = org_services.unit_create(
                actor=actor,
                code=entry.code,
                name=entry.name,
                kind=entry.kind,
                parent=units[entry.parent] if entry.parent else None,
            )
            created.append(entry.code)
        units[entry.code] = unit
    return units, created


def _write_plan(doc: PlanFile, units: dict[str, OrgUnit], actor: User | None) -> Plan:
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
        status=PlanStatus.DRAFT,
        imported_status="" if p.status == "draft" else p.status,
        tier_template=p.tier_template,
        currency=p.currency,
        vision=p.vision,
        mission=p.mission,
        values=p.values,
        summary=p.summary,
        last_goal_number=p.last_goal_number,
        language=p.language,
        translations=p.translations,
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
            translations=element_entry.translations,
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
            changed_by_name=actor.username if actor else IMPORT,
        )
        for r in doc.quality_rules
    )
    for section in sections():
        section.write(plan, doc, elements, sources)
    return plan
