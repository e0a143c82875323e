"""Every page and action against every persona: allowed ones answer, the others get 403.

This is a matrix, not spot checks: adding a page without adding it here makes
``test_every_url_is_in_the_matrix`` fail.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from tests.rounds import helpers as round_helpers
from tests.world import PERSONAS, World

ALL_ROLES = {"planner", "contributor", "contributor_west", "approver", "viewer", "administrator", "hr", "head"}
PLANNERS = {"planner", "administrator"}


@dataclass(frozen=True)
class Case:
    name: str
    url: Callable[[World], str]
    allowed: set[str]
    method: str = "get"
    data: Callable[[World], dict[str, Any]] = field(default=lambda w: {})


def e(code: str) -> Callable[[World], int]:
    return lambda w: w.elements[code].pk


def scenario(w: World) -> int:
    """A solved scenario of the world's plan (made on first use)."""
    from waypoint.roadmap import services as roadmap_services
    from waypoint.roadmap.models import Scenario

    found = Scenario.objects.filter(plan=w.plan).first()
    if found is None:
        found = roadmap_services.scenario_create(actor=None, plan=w.plan, name="Matrix", time_limit_s=2, run_now=True)
    return found.pk


def team(w: World) -> int:
    from waypoint.roadmap import services as roadmap_services
    from waypoint.roadmap.models import Team

    found = Team.objects.filter(plan=w.plan).first()
    if found is None:
        found = roadmap_services.team_save(actor=None, plan=w.plan, code="T", name="Team", capacity=2)
    return found.pk


def assessment(w: World) -> Any:
    """An assessment of the world's administration with one recommendation (made on first use)."""
    from tests.diagnostics.conftest import make_assessment
    from waypoint.diagnostics import services as diagnostics_services
    from waypoint.diagnostics.models import Assessment

    found = Assessment.objects.first()
    if found is None:
        found = make_assessment(w)
        diagnostics_services.recommendation_save(actor=None, assessment=found, area="SP", text="Automate selectivity")
    return found


def recommendation(w: World) -> int:
    return int(assessment(w).recommendations.get().pk)


def dataset(w: World) -> int:
    """A small Time Release Study dataset (made on first use)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from waypoint.trs import services as trs_services
    from waypoint.trs.models import Dataset

    found = Dataset.objects.first()
    if found is None:
        csv = b"declaration_id,milestone,timestamp\nD1,arrival,2012-01-01T08:00:00Z\nD1,lodgement,2012-01-01T09:00:00Z\nD1,registration,2012-01-01T09:10:00Z\nD1,release,2012-01-01T10:00:00Z\n"
        found = trs_services.dataset_upload(
            actor=None, administration=w.unit("ADM"), name="Matrix", upload=SimpleUploadedFile("m.csv", csv)
        )
    return found.pk


def monitoring_report(w: World, unit: str = "BP-S1", period: str = "2013") -> int:
    """A report of the world's reporting calendar (made on first use)."""
    from waypoint.monitoring import services as monitoring_services
    from waypoint.monitoring.models import ReportingCalendar, Submission

    if not ReportingCalendar.objects.filter(plan=w.plan).exists():
        monitoring_services.calendar_save(actor=None, plan=w.plan, first_year=2012, last_year=2013)
    return int(Submission.objects.get(period__calendar__plan=w.plan, unit__code=unit, period__code=period).pk)


def logframe_mapping(w: World) -> int:
    """The administration's saved mapping of a logframe of its own layout (made on first use)."""
    from tests.documents.test_logframe_mapping import own_spec
    from waypoint.documents import services as documents
    from waypoint.documents.models import LogframeMapping

    found = LogframeMapping.objects.filter(name="Own layout").first()
    if found is None:
        found = documents.mapping_save(actor=None, administration=w.unit("ADM"), name="Own layout", spec=own_spec())
    return found.pk


def follow_up_action(w: World) -> int:
    """An action owned by the southern directorate (made on first use)."""
    import datetime as dt

    from waypoint.monitoring import services as monitoring_services
    from waypoint.monitoring.models import FollowUpAction

    found = FollowUpAction.objects.filter(plan=w.plan).first()
    if found is None:
        found = monitoring_services.action_create(
            actor=None,
            plan=w.plan,
            title="Publish release times",
            owner_unit=w.unit("RD-S"),
            due_on=dt.date(2013, 6, 30),
        )
    return found.pk


def meeting(w: World) -> int:
    import datetime as dt

    from waypoint.monitoring import services as monitoring_services
    from waypoint.monitoring.models import ReviewMeeting

    found = ReviewMeeting.objects.filter(plan=w.plan).first()
    if found is None:
        found = monitoring_services.meeting_save(
            actor=None, plan=w.plan, title="Quarterly review", held_on=dt.date(2013, 4, 20)
        )
    return found.pk


def room(w: World) -> Any:
    """An open workshop of the world's plan with an exercise of each kind, a guest and one of
    the guest's notes (made on first use)."""
    from tests.workshops.conftest import Room, make_room
    from waypoint.workshops import services as workshop_services
    from waypoint.workshops.models import Exercise, Participant, Workshop

    # found by how its texts begin: the script test plants payloads after them
    found = Workshop.objects.filter(title__startswith="Strategic planning workshop").order_by("pk").first()
    if found is None:
        made = make_room(w)
        workshop_services.note_add(participant=made.guest, exercise=made.board, column="strength", text="Skilled staff")
        return made
    exercises: dict[str, Exercise] = {}
    for exercise in Exercise.objects.filter(workshop=found).order_by("pk"):
        exercises.setdefault(exercise.kind, exercise)
    return Room(
        found,
        exercises["board"],
        exercises["dot_vote"],
        exercises["scoring"],
        exercises["pairwise"],
        Participant.objects.filter(workshop=found, name__startswith="Guest Officer").earliest("pk"),
    )


def ws(w: World) -> int:
    return int(room(w).workshop.pk)


def ex(kind: str) -> Callable[[World], tuple[int, int]]:
    def ids(w: World) -> tuple[int, int]:
        made = room(w)
        return made.workshop.pk, getattr(made, kind).pk

    return ids


