"""Reads about indicators: statuses for a whole plan in a fixed number of queries."""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from waypoint.core.audit import changes_counted
from waypoint.core.errors import NotFound
from waypoint.engine import indicators as engine
from waypoint.engine.monitoring import Forecast, forecast
from waypoint.engine.periods import Period
from waypoint.indicators.adapters import indicator_spec, spec_of
from waypoint.indicators.models import Actual, Indicator, Target, TargetRevision
from waypoint.org.models import OrgUnit
from waypoint.org.selectors import in_tree_order
from waypoint.plans import permissions as plan_permissions
from waypoint.plans.models import Plan, PlanElement


class TargetRow(NamedTuple):
    """A target as the pages that show only verdicts read it (no model object per target)."""

    period: str
    value: Decimal
    upper_value: Decimal | None


@dataclass
class IndicatorState:
    """An indicator with its targets, actuals and the engine's verdicts."""

    indicator: Indicator
    #: ``TargetRow``s when read with ``with_actuals=False``
    targets: Sequence[Target | TargetRow]
    actuals: list[Actual]
    spec: engine.IndicatorSpec
    latest: engine.Evaluation | None
    by_year: list[engine.Evaluation] = field(default_factory=list)
    #: a newer period than ``latest`` whose value is a roll-up of too few units to count
    partial: engine.Evaluation | None = None
    #: the units expected to report, when known without the actuals (the plan's kept verdicts)
    reporting: int | None = None

    def forecast_to(self, final_year: int) -> ForecastView | None:
        """``indicator_forecast`` (for the plan pages, which reach states through
        ``plans.extensions.Measure``)."""
        return indicator_forecast(self, final_year)

    @property
    def status(self) -> engine.Status:
        return self.latest.status if self.latest is not None else engine.Status.NO_DATA

    @property
    def coverage(self) -> engine.Coverage | None:
        """How many units the latest value was rolled up from (``None``: the administration's
        own figure)."""
        return self.latest.coverage if self.latest is not None else None

    # what plans' pages read of a measure (plans.extensions.Measure)
    @property
    def element_id(self) -> int:
        return self.indicator.element_id

    @property
    def is_key(self) -> bool:
        return self.indicator.is_key

    @property
    def number(self) -> int:
        return self.indicator.number

    @property
    def reporting_units(self) -> int:
        """How many units are expected to report: those that reported in any period."""
        return self.reporting if self.reporting is not None else len(engine.expected_units(self.spec))

    @property
    def is_partial(self) -> bool:
        """Its newest value is a roll-up of too few units: the status comes from an earlier
        period, or there is none."""
        return self.partial is not None or (self.coverage is not None and not self.coverage.complete)

    def target_for(self, period: str) -> Target | TargetRow | None:
        return next((t for t in self.targets if t.period == period), None)


def indicator_states(
    plan: Plan, indicators: Iterable[Indicator] | None = None, *, with_actuals: bool = True
) -> dict[int, IndicatorState]:
    """Evaluate every indicator of ``plan`` (or those given) for each plan year and now.

    Three queries whatever the number of indicators: indicators, targets, actuals. Pages that
    show only the verdicts (``with_actuals=False``: the overview, the tree, the logframe, the
    indicator list) read the plan's kept states instead (``plan_states``: worked out once per
    change of the plan); their states carry no actuals, their targets as ``TargetRow``s and a
    spec without targets or observations. Given as a query, only the ids of the indicators
    are read then.
    """
    if not with_actuals:
        return _kept_states(plan, indicators)
    if indicators is None:
        indicators = list(
            Indicator.objects.filter(plan=plan).select_related("element", "owner_unit", "tier").order_by("number")
        )
    else:
        indicators = list(indicators)
    ids = [i.pk for i in indicators]
    states: dict[int, IndicatorState] = {}
    targets: dict[int, list[Target]] = defaultdict(list)
    for target in Target.objects.filter(indicator_id__in=ids).order_by("period"):
        targets[target.indicator_id].append(target)
    actuals: dict[int, list[Actual]] = defaultdict(list)
    for actual in Actual.objects.filter(indicator_id__in=ids).select_related("unit").order_by("period", "unit__code"):
        actuals[actual.indicator_id].append(actual)
    for indicator in indicators:
        spec = indicator_spec(indicator, targets[indicator.pk], actuals[indicator.pk])
        verdict = _verdict(spec, plan.years)
        states[indicator.pk] = IndicatorState(
            indicator=indicator,
            targets=targets[indicator.pk],
            actuals=actuals[indicator.pk],
            spec=spec,
            latest=verdict.latest,
            by_year=list(verdict.by_year),
            partial=verdict.partial,
        )
    return states


