"""MS Project XML (MSPDI) export and import, so planners can open a roadmap in MS Project or
ProjectLibre and bring one back.

Exported tasks carry the computed dates, the links with their lags, the Waypoint id in the
WBS field, resources with their capacity (MaxUnits) and assignments. Each task gets a
"start no earlier than" constraint at its scheduled start (pinned tasks: "must start on"),
so MS Project keeps the levelled sequence instead of pulling every task to its earliest date.
An outline (goals, objectives, initiatives) becomes summary tasks with outline levels over
the activities; reading a file back skips summary tasks.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree as SafeTree

from waypoint.engine.scheduling.model import (
    Activity,
    Granularity,
    Link,
    LinkKind,
    Problem,
    ProblemError,
    Resource,
    Schedule,
)

__all__ = ["DEFAULT_START", "Summary", "export_mspdi", "import_mspdi"]

NS = "http://schemas.microsoft.com/project"
DEFAULT_START = dt.date(2000, 1, 3)  # a Monday, for problems without a calendar start
MINUTES_PER_DAY = 480
MINUTES_PER_UNIT = {Granularity.DAY: 480, Granularity.WEEK: 2400, Granularity.MONTH: 9600}
DAYS_PER_UNIT = {Granularity.DAY: 1.0, Granularity.WEEK: 7.0, Granularity.MONTH: 365.25 / 12}
LINK_TYPE = {LinkKind.FINISH_TO_FINISH: "0", LinkKind.FINISH_TO_START: "1", LinkKind.START_TO_START: "3"}
LINK_KIND = {value: kind for kind, value in LINK_TYPE.items()}
MUST_START_ON, START_NO_EARLIER_THAN = "2", "4"


def _working_days(first: dt.date, end: dt.date) -> int:
    """Weekdays in ``[first, end)``."""
    days = 0
    day = first
    while day < end:
        if day.weekday() < 5:
            days += 1
        day += dt.timedelta(days=1)
    return days


def _text(parent: Element, tag: str, value: object) -> Element:
    child = SubElement(parent, tag)
    child.text = str(value)
    return child


@dataclass(frozen=True)
class Summary:
    """A summary task (a goal, an objective, an initiative): what sits under it, in order,
    as nested summaries and activity ids. Its dates span the activities under it."""

    id: str  # written to the WBS field, like an activity's id
    name: str
    children: tuple[Summary | str, ...] = ()


@dataclass(frozen=True)
class _Row:
    """One task of the file, in outline order."""

    level: int
    number: str  # the outline number, e.g. 1.2.1
    activity: str | None = None
    summary: Summary | None = None
    members: tuple[str, ...] = ()  # a summary's activities, at any depth


def _members(node: Summary | str, known: set[str]) -> tuple[str, ...]:
    if isinstance(node, str):
        return (node,) if node in known else ()
    return tuple(member for child in node.children for member in _members(child, known))


def _outline_rows(problem: Problem, outline: Sequence[Summary | str]) -> list[_Row]:
    """The outline depth-first; a summary with no activity under it is left out, and
    activities the outline does not place follow at the top level."""
    known = set(problem.by_id)
    placed: set[str] = set()
    rows: list[_Row] = []

    def walk(nodes: Sequence[Summary | str], level: int, prefix: str) -> None:
        position = 0
        for node in nodes:
            if isinstance(node, str):
                if node not in known or node in placed:
                    continue
                placed.add(node)
                position += 1
                rows.append(_Row(level, f"{prefix}{position}", activity=node))
                continue
            members = _members(node, known)
            if not members:
                continue
            position += 1
            number = f"{prefix}{position}"
            rows.append(_Row(level, number, summary=node, members=members))
            walk(node.children, level + 1, f"{number}.")

    walk(outline, 1, "")
    top = sum(1 for row in rows if row.level == 1)
    for activity in problem.activities:
        if activity.id not in placed:
            top += 1
            rows.append(_Row(1, str(top), activity=activity.id))
    return rows


def export_mspdi(schedule: Schedule, *, title: str | None = None, outline: Sequence[Summary | str] = ()) -> bytes:
    """The schedule as an MSPDI document (UTF-8 bytes).

    Parameters:
        outline: summary tasks over the activities (their ids), in the order to write them;
            without it every activity is a top-level task.
    """
    problem = schedule.problem
    start = problem.start or DEFAULT_START
    unit = problem.granularity

    def day(units: int) -> dt.date:
        return unit.date_at(start, units)

    project = Element("Project", xmlns=NS)
    _text(project, "Name", title or problem.name or "Waypoint roadmap")
    _text(project, "ScheduleFromStart", 1)
    _text(project, "StartDate", f"{start.isoformat()}T08:00:00")
    _text(project, "FinishDate", f"{(day(schedule.makespan) - dt.timedelta(days=1)).isoformat()}T17:00:00")
    _text(project, "CalendarUID", 1)
    _text(project, "MinutesPerDay", MINUTES_PER_DAY)
    _text(project, "MinutesPerWeek", MINUTES_PER_DAY * 5)
    _text(project, "DaysPerMonth", 20)
    calendars = SubElement(project, "Calendars")
    calendar = SubElement(calendars, "Calendar")
    _text(calendar, "UID", 1)
    _text(calendar, "Name", "Standard")
    _text(calendar, "IsBaseCalendar", 1)
    week = SubElement(calendar, "WeekDays")
    for day_type in range(1, 8):
        weekday = SubElement(week, "WeekDay")
        _text(weekday, "DayType", day_type)
        working = day_type not in (1, 7)  # 1 = Sunday, 7 = Saturday
        _text(weekday, "DayWorking", int(working))
        if working:
            times = SubElement(weekday, "WorkingTimes")
            for begin, end in (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")):
                slot = SubElement(times, "WorkingTime")
                _text(slot, "FromTime", begin)
                _text(slot, "ToTime", end)
    rows = _outline_rows(problem, outline)
    uid = {row.activity: index for index, row in enumerate(rows, start=1) if row.activity is not None}
    predecessors = problem.predecessors()
    tasks = SubElement(project, "Tasks")
    for index, row in enumerate(rows, start=1):
        task = SubElement(tasks, "Task")
        _text(task, "UID", index)
        _text(task, "ID", index)
        if row.summary is not None:
            first = min(schedule.starts[member] for member in row.members)
            last = max(schedule.finish(member) for member in row.members)
            begins, ends = day(first), day(max(last, first + 1))
            _text(task, "Name", row.summary.name or row.summary.id)
            _text(task, "WBS", row.summary.id)
            _text(task, "OutlineNumber", row.number)
            _text(task, "OutlineLevel", row.level)
            _text(task, "Summary", 1)
            _text(task, "Manual", 0)
            _text(task, "Duration", f"PT{max(1, _working_days(begins, ends)) * 8}H0M0S")
            _text(task, "DurationFormat", 7)
            _text(task, "Start", f"{begins.isoformat()}T08:00:00")
            _text(task, "Finish", f"{(ends - dt.timedelta(days=1)).isoformat()}T17:00:00")
            continue
        assert row.activity is not None
        activity = problem.by_id[row.activity]
        begins = day(schedule.starts[activity.id])
        ends = day(schedule.finish(activity.id))
        _text(task, "Name", activity.name or activity.id)
        _text(task, "WBS", activity.id)
        _text(task, "OutlineNumber", row.number)
        _text(task, "OutlineLevel", row.level)
        _text(task, "Manual", 0)
        milestone = activity.duration == 0
        hours = 0 if milestone else max(1, _working_days(begins, ends)) * 8
        _text(task, "Duration", f"PT{hours}H0M0S")
        _text(task, "DurationFormat", 7)
        _text(task, "Start", f"{begins.isoformat()}T08:00:00")
        finish_day = begins if milestone else ends - dt.timedelta(days=1)
        _text(task, "Finish", f"{finish_day.isoformat()}T{'08' if milestone else '17'}:00:00")
        _text(task, "Milestone", int(milestone))
        _text(task, "Priority", min(1000, 500 + 100 * (activity.weight - 1)) if activity.weight else 0)
        if activity.pinned_start is not None:
            _text(task, "ConstraintType", MUST_START_ON)
        else:
            _text(task, "ConstraintType", START_NO_EARLIER_THAN)
        _text(task, "ConstraintDate", f"{begins.isoformat()}T08:00:00")
        if activity.deadline is not None:
            _text(task, "Deadline", f"{(day(activity.deadline) - dt.timedelta(days=1)).isoformat()}T17:00:00")
        for link in predecessors[activity.id]:
            element = SubElement(task, "PredecessorLink")
            _text(element, "PredecessorUID", uid[link.before])
            _text(element, "Type", LINK_TYPE[link.kind])
            _text(element, "LinkLag", link.lag * MINUTES_PER_UNIT[unit] * 10)  # tenths of a minute
            _text(element, "LagFormat", 7)
    resources = SubElement(project, "Resources")
    resource_uid = {resource.id: index for index, resource in enumerate(problem.resources, start=1)}
    for resource in problem.resources:
        element = SubElement(resources, "Resource")
        _text(element, "UID", resource_uid[resource.id])
        _text(element, "ID", resource_uid[resource.id])
        _text(element, "Name", resource.name or resource.id)
        _text(element, "Initials", resource.id)
        _text(element, "Type", 1)
        _text(element, "MaxUnits", f"{resource.capacity:.2f}")
    assignments = SubElement(project, "Assignments")
    number = 0
    for activity in problem.activities:
        for resource_id, need in activity.demands.items():
            number += 1
            element = SubElement(assignments, "Assignment")
            _text(element, "UID", number)
            _text(element, "TaskUID", uid[activity.id])
            _text(element, "ResourceUID", resource_uid[resource_id])
            _text(element, "Units", f"{need:.2f}")
    body: bytes = tostring(project, encoding="utf-8")
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body


def _find(element: Element, tag: str) -> str | None:
    found = element.find(f"{{{NS}}}{tag}")
    return found.text if found is not None and found.text is not None else None


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def import_mspdi(data: bytes, *, granularity: Granularity = Granularity.MONTH) -> tuple[Problem, dict[str, int]]:
    """Read an MSPDI document into a problem and the start of each activity (in time units).

    Summary tasks are skipped; a task's Waypoint id is its WBS code when the codes are unique,
    otherwise ``T<UID>``.

    Raises:
        ProblemError: the document is not MSPDI, or uses a start-to-finish link (which
            Waypoint does not model); messages name the tasks.
    """
    try:
        root = SafeTree.fromstring(data)
    except SafeTree.ParseError as error:
        raise ProblemError([f"not an XML file: {error}"]) from error
    except Exception as error:  # defusedxml refuses entities and DTDs outright
        raise ProblemError([f"the XML file was refused: {error}"]) from error
    if root.tag != f"{{{NS}}}Project":
        raise ProblemError(["not an MS Project XML file: the root element is not <Project>"])
    project_start = _date(_find(root, "StartDate"))
    raw_tasks = [
        task
        for task in root.iter(f"{{{NS}}}Task")
        if _find(task, "UID") not in (None, "0") and _find(task, "Summary") != "1" and _find(task, "Start")
    ]
    if not raw_tasks:
        raise ProblemError(["the file has no tasks"])
    starts_on = [_date(_find(t, "Start")) for t in raw_tasks]
    origin = project_start or min(d for d in starts_on if d is not None)
    wbs = [_find(t, "WBS") for t in raw_tasks]
    use_wbs = all(wbs) and len(set(wbs)) == len(wbs)
    ids: dict[str, str] = {}
    activities: list[Activity] = []
    starts: dict[str, int] = {}
    messages: list[str] = []
    per_unit = DAYS_PER_UNIT[granularity]
    for task, code in zip(raw_tasks, wbs, strict=True):
        uid = _find(task, "UID") or ""
        activity_id = code if use_wbs and code else f"T{uid}"
        ids[uid] = activity_id
        begins = _date(_find(task, "Start")) or origin
        finishes = _date(_find(task, "Finish")) or begins
        milestone = _find(task, "Milestone") == "1"
        next_day = finishes + dt.timedelta(days=1)
        duration = (
            0
            if milestone
            else max(1, granularity.units_between(begins, next_day) or round(((next_day - begins).days) / per_unit))
        )
        start = granularity.units_between(origin, begins)
        constraint = _find(task, "ConstraintType")
        pinned = start if constraint == MUST_START_ON else None
        deadline_day = _date(_find(task, "Deadline"))
        deadline = granularity.units_between(origin, deadline_day + dt.timedelta(days=1)) if deadline_day else None
        activities.append(
            Activity(
                id=activity_id,
                name=_find(task, "Name") or activity_id,
                duration=duration,
                pinned_start=pinned,
                deadline=deadline,
            )
        )
        starts[activity_id] = start
    links: list[Link] = []
    minutes = MINUTES_PER_UNIT[granularity]
    for task in raw_tasks:
        after = ids[_find(task, "UID") or ""]
        for element in task.findall(f"{{{NS}}}PredecessorLink"):
            before = ids.get(_find(element, "PredecessorUID") or "")
            if before is None:
                continue  # a link to a summary task
            kind = LINK_KIND.get(_find(element, "Type") or "1")
            if kind is None:
                messages.append(f"{before} → {after} is a start-to-finish link, which Waypoint does not model")
                continue
            lag = round(int(_find(element, "LinkLag") or 0) / 10 / minutes)
            links.append(Link(before, after, kind, lag))
    if messages:
        raise ProblemError(messages)
    resources, demands = _resources(root)
    task_ids = {uid: ids[uid] for uid in ids}
    by_task: dict[str, dict[str, int]] = {}
    for task_uid, resource_id, need in demands:
        if task_uid in task_ids:
            by_task.setdefault(task_ids[task_uid], {})[resource_id] = need
    activities = [
        Activity(a.id, a.duration, a.name, by_task.get(a.id, {}), {}, 0, a.deadline, a.pinned_start, 1)
        for a in activities
    ]
    problem = Problem(
        activities=tuple(activities),
        links=tuple(links),
        resources=resources,
        granularity=granularity,
        start=origin,
        name=_find(root, "Name") or "",
    )
    return problem, starts


def _resources(root: Element) -> tuple[tuple[Resource, ...], list[tuple[str, str, int]]]:
    resources: list[Resource] = []
    found: dict[str, str] = {}
    for element in root.iter(f"{{{NS}}}Resource"):
        uid = _find(element, "UID")
        if uid in (None, "0"):
            continue
        resource_id = _find(element, "Initials") or f"R{uid}"
        found[uid or ""] = resource_id
        capacity = max(1, round(float(_find(element, "MaxUnits") or 1)))
        resources.append(Resource(resource_id, capacity, _find(element, "Name") or resource_id))
    demands: list[tuple[str, str, int]] = []
    for element in root.iter(f"{{{NS}}}Assignment"):
        resource_uid = _find(element, "ResourceUID")
        if resource_uid in found:
            need = max(1, math.ceil(float(_find(element, "Units") or 1) - 1e-9))
            demands.append((_find(element, "TaskUID") or "", found[resource_uid or ""], need))
    return tuple(resources), demands