def first_option(kind: str) -> Callable[[World], int]:
    return lambda w: int(getattr(room(w), kind).options.order_by("pk").first().pk)


def note(w: World) -> int:
    return int(room(w).board.notes.first().pk)


APPROVERS = {"approver", "administrator"}
HR = {"hr"}
HEAD = {"head"}


def workforce(w: World) -> Any:
    """The test administration's workforce (made on first use; tests/people/conftest.py)."""
    from tests.people.conftest import make_workforce

    return make_workforce(w)


def officer(w: World, number: str = "T0001") -> int:
    """An officer of South Post One (T0001; the head persona heads the southern directorate),
    or of West Post One (T0013)."""
    return int(workforce(w).officers[number].pk)


def run(w: World) -> int:
    """A solved allocation run of the world's plan for 2015 (made on first use)."""
    from decimal import Decimal

    from waypoint.people import services as people_services
    from waypoint.people import worker
    from waypoint.people.models import AllocationRun

    workforce(w)
    found = AllocationRun.objects.filter(plan=w.plan).first()
    if found is None:
        found = people_services._run_insert(
            actor=None, plan=w.plan, name="Matrix", year=2015, budget=Decimal(5000), max_away_percent=30, time_limit_s=5
        )
        found = worker.run_allocation(found.pk, work_limit=0.1, poll_s=0.05)
    return found.pk


SOUTH_READERS = ALL_ROLES - {"contributor_west"}
planning_round = round_helpers.world_round


def round_id(w: World) -> int:
    return int(planning_round(w).pk)


def submission_id(code: str) -> Callable[[World], int]:
    return lambda w: int(planning_round(w).submissions.get(unit__code=code).pk)


def root_submission(w: World) -> int:
    return int(planning_round(w).submissions.get(parent__isnull=True).pk)


def proposal_of(code: str) -> Callable[[World], int]:
    return lambda w: int(planning_round(w).proposals.get(origin__unit__code=code).pk)


def need_id(w: World) -> int:
    return int(planning_round(w).submissions.get(unit__code="RD-S").needs.get().pk)


def plan_version(w: World) -> int:
    """A stored version of the world's plan, which is a draft again (submitted, then withdrawn)."""
    from waypoint.plans import services as plan_services

    if not w.plan.versions.exists():
        plan_services.plan_set_status(actor=w.users["planner"], plan=w.plan, status="under_review")
        plan_services.plan_set_status(actor=w.users["planner"], plan=w.plan, status="draft")
    return int(w.plan.versions.order_by("number").first().number)  # type: ignore[union-attr]


def rendered(w: World) -> int:
    """A rendered document of the world's plan, asked for by the system (made on first use)."""
    from waypoint.documents import services as document_services
    from waypoint.documents.models import Render

    found = Render.objects.filter(plan=w.plan).first()
    if found is None:
        found = document_services.render_request(
            actor=None, plan=w.plan, kind="plan", format="docx", sections=["results"], run_now=True
        )
    return found.pk


