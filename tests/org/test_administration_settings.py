"""An administration's settings: its time zone, set by its administrators."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.world import World
from waypoint.core.errors import InvalidInput, NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.org import services
from waypoint.org.models import OrgUnit


def test_an_administrator_sets_the_time_zone(world: World, client: Client) -> None:
    admin = world.unit("ADM")
    client.force_login(world.users["administrator"])
    url = reverse("administration-settings", args=[admin.pk])
    assert client.get(url).context["form"]["time_zone"].value() == "UTC"  # the deployment's default
    assert client.post(url, {"time_zone": "Asia/Baku"})["Location"] == reverse("unit-tree")
    admin.refresh_from_db()
    assert admin.time_zone == admin.local_time_zone == "Asia/Baku"
    event = AuditEvent.objects.filter(entity="org.OrgUnit", action="update").latest("at")
    assert event.changes == {"time_zone": ["", "Asia/Baku"]}
    refused = client.post(url, {"time_zone": "Mars/Olympus"})
    assert "time_zone" in refused.context["form"].errors
    assert f'href="{url}"' in client.get(reverse("unit-tree")).content.decode()


def test_only_administrators_of_that_administration_and_only_real_zones(world: World, client: Client) -> None:
    admin = world.unit("ADM")
    with pytest.raises(NotAllowed):
        services.administration_time_zone_set(actor=world.users["planner"], administration=admin, time_zone="UTC")
    for zone in ("Asia/Bak", "asia/baku", "../../etc/passwd", "", "localtime"):
        with pytest.raises(InvalidInput):
            services.administration_time_zone_set(actor=None, administration=admin, time_zone=zone)
    with pytest.raises(InvalidInput, match="Only an administration"):
        services.administration_time_zone_set(actor=None, administration=world.unit("RD-W"), time_zone="UTC")
    assert OrgUnit.objects.get(pk=admin.pk).time_zone == ""
    client.force_login(world.users["planner"])
    assert f"/administrations/{admin.pk}/settings/" not in client.get(reverse("unit-tree")).content.decode()
