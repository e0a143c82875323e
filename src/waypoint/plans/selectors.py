"""Reads about plans: visibility, the plan tree with health and budget roll-ups, matrices."""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, overload

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from waypoint.core.audit import changes_counted
from waypoint.core.errors import NotFound
from waypoint.engine import indicators as engine
from waypoint.engine.plandiff import PlanDiff, compare_plans
from waypoint.org.access import within_administrations
from waypoint.plans import permissions
from waypoint.plans.extensions import Measure, measures_of, removed_with
from waypoint.plans.models import (
    CATEGORIES_BY_FRAMEWORK,
    AmendmentStatus,
    AnalysisItem,
    BudgetLine,
    ElementKind,
    Plan,
    PlanElement,
    PlanFunction,
    PlanStatus,
    PlanVersion,
    Risk,
    VersionEvent,
)
from waypoint.plans.planfile.export import plan_export
from waypoint.plans.services import element_descendants


def plans_for(user: Any) -> QuerySet[Plan]:
    """Plans of every administration the user holds a role in."""
    return Plan.objects.filter(within_administrations(user, "administration__path")).select_related("administration")


PLAN_SORTS = ("start_year", "title", "status")


def plan_sort(requested: str) -> str:
    """The plan list's order: a column of ``PLAN_SORTS``, "-" first for descending; anything
    else is the newest first."""
    return requested if requested.lstrip("-") in PLAN_SORTS else "-start_year"


def plan_list(user: Any, *, search: str = "", status: str = "", sort: str = "-start_year") -> QuerySet[Plan]:
    """The plans page: the user's plans with how many elements and indicators each holds,
    searched in title and summary, of one status (an unknown status is ignored), in
    ``plan_sort(sort)`` order."""
    plans = plans_for(user).annotate(element_count=_counted("elements"), indicator_count=_counted("indicators"))
    if search:
        plans = plans.filter(Q(title__icontains=search) | Q(summary__icontains=search))
    if status in PlanStatus.values:
        plans = plans.filter(status=status)
    return plans.order_by(plan_sort(sort), "title")


def _counted(relation: str) -> Coalesce:
    """How many records of the reverse ``relation`` a plan has, as a subquery per plan (two
    ``Count`` annotations over joins multiply the rows: elements × indicators on a big plan).
    The model is taken from the relation, so ``plans`` imports no app above it."""
    model = Plan._meta.get_field(relation).related_model
    assert isinstance(model, type)
    rows = model._default_manager.filter(plan=OuterRef("pk")).order_by().values("plan")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)


def current_plan_for(user: Any) -> Plan | None:
    """The plan a user most likely wants: approved and running, else the newest."""
    plans = list(plans_for(user))
    for status in (PlanStatus.APPROVED, PlanStatus.UNDER_REVIEW, PlanStatus.DRAFT):
        matching = [p for p in plans if p.status == status]
        if matching:
            return max(matching, key=lambda p: p.start_year)
    return plans[0] if plans else None


def plan_for(user: Any, plan_id: int) -> Plan:
    """A plan the user may read. Another administration's plan is "not found", like one that
    does not exist: the answer tells nothing about it."""
    plan = Plan.objects.select_related("administration", "previous").filter(pk=plan_id).first()
    if plan is None or not permissions.can_view_plan(user, plan):
        raise NotFound(_("No such plan."))
    return plan


def element_for(user: Any, element_id: int) -> PlanElement:
    element = (
        PlanElement.objects.select_related("plan__administration", "parent", "tier", "responsible_unit")
        .filter(pk=element_id)
        .first()
    )
    if element is None or not permissions.can_view_plan(user, element.plan):
        raise NotFound(_("No such plan element."))
    return element


def element_ancestors(element: PlanElement) -> list[PlanElement]:
    """From the goal down to the element's parent."""
    chain: list[PlanElement] = []
    node = element.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


@dataclass
class ElementPage:
    """What an element's page shows: its children, the measures on it, its health and budget
    (with everything below it), its own budget lines and risks, and for an objective the
    analysis statements and functions it answers."""

    children: list[PlanElement]
    states: list[Measure]
    health: dict[int, engine.Health]
    budget_total: dict[int, Decimal]
    budget_sum: Decimal
    lines: list[BudgetLine]
    risks: list[Risk]
    analysis_items: list[AnalysisItem]
    functions: list[PlanFunction]


