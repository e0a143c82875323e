from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.world import World
from waypoint.org.models import ApiToken


def test_the_unit_tree_searches_and_keeps_ancestors(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    response = client.get(reverse("unit-tree"), {"q": "south post"})
    rows = response.context["rows"]
    assert [(u.code, hit) for u, hit in rows] == [("ADM", False), ("RD-S", False), ("BP-S1", True)]


def test_the_unit_page_lists_what_it_answers_for(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    response = client.get(reverse("unit-detail", args=["RD-S"]), {"subunits": "1"})
    codes = [e.code for e in response.context["elements"]]
    assert codes == ["O1.1", "I1.1.1", "A1.1.1.1"]
    assert [s.indicator.code for s in response.context["states"]] == ["KPI-01"]


def test_a_new_token_is_shown_once(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    response = client.post(reverse("api-tokens"), {"name": "Monthly report"})
    key = response.context["new_key"]
    assert key.startswith("wpt_") and key.encode() in response.content
    again = client.get(reverse("api-tokens"))
    assert key.encode() not in again.content
    token = ApiToken.objects.get(name="Monthly report")
    client.post(reverse("api-token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
