"""The REST API: same rights as the pages, errors located by JSON path, token sign-in."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

import waypoint
from tests.rounds.helpers import world_round as planning_round
from tests.test_permission_matrix import follow_up_action, logframe_mapping, meeting, monitoring_report, rendered
from tests.world import PERSONAS, World
from waypoint.org.services import api_token_create

ALL_ROLES = {"planner", "contributor", "contributor_west", "approver", "viewer", "administrator", "hr", "head"}
PLANNERS = {"planner", "administrator"}
HR = {"hr"}


#: the shipped competency framework (a new version of it is imported through the API)
SHIPPED_FRAMEWORK = Path(waypoint.__file__).parent / "people/frameworks/customs-competencies.yaml"


def wf(w: World) -> Any:
    """The test administration's workforce (made on first use; tests/people/conftest.py)."""
    from tests.people.conftest import make_workforce

    return make_workforce(w)


def run_id(w: World) -> int:
    from tests.test_permission_matrix import run

    return run(w)


APPROVERS = {"approver", "administrator"}
SOUTH_READERS = ALL_ROLES - {"contributor_west"}


def submitted(w: World) -> World:
    """The world's plan submitted for approval (once: a call's path is asked for more than once)."""
    from waypoint.plans import services as plan_services

    if w.plan.status == "draft":
        plan_services.plan_set_status(actor=None, plan=w.plan, status="under_review")
    return w


def approved(w: World) -> World:
    from waypoint.plans import services as plan_services

    submitted(w)
    if w.plan.status == "under_review":
        plan_services.plan_set_status(actor=None, plan=w.plan, status="approved")
    return w


def west_ready(w: World) -> str:
    """The western directorate's submission, its post waived: ready to go up."""
    from waypoint.rounds import services as round_services

    post = planning_round(w).submissions.get(unit__code="BP-W1")
    if post.status != "waived":
        round_services.submission_waive(actor=None, submission=post, reason="The post was closed")
    return f"/api/submissions/{post.parent_id}/submit"


def consolidable(w: World) -> str:
    """The round with a proposal the planners accepted at the administration's level."""
    from tests.rounds import helpers

    round_ = planning_round(w)
    if not round_.proposals.filter(origin__parent__isnull=True).exists():
        helpers.propose(w, round_, "ADM", "planner", "Risk engine", kind="objective", parent="G1")
    return rounds_path(w, "/consolidate")


def rounds_path(w: World, tail: str = "") -> str:
    return f"/api/rounds/{planning_round(w).pk}{tail}"


def submission_path(code: str, tail: str = "") -> Callable[[World], str]:
    return lambda w: f"/api/submissions/{planning_round(w).submissions.get(unit__code=code).pk}{tail}"


def proposal_path(origin: str, tail: str = "") -> Callable[[World], str]:
    return lambda w: f"/api/proposals/{planning_round(w).proposals.get(origin__unit__code=origin).pk}{tail}"


def proposal_version(origin: str) -> Callable[[World], int]:
    return lambda w: int(planning_round(w).proposals.get(origin__unit__code=origin).version)


@dataclass(frozen=True)
class Call:
    name: str
    method: str
    path: Callable[[World], str]
    allowed: set[str]
    body: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    ok: tuple[int, ...] = (200, 201, 204)
    #: a body sent as it is (a workbook) instead of ``body`` as JSON
    raw: Callable[[World], bytes] | None = None


def _room(w: World) -> Any:
    from tests.test_permission_matrix import room

    return room(w)


