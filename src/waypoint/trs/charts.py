"""TRS charts as Vega-Lite specs (Altair): time per step, and the cumulative release curve."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from waypoint.core.charts import alt
from waypoint.engine.trs.model import StatRow
from waypoint.trs.labels import milestone_label


def _data(rows: list[dict[str, Any]]) -> Any:
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


def _label(row: StatRow) -> str:
    return f"{milestone_label(row.start)} → {milestone_label(row.end)}"


def steps_chart(intervals: list[StatRow], bottleneck: StatRow | None) -> dict[str, Any] | None:
    """Mean and median hours of each step, in process order; the bottleneck stands out."""
    if not intervals:
        return None
    order = [_label(r) for r in intervals]
    mean, median = _("mean"), _("median")
    rows = []
    for r in intervals:
        for measure, value in ((mean, r.mean), (median, r.median)):
            rows.append(
                {
                    "step": _label(r),
                    "measure": measure,
                    "hours": round(value, 2),
                    "n": r.n,
                    "bottleneck": bottleneck is not None and r.start == bottleneck.start and r.end == bottleneck.end,
                }
            )
    chart = (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(
            y=alt.Y("step:N", sort=order, title=None),
            yOffset=alt.YOffset("measure:N"),
            x=alt.X("hours:Q", title=_("hours")),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(domain=[mean, median], range=["#0d6efd", "#9ec5fe"]),
                legend=alt.Legend(orient="bottom"),
            ),
            stroke=alt.condition("datum.bottleneck", alt.value("#dc3545"), alt.value(None)),
            strokeWidth=alt.value(2),
            tooltip=[
                alt.Tooltip("step:N", title=_("step")),
                alt.Tooltip("measure:N", title=_("measure")),
                alt.Tooltip("hours:Q", title=_("hours"), format=".2f"),
                alt.Tooltip("n:Q", title=_("declarations")),
            ],
        )
    )
    spec: dict[str, Any] = (
        chart.properties(width="container", height=alt.Step(12)).configure_view(stroke=None).to_dict(validate=False)
    )
    return spec


#: hours on the release curve's axis: an hour, a shift, a day, two days, a week, a month, a quarter
CURVE_TICKS = (0, 1, 2, 4, 8, 12, 24, 48, 96, 168, 336, 720, 2160)


def release_curve_chart(curve: list[tuple[float, float]], target_hours: float) -> dict[str, Any] | None:
    """The share of declarations released by each hour after arrival."""
    if not curve:
        return None
    rows = [{"hours": round(h, 2), "released": round(share * 100, 1)} for h, share in curve]
    # a symlog scale's own ticks crowd together at its long end: ticks at hours people use, up
    # to the target's line too (the layers share the axis, which reaches it on a short study)
    longest = max(max(h for h, _share in curve), target_hours)
    ticks = [t for t in CURVE_TICKS if t <= longest]
    if ticks[-1] < longest:  # and one past the end, unless the end is a tick
        ticks += [t for t in CURVE_TICKS if t > longest][:1]
    line = (
        alt.Chart(_data(rows))
        .mark_line(interpolate="step-after", point=False)
        .encode(
            x=alt.X(
                "hours:Q",
                title=_("hours after arrival"),
                scale=alt.Scale(type="symlog"),
                axis=alt.Axis(values=ticks, labelOverlap=True),
            ),
            y=alt.Y("released:Q", title=_("released (%)"), scale=alt.Scale(domain=[0, 100])),
            tooltip=[
                alt.Tooltip("hours:Q", title=_("hours"), format=".1f"),
                alt.Tooltip("released:Q", title=_("released (%)")),
            ],
        )
    )
    rule = (
        alt.Chart(_data([{"hours": target_hours}]))
        .mark_rule(color="#dc3545", strokeDash=[4, 3])
        .encode(x=alt.X("hours:Q"))
    )
    spec: dict[str, Any] = (
        alt.layer(line, rule)
        .properties(width="container", height=220)
        .configure_view(stroke=None)
        .to_dict(validate=False)
    )
    return spec
