"""Check a plan file before anything is written: every problem, located by JSON path.

The rules are the ones the services apply (``plans/rules.py``, and each section's own
``<app>/rules.py``), so a file says what the form and the API say; the checks that only a
file needs (codes and numbers as written, parents listed before children, units described
the same way as the stored ones) are here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pydantic import ValidationError

from waypoint.core.errors import InvalidInput, Problem
from waypoint.core.rules import integer_problems
from waypoint.engine.periods import month_end, parse_month
from waypoint.org import rules as org_rules
from waypoint.org.models import OrgUnit
from waypoint.plans import rules, translations
from waypoint.plans.errors import PlanFileInvalid
from waypoint.plans.models import CODE_PREFIX, DATED_KINDS, PARENT_KIND, FundingSource, Plan, PlanElement
from waypoint.plans.planfile.reading import read_document
from waypoint.plans.planfile.sections import (
    json_path,
    parent_not_listed,
    sections,
    unknown_tier,
    unlisted_unit,
    used_twice,
)
from waypoint.plans.schemas import FORMAT, ElementEntry, PlanFile


def month_first(text: str | None) -> dt.date | None:
    """``2013-06`` → 1 June 2013 (a start month)."""
    return parse_month(text) if text else None


def month_last(text: str | None) -> dt.date | None:
    """``2013-06`` → 30 June 2013 (an end month, as the services store it)."""
    return month_end(parse_month(text)) if text else None


def stored_administration(code: str) -> OrgUnit | None:
    """The administration (a unit at the top of the tree) with this code, if there is one."""
    return OrgUnit.objects.filter(code=code, parent__isnull=True).first()


def _dates(entry: ElementEntry) -> rules.Dates:
    return rules.Dates(entry.code, entry.kind, month_first(entry.starts_on), month_last(entry.ends_on))


def _pydantic_problems(error: ValidationError) -> list[Problem]:
    return [
        Problem(json_path(*[p for p in issue["loc"] if isinstance(p, str | int)]), issue["msg"])
        for issue in error.errors()
    ]


class _Checker:
    """Collects every problem of a parsed file before anything is written."""

    def __init__(self, doc: PlanFile, into: int | None = None) -> None:
        self.doc = doc
        #: the plan the file is imported into (its own title is not a duplicate)
        self.into = into
        self.problems: list[Problem] = []

    def add(self, location: str, message: str) -> None:
        self.problems.append(Problem(location, message))

    def add_at(self, where: str, problems: Iterable[Problem], names: dict[str, str] | None = None) -> None:
        """Problems located by field name, re-rooted under the JSON path ``where``
        (``names`` maps a field name to the file's name where they differ)."""
        for problem in problems:
            name = (names or {}).get(problem.location, problem.location)
            self.add(f"{where}.{name}", problem.message)

    def translation_problems(self, where: str, value: Any, fields: tuple[str, ...], limits: dict[str, int]) -> None:
        """The texts in other languages: known languages and fields, within the limits."""
        try:
            translations.clean_translations(
                value, fields=fields, main_language=self.doc.plan.language, limits=limits, where="translations"
            )
        except InvalidInput as error:
            self.add_at(where, error.problems)

    def run(self) -> None:
        doc = self.doc
        plan = doc.plan
        self.add_at("$.plan", rules.plan_problems(title=plan.title, start_year=plan.start_year, end_year=plan.end_year))
        try:
            translations.check_language(plan.language)
        except InvalidInput as error:
            self.add_at("$.plan", error.problems)
        self.translation_problems("$.plan", plan.translations, translations.PLAN_FIELDS, translations.PLAN_LIMITS)
        self.add_at(
            "$.plan",
            integer_problems("last_goal_number", plan.last_goal_number, Plan._meta.get_field("last_goal_number")),
        )
        if rules.plan_period_problems(plan.start_year, plan.end_year):
            return  # every date, target and value is checked against the period: it must hold first
        self.units = self._check_units()
        tiers = {t.key for t in doc.tiers}
        if len(tiers) != len(doc.tiers):
            self.add("$.tiers", _("Tier keys must be unique."))
        sources = [s.name for s in doc.funding_sources]
        if len(set(sources)) != len(sources):
            self.add("$.funding_sources", _("Funding source names must be unique."))
        self._check_stored_sources()
        self.elements = self._check_elements(tiers, set(sources))
        self._check_analysis_and_functions()
        self._check_quality_rules()
        for section in sections():
            section.check(doc, self.add)

    def _check_analysis_and_functions(self) -> None:
        doc = self.doc
        objective_codes = {e.code for e in doc.elements if e.kind == "objective"}
        for i, item in enumerate(doc.analysis):
            self.add_at(
                json_path("analysis", i),
                rules.analysis_item_problems(framework=item.framework, category=item.category, text=item.text),
            )
            self._check_objectives(json_path("analysis", i), item.objectives, objective_codes)
        names: set[str] = set()
        for i, function in enumerate(doc.functions):
            where = json_path("functions", i)
            self.add_at(where, rules.function_problems(name=function.name, priority=function.priority))
            if function.name.strip() in names:
                self.add_at(where, [rules.function_name_taken(function.name)])
            names.add(function.name.strip())
            self._check_objectives(where, function.objectives, objective_codes)

    def _check_objectives(self, where: str, codes: list[str], objectives: set[str]) -> None:
        for j, code in enumerate(codes):
            if code not in objectives:
                self.add(f"{where}.objectives[{j}]", _("Unknown objective %(code)s.") % {"code": code})

    def _check_quality_rules(self) -> None:
        seen: set[str] = set()
        for i, entry in enumerate(self.doc.quality_rules):
            unknown = rules.quality_rule_problems(entry.rule)
            if unknown:
                self.add_at(json_path("quality_rules", i), unknown)
            elif entry.rule in seen:
                self.add(
                    json_path("quality_rules", i, "rule"), _("The rule %(r)s is listed twice.") % {"r": entry.rule}
                )
            seen.add(entry.rule)

    def _check_stored_sources(self) -> None:
        """A funding source the administration already has is reused by name: its kind must be
        the file's (as a stored unit's name, kind and parent must be)."""
        admin = stored_administration(self.doc.administration)
        if admin is None:
            return
        stored = dict(
            FundingSource.objects.filter(
                administration=admin, name__in=[s.name for s in self.doc.funding_sources]
            ).values_list("name", "kind")
        )
        for i, source in enumerate(self.doc.funding_sources):
            kind = stored.get(source.name)
            if kind is not None and kind != source.kind:
                self.add(
                    f"{json_path('funding_sources', i)}.kind",
                    _(
                        "The funding source “%(name)s” already exists here as %(stored)s; "
                        "the file says %(kind)s. Rename it in the file or align the kinds."
                    )
                    % {"name": source.name, "stored": kind, "kind": source.kind},
                )

    def _check_units(self) -> dict[str, Any]:
        doc = self.doc
        known: dict[str, Any] = {}
        admin = stored_administration(doc.administration)
        for i, unit in enumerate(doc.units):
            where = json_path("units", i)
            if unit.code in known:
                self.add(f"{where}.code", _("The unit %(code)s is listed twice.") % {"code": unit.code})
                continue
            self.add_at(where, org_rules.unit_problems(code=unit.code, kind=unit.kind))
            self.add_at(where, org_rules.unit_place_problems(kind=unit.kind, has_parent=unit.parent is not None))
            if unit.parent is None:
                if unit.code != doc.administration:
                    self.add(
                        f"{where}.parent",
                        _("Only the administration %(code)s may have no parent.") % {"code": doc.administration},
                    )
            elif unit.parent not in known:
                self.add(f"{where}.parent", parent_not_listed(unit.parent))
            stored = OrgUnit.objects.filter(code=unit.code).select_related("parent").first()
            if stored is not None and (admin is None or not stored.path.startswith(admin.path)):
                # unit codes are unique across administrations: say the code is taken, and
                # nothing of the unit that has it, which belongs to somebody else
                self.add(
                    f"{where}.code",
                    _("The code %(code)s is taken by a unit outside this administration; give the unit another code.")
                    % {"code": unit.code},
                )
            elif stored is not None:
                stored_parent = stored.parent.code if stored.parent else None
                if (stored.name, stored.kind, stored_parent) != (unit.name, unit.kind, unit.parent):
                    self.add(
                        where,
                        _(
                            "The unit %(code)s already exists as “%(name)s” (%(kind)s, under %(parent)s); "
                            "the file describes it differently."
                        )
                        % {"code": unit.code, "name": stored.name, "kind": stored.kind, "parent": stored_parent or "—"},
                    )
            known[unit.code] = unit
        if doc.administration not in known:
            self.add(
                "$.administration",
                _("The administration %(code)s must be listed in $.units.") % {"code": doc.administration},
            )
        if admin is not None:
            duplicate = (
                Plan.objects.filter(
                    administration=admin,
                    title=doc.plan.title,
                    start_year=doc.plan.start_year,
                    end_year=doc.plan.end_year,
                )
                .exclude(pk=self.into or 0)
                .first()
            )
            if duplicate is not None:
                self.add(
                    "$.plan.title",
                    _("This administration already has “%(t)s” for %(a)d–%(b)d (plan %(id)d).")
                    % {"t": doc.plan.title, "a": doc.plan.start_year, "b": doc.plan.end_year, "id": duplicate.pk},
                )
        return known

    def _check_elements(self, tiers: set[str], sources: set[str]) -> dict[str, ElementEntry]:
        doc = self.doc
        first, last = doc.plan.start_year, doc.plan.end_year
        seen: dict[str, ElementEntry] = {}
        numbers: set[tuple[str | None, int]] = set()
        for i, element in enumerate(doc.elements):
            where = json_path("elements", i)
            if element.code in seen:
                self.add(f"{where}.code", used_twice(element.code))
                continue
            parent = None
            expected_parent_kind = PARENT_KIND[element.kind]
            if element.parent is None:
                if expected_parent_kind is not None:
                    self.add(f"{where}.parent", _("A %(kind)s needs a parent.") % {"kind": element.kind})
                expected_code = f"{CODE_PREFIX[element.kind]}{element.number}"
            else:
                parent = seen.get(element.parent)
                if parent is None:
                    self.add(f"{where}.parent", parent_not_listed(element.parent))
                elif parent.kind != expected_parent_kind:
                    self.add(
                        f"{where}.parent",
                        _("A %(kind)s must sit under a %(parent)s, not a %(actual)s.")
                        % {"kind": element.kind, "parent": expected_parent_kind, "actual": parent.kind},
                    )
                elif element.number > parent.last_child_number:
                    self.add(f"{where}.number", _("The number is above its parent's last_child_number."))
                expected_code = f"{CODE_PREFIX[element.kind]}{element.parent[1:]}.{element.number}"
            if element.parent is None and element.number > doc.plan.last_goal_number:
                self.add(f"{where}.number", _("The number is above the plan's last_goal_number."))
            for name in ("number", "position", "last_child_number"):
                self.add_at(where, integer_problems(name, getattr(element, name), PlanElement._meta.get_field(name)))
            if element.code != expected_code:
                self.add(
                    f"{where}.code",
                    _("The code should be %(code)s (kind, parent and number).") % {"code": expected_code},
                )
            if (element.parent, element.number) in numbers:
                self.add(
                    f"{where}.number",
                    _("Two elements under the same parent have number %(n)d.") % {"n": element.number},
                )
            numbers.add((element.parent, element.number))
            if element.tier not in tiers:
                self.add(f"{where}.tier", unknown_tier(element.tier))
            if element.responsible_unit not in self.units:
                self.add(f"{where}.responsible_unit", unlisted_unit(element.responsible_unit))
            self.add_at(where, rules.element_title_problems(element.kind, element.title))
            self.translation_problems(
                where, element.translations, translations.ELEMENT_FIELDS, translations.ELEMENT_LIMITS
            )
            dates = _dates(element)
            if element.kind in DATED_KINDS:
                self.add_at(
                    where,
                    rules.element_date_problems(
                        start_year=first,
                        end_year=last,
                        starts_on=dates.starts_on,
                        ends_on=dates.ends_on,
                        parent=_dates(parent) if parent is not None else None,
                    ),
                )
            else:
                self.add_at(where, rules.undated_kind_problems(element.kind, dates.starts_on, dates.ends_on))
            self._check_budget(i, element, dates, sources)
            self._check_risks(i, element)
            seen[element.code] = element
        return seen

    def _check_budget(self, i: int, element: ElementEntry, dates: rules.Dates, sources: set[str]) -> None:
        lines: set[tuple[int, str]] = set()
        for j, line in enumerate(element.budget):
            where = json_path("elements", i, "budget", j)
            if line.source not in sources:
                self.add(f"{where}.source", _("Unknown funding source '%(s)s'.") % {"s": line.source})
            self.add_at(
                where,
                rules.budget_line_problems(
                    year=line.year,
                    amount=line.amount,
                    start_year=self.doc.plan.start_year,
                    end_year=self.doc.plan.end_year,
                    element=dates,
                ),
            )
            if (line.year, line.source) in lines:
                self.add_at(where, [rules.budget_line_taken(line.year, line.source)])
            lines.add((line.year, line.source))

    def _check_risks(self, i: int, element: ElementEntry) -> None:
        for j, risk in enumerate(element.risks):
            self.add_at(
                json_path("elements", i, "risks", j),
                rules.risk_problems(description=risk.description, likelihood=risk.likelihood, impact=risk.impact),
            )


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, str):
        return _("a text")
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("true or false")
    return _("a number")


