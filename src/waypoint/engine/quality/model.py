"""What the quality rules read (a plan, as plain values) and what they report (findings).

The plan here is deliberately lenient: every field a rule checks may be missing, because a
missing owner or baseline is a finding to report, not a reason to refuse the plan.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal

from waypoint.engine.periods import Period


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most serious, so sorting by rank puts errors first."""
        return {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}[self]


class Subject(enum.Enum):
    """What a finding is about, so an interface can link it to the right edit form."""

    PLAN = "plan"
    ELEMENT = "element"
    INDICATOR = "indicator"
    RECOMMENDATION = "recommendation"


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """Read ``2013-06``. Raises ValueError on anything else."""
        year, _, month = text.partition("-")
        if len(year) != 4 or not year.isdigit() or not month.isdigit() or not 1 <= int(month) <= 12:
            raise ValueError(f"'{text}' is not a month: write YYYY-MM")
        return cls(int(year), int(month))

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class BudgetLine:
    year: int
    source: str
    amount: Decimal


@dataclass(frozen=True)
class Element:
    code: str
    kind: str  # goal, objective, initiative, activity
    title: str
    parent: str | None = None
    description: str = ""
    responsible_unit: str | None = None
    starts_on: Month | None = None
    ends_on: Month | None = None
    status: str = "not_started"
    budget: tuple[BudgetLine, ...] = ()


@dataclass(frozen=True)
class Target:
    period: Period
    value: Decimal


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    element: str | None
    direction: str | None = None  # increase, decrease, range
    frequency: str | None = None
    owner_unit: str | None = None
    data_source: str = ""
    baseline: Decimal | None = None
    targets: tuple[Target, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    reference: str  # e.g. DIAG-2007/R3: the assessment and the recommendation's code
    text: str
    area: str = ""
    priority: str = "medium"
    addressed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dependency:
    before: str
    after: str


@dataclass(frozen=True)
class BudgetCap:
    year: int
    source: str
    amount: Decimal


@dataclass(frozen=True)
class Roadmap:
    """The roadmap the plan shows: its approved baseline, else its latest solved scenario.

    The plan file does not carry it (scenarios are worked out again from the file), so a
    checked file has none; the application adds it.
    """

    scenario: str
    finishes: Month  # the last month with work


@dataclass(frozen=True)
class RuleSetting:
    """A plan's decision about one rule: switch it off, or give it another severity."""

    rule: str
    enabled: bool = True
    severity: Severity | None = None
    reason: str = ""


@dataclass(frozen=True)
class PlanUnderCheck:
    title: str
    administration: str | None
    start_year: int
    end_year: int
    elements: tuple[Element, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    budget_caps: tuple[BudgetCap, ...] = ()
    settings: tuple[RuleSetting, ...] = ()
    roadmap: Roadmap | None = None


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    subject: Subject
    subject_code: str  # element or indicator code, recommendation reference; empty for the plan
    message: str
    #: the severity the catalogue gives, when the plan re-graded the rule
    default_severity: Severity | None = None

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "subject": self.subject.value,
            "code": self.subject_code,
            "message": self.message,
        }


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    #: rules the plan switched off, with the reason recorded
    switched_off: tuple[RuleSetting, ...] = field(default=())

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def has_errors(self) -> bool:
        return self.count(Severity.ERROR) > 0
