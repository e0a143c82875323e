"""A plan workbook imported into the plan it describes: what would change, and the change itself.

The workbook is read and checked as for a new plan (``workbook.read_plan_workbook`` and the plan
file's own checks, the plan's own title not counted as taken); then it is compared with the plan
as it stands (its JSON export) through ``engine.plandiff.compare_plans``, elements and indicators
matched by their codes, targets by period, budget lines by year and source.

What an import into an existing plan changes is what the plan commits to and people edit in a
workbook: the plan's statements and period, the elements (added, changed, moved, removed, with
their risks and budget lines, implementation status included), the indicators (added, changed,
removed) and their targets. The rest of the file (the results tiers, the environmental scan,
functions, teams, schedule, links, caps, recommendations, attributions, quality rules, recorded
actual values and target history) belongs to pages of its own with their own rules: the workbook
must hold it as the plan has it, and any difference is reported at its sheet and cell. A unit
the plan does not know is added on the Organisation page, not here.

Every write happens in one transaction, after the plan's row is locked and its content checked
against the fingerprint the preview was made from: if somebody changed the plan in between, the
import is refused and nothing is written. A target changed or added keeps a revision (who, when,
"imported from a workbook") as the indicator services do; one audit event lists the changes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core.audit import IMPORT, Action, audit_record
from waypoint.core.errors import EditConflict, NotAllowed, Problem
from waypoint.documents.content import fingerprint
from waypoint.engine.plandiff import Change, ChangeKind, Subject, compare_plans
from waypoint.engine.plandiff.compare import INDICATOR_FIELDS
from waypoint.indicators.models import Indicator, Target, TargetRevision
from waypoint.org.models import OrgUnit, User
from waypoint.plans import extensions
from waypoint.plans import permissions as plan_permissions
from waypoint.plans.errors import PlanFileInvalid
from waypoint.plans.models import BudgetLine, FundingSource, Plan, PlanElement, Risk
from waypoint.plans.planfile import Review, plan_export, plan_file_review
from waypoint.plans.planfile.check import month_first, month_last
from waypoint.plans.planfile.sections import decimal, json_path, number
from waypoint.plans.schemas import ElementEntry, IndicatorEntry, PlanFile

#: the plan's fields an import changes (its status is this installation's; tiers are fixed)
PLAN_FIELDS = ("title", "start_year", "end_year", "currency", "vision", "mission", "values", "summary")
#: parts of the file that must be as the plan has them: each has a page of its own
FIXED_PARTS = (
    "tiers",
    "analysis",
    "functions",
    "teams",
    "schedule",
    "dependencies",
    "budget_caps",
    "recommendations",
    "attributions",
    "quality_rules",
)
ELEMENT_SCALARS = (
    "kind",
    "parent",
    "number",
    "position",
    "title",
    "description",
    "tier",
    "responsible_unit",
    "lead",
    "starts_on",
    "ends_on",
    "status",
    "assumptions",
)
#: the indicator fields the plan diff compares, and the two it leaves out (the number, the
#: completeness threshold), which an import into a plan must carry over as well
INDICATOR_SCALARS = ("number", *INDICATOR_FIELDS, "completeness_threshold")
#: what an import into an existing plan says it changed, per kind of record
_SUBJECTS = (Subject.PLAN, Subject.ELEMENT, Subject.RISK, Subject.BUDGET, Subject.INDICATOR, Subject.TARGET)


def _canonical(value: Any) -> Any:
    """A value of the parsed file as its JSON export spells it (numbers as the shortest exact
    number, dates as ISO text), so that a workbook and the export compare equal when they say
    the same thing."""
    if isinstance(value, Mapping):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _document(doc: PlanFile) -> dict[str, Any]:
    result: dict[str, Any] = _canonical(doc.model_dump(mode="python"))
    return result


def _complete_numbers(data: Any) -> Any:
    """Raise the counters of numbers already given (the plan's ``last_goal_number``, each
    element's ``last_child_number``) to the numbers the file uses, so that a row added in the
    workbook needs only its code and number. Anything not shaped like a plan file is left to
    the check."""
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("elements"), list)
        or not isinstance(data.get("plan"), dict)
    ):
        return data
    highest: dict[str | None, int] = {}
    for element in data["elements"]:
        if isinstance(element, dict) and isinstance(element.get("number"), int):
            parent = element.get("parent") if isinstance(element.get("parent"), str) else None
            highest[parent] = max(highest.get(parent, 0), element["number"])
    plan = data["plan"]
    if isinstance(plan.get("last_goal_number"), int) and highest.get(None, 0) > plan["last_goal_number"]:
        plan["last_goal_number"] = highest[None]
    for element in data["elements"]:
        if isinstance(element, dict) and isinstance(element.get("last_child_number"), int):
            top = highest.get(element.get("code"), 0)
            if top > element["last_child_number"]:
                element["last_child_number"] = top
    return data


@dataclass(frozen=True)
class MergePreview:
    """What importing a workbook into ``plan`` would change; nothing is written. ``fingerprint``
    is the plan's content when the preview was made: the import refuses a plan changed since."""

    plan: Plan
    review: Review
    changes: list[Change]
    fingerprint: str

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def counts(self) -> dict[str, int]:
        """``{"element added": 12, "indicator removed": 1, ...}`` in the file's order."""
        found = Counter(f"{c.subject.value} {c.kind.value}" for c in self.changes)
        return {
            f"{s.value} {k.value}": found[f"{s.value} {k.value}"]
            for s in _SUBJECTS
            for k in ChangeKind
            if found[f"{s.value} {k.value}"]
        }

    def summary(self) -> list[str]:
        """What the counts say in words: "12 elements added", "1 indicator removed"."""
        return [_count_text(key, n) for key, n in self.counts().items()]

    def counted(self) -> list[tuple[str, int, str]]:
        """Each count with its key and its words: ``("element added", 12, "12 elements added")``."""
        return [(key, n, _count_text(key, n)) for key, n in self.counts().items()]


def _count_text(key: str, n: int) -> str:
    """``"element added", 12`` → "12 elements added" (each subject and kind its own plural)."""
    texts = {
        "plan changed": ngettext("%(n)d field of the plan changed", "%(n)d fields of the plan changed", n),
        "element added": ngettext("%(n)d element added", "%(n)d elements added", n),
        "element changed": ngettext("%(n)d element field changed", "%(n)d element fields changed", n),
        "element moved": ngettext("%(n)d element moved", "%(n)d elements moved", n),
        "element removed": ngettext("%(n)d element removed", "%(n)d elements removed", n),
        "risk added": ngettext("%(n)d risk added", "%(n)d risks added", n),
        "risk changed": ngettext("%(n)d risk field changed", "%(n)d risk fields changed", n),
        "risk removed": ngettext("%(n)d risk removed", "%(n)d risks removed", n),
        "budget added": ngettext("%(n)d budget line added", "%(n)d budget lines added", n),
        "budget changed": ngettext("%(n)d budget line field changed", "%(n)d budget line fields changed", n),
        "budget removed": ngettext("%(n)d budget line removed", "%(n)d budget lines removed", n),
        "indicator added": ngettext("%(n)d indicator added", "%(n)d indicators added", n),
        "indicator changed": ngettext("%(n)d indicator field changed", "%(n)d indicator fields changed", n),
        "indicator removed": ngettext("%(n)d indicator removed", "%(n)d indicators removed", n),
        "target added": ngettext("%(n)d target added", "%(n)d targets added", n),
        "target changed": ngettext("%(n)d target changed", "%(n)d targets changed", n),
        "target removed": ngettext("%(n)d target removed", "%(n)d targets removed", n),
    }
    text = texts.get(key)
    if text is None:  # a subject and kind the import does not make (moved risks …)
        return f"{n} {key}"
    return text % {"n": n}


def _require(actor: User | None, plan: Plan) -> None:
    """Rights and the plan's lock, before anything of the workbook is compared with the plan.

    Raises:
        NotAllowed: the actor is not a planner of the plan's administration.
        PlanLocked: the plan is submitted, approved (amend it first) or superseded.
    """
    if actor is not None and not plan_permissions.can_edit_plan(actor, plan):
        raise NotAllowed(_("Only planners of this plan can import a workbook into it."))
    plan_permissions.require_unlocked(plan)


def _differs_at(part: str, old: list[Any], new: list[Any]) -> str:
    """The JSON path of the first entry of ``part`` that differs (the part itself if only its
    length does)."""
    for index, (before, after) in enumerate(zip(old, new, strict=False)):
        if before != after:
            return json_path(part, index)
    if len(new) > len(old):
        return json_path(part, len(old))
    return json_path(part)


def _fixed_problems(old: dict[str, Any], new: dict[str, Any], plan: Plan) -> list[Problem]:
    """Every difference in what an import into an existing plan does not change."""
    problems: list[Problem] = []
    if new["administration"] != old["administration"]:
        problems.append(
            Problem(
                "$.administration",
                _("This workbook is of %(file)s; the plan is of %(plan)s.")
                % {"file": new["administration"], "plan": old["administration"]},
            )
        )
        return problems
    if new["plan"]["tier_template"] != old["plan"]["tier_template"]:
        problems.append(Problem("$.plan.tier_template", _("The results chain of a plan does not change.")))
    stored_units = set(OrgUnit.objects.filter(path__startswith=plan.administration.path).values_list("code", flat=True))
    for index, unit in enumerate(new["units"]):
        if unit["code"] not in stored_units:
            problems.append(
                Problem(
                    json_path("units", index, "code"),
                    _("%(code)s is not a unit of this administration; add it on the Organisation page first.")
                    % {"code": unit["code"]},
                )
            )
    for part in FIXED_PARTS:
        if old.get(part, []) != new.get(part, []):
            problems.append(
                Problem(
                    _differs_at(part, old.get(part, []), new.get(part, [])),
                    _(
                        "An import into an existing plan does not change this part; change it on its page, "
                        "or leave the rows as they were exported."
                    ),
                )
            )
    before = {i["code"]: i for i in old["indicators"]}
    for index, indicator in enumerate(new["indicators"]):
        stored = before.get(indicator["code"])
        if indicator["actuals"] != (stored["actuals"] if stored else []):
            problems.append(
                Problem(
                    json_path("indicators", index, "actuals"),
                    _("Actual values are recorded on the indicator's page or through the actuals template."),
                )
            )
        stored_targets = {t["period"]: t for t in (stored["targets"] if stored else [])}
        for t_index, target in enumerate(indicator["targets"]):
            kept = stored_targets.get(target["period"])
            if target["history"] != (kept["history"] if kept else []):
                problems.append(
                    Problem(
                        json_path("indicators", index, "targets", t_index, "history"),
                        _("A target's history is kept by Waypoint; leave it as it was exported."),
                    )
                )
    removed = {code for code in before if code not in {i["code"] for i in new["indicators"]}}
    for code in sorted(removed):
        if before[code]["actuals"]:
            problems.append(
                Problem(
                    "$.indicators",
                    _("The indicator %(code)s has recorded values; delete it on its page if it must go.")
                    % {"code": code},
                )
            )
    return problems


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """``compare_plans``'s changes, and the fields it leaves out that the import writes
    (implementation status, numbers, completeness threshold …)."""
    changes = list(compare_plans(old, new).changes)
    seen = {(c.subject, c.code, c.field) for c in changes}
    for subject, part, fields in (
        (Subject.ELEMENT, "elements", ELEMENT_SCALARS),
        (Subject.INDICATOR, "indicators", INDICATOR_SCALARS),
    ):
        before = {e["code"]: e for e in old[part]}
        for entry in new[part]:
            previous = before.get(entry["code"])
            if previous is None:
                continue
            for name in fields:
                if previous.get(name) != entry.get(name) and (subject, entry["code"], name) not in seen:
                    changes.append(
                        Change(
                            ChangeKind.CHANGED,
                            subject,
                            entry["code"],
                            field=name,
                            old=previous.get(name),
                            new=entry.get(name),
                        )
                    )
    if old["plan"].get("last_goal_number") != new["plan"].get("last_goal_number") and not any(
        c.subject is Subject.ELEMENT and c.kind is ChangeKind.ADDED for c in changes
    ):
        changes.append(
            Change(
                ChangeKind.CHANGED,
                Subject.PLAN,
                "",
                field="last_goal_number",
                old=old["plan"].get("last_goal_number"),
                new=new["plan"].get("last_goal_number"),
            )
        )
    return changes


def merge_preview(plan: Plan, data: Any, *, actor: User | None) -> MergePreview:
    """What importing the plan file's JSON value ``data`` into ``plan`` would change.

    Raises:
        NotAllowed: the actor may not change the plan (checked before anything is compared).
        PlanLocked: the plan is not a draft (an approved plan is amended first).
        PlanFileInvalid: every problem, by JSON path: the file's own checks, and every
            difference in a part this import does not change.
    """
    _require(actor, plan)
    review = plan_file_review(_complete_numbers(data), into=plan.pk)
    old_doc = PlanFile.model_validate(plan_export(plan))
    old, new = _document(old_doc), _document(review.doc)
    problems = _fixed_problems(old, new, plan)
    if problems:
        raise PlanFileInvalid(
            ngettext(
                "The workbook has %(n)d problem for an import into this plan.",
                "The workbook has %(n)d problems for an import into this plan.",
                len(problems),
            )
            % {"n": len(problems)},
            problems=problems,
        )
    return MergePreview(plan=plan, review=review, changes=_changes(old, new), fingerprint=fingerprint(plan))


# --- the write ------------------------------------------------------------------------------------


@transaction.atomic
def merge_write(preview: MergePreview, *, actor: User | None, expected_fingerprint: str, source: str) -> Plan:
    """Apply a preview's changes to its plan, all in one transaction, one audit event.

    Raises:
        EditConflict: the plan changed since the preview was made (``expected_fingerprint``);
            nothing is written.
        PlanLocked: the plan was submitted or approved meanwhile.
    """
    plan = Plan.objects.select_for_update(of=("self",)).select_related("administration").get(pk=preview.plan.pk)
    plan_permissions.require_unlocked(plan)
    if fingerprint(plan) != expected_fingerprint:
        raise EditConflict(
            _(
                "The plan changed after the preview was made (somebody saved it meanwhile). Nothing was "
                "imported: export the workbook again, or upload yours again to see the changes anew."
            ),
            current={},
            current_version=plan.version,
        )
    if preview.is_empty:
        return plan
    removed_with = _apply(plan, preview.review.doc, actor)
    counts = preview.counts()
    audit_record(
        actor=actor,
        action=Action.IMPORT,
        instance=plan,
        plan_id=plan.pk,
        changes={
            "into": plan.pk,
            "source": source,
            "counts": counts,
            "removed_with": removed_with,
            "changes": [c.describe() for c in preview.changes[:200]],
            "fingerprint": [expected_fingerprint, fingerprint(plan)],
        },
    )
    return plan


def _apply(plan: Plan, doc: PlanFile, actor: User | None) -> dict[str, int]:
    """The writes; returns what other apps removed with the elements removed."""
    p = doc.plan
    for name in PLAN_FIELDS:
        setattr(plan, name, getattr(p, name))
    plan.last_goal_number = max(plan.last_goal_number, p.last_goal_number)
    plan.version += 1  # a change of its content is a new version of the plan's row
    plan.save()
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[u.code for u in doc.units])}
    tiers = {t.key: t for t in plan.tiers.all()}
    sources = {s.name: s for s in FundingSource.objects.filter(administration=plan.administration)}
    for source_entry in doc.funding_sources:
        if source_entry.name not in sources:
            sources[source_entry.name] = FundingSource.objects.create(
                administration=plan.administration, name=source_entry.name, kind=source_entry.kind
            )
    stored = {e.code: e for e in PlanElement.objects.filter(plan=plan)}
    elements: dict[str, PlanElement] = {}
    for entry in doc.elements:
        element = stored.get(entry.code)
        values = _element_values(entry, elements, tiers, units)
        if element is None:
            element = PlanElement.objects.create(plan=plan, code=entry.code, **values)
        elif any(getattr(element, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(element, key, value)
            element.version += 1
            element.save()
        _element_parts(element, entry, sources)
        elements[entry.code] = element
    _indicators(plan, doc, elements, tiers, units, actor)
    gone = [e for code, e in stored.items() if code not in elements]
    gone_codes = {e.code for e in gone}
    # the top-most removed elements: their descendants go with them (as on the element's page)
    codes = {e.pk: code for code, e in stored.items()}
    tops = [e for e in gone if e.parent_id is None or codes.get(e.parent_id) not in gone_codes]
    if not tops:
        return {}
    removed = extensions.removed_with(gone)
    PlanElement.objects.filter(pk__in=[e.pk for e in tops]).delete()
    return removed


def _element_values(
    entry: ElementEntry, elements: dict[str, PlanElement], tiers: dict[str, Any], units: dict[str, OrgUnit]
) -> dict[str, Any]:
    return {
        "parent": elements.get(entry.parent) if entry.parent else None,
        "kind": entry.kind,
        "number": entry.number,
        "position": entry.position,
        "title": entry.title,
        "description": entry.description,
        "tier": tiers[entry.tier],
        "responsible_unit": units[entry.responsible_unit],
        "lead": entry.lead,
        "starts_on": month_first(entry.starts_on),
        "ends_on": month_last(entry.ends_on),
        "status": entry.status,
        "assumptions": entry.assumptions,
        "last_child_number": max(entry.last_child_number, 0),
    }


def _element_parts(element: PlanElement, entry: ElementEntry, sources: dict[str, FundingSource]) -> None:
    """Risks and budget lines, rewritten when they differ (nothing refers to them)."""
    risks = [
        (r.description, r.likelihood, r.impact, r.mitigation, r.owner)
        for r in Risk.objects.filter(element=element).order_by("position", "id")
    ]
    wanted = [(r.description, r.likelihood, r.impact, r.mitigation, r.owner) for r in entry.risks]
    if risks != wanted:
        Risk.objects.filter(element=element).delete()
        Risk.objects.bulk_create(
            Risk(element=element, position=k, description=d, likelihood=lk, impact=im, mitigation=m, owner=o)
            for k, (d, lk, im, m, o) in enumerate(wanted, start=1)
        )
    lines = {
        (b.year, b.funding_source.name): (b.amount, b.note)
        for b in BudgetLine.objects.filter(element=element).select_related("funding_source")
    }
    wanted_lines = {(b.year, b.source): (decimal(b.amount), b.note) for b in entry.budget}
    if lines != wanted_lines:
        BudgetLine.objects.filter(element=element).delete()
        BudgetLine.objects.bulk_create(
            BudgetLine(element=element, year=year, funding_source=sources[source], amount=amount, note=note)
            for (year, source), (amount, note) in wanted_lines.items()
        )


def _indicator_values(
    entry: IndicatorEntry, elements: dict[str, PlanElement], tiers: dict[str, Any], units: dict[str, OrgUnit]
) -> dict[str, Any]:
    return {
        "element": elements[entry.element],
        "tier": tiers[entry.tier],
        "number": entry.number,
        "name": entry.name,
        "definition": entry.definition,
        "formula": entry.formula,
        "unit_of_measure": entry.unit_of_measure,
        "decimals": entry.decimals,
        "direction": entry.direction,
        "aggregation": entry.aggregation,
        "cumulative": entry.cumulative,
        "frequency": entry.frequency,
        "data_source": entry.data_source,
        "means_of_verification": entry.means_of_verification,
        "owner_unit": units[entry.owner_unit],
        "disaggregation": list(entry.disaggregation),
        "is_key": entry.is_key,
        "baseline_value": decimal(entry.baseline.value) if entry.baseline else None,
        "baseline_date": entry.baseline.date if entry.baseline else None,
        "baseline_source": entry.baseline.source if entry.baseline else "",
        "tolerance_value": decimal(entry.tolerance.value),
        "tolerance_kind": entry.tolerance.kind,
        "completeness_threshold": entry.completeness_threshold,
    }


def _indicators(
    plan: Plan,
    doc: PlanFile,
    elements: dict[str, PlanElement],
    tiers: dict[str, Any],
    units: dict[str, OrgUnit],
    actor: User | None,
) -> None:
    stored = {i.code: i for i in Indicator.objects.filter(plan=plan)}
    now = timezone.now()
    who = actor.get_username() if actor is not None else IMPORT
    reason = _("Imported from a plan workbook.")
    kept: set[str] = set()
    for entry in doc.indicators:
        values = _indicator_values(entry, elements, tiers, units)
        indicator = stored.get(entry.code)
        if indicator is None:
            indicator = Indicator.objects.create(plan=plan, code=entry.code, position=entry.number, **values)
        elif any(getattr(indicator, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(indicator, key, value)
            indicator.version += 1
            indicator.save()
        kept.add(entry.code)
        targets = {t.period: t for t in Target.objects.filter(indicator=indicator)}
        for target_entry in entry.targets:
            value, upper = decimal(target_entry.value), decimal(target_entry.upper_value)
            target = targets.pop(target_entry.period, None)
            if target is not None and (target.value, target.upper_value) == (value, upper):
                continue
            old = (target.value, target.upper_value) if target is not None else (None, None)
            if target is None:
                target = Target.objects.create(
                    indicator=indicator, period=target_entry.period, value=value, upper_value=upper
                )
            else:
                target.value, target.upper_value = value, upper
                target.version += 1
                target.save()
            TargetRevision.objects.create(
                target=target,
                changed_at=now,
                changed_by=actor,
                changed_by_name=who,
                old_value=old[0],
                old_upper_value=old[1],
                new_value=value,
                new_upper_value=upper,
                reason=reason,
            )
        Target.objects.filter(pk__in=[t.pk for t in targets.values()]).delete()
    Indicator.objects.filter(plan=plan).exclude(code__in=kept).delete()