def _problem_count(problems: list[Problem]) -> str:
    return ngettext("The plan file has %(n)d problem.", "The plan file has %(n)d problems.", len(problems)) % {
        "n": len(problems)
    }


@dataclass(frozen=True)
class Review:
    """A plan file that passed the check, and what its import keeps without linking it here."""

    doc: PlanFile
    warnings: list[Problem]


def plan_file_check(raw: str | bytes | dict[str, Any]) -> PlanFile:
    """Parse and check a plan file without writing anything.

    Raises:
        PlanFileInvalid: with every problem, located by JSON path.
    """
    return plan_file_review(read_document(raw)).doc


def plan_file_review(data: Any, *, into: int | None = None) -> Review:
    """Check a file's JSON value (from ``read_document``) without writing anything; the review
    lists the warnings an import would report. ``into``: the id of the plan the file is imported
    into (``documents.merge``), whose own title is not taken.

    Raises:
        PlanFileInvalid: with every problem, located by JSON path.
    """
    if not isinstance(data, dict):
        raise PlanFileInvalid(
            _("This is not a Waypoint plan file."),
            problems=[Problem("$", _("A plan file is a JSON object ({…}), not %(kind)s.") % {"kind": _kind(data)})],
        )
    if data.get("format") != FORMAT:
        raise PlanFileInvalid(
            _("This is not a Waypoint plan file."),
            problems=[Problem("$.format", _('Expected "%(f)s".') % {"f": FORMAT})],
        )
    try:
        doc = PlanFile.model_validate(data)
    except ValidationError as error:
        problems = _pydantic_problems(error)
        raise PlanFileInvalid(_problem_count(problems), problems=problems) from error
    checker = _Checker(doc, into)
    checker.run()
    if checker.problems:
        raise PlanFileInvalid(_problem_count(checker.problems), problems=checker.problems)
    warnings: list[Problem] = []
    for section in sections():
        section.warn(doc, lambda location, message: warnings.append(Problem(location, message)))
    return Review(doc, warnings)


def problems_text(problems: Iterable[Problem]) -> str:
    return "\n".join(f"{p.location}: {p.message}" for p in problems)
