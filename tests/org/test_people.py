"""The People page: an administrator adds people, gives and takes back roles, deactivates."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.world import PASSWORD, World
from waypoint.core.models import AuditEvent
from waypoint.org.models import RoleAssignment, User


def administrator(world: World) -> Client:
    client = Client()
    client.force_login(world.users["administrator"])
    return client


def test_an_administrator_adds_a_person_with_a_first_role(world: World) -> None:
    client = administrator(world)
    response = client.post(
        reverse("person-add"),
        {
            "new-username": "newcomer",
            "new-first_name": "Nina",
            "new-last_name": "Newcomer",
            "new-password": "a-long-enough-password",
            "new-role": "contributor",
            "new-unit": world.unit("RD-W").pk,
        },
    )
    assert response.status_code == 302
    person = User.objects.get(username="newcomer")
    assert person.check_password("a-long-enough-password")
    assert [(a.role, a.unit.code) for a in person.role_assignments.all()] == [("contributor", "RD-W")]
    assert not person.is_staff and not person.is_superuser
    created = AuditEvent.objects.get(entity="org.User", entity_id=str(person.pk), action="create")
    assert created.actor == world.users["administrator"]
    assert created.administration_id == world.unit("ADM").pk
    assert 'data-username="newcomer"' in client.get(reverse("people")).content.decode()


def test_a_weak_password_or_a_taken_name_is_refused_on_the_form(world: World) -> None:
    client = administrator(world)
    weak = client.post(
        reverse("person-add"),
        {"new-username": "weak", "new-password": "short", "new-role": "viewer", "new-unit": world.unit("ADM").pk},
    )
    assert weak.status_code == 400
    assert "too short" in weak.content.decode()
    taken = client.post(
        reverse("person-add"),
        {"new-username": "viewer", "new-password": "a-long-enough-password", "new-role": "viewer"}
        | {"new-unit": world.unit("ADM").pk},
    )
    assert taken.status_code == 400
    assert "is taken" in taken.content.decode()
    assert not User.objects.filter(username="weak").exists()


def test_roles_are_given_and_taken_back(world: World) -> None:
    client = administrator(world)
    viewer = world.users["viewer"]
    client.post(reverse("person-role-grant", args=[viewer.pk]), {"role": "contributor", "unit": world.unit("BP-W1").pk})
    given = RoleAssignment.objects.get(user=viewer, role="contributor")
    assert given.unit.code == "BP-W1"
    client.post(reverse("person-role-revoke", args=[given.pk]))
    assert not RoleAssignment.objects.filter(pk=given.pk).exists()
    own = RoleAssignment.objects.get(user=world.users["administrator"], role="administrator")
    refused = client.post(reverse("person-role-revoke", args=[own.pk]))
    assert refused.status_code == 403
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


def test_a_deactivated_person_cannot_sign_in_until_reactivated(world: World) -> None:
    client = administrator(world)
    viewer = world.users["viewer"]
    signed_in = Client()
    signed_in.force_login(viewer)
    client.post(reverse("person-active", args=[viewer.pk]), {"active": "0"})
    viewer.refresh_from_db()
    assert not viewer.is_active
    assert signed_in.get(reverse("plan-list")).status_code == 302  # the session ends too
    assert Client().post(reverse("login"), {"username": "viewer", "password": PASSWORD}).status_code == 200
    client.post(reverse("person-active", args=[viewer.pk]), {"active": "1"})
    assert Client().post(reverse("login"), {"username": "viewer", "password": PASSWORD}).status_code == 302
    # nobody deactivates themselves
    own = world.users["administrator"]
    assert client.post(reverse("person-active", args=[own.pk]), {"active": "0"}).status_code == 403


def test_the_command_line_unlocks_everything(world: World, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        client.post(reverse("login"), {"username": "viewer", "password": "wrong"}, REMOTE_ADDR="10.9.0.1")
    assert client.post(reverse("login"), {"username": "viewer", "password": PASSWORD}).status_code == 429
    call_command("axes_reset", stdout=io.StringIO())
    assert client.post(reverse("login"), {"username": "viewer", "password": PASSWORD}).status_code == 302
