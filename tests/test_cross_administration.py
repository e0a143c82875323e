"""A second administration, with its own administrator and planner, can neither read nor change
the first one's data anywhere: administrator pages, the Django admin, the audit log, every page
and API call that names an object (which answer exactly as for one that does not exist), and
the plan import (whose checks would name the other administration's units and plans)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_api import CALLS
from tests.test_permission_matrix import CASES, NOT_OWNED
from tests.world import PASSWORD, World
from waypoint.core.errors import NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.org import services as org_services
from waypoint.org.models import OrgUnit, RoleAssignment, User
from waypoint.plans import services as plan_services
from waypoint.plans.models import Plan

#: words of the first administration that must never reach the second one's people
SECRETS = ("Plan 2012–2016", "Faster clearance", "Southern Directorate", "Release time in the south", "South Post One")


@dataclass
class Other:
    administration: OrgUnit
    administrator: User
    planner: User
    plan: Plan


@pytest.fixture
def other(world: World) -> Other:
    administration = org_services.unit_create(
        actor=None, code="OTH", name="Other Customs", kind="administration", parent=None
    )
    office = org_services.unit_create(
        actor=None, code="OTH-HQ", name="Other HQ", kind="hq_department", parent=administration
    )
    administrator = org_services.user_create(actor=None, username="other_admin", password=PASSWORD)
    org_services.role_grant(actor=None, user=administrator, role="administrator", unit=administration)
    planner = org_services.user_create(actor=None, username="other_planner", password=PASSWORD)
    org_services.role_grant(actor=None, user=planner, role="planner", unit=office)
    plan = plan_services.plan_create(
        actor=None, administration=administration, title="Other plan", start_year=2020, end_year=2024
    )
    return Other(administration, administrator, planner, plan)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def without_tokens(html: str) -> str:
    """A page without what changes from one answer to the next (CSRF tokens), nor the address
    the request was sent to, which the language switch sends back to come back to it (the
    asker's own URL tells them nothing they did not type)."""
    html = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", html)
    return re.sub(r'(<input type="hidden" name="next" value=")[^"]*', r"\1", html)


# --- administrator pages, the Django admin and the audit log --------------------------------------------


def test_the_django_admin_refuses_an_administrator_of_any_administration(world: World, other: Other) -> None:
    for user in (other.administrator, world.users["administrator"]):
        user.refresh_from_db()
        assert not user.is_staff and not user.is_superuser
        client = signed_in(user)
        assert client.get("/admin/").status_code == 302
        plan_change = client.get(reverse("admin:plans_plan_change", args=[world.plan.pk]))
        assert plan_change.status_code == 302 and plan_change["Location"].startswith("/admin/login/")
        role_change = client.post(reverse("admin:org_roleassignment_add"), {"user": user.pk, "role": "planner"})
        assert role_change.status_code == 302
    assert not RoleAssignment.objects.filter(user=other.administrator, unit__code="ADM").exists()


def test_the_people_page_shows_and_changes_only_the_administrators_own_people(world: World, other: Other) -> None:
    client = signed_in(other.administrator)
    page = client.get(reverse("people")).content.decode()
    assert set(re.findall(r'data-username="([^"]+)"', page)) == {"other_admin", "other_planner"}
    for secret in (*SECRETS, "Test Customs"):
        assert secret not in page
    viewer = world.users["viewer"]
    assignment = RoleAssignment.objects.get(user=viewer)
    for name, args, data in [
        ("person-unlock", [viewer.pk], {}),
        ("person-active", [viewer.pk], {"active": "0"}),
        ("person-role-grant", [viewer.pk], {"role": "planner", "unit": other.administration.pk}),
        ("person-role-revoke", [assignment.pk], {}),
    ]:
        foreign = client.post(reverse(name, args=args), data)
        missing = client.post(reverse(name, args=[987654]), data)
        assert foreign.status_code == missing.status_code == 404, name
        assert without_tokens(foreign.content.decode()) == without_tokens(missing.content.decode())
    viewer.refresh_from_db()
    assert viewer.is_active and RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert not RoleAssignment.objects.filter(user=viewer, unit=other.administration).exists()
    # a new person cannot be placed in the first administration
    refused = client.post(
        reverse("person-add"),
        {"new-username": "spy", "new-password": "a-long-enough-password", "new-role": "administrator"}
        | {"new-unit": world.unit("ADM").pk},
    )
    assert refused.status_code == 400
    assert not User.objects.filter(username="spy").exists()
    with pytest.raises(NotAllowed):
        org_services.role_grant(actor=other.administrator, user=other.planner, role="viewer", unit=world.unit("ADM"))
    with pytest.raises(NotAllowed):
        org_services.user_set_active(actor=other.administrator, user=viewer, active=False)


def test_the_audit_log_lists_only_the_administrators_own_administration(world: World, other: Other) -> None:
    plan_services.plan_update(
        actor=world.users["planner"], plan=world.plan, expected_version=None, changes={"vision": "A secret vision"}
    )
    mine = signed_in(other.administrator).get(reverse("audit-log"))
    events = list(mine.context["page"])
    assert events and {e.administration_id for e in events} == {other.administration.pk}
    text = mine.content.decode()
    for secret in (*SECRETS, "A secret vision", "Test Customs"):
        assert secret not in text
    entities = set(mine.context["entities"])
    assert "plans.PlanElement" not in entities  # the other administration has none
    theirs = signed_in(world.users["administrator"]).get(reverse("audit-log"), {"plan": str(other.plan.pk)})
    assert list(theirs.context["page"]) == []
    assert "A secret vision" in signed_in(world.users["administrator"]).get(reverse("audit-log")).content.decode()
    # events are tied to their administration when written
    latest = AuditEvent.objects.filter(entity="plans.Plan", plan_id=world.plan.pk).latest("at")
    assert latest.administration_id == world.unit("ADM").pk


# --- every page and API call that names the first administration's objects --------------------------------


@pytest.mark.parametrize("case", [c for c in CASES if c.name.split(" ")[0] not in NOT_OWNED], ids=lambda c: c.name)
def test_every_page_answers_not_found_for_another_administrations_objects(
    world: World, other: Other, case: object
) -> None:
    url = case.url(world)  # type: ignore[attr-defined]
    names_an_object = re.search(r"/(\d+|[A-Z][A-Z0-9-]+)(/|$)", url.split("?")[0]) is not None
    for user in (other.administrator, other.planner):
        client = signed_in(user)
        response = getattr(client, case.method)(url, case.data(world))  # type: ignore[attr-defined]
        text = response.content.decode(errors="replace")
        if names_an_object:
            assert response.status_code == 404, (case, user, response.status_code)
        else:
            assert response.status_code in (200, 302, 403), (case, user, response.status_code)
        for secret in SECRETS:
            assert secret not in text, (case, user, secret)


@pytest.mark.parametrize(
    "path",
    [
        lambda w: f"/plans/{w.plan.pk}/",
        lambda w: f"/elements/{w.elements['O1.1'].pk}/",
        lambda w: f"/indicators/{w.indicators['south'].pk}/",
        lambda w: "/units/RD-S/",
    ],
    ids=["plan", "element", "indicator", "unit"],
)
def test_a_page_of_another_administration_reads_exactly_like_a_missing_one(
    world: World, other: Other, path: object
) -> None:
    url = path(world)  # type: ignore[operator]
    missing = re.sub(r"/(\d+|RD-S)/", lambda m: "/987654/" if m.group(1).isdigit() else "/NO-SUCH/", url)
    client = signed_in(other.planner)
    foreign, absent = client.get(url), client.get(missing)
    assert foreign.status_code == absent.status_code == 404
    assert without_tokens(foreign.content.decode()) == without_tokens(absent.content.decode())


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.name)
def test_every_api_call_answers_like_a_missing_object(world: World, other: Other, call: object) -> None:
    path = call.path(world)  # type: ignore[attr-defined]
    if not re.search(r"/(\d+|[A-Z][A-Z0-9-]+)(/|$)", path):
        pytest.skip("names no object")
    missing = re.sub(
        r"/(\d+|[A-Z][A-Z0-9-]+)(?=/|$)", lambda m: "/987654" if m.group(1).isdigit() else "/NO-SUCH", path, count=1
    )
    _token, key = org_services.api_token_create(actor=other.planner, name="probe")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    body = json.dumps(call.body(world))  # type: ignore[attr-defined]

    def send(target: str) -> object:
        method = getattr(client, call.method)  # type: ignore[attr-defined]
        if call.method == "get":  # type: ignore[attr-defined]
            return method(target)
        return method(target, data=body, content_type="application/json")

    foreign, absent = send(path), send(missing)
    assert foreign.status_code == 404, (path, foreign.status_code, foreign.content[:200])  # type: ignore[attr-defined]
    assert foreign.json() == absent.json()  # type: ignore[attr-defined]
    for secret in SECRETS:
        assert secret not in foreign.content.decode()  # type: ignore[attr-defined]


