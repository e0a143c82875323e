"""The apps above monitoring hear of a period approved at the top (``monitoring.hooks``), once
the approval has committed, and never of a lower level's approval or a refused one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.monitoring.conftest import report_of
from tests.world import World
from waypoint.core.errors import InvalidInput
from waypoint.monitoring import hooks, services
from waypoint.monitoring.models import ReportingCalendar
from waypoint.org.models import User
from waypoint.plans.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard() -> Iterator[list[tuple[int, str, User | None]]]:
    calls: list[tuple[int, str, User | None]] = []

    def listen(*, plan: Plan, period: str, actor: User | None) -> None:
        calls.append((plan.pk, period, actor))

    hooks.on_period_approved("test", listen)
    yield calls
    hooks._ON_APPROVED.pop("test")


def _settle_below(calendar: ReportingCalendar) -> None:
    """2012's reports below the administration approved or waived."""
    for unit in ("BP-S1", "RD-W"):
        services.submission_waive(actor=None, submission=report_of(calendar, unit, "2012"), reason="Counted centrally")
    services.submission_approve(actor=None, submission=report_of(calendar, "RD-S", "2012"))


def test_an_approval_at_the_top_is_announced_after_it_commits(
    world: World,
    cycle: ReportingCalendar,
    heard: list[tuple[int, str, User | None]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _settle_below(cycle)
    assert heard == []  # a directorate's approval settles nothing for the plan
    approver = world.users["approver"]
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        services.submission_approve(actor=approver, submission=report_of(cycle, "ADM", "2012"))
        assert heard == []  # not before the approval commits
    for callback in waiting:
        callback()
    assert heard == [(world.plan.pk, "2012", approver)]


def test_a_refused_approval_announces_nothing(
    world: World,
    cycle: ReportingCalendar,
    heard: list[tuple[int, str, User | None]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # its directorates' reports are not settled yet
    with django_capture_on_commit_callbacks(execute=True) as waiting, pytest.raises(InvalidInput):
        services.submission_approve(actor=None, submission=report_of(cycle, "ADM", "2012"))
    assert heard == [] and waiting == []


def test_a_failing_hook_does_not_undo_the_approval_nor_stop_the_others(
    world: World,
    cycle: ReportingCalendar,
    heard: list[tuple[int, str, User | None]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    def broken(*, plan: Plan, period: str, actor: User | None) -> None:
        raise RuntimeError("a hook that fails")

    hooks._ON_APPROVED = {"broken": broken, **hooks._ON_APPROVED}
    try:
        _settle_below(cycle)
        with django_capture_on_commit_callbacks(execute=True):
            report = services.submission_approve(actor=None, submission=report_of(cycle, "ADM", "2012"))
    finally:
        hooks._ON_APPROVED.pop("broken")
    report.refresh_from_db()
    assert report.status == "approved"
    assert heard == [(world.plan.pk, "2012", None)]
