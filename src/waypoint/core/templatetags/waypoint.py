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
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from waypoint.core.audit import plain_decimal
from waypoint.engine.indicators import Coverage, Health, Status
from waypoint.engine.periods import Period, PeriodKind

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
    """A number with thousands separators and a fixed number of decimals; '—' when missing."""
    if value is None or value == "":
        return "—"
    try:
        places = min(max(int(decimals), 0), MAX_PLACES)
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,.{places}f}"


@register.filter
def money(value: Any) -> str:
    if value is None:
        return "—"
    return f"{float(value):,.0f}"


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
    if isinstance(value, list | tuple):
        return ", ".join(_unexponent(str(item)) for item in value)
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
