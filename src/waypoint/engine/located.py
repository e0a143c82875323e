"""Reading parsed JSON or YAML documents with every problem located by its JSON path.

Engines that accept files (plan files for the quality checks, diagnostic frameworks) read them
through one ``LocatedReader`` so their messages look alike: ``$.areas[2].topics[0].code: is
required``. ``load_json`` turns JSON text (a file, a request body) into such a document, or
refuses it with located problems: bytes that are not UTF-8, text that is not JSON, nesting deeper
than any Waypoint document needs, and lone surrogates (``"\\ud800"``), which JSON allows but no
UTF-8 file or database text can hold.
"""

from __future__ import annotations

import json
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
            stops being JSON, where the nesting goes past ``max_depth``, or which string holds a
            lone surrogate.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")  # a byte-order mark is no error
        except UnicodeDecodeError as error:
            raise DocumentError(
                [("$", f"not UTF-8 text: byte 0x{data[error.start]:02x} at offset {error.start} cannot be read")]
            ) from None
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        raise DocumentError(
            [("$", f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})")]
        ) from None
    except RecursionError:
        raise DocumentError([("$", f"nested too deeply: at most {max_depth} levels")]) from None
    _check_values(document, max_depth)
    return document


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
                if not _is_surrogate_free(key):
                    raise DocumentError([(path, "a key holds a lone surrogate (\\ud800–\\udfff), which is not text")])
            stack.extend(reversed([(f"{path}.{key}", item, depth + 1) for key, item in value.items()]))
        elif isinstance(value, list):
            stack.extend(reversed([(f"{path}[{i}]", item, depth + 1) for i, item in enumerate(value)]))
        elif isinstance(value, str) and not _is_surrogate_free(value):
            raise DocumentError([(path, "holds a lone surrogate (\\ud800–\\udfff), which is not text")])


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
            return Decimal(str(value))
        except InvalidOperation:
            self.fail(f"{path}.{key}", f"'{value}' is not a number")
            return None

    def parsed(self, doc: Mapping[str, Any], key: str, path: str, parse: Callable[[str], T]) -> T | None:
        value = self.text(doc, key, path)
        if value is None:
            return None
        try:
            return parse(value)
        except ValueError as error:
            self.fail(f"{path}.{key}", str(error))
            return None
