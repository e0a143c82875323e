"""Workshop charts as Vega-Lite specs (Altair): votes and weights as bars, and the
impact/effort matrix of a scoring with its four quadrants."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypoint.core.charts import alt
from waypoint.engine.workshops import scoring


def _data(rows: list[dict[str, Any]]) -> Any:
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


def bars(rows: list[tuple[str, float]], *, measure: str, percent: bool = False) -> dict[str, Any] | None:
    """Horizontal bars, best first (dots per option, a weight, a score)."""
    if not rows:
        return None
    values = [{"option": label, "value": round(value * 100 if percent else value, 2)} for label, value in rows]
    chart = (
        alt.Chart(_data(values))
        .mark_bar(color="#0d6efd")
        .encode(
            y=alt.Y("option:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("value:Q", title=measure),
            tooltip=[alt.Tooltip("option:N", title=_("option")), alt.Tooltip("value:Q", title=measure)],
        )
    )
    spec: dict[str, Any] = (
        chart.properties(width="container", height=alt.Step(22)).configure_view(stroke=None).to_dict()
    )
    return spec


#: lazy: read in the language of each page, not in the one active when the module was imported
QUADRANT_LABELS = {
    scoring.QUICK_WIN: gettext_lazy("Quick win"),
    scoring.MAJOR_PROJECT: gettext_lazy("Major project"),
    scoring.FILL_IN: gettext_lazy("Fill-in"),
    scoring.THANKLESS: gettext_lazy("Thankless task"),
}


def quadrant_label(key: str | None) -> str:
    return str(QUADRANT_LABELS.get(key or "", ""))


def impact_effort(rows: list[tuple[str, float, float, str | None]], *, low: int, high: int) -> dict[str, Any] | None:
    """Each option at (effort, impact), the scale's middle splitting the four quadrants."""
    if not rows:
        return None
    middle = (low + high) / 2
    values = [
        {"option": label, "effort": round(effort, 2), "impact": round(impact, 2), "quadrant": quadrant_label(q)}
        for label, impact, effort, q in rows
    ]
    scale = alt.Scale(domain=[low, high])
    points = (
        alt.Chart(_data(values))
        .mark_circle(size=120, color="#0d6efd")
        .encode(
            x=alt.X("effort:Q", scale=scale, title=_("effort")),
            y=alt.Y("impact:Q", scale=scale, title=_("impact")),
            tooltip=[
                alt.Tooltip("option:N", title=_("option")),
                alt.Tooltip("impact:Q", title=_("impact")),
                alt.Tooltip("effort:Q", title=_("effort")),
                alt.Tooltip("quadrant:N", title=_("quadrant")),
            ],
        )
    )
    labels = points.mark_text(align="left", dx=8, fontSize=11).encode(text=alt.Text("option:N"))
    rules = [
        alt.Chart(_data([{"at": middle}])).mark_rule(strokeDash=[4, 4], color="#adb5bd").encode(x=alt.X("at:Q")),
        alt.Chart(_data([{"at": middle}])).mark_rule(strokeDash=[4, 4], color="#adb5bd").encode(y=alt.Y("at:Q")),
    ]
    corners = [
        {"effort": low, "impact": high, "text": quadrant_label(scoring.QUICK_WIN), "align": "left"},
        {"effort": high, "impact": high, "text": quadrant_label(scoring.MAJOR_PROJECT), "align": "right"},
        {"effort": low, "impact": low, "text": quadrant_label(scoring.FILL_IN), "align": "left"},
        {"effort": high, "impact": low, "text": quadrant_label(scoring.THANKLESS), "align": "right"},
    ]
    names = [
        alt.Chart(_data([c for c in corners if c["align"] == side]))
        .mark_text(color="#6c757d", fontStyle="italic", dy=-6, baseline="bottom", align=side)
        .encode(x=alt.X("effort:Q", scale=scale), y=alt.Y("impact:Q", scale=scale), text=alt.Text("text:N"))
        for side in ("left", "right")
    ]
    layered = alt.layer(*rules, *names, points, labels)
    spec: dict[str, Any] = layered.properties(width="container", height=320).configure_view(stroke=None).to_dict()
    return spec
