"""Compare two plan documents part by part."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from waypoint.engine.plandiff.model import Change, ChangeKind, PlanDiff, Subject

#: the plan's own fields that a version commits to (its status changes with every version)
PLAN_FIELDS = ("title", "start_year", "end_year", "currency", "vision", "mission", "values", "summary")
#: an element's fields; ``status`` (implementation) is monitoring, numbers are bookkeeping
ELEMENT_FIELDS = ("title", "description", "tier", "responsible_unit", "lead", "starts_on", "ends_on", "assumptions")
RISK_FIELDS = ("likelihood", "impact", "mitigation", "owner")
INDICATOR_FIELDS = (
    "name",
    "element",
    "tier",
    "definition",
    "formula",
    "unit_of_measure",
    "decimals",
    "direction",
    "aggregation",
    "cumulative",
    "frequency",
    "data_source",
    "means_of_verification",
    "owner_unit",
    "disaggregation",
    "is_key",
    "baseline",
    "tolerance",
)


def compare_plans(old: Mapping[str, Any], new: Mapping[str, Any]) -> PlanDiff:
    """Every change from the plan document ``old`` to ``new``.

    Parameters:
        old, new: plan documents as the plan file holds them (``json.load`` of an export).

    Returns:
        The changes in the order of the file: the plan, elements (with their risks and budget
        lines), indicators (with their targets), budget caps, analysis, functions.
    """
    changes: list[Change] = []
    old_plan, new_plan = _mapping(old.get("plan")), _mapping(new.get("plan"))
    for name in PLAN_FIELDS:
        if old_plan.get(name) != new_plan.get(name):
            changes.append(
                Change(ChangeKind.CHANGED, Subject.PLAN, "", field=name, old=old_plan.get(name), new=new_plan.get(name))
            )
    changes += _elements(_records(old, "elements"), _records(new, "elements"))
    changes += _indicators(_records(old, "indicators"), _records(new, "indicators"))
    changes += _keyed(
        Subject.CAP,
        _records(old, "budget_caps"),
        _records(new, "budget_caps"),
        key=lambda cap: f"{cap.get('year')} {cap.get('source')}",
        code=lambda cap: "",
        fields=("amount",),
    )
    changes += _keyed(
        Subject.ANALYSIS,
        _records(old, "analysis"),
        _records(new, "analysis"),
        key=lambda item: f"{item.get('framework')}/{item.get('category')}/{item.get('text')}",
        code=lambda item: f"{item.get('framework')}/{item.get('category')}",
        fields=("objectives",),
        label=lambda item: str(item.get("text", "")),
        key_in_change=False,
    )
    changes += _keyed(
        Subject.FUNCTION,
        _records(old, "functions"),
        _records(new, "functions"),
        key=lambda function: str(function.get("name", "")),
        code=lambda function: str(function.get("name", "")),
        fields=("priority", "description", "objectives"),
        key_in_change=False,
    )
    return PlanDiff(old_title=_title(old_plan), new_title=_title(new_plan), changes=changes)


def _title(plan: Mapping[str, Any]) -> str:
    title = str(plan.get("title", "?"))
    if "start_year" in plan and "end_year" in plan:
        return f"{title} ({plan['start_year']}–{plan['end_year']})"
    return title


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _records(document: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = document.get(key)
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _by(records: Iterable[Mapping[str, Any]], key: Callable[[Mapping[str, Any]], str]) -> dict[str, Mapping[str, Any]]:
    """Records by key; a key seen twice keeps its first record (a valid file has none)."""
    found: dict[str, Mapping[str, Any]] = {}
    for record in records:
        found.setdefault(key(record), record)
    return found


def _fields(
    subject: Subject,
    code: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    fields: Iterable[str],
    key: str = "",
    label: str = "",
) -> list[Change]:
    return [
        Change(
            ChangeKind.CHANGED, subject, code, label=label, key=key, field=name, old=old.get(name), new=new.get(name)
        )
        for name in fields
        if old.get(name) != new.get(name)
    ]


def _keyed(
    subject: Subject,
    old: list[Mapping[str, Any]],
    new: list[Mapping[str, Any]],
    *,
    key: Callable[[Mapping[str, Any]], str],
    code: Callable[[Mapping[str, Any]], str],
    fields: Iterable[str],
    label: Callable[[Mapping[str, Any]], str] = lambda record: "",
    key_in_change: bool = True,
) -> list[Change]:
    """Records matched by ``key``: the removed ones, then for each record of ``new`` in its order
    whether it is added or which ``fields`` changed."""
    before, after = _by(old, key), _by(new, key)
    changes = [
        Change(ChangeKind.REMOVED, subject, code(record), label=label(record), key=k if key_in_change else "")
        for k, record in before.items()
        if k not in after
    ]
    for k, record in after.items():
        if k not in before:
            changes.append(
                Change(ChangeKind.ADDED, subject, code(record), label=label(record), key=k if key_in_change else "")
            )
        else:
            changes += _fields(
                subject, code(record), before[k], record, fields, key=k if key_in_change else "", label=label(record)
            )
    return changes


def _elements(old: list[Mapping[str, Any]], new: list[Mapping[str, Any]]) -> list[Change]:
    before = _by(old, lambda e: str(e.get("code", "")))
    after = _by(new, lambda e: str(e.get("code", "")))
    changes: list[Change] = []
    for code, element in before.items():
        if code not in after:
            changes.append(Change(ChangeKind.REMOVED, Subject.ELEMENT, code, label=str(element.get("title", ""))))
    for code, element in after.items():
        title = str(element.get("title", ""))
        previous = before.get(code)
        if previous is None:
            changes.append(
                Change(ChangeKind.ADDED, Subject.ELEMENT, code, label=title, field="parent", new=element.get("parent"))
            )
            changes += _element_parts(code, {}, element)
            continue
        for name in ("parent", "position"):
            if previous.get(name) != element.get(name):
                changes.append(
                    Change(
                        ChangeKind.MOVED,
                        Subject.ELEMENT,
                        code,
                        label=title,
                        field=name,
                        old=previous.get(name),
                        new=element.get(name),
                    )
                )
        changes += _fields(Subject.ELEMENT, code, previous, element, ELEMENT_FIELDS)
        changes += _element_parts(code, previous, element)
    return changes


def _element_parts(code: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """An element's risks (by their description) and budget lines (by year and source)."""
    changes = _keyed(
        Subject.RISK,
        _records(old, "risks"),
        _records(new, "risks"),
        key=lambda risk: str(risk.get("description", "")),
        code=lambda risk: code,
        fields=RISK_FIELDS,
        label=lambda risk: str(risk.get("description", "")),
        key_in_change=False,
    )
    changes += _keyed(
        Subject.BUDGET,
        _records(old, "budget"),
        _records(new, "budget"),
        key=lambda line: f"{line.get('year')} {line.get('source')}",
        code=lambda line: code,
        fields=("amount", "note"),
    )
    # a budget line added or removed says what it held
    return [_with_amount(change, old, new) for change in changes]


