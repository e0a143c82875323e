"""The demo's monitoring cycle: reports 2012Q1–2014Q4 with realistic completeness, a few
periods approved and locked, an outlier confirmed with its comment, the follow-up actions of
the 2011 workshop and the quarterly reviews, and reminders in the demo personas' inboxes.

Everything goes through the monitoring services; only the dates a report was submitted and
decided are set afterwards, so that the history reads as it would have happened.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from waypoint.demo.workshops import FOUNDING_TITLE, GOOD_PLAN_TITLE
from waypoint.indicators.models import Actual
from waypoint.monitoring import reminders, services
from waypoint.monitoring.models import (
    ActionStatus,
    AssignmentKind,
    FollowUpAction,
    ReportingCalendar,
    Submission,
    SubmissionStatus,
)
from waypoint.org.models import OrgUnit, User
from waypoint.plans.models import Plan

#: the quarter a directorate did not report at all (its posts and itself)
MISSING = ("RD-WST", "2013Q3")
#: periods approved (and so locked) from the bottom of the tree to the top
APPROVED = {"2012Q1", "2012Q2", "2012Q3", "2012Q4", "2012", "2013Q1", "2013Q2"}
#: the cycle under way when the demo's story stops: some units still at it
IN_PROGRESS = "2014Q4"
OUTLIER = ("Customs revenue collected", "2014Q3")
#: the report the Astara post's planning officer has still to send: My work lists it (the
#: README's walk-through: the post reports, its directorate approves)
LEFT_TO_DO = ("BP-AST", "2014")
#: who sent each unit's reports (the directorate's officer otherwise, or the M&E officer at
#: headquarters): never the person at the level above who approves them
REPORTERS = {"BP-AST": "contributor.astara"}


def _roll(*parts: str) -> int:
    """A stable number from 0 to 99 for a unit and period (the same on every build)."""
    return zlib.crc32("/".join(parts).encode()) % 100


def _moment(day: dt.date, hour: int = 11) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def build_monitoring(plan: Plan, units: dict[str, OrgUnit]) -> None:
    """Build the cycle once; a second run finds the calendar and leaves it alone."""
    if ReportingCalendar.objects.filter(plan=plan).exists():
        return
    calendar = services.calendar_save(actor=None, plan=plan, first_year=2012, last_year=2014)
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["contributor", "contributor.astara", "me.officer", "risk.head"])
    }
    reports = list(
        Submission.objects.filter(period__calendar=calendar)
        .select_related("period", "unit")
        .order_by("period__ends_on", "-unit__depth", "unit__code")
    )
    missing_path = units[MISSING[0]].path
    for report in reports:
        code = report.period.code
        if not report.assignments.exists():
            continue
        if code == MISSING[1] and report.unit.path.startswith(missing_path):
            continue
        if (report.unit.code, code) == LEFT_TO_DO:
            continue
        roll = _roll(report.unit.code, code)
        if code == IN_PROGRESS and roll < 45:
            _fill(report)  # a draft, not yet submitted
            continue
        if roll < 4 and code not in APPROVED:
            continue  # a report that never came
        if not _fill(report):
            continue  # a value the administration never recorded: the report stays open
        services.submission_submit(actor=None, submission=report)
        due, grace = report.period.due_on, report.period.grace_until
        late = roll >= 86 and code not in APPROVED
        when = grace + dt.timedelta(days=3 + roll % 20) if late else due - dt.timedelta(days=roll % 9)
        usual = "me.officer" if report.unit.code.startswith("HQ") else "contributor"
        reporter = people.get(REPORTERS.get(report.unit.code, usual))
        Submission.objects.filter(pk=report.pk).update(
            submitted_at=_moment(when), first_submitted_at=_moment(when), submitted_by=reporter
        )
    # approval from the bottom of the tree up: posts, directorates, then the administration
    for report in sorted(
        Submission.objects.filter(period__calendar=calendar, period__code__in=APPROVED).select_related(
            "period", "unit"
        ),
        key=lambda s: -s.unit.depth,
    ):
        report.refresh_from_db()
        if report.status in (SubmissionStatus.APPROVED, SubmissionStatus.WAIVED):
            continue
        if report.status == SubmissionStatus.DRAFT and report.assignments.exists():
            services.submission_waive(actor=None, submission=report, reason="Data system migration: reported centrally")
            continue
        services.submission_approve(actor=None, submission=report)
        decided = report.period.grace_until + dt.timedelta(days=10)
        Submission.objects.filter(pk=report.pk).update(decided_at=_moment(decided, 15))
    _build_actions(plan, units)
    reminders.send_reminders(timezone.localdate())


def _fill(report: Submission) -> bool:
    """What the unit would have typed: the values the administration recorded, and progress
    updates that follow the initiative's calendar."""
    entries: dict[int, services.Entry] = {}
    period_end = report.period.ends_on
    for assignment in report.assignments.select_related("indicator", "element", "value_unit"):
        if assignment.kind == AssignmentKind.VALUE:
            assert assignment.indicator is not None
            actual = Actual.objects.filter(
                indicator=assignment.indicator, period=report.period.code, unit=assignment.value_unit
            ).first()
            if actual is None:
                continue
            if (assignment.indicator.name, report.period.code) == OUTLIER:
                entries[assignment.pk] = services.Entry(
                    value=(actual.value * Decimal("1.9")).quantize(Decimal("0.01")),
                    confirm_outlier=True,
                    comment=(
                        "Includes AZN 41 million of arrears recovered under the 2014 amnesty: a one-off, "
                        "confirmed with the Treasury."
                    ),
                    evidence="Treasury revenue report, Q3 2014",
                )
                continue
            entries[assignment.pk] = services.Entry(value=actual.value, evidence=actual.evidence)
        else:
            element = assignment.element
            assert element is not None
            start, end = element.starts_on, element.ends_on
            assert start is not None
            assert end is not None
            span = max(1, (end - start).days)
            done = max(0, min(100, round(100 * (period_end - start).days / span)))
            roll = _roll(element.code, report.period.code)
            rag = "green" if roll < 70 else ("amber" if roll < 92 else "red")
            lag = {"green": 0, "amber": 10, "red": 25}[rag]
            entries[assignment.pk] = services.Entry(
                percent_complete=max(0, done - lag),
                rag=rag,
                achievements=f"Work plan for {report.period.code} carried out as scheduled."
                if rag == "green"
                else "Most of the quarter's work done.",
                issues="" if rag == "green" else "Procurement took longer than planned.",
                next_steps="Continue with the next quarter's activities.",
            )
    if entries:
        services.submission_save(actor=None, submission=report, entries=entries)
    return len(entries) == report.assignments.count()


