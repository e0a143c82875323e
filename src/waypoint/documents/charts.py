"""Charts for documents, drawn on the server: the app's own Vega-Lite specs (indicator charts,
the roadmap's budget) and the diagnostic radar, plus the few a document needs that no page has
(the Gantt of dated elements, budget per year and source, the health bar). vl-convert draws
them offline to SVG (for the PDF) and PNG (for the DOCX)."""

from __future__ import annotations

import copy
import hashlib
import html
import json
import os
import tempfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import vl_convert

from waypoint.core.charts import alt
from waypoint.documents.blocks import Figure

#: points of the text width at which a chart is drawn (A4 portrait less margins)
TEXT_WIDTH = 460
STATUS_COLOURS = {"on_track": "#198754", "at_risk": "#e0a800", "off_track": "#dc3545", "no_data": "#adb5bd"}


def _data(rows: list[dict[str, Any]]) -> Any:
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


def _fixed(spec: dict[str, Any], width: int) -> dict[str, Any]:
    """A screen spec (``width: container``) at a fixed width for paper."""
    fixed = copy.deepcopy(spec)
    for part in [fixed, *fixed.get("vconcat", []), *fixed.get("hconcat", [])]:
        if part.get("width") == "container":
            part["width"] = width
    fixed.setdefault("config", {}).setdefault("font", "DejaVu Sans")
    fixed["background"] = "white"
    return fixed


def figure(spec: dict[str, Any], caption: str, *, width: int = TEXT_WIDTH, share: float = 1.0) -> Figure:
    """A Vega-Lite spec at a fixed width, drawn when a renderer asks (``svg_of``, ``png_of``)."""
    return Figure(caption=caption, spec=_fixed(spec, width), width=share)


def svg_figure(svg: str, caption: str, *, share: float = 0.6) -> Figure:
    return Figure(caption=caption, svg=svg, width=share)


#: drawings kept in this process, by key (a worker renders the same plan's charts again)
_DRAWN: OrderedDict[str, bytes] = OrderedDict()
_KEPT_IN_MEMORY = 64
#: drawings kept on disk at most; the oldest go first
KEPT_ON_DISK = 2000


def _cache_dir() -> Path | None:
    from django.conf import settings

    where = str(getattr(settings, "WAYPOINT_CHART_CACHE", "") or "")
    return Path(where) if where else None


def _drawn(kind: str, source: Any, draw: Callable[[], bytes]) -> bytes:
    """A chart's drawing (``kind``: svg or png) made once for the same spec or SVG and the same
    chart engine: kept in memory and on disk (``WAYPOINT_CHART_CACHE``), so a document made
    again draws nothing (drawing ten charts, and starting the chart engine to do it, was a
    fifth of a strategic plan's time)."""
    text = source if isinstance(source, str) else json.dumps(source, sort_keys=True, ensure_ascii=False)
    version = getattr(vl_convert, "__version__", "")
    key = hashlib.sha256(f"{kind}|{version}|{text}".encode()).hexdigest()
    if key in _DRAWN:
        _DRAWN.move_to_end(key)
        return _DRAWN[key]
    folder = _cache_dir()
    path = folder / f"{key}.{kind}" if folder is not None else None
    data: bytes | None = None
    if path is not None:
        try:
            data = path.read_bytes()
        except OSError:
            data = None
    if data is None:
        data = draw()
        if path is not None:
            _keep(path, data)
    _DRAWN[key] = data
    while len(_DRAWN) > _KEPT_IN_MEMORY:
        _DRAWN.popitem(last=False)
    return data


