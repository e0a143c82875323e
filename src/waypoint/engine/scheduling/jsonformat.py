"""Waypoint's JSON problem format (with a published JSON Schema) and the JSON answer.

The file::

    {"format": "waypoint-schedule", "format_version": 1, "name": "...",
     "granularity": "month", "start": "2012-01-01",
     "resources": [{"id": "IT", "name": "IT staff", "capacity": 6, "changes": [{"from": 12, "capacity": 8}]}],
     "budgets": [{"id": "state", "name": "State budget", "period": 12, "caps": [{"period": 0, "cap": 900000}]}],
     "activities": [{"id": "A1", "name": "...", "duration": 6, "demands": {"IT": 2}, "costs": {"state": 120000},
                     "release": 0, "deadline": 24, "pinned_start": null, "weight": 3}],
     "links": [{"before": "A1", "after": "A2", "kind": "FS", "lag": 0}]}
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from waypoint.engine.located import DocumentError, load_json
from waypoint.engine.scheduling.cpm import critical_path
from waypoint.engine.scheduling.model import (
    Activity,
    Budget,
    Granularity,
    Link,
    LinkKind,
    Problem,
    ProblemError,
    Resource,
)
from waypoint.engine.scheduling.result import SolveResult

__all__ = ["ProblemFile", "dump_problem", "load_problem", "problem_schema", "result_document"]

FORMAT = "waypoint-schedule"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class CapacityChange(_Strict):
    from_: int = Field(alias="from", ge=0, description="Time unit from which the capacity applies.")
    capacity: int = Field(ge=0)


class ResourceEntry(_Strict):
    id: str = Field(min_length=1)
    name: str = ""
    capacity: int = Field(ge=0)
    changes: list[CapacityChange] = []


class BudgetCap(_Strict):
    period: int = Field(ge=0, description="Budget period index: 0 is the first year when period = 12 months.")
    cap: int = Field(ge=0)


class BudgetEntry(_Strict):
    id: str = Field(min_length=1)
    name: str = ""
    period: int = Field(ge=1, description="Length of a budget period in time units (12 for years in months).")
    caps: list[BudgetCap] = []


class ActivityEntry(_Strict):
    id: str = Field(min_length=1)
    name: str = ""
    duration: int = Field(ge=0)
    demands: dict[str, int] = {}
    costs: dict[str, int] = {}
    release: int = Field(0, ge=0)
    deadline: int | None = Field(None, ge=0, description="Latest finish.")
    pinned_start: int | None = Field(None, ge=0)
    weight: int = Field(1, ge=0, description="Priority weight for the weighted objective.")


class LinkEntry(_Strict):
    before: str
    after: str
    kind: Literal["FS", "SS", "FF"] = "FS"
    lag: int = 0


class ProblemFile(_Strict):
    """A roadmap to schedule."""

    format: Literal["waypoint-schedule"] = "waypoint-schedule"
    format_version: Literal[1] = 1
    name: str = ""
    granularity: Literal["day", "week", "month"] = "month"
    start: dt.date | None = Field(None, description="Calendar date of time 0.")
    resources: list[ResourceEntry] = []
    budgets: list[BudgetEntry] = []
    activities: list[ActivityEntry]
    links: list[LinkEntry] = []


def _path(loc: tuple[Any, ...]) -> str:
    text = "$"
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def load_problem(raw: str | bytes | dict[str, Any]) -> Problem:
    """Read a problem file.

    Raises:
        ProblemError: text that is not JSON (nor UTF-8, or nested too deeply: located, as
            ``load_json`` says), a schema violation (located by JSON path), or a problem that
            cannot be scheduled (cycles, unknown ids, impossible demands…).
    """
    try:
        data = load_json(raw) if isinstance(raw, str | bytes) else raw
    except DocumentError as error:
        raise ProblemError(f"{path}: {message}" for path, message in error.problems) from error
    try:
        document = ProblemFile.model_validate(data)
    except ValidationError as error:
        raise ProblemError(f"{_path(issue['loc'])}: {issue['msg']}" for issue in error.errors()) from error
    return Problem(
        activities=tuple(
            Activity(
                id=a.id,
                name=a.name,
                duration=a.duration,
                demands=dict(a.demands),
                costs=dict(a.costs),
                release=a.release,
                deadline=a.deadline,
                pinned_start=a.pinned_start,
                weight=a.weight,
            )
            for a in document.activities
        ),
        links=tuple(Link(l.before, l.after, LinkKind(l.kind), l.lag) for l in document.links),  # noqa: E741
        resources=tuple(
            Resource(r.id, r.capacity, r.name, tuple((c.from_, c.capacity) for c in r.changes))
            for r in document.resources
        ),
        budgets=tuple(Budget(b.id, b.period, {c.period: c.cap for c in b.caps}, b.name) for b in document.budgets),
        granularity=Granularity(document.granularity),
        start=document.start,
        name=document.name,
    )


def problem_document(problem: Problem) -> dict[str, Any]:
    """The problem as plain data (what :func:`dump_problem` writes, ready to store as JSON)."""
    return {
        "format": FORMAT,
        "format_version": 1,
        "name": problem.name,
        "granularity": problem.granularity.value,
        "start": problem.start.isoformat() if problem.start else None,
        "resources": [
            {
                "id": r.id,
                "name": r.name,
                "capacity": r.capacity,
                "changes": [{"from": t, "capacity": c} for t, c in r.changes],
            }
            for r in problem.resources
        ],
        "budgets": [
            {
                "id": b.id,
                "name": b.name,
                "period": b.period,
                "caps": [{"period": p, "cap": c} for p, c in sorted(b.caps.items())],
            }
            for b in problem.budgets
        ],
        "activities": [
            {
                "id": a.id,
                "name": a.name,
                "duration": a.duration,
                "demands": dict(a.demands),
                "costs": dict(a.costs),
                "release": a.release,
                "deadline": a.deadline,
                "pinned_start": a.pinned_start,
                "weight": a.weight,
            }
            for a in problem.activities
        ],
        "links": [{"before": l.before, "after": l.after, "kind": l.kind.value, "lag": l.lag} for l in problem.links],  # noqa: E741
    }


def dump_problem(problem: Problem) -> str:
    """The problem as a file that :func:`load_problem` reads back to the same problem."""
    return json.dumps(problem_document(problem), indent=2, ensure_ascii=False) + "\n"


def problem_schema() -> str:
    schema = ProblemFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://waypoint.example/schemas/schedule-problem-1.json"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def result_document(result: SolveResult) -> dict[str, Any]:
    """The answer as JSON-ready data: status, makespan, bound, time, and every start and finish."""
    schedule = result.schedule
    document: dict[str, Any] = {
        "status": result.status.value,
        "objective": result.objective.value,
        "objective_value": result.objective_value,
        "makespan": result.makespan,
        "lower_bound": result.lower_bound,
        "bound_reason": result.bound_reason,
        "seconds": round(result.seconds, 3),
        "heuristic_value": result.heuristic_value,
        "conflicts": result.conflicts,
        "starts": dict(schedule.starts) if schedule else {},
        "finishes": {a: schedule.finish(a) for a in schedule.starts} if schedule else {},
    }
    if schedule is not None:
        problem = schedule.problem
        document["critical"] = critical_path(problem).critical
        if problem.start is not None:
            document["dates"] = {
                a.id: {
                    "start": problem.granularity.date_at(problem.start, schedule.starts[a.id]).isoformat(),
                    "finish": problem.granularity.date_at(problem.start, schedule.finish(a.id)).isoformat(),
                }
                for a in problem.activities
            }
    return document
