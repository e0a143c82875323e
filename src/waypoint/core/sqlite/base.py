"""Django's SQLite backend, with one change: a stored decimal that does not fit its column is
read back as it is instead of failing the whole query.

SQLite has no decimal type: a ``DecimalField`` column keeps a REAL (15 significant digits), an
INTEGER, or text it could not turn into a number ('NaN'). Django's converter fits every value
read to the field's ``max_digits``; a value that does not fit (1e17 in a 20-digit column, or
9999999999999999.9999, which SQLite keeps as 1e16) raises ``InvalidOperation`` and so broke
every page and API call that read it, including the one that would delete it (issue 12).
PostgreSQL refuses such values on write, so only SQLite needs this. The entry paths refuse them
(``core/rules.py``); this is for values already stored. Pages and the API then treat what is not
a finite number that fits as unreadable (``core.rules.readable_decimal``).
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from typing import Any

from django.db.backends.sqlite3 import base, operations
from django.db.models import DecimalField
from django.db.models.expressions import Col

Converter = Callable[[Any, Any, Any], Any]


def _decimal(value: Any) -> decimal.Decimal:
    if isinstance(value, str):  # text SQLite could not read as a number, such as 'NaN'
        try:
            return decimal.Decimal(value)
        except decimal.InvalidOperation:
            return decimal.Decimal("NaN")
    # SQLite keeps 15 significant digits: the digits past them come from the float, not the data
    return decimal.Context(prec=15).create_decimal_from_float(value)


class DatabaseOperations(operations.DatabaseOperations):
    def get_decimalfield_converter(self, expression: Any) -> Converter:
        if not isinstance(expression, Col):
            return lambda value, expression, connection: None if value is None else _decimal(value)
        field = expression.output_field
        assert isinstance(field, DecimalField)
        places = decimal.Decimal(1).scaleb(-field.decimal_places)

        def converter(value: Any, expression: Any, connection: Any) -> decimal.Decimal | None:
            if value is None:
                return None
            number = _decimal(value)
            try:
                return number.quantize(places, context=field.context)
            except decimal.InvalidOperation:
                return number  # too many digits for the column, or not finite: as stored

        return converter


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
