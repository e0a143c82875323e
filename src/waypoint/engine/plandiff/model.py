"""The result of comparing two plan versions."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


class ChangeKind(enum.StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"
    CHANGED = "changed"


class Subject(enum.StrEnum):
    """What a change is about."""

    PLAN = "plan"
    ELEMENT = "element"
    RISK = "risk"
    BUDGET = "budget"
    INDICATOR = "indicator"
    TARGET = "target"
    CAP = "cap"
    ANALYSIS = "analysis"
    FUNCTION = "function"


@dataclass(frozen=True)
class Change:
    """One difference. ``code`` names the record (an element's or indicator's code; for a
    budget line, a target, a risk: the element's or indicator's code) and ``key`` the part of
    it (``2014``, ``2013 State budget``); ``field`` the field that changed, with its ``old``
    and ``new`` value. ``label`` is the record's title, to be read by people."""

    kind: ChangeKind
    subject: Subject
    code: str
    label: str = ""
    key: str = ""
    field: str = ""
    old: Any = None
    new: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "subject": self.subject.value,
            "code": self.code,
            "label": self.label,
            "key": self.key,
            "field": self.field,
            "old": self.old,
            "new": self.new,
        }

    def describe(self) -> str:
        """One line, e.g. ``~ target KPI-03 2014: value 50 → 45``."""
        mark = {ChangeKind.ADDED: "+", ChangeKind.REMOVED: "-", ChangeKind.MOVED: ">", ChangeKind.CHANGED: "~"}
        where = " ".join(part for part in (self.subject.value, self.code, self.key) if part)
        # a changed record is named by its code, but for risks and scan items only their text says which
        named = self.kind is not ChangeKind.CHANGED or self.subject in (Subject.RISK, Subject.ANALYSIS)
        label = f" “{_short(self.label)}”" if self.label and named else ""
        line = f"{mark[self.kind]} {where}{label}"
        if self.kind is ChangeKind.CHANGED or self.kind is ChangeKind.MOVED:
            return f"{line}: {self.field} {_show(self.old)} → {_show(self.new)}"
        if self.subject is Subject.ELEMENT and self.kind is ChangeKind.ADDED and self.new:
            return f"{line} under {self.new}"
        held = self.new if self.kind is ChangeKind.ADDED else self.old
        if self.field and held is not None and self.subject is not Subject.ELEMENT:
            return f"{line}: {self.field} {_show(held)}"
        return line


@dataclass(frozen=True)
class PlanDiff:
    """Every change from ``old`` to ``new``, in the order of the plan file."""

    old_title: str
    new_title: str
    changes: list[Change] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def counts(self) -> dict[str, int]:
        """How many changes of each kind (all four kinds, zero included)."""
        found = Counter(change.kind for change in self.changes)
        return {kind.value: found.get(kind, 0) for kind in ChangeKind}

    def by_subject(self, subject: Subject) -> list[Change]:
        return [change for change in self.changes if change.subject is subject]

    def as_dict(self) -> dict[str, Any]:
        return {
            "old": self.old_title,
            "new": self.new_title,
            "counts": self.counts(),
            "changes": [change.as_dict() for change in self.changes],
        }

    def as_text(self) -> str:
        lines = [f"{self.old_title} → {self.new_title}"]
        lines += [change.describe() for change in self.changes]
        counts = self.counts()
        if self.is_empty:
            lines.append("No changes.")
        else:
            total = len(self.changes)
            parts = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
            lines.append(f"{total} change{'s' if total != 1 else ''}: {parts}.")
        return "\n".join(lines) + "\n"


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return f"“{_short(value)}”" if value else "“”"
    if isinstance(value, list):
        return "[" + ", ".join(_show(item) if not isinstance(item, str) else item for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    return str(value)
