"""Altair as every chart module uses it: ``from waypoint.core.charts import alt``.

Altair checks each part of a chart against the Vega-Lite schema as it is built (its "debug
mode"): with a chart's data inline, every row is checked, and that was most of the time of
the pages that show charts (the roadmap's two, an indicator's, the clearance-time study's:
issue 20). Our specs are built from our own code; the tests that call the chart builders
with ``validate=True`` check the whole spec against the schema, and the specs are built
without the check here, once for every process that draws charts.
"""

from __future__ import annotations

from typing import Any

import altair as alt
from altair.utils.schemapi import disable_debug_mode

disable_debug_mode()

__all__ = ["alt", "no_rows", "with_rows"]


def no_rows() -> Any:
    """Inline data without rows, for a chart whose rows ``with_rows`` puts in its spec."""
    return alt.Data(values=[])  # type: ignore[no-untyped-call]


def with_rows(spec: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The spec of a chart built on ``no_rows()``, with its rows: Altair copies and converts
    every inline row as it writes a spec (a roadmap's team load has a row per team and month),
    and rows of plain values need neither. The spec is the one Altair writes with the rows."""
    if spec.get("data") != {"values": []}:
        raise ValueError("the chart's top-level data is not no_rows()")
    spec["data"] = {"values": rows}
    return spec
