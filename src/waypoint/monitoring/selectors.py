"""Reads of the monitoring cycle: the report page, the completeness dashboard, locks, the
action register, and what waits for a person ("My work")."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.core.errors import NotFound
from waypoint.engine import monitoring as engine
from waypoint.engine.periods import Period
from waypoint.indicators.models import Actual, Indicator, Target
from waypoint.indicators.selectors import ForecastView, indicator_forecast, indicator_states
from waypoint.monitoring import permissions
from waypoint.monitoring.models import (
    ActionStatus,
    Assignment,
    AssignmentKind,
    FollowUpAction,
    ReportingCalendar,
    ReportingPeriod,
    ReviewMeeting,
    Submission,
    SubmissionStatus,
)
from waypoint.org.access import Access
from waypoint.org.models import OrgUnit, User
from waypoint.org.work import WorkItem
from waypoint.plans.extensions import Overdue
from waypoint.plans.models import Plan, PlanElement
from waypoint.plans.selectors import plan_for
from waypoint.plans.translations import text_for


def _ancestor_ids(unit: OrgUnit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/")]


# --- locks ------------------------------------------------------------------------------------------


def lock_reason(indicator: Indicator, period: str, unit: OrgUnit | None) -> str | None:
    """Registered with ``indicators.locks``: a value is locked when the report of its unit (the
    owner for a whole-administration value), or of any unit above it, is approved for that
    period."""
    reporter = unit or indicator.owner_unit
    approved = (
        Submission.objects.filter(
            period__calendar__plan_id=indicator.plan_id,
            period__code=period,
            status=SubmissionStatus.APPROVED,
            unit_id__in=_ancestor_ids(reporter),
        )
        .select_related("unit")
        .order_by("unit__depth")
        .first()
    )
    if approved is None:
        return None
    return _("The %(period)s report of %(unit)s is approved, so this value is locked; un-approve it first.") % {
        "period": period,
        "unit": approved.unit.code,
    }


# --- one report -------------------------------------------------------------------------------------


def submission_for(user: Any, submission_id: int) -> Submission:
    """A report the user may read (any role in its administration)."""
    submission = (
        Submission.objects.select_related("period__calendar__plan__administration", "unit__parent", "submitted_by")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or not Access.of(user).can_read(submission.unit.path):
        raise NotFound(_("No such report."))
    return submission


@dataclass
class Line:
    """One assignment on the report page, with what helps fill it."""

    assignment: Assignment
    previous: Decimal | None = None
    previous_period: str = ""
    target: Decimal | None = None
    #: the period the target is for (the year, for a quarter without a target of its own)
    target_period: str = ""
    bounds: engine.OutlierBounds | None = None
    outlier: bool = False
    #: the indicator's forecast to the plan's final target (``indicators.selectors.indicator_forecast``)
    forecast: ForecastView | None = None
    #: why the value is locked (an approved report here or above), shown beside the field
    locked: str = ""
    #: what the form shows in each field (the draft, or what was just typed when it was refused)
    shown: dict[str, str] = field(default_factory=dict)
    #: what is wrong with it, after a refused save or submit
    problems: list[str] = field(default_factory=list)

    def show(self, posted: Any = None) -> None:
        a = self.assignment
        stored = {
            "value": "" if a.value is None else format(a.value.normalize(), "f"),
            "comment": a.comment,
            "evidence": a.evidence,
            "percent_complete": "" if a.percent_complete is None else str(a.percent_complete),
            "rag": a.rag,
            "achievements": a.achievements,
            "issues": a.issues,
            "next_steps": a.next_steps,
            "confirm": "on" if a.outlier_confirmed else "",
        }
        if posted is not None:
            stored = {name: posted.get(f"a{a.pk}.{name}", "") for name in stored}
        self.shown = stored


@dataclass
class ReportPage:
    submission: Submission
    values: list[Line]
    progress: list[Line]
    children: list[Submission]
    parent: Submission | None
    can_edit: bool
    can_submit: bool
    can_decide: bool
    #: at the parent level but not the one who reported: may approve (``permissions.can_approve``)
    can_approve: bool = False
    #: why the user, at the parent level, may not approve (they reported it themselves)
    approve_refusal: str = ""
    #: whether the period's entry has opened (``ReportingPeriod.opens_on``); before, nothing is typed
    is_open: bool = True
    approval_problems: list[str] = field(default_factory=list)

    @property
    def gathers_only(self) -> bool:
        """The unit has nothing of its own to report: its report is only where the level
        above approves its units' reports, so it is never "not submitted" or overdue."""
        return not (self.values or self.progress)

    @property
    def children_settled(self) -> int:
        """How many of the units below are approved or waived (of ``len(children)``)."""
        return sum(c.status in (SubmissionStatus.APPROVED, SubmissionStatus.WAIVED) for c in self.children)


