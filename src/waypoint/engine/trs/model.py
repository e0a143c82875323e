"""What a Time Release Study measures: the milestones, who acts between them, and the report.

Pure data, no I/O: the runner (DuckDB) and the generator both work from a ``StudyConfig``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from waypoint.engine.timezones import is_time_zone


class TrsInputError(ValueError):
    """The file or the question cannot be answered; the message says what and where."""


class Actor(enum.Enum):
    """Who the time between two milestones belongs to (the TRS "share of time by actor")."""

    CUSTOMS = "customs"
    OTHER_AGENCIES = "other agencies"
    TRADER = "trader/broker"
    PORT = "port/terminal"


#: the import milestones of the WCO Guide as national studies use them (customs-brief §3.3)
DEFAULT_MILESTONES = (
    "arrival",
    "lodgement",
    "registration",
    "documentary_check",
    "physical_examination",
    "oga_release",
    "payment",
    "release",
    "exit",
)
#: the time up to each milestone, from the one before it, belongs to…
DEFAULT_ACTORS = {
    "lodgement": Actor.TRADER,
    "registration": Actor.CUSTOMS,
    "documentary_check": Actor.CUSTOMS,
    "physical_examination": Actor.CUSTOMS,
    "oga_release": Actor.OTHER_AGENCIES,
    "payment": Actor.TRADER,
    "release": Actor.CUSTOMS,
    "exit": Actor.PORT,
}
#: the dimensions of the file contract (docs/trs-file.md); other columns are kept too
STANDARD_DIMENSIONS = (
    "office",
    "mode",
    "regime",
    "channel",
    "hs_chapter",
    "aeo",
    "pre_arrival",
    "oga",
    "declared_value",
)


@dataclass(frozen=True)
class StudyConfig:
    """The milestones in process order and the rules that make a declaration usable.

    ``floating`` milestones may fall anywhere in time (goods may be declared, even released,
    before they arrive: pre-arrival processing); every other milestone must not come before
    the one preceding it in ``milestones``.
    """

    milestones: tuple[str, ...] = DEFAULT_MILESTONES
    required: frozenset[str] = frozenset({"arrival", "lodgement", "registration", "release"})
    floating: frozenset[str] = frozenset({"arrival"})
    actors: dict[str, Actor] = field(default_factory=lambda: dict(DEFAULT_ACTORS))
    start: str = "arrival"
    ends: tuple[str, ...] = ("release", "exit")
    #: the weekday hours counted as peak (local time), for the peak/off-peak comparison
    peak_hours: tuple[int, int] = (8, 18)
    #: the time zone the declarations were recorded in (a zoneinfo name): timestamps without
    #: an offset are read in it, and hours, days of the week and periods are counted in it
    timezone: str = "UTC"

    def __post_init__(self) -> None:
        problems = []
        if len(set(self.milestones)) != len(self.milestones):
            problems.append("a milestone is listed twice")
        for name in (*self.required, *self.floating, *self.actors, self.start, *self.ends):
            if name not in self.milestones:
                problems.append(f"{name!r} is not one of the milestones")
        if self.start not in self.required:
            problems.append(f"the start milestone {self.start!r} must be required")
        if not is_time_zone(self.timezone):
            problems.append(f"{self.timezone!r} is not a time zone name (such as Asia/Baku or UTC)")
        if problems:
            raise ValueError("; ".join(problems))

    def position(self, milestone: str) -> int:
        return self.milestones.index(milestone)


@dataclass(frozen=True)
class Limits:
    """What a file may hold before it is refused (``None``: no limit). Parquet files are
    read column by column within DuckDB's memory limit; CSV and spreadsheets are for smaller
    data, and a spreadsheet is a zip archive whose content can be far larger than the file."""

    #: data rows of a CSV file or a spreadsheet
    max_rows: int | None = None
    #: the uncompressed size of a spreadsheet's content (the sum over the archive's members)
    max_spreadsheet_bytes: int | None = None


class Reason(enum.Enum):
    """Why a declaration was set aside (the quarantine report counts each)."""

    MISSING_VALUE = "missing value"
    UNKNOWN_MILESTONE = "unknown milestone"
    UNPARSEABLE_TIMESTAMP = "unparseable timestamp"
    DUPLICATE_MILESTONE = "duplicate milestone"
    MISSING_REQUIRED = "missing required milestone"
    OUT_OF_ORDER = "out-of-order timestamps"


@dataclass(frozen=True)
class QuarantineRow:
    declaration_id: str  # empty for a row without a declaration id, which ``line`` locates
    reason: Reason
    detail: str
    #: where a row without a declaration id is: the line of a CSV file (the header is line 1),
    #: the row of a spreadsheet (the header is row 1), or the row of a Parquet file (from 1)
    line: int | None = None
    file: str = ""  # the file's name, when the source is a directory of files


@dataclass(frozen=True)
class Quarantine:
    """What was set aside. Each declaration set aside is counted once in the total and once
    under each of its reasons, so the reasons add up to more than the total when a
    declaration has several; a row without a declaration id counts as one declaration."""

    declarations_in: int
    declarations_used: int
    rows: list[QuarantineRow]  # a sample (at most ``limit`` per reason) with the details
    counts: dict[Reason, int]  # distinct declarations per reason (one declaration may have several)
    rows_without_id: int = 0  # rows without a declaration id, counted under ``MISSING_VALUE``

    @property
    def declarations_set_aside(self) -> int:
        """Distinct declarations set aside, whatever their number of reasons."""
        return self.declarations_in - self.declarations_used

    @property
    def reasons_overlap(self) -> bool:
        """The counts per reason add up to more than the declarations set aside."""
        return sum(self.counts.values()) > self.declarations_set_aside


STATISTICS = ("n", "mean", "median", "p75", "p90", "p95", "min", "max", "trimmed_mean")


@dataclass(frozen=True)
class StatRow:
    """Statistics of one interval (``start`` → ``end``) for one group, in hours."""

    start: str
    end: str
    group: dict[str, str]
    n: int
    mean: float
    median: float
    p75: float
    p90: float
    p95: float
    min: float
    max: float
    trimmed_mean: float  # the mean of the values between the 5th and the 95th percentile (the mean when none are)

    def as_dict(self) -> dict[str, object]:
        return {
            "from": self.start,
            "to": self.end,
            **self.group,
            **{name: getattr(self, name) for name in STATISTICS},
        }
