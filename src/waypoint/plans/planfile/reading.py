"""Read a plan file into its JSON value, refusing what would break later instead of failing there.

Nothing here looks at stored data, so it runs before the rights check. A file is refused, with
the place where that can be told, when it is larger than ``WAYPOINT_PLAN_FILE_MAX_BYTES``, is
not UTF-8, is not JSON, is nested deeper than ``WAYPOINT_PLAN_FILE_MAX_DEPTH``, holds a number
JSON cannot hold (NaN, Infinity, an overflow, thousands of digits), or holds text no database
stores (a lone surrogate such as ``"\\ud800"``, or a NUL character, which PostgreSQL refuses).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core.errors import Problem
from waypoint.plans.errors import PlanFileInvalid

#: digits of the longest integer read as a number (a plan file's largest is about 20)
MAX_INTEGER_DIGITS = 40
#: problems listed at most for a file's text and numbers; a hostile file could have millions
MAX_LISTED = 50

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class _NotANumber(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NotANumber(_("%(name)s is not a number a plan file can hold.") % {"name": name})


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise _NotANumber(
            _("A number has %(n)d digits; a plan file's numbers have at most %(max)d.")
            % {"n": len(text.lstrip("-")), "max": MAX_INTEGER_DIGITS}
        )
    return int(text)


def _refused(message: str, problems: list[Problem]) -> PlanFileInvalid:
    return PlanFileInvalid(message, problems=problems)


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    return f"{size / 1024:.3g} KB"


def size_problem(size: int) -> Problem | None:
    """A file of ``size`` bytes is too large (the upload form asks before reading it)."""
    limit: int = settings.WAYPOINT_PLAN_FILE_MAX_BYTES
    if size <= limit:
        return None
    return Problem(
        "$", _("The file is larger than %(limit)s (WAYPOINT_PLAN_FILE_MAX_BYTES).") % {"limit": _size(limit)}
    )


def _text(raw: str | bytes) -> str:
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
    if (problem := size_problem(size)) is not None:
        raise _refused(_("The file is too large."), [problem])
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise _refused(
            _("The file is not UTF-8 text."),
            [
                Problem(
                    "$",
                    _("line %(line)d, column %(column)d: byte 0x%(byte)02x is not UTF-8; save the file as UTF-8.")
                    % {"line": line, "column": column, "byte": raw[error.start]},
                )
            ],
        ) from error
    return text.removeprefix("\ufeff")  # a byte order mark some editors write


def _decode(text: str) -> Any:
    depth: int = settings.WAYPOINT_PLAN_FILE_MAX_DEPTH
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_int=_integer)
    except json.JSONDecodeError as error:
        raise _refused(
            _("The file is not valid JSON."),
            [
                Problem(
                    "$",
                    _("line %(lineno)s, column %(colno)s: %(msg)s")
                    % {"lineno": error.lineno, "colno": error.colno, "msg": error.msg},
                )
            ],
        ) from error
    except RecursionError as error:
        raise _refused(_("The file is nested too deeply."), [Problem("$", _too_deep(depth))]) from error
    except _NotANumber as error:
        raise _refused(_("The file holds a number it cannot hold."), [Problem("$", str(error))]) from error


def _too_deep(depth: int) -> str:
    return _(
        "The file is nested deeper than %(n)d levels (WAYPOINT_PLAN_FILE_MAX_DEPTH); a plan file needs about 7."
    ) % {"n": depth}


def _path(where: tuple[Any, ...] | None) -> str:
    parts: list[str | int] = []
    while where is not None:
        where, key = where
        parts.append(key)
    text = "$"
    for part in reversed(parts):
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _text_problem(value: str) -> str | None:
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return _("The text holds a NUL character (\\u0000), which the database cannot store.")
    return _(
        "The text holds a lone surrogate (\\u%(code)04x), half of a character the database cannot store; "
        "write the character itself."
    ) % {"code": ord(found.group())}


def _scan(data: Any) -> list[Problem]:
    """Every container's depth, every text and every number, without recursion (which a deep
    file would exhaust). Stops at the first container too deep: its contents do not matter."""
    limit: int = settings.WAYPOINT_PLAN_FILE_MAX_DEPTH
    problems: list[Problem] = []
    stack: list[tuple[Any, tuple[Any, ...] | None, int]] = [(data, None, 1)]
    while stack and len(problems) < MAX_LISTED:
        value, where, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return [Problem(_path(where), _too_deep(limit))]
            items = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
            for key, item in reversed(items):
                if isinstance(key, str) and (problem := _text_problem(key)) is not None:
                    problems.append(Problem(_path((where, key)), problem))
                stack.append((item, (where, key), depth + 1))
        elif isinstance(value, str):
            if (problem := _text_problem(value)) is not None:
                problems.append(Problem(_path(where), problem))
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(Problem(_path(where), _("The number is too large.")))
    return problems


def read_document(raw: str | bytes | dict[str, Any]) -> Any:
    """The file's JSON value (``raw`` may already be one).

    Raises:
        PlanFileInvalid: the file is too large, not UTF-8, not JSON, too deep, or holds a
            number or a text that cannot be stored; located where that can be told.
    """
    data = _decode(_text(raw)) if isinstance(raw, str | bytes) else raw
    problems = _scan(data)
    if problems:
        raise _refused(
            ngettext("The plan file has %(n)d problem.", "The plan file has %(n)d problems.", len(problems))
            % {"n": len(problems)},
            problems,
        )
    return data
