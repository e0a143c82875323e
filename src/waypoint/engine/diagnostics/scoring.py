"""Assessment arithmetic on a framework's scale: means per area, gaps, and change over time.

Levels are compared by their position on the scale (0 = weakest), so an A–D framework and a
0–4 framework compute the same way; means are reported as positions, and as a share of the
top of the scale for charts that put areas with different scales side by side.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from waypoint.engine.diagnostics.framework import Framework


@dataclass(frozen=True)
class Rating:
    """One criterion's levels in one assessment (values of the framework's scale)."""

    current: str | None
    target: str | None = None


@dataclass(frozen=True)
class AreaSummary:
    code: str
    name: str
    criteria: int
    rated: int
    current: float | None  # mean position of the rated criteria
    target: float | None

    @property
    def gap(self) -> float | None:
        if self.current is None or self.target is None:
            return None
        return self.target - self.current


class Change(enum.Enum):
    IMPROVED = "improved"
    SAME = "same"
    WORSE = "worse"
    NOT_COMPARABLE = "not_comparable"


@dataclass(frozen=True)
class CriterionChange:
    code: str
    area: str
    before: str | None
    after: str | None
    steps: int | None  # positive: better
    change: Change


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def area_summaries(framework: Framework, ratings: Mapping[str, Rating]) -> list[AreaSummary]:
    """Mean current and target level per area, over the criteria that were rated."""
    scale = framework.scale
    rows = []
    for area in framework.areas:
        current = [scale.position(r.current) for c in area.criteria if (r := ratings.get(c.code)) and r.current]
        target = [scale.position(r.target) for c in area.criteria if (r := ratings.get(c.code)) and r.target]
        rows.append(AreaSummary(area.code, area.name, len(area.criteria), len(current), _mean(current), _mean(target)))
    return rows


def criterion_gap(framework: Framework, rating: Rating | None) -> int | None:
    """Steps between the current and the target level; None unless both are set."""
    if rating is None or rating.current is None or rating.target is None:
        return None
    return framework.scale.position(rating.target) - framework.scale.position(rating.current)


def compare(framework: Framework, before: Mapping[str, Rating], after: Mapping[str, Rating]) -> list[CriterionChange]:
    """What improved, what did not, criterion by criterion (both on the same framework)."""
    scale = framework.scale
    rows = []
    for area in framework.areas:
        for criterion in area.criteria:
            old = before.get(criterion.code)
            new = after.get(criterion.code)
            old_level = old.current if old else None
            new_level = new.current if new else None
            if old_level is None or new_level is None:
                rows.append(
                    CriterionChange(criterion.code, area.code, old_level, new_level, None, Change.NOT_COMPARABLE)
                )
                continue
            steps = scale.position(new_level) - scale.position(old_level)
            change = Change.IMPROVED if steps > 0 else Change.WORSE if steps < 0 else Change.SAME
            rows.append(CriterionChange(criterion.code, area.code, old_level, new_level, steps, change))
    return rows