CASES = [
    # reading
    Case("plan-list", lambda w: reverse("plan-list"), ALL_ROLES),
    Case("plan-overview", lambda w: reverse("plan-overview", args=[w.plan.pk]), ALL_ROLES),
    Case("plan-tree", lambda w: reverse("plan-tree", args=[w.plan.pk]), ALL_ROLES),
    Case("logframe", lambda w: reverse("logframe", args=[w.plan.pk]), ALL_ROLES),
    Case("analysis-board", lambda w: reverse("analysis-board", args=[w.plan.pk]), ALL_ROLES),
    Case("functions-matrix", lambda w: reverse("functions-matrix", args=[w.plan.pk]), ALL_ROLES),
    Case("budget-summary", lambda w: reverse("budget-summary", args=[w.plan.pk]), ALL_ROLES),
    Case("indicator-list", lambda w: reverse("indicator-list", args=[w.plan.pk]), ALL_ROLES),
    Case("element-detail", lambda w: reverse("element-detail", args=[e("O1.2")(w)]), ALL_ROLES),
    Case("indicator-detail", lambda w: reverse("indicator-detail", args=[w.indicators["west"].pk]), ALL_ROLES),
    Case("unit-tree", lambda w: reverse("unit-tree"), ALL_ROLES),
    Case("unit-detail", lambda w: reverse("unit-detail", args=["RD-W"]), ALL_ROLES),
    Case(
        "administration-settings",
        lambda w: reverse("administration-settings", args=[w.unit("ADM").pk]),
        {"administrator"},
    ),
    Case(
        "administration-settings save",
        lambda w: reverse("administration-settings", args=[w.unit("ADM").pk]),
        {"administrator"},
        "post",
        lambda w: {"time_zone": "Asia/Baku"},
    ),
    # documents and spreadsheets
    Case("documents", lambda w: reverse("documents", args=[w.plan.pk]), ALL_ROLES),
    Case("document-list", lambda w: reverse("document-list", args=[w.plan.pk]), ALL_ROLES),
    Case(
        "document-create",
        lambda w: reverse("document-create", args=[w.plan.pk]),
        ALL_ROLES,
        "post",
        lambda w: {"kind": "plan", "format": "docx", "sections": ["statements"]},
    ),
    Case("document-download", lambda w: reverse("document-download", args=[rendered(w)]), ALL_ROLES),
    Case("document-delete", lambda w: reverse("document-delete", args=[rendered(w)]), PLANNERS, "post"),
    Case("document-template", lambda w: reverse("document-template", args=[w.plan.pk]), PLANNERS),
    Case("document-template-default", lambda w: reverse("document-template-default", args=[w.plan.pk]), ALL_ROLES),
    Case("plan-workbook", lambda w: reverse("plan-workbook", args=[w.plan.pk]), ALL_ROLES),
    Case("logframe-workbook", lambda w: reverse("logframe-workbook", args=[w.plan.pk]), ALL_ROLES),
    Case("workbook-import", lambda w: reverse("workbook-import"), PLANNERS),
    Case("plan-workbook-import", lambda w: reverse("plan-workbook-import", args=[w.plan.pk]), PLANNERS),
    Case("logframe-import", lambda w: reverse("logframe-import"), PLANNERS),
    Case(
        "logframe-mapping-delete",
        lambda w: reverse("logframe-mapping-delete", args=[logframe_mapping(w)]),
        PLANNERS,
        "post",
    ),
    Case("actuals-entry", lambda w: reverse("actuals-entry", args=[w.plan.pk]), ALL_ROLES),
    # plan-wide writing
    Case("plan-create", lambda w: reverse("plan-create"), PLANNERS),
    Case("plan-import", lambda w: reverse("plan-import"), PLANNERS),
    Case("plan-edit", lambda w: reverse("plan-edit", args=[w.plan.pk]), PLANNERS),
    Case("element-create goal", lambda w: reverse("element-create", args=[w.plan.pk]), PLANNERS),
    Case("analysis-item-create", lambda w: reverse("analysis-item-create", args=[w.plan.pk]), PLANNERS),
    Case("function-create", lambda w: reverse("function-create", args=[w.plan.pk]), PLANNERS),
    Case(
        "plan-status submit",
        lambda w: reverse("plan-status", args=[w.plan.pk]),
        PLANNERS,
        "post",
        lambda w: {"status": "under_review"},
    ),
    # element writing: the southern contributor owns O1.1 and below
    Case(
        "element-create child",
        lambda w: reverse("element-create", args=[w.plan.pk]) + f"?parent={e('O1.1')(w)}",
        PLANNERS | {"contributor"},
    ),
    Case("element-edit south", lambda w: reverse("element-edit", args=[e("O1.1")(w)]), PLANNERS | {"contributor"}),
    Case("element-edit west", lambda w: reverse("element-edit", args=[e("O1.2")(w)]), PLANNERS | {"contributor_west"}),
    Case("element-delete", lambda w: reverse("element-delete", args=[e("I1.1.1")(w)]), PLANNERS | {"contributor"}),
    Case(
        "element-move",
        lambda w: reverse("element-move", args=[e("O1.1")(w)]),
        PLANNERS | {"contributor"},
        "post",
        lambda w: {"direction": "down"},
    ),
    Case("risk-create", lambda w: reverse("risk-create", args=[e("I1.1.1")(w)]), PLANNERS | {"contributor"}),
    Case(
        "budget-line-create",
        lambda w: reverse("budget-line-create", args=[e("A1.1.1.1")(w)]),
        PLANNERS | {"contributor"},
    ),
    # indicators
    Case(
        "indicator-create",
        lambda w: reverse("indicator-create", args=[w.plan.pk]),
        PLANNERS | {"contributor", "contributor_west"},
    ),
    Case(
        "indicator-edit",
        lambda w: reverse("indicator-edit", args=[w.indicators["south"].pk]),
        PLANNERS | {"contributor"},
    ),
    Case(
        "indicator-delete",
        lambda w: reverse("indicator-delete", args=[w.indicators["west"].pk]),
        PLANNERS | {"contributor_west"},
    ),
    Case(
        "target-edit",
        lambda w: reverse("target-edit", args=[w.indicators["south"].pk, "2013"]),
        PLANNERS | {"contributor"},
    ),
    Case("target-grid", lambda w: reverse("target-grid", args=[w.indicators["south"].pk]), PLANNERS | {"contributor"}),
    Case(
        "actual-create whole",
        lambda w: reverse("actual-create", args=[w.indicators["west"].pk]),
        PLANNERS | {"contributor_west"},
    ),
    # south is reported by unit, so each contributor may record for their own posts
    Case(
        "actual-create by unit",
        lambda w: reverse("actual-create", args=[w.indicators["south"].pk]),
        PLANNERS | {"contributor", "contributor_west"},
    ),
    Case(
        "actual-edit",
        lambda w: reverse("actual-edit", args=[w.indicators["west"].pk, w.indicators["west"].actuals.get().pk]),
        PLANNERS | {"contributor_west"},
    ),
    # roadmap: everyone reads; planners shape it; contributors keep their own units' schedule data
    Case("roadmap", lambda w: reverse("roadmap", args=[w.plan.pk]), ALL_ROLES),
    Case("scenario-compare", lambda w: reverse("scenario-compare", args=[w.plan.pk]), ALL_ROLES),
    Case("roadmap-work", lambda w: reverse("roadmap-work", args=[w.plan.pk]), ALL_ROLES),
    Case("roadmap-resources", lambda w: reverse("roadmap-resources", args=[w.plan.pk]), ALL_ROLES),
    Case("scenario-detail", lambda w: reverse("scenario-detail", args=[scenario(w)]), ALL_ROLES),
    Case("scenario-export", lambda w: reverse("scenario-export", args=[scenario(w)]), ALL_ROLES),
    Case("schedule-item-edit", lambda w: reverse("schedule-item-edit", args=[e("A1.1.1.1")(w)]), ALL_ROLES),
    Case(
        "schedule-item-edit post south",
        lambda w: reverse("schedule-item-edit", args=[e("A1.1.1.1")(w)]),
        PLANNERS | {"contributor"},
        "post",
        lambda w: {"duration_months": 5, "weight": 3},
    ),
    Case(
        "dependency-add south",
        lambda w: reverse("dependency-add", args=[e("A1.1.1.1")(w)]),
        PLANNERS | {"contributor"},
    ),
    Case("scenario-create", lambda w: reverse("scenario-create", args=[w.plan.pk]), PLANNERS),
    Case("roadmap-import", lambda w: reverse("roadmap-import", args=[w.plan.pk]), PLANNERS),
    Case("team-create", lambda w: reverse("team-create", args=[w.plan.pk]), PLANNERS),
    Case("team-edit", lambda w: reverse("team-edit", args=[w.plan.pk, team(w)]), PLANNERS),
    Case("team-delete", lambda w: reverse("team-delete", args=[w.plan.pk, team(w)]), PLANNERS),
    Case("scenario-delete", lambda w: reverse("scenario-delete", args=[scenario(w)]), PLANNERS),
    Case("scenario-cancel", lambda w: reverse("scenario-cancel", args=[scenario(w)]), PLANNERS, "post"),
    Case(
        "scenario-rename",
        lambda w: reverse("scenario-rename", args=[scenario(w)]),
        PLANNERS,
        "post",
        lambda w: {"name": "Renamed"},
    ),
    Case("scenario-approve", lambda w: reverse("scenario-approve", args=[scenario(w)]), APPROVERS, "post"),
    # clearance times (TRS): everyone reads; planners manage data; indicator owners bind
    Case("trs-datasets", lambda w: reverse("trs-datasets"), ALL_ROLES),
    Case("trs-dataset", lambda w: reverse("trs-dataset", args=[dataset(w)]), ALL_ROLES),
    Case("trs-dataset-create", lambda w: reverse("trs-dataset-create"), PLANNERS),
    Case("trs-dataset-delete", lambda w: reverse("trs-dataset-delete", args=[dataset(w)]), PLANNERS),
    Case(
        "indicator-trs-binding",
        lambda w: reverse("indicator-trs-binding", args=[w.indicators["west"].pk]),
        PLANNERS | {"contributor_west"},
    ),
    # diagnostics: everyone reads; planners import frameworks and record assessments
    Case("diagnostics", lambda w: reverse("diagnostics"), ALL_ROLES),
    Case("diagnostics-framework-import", lambda w: reverse("diagnostics-framework-import"), PLANNERS),
    Case(
        "diagnostics-framework",
        lambda w: reverse("diagnostics-framework", args=[assessment(w).framework_id]),
        ALL_ROLES,
    ),
    Case(
        "diagnostics-framework-export",
        lambda w: reverse("diagnostics-framework-export", args=[assessment(w).framework_id, "yaml"]),
        ALL_ROLES,
    ),
    Case("diagnostics-compare", lambda w: reverse("diagnostics-compare"), ALL_ROLES),
    Case("diagnostics-assessment-create", lambda w: reverse("diagnostics-assessment-create"), PLANNERS),
    Case("diagnostics-assessment", lambda w: reverse("diagnostics-assessment", args=[assessment(w).pk]), ALL_ROLES),
    Case(
        "diagnostics-assessment-edit",
        lambda w: reverse("diagnostics-assessment-edit", args=[assessment(w).pk]),
        PLANNERS,
    ),
    Case(
        "diagnostics-assessment-delete",
        lambda w: reverse("diagnostics-assessment-delete", args=[assessment(w).pk]),
        PLANNERS,
    ),
    Case("diagnostics-ratings", lambda w: reverse("diagnostics-ratings", args=[assessment(w).pk, "SP"]), PLANNERS),
    Case(
        "diagnostics-recommendation-create",
        lambda w: reverse("diagnostics-recommendation-create", args=[assessment(w).pk]),
        PLANNERS,
    ),
    Case(
        "diagnostics-recommendation-edit",
        lambda w: reverse("diagnostics-recommendation-edit", args=[assessment(w).pk, recommendation(w)]),
        PLANNERS,
    ),
    Case(
        "diagnostics-recommendation-delete",
        lambda w: reverse("diagnostics-recommendation-delete", args=[assessment(w).pk, recommendation(w)]),
        PLANNERS,
    ),
    Case("plan-coverage", lambda w: reverse("plan-coverage", args=[w.plan.pk]), ALL_ROLES),
    # plan quality: everyone reads the health page; planners switch rules off or re-grade them
    Case("plan-health", lambda w: reverse("plan-health", args=[w.plan.pk]), ALL_ROLES),
    Case("plan-health-summary", lambda w: reverse("plan-health-summary", args=[w.plan.pk]), ALL_ROLES),
    Case(
        "plan-health-rule",
        lambda w: reverse("plan-health-rule", args=[w.plan.pk, "Q602"]),
        PLANNERS,
        "post",
        lambda w: {"enabled": "", "reason": "Objectives run to the plan's last year"},
    ),
    # approval and versions: everyone reads; the moves are plan-status (planners submit, approvers decide)
    Case("plan-approval", lambda w: reverse("plan-approval", args=[w.plan.pk]), ALL_ROLES),
    Case(
        "plan-version-compare",
        lambda w: reverse("plan-version-compare", args=[w.plan.pk]) + f"?old={plan_version(w)}",
        ALL_ROLES,
    ),
    Case("plan-version-file", lambda w: reverse("plan-version-file", args=[w.plan.pk, plan_version(w)]), ALL_ROLES),
    # planning rounds: everyone reads the round; planners run it; a unit's contributors write its
    # submission; the level above (the southern directorate for its post) reviews it; a unit's
    # submission is not its siblings' to read
    Case("round-list", lambda w: reverse("round-list", args=[w.plan.pk]), ALL_ROLES),
    Case("round-detail", lambda w: reverse("round-detail", args=[round_id(w)]), ALL_ROLES),
    Case("round-report", lambda w: reverse("round-report", args=[round_id(w)]), ALL_ROLES),
    Case("round-create", lambda w: reverse("round-create", args=[w.plan.pk]), PLANNERS),
    Case("round-edit", lambda w: reverse("round-edit", args=[round_id(w)]), PLANNERS),
    Case("round-consolidate", lambda w: reverse("round-consolidate", args=[round_id(w)]), PLANNERS),
    Case(
        "round-status",
        lambda w: reverse("round-status", args=[round_id(w)]),
        PLANNERS,
        "post",
        lambda w: {"status": "closed"},
    ),
    # workshops: everyone with a role reads them and takes part while they are open (a guest:
    # test_a_guest_reaches_only_their_workshop); planners and the named facilitators run them
    Case("workshop-list", lambda w: reverse("workshop-list"), ALL_ROLES),
    Case("workshop-detail", lambda w: reverse("workshop-detail", args=[ws(w)]), ALL_ROLES),
    Case("workshop-report", lambda w: reverse("workshop-report", args=[ws(w)]), ALL_ROLES),
    Case("workshop-export", lambda w: reverse("workshop-export", args=[ws(w)]), ALL_ROLES),
    Case("workshop-record-docx", lambda w: reverse("workshop-record-docx", args=[ws(w)]), ALL_ROLES),
    Case("workshop-record-pdf", lambda w: reverse("workshop-record-pdf", args=[ws(w)]), ALL_ROLES),
    Case("exercise-screen", lambda w: reverse("exercise-screen", args=ex("dots")(w)), ALL_ROLES),
    Case("exercise-live", lambda w: reverse("exercise-live", args=ex("board")(w)), ALL_ROLES),
    Case("workshop-play", lambda w: reverse("workshop-play", args=[ws(w)]), ALL_ROLES),
    Case(
        "note-add",
        lambda w: reverse("note-add", args=ex("board")(w)),
        ALL_ROLES,
        "post",
        lambda w: {"column": "weakness", "text": "Paper forms"},
    ),
    Case(
        "dots-set",
        lambda w: reverse("dots-set", args=ex("dots")(w)),
        ALL_ROLES,
        "post",
        lambda w: {"option": first_option("dots")(w), "dots": 1},
    ),
    Case(
        "score-set",
        lambda w: reverse("score-set", args=ex("scoring")(w)),
        ALL_ROLES,
        "post",
        lambda w: {"option": first_option("scoring")(w)},
    ),
    Case(
        "comparison-set",
        lambda w: reverse("comparison-set", args=ex("pairwise")(w)),
        ALL_ROLES,
        "post",
        lambda w: {
            "a": first_option("pairwise")(w),
            "b": room(w).pairwise.options.order_by("pk")[1].pk,
            "choice": "a3",
        },
    ),
    Case("workshop-create", lambda w: reverse("workshop-create"), PLANNERS),
    Case("workshop-edit", lambda w: reverse("workshop-edit", args=[ws(w)]), PLANNERS),
    Case(
        "workshop-status",
        lambda w: reverse("workshop-status", args=[ws(w)]),
        PLANNERS,
        "post",
        lambda w: {"status": "closed"},
    ),
    Case(
        "submission-detail south post",
        lambda w: reverse("submission-detail", args=[submission_id("BP-S1")(w)]),
        SOUTH_READERS,
    ),
    Case(
        "submission-detail west",
        lambda w: reverse("submission-detail", args=[submission_id("RD-W")(w)]),
        ALL_ROLES - {"contributor"},
    ),
    Case("submission-detail root", lambda w: reverse("submission-detail", args=[root_submission(w)]), ALL_ROLES),
    Case(
        "proposal-create south", lambda w: reverse("proposal-create", args=[submission_id("RD-S")(w)]), {"contributor"}
    ),
    Case("proposal-create root", lambda w: reverse("proposal-create", args=[root_submission(w)]), PLANNERS),
    Case("need-create", lambda w: reverse("need-create", args=[submission_id("RD-S")(w)]), {"contributor"}),
    Case("need-delete", lambda w: reverse("need-delete", args=[need_id(w)]), {"contributor"}),
    Case("proposal-detail", lambda w: reverse("proposal-detail", args=[proposal_of("BP-S1")(w)]), SOUTH_READERS),
    Case("proposal-edit", lambda w: reverse("proposal-edit", args=[proposal_of("RD-S")(w)]), {"contributor"}),
    Case("proposal-delete", lambda w: reverse("proposal-delete", args=[proposal_of("RD-S")(w)]), {"contributor"}),
    Case("proposal-review", lambda w: reverse("proposal-review", args=[proposal_of("BP-S1")(w)]), {"contributor"}),
    Case(
        "proposal-comment",
        lambda w: reverse("proposal-comment", args=[proposal_of("BP-S1")(w)]),
        SOUTH_READERS,
        "post",
        lambda w: {"body": "Which lane?"},
    ),
    Case(
        "submission-submit",
        lambda w: reverse("submission-submit", args=[submission_id("RD-S")(w)]),
        {"contributor"},
        "post",
    ),
    Case(
        "submission-accept",
        lambda w: reverse("submission-accept", args=[submission_id("BP-S1")(w)]),
        {"contributor"},
        "post",
    ),
    Case(
        "submission-return", lambda w: reverse("submission-return", args=[submission_id("BP-S1")(w)]), {"contributor"}
    ),
    Case("submission-waive", lambda w: reverse("submission-waive", args=[submission_id("RD-W")(w)]), PLANNERS),
    Case("submission-merge", lambda w: reverse("submission-merge", args=[submission_id("RD-S")(w)]), {"contributor"}),
    Case(
        "submission-comment",
        lambda w: reverse("submission-comment", args=[submission_id("RD-S")(w)]),
        SOUTH_READERS,
        "post",
        lambda w: {"body": "@contributor see the guidance"},
    ),
    # monitoring: everyone reads; planners set the calendar; a unit's contributors (and planners)
    # report; the parent level (the directorate's contributor, approvers) decides
    Case("monitoring-dashboard", lambda w: reverse("monitoring-dashboard", args=[w.plan.pk]), ALL_ROLES),
    Case("monitoring-calendar", lambda w: reverse("monitoring-calendar", args=[w.plan.pk]), PLANNERS),
    Case(
        "monitoring-calendar post",
        lambda w: reverse("monitoring-calendar", args=[w.plan.pk]),
        PLANNERS,
        "post",
        lambda w: {
            "first_year": 2012,
            "last_year": 2013,
            "due_days": 15,
            "grace_days": 5,
            "opens_days_before_end": 0,
            "remind_days_before": 5,
            "escalate_days_after": 10,
        },
    ),
    Case("monitoring-my-reporting", lambda w: reverse("monitoring-my-reporting", args=[w.plan.pk]), ALL_ROLES),
    Case("monitoring-report", lambda w: reverse("monitoring-report", args=[monitoring_report(w)]), ALL_ROLES),
    Case(
        "monitoring-report save",
        lambda w: reverse("monitoring-report", args=[monitoring_report(w)]),
        PLANNERS | {"contributor"},
        "post",
        lambda w: {"action": "save"},
    ),
    Case(
        "monitoring-decide waive",
        lambda w: reverse("monitoring-decide", args=[monitoring_report(w)]),
        APPROVERS | {"contributor"},
        "post",
        lambda w: {"decision": "waive", "reason": "Post closed"},
    ),
    Case("action-list", lambda w: reverse("action-list", args=[w.plan.pk]), ALL_ROLES),
    Case(
        "action-create",
        lambda w: reverse("action-create", args=[w.plan.pk]),
        PLANNERS | {"contributor", "contributor_west"},
    ),
    Case("action-detail", lambda w: reverse("action-detail", args=[follow_up_action(w)]), ALL_ROLES),
    Case("action-edit", lambda w: reverse("action-edit", args=[follow_up_action(w)]), PLANNERS | {"contributor"}),
    Case(
        "action-status",
        lambda w: reverse("action-status", args=[follow_up_action(w)]),
        PLANNERS | {"contributor"},
        "post",
        lambda w: {"status": "in_progress"},
    ),
    Case(
        "action-comment",
        lambda w: reverse("action-comment", args=[follow_up_action(w)]),
        ALL_ROLES,
        "post",
        lambda w: {"text": "On track"},
    ),
    Case("meeting-list", lambda w: reverse("meeting-list", args=[w.plan.pk]), ALL_ROLES),
    Case("meeting-create", lambda w: reverse("meeting-create", args=[w.plan.pk]), PLANNERS),
    Case("meeting-detail", lambda w: reverse("meeting-detail", args=[meeting(w)]), ALL_ROLES),
    Case("meeting-edit", lambda w: reverse("meeting-edit", args=[meeting(w)]), PLANNERS),
    Case("my-work", lambda w: reverse("my-work"), ALL_ROLES | {"outsider"}),
    Case("exercise-create", lambda w: reverse("exercise-create", args=[ws(w)]), PLANNERS),
    Case("exercise-edit", lambda w: reverse("exercise-edit", args=ex("scoring")(w)), PLANNERS),
    Case(
        "exercise-status",
        lambda w: reverse("exercise-status", args=ex("dots")(w)),
        PLANNERS,
        "post",
        lambda w: {"reveal": "1"},
    ),
    Case(
        "exercise-options",
        lambda w: reverse("exercise-options", args=ex("dots")(w)),
        PLANNERS,
        "post",
        lambda w: {"from": room(w).board.pk},
    ),
    Case(
        "cluster-save",
        lambda w: reverse("cluster-save", args=ex("board")(w)),
        PLANNERS,
        "post",
        lambda w: {"name": "People", "column": "strength"},
    ),
    Case(
        "note-cluster",
        lambda w: reverse("note-cluster", args=[ws(w), note(w)]),
        PLANNERS,
        "post",
        lambda w: {"cluster": ""},
    ),
    Case("exercise-to-plan", lambda w: reverse("exercise-to-plan", args=ex("board")(w)), PLANNERS),
    Case(
        "exercise-priorities",
        lambda w: reverse("exercise-priorities", args=ex("pairwise")(w)),
        PLANNERS,
        "post",
    ),
    # writes into the round as the facilitator's own submission: the planners' is the
    # administration's level (a contributor who facilitates: tests/workshops/test_proposals.py)
    Case(
        "exercise-to-proposal",
        lambda w: reverse("exercise-to-proposal", args=ex("board")(w)),
        PLANNERS,
        "post",
        lambda w: {
            "source": f"note:{note(w)}",
            "round": round_id(w),
            "unit": w.unit("ADM").pk,
            "parent": f"element:{w.elements['G1'].pk}",
            "title": "From the room",
        },
    ),
    # administration
    Case("audit-log", lambda w: reverse("audit-log"), {"administrator"}),
    Case("people", lambda w: reverse("people"), {"administrator"}),
    Case("unit-add", lambda w: reverse("unit-add"), {"administrator"}),
    Case("unit-edit", lambda w: reverse("unit-edit", args=["RD-W"]), {"administrator"}),
    Case(
        "unit-edit post",
        lambda w: reverse("unit-edit", args=["BP-W1"]),
        {"administrator"},
        "post",
        lambda w: (
            {"code": "BP-W1", "name": "West Post", "kind": "road_border_post", "parent": w.unit("RD-W").pk}
            | {"position": 0, "is_active": "on"}
        ),
    ),
    Case(
        "person-add",
        lambda w: reverse("person-add"),
        {"administrator"},
        "post",
        lambda w: {
            "new-username": "newcomer",
            "new-password": "a-long-enough-password",
            "new-role": "viewer",
            "new-unit": w.unit("RD-S").pk,
        },
    ),
    Case(
        "person-role-grant",
        lambda w: reverse("person-role-grant", args=[w.users["viewer"].pk]),
        {"administrator"},
        "post",
        lambda w: {"role": "contributor", "unit": w.unit("RD-W").pk},
    ),
    Case(
        "person-role-revoke",
        lambda w: reverse("person-role-revoke", args=[w.users["viewer"].role_assignments.get().pk]),
        {"administrator"},
        "post",
    ),
    Case(
        "person-active",
        lambda w: reverse("person-active", args=[w.users["viewer"].pk]),
        {"administrator"},
        "post",
        lambda w: {"active": "0"},
    ),
    Case("person-unlock", lambda w: reverse("person-unlock", args=[w.users["viewer"].pk]), {"administrator"}, "post"),
    Case("api-tokens", lambda w: reverse("api-tokens"), ALL_ROLES | {"outsider"}),
    # workforce: everybody reads aggregates; HR keeps the records; heads of unit read their
    # units' officers; each person their own record
    Case("workforce", lambda w: (workforce(w), reverse("workforce"))[1], ALL_ROLES),
    Case("workforce-me", lambda w: reverse("workforce-me"), ALL_ROLES | {"outsider"}),
    Case("workforce-framework-import", lambda w: reverse("workforce-framework-import"), HR),
    Case("workforce-framework", lambda w: reverse("workforce-framework", args=[workforce(w).framework.pk]), ALL_ROLES),
    Case(
        "workforce-framework-export",
        lambda w: reverse("workforce-framework-export", args=[workforce(w).framework.pk, "yaml"]),
        ALL_ROLES,
    ),
    Case("workforce-roles", lambda w: (workforce(w), reverse("workforce-roles"))[1], ALL_ROLES),
    Case("workforce-role-create", lambda w: (workforce(w), reverse("workforce-role-create"))[1], HR),
    Case("workforce-role", lambda w: reverse("workforce-role", args=[workforce(w).inspector.pk]), ALL_ROLES),
    Case("workforce-role-edit", lambda w: reverse("workforce-role-edit", args=[workforce(w).inspector.pk]), HR),
    Case("workforce-role-delete", lambda w: reverse("workforce-role-delete", args=[workforce(w).inspector.pk]), HR),
    Case("workforce-officers", lambda w: (workforce(w), reverse("workforce-officers"))[1], HR | HEAD),
    Case("workforce-officers-export", lambda w: (workforce(w), reverse("workforce-officers-export"))[1], HR | HEAD),
    Case("workforce-officer-create", lambda w: reverse("workforce-officer-create"), HR),
    Case("workforce-officer south", lambda w: reverse("workforce-officer", args=[officer(w)]), HR | HEAD),
    Case("workforce-officer west", lambda w: reverse("workforce-officer", args=[officer(w, "T0013")]), HR),
    Case("workforce-officer-edit", lambda w: reverse("workforce-officer-edit", args=[officer(w)]), HR),
    Case("workforce-officer-delete", lambda w: reverse("workforce-officer-delete", args=[officer(w)]), HR),
    Case("workforce-officer-assess", lambda w: reverse("workforce-officer-assess", args=[officer(w)]), HR | HEAD),
    Case(
        "workforce-officer-export", lambda w: reverse("workforce-officer-export", args=[officer(w), "json"]), HR | HEAD
    ),
    Case("workforce-import", lambda w: reverse("workforce-import"), HR),
    Case("workforce-round-create", lambda w: reverse("workforce-round-create"), HR),
    Case("workforce-access-log", lambda w: reverse("workforce-access-log"), HR | {"administrator"}),
    Case("workforce-gaps", lambda w: (workforce(w), reverse("workforce-gaps"))[1], ALL_ROLES),
    Case("workforce-gaps-export", lambda w: (workforce(w), reverse("workforce-gaps-export"))[1], ALL_ROLES),
    Case("workforce-trend", lambda w: (workforce(w), reverse("workforce-trend"))[1], ALL_ROLES),
    Case("workforce-courses", lambda w: (workforce(w), reverse("workforce-courses"))[1], ALL_ROLES),
    Case("workforce-course-create", lambda w: (workforce(w), reverse("workforce-course-create"))[1], HR),
    Case(
        "workforce-course", lambda w: reverse("workforce-course", args=[workforce(w).courses["RISK-2"].pk]), ALL_ROLES
    ),
    Case(
        "workforce-course-edit", lambda w: reverse("workforce-course-edit", args=[workforce(w).courses["HS-3"].pk]), HR
    ),
    Case(
        "workforce-course-delete",
        lambda w: reverse("workforce-course-delete", args=[workforce(w).courses["HS-3"].pk]),
        HR,
    ),
    Case(
        "workforce-session-create",
        lambda w: reverse("workforce-session-create", args=[workforce(w).courses["HS-3"].pk]),
        HR,
    ),
    Case("workforce-session-edit", lambda w: reverse("workforce-session-edit", args=[workforce(w).sessions[0].pk]), HR),
    Case(
        "workforce-session-delete",
        lambda w: reverse("workforce-session-delete", args=[workforce(w).sessions[0].pk]),
        HR,
    ),
    Case("workforce-needs", lambda w: (workforce(w), reverse("workforce-needs", args=[w.plan.pk]))[1], ALL_ROLES),
    Case("workforce-need-create", lambda w: reverse("workforce-need-create", args=[w.plan.pk]), PLANNERS | HR),
    Case(
        "workforce-need-edit",
        lambda w: reverse("workforce-need-edit", args=[workforce(w).inspector.workforce_needs.get().pk]),
        PLANNERS | HR,
    ),
    Case(
        "workforce-need-delete",
        lambda w: reverse("workforce-need-delete", args=[workforce(w).inspector.workforce_needs.get().pk]),
        PLANNERS | HR,
    ),
    Case("workforce-training", lambda w: (workforce(w), reverse("workforce-training", args=[w.plan.pk]))[1], ALL_ROLES),
    Case("workforce-run-create", lambda w: (workforce(w), reverse("workforce-run-create", args=[w.plan.pk]))[1], HR),
    Case("workforce-run", lambda w: reverse("workforce-run", args=[run(w)]), ALL_ROLES),
    Case("workforce-run-export", lambda w: reverse("workforce-run-export", args=[run(w)]), ALL_ROLES),
    Case("workforce-run-cancel", lambda w: reverse("workforce-run-cancel", args=[run(w)]), HR, "post"),
    Case("workforce-run-adopt", lambda w: reverse("workforce-run-adopt", args=[run(w)]), HR, "post"),
    Case("workforce-run-delete", lambda w: reverse("workforce-run-delete", args=[run(w)]), HR),
    Case(
        "indicator-training-binding",
        lambda w: (workforce(w), reverse("indicator-training-binding", args=[w.indicators["west"].pk]))[1],
        PLANNERS | {"contributor_west"},
    ),
    # everyone's own inbox and settings (opening another person's notification: tests/org)
    Case("inbox", lambda w: reverse("inbox"), ALL_ROLES | {"outsider"}),
    Case("inbox-read", lambda w: reverse("inbox-read"), ALL_ROLES | {"outsider"}, "post"),
    Case("notification-settings", lambda w: reverse("notification-settings"), ALL_ROLES | {"outsider"}),
]

