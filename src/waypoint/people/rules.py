"""Validation rules of the people side, as functions over plain values: the services call them
before they write, and the imports call them for every row, so a rule reads the same wherever
it is broken. Each returns problems located by the field's name."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.utils.translation import gettext as _

from waypoint.core.errors import Problem
from waypoint.engine.training.framework import CompetencyFramework

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")


def code_problems(code: str, field: str = "code") -> list[Problem]:
    if not CODE.match(code):
        return [Problem(field, _("Use 1–32 letters, digits, dots, dashes or underscores."))]
    return []


def required_problems(value: str, field: str, message: str) -> list[Problem]:
    return [] if value.strip() else [Problem(field, message)]


def requirement_problems(framework: CompetencyFramework, levels: Mapping[str, int], field: str) -> list[Problem]:
    """Competency → level pairs (a role's requirements, a course's outcomes) against the framework."""
    problems = []
    for code, level in levels.items():
        competency = framework.competency(code)
        if competency is None:
            problems.append(Problem(field, _("The framework has no competency %(code)s.") % {"code": code}))
        elif not competency.scale.has(level):
            problems.append(
                Problem(
                    field,
                    _("%(code)s has no level %(level)s (its scale runs from %(low)d to %(high)d).")
                    % {"code": code, "level": level, "low": competency.scale.lowest, "high": competency.scale.highest},
                )
            )
    return problems


def level_problems(framework: CompetencyFramework, competency: str, level: int, field: str = "level") -> list[Problem]:
    return requirement_problems(framework, {competency: level}, field)


def education_problems(
    framework: CompetencyFramework, level: str, fields: Iterable[str], *, level_field: str, fields_field: str
) -> list[Problem]:
    problems = []
    if level and framework.education_rank(level) is None:
        known = ", ".join(e.code for e in framework.education_levels) or _("none")
        problems.append(
            Problem(
                level_field,
                _("The framework has no education level %(code)s (it has %(known)s).")
                % {"code": level, "known": known},
            )
        )
    for code in fields:
        if code and not framework.has_field(code):
            known = ", ".join(e.code for e in framework.education_fields) or _("none")
            problems.append(
                Problem(
                    fields_field,
                    _("The framework has no field of study %(code)s (it has %(known)s).")
                    % {"code": code, "known": known},
                )
            )
    return problems


def course_problems(*, duration_hours: int, cost: Decimal, seats: int) -> list[Problem]:
    problems = []
    if duration_hours <= 0:
        problems.append(Problem("duration_hours", _("A course lasts at least one hour.")))
    if cost < 0:
        problems.append(Problem("cost", _("A cost cannot be negative.")))
    if seats <= 0:
        problems.append(Problem("seats", _("A session has at least one seat.")))
    return problems


def session_problems(*, starts_on: dt.date, ends_on: dt.date, seats: int) -> list[Problem]:
    problems = []
    if ends_on < starts_on:
        problems.append(Problem("ends_on", _("A session ends on or after the day it starts.")))
    if seats <= 0:
        problems.append(Problem("seats", _("A session has at least one seat.")))
    return problems


def in_plan_years(year: int, start_year: int, end_year: int, field: str = "year") -> list[Problem]:
    if start_year <= year <= end_year:
        return []
    return [Problem(field, _("Choose a year of the plan (%(a)d–%(b)d).") % {"a": start_year, "b": end_year})]