def _target_for(
    targets: dict[tuple[int, str], Decimal], indicator_id: int, period: Period
) -> tuple[Decimal | None, str]:
    for code in (period.code, str(period.year)):
        if (indicator_id, code) in targets:
            return targets[(indicator_id, code)], code
    return None, ""


def report_page(user: Any, submission: Submission) -> ReportPage:
    from waypoint.monitoring.services import approval_problems

    period = Period.parse(submission.period.code)
    assignments = list(
        submission.assignments.select_related("indicator", "element", "value_unit").order_by(
            "kind", "indicator__number", "element__code"
        )
    )
    indicator_ids = [a.indicator_id for a in assignments if a.indicator_id]
    history: dict[tuple[int | None, int | None], list[tuple[Period, Decimal]]] = defaultdict(list)
    for actual in Actual.objects.filter(indicator_id__in=indicator_ids).only(
        "indicator_id", "unit_id", "period", "value"
    ):
        p = Period.parse(actual.period)
        if p.kind is period.kind and p < period:
            history[(actual.indicator_id, actual.unit_id)].append((p, actual.value))
    targets = {(t.indicator_id, t.period): t.value for t in Target.objects.filter(indicator_id__in=indicator_ids)}
    values, progress = [], []
    for assignment in assignments:
        line = Line(assignment)
        if assignment.kind == AssignmentKind.VALUE and assignment.indicator is not None:
            earlier = sorted(history[(assignment.indicator_id, assignment.value_unit_id)], key=lambda pv: pv[0])
            if earlier:
                line.previous_period, line.previous = earlier[-1][0].code, earlier[-1][1]
            line.target, line.target_period = _target_for(targets, assignment.indicator.pk, period)
            line.bounds = engine.outlier_bounds([v for _p, v in earlier])
            line.outlier = (
                assignment.value is not None and line.bounds is not None and not line.bounds.contains(assignment.value)
            )
            line.locked = lock_reason(assignment.indicator, submission.period.code, assignment.value_unit) or ""
            values.append(line)
        else:
            progress.append(line)
    if values:
        # whether each indicator is on course for the plan's final target, as its page says
        # (three queries whatever the number of lines)
        plan = submission.period.calendar.plan
        states = indicator_states(plan, [line.assignment.indicator for line in values if line.assignment.indicator])
        for line in values:
            state = states.get(line.assignment.indicator_id or 0)
            line.forecast = indicator_forecast(state, plan.end_year) if state is not None else None
    # has_items: whether each has something of its own (one that has not only gathers)
    children: list[Submission] = list(
        Submission.objects.filter(period=submission.period, unit__parent=submission.unit)
        .annotate(has_items=Exists(Assignment.objects.filter(submission=OuterRef("pk"))))
        .select_related("unit")
        .order_by("unit__code")
    )
    parent = (
        Submission.objects.filter(period=submission.period, unit_id=submission.unit.parent_id)
        .select_related("unit")
        .first()
        if submission.unit.parent_id
        else None
    )
    can_submit = permissions.can_submit(user, submission)
    is_open = submission.period.is_open(timezone.localdate())
    can_decide = permissions.can_decide(user, submission)
    took_part = can_decide and permissions.took_part(user, submission)
    return ReportPage(
        submission=submission,
        values=values,
        progress=progress,
        children=children,
        parent=parent,
        can_edit=can_submit and submission.is_editable and bool(assignments) and is_open,
        can_submit=can_submit and submission.is_editable and bool(assignments),
        can_decide=can_decide,
        can_approve=can_decide and not took_part,
        approve_refusal=permissions.took_part_message() if took_part else "",
        is_open=is_open,
        approval_problems=[p.message for p in approval_problems(submission)] if can_decide else [],
    )


