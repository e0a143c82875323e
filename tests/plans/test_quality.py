"""Plan health: the same findings on the page, in the API and from `waypoint check`; rules
switched off or re-graded with a reason; new plan-file sections survive the round trip."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.diagnostics.conftest import make_assessment
from tests.world import World
from waypoint.core.errors import InvalidInput, NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.diagnostics import services as diagnostics_services
from waypoint.engine.quality.cli import main as check_main
from waypoint.indicators import services as indicator_services
from waypoint.plans import quality
from waypoint.plans.errors import PlanFileInvalid
from waypoint.plans.models import Plan, QualityRuleSetting
from waypoint.plans.planfile import plan_export_json, plan_import
from waypoint.roadmap import services as roadmap_services


def rules_of(plan: Plan) -> set[tuple[str, str]]:
    return {(f.rule, f.subject_code) for f in quality.plan_quality(plan).findings}


def page_findings(client: Client, plan: Plan) -> list[tuple[str, str]]:
    text = client.get(reverse("plan-health", args=[plan.pk])).content.decode()
    return re.findall(r'data-rule="(Q\d+)" data-code="([^"]*)"', text)


def test_fixing_a_finding_makes_it_disappear(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    south = world.indicators["south"]
    assert south.data_source == ""
    assert ("Q203", south.code) in page_findings(client, world.plan)
    indicator_services.indicator_update(
        actor=None, indicator=south, expected_version=None, changes={"data_source": "ASYCUDA"}
    )
    assert ("Q203", south.code) not in page_findings(client, world.plan)


def test_the_page_the_api_and_waypoint_check_agree(world: World, client: Client, tmp_path: Path, capsys: Any) -> None:
    assessment = make_assessment(world)
    diagnostics_services.recommendation_save(actor=None, assessment=assessment, area="SP", text="Unanswered")
    client.force_login(world.users["viewer"])
    on_page = page_findings(client, world.plan)
    assert ("Q501", "DIAG-2011/R1") in on_page
    from_api = client.get(f"/api/plans/{world.plan.pk}/health").json()
    assert [(f["rule"], f["code"]) for f in from_api["findings"]] == on_page
    path = tmp_path / "plan.json"
    path.write_text(plan_export_json(world.plan), encoding="utf-8")
    status = check_main([str(path), "--format", "json"])
    from_cli = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["code"]) for f in from_cli["findings"]] == on_page
    assert from_cli["findings"] == from_api["findings"]
    assert status == (1 if from_api["counts"]["error"] else 0)


def test_a_rule_is_switched_off_only_with_a_reason(world: World) -> None:
    planner = world.users["planner"]
    assert any(rule == "Q602" for rule, _code in rules_of(world.plan))
    with pytest.raises(InvalidInput) as refused:
        quality.quality_rule_set(actor=planner, plan=world.plan, rule="Q602", enabled=False, severity="", reason=" ")
    assert refused.value.problems[0].location == "reason"
    quality.quality_rule_set(
        actor=planner, plan=world.plan, rule="Q602", enabled=False, severity="", reason="Objectives run to 2016"
    )
    report = quality.plan_quality(world.plan)
    assert not any(f.rule == "Q602" for f in report.findings)
    assert [(s.rule, s.reason) for s in report.switched_off] == [("Q602", "Objectives run to 2016")]
    event = AuditEvent.objects.filter(entity="plans.QualityRuleSetting").latest("id")
    assert event.actor_name == "planner"
    assert event.changes["after"]["enabled"] is False
    quality.quality_rule_set(actor=planner, plan=world.plan, rule="Q602", enabled=True, severity="", reason="")
    assert not QualityRuleSetting.objects.exists()
    assert any(rule == "Q602" for rule, _code in rules_of(world.plan))


def test_a_rule_can_be_regraded(world: World) -> None:
    quality.quality_rule_set(
        actor=None, plan=world.plan, rule="Q602", enabled=True, severity="error", reason="The ministry demands dates"
    )
    findings = [f for f in quality.plan_quality(world.plan).findings if f.rule == "Q602"]
    assert findings
    assert all(f.severity.value == "error" and f.default_severity is not None for f in findings)


def test_rule_settings_are_checked(world: World) -> None:
    with pytest.raises(InvalidInput):
        quality.quality_rule_set(actor=None, plan=world.plan, rule="Q999", enabled=False, severity="", reason="x")
    with pytest.raises(InvalidInput):
        quality.quality_rule_set(actor=None, plan=world.plan, rule="Q602", enabled=True, severity="fatal", reason="x")
    with pytest.raises(NotAllowed):
        quality.quality_rule_set(
            actor=world.users["contributor"], plan=world.plan, rule="Q602", enabled=False, severity="", reason="x"
        )


def test_the_settings_form_reports_a_missing_reason(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    url = reverse("plan-health-rule", args=[world.plan.pk, "Q603"])
    response = client.post(url, {"severity": "error", "enabled": "on"}, follow=True)
    assert "Q603: Say why this plan departs from the rule" in response.content.decode()
    client.post(url, {"severity": "error", "enabled": "on", "reason": "Ministry template"})
    assert QualityRuleSetting.objects.get(rule="Q603").severity == "error"


def test_the_tree_shows_a_badge_on_elements_with_findings(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    text = client.get(reverse("plan-tree", args=[world.plan.pk])).content.decode()
    checks = quality.quality_page(world.plan).by_element
    assert checks
    code, found = next(iter(checks.items()))
    row = re.search(rf'data-code="{re.escape(code)}".*?</div>', text, re.S)
    assert row is not None
    assert f"{found.count} check" in row.group(0)


def test_the_rule_catalogue_is_served_by_the_api(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    rules = client.get("/api/quality/rules").json()
    assert rules[0]["code"] == "Q101"
    refused = client.put(
        f"/api/plans/{world.plan.pk}/quality-rules/Q602",
        {"enabled": False, "reason": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    client.force_login(world.users["planner"])
    response = client.put(
        f"/api/plans/{world.plan.pk}/quality-rules/Q602",
        {"enabled": False, "reason": "Dates are the plan's"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["switched_off"] == [{"rule": "Q602", "reason": "Dates are the plan's"}]


def enrich_sections(world: World) -> None:
    e = world.elements
    assessment = make_assessment(world)
    diagnostics_services.recommendation_save(
        actor=None, assessment=assessment, area="SP", text="Automate", elements=[e["I1.1.1"]]
    )
    diagnostics_services.recommendation_save(
        actor=None, assessment=assessment, area="IN", text="Integrity", elements=[]
    )
    roadmap_services.budget_caps_save(actor=None, plan=world.plan, caps={(world.source, 2013): Decimal(1000)})
    before, after = [x for x in e.values() if x.kind == "initiative"][:2]
    roadmap_services.dependency_add(actor=None, before=before, after=after, kind="SS", lag_months=2)
    quality.quality_rule_set(actor=None, plan=world.plan, rule="Q602", enabled=False, severity="", reason="Plan period")


def test_the_new_sections_survive_export_and_import(world: World) -> None:
    enrich_sections(world)
    first = plan_export_json(world.plan)
    document = json.loads(first)
    assert [r["addressed_by"] for r in document["recommendations"]] == [["I1.1.1"], []]
    assert document["budget_caps"] == [{"source": world.source.name, "year": 2013, "amount": 1000}]
    assert document["dependencies"][0]["kind"] == "SS"
    assert document["quality_rules"] == [{"rule": "Q602", "enabled": False, "severity": None, "reason": "Plan period"}]
    world.plan.delete()  # the assessment and the units stay, as in another plan of the same administration
    plan = plan_import(first, actor=None)
    assert plan_export_json(plan) == first


def test_bad_sections_are_refused_with_their_paths(world: World) -> None:
    enrich_sections(world)
    document = json.loads(plan_export_json(world.plan))
    world.plan.delete()
    document["dependencies"][0]["after"] = "I9.9.9"
    document["budget_caps"][0]["source"] = "Nobody"
    # a recommendation the administration does not have is kept unlinked (a warning, see
    # tests/plans/test_plan_import.py); the same one twice is refused
    document["recommendations"][0]["code"] = "R7"
    document["recommendations"].append(dict(document["recommendations"][0]))
    document["recommendations"][1]["addressed_by"] = ["A1.1.1.1"]
    document["quality_rules"].append({"rule": "Q999", "reason": "x"})
    with pytest.raises(PlanFileInvalid) as refused:
        plan_import(json.dumps(document), actor=None)
    locations = {p.location for p in refused.value.problems}
    assert {
        "$.dependencies[0].after",
        "$.budget_caps[0].source",
        "$.recommendations[2]",
        "$.recommendations[1].addressed_by[0]",
        "$.quality_rules[1].rule",
    } <= locations
    assert "$.recommendations[0]" not in locations
    assert not Plan.objects.exists()


def test_findings_are_grouped_by_severity_then_subject_and_badges_find_their_heading(
    world: World, client: Client
) -> None:
    page = quality.quality_page(world.plan)
    for _severity, count, subjects in page.groups:
        assert count == sum(len(group.findings) for group in subjects)
        keys = [(group.subject, group.code) for group in subjects]
        assert len(keys) == len(set(keys)), "one heading per subject and severity"
    assert quality.element_checks(world.plan) == page.by_element  # the tree's badges
    anchors = {group.anchor for _s, _c, subjects in page.groups for group in subjects if group.anchor}
    assert {f"el-{code}" for code in page.by_element} == anchors
    client.force_login(world.users["viewer"])
    text = client.get(reverse("plan-health", args=[world.plan.pk])).content.decode()
    for anchor in anchors:
        assert f'id="{anchor}"' in text


def test_fix_links_lead_only_where_the_reader_may_fix_and_targets_to_the_grid(world: World, client: Client) -> None:
    # a viewer was offered 34 "Fix" links on the demo plan, each ending on "You cannot do this"
    client.force_login(world.users["viewer"])
    page = client.get(reverse("plan-health", args=[world.plan.pk])).content.decode()
    assert '<li class="list-group-item small' in page and ">Fix</a>" not in page
    client.force_login(world.users["planner"])
    page = client.get(reverse("plan-health", args=[world.plan.pk])).content.decode()
    found = re.findall(r'data-rule="(Q\d+)" data-code="([^"]+)">.*?<a href="([^"]+)">Fix</a>', page, re.S)
    links = {rule: url for rule, _code, url in found}
    assert links["Q207"].endswith("/targets/")  # a missing target is fixed on the targets grid
    assert links["Q203"].endswith("/edit/")  # a missing data source on the indicator's form
