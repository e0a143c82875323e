from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from waypoint.engine.trs import generator
from waypoint.engine.trs.cli import main
from waypoint.engine.trs.compare import bootstrap_median_change, compare
from waypoint.engine.trs.runner import Study


def test_the_bootstrap_interval_covers_a_known_shift() -> None:
    rng = np.random.default_rng(1)
    before = rng.normal(10, 1, 3000)
    after = rng.normal(8, 1, 3000)
    low, high = bootstrap_median_change(before.tolist(), after.tolist(), seed=2)
    assert low < -2 < high
    assert high < 0
    same_low, same_high = bootstrap_median_change(before.tolist(), rng.normal(10, 1, 3000).tolist(), seed=2)
    assert same_low < 0 < same_high
    assert all(np.isnan(bootstrap_median_change([], [1.0])))


def test_a_faster_administration_shows_significant_gains(tmp_path: Path) -> None:
    before = generator.write(6000, tmp_path / "before", seed=1)
    reform = generator.Scenario(
        start=generator.Scenario().start.replace(year=2015), customs_speed=0.5, green=0.8, yellow=0.12, pre_arrival=0.6
    )
    after = generator.write(6000, tmp_path / "after", seed=2, scenario=reform)
    changes = {(c.start, c.end): c for c in compare(Study(before, threads=1), Study(after, threads=1))}
    total = changes[("arrival", "release")]
    assert total.median_change < 0
    assert total.significant
    assert total.as_dict()["median_change_ci"] == [total.ci_low, total.ci_high]


def test_compare_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    generator.write(1500, tmp_path / "a", seed=1)
    generator.write(1500, tmp_path / "b", seed=2)
    assert main(["compare", str(tmp_path / "a"), str(tmp_path / "b"), "--format", "json", "--threads", "1"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"from", "to", "median_change", "median_change_ci"} <= set(rows[0])
    assert main(["compare", str(tmp_path / "a"), str(tmp_path / "b"), "--by", "mode", "--threads", "1"]) == 0
    assert "95% interval" in capsys.readouterr().out
    assert main(["compare", str(tmp_path / "a"), str(tmp_path / "missing.csv")]) == 2