#: URL names exercised elsewhere (their own tests), or not pages
COVERED_ELSEWHERE = {
    # a staged workbook is its uploader's alone (anybody else: 404): tests/documents/test_workbook.py
    "workbook-preview",
    "workbook-discard",
    "logframe-map",  # the same: tests/documents/test_logframe_mapping.py
    "healthz",  # open to all, no sign-in: tests/core/test_health.py
    "language-set",  # open to all, a POST: tests/core/test_languages.py
    "home",
    "login",
    "logout",
    "plan-status",
    "function-edit",
    "function-delete",
    "function-toggle",
    "analysis-item-edit",
    "analysis-item-delete",
    "risk-edit",
    "risk-delete",
    "budget-line-edit",
    "budget-line-delete",
    "actual-delete",
    "actual-evidence",
    "api-token-revoke",
    "dependency-delete",
    "inbox-open",
    "monitoring-evidence",
    "action-evidence",
    "workshop-join",  # open to anybody, signed in or not: tests/workshops/test_views.py
    "workshop-leave",  # a guest gives up their seat: tests/workshops/test_views.py
}


#: pages whose id names something every signed-in person with a role may know of (frameworks
#: are shared reference data), or that refuse before they look the id up (people: administrators)
NOT_OWNED = {
    "diagnostics-framework",
    "diagnostics-framework-export",
    "person-add",
    "person-role-grant",
    "person-role-revoke",
    "person-active",
    "person-unlock",
}


