"""A planner who plans for two administrations chooses which one a new plan, assessment or
Time Release Study dataset is for, on the page (a choice shown only to them) and in the API
(an ``administration`` code); a planner of one is never asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.diagnostics.conftest import make_framework
from tests.world import World
from waypoint.diagnostics.models import Assessment
from waypoint.org import services as org_services
from waypoint.org.models import OrgUnit
from waypoint.plans import services as plan_services
from waypoint.plans.models import Plan
from waypoint.trs.models import Dataset

NEW_PLAN = {"title": "Strategic Plan 2017–2021", "start_year": 2017, "end_year": 2021, "tier_template": "logframe"}
CSV = (
    b"declaration_id,milestone,timestamp\n"
    b"D1,arrival,2012-01-01T08:00:00Z\nD1,lodgement,2012-01-01T09:00:00Z\n"
    b"D1,registration,2012-01-01T09:10:00Z\nD1,release,2012-01-01T10:00:00Z\n"
)


@pytest.fixture
def other(world: World) -> OrgUnit:
    """A second administration, in which the world's planner plans too (at its HQ)."""
    administration = org_services.unit_create(
        actor=None, code="OTH", name="Other Customs", kind="administration", parent=None
    )
    office = org_services.unit_create(
        actor=None, code="OTH-HQ", name="Other HQ", kind="hq_department", parent=administration
    )
    org_services.role_grant(actor=None, user=world.users["planner"], role="planner", unit=office)
    return administration


def signed_in(world: World, persona: str = "planner") -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


# --- the pages --------------------------------------------------------------------------------------------


def test_a_planner_of_one_administration_is_not_asked_which(world: World) -> None:
    client = signed_in(world)
    page = client.get(reverse("plan-create"))
    assert "administration" not in page.context["form"].fields
    assert 'name="administration"' not in page.content.decode()
    response = client.post(reverse("plan-create"), {**NEW_PLAN, "currency": "AZN"})
    assert response.status_code == 302
    assert Plan.objects.get(title=NEW_PLAN["title"]).administration.code == "ADM"


def test_a_planner_of_two_administrations_chooses_where_a_new_plan_goes(world: World, other: OrgUnit) -> None:
    client = signed_in(world)
    page = client.get(reverse("plan-create")).content.decode()
    assert 'name="administration"' in page
    assert "Test Customs" in page and "Other Customs" in page

    # not choosing is not guessing: the form comes back with what was typed
    unchosen = client.post(reverse("plan-create"), {**NEW_PLAN, "currency": "AZN"})
    assert unchosen.status_code == 200
    assert "administration" in unchosen.context["form"].errors
    assert f'value="{NEW_PLAN["title"]}"' in unchosen.content.decode()
    assert not Plan.objects.filter(title=NEW_PLAN["title"]).exists()

    chosen = client.post(reverse("plan-create"), {**NEW_PLAN, "currency": "AZN", "administration": other.pk})
    plan = Plan.objects.get(title=NEW_PLAN["title"])
    assert chosen["Location"] == reverse("plan-tree", args=[plan.pk])
    assert plan.administration == other


def test_the_choice_offers_only_administrations_the_user_plans_for(world: World, other: OrgUnit) -> None:
    org_services.unit_create(actor=None, code="THIRD", name="Third Customs", kind="administration", parent=None)
    client = signed_in(world)
    third = OrgUnit.objects.get(code="THIRD")
    page = client.get(reverse("plan-create")).content.decode()
    assert "Third Customs" not in page
    refused = client.post(reverse("plan-create"), {**NEW_PLAN, "currency": "AZN", "administration": third.pk})
    assert "administration" in refused.context["form"].errors
    assert not Plan.objects.filter(administration=third).exists()


