"""The one place where aggregates about officers are made safe to show.

Every page, API answer and export that counts officers for somebody who may not read those
officers' records goes through :func:`shown` (or :func:`shown_one`): a figure about 1 to 4
officers is replaced by ``None`` (shown as "fewer than 5"), and when a total is shown beside
its parts, enough further parts are hidden that no hidden one can be worked out by subtraction
(the rule and its proof obligations are in ``engine/training/privacy.py``). HR officers, who
read every record anyway, see the figures as they are.

Reads of personal records are logged here too (:func:`record_read`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from waypoint.core.audit import SYSTEM
from waypoint.engine.training.privacy import MIN_GROUP, suppress
from waypoint.people.models import Officer, PersonalRecordRead

__all__ = ["MIN_GROUP", "Shown", "record_read", "record_reads", "shown", "shown_one"]

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Shown(Generic[K]):
    """Which parts of a table may be shown (``hidden`` are not), and the total, or ``None``."""

    hidden: frozenset[K]
    total: int | None

    def count(self, key: K, value: int) -> int | None:
        return None if key in self.hidden else value


def shown(groups: Mapping[K, int], *, exempt: bool, total_shown: bool = True) -> Shown[K]:
    """The parts (``groups``: part → officers it is about) and total that may be shown.

    Parameters:
        exempt: the viewer may read every officer concerned (HR): nothing is hidden.
        total_shown: the page shows the total of these parts beside them.
    """
    total = sum(groups.values())
    if exempt:
        return Shown(frozenset(), total)
    rule = suppress(groups, total_shown=total_shown)
    return Shown(rule.hidden, None if rule.total_hidden or not total_shown else total)


def shown_one(count: int, *, exempt: bool) -> int | None:
    """A single figure about ``count`` officers, or ``None`` when it must not be shown."""
    return shown({0: count}, exempt=exempt, total_shown=False).count(0, count)


def record_read(*, reader: Any, officer: Officer, via: str) -> None:
    """Keep that ``reader`` read ``officer``'s record (nothing when it is the officer)."""
    record_reads(reader=reader, officers=[officer], via=via)


def record_reads(*, reader: Any, officers: Iterable[Officer], via: str) -> int:
    """Keep one read per officer whose record ``reader`` read (an export, a list); the
    reader's own record is not counted. Returns how many were kept."""
    rows = [
        PersonalRecordRead(
            administration_id=officer.administration_id,
            officer=officer,
            staff_number=officer.staff_number,
            reader=reader if getattr(reader, "pk", None) else None,
            reader_name=reader.get_username() if reader is not None else SYSTEM,
            via=via[:40],
        )
        for officer in officers
        if officer.user_id is None or officer.user_id != getattr(reader, "pk", None)
    ]
    PersonalRecordRead.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