def refusal(persona: str, case_name: str, url: str) -> int:
    """403 for somebody who may read the administration but not do this; 404 for an object of
    an administration the persona has no role in (the outsider), as for one that does not
    exist: the answer must not tell that it exists (issue 12; it was 403 until then)."""
    names_an_object = re.search(r"/(\d+|[A-Z][A-Z0-9-]+)(/|$)", url.split("?")[0]) is not None
    if persona == "outsider" and names_an_object and case_name.split(" ")[0] not in NOT_OWNED:
        return 404
    return 403


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_persona_access(world: World, client: Client, case: Case, persona: str) -> None:
    client.force_login(world.users[persona])
    call = getattr(client, case.method)
    url = case.url(world)
    response = call(url, case.data(world))
    if persona in case.allowed:
        assert response.status_code in (200, 302), f"{persona} should reach {case.name}, got {response.status_code}"
    else:
        expected = refusal(persona, case.name, url)
        assert response.status_code == expected, (
            f"{persona} should get {expected} for {case.name}, got {response.status_code}"
        )


def test_anonymous_visitors_are_sent_to_sign_in(world: World, client: Client) -> None:
    for case in CASES:
        response = client.get(case.url(world))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_every_url_is_in_the_matrix() -> None:
    names: set[str] = {str(name) for pattern in get_resolver().url_patterns if (name := getattr(pattern, "name", None))}
    from waypoint.diagnostics import urls as diagnostics_urls
    from waypoint.documents import urls as documents_urls
    from waypoint.indicators import urls as indicator_urls
    from waypoint.monitoring import urls as monitoring_urls
    from waypoint.org import urls as org_urls
    from waypoint.people import urls as people_urls
    from waypoint.plans import urls as plan_urls
    from waypoint.roadmap import urls as roadmap_urls
    from waypoint.rounds import urls as round_urls
    from waypoint.site import urls as site_urls
    from waypoint.trs import urls as trs_urls
    from waypoint.workshops import urls as workshop_urls

    for module in (
        site_urls,
        org_urls,
        plan_urls,
        indicator_urls,
        roadmap_urls,
        trs_urls,
        diagnostics_urls,
        documents_urls,
        people_urls,
        round_urls,
        monitoring_urls,
        workshop_urls,
    ):
        names |= {str(name) for p in module.urlpatterns if (name := getattr(p, "name", None))}
    tested = {case.name.split(" ")[0] for case in CASES}
    missing = names - tested - COVERED_ELSEWHERE
    assert not missing, f"add these pages to the permission matrix: {sorted(missing)}"