# --- my reporting -----------------------------------------------------------------------------------


def calendar_of(plan: Plan) -> ReportingCalendar | None:
    return ReportingCalendar.objects.filter(plan=plan).first()


def my_reports(user: Any, plan: Plan) -> list[Submission]:
    """Reports the user fills (their units', with something to report) that are not approved,
    by due date."""
    access = Access.of(user)
    queryset = (
        Submission.objects.filter(period__calendar__plan=plan, assignments__isnull=False)
        .exclude(status__in=[SubmissionStatus.APPROVED, SubmissionStatus.WAIVED])
        .select_related("period", "unit")
        .distinct()
        .order_by("period__due_on", "period__ends_on", "-period__starts_on", "unit__path")
    )
    if not access.is_planner(plan.administration.path):
        paths = access.contributor_paths()
        if not paths:
            return []
        condition = Q()
        for path in paths:
            condition |= Q(unit__path__startswith=path)
        queryset = queryset.filter(condition)
    return list(queryset)


def to_decide(user: Any, plan: Plan) -> list[Submission]:
    """Submitted reports the user approves (the parent level)."""
    access = Access.of(user)
    queryset = (
        Submission.objects.filter(period__calendar__plan=plan, status=SubmissionStatus.SUBMITTED)
        .select_related("period", "unit__parent")
        .order_by("period__due_on", "period__ends_on", "-period__starts_on", "unit__path")
    )
    if access.is_approver(plan.administration.path):
        found = list(queryset)
    else:
        paths = access.contributor_paths()
        found = [
            s for s in queryset if s.unit.parent is not None and any(s.unit.parent.path.startswith(p) for p in paths)
        ]
    # a report the user submitted or filled is approved by someone else
    return [s for s in found if not permissions.took_part(user, s)]


# --- completeness -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    submission: Submission
    state: engine.Timeliness

    @property
    def css(self) -> str:
        if self.submission.status == SubmissionStatus.APPROVED:
            return "approved"
        return self.state.value


@dataclass(frozen=True)
class GridRow:
    """One line of the completeness grid: a unit that reports (``cells`` and ``rates``), or a
    unit above reporting units that has nothing of its own to report (a heading: no cells; a
    directorate's heading carries the directorate's rates). ``indent`` is its depth below the
    administration, so each unit stands under the unit it belongs to."""

    unit: OrgUnit
    cells: list[Cell | None] | None
    rates: engine.Rates | None
    indent: int

    @property
    def is_heading(self) -> bool:
        return self.cells is None


@dataclass
class Completeness:
    periods: list[ReportingPeriod]
    rows: list[tuple[OrgUnit, list[Cell | None], engine.Rates]]
    directorates: list[tuple[OrgUnit, engine.Rates]]
    by_period: list[tuple[ReportingPeriod, engine.Rates]]
    overall: engine.Rates
    counts: dict[str, int]
    #: ``rows`` in the tree, each under the units above it (headings where those report nothing)
    grid: list[GridRow] = field(default_factory=list)


def period_order(period: ReportingPeriod) -> tuple[dt.date, int]:
    """Periods by the day they end, the shorter first: 2012Q4, then the year 2012 (both end on
    31 December; the year is the wider column that sums them up)."""
    return period.ends_on, (period.ends_on - period.starts_on).days