def test_a_new_assessment_goes_to_the_administration_chosen(world: World, other: OrgUnit) -> None:
    framework = make_framework()
    other_plan = plan_services.plan_create(
        actor=None, administration=other, title="Other plan", start_year=2020, end_year=2024
    )
    client = signed_in(world)
    page = client.get(reverse("diagnostics-assessment-create"))
    assert "administration" in page.context["form"].fields
    fields = {
        "framework": framework.pk,
        "reference": "OTH-2020",
        "title": "Diagnostic of the other administration",
        "assessed_on": "2020-03-31",
        "kind": "expert",
        "administration": other.pk,
    }
    # a plan of the other administration cannot answer it (the service's rule, on the field)
    mixed = client.post(reverse("diagnostics-assessment-create"), {**fields, "plans": [world.plan.pk]})
    assert "Only plans of the same administration" in str(mixed.context["form"].errors["plans"])
    response = client.post(reverse("diagnostics-assessment-create"), {**fields, "plans": [other_plan.pk]})
    created = Assessment.objects.get(reference="OTH-2020")
    assert response["Location"] == reverse("diagnostics-assessment", args=[created.pk])
    assert created.administration == other
    assert list(created.plans.all()) == [other_plan]


def test_a_new_dataset_goes_to_the_administration_chosen(
    world: World, other: OrgUnit, tmp_path: Path, settings: Any
) -> None:
    settings.WAYPOINT_TRS_DATA = tmp_path / "trs-data"
    settings.WAYPOINT_TRS_STUDIES = tmp_path / "trs-studies"
    client = signed_in(world)
    unchosen = client.post(
        reverse("trs-dataset-create"), {"name": "Tiny", "file": SimpleUploadedFile("tiny.csv", CSV), "description": ""}
    )
    assert "administration" in unchosen.context["form"].errors
    response = client.post(
        reverse("trs-dataset-create"),
        {"name": "Tiny", "file": SimpleUploadedFile("tiny.csv", CSV), "description": "", "administration": other.pk},
    )
    tiny = Dataset.objects.get(name="Tiny")
    assert response["Location"] == reverse("trs-dataset", args=[tiny.pk])
    assert tiny.administration == other


# --- the API ----------------------------------------------------------------------------------------------


def post_plan(client: Client, **extra: Any) -> Any:
    return client.post("/api/plans", {**NEW_PLAN, **extra}, content_type="application/json")


def test_the_api_creates_a_plan_where_the_code_says(world: World, other: OrgUnit) -> None:
    response = post_plan(signed_in(world), administration="OTH")
    assert response.status_code == 201
    assert response.json()["administration"] == "OTH"
    assert Plan.objects.get(pk=response.json()["id"]).administration == other


def test_the_api_asks_a_planner_of_two_administrations_which(world: World, other: OrgUnit) -> None:
    response = post_plan(signed_in(world))
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert [p["location"] for p in problems] == ["$.administration"]
    assert "ADM, OTH" in problems[0]["message"]
    assert not Plan.objects.filter(title=NEW_PLAN["title"]).exists()


def test_the_api_refuses_an_administration_the_user_does_not_plan_for(world: World, other: OrgUnit) -> None:
    org_services.unit_create(actor=None, code="THIRD", name="Third Customs", kind="administration", parent=None)
    client = signed_in(world)
    third, unknown = post_plan(client, administration="THIRD"), post_plan(client, administration="NOPE")
    # the same answer for an administration that exists and one that does not
    assert third.status_code == unknown.status_code == 403
    assert third.json()["message"].replace("THIRD", "NOPE") == unknown.json()["message"]
    # a viewer of the administration may read its plans but not start one
    assert post_plan(signed_in(world, "viewer"), administration="ADM").status_code == 403
    assert not Plan.objects.filter(title=NEW_PLAN["title"]).exists()


def test_the_api_needs_no_code_from_a_planner_of_one_administration(world: World) -> None:
    response = post_plan(signed_in(world))
    assert response.status_code == 201
    assert response.json()["administration"] == "ADM"
    assert post_plan(signed_in(world), administration="ADM").status_code == 201
