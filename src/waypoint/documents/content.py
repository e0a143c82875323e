"""What the strategic plan and the progress report say, from the plan's data, as blocks.

Each section is built only where its data exists (a plan without risks has no risk register).
Statuses, health and budgets come from the same selectors as the app's pages; the charts are
the app's own specs drawn on the server (``charts.py``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from waypoint.diagnostics import selectors as diagnostics
from waypoint.diagnostics.models import Assessment
from waypoint.documents import charts
from waypoint.documents.blocks import (
    Block,
    Bullets,
    Document,
    Facts,
    Heading,
    Paragraph,
    Section,
    Table,
)
from waypoint.engine import indicators as engine
from waypoint.engine.periods import Period, PeriodKind
from waypoint.indicators.charts import indicator_chart
from waypoint.indicators.models import Actual
from waypoint.indicators.selectors import ForecastView, IndicatorState, indicator_forecast, indicator_states
from waypoint.monitoring.models import FollowUpAction
from waypoint.people.models import RoleProfile
from waypoint.people.selectors import adopted_runs, run_summary, workforce_gaps
from waypoint.plans import selectors as plan_selectors
from waypoint.plans.models import (
    AnalysisItem,
    ElementKind,
    ImplementationStatus,
    Plan,
    PlanElement,
    PlanFunction,
    PlanStatus,
    PlanVersion,
    Risk,
    VersionEvent,
)
from waypoint.plans.planfile import plan_export_json
from waypoint.plans.translations import text_for
from waypoint.rounds.models import ElementAttribution

#: the strategic plan's sections in order, and what people call them
PLAN_SECTIONS: dict[str, Any] = {
    "foreword": gettext_lazy("Foreword"),
    "statements": gettext_lazy("Vision, mission and values"),
    "diagnostic": gettext_lazy("Diagnostic summary"),
    "environment": gettext_lazy("Environmental scan"),
    "activity": gettext_lazy("Activity profile"),
    "results": gettext_lazy("Goals, objectives and initiatives"),
    "logframe": gettext_lazy("Logframe matrix"),
    "indicators": gettext_lazy("Indicator reference sheets"),
    "roadmap": gettext_lazy("Roadmap"),
    "budget": gettext_lazy("Budget"),
    "risks": gettext_lazy("Risk register"),
    "recommendations": gettext_lazy("Annex: recommendations and the elements that answer them"),
    "people": gettext_lazy("Annex: people and training"),
    "actions": gettext_lazy("Annex: follow-up actions"),
    "attributions": gettext_lazy("Annex: attribution of consolidated proposals"),
}
#: the sections printed as annexes (after the plan itself)
ANNEXES = {"recommendations", "people", "actions", "attributions"}
STATUS_LABELS: dict[str, Any] = {
    "on_track": gettext_lazy("On track"),
    "at_risk": gettext_lazy("At risk"),
    "off_track": gettext_lazy("Off track"),
    "no_data": gettext_lazy("No data"),
}


#: the plan's main language while one of its documents is built (``_in_the_document_language``)
_MAIN_LANGUAGE: ContextVar[str] = ContextVar("main_language", default="en")
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _t(obj: Any, field: str) -> str:
    """A text of the plan or of an element in the document's language (the requester's) when
    the plan is kept in it, else as the plan's main language has it (``plans.translations``)."""
    return text_for(obj, field, _MAIN_LANGUAGE.get()).text


