"""Template helpers used across apps: statuses, numbers, periods."""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal
from typing import Any

from django import template
from django.db.models import Model
from django.utils import dateformat
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from waypoint.core.audit import actor_label, plain_decimal
from waypoint.engine.indicators import Coverage, Health, Status
from waypoint.engine.periods import Period, PeriodKind
from waypoint.engine.text import Text

register = template.Library()

STATUS_STYLE = {
    Status.ON_TRACK: ("success", "On track"),
    Status.AT_RISK: ("warning", "At risk"),
    Status.OFF_TRACK: ("danger", "Off track"),
    Status.NO_DATA: ("secondary", "No data"),
}


def _label(text: str) -> str:
    """``gettext(text)``, looked up once per language: a tree row shows several status labels,
    and each lookup goes through the translation machinery."""
    return _label_in(get_language(), text)


@functools.lru_cache(maxsize=256)
def _label_in(language: str | None, text: str) -> str:
    return _(text)


def _status(value: Any) -> Status:
    if isinstance(value, Health):
        return value.status
    if isinstance(value, Status):
        return value
    return Status(str(value)) if value else Status.NO_DATA


@register.simple_tag
def status_badge(value: Any) -> SafeString:
    return _status_badge(get_language(), _status(value))


@functools.lru_cache(maxsize=64)
def _status_badge(language: str | None, status: Status) -> SafeString:
    """The badge of ``status`` in ``language``: the same few on every row of a plan tree."""
    style, label = STATUS_STYLE[status]
    return format_html('<span class="badge status-badge text-bg-{} status-{}">{}</span>', style, status.value, _(label))


@register.filter
def status_label(value: Any) -> str:
    return _(STATUS_STYLE[_status(value)][1])


#: more decimals than any figure here needs (a stored 32767 would print 32767 digits per number)
MAX_PLACES = 6


@register.filter
def num(value: Any, decimals: Any = 1) -> str:
    """A number with thousands separators and a fixed number of decimals, written the way the
    reader's language writes numbers ("1,234.5", "1 234,5"); '—' when missing."""
    if value is None or value == "":
        return "—"
    try:
        places = min(max(int(decimals), 0), MAX_PLACES)
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return number_format(round(number, places), decimal_pos=places, force_grouping=True)


@register.filter
def money(value: Any) -> str:
    """An amount in whole units, grouped the way the reader's language groups digits."""
    if value is None:
        return "—"
    return number_format(round(float(value)), decimal_pos=0, force_grouping=True)


@register.filter
def percent(value: Any) -> str:
    if value is None:
        return "—"
    return f"{float(value) * 100:.0f}%"


@register.filter
def period_label(code: str) -> str:
    try:
        period = Period.parse(str(code))
    except ValueError:
        return str(code)
    if period.kind is PeriodKind.QUARTER:
        return f"Q{period.index} {period.year}"
    if period.kind is PeriodKind.MONTH:
        return period.start.strftime("%b %Y")
    return str(period.year)


@register.filter
def month_year(value: dt.date | None) -> str:
    """``value|date:"M Y"`` ("Mar 2014"), worked out once per language and month: the plan
    tree shows hundreds of dates, and each month's name is read through the translations."""
    if not value:
        return ""
    return _month_year(get_language(), value.year, value.month)


@functools.lru_cache(maxsize=512)
def _month_year(language: str | None, year: int, month: int) -> str:
    return dateformat.format(dt.date(year, month, 1), "M Y")


@register.filter
def choice_label(instance: Any, field_name: str) -> Any:
    """``instance.get_<field_name>_display()``, looked up once per language, model, field and
    value: Django builds the field's choices into a dict, translating every label, on each
    call (a plan tree row shows two)."""
    model: type[Model] = type(instance)
    return _choice_label(get_language(), model, field_name, getattr(instance, field_name))