@dataclass(frozen=True)
class ActionSpec:
    title: str
    unit: str
    due: str
    status: str = ActionStatus.DONE
    owner: str = ""
    priority: str = "medium"
    evidence: str = ""
    elements: tuple[str, ...] = ()


#: the 2011 planning workshop's follow-up actions
WORKSHOP = [
    ActionSpec("Circulate the workshop report to every participant", "HQ-SPD", "2011-12-20", owner="planner"),
    ActionSpec("Name a monitoring focal point in each directorate", "HQ-SPD", "2012-01-31", owner="me.officer"),
    ActionSpec("Agree indicator reference sheets with the owners", "HQ-SPD", "2012-02-29", owner="me.officer"),
    ActionSpec("Collect 2011 baselines for every key indicator", "HQ-SPD", "2012-03-31", owner="me.officer"),
    ActionSpec("Publish the Strategic Plan on the Committee's website", "HQ-SPD", "2012-02-15", owner="planner"),
    ActionSpec("Draft terms of reference for the first Time Release Study", "HQ-CAD", "2012-04-30"),
    ActionSpec("Set up the risk management committee", "HQ-RMD", "2012-03-31", owner="risk.head"),
    ActionSpec("Map the data sources of the selectivity indicators", "HQ-RMD", "2012-05-31", owner="risk.head"),
    ActionSpec("Cost the single window feasibility study", "HQ-ITD", "2012-06-30"),
    ActionSpec("Brief the border posts' heads on quarterly reporting", "RD-STH", "2012-03-15", owner="contributor"),
    ActionSpec("Brief the western posts on quarterly reporting", "RD-WST", "2012-03-15", owner="contributor.west"),
    ActionSpec("Agree with the Treasury on monthly revenue data", "HQ-FIN", "2012-04-30"),
    ActionSpec("Align the training calendar with the plan's initiatives", "HQ-ACA", "2012-05-31"),
    ActionSpec(
        "Adopt a staff rotation policy for border posts",
        "HQ-HRD",
        "2012-09-30",
        status=ActionStatus.CANCELLED,
    ),
]