def _kept_states(plan: Plan, indicators: Iterable[Indicator] | None) -> dict[int, IndicatorState]:
    kept = plan_states(plan)
    if indicators is None:
        return dict(kept)
    if isinstance(indicators, QuerySet):
        ids = list(indicators.values_list("pk", flat=True))
    else:
        ids = [indicator.pk for indicator in indicators]
    missing = [pk for pk in ids if pk not in kept]
    if missing:  # added since the kept states were read (the stamp moved meanwhile): read them now
        kept = kept | _read_states(
            plan, list(Indicator.objects.filter(pk__in=missing).select_related("element", "owner_unit", "tier"))
        )
    return {pk: kept[pk] for pk in ids if pk in kept}


@dataclass(frozen=True)
class Verdict:
    """What the engine says of one indicator: now, each plan year, a newer partial period."""

    latest: engine.Evaluation | None
    by_year: tuple[engine.Evaluation, ...]
    partial: engine.Evaluation | None
    reporting: int


def _verdict(spec: engine.IndicatorSpec, years: Iterable[int]) -> Verdict:
    latest = engine.evaluate_latest(spec)
    partial = engine.latest_partial(spec)
    return Verdict(
        latest=latest,
        by_year=tuple(engine.evaluate(spec, Period.year_of(year)) for year in years),
        partial=partial if partial is not None and partial != latest else None,
        reporting=len(engine.expected_units(spec)),
    )


#: the states of recently read plans (verdicts, targets as rows), by plan and change stamp (in
#: this process); shared by the requests that read them, so never changed once kept
_KEPT: OrderedDict[tuple[int, str, int, int], dict[int, IndicatorState]] = OrderedDict()
_KEPT_PLANS = 8
_KEPT_LOCK = threading.Lock()


def plan_states(plan: Plan, stamp: str | None = None) -> dict[int, IndicatorState]:
    """Every indicator's state without its actuals, worked out once per change of the plan in
    each process (by number; the caller must not change what it is given).

    A plan's verdicts read all of its actual values (ten years by office on a big plan: tens
    of thousands), and its indicators and targets are thousands of rows, so the pages that
    show them would grow with the plan. They are kept in this process under the plan's change
    stamp (``core.audit.changes_counted``: every audited write of the plan, its indicators,
    targets and actuals, or of its administration's units, moves it) for the most recently
    read plans, and worked out again when it has moved. ``stamp``: the plan's, when the caller
    has just read it (before anything it read of the plan)."""
    # the stamp is read before the rows: what is worked out is at least as new as it says; the
    # plan's years come from the caller's plan, read before the stamp, so they are part of the
    # key (a change of years committed in between would otherwise be kept under the new stamp)
    stamp = stamp if stamp is not None else changes_counted(plan.pk, plan.administration_id)
    key = (plan.pk, stamp, plan.start_year, plan.end_year)
    with _KEPT_LOCK:
        found = _KEPT.get(key)
        if found is not None:
            _KEPT.move_to_end(key)
            return found
    indicators = Indicator.objects.filter(plan=plan).select_related("element", "owner_unit", "tier")
    found = _read_states(plan, list(indicators.order_by("number")), whole_plan=True)
    with _KEPT_LOCK:
        _KEPT[key] = found
        while len(_KEPT) > _KEPT_PLANS:
            _KEPT.popitem(last=False)
    return found


def forget_verdicts() -> None:
    """Drop what this process kept (tests roll the database back under it)."""
    with _KEPT_LOCK:
        _KEPT.clear()