CALLS = [
    Call("list units", "get", lambda w: "/api/units", ALL_ROLES),
    # one's own notifications, whoever one is
    Call("list notifications", "get", lambda w: "/api/notifications", ALL_ROLES | {"outsider"}),
    Call("read notifications", "post", lambda w: "/api/notifications/read", ALL_ROLES | {"outsider"}),
    Call("get unit", "get", lambda w: "/api/units/RD-S", ALL_ROLES),
    Call("list plans", "get", lambda w: "/api/plans", ALL_ROLES),
    Call("get plan", "get", lambda w: f"/api/plans/{w.plan.pk}", ALL_ROLES),
    Call("export plan", "get", lambda w: f"/api/plans/{w.plan.pk}/export", ALL_ROLES),
    Call("list elements", "get", lambda w: f"/api/plans/{w.plan.pk}/elements", ALL_ROLES),
    Call("get element", "get", lambda w: f"/api/elements/{w.elements['O1.2'].pk}", ALL_ROLES),
    Call("list indicators", "get", lambda w: f"/api/plans/{w.plan.pk}/indicators", ALL_ROLES),
    Call("get indicator", "get", lambda w: f"/api/indicators/{w.indicators['west'].pk}", ALL_ROLES),
    Call("list targets", "get", lambda w: f"/api/indicators/{w.indicators['west'].pk}/targets", ALL_ROLES),
    Call("list actuals", "get", lambda w: f"/api/indicators/{w.indicators['west'].pk}/actuals", ALL_ROLES),
    Call("plan workbook", "get", lambda w: f"/api/plans/{w.plan.pk}/workbook", ALL_ROLES),
    Call("logframe workbook", "get", lambda w: f"/api/plans/{w.plan.pk}/logframe-workbook", ALL_ROLES),
    Call("list documents", "get", lambda w: f"/api/plans/{w.plan.pk}/documents", ALL_ROLES),
    # a workbook into the plan it came from (a preview: nothing written); planners of a draft
    Call(
        "import workbook into plan",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/import/workbook",
        PLANNERS,
        raw=lambda w: plan_workbook_of(w),
    ),
    # saved logframe mappings: read by anyone with a role, kept by planners
    Call("list logframe mappings", "get", lambda w: "/api/logframe-mappings", ALL_ROLES | {"outsider"}),
    Call(
        "save logframe mapping",
        "post",
        lambda w: "/api/logframe-mappings",
        PLANNERS,
        lambda w: {"administration": "ADM", "name": "Own layout", "columns": {"title": "Narrative summary"}},
    ),
    Call("delete logframe mapping", "delete", lambda w: f"/api/logframe-mappings/{logframe_mapping(w)}", PLANNERS),
    Call(
        "import logframe",
        "post",
        lambda w: f"/api/logframe-mappings/{logframe_mapping(w)}/import?title=Mine&start_year=2012&end_year=2016",
        PLANNERS,
        raw=lambda w: own_layout(),
    ),
    # the template holds the rows the caller may record: a unit's, for its contributors and planners
    Call(
        "actuals template",
        "get",
        lambda w: f"/api/plans/{w.plan.pk}/actuals/template?period=2013&unit=BP-S1",
        PLANNERS | {"contributor"},
    ),
    Call("get document", "get", lambda w: f"/api/documents/{rendered(w)}", ALL_ROLES),
    Call("get document file", "get", lambda w: f"/api/documents/{rendered(w)}/file", ALL_ROLES),
    Call(
        "request document",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/documents",
        ALL_ROLES,
        lambda w: {"kind": "plan", "format": "docx", "sections": ["statements"]},
        (202,),
    ),
    Call(
        "create plan",
        "post",
        lambda w: "/api/plans",
        PLANNERS,
        lambda w: {"title": "Next plan", "start_year": 2017, "end_year": 2021},
    ),
    Call(
        "patch plan",
        "patch",
        lambda w: f"/api/plans/{w.plan.pk}",
        PLANNERS,
        lambda w: {"version": w.plan.version, "vision": "New vision"},
    ),
    Call(
        "submit plan",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/status",
        PLANNERS,
        lambda w: {"status": "under_review"},
    ),
    Call(
        "create goal",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/elements",
        PLANNERS,
        lambda w: {"title": "Revenue", "responsible_unit": "HQ-PLN"},
    ),
    Call(
        "create initiative",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/elements",
        PLANNERS | {"contributor"},
        lambda w: {
            "parent_id": w.elements["O1.1"].pk,
            "title": "Scanner",
            "responsible_unit": "BP-S1",
            "starts_on": "2013-01",
            "ends_on": "2013-12",
        },
    ),
    Call(
        "patch element",
        "patch",
        lambda w: f"/api/elements/{w.elements['O1.1'].pk}",
        PLANNERS | {"contributor"},
        lambda w: {"version": 1, "title": "Renamed"},
    ),
    Call(
        "delete element",
        "delete",
        lambda w: f"/api/elements/{w.elements['I1.2.1'].pk}",
        PLANNERS | {"contributor_west"},
    ),
    Call(
        "create indicator",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/indicators",
        PLANNERS | {"contributor_west"},
        lambda w: {
            "name": "Queue",
            "element_id": w.elements["O1.2"].pk,
            "unit_of_measure": "trucks",
            "direction": "decrease",
            "aggregation": "mean",
            "owner_unit": "RD-W",
        },
    ),
    Call(
        "patch indicator",
        "patch",
        lambda w: f"/api/indicators/{w.indicators['west'].pk}",
        PLANNERS | {"contributor_west"},
        lambda w: {"version": 1, "data_source": "TRS"},
    ),
    Call(
        "delete indicator",
        "delete",
        lambda w: f"/api/indicators/{w.indicators['west'].pk}",
        PLANNERS | {"contributor_west"},
    ),
    Call(
        "set target",
        "put",
        lambda w: f"/api/indicators/{w.indicators['west'].pk}/targets/2013",
        PLANNERS | {"contributor_west"},
        lambda w: {"value": 10},
    ),
    Call(
        "record actual",
        "post",
        lambda w: f"/api/indicators/{w.indicators['west'].pk}/actuals",
        PLANNERS | {"contributor_west"},
        lambda w: {"period": "2013", "value": 12},
    ),
    Call(
        "patch actual",
        "patch",
        lambda w: f"/api/actuals/{w.indicators['west'].actuals.get().pk}",
        PLANNERS | {"contributor_west"},
        lambda w: {"version": 1, "value": 13.5},
    ),
    Call(
        "delete actual",
        "delete",
        lambda w: f"/api/actuals/{w.indicators['west'].actuals.get().pk}",
        PLANNERS | {"contributor_west"},
    ),
    # roadmap
    Call("list teams", "get", lambda w: f"/api/plans/{w.plan.pk}/roadmap/teams", ALL_ROLES),
    Call("list caps", "get", lambda w: f"/api/plans/{w.plan.pk}/roadmap/caps", ALL_ROLES),
    Call("list scenarios", "get", lambda w: f"/api/plans/{w.plan.pk}/roadmap/scenarios", ALL_ROLES),
    Call("get schedule", "get", lambda w: f"/api/elements/{w.elements['A1.1.1.1'].pk}/schedule", ALL_ROLES),
    Call(
        "create team",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/roadmap/teams",
        PLANNERS,
        lambda w: {"code": "NEW", "name": "New team", "capacity": 2},
    ),
    Call(
        "put schedule south",
        "put",
        lambda w: f"/api/elements/{w.elements['A1.1.1.1'].pk}/schedule",
        PLANNERS | {"contributor"},
        lambda w: {"duration_months": 5, "weight": 4},
    ),
    Call(
        "add dependency south",
        "post",
        lambda w: f"/api/elements/{w.elements['A1.1.1.1'].pk}/dependencies",
        PLANNERS | {"contributor"},
        lambda w: {"before": "I1.2.1", "kind": "SS", "lag_months": 1},
    ),
    # approval, amendments, versions
    Call("list versions", "get", lambda w: f"/api/plans/{w.plan.pk}/versions", ALL_ROLES),
    Call("list amendments", "get", lambda w: f"/api/plans/{w.plan.pk}/amendments", ALL_ROLES),
    Call(
        "get version",
        "get",
        lambda w: f"/api/plans/{submitted(w).plan.pk}/versions/1",
        ALL_ROLES,
    ),
    Call(
        "compare versions",
        "get",
        lambda w: f"/api/plans/{submitted(w).plan.pk}/versions/compare?old=1",
        ALL_ROLES,
    ),
    Call(
        "submit for approval",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/decision",
        PLANNERS,
        lambda w: {"decision": "submit"},
    ),
    Call(
        "approve",
        "post",
        lambda w: f"/api/plans/{submitted(w).plan.pk}/decision",
        APPROVERS,
        lambda w: {"decision": "approve", "comment": "Approved by the Chairman"},
    ),
    Call(
        "open amendment",
        "post",
        lambda w: f"/api/plans/{approved(w).plan.pk}/amendments",
        PLANNERS,
        lambda w: {"reason": "Re-based targets"},
    ),
    # planning rounds
    Call("list rounds", "get", lambda w: f"/api/plans/{w.plan.pk}/rounds", ALL_ROLES),
    Call(
        "open round",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/rounds",
        PLANNERS,
        lambda w: {"title": "Round", "deadline": "2099-10-31", "frame": ["G1"], "unit_kinds": ["regional_directorate"]},
    ),
    Call("get round", "get", lambda w: rounds_path(w), ALL_ROLES),
    Call("list submissions", "get", lambda w: rounds_path(w, "/submissions"), ALL_ROLES),
    Call("round accounting", "get", lambda w: rounds_path(w, "/accounting"), ALL_ROLES),
    Call(
        "extend round",
        "patch",
        lambda w: rounds_path(w),
        PLANNERS,
        lambda w: {"version": planning_round(w).version, "deadline": "2099-12-31"},
    ),
    Call("close round", "post", lambda w: rounds_path(w, "/status"), PLANNERS, lambda w: {"status": "closed"}),
    Call("get submission south post", "get", submission_path("BP-S1"), SOUTH_READERS),
    Call("get submission west", "get", submission_path("RD-W"), ALL_ROLES - {"contributor"}),
    Call("get proposal", "get", proposal_path("BP-S1"), SOUTH_READERS),
    Call(
        "create proposal south",
        "post",
        submission_path("RD-S", "/proposals"),
        {"contributor"},
        lambda w: {
            "kind": "initiative",
            "parent_element": "O1.1",
            "title": "Lanes",
            "responsible_unit": "RD-S",
            "starts_on": "2013-01",
            "ends_on": "2013-12",
            "budget": [{"year": 2013, "source": "State budget", "amount": 500}],
        },
        (201,),
    ),
    Call(
        "update proposal",
        "put",
        proposal_path("RD-S"),
        {"contributor"},
        lambda w: {
            "version": proposal_version("RD-S")(w),
            "kind": "initiative",
            "parent_element": "O1.1",
            "title": "Southern lanes, widened",
            "responsible_unit": "RD-S",
            "starts_on": "2013-01",
            "ends_on": "2014-12",
        },
    ),
    Call("delete proposal", "delete", proposal_path("RD-S"), {"contributor"}),
    Call(
        "add need",
        "post",
        submission_path("RD-S", "/needs"),
        {"contributor"},
        lambda w: {"text": "Scanners"},
        (201,),
    ),
    Call(
        "comment on a submission",
        "post",
        submission_path("RD-S", "/comments"),
        SOUTH_READERS,
        lambda w: {"body": "@contributor mind the deadline"},
        (201,),
    ),
    Call(
        "comment on a proposal",
        "post",
        proposal_path("BP-S1", "/comments"),
        SOUTH_READERS,
        lambda w: {"body": "Which lane?"},
        (201,),
    ),
    Call(
        "review proposal",
        "post",
        proposal_path("BP-S1", "/review"),
        {"contributor"},
        lambda w: {"decision": "accept", "version": proposal_version("BP-S1")(w)},
    ),
    Call(
        "return submission", "post", submission_path("BP-S1", "/return"), {"contributor"}, lambda w: {"text": "Dates?"}
    ),
    Call("accept submission", "post", submission_path("BP-S1", "/accept"), {"contributor"}),
    Call("waive submission", "post", submission_path("RD-W", "/waive"), PLANNERS, lambda w: {"text": "No answer"}),
    Call(
        "merge proposals",
        "post",
        submission_path("RD-S", "/merge"),
        {"contributor"},
        lambda w: {"proposals": [p.code for p in planning_round(w).proposals.order_by("number")], "title": "Lanes"},
        (201,),
    ),
    Call("submit submission", "post", west_ready, {"contributor_west"}),
    Call("consolidate", "post", consolidable, PLANNERS),
    Call(
        "create scenario",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/roadmap/scenarios",
        PLANNERS,
        lambda w: {"name": "From the API", "time_limit_s": 2},
        (202,),
    ),
    # workforce: aggregates for everyone with a role; records for HR (and heads of unit, and
    # the officer); writes for HR (workforce needs: planners too)
    Call("list competency frameworks", "get", lambda w: (wf(w), "/api/workforce/frameworks")[1], ALL_ROLES),
    Call(
        "framework document",
        "get",
        lambda w: f"/api/workforce/frameworks/{wf(w).framework.pk}/document",
        ALL_ROLES,
    ),
    Call(
        "import competency framework",
        "post",
        lambda w: "/api/workforce/frameworks",
        HR,
        lambda w: {"content": (wf(w), SHIPPED_FRAMEWORK.read_text().replace('version: "1.0"', 'version: "2.0"'))[1]},
        (201,),
    ),
    Call("list role profiles", "get", lambda w: (wf(w), "/api/workforce/role-profiles")[1], ALL_ROLES),
    Call("get role profile", "get", lambda w: f"/api/workforce/role-profiles/{wf(w).inspector.pk}", ALL_ROLES),
    Call(
        "create role profile",
        "post",
        lambda w: (wf(w), "/api/workforce/role-profiles")[1],
        HR,
        lambda w: {"code": "AUDITOR", "name": "Auditor", "requirements": {"TEC.AUDIT": 3}},
        (201,),
    ),
    Call(
        "update role profile",
        "put",
        lambda w: f"/api/workforce/role-profiles/{wf(w).analyst.pk}",
        HR,
        lambda w: {"code": "ANALYST", "name": "Senior risk analyst", "requirements": {"TEC.RISK": 4}},
    ),
    Call("delete role profile", "delete", lambda w: f"/api/workforce/role-profiles/{wf(w).analyst.pk}", HR, ok=(400,)),
    Call("list workforce needs", "get", lambda w: (wf(w), f"/api/plans/{w.plan.pk}/workforce")[1], ALL_ROLES),
    Call(
        "create workforce need",
        "post",
        lambda w: (wf(w), f"/api/plans/{w.plan.pk}/workforce")[1],
        PLANNERS | HR,
        lambda w: {"function": "Clearance", "year": 2016, "unit": "BP-W1", "role_profile": "INSPECTOR", "headcount": 9},
        (201,),
    ),
    Call(
        "delete workforce need",
        "delete",
        lambda w: f"/api/workforce/needs/{wf(w).analyst.workforce_needs.get().pk}",
        PLANNERS | HR,
    ),
    Call("list officers", "get", lambda w: (wf(w), "/api/workforce/officers")[1], HR | {"head"}),
    Call("get officer south", "get", lambda w: f"/api/workforce/officers/{wf(w).officers['T0001'].pk}", HR | {"head"}),
    Call("get officer west", "get", lambda w: f"/api/workforce/officers/{wf(w).officers['T0013'].pk}", HR),
    Call(
        "create officer",
        "post",
        lambda w: (wf(w), "/api/workforce/officers")[1],
        HR,
        lambda w: {"staff_number": "T9999", "unit": "BP-W1", "role_profile": "INSPECTOR"},
        (201,),
    ),
    Call(
        "update officer",
        "put",
        lambda w: f"/api/workforce/officers/{wf(w).officers['T0001'].pk}",
        HR,
        lambda w: {"staff_number": "T0001", "unit": "BP-S1", "role_profile": "INSPECTOR", "education_level": "master"},
    ),
    Call("delete officer", "delete", lambda w: f"/api/workforce/officers/{wf(w).officers['T0002'].pk}", HR),
    Call(
        "list assessments south",
        "get",
        lambda w: f"/api/workforce/officers/{wf(w).officers['T0001'].pk}/assessments",
        HR | {"head"},
    ),
    Call(
        "record manager assessment south",
        "post",
        lambda w: f"/api/workforce/officers/{wf(w).officers['T0001'].pk}/assessments",
        HR | {"head"},
        lambda w: {"competency": "TEC.RISK", "level": 3, "source": "manager", "assessed_on": "2014-02-01"},
        (201,),
    ),
    Call(
        "import officers",
        "post",
        lambda w: (wf(w), "/api/workforce/import")[1],
        HR,
        lambda w: {"kind": "officers", "filename": "new.csv", "content": "staff_number,unit\nT5000,BP-W1\n"},
    ),
    Call("gaps", "get", lambda w: (wf(w), "/api/workforce/gaps")[1], ALL_ROLES),
    Call("list courses", "get", lambda w: (wf(w), "/api/workforce/courses")[1], ALL_ROLES),
    Call("get course", "get", lambda w: f"/api/workforce/courses/{wf(w).courses['HS-3'].pk}", ALL_ROLES),
    Call(
        "create course",
        "post",
        lambda w: (wf(w), "/api/workforce/courses")[1],
        HR,
        lambda w: {"code": "PCA-3", "title": "Audit", "outcomes": {"TEC.AUDIT": 3}, "duration_hours": 40, "cost": 600},
        (201,),
    ),
    Call("list sessions", "get", lambda w: f"/api/workforce/courses/{wf(w).courses['HS-3'].pk}/sessions", ALL_ROLES),
    Call(
        "create session",
        "post",
        lambda w: f"/api/workforce/courses/{wf(w).courses['HS-3'].pk}/sessions",
        HR,
        lambda w: {"starts_on": "2015-11-02", "ends_on": "2015-11-06"},
        (201,),
    ),
    Call("list training runs", "get", lambda w: (wf(w), f"/api/plans/{w.plan.pk}/training/runs")[1], ALL_ROLES),
    Call(
        "create training run",
        "post",
        lambda w: (wf(w), f"/api/plans/{w.plan.pk}/training/runs")[1],
        HR,
        lambda w: {"name": "From the API", "year": 2015, "budget": 4000, "time_limit_s": 1},
        (202,),
    ),
    Call("get training run", "get", lambda w: f"/api/workforce/runs/{run_id(w)}", ALL_ROLES),
    Call("adopt training run", "post", lambda w: f"/api/workforce/runs/{run_id(w)}/adopt", HR),
    Call("cancel finished training run", "post", lambda w: f"/api/workforce/runs/{run_id(w)}/cancel", HR, ok=(400,)),
    # monitoring: the same rights as the pages
    Call("get calendar", "get", lambda w: f"/api/plans/{cycle(w)}/calendar", ALL_ROLES),
    Call("put calendar", "put", lambda w: f"/api/plans/{w.plan.pk}/calendar", PLANNERS, lambda w: {"due_days": 20}),
    Call("list reports", "get", lambda w: f"/api/plans/{cycle(w)}/reports?period=2013", ALL_ROLES),
    Call("get report", "get", lambda w: f"/api/reports/{monitoring_report(w)}", ALL_ROLES),
    Call(
        "save draft",
        "put",
        lambda w: f"/api/reports/{monitoring_report(w)}/draft",
        PLANNERS | {"contributor"},
        lambda w: {"entries": []},
    ),
    Call(
        "submit report",
        "post",
        lambda w: f"/api/reports/{monitoring_report(w, 'RD-S')}/submit",
        PLANNERS | {"contributor"},
    ),
    Call(
        "decide report",
        "post",
        lambda w: f"/api/reports/{monitoring_report(w, 'BP-S1', '2012')}/decision",
        {"approver", "administrator", "contributor"},
        lambda w: {"decision": "waive", "reason": "Post closed"},
    ),
    Call("completeness", "get", lambda w: f"/api/plans/{cycle(w)}/completeness", ALL_ROLES),
    Call("list actions", "get", lambda w: f"/api/plans/{w.plan.pk}/actions", ALL_ROLES),
    Call(
        "create action",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/actions",
        PLANNERS | {"contributor", "contributor_west"},
        lambda w: {"title": "Publish times", "owner_unit": "RD-W", "due_on": "2013-06-30", "elements": ["O1.2"]},
    ),
    Call("get action", "get", lambda w: f"/api/actions/{follow_up_action(w)}", ALL_ROLES),
    Call(
        "patch action",
        "patch",
        lambda w: f"/api/actions/{follow_up_action(w)}",
        PLANNERS | {"contributor"},
        lambda w: {"version": 1, "priority": "high"},
    ),
    Call(
        "action status",
        "post",
        lambda w: f"/api/actions/{follow_up_action(w)}/status",
        PLANNERS | {"contributor"},
        lambda w: {"status": "done", "evidence": "https://example.org/report"},
    ),
    Call(
        "comment action",
        "post",
        lambda w: f"/api/actions/{follow_up_action(w)}/comments",
        ALL_ROLES,
        lambda w: {"text": "Any news?"},
    ),
    Call("list meetings", "get", lambda w: f"/api/plans/{w.plan.pk}/meetings", ALL_ROLES),
    Call("get meeting", "get", lambda w: f"/api/meetings/{meeting(w)}", ALL_ROLES),
    Call(
        "create meeting",
        "post",
        lambda w: f"/api/plans/{w.plan.pk}/meetings",
        PLANNERS,
        lambda w: {"title": "Q1 review", "held_on": "2013-04-20", "goals": ["G1"]},
    ),
    # workshops: everyone with a role reads them and takes part; planners create them; guests
    # have no API (tests/test_permission_matrix.py::test_a_guest_is_refused_the_api_and_unknown_urls)
    Call("list workshops", "get", lambda w: "/api/workshops", ALL_ROLES),
    Call("get workshop", "get", lambda w: f"/api/workshops/{_room(w).workshop.pk}", ALL_ROLES),
    Call("workshop record", "get", lambda w: f"/api/workshops/{_room(w).workshop.pk}/record", ALL_ROLES),
    Call("exercise results", "get", lambda w: f"/api/exercises/{_room(w).pairwise.pk}/results", ALL_ROLES),
    Call(
        "create workshop",
        "post",
        lambda w: "/api/workshops",
        PLANNERS,
        lambda w: {"plan_id": w.plan.pk, "title": "From the API", "starts_on": "2012-03-01", "ends_on": "2012-03-02"},
    ),
    Call(
        "result to proposal",
        "post",
        lambda w: f"/api/exercises/{_room(w).board.pk}/proposals",
        PLANNERS,
        lambda w: {
            "note": _room(w).board.notes.order_by("pk").first().pk,
            "round": planning_round(w).pk,
            "unit": "ADM",
            "parent_element": "G1",
            "title": "From the room",
        },
    ),
    Call(
        "add note",
        "post",
        lambda w: f"/api/exercises/{_room(w).board.pk}/notes",
        ALL_ROLES,
        lambda w: {"column": "threat", "text": "Smuggling"},
    ),
    Call(
        "set dots",
        "post",
        lambda w: f"/api/exercises/{_room(w).dots.pk}/dots",
        ALL_ROLES,
        lambda w: {"option": _room(w).dots.options.order_by("pk").first().pk, "dots": 2},
    ),
    Call(
        "set score",
        "post",
        lambda w: f"/api/exercises/{_room(w).scoring.pk}/scores",
        ALL_ROLES,
        lambda w: {
            "option": _room(w).scoring.options.order_by("pk").first().pk,
            "criterion": _room(w).scoring.criteria.order_by("pk").first().pk,
            "value": 4,
        },
    ),
    Call(
        "set comparison",
        "post",
        lambda w: f"/api/exercises/{_room(w).pairwise.pk}/comparisons",
        ALL_ROLES,
        lambda w: {
            "preferred": _room(w).pairwise.options.order_by("pk")[1].pk,
            "other": _room(w).pairwise.options.order_by("pk").first().pk,
            "strength": 5,
        },
    ),
]