#: what a guest of the world's workshop may open (each of that workshop only)
GUEST_ALLOWED = {"workshop-play", "exercise-live", "note-add", "dots-set", "score-set", "comparison-set"}


def _guest_client(w: World) -> Client:
    """A phone that joined the world's workshop with its code and a name."""
    client = Client()
    made = room(w)
    response = client.post(reverse("workshop-join"), {"code": made.workshop.join_code, "name": "Phone Guest"})
    assert response.status_code == 302, response.content[:300]
    return client


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_guest_reaches_only_their_workshop(world: World, case: Case) -> None:
    """Every page of the matrix, as a guest: their own workshop's participant pages answer,
    everything else is refused (403), the API too."""
    client = _guest_client(world)
    response = getattr(client, case.method)(case.url(world), case.data(world))
    if case.name.split(" ")[0] in GUEST_ALLOWED:
        assert response.status_code in (200, 204, 302), f"a guest should reach {case.name}: {response.status_code}"
    else:
        assert response.status_code == 403, f"a guest should get 403 for {case.name}, got {response.status_code}"


def test_a_guest_is_refused_the_api_and_unknown_urls(world: World) -> None:
    client = _guest_client(world)
    for path in ("/api/plans", f"/api/workshops/{ws(world)}", "/admin/", "/no-such-page/", "/"):
        assert client.get(path).status_code == 403, path


