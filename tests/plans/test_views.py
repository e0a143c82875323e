"""Pages of the plan: forms show errors in place, conflicts keep the user's text, lists
answer in a bounded number of queries."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from tests.world import World
from waypoint.plans.models import PlanElement


def test_the_tree_page_renders_every_element(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    response = client.get(reverse("plan-tree", args=[world.plan.pk]))
    body = response.content.decode()
    for code in world.elements:
        assert f'data-code="{code}"' in body


def test_the_tree_filter_answers_htmx_with_the_partial(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    response = client.get(reverse("plan-tree", args=[world.plan.pk]), {"q": "west"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert 'data-code="O1.2"' in body and 'data-code="O1.1"' not in body


def test_list_pages_answer_in_a_bounded_number_of_queries(
    world: World, client: Client, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.users["planner"])
    for name in (
        "plan-overview",
        "logframe",
        "indicator-list",
        "budget-summary",
        "functions-matrix",
        "analysis-board",
    ):
        with django_assert_max_num_queries(20):
            assert client.get(reverse(name, args=[world.plan.pk])).status_code == 200
    # the tree's quality badges and the health page read the whole plan file (a fixed number of queries)
    for name in ("plan-tree", "plan-health", "plan-coverage"):
        with django_assert_max_num_queries(45):
            assert client.get(reverse(name, args=[world.plan.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("plan-list")).status_code == 200


def test_an_edit_form_shows_field_errors_inline(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    element = world.elements["I1.1.1"]
    response = client.post(
        reverse("element-edit", args=[element.pk]),
        {
            "title": "",
            "tier": element.tier_id,
            "responsible_unit": element.responsible_unit_id,
            "starts_on": "2012-03",
            "ends_on": "2011-01",
            "version": element.version,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "title" in errors and "ends_on" in errors


def test_saving_an_objective_redirects_to_its_page(world: World, client: Client) -> None:
    client.force_login(world.users["contributor"])
    element = world.elements["O1.1"]
    response = client.post(
        reverse("element-edit", args=[element.pk]),
        {
            "title": "Cut release time at southern posts",
            "tier": element.tier_id,
            "responsible_unit": element.responsible_unit_id,
            "version": element.version,
        },
    )
    assert response.status_code == 302
    element.refresh_from_db()
    assert element.title == "Cut release time at southern posts"


def test_a_concurrent_edit_keeps_the_second_users_text(world: World, client: Client) -> None:
    element = world.elements["O1.1"]
    opened_version = element.version
    PlanElement.objects.filter(pk=element.pk).update(title="Saved by someone else", version=opened_version + 1)
    client.force_login(world.users["contributor"])
    response = client.post(
        reverse("element-edit", args=[element.pk]),
        {
            "title": "My careful wording",
            "tier": element.tier_id,
            "responsible_unit": element.responsible_unit_id,
            "version": opened_version,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved this first" in body
    assert "My careful wording" in body and "Saved by someone else" in body
    assert f'name="version" value="{opened_version + 1}"' in body  # the next save goes through
    element.refresh_from_db()
    assert element.title == "Saved by someone else"


def test_deleting_asks_for_confirmation_and_lists_what_goes(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    element = world.elements["O1.1"]
    page = client.get(reverse("element-delete", args=[element.pk]))
    assert b"1 initiative" in page.content and b"1 activity" in page.content
    assert PlanElement.objects.filter(pk=element.pk).exists()
    client.post(reverse("element-delete", args=[element.pk]))
    assert not PlanElement.objects.filter(pk=element.pk).exists()


def test_ticking_a_function_cell_with_htmx_returns_the_cell(world: World, client: Client) -> None:
    from waypoint.plans import services

    function = services.function_save(actor=None, plan=world.plan, name="Revenue", priority="high")
    client.force_login(world.users["planner"])
    objective = world.elements["O1.1"]
    response = client.post(
        reverse("function-toggle", args=[world.plan.pk, function.pk, objective.pk]),
        {"linked": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b'aria-pressed="true"' in response.content
    assert list(function.objectives.all()) == [objective]


def test_a_new_plan_gets_the_tiers_of_its_template(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    response = client.post(
        reverse("plan-create"),
        {
            "title": "Strategic Plan 2017–2021",
            "start_year": 2017,
            "end_year": 2021,
            "tier_template": "logframe",
            "currency": "azn",
        },
    )
    assert response.status_code == 302
    from waypoint.plans.models import Plan

    plan = Plan.objects.get(title="Strategic Plan 2017–2021")
    assert [t.name for t in plan.tiers.order_by("level")] == ["Overall objective", "Purpose", "Results", "Activities"]
    assert plan.currency == "AZN"


def test_an_element_page_rolls_up_its_own_subtree(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    initiative = client.get(reverse("element-detail", args=[world.elements["I1.1.1"].pk]))
    assert initiative.context["budget_sum"] == 100000
    objective = client.get(reverse("element-detail", args=[world.elements["O1.1"].pk]))
    health = objective.context["health"][world.elements["O1.1"].pk]
    assert health.status.value == "on_track"
    assert "Initiatives" in objective.content.decode()


def test_moving_an_element_returns_to_the_page_it_came_from_on_this_site_only(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    element = world.elements["O1.2"]
    url = reverse("element-move", args=[element.pk])
    overview = reverse("plan-overview", args=[world.plan.pk])
    assert client.post(url, {"direction": "up", "next": overview})["Location"] == overview
    response = client.post(url, {"direction": "down", "next": "//evil.example/"})
    assert response["Location"] == reverse("plan-tree", kwargs={"plan_id": world.plan.pk})


def test_the_plan_list_filter_keeps_the_order_chosen(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    page = client.get(reverse("plan-list"), {"sort": "title"}).content.decode()
    start = page.index('role="search"')
    form = page[start : page.index("</form>", start)]
    assert '<input type="hidden" name="sort" value="title">' in form
