"""Required against assessed: the gap of each officer, and the aggregates the pages show.

An officer's *assessed level* of a competency is their latest assessment of it; on the same
day a test outranks their manager's rating, which outranks their own. A competency their role
profile requires but nobody has assessed counts as not yet at the required level: the gap is
measured from no level at all (0), and the aggregates count such officers separately as well.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "Assessed",
    "Cell",
    "EducationGap",
    "Person",
    "Profile",
    "Source",
    "education_gaps",
    "effective_levels",
    "heatmap",
    "officer_gaps",
    "weighted_gap",
]


class Source(StrEnum):
    SELF = "self"
    MANAGER = "manager"
    TEST = "test"


#: on the same day, the more reliable source wins
SOURCE_RANK = {Source.SELF: 0, Source.MANAGER: 1, Source.TEST: 2}


@dataclass(frozen=True)
class Assessed:
    officer: str
    competency: str
    level: int
    source: Source
    on: dt.date


@dataclass(frozen=True)
class Profile:
    """What a role requires: competency → level, and education."""

    code: str
    required: Mapping[str, int]
    #: the lowest education level accepted (a code of the framework's list), or none required
    education_level: str | None = None
    #: fields of study accepted; empty: any field
    education_fields: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Person:
    id: str
    unit: str
    profile: str | None
    education_level: str | None = None
    education_field: str | None = None


def effective_levels(assessments: Iterable[Assessed]) -> dict[str, dict[str, int]]:
    """officer → competency → assessed level (the latest; on one day test > manager > self)."""
    best: dict[tuple[str, str], tuple[dt.date, int, int]] = {}
    for a in assessments:
        key = (a.officer, a.competency)
        rank = (a.on, SOURCE_RANK[Source(a.source)], a.level)
        if key not in best or rank > best[key]:
            best[key] = rank
    levels: dict[str, dict[str, int]] = defaultdict(dict)
    for (officer, competency), (_on, _rank, level) in best.items():
        levels[officer][competency] = level
    return dict(levels)


def officer_gaps(required: Mapping[str, int], levels: Mapping[str, int]) -> dict[str, int]:
    """competency → levels short of the requirement, for each competency the officer is short of."""
    return {code: need - levels.get(code, 0) for code, need in required.items() if levels.get(code, 0) < need}


def weighted_gap(required: Mapping[str, int], levels: Mapping[str, int], weight: int = 1) -> int:
    return weight * sum(officer_gaps(required, levels).values())


@dataclass
class Cell:
    """Officers whose role requires a competency, and how many of them are short of it."""

    officers: int = 0
    below: int = 0
    #: of ``below``, those never assessed on it (only when missing assessments count as below)
    unassessed: int = 0

    @property
    def share_below(self) -> float | None:
        return self.below / self.officers if self.officers else None

    def add(self, other: Cell) -> None:
        self.officers += other.officers
        self.below += other.below
        self.unassessed += other.unassessed


def heatmap(
    people: Iterable[Person],
    profiles: Mapping[str, Profile],
    levels: Mapping[str, Mapping[str, int]],
    *,
    missing_counts_below: bool = True,
) -> dict[str, dict[str, Cell]]:
    """unit → competency → :class:`Cell`, over the officers of each unit (not its sub-units).

    Parameters:
        missing_counts_below: an officer not assessed on a competency their role requires
            counts as below the required level (the current picture); otherwise they are left
            out (one assessment round against another).
    """
    table: dict[str, dict[str, Cell]] = defaultdict(lambda: defaultdict(Cell))
    for person in people:
        profile = profiles.get(person.profile) if person.profile else None
        if profile is None:
            continue
        assessed = levels.get(person.id, {})
        for code, need in profile.required.items():
            if code not in assessed and not missing_counts_below:
                continue
            cell = table[person.unit][code]
            cell.officers += 1
            if assessed.get(code, 0) < need:
                cell.below += 1
                if code not in assessed:
                    cell.unassessed += 1
    return {unit: dict(cells) for unit, cells in table.items()}


@dataclass
class EducationGap:
    officers: int = 0
    #: below the education level the role requires (or no level recorded)
    below_level: int = 0
    #: in a field of study the role does not accept (or no field recorded)
    other_field: int = 0


def education_gaps(
    people: Iterable[Person], profiles: Mapping[str, Profile], ranks: Mapping[str, int]
) -> dict[str, EducationGap]:
    """role profile → officers holding it and how many fall short of its education requirement.

    Parameters:
        ranks: education level code → its rank (0 the lowest).
    """
    gaps: dict[str, EducationGap] = defaultdict(EducationGap)
    for person in people:
        profile = profiles.get(person.profile) if person.profile else None
        if profile is None:
            continue
        gap = gaps[profile.code]
        gap.officers += 1
        if profile.education_level is not None:
            held = ranks.get(person.education_level) if person.education_level else None
            if held is None or held < ranks.get(profile.education_level, 0):
                gap.below_level += 1
        if profile.education_fields and person.education_field not in profile.education_fields:
            gap.other_field += 1
    return dict(gaps)