def cycle(w: World) -> int:
    """The world's plan, with its reporting calendar made on first use."""
    monitoring_report(w)
    return w.plan.pk


def plan_workbook_of(w: World) -> bytes:
    from waypoint.documents.workbook import plan_workbook
    from waypoint.plans.planfile import plan_export

    return plan_workbook(plan_export(w.plan))


def own_layout() -> bytes:
    from tests.documents.test_logframe_mapping import own_layout as layout

    return layout()


def send(client: Client, call: Call, world: World, **extra: Any) -> Any:
    method = getattr(client, call.method)
    body = call.body(world)
    if call.method == "get":
        return method(call.path(world), **extra)
    if call.raw is not None:
        return method(call.path(world), data=call.raw(world), content_type="application/octet-stream", **extra)
    return method(call.path(world), data=json.dumps(body), content_type="application/json", **extra)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("call", CALLS, ids=[c.name for c in CALLS])
def test_api_rights_by_persona(world: World, call: Call, persona: str) -> None:
    _token, key = api_token_create(actor=world.users[persona], name="test")
    client = Client()
    response = send(client, call, world, HTTP_AUTHORIZATION=f"Bearer {key}")
    if persona in call.allowed:
        assert response.status_code in call.ok, (persona, call.name, response.status_code, response.content[:300])
    elif persona == "outsider" and re.search(r"/(\d+|[A-Z][A-Z0-9-]+)(/|$)", call.path(world)):
        # an object of an administration the caller has no role in is "not found", exactly as
        # one that does not exist (issue 12; it was 403 until then)
        assert response.status_code == 404, (persona, call.name, response.status_code, response.content[:300])
        assert response.json()["code"] == "not_found"
    else:
        assert response.status_code == 403, (persona, call.name, response.status_code, response.content[:300])
        assert response.json()["code"] == "forbidden"