def element_page(element: PlanElement) -> ElementPage:
    plan = element.plan
    subtree = [element, *element_descendants(element)]
    measures = measures_of(plan, subtree)
    budget = budget_rollup(plan, subtree)
    objective = element.kind == ElementKind.OBJECTIVE
    return ElementPage(
        children=list(element.children.select_related("responsible_unit", "tier").order_by("position", "number")),
        states=[s for s in measures.values() if s.element_id == element.pk],
        health=element_health(subtree, measures),
        budget_total=budget.total.get(element.pk, {}),
        budget_sum=budget.total_of(element.pk),
        lines=list(element.budget_lines.select_related("funding_source").order_by("year", "funding_source__name")),
        risks=list(element.risks.all()),
        analysis_items=list(element.analysis_items.all()) if objective else [],
        functions=list(element.functions.all()) if objective else [],
    )


@dataclass
class ElementDeletion:
    """What deleting an element takes with it: the elements below it (by kind), the units
    they answer to (whose rights the deletion needs), and how many indicators go too."""

    unit_paths: list[str]
    counts: dict[str, int]
    indicators: int


def element_deletion(element: PlanElement) -> ElementDeletion:
    descendants = element_descendants(element)
    counts: dict[str, int] = {}
    for item in descendants:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return ElementDeletion(
        unit_paths=[element.responsible_unit.path] + [d.responsible_unit.path for d in descendants],
        counts=counts,
        indicators=removed_with([element, *descendants]).get("indicator", 0),
    )


# --- budget ------------------------------------------------------------------------------------


@dataclass
class BudgetRollup:
    """Amounts per element and year: ``own`` lines and ``total`` including descendants."""

    own: dict[int, dict[int, Decimal]]
    total: dict[int, dict[int, Decimal]]

    def total_of(self, element_id: int) -> Decimal:
        return sum(self.total.get(element_id, {}).values(), Decimal(0))


def budget_rollup(plan: Plan, elements: Iterable[PlanElement]) -> BudgetRollup:
    own: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    rows = BudgetLine.objects.filter(element__plan=plan).values("element_id", "year").annotate(amount=Sum("amount"))
    for row in rows:
        own[row["element_id"]][row["year"]] += row["amount"]
    element_list = list(elements)
    children: dict[int | None, list[PlanElement]] = defaultdict(list)
    for element in element_list:
        children[element.parent_id].append(element)
    total: dict[int, dict[int, Decimal]] = {}

    def add(element: PlanElement) -> dict[int, Decimal]:
        sums: dict[int, Decimal] = defaultdict(Decimal)
        for year, amount in own.get(element.pk, {}).items():
            sums[year] += amount
        for child in children[element.pk]:
            for year, amount in add(child).items():
                sums[year] += amount
        total[element.pk] = dict(sums)
        return sums

    ids = {element.pk for element in element_list}
    for root in (e for e in element_list if e.parent_id not in ids):
        add(root)
    return BudgetRollup(own={k: dict(v) for k, v in own.items()}, total=total)


def budget_by_source(plan: Plan) -> list[dict[str, Any]]:
    """Plan-wide amounts per funding source and year."""
    rows = (
        BudgetLine.objects.filter(element__plan=plan)
        .values("funding_source__name", "funding_source__kind", "year")
        .annotate(amount=Sum("amount"))
        .order_by("funding_source__kind", "funding_source__name", "year")
    )
    return [dict(row) for row in rows]


@dataclass
class BudgetRow:
    """A goal (or, with ``child``, one of its objectives) and what it costs each year."""

    node: TreeNode
    years: list[Decimal]
    total: Decimal
    child: bool = False


@dataclass
class SourceRow:
    name: str
    kind: str
    values: list[Decimal]
    total: Decimal


@dataclass
class BudgetSummary:
    """The Budget page: money per goal (and objective) and year, and per funding source."""

    years: list[int]
    rows: list[BudgetRow]
    #: per year, over the goals (their objectives are part of them)
    totals: list[Decimal]
    grand_total: Decimal
    sources: list[SourceRow]