def _read_states(plan: Plan, indicators: list[Indicator], *, whole_plan: bool = False) -> dict[int, IndicatorState]:
    """The states of ``indicators`` (all the plan's with ``whole_plan``) from their stored rows,
    read as plain values (no model per target or actual value)."""
    ids = [indicator.pk for indicator in indicators]
    of_them = Q(indicator__plan=plan) if whole_plan else Q(indicator_id__in=ids)
    targets: dict[int, list[TargetRow]] = defaultdict(list)
    for indicator_id, period, value, upper in (
        Target.objects.filter(of_them).order_by("period").values_list("indicator_id", "period", "value", "upper_value")
    ):
        targets[indicator_id].append(TargetRow(period, value, upper))
    observed: dict[int, list[tuple[str, Any, str | None]]] = defaultdict(list)
    for indicator_id, period, value, unit in (
        Actual.objects.filter(of_them)
        .order_by("period", "unit__code")
        .values_list("indicator_id", "period", "value", "unit__code")
    ):
        observed[indicator_id].append((period, value, unit))
    states: dict[int, IndicatorState] = {}
    for indicator in indicators:
        verdict = _verdict(spec_of(indicator, targets[indicator.pk], observed[indicator.pk]), plan.years)
        states[indicator.pk] = IndicatorState(
            indicator=indicator,
            targets=targets[indicator.pk],
            actuals=[],
            spec=indicator_spec(indicator, [], []),
            latest=verdict.latest,
            by_year=list(verdict.by_year),
            partial=verdict.partial,
            reporting=verdict.reporting,
        )
    return states


def indicators_for_plan(
    plan: Plan,
    *,
    search: str = "",
    element: PlanElement | None = None,
    unit_path: str | None = None,
    key_only: bool = False,
) -> QuerySet[Indicator]:
    queryset = Indicator.objects.filter(plan=plan).select_related("element", "owner_unit", "tier")
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search) | Q(code__icontains=search) | Q(definition__icontains=search)
        )
    if element is not None:
        queryset = queryset.filter(element=element)
    if unit_path:
        queryset = queryset.filter(owner_unit__path__startswith=unit_path)
    if key_only:
        queryset = queryset.filter(is_key=True)
    return queryset.order_by("number")


#: the indicator list's orders ("-" first for descending)
SORTS: dict[str, Callable[[IndicatorState], Any]] = {
    "code": lambda s: s.indicator.number,
    "name": lambda s: s.indicator.name.lower(),
    "status": lambda s: s.status.score if s.status.score is not None else 2,
}


@dataclass
class IndicatorListing:
    """The indicator list: the states shown, the owner unit filtered on (when it is one of the
    administration's), and the units that own indicators of the plan (for the filter)."""

    states: list[IndicatorState]
    unit: OrgUnit | None
    units: QuerySet[OrgUnit]


def indicator_listing(
    plan: Plan, *, search: str = "", unit_code: str = "", key_only: bool = False, status: str = "", sort: str = "code"
) -> IndicatorListing:
    """Indicators of ``plan`` found by text, owner unit (and its subtree), key flag and status,
    in ``SORTS`` order (an unknown sort or status is ignored)."""
    within = plan.administration.path
    unit = OrgUnit.objects.filter(code=unit_code, path__startswith=within).first() if unit_code else None
    queryset = indicators_for_plan(plan, search=search, unit_path=unit.path if unit else None, key_only=key_only)
    states = list(indicator_states(plan, queryset, with_actuals=False).values())
    if status in {s.value for s in engine.Status}:
        states = [s for s in states if s.status.value == status]
    states.sort(key=SORTS.get(sort.lstrip("-"), SORTS["code"]), reverse=sort.startswith("-"))
    units = OrgUnit.objects.filter(path__startswith=within, indicators_owned__plan=plan).distinct().order_by("name")
    return IndicatorListing(states=states, unit=unit, units=units)


