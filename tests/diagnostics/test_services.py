"""Writing diagnostics: frameworks refused whole, ratings guarded, recommendations linked."""

from __future__ import annotations

import pytest

from tests.diagnostics.conftest import SMALL_FRAMEWORK, make_assessment, make_framework
from tests.world import World
from waypoint.core.errors import EditConflict, InvalidInput, NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.diagnostics import selectors, services
from waypoint.diagnostics.errors import FrameworkFileInvalid
from waypoint.diagnostics.models import Assessment, Framework, Rating, Recommendation


def test_a_framework_is_imported_with_its_audit_record(world: World) -> None:
    framework = services.framework_import(actor=world.users["planner"], content=SMALL_FRAMEWORK, filename="f.yaml")
    assert (framework.code, framework.version, framework.name) == ("small", "1", "Small framework")
    assert len(selectors.framework_model(framework).criteria) == 3
    event = AuditEvent.objects.get(entity="diagnostics.Framework")
    assert event.changes == {"areas": 2, "criteria": 3}
    assert event.actor_name == "planner"


def test_a_malformed_framework_changes_nothing_and_lists_every_problem(world: World) -> None:
    bad = SMALL_FRAMEWORK.replace('"4": all}\n- code: IN', '"4": all}\n- code: SP').replace(
        "scale: maturity-0-4", "scale: 1-10"
    )
    with pytest.raises(FrameworkFileInvalid) as refused:
        services.framework_import(actor=None, content=bad, filename="f.yaml")
    locations = [p.location for p in refused.value.problems]
    assert "$.scale" in locations
    assert "$.areas[1].code" in locations
    assert Framework.objects.count() == 0
    assert not AuditEvent.objects.filter(entity="diagnostics.Framework").exists()


def test_the_same_framework_version_twice_is_refused(world: World) -> None:
    make_framework()
    with pytest.raises(FrameworkFileInvalid) as refused:
        make_framework()
    assert refused.value.problems[0].location == "$.version"


def test_only_planners_import_frameworks(world: World) -> None:
    with pytest.raises(NotAllowed):
        services.framework_import(actor=world.users["viewer"], content=SMALL_FRAMEWORK)


def test_assessment_references_are_unique_per_administration(world: World) -> None:
    make_assessment(world)
    with pytest.raises(InvalidInput) as refused:
        make_assessment(world)
    assert refused.value.problems[0].location == "reference"


def test_ratings_reject_unknown_levels_and_criteria_and_change_nothing(assessment: Assessment) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.ratings_save(
            actor=None,
            assessment=assessment,
            rows={"SP.1.1": {"current": "5"}, "XX.9": {"current": "1"}, "SP.1.2": {"target": "4"}},
            expected_version=assessment.version,
        )
    assert [p.location for p in refused.value.problems] == ["SP.1.1-current", "XX.9"]
    assert not Rating.objects.filter(criterion="SP.1.2").exists()
    assert Rating.objects.get(assessment=assessment, criterion="SP.1.1").current == "1"


def test_ratings_saved_from_a_stale_page_are_refused(world: World, assessment: Assessment) -> None:
    stale = assessment.version
    services.ratings_save(actor=None, assessment=assessment, rows={"SP.1.2": {"current": "2"}}, expected_version=stale)
    with pytest.raises(EditConflict):
        services.ratings_save(
            actor=world.users["planner"],
            assessment=assessment,
            rows={"SP.1.2": {"current": "0"}},
            expected_version=stale,
        )
    assert Rating.objects.get(assessment=assessment, criterion="SP.1.2").current == "2"


def test_ratings_record_what_changed(world: World, assessment: Assessment) -> None:
    services.ratings_save(
        actor=world.users["planner"],
        assessment=assessment,
        rows={"SP.1.1": {"current": "2", "target": "3"}},
        expected_version=assessment.version,
    )
    event = AuditEvent.objects.filter(entity="diagnostics.Assessment", action="update").latest("id")
    assert event.changes == {"ratings": {"SP.1.1": {"current": ["1", "2"]}}}


def test_area_means_come_from_the_ratings(assessment: Assessment) -> None:
    view = selectors.assessment_view(assessment)
    sp, integrity = view.areas
    assert (sp.summary.rated, sp.summary.current, sp.summary.target) == (1, 1.0, 3.0)
    assert integrity.rows[0].gap == 2
    assert view.rated == 2


def test_recommendations_are_numbered_and_linked_to_the_plan(world: World, assessment: Assessment) -> None:
    second = services.recommendation_save(
        actor=world.users["planner"],
        assessment=assessment,
        area="IN",
        text="Enforce the code",
        elements=[world.elements["O1.1"]],
    )
    assert second.reference == "DIAG-2011/R2"
    coverage = selectors.coverage(world.plan)
    assert [row.recommendation.code for row in coverage.rows] == ["R1", "R2"]
    assert coverage.unaddressed == 1
    assert coverage.rows[1].columns[coverage.objectives.index(world.elements["O1.1"])] is True


def test_an_initiative_addresses_through_its_objective(world: World, assessment: Assessment) -> None:
    recommendation = Recommendation.objects.get(assessment=assessment)
    services.recommendation_save(
        actor=None,
        assessment=assessment,
        area="SP",
        text=recommendation.text,
        elements=[world.elements["I1.1.1"]],
        recommendation=recommendation,
        expected_version=recommendation.version,
    )
    row = selectors.coverage(world.plan).rows[0]
    parent = world.elements["I1.1.1"].parent
    assert parent is not None
    assert row.columns[selectors.coverage(world.plan).objectives.index(parent)] is True


def test_only_elements_of_linked_plans_can_address(world: World, assessment: Assessment) -> None:
    assessment.plans.clear()
    with pytest.raises(InvalidInput) as refused:
        services.recommendation_save(
            actor=None, assessment=assessment, area="SP", text="x", elements=[world.elements["O1.1"]]
        )
    assert refused.value.problems[0].location == "elements"
    with pytest.raises(InvalidInput):
        services.recommendation_save(actor=None, assessment=assessment, area="ZZ", text="x")


def test_deleting_an_assessment_takes_its_recommendations(world: World, assessment: Assessment) -> None:
    services.assessment_delete(actor=world.users["planner"], assessment=assessment)
    assert not Recommendation.objects.exists()
    assert AuditEvent.objects.filter(entity="diagnostics.Assessment", action="delete").exists()
    with pytest.raises(NotAllowed):
        services.assessment_delete(actor=world.users["contributor"], assessment=make_assessment(world, reference="B"))


def test_comparison_counts_what_improved(world: World, assessment: Assessment) -> None:
    later = make_assessment(world, assessment.framework, reference="SA-2014")
    services.ratings_save(
        actor=None,
        assessment=later,
        rows={"SP.1.1": {"current": "3"}, "IN.1.1": {"current": "2"}},
        expected_version=None,
    )
    result = selectors.comparison(assessment, later)
    assert [(c.code, c.change.value) for c in result.changes] == [
        ("SP.1.1", "improved"),
        ("SP.1.2", "not_comparable"),
        ("IN.1.1", "same"),
    ]
