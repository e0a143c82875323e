"""The clearance-times page speaks in words, not in the file contract's column names."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.trs.conftest import TrsWorld
from waypoint.trs.labels import dimension_label, milestone_label, value_label


def test_the_page_shows_human_labels(client: Client, trs: TrsWorld) -> None:
    client.force_login(trs.world.users["viewer"])
    page = client.get(reverse("trs-dataset", args=[trs.after.pk]), {"by": "aeo"}).content.decode()
    for raw in (">Aeo<", ">Pre_arrival<", ">Oga<", ">documentary_check<", "oga_release", ">Hs_chapter<"):
        assert raw not in page, raw
    for label in ("Authorised economic operator", "Lodged before arrival", "Documentary check", "HS chapter"):
        assert label in page, label
    assert "<td>yes</td>" in page  # the AEO breakdown's values


def test_labels_of_values_and_of_columns_the_contract_does_not_name() -> None:
    with translation.override("en"):
        assert milestone_label("oga_release") == "Release by other agencies"
        assert dimension_label("border_crossing") == "Border crossing"  # a column the contract does not name
        assert value_label("false", "aeo") == "no"
        assert value_label("Saturday", "weekday") == "Saturday"
        assert value_label("7", "hour") == "07:00–08:00"
        assert value_label("", "office") == "(empty)"
