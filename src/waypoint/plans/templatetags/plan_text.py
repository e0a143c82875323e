"""``{% tr element "title" %}``: a plan's text in the reader's language, or in the plan's main
language with a marker saying so (plans/translations.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from waypoint.plans.translations import language_name, reader_language, text_for

register = template.Library()


def _main_language(context: template.Context, obj: Any) -> str:
    """The plan's main language: the page's plan when it is the object's, else the object's
    own plan (a page listing elements of several plans)."""
    if hasattr(obj, "translations") and hasattr(obj, "start_year"):  # a plan
        return str(obj.language)
    plan = context.get("plan")
    plan_id = getattr(obj, "plan_id", None)
    if plan is not None and getattr(plan, "pk", None) == plan_id:
        return str(plan.language)
    owner = getattr(obj, "plan", None)
    return str(getattr(owner, "language", "en"))


@register.simple_tag(takes_context=True)
def tr(context: template.Context, obj: Any, field: str, plain: bool = False) -> str:
    """The text, marked when it is shown in the plan's main language instead of the reader's;
    ``plain=True`` for a page title or an attribute (no markup)."""
    if obj is None:
        return ""
    shown = text_for(obj, field, _main_language(context, obj))
    if plain or not shown.fallback:
        return shown.text if plain else format_html("{}", shown.text)
    return format_html(
        '<span lang="{}">{}</span> <abbr class="fallback-language" title="{}">{}</abbr>',
        shown.language,
        shown.text,
        _("Not written in %(reader)s yet: shown in %(main)s, the plan's main language.")
        % {"reader": language_name(reader_language()), "main": language_name(shown.language)},
        shown.language.upper(),
    )


@register.filter
def tr_lines(obj: Any, field: str) -> SafeString:
    """A multi-line text (vision, description) the same way, its lines kept."""
    from django.template.defaultfilters import linebreaksbr

    shown = text_for(obj, field, str(getattr(getattr(obj, "plan", obj), "language", "en")))
    text = linebreaksbr(shown.text, autoescape=True)
    if not shown.fallback:
        return SafeString(text)
    return format_html(
        '<span lang="{}">{}</span> <abbr class="fallback-language" title="{}">{}</abbr>',
        shown.language,
        text,
        _("Not written in %(reader)s yet: shown in %(main)s, the plan's main language.")
        % {"reader": language_name(reader_language()), "main": language_name(shown.language)},
        shown.language.upper(),
    )


@register.filter
def lines(text: str) -> list[str]:
    """The non-empty lines of a text (a plan's values, one a line)."""
    return [line.strip() for line in str(text).splitlines() if line.strip()]