@functools.lru_cache(maxsize=1024)
def _choice_label(language: str | None, model: type[Model], field_name: str, value: Any) -> Any:
    return model(**{field_name: value})._get_FIELD_display(model._meta.get_field(field_name))  # type: ignore[attr-defined]


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.simple_tag
def health_counts(health: Health) -> SafeString:
    """Small coloured counts (on track / at risk / off track / no data) for a tree row."""
    parts = []
    for status in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_DATA):
        count = health.counts.get(status, 0)
        if count:
            style, label = STATUS_STYLE[status]
            parts.append(
                format_html('<span class="dot dot-{}" title="{}: {}"></span>{}', style, _label(label), count, count)
            )
    if not parts:
        return format_html('<span class="text-body-secondary small">{}</span>', _("no indicators"))
    if health.partial:
        title = ngettext(
            "%(n)d indicator has a newer value reported by too few units to count",
            "%(n)d indicators have a newer value reported by too few units to count",
            health.partial,
        ) % {"n": health.partial}
        label = ngettext("%(n)d partial", "%(n)d partial", health.partial) % {"n": health.partial}
        parts.append(format_html('<span class="partial-count" title="{}">{}</span>', title, label))
    return format_html('<span class="health-counts">{}</span>', SafeString(" ".join(parts)))


@register.simple_tag
def coverage_note(coverage: Coverage | None) -> SafeString:
    """ "1 of 7 units" beside a value rolled up from units, marked when too few of them reported
    for it to count; nothing for a figure recorded for the whole administration."""
    if coverage is None:
        return SafeString("")
    values = {"reported": coverage.reported, "expected": coverage.expected, "needed": coverage.needed}
    text = (
        ngettext("%(reported)d of %(expected)d unit", "%(reported)d of %(expected)d units", coverage.expected) % values
    )
    if coverage.complete:
        title = _("Rolled up from the units that reported; %(needed)d needed.") % values
        return format_html('<span class="units-coverage small text-body-secondary" title="{}">{}</span>', title, text)
    title = (
        ngettext(
            "Too few units reported for this value to count: %(needed)d needed.",
            "Too few units reported for this value to count: %(needed)d needed.",
            coverage.needed,
        )
        % values
    )
    return format_html(
        '<span class="units-coverage units-coverage-partial" title="{}">{}<span class="visually-hidden"> — {}</span></span>',
        title,
        text,
        title,
    )


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with some parameters replaced (for sorting and paging links)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def _widget_class(field: Any) -> str:
    widget = field.field.widget
    input_type = getattr(widget, "input_type", "")
    name = type(widget).__name__
    if name in ("CheckboxSelectMultiple", "RadioSelect"):
        return ""
    if input_type == "checkbox":
        return "form-check-input"
    if name in ("Select", "SelectMultiple") or input_type == "select":
        return "form-select"
    return "form-control"


@register.inclusion_tag("core/_field.html")
def form_field(field: Any, compact: bool = False) -> dict[str, Any]:
    """A form field the Bootstrap way: label, control, help and errors (linked for screen readers)."""
    css = _widget_class(field)
    if field.errors:
        css += " is-invalid"
    attrs: dict[str, Any] = {"class": css.strip()}
    if field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}_help"
    is_multi = type(field.field.widget).__name__ in ("CheckboxSelectMultiple", "RadioSelect")
    return {
        "field": field,
        "widget": field.as_widget(attrs=attrs),
        "is_checkbox": not is_multi and getattr(field.field.widget, "input_type", "") == "checkbox",
        "is_multi": is_multi,
        "compact": compact,
    }


@register.filter
def change_pair(value: Any) -> tuple[Any, Any] | None:
    """``[old, new]`` as recorded by the audit trail, or ``None`` for other change notes."""
    if isinstance(value, list) and len(value) == 2:
        return value[0], value[1]
    return None


