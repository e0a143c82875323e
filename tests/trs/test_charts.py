"""The TRS charts: the release curve's axis shows hours people use, up to the curve's end (or the
target's line, when that is further)."""

from __future__ import annotations

from typing import Any

from waypoint.trs.charts import release_curve_chart


def _axis_values(spec: dict[str, Any]) -> list[float]:
    return list(spec["layer"][0]["encoding"]["x"]["axis"]["values"])


def test_release_curve_ticks_stop_one_past_the_longest_time() -> None:
    spec = release_curve_chart([(0.5, 0.1), (20.0, 0.8), (130.0, 1.0)], target_hours=24)
    assert spec is not None
    assert _axis_values(spec) == [0, 1, 2, 4, 8, 12, 24, 48, 96, 168]


def test_no_curve_no_chart() -> None:
    assert release_curve_chart([], target_hours=24) is None


def test_a_short_study_s_axis_reaches_the_target_line() -> None:
    """All released within 3 hours, target 24 hours: the axis goes on to the target's line."""
    spec = release_curve_chart([(0.5, 0.4), (3.0, 1.0)], target_hours=24)
    assert spec is not None
    assert _axis_values(spec) == [0, 1, 2, 4, 8, 12, 24]
