"""Reading parsed JSON or YAML documents with every problem located by its JSON path.

Engines that accept files (plan files for the quality checks, diagnostic frameworks) read them
through one ``LocatedReader`` so their messages look alike: ``$.areas[2].topics[0].code: is
required``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

T = TypeVar("T")


class DocumentError(ValueError):
    """The document cannot be read; ``problems`` lists (JSON path, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))


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