def test_without_credentials_the_api_answers_401(world: World) -> None:
    response = Client().get("/api/plans")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_revoked_token_no_longer_works(world: World) -> None:
    from waypoint.org.services import api_token_revoke

    token, key = api_token_create(actor=world.users["viewer"], name="script")
    client = Client()
    assert client.get("/api/plans", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    api_token_revoke(actor=world.users["viewer"], token=token)
    assert client.get("/api/plans", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_session_writes_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["planner"])
    response = client.post(
        f"/api/plans/{world.plan.pk}/status",
        data=json.dumps({"status": "under_review"}),
        content_type="application/json",
    )
    assert response.status_code == 401 or response.status_code == 403


def test_validation_errors_name_the_json_path(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    response = client.post(
        f"/api/plans/{world.plan.pk}/elements",
        data=json.dumps({"title": "x", "starts_on": "June"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    locations = {p["location"] for p in response.json()["problems"]}
    assert {"$.responsible_unit", "$.starts_on"} <= locations


def test_service_rule_errors_name_the_field(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    response = client.put(
        f"/api/indicators/{world.indicators['west'].pk}/targets/2030",
        data=json.dumps({"value": 1}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["problems"][0]["location"] == "period"


def test_a_stale_version_is_a_409_conflict(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    element = world.elements["G1"]
    path = f"/api/elements/{element.pk}"
    first = client.patch(
        path, data=json.dumps({"version": element.version, "title": "A"}), content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["version"] == element.version + 1
    second = client.patch(
        path, data=json.dumps({"version": element.version, "title": "B"}), content_type="application/json"
    )
    assert second.status_code == 409
    assert second.json()["code"] == "edit_conflict"


def test_import_through_the_api(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    exported = client.get(f"/api/plans/{world.plan.pk}/export").json()
    exported["plan"]["title"] = "Imported copy"
    response = client.post("/api/plans/import", data=json.dumps(exported), content_type="application/json")
    assert response.status_code == 201
    broken = dict(exported, plan={**exported["plan"], "start_year": "soon"})
    refused = client.post("/api/plans/import", data=json.dumps(broken), content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["problems"][0]["location"] == "$.plan.start_year"


def test_statuses_are_in_the_indicator_list(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    rows = {row["code"]: row for row in client.get(f"/api/plans/{world.plan.pk}/indicators").json()}
    assert rows["KPI-02"]["status"] == "off_track"
    assert rows["KPI-01"]["status_period"] == "2012"


def test_the_openapi_document_is_published_to_signed_in_users(world: World, client: Client) -> None:
    for path in ("/api/openapi.json", "/api/docs"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response["Location"], path
    client.force_login(world.users["viewer"])
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/plans/{plan_id}/elements" in response.json()["paths"]
    assert client.get("/api/docs").status_code == 200
