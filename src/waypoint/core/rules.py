"""Rules every app shares: numbers the database can hold.

A number too large for its column is accepted by SQLite and then breaks every page that
reads it back (and PostgreSQL refuses it with a server error). Every entry path (form,
service, API, plan file) calls these functions, with the limits of the model field the value
goes into, so a number is refused where it is entered, with its location, and nothing is
written.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core.errors import Problem


def decimal_problems(location: str, value: Decimal | None, field: object) -> list[Problem]:
    """Whether ``value`` fits the decimal column ``field`` (its ``max_digits`` and
    ``decimal_places``); ``None`` always fits (nullable columns say so themselves)."""
    if value is None:
        return []
    assert isinstance(field, models.DecimalField)
    max_digits, places = field.max_digits or 0, field.decimal_places or 0
    if not value.is_finite():
        return [Problem(location, _("Write a number, e.g. 12.5."))]
    whole = max_digits - places
    if abs(value) >= Decimal(10) ** whole:
        return [
            Problem(
                location,
                ngettext(
                    "The number is too large: at most %(n)d digit before the decimal point.",
                    "The number is too large: at most %(n)d digits before the decimal point.",
                    whole,
                )
                % {"n": whole},
            )
        ]
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        return [
            Problem(
                location, _("The number has too many decimals: at most %(n)d after the decimal point.") % {"n": places}
            )
        ]
    return []


def readable_decimal(value: Decimal | None) -> Decimal | None:
    """A stored decimal as reads use it: ``None`` when it is not a finite number.

    The entry paths never store one (``decimal_problems``), but a database may hold one from
    before, or from outside: PostgreSQL's numeric keeps 'NaN', and SQLite keeps whatever text or
    float it was given. Computations, charts, checks and the API treat such a value as missing;
    pages list it (as 'nan' or 'inf') so that it can be found and deleted."""
    if value is None or not value.is_finite():
        return None
    return value


def integer_problems(location: str, value: int | None, field: object) -> list[Problem]:
    """Whether ``value`` fits the integer column ``field``: the range Django gives its type on
    every database (SQLite would hold more than PostgreSQL; the same file must import on both).
    ``None`` always fits."""
    if value is None:
        return []
    assert isinstance(field, models.IntegerField)
    low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
    if low <= value <= high:
        return []
    return [Problem(location, _("The number must lie between %(low)d and %(high)d.") % {"low": low, "high": high})]
