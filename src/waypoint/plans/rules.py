"""The rules of a plan and its content, written once.

Pure functions over plain values (no database), each returning located problems. The form,
the service, the API (through the service) and the plan file's check all call them, so a rule
reads the same wherever it is broken; only the location differs (a form field, a field name,
a JSON path). A problem's location is the model field's name; callers that locate problems
otherwise (the plan file) re-root it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from waypoint.core.errors import Problem
from waypoint.core.rules import decimal_problems
from waypoint.engine.quality import CATALOGUE
from waypoint.plans.models import (
    CATEGORIES_BY_FRAMEWORK,
    DATED_KINDS,
    BudgetLine,
    ElementKind,
    PlanStatus,
    Priority,
)

FIRST_YEAR, LAST_YEAR = 1900, 2200
#: the longest plan, in years
LONGEST_PLAN = 15


def _outside_period(location: str, start_year: int, end_year: int) -> Problem:
    return Problem(location, _("Outside the plan period %(period)s.") % {"period": f"{start_year}–{end_year}"})


# --- plans -------------------------------------------------------------------------------------


def plan_period_problems(start_year: int, end_year: int) -> list[Problem]:
    """A plan's years: a real first year, then at most fifteen years in order."""
    problems = []
    if not FIRST_YEAR <= start_year <= LAST_YEAR:
        problems.append(Problem("start_year", _("The first year must be a year such as 2012.")))
    if end_year < start_year:
        problems.append(Problem("end_year", _("The last year cannot come before the first year.")))
    elif end_year - start_year >= LONGEST_PLAN:
        problems.append(Problem("end_year", _("A plan covers at most 15 years.")))
    return problems


def plan_problems(*, title: str, start_year: int, end_year: int) -> list[Problem]:
    problems = []
    if not title.strip():
        problems.append(Problem("title", _("A plan needs a title.")))
    return problems + plan_period_problems(start_year, end_year)


def plan_lock_reason(status: str) -> str | None:
    """Why a plan in ``status`` refuses changes to its content (elements, risks, budget lines,
    the scan and functions, indicators and targets), or ``None`` while it is a draft. What is
    recorded as the plan is carried out (actual values, implementation status, the roadmap's
    schedule) stays open."""
    if status == PlanStatus.APPROVED:
        return _(
            "This plan is approved and locked: its elements, indicators, targets and budgets change only "
            "through an amendment, which a planner opens with a reason on the plan's Approval page."
        )
    if status == PlanStatus.UNDER_REVIEW:
        return _(
            "This plan is submitted for approval and does not change while it waits for the decision: "
            "a planner can withdraw it, or an approver return it, to change it."
        )
    if status == PlanStatus.SUPERSEDED:
        return _("This plan is superseded and read-only.")
    return None


#: element fields that record how the work goes, not what the plan commits to: they stay open
#: on an approved plan
MONITORING_FIELDS = frozenset({"status"})


# --- elements ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dates:
    """An element's code, kind and dates, as the date rules see a parent."""

    code: str
    kind: str
    starts_on: dt.date | None
    ends_on: dt.date | None


def date_order_problems(starts_on: dt.date | None, ends_on: dt.date | None) -> list[Problem]:
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        return [Problem("ends_on", _("The end cannot come before the start."))]
    return []


def undated_kind_problems(kind: str, starts_on: dt.date | None, ends_on: dt.date | None) -> list[Problem]:
    """Goals and objectives take their time from what is below them.

    The services drop dates given to them (a form never shows the fields); a file that carries
    them is refused, since it says something the plan cannot hold."""
    if kind not in DATED_KINDS and (starts_on is not None or ends_on is not None):
        return [Problem("starts_on", _("Only initiatives and activities have dates."))]
    return []


def element_date_problems(
    *,
    start_year: int,
    end_year: int,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    parent: Dates | None,
) -> list[Problem]:
    """The dates of an initiative or activity: within the plan period, in order, within its
    parent's dates (``start_year``, ``end_year``: the plan's period)."""
    problems: list[Problem] = []
    first, last = dt.date(start_year, 1, 1), dt.date(end_year, 12, 31)
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if day is not None and not first <= day <= last:
            problems.append(_outside_period(name, start_year, end_year))
    problems += date_order_problems(starts_on, ends_on)
    if parent is not None and parent.kind in DATED_KINDS:
        if starts_on is not None and parent.starts_on is not None and starts_on < parent.starts_on:
            problems.append(
                Problem(
                    "starts_on",
                    _("The start is before its parent %(code)s starts (%(date)s).")
                    % {"code": parent.code, "date": f"{parent.starts_on:%Y-%m}"},
                )
            )
        if ends_on is not None and parent.ends_on is not None and ends_on > parent.ends_on:
            problems.append(
                Problem(
                    "ends_on",
                    _("The end is after its parent %(code)s ends (%(date)s).")
                    % {"code": parent.code, "date": f"{parent.ends_on:%Y-%m}"},
                )
            )
    return problems


