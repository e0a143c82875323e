"""Five yearly targets on one form, saved together (issue 13: it took five forms)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse

from tests.world import World
from waypoint.core.models import AuditEvent
from waypoint.indicators import services
from waypoint.indicators.models import Indicator, TargetRevision


def grid(client: Client, indicator: Indicator) -> Any:
    return client.get(reverse("target-grid", args=[indicator.pk]))


def as_posted(response: Any, **changes: str) -> dict[str, str]:
    """The grid's values as the browser would post them, with ``changes`` ("y2013_value")."""
    form = response.context["form"]
    data = {name: ("" if form[name].value() is None else str(form[name].value())) for name in form.fields}
    for key, value in changes.items():
        year, field = key[1:].split("_", 1)
        data[f"{year}.{field}"] = value
    return data


def targets(indicator: Indicator) -> dict[str, Decimal]:
    return dict(indicator.targets.values_list("period", "value"))


def test_one_row_per_plan_year_prefilled(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    south = world.indicators["south"]
    response = grid(client, south)
    assert response.status_code == 200
    rows = response.context["form"].rows()
    assert [r["period"] for r in rows] == ["2012", "2013", "2014", "2015", "2016"]
    assert [r["value"].value() for r in rows] == [Decimal(9), Decimal(8), Decimal(7), Decimal(6), Decimal(5)]
    page = client.get(reverse("indicator-detail", args=[south.pk])).content.decode()
    assert reverse("target-grid", args=[south.pk]) in page


def test_every_changed_year_is_saved_at_once_with_its_reason(world: World, client: Client) -> None:
    client.force_login(world.users["contributor"])
    south = world.indicators["south"]
    untouched = south.targets.get(period="2014").version
    data = as_posted(grid(client, south), y2013_value="7.5", y2013_reason="New lanes", y2015_value="5.5")
    data["2015.reason"] = "Faster than planned"
    response = client.post(reverse("target-grid", args=[south.pk]), data)
    assert response.status_code == 302 and response["Location"].endswith("#targets")
    assert targets(south) == {
        "2012": Decimal(9),
        "2013": Decimal("7.5"),
        "2014": Decimal(7),
        "2015": Decimal("5.5"),
        "2016": Decimal(5),
    }
    reasons = set(TargetRevision.objects.filter(old_value__isnull=False).values_list("target__period", "reason"))
    assert reasons == {("2013", "New lanes"), ("2015", "Faster than planned")}
    assert south.targets.get(period="2014").version == untouched
    assert AuditEvent.objects.filter(entity="indicators.Target", action="update").count() == 2


def test_a_row_that_breaks_a_rule_saves_nothing_and_says_which_row(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    south = world.indicators["south"]
    before = targets(south)
    data = as_posted(grid(client, south), y2013_value="7.5", y2015_value="5.5", y2015_reason="Faster")
    response = client.post(reverse("target-grid", args=[south.pk]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["2013.reason"]  # the change to 2013 gave no reason
    assert targets(south) == before  # 2015 was right, but nothing is saved
    html = response.content.decode()
    assert 'value="7.5"' in html and 'value="5.5"' in html and 'value="Faster"' in html


def test_a_year_emptied_loses_its_target_with_a_reason(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    south = world.indicators["south"]
    data = as_posted(grid(client, south), y2016_value="")
    refused = client.post(reverse("target-grid", args=[south.pk]), data)
    assert list(refused.context["form"].errors) == ["2016.reason"]
    data["2016.reason"] = "The programme ends in 2015"
    assert client.post(reverse("target-grid", args=[south.pk]), data).status_code == 302
    assert "2016" not in targets(south)


def test_a_change_made_meanwhile_is_shown_and_the_next_save_goes_through(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    south = world.indicators["south"]
    opened = grid(client, south)
    services.target_set(actor=None, indicator=south, period="2014", value=Decimal("6.8"), reason="Budget cut")
    data = as_posted(opened, y2014_value="6.5", y2014_reason="Scanners", y2013_value="7.9", y2013_reason="Lanes")
    response = client.post(reverse("target-grid", args=[south.pk]), data)
    assert response.status_code == 200
    assert targets(south)["2013"] == Decimal(8)  # nothing saved
    html = response.content.decode()
    assert 'data-testid="edit-conflict"' in html and "6.8" in html and 'value="6.5"' in html
    again = as_posted(response)  # the user's values, with the versions stored now
    assert client.post(reverse("target-grid", args=[south.pk]), again).status_code == 302
    assert targets(south)["2014"] == Decimal("6.5") and targets(south)["2013"] == Decimal("7.9")


def test_a_target_set_meanwhile_for_an_empty_year_is_a_change_made_meanwhile(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    west = world.indicators["west"]  # only 2012 has a target
    opened = grid(client, west)
    services.target_set(actor=None, indicator=west, period="2013", value=Decimal(10))
    response = client.post(reverse("target-grid", args=[west.pk]), as_posted(opened, y2013_value="9"))
    assert response.status_code == 200 and 'data-testid="edit-conflict"' in response.content.decode()
    assert targets(west)["2013"] == Decimal(10)


def test_a_target_with_decimals_shows_in_its_number_field_in_every_language(world: World, client: Client) -> None:
    # a number field takes "7.5" only: the page's language writes "7,5" (French, Arabic), which
    # the browser would throw away, leaving the field empty
    south = world.indicators["south"]
    target = south.targets.get(period="2013")
    services.target_set(
        actor=None,
        indicator=south,
        period="2013",
        value=Decimal("7.5"),
        reason="New lanes",
        expected_version=target.version,
    )
    planner = world.users["planner"]
    for language in ("fr", "ar", "en"):
        planner.language = language
        planner.save()
        client.force_login(planner)
        page = grid(client, south).content.decode()
        assert 'name="2013.value" id="id_2013.value" value="7.5"' in page