def budget_summary(plan: Plan) -> BudgetSummary:
    overview = plan_overview(plan)
    years = list(plan.years)

    def row(node: TreeNode, *, child: bool) -> BudgetRow:
        per_year = overview.budget.total.get(node.element.pk, {})
        values = [per_year.get(year, Decimal(0)) for year in years]
        return BudgetRow(node=node, years=values, total=sum(per_year.values(), Decimal(0)), child=child)

    rows: list[BudgetRow] = []
    for node in overview.roots:
        rows.append(row(node, child=False))
        rows.extend(row(child, child=True) for child in node.children)
    totals = [sum((r.years[i] for r in rows if not r.child), Decimal(0)) for i in range(len(years))]
    by_source: dict[str, tuple[str, dict[int, Decimal]]] = {}
    for line in budget_by_source(plan):
        _kind, amounts = by_source.setdefault(
            line["funding_source__name"], (line["funding_source__kind"], dict.fromkeys(years, Decimal(0)))
        )
        amounts[line["year"]] = line["amount"]
    sources = [
        SourceRow(
            name=name,
            kind=kind,
            values=[amounts[year] for year in years],
            total=sum(amounts.values(), Decimal(0)),
        )
        for name, (kind, amounts) in by_source.items()
    ]
    return BudgetSummary(years=years, rows=rows, totals=totals, grand_total=sum(totals, Decimal(0)), sources=sources)


# --- the plan tree -----------------------------------------------------------------------------


@dataclass
class TreeFilters:
    search: str = ""
    unit_path: str | None = None
    tier_id: int | None = None
    health: str | None = None
    status: str | None = None
    kind: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.search or self.unit_path or self.tier_id or self.health or self.status or self.kind)


@dataclass
class TreeNode:
    element: PlanElement
    health: engine.Health
    budget: Decimal
    indicator_count: int
    children: list[TreeNode] = field(default_factory=list)
    matched: bool = True

    @property
    def descendant_count(self) -> int:
        return sum(1 + child.descendant_count for child in self.children)


class GoalNodes(Sequence[TreeNode]):
    """The goals' trees, each built when first read: a page that shows ten goals of fifty (the
    tree, paged) builds only those ten."""

    def __init__(self, goals: list[PlanElement], build: Callable[[PlanElement], TreeNode]) -> None:
        self._goals = goals
        self._build = build
        self._built: dict[int, TreeNode] = {}

    def _node(self, index: int) -> TreeNode:
        node = self._built.get(index)
        if node is None:
            node = self._built[index] = self._build(self._goals[index])
        return node

    def __len__(self) -> int:
        return len(self._goals)

    @overload
    def __getitem__(self, index: int) -> TreeNode: ...
    @overload
    def __getitem__(self, index: slice) -> list[TreeNode]: ...
    def __getitem__(self, index: int | slice) -> TreeNode | list[TreeNode]:
        if isinstance(index, slice):
            return [self._node(i) for i in range(*index.indices(len(self._goals)))]
        return self._node(range(len(self._goals))[index])


@dataclass
class PlanOverview:
    plan: Plan
    elements: list[PlanElement]
    #: what measures the plan's elements (its indicators), by id
    states: dict[int, Measure]
    health: dict[int, engine.Health]
    budget: BudgetRollup
    roots: Sequence[TreeNode]
    #: with filters, how many elements match them (the tree also shows the elements above)
    matches: int | None = None
    #: each element's children in plan order (``None``: the goals), whatever the filters
    children: dict[int | None, list[PlanElement]] = field(default_factory=dict)

    def cannot_move(self) -> dict[int, str]:
        """Which way each element cannot move among its siblings: ``up`` for the first,
        ``down`` for the last, ``both`` for an only child."""
        ends: dict[int, str] = {}
        for kids in self.children.values():
            if kids:
                ends[kids[-1].pk] = "down"
                ends[kids[0].pk] = "both" if len(kids) == 1 else "up"
        return ends

    @property
    def goals(self) -> Sequence[TreeNode]:
        return self.roots

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(ElementKind.values, 0)
        for element in self.elements:
            found[element.kind] += 1
        found["indicator"] = len(self.states)
        return found

    def key_measures(self) -> list[Measure]:
        """The key indicators, the worst first (no data after off track), then by number."""
        return sorted(
            (s for s in self.states.values() if s.is_key),
            key=lambda s: (s.status.score if s.status.score is not None else 2, s.number),
        )

    def plan_health(self) -> engine.Health:
        states = self.states.values()
        return engine.health((state.status for state in states), partial=sum(s.is_partial for s in states))

    def total_budget(self) -> Decimal:
        return sum((self.budget.total_of(node.element.pk) for node in self.roots), Decimal(0))


