"""What is waiting for a person, gathered from every app ("My work").

Apps above ``org`` know what a person has to do (values to report, submissions to approve,
proposals to review, actions to close); ``org`` does not import them. Each app registers a
provider in its ``AppConfig.ready()`` (the same inversion as the plan file's sections), and
the "My work" page asks them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from waypoint.org.models import User


@dataclass(frozen=True)
class WorkItem:
    """One thing a person has to do, and where it is done."""

    #: what kind of work, in the reader's words (e.g. "Values to report"), for grouping
    kind: str
    title: str
    url: str
    due: dt.date | None = None
    #: a short line under the title (the unit, the period, who asked)
    detail: str = ""

    @property
    def sort_key(self) -> tuple[bool, dt.date, str]:
        """Due first by date, undated last."""
        return (self.due is None, self.due or dt.date.max, self.title)

    def is_overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


Provider = Callable[[User], Iterable[WorkItem]]

_PROVIDERS: dict[str, Provider] = {}


def register_provider(name: str, provider: Provider) -> None:
    """Called from an app's ``ready()``."""
    _PROVIDERS[name] = provider


def work_for(user: User) -> list[WorkItem]:
    """Everything waiting for ``user``, sorted by due date (undated last)."""
    items = [item for provider in _PROVIDERS.values() for item in provider(user)]
    return sorted(items, key=lambda item: item.sort_key)