def indicator_for(user: Any, indicator_id: int) -> Indicator:
    indicator = (
        Indicator.objects.select_related("plan__administration", "element__responsible_unit", "owner_unit", "tier")
        .filter(pk=indicator_id)
        .first()
    )
    if indicator is None or not plan_permissions.can_view_plan(user, indicator.plan):
        raise NotFound(_("No such indicator."))  # the same whether it exists elsewhere or not at all
    return indicator


def target_revisions(indicator: Indicator) -> QuerySet[TargetRevision]:
    return (
        TargetRevision.objects.filter(target__indicator=indicator)
        .select_related("target")
        .order_by("-changed_at", "-id")
    )


@dataclass
class UnitRow:
    unit: OrgUnit
    depth: int
    values: list[float | None]
    recorded: bool  # values entered for this unit itself (not only rolled up from below)


def unit_breakdown(state: IndicatorState) -> tuple[list[str], list[UnitRow]]:
    """Values per unit and period, rolled up the org tree (DHIS2-style) for units reported by unit.

    Returns the periods (columns) and one row per unit that has a value or sits above one,
    in tree order, below the administration itself.
    """
    indicator = state.indicator
    unit_actuals = [a for a in state.actuals if a.unit_id is not None and a.unit is not None]
    if not unit_actuals:
        return [], []
    admin_path = indicator.plan.administration.path
    tree = list(OrgUnit.objects.filter(path__startswith=admin_path))
    by_id = {unit.pk: unit for unit in tree}
    parent_of = {u.code: (by_id[u.parent_id].code if u.parent_id in by_id else None) for u in tree}
    periods = sorted({a.period for a in unit_actuals}, key=lambda code: Period.parse(code).sort_key())
    aggregation = engine.Aggregation(indicator.aggregation)
    rolled: dict[str, dict[str, float]] = {}
    for period in periods:
        values = {a.unit.code: float(a.value) for a in unit_actuals if a.period == period and a.unit is not None}
        rolled[period] = engine.rollup_tree(values, parent_of, aggregation)
    recorded = {a.unit.code for a in unit_actuals if a.unit is not None}
    shown = {code for per_period in rolled.values() for code in per_period}
    rows = [
        UnitRow(unit=u, depth=u.depth - 1, values=[rolled[p].get(u.code) for p in periods], recorded=u.code in recorded)
        for u in in_tree_order(tree)
        if u.code in shown and u.parent_id is not None
    ]
    return periods, rows


@dataclass(frozen=True)
class ForecastView:
    """The forecast to the plan's final target (``engine.monitoring.forecast``) as a page shows it."""

    year: int
    target: float
    forecast: Forecast


def indicator_forecast(state: IndicatorState, final_year: int, *, through: Period | None = None) -> ForecastView | None:
    """Project the yearly actuals to the final year's target; ``None`` for a range indicator,
    without a final target, or with fewer than three years of actuals.

    ``through``: the forecast as it stood at the end of that period (a progress report's), from
    the years that had ended by then; a later year's value was not known yet."""
    indicator = state.indicator
    if indicator.is_range:
        return None
    final = state.target_for(str(final_year))
    if final is None:
        return None
    points = [
        (float(e.period.year), e.actual)
        for e in state.by_year
        if e.actual is not None and (through is None or e.period.end <= through.end)
    ]
    result = forecast(
        points,
        at=float(final_year),
        target=float(final.value),
        increase_is_better=indicator.direction == "increase",
    )
    return None if result is None else ForecastView(year=final_year, target=float(final.value), forecast=result)


def units_reported(state: IndicatorState, periods: list[str]) -> list[engine.Coverage]:
    """For each of ``periods``: how many of the indicator's reporting units reported, and how
    many must for their roll-up to count (the row under the unit breakdown)."""
    expected = len(engine.expected_units(state.spec))
    rolled = engine.period_coverage(state.spec)
    found = []
    for code in periods:
        period = Period.parse(code)
        if period in rolled:
            found.append(rolled[period])
            continue
        # the administration's own figure counts whatever the units (none needed); still say
        # how many reported
        reported = {a.unit_id for a in state.actuals if a.unit_id is not None and a.period == code}
        found.append(engine.Coverage(len(reported), expected, 0))
    return found