def _with_amount(change: Change, old: Mapping[str, Any], new: Mapping[str, Any]) -> Change:
    if change.subject is not Subject.BUDGET or change.kind is ChangeKind.CHANGED:
        return change
    lines = _records(new if change.kind is ChangeKind.ADDED else old, "budget")
    line = next((b for b in lines if f"{b.get('year')} {b.get('source')}" == change.key), {})
    if change.kind is ChangeKind.ADDED:
        return Change(change.kind, change.subject, change.code, key=change.key, field="amount", new=line.get("amount"))
    return Change(change.kind, change.subject, change.code, key=change.key, field="amount", old=line.get("amount"))


def _indicators(old: list[Mapping[str, Any]], new: list[Mapping[str, Any]]) -> list[Change]:
    before = _by(old, lambda i: str(i.get("code", "")))
    after = _by(new, lambda i: str(i.get("code", "")))
    changes: list[Change] = []
    for code, indicator in before.items():
        if code not in after:
            changes.append(Change(ChangeKind.REMOVED, Subject.INDICATOR, code, label=str(indicator.get("name", ""))))
    for code, indicator in after.items():
        previous = before.get(code)
        if previous is None:
            changes.append(Change(ChangeKind.ADDED, Subject.INDICATOR, code, label=str(indicator.get("name", ""))))
            previous = {}
        else:
            changes += _fields(Subject.INDICATOR, code, previous, indicator, INDICATOR_FIELDS)
        changes += _targets(
            code, str(indicator.get("name", "")), _records(previous, "targets"), _records(indicator, "targets")
        )
    return changes


def _targets(code: str, name: str, old: list[Mapping[str, Any]], new: list[Mapping[str, Any]]) -> list[Change]:
    """An indicator's targets by period; each change carries the indicator's name."""
    before = _by(old, lambda t: str(t.get("period", "")))
    after = _by(new, lambda t: str(t.get("period", "")))
    changes = [
        Change(ChangeKind.REMOVED, Subject.TARGET, code, label=name, key=period, field="value", old=target.get("value"))
        for period, target in before.items()
        if period not in after
    ]
    for period, target in after.items():
        previous = before.get(period)
        if previous is None:
            new_value = target.get("value")
            changes.append(
                Change(ChangeKind.ADDED, Subject.TARGET, code, label=name, key=period, field="value", new=new_value)
            )
        else:
            changes += _fields(Subject.TARGET, code, previous, target, ("value", "upper_value"), key=period, label=name)
    return changes
