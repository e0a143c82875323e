"""A reporting calendar on the test world: quarters 2012–2013 for the initiatives, years for the
indicators (both are annual); the southern indicator is reported by unit (BP-S1), the western
one for the whole administration by its owner, RD-W."""

from __future__ import annotations

import pytest

from tests.world import World
from waypoint.monitoring import services
from waypoint.monitoring.models import ReportingCalendar, Submission


@pytest.fixture
def cycle(world: World) -> ReportingCalendar:
    return services.calendar_save(actor=world.users["planner"], plan=world.plan, first_year=2012, last_year=2013)


def report_of(calendar: ReportingCalendar, unit: str, period: str) -> Submission:
    return Submission.objects.select_related("unit", "period__calendar__plan").get(
        period__calendar=calendar, unit__code=unit, period__code=period
    )