def _in_the_document_language(build: Callable[Concatenate[Plan, _P], _R]) -> Callable[Concatenate[Plan, _P], _R]:
    """``build(plan, …)`` with the plan's texts read in the document's language."""

    @functools.wraps(build)
    def building(plan: Plan, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        token = _MAIN_LANGUAGE.set(plan.language)
        try:
            return build(plan, *args, **kwargs)
        finally:
            _MAIN_LANGUAGE.reset(token)

    return building


def fingerprint(plan: Plan) -> str:
    """The first characters of the SHA-256 of the plan's JSON export: two documents with the same
    fingerprint were made from the same plan content. Kept on the plan object read for one
    render (the cover and the stored render ask for it; the export is half a second)."""
    found: str | None = getattr(plan, "_document_fingerprint", None)
    if found is None:
        found = hashlib.sha256(plan_export_json(plan).encode("utf-8")).hexdigest()[:12]
        plan._document_fingerprint = found  # type: ignore[attr-defined]
    return found


@dataclass(frozen=True)
class Edition:
    """The plan's version as its approval history numbers it (``plans.PlanVersion``), not the
    edit counter that guards concurrent edits: an approved plan is the version approved; a
    plan under review, the version submitted; a draft, the version it becomes when submitted."""

    number: int
    #: the plan is not approved: the document is marked DRAFT
    draft: bool
    #: the cover's words ("Version 5, approved on 28 March 2014 (amendment 1)")
    line: str

    @property
    def label(self) -> str:
        """Short, for names and lists: "v5", "v6 draft"."""
        return (_("v%(n)d draft") if self.draft else _("v%(n)d")) % {"n": self.number}


def _last(plan: Plan, event: str | None = None) -> PlanVersion | None:
    versions = PlanVersion.objects.filter(plan=plan).defer("document").select_related("amendment")
    if event is not None:
        versions = versions.filter(event=event)
    return versions.order_by("-number").first()


def edition(plan: Plan) -> Edition:
    """Which version of the plan a document made now shows."""
    if plan.status in (PlanStatus.APPROVED, PlanStatus.SUPERSEDED):
        approved = _last(plan, VersionEvent.APPROVED)
        if approved is not None:
            line = _("Version %(n)d, approved on %(date)s") % {
                "n": approved.number,
                "date": date_format(timezone.localtime(approved.at).date(), "j F Y"),
            }
            if approved.amendment is not None:
                line += " " + _("(amendment %(a)d)") % {"a": approved.amendment.number}
            return Edition(approved.number, False, line)
        # approved before versions were kept (an imported plan): no number to give
        return Edition(0, False, _("Approved; no version stored in this installation"))
    if plan.status == PlanStatus.UNDER_REVIEW:
        submitted = _last(plan, VersionEvent.SUBMITTED)
        if submitted is not None:
            return Edition(
                submitted.number,
                True,
                _("Version %(n)d, submitted for approval on %(date)s")
                % {"n": submitted.number, "date": date_format(timezone.localtime(submitted.at).date(), "j F Y")},
            )
    latest = _last(plan)
    number = (latest.number if latest is not None else 0) + 1
    if latest is None:
        return Edition(number, True, _("Draft of version %(n)d (no version submitted yet)") % {"n": number})
    return Edition(
        number,
        True,
        _("Draft of version %(n)d (after version %(last)d, %(event)s on %(date)s)")
        % {
            "n": number,
            "last": latest.number,
            "event": latest.get_event_display().lower(),
            "date": date_format(timezone.localtime(latest.at).date(), "j F Y"),
        },
    )


def _number(value: float | Decimal | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    return f"{float(value):,.{decimals}f}"


def _money(value: Decimal | float | None) -> str:
    return "—" if value is None else f"{float(value):,.0f}"


def _month(day: dt.date | None) -> str:
    return date_format(day, "M Y") if day else "—"


def _status(status: engine.Status | str) -> str:
    key = status.value if isinstance(status, engine.Status) else status
    return str(STATUS_LABELS.get(key, key))


def _lines(text: str) -> list[Block]:
    return [Paragraph(part.strip()) for part in text.split("\n\n") if part.strip()]


@dataclass
class _Data:
    """What several sections read, fetched once."""

    plan: Plan
    overview: plan_selectors.PlanOverview
    states: dict[int, IndicatorState]
    by_element: dict[int, list[IndicatorState]]

    @classmethod
    def of(cls, plan: Plan) -> _Data:
        overview = plan_selectors.plan_overview(plan)
        states = indicator_states(plan)
        by_element: dict[int, list[IndicatorState]] = defaultdict(list)
        for state in states.values():
            by_element[state.indicator.element_id].append(state)
        return cls(plan, overview, states, by_element)

    def walk(self) -> Iterable[tuple[plan_selectors.TreeNode, int]]:
        def visit(
            nodes: Sequence[plan_selectors.TreeNode], depth: int
        ) -> Iterable[tuple[plan_selectors.TreeNode, int]]:
            for node in nodes:
                yield node, depth
                yield from visit(node.children, depth + 1)

        return visit(self.overview.roots, 0)


# --- the strategic plan ---------------------------------------------------------------------------


def _foreword(data: _Data) -> list[Block]:
    return _lines(_t(data.plan, "summary"))


def _statements(data: _Data) -> list[Block]:
    plan = data.plan
    blocks: list[Block] = []
    if plan.vision.strip():
        blocks += [Heading(_("Vision")), *_lines(_t(plan, "vision"))]
    if plan.mission.strip():
        blocks += [Heading(_("Mission")), *_lines(_t(plan, "mission"))]
    values = [v.strip() for v in _t(plan, "values").splitlines() if v.strip()]
    if values:
        blocks += [Heading(_("Values")), Bullets(values)]
    return blocks


def _diagnostic(data: _Data) -> list[Block]:
    assessment = (
        Assessment.objects.filter(plans=data.plan).select_related("framework").order_by("-assessed_on", "-pk").first()
    )
    if assessment is None:
        return []
    view = diagnostics.assessment_view(assessment)
    blocks: list[Block] = [
        Paragraph(
            _("%(title)s (%(ref)s), assessed on %(date)s against %(framework)s.")
            % {
                "title": assessment.title,
                "ref": assessment.reference,
                "date": date_format(assessment.assessed_on, "j F Y"),
                "framework": view.framework.name,
            }
        ),
        *_lines(assessment.summary),
        charts.svg_figure(
            charts.radar_svg(view.radar, _("current"), _("target")),
            _("Mean current and target level per area"),
            share=0.55,
        ),
    ]
    rows = [
        [
            f"{a.area.code} {a.area.name}",
            f"{a.summary.rated}/{a.summary.criteria}",
            _number(a.summary.current),
            _number(a.summary.target),
            _number(a.summary.gap),
        ]
        for a in view.areas
    ]
    blocks.append(
        Table([_("Area"), _("Rated"), _("Current"), _("Target"), _("Gap")], rows, [5, 1, 1, 1, 1], numeric={1, 2, 3, 4})
    )
    gaps = sorted((a for a in view.areas if a.summary.gap), key=lambda a: -(a.summary.gap or 0))[:5]
    if gaps:
        blocks += [
            Heading(_("Main findings")),
            Bullets(
                [
                    _("%(area)s: gap of %(gap)s levels between the current and the target level.")
                    % {"area": f"{a.area.code} {a.area.name}", "gap": _number(a.summary.gap)}
                    for a in gaps
                ]
            ),
        ]
    return blocks


def _environment(data: _Data) -> list[Block]:
    items = list(
        AnalysisItem.objects.filter(plan=data.plan)
        .prefetch_related("objectives")
        .order_by("framework", "category", "position")
    )
    if not items:
        return []
    blocks: list[Block] = []
    for framework, title in (("swot", _("SWOT")), ("pestle", _("PESTLE"))):
        chosen = [i for i in items if i.framework == framework]
        if not chosen:
            continue
        blocks.append(Heading(title))
        rows = [
            [i.get_category_display(), i.text, ", ".join(o.code for o in i.objectives.all()) or "—"] for i in chosen
        ]
        blocks.append(Table([_("Category"), _("Finding"), _("Objectives")], rows, [1.2, 5, 1.3]))
    return blocks


def _activity(data: _Data) -> list[Block]:
    functions = list(PlanFunction.objects.filter(plan=data.plan).prefetch_related("objectives").order_by("position"))
    if not functions:
        return []
    rows = [
        [f.name, f.get_priority_display(), f.description or "—", ", ".join(o.code for o in f.objectives.all()) or "—"]
        for f in functions
    ]
    return [
        Paragraph(_("The administration's functions, their priority in this plan and the objectives that serve them.")),
        Table([_("Function"), _("Priority"), _("Description"), _("Objectives")], rows, [2, 1, 4, 1.5]),
    ]


def _results(data: _Data) -> list[Block]:
    blocks: list[Block] = []
    currency = data.plan.currency
    for goal in data.overview.roots:
        element = goal.element
        blocks.append(Heading(f"{element.code} {_t(element, 'title')}"))
        if element.description:
            blocks.append(Paragraph(_t(element, "description")))
        rows: list[list[str]] = []
        strong: set[int] = set()
        for objective in goal.children:
            strong.add(len(rows))
            rows.append(_result_row(objective, currency))
            for child in objective.children:
                rows.append(_result_row(child, currency))
        if rows:
            blocks.append(
                Table(
                    [
                        _("Code"),
                        _("Objective / initiative"),
                        _("Responsible unit"),
                        _("Dates"),
                        _("Budget"),
                        _("Health"),
                    ],
                    rows,
                    [0.9, 4, 2.2, 1.6, 1.3, 1.1],
                    numeric={4},
                    strong=strong,
                    status_column=5,
                    small=True,
                )
            )
    return blocks


def _result_row(node: plan_selectors.TreeNode, currency: str) -> list[str]:
    e = node.element
    dates = f"{_month(e.starts_on)} – {_month(e.ends_on)}" if e.starts_on or e.ends_on else "—"
    budget = f"{_money(node.budget)} {currency}" if node.budget else "—"
    return [
        e.code,
        _t(e, "title"),
        e.responsible_unit.name,
        dates,
        budget,
        f"{node.health.status.value}|{_status(node.health.status)}",
    ]


def _logframe(data: _Data) -> list[Block]:
    rows: list[list[str]] = []
    strong: set[int] = set()
    risks: dict[int, list[Risk]] = defaultdict(list)
    for risk in Risk.objects.filter(element__plan=data.plan).order_by("position"):
        risks[risk.element_id].append(risk)
    for node, depth in data.walk():
        e = node.element
        if e.kind == ElementKind.ACTIVITY:
            continue
        states = data.by_element.get(e.pk, [])
        indicators = "\n".join(f"{s.indicator.code} {s.indicator.name}" for s in states) or "—"
        verification = (
            "\n".join(
                s.indicator.means_of_verification or s.indicator.data_source
                for s in states
                if (s.indicator.means_of_verification or s.indicator.data_source)
            )
            or "—"
        )
        assumptions = _t(e, "assumptions").strip() or "—"
        if depth == 0:
            strong.add(len(rows))
        rows.append([f"{e.code} {_t(e, 'title')}", indicators, verification, assumptions])
    return [
        Table(
            [_("Results chain"), _("Indicators"), _("Means of verification"), _("Assumptions")],
            rows,
            [3, 3, 2.2, 2.2],
            strong=strong,
            small=True,
        )
    ]


def _indicator_sheet(state: IndicatorState, plan: Plan, with_chart: bool) -> list[Block]:
    i = state.indicator
    decimals = int(i.decimals)
    baseline = (
        f"{_number(i.baseline_value, decimals)} ({date_format(i.baseline_date, 'M Y') if i.baseline_date else '—'})"
        if i.baseline_value is not None
        else "—"
    )
    targets = ", ".join(f"{t.period}: {_number(t.value, decimals)}" for t in state.targets) or "—"
    latest = state.latest
    pairs = [
        (_("Definition"), i.definition or "—"),
        (_("Formula"), i.formula or "—"),
        (_("Unit of measure"), i.unit_of_measure),
        (_("Direction"), i.get_direction_display()),
        (_("Frequency"), i.get_frequency_display()),
        (_("Element"), f"{i.element.code} {_t(i.element, 'title')}"),
        (_("Owner"), i.owner_unit.name),
        (_("Data source"), i.data_source or "—"),
        (_("Means of verification"), i.means_of_verification or "—"),
        (_("Baseline"), baseline),
        (_("Targets"), targets),
        (
            _("Latest"),
            f"{latest.period.code}: {_number(latest.actual, decimals)} — {_status(latest.status)}"
            if latest is not None and latest.actual is not None
            else _status(engine.Status.NO_DATA),
        ),
    ]
    blocks: list[Block] = [Heading(f"{i.code} {i.name}", level=3), Facts(pairs)]
    if with_chart and (state.targets or state.actuals or i.baseline_value is not None):
        blocks.append(charts.figure(indicator_chart(state, validate=False), f"{i.code} {i.name}", width=440, share=0.7))
    return blocks


def _indicators(data: _Data) -> list[Block]:
    blocks: list[Block] = []
    states = sorted(data.states.values(), key=lambda s: s.indicator.number)
    if not states:
        return []
    blocks.append(
        Paragraph(
            _(
                "One sheet per indicator; the key indicators carry the chart of their baseline, targets and actual values."
            )
        )
    )
    for state in states:
        blocks += _indicator_sheet(state, data.plan, with_chart=state.indicator.is_key)
    return blocks


def _roadmap(data: _Data) -> list[Block]:
    dated = [
        node.element
        for node, _depth in data.walk()
        if node.element.kind == ElementKind.INITIATIVE and node.element.starts_on and node.element.ends_on
    ]
    if not dated:
        return []
    labels = {str(key): str(label) for key, label in ImplementationStatus.choices}
    rows = [
        {
            "label": f"{e.code} {_t(e, 'title')[:48]}",
            "start": e.starts_on.isoformat() if e.starts_on else None,
            "end": e.ends_on.isoformat() if e.ends_on else None,
            "status": e.status,
        }
        for e in dated
    ]
    blocks: list[Block] = [
        charts.figure(
            charts.gantt_spec(rows, status_title=_("Status"), labels=labels), _("Initiatives over the plan period")
        )
    ]
    milestones = sorted(
        (n.element for n, _d in data.walk() if n.element.kind == ElementKind.INITIATIVE and n.element.ends_on),
        key=lambda e: (e.ends_on or dt.date.max, e.code),
    )
    if milestones:
        blocks += [
            Heading(_("Milestones")),
            Table(
                [_("Due"), _("Code"), _("Initiative"), _("Responsible unit"), _("Status")],
                [
                    [_month(e.ends_on), e.code, _t(e, "title"), e.responsible_unit.name, e.get_status_display()]
                    for e in milestones
                ],
                [1.1, 0.9, 4, 2.2, 1.2],
                small=True,
            ),
        ]
    return blocks


def _budget(data: _Data) -> list[Block]:
    summary = plan_selectors.budget_summary(data.plan)
    if not summary.grand_total:
        return []
    currency = data.plan.currency
    years = [str(y) for y in summary.years]
    rows: list[list[str]] = []
    strong: set[int] = set()
    for row in summary.rows:
        if not row.child:
            strong.add(len(rows))
        rows.append(
            [
                f"{row.node.element.code} {_t(row.node.element, 'title')}",
                *(_money(v) for v in row.years),
                _money(row.total),
            ]
        )
    strong.add(len(rows))
    rows.append([_("Total"), *(_money(v) for v in summary.totals), _money(summary.grand_total)])
    numeric = set(range(1, len(years) + 2))
    blocks: list[Block] = [
        Paragraph(_("Amounts in %(currency)s.") % {"currency": currency}, style="muted"),
        Heading(_("By goal and year")),
        Table(
            [_("Goal / objective"), *years, _("Total")],
            rows,
            [4, *([1] * len(years)), 1.2],
            numeric=numeric,
            strong=strong,
            small=True,
        ),
        Heading(_("By funding source and year")),
        Table(
            [_("Funding source"), *years, _("Total")],
            [[s.name, *(_money(v) for v in s.values), _money(s.total)] for s in summary.sources],
            [4, *([1] * len(years)), 1.2],
            numeric=numeric,
            small=True,
        ),
    ]
    chart_rows = [
        {"year": str(year), "source": s.name, "amount": float(v)}
        for s in summary.sources
        for year, v in zip(summary.years, s.values, strict=True)
    ]
    blocks.append(
        charts.figure(
            charts.budget_spec(chart_rows, amount_title=currency, source_title=_("Funding source")),
            _("Budget per year and funding source"),
        )
    )
    return blocks


def _risks(data: _Data, limit: int | None = None) -> list[Block]:
    risks = sorted(
        Risk.objects.filter(element__plan=data.plan).select_related("element"),
        key=lambda r: (-(r.likelihood * r.impact), r.element.code, r.position),
    )
    if limit is not None:
        risks = risks[:limit]
    if not risks:
        return []
    rows = [
        [
            r.element.code,
            r.description,
            str(r.likelihood),
            str(r.impact),
            str(r.likelihood * r.impact),
            r.mitigation or "—",
            r.owner or "—",
        ]
        for r in risks
    ]
    return [
        Table(
            [_("Element"), _("Risk"), _("Likelihood"), _("Impact"), _("Score"), _("Mitigation"), _("Owner")],
            rows,
            [0.9, 3.2, 0.9, 0.8, 0.7, 3, 1.4],
            numeric={2, 3, 4},
            small=True,
        )
    ]


def _recommendations(data: _Data) -> list[Block]:
    coverage = diagnostics.coverage(data.plan)
    if not coverage.rows:
        return []
    rows = []
    for row in coverage.rows:
        rec = row.recommendation
        reference = getattr(getattr(rec, "assessment", None), "reference", "") or getattr(
            rec, "assessment_reference", ""
        )
        code = getattr(rec, "code", None) or f"R{getattr(rec, 'number', '')}"
        rows.append(
            [
                f"{reference} {code}".strip(),
                rec.text,
                ", ".join(e.code for e in row.addressed_by) or _("not yet addressed"),
            ]
        )
    return [
        Paragraph(
            ngettext("%(n)d recommendation;", "%(n)d recommendations;", len(coverage.rows)) % {"n": len(coverage.rows)}
            + " "
            + ngettext(
                "%(n)d not yet addressed by an objective or initiative.",
                "%(n)d not yet addressed by an objective or initiative.",
                coverage.unaddressed,
            )
            % {"n": coverage.unaddressed}
        ),
        Table([_("Recommendation"), _("Text"), _("Addressed by")], rows, [1.4, 5, 1.6], small=True),
    ]


def _people(data: _Data) -> list[Block]:
    """The officers the plan's functions need (small groups hidden, as for any reader who is
    not HR: a document travels), the competencies those roles require, and the training
    adopted for the plan's years."""
    blocks: list[Block] = []
    years = workforce_gaps(None, data.plan)
    if years:
        blocks.append(Heading(_("Officers needed")))
        blocks.append(
            Paragraph(
                _(
                    "Per year, the officers the plan's functions need at each unit and role, against those "
                    "in service there now (the unit and the units below it). A dash: a group too small to "
                    "show without pointing at people."
                ),
                style="muted",
            )
        )
        rows: list[list[str]] = []
        strong: set[int] = set()
        for year in years:
            strong.add(len(rows))
            rows.append(
                [
                    str(year.year),
                    _("All units"),
                    "",
                    str(year.needed),
                    "—" if year.present is None else str(year.present),
                    "—" if year.present is None else str(year.needed - year.present),
                ]
            )
            for row in year.rows:
                rows.append(
                    [
                        "",
                        row.unit.name,
                        f"{row.profile.code} {row.profile.name}",
                        str(row.needed),
                        "—" if row.present is None else str(row.present),
                        "—" if row.gap is None else str(row.gap),
                    ]
                )
        blocks.append(
            Table(
                [_("Year"), _("Unit"), _("Role"), _("Needed"), _("In service"), _("Gap")],
                rows,
                [0.8, 3, 3, 1, 1, 0.9],
                numeric={3, 4, 5},
                strong=strong,
                small=True,
            )
        )
        codes = sorted({row.profile.pk for year in years for row in year.rows})
        profiles = RoleProfile.objects.filter(pk__in=codes).order_by("code")
        required = [
            [
                f"{p.code} {p.name}",
                ", ".join(f"{code} {level}" for code, level in sorted(p.requirements.items())) or "—",
            ]
            for p in profiles
        ]
        if required:
            blocks += [
                Heading(_("Competencies the roles require")),
                Table([_("Role"), _("Competency and level required")], required, [3, 5], small=True),
            ]
    for run in adopted_runs(data.plan):
        lines = run_summary(None, run)
        if not lines:
            continue
        rows = []
        for line in lines:
            initiative = (
                f"{line.initiative.code} {_t(line.initiative, 'title')}" if line.initiative else _("No initiative")
            )
            for course in line.courses:
                rows.append(
                    [
                        initiative,
                        f"{course.course.code} {course.course.title}",
                        str(course.sessions),
                        "—" if course.officers is None else str(course.officers),
                        _money(course.cost),
                    ]
                )
        blocks += [
            Heading(_("Training adopted for %(year)d: %(name)s") % {"year": run.year, "name": run.name}),
            Table(
                [_("Initiative"), _("Course"), _("Sessions"), _("Officers"), _("Cost")],
                rows,
                [3, 3.5, 1, 1, 1.3],
                numeric={2, 3, 4},
                small=True,
            ),
            Paragraph(
                _("Amounts in %(currency)s; %(spent)s spent of a budget of %(budget)s.")
                % {"currency": data.plan.currency, "spent": _money(run.spent), "budget": _money(run.budget)},
                style="muted",
            ),
        ]
    return blocks


def _actions(data: _Data) -> list[Block]:
    """The plan's follow-up action register: open actions first, by due date."""
    actions = sorted(
        FollowUpAction.objects.filter(plan=data.plan).select_related("owner_unit"),
        key=lambda a: (a.is_closed, a.due_on, a.number),
    )
    if not actions:
        return []
    today = timezone.localdate()
    overdue = sum(1 for a in actions if a.is_overdue(today))
    rows = [
        [
            a.code,
            a.title,
            a.owner_unit.name,
            date_format(a.due_on, "M Y"),
            a.get_status_display() + (" · " + _("overdue") if a.is_overdue(today) else ""),
            a.source_detail or a.get_source_display(),
        ]
        for a in actions
    ]
    return [
        Paragraph(
            ngettext("%(n)d action", "%(n)d actions", len(actions)) % {"n": len(actions)}
            + "; "
            + ngettext("%(n)d open", "%(n)d open", sum(1 for a in actions if not a.is_closed))
            % {"n": sum(1 for a in actions if not a.is_closed)}
            + ", "
            + ngettext("%(n)d of them overdue.", "%(n)d of them overdue.", overdue) % {"n": overdue}
        ),
        Table(
            [pgettext("a follow-up action", "Action"), _("Title"), _("Owner"), _("Due"), _("Status"), _("Decided at")],
            rows,
            [0.9, 4.2, 2.4, 1, 1.2, 2],
            small=True,
        ),
    ]


#: how a consolidation names a proposal after its round ("Planning round 2011: …, P3")
_PROPOSAL = re.compile(r",\s*P\d+$")


def _code_key(code: str) -> list[Any]:
    return [code[:1], *(int(part) if part.isdigit() else part for part in code[1:].split("."))]


def _attributions(data: _Data) -> list[Block]:
    """Where the elements consolidated from planning rounds came from: one line per who
    proposed and who merged, with the elements they gave the plan and the round."""
    found = list(
        ElementAttribution.objects.filter(element__plan=data.plan)
        .select_related("element")
        .prefetch_related("proposed_by", "merged_by")
    )
    if not found:
        return []
    groups: dict[tuple[str, str], list[ElementAttribution]] = defaultdict(list)
    for a in found:
        proposers = ", ".join(sorted(u.name for u in a.proposed_by.all())) or _("not known here")
        mergers = ", ".join(sorted(u.name for u in a.merged_by.all())) or "—"
        groups[(proposers, mergers)].append(a)
    rows = []
    for (proposers, mergers), members in sorted(groups.items(), key=lambda g: (-len(g[1]), g[0])):
        members.sort(key=lambda a: _code_key(a.element.code))
        rounds = sorted({_PROPOSAL.sub("", a.source) for a in members if a.source})
        rows.append([proposers, mergers, ", ".join(a.element.code for a in members), "; ".join(rounds) or "—"])
    return [
        Paragraph(
            ngettext(
                "%(n)d element of the plan came from a planning round: the unit that proposed it, the "
                "units that merged proposals into it, and the round. The element's page names its proposal.",
                "%(n)d elements of the plan came from planning rounds, by the units that proposed them "
                "and the units that merged proposals into them, with the round. Each element's page names "
                "its proposal.",
                len(found),
            )
            % {"n": len(found)}
        ),
        Table(
            [_("Proposed by"), _("Merged by"), _("Elements"), _("Round")],
            rows,
            [2.6, 2, 4.2, 2],
            small=True,
        ),
    ]


BUILDERS: dict[str, Callable[[_Data], list[Block]]] = {
    "foreword": _foreword,
    "statements": _statements,
    "diagnostic": _diagnostic,
    "environment": _environment,
    "activity": _activity,
    "results": _results,
    "logframe": _logframe,
    "indicators": _indicators,
    "roadmap": _roadmap,
    "budget": _budget,
    "risks": _risks,
    "recommendations": _recommendations,
    "people": _people,
    "actions": _actions,
    "attributions": _attributions,
}


def _cover(plan: Plan, version_line: str) -> list[str]:
    return [
        plan.administration.name,
        _("%(a)d–%(b)d") % {"a": plan.start_year, "b": plan.end_year},
        _("Status: %(s)s") % {"s": plan.get_status_display()},
        version_line,
        _("Generated on %(d)s") % {"d": date_format(timezone.localdate(), "j F Y")},
    ]


def _version_line(plan: Plan, number: int | None, shown: Edition) -> str:
    text = _("%(version)s · content %(f)s") % {"version": shown.line, "f": fingerprint(plan)}
    if number:
        text = _("Document %(n)d · %(rest)s") % {"n": number, "rest": text}
    return text


def _footer(plan: Plan, shown: Edition, *parts: str) -> str:
    return " · ".join([_t(plan, "title"), *parts, shown.label])


@_in_the_document_language
def strategic_plan(
    plan: Plan,
    *,
    sections: Iterable[str] = (),
    number: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Document:
    """The strategic plan as a document: the chosen sections (all when none are chosen), each
    where its data exists; a plan that is not approved is marked DRAFT on every page."""
    chosen = [key for key in PLAN_SECTIONS if not sections or key in set(sections)]
    data = _Data.of(plan)
    built: list[Section] = []
    for key in chosen:
        if progress is not None:
            progress(str(PLAN_SECTIONS[key]))
        blocks = BUILDERS[key](data)
        if blocks:
            built.append(Section(key, str(PLAN_SECTIONS[key]), blocks, annex=key in ANNEXES))
    shown = edition(plan)
    return Document(
        title=_t(plan, "title"),
        subtitle=_("Strategic plan"),
        cover_lines=_cover(plan, _version_line(plan, number, shown)),
        sections=built,
        watermark=_("DRAFT") if shown.draft else "",
        footer=_footer(plan, shown) + (f" · {_('DRAFT')}" if shown.draft else ""),
        contents_title=_("Contents"),
        language=translation.get_language() or "en",
    )


# --- the progress report ----------------------------------------------------------------------------


def _previous(period: Period) -> Period:
    return Period.containing(period.start - dt.timedelta(days=1), period.kind)


@dataclass(frozen=True)
class Observed:
    """What a progress report shows of one indicator for its period: the evaluation of the
    period itself or, when the indicator has no value for it, of the latest period inside the
    same year that has one up to the period's end (for an indicator reported yearly, the year
    itself); ``why`` says why there is no value at all."""

    evaluation: engine.Evaluation
    #: the period the value belongs to (the report's own, or the one stood in for it)
    period: Period
    why: str = ""


def _observed(state: IndicatorState, period: Period) -> Observed:
    """The indicator's value for ``period``, or the latest one of the period's year."""
    own = engine.evaluate(state.spec, period)
    if own.actual is not None:
        return Observed(own, period)
    if own.partial is not None and own.coverage is not None:
        why = _("only %(r)d of %(e)d units reported for %(p)s") % {
            "r": own.coverage.reported,
            "e": own.coverage.expected,
            "p": period.code,
        }
        return Observed(own, period, why)
    year = Period.year_of(period.year)
    yearly = state.indicator.frequency == "year"
    if period.kind is not PeriodKind.YEAR:
        observed = {Period.parse(a.period) for a in state.actuals}
        # the year itself (its value covers the period), or a shorter period of the year
        # that ended by the period's end; the latest first
        candidates = sorted(
            (p for p in observed if p == year or (year.contains(p) and p.end <= period.end and p != period)),
            key=lambda p: (p.end, p.months),
            reverse=True,
        )
        for candidate in candidates:
            found = engine.evaluate(state.spec, candidate)
            if found.actual is not None:
                return Observed(found, candidate)
    if yearly and period.kind is not PeriodKind.YEAR:
        why = _("reported yearly; no %(year)d value recorded yet") % {"year": period.year}
    else:
        why = _("no value recorded for %(p)s") % {"p": period.code}
    return Observed(own, period, why)


@_in_the_document_language
def progress_report(
    plan: Plan, period: Period, *, number: int | None = None, progress: Callable[[str], None] | None = None
) -> Document:
    """Where the plan stands at the end of ``period``: health, goals and objectives with status
    and trend, the indicator table, initiatives, overdue work and the top risks."""
    data = _Data.of(plan)
    seen: dict[int, Observed] = {}
    now: dict[int, engine.Evaluation] = {}
    then: dict[int, engine.Evaluation] = {}
    for pk, state in data.states.items():
        seen[pk] = _observed(state, period)
        now[pk] = seen[pk].evaluation
        # the trend compares like with like: a year's value with the year before
        then[pk] = _observed(state, _previous(seen[pk].evaluation.period)).evaluation
    sections: list[Section] = []

    def add(key: str, title: str, blocks: list[Block]) -> None:
        if progress is not None:
            progress(title)
        if blocks:
            sections.append(Section(key, title, blocks))

    overall = engine.health(e.status for e in now.values())
    counts = [(s.value, _status(s), n) for s, n in overall.ordered()]
    valued = [o for o in seen.values() if o.evaluation.actual is not None]
    summary: list[Block] = [
        Paragraph(
            ngettext(
                "Overall health at the end of %(p)s: %(s)s, from the %(n)d indicator with a value.",
                "Overall health at the end of %(p)s: %(s)s, from the %(n)d indicators with a value.",
                len(valued),
            )
            % {"p": period.code, "s": _status(overall.status), "n": len(valued)},
            style="lead",
        ),
        Paragraph(_coverage(period, list(seen.values()))),
    ]
    if counts:
        summary.append(
            charts.figure(charts.health_spec(counts, title=_("Indicators")), _("Indicators by status"), share=0.9)
        )
    add("health", _("Overall health"), summary)

    def element_status(element_id: int, evaluations: dict[int, engine.Evaluation]) -> engine.Health:
        ids = {element_id} | {d.pk for d in _descendants(data, element_id)}
        return engine.health(
            evaluations[s.indicator.pk].status for s in data.states.values() if s.indicator.element_id in ids
        )

    rows: list[list[str]] = []
    strong: set[int] = set()
    for node, depth in data.walk():
        if node.element.kind not in (ElementKind.GOAL, ElementKind.OBJECTIVE):
            continue
        current = element_status(node.element.pk, now)
        earlier = element_status(node.element.pk, then)
        if depth == 0:
            strong.add(len(rows))
        rows.append(
            [
                node.element.code,
                _t(node.element, "title"),
                f"{current.status.value}|{_status(current.status)}",
                _trend(current, earlier),
            ]
        )
    add(
        "goals",
        _("Goals and objectives"),
        [
            Table(
                [_("Code"), _("Goal / objective"), _("Status"), _("Trend")],
                rows,
                [0.9, 6, 1.3, 1.2],
                strong=strong,
                status_column=2,
            )
        ]
        if rows
        else [],
    )

    indicator_rows = []
    for state in sorted(data.states.values(), key=lambda s: s.indicator.number):
        i = state.indicator
        e = now[i.pk]
        d = int(i.decimals)
        actual = _number(e.actual, d)
        if e.actual is not None and e.period != period:
            actual += f" ({e.period.code})"  # the year's value, or an earlier quarter's
        indicator_rows.append(
            [
                i.code,
                i.name,
                _number(i.baseline_value, d),
                _number(e.expected, d),
                actual,
                f"{e.status.value}|{_status(e.status)}",
                # the same forecast as the indicator page's, as it stood at the period's end
                _forecast(indicator_forecast(state, plan.end_year, through=period), d),
            ]
        )
    add(
        "indicators",
        _("Indicators"),
        [
            Paragraph(
                _(
                    "Target: the value expected by the end of the period on the way to the plan's targets. "
                    "An actual followed by another period is that period's value: the year's for an "
                    "indicator reported yearly, or the latest of the year when the period has none; its "
                    "target and status are that period's."
                ),
                style="muted",
            ),
            Table(
                [
                    _("Code"),
                    _("Indicator"),
                    _("Baseline"),
                    _("Target"),
                    _("Actual"),
                    _("Status"),
                    _("Forecast %(year)d") % {"year": plan.end_year},
                ],
                indicator_rows,
                [0.9, 3.7, 1.1, 1.1, 1.1, 1.2, 2.0],
                numeric={2, 3, 4},
                status_column=5,
                small=True,
            ),
            Paragraph(
                _(
                    "Forecast: whether the indicator is likely, at risk or unlikely to reach its %(year)d "
                    "target, with the value projected. Method: a straight line through the yearly actuals "
                    "known at the end of %(period)s (least squares), carried to %(year)d, with a band of two "
                    "standard errors either side; likely when the whole band reaches the target, unlikely "
                    "when none of it does, at risk otherwise. A dash: fewer than three years of actuals, no "
                    "%(year)d target, or a target range."
                )
                % {"year": plan.end_year, "period": period.code},
                style="muted",
            ),
            *_without_value(data, seen),
        ]
        if indicator_rows
        else [],
    )

    initiatives = [n.element for n, _d in data.walk() if n.element.kind == ElementKind.INITIATIVE]
    add(
        "initiatives",
        _("Initiatives"),
        [
            Table(
                [_("Code"), _("Initiative"), _("Responsible unit"), _("Dates"), _("Status"), _("Time elapsed")],
                [
                    [
                        e.code,
                        _t(e, "title"),
                        e.responsible_unit.name,
                        f"{_month(e.starts_on)} – {_month(e.ends_on)}",
                        e.get_status_display(),
                        _elapsed(e, period),
                    ]
                    for e in initiatives
                ],
                [0.9, 4, 2.2, 1.8, 1.2, 1],
                numeric={5},
                small=True,
            )
        ]
        if initiatives
        else [],
    )

    highlights = _clearance_highlights(data, now)
    add("clearance", _("Clearance-time highlights"), highlights)

    overdue = [
        n.element
        for n, _d in data.walk()
        if n.element.kind in (ElementKind.INITIATIVE, ElementKind.ACTIVITY)
        and n.element.ends_on is not None
        and n.element.ends_on <= period.end
        and n.element.status not in ("completed", "cancelled")
    ]
    add(
        "overdue",
        _("Overdue actions"),
        [
            Table(
                [_("Due"), _("Code"), _("Initiative or activity"), _("Responsible unit"), _("Status")],
                [
                    [_month(e.ends_on), e.code, _t(e, "title"), e.responsible_unit.name, e.get_status_display()]
                    for e in overdue
                ],
                [1.1, 0.9, 4, 2.2, 1.2],
                small=True,
            )
        ]
        if overdue
        else [Paragraph(_("No initiative or activity due by the end of the period is unfinished."))],
    )
    add("risks", _("Top risks"), _risks(data, limit=5))
    shown = edition(plan)
    return Document(
        title=_t(plan, "title"),
        subtitle=_("Progress report, %(p)s") % {"p": period.code},
        cover_lines=_cover(plan, _version_line(plan, number, shown)),
        sections=sections,
        # the report's values are what was recorded, whatever the plan's status: no DRAFT mark
        watermark="",
        footer=_footer(plan, shown, _("Progress report, %(p)s") % {"p": period.code}),
        contents_title=_("Contents"),
        language=translation.get_language() or "en",
    )


#: a forecast's verdict as a report cell: the status colour it takes, and its words
FORECAST_LABELS: dict[str, tuple[str, Any]] = {
    "likely": ("on_track", gettext_lazy("Likely")),
    "at_risk": ("at_risk", gettext_lazy("At risk")),
    "unlikely": ("off_track", gettext_lazy("Unlikely")),
}


def _coverage(period: Period, seen: list[Observed]) -> str:
    """How many indicators the report has a value for, and why the others are missing:
    "1 of 52 indicators has a value for 2014Q2; 49 reported yearly are shown with their 2014
    value; 2 have none (listed under the indicator table)."."""
    total = len(seen)
    own = sum(1 for o in seen if o.evaluation.actual is not None and o.evaluation.period == period)
    other = sum(1 for o in seen if o.evaluation.actual is not None and o.evaluation.period != period)
    none = total - own - other
    parts = [
        ngettext(
            "%(n)d of %(total)d indicators has a value for %(p)s",
            "%(n)d of %(total)d indicators have a value for %(p)s",
            own,
        )
        % {"n": own, "total": total, "p": period.code}
    ]
    if other:
        parts.append(
            ngettext(
                "%(n)d is shown with a value of another period of %(year)d (the year's own, for "
                "an indicator reported yearly)",
                "%(n)d are shown with a value of another period of %(year)d (the year's own, for "
                "indicators reported yearly)",
                other,
            )
            % {"n": other, "year": period.year}
        )
    if none:
        parts.append(
            ngettext(
                "%(n)d has none (listed under the indicator table, with the reason)",
                "%(n)d have none (listed under the indicator table, with the reasons)",
                none,
            )
            % {"n": none}
        )
    return "; ".join(parts) + "."


def _without_value(data: _Data, seen: dict[int, Observed]) -> list[Block]:
    """The indicators the report has no value for, each with the reason."""
    missing = [
        f"{state.indicator.code} {state.indicator.name}: {seen[state.indicator.pk].why}"
        for state in sorted(data.states.values(), key=lambda s: s.indicator.number)
        if seen[state.indicator.pk].why
    ]
    if not missing:
        return []
    return [Heading(_("Indicators without a value"), level=3), Bullets(missing)]


def _forecast(view: ForecastView | None, decimals: int) -> str:
    """``status|Likely (4.5)``: the verdict, coloured like a status, and the projected value."""
    if view is None:
        return "—"
    colour, label = FORECAST_LABELS[view.forecast.verdict.value]
    return f"{colour}|{label} ({_number(view.forecast.projected, decimals)})"


def _descendants(data: _Data, element_id: int) -> list[PlanElement]:
    children: dict[int | None, list[PlanElement]] = defaultdict(list)
    for e in data.overview.elements:
        children[e.parent_id].append(e)
    found: list[PlanElement] = []
    stack = list(children[element_id])
    while stack:
        e = stack.pop()
        found.append(e)
        stack.extend(children[e.pk])
    return found


def _trend(current: engine.Health, earlier: engine.Health) -> str:
    if current.score is None or earlier.score is None:
        return "—"
    if current.score > earlier.score + 0.05:
        return _("improving")
    if current.score < earlier.score - 0.05:
        return _("worsening")
    return _("steady")


def _elapsed(element: PlanElement, period: Period) -> str:
    if not element.starts_on or not element.ends_on or element.ends_on <= element.starts_on:
        return "—"
    total = (element.ends_on - element.starts_on).days
    done = min(max((period.end - element.starts_on).days, 0), total)
    return f"{100 * done // total} %"


def _clearance_highlights(data: _Data, now: dict[int, engine.Evaluation]) -> list[Block]:
    """The indicators whose values are computed from Time Release Study data."""
    rows = []
    for state in sorted(data.states.values(), key=lambda s: s.indicator.number):
        if not any(a.is_computed for a in state.actuals):
            continue
        e = now[state.indicator.pk]
        d = int(state.indicator.decimals)
        rows.append(
            [
                state.indicator.code,
                state.indicator.name,
                _number(e.expected, d),
                _number(e.actual, d),
                f"{e.status.value}|{_status(e.status)}",
            ]
        )
    if not rows:
        return []
    return [
        Paragraph(_("Indicators computed from clearance-time (Time Release Study) data.")),
        Table(
            [_("Code"), _("Indicator"), _("Target"), _("Actual"), _("Status")],
            rows,
            [0.9, 5, 1.1, 1.1, 1.2],
            numeric={2, 3},
            status_column=4,
            small=True,
        ),
    ]


def progress_periods(plan: Plan) -> list[str]:
    """The periods a progress report may be asked for, newest first: each year of the plan that
    has begun, then its quarters (and months, where an indicator is reported monthly) that have
    begun — 2014, 2014Q4, 2014Q3, 2014Q2, 2014Q1, 2013, …"""
    today = timezone.localdate()
    monthly = plan.indicators.filter(frequency="month").exists()
    found: list[str] = []
    for year in sorted(plan.years, reverse=True):
        whole = Period.year_of(year)
        if whole.start > today:
            continue
        found.append(whole.code)
        parts = whole.subperiods(PeriodKind.QUARTER)
        for quarter in reversed(parts):
            if quarter.start > today:
                continue
            found.append(quarter.code)
            if monthly:
                found += [m.code for m in reversed(quarter.subperiods(PeriodKind.MONTH)) if m.start <= today]
    return found


#: a period "has data" when at least this share of the indicators reported for it have a value
HAS_DATA = 0.5


def default_progress_period(plan: Plan, periods: list[str]) -> str:
    """The period a progress report is offered for first: the latest period that has ended in
    which at least half the indicators reported for it have a value (a year before its own
    fourth quarter), else the latest ended period with any value, else the latest ended one."""
    if not periods:
        return ""
    today = timezone.localdate()
    frequency = dict(plan.indicators.values_list("pk", "frequency"))
    months = {"year": 12, "quarter": 3, "month": 1}
    valued: dict[int, set[Period]] = defaultdict(set)
    for indicator_id, code in Actual.objects.filter(indicator__plan=plan).values_list("indicator_id", "period"):
        try:
            valued[indicator_id].add(Period.parse(code))
        except ValueError:
            continue
    ended = sorted(
        (Period.parse(code) for code in periods if Period.parse(code).end < today),
        key=lambda p: (p.end, p.months),
        reverse=True,
    )

    def share(period: Period) -> tuple[int, int]:
        reported = [pk for pk, f in frequency.items() if months.get(f, 12) <= period.months]
        having = sum(1 for pk in reported if any(period.contains(p) for p in valued.get(pk, ())))
        return having, len(reported)

    for period in ended:
        having, reported = share(period)
        if reported and having / reported >= HAS_DATA:
            return period.code
    for period in ended:
        if share(period)[0]:
            return period.code
    return ended[0].code if ended else periods[-1]
