"""Plan quality in the web app: the engine's checks on the plan as its portable file says it.

The page, the API and ``waypoint check`` on an exported file all run the same engine on the
same document (``plan_export``), so they cannot disagree. The one addition is what the file
does not carry and another app knows (the roadmap's schedule: scenarios stay out of the
file), added by the apps that registered it; ``waypoint check`` on a file has none of it.

The findings are computed once per change of the plan, not once per page view: they are kept
in ``PlanFindings`` with the plan's change stamp (``core.audit.changes_counted``, moved by
every audited write of the plan or of its administration) and computed again only when the
stamp has moved. The tree, the overview and the Quality checks page read them.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import OperationalError, transaction
from django.utils.translation import gettext as _

from waypoint.core.audit import SYSTEM, Action, audit_record, audited_delete, changes_counted
from waypoint.core.errors import InvalidInput
from waypoint.engine import text
from waypoint.engine.quality import CATALOGUE, Finding, Report, Rule, Severity, Subject, check_plan
from waypoint.engine.quality.document import read_plan
from waypoint.engine.quality.model import RuleSetting
from waypoint.org.models import User
from waypoint.plans import extensions, permissions, rules
from waypoint.plans.models import Plan, PlanFindings, QualityRuleSetting
from waypoint.plans.planfile import plan_export


@dataclass(frozen=True)
class Checked:
    """The engine's report on the plan, and the indicators' elements and names as its file
    lists them (code → (element code, name))."""

    report: Report
    measured: dict[str, tuple[str, str]]


def plan_quality(plan: Plan) -> Report:
    return checked(plan).report


#: the findings this process last read, by plan and change stamp: a big plan's are thousands,
#: read back from JSON on each view otherwise (findings are frozen: shared by the requests)
_READ: OrderedDict[tuple[int, str], Checked] = OrderedDict()
_READ_PLANS = 8
_READ_LOCK = threading.Lock()


def checked(plan: Plan) -> Checked:
    """The plan's findings: those kept for its current change stamp, else computed now and kept."""
    # the stamp is read before the plan: what is computed is at least as new as the stamp says
    stamp = changes_counted(plan.pk, plan.administration_id)
    result = _kept(plan, stamp)
    if result is None:
        result = compute(plan)
        _keep(plan, stamp, result)
        _remember(plan, stamp, result)
    return result


def _kept(plan: Plan, stamp: str) -> Checked | None:
    """The findings kept for ``stamp``, read in this process before or from the database."""
    with _READ_LOCK:
        result = _READ.get((plan.pk, stamp))
        if result is not None:
            _READ.move_to_end((plan.pk, stamp))
            return result
    kept = PlanFindings.objects.filter(plan=plan, stamp=stamp).values_list("report", flat=True).first()
    if kept is None or kept.get("format") != FORMAT:
        return None
    result = _loaded(kept)
    _remember(plan, stamp, result)
    return result


def _remember(plan: Plan, stamp: str, result: Checked) -> None:
    with _READ_LOCK:
        _READ[(plan.pk, stamp)] = result
        while len(_READ) > _READ_PLANS:
            _READ.popitem(last=False)


def forget_read() -> None:
    """Drop the findings this process read (tests roll the database back under it)."""
    with _READ_LOCK:
        _READ.clear()


def compute(plan: Plan) -> Checked:
    """The findings worked out from the plan as it is stored now (nothing kept or read back)."""
    document = plan_export(plan)
    report = check_plan(extensions.under_check(plan, read_plan(document)))
    return Checked(report, _measured(document))


def _keep(plan: Plan, stamp: str, result: Checked) -> None:
    """Store the findings for ``stamp``: one upsert, so two processes storing at once do not
    collide. A page view that cannot write now (the database is busy) still shows them."""
    with contextlib.suppress(OperationalError):
        PlanFindings.objects.bulk_create(
            [PlanFindings(plan=plan, stamp=stamp, report=_dumped(result))],
            update_conflicts=True,
            unique_fields=["plan"],
            update_fields=["stamp", "report", "computed_at"],
        )


#: what ``_dumped`` writes; rows of another format are computed again
FORMAT = 2


def _dumped(result: Checked) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "findings": [
            finding.as_dict()
            | {
                "default_severity": finding.default_severity.value if finding.default_severity else None,
                # the message's template and values, so that each reader gets it in their language
                "text": text.dumped(finding.message),
            }
            for finding in result.report.findings
        ],
        "switched_off": [
            {
                "rule": s.rule,
                "enabled": s.enabled,
                "severity": s.severity.value if s.severity else None,
                "reason": s.reason,
            }
            for s in result.report.switched_off
        ],
        "measured": [[code, element, name] for code, (element, name) in result.measured.items()],
    }