@register.filter
def plain(value: Any) -> str:
    """A recorded value as a reader would write it: lists joined, empty shown as a dash."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list | tuple):
        return ", ".join(plain(item) for item in value)
    if isinstance(value, dict):
        # an entry of a list recorded whole (a workshop's columns, criteria): its name, not its keys
        for name in ("label", "name", "title", "text"):
            shown = value.get(name)
            if isinstance(shown, str):
                return shown
        return "; ".join(f"{key}: {plain(item)}" for key, item in value.items())
    return _unexponent(str(value))


#: a number in exponent notation, as the audit trail wrote whole numbers once ("4E+1")
_EXPONENT = re.compile(r"^-?\d+(\.\d+)?E[+-]?\d+$")


def _unexponent(text: str) -> str:
    """ "4E+1" → "40": events recorded before numbers were written plain read as numbers."""
    return plain_decimal(Decimal(text)) if _EXPONENT.match(text) else text


@register.filter
def expected(evaluation: Any, decimals: Any = 1) -> str:
    """The expected value of an evaluation, as a band for range indicators."""
    if evaluation is None or evaluation.expected is None:
        return "—"
    text = num(evaluation.expected, decimals)
    if evaluation.expected_upper is not None:
        text += "–" + num(evaluation.expected_upper, decimals)
    return text


@register.simple_tag
def worker_notice() -> SafeString:
    """A warning on pages that wait on the background worker when no worker has been seen
    recently (nothing when one has, or when none is needed)."""
    from waypoint.core.work import worker_absence

    absence = worker_absence()
    if absence is None:
        return SafeString("")
    return format_html(
        '<div class="alert alert-warning small py-2 my-2" role="status" data-testid="worker-missing">{}</div>',
        absence.message,
    )


#: names the audit log shows that no model declares in words: change notes that are not a
#: field, fields and record types named after their attribute or class (renaming those in the
#: models would only add migrations)
_AUDIT_WORDS = {
    "declarations used": gettext_lazy("declarations used"),
    "set aside": gettext_lazy("set aside"),
    "time zone": gettext_lazy("time zone"),
    "demands removed": gettext_lazy("demands removed"),
    "durations changed": gettext_lazy("durations changed"),
    "links added": gettext_lazy("links added"),
    "periods written": gettext_lazy("periods written"),
    "kept (entered by a person)": gettext_lazy("kept (entered by a person)"),
    "reason": gettext_lazy("reason"),
    "addressed by": gettext_lazy("addressed by"),
    "administration": gettext_lazy("administration"),
    "assessment": gettext_lazy("assessment"),
    "criterion": gettext_lazy("criterion"),
    "dataset": gettext_lazy("dataset"),
    "element": gettext_lazy("element"),
    "ends on": gettext_lazy("ends on"),
    "starts on": gettext_lazy("starts on"),
    "funding source": gettext_lazy("funding source"),
    "indicator": gettext_lazy("indicator"),
    "item": gettext_lazy("item"),
    "key": gettext_lazy("key"),
    "label": gettext_lazy("label"),
    "level": gettext_lazy("level"),
    "name": gettext_lazy("name"),
    "new value": gettext_lazy("new value"),
    "old value": gettext_lazy("old value"),
    "parent": gettext_lazy("parent"),
    "plan": gettext_lazy("plan"),
    "position": gettext_lazy("position"),
    "scenario": gettext_lazy("scenario"),
    "starts": gettext_lazy("starts"),
    "status": gettext_lazy("status"),
    "target": gettext_lazy("target"),
    "team": gettext_lazy("team"),
    "pinned": gettext_lazy("pinned"),
    "critical": gettext_lazy("critical"),
    "number": gettext_lazy("number"),
    "user": gettext_lazy("user"),
    "changes": gettext_lazy("changes"),
    "declarations in": gettext_lazy("declarations in"),
    "rows without id": gettext_lazy("rows without id"),
    "audit event": gettext_lazy("audit event"),
    "notification": gettext_lazy("notification"),
    "plan tier": gettext_lazy("plan tier"),
    "plan element": gettext_lazy("plan element"),
    "risk": gettext_lazy("risk"),
    "budget line": gettext_lazy("budget line"),
    "analysis item": gettext_lazy("analysis item"),
    "plan function": gettext_lazy("plan function"),
    "quality rule setting": gettext_lazy("quality rule setting"),
    "target revision": gettext_lazy("target revision"),
    "actual": gettext_lazy("actual"),
    "team capacity": gettext_lazy("team capacity"),
    "schedule item": gettext_lazy("schedule item"),
    "team demand": gettext_lazy("team demand"),
    "dependency": gettext_lazy("dependency"),
    "budget cap": gettext_lazy("budget cap"),
    "scenario item": gettext_lazy("scenario item"),
    "indicator binding": gettext_lazy("indicator binding"),
    "framework": gettext_lazy("framework"),
    "rating": gettext_lazy("rating"),
    "recommendation": gettext_lazy("recommendation"),
    "carried recommendation": gettext_lazy("carried recommendation"),
    # planning rounds, monitoring, documents and workshops
    "planning round": gettext_lazy("planning round"),
    "submission": gettext_lazy("submission"),
    "proposal": gettext_lazy("proposal"),
    "need": gettext_lazy("need"),
    "follow up action": gettext_lazy("follow-up action"),
    "reporting calendar": gettext_lazy("reporting calendar"),
    "review meeting": gettext_lazy("review meeting"),
    "render": gettext_lazy("document produced"),
    "workshop": gettext_lazy("workshop"),
    "exercise": gettext_lazy("exercise"),
    "note": gettext_lazy("note"),
    "participant": gettext_lazy("participant"),
    "budget": gettext_lazy("budget"),
    "columns": gettext_lazy("columns"),
    "criteria": gettext_lazy("criteria"),
    "event": gettext_lazy("event"),
    "fingerprint": gettext_lazy("fingerprint"),
    "guest": gettext_lazy("guest"),
    "facilitators": gettext_lazy("facilitators"),
    "periods": gettext_lazy("periods"),
    "reports": gettext_lazy("reports"),
    "sections": gettext_lazy("sections"),
    "size": gettext_lazy("size"),
    "units": gettext_lazy("units"),
    "version": gettext_lazy("version"),
}


def _audit_word(text: Any) -> str:
    return str(_AUDIT_WORDS.get(str(text), text))


@register.filter
def field_label(key: str, entity: str) -> str:
    """A key of an audit entry's changes in the reader's language: the field's own name when
    ``entity`` ("app_label.Model") has that field, else the note's label, else the key."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    try:
        field = apps.get_model(entity)._meta.get_field(key)
    except (LookupError, ValueError, FieldDoesNotExist):
        return _audit_word(key.replace("_", " "))
    return _audit_word(getattr(field, "verbose_name", key.replace("_", " ")))


