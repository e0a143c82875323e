"""Administrators keep their administration's unit tree: add, rename, move, close; never
across administrations, and a new administration only from the platform."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.world import World
from waypoint.core.errors import NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.org import services
from waypoint.org.models import OrgUnit


def administrator(world: World) -> Client:
    client = Client()
    client.force_login(world.users["administrator"])
    return client


def test_an_administrator_adds_and_moves_a_unit(world: World) -> None:
    client = administrator(world)
    assert "Add a unit" in client.get(reverse("unit-tree")).content.decode()
    response = client.post(
        reverse("unit-add"),
        {"code": "BP-S2", "name": "South Post Two", "kind": "road_border_post", "parent": world.unit("RD-S").pk}
        | {"position": 1, "is_active": "on"},
    )
    assert response.status_code == 302
    unit = OrgUnit.objects.get(code="BP-S2")
    assert unit.is_within(world.unit("RD-S"))
    event = AuditEvent.objects.get(entity="org.OrgUnit", entity_id=str(unit.pk), action="create")
    assert event.actor == world.users["administrator"] and event.administration_id == world.unit("ADM").pk
    moved = client.post(
        reverse("unit-edit", args=["BP-S2"]),
        {"code": "BP-S2", "name": "South Post Two", "kind": "road_border_post", "parent": world.unit("RD-W").pk}
        | {"position": 1, "is_active": "on"},
    )
    assert moved.status_code == 302
    unit.refresh_from_db()
    assert unit.is_within(world.unit("RD-W"))
    taken = client.post(
        reverse("unit-add"),
        {"code": "BP-S2", "name": "Again", "kind": "road_border_post", "parent": world.unit("RD-S").pk}
        | {"position": 0},
    )
    assert taken.status_code == 200
    assert "already used" in taken.content.decode()


def test_the_administration_itself_keeps_its_place_and_type(world: World) -> None:
    client = administrator(world)
    page = client.get(reverse("unit-edit", args=["ADM"])).content.decode()
    assert 'name="parent"' not in page and 'name="kind"' not in page and 'name="is_active"' not in page
    client.post(reverse("unit-edit", args=["ADM"]), {"code": "ADM", "name": "Test Customs Service", "position": 0})
    administration = OrgUnit.objects.get(code="ADM")
    assert administration.name == "Test Customs Service" and administration.is_active
    with pytest.raises(NotAllowed):
        services.unit_update(actor=world.users["administrator"], unit=administration, is_active=False)


def test_units_never_cross_administrations(world: World) -> None:
    other = services.unit_create(actor=None, code="OTH", name="Other", kind="administration", parent=None)
    with pytest.raises(NotAllowed):
        services.unit_create(
            actor=world.users["administrator"], code="X-1", name="x", kind="customs_office", parent=other
        )
    with pytest.raises(NotAllowed):
        services.unit_create(
            actor=world.users["administrator"], code="NEW", name="x", kind="administration", parent=None
        )
    with pytest.raises(NotAllowed):
        services.unit_update(actor=world.users["administrator"], unit=world.unit("RD-S"), parent=other)
    with pytest.raises(NotAllowed):
        services.unit_update(actor=world.users["planner"], unit=world.unit("RD-S"), name="Renamed")
    assert OrgUnit.objects.get(code="RD-S").is_within(world.unit("ADM"))
