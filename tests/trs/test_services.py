from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.trs.conftest import TrsWorld
from waypoint.core.errors import InvalidInput, NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.indicators.models import Actual
from waypoint.trs import services
from waypoint.trs.models import Dataset, DatasetStatus

CSV = (
    "declaration_id,milestone,timestamp,office,channel\n"
    "D1,arrival,2012-03-01T08:00:00Z,P1,green\n"
    "D1,lodgement,2012-03-01T09:00:00Z,P1,green\n"
    "D1,registration,2012-03-01T09:30:00Z,P1,green\n"
    "D1,release,2012-03-01T11:00:00Z,P1,green\n"
    "D2,arrival,2012-03-01T08:00:00Z,P1,red\n"
    "D2,lodgement,not a time,P1,red\n"
)


def test_registered_data_is_read_and_checked_in_the_background(trs: TrsWorld) -> None:
    dataset = trs.before
    assert dataset.status == DatasetStatus.READY  # the test backend runs the task at once
    assert (dataset.declarations_in, dataset.declarations_used) == (3000, 3000)
    assert dataset.first_arrival is not None and dataset.first_arrival.year == 2012
    assert "office" in dataset.dimensions
    assert dataset.study_file.exists()
    assert AuditEvent.objects.filter(entity="trs.Dataset", action="ingest").count() == 2


def test_only_files_under_the_data_directory_can_be_registered(trs: TrsWorld) -> None:
    admin = trs.world.unit("ADM")
    with pytest.raises(InvalidInput) as caught:
        services.dataset_register(actor=None, administration=admin, name="Secrets", server_path="../../../etc/passwd")
    assert caught.value.problems[0].location == "server_path"
    with pytest.raises(InvalidInput):
        services.dataset_register(actor=None, administration=admin, name="Nothing", server_path="missing.parquet")
    with pytest.raises(NotAllowed):
        services.dataset_register(
            actor=trs.world.users["contributor"], administration=admin, name="x", server_path="y2012"
        )


def test_an_upload_reports_what_it_set_aside(trs: TrsWorld) -> None:
    upload = SimpleUploadedFile("events.csv", CSV.encode(), content_type="text/csv")
    dataset = services.dataset_upload(
        actor=trs.world.users["planner"], administration=trs.world.unit("ADM"), name="Small", upload=upload
    )
    assert dataset.status == DatasetStatus.READY
    assert (dataset.declarations_in, dataset.declarations_used, dataset.set_aside) == (2, 1, 1)
    assert dataset.quarantine_counts == {"unparseable timestamp": 1, "missing required milestone": 1}
    assert {row["declaration"] for row in dataset.quarantine_sample} == {"D2"}
    with pytest.raises(InvalidInput) as caught:
        services.dataset_upload(
            actor=None,
            administration=trs.world.unit("ADM"),
            name="",
            upload=SimpleUploadedFile("events.json", b"{}"),
        )
    assert {p.location for p in caught.value.problems} == {"name", "file"}


def test_a_file_that_cannot_be_read_fails_with_its_reason(trs: TrsWorld) -> None:
    upload = SimpleUploadedFile("events.csv", b"a,b\n1,2\n")
    dataset = services.dataset_upload(actor=None, administration=trs.world.unit("ADM"), name="Wrong", upload=upload)
    assert dataset.status == DatasetStatus.FAILED
    assert "expected the columns" in dataset.error


def test_an_indicator_computed_from_the_data(trs: TrsWorld) -> None:
    west = trs.world.indicators["west"]
    binding = services.binding_save(
        actor=trs.world.users["contributor_west"],
        indicator=west,
        dataset=trs.after,
        statistic="median",
        filters={"mode": "road"},
    )
    assert binding.periods_written == 1
    computed = Actual.objects.get(indicator=west, period="2013")
    assert computed.is_computed
    assert computed.provenance["dataset_name"] == "Study 2013"
    assert "mode = road" in computed.provenance["measure"]
    assert 0 < computed.value < 10
    # the 2012 value was typed in by a person: reading 2012 data keeps it
    services.binding_save(actor=None, indicator=west, dataset=trs.before, statistic="median")
    assert Actual.objects.get(indicator=west, period="2012").value == Decimal("14")
    event = AuditEvent.objects.filter(entity="trs.IndicatorBinding", action="compute").latest("at")
    assert event.changes["kept (entered by a person)"] == [None, ["2012"]]


def test_reading_the_data_again_recomputes_bound_indicators(trs: TrsWorld) -> None:
    south = trs.world.indicators["south"]
    services.binding_save(
        actor=None, indicator=south, dataset=trs.after, statistic="share_within", target_hours=Decimal("2")
    )
    first = Actual.objects.get(indicator=south, period="2013")
    Actual.objects.filter(pk=first.pk).update(value=Decimal("0"))
    services.ingest(trs.after.pk)
    again = Actual.objects.get(indicator=south, period="2013")
    assert again.value == first.value
    assert 0 < again.value <= 100


def test_binding_input_is_checked(trs: TrsWorld) -> None:
    west = trs.world.indicators["west"]
    with pytest.raises(InvalidInput) as caught:
        services.binding_save(
            actor=None,
            indicator=west,
            dataset=trs.after,
            statistic="share_within",
            start_milestone="release",
            end_milestone="arrival",
            filters={"colour": "blue"},
        )
    assert {p.location for p in caught.value.problems} == {"end_milestone", "filters", "target_hours"}
    with pytest.raises(NotAllowed):
        services.binding_save(actor=trs.world.users["contributor"], indicator=west, dataset=trs.after, statistic="mean")


def test_a_dataset_in_use_cannot_be_deleted(trs: TrsWorld) -> None:
    west = trs.world.indicators["west"]
    binding = services.binding_save(actor=None, indicator=west, dataset=trs.after, statistic="mean")
    with pytest.raises(InvalidInput, match="Unbind"):
        services.dataset_delete(actor=None, dataset=trs.after)
    services.binding_delete(actor=None, binding=binding)
    assert Actual.objects.get(indicator=west, period="2013").is_computed  # the values stay
    study_file = trs.after.study_file
    services.dataset_delete(actor=trs.world.users["planner"], dataset=trs.after)
    assert not study_file.exists()
    assert not Dataset.objects.filter(pk=trs.after.pk).exists()