#: (meeting title, date, periods reviewed, decisions, its actions)
MEETINGS: list[tuple[str, str, str, str, list[ActionSpec]]] = [
    (
        "Chairman's review of the draft Strategic Plan",
        "2011-12-27",
        "",
        "The draft is approved subject to fewer, sharper indicators for revenue and facilitation.",
        [
            ActionSpec("Reduce the revenue indicators to two key ones", "HQ-SPD", "2012-01-10", owner="planner"),
            ActionSpec("Add a trade-facilitation indicator from the Time Release Study", "HQ-CAD", "2012-01-10"),
        ],
    ),
    (
        "Quarterly review 2012Q2",
        "2012-07-25",
        "2012Q1, 2012Q2",
        "Reporting works; progress updates must say what is late and why.",
        [
            ActionSpec("Issue a reporting guide with examples", "HQ-SPD", "2012-08-31", owner="me.officer"),
            ActionSpec("Fix the revenue data feed's missing days", "HQ-ITD", "2012-09-15"),
            ActionSpec("Explain the slow start of the AEO programme", "HQ-CAD", "2012-08-31"),
        ],
    ),
    (
        "Annual review 2012",
        "2013-02-20",
        "2012",
        "Release times fall as planned; the AEO programme is behind. Targets for 2014 are revised.",
        [
            ActionSpec("Revise the 2014 AEO target with the business associations", "HQ-CAD", "2013-03-31"),
            ActionSpec("Extend pre-arrival processing to rail", "RP-BKS", "2013-09-30", owner="contributor.west"),
            ActionSpec("Publish the first Time Release Study results", "HQ-CAD", "2013-04-30"),
            ActionSpec("Train 40 officers in post-clearance audit", "HQ-PCA", "2013-10-31"),
        ],
    ),
    (
        "Quarterly review 2013Q2",
        "2013-07-24",
        "2013Q1, 2013Q2",
        "The western directorate's reports arrive late; the integrity survey is postponed.",
        [
            ActionSpec("Agree a reporting calendar with the western directorate", "RD-WST", "2013-08-31"),
            ActionSpec("Launch the integrity survey", "HQ-INT", "2013-11-30"),
            ActionSpec("Replace the scanner at Astara", "BP-AST", "2013-12-31", owner="contributor"),
            ActionSpec(
                "Review the selectivity profiles after the new tariff", "HQ-RMD", "2013-09-30", owner="risk.head"
            ),
        ],
    ),
    (
        "Annual review 2013",
        "2014-02-19",
        "2013",
        "Good progress on release times and e-declarations; the single window slips by a year.",
        [
            ActionSpec("Re-plan the single window with the ministries", "HQ-ITD", "2014-04-30"),
            ActionSpec("Open a second lane for trucks at Red Bridge", "BP-RED", "2014-06-30", owner="contributor.west"),
            ActionSpec("Extend e-payment to all regional directorates", "HQ-FIN", "2014-06-30"),
            ActionSpec(
                "Report on the causes of the 2013Q3 reporting gap",
                "RD-WST",
                "2014-03-31",
                status=ActionStatus.IN_PROGRESS,
            ),
        ],
    ),
    (
        "Quarterly review 2014Q2",
        "2014-07-23",
        "2014Q1, 2014Q2",
        "Revenue on track; the legal reform initiatives need a decision from the Cabinet.",
        [
            ActionSpec("Submit the draft Customs Code amendments to the Cabinet", "HQ-LEG", "2014-09-30"),
            ActionSpec(
                "Prepare the mid-term evaluation's terms of reference",
                "HQ-SPD",
                "2014-10-31",
                status=ActionStatus.OPEN,
                owner="planner",
                priority="high",
            ),
            ActionSpec(
                "Brief the Chairman on the single window delay",
                "HQ-ITD",
                "2014-08-31",
                status=ActionStatus.OPEN,
                owner="viewer",
            ),
            ActionSpec(
                "Close the gaps in the northern posts' TRS data",
                "RD-NTH",
                "2014-10-31",
                status=ActionStatus.IN_PROGRESS,
            ),
        ],
    ),
    (
        "Quarterly review 2014Q3",
        "2014-10-22",
        "2014Q3",
        "The revenue outlier is explained (amnesty arrears); the roadmap for 2015 is to be approved.",
        [
            ActionSpec(
                "Separate one-off receipts in the revenue indicator's definition",
                "HQ-FIN",
                "2014-12-15",
                status=ActionStatus.OPEN,
                priority="high",
            ),
            ActionSpec(
                "Approve the 2015 roadmap scenario",
                "HQ-SPD",
                "2014-12-31",
                status=ActionStatus.OPEN,
                owner="admin",
            ),
            ActionSpec(
                "Train the southern posts on the new risk profiles",
                "RD-STH",
                "2014-12-31",
                status=ActionStatus.OPEN,
                owner="contributor",
            ),
            ActionSpec(
                "Draft the Strategic Plan 2017–2021 roadmap",
                "HQ-SPD",
                "2015-06-30",
                status=ActionStatus.OPEN,
                owner="me.officer",
            ),
            ActionSpec(
                "Publish the 2014 Time Release Study",
                "HQ-CAD",
                "2015-03-31",
                status=ActionStatus.IN_PROGRESS,
            ),
        ],
    ),
]