def cell_state(submission: Submission, today: dt.date) -> engine.Timeliness:
    """How a report stands, counted from its first submission: a report sent on time, returned
    for correction and sent again after the grace period is on time (the return is the level
    above's doing, not a late report)."""
    first = submission.first_submitted_at or submission.submitted_at
    submitted_on = timezone.localdate(first) if first else None
    return engine.timeliness(
        submitted_on=submitted_on,
        grace_until=submission.period.grace_until,
        today=today,
        waived=submission.status == SubmissionStatus.WAIVED,
    )


def completeness(plan: Plan, *, kind: str = "", today: dt.date | None = None) -> Completeness:
    """Reports with something to report, units × periods, and DHIS2's reporting and
    timeliness rates per unit, per directorate (the units right below the administration),
    per period and overall (``engine.monitoring.rates``)."""
    today = today or timezone.localdate()
    submissions = list(
        Submission.objects.filter(period__calendar__plan=plan, assignments__isnull=False)
        .select_related("period", "unit")
        .distinct()
        .order_by("unit__path", "period__ends_on")
    )
    if kind:
        submissions = [s for s in submissions if s.period.kind == kind]
    periods = sorted({s.period for s in submissions}, key=period_order)
    column = {p.pk: i for i, p in enumerate(periods)}
    units: dict[int, OrgUnit] = {}
    cells: dict[int, list[Cell | None]] = {}
    reports: list[tuple[OrgUnit, ReportingPeriod, engine.Timeliness]] = []
    for submission in submissions:
        state = cell_state(submission, today)
        units.setdefault(submission.unit_id, submission.unit)
        row = cells.setdefault(submission.unit_id, [None] * len(periods))
        row[column[submission.period_id]] = Cell(submission, state)
        reports.append((submission.unit, submission.period, state))
    by_unit, overall = engine.rates(engine.Report(str(u.pk), s) for u, _p, s in reports)
    top = {u.pk: u for u in OrgUnit.objects.filter(path__startswith=plan.administration.path, depth=1)}

    def directorate(unit: OrgUnit) -> int | None:
        parts = _ancestor_ids(unit)
        return parts[1] if len(parts) > 1 else None

    by_directorate, _all = engine.rates(
        engine.Report(str(d), s) for u, _p, s in reports if (d := directorate(u)) is not None
    )
    by_period_rates, _all = engine.rates(engine.Report(str(p.pk), s) for _u, p, s in reports)
    counts = {state.value: 0 for state in engine.Timeliness}
    for _u, _p, state in reports:
        counts[state.value] += 1
    counts["approved"] = sum(1 for s in submissions if s.status == SubmissionStatus.APPROVED)
    tree = {u.pk: u for u in OrgUnit.objects.filter(path__startswith=plan.administration.path)}

    def tree_order(unit_id: int) -> list[str]:
        """Each unit under the units above it, in code order at every level."""
        return [tree[part].code if part in tree else "" for part in _ancestor_ids(tree.get(unit_id) or units[unit_id])]

    # the units above each reporting unit (below the administration) that report nothing of
    # their own head the lines of their units: a post never stands under another directorate
    listed = set(cells) | {
        part
        for uid in cells
        for part in _ancestor_ids(units[uid])[1:-1]
        if part in tree and part != plan.administration_id
    }
    grid = [
        GridRow(
            unit=tree.get(uid) or units[uid],
            cells=cells.get(uid),
            rates=by_unit[str(uid)] if uid in cells else by_directorate.get(str(uid)),
            indent=max(len(_ancestor_ids(tree.get(uid) or units[uid])) - 2, 0),
        )
        for uid in sorted(listed, key=tree_order)
    ]
    return Completeness(
        periods=periods,
        rows=[(units[uid], cells[uid], by_unit[str(uid)]) for uid in sorted(cells, key=tree_order)],
        grid=grid,
        directorates=sorted(
            ((top[int(d)], r) for d, r in by_directorate.items() if int(d) in top), key=lambda dr: dr[0].code
        ),
        by_period=[(p, by_period_rates[str(p.pk)]) for p in periods if str(p.pk) in by_period_rates],
        overall=overall,
        counts=counts,
    )


