"""What the apps built on plans add to it, without plans importing them.

``plans`` shows each element's health, counts what a deletion takes with it, refuses a
shorter period that would strand content, and links quality findings to the records they
are about; an element's page says where the element came from (the units that proposed it,
``rounds``), and a SWOT item, a function or an element where it came from a workshop
(``workshops``). Apps built beside each other read what another one keeps through the same
hooks: the yearly budget caps (``roadmap``) and an administration's diagnostic
recommendations (``diagnostics``), which a planning round shows. The facts come from apps
above plans (``indicators``, ``roadmap``, ``diagnostics``, ``rounds``; monitoring and people
later). Each app registers a ``PlanExtension`` in its ``AppConfig.ready()`` (the same
inversion as the plan file's sections), so the import graph stays one-way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from waypoint.core.errors import Problem
from waypoint.engine.indicators import Status
from waypoint.engine.quality import PlanUnderCheck, Subject
from waypoint.org.models import OrgUnit
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

    @property
    def is_partial(self) -> bool:
        """Whether its newest value is a roll-up of too few units to count."""
        ...

    def forecast_to(self, final_year: int) -> Any:
        """The projection of its actuals to ``final_year``'s target (``None`` when it cannot be
        made): ``.year``, ``.target`` and ``.forecast`` (projected, low, high, verdict)."""
        ...


@dataclass(frozen=True)
class ElementNote:
    """A line an app adds to an element's page, e.g. who proposed the element."""

    label: str
    text: str
    url: str = ""


@dataclass(frozen=True)
class RecommendationChoice:
    """A diagnostic recommendation as another app cites it."""

    id: int
    reference: str
    text: str


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
    #: the measures on the plan's elements, by id: on all of them, or on those given; the
    #: plan's change stamp when the caller has just read it (``core.audit.changes_counted``)
    measures: Callable[[Plan, Sequence[PlanElement] | None, str | None], Mapping[int, Measure]] | None = None
    #: what a new period (first year, last year) would leave outside it
    period_problems: Callable[[Plan, int, int], list[Problem]] | None = None
    #: how many of the app's records go with these elements when they are deleted, by name
    removed_with: Callable[[Sequence[PlanElement]], Mapping[str, int]] | None = None
    #: primary keys of the quality findings' subjects the app owns, by subject and code
    subject_ids: Callable[[Plan], Mapping[Subject, Mapping[str, int]]] | None = None
    #: the codes of those subjects a user may change, among the codes given (the quality page
    #: links only to them, and asks only about those it shows)
    editable_subjects: Callable[[Plan, Any, Collection[str]], Mapping[Subject, set[str]]] | None = None
    #: what the app knows about the plan that its quality checks read beyond the plan file
    #: (the roadmap the plan shows)
    under_check: Callable[[Plan, PlanUnderCheck], PlanUnderCheck] | None = None
    #: what is overdue on the plan (``None``) or on one element, as of a day
    overdue: Callable[[Plan, PlanElement | None, dt.date], Sequence[Overdue]] | None = None
    #: HTML the app adds to an element's page for this reader (the people app: the part of
    #: the training plan an initiative carries), each a card rendered by the app's template
    element_panels: Callable[[Any, PlanElement], Sequence[str]] | None = None
    #: the same for a page of the plan, by page ("functions": the activity profile)
    plan_panels: Callable[[Any, Plan, str], Sequence[str]] | None = None

    #: lines for an element's page (where it came from)
    element_notes: Callable[[PlanElement], Sequence[ElementNote]] | None = None
    #: the same for the plan's SWOT/PESTLE items (``"analysis_item"``), functions
    #: (``"function"``) and the proposals of its planning rounds (``"proposal"``, which
    #: ``rounds`` asks for), by the record's id (``workshops``: the exercise a record came from)
    origins: Callable[[Plan, str], Mapping[int, Sequence[ElementNote]]] | None = None
    #: the most that may be spent, by (year, funding source id)
    budget_caps: Callable[[Plan], Mapping[tuple[int, int], Decimal]] | None = None
    #: the recommendations of an administration's diagnostics, newest assessment first
    recommendations: Callable[[OrgUnit], Sequence[RecommendationChoice]] | None = None


