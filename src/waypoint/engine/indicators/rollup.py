"""Roll-ups: indicator values up the org-unit tree, statuses up the plan tree."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import fmean

from waypoint.engine.indicators.model import Aggregation, Status

__all__ = ["Health", "health", "rollup_tree"]


def rollup_tree(
    values: Mapping[str, float],
    parent_of: Mapping[str, str | None],
    aggregation: Aggregation,
) -> dict[str, float]:
    """Aggregate unit values up the org-unit tree, DHIS2-style.

    Every unit gets the aggregate of all values recorded in its subtree (its own value
    included). A mean is taken over the recorded values themselves, not over the children's
    means, so a region with ten offices is not weighed like a region with one.

    Parameters:
        values: value recorded per unit code.
        parent_of: parent code per unit code (``None`` at the root). Units with values
            must appear here.
        aggregation: ``SUM`` and ``LATEST`` add up, ``MEAN`` averages.

    Raises:
        ValueError: a unit with a value is missing from the tree, or the tree has a cycle.
    """
    collected: dict[str, list[float]] = defaultdict(list)
    for unit, value in values.items():
        if unit not in parent_of:
            raise ValueError(f"unit '{unit}' is not in the tree")
        seen: set[str] = set()
        node: str | None = unit
        while node is not None:
            if node in seen:
                raise ValueError(f"the unit tree has a cycle through '{node}'")
            seen.add(node)
            collected[node].append(value)
            node = parent_of.get(node)
    if aggregation is Aggregation.MEAN:
        return {unit: fmean(found) for unit, found in collected.items()}
    return {unit: float(sum(found)) for unit, found in collected.items()}


@dataclass(frozen=True)
class Health:
    """The health of a plan element from the statuses of the indicators beneath it."""

    status: Status
    counts: Mapping[Status, int]
    score: float | None
    #: measures whose newest value is a roll-up of too few units to count, so that their
    #: status comes from an earlier period (or is no data)
    partial: int = 0

    def ordered(self) -> list[tuple[Status, int]]:
        """Counts in reading order (on track, at risk, off track, no data), zeros left out."""
        order = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_DATA)
        return [(status, self.counts.get(status, 0)) for status in order if self.counts.get(status, 0)]

    @property
    def measured(self) -> int:
        return sum(n for s, n in self.counts.items() if s is not Status.NO_DATA)


ON_TRACK_FROM = 0.75
AT_RISK_FROM = 0.4


def health(statuses: Iterable[Status], *, partial: int = 0) -> Health:
    """Combine statuses: on track scores 1, at risk 0.5, off track 0; no data is left out.

    A mean score of at least 0.75 is on track, at least 0.4 at risk, otherwise off track;
    with nothing measured the element has no data. One off-track indicator among four on
    track keeps an element on track (0.75); one in two makes it at risk (0.5). ``partial``
    (how many of the measures have a newer, partial value) is carried along to be shown.
    """
    counts = Counter(statuses)
    scores = [status.score for status in counts.elements() if status.score is not None]
    if not scores:
        return Health(Status.NO_DATA, dict(counts), None, partial)
    score = fmean(scores)
    if score >= ON_TRACK_FROM:
        status = Status.ON_TRACK
    elif score >= AT_RISK_FROM:
        status = Status.AT_RISK
    else:
        status = Status.OFF_TRACK
    return Health(status, dict(counts), score, partial)
