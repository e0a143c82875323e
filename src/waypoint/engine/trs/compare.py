"""Two studies side by side (before and after a reform): the change per interval, with a
bootstrap confidence interval for the change in median."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from waypoint.engine.trs.runner import Study

#: values drawn from each study per interval and group for the bootstrap
SAMPLE = 5000
RESAMPLES = 1000
BATCH = 100


@dataclass(frozen=True)
class Change:
    start: str
    end: str
    group: dict[str, str]
    n_before: int
    n_after: int
    mean_before: float
    mean_after: float
    median_before: float
    median_after: float
    ci_low: float  # 95 % bootstrap interval of the change in median (hours)
    ci_high: float

    @property
    def mean_change(self) -> float:
        return self.mean_after - self.mean_before

    @property
    def median_change(self) -> float:
        return self.median_after - self.median_before

    @property
    def significant(self) -> bool:
        """The interval of the change in median excludes zero."""
        return self.ci_low > 0 or self.ci_high < 0

    def as_dict(self) -> dict[str, object]:
        return {
            "from": self.start,
            "to": self.end,
            **self.group,
            "n_before": self.n_before,
            "n_after": self.n_after,
            "mean_before": self.mean_before,
            "mean_after": self.mean_after,
            "mean_change": self.mean_change,
            "median_before": self.median_before,
            "median_after": self.median_after,
            "median_change": self.median_change,
            "median_change_ci": [self.ci_low, self.ci_high],
        }


def bootstrap_median_change(
    before: Sequence[float], after: Sequence[float], *, resamples: int = RESAMPLES, seed: int = 0
) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of median(after*) − median(before*) over resamples."""
    rng = np.random.default_rng(seed)
    a, b = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    if not len(a) or not len(b):
        return float("nan"), float("nan")
    changes = []
    for start in range(0, resamples, BATCH):
        size = min(BATCH, resamples - start)
        draws_a = a[rng.integers(0, len(a), size=(size, len(a)))]
        draws_b = b[rng.integers(0, len(b), size=(size, len(b)))]
        changes.append(np.median(draws_b, axis=1) - np.median(draws_a, axis=1))
    low, high = np.percentile(np.concatenate(changes), [2.5, 97.5])
    return float(low), float(high)


def compare(before: Study, after: Study, by: Sequence[str] = (), *, seed: int = 0) -> list[Change]:
    """Every interval (and group) found in both studies, in process order."""
    after_rows = {(r.start, r.end, tuple(r.group.items())): r for r in after.statistics(by)}
    changes = []
    for row in before.statistics(by):
        other = after_rows.get((row.start, row.end, tuple(row.group.items())))
        if other is None:
            continue
        low, high = bootstrap_median_change(
            before.sample(row.start, row.end, group=row.group, size=SAMPLE, seed=seed),
            after.sample(row.start, row.end, group=row.group, size=SAMPLE, seed=seed + 1),
            seed=seed,
        )
        changes.append(
            Change(
                row.start,
                row.end,
                row.group,
                row.n,
                other.n,
                row.mean,
                other.mean,
                row.median,
                other.median,
                low,
                high,
            )
        )
    return changes
