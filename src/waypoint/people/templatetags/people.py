"""How a figure about officers is written on a page: the count, or "fewer than 5" when the
small-group rule hid it. Every such figure carries ``data-officers`` (the number, or
"hidden"), so a test can read every figure a page shows and check the rule held."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def officers(count: int | None) -> SafeString:
    if count is None:
        return format_html(
            '<span class="suppressed" data-officers="hidden" title="{}">{}</span>',
            _("Hidden: figures about fewer than 5 officers are not shown."),
            _("fewer than 5"),
        )
    return format_html('<span data-officers="{}">{}</span>', count, f"{count:,}")


@register.simple_tag
def share(value: float | None) -> str:
    """A share as a whole percentage; a dash when there is none (or it is hidden)."""
    return "—" if value is None else f"{round(100 * value)} %"


@register.filter
def level_label(framework: Any, code: str) -> str:
    competency = framework.competency(code) if framework is not None else None
    return competency.name if competency is not None else code
