"""The demo administration is complete, realistic, and built only once."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from waypoint.demo.builder import build_demo
from waypoint.diagnostics.models import Assessment, Rating, Recommendation
from waypoint.engine.indicators import Coverage, Status
from waypoint.engine.plandiff import compare_plans
from waypoint.engine.quality.cli import main as check_main
from waypoint.indicators.models import Actual, Indicator, TargetRevision
from waypoint.indicators.selectors import indicator_states
from waypoint.monitoring.models import Assignment, FollowUpAction, Submission
from waypoint.monitoring.selectors import completeness, my_reports, work_items
from waypoint.org.models import Notification, OrgUnit, RoleAssignment, User
from waypoint.plans.models import AnalysisItem, Plan, PlanFunction, PlanStatus
from waypoint.plans.planfile import plan_export_json
from waypoint.plans.quality import plan_quality
from waypoint.rounds.models import PlanningRound, Proposal
from waypoint.rounds.selectors import accounting, attribution_notes
from waypoint.trs.models import Dataset


@pytest.mark.django_db
def test_the_demo_meets_the_brief_and_a_second_run_adds_nothing(
    settings: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], client: Client
) -> None:
    settings.WAYPOINT_TRS_DATA = tmp_path / "trs-data"
    settings.WAYPOINT_TRS_STUDIES = tmp_path / "trs-studies"
    build_demo(password="demo-password-1")
    counts = {
        model: model.objects.count()
        for model in (OrgUnit, User, Plan, Indicator, Actual, AnalysisItem, PlanFunction, PlanningRound, Proposal)
    }
    assert counts[OrgUnit] >= 25
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == {
        "administrator",
        "planner",
        "approver",
        "contributor",
        "viewer",
        "hr",
        "head",
    }
    assert RoleAssignment.objects.filter(role="contributor").values("unit").distinct().count() >= 2
    plan = Plan.objects.get(start_year=2012, end_year=2016)
    previous = Plan.objects.get(start_year=2007, end_year=2011)
    assert plan.status == PlanStatus.APPROVED and previous.status == PlanStatus.SUPERSEDED and plan.previous == previous
    kinds = Counter(plan.elements.values_list("kind", flat=True))
    assert kinds["goal"] >= 5 and kinds["objective"] >= 15 and kinds["initiative"] >= 40 and kinds["activity"] >= 80
    assert plan.indicators.count() >= 50
    assert all(i.baseline_value is not None for i in plan.indicators.all())
    years = set(Actual.objects.filter(indicator__plan=plan).values_list("period", flat=True))
    assert {"2012", "2013", "2014"} <= years
    statuses = Counter(state.status for state in indicator_states(plan).values())
    assert statuses[Status.ON_TRACK] and statuses[Status.AT_RISK] and statuses[Status.OFF_TRACK]
    assert TargetRevision.objects.filter(target__indicator__plan=plan, old_value__isnull=False).exists()
    assert (
        plan.analysis_items.filter(framework="swot").exists()
        and plan.analysis_items.filter(framework="pestle").exists()
    )
    assert OrgUnit.objects.get(code="SCC").is_sample
    # the roadmap: teams, an approved baseline proven optimal, a re-plan from mid-2014
    assert plan.teams.count() >= 8
    baseline = plan.scenarios.get(is_baseline=True)
    assert baseline.result_status == "optimal" and baseline.makespan_months is not None
    replan = plan.scenarios.get(replan_from__isnull=False)
    assert replan.status == "done" and replan.history
    # clearance times computed from the sample declarations, close to what the plan reports
    dataset = Dataset.objects.get()
    assert dataset.status == "ready" and dataset.declarations_used == 100_000
    # recorded at +04:00: the study starts on New Year's Day 2011 where it was recorded
    assert dataset.time_zone == OrgUnit.objects.get(code="SCC").time_zone == "Asia/Baku"
    assert dataset.first_arrival is not None
    assert dataset.first_arrival.astimezone(zoneinfo.ZoneInfo("Asia/Baku")).date() == dt.date(2011, 1, 1)
    road = Indicator.objects.get(plan=plan, name="Median arrival-to-release time at road border posts")
    computed = dict(
        Actual.objects.filter(indicator=road, unit__isnull=True, is_computed=True).values_list("period", "value")
    )
    assert set(computed) == {"2012", "2013", "2014"}
    assert computed["2012"] > computed["2013"] > computed["2014"]
    assert abs(float(computed["2014"]) - 2.6) < 0.3
    # one post has reported 2015 ahead of the others (issue 13): partial, not the national figure
    road_state = indicator_states(plan, [road])[road.pk]
    assert road_state.latest is not None and road_state.latest.period.code == "2014"
    assert road_state.status is Status.AT_RISK
    assert road_state.partial is not None and road_state.partial.period.code == "2015"
    assert road_state.partial.coverage == Coverage(reported=1, expected=6, needed=6)
    # diagnostics: the 2007 diagnostic and the 2011 self-assessment, answered by the plan but
    # for two recommendations, which the plan's health page (and `waypoint check`) report
    assert sorted(Assessment.objects.values_list("reference", "kind")) == [("DIAG-2007", "expert"), ("SA-2011", "self")]
    assert Rating.objects.filter(assessment__reference="SA-2011").exclude(target="").count() == 22
    report = plan_quality(plan)
    unanswered = [f.subject_code for f in report.findings if f.rule == "Q501"]
    assert unanswered == ["DIAG-2007/R7", "SA-2011/R5"]
    exported = tmp_path / "plan.json"
    exported.write_text(plan_export_json(plan), encoding="utf-8")
    check_main([str(exported), "--format", "json"])
    from_cli = json.loads(capsys.readouterr().out)["findings"]
    assert from_cli == [f.as_dict() for f in report.findings]
    # written in English and kept in Azerbaijani (plans/translations.py): every title, the
    # plan's own texts, and the reader's language picks them
    assert plan.language == "en" and set(plan.translations) == {"az"}
    assert plan.translations["az"]["title"] == "Strateji Plan 2012–2016"
    assert all(e.translations.get("az", {}).get("title") for e in plan.elements.all())
    reader = RoleAssignment.objects.filter(role="viewer").first() or RoleAssignment.objects.first()
    assert reader is not None
    client.force_login(reader.user)
    goal = plan.elements.get(code="G1")
    for language, title in (("en", goal.title), ("az", goal.translations["az"]["title"])):
        reader.user.language = language
        reader.user.save(update_fields=["language"])
        assert title in client.get(reverse("plan-tree", args=[plan.pk])).content.decode()

    _the_workforce_is_there(plan)
    # the 2011 round produced the plan: every proposal has its fate, nothing is unaccounted for,
    # and the API gives the same figures as the Accounting page; the Chairman approved the plan,
    # and an amendment in 2014 went through approval again
    round_2011 = PlanningRound.objects.get(plan=plan)
    fates = accounting(round_2011)
    assert fates.unaccounted == 0 and fates.counts["open"] == 0
    assert fates.counts["consolidated"] == plan.elements.exclude(kind="goal").count()
    assert fates.counts["merged"] >= 4 and fates.counts["declined"] >= 2
    asked = Counter(round_2011.submissions.filter(parent__isnull=False).values_list("status", flat=True))
    assert asked["accepted"] >= 12 and asked["waived"] == 1
    assert round_2011.submissions.filter(returned_count=1).count() >= 2
    client.force_login(User.objects.get(username="viewer"))
    api = client.get(f"/api/rounds/{round_2011.pk}/accounting").json()
    assert (api["total"], api["counts"], api["unaccounted"]) == (fates.total, fates.counts, 0)
    south = plan.elements.get(title="Extended working hours and lane management at road posts")
    # in English: the test client leaves the language of its last request (Azerbaijani) active
    with translation.override("en"):
        assert attribution_notes(south)[0].text == (
            "Proposed by Astara border post and Bilasuvar border post, merged by Southern Customs Directorate"
        )
    versions = list(plan.versions.order_by("number").values_list("event", "actor_title", "at__year"))
    assert versions == [
        ("submitted", "Head of Strategic Planning", 2011),
        ("approved", "Chairman", 2011),
        ("amendment", "Head of Strategic Planning", 2014),
        ("submitted", "Head of Strategic Planning", 2014),
        ("approved", "Chairman", 2014),
    ]
    amended = compare_plans(plan.versions.get(number=2).document, plan.versions.get(number=5).document)
    assert {(c.subject.value, c.key, c.old, c.new) for c in amended.changes} == {
        ("target", "2014", 50, 45),
        ("target", "2014", 600, 650),
    }
    # a round for the 2017–2021 draft is open and half-way
    live = PlanningRound.objects.get(plan__start_year=2017, status="open")
    live_statuses = set(live.submissions.filter(parent__isnull=False).values_list("status", flat=True))
    assert {"not_started", "drafting", "submitted", "returned", "accepted"} <= live_statuses
    # the monitoring cycle: 2012Q1–2014Q4, most reports on time, some late, the western
    # directorate missing 2013Q3, 2012 and early 2013 approved, an outlier with its comment
    data = completeness(plan)
    # (the year column follows its fourth quarter: the quarters run to 2014Q4, the year 2014 closes)
    assert [p.code for p in data.periods][:2] == ["2012Q1", "2012Q2"] and data.periods[-2].code == "2014Q4"
    assert data.periods[-1].code == "2014"
    assert data.overall.on_time > data.overall.late > 0 and data.overall.missing > 0
    assert data.overall.reporting_rate is not None and 75 < data.overall.reporting_rate < 100
    north = Submission.objects.filter(
        period__code="2013Q3", unit__path__startswith=OrgUnit.objects.get(code="RD-WST").path
    )
    assert north.exists() and not north.exclude(status="draft").exists()
    assert Submission.objects.filter(period__code="2012Q4", unit__code="SCC", status="approved").exists()
    assert Submission.objects.filter(period__code="2014Q4", status="draft", assignments__isnull=False).exists()
    # the walk-through: the Astara post's officer has its 2014 report to send (My work lists
    # it), and the post's earlier reports were sent by that officer, so that the directorate's
    # contributor may approve them (never the person who sent them)
    astara = User.objects.get(username="contributor.astara")
    assert [(s.unit.code, s.period.code) for s in my_reports(astara, plan) if s.status == "draft"] == [
        ("BP-AST", "2014")
    ]
    left = Submission.objects.get(unit__code="BP-AST", period__code="2014")
    assert f"/reports/{left.pk}/" in [item.url for item in work_items(astara)]
    sent = Submission.objects.filter(unit__code="BP-AST").exclude(status="draft")
    assert sent.exists() and set(sent.values_list("submitted_by__username", flat=True)) == {"contributor.astara"}
    outlier = Assignment.objects.get(outlier_confirmed=True)
    assert "amnesty" in outlier.comment and outlier.submission.status == "submitted"
    assert FollowUpAction.objects.filter(plan=plan).count() == 40
    assert FollowUpAction.objects.filter(status="done").exclude(evidence="").count() >= 20
    assert FollowUpAction.objects.filter(status__in=["open", "in_progress"], due_on__lt=dt.date(2015, 1, 1)).exists()
    for person in (
        "admin",
        "planner",
        "approver",
        "contributor",
        "contributor.west",
        "viewer",
        "me.officer",
        "risk.head",
    ):
        assert Notification.objects.filter(recipient__username=person).exists(), person

    # the workshops: the founding case finished, with its links into the plan; one in progress
    from waypoint.workshops import selectors as workshop_selectors
    from waypoint.workshops.models import Outcome, Participant, Workshop

    founding = Workshop.objects.get(title="Strategic planning workshop, Baku")
    assert founding.status == "closed" and founding.starts_on == dt.date(2011, 11, 14) and founding.plan == plan
    assert 25 <= founding.participants.count() <= 35
    assert [e.kind for e in founding.exercises.all()] == ["board", "board", "dot_vote", "pairwise"]
    swot_board = founding.exercises.get(title="SWOT of the customs service")
    assert swot_board.clusters.count() >= 10
    pairwise = founding.exercises.get(kind="pairwise")
    ranked = workshop_selectors.pairwise_result(pairwise).result
    assert ranked.consistent and ranked.pairs_compared == ranked.pairs_total
    kinds = Counter(Outcome.objects.filter(workshop=founding).values_list("kind", flat=True))
    assert kinds["analysis_item"] >= 10 and kinds["function"] == PlanFunction.objects.filter(plan=plan).count()
    assert kinds["element"] >= 5 and founding.actions.count() >= 5
    # the register names the workshop by its title, as an action put in from the room would
    details = {a.source_detail for a in founding.actions}
    assert details == {f"{founding.title}, What makes a good strategic plan?"}
    linked = Outcome.objects.filter(workshop=founding, kind="analysis_item").values_list("target_id", flat=True)
    assert set(linked) <= set(plan.analysis_items.values_list("pk", flat=True))
    in_progress = Workshop.objects.get(status="open")
    assert in_progress.exercises.filter(status="open").exists()
    assert Participant.objects.filter(workshop=in_progress, is_guest=True).exists()
    outcomes = Outcome.objects.count()
    build_demo(password="demo-password-1")
    assert {model: model.objects.count() for model in counts} == counts
    assert Outcome.objects.count() == outcomes and Workshop.objects.count() == 2
    assert Recommendation.objects.count() == 13


def _the_workforce_is_there(plan: Plan) -> None:
    """The people side (issue 17): about 1,200 officers, eight role profiles, the 2011 and
    2013 rounds, a catalogue, records 2012–2014 behind two indicators of the workforce goal, an
    optimised and adopted 2015 plan, and a unit small enough for the small-group rule."""
    from waypoint.people.models import AllocationRun, AssessmentRound, Course, Officer, RoleProfile, TrainingRecord

    officers = Officer.objects.filter(administration=plan.administration)
    assert 1100 <= officers.count() <= 1300
    assert RoleProfile.objects.count() == 8
    assert sorted(AssessmentRound.objects.values_list("code", flat=True)) == ["2011", "2013"]
    assert Course.objects.exclude(initiative=None).count() == Course.objects.count() >= 10
    years = {d.year for d in TrainingRecord.objects.values_list("completed_on", flat=True)}
    assert years == {2012, 2013, 2014}
    assert officers.filter(unit__code="HQ-LEG").count() < 5
    assert officers.filter(user__username="head.astara").count() == 1
    for name, near in (
        ("Officers trained in risk management and audit", {"2012": 140, "2013": 210, "2014": 190}),
        ("Training hours per officer", {"2012": 17, "2013": 25, "2014": 31}),
    ):
        indicator = Indicator.objects.get(plan=plan, name=name)
        computed = dict(Actual.objects.filter(indicator=indicator, unit__isnull=True).values_list("period", "value"))
        assert set(computed) == set(near), name
        assert all(Actual.objects.filter(indicator=indicator, unit__isnull=True).values_list("is_computed", flat=True))
        for period, value in near.items():
            assert abs(float(computed[period]) - value) <= 0.1 * value, (name, period, computed[period])
    run = AllocationRun.objects.get(plan=plan, year=2015)
    assert run.is_adopted and run.status == "done" and run.value is not None and run.greedy_value is not None
    assert run.value >= run.greedy_value and run.spent is not None and run.spent <= run.budget
