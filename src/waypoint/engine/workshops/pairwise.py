"""Pairwise comparison ranked by the Analytic Hierarchy Process (Saaty, 1980).

Each judgement says which of two options matters more and how strongly, on Saaty's 1–9
scale (1 equal, 3 moderately, 5 strongly, 7 very strongly, 9 extremely more important). It
becomes a ratio ``a_ij`` (9 when i is extremely more important than j, 1/9 the other way).

- **Group judgement.** The judgements of several people on one pair are combined by their
  geometric mean, the one mean that keeps ``a_ji = 1/a_ij`` (Aczél and Saaty, 1983:
  aggregation of individual judgements).
- **Weights.** The priorities are the principal eigenvector of the matrix of ratios,
  normalised to sum to 1, found by power iteration.
- **Missing pairs.** Nobody need compare every pair. Harker's method (1987) fills the gaps:
  a missing ``a_ij`` is 0 and the diagonal ``a_ii`` is 1 plus the number of pairs missing in
  row i; the eigenvector of that matrix is the weights. The options must be connected by
  comparisons (else there is no common scale: ``connected`` is false and there are no weights).
- **Consistency.** With the weights ``w``, the missing ratios are taken as ``w_i / w_j``;
  ``λmax`` of the completed matrix gives the consistency index ``CI = (λmax − n)/(n − 1)`` and
  the consistency ratio ``CR = CI / RI(n)``, RI being Saaty's random index (the mean CI of
  random matrices of that size). A CR up to 0.10 is the usual limit for judgements one can
  act on; above it the judgements contradict each other (A > B, B > C, yet C > A) and should
  be revisited. Below three options every set of judgements is consistent (CR 0).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from waypoint.engine.workshops.ranking import Key, competition_ranks

#: Saaty's random consistency index by matrix size (1–15)
RANDOM_INDEX = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59)
#: the usual limit of an acceptable consistency ratio
CONSISTENCY_LIMIT = 0.10
SCALE = (1, 2, 3, 4, 5, 6, 7, 8, 9)
MAX_OPTIONS = len(RANDOM_INDEX)
_ITERATIONS = 10_000
_TOLERANCE = 1e-12


@dataclass(frozen=True)
class Judgement:
    """``participant`` finds ``preferred`` more important than ``other`` by ``strength``
    (1–9; 1 means equal, and then which one is ``preferred`` does not matter)."""

    participant: Key
    preferred: Key
    other: Key
    strength: int


@dataclass(frozen=True)
class PairwiseResult:
    weights: dict[Key, float]  # sums to 1; empty when not connected
    ranking: tuple[tuple[Key, int], ...]
    consistency_ratio: float | None  # None when not connected
    lambda_max: float | None
    connected: bool
    pairs_compared: int
    pairs_total: int
    judgements: int
    participants: int

    @property
    def consistent(self) -> bool:
        return self.consistency_ratio is not None and self.consistency_ratio <= CONSISTENCY_LIMIT


def random_index(n: int) -> float:
    if n < 1:
        return 0.0
    return RANDOM_INDEX[min(n, MAX_OPTIONS) - 1]


def _connected(n: int, edges: Iterable[tuple[int, int]]) -> bool:
    if n <= 1:
        return True
    neighbours: dict[int, set[int]] = {i: set() for i in range(n)}
    for i, j in edges:
        neighbours[i].add(j)
        neighbours[j].add(i)
    seen, todo = {0}, [0]
    while todo:
        for j in neighbours[todo.pop()] - seen:
            seen.add(j)
            todo.append(j)
    return len(seen) == n


def principal_eigenvector(matrix: Sequence[Sequence[float]]) -> list[float]:
    """The Perron vector of a non-negative, irreducible matrix with a positive diagonal,
    normalised to sum to 1 (power iteration)."""
    n = len(matrix)
    weights = [1.0 / n] * n
    for _ in range(_ITERATIONS):
        product = [sum(matrix[i][j] * weights[j] for j in range(n)) for i in range(n)]
        total = sum(product)
        product = [value / total for value in product]
        if max(abs(a - b) for a, b in zip(product, weights, strict=True)) < _TOLERANCE:
            return product
        weights = product
    return weights


def group_ratios(options: Sequence[Key], judgements: Iterable[Judgement]) -> dict[tuple[int, int], float]:
    """The geometric mean ratio ``a_ij`` (i < j) of every compared pair."""
    index = {option: i for i, option in enumerate(options)}
    logs: dict[tuple[int, int], list[float]] = {}
    for judgement in judgements:
        if judgement.preferred not in index or judgement.other not in index or judgement.strength not in SCALE:
            continue
        i, j = index[judgement.preferred], index[judgement.other]
        if i == j:
            continue
        ratio = float(judgement.strength)
        if i > j:
            i, j, ratio = j, i, 1.0 / ratio
        logs.setdefault((i, j), []).append(math.log(ratio))
    return {pair: math.exp(sum(values) / len(values)) for pair, values in logs.items()}


def rank(options: Sequence[Key], judgements: Iterable[Judgement]) -> PairwiseResult:
    """Weights, ranking and consistency ratio of ``options`` from the judgements of any number of
    participants (see the module's description of the method)."""
    if len(options) > MAX_OPTIONS:
        raise ValueError(f"at most {MAX_OPTIONS} options can be compared")
    given = list(judgements)
    n = len(options)
    ratios = group_ratios(options, given)
    known = set(options)
    used = [j for j in given if j.preferred in known and j.other in known and j.preferred != j.other]
    people = len({j.participant for j in used})
    total_pairs = n * (n - 1) // 2
    if n == 0 or not _connected(n, ratios):
        return PairwiseResult({}, (), None, None, n == 0, len(ratios), total_pairs, len(used), people)
    harker = [[0.0] * n for _ in range(n)]
    for i in range(n):
        harker[i][i] = 1.0
    for (i, j), ratio in ratios.items():
        harker[i][j], harker[j][i] = ratio, 1.0 / ratio
    for i in range(n):
        harker[i][i] += sum(1 for j in range(n) if j != i and harker[i][j] == 0.0)
    weights = principal_eigenvector(harker)
    complete = [
        [harker[i][j] if (i == j or harker[i][j]) else weights[i] / weights[j] for j in range(n)] for i in range(n)
    ]
    for i in range(n):
        complete[i][i] = 1.0
    lambda_max = sum(sum(complete[i][j] * weights[j] for j in range(n)) / weights[i] for i in range(n)) / n
    ri = random_index(n)
    ratio = 0.0 if n < 3 or ri == 0 else max((lambda_max - n) / (n - 1), 0.0) / ri
    by_option = {option: weights[i] for i, option in enumerate(options)}
    return PairwiseResult(
        weights=by_option,
        ranking=tuple(competition_ranks(by_option)),
        consistency_ratio=ratio,
        lambda_max=lambda_max,
        connected=True,
        pairs_compared=len(ratios),
        pairs_total=total_pairs,
        judgements=len(used),
        participants=people,
    )


def individual_ratios(options: Sequence[Key], judgements: Iterable[Judgement]) -> dict[Key, float | None]:
    """Each participant's own consistency ratio (``None`` when their comparisons do not
    connect the options)."""
    by_person: dict[Key, list[Judgement]] = {}
    for judgement in judgements:
        by_person.setdefault(judgement.participant, []).append(judgement)
    return {person: rank(options, mine).consistency_ratio for person, mine in by_person.items()}


def all_pairs(options: Sequence[Key]) -> list[tuple[Key, Key]]:
    """Every pair once, in an order that spreads each option out (round robin, so that a
    participant who stops early has still compared every option at least once)."""
    items: list[Key | None] = list(options)
    if len(items) % 2:
        items.append(None)
    count = len(items)
    pairs: list[tuple[Key, Key]] = []
    for _round in range(count - 1):
        for k in range(count // 2):
            a, b = items[k], items[count - 1 - k]
            if a is not None and b is not None:
                pairs.append((a, b))
        items = [items[0], items[-1], *items[1:-1]]
    return pairs
