"""An approved plan says so wherever people change it (issue 13), and since bottom-up planning
(issue 14) it is locked: the pages that would change its content refuse, saying why; the pages
that stay open (reading it, recording actual values) carry the banner."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.world import World
from waypoint.plans import services
from waypoint.plans.models import PlanStatus

BANNER = 'data-testid="approved-banner"'
#: the pages that change an approved plan's content: refused by the lock (issue 14)
LOCKED = {"element form", "new element", "element deletion", "plan form", "indicator form", "targets", "risk form"}


def approve(world: World) -> None:
    for status in (PlanStatus.UNDER_REVIEW, PlanStatus.APPROVED):
        services.plan_set_status(actor=None, plan=world.plan, status=status, note="")
    world.plan.refresh_from_db()


def editing_pages(world: World) -> dict[str, str]:
    south, o11 = world.indicators["south"], world.elements["O1.1"]
    return {
        "tree": reverse("plan-tree", args=[world.plan.pk]),
        "element": reverse("element-detail", args=[o11.pk]),
        "element form": reverse("element-edit", args=[o11.pk]),
        "new element": reverse("element-create", args=[world.plan.pk]),
        "element deletion": reverse("element-delete", args=[world.elements["I1.1.1"].pk]),
        "plan form": reverse("plan-edit", args=[world.plan.pk]),
        "indicator": reverse("indicator-detail", args=[south.pk]),
        "indicator form": reverse("indicator-edit", args=[south.pk]),
        "targets": reverse("target-edit", args=[south.pk, "2013"]),
        "actual form": reverse("actual-create", args=[south.pk]),
        "risk form": reverse("risk-create", args=[world.elements["I1.1.1"].pk]),
    }


def test_every_page_where_a_planner_changes_an_approved_plan_says_it_is_approved(world: World, client: Client) -> None:
    approve(world)
    client.force_login(world.users["planner"])
    for name, url in editing_pages(world).items():
        response = client.get(url)
        if name in LOCKED:
            assert response.status_code == 403, name
            assert "approved and locked" in response.content.decode(), name
            continue
        assert response.status_code == 200, name
        assert BANNER in response.content.decode(), name


def test_a_draft_says_nothing_and_a_reader_is_not_warned_about_changes(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    for name, url in editing_pages(world).items():
        assert BANNER not in client.get(url).content.decode(), name
    approve(world)
    client.force_login(world.users["viewer"])
    for name in ("tree", "element", "indicator"):
        assert BANNER not in client.get(editing_pages(world)[name]).content.decode(), name