# --- actions and meetings ---------------------------------------------------------------------------


def action_for(user: Any, action_id: int) -> FollowUpAction:
    action = (
        FollowUpAction.objects.select_related("plan__administration", "owner_unit", "owner_person", "meeting")
        .filter(pk=action_id)
        .first()
    )
    if action is None or not Access.of(user).can_read(action.plan.administration.path):
        raise NotFound(_("No such action."))
    return action


def meeting_for(user: Any, meeting_id: int) -> ReviewMeeting:
    meeting = ReviewMeeting.objects.select_related("plan__administration").filter(pk=meeting_id).first()
    if meeting is None or not Access.of(user).can_read(meeting.plan.administration.path):
        raise NotFound(_("No such meeting."))
    return meeting


def actions(
    plan: Plan, *, status: str = "", overdue: bool = False, unit: str = "", today: dt.date | None = None
) -> QuerySet[FollowUpAction]:
    today = today or timezone.localdate()
    queryset = FollowUpAction.objects.filter(plan=plan).select_related("owner_unit", "owner_person")
    if status == "active":
        queryset = queryset.filter(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
    elif status in ActionStatus.values:
        queryset = queryset.filter(status=status)
    if overdue:
        queryset = queryset.filter(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS], due_on__lt=today)
    if unit:
        queryset = queryset.filter(owner_unit__code=unit)
    return queryset.order_by("due_on", "number")


def overdue_actions(plan: Plan, today: dt.date | None = None) -> QuerySet[FollowUpAction]:
    return actions(plan, overdue=True, today=today)


# --- my work ----------------------------------------------------------------------------------------


def work_items(user: User) -> Iterable[WorkItem]:
    """Registered with ``org.work``: reports to fill, reports to approve, actions to close."""
    items: list[WorkItem] = []
    access = Access.of(user)
    plans = [p for p in Plan.objects.select_related("administration") if access.can_read(p.administration.path)]
    for plan in plans:
        if not ReportingCalendar.objects.filter(plan=plan).exists():
            continue
        for submission in my_reports(user, plan):
            if not submission.is_editable:
                continue
            items.append(
                WorkItem(
                    kind=_("Values to report"),
                    title=_("%(unit)s — %(period)s") % {"unit": submission.unit.name, "period": submission.period.code},
                    url=reverse("monitoring-report", args=[submission.pk]),
                    due=submission.period.due_on,
                    detail=text_for(plan, "title", plan.language).text,
                )
            )
        for submission in to_decide(user, plan):
            items.append(
                WorkItem(
                    kind=_("Reports to approve"),
                    title=_("%(unit)s — %(period)s") % {"unit": submission.unit.name, "period": submission.period.code},
                    url=reverse("monitoring-report", args=[submission.pk]),
                    due=submission.period.grace_until,
                    detail=text_for(plan, "title", plan.language).text,
                )
            )
    mine = Q(owner_person=user)
    for path in access.contributor_paths():
        mine |= Q(owner_unit__path=path)
    for action in FollowUpAction.objects.filter(
        mine, status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS]
    ).select_related("owner_unit", "plan__administration"):
        if not access.can_read(action.plan.administration.path):
            continue
        items.append(
            WorkItem(
                kind=_("Actions to close"),
                title=str(action),
                url=reverse("action-detail", args=[action.pk]),
                due=action.due_on,
                detail=action.owner_unit.name,
            )
        )
    return items


def plan_of(user: Any, plan_id: int) -> Plan:
    return plan_for(user, plan_id)


def overdue_items(plan: Plan, element: PlanElement | None, today: dt.date) -> list[Overdue]:
    """Registered with ``plans.extensions``: the plan's (or the element's) overdue actions."""
    found = actions(plan, overdue=True, today=today)
    if element is not None:
        found = found.filter(elements=element)
    return [Overdue(code=a.code, title=a.title, url=reverse("action-detail", args=[a.pk]), due=a.due_on) for a in found]
