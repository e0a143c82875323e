"""``{% load trs_labels %}``: the names of the file contract as people read them."""

from __future__ import annotations

from django import template

from waypoint.trs import labels

register = template.Library()


@register.filter
def milestone_label(name: str) -> str:
    return labels.milestone_label(name)


@register.filter
def dimension_label(name: str) -> str:
    return labels.dimension_label(name)


@register.filter
def value_label(value: object, dimension: str = "") -> str:
    return labels.value_label(value, dimension)


@register.filter
def actor_label(name: str) -> str:
    return labels.actor_label(name)


@register.filter
def reason_label(name: str) -> str:
    return labels.reason_label(name)
