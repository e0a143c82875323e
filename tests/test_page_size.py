"""The main pages' query counts do not grow with the plan (issue 20).

Two generated plans (``waypoint.demo.scaled``) of the same administration, one three times the
other, each with a solved scenario, and two read Time Release Study datasets, one ten times the
other: every main page makes the same number of queries on both, within one bound. Times are
measured by ``make bench-web``, never asserted here.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.world import World
from waypoint.demo.scaled import build_plan
from waypoint.plans.models import Plan

#: queries a main page may make, whatever the size of the plan (a page reads the session, the
#: user, the roles, the plan and then a fixed number of tables)
BOUND = 20


def _plan_pages(plan: Plan) -> dict[str, str]:
    from waypoint.indicators.models import Indicator
    from waypoint.roadmap import services as roadmap_services

    scenario = roadmap_services.scenario_create(actor=None, plan=plan, name="Size", time_limit_s=1, run_now=True)
    # an initiative's: the page shows the element's ancestors, as deep in either plan
    indicator = (
        Indicator.objects.filter(plan=plan, element__kind="initiative")
        .annotate(n=Count("actuals"))
        .order_by("-n", "pk")
        .first()
    )
    assert indicator is not None
    return {
        "overview": reverse("plan-overview", args=[plan.pk]),
        "tree": reverse("plan-tree", args=[plan.pk]),
        "logframe": reverse("logframe", args=[plan.pk]),
        "indicators": reverse("indicator-list", args=[plan.pk]),
        "indicator": reverse("indicator-detail", args=[indicator.pk]),
        "health": reverse("plan-health", args=[plan.pk]),
        "roadmap": reverse("roadmap", args=[plan.pk]),
        "scenario": reverse("scenario-detail", args=[scenario.pk]),
        "coverage": reverse("plan-coverage", args=[plan.pk]),
    }


def _dataset(world: World, declarations: int, name: str) -> str:
    from django.conf import settings

    from waypoint.engine.trs import generator
    from waypoint.trs import services as trs_services

    folder = settings.WAYPOINT_TRS_DATA / name
    generator.write(declarations, folder, seed=3, scenario=generator.Scenario(start=dt.date(2013, 1, 1)))
    dataset = trs_services.dataset_register(
        actor=None, administration=world.unit("ADM"), name=name, server_path=name, run_now=True
    )
    return reverse("trs-dataset", args=[dataset.pk])


def _queries(client: Client, url: str) -> int:
    assert client.get(url).status_code == 200  # first: what is kept per change is worked out
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_main_pages_make_as_many_queries_on_a_plan_three_times_the_size(world: World, client: Client) -> None:
    from tests.diagnostics.conftest import make_assessment
    from waypoint.diagnostics import services as diagnostics_services

    assessment = make_assessment(world)
    recommendation = diagnostics_services.recommendation_save(
        actor=None, assessment=assessment, area="SP", text="Automate selectivity"
    )
    carried = [
        {
            "assessment": assessment.reference,
            "code": recommendation.code,
            "area": "SP",
            "priority": "high",
            "finding": "",
            "text": recommendation.text,
            "addressed_by": [],
        }
    ]
    administration = world.unit("ADM")
    small = build_plan(administration=administration, scale=1, seed=5, years=3, recommendations=carried)
    large = build_plan(administration=administration, scale=3, seed=5, years=3, recommendations=carried)
    assert large.elements.count() > 2.5 * small.elements.count()
    pages = {"small": _plan_pages(small), "large": _plan_pages(large)}
    pages["small"]["clearance times"] = _dataset(world, 300, "small")
    pages["large"]["clearance times"] = _dataset(world, 3_000, "large")
    assessment_url = reverse("diagnostics-assessment", args=[assessment.pk])
    pages["small"]["assessment"] = pages["large"]["assessment"] = assessment_url
    client.force_login(world.users["planner"])
    counts: dict[str, dict[str, int]] = {size: {} for size in pages}
    for size, urls in pages.items():
        for name, url in urls.items():
            counts[size][name] = _queries(client, url)
    for name, small_count in counts["small"].items():
        assert small_count <= BOUND, (name, counts)
        assert counts["large"][name] == small_count, (name, counts)


def test_a_change_is_worked_out_once_in_as_many_queries_at_both_sizes(world: World, client: Client) -> None:
    """The first view after a change reads the whole plan once (the quality findings, the
    indicators' verdicts): a fixed number of queries too, at both sizes."""
    from waypoint.plans import services

    administration = world.unit("ADM")
    counts: list[dict[str, int]] = []
    client.force_login(world.users["planner"])
    for scale in (1, 3):
        plan = build_plan(administration=administration, scale=scale, seed=9, years=3)
        measured: dict[str, int] = {}
        for name in ("plan-tree", "plan-health", "plan-overview", "indicator-list", "logframe"):
            goal = plan.elements.get(code="G1")
            services.element_update(
                actor=None, element=goal, expected_version=None, changes={"title": f"Goal one for {name}"}
            )
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse(name, args=[plan.pk])).status_code == 200
            measured[name] = len(captured.captured_queries)
        counts.append(measured)
    assert counts[0] == counts[1]
    assert max(counts[0].values()) <= 50