_EXTENSIONS: dict[str, PlanExtension] = {}


def register_extension(extension: PlanExtension) -> None:
    """Called from an app's ``ready()``."""
    _EXTENSIONS[extension.key] = extension


def measures_of(
    plan: Plan, elements: Sequence[PlanElement] | None = None, *, stamp: str | None = None
) -> dict[int, Measure]:
    """The measures on ``plan`` (or on ``elements``) from every app that measures elements;
    ``stamp``: the plan's change stamp, when the caller has just read it (what an app keeps
    per change of the plan is then looked up under it, without reading it again)."""
    found: dict[int, Measure] = {}
    for extension in _EXTENSIONS.values():
        if extension.measures is not None:
            found.update(extension.measures(plan, elements, stamp))
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


def editable_subjects(plan: Plan, user: Any, codes: Collection[str]) -> dict[Subject, set[str]]:
    """The subjects among ``codes`` that ``user`` may change, by kind."""
    found: dict[Subject, set[str]] = {}
    for extension in _EXTENSIONS.values():
        if extension.editable_subjects is not None:
            for subject, editable in extension.editable_subjects(plan, user, codes).items():
                found.setdefault(subject, set()).update(editable)
    return found


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


def element_panels(user: Any, element: PlanElement) -> list[str]:
    """The cards the apps add to ``element``'s page for ``user`` (already escaped HTML)."""
    return [
        panel
        for extension in _EXTENSIONS.values()
        if extension.element_panels is not None
        for panel in extension.element_panels(user, element)
    ]


def plan_panels(user: Any, plan: Plan, page: str) -> list[str]:
    """The cards the apps add to one of ``plan``'s pages for ``user`` (already escaped HTML)."""
    return [
        panel
        for extension in _EXTENSIONS.values()
        if extension.plan_panels is not None
        for panel in extension.plan_panels(user, plan, page)
    ]


def element_notes(element: PlanElement) -> list[ElementNote]:
    return [
        note
        for extension in _EXTENSIONS.values()
        if extension.element_notes is not None
        for note in extension.element_notes(element)
    ]


def origins_of(plan: Plan, kind: str) -> dict[int, list[ElementNote]]:
    """Where the plan's records of one kind (``"analysis_item"``, ``"function"``,
    ``"proposal"``) came from, by id: the lines every app adds."""
    found: dict[int, list[ElementNote]] = {}
    for extension in _EXTENSIONS.values():
        if extension.origins is not None:
            for record_id, notes in extension.origins(plan, kind).items():
                found.setdefault(record_id, []).extend(notes)
    return found


def budget_caps(plan: Plan) -> dict[tuple[int, int], Decimal]:
    """The plan's yearly caps by (year, funding source id), from the app that keeps them."""
    caps: dict[tuple[int, int], Decimal] = {}
    for extension in _EXTENSIONS.values():
        if extension.budget_caps is not None:
            caps.update(extension.budget_caps(plan))
    return caps


def recommendations(administration: OrgUnit) -> list[RecommendationChoice]:
    return [
        choice
        for extension in _EXTENSIONS.values()
        if extension.recommendations is not None
        for choice in extension.recommendations(administration)
    ]


def shared_origins(
    ids: Sequence[int], origins: Mapping[int, Sequence[ElementNote]]
) -> tuple[list[ElementNote], dict[int, list[ElementNote]]]:
    """The origin lines every one of a group's records has (a group of two or more), to be said
    once for the group, and the lines each record has besides: a SWOT quadrant whose items all
    came from one workshop exercise names it once, not under every item."""
    if len(ids) < 2:
        return [], {i: list(origins.get(i, ())) for i in ids}
    shared = [n for n in origins.get(ids[0], ()) if all(n in origins.get(i, ()) for i in ids[1:])]
    return shared, {i: [n for n in origins.get(i, ()) if n not in shared] for i in ids}