def element_health(elements: Iterable[PlanElement], measures: dict[int, Measure]) -> dict[int, engine.Health]:
    """Health of every element from the measures on it and on everything below it."""
    element_list = list(elements)
    children: dict[int | None, list[PlanElement]] = defaultdict(list)
    for element in element_list:
        children[element.parent_id].append(element)
    found_on: dict[int, list[Measure]] = defaultdict(list)
    for measure in measures.values():
        found_on[measure.element_id].append(measure)
    result: dict[int, engine.Health] = {}

    def collect(element: PlanElement) -> list[Measure]:
        found = list(found_on[element.pk])
        for child in children[element.pk]:
            found.extend(collect(child))
        result[element.pk] = engine.health((m.status for m in found), partial=sum(m.is_partial for m in found))
        return found

    # roots: elements whose parent is not among those given (goals, or the top of a subtree)
    ids = {element.pk for element in element_list}
    for root in (e for e in element_list if e.parent_id not in ids):
        collect(root)
    return result


def plan_elements(plan: Plan) -> list[PlanElement]:
    return list(
        PlanElement.objects.filter(plan=plan).select_related("responsible_unit", "tier").order_by("position", "number")
    )


@dataclass(frozen=True)
class _Rollup:
    """What every plan page reads of the whole plan: its elements (with their unit and tier),
    what measures them (``measures_of``), each one's health and budget with everything below
    it, and its number of indicators."""

    elements: tuple[PlanElement, ...]
    #: each element's children in plan order (``None``: the goals)
    children: dict[int | None, list[PlanElement]]
    states: dict[int, Measure]
    health: dict[int, engine.Health]
    budget: BudgetRollup
    indicator_count: dict[int, int]


#: the roll-ups of recently read plans, by plan and change stamp (in this process); shared by
#: the requests that read them, so never changed once kept
_KEPT: OrderedDict[tuple[int, str, int, int], _Rollup] = OrderedDict()
_KEPT_PLANS = 8
_KEPT_LOCK = threading.Lock()


def _rollup(plan: Plan) -> _Rollup:
    """The plan's elements and roll-ups, worked out once per change of the plan in each process.

    A big plan has thousands of elements: reading them with their units and tiers and rolling
    health and budget up the tree on every view of the tree, the overview or the logframe
    would make those pages grow with the plan. They are kept under the plan's change stamp
    (``core.audit.changes_counted``: every audited write of the plan, its elements, budget
    lines, indicators and values, or of its administration's units, moves it), like the
    indicators' states (read after the stamp, so at least as new) and the quality findings."""
    # the stamp is read before the rows: what is worked out is at least as new as it says
    stamp = changes_counted(plan.pk, plan.administration_id)
    key = (plan.pk, stamp, plan.start_year, plan.end_year)  # the years: see plan_states
    with _KEPT_LOCK:
        found = _KEPT.get(key)
        if found is not None:
            _KEPT.move_to_end(key)
            return found
    elements = plan_elements(plan)
    states = measures_of(plan, stamp=stamp)
    indicator_count: dict[int, int] = defaultdict(int)
    for state in states.values():
        indicator_count[state.element_id] += 1
    children: dict[int | None, list[PlanElement]] = defaultdict(list)
    for element in elements:
        children[element.parent_id].append(element)
    found = _Rollup(
        elements=tuple(elements),
        children=dict(children),
        states=states,
        health=element_health(elements, states),
        budget=budget_rollup(plan, elements),
        indicator_count=dict(indicator_count),
    )
    with _KEPT_LOCK:
        _KEPT[key] = found
        while len(_KEPT) > _KEPT_PLANS:
            _KEPT.popitem(last=False)
    return found


def forget_rollups() -> None:
    """Drop what this process kept (tests roll the database back under it)."""
    with _KEPT_LOCK:
        _KEPT.clear()


