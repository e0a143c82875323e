"""A dataset carries the time zone its declarations were recorded in: by default its
administration's, which the administration's settings set; hours, days and periods are
counted in it."""

from __future__ import annotations

import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.trs.conftest import TrsWorld
from waypoint.core.errors import InvalidInput
from waypoint.indicators.models import Actual
from waypoint.org.models import OrgUnit
from waypoint.trs import services
from waypoint.trs.models import Dataset

# one declaration, arriving at 02:00 on New Year's Day 2013 in Baku (22:00 UTC the day before)
NEW_YEAR = (
    "declaration_id,milestone,timestamp,mode\n"
    "D1,arrival,2012-12-31T22:00:00Z,road\n"
    "D1,lodgement,2012-12-31T23:00:00Z,road\n"
    "D1,registration,2013-01-01T00:00:00Z,road\n"
    "D1,release,2013-01-01T01:00:00Z,road\n"
)


def _baku(trs: TrsWorld) -> OrgUnit:
    admin = trs.world.unit("ADM")
    OrgUnit.objects.filter(pk=admin.pk).update(time_zone="Asia/Baku")
    admin.refresh_from_db()
    return admin


def _upload(trs: TrsWorld, content: str, **kwargs: str) -> Dataset:
    return services.dataset_upload(
        actor=trs.world.users["planner"],
        administration=trs.world.unit("ADM"),
        name="New year",
        upload=SimpleUploadedFile("new-year.csv", content.encode()),
        **kwargs,
    )


def test_a_dataset_takes_its_administration_time_zone(trs: TrsWorld) -> None:
    _baku(trs)
    dataset = _upload(trs, NEW_YEAR)
    assert dataset.time_zone == "Asia/Baku"
    assert dataset.first_arrival is not None
    assert dataset.first_arrival.astimezone(zoneinfo.ZoneInfo("Asia/Baku")).date().isoformat() == "2013-01-01"
    assert _upload(trs, NEW_YEAR, time_zone="UTC").time_zone == "UTC"
    with pytest.raises(InvalidInput) as caught:
        _upload(trs, NEW_YEAR, time_zone="Baku")
    assert caught.value.problems[0].location == "time_zone"


def test_periods_of_computed_indicators_run_midnight_to_midnight_in_the_data_time_zone(trs: TrsWorld) -> None:
    _baku(trs)
    south = trs.world.indicators["south"]
    services.binding_save(actor=None, indicator=south, dataset=_upload(trs, NEW_YEAR), statistic="mean")
    computed = dict(Actual.objects.filter(indicator=south, is_computed=True).values_list("period", "value"))
    assert set(computed) == {"2013"}  # in UTC the declaration would count for 2012


def test_hours_and_peaks_on_the_page_are_local(client: Client, trs: TrsWorld) -> None:
    _baku(trs)
    dataset = _upload(trs, NEW_YEAR)
    client.force_login(trs.world.users["viewer"])
    page = client.get(reverse("trs-dataset", args=[dataset.pk]))
    assert page.context["analysis"].values["hour"] == ["2"]
    assert page.context["analysis"].values["weekday"] == ["Tuesday"]
    assert "Arrivals from 2013-01-01 to 2013-01-01, times in Asia/Baku." in page.content.decode()
    listed = client.get(reverse("trs-datasets")).content.decode()
    assert "2013-01-01" in listed and "2012-12-31" not in listed


def test_the_upload_form_offers_the_administration_time_zone(client: Client, trs: TrsWorld) -> None:
    _baku(trs)
    client.force_login(trs.world.users["planner"])
    form = client.get(reverse("trs-dataset-create")).context["form"]
    assert form["time_zone"].value() == "Asia/Baku"
    client.post(
        reverse("trs-dataset-create"),
        {"name": "Local", "file": SimpleUploadedFile("l.csv", NEW_YEAR.encode()), "time_zone": "Europe/Paris"},
    )
    assert Dataset.objects.get(name="Local").time_zone == "Europe/Paris"
