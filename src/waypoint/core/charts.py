"""Altair as every chart module uses it: ``from waypoint.core.charts import alt``.

Altair checks each part of a chart against the Vega-Lite schema as it is built (its "debug
mode"): with a chart's data inline, every row is checked, and that was most of the time of
the pages that show charts (the roadmap's two, an indicator's, the clearance-time study's:
issue 20). Our specs are built from our own code; the tests that call the chart builders
with ``validate=True`` check the whole spec against the schema, and the specs are built
without the check here, once for every process that draws charts.
"""

from __future__ import annotations

import altair as alt
from altair.utils.schemapi import disable_debug_mode

disable_debug_mode()

__all__ = ["alt"]
