"""Reading parsed JSON or YAML documents with every problem located by its JSON path.

Engines that accept files (plan files for the quality checks, diagnostic frameworks) read them
through one ``LocatedReader`` so their messages look alike: ``$.areas[2].topics[0].code: is
required``. ``load_json`` turns JSON text (a file, a request body) into such a document, or
refuses it with located problems: bytes that are not UTF-8, text that is not JSON (Python's
reader would take NaN and Infinity), nesting deeper than any Waypoint document needs, lone
surrogates (``"\\ud800"``), which JSON allows but no UTF-8 file or database text can hold, and
NUL characters, which PostgreSQL refuses in text.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

T = TypeVar("T")


class DocumentError(ValueError):
    """The document cannot be read; ``problems`` lists (JSON path, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))


#: the deepest nesting a document may have: a plan file goes about six levels deep; a limit keeps
#: every reader that walks a document recursively (pydantic, the checks) far from Python's stack
MAX_DEPTH = 64


def load_json(data: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON text into Python values.

    Raises:
        DocumentError: one located problem: where the bytes stop being UTF-8, where the text
            stops being JSON, where the nesting goes past ``max_depth``, or which value holds a
            lone surrogate, a NUL character, NaN or a number too large to read.
    """
    text = _utf8(data) if isinstance(data, bytes) else data
    try:
        document = json.loads(text, parse_constant=_NotANumber)
    except json.JSONDecodeError as error:
        raise DocumentError(
            [("$", f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})")]
        ) from None
    except RecursionError:
        raise DocumentError([("$", f"nested too deeply: at most {max_depth} levels")]) from None
    except ValueError:  # Python's guard against quadratic int parsing: a number of 4,300+ digits
        raise DocumentError([("$", "a number has more digits than can be read")]) from None
    _check_values(document, max_depth)
    return document


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # a byte-order mark is no error
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise DocumentError(
            [("$", f"not UTF-8 text (line {line}, column {column}: byte 0x{data[error.start]:02x} cannot be read)")]
        ) from None


def _check_values(document: Any, max_depth: int) -> None:
    """Walk the document without recursion: depth first, so the first problem is the first in
    reading order."""
    stack: list[tuple[str, Any, int]] = [("$", document, 0)]
    while stack:
        path, value, depth = stack.pop()
        if isinstance(value, dict | list) and depth >= max_depth:
            raise DocumentError([(path, f"nested too deeply: at most {max_depth} levels")])
        if isinstance(value, dict):
            for key in value:
                if problem := _text_problem(key):
                    raise DocumentError([(path, f"a key {problem}")])
            stack.extend(reversed([(f"{path}.{key}", item, depth + 1) for key, item in value.items()]))
        elif isinstance(value, list):
            stack.extend(reversed([(f"{path}[{i}]", item, depth + 1) for i, item in enumerate(value)]))
        elif isinstance(value, str):
            if problem := _text_problem(value):
                raise DocumentError([(path, problem)])
        elif isinstance(value, _NotANumber):
            raise DocumentError([(path, f"{value.token} is not a JSON number")])
        elif isinstance(value, float) and not math.isfinite(value):
            raise DocumentError([(path, "the number is too large to be read")])


class _NotANumber:
    """Stands in for NaN, Infinity or -Infinity while parsing, so that the walk can say where."""

    def __init__(self, token: str) -> None:
        self.token = token


def _text_problem(text: str) -> str | None:
    if not _is_surrogate_free(text):
        return "holds a lone surrogate (\\ud800–\\udfff), which is not text"
    if "\x00" in text:
        return "holds a NUL character (\\u0000), which no text field can store"
    return None


def _is_surrogate_free(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class LocatedReader:
    """Reads values out of a parsed JSON/YAML document, collecting every problem with its path."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def items(self, doc: Mapping[str, Any], key: str, path: str) -> list[tuple[str, Mapping[str, Any]]]:
        value = doc.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"{path}.{key}", "must be a list")
            return []
        rows = []
        for i, item in enumerate(value):
            if isinstance(item, Mapping):
                rows.append((f"{path}.{key}[{i}]", item))
            else:
                self.fail(f"{path}.{key}[{i}]", "must be an object")
        return rows

    def text(self, doc: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
        value = doc.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}", "is required")
            return None
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", "must be text")
            return None
        return value

    def integer(self, doc: Mapping[str, Any], key: str, path: str) -> int | None:
        value = doc.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"{path}.{key}", "must be a whole number")
            return None
        return value

    def decimal(self, doc: Mapping[str, Any], key: str, path: str) -> Decimal | None:
        value = doc.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(f"{path}.{key}", "must be a number")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = None
        # Decimal reads "NaN", "sNaN" and "Infinity" (and YAML's .nan, .inf): not numbers a plan holds
        if number is None or not number.is_finite():
            self.fail(f"{path}.{key}", f"'{value}' is not a number")
            return None
        return number

    def parsed(self, doc: Mapping[str, Any], key: str, path: str, parse: Callable[[str], T]) -> T | None:
        value = self.text(doc, key, path)
        if value is None:
            return None
        try:
            return parse(value)
        except ValueError as error:
            self.fail(f"{path}.{key}", str(error))
            return None