def _loaded(data: dict[str, Any]) -> Checked:
    findings = tuple(
        Finding(
            rule=f["rule"],
            severity=Severity(f["severity"]),
            subject=Subject(f["subject"]),
            subject_code=f["code"],
            message=text.loaded(f["text"]),
            default_severity=Severity(f["default_severity"]) if f["default_severity"] else None,
        )
        for f in data["findings"]
    )
    switched_off = tuple(
        RuleSetting(
            rule=s["rule"],
            enabled=s["enabled"],
            severity=Severity(s["severity"]) if s["severity"] else None,
            reason=s["reason"],
        )
        for s in data["switched_off"]
    )
    return Checked(Report(findings, switched_off), {code: (element, name) for code, element, name in data["measured"]})


def _measured(document: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Indicator code → the element it measures and its name, as the file lists them."""
    return {entry["code"]: (entry["element"], entry["name"]) for entry in document.get("indicators", [])}


@dataclass
class ElementChecks:
    """What the tree shows next to an element: how many findings, and the worst of them."""

    count: int = 0
    worst: Severity | None = None

    def add(self, finding: Finding) -> None:
        self.count += 1
        if self.worst is None or finding.severity.rank < self.worst.rank:
            self.worst = finding.severity


@dataclass(frozen=True)
class SubjectFindings:
    """The findings of one severity about one element, indicator or recommendation."""

    subject: Subject
    code: str
    title: str
    findings: list[Finding]
    #: ``el-<code>`` on the first heading that concerns an element (itself or one of its
    #: indicators), where the plan tree's badge for that element points
    anchor: str = ""


@dataclass
class QualityPage:
    report: Report
    groups: list[tuple[Severity, int, list[SubjectFindings]]]
    by_element: dict[str, ElementChecks] = field(default_factory=dict)
    #: subjects left out per severity (by its value) when the page shows a limited number
    hidden: dict[str, int] = field(default_factory=dict)
    #: the element the page is limited to ("" for the whole plan)
    element: str = ""
    #: primary keys by code, for the links to the forms that fix a finding
    element_ids: dict[str, int] = field(default_factory=dict)
    indicator_ids: dict[str, int] = field(default_factory=dict)
    #: codes of the elements and indicators the reader may change: only those get a "Fix" link
    editable_elements: set[str] = field(default_factory=set)
    editable_indicators: set[str] = field(default_factory=set)
    #: the rules about an indicator's targets: their "Fix" opens the targets grid
    target_rules: frozenset[str] = frozenset({"Q202", "Q207", "Q208", "Q209"})


def _by_subject(findings: list[Finding], titles: dict[tuple[Subject, str], str]) -> list[SubjectFindings]:
    """Consecutive findings about the same subject under one heading (they come in plan order)."""
    groups: list[SubjectFindings] = []
    for finding in findings:
        if groups and (groups[-1].subject, groups[-1].code) == (finding.subject, finding.subject_code):
            groups[-1].findings.append(finding)
            continue
        title = titles.get((finding.subject, finding.subject_code), "")
        groups.append(SubjectFindings(finding.subject, finding.subject_code, title, [finding]))
    return groups


def element_of(findings: tuple[Finding, ...], indicator_elements: dict[str, str]) -> dict[str, ElementChecks]:
    """Findings per element code; an indicator's findings count on the element it measures."""
    checks: dict[str, ElementChecks] = defaultdict(ElementChecks)
    for finding in findings:
        if finding.subject is Subject.ELEMENT:
            checks[finding.subject_code].add(finding)
        elif finding.subject is Subject.INDICATOR and finding.subject_code in indicator_elements:
            checks[indicator_elements[finding.subject_code]].add(finding)
    return dict(checks)


def element_checks(plan: Plan) -> dict[str, ElementChecks]:
    """Only what the plan tree's badges need (it runs on every tree load and filter)."""
    result = checked(plan)
    return element_of(result.report.findings, {code: element for code, (element, _name) in result.measured.items()})


def counts(plan: Plan, *, kept_only: bool = False) -> dict[str, int] | None:
    """How many findings of each severity, by its value (the overview's summary); with
    ``kept_only``, only when the findings kept are current (``None`` otherwise: the overview
    then asks for them after it has shown, rather than read the whole plan first)."""
    if kept_only:
        kept = _kept(plan, changes_counted(plan.pk, plan.administration_id))
        if kept is None:
            return None
        report = kept.report
    else:
        report = checked(plan).report
    return {severity.value: report.count(severity) for severity in Severity}


def quality_page(plan: Plan, user: Any = None, *, element: str = "", limit: int | None = None) -> QualityPage:
    """The findings by severity, then by element (indicator, recommendation) in plan order,
    with what ``user`` may change (nothing without a user, nothing on a locked plan: a
    finding there is fixed through an amendment). ``element``: only the findings about that
    element and its indicators (where the tree's badge leads); ``limit``: at most that many
    subjects per severity (``QualityPage.hidden`` counts the others), so that a big plan's page
    does not list a thousand headings at once."""
    if permissions.is_locked(plan):
        user = None
    result = checked(plan)
    report = result.report
    elements = list(plan.elements.values_list("code", "title", "pk"))
    indicators = result.measured
    titles: dict[tuple[Subject, str], str] = {(Subject.ELEMENT, code): title for code, title, _pk in elements}
    titles |= {(Subject.INDICATOR, code): name for code, (_element, name) in indicators.items()}
    titles[Subject.PLAN, ""] = plan.title
    measured = {code: element for code, (element, _name) in indicators.items()}
    groups = []
    hidden: dict[str, int] = {}
    anchored: set[str] = set()
    for severity in Severity:
        rows = [f for f in report.findings if f.severity is severity]
        if not rows:
            continue
        subjects = _by_subject(rows, titles)
        for index, group in enumerate(subjects):
            about = group.code if group.subject is Subject.ELEMENT else measured.get(group.code)
            if group.subject in (Subject.ELEMENT, Subject.INDICATOR) and about and about not in anchored:
                anchored.add(about)
                subjects[index] = replace(group, anchor=f"el-{about}")
        if element:
            subjects = [
                g
                for g in subjects
                if (g.code if g.subject is Subject.ELEMENT else measured.get(g.code)) == element
                and g.subject in (Subject.ELEMENT, Subject.INDICATOR)
            ]
            if not subjects:
                continue
        # the heading counts every finding of the severity (of the element, when limited to one)
        total = sum(len(g.findings) for g in subjects) if element else len(rows)
        if limit is not None and len(subjects) > limit:
            hidden[severity.value] = len(subjects) - limit
            subjects = subjects[:limit]
        groups.append((severity, total, subjects))
    # who may change what is asked only of the subjects shown (a big plan has thousands)
    shown = {s: {g.code for _severity, _total, subjects in groups for g in subjects if g.subject is s} for s in Subject}
    return QualityPage(
        report,
        groups,
        element_of(report.findings, measured),
        hidden=hidden,
        element=element,
        element_ids={code: pk for code, _title, pk in elements},
        indicator_ids=dict(extensions.subject_ids(plan).get(Subject.INDICATOR, {})),
        editable_elements=_editable_elements(plan, user, shown[Subject.ELEMENT]),
        editable_indicators=extensions.editable_subjects(plan, user, shown[Subject.INDICATOR]).get(
            Subject.INDICATOR, set()
        )
        if user is not None
        else set(),
    )


def _editable_elements(plan: Plan, user: Any, codes: set[str]) -> set[str]:
    if user is None or not codes:
        return set()
    elements = plan.elements.filter(code__in=codes).select_related("plan", "responsible_unit")
    return {e.code for e in elements if permissions.can_edit_element(user, e)}


def rule_catalogue(plan: Plan) -> list[tuple[Rule, QualityRuleSetting | None]]:
    settings = {s.rule: s for s in QualityRuleSetting.objects.filter(plan=plan)}
    return [(rule, settings.get(code)) for code, rule in CATALOGUE.items()]


@transaction.atomic
def quality_rule_set(
    *, actor: User | None, plan: Plan, rule: str, enabled: bool, severity: str, reason: str
) -> QualityRuleSetting | None:
    """Switch a rule off or re-grade it for this plan, with a reason; back to the default
    (checked, default severity) removes the setting.

    Raises:
        InvalidInput: unknown rule or severity, or no reason for a departure from the default.
    """
    if actor is not None:
        permissions.require(permissions.can_edit_plan(actor, plan))
    for problem in rules.quality_rule_problems(rule):
        raise InvalidInput.at(problem.location, problem.message)
    if severity and severity not in {s.value for s in Severity}:
        raise InvalidInput.at("severity", _("Choose error, warning or info."))
    if severity == CATALOGUE[rule].severity.value:
        severity = ""
    current = QualityRuleSetting.objects.filter(plan=plan, rule=rule).first()
    before = {"enabled": current.enabled, "severity": current.severity, "reason": current.reason} if current else {}
    if enabled and not severity:
        if current is not None:
            audited_delete(
                actor=actor,
                instance=current,
                label=_("Quality rule %(r)s back to its default") % {"r": rule},
                changes={"before": before},
                plan_id=plan.pk,
            )
        return None
    reason = reason.strip()
    if not reason:
        raise InvalidInput.at("reason", _("Say why this plan departs from the rule; the reason is shown with it."))
    setting, created = QualityRuleSetting.objects.update_or_create(
        plan=plan,
        rule=rule,
        defaults={
            "enabled": enabled,
            "severity": severity,
            "reason": reason,
            "changed_by_name": actor.username if actor else SYSTEM,
        },
    )
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        instance=setting,
        label=_("Quality rule %(r)s for %(p)s") % {"r": rule, "p": plan.title},
        changes={"before": before, "after": {"enabled": enabled, "severity": severity, "reason": reason}},
        plan_id=plan.pk,
    )
    return setting