# --- the plan import --------------------------------------------------------------------------------------


def test_the_plan_import_checks_rights_before_it_reads_the_file(world: World, other: Other) -> None:
    exported = signed_in(world.users["planner"]).get(f"/api/plans/{world.plan.pk}/export").json()
    client = signed_in(other.planner)
    # the same plan again would be a duplicate, and its units differ from the stored ones: the
    # file check would say so, naming the stored plan, its id and the stored units
    exported["units"][1]["name"] = "Renamed"
    foreign = client.post("/api/plans/import", data=json.dumps(exported), content_type="application/json")
    missing = client.post(
        "/api/plans/import",
        data=json.dumps(exported).replace('"ADM"', '"NOPE"'),
        content_type="application/json",
    )
    assert foreign.status_code == missing.status_code == 403
    assert foreign.json()["code"] == missing.json()["code"] == "forbidden"
    assert "problems" not in foreign.json()
    text = foreign.content.decode()
    for secret in (*SECRETS, str(world.plan.pk), "Planning Department", "Renamed"):
        assert secret not in text, secret
    assert Plan.objects.count() == 2
    # a file that is not even a plan file is refused on its form, which tells nothing stored
    junk = client.post("/api/plans/import", data="{not json", content_type="application/json")
    assert junk.status_code == 400
