"""The rules of indicators, targets and actual values, written once.

Pure functions over plain values (no database), each returning located problems. The forms,
the services (and through them the API) and the plan file's indicators section all call them,
so a rule reads the same wherever it is broken. A problem's location is the model field's
name; the plan file re-roots it under its JSON path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from waypoint.core.errors import Problem
from waypoint.core.rules import decimal_problems
from waypoint.engine.periods import Period, PeriodKind
from waypoint.indicators.models import (
    Actual,
    Aggregation,
    Dimension,
    Direction,
    Frequency,
    Indicator,
    Target,
    TargetRevision,
    ToleranceKind,
)

#: the period kind an indicator of each reporting frequency is recorded for
PERIOD_KIND = {
    Frequency.ANNUAL: PeriodKind.YEAR,
    Frequency.QUARTERLY: PeriodKind.QUARTER,
    Frequency.MONTHLY: PeriodKind.MONTH,
}
_EXAMPLES = {PeriodKind.YEAR: "2013", PeriodKind.QUARTER: "2013Q2", PeriodKind.MONTH: "2013-05"}


def _outside(period: str, start_year: int, end_year: int) -> str:
    return _("%(period)s is outside the plan period %(a)d–%(b)d.") % {"period": period, "a": start_year, "b": end_year}


# --- indicators ------------------------------------------------------------------------------------


def cumulative_problems(cumulative: object, aggregation: object) -> list[Problem]:
    """A cumulative indicator's targets are totals to date, so its values add up."""
    if cumulative and aggregation != Aggregation.SUM:
        return [Problem("cumulative", _("A cumulative indicator adds its values up: set aggregation to sum."))]
    return []


def baseline_problems(value: Decimal | None, day: object, *, plan_end_year: int) -> list[Problem]:
    """A baseline has a date, before the plan ends, and a value the column holds."""
    problems = decimal_problems("baseline_value", value, Indicator._meta.get_field("baseline_value"))
    if value is not None and day is None:
        problems.append(Problem("baseline_date", _("Say when the baseline was measured.")))
    if isinstance(day, dt.date) and day.year > plan_end_year:
        problems.append(Problem("baseline_date", _("The baseline must be measured before the plan ends.")))
    return problems


def tolerance_problems(value: Decimal | None) -> list[Problem]:
    if value is None or (value.is_finite() and value < 0):
        return [Problem("tolerance_value", _("The tolerance cannot be negative."))]
    return decimal_problems("tolerance_value", value, Indicator._meta.get_field("tolerance_value"))


#: decimals shown: the form's choice and the plan file's limit
MAX_DECIMALS = 4


def decimals_problems(value: object) -> list[Problem]:
    """How many decimals the indicator's values are shown with."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DECIMALS:
        return [Problem("decimals", _("Show between 0 and %(n)d decimals.") % {"n": MAX_DECIMALS})]
    return []


def completeness_problems(value: object) -> list[Problem]:
    """The share of its reporting units an indicator needs before their roll-up counts: a
    whole percentage, from 1 (any one unit) to 100 (all of them)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        return [
            Problem(
                "completeness_threshold",
                _("Say how many of the units that report must have reported, from 1 to 100 %."),
            )
        ]
    return []


def indicator_problems(values: Mapping[str, Any], *, plan_end_year: int) -> list[Problem]:
    """An indicator's definition (``Indicator`` field names), whoever enters it. What depends on
    stored rows (the element and tier belong to the plan, targets and actuals fit a change) the
    service checks itself."""
    problems: list[Problem] = []
    if not str(values.get("name") or "").strip():
        problems.append(Problem("name", _("Name the indicator.")))
    if not str(values.get("unit_of_measure") or "").strip():
        problems.append(Problem("unit_of_measure", _("Say what the values are measured in, e.g. hours or %.")))
    if values.get("direction") not in Direction.values:
        problems.append(Problem("direction", _("Choose which way is better.")))
    if values.get("aggregation") not in Aggregation.values:
        problems.append(Problem("aggregation", _("Choose sum, mean or latest.")))
    if values.get("frequency") not in Frequency.values:
        problems.append(Problem("frequency", _("Choose annual, quarterly or monthly.")))
    problems += cumulative_problems(values.get("cumulative"), values.get("aggregation"))
    problems += decimals_problems(values.get("decimals", 1))
    unknown = [d for d in values.get("disaggregation") or [] if d not in Dimension.values]
    if unknown:
        problems.append(Problem("disaggregation", _("Unknown dimensions: %(d)s.") % {"d": ", ".join(unknown)}))
    problems += baseline_problems(
        _decimal(values.get("baseline_value")), values.get("baseline_date"), plan_end_year=plan_end_year
    )
    problems += tolerance_problems(_decimal(values.get("tolerance_value")))
    problems += completeness_problems(values.get("completeness_threshold", 100))
    if values.get("tolerance_kind") not in ToleranceKind.values:
        problems.append(Problem("tolerance_kind", _("Choose how the tolerance is measured.")))
    return problems


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# --- targets ---------------------------------------------------------------------------------------


