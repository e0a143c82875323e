"""The roadmap's validation rules, whoever enters the data: the forms and the API (through the
services) and the plan file. Each returns located problems; none writes anything."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core.errors import Problem
from waypoint.engine.periods import months_from
from waypoint.plans.models import DATED_KINDS, Plan

__all__ = ["capacity_change_problems", "demand_too_large", "in_period", "schedule_problems"]


def in_period(plan: Plan, day: dt.date | None) -> bool:
    """No date, or one within the plan's years."""
    return day is None or plan.start_year <= day.year <= plan.end_year


def demand_too_large(where: str, team: str, people: int, most: int) -> Problem:
    """Work asks a team for more people than it ever has."""
    return Problem(
        where,
        ngettext(
            "%(team)s never has %(n)d person (at most %(max)d).",
            "%(team)s never has %(n)d people (at most %(max)d).",
            people,
        )
        % {"team": team, "n": people, "max": most},
    )


def capacity_change_problems(plan: Plan, months: list[dt.date], where: str = "changes") -> list[Problem]:
    """A team's capacity changes: in the plan period, at most one per month (first days)."""
    problems = [
        Problem(where, _("%(month)s is outside the plan period.") % {"month": f"{day:%Y-%m}"})
        for day in months
        if not in_period(plan, day)
    ]
    if len(set(months)) != len(months):
        problems.append(Problem(where, _("Give each month at most one capacity change.")))
    return problems


def schedule_problems(plan: Plan, kind: str, values: Mapping[str, Any]) -> list[Problem]:
    """What is wrong with an element's schedule data (``ScheduleItem`` field names), whoever
    enters it: the form, the API or a plan file."""
    problems: list[Problem] = []
    if kind not in DATED_KINDS:
        problems.append(Problem("element", _("Only initiatives and activities are scheduled.")))
    duration = values.get("duration_months")
    if not isinstance(duration, int) or not 1 <= duration <= 120:
        problems.append(Problem("duration_months", _("The duration must be between 1 and 120 months.")))
    for field in ("release_on", "deadline_on", "actual_start", "actual_finish"):
        if not in_period(plan, values.get(field)):
            problems.append(
                Problem(
                    field,
                    _("The date must fall within the plan period %(p)s.") % {"p": f"{plan.start_year}–{plan.end_year}"},
                )
            )
    release, deadline = values.get("release_on"), values.get("deadline_on")
    if release and deadline and deadline < release:
        problems.append(Problem("deadline_on", _("The deadline comes before the date it may start.")))
    elif release and deadline and isinstance(duration, int):
        months = months_from(release, deadline) + 1
        if months < duration:
            problems.append(
                Problem(
                    "deadline_on",
                    ngettext(
                        "Between %(r)s and %(d)s there is only %(n)d month for %(m)d months of work.",
                        "Between %(r)s and %(d)s there are only %(n)d months for %(m)d months of work.",
                        months,
                    )
                    % {"r": f"{release:%Y-%m}", "d": f"{deadline:%Y-%m}", "n": months, "m": duration},
                )
            )
    start, finish = values.get("actual_start"), values.get("actual_finish")
    if finish and not start:
        problems.append(Problem("actual_start", _("Record the actual start before the actual finish.")))
    if start and finish and finish < start:
        problems.append(Problem("actual_finish", _("The actual finish cannot come before the actual start.")))
    today = timezone.localdate()
    for field in ("actual_start", "actual_finish"):
        day = values.get(field)
        if day and day > today:
            problems.append(Problem(field, _("An actual date cannot be in the future.")))
    weight = values.get("weight")
    if not isinstance(weight, int) or not 1 <= weight <= 5:
        problems.append(Problem("weight", _("The priority goes from 1 (low) to 5 (high).")))
    return problems
