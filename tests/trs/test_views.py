from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.trs.conftest import TrsWorld
from waypoint.trs import services
from waypoint.trs.models import Dataset, IndicatorBinding


def test_the_list_shows_each_dataset_with_its_counts(client: Client, trs: TrsWorld) -> None:
    client.force_login(trs.world.users["viewer"])
    page = client.get(reverse("trs-datasets"))
    assert [d.name for d in page.context["page"]] == ["Study 2013", "Study 2012"]
    assert not page.context["can_add"]
    assert [d.name for d in client.get(reverse("trs-datasets"), {"q": "2012"}).context["page"]] == ["Study 2012"]


def test_the_trs_page_filters_breaks_down_and_compares(client: Client, trs: TrsWorld) -> None:
    client.force_login(trs.world.users["viewer"])
    url = reverse("trs-dataset", args=[trs.after.pk])
    page = client.get(url, {"f_mode": "road", "by": "channel", "target": "2", "compare": str(trs.before.pk)})
    analysis = page.context["analysis"]
    assert analysis.filters == {"mode": "road"}
    assert {r.group["channel"] for r in analysis.breakdown} == {"green", "yellow", "red"}
    assert [(t.start, t.end) for t in analysis.totals] == [("arrival", "release"), ("arrival", "exit")]
    assert analysis.within is not None and 0 < analysis.within < 1
    total = next(c for c in analysis.comparison if (c.start, c.end) == ("arrival", "release"))
    assert total.median_change < 0
    assert page.context["steps_chart"] is not None and page.context["curve_chart"] is not None
    assert b'data-testid="comparison"' in page.content


def test_unknown_filters_and_dimensions_are_ignored_not_errors(client: Client, trs: TrsWorld) -> None:
    client.force_login(trs.world.users["viewer"])
    page = client.get(reverse("trs-dataset", args=[trs.after.pk]), {"f_colour": "x", "by": "colour", "target": "soon"})
    assert page.status_code == 200
    assert page.context["analysis"].filters == {}
    assert page.context["analysis"].target_hours == 24


def test_the_status_is_polled_until_the_data_is_ready(client: Client, trs: TrsWorld) -> None:
    client.force_login(trs.world.users["viewer"])
    Dataset.objects.filter(pk=trs.after.pk).update(status="ingesting", stage="Reading")
    partial = client.get(reverse("trs-dataset", args=[trs.after.pk]), headers={"HX-Request": "true"})
    assert b'hx-trigger="every 1s"' in partial.content
    Dataset.objects.filter(pk=trs.after.pk).update(status="ready")
    done = client.get(reverse("trs-dataset", args=[trs.after.pk]), headers={"HX-Request": "true"})
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


def test_upload_and_register_from_the_pages(client: Client, trs: TrsWorld) -> None:
    client.force_login(trs.world.users["planner"])
    csv = b"declaration_id,milestone,timestamp\nD1,arrival,2012-01-01T08:00:00Z\nD1,lodgement,2012-01-01T09:00:00Z\nD1,registration,2012-01-01T09:10:00Z\nD1,release,2012-01-01T10:00:00Z\n"
    response = client.post(
        reverse("trs-dataset-create"), {"name": "Tiny", "file": SimpleUploadedFile("tiny.csv", csv), "description": ""}
    )
    tiny = Dataset.objects.get(name="Tiny")
    assert response["Location"] == reverse("trs-dataset", args=[tiny.pk])
    assert tiny.declarations_used == 1
    refused = client.post(reverse("trs-dataset-create") + "?from=server", {"name": "Bad", "server_path": "../x"})
    assert "server_path" in refused.context["form"].errors


def test_binding_an_indicator_from_its_page(client: Client, trs: TrsWorld) -> None:
    west = trs.world.indicators["west"]
    client.force_login(trs.world.users["contributor_west"])
    url = reverse("indicator-trs-binding", args=[west.pk])
    bad = client.post(
        url,
        {
            "dataset": trs.after.pk,
            "statistic": "median",
            "start_milestone": "arrival",
            "end_milestone": "release",
            "filters": "mode road",
        },
    )
    assert "dimension=value" in str(bad.context["form"].errors["filters"])
    response = client.post(
        url,
        {
            "dataset": trs.after.pk,
            "statistic": "median",
            "start_milestone": "arrival",
            "end_milestone": "release",
            "filters": "mode=road",
        },
    )
    assert response["Location"] == reverse("indicator-detail", args=[west.pk])
    assert IndicatorBinding.objects.get(indicator=west).filters == {"mode": "road"}
    client.post(url, {"action": "unbind"})
    assert not IndicatorBinding.objects.filter(indicator=west).exists()


def test_deleting_from_the_page(client: Client, trs: TrsWorld) -> None:
    services.binding_save(actor=None, indicator=trs.world.indicators["west"], dataset=trs.after, statistic="mean")
    client.force_login(trs.world.users["planner"])
    refused = client.post(reverse("trs-dataset-delete", args=[trs.after.pk]), follow=True)
    assert b"Unbind them first" in refused.content
    client.post(reverse("trs-dataset-delete", args=[trs.before.pk]))
    assert not Dataset.objects.filter(pk=trs.before.pk).exists()


def test_the_api_gives_the_report(client: Client, trs: TrsWorld) -> None:
    client.force_login(trs.world.users["viewer"])
    listed = client.get("/api/trs/datasets").json()
    assert {d["name"] for d in listed} == {"Study 2012", "Study 2013"}
    rows = client.get(f"/api/trs/datasets/{trs.after.pk}/report", {"by": "channel", "filters": "mode=road"}).json()
    assert {"from", "to", "channel", "n", "median", "p90"} <= set(rows[0])
    bad = client.get(f"/api/trs/datasets/{trs.after.pk}/report", {"by": "colour"})
    assert bad.status_code == 400
    assert bad.json()["problems"][0]["location"] == "by"
    assert client.get(f"/api/trs/datasets/{trs.after.pk}/report", {"filters": "road"}).status_code == 400
    client.force_login(trs.world.users["outsider"])
    # another administration's dataset is "not found" (issue 12: it was 403, which told it exists)
    assert client.get(f"/api/trs/datasets/{trs.after.pk}").status_code == 404
