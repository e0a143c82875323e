"""Time zone names: the one rule for what counts as one, and the list people choose from.

Declaration data is recorded in a local time zone (an administration's, a dataset's); the
names are those of the IANA time zone database as Python's ``zoneinfo`` knows them
(``Asia/Baku``, ``Europe/Paris``, ``UTC``).
"""

from __future__ import annotations

import functools
import zoneinfo

__all__ = ["is_time_zone", "time_zone_names"]

#: files of the system's time zone database that are not zones a place keeps
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


def is_time_zone(name: str) -> bool:
    """``name`` is a time zone of the database (``Asia/Baku``, ``UTC``), written exactly."""
    if not isinstance(name, str) or not name or name != name.strip() or name.startswith(("/", ".")) or ".." in name:
        return False
    if name in _NOT_ZONES:
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    """Every time zone of the database, sorted, for a choice list."""
    return tuple(sorted(zoneinfo.available_timezones() - _NOT_ZONES))
