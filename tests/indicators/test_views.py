from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.world import World


def test_the_indicator_page_shows_status_chart_and_history(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    response = client.get(reverse("indicator-detail", args=[world.indicators["west"].pk]))
    body = response.content.decode()
    assert "Off track" in body
    assert 'id="indicator-chart"' in body and '"$schema"' in body
    assert "Record a value" not in body  # viewers cannot record


def test_changing_a_target_through_htmx_requires_a_reason(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    indicator = world.indicators["south"]
    url = reverse("target-edit", args=[indicator.pk, "2014"])
    form = client.get(url, HTTP_HX_REQUEST="true")
    assert b"<html" not in form.content and b"reason" in form.content
    refused = client.post(url, {"value": "6", "version": "1"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200 and b"Say why" in refused.content
    saved = client.post(url, {"value": "6", "reason": "New scanner", "version": "1"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 204 and saved["HX-Redirect"].endswith("#targets")
    assert indicator.targets.get(period="2014").value == Decimal(6)


def test_recording_a_value_with_evidence_and_downloading_it(world: World, client: Client) -> None:
    client.force_login(world.users["contributor_west"])
    indicator = world.indicators["west"]
    response = client.post(
        reverse("actual-create", args=[indicator.pk]),
        {
            "period": "2013",
            "value": "12.5",
            "evidence": "TRS 2013",
            "evidence_file": SimpleUploadedFile("trs.pdf", b"%PDF"),
        },
    )
    assert response.status_code == 302
    actual = indicator.actuals.get(period="2013")
    assert actual.recorded_by_name == "contributor_west"
    download = client.get(reverse("actual-evidence", args=[indicator.pk, actual.pk]))
    assert b"".join(download.streaming_content) == b"%PDF"  # type: ignore[attr-defined]
    client.force_login(world.users["outsider"])
    # another administration's evidence is "not found" (issue 12: it was 403, which told it exists)
    assert client.get(reverse("actual-evidence", args=[indicator.pk, actual.pk])).status_code == 404


def test_the_period_list_offers_the_plan_periods_at_the_indicator_frequency(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    response = client.get(reverse("actual-create", args=[world.indicators["west"].pk]))
    choices = [c for c, _label in response.context["form"].fields["period"].choices]
    assert choices == ["2012", "2013", "2014", "2015", "2016"]


def test_the_indicator_list_filters_by_status(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    response = client.get(reverse("indicator-list", args=[world.plan.pk]), {"status": "off_track"})
    names = [s.indicator.name for s in response.context["page"]]
    assert names == ["Release time in the west"]


def test_values_by_unit_roll_up_to_their_directorate(world: World, client: Client) -> None:
    from waypoint.indicators import services

    south = world.indicators["south"]
    services.actual_record(actor=None, indicator=south, period="2013", value=Decimal(6), unit=world.units["BP-S1"])
    services.actual_record(actor=None, indicator=south, period="2013", value=Decimal(10), unit=world.units["BP-W1"])
    client.force_login(world.users["viewer"])
    response = client.get(reverse("indicator-detail", args=[south.pk]))
    periods, rows = response.context["breakdown"]
    table = {row.unit.code: (row.values, row.recorded) for row in rows}
    assert periods == ["2013"]
    assert table == {"RD-S": ([6.0], False), "BP-S1": ([6.0], True), "RD-W": ([10.0], False), "BP-W1": ([10.0], True)}


def test_a_contributor_is_offered_only_their_own_units_and_keeps_what_they_typed(world: World, client: Client) -> None:
    # the western contributor may record the southern indicator for their own posts only; the
    # form used to offer "Whole administration", then refuse it with a bare 403 (issue 13)
    south = world.indicators["south"]
    client.force_login(world.users["contributor_west"])
    page = client.get(reverse("indicator-detail", args=[south.pk])).content.decode()
    unit_select = page[page.index('name="unit"') : page.index("</select>", page.index('name="unit"'))]
    assert "Whole administration" not in unit_select
    assert "(BP-W1)" in unit_select and "(BP-S1)" not in unit_select
    assert "Whole administration" not in client.get(reverse("actual-create", args=[south.pk])).content.decode()
    refused = client.post(reverse("actual-create", args=[south.pk]), {"period": "2013", "value": "7.25"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["unit"]
    assert 'value="7.25"' in refused.content.decode()  # what was typed stays
    saved = client.post(
        reverse("actual-create", args=[south.pk]), {"period": "2013", "value": "7.25", "unit": world.unit("BP-W1").pk}
    )
    assert saved.status_code == 302


def test_the_indicator_list_sorts_and_filtering_keeps_the_order(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    url = reverse("indicator-list", args=[world.plan.pk])
    names = [s.indicator.name for s in client.get(url, {"sort": "-name"}).context["page"]]
    assert names == sorted(names, reverse=True) and len(names) > 1
    page = client.get(url, {"sort": "-name"}).content.decode()
    # the filter form sends the order chosen in the headings along with the filters
    start = page.index('role="search"')
    form = page[start : page.index("</form>", start)]
    assert '<input type="hidden" name="sort" value="-name">' in form
    filtered = client.get(url, {"sort": "-name", "q": "release", "status": ""}).context["page"]
    assert [s.indicator.name for s in filtered] == [n for n in names if "release" in n.lower()]
