"""What the apps built on plans add to it, without plans importing them.

``plans`` shows each element's health, counts what a deletion takes with it, refuses a
shorter period that would strand content, and links quality findings to the records they
are about. The facts come from apps above it (``indicators`` today; monitoring and people
later). Each app registers a ``PlanExtension`` in its ``AppConfig.ready()`` (the same
inversion as the plan file's sections), so the import graph stays one-way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from waypoint.core.errors import Problem
from waypoint.engine.indicators import Status
from waypoint.engine.quality import PlanUnderCheck, Subject
from waypoint.plans.models import Plan, PlanElement


class Measure(Protocol):
    """One measured verdict on an element, as the plan's pages read it (an indicator's state)."""

    @property
    def element_id(self) -> int: ...

    @property
    def status(self) -> Status: ...

    @property
    def is_key(self) -> bool: ...

    @property
    def number(self) -> int: ...


@dataclass(frozen=True)
class Overdue:
    """Something overdue that concerns an element or the plan (a follow-up action), for the
    pages to highlight."""

    code: str
    title: str
    url: str
    due: dt.date


@dataclass(frozen=True)
class PlanExtension:
    """What one app adds to plans. Every part is optional."""

    key: str
    #: the measures on the plan's elements, by id: on all of them, or on those given
    measures: Callable[[Plan, Sequence[PlanElement] | None], Mapping[int, Measure]] | None = None
    #: what a new period (first year, last year) would leave outside it
    period_problems: Callable[[Plan, int, int], list[Problem]] | None = None
    #: how many of the app's records go with these elements when they are deleted, by name
    removed_with: Callable[[Sequence[PlanElement]], Mapping[str, int]] | None = None
    #: primary keys of the quality findings' subjects the app owns, by subject and code
    subject_ids: Callable[[Plan], Mapping[Subject, Mapping[str, int]]] | None = None
    #: what the app knows about the plan that its quality checks read beyond the plan file
    #: (the roadmap the plan shows)
    under_check: Callable[[Plan, PlanUnderCheck], PlanUnderCheck] | None = None
    #: what is overdue on the plan (``None``) or on one element, as of a day
    overdue: Callable[[Plan, PlanElement | None, dt.date], Sequence[Overdue]] | None = None


_EXTENSIONS: dict[str, PlanExtension] = {}


def register_extension(extension: PlanExtension) -> None:
    """Called from an app's ``ready()``."""
    _EXTENSIONS[extension.key] = extension


def measures_of(plan: Plan, elements: Sequence[PlanElement] | None = None) -> dict[int, Measure]:
    """The measures on ``plan`` (or on ``elements``) from every app that measures elements."""
    found: dict[int, Measure] = {}
    for extension in _EXTENSIONS.values():
        if extension.measures is not None:
            found.update(extension.measures(plan, elements))
    return found


def period_problems(plan: Plan, start_year: int, end_year: int) -> list[Problem]:
    return [
        problem
        for extension in _EXTENSIONS.values()
        if extension.period_problems is not None
        for problem in extension.period_problems(plan, start_year, end_year)
    ]


def removed_with(elements: Sequence[PlanElement]) -> dict[str, int]:
    removed: dict[str, int] = {}
    for extension in _EXTENSIONS.values():
        if extension.removed_with is not None:
            removed.update(extension.removed_with(elements))
    return removed


def subject_ids(plan: Plan) -> dict[Subject, Mapping[str, int]]:
    ids: dict[Subject, Mapping[str, int]] = {}
    for extension in _EXTENSIONS.values():
        if extension.subject_ids is not None:
            ids.update(extension.subject_ids(plan))
    return ids


def under_check(plan: Plan, checked: PlanUnderCheck) -> PlanUnderCheck:
    """The plan under check with what every app adds to it."""
    for extension in _EXTENSIONS.values():
        if extension.under_check is not None:
            checked = extension.under_check(plan, checked)
    return checked


def overdue_of(plan: Plan, element: PlanElement | None, today: dt.date) -> list[Overdue]:
    """What every app finds overdue on ``plan`` (or on ``element``) on ``today``, earliest first."""
    found = [
        item
        for extension in _EXTENSIONS.values()
        if extension.overdue is not None
        for item in extension.overdue(plan, element, today)
    ]
    return sorted(found, key=lambda item: (item.due, item.code))
