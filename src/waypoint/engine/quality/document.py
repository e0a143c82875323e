"""Read a portable plan file (``waypoint-plan``) into the plan the rules check.

The reader is lenient about what the rules judge (a missing baseline or owner is a finding)
and strict about what it cannot read (a number that is not a number, a month that is not a
month): those are refused with their JSON path, because checking half a plan would hide
findings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from waypoint.engine.located import DocumentError, LocatedReader
from waypoint.engine.periods import Period
from waypoint.engine.quality.model import (
    BudgetCap,
    BudgetLine,
    Dependency,
    Element,
    Indicator,
    Month,
    PlanUnderCheck,
    Recommendation,
    RuleSetting,
    Severity,
    Target,
)
from waypoint.engine.quality.rules import CATALOGUE


def read_plan(doc: Any) -> PlanUnderCheck:
    """The plan in a parsed ``waypoint-plan`` document.

    Raises:
        DocumentError: the document is not a plan file, or a value cannot be read.
    """
    if not isinstance(doc, Mapping) or doc.get("format") != "waypoint-plan":
        raise DocumentError([("$.format", "this is not a Waypoint plan file (format must be 'waypoint-plan')")])
    r = LocatedReader()
    header = doc.get("plan")
    if not isinstance(header, Mapping):
        raise DocumentError([("$.plan", "is required and must be an object")])
    start, end = r.integer(header, "start_year", "$.plan"), r.integer(header, "end_year", "$.plan")
    elements = []
    for path, item in r.items(doc, "elements", "$"):
        budget = []
        for line_path, line in r.items(item, "budget", path):
            year, amount = r.integer(line, "year", line_path), r.decimal(line, "amount", line_path)
            if year is not None and amount is not None:
                budget.append(BudgetLine(year, r.text(line, "source", line_path) or "", amount))
        code, kind = r.text(item, "code", path, required=True), r.text(item, "kind", path, required=True)
        if code is None or kind is None:
            continue
        elements.append(
            Element(
                code=code,
                kind=kind,
                title=r.text(item, "title", path) or "",
                parent=r.text(item, "parent", path),
                description=r.text(item, "description", path) or "",
                responsible_unit=r.text(item, "responsible_unit", path),
                starts_on=r.parsed(item, "starts_on", path, Month.parse),
                ends_on=r.parsed(item, "ends_on", path, Month.parse),
                status=r.text(item, "status", path) or "not_started",
                budget=tuple(budget),
            )
        )
    indicators = []
    for path, item in r.items(doc, "indicators", "$"):
        targets = []
        for target_path, target in r.items(item, "targets", path):
            period = r.parsed(target, "period", target_path, Period.parse)
            value = r.decimal(target, "value", target_path)
            if value is None and "value" not in target:
                r.fail(f"{target_path}.value", "is required")
            if period is not None and value is not None:
                targets.append(Target(period, value))
        baseline = item.get("baseline")
        baseline_value = None
        if isinstance(baseline, Mapping):
            baseline_value = r.decimal(baseline, "value", f"{path}.baseline")
        elif baseline is not None:
            r.fail(f"{path}.baseline", "must be an object or null")
        code = r.text(item, "code", path, required=True)
        if code is None:
            continue
        indicators.append(
            Indicator(
                code=code,
                name=r.text(item, "name", path) or "",
                element=r.text(item, "element", path),
                direction=r.text(item, "direction", path),
                frequency=r.text(item, "frequency", path),
                owner_unit=r.text(item, "owner_unit", path),
                data_source=r.text(item, "data_source", path) or "",
                baseline=baseline_value,
                targets=tuple(targets),
            )
        )
    recommendations = []
    for path, item in r.items(doc, "recommendations", "$"):
        assessment, code = r.text(item, "assessment", path, required=True), r.text(item, "code", path, required=True)
        addressed = item.get("addressed_by", [])
        if not isinstance(addressed, list) or not all(isinstance(c, str) for c in addressed):
            r.fail(f"{path}.addressed_by", "must be a list of element codes")
            addressed = []
        if assessment is None or code is None:
            continue
        recommendations.append(
            Recommendation(
                reference=f"{assessment}/{code}",
                text=r.text(item, "text", path) or "",
                area=r.text(item, "area", path) or "",
                priority=r.text(item, "priority", path) or "medium",
                addressed_by=tuple(addressed),
            )
        )
    dependencies = []
    for path, item in r.items(doc, "dependencies", "$"):
        before, after = r.text(item, "before", path, required=True), r.text(item, "after", path, required=True)
        if before is not None and after is not None:
            dependencies.append(Dependency(before, after))
    caps = []
    for path, item in r.items(doc, "budget_caps", "$"):
        year, amount = r.integer(item, "year", path), r.decimal(item, "amount", path)
        source = r.text(item, "source", path, required=True)
        if year is not None and amount is not None and source is not None:
            caps.append(BudgetCap(year, source, amount))
    settings = []
    for path, item in r.items(doc, "quality_rules", "$"):
        code = r.text(item, "rule", path, required=True)
        if code is not None and code not in CATALOGUE:
            r.fail(f"{path}.rule", f"unknown rule '{code}'")
            continue
        enabled = item.get("enabled", True)
        if not isinstance(enabled, bool):
            r.fail(f"{path}.enabled", "must be true or false")
        severity = r.parsed(item, "severity", path, Severity)
        if code is not None:
            settings.append(RuleSetting(code, enabled is not False, severity, r.text(item, "reason", path) or ""))
    if r.problems:
        raise DocumentError(r.problems)
    assert start is not None  # a missing year was a problem above
    assert end is not None
    return PlanUnderCheck(
        title=str(header.get("title") or ""),
        administration=doc.get("administration") if isinstance(doc.get("administration"), str) else None,
        start_year=start,
        end_year=end,
        elements=tuple(elements),
        indicators=tuple(indicators),
        recommendations=tuple(recommendations),
        dependencies=tuple(dependencies),
        budget_caps=tuple(caps),
        settings=tuple(settings),
    )