def tier_problems(tier_plan_id: int | None, plan_id: int) -> list[Problem]:
    """Elements and indicators sit on a results tier of their own plan."""
    if tier_plan_id != plan_id:
        return [Problem("tier", _("Choose one of this plan's results tiers."))]
    return []


def element_title_problems(kind: str, title: str) -> list[Problem]:
    if not title.strip():
        return [Problem("title", _("Give the %(kind)s a title.") % {"kind": ElementKind(kind).label.lower()})]
    return []


# --- risks -------------------------------------------------------------------------------------


def risk_problems(*, description: str, likelihood: object, impact: object) -> list[Problem]:
    problems = []
    if not description.strip():
        problems.append(Problem("description", _("Describe the risk.")))
    for name, score in (("likelihood", likelihood), ("impact", impact)):
        if not isinstance(score, int) or not 1 <= score <= 5:
            problems.append(Problem(name, _("Score from 1 to 5.")))
    return problems


# --- budget ------------------------------------------------------------------------------------


def budget_amount_problems(amount: Decimal | None) -> list[Problem]:
    """Money planned on a line: not negative, and a number the column holds."""
    if amount is None:
        return []
    if amount.is_finite() and amount < 0:
        return [Problem("amount", _("A budget cannot be negative."))]
    return decimal_problems("amount", amount, BudgetLine._meta.get_field("amount"))


def budget_line_problems(
    *,
    year: int,
    amount: Decimal,
    start_year: int,
    end_year: int,
    element: Dates,
) -> list[Problem]:
    """A budget line of ``element``: a year of the plan and of the element's own dates, and a
    sound amount (``start_year``, ``end_year``: the plan's period)."""
    problems = []
    if not start_year <= year <= end_year:
        problems.append(_outside_period("year", start_year, end_year))
    elif element.starts_on and element.ends_on and not element.starts_on.year <= year <= element.ends_on.year:
        problems.append(
            Problem(
                "year",
                _("%(code)s runs %(a)d–%(b)d; budget it within those years.")
                % {"code": element.code, "a": element.starts_on.year, "b": element.ends_on.year},
            )
        )
    return problems + budget_amount_problems(amount)


def budget_line_taken(year: int, source: str) -> Problem:
    """An element has one line per year and funding source."""
    return Problem(
        "year",
        _("There is already a %(year)d line from %(source)s; change that one instead.")
        % {"year": year, "source": source},
    )


# --- environmental analysis and functions ----------------------------------------------------------


def analysis_item_problems(*, framework: str, category: str, text: str) -> list[Problem]:
    problems = []
    if framework not in CATEGORIES_BY_FRAMEWORK:
        problems.append(Problem("framework", _("Choose SWOT or PESTLE.")))
    elif category not in CATEGORIES_BY_FRAMEWORK[framework]:
        problems.append(
            Problem(
                "category",
                _("'%(category)s' is not a %(fw)s category.") % {"category": category, "fw": framework.upper()},
            )
        )
    if not text.strip():
        problems.append(Problem("text", _("Write the statement.")))
    return problems


def function_problems(*, name: str, priority: str) -> list[Problem]:
    problems = []
    if not name.strip():
        problems.append(Problem("name", _("Name the function.")))
    if priority not in Priority.values:
        problems.append(Problem("priority", _("Choose high, medium or low.")))
    return problems


def function_name_taken(name: str) -> Problem:
    """A plan names each of its functions once."""
    return Problem("name", _("The plan already has a function called %(name)s.") % {"name": name.strip()})


# --- quality rule settings ------------------------------------------------------------------------


def quality_rule_problems(rule: str) -> list[Problem]:
    """A plan can switch off or re-grade only the rules the quality engine has."""
    if rule not in CATALOGUE:
        return [Problem("rule", _("Unknown quality rule %(r)s.") % {"r": rule})]
    return []