def plan_overview(plan: Plan, filters: TreeFilters | None = None) -> PlanOverview:
    """The whole plan as a tree, each node with its health and rolled-up budget.

    With ``filters``, nodes that match are kept along with their ancestors (so the reader
    sees where a match sits); non-matching ancestors are marked ``matched=False``. The
    elements and roll-ups are kept per change of the plan (``_rollup``): the caller must not
    change the elements, health or budget it is given.
    """
    rollup = _rollup(plan)
    states = dict(rollup.states)
    elements = list(rollup.elements)
    health, budget, indicator_count, children = rollup.health, rollup.budget, rollup.indicator_count, rollup.children
    filters = filters or TreeFilters()

    def matches(element: PlanElement) -> bool:
        if filters.search:
            needle = filters.search.lower()
            text = f"{element.code} {element.title} {element.description} {element.lead}".lower()
            if needle not in text:
                return False
        if filters.unit_path and not element.responsible_unit.path.startswith(filters.unit_path):
            return False
        if filters.tier_id and element.tier_id != filters.tier_id:
            return False
        if filters.health and health[element.pk].status.value != filters.health:
            return False
        if filters.status and (element.kind not in ("initiative", "activity") or element.status != filters.status):
            return False
        return not (filters.kind and element.kind != filters.kind)

    hits = 0

    def build(element: PlanElement) -> TreeNode | None:
        nonlocal hits
        kids = [node for node in (build(child) for child in children.get(element.pk, ())) if node is not None]
        hit = matches(element) if filters.active else True
        hits += hit
        if not hit and not kids:
            return None
        return TreeNode(
            element=element,
            health=health[element.pk],
            budget=budget.total_of(element.pk),
            indicator_count=indicator_count.get(element.pk, 0),
            children=kids,
            matched=hit,
        )

    goals = children.get(None, [])
    roots: Sequence[TreeNode]
    if filters.active:  # which goals stay is known once their trees are built
        roots = [node for node in (build(goal) for goal in goals) if node is not None]
    else:  # every goal stays: each is built when a page reads it
        roots = GoalNodes(goals, lambda goal: build(goal) or _never())
    return PlanOverview(
        plan=plan,
        elements=elements,
        states=states,
        health=health,
        budget=budget,
        roots=roots,
        matches=hits if filters.active else None,
        children=children,
    )


def _never() -> TreeNode:
    raise AssertionError("without filters every element is kept")


# --- matrices ------------------------------------------------------------------------------------


def objectives_by_goal(plan: Plan) -> list[tuple[PlanElement, list[PlanElement]]]:
    elements = [e for e in plan_elements(plan) if e.kind in (ElementKind.GOAL, ElementKind.OBJECTIVE)]
    goals = [e for e in elements if e.kind == ElementKind.GOAL]
    return [(goal, [e for e in elements if e.parent_id == goal.pk]) for goal in goals]


def analysis_board(plan: Plan, framework: str) -> list[tuple[str, Any, list[AnalysisItem]]]:
    """Items of one framework grouped by category, in the framework's order."""
    from waypoint.plans.models import AnalysisCategory

    items = list(
        AnalysisItem.objects.filter(plan=plan, framework=framework)
        .prefetch_related("objectives")
        .order_by("position", "id")
    )
    return [
        (category, AnalysisCategory(category).label, [i for i in items if i.category == category])
        for category in CATEGORIES_BY_FRAMEWORK[framework]
    ]


@dataclass
class FunctionRow:
    function: PlanFunction
    #: one cell per objective, in the columns' order: (objective, ticked)
    cells: list[tuple[PlanElement, bool]]
    count: int


@dataclass
class FunctionsMatrix:
    """Functions (rows, by priority), objectives grouped by goal (columns), the ticked cells."""

    functions: list[PlanFunction]
    goals: list[tuple[PlanElement, list[PlanElement]]]
    rows: list[FunctionRow]


def functions_matrix(plan: Plan) -> FunctionsMatrix:
    from waypoint.plans.models import PRIORITY_ORDER

    functions = sorted(plan.functions.all(), key=lambda f: (PRIORITY_ORDER.get(str(f.priority), 9), f.position, f.pk))
    links = set(
        PlanFunction.objectives.through.objects.filter(planfunction__plan=plan).values_list(
            "planfunction_id", "planelement_id"
        )
    )
    goals = objectives_by_goal(plan)
    objectives = [objective for _goal, objs in goals for objective in objs]
    rows = []
    for function in functions:
        cells = [(objective, (function.pk, objective.pk) in links) for objective in objectives]
        rows.append(FunctionRow(function=function, cells=cells, count=sum(1 for _o, ticked in cells if ticked)))
    return FunctionsMatrix(functions=functions, goals=goals, rows=rows)


