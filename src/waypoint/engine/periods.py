"""Reporting periods as value objects (a year, a quarter or a month), and the month
arithmetic every app and engine shares.

Periods are written the way DHIS2 and most statistical offices write them: ``2013``,
``2013Q2`` and ``2013-05``. Plans store the code; arithmetic happens here.

A month in a plan (an element's start and end, a team's capacity change, a deadline) is a
``datetime.date`` in that month, stored as its first day (or, for an end, its last day) and
written ``2013-05`` in files and the API, like a month ``Period``. The functions below are the
only month arithmetic: ``month_start``/``month_end`` normalise a date, ``add_months`` and
``months_from`` move along months (the roadmap counts months from January of the plan's first
year), ``months_spanned`` counts the months a span touches, ``month_code``/``parse_month``
write and read the text form.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from dataclasses import dataclass

__all__ = [
    "Period",
    "PeriodKind",
    "add_months",
    "days_in_month",
    "month_code",
    "month_end",
    "month_start",
    "months_at",
    "months_from",
    "months_spanned",
    "parse_month",
]


class PeriodKind(enum.Enum):
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"

    @property
    def months(self) -> int:
        return {PeriodKind.YEAR: 12, PeriodKind.QUARTER: 3, PeriodKind.MONTH: 1}[self]


_PATTERNS = (
    (re.compile(r"^(\d{4})$"), PeriodKind.YEAR),
    (re.compile(r"^(\d{4})Q([1-4])$"), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), PeriodKind.MONTH),
)


@dataclass(frozen=True)
class Period:
    """One calendar period. ``index`` is 1 for a year, 1–4 for a quarter, 1–12 for a month."""

    kind: PeriodKind
    year: int
    index: int = 1

    def __post_init__(self) -> None:
        upper = {PeriodKind.YEAR: 1, PeriodKind.QUARTER: 4, PeriodKind.MONTH: 12}[self.kind]
        if not 1 <= self.index <= upper:
            raise ValueError(f"{self.kind.value} index must be between 1 and {upper}, got {self.index}")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")

    # -- construction -----------------------------------------------------------------
    @classmethod
    def parse(cls, code: str) -> Period:
        """Read ``2013``, ``2013Q2`` or ``2013-05``.

        Raises:
            ValueError: the text is not one of the three forms.
        """
        text = code.strip()
        for pattern, kind in _PATTERNS:
            match = pattern.match(text)
            if match:
                year = int(match.group(1))
                index = int(match.group(2)) if kind is not PeriodKind.YEAR else 1
                return cls(kind, year, index)
        raise ValueError(f"'{code}' is not a period: write 2013, 2013Q2 or 2013-05")

    @classmethod
    def year_of(cls, year: int) -> Period:
        return cls(PeriodKind.YEAR, year)

    @classmethod
    def containing(cls, day: dt.date, kind: PeriodKind) -> Period:
        if kind is PeriodKind.YEAR:
            return cls(kind, day.year)
        if kind is PeriodKind.QUARTER:
            return cls(kind, day.year, (day.month - 1) // 3 + 1)
        return cls(kind, day.year, day.month)

    # -- presentation -----------------------------------------------------------------
    @property
    def code(self) -> str:
        if self.kind is PeriodKind.YEAR:
            return f"{self.year:04d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year:04d}Q{self.index}"
        return f"{self.year:04d}-{self.index:02d}"

    def __str__(self) -> str:
        return self.code

    # -- calendar arithmetic ------------------------------------------------------------
    @property
    def first_month(self) -> int:
        """Month number (1–12) in which the period starts."""
        return (self.index - 1) * self.kind.months + 1

    @property
    def months(self) -> int:
        return self.kind.months

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        """Last day of the period (inclusive)."""
        last_month = self.first_month + self.kind.months - 1
        return dt.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    @property
    def start_months(self) -> float:
        """Start of the period on the month axis used by trajectories."""
        return float(self.year * 12 + self.first_month - 1)

    @property
    def end_months(self) -> float:
        """End of the period on the month axis (equal to the next period's start)."""
        return self.start_months + self.kind.months

    def contains(self, other: Period) -> bool:
        return self.start_months <= other.start_months and other.end_months <= self.end_months

    def overlaps(self, other: Period) -> bool:
        return self.start_months < other.end_months and other.start_months < self.end_months

    def subperiods(self, kind: PeriodKind) -> list[Period]:
        """The periods of ``kind`` that make up this one (itself when ``kind`` is its own)."""
        if kind.months > self.kind.months:
            raise ValueError(f"a {self.kind.value} cannot be split into {kind.value}s")
        step = kind.months
        first_index = (self.first_month - 1) // step + 1
        count = self.kind.months // step
        return [Period(kind, self.year, first_index + offset) for offset in range(count)]

    def sort_key(self) -> tuple[float, float]:
        return (self.start_months, self.end_months)

    def __lt__(self, other: Period) -> bool:
        return self.sort_key() < other.sort_key()

    def __le__(self, other: Period) -> bool:
        return self.sort_key() <= other.sort_key()


def months_at(day: dt.date) -> float:
    """Position of the *end* of ``day`` on the month axis.

    The axis counts months since year 0, so the end of 31 December 2011 and the start of
    2012 are the same point (24144.0), which lets a baseline measured on the last day of a
    year sit exactly where the first target year begins.
    """
    days_in_month = calendar.monthrange(day.year, day.month)[1]
    return day.year * 12 + (day.month - 1) + day.day / days_in_month


# --- months ------------------------------------------------------------------------------------


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def month_start(day: dt.date) -> dt.date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return day.replace(day=days_in_month(day.year, day.month))


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s (before it when negative)."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_from(origin: dt.date, day: dt.date) -> int:
    """Calendar months from ``origin``'s month to ``day``'s: 0 in the same month, negative
    before it (the inverse of ``add_months``)."""
    return (day.year - origin.year) * 12 + day.month - origin.month


def months_spanned(first: dt.date | None, last: dt.date | None) -> int | None:
    """How many calendar months ``first`` to ``last`` touch, both included (at least 1);
    ``None`` when either is missing."""
    if first is None or last is None:
        return None
    return max(1, months_from(first, last) + 1)


def month_code(day: dt.date | None) -> str | None:
    """``2013-05`` for a day in May 2013 (the code of its month ``Period``); ``None`` for none."""
    return Period.containing(day, PeriodKind.MONTH).code if day is not None else None


def parse_month(text: str) -> dt.date:
    """``2013-05`` → 1 May 2013.

    Raises:
        ValueError: the text is not a month written ``YYYY-MM``.
    """
    period = Period.parse(text)
    if period.kind is not PeriodKind.MONTH:
        raise ValueError(f"'{text}' is not a month: write 2013-05")
    return period.start