def _keep(path: Path, data: bytes) -> None:
    """Write a drawing to the disk cache (whole or not at all); a cache that cannot be written
    is no error: the chart is drawn again next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".part") as part:
            part.write(data)
        os.replace(part.name, path)
        kept = sorted(path.parent.glob("*.*g"), key=lambda p: p.stat().st_mtime)
        for old in kept[: max(0, len(kept) - KEPT_ON_DISK)]:
            old.unlink(missing_ok=True)
    except OSError:
        return


def svg_of(figure: Figure) -> str:
    if figure.spec is not None:
        spec = figure.spec
        return _drawn("svg", spec, lambda: str(vl_convert.vegalite_to_svg(spec)).encode("utf-8")).decode("utf-8")
    return figure.svg


def png_of(figure: Figure) -> bytes:
    if figure.spec is not None:
        spec = figure.spec
        return _drawn("png", spec, lambda: bytes(vl_convert.vegalite_to_png(spec, scale=2)))
    svg = figure.svg
    return _drawn("png", svg, lambda: bytes(vl_convert.svg_to_png(svg, scale=2)))


def radar_svg(radar: dict[str, Any], current: str, target: str) -> str:
    """The diagnostic radar as the assessment page draws it (``diagnostics.selectors._radar``'s
    points), with its styles inline and a legend."""
    size = radar["size"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size + 30}" '
        f'viewBox="0 0 {size} {size + 30}" font-family="DejaVu Sans" font-size="11">',
        f'<rect width="{size}" height="{size + 30}" fill="white"/>',
    ]
    parts += [f'<polygon points="{ring}" fill="none" stroke="#ced4da" stroke-width="1"/>' for ring in radar["rings"]]
    for axis in radar["axes"]:
        parts.append(
            f'<line x1="{radar["centre"]}" y1="{radar["centre"]}" x2="{axis["x"]}" y2="{axis["y"]}" stroke="#ced4da"/>'
        )
        parts.append(
            f'<text x="{axis["label_x"]}" y="{axis["label_y"]}" text-anchor="{axis["anchor"]}" '
            f'dominant-baseline="middle" fill="#212529">{html.escape(str(axis["code"]))}</text>'
        )
    if radar.get("has_target"):
        parts.append(
            f'<polygon points="{radar["target"]}" fill="none" stroke="#198754" stroke-width="2" stroke-dasharray="5,3"/>'
        )
    parts.append(
        f'<polygon points="{radar["current"]}" fill="rgba(13,110,253,0.35)" fill-opacity="0.35" '
        f'stroke="#0d6efd" stroke-width="2"/>'
    )
    y = size + 18
    parts.append(f'<rect x="{size / 2 - 110}" y="{y - 9}" width="14" height="10" fill="#9ec5fe" stroke="#0d6efd"/>')
    parts.append(f'<text x="{size / 2 - 90}" y="{y}" fill="#212529">{html.escape(current)}</text>')
    parts.append(
        f'<line x1="{size / 2 + 10}" y1="{y - 4}" x2="{size / 2 + 28}" y2="{y - 4}" stroke="#198754" '
        f'stroke-width="2" stroke-dasharray="5,3"/>'
    )
    parts.append(f'<text x="{size / 2 + 34}" y="{y}" fill="#212529">{html.escape(target)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def gantt_spec(rows: list[dict[str, Any]], *, status_title: str, labels: dict[str, str]) -> dict[str, Any]:
    """Dated elements as bars on a time axis, one line each in plan order (``rows``: label,
    start, end, status)."""
    order = [row["label"] for row in rows]
    chart = (
        alt.Chart(_data(rows))
        .mark_bar(cornerRadius=2, height=9)
        .encode(
            x=alt.X("start:T", title=None, axis=alt.Axis(format="%Y", tickCount="year", grid=True)),
            x2="end:T",
            y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260, labelFontSize=9)),
            color=alt.Color(
                "status:N",
                title=status_title,
                scale=alt.Scale(
                    domain=list(labels), range=["#adb5bd", "#0d6efd", "#e0a800", "#198754", "#6c757d"][: len(labels)]
                ),
                legend=alt.Legend(orient="bottom", labelExpr=_label_expr(labels)),
            ),
        )
        .properties(width="container", height=max(60, 14 * len(rows)))
    )
    spec: dict[str, Any] = chart.configure_view(stroke=None).to_dict(validate=False)
    return spec


def _label_expr(labels: dict[str, str]) -> str:
    cases = " : ".join(f"datum.label == {key!r} ? {value!r}" for key, value in labels.items())
    return f"{cases} : datum.label" if cases else "datum.label"


def budget_spec(rows: list[dict[str, Any]], *, amount_title: str, source_title: str) -> dict[str, Any]:
    """Amounts per year, stacked by funding source (``rows``: year, source, amount)."""
    chart = (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(
            x=alt.X("year:N", title=None),
            y=alt.Y("amount:Q", title=amount_title, axis=alt.Axis(format="~s")),
            color=alt.Color("source:N", title=source_title, legend=alt.Legend(orient="bottom", columns=2)),
        )
        .properties(width="container", height=200)
    )
    spec: dict[str, Any] = chart.configure_view(stroke=None).to_dict(validate=False)
    return spec


def health_spec(counts: list[tuple[str, str, int]], *, title: str) -> dict[str, Any]:
    """How many measures are in each status, as one stacked bar (``counts``: key, label, n)."""
    rows = [{"status": label, "key": key, "n": n, "order": i} for i, (key, label, n) in enumerate(counts)]
    chart = (
        alt.Chart(_data(rows))
        .mark_bar(height=26)
        .encode(
            x=alt.X("n:Q", stack="zero", title=title),
            color=alt.Color(
                "status:N",
                title=None,
                sort=[label for _key, label, _n in counts],
                scale=alt.Scale(
                    domain=[label for _key, label, _n in counts], range=[STATUS_COLOURS[key] for key, _l, _n in counts]
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("order:Q"),
        )
        .properties(width="container", height=40)
    )
    spec: dict[str, Any] = chart.configure_view(stroke=None).to_dict(validate=False)
    return spec
