"""Run the catalogue over a plan, apply the plan's own settings, and order the findings."""

from __future__ import annotations

from dataclasses import replace

from waypoint.engine.quality.model import Finding, PlanUnderCheck, Report, Subject
from waypoint.engine.quality.rules import CATALOGUE


def check_plan(plan: PlanUnderCheck) -> Report:
    """Every finding of every rule the plan has not switched off.

    Findings come ordered by severity (errors first), then by where their subject stands in
    the plan (tree order for elements, file order for indicators and recommendations), then
    by rule code, so the same plan always gives the same list.
    """
    settings = {s.rule: s for s in plan.settings}
    order: dict[tuple[Subject, str], int] = {(Subject.PLAN, ""): 0}
    for subject, codes in (
        (Subject.ELEMENT, [e.code for e in plan.elements]),
        (Subject.INDICATOR, [i.code for i in plan.indicators]),
        (Subject.RECOMMENDATION, [r.reference for r in plan.recommendations]),
    ):
        for code in codes:
            order.setdefault((subject, code), len(order))
    findings: list[Finding] = []
    for code, rule in CATALOGUE.items():
        setting = settings.get(code)
        if setting is not None and not setting.enabled:
            continue
        severity = setting.severity if setting is not None and setting.severity is not None else rule.severity
        for subject, subject_code, message in rule.check(plan):
            finding = Finding(code, severity, subject, subject_code, message)
            if severity is not rule.severity:
                finding = replace(finding, default_severity=rule.severity)
            findings.append(finding)
    findings.sort(key=lambda f: (f.severity.rank, order.get((f.subject, f.subject_code), len(order)), f.rule))
    switched_off = tuple(sorted((s for s in plan.settings if not s.enabled), key=lambda s: s.rule))
    return Report(tuple(findings), switched_off)
