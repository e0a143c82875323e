from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.world import World
from waypoint.core.audit import SYSTEM, actor_label, audit_record, diff
from waypoint.core.models import AuditEvent


def test_diff_lists_only_what_changed() -> None:
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {"b": [2, 3]}


def test_the_audit_log_page_filters_by_person_and_action(world: World, client: Client) -> None:
    client.force_login(world.users["administrator"])
    response = client.get(reverse("audit-log"), {"action": "grant"})
    events = list(response.context["page"])
    assert events and all(e.action == "grant" for e in events)


def test_admin_saves_are_audited(world: World, client: Client) -> None:
    # the Django admin is the platform operators' (not an administration's administrator's)
    operator = world.users["outsider"]
    operator.is_staff = operator.is_superuser = True
    operator.save()
    client.force_login(operator)
    unit = world.units["BP-S1"]
    response = client.post(
        reverse("admin:org_orgunit_change", args=[unit.pk]),
        {
            "code": "BP-S1",
            "name": "South Post One (renamed)",
            "kind": unit.kind,
            "parent": unit.parent_id,
            "position": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(entity="org.OrgUnit", entity_id=str(unit.pk), action="update").latest("at")
    assert event.changes["via"] == "admin"
    assert event.changes["name"] == ["South Post One", "South Post One (renamed)"]


def test_the_audit_log_lists_and_filters_every_action(world: World, client: Client) -> None:
    # among them those of uploads, the worker's and the TRS computations (every action a service
    # writes is one: tests/core/test_services_audited.py)
    assert {"upload", "register", "ingest", "compute", "solve", "cancel", "approve"} <= set(AuditEvent.Action.values)
    administration = world.unit("ADM")
    for action in AuditEvent.Action:
        audit_record(
            actor=None,
            action=action,
            entity="test.Thing",
            entity_id=action.value,
            label=f"a {action.value}",
            administration_id=administration.pk,
        )
    client.force_login(world.users["administrator"])
    page = client.get(reverse("audit-log")).content.decode()
    for action in AuditEvent.Action:
        assert f'<option value="{action.value}" >{action.label}</option>' in page
        events = list(client.get(reverse("audit-log"), {"action": action.value}).context["page"])
        assert {e.action for e in events} == {action.value}
        assert ("test.Thing", action.value) in {(e.entity, e.entity_id) for e in events}
        assert events[0].get_action_display() == action.label


def test_a_change_no_person_made_is_shown_as_the_system_in_the_reader_s_language(world: World, client: Client) -> None:
    # the test world is built without an actor: its events keep the stored marker
    assert AuditEvent.objects.filter(actor_name=SYSTEM).exists()
    administrator = world.users["administrator"]
    administrator.language = "fr"
    administrator.save()
    client.force_login(administrator)
    page = client.get(reverse("audit-log")).content.decode()
    with translation.override("fr"):
        shown = actor_label(SYSTEM)
    assert shown == "système"
    assert f"<td>{shown}</td>" in page and "<td>system</td>" not in page
    assert actor_label("planner") == "planner" and actor_label(None) == actor_label(SYSTEM)
    # a search for the word the reader sees finds what is kept as the marker
    found = list(client.get(reverse("audit-log"), {"who": "Système"}).context["page"])
    assert found and all(e.actor_name == SYSTEM for e in found)
    assert not list(client.get(reverse("audit-log"), {"who": "nobody at all"}).context["page"])
