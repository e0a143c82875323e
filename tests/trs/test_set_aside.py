"""What was set aside, told truthfully: reasons overlap, the total counts each declaration
once, and a row without a declaration id is found by its line."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.trs.conftest import TrsWorld
from waypoint.trs import services
from waypoint.trs.models import Dataset

CSV = (
    "declaration_id,milestone,timestamp,office\n"
    "D1,arrival,2012-03-01T08:00:00Z,P1\n"  # line 2
    "D1,lodgement,2012-03-01T09:00:00Z,P1\n"
    "D1,registration,2012-03-01T09:30:00Z,P1\n"
    "D1,release,2012-03-01T11:00:00Z,P1\n"
    ",arrival,2012-03-01T08:00:00Z,P1\n"  # line 6: no declaration id
    "D2,arrival,2012-03-01T08:00:00Z,P1\n"
    "D2,lodgement,not a time,P1\n"  # D2: an unreadable time, hence required milestones missing
)


def _dataset(trs: TrsWorld) -> Dataset:
    return services.dataset_upload(
        actor=None, administration=trs.world.unit("ADM"), name="Aside", upload=SimpleUploadedFile("a.csv", CSV.encode())
    )


def test_the_page_gives_distinct_declarations_and_says_reasons_overlap(client: Client, trs: TrsWorld) -> None:
    dataset = _dataset(trs)
    # D2 twice (two reasons) and the row without an id: three reasons, two declarations
    assert dataset.quarantine_counts == {
        "missing value": 1,
        "unparseable timestamp": 1,
        "missing required milestone": 1,
    }
    assert (dataset.set_aside, dataset.rows_without_id) == (2, 1)
    client.force_login(trs.world.users["viewer"])
    page = client.get(reverse("trs-dataset", args=[dataset.pk])).content.decode()
    assert 'data-testid="set-aside">2<' in page
    assert "the reasons add up to more than the declarations set aside" in page
    assert "1 row has no declaration id" in page
    assert "line 6" in page


def test_the_api_gives_the_total_the_note_and_the_line(client: Client, trs: TrsWorld) -> None:
    dataset = _dataset(trs)
    client.force_login(trs.world.users["viewer"])
    body = client.get(f"/api/trs/datasets/{dataset.pk}").json()
    assert body["set_aside"] == 2
    assert sum(body["quarantine"].values()) == 3
    assert "add up to more" in body["quarantine_note"]
    assert body["rows_without_declaration_id"] == 1
    [row] = [r for r in body["quarantine_sample"] if not r["declaration"]]
    assert (row["line"], row["reason"]) == (6, "missing value")
