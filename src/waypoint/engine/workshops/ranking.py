"""Ranks with ties, shared by every method: equal values share a rank and the next rank
skips ("1, 2, 2, 4": standard competition ranking), so a tie never hides how many came before."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
#: what names an option, a participant or a criterion: the database's ids, or text in tests
Key = int | str

#: values closer than this are a tie (floating-point noise from a mean or an eigenvector)
TIE_TOLERANCE = 1e-9


def competition_ranks(values: Mapping[K, float], *, descending: bool = True) -> list[tuple[K, int]]:
    """``(key, rank)`` from the best value to the worst; ties share a rank. Keys with equal
    values keep the order the mapping gives them (the caller's order: position on the board)."""
    order = sorted(values, key=lambda key: -values[key] if descending else values[key])
    ranked: list[tuple[K, int]] = []
    for index, key in enumerate(order):
        if index and abs(values[key] - values[order[index - 1]]) <= TIE_TOLERANCE:
            ranked.append((key, ranked[-1][1]))
        else:
            ranked.append((key, index + 1))
    return ranked
