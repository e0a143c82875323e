"""Dot voting: each participant spends up to N dots on the options (several on one if they
like); the tally is the dots per option, how many people put dots on it, and the ranking."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from waypoint.engine.workshops.ranking import K, Key, competition_ranks


@dataclass(frozen=True)
class Allocation:
    """``dots`` that ``participant`` put on ``option``."""

    participant: Key
    option: Key
    dots: int


@dataclass(frozen=True)
class TallyRow:
    option: Key
    dots: int
    voters: int
    rank: int
    share: float  # of all dots spent, 0..1


@dataclass(frozen=True)
class Tally:
    rows: tuple[TallyRow, ...]
    voters: int
    dots_spent: int

    def dots_of(self, option: Key) -> int:
        return next((row.dots for row in self.rows if row.option == option), 0)


def tally(options: Sequence[Key], allocations: Iterable[Allocation]) -> Tally:
    """The dots per option, ranked (ties share a rank). Allocations to options not in
    ``options`` are ignored (an option deleted after the vote), as are zero or negative ones."""
    known = set(options)
    dots: dict[Key, int] = dict.fromkeys(options, 0)
    voters: dict[Key, set[Key]] = {option: set() for option in options}
    everyone: set[Key] = set()
    for allocation in allocations:
        if allocation.option not in known or allocation.dots <= 0:
            continue
        dots[allocation.option] += allocation.dots
        voters[allocation.option].add(allocation.participant)
        everyone.add(allocation.participant)
    spent = sum(dots.values())
    rows = tuple(
        TallyRow(option, dots[option], len(voters[option]), rank, dots[option] / spent if spent else 0.0)
        for option, rank in competition_ranks({option: float(dots[option]) for option in options})
    )
    return Tally(rows=rows, voters=len(everyone), dots_spent=spent)


def remaining_dots(budget: int, mine: Mapping[K, int]) -> int:
    """What a participant may still spend, given what they put where."""
    return budget - sum(max(value, 0) for value in mine.values())


def allocation_problem(*, budget: int, mine: Mapping[K, int], option: K, dots: int) -> str | None:
    """Why setting ``option`` to ``dots`` (the participant's new total there) is refused, or
    ``None``: never below zero, never more than the budget in all."""
    if dots < 0:
        return "negative"
    others = sum(max(value, 0) for key, value in mine.items() if key != option)
    if others + dots > budget:
        return "over_budget"
    return None
