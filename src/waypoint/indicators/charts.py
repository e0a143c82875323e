"""The indicator chart as a Vega-Lite spec (Altair): baseline, trajectory, targets, actuals.

The same spec is drawn on screen by vega-embed and can be rendered into documents.
Levels (averages, stocks, running totals) are drawn as a line on a time axis; flows (sums
per period, such as revenue) as yearly bars against their targets.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from waypoint.core.charts import alt, no_rows, with_rows
from waypoint.engine import indicators as engine
from waypoint.engine.periods import Period
from waypoint.indicators.selectors import IndicatorState

STATUS_COLOURS = {"on_track": "#198754", "at_risk": "#e0a800", "off_track": "#dc3545", "no_data": "#adb5bd"}
STATUS_SCALE = alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values()))
STATUS_NAMES = {
    "on_track": gettext_lazy("on track"),
    "at_risk": gettext_lazy("at risk"),
    "off_track": gettext_lazy("off track"),
    "no_data": gettext_lazy("no data"),
}
#: the series as the tooltip names them (the data keeps the English key the layers filter on)
SERIES_NAMES = {
    "Baseline": gettext_lazy("Baseline"),
    "Trajectory": gettext_lazy("Trajectory"),
    "Target": gettext_lazy("Target"),
    "Actual": gettext_lazy("Actual"),
}


def _status_legend() -> Any:
    """The status legend in the reader's language: a Vega expression from key to words."""
    expression = "datum.label"
    for key, name in STATUS_NAMES.items():
        expression = f"datum.label === {json.dumps(key)} ? {json.dumps(str(name))} : ({expression})"
    return alt.Legend(title=_("Status"), orient="bottom", labelExpr=expression)


def _named(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row with its series' name in the reader's language, for the tooltip."""
    return [{**row, "name": str(SERIES_NAMES.get(row["series"], row["series"]))} for row in rows]


def indicator_chart(state: IndicatorState, *, validate: bool = False) -> dict[str, Any]:
    """The spec, by default without Altair's check against the Vega-Lite schema (most of an
    indicator page's time once); ``validate=True`` checks it, as Altair writes it afresh.

    The chart's layers depend only on its ``_Shape`` and the reader's language, and Altair
    takes long to write them (it copies every layer several times): the layers are written
    once per shape and language in the process, and each chart's rows put in a copy."""
    if state.spec.is_flow:
        rows, shape = _flow_rows(state)
    else:
        rows, shape = _level_rows(state)
    if validate:
        return with_rows(_written(shape, validate=True), rows)
    return with_rows(copy.deepcopy(_layers_written(shape, get_language())), rows)


@dataclass(frozen=True)
class _Shape:
    """What an indicator chart's layers are drawn from besides its rows."""

    flow: bool
    unit_of_measure: str
    decimals: int
    is_range: bool = False
    #: a level's time axis: from the baseline's year (or the plan's first) to the plan's last
    first_year: int = 0
    end_year: int = 0


@functools.lru_cache(maxsize=256)
def _layers_written(shape: _Shape, language: str | None) -> dict[str, Any]:
    """``_written(shape)`` in ``language`` (the labels are translated as it is written)."""
    return _written(shape)


def _written(shape: _Shape, *, validate: bool = False) -> dict[str, Any]:
    chart = _flow_layers(shape) if shape.flow else _level_layers(shape)
    spec: dict[str, Any] = (
        chart.properties(width="container", height=260).configure_view(stroke=None).to_dict(validate=validate)
    )
    return spec


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _value_axis(shape: _Shape) -> tuple[Any, str]:
    """The value axis and the tooltips' number format, by the indicator's decimals: ticks
    never finer than the last decimal shown (a chart with only a baseline of 5 read
    "5.000000" on its axis)."""
    places = max(0, min(int(shape.decimals), 4))
    number = f",.{places}f"
    return alt.Axis(format=number, tickMinStep=10**-places), number


def _level_rows(state: IndicatorState) -> tuple[list[dict[str, Any]], _Shape]:
    """A level's rows (baseline, trajectory, targets, actuals) and its layers' shape."""
    indicator, spec = state.indicator, state.spec
    plan = indicator.plan
    rows: list[dict[str, Any]] = []
    if spec.baseline is not None:
        rows.append(
            {
                "date": _iso(spec.baseline.date),
                "value": spec.baseline.value,
                "series": "Baseline",
                "label": _("Baseline"),
            }
        )
        rows.append(
            {
                "date": _iso(spec.baseline.date),
                "value": spec.baseline.value,
                "upper": spec.baseline.value,
                "series": "Trajectory",
                "label": _("Baseline"),
            }
        )
    for year in plan.years:
        period = Period.year_of(year)
        expected = engine.expected_value(spec, period)
        if expected is not None:
            rows.append(
                {
                    "date": _iso(period.end),
                    "value": expected.value,
                    "upper": expected.upper,
                    "series": "Trajectory",
                    "label": str(year),
                }
            )
    for period, target in sorted(spec.targets.items(), key=lambda item: item[0].sort_key()):
        rows.append(
            {
                "date": _iso(period.end),
                "value": target.value,
                "upper": target.upper,
                "series": "Target",
                "label": period.code,
            }
        )
    for period in sorted(engine.period_values(spec), key=lambda p: p.sort_key()):
        evaluation = engine.evaluate(spec, period)
        if evaluation.actual is not None:
            rows.append(
                {
                    "date": _iso(period.end),
                    "value": evaluation.actual,
                    "series": "Actual",
                    "label": period.code,
                    "status": evaluation.status.value,
                }
            )
    # Values sit at the end of their period, so each year's tick is on 31 December:
    # the dot above "2014" is the 2014 value.
    first_year = min(spec.baseline.date.year if spec.baseline is not None else plan.start_year, plan.start_year)
    shape = _Shape(
        flow=False,
        unit_of_measure=indicator.unit_of_measure,
        decimals=int(indicator.decimals),
        is_range=indicator.is_range,
        first_year=first_year,
        end_year=plan.end_year,
    )
    return _named(rows), shape


def _level_layers(shape: _Shape) -> Any:
    """A level's layers, on no rows (``indicator_chart`` puts them in)."""
    first_year, end_year = shape.first_year, shape.end_year
    ticks = [alt.DateTime(year=year, month=12, date=31) for year in range(first_year, end_year + 1)]
    domain = [alt.DateTime(year=first_year, month=10, date=1), alt.DateTime(year=end_year + 1, month=3, date=1)]
    axis, number = _value_axis(shape)
    base = alt.Chart(no_rows()).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", values=ticks), scale=alt.Scale(domain=domain)),
        y=alt.Y("value:Q", title=shape.unit_of_measure, scale=alt.Scale(zero=False), axis=axis),
        tooltip=[
            alt.Tooltip("name:N", title=_("Series")),
            alt.Tooltip("label:N", title=_("Period")),
            alt.Tooltip("value:Q", title=_("Value"), format=number),
        ],
    )

    def only(*series: str) -> Any:
        return base.transform_filter(alt.FieldOneOfPredicate(field="series", oneOf=list(series)))

    layers: list[Any] = []
    if shape.is_range:
        layers.append(only("Trajectory").mark_area(opacity=0.15, color="#6c8ebf").encode(y2="upper:Q"))
    layers += [
        only("Trajectory").mark_line(strokeDash=[6, 4], color="#6c8ebf"),
        only("Baseline").mark_point(shape="square", size=70, filled=True, color="#495057"),
        only("Target").mark_point(shape="diamond", size=90, filled=True, color="#0b3d91"),
        only("Actual").mark_line(color="#212529"),
        only("Actual")
        .mark_circle(size=110, opacity=1)
        .encode(color=alt.Color("status:N", scale=STATUS_SCALE, legend=_status_legend())),
    ]
    return alt.layer(*layers)