def target_period_problems(period: str, *, start_year: int, end_year: int) -> tuple[list[Problem], Period | None]:
    """Targets are set per plan year; returns the problems and the parsed period."""
    try:
        parsed = Period.parse(period)
    except ValueError as error:
        return [Problem("period", str(error))], None
    if parsed.kind is not PeriodKind.YEAR:
        return [Problem("period", _("Targets are set per plan year, e.g. 2014."))], parsed
    if not start_year <= parsed.year <= end_year:
        message = (
            _outside(period, start_year, end_year)
            + " "
            + _("Set targets for the years between %(a)d and %(b)d.") % {"a": start_year, "b": end_year}
        )
        return [Problem("period", message)], parsed
    return [], parsed


def target_value_problems(value: Decimal, upper_value: Decimal | None, *, is_range: bool) -> list[Problem]:
    """A target's value and, for a range, its upper bound."""
    problems = decimal_problems("value", value, Target._meta.get_field("value"))
    problems += decimal_problems("upper_value", upper_value, Target._meta.get_field("upper_value"))
    if is_range and upper_value is None:
        problems.append(Problem("upper_value", _("A range indicator needs an upper bound.")))
    if not is_range and upper_value is not None:
        problems.append(Problem("upper_value", _("Only range indicators have an upper bound.")))
    if upper_value is not None and upper_value.is_finite() and value.is_finite() and upper_value < value:
        problems.append(Problem("upper_value", _("The upper bound cannot be below the lower bound.")))
    return problems


def revision_value_problems(values: Mapping[str, Decimal | None]) -> list[Problem]:
    """The values kept in a target's history (``TargetRevision`` field names)."""
    return [
        problem
        for name, value in values.items()
        for problem in decimal_problems(name, value, TargetRevision._meta.get_field(name))
    ]


# --- actuals ---------------------------------------------------------------------------------------


def actual_period_problems(
    period: str, *, frequency: str, start_year: int, end_year: int
) -> tuple[list[Problem], Period | None]:
    """An actual is recorded for a period of the indicator's frequency within the plan;
    returns the problems and the parsed period."""
    try:
        parsed = Period.parse(period)
    except ValueError as error:
        return [Problem("period", str(error))], None
    expected = PERIOD_KIND[Frequency(frequency)]
    if parsed.kind is not expected:
        message = _("This indicator is reported %(freq)s: write the period like %(ex)s.") % {
            "freq": Frequency(frequency).label.lower(),
            "ex": _EXAMPLES[expected],
        }
        return [Problem("period", message)], parsed
    if not start_year <= parsed.year <= end_year:
        return [Problem("period", _outside(parsed.code, start_year, end_year))], parsed
    return [], parsed


def actual_unit_problems(*, by_unit: bool) -> list[Problem]:
    """For an actual recorded for a unit: the indicator must be reported by unit."""
    if not by_unit:
        return [Problem("unit", _("This indicator is not reported by unit; leave the unit empty."))]
    return []


def actual_value_problems(value: Decimal) -> list[Problem]:
    return decimal_problems("value", value, Actual._meta.get_field("value"))


def actual_taken(period: str, where: str) -> Problem:
    """One value per indicator, period and unit (``where``: the unit's code, or the whole
    administration)."""
    return Problem(
        "period",
        _("A value for %(period)s (%(where)s) is already recorded; correct that one instead of adding a second value.")
        % {"period": period, "where": where},
    )
