"""What every API operation shares: the error body it answers with, and fields that may be left
out but not sent empty.

The error body is the one ``ApplicationError.as_dict`` writes (``core/errors.py``); the API turns
every refusal into it (``waypoint/api.py``), and its OpenAPI document lists it under each
operation's 400/401/403/404/409/422 answers.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Self, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from pydantic import BaseModel, BeforeValidator, Field, model_validator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from waypoint.core.errors import InvalidInput, Problem

T = TypeVar("T")

#: a month as the API writes it, YYYY-MM, in the years a date can hold (0001–9999)
MONTH = r"^([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])-(0[1-9]|1[0-2])$"


class ProblemOut(BaseModel):
    location: str = Field(description="Where: a JSON path such as $.targets[2].value, a field or a parameter.")
    message: str


class ErrorOut(BaseModel):
    code: str = Field(description="Stable: invalid, forbidden, not_found, unauthenticated, … Clients may match on it.")
    message: str
    problems: list[ProblemOut] = Field(default=[], description="Each broken rule with its location.")


class ConflictOut(ErrorOut):
    current_version: int = Field(description="The version now stored: read the record again, then retry.")


def _refuse_null(value: object) -> object:
    if value is None:
        raise PydanticCustomError("not_null", _("Leave the field out to keep its value; it cannot be null."))
    return value


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)  # null is the "left out" marker, not a value a client may send


#: a field of a change (PATCH) that may be left out, meaning "unchanged", but never sent as null:
#: the column it changes holds no empty value. Python sees ``T | None`` (None: left out); the
#: OpenAPI document shows plain ``T``.
Omittable = Annotated[T | SkipJsonSchema[None], BeforeValidator(_refuse_null), Field(json_schema_extra=_drop_default)]


class TextLimits(BaseModel):
    """Base of an API input schema whose text fields go into the columns of ``limits_from``:
    each one named like a ``CharField`` of that model is held to its ``max_length``, refused
    with its JSON path (SQLite ignores the length; PostgreSQL failed the write with a server
    error) and documented as ``maxLength``. The model stays the one place the limit is written.
    """

    limits_from: ClassVar[type[models.Model] | None] = None

    @classmethod
    def text_limits(cls) -> dict[str, int]:
        if cls.limits_from is None:
            return {}
        limits = {}
        for name in cls.model_fields:
            try:
                field = cls.limits_from._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(field, models.CharField) and field.max_length:
                limits[name] = field.max_length
        return limits

    @model_validator(mode="after")
    def _within_text_limits(self) -> Self:
        problems = [
            Problem(f"$.{name}", gettext("At most %(n)d characters.") % {"n": most})
            for name, most in self.text_limits().items()
            if isinstance(value := getattr(self, name), str) and len(value) > most
        ]
        if problems:
            # not a ValueError: pydantic lets it through, and the API answers it located
            raise InvalidInput(gettext("The text is too long."), problems=problems)
        return self

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
        schema = handler(core_schema)
        properties = handler.resolve_ref_schema(schema).get("properties", {})
        for name, most in cls.text_limits().items():
            if name in properties:
                properties[name]["maxLength"] = most
        return schema


def error_schemas() -> dict[str, Any]:
    """The JSON schemas of the error bodies, for the OpenAPI document's components."""
    found: dict[str, Any] = {}
    for model in (ErrorOut, ConflictOut):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        found.update(schema.pop("$defs", {}))
        found[model.__name__] = schema
    return found
