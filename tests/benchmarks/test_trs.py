"""The TRS benchmark compares like with like: its pandas report and Waypoint's runner give
the same figures on the same generated data (so the speed ratio in docs/benchmarks.md is
between two implementations of one report)."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.trs import BY, pandas_report

from waypoint.engine.trs import generator
from waypoint.engine.trs.runner import Study


def test_pandas_report_agrees_with_the_runner(tmp_path: Path) -> None:
    generator.write(3000, tmp_path, seed=5)
    path = tmp_path / "events.parquet"
    frame = pandas_report(path)
    study = Study(path, threads=1)
    rows = study.statistics(BY)
    assert len(rows) == len(frame)
    for row in rows:
        theirs = frame.loc[(row.start, row.end, *(row.group[d] for d in BY))]
        assert row.n == int(theirs["count"])
        ours = [row.mean, row.median, row.p75, row.p90, row.p95, row.min, row.max, row.trimmed_mean]
        expected = [theirs[c] for c in ("mean", "median", "p75", "p90", "p95", "min", "max", "trimmed_mean")]
        assert ours == pytest.approx(expected, abs=1e-9)
