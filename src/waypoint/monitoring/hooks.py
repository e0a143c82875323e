"""What the apps above monitoring do when a plan's reporting period is approved at the top,
and what they say about where a follow-up action came from.

Once the administration's own report for a period is approved, every value of the period is
locked, and the apps above this one may act on it (``documents`` renders the period's progress
report). Monitoring never imports them: each registers a hook in its ``AppConfig.ready()``
(the same inversion as ``plans.extensions`` and ``org.notifications.register_reminders``), so
the import graph stays one-way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.db import transaction

from waypoint.org.models import User
from waypoint.plans.models import Plan

if TYPE_CHECKING:
    from waypoint.monitoring.models import FollowUpAction


class PeriodApproved(Protocol):
    """Called once the approval of ``period`` (a code such as ``2013Q4``) has committed;
    ``actor`` approved it (``None``: the system, e.g. the demo)."""

    def __call__(self, *, plan: Plan, period: str, actor: User | None) -> object: ...


_ON_APPROVED: dict[str, PeriodApproved] = {}


def on_period_approved(name: str, hook: PeriodApproved) -> None:
    """Called from an app's ``ready()``: ``hook`` runs after each top-level approval commits."""
    _ON_APPROVED[name] = hook


def announce_approved(*, plan: Plan, period: str, actor: User | None) -> None:
    """Run every hook once the surrounding transaction commits (never when it rolls back: an
    approval refused half-way must not render a report). Each hook runs on its own and a
    failing one is logged by Django, not raised: the approval stands whatever its consequences
    do, and one app's failure does not stop the next."""
    for name, hook in _ON_APPROVED.items():
        transaction.on_commit(_call(name, hook, plan=plan, period=period, actor=actor), robust=True)


def _call(name: str, hook: PeriodApproved, *, plan: Plan, period: str, actor: User | None) -> Callable[[], None]:
    # a named function, not a ``functools.partial``: Django logs a failing robust callback by
    # its ``__qualname__``, which a partial lacks
    def run() -> None:
        hook(plan=plan, period=period, actor=actor)

    run.__qualname__ = f"period_approved hook {name!r}"
    return run


@dataclass(frozen=True)
class ActionOrigin:
    """Where an action came from, as its page shows it: "From workshop: <title>, <exercise>"."""

    label: str
    text: str
    url: str = ""


ActionOrigins = Callable[["Sequence[FollowUpAction]"], "dict[int, list[ActionOrigin]]"]
_ORIGINS: dict[str, ActionOrigins] = {}


def register_action_origins(name: str, hook: ActionOrigins) -> None:
    """Called from an app's ``ready()``: ``hook`` names the origins of the actions it made, by id."""
    _ORIGINS[name] = hook


def action_origins(actions: Sequence[FollowUpAction]) -> dict[int, list[ActionOrigin]]:
    """Where each of ``actions`` came from, by the apps above monitoring (by action id)."""
    found: dict[int, list[ActionOrigin]] = {}
    for hook in _ORIGINS.values():
        for action_id, origins in hook(actions).items():
            found.setdefault(action_id, []).extend(origins)
    return found
