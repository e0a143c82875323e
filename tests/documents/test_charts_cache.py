"""A chart is drawn once for the same spec: kept in the process and on disk, so a document made
again (the same plan, another format's run, the worker's next render) draws nothing."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest
import vl_convert

from waypoint.documents import charts

SPEC = charts.figure(
    charts.health_spec([("on_track", "On track", 3), ("off_track", "Off track", 1)], title="Indicators"), "Health"
)


def test_a_chart_is_drawn_once_and_found_again_in_memory_and_on_disk(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.WAYPOINT_CHART_CACHE = str(tmp_path / "charts")
    drawn: list[str] = []
    real_svg, real_png = vl_convert.vegalite_to_svg, vl_convert.vegalite_to_png

    def svg(spec: Any) -> str:
        drawn.append("svg")
        return str(real_svg(spec))

    def png(spec: Any, scale: float = 1) -> bytes:
        drawn.append("png")
        return bytes(real_png(spec, scale=scale))

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", svg)
    monkeypatch.setattr(vl_convert, "vegalite_to_png", png)
    monkeypatch.setattr(charts, "_DRAWN", OrderedDict())

    first = charts.svg_of(SPEC)
    assert first.startswith("<svg") and charts.svg_of(SPEC) == first
    assert charts.png_of(SPEC).startswith(b"\x89PNG") and charts.png_of(SPEC).startswith(b"\x89PNG")
    assert drawn == ["svg", "png"]
    assert sorted(p.suffix for p in (tmp_path / "charts").iterdir()) == [".png", ".svg"]

    # another process: nothing in memory, the disk has it
    monkeypatch.setattr(charts, "_DRAWN", OrderedDict())
    assert charts.svg_of(SPEC) == first
    assert drawn == ["svg", "png"]
    # another spec is drawn
    other = charts.figure(charts.health_spec([("at_risk", "At risk", 2)], title="Indicators"), "Health")
    assert charts.svg_of(other) != first and drawn == ["svg", "png", "svg"]


def test_no_disk_cache_when_none_is_set(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.WAYPOINT_CHART_CACHE = ""
    monkeypatch.setattr(charts, "_DRAWN", OrderedDict())
    assert charts.svg_of(SPEC).startswith("<svg")
    assert not any(tmp_path.iterdir())
