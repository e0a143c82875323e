"""The portable plan file: one JSON document holding a whole plan.

The pydantic models here define the file; ``docs/plan-file.schema.json`` is generated from
them (``waypoint plan schema``) and a test keeps the two identical.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FORMAT = "waypoint-plan"
FORMAT_VERSION = 1

Code = str
YearMonth = str  # "2013-06"


Translations = dict[str, dict[str, str]]  # language → field → text, beside the main language's


class FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UnitEntry(FileModel):
    code: Code
    name: str = Field(min_length=1, max_length=200)
    kind: str
    parent: Code | None = Field(description="Code of the parent unit; null for the administration.")


class PlanEntry(FileModel):
    title: str = Field(min_length=1, max_length=200)
    start_year: int
    end_year: int
    status: Literal["draft", "under_review", "approved", "superseded"] = Field(
        description="The status where the file was made; an import starts the plan as a draft and keeps this "
        "as the status in the file, exported again until the plan's status changes."
    )
    tier_template: Literal["customs", "logframe"]
    currency: str = Field(min_length=3, max_length=3)
    vision: str = ""
    mission: str = ""
    values: str = ""
    summary: str = ""
    last_goal_number: int = Field(ge=0, description="Numbers already given to goals, so deleted codes are not reused.")
    language: str = Field(default="en", max_length=16, description="The language the plan's texts are written in.")
    translations: Translations = {}


class TierEntry(FileModel):
    key: str = Field(pattern=r"^[a-z0-9_-]+$", max_length=32)
    name: str = Field(max_length=60)


class FundingSourceEntry(FileModel):
    name: str = Field(max_length=150)
    kind: Literal["state_budget", "donor", "loan", "own_revenue", "other"]


class RiskEntry(FileModel):
    description: str = Field(min_length=1)
    likelihood: int = Field(ge=1, le=5)
    impact: int = Field(ge=1, le=5)
    mitigation: str = ""
    owner: str = Field(default="", max_length=150)


class BudgetEntry(FileModel):
    year: int
    source: str = Field(description="Name of a funding source listed in funding_sources.")
    # not negative: the budget rule (plans/rules.py) says so in the same words as the form
    amount: Decimal = Field(json_schema_extra={"minimum": 0})
    note: str = Field(default="", max_length=200)


class ElementEntry(FileModel):
    code: Code = Field(max_length=40)
    kind: Literal["goal", "objective", "initiative", "activity"]
    parent: Code | None
    number: int = Field(ge=1)
    position: int = Field(ge=0)
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    tier: str
    responsible_unit: Code
    lead: str = Field(default="", max_length=150)
    starts_on: YearMonth | None = Field(default=None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    ends_on: YearMonth | None = Field(default=None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    status: Literal["not_started", "in_progress", "delayed", "completed", "cancelled"] = "not_started"
    assumptions: str = ""
    last_child_number: int = Field(default=0, ge=0)
    translations: Translations = {}
    risks: list[RiskEntry] = []
    budget: list[BudgetEntry] = []


class AnalysisEntry(FileModel):
    framework: Literal["swot", "pestle"]
    category: str
    text: str = Field(min_length=1)
    objectives: list[Code] = []


class FunctionEntry(FileModel):
    name: str = Field(min_length=1, max_length=150)
    priority: Literal["high", "medium", "low"]
    description: str = ""
    objectives: list[Code] = []


class BaselineEntry(FileModel):
    value: Decimal
    date: dt.date
    source: str = Field(default="", max_length=300)


class ToleranceEntry(FileModel):
    # not negative: the indicator rule (indicators/rules.py) says so in the same words as the form
    value: Decimal = Field(json_schema_extra={"minimum": 0})
    kind: Literal["relative", "absolute"]


class RevisionEntry(FileModel):
    at: dt.datetime
    by: str = Field(max_length=150, description="Who revised the target, as a name: never bound to an account.")
    old_value: Decimal | None
    old_upper_value: Decimal | None
    new_value: Decimal
    new_upper_value: Decimal | None
    reason: str


class TargetEntry(FileModel):
    period: str
    value: Decimal
    upper_value: Decimal | None = None
    history: list[RevisionEntry] = []


class ActualEntry(FileModel):
    period: str
    unit: Code | None = Field(description="null: the administration as a whole.")
    value: Decimal
    evidence: str = ""
    recorded_by: str = Field(
        default="", max_length=150, description="Who recorded the value, as a name: never bound to an account."
    )
    computed: bool = False
    provenance: dict[str, object] = {}


class IndicatorEntry(FileModel):
    code: str = Field(max_length=20)
    number: int = Field(ge=1)
    name: str = Field(min_length=1, max_length=300)
    element: Code
    tier: str
    definition: str = ""
    formula: str = ""
    unit_of_measure: str = Field(min_length=1, max_length=40)
    decimals: int = Field(default=1, ge=0, le=4)
    direction: Literal["increase", "decrease", "range"]
    aggregation: Literal["sum", "mean", "latest"]
    cumulative: bool = False
    frequency: Literal["year", "quarter", "month"]
    data_source: str = Field(default="", max_length=300)
    means_of_verification: str = ""
    owner_unit: Code
    disaggregation: list[Literal["office", "mode", "channel", "regime", "hs_chapter", "aeo", "gender"]] = []
    is_key: bool = False
    baseline: BaselineEntry | None = None
    tolerance: ToleranceEntry
    completeness_threshold: int = Field(
        default=100,
        description="Percentage (1–100) of the units that report the indicator that must have reported for a "
        "period before their roll-up counts for the administration.",
    )
    targets: list[TargetEntry] = []
    actuals: list[ActualEntry] = []


class CapacityChangeEntry(FileModel):
    month: YearMonth = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="From this month on (YYYY-MM).")
    capacity: int = Field(ge=0, le=32767)


class TeamEntry(FileModel):
    code: str = Field(min_length=1, max_length=20, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(min_length=1, max_length=120)
    unit: Code | None = Field(default=None, description="Code of a unit listed in units.")
    capacity: int = Field(ge=0, le=32767, description="People available at the same time.")
    changes: list[CapacityChangeEntry] = []


class DemandEntry(FileModel):
    team: str = Field(description="Code of a team listed in teams.")
    people: int = Field(ge=1, le=32767)


class ScheduleEntry(FileModel):
    element: Code = Field(description="Code of an initiative or activity.")
    duration_months: int = Field(ge=1, le=120)
    not_before: dt.date | None = None
    finish_by: dt.date | None = None
    pinned: bool = False
    weight: int = Field(default=3, ge=1, le=5, description="Priority, 1 (low) to 5 (high).")
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None
    demands: list[DemandEntry] = []


class DependencyEntry(FileModel):
    before: Code
    after: Code
    kind: Literal["FS", "SS", "FF"] = "FS"
    lag_months: int = Field(default=0, ge=-120, le=120)


class BudgetCapEntry(FileModel):
    source: str = Field(description="Name of a funding source listed in funding_sources.")
    year: int
    amount: Decimal = Field(ge=0)


class RecommendationEntry(FileModel):
    assessment: str = Field(
        max_length=40, description="Reference of an assessment of the administration, e.g. DIAG-2007."
    )
    code: str = Field(pattern=r"^R[1-9][0-9]*$")
    area: str = Field(default="", max_length=40)
    priority: Literal["high", "medium", "low"] = "medium"
    finding: str = ""
    text: str = ""
    addressed_by: list[Code] = Field(default=[], description="Codes of the objectives and initiatives that answer it.")


class AttributionEntry(FileModel):
    element: Code = Field(description="Code of an element of this plan.")
    proposed_by: list[Code] = Field(
        default=[],
        description="Codes of the units that proposed it; at least one when units merged it. An attribution "
        "naming no unit carries the round's words alone (its units unknown here).",
    )
    merged_by: list[Code] = Field(default=[], description="Codes of the units that merged proposals into it.")
    source: str = Field(default="", max_length=300, description="The planning round and its proposals.")


class QualityRuleEntry(FileModel):
    rule: str = Field(description="Code of a plan quality rule (docs/quality-rules.md).")
    enabled: bool = True
    severity: Literal["error", "warning", "info"] | None = None
    reason: str = Field(min_length=1)


class PlanFile(FileModel):
    """A whole strategic plan with the org units it refers to."""

    format: Literal["waypoint-plan"]
    format_version: Literal[1]
    administration: Code
    units: list[UnitEntry]
    plan: PlanEntry
    tiers: list[TierEntry] = Field(min_length=1)
    funding_sources: list[FundingSourceEntry] = []
    elements: list[ElementEntry] = []
    analysis: list[AnalysisEntry] = []
    functions: list[FunctionEntry] = []
    indicators: list[IndicatorEntry] = []
    teams: list[TeamEntry] = Field(default=[], description="Roadmap teams and their capacity over time.")
    schedule: list[ScheduleEntry] = Field(
        default=[], description="What the roadmap scheduler knows about initiatives and activities."
    )
    dependencies: list[DependencyEntry] = Field(default=[], description="Roadmap links between elements.")
    budget_caps: list[BudgetCapEntry] = Field(default=[], description="Yearly caps per funding source.")
    recommendations: list[RecommendationEntry] = Field(
        default=[], description="Diagnostic recommendations the plan answers, and the elements that address them."
    )
    attributions: list[AttributionEntry] = Field(
        default=[],
        description="Where elements consolidated from a planning round came from: the units that proposed them.",
    )
    quality_rules: list[QualityRuleEntry] = Field(
        default=[], description="Quality rules switched off or re-graded for this plan, with the reason."
    )