@register.filter
def entity_label(entity: str) -> str:
    """A record type ("app_label.Model") in the reader's language: the model's own name."""
    from django.apps import apps

    try:
        return str(capfirst(_audit_word(apps.get_model(entity)._meta.verbose_name)))
    except (LookupError, ValueError):
        return entity


@register.filter
def who(name: str | None) -> str:
    """Who made a change, as kept (``core.audit.SYSTEM`` or nothing: the system, in the
    reader's language)."""
    return actor_label(name)


@register.filter(name="translated")
def translated(text: Any) -> str:
    """A text shipped with Waypoint outside Django (an engine's scale, rule or milestone name,
    marked there for the catalogues) in the reader's language; other text as it is."""
    if isinstance(text, Text):
        return text.say(_, ngettext)
    return _(str(text)) if text else ""


#: a quality finding's severity (the engine's value) in words
_SEVERITIES = {"error": gettext_lazy("error"), "warning": gettext_lazy("warning"), "info": gettext_lazy("hint")}


@register.filter
def severity_label(value: Any) -> str:
    return str(_SEVERITIES.get(str(value), value))


@register.filter
def for_reader(spec: Any) -> Any:
    """A Vega-Lite spec as the reader's language lays it out: right to left (Arabic), the
    horizontal axis runs from the right and the value axis stands on the right, like the page."""
    from django.utils.translation import get_language_bidi

    if not spec or not get_language_bidi():
        return spec
    return _mirrored(spec)


def _mirrored(node: Any) -> Any:
    if isinstance(node, list):
        return [_mirrored(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _mirrored(value) for key, value in node.items()}
    mark = out.get("mark")
    if isinstance(mark, dict) and mark.get("type") == "text":
        # a label beside its point moves to the point's other side, as the plot does
        mark = dict(mark)
        mark["align"] = {"left": "right", "right": "left"}.get(str(mark.get("align")), mark.get("align"))
        if isinstance(mark.get("dx"), int | float):
            mark["dx"] = -mark["dx"]
        out["mark"] = {key: value for key, value in mark.items() if value is not None}
    encoding = out.get("encoding")
    if isinstance(encoding, dict):
        encoding = dict(encoding)
        x, y = encoding.get("x"), encoding.get("y")
        if isinstance(x, dict):
            encoding["x"] = {**x, "scale": {**(x.get("scale") or {}), "reverse": True}}
        if isinstance(y, dict) and y.get("axis", {}) is not None:
            encoding["y"] = {**y, "axis": {**(y.get("axis") or {}), "orient": "right"}}
        # a legend beside the plot moves to the left, where the value axis no longer is
        for name, channel in encoding.items():
            if name not in ("x", "y") and isinstance(channel, dict) and channel.get("legend", {}) is not None:
                legend = channel.get("legend") or {}
                if legend.get("orient", "right") == "right":
                    encoding[name] = {**channel, "legend": {**legend, "orient": "left"}}
        out["encoding"] = encoding
    return out
