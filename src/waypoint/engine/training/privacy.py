"""The small-group rule: no figure about fewer than five officers is shown to somebody who may
not see those officers.

*Primary suppression*: a group of 1 to 4 officers is hidden (a group of none describes nobody
and is shown as 0). *Secondary suppression*: when a total is shown beside its parts, a single
hidden part could be worked out by subtracting the others from the total; so, while the hidden
parts together hold between 1 and 4 officers, the smallest part still shown is hidden too. A total
under five is hidden itself.

Every aggregate Waypoint shows about officers (pages, API answers, exports) goes through
:func:`suppress`; the web app applies it to everybody without the right to see the officers
themselves.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["MIN_GROUP", "Suppression", "is_small", "suppress"]

#: the smallest group of officers any figure may describe
MIN_GROUP = 5

K = TypeVar("K", bound=Hashable)


def is_small(count: int, minimum: int = MIN_GROUP) -> bool:
    """A group of officers too small to show (none is not a group)."""
    return 0 < count < minimum


@dataclass(frozen=True)
class Suppression(Generic[K]):
    """Which parts (and whether the total) must not be shown."""

    hidden: frozenset[K]
    total_hidden: bool

    def shows(self, key: K) -> bool:
        return key not in self.hidden


def suppress(groups: Mapping[K, int], *, total_shown: bool = True, minimum: int = MIN_GROUP) -> Suppression[K]:
    """The parts of a table (``groups``: part → officers in it) to hide, and whether to hide
    their total, by the small-group rule above.

    Parameters:
        total_shown: the table shows the total of these parts (secondary suppression then
            applies); without a total, only small groups are hidden.
        minimum: the smallest group that may be shown.
    """
    if any(count < 0 for count in groups.values()):
        raise ValueError("a group cannot hold fewer than no officers")
    hidden = {key for key, count in groups.items() if is_small(count, minimum)}
    total = sum(groups.values())
    if not total_shown:
        return Suppression(frozenset(hidden), False)
    if is_small(total, minimum):
        return Suppression(frozenset(hidden), True)
    while is_small(sum(groups[key] for key in hidden), minimum):
        # the smallest part still shown (ties: in the order the parts were given)
        # (the total holds at least ``minimum``, so there is always one left to hide)
        shown = [
            (count, index, key) for index, (key, count) in enumerate(groups.items()) if key not in hidden and count
        ]
        hidden.add(min(shown, key=lambda item: (item[0], item[1]))[2])
    return Suppression(frozenset(hidden), False)
