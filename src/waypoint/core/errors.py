"""Errors every app raises: one base class, stable codes, and where the problem is.

A service raises these; views and the API turn them into a page or a JSON body that says
what was wrong and where (form field, JSON path, sheet/row/column).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input. ``location`` is a field name, a JSON path or a cell."""

    location: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"location": self.location, "message": self.message}


class ApplicationError(Exception):
    """Base of every error a user can cause. ``code`` is stable: clients may match on it."""

    code = "error"
    http_status = 400

    def __init__(self, message: str, *, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.problems:
            body["problems"] = [problem.as_dict() for problem in self.problems]
        return body


class InvalidInput(ApplicationError):
    """The input breaks a rule; ``problems`` lists each broken rule with its location."""

    code = "invalid"

    @classmethod
    def at(cls, location: str, message: str) -> InvalidInput:
        return cls(message, problems=[Problem(location, message)])


class NotAllowed(ApplicationError):
    code = "forbidden"
    http_status = 403


class NotFound(ApplicationError):
    code = "not_found"
    http_status = 404


class EditConflict(ApplicationError):
    """Somebody else saved the record after this user opened it.

    ``current`` carries the values now stored so the user can merge their text with them.
    """

    code = "edit_conflict"
    http_status = 409

    def __init__(self, message: str, *, current: Mapping[str, Any], current_version: int) -> None:
        super().__init__(message)
        self.current = dict(current)
        self.current_version = current_version

    def as_dict(self) -> dict[str, Any]:
        body = super().as_dict()
        body["current_version"] = self.current_version
        return body
