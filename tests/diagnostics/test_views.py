"""Diagnostics pages: import with located errors, rating an area, recommendations, compare."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.diagnostics.conftest import SMALL_FRAMEWORK, make_assessment
from tests.world import World
from waypoint.diagnostics import selectors
from waypoint.diagnostics.models import Assessment, Framework, Rating, Recommendation


def test_the_import_page_lists_every_problem_and_imports_nothing(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    bad = SMALL_FRAMEWORK.replace('{"0": none, "1": some, "2": half, "3": most, "4": all}', '{"0": none}', 1)
    response = client.post(
        reverse("diagnostics-framework-import"), {"file": SimpleUploadedFile("f.yaml", bad.encode())}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "$.areas[0].topics[0].criteria[0].descriptors.1" in text
    assert "nothing was imported" in text
    assert Framework.objects.count() == 0
    response = client.post(
        reverse("diagnostics-framework-import"), {"file": SimpleUploadedFile("f.yaml", SMALL_FRAMEWORK.encode())}
    )
    framework = Framework.objects.get()
    assert response["Location"] == reverse("diagnostics-framework", args=[framework.pk])


def test_a_framework_exports_as_yaml_and_json_that_import_again(
    world: World, client: Client, assessment: Assessment
) -> None:
    client.force_login(world.users["viewer"])
    framework = assessment.framework
    page = client.get(reverse("diagnostics-framework", args=[framework.pk]))
    assert "Controls are selected by risk." in page.content.decode()
    as_json = client.get(reverse("diagnostics-framework-export", args=[framework.pk, "json"]))
    document = json.loads(as_json.content)
    assert document["scale"] == "maturity-0-4"
    as_yaml = client.get(reverse("diagnostics-framework-export", args=[framework.pk, "yaml"]))
    assert as_yaml["Content-Disposition"] == 'attachment; filename="small-1.yaml"'
    assert b"code: SP.1.1" in as_yaml.content
    assert client.get(reverse("diagnostics-framework-export", args=[framework.pk, "xml"])).status_code == 404


def test_the_assessment_page_shows_radar_heatmap_gaps_and_recommendations(
    world: World, client: Client, assessment: Assessment
) -> None:
    client.force_login(world.users["viewer"])
    text = client.get(reverse("diagnostics-assessment", args=[assessment.pk])).content.decode()
    assert 'data-testid="radar"' in text
    assert "lvl-1" in text  # SP.1.1 at level 1 of 0–4
    assert "not addressed" in text
    assert "Rate this area" not in text  # viewers read only


def test_rating_an_area_saves_every_criterion_at_once(world: World, client: Client, assessment: Assessment) -> None:
    client.force_login(world.users["planner"])
    url = reverse("diagnostics-ratings", args=[assessment.pk, "SP"])
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(
        url,
        {
            "version": assessment.version,
            "SP.1.1-current": "2",
            "SP.1.1-target": "4",
            "SP.1.1-evidence": "Risk engine live at 3 posts",
            "SP.1.2-current": "1",
        },
    )
    assert response.status_code == 302
    assert Rating.objects.get(assessment=assessment, criterion="SP.1.1").evidence == "Risk engine live at 3 posts"
    assert Rating.objects.get(assessment=assessment, criterion="SP.1.2").current == "1"
    stale = client.post(url, {"version": assessment.version, "SP.1.1-current": "0"})
    assert stale.status_code == 200
    assert "Someone else saved" in stale.content.decode()
    assert Rating.objects.get(assessment=assessment, criterion="SP.1.1").current == "2"
    assert client.get(reverse("diagnostics-ratings", args=[assessment.pk, "ZZ"])).status_code == 404


def test_a_recommendation_is_linked_from_the_coverage_page(
    world: World, client: Client, assessment: Assessment
) -> None:
    client.force_login(world.users["planner"])
    recommendation = Recommendation.objects.get()
    coverage_url = reverse("plan-coverage", args=[world.plan.pk])
    assert "1 not addressed" in client.get(coverage_url).content.decode()
    response = client.post(
        reverse("diagnostics-recommendation-edit", args=[assessment.pk, recommendation.pk]) + f"?next={coverage_url}",
        {
            "version": recommendation.version,
            "area": "SP",
            "priority": "high",
            "text": "Automate selectivity",
            "elements": [world.elements["I1.1.1"].pk],
        },
    )
    assert response["Location"] == coverage_url
    assert "0 not addressed" in client.get(coverage_url).content.decode()


def test_a_next_link_to_another_site_is_not_followed(world: World, client: Client, assessment: Assessment) -> None:
    client.force_login(world.users["planner"])
    recommendation = Recommendation.objects.get()
    response = client.post(
        reverse("diagnostics-recommendation-edit", args=[assessment.pk, recommendation.pk])
        + "?next=https://evil.example/phish",
        {"version": recommendation.version, "area": "SP", "priority": "high", "text": "Automate selectivity"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("diagnostics-assessment", args=[assessment.pk]) + "#recommendations"


def test_creating_an_assessment_from_the_form(world: World, client: Client, assessment: Assessment) -> None:
    client.force_login(world.users["planner"])
    response = client.post(
        reverse("diagnostics-assessment-create"),
        {
            "framework": assessment.framework.pk,
            "reference": "SA-2014",
            "title": "Mid-term self-assessment",
            "assessed_on": "2014-06-30",
            "kind": "self",
            "plans": [world.plan.pk],
        },
    )
    created = Assessment.objects.get(reference="SA-2014")
    assert response["Location"] == reverse("diagnostics-assessment", args=[created.pk])
    duplicate = client.post(
        reverse("diagnostics-assessment-create"),
        {
            "framework": assessment.framework.pk,
            "reference": "SA-2014",
            "title": "x",
            "assessed_on": "2014-06-30",
            "kind": "self",
        },
    )
    assert "already uses the reference" in duplicate.content.decode()


def test_compare_shows_changes_and_refuses_different_frameworks(
    world: World, client: Client, assessment: Assessment
) -> None:
    client.force_login(world.users["viewer"])
    later = make_assessment(world, assessment.framework, reference="SA-2014")
    url = reverse("diagnostics-compare")
    text = client.get(url, {"before": assessment.pk, "after": later.pk}).content.decode()
    assert "3</strong> criteria" in text
    result = selectors.comparison(assessment, later)
    assert sum(result.counts.values()) == len(result.changes) == 3
    summary = text.split('data-testid="compare-summary"')[1].split("</p>")[0]
    for count in (result.counts["improved"], result.counts["same"], result.counts["worse"]):
        assert f'fw-semibold">{count}</span>' in summary
    assert len(result.areas) == len(result.framework.areas)
    other = Framework.objects.create(code="x", version="1", name="X", document=assessment.framework.document)
    alien = make_assessment(world, other, reference="ALIEN")
    text = client.get(url, {"before": assessment.pk, "after": alien.pk}).content.decode()
    assert "different frameworks" in text
    assert client.get(url, {"before": "x"}).status_code == 404


def test_the_list_pages_answer_in_a_bounded_number_of_queries(
    world: World, client: Client, assessment: Assessment, django_assert_max_num_queries: object
) -> None:
    client.force_login(world.users["planner"])
    for index in range(5):
        make_assessment(world, assessment.framework, reference=f"X-{index}")
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(reverse("diagnostics")).status_code == 200
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        assert client.get(reverse("diagnostics-assessment", args=[assessment.pk])).status_code == 200


def test_the_api_reads_assessments_and_writes_ratings(world: World, client: Client, assessment: Assessment) -> None:
    client.force_login(world.users["planner"])
    detail = client.get(f"/api/diagnostics/assessments/{assessment.pk}").json()
    assert detail["areas"][0]["current"] == 1.0
    assert detail["recommendations"][0]["reference"] == "DIAG-2011/R1"
    response = client.put(
        f"/api/diagnostics/assessments/{assessment.pk}/ratings",
        {"version": detail["version"], "ratings": {"SP.1.2": {"current": "4"}}},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["areas"][0]["current"] == 2.5
    stale = client.put(
        f"/api/diagnostics/assessments/{assessment.pk}/ratings",
        {"version": detail["version"], "ratings": {"SP.1.2": {"current": "0"}}},
        content_type="application/json",
    )
    assert stale.status_code == 409
    bad = client.post(
        "/api/diagnostics/frameworks",
        {"content": "format: other\n", "filename": "x.yaml"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "framework_invalid"
    assert {"location": "$.format", "message": "must be 'waypoint-framework'"} in bad.json()["problems"]
    coverage = client.get(f"/api/plans/{world.plan.pk}/coverage").json()
    assert coverage == [
        {"reference": "DIAG-2011/R1", "priority": "high", "text": "Automate selectivity", "addressed_by": []}
    ]
    client.force_login(world.users["viewer"])
    refused = client.put(
        f"/api/diagnostics/assessments/{assessment.pk}/ratings",
        {"version": 99, "ratings": {}},
        content_type="application/json",
    )
    assert refused.status_code == 403
    client.force_login(world.users["outsider"])
    # another administration's assessment is "not found" (issue 12: it was 403, which told it exists)
    assert client.get(f"/api/diagnostics/assessments/{assessment.pk}").status_code == 404
    assert client.get("/api/diagnostics/assessments").json() == []


def test_an_alias_bomb_is_refused_by_the_page_and_the_api_with_nothing_stored(world: World, client: Client) -> None:
    from tests.engine.diagnostics.test_framework import ALIAS_BOMB

    client.force_login(world.users["planner"])
    page = client.post(
        reverse("diagnostics-framework-import"), {"file": SimpleUploadedFile("bomb.yaml", ALIAS_BOMB.encode())}
    )
    assert page.status_code == 200
    assert "anchors and aliases" in page.content.decode()
    api = client.post(
        "/api/diagnostics/frameworks", {"content": ALIAS_BOMB, "filename": "bomb.yaml"}, content_type="application/json"
    )
    assert api.status_code == 400
    body = api.json()
    assert body["code"] == "framework_invalid"
    [problem] = body["problems"]
    assert problem["location"] == "$" and "line 1, column 4" in problem["message"]
    assert len(api.content) < 1000  # the answer is a sentence, not the expanded document
    deep = client.post(
        "/api/diagnostics/frameworks",
        {"content": "[" * 5000 + "]" * 5000, "filename": "deep.yaml"},
        content_type="application/json",
    )
    assert deep.status_code == 400
    assert "nested deeper than" in deep.json()["problems"][0]["message"]
    assert Framework.objects.count() == 0
