"""Scoring options against weighted criteria.

Each participant scores each option on each criterion on the exercise's scale (say 1–5). Per
option and criterion the mean of the scores given is taken; each mean is put on 0–1 across
the scale (reversed for a criterion where less is better: cost, effort, risk); the option's
score is the weighted mean of those, times 100. Options are ranked by it.

The impact/effort matrix reads the criteria tagged ``impact`` and ``effort``: an option's
impact is the weighted mean of its impact criteria's means, its effort that of its effort
criteria (both on the raw scale, effort not reversed), and the quadrant follows from the
middle of the scale: quick wins (high impact, low effort), major projects, fill-ins and
thankless tasks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from waypoint.engine.workshops.ranking import Key, competition_ranks

HIGHER_IS_BETTER = "higher"
LOWER_IS_BETTER = "lower"
IMPACT = "impact"
EFFORT = "effort"

QUICK_WIN = "quick_win"
MAJOR_PROJECT = "major_project"
FILL_IN = "fill_in"
THANKLESS = "thankless"


@dataclass(frozen=True)
class Criterion:
    key: Key
    weight: float
    direction: str = HIGHER_IS_BETTER
    axis: str = ""  # "impact", "effort" or none


@dataclass(frozen=True)
class Score:
    participant: Key
    option: Key
    criterion: Key
    value: float


@dataclass(frozen=True)
class OptionResult:
    option: Key
    score: float | None  # 0..100, None when nobody scored it
    rank: int | None
    means: dict[Key, float]  # criterion → mean score given
    scorers: int
    impact: float | None
    effort: float | None
    quadrant: str | None


@dataclass(frozen=True)
class ScoringResult:
    rows: tuple[OptionResult, ...]  # ranked first, then the options nobody scored
    scorers: int


def _weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    items = list(pairs)
    total = sum(weight for weight, _value in items)
    if not items or total <= 0:
        return None
    return sum(weight * value for weight, value in items) / total


def quadrant(impact: float, effort: float, middle: float) -> str:
    high_impact, high_effort = impact >= middle, effort >= middle
    if high_impact:
        return MAJOR_PROJECT if high_effort else QUICK_WIN
    return THANKLESS if high_effort else FILL_IN


def score(
    options: Sequence[Key],
    criteria: Sequence[Criterion],
    scores: Iterable[Score],
    *,
    low: float,
    high: float,
) -> ScoringResult:
    """Rank ``options`` by their weighted, normalised mean scores on ``criteria`` (scale
    ``low``..``high``). Scores outside the scale, or for unknown options or criteria, are ignored."""
    if high <= low:
        raise ValueError("the scale must run from low to high")
    by_key = {criterion.key: criterion for criterion in criteria}
    sums: dict[tuple[Key, Key], list[float]] = {}
    scorers: dict[Key, set[Key]] = {option: set() for option in options}
    everyone: set[Key] = set()
    for item in scores:
        if item.option not in scorers or item.criterion not in by_key or not low <= item.value <= high:
            continue
        sums.setdefault((item.option, item.criterion), []).append(item.value)
        scorers[item.option].add(item.participant)
        everyone.add(item.participant)
    middle = (low + high) / 2
    provisional: dict[Key, OptionResult] = {}
    for option in options:
        means = {key: sum(values) / len(values) for (opt, key), values in sums.items() if opt == option}
        normalised = []
        for key, mean in means.items():
            criterion = by_key[key]
            share = (mean - low) / (high - low)
            normalised.append((criterion.weight, 1 - share if criterion.direction == LOWER_IS_BETTER else share))
        overall = _weighted_mean(normalised)
        impact = _weighted_mean((by_key[k].weight, m) for k, m in means.items() if by_key[k].axis == IMPACT)
        effort = _weighted_mean((by_key[k].weight, m) for k, m in means.items() if by_key[k].axis == EFFORT)
        provisional[option] = OptionResult(
            option=option,
            score=None if overall is None else round(overall * 100, 6),
            rank=None,
            means=means,
            scorers=len(scorers[option]),
            impact=impact,
            effort=effort,
            quadrant=quadrant(impact, effort, middle) if impact is not None and effort is not None else None,
        )
    scored = {option: result.score for option, result in provisional.items() if result.score is not None}
    rows = [
        OptionResult(**{**provisional[option].__dict__, "rank": rank})
        for option, rank in competition_ranks({k: float(v) for k, v in scored.items()})
    ]
    rows += [provisional[option] for option in options if option not in scored]
    return ScoringResult(rows=tuple(rows), scorers=len(everyone))
