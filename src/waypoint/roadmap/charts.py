"""Usage charts of a scenario as Vega-Lite specs (Altair): team load per month, spend per year."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from waypoint.core.charts import alt, no_rows, with_rows
from waypoint.roadmap.selectors import Usage


def team_load_chart(usage: Usage) -> dict[str, Any] | None:
    """A heat strip per team: the share of its people busy each month (over 100% is a breach)."""
    if not usage.teams:
        return None
    rows = [
        row
        | {"load": round(100 * row["used"] / row["capacity"]) if row["capacity"] else (0 if not row["used"] else 999)}
        for row in usage.teams
    ]
    chart = (
        alt.Chart(no_rows())
        .mark_rect()
        .encode(
            x=alt.X("month:T", timeUnit="yearmonth", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
            # a team name is cut only past 260 px (Vega-Lite cuts at 180): names of a few words fit
            y=alt.Y("team:N", title=None, axis=alt.Axis(labelLimit=260)),
            color=alt.Color(
                "load:Q",
                title=_("busy (%)"),
                scale=alt.Scale(
                    domain=[0, 50, 100, 101], range=["#f8f9fa", "#9ec5fe", "#0d6efd", "#dc3545"], type="linear"
                ),
            ),
            tooltip=[
                alt.Tooltip("team:N", title=_("Team")),
                alt.Tooltip("month:T", timeUnit="yearmonth", title=_("Month")),
                alt.Tooltip("used:Q", title=_("People busy")),
                alt.Tooltip("capacity:Q", title=_("People available")),
            ],
        )
    )
    spec: dict[str, Any] = (
        chart.properties(width="container", height=alt.Step(18)).configure_view(stroke=None).to_dict(validate=False)
    )
    return with_rows(spec, rows)


def budget_chart(usage: Usage) -> dict[str, Any] | None:
    """Spend per year and funding source as bars, the yearly cap as a black tick."""
    if not usage.budgets:
        return None
    rows = [row | {"year": str(row["year"])} for row in usage.budgets]
    base = alt.Chart(no_rows()).encode(
        x=alt.X("year:N", title=None),
        xOffset=alt.XOffset("source:N"),
    )
    bars = base.mark_bar().encode(
        y=alt.Y("spent:Q", title=_("Spent")),
        color=alt.Color("source:N", title=_("Funding source"), legend=alt.Legend(orient="bottom", columns=2)),
        tooltip=[
            alt.Tooltip("source:N", title=_("Source")),
            alt.Tooltip("year:N", title=_("Year")),
            alt.Tooltip("spent:Q", title=_("Spent"), format=",.0f"),
            alt.Tooltip("cap:Q", title=_("Cap"), format=",.0f"),
        ],
    )
    caps = base.mark_tick(color="#212529", thickness=2).encode(y=alt.Y("cap:Q"))
    spec: dict[str, Any] = (
        alt.layer(bars, caps)
        .properties(width="container", height=220)
        .configure_view(stroke=None)
        .to_dict(validate=False)
    )
    return with_rows(spec, rows)
