"""The demo's diagnostics: the 2007 expert diagnostic that led to the 2007–2011 programme, and
the 2011 self-assessment made while drafting the 2012–2016 plan, on the shipped framework.

Their recommendations are linked to the 2012–2016 plan's objectives and initiatives, except
two left unaddressed on purpose so the plan's health page has something real to find.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from waypoint.diagnostics import services
from waypoint.diagnostics.models import Assessment, Framework
from waypoint.org.models import OrgUnit
from waypoint.plans.models import Plan, PlanElement

FRAMEWORK_FILE = Path(__file__).resolve().parents[1] / "diagnostics" / "frameworks" / "customs-capacity.yaml"

#: criterion → (2007 level, 2011 level, 2011 target for 2016)
LEVELS: dict[str, tuple[str, str, str]] = {
    "SM.1.1": ("0", "2", "4"),
    "SM.1.2": ("0", "1", "3"),
    "SM.2.1": ("0", "2", "4"),
    "SM.2.2": ("1", "2", "3"),
    "RP.1.1": ("1", "1", "3"),
    "RP.1.2": ("1", "1", "3"),
    "RP.2.1": ("0", "1", "3"),
    "RP.2.2": ("1", "2", "3"),
    "LF.1.1": ("1", "3", "4"),
    "LF.1.2": ("1", "2", "3"),
    "SP.1.1": ("0", "2", "4"),
    "SP.1.2": ("0", "1", "3"),
    "SP.2.1": ("0", "1", "3"),
    "SP.2.2": ("0", "0", "3"),
    "SP.3.1": ("1", "2", "3"),
    "IT.1.1": ("1", "3", "4"),
    "IT.1.2": ("0", "1", "3"),
    "IT.2.1": ("1", "2", "3"),
    "EC.1.1": ("1", "1", "2"),
    "EC.1.2": ("0", "1", "3"),
    "IN.1.1": ("1", "2", "3"),
    "IN.1.2": ("1", "1", "3"),
}

#: (area, priority, finding, recommendation, codes in the 2012–2016 plan that address it)
DIAGNOSTIC_2007 = [
    (
        "SP",
        "high",
        "Every consignment is inspected; selection is by the officer.",
        "Introduce automated, risk-based selection of consignments for control.",
        ["I1.2.1"],
    ),
    (
        "SM",
        "high",
        "There is no multi-year strategy; objectives are not measured.",
        "Adopt a multi-year strategic plan whose objectives are measured by indicators with targets.",
        ["O5.2"],
    ),
    (
        "IT",
        "high",
        "Declarations are keyed in by officers from paper.",
        "Complete electronic lodgement and processing of declarations for all regimes.",
        ["I5.1.1"],
    ),
    (
        "RP",
        "medium",
        "Recruitment and promotion are discretionary.",
        "Publish merit-based rules for recruitment and promotion.",
        ["I4.1.2"],
    ),
    (
        "IN",
        "high",
        "No code of conduct; integrity cases are rarely pursued.",
        "Adopt a code of conduct and enforce it through an internal affairs unit.",
        ["I4.3.1"],
    ),
    (
        "LF",
        "medium",
        "Traders can only appeal to the officer who decided.",
        "Create an independent appeal procedure with time limits.",
        ["I2.1.3"],
    ),
    (
        "EC",
        "low",
        "Trade bodies are consulted only on request.",
        "Set up a standing consultative committee with trade bodies and publish its outcomes.",
        [],
    ),
]
SELF_ASSESSMENT_2011 = [
    (
        "SM",
        "high",
        "A time release study was run once, with donor support.",
        "Measure release times regularly from declaration data and publish them.",
        ["I1.1.1"],
    ),
    (
        "SP",
        "high",
        "No authorised economic operator programme exists.",
        "Launch an AEO programme with measurable benefits for certified traders.",
        ["O1.4"],
    ),
    (
        "SP",
        "medium",
        "Post-clearance audit is occasional and not risk-based.",
        "Build a post-clearance audit unit that selects audits by risk.",
        ["I2.1.1"],
    ),
    (
        "RP",
        "high",
        "Training is planned without a needs analysis.",
        "Base the training plan on the gaps between job profiles and officers' competencies.",
        ["O4.2"],
    ),
    (
        "RP",
        "medium",
        "Border posts are upgraded one by one, without the other agencies.",
        "Plan border infrastructure jointly with the other border agencies, from traffic forecasts.",
        [],
    ),
    (
        "IT",
        "medium",
        "Analysts depend on the IT unit for every extract.",
        "Give analysts a data warehouse with the declaration history.",
        ["I5.2.2"],
    ),
]


def _framework() -> Framework:
    stored = Framework.objects.filter(code="customs-capacity").order_by("-imported_at").first()
    return stored or services.framework_import(
        actor=None, content=FRAMEWORK_FILE.read_bytes(), filename=FRAMEWORK_FILE.name
    )


def build_diagnostics(admin: OrgUnit, programme: Plan, plan: Plan) -> None:
    """Create the two assessments once; a second run leaves what people changed alone."""
    if Assessment.objects.filter(administration=admin).exists():
        return
    framework = _framework()
    elements = {e.code: e for e in PlanElement.objects.filter(plan=plan)}
    diagnostic = services.assessment_save(
        actor=None,
        administration=admin,
        framework=framework,
        reference="DIAG-2007",
        title="Customs capacity diagnostic",
        assessed_on=dt.date(2007, 5, 18),
        kind="expert",
        assessors="Diagnostic mission (two accredited experts)",
        summary="Expert diagnostic whose recommendations became the 2007–2011 state programme.",
        plans=[programme, plan],
    )
    self_assessment = services.assessment_save(
        actor=None,
        administration=admin,
        framework=framework,
        reference="SA-2011",
        title="Self-assessment for the 2012–2016 plan",
        assessed_on=dt.date(2011, 10, 14),
        kind="self",
        assessors="Strategic planning unit with heads of departments",
        summary="Made during the planning workshop, before drafting the 2012–2016 plan.",
        plans=[plan],
    )
    for assessment, column in ((diagnostic, 0), (self_assessment, 1)):
        rows = {
            code: {
                "current": levels[column],
                "target": levels[2] if column == 1 else "",
                "evidence": "Interviews and document review" if column == 0 else "Workshop consensus",
            }
            for code, levels in LEVELS.items()
        }
        services.ratings_save(actor=None, assessment=assessment, rows=rows, expected_version=None)
    for assessment, recommendations in ((diagnostic, DIAGNOSTIC_2007), (self_assessment, SELF_ASSESSMENT_2011)):
        for area, priority, finding, text, codes in recommendations:
            services.recommendation_save(
                actor=None,
                assessment=assessment,
                area=area,
                priority=priority,
                finding=finding,
                text=text,
                elements=[elements[c] for c in codes],
            )