def _build_actions(plan: Plan, units: dict[str, OrgUnit]) -> None:
    people = {u.username: u for u in User.objects.filter(is_active=True)}
    elements = {e.code: e for e in plan.elements.all()}
    goals = [e for e in elements.values() if e.parent_id is None]

    def add(spec: ActionSpec, source: str, detail: str, meeting: object = None) -> None:
        due = dt.date.fromisoformat(spec.due)
        action = services.action_create(
            actor=None,
            plan=plan,
            title=spec.title,
            owner_unit=units[spec.unit],
            owner_person=people.get(spec.owner),
            due_on=due,
            priority=spec.priority,
            source=source,
            source_detail=detail,
            meeting=meeting,
            elements=[elements[c] for c in spec.elements if c in elements],
        )
        if spec.status == ActionStatus.DONE:
            roll = _roll(spec.title)
            services.action_set_status(
                actor=None,
                action=action,
                status=ActionStatus.DONE,
                evidence=f"Minutes and report filed under SCC/PLAN/{due.year}/{action.number:03d}",
                on=due - dt.timedelta(days=roll % 20) if roll < 80 else due + dt.timedelta(days=roll % 30),
            )
        elif spec.status == ActionStatus.CANCELLED:
            services.action_set_status(
                actor=None,
                action=action,
                status=ActionStatus.CANCELLED,
                reason="Superseded by the civil service reform's rotation rules.",
                on=due,
            )
        elif spec.status == ActionStatus.IN_PROGRESS:
            services.action_set_status(actor=None, action=action, status=ActionStatus.IN_PROGRESS)

    # the source as the workshop's own service writes it (``workshops.services.action_create``):
    # the workshop's title and the exercise the demo links the actions back to
    for spec in WORKSHOP:
        add(spec, "workshop", f"{FOUNDING_TITLE}, {GOOD_PLAN_TITLE}")
    for title, held_on, periods, decisions, specs in MEETINGS:
        meeting = services.meeting_save(
            actor=None,
            plan=plan,
            title=title,
            held_on=dt.date.fromisoformat(held_on),
            participants="Chairman (chair)\nDeputy Chairman\nHeads of the main departments\nHeads of the regional directorates",
            periods=periods,
            decisions=decisions,
            goals=goals if periods else [],
        )
        for spec in specs:
            add(spec, "review_meeting", title, meeting)
    assert FollowUpAction.objects.filter(plan=plan).count() == len(WORKSHOP) + sum(len(m[4]) for m in MEETINGS)
