"""Numbers in the audit trail are written as people write them, so a value saved again
unchanged records no change: 5.4000 stored and 5.4 typed are the same, 40 is "40", never
"4E+1"."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.monitoring.conftest import report_of
from tests.world import World
from waypoint.core.audit import diff, plain_decimal
from waypoint.core.models import AuditEvent
from waypoint.core.templatetags.waypoint import plain
from waypoint.monitoring import services
from waypoint.monitoring.models import ReportingCalendar


@pytest.mark.parametrize(
    ("number", "text"),
    [
        ("5.4000", "5.4"),
        ("40.0000", "40"),
        ("4E+1", "40"),
        ("0.0000", "0"),
        ("-0.0", "0"),
        ("1234567.8900", "1234567.89"),
        ("0.0001", "0.0001"),
        ("-12.5000", "-12.5"),
    ],
)
def test_a_number_is_written_plain(number: str, text: str) -> None:
    assert plain_decimal(Decimal(number)) == text


def test_the_same_number_with_other_places_is_no_change() -> None:
    assert diff({"value": Decimal("5.4000")}, {"value": Decimal("5.4")}) == {}
    assert diff({"value": Decimal("40.0000")}, {"value": Decimal("40")}) == {}
    assert diff({"value": Decimal("40.0000")}, {"value": Decimal("41")}) == {"value": ["40", "41"]}


def test_the_audit_log_reads_numbers_recorded_in_exponent_form() -> None:
    assert plain("4E+1") == "40" and plain(["4E+1", "5.4"]) == "40, 5.4"
    assert plain("1.10") == "1.10" and plain("E+1") == "E+1"  # codes and words stay as they are


@pytest.mark.django_db
def test_saving_a_report_again_unchanged_records_no_change(world: World, cycle: ReportingCalendar) -> None:
    reporter = world.users["contributor_post"]
    report = report_of(cycle, "BP-S1", "2013")
    (line,) = report.assignments.all()
    services.submission_save(actor=reporter, submission=report, entries={line.pk: services.Entry(value=Decimal("40"))})
    first = AuditEvent.objects.filter(entity="monitoring.Submission").latest("id")
    assert first.changes["draft"][str(line)]["value"] == [None, "40"]
    # typed again as the page shows it (40), and with other places (40.0): nothing changed
    for typed in ("40", "40.0", "4E+1"):
        services.submission_save(
            actor=reporter,
            submission=report_of(cycle, "BP-S1", "2013"),
            entries={line.pk: services.Entry(value=Decimal(typed))},
        )
        assert AuditEvent.objects.filter(entity="monitoring.Submission").latest("id").changes["draft"] == {}
    services.submission_save(
        actor=reporter,
        submission=report_of(cycle, "BP-S1", "2013"),
        entries={line.pk: services.Entry(value=Decimal("5.4"))},
    )
    assert AuditEvent.objects.filter(entity="monitoring.Submission").latest("id").changes["draft"][str(line)][
        "value"
    ] == [
        "40",
        "5.4",
    ]