def _flow_rows(state: IndicatorState) -> tuple[list[dict[str, Any]], _Shape]:
    """Yearly totals against yearly targets; a year still in progress shows what is in so far
    (the rows, and the layers' shape)."""
    indicator, spec = state.indicator, state.spec
    rows: list[dict[str, Any]] = []
    for evaluation in state.by_year:
        year = str(evaluation.period.year)
        target = spec.targets.get(evaluation.period)
        if target is not None:
            rows.append({"year": year, "value": target.value, "series": "Target"})
        if evaluation.actual is not None:
            rows.append(
                {"year": year, "value": evaluation.actual, "series": "Actual", "status": evaluation.status.value}
            )
    return _named(rows), _Shape(flow=True, unit_of_measure=indicator.unit_of_measure, decimals=int(indicator.decimals))


def _flow_layers(shape: _Shape) -> Any:
    """A flow's layers, on no rows (``indicator_chart`` puts them in)."""
    axis, number = _value_axis(shape)
    base = alt.Chart(no_rows()).encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=shape.unit_of_measure, axis=axis),
        tooltip=[
            alt.Tooltip("name:N", title=_("Series")),
            alt.Tooltip("year:O", title=_("Year")),
            alt.Tooltip("value:Q", title=_("Value"), format=number),
        ],
    )
    bars = (
        base.transform_filter(alt.FieldEqualPredicate(field="series", equal="Actual"))
        .mark_bar(size=28)
        .encode(color=alt.Color("status:N", scale=STATUS_SCALE, legend=_status_legend()))
    )
    targets = base.transform_filter(alt.FieldEqualPredicate(field="series", equal="Target")).mark_tick(
        color="#0b3d91", thickness=3, size=44
    )
    return alt.layer(bars, targets)