def logframe_rows(plan: Plan) -> list[dict[str, Any]]:
    """One row per element in tree order: logic, indicators, verification, assumptions."""
    overview = plan_overview(plan)
    by_element: dict[int, list[Measure]] = defaultdict(list)
    for state in overview.states.values():
        by_element[state.element_id].append(state)
    risks: dict[int, list[Risk]] = defaultdict(list)
    for risk in Risk.objects.filter(element__plan=plan).order_by("position", "id"):
        risks[risk.element_id].append(risk)
    rows: list[dict[str, Any]] = []

    def walk(nodes: Sequence[TreeNode], depth: int) -> None:
        for node in nodes:
            rows.append(
                {
                    "node": node,
                    "depth": depth,
                    "indicators": by_element.get(node.element.pk, []),
                    "risks": risks.get(node.element.pk, []),
                }
            )
            walk(node.children, depth + 1)

    walk(overview.roots, 0)
    return rows


# --- approval and versions ------------------------------------------------------------------------


def plan_versions(plan: Plan) -> list[PlanVersion]:
    """The plan's stored versions, newest first, without their files."""
    return list(plan.versions.defer("document").select_related("amendment").order_by("-number"))


def version_for(plan: Plan, number: int) -> PlanVersion:
    """One stored version of a plan the caller may read.

    Raises:
        NotFound: the plan has no version with this number.
    """
    version = plan.versions.filter(number=number).first()
    if version is None:
        raise NotFound(_("This plan has no version %(n)d.") % {"n": number})
    return version


def version_compare(plan: Plan, old: int, new: int) -> PlanDiff:
    """What changed from version ``old`` to version ``new`` of the plan; ``new=0`` is the plan
    as it stands now.

    Raises:
        NotFound: either version does not exist.
    """
    before = version_for(plan, old).document
    after = plan_export(plan) if new == 0 else version_for(plan, new).document
    return compare_plans(before, after)


@dataclass(frozen=True)
class Decision:
    """A move the approval page offers one person: the status it leads to, its name, and
    whether a comment is needed (a return) or a reason (an amendment)."""

    status: str
    label: str
    needs_comment: bool = False
    style: str = "outline-primary"


def approval_page(user: Any, plan: Plan) -> dict[str, Any]:
    """What the plan's Approval page shows: the lock, the moves this person may make, the
    amendments, and every stored version (the decision history)."""
    access_approver = permissions.can_approve(user, plan)
    decisions: list[Decision] = []
    for old, new in permissions.STATUS_TRANSITIONS:
        if old != plan.status or not permissions.can_change_status(user, plan, new):
            continue
        if (old, new) == (PlanStatus.DRAFT, PlanStatus.UNDER_REVIEW):
            decisions.append(Decision(new, _("Submit for approval"), style="primary"))
        elif (old, new) == (PlanStatus.UNDER_REVIEW, PlanStatus.APPROVED):
            decisions.append(Decision(new, _("Approve"), style="success"))
        elif (old, new) == (PlanStatus.UNDER_REVIEW, PlanStatus.DRAFT):
            if access_approver:
                decisions.append(Decision(new, _("Return with comments"), needs_comment=True, style="outline-danger"))
            else:
                decisions.append(Decision(new, _("Withdraw from approval"), style="outline-secondary"))
        elif (old, new) == (PlanStatus.APPROVED, PlanStatus.DRAFT):
            decisions.append(Decision(new, _("Open an amendment"), needs_comment=True))
        elif (old, new) == (PlanStatus.APPROVED, PlanStatus.SUPERSEDED):
            decisions.append(Decision(new, _("Mark as superseded"), style="outline-secondary"))
    versions = plan_versions(plan)
    approved = next((v for v in versions if v.event == VersionEvent.APPROVED), None)
    return {
        "decisions": decisions,
        "versions": versions,
        "last_approval": approved,
        "amendments": list(plan.amendments.order_by("-number")),
        "open_amendment": plan.amendments.exclude(status=AmendmentStatus.APPROVED).order_by("-number").first(),
    }