@pytest.mark.parametrize("case", [c for c in CASES if c.name.split(" ")[0] in GUEST_ALLOWED], ids=lambda c: c.name)
def test_a_guest_seat_ends_when_the_workshop_closes(world: World, case: Case) -> None:
    from waypoint.workshops import services as workshop_services

    client = _guest_client(world)
    url, data = case.url(world), case.data(world)
    workshop_services.workshop_set_status(actor=None, workshop=room(world).workshop, status="closed")
    assert getattr(client, case.method)(url, data).status_code == 403
    # and the code no longer works
    response = client.post(reverse("workshop-join"), {"code": room(world).workshop.join_code, "name": "Late Guest"})
    assert response.status_code == 400


def test_a_guest_of_one_workshop_cannot_reach_another(world: World) -> None:
    from tests.workshops.conftest import make_room

    client = _guest_client(world)
    other = make_room(world)
    for url in (
        reverse("workshop-play", args=[other.workshop.pk]),
        reverse("exercise-live", args=[other.workshop.pk, other.board.pk]),
        reverse("workshop-detail", args=[other.workshop.pk]),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("note-add", args=[other.workshop.pk, other.board.pk]), {"column": "strength", "text": "x"}
    )
    assert response.status_code == 403


def test_the_home_page_explains_a_missing_role(world: World, client: Client) -> None:
    client.force_login(world.users["outsider"])
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert b"no role" in response.content


def test_the_home_page_opens_the_current_plan(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("plan-overview", args=[world.plan.pk])


def test_the_django_admin_is_for_platform_operators_only(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    assert client.get("/admin/").status_code == 302
    # an administrator of an administration used to get it, over every administration (issue 12)
    client.force_login(world.users["administrator"])
    assert client.get("/admin/").status_code == 302
    operator = world.users["outsider"]
    operator.is_staff = operator.is_superuser = True
    operator.save()
    client.force_login(operator)
    assert client.get("/admin/").status_code == 200
