"""Locked values: an approved report's values refuse every change, wherever it comes from.

The monitoring cycle (an app above this one) decides what is locked; the places that write
actual values (the pages and API through ``services.actual_record``/``actual_delete``, the Time
Release Study's computed values, any import) ask here before they write. The app registers its
check in ``AppConfig.ready()`` (the same inversion as the plan file's sections), so this app
never imports it.
"""

from __future__ import annotations

from collections.abc import Callable

from waypoint.indicators.errors import ValueLocked
from waypoint.indicators.models import Indicator
from waypoint.org.models import OrgUnit

#: ``(indicator, period code, unit or None for the whole administration)`` → why the value is
#: locked, or ``None`` when it may change
LockCheck = Callable[[Indicator, str, OrgUnit | None], str | None]

_CHECKS: dict[str, LockCheck] = {}


def register(name: str, check: LockCheck) -> None:
    """Called from an app's ``ready()``."""
    _CHECKS[name] = check


def lock_reason(indicator: Indicator, period: str, unit: OrgUnit | None) -> str | None:
    """Why the value of ``indicator`` for ``period`` and ``unit`` may not change, or ``None``."""
    for check in _CHECKS.values():
        reason = check(indicator, period, unit)
        if reason:
            return reason
    return None


def require_unlocked(indicator: Indicator, period: str, unit: OrgUnit | None) -> None:
    """Raises:
    ValueLocked: the value belongs to an approved report."""
    reason = lock_reason(indicator, period, unit)
    if reason:
        raise ValueLocked.at("value", reason)
