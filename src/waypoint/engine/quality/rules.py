"""The catalogue of plan quality rules.

Each rule has a stable code (cited in reviews and switched off by code), a default severity,
a one-line name, and an explanation of why it matters and how to fix it; ``docs/quality-rules.md``
is generated from this catalogue and a test keeps the two identical. A rule is a function from
the plan to ``(subject, code, message)`` triples; the facade in ``check`` applies the plan's
settings and orders the findings.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from itertools import pairwise

from waypoint.engine.quality.model import Element, Indicator, PlanUnderCheck, Severity, Subject, Target
from waypoint.engine.text import Text, _, ngettext

Hit = tuple[Subject, str, Text]
RuleCheck = Callable[[PlanUnderCheck], Iterable[Hit]]

#: above this many objectives a goal stops being a focus (a common rule of thumb is 3 to 5)
MAX_OBJECTIVES_PER_GOAL = 5
#: two names at least this similar (0–1, difflib ratio after normalising) are near-duplicates
NEAR_DUPLICATE_RATIO = 0.9


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    applies_to: Subject
    why: str
    fix: str
    check: RuleCheck

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "about": self.applies_to.value,
            "why": self.why,
            "fix": self.fix,
        }


CATALOGUE: dict[str, Rule] = {}


def rule(
    code: str, name: str, severity: Severity, applies_to: Subject, *, why: str, fix: str
) -> Callable[[RuleCheck], RuleCheck]:
    def register(function: RuleCheck) -> RuleCheck:
        if code in CATALOGUE:  # pragma: no cover - a programming error caught at import
            raise ValueError(f"rule {code} defined twice")
        CATALOGUE[code] = Rule(code, name, severity, applies_to, why, fix, function)
        return function

    return register


def _of_kind(plan: PlanUnderCheck, kind: str) -> Iterator[Element]:
    return (e for e in plan.elements if e.kind == kind)


def _money(amount: Decimal) -> str:
    return f"{amount:,.0f}"


def _statement(element: Element) -> str:
    return f"{element.title} {element.description}".strip()


# --- objectives and goals ----------------------------------------------------------------------


@rule(
    "Q101",
    _("Objective without indicator"),
    Severity.ERROR,
    Subject.ELEMENT,
    why=_(
        "Results-based management measures every objective; an objective nobody measures cannot be reported "
        "on, and the plan cannot say whether it was achieved."
    ),
    fix=_("Add at least one indicator that measures the objective, with a baseline and targets."),
)
def objective_without_indicator(plan: PlanUnderCheck) -> Iterable[Hit]:
    measured = {i.element for i in plan.indicators}
    for element in _of_kind(plan, "objective"):
        if element.code not in measured:
            yield (
                Subject.ELEMENT,
                element.code,
                Text(
                    _("Objective %(code)s “%(title)s” has no indicator."),
                    {"code": element.code, "title": element.title},
                ),
            )


@rule(
    "Q102",
    _("Goal with too many objectives"),
    Severity.WARNING,
    Subject.ELEMENT,
    why=Text(
        _(
            "A goal with more than %(max)d objectives loses focus: management cannot follow "
            "them all and the goal becomes a list of everything the administration does."
        ),
        {"max": MAX_OBJECTIVES_PER_GOAL},
    ),
    fix=_("Merge overlapping objectives, move some to another goal, or split the goal in two."),
)
def goal_with_too_many_objectives(plan: PlanUnderCheck) -> Iterable[Hit]:
    counts: dict[str, int] = defaultdict(int)
    for element in _of_kind(plan, "objective"):
        if element.parent:
            counts[element.parent] += 1
    for goal in _of_kind(plan, "goal"):
        if counts[goal.code] > MAX_OBJECTIVES_PER_GOAL:
            yield (
                Subject.ELEMENT,
                goal.code,
                Text(
                    _("Goal %(code)s has %(count)d objectives (more than %(max)d)."),
                    {"code": goal.code, "count": counts[goal.code], "max": MAX_OBJECTIVES_PER_GOAL},
                ),
            )


# --- indicators --------------------------------------------------------------------------------


def _indicators_without(plan: PlanUnderCheck, has: Callable[[Indicator], bool], message: str) -> Iterator[Hit]:
    """A finding for each indicator that lacks something (``message`` may name the indicator
    by its ``code`` and its ``name``)."""
    for indicator in plan.indicators:
        if not has(indicator):
            yield Subject.INDICATOR, indicator.code, Text(message, {"code": indicator.code, "name": indicator.name})


@rule(
    "Q201",
    _("Indicator without baseline"),
    Severity.ERROR,
    Subject.INDICATOR,
    why=_(
        "Without a baseline there is no starting point: targets cannot be judged ambitious or not, and "
        "progress cannot be computed."
    ),
    fix=_("Enter the baseline value, the date it was measured and its source."),
)
def indicator_without_baseline(plan: PlanUnderCheck) -> Iterable[Hit]:
    return _indicators_without(
        plan, lambda i: i.baseline is not None, _("Indicator %(code)s “%(name)s” has no baseline.")
    )


@rule(
    "Q202",
    _("Indicator without target"),
    Severity.ERROR,
    Subject.INDICATOR,
    why=_(
        "An indicator without a target says what is measured but not what the plan promises; its status "
        "can never be on or off track."
    ),
    fix=_("Set a target for each year of the plan (at least for the final year)."),
)
def indicator_without_target(plan: PlanUnderCheck) -> Iterable[Hit]:
    return _indicators_without(plan, lambda i: bool(i.targets), _("Indicator %(code)s “%(name)s” has no target."))


@rule(
    "Q203",
    _("Indicator without data source"),
    Severity.WARNING,
    Subject.INDICATOR,
    why=_(
        "If nobody has written down where the value comes from, each report may measure it differently "
        "and the series cannot be verified."
    ),
    fix=_("Name the data source (system, register, survey) on the indicator's reference sheet."),
)
def indicator_without_source(plan: PlanUnderCheck) -> Iterable[Hit]:
    return _indicators_without(plan, lambda i: bool(i.data_source.strip()), _("Indicator %(code)s has no data source."))


@rule(
    "Q204",
    _("Indicator without owner"),
    Severity.WARNING,
    Subject.INDICATOR,
    why=_("An indicator that no unit owns is not reported on time: someone must answer for collecting it."),
    fix=_(
        "Choose the unit that collects and reports the value. (The web form requires it; files from other "
        "systems may lack it.)"
    ),
)
def indicator_without_owner(plan: PlanUnderCheck) -> Iterable[Hit]:
    return _indicators_without(
        plan, lambda i: bool((i.owner_unit or "").strip()), _("Indicator %(code)s has no owner unit.")
    )


@rule(
    "Q205",
    _("Indicator without reporting frequency"),
    Severity.WARNING,
    Subject.INDICATOR,
    why=_("Without a frequency nobody knows when the value is due, and the monitoring calendar has a hole."),
    fix=_(
        "Say whether the indicator is reported yearly, quarterly or monthly. (The web form requires it; "
        "files from other systems may lack it.)"
    ),
)
def indicator_without_frequency(plan: PlanUnderCheck) -> Iterable[Hit]:
    return _indicators_without(
        plan, lambda i: bool((i.frequency or "").strip()), _("Indicator %(code)s has no reporting frequency.")
    )


def _in_order(indicator: Indicator) -> list[Target]:
    return sorted(indicator.targets, key=lambda t: t.period.sort_key())


@rule(
    "Q206",
    _("Target outside the plan period"),
    Severity.ERROR,
    Subject.INDICATOR,
    why=_(
        "A target before the plan starts or after it ends is not a promise of this plan; it usually comes "
        "from a copied indicator or a typing slip."
    ),
    fix=_("Move the target into the plan's years, or delete it."),
)
def target_outside_period(plan: PlanUnderCheck) -> Iterable[Hit]:
    for indicator in plan.indicators:
        for period in (t.period for t in _in_order(indicator)):
            if not plan.start_year <= period.year <= plan.end_year:
                yield (
                    Subject.INDICATOR,
                    indicator.code,
                    Text(
                        _("Indicator %(code)s has a target for %(period)s, outside %(start)d–%(end)d."),
                        {"code": indicator.code, "period": period.code, "start": plan.start_year, "end": plan.end_year},
                    ),
                )


@rule(
    "Q207",
    _("Target missing for a year"),
    Severity.WARNING,
    Subject.INDICATOR,
    why=_(
        "Milestones each year let management see early whether the plan is on track; a gap hides the "
        "trajectory until the end."
    ),
    fix=_("Add a target for every year of the plan in which the indicator is reported."),
)
def target_missing_for_year(plan: PlanUnderCheck) -> Iterable[Hit]:
    for indicator in plan.indicators:
        if not indicator.targets:
            continue  # Q202 says it once instead of once per year
        years = {t.period.year for t in indicator.targets}
        missing = [y for y in range(plan.start_year, plan.end_year + 1) if y not in years]
        if missing:
            listed = ", ".join(str(y) for y in missing)
            yield (
                Subject.INDICATOR,
                indicator.code,
                Text(_("Indicator %(code)s has no target for %(years)s."), {"code": indicator.code, "years": listed}),
            )


@rule(
    "Q208",
    _("Target moving against the indicator's direction"),
    Severity.ERROR,
    Subject.INDICATOR,
    why=_(
        "If lower is better, each target should be at most the one before it (and the other way round); a "
        "step back is either a typing slip or a promise to get worse, which must be explained."
    ),
    fix=_("Correct the target, or change the indicator's direction if it was set wrongly."),
)
def target_against_direction(plan: PlanUnderCheck) -> Iterable[Hit]:
    for indicator in plan.indicators:
        if indicator.direction not in ("increase", "decrease"):
            continue
        for (before, low), (after, high) in pairwise((t.period, t.value) for t in _in_order(indicator)):
            worse = high < low if indicator.direction == "increase" else high > low
            if worse:
                yield (
                    Subject.INDICATOR,
                    indicator.code,
                    Text(
                        _(
                            "Indicator %(code)s should increase, but its target goes from %(low)s (%(before)s) "
                            "to %(high)s (%(after)s)."
                        )
                        if indicator.direction == "increase"
                        else _(
                            "Indicator %(code)s should decrease, but its target goes from %(low)s (%(before)s) "
                            "to %(high)s (%(after)s)."
                        ),
                        {
                            "code": indicator.code,
                            "low": f"{low.normalize():f}",
                            "before": before.code,
                            "high": f"{high.normalize():f}",
                            "after": after.code,
                        },
                    ),
                )


@rule(
    "Q209",
    _("Final target no more ambitious than the baseline"),
    Severity.WARNING,
    Subject.INDICATOR,
    why=_(
        "A plan whose final target equals or falls behind the baseline promises no improvement; either the "
        "indicator does not measure what the plan changes, or the target is wrong."
    ),
    fix=_(
        "Set a final target better than the baseline, or explain why holding the level is the result sought "
        "(and re-grade this rule for the plan with that reason)."
    ),
)
def final_target_not_ambitious(plan: PlanUnderCheck) -> Iterable[Hit]:
    for indicator in plan.indicators:
        if indicator.baseline is None or indicator.direction not in ("increase", "decrease"):
            continue
        if not indicator.targets:
            continue
        last = _in_order(indicator)[-1]
        period, final = last.period, last.value
        flat = final <= indicator.baseline if indicator.direction == "increase" else final >= indicator.baseline
        if flat:
            yield (
                Subject.INDICATOR,
                indicator.code,
                Text(
                    _(
                        "Indicator %(code)s: the final target %(final)s (%(period)s) is no better than the baseline %(baseline)s."
                    ),
                    {
                        "code": indicator.code,
                        "final": f"{final.normalize():f}",
                        "period": period.code,
                        "baseline": f"{indicator.baseline.normalize():f}",
                    },
                ),
            )


# --- initiatives and activities ----------------------------------------------------------------


@rule(
    "Q301",
    _("Initiative without responsible unit"),
    Severity.ERROR,
    Subject.ELEMENT,
    why=_(
        "An initiative owned by nobody, or by the administration as a whole, has no one who answers for it; "
        "bottom-up planning needs a department or office that drafts, reports and is accountable."
    ),
    fix=_("Give the initiative a responsible department or regional office."),
)
def initiative_without_unit(plan: PlanUnderCheck) -> Iterable[Hit]:
    for element in _of_kind(plan, "initiative"):
        unit = (element.responsible_unit or "").strip()
        if not unit:
            yield (
                Subject.ELEMENT,
                element.code,
                Text(_("Initiative %(code)s has no responsible unit."), {"code": element.code}),
            )
        elif unit == plan.administration:
            yield (
                Subject.ELEMENT,
                element.code,
                Text(
                    _("Initiative %(code)s is assigned to the administration as a whole, not to a unit."),
                    {"code": element.code},
                ),
            )


@rule(
    "Q302",
    _("Initiative without dates"),
    Severity.ERROR,
    Subject.ELEMENT,
    why=_("An initiative without a start and an end cannot be sequenced on the roadmap or followed up."),
    fix=_("Enter its start and end months (or solve a roadmap scenario and adopt its dates)."),
)
def initiative_without_dates(plan: PlanUnderCheck) -> Iterable[Hit]:
    for element in _of_kind(plan, "initiative"):
        if element.starts_on is None and element.ends_on is None:
            message = _("Initiative %(code)s has no start or end date.")
        elif element.starts_on is None:
            message = _("Initiative %(code)s has no start date.")
        elif element.ends_on is None:
            message = _("Initiative %(code)s has no end date.")
        else:
            continue
        yield Subject.ELEMENT, element.code, Text(message, {"code": element.code})


@rule(
    "Q303",
    _("Initiative without budget"),
    Severity.WARNING,
    Subject.ELEMENT,
    why=_(
        "An initiative that costs nothing on paper will compete for money that was never set aside; the "
        "plan's total cost is understated."
    ),
    fix=_("Add budget lines (year, funding source, amount) to the initiative or to its activities."),
)
def initiative_without_budget(plan: PlanUnderCheck) -> Iterable[Hit]:
    funded = {e.code for e in plan.elements if any(line.amount > 0 for line in e.budget)}
    funded |= {e.parent for e in _of_kind(plan, "activity") if e.code in funded and e.parent}
    for element in _of_kind(plan, "initiative"):
        if element.code not in funded:
            yield Subject.ELEMENT, element.code, Text(_("Initiative %(code)s has no budget."), {"code": element.code})


@rule(
    "Q304",
    _("Activity outside its initiative's dates"),
    Severity.ERROR,
    Subject.ELEMENT,
    why=_(
        "Work scheduled before its initiative starts or after it ends makes the initiative's dates untrue "
        "and the roadmap inconsistent."
    ),
    fix=_("Move the activity inside the initiative's dates, or widen the initiative."),
)
def activity_outside_initiative(plan: PlanUnderCheck) -> Iterable[Hit]:
    by_code = {e.code: e for e in plan.elements}
    for activity in _of_kind(plan, "activity"):
        parent = by_code.get(activity.parent or "")
        if parent is None:
            continue
        early = activity.starts_on and parent.starts_on and activity.starts_on.index < parent.starts_on.index
        late = activity.ends_on and parent.ends_on and activity.ends_on.index > parent.ends_on.index
        if early or late:
            yield (
                Subject.ELEMENT,
                activity.code,
                Text(
                    _(
                        "Activity %(code)s (%(starts)s – %(ends)s) lies outside initiative %(parent)s "
                        "(%(parent_starts)s – %(parent_ends)s)."
                    ),
                    {
                        "code": activity.code,
                        "starts": activity.starts_on or "?",
                        "ends": activity.ends_on or "?",
                        "parent": parent.code,
                        "parent_starts": parent.starts_on or "?",
                        "parent_ends": parent.ends_on or "?",
                    },
                ),
            )


# --- money and sequence ------------------------------------------------------------------------


@rule(
    "Q401",
    _("Yearly budget above the cap"),
    Severity.ERROR,
    Subject.PLAN,
    why=_(
        "Money planned above what the funding source can give in a year will not be there; the initiatives "
        "that depend on it slip."
    ),
    fix=_(
        "Move work to a later year (the roadmap optimiser respects caps), cut costs, or raise the cap with "
        "the funder's agreement."
    ),
)
def budget_above_cap(plan: PlanUnderCheck) -> Iterable[Hit]:
    planned: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for element in plan.elements:
        for line in element.budget:
            planned[line.year, line.source] += line.amount
    for cap in sorted(plan.budget_caps, key=lambda c: (c.year, c.source)):
        total = planned.get((cap.year, cap.source), Decimal(0))
        if total > cap.amount:
            yield (
                Subject.PLAN,
                "",
                Text(
                    _("%(year)d, %(source)s: %(total)s planned, above the cap of %(cap)s."),
                    {"year": cap.year, "source": cap.source, "total": _money(total), "cap": _money(cap.amount)},
                ),
            )


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with a cycle (Tarjan, iterative), each in a stable order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(edges.get(successor, ())))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges.get(node, ()):
                    found.append(sorted(component))
    return sorted(found)


@rule(
    "Q402",
    _("Dependency cycle"),
    Severity.ERROR,
    Subject.ELEMENT,
    why=_("Work that waits, directly or through others, for itself can never start; no schedule exists."),
    fix=_("Remove or reverse one of the dependencies in the cycle."),
)
def dependency_cycle(plan: PlanUnderCheck) -> Iterable[Hit]:
    edges: dict[str, set[str]] = defaultdict(set)
    for link in plan.dependencies:
        edges[link.before].add(link.after)
        edges.setdefault(link.after, set())
    for cycle in _cycles(edges):
        yield (
            Subject.ELEMENT,
            cycle[0],
            Text(_("Dependency cycle: %(cycle)s."), {"cycle": " → ".join([*cycle, cycle[0]])}),
        )


@rule(
    "Q403",
    _("Roadmap finishes after the plan period"),
    Severity.WARNING,
    Subject.PLAN,
    why=_(
        "Work scheduled after the plan's last year falls outside the period the plan is approved and funded "
        "for: its results will not be there when the plan is evaluated, and nobody has budgeted the years after."
    ),
    fix=_(
        "Give the roadmap more people or money where it is short, move work to the next plan, or extend the "
        "plan period; then solve the roadmap again and approve the new baseline."
    ),
)
def roadmap_after_period(plan: PlanUnderCheck) -> Iterable[Hit]:
    roadmap = plan.roadmap
    if roadmap is not None and roadmap.finishes.year > plan.end_year:
        late = roadmap.finishes.index - (plan.end_year * 12 + 11)
        yield (
            Subject.PLAN,
            "",
            Text(
                ngettext(
                    "The roadmap “%(scenario)s” finishes in %(finishes)s, %(late)d month after the plan's last "
                    "year %(end)d.",
                    "The roadmap “%(scenario)s” finishes in %(finishes)s, %(late)d months after the plan's last "
                    "year %(end)d.",
                    late,
                ),
                {"scenario": roadmap.scenario, "finishes": str(roadmap.finishes), "late": late, "end": plan.end_year},
            ),
        )


# --- the diagnostic ----------------------------------------------------------------------------


@rule(
    "Q501",
    _("Recommendation not addressed"),
    Severity.WARNING,
    Subject.RECOMMENDATION,
    why=_(
        "The plan answers the diagnostic: a recommendation that no objective or initiative takes up is "
        "either dropped silently or forgotten. Either is a decision management should see."
    ),
    fix=_(
        "Link the recommendation to the objectives or initiatives that address it, or record why the plan "
        "does not take it up (and re-grade this rule with that reason)."
    ),
)
def recommendation_not_addressed(plan: PlanUnderCheck) -> Iterable[Hit]:
    known = {e.code for e in plan.elements}
    for recommendation in plan.recommendations:
        if not any(code in known for code in recommendation.addressed_by):
            yield (
                Subject.RECOMMENDATION,
                recommendation.reference,
                Text(
                    _(
                        "Recommendation %(reference)s (%(priority)s priority) is not addressed by any objective or "
                        "initiative: “%(text)s”"
                    ),
                    {
                        "reference": recommendation.reference,
                        "priority": _PRIORITIES.get(recommendation.priority, recommendation.priority),
                        "text": _shorten(recommendation.text),
                    },
                ),
            )


#: a recommendation's priority as the message says it
_PRIORITIES = {"high": Text(_("high")), "medium": Text(_("medium")), "low": Text(_("low"))}


def _shorten(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- wording -----------------------------------------------------------------------------------


def _normal(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", folded).split())


@rule(
    "Q601",
    _("Duplicate or near-duplicate name"),
    Severity.WARNING,
    Subject.ELEMENT,
    why=_(
        "Two elements (or indicators) with the same name confuse contributors and reports, and often mean "
        "the same work was entered twice by two units."
    ),
    fix=_("Merge the two, or rename one so the difference is clear."),
)
def duplicate_names(plan: PlanUnderCheck) -> Iterable[Hit]:
    groups: dict[tuple[Subject, str], list[tuple[str, str]]] = defaultdict(list)
    for element in plan.elements:
        groups[Subject.ELEMENT, element.kind].append((element.code, element.title))
    for indicator in plan.indicators:
        groups[Subject.INDICATOR, "indicator"].append((indicator.code, indicator.name))
    for (subject, _kind), named in groups.items():
        seen: list[tuple[str, str]] = []
        for code, name in named:
            normal = _normal(name)
            for other_code, other in seen:
                matcher = SequenceMatcher(None, normal, other, autojunk=False)
                if normal == other or (
                    matcher.real_quick_ratio() >= NEAR_DUPLICATE_RATIO
                    and matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO
                    and matcher.ratio() >= NEAR_DUPLICATE_RATIO
                ):
                    same = _("%(code)s “%(name)s” has the same name as %(other)s.")
                    near = _("%(code)s “%(name)s” has nearly the same name as %(other)s.")
                    yield (
                        subject,
                        code,
                        Text(same if normal == other else near, {"code": code, "name": name, "other": other_code}),
                    )
                    break
            seen.append((code, normal))


_TIME_WORDS = re.compile(
    r"\b(19|20)\d{2}\b|\bby the end\b|\bwithin\b|\bper (year|month|quarter)\b|\bannual(ly)?\b|\bquarterly\b"
    r"|\bmonthly\b|\bby (january|february|march|april|may|june|july|august|september|october|november|december)\b"
    r"|\bdeadline\b|\byears?\b|\bmonths?\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_MEASURE_WORDS = re.compile(
    r"\d|%|\bpercent\b|\bper ?cent\b|\bhalf\b|\bhalve\b|\bdouble\b|\btriple\b|\bzero\b|\ball\b|\bevery\b"
    r"|\b(reduc|increas|rais|cut|shorten|lower|grow|decreas|expand|minimi[sz]|maximi[sz])\w*",
    re.IGNORECASE,
)


@rule(
    "Q602",
    _("Objective not time-bound"),
    Severity.INFO,
    Subject.ELEMENT,
    why=_(
        "A SMART objective says by when it is reached. The check is a simple text heuristic: it looks for a "
        "year, a deadline or a period (“by 2016”, “within two years”, “per year”) in the title and description."
    ),
    fix=_(
        "Say by when the result is expected, or switch the rule off for the plan if every objective is "
        "understood to run to the plan's last year."
    ),
)
def objective_not_time_bound(plan: PlanUnderCheck) -> Iterable[Hit]:
    for element in _of_kind(plan, "objective"):
        if not _TIME_WORDS.search(_statement(element)):
            yield (
                Subject.ELEMENT,
                element.code,
                Text(_("Objective %(code)s does not say by when it is reached."), {"code": element.code}),
            )


@rule(
    "Q603",
    _("Objective not measurable"),
    Severity.INFO,
    Subject.ELEMENT,
    why=_(
        "A SMART objective states a change that can be counted. The check is a simple text heuristic: it "
        "looks for a number (years do not count), a percentage, a quantity word (“all”, “half”) or a verb of measurable change "
        "(“reduce”, “increase”, “shorten”) in the title and description."
    ),
    fix=_("State the change in terms that can be counted (“reduce release time at border posts by half”)."),
)
def objective_not_measurable(plan: PlanUnderCheck) -> Iterable[Hit]:
    for element in _of_kind(plan, "objective"):
        without_years = _YEAR.sub(" ", _statement(element))  # "by 2016" is a deadline, not a quantity
        if not _MEASURE_WORDS.search(without_years):
            yield (
                Subject.ELEMENT,
                element.code,
                Text(_("Objective %(code)s does not state a change that can be counted."), {"code": element.code}),
            )
