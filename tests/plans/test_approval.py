"""Plan approval, the lock on an approved plan, amendments and versions."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.world import World
from waypoint.core.errors import NotAllowed
from waypoint.engine.plandiff.cli import main as plan_diff
from waypoint.indicators import services as indicator_services
from waypoint.org.models import Notification
from waypoint.plans import selectors, services
from waypoint.plans.errors import PlanFileInvalid, PlanLocked, PlanRuleBroken
from waypoint.plans.models import PlanStatus, VersionEvent
from waypoint.plans.planfile import plan_export, plan_import
from waypoint.roadmap import services as roadmap_services


def approve(world: World, comment: str = "Approved as submitted.") -> None:
    services.plan_set_status(actor=world.users["planner"], plan=world.plan, status="under_review")
    services.plan_set_status(actor=world.users["approver"], plan=world.plan, status="approved", note=comment)


def test_submission_and_decision_are_made_by_the_right_roles_and_recorded_with_name_date_and_comment(
    world: World,
) -> None:
    approver = world.users["approver"]
    approver.first_name, approver.last_name, approver.job_title = "Rauf", "Hasanov", "Deputy Chairman"
    approver.save()
    with pytest.raises(NotAllowed):
        services.plan_set_status(actor=world.users["contributor"], plan=world.plan, status="under_review")
    services.plan_set_status(actor=world.users["planner"], plan=world.plan, status="under_review", note="Ready")
    assert Notification.objects.filter(recipient=approver, key=f"plan:{world.plan.pk}:version:1").exists()
    # an approver returns it with comments, never without
    with pytest.raises(PlanRuleBroken, match="returned with comments"):
        services.plan_set_status(actor=approver, plan=world.plan, status="draft")
    services.plan_set_status(actor=approver, plan=world.plan, status="draft", note="Add the western targets")
    assert Notification.objects.filter(recipient=world.users["planner"], key__endswith=":version:2").exists()
    approve(world, comment="Approved by the Chairman's order 14/2011")
    versions = selectors.plan_versions(world.plan)
    assert [(v.number, v.event) for v in versions] == [
        (4, "approved"),
        (3, "submitted"),
        (2, "returned"),
        (1, "submitted"),
    ]
    decision = versions[0]
    assert (decision.actor_name, decision.actor_title, decision.comment) == (
        "Rauf Hasanov",
        "Deputy Chairman",
        "Approved by the Chairman's order 14/2011",
    )
    assert decision.document["plan"]["status"] == "approved"
    # an approved plan goes back to draft only through an amendment, opened by a planner
    with pytest.raises(NotAllowed):
        services.amendment_open(actor=approver, plan=world.plan, reason="Why not")


def test_an_approved_plan_refuses_content_changes_in_services_and_keeps_monitoring_open(world: World) -> None:
    approve(world)
    plan, planner = world.plan, world.users["planner"]
    south = world.indicators["south"]
    refused = [
        lambda: services.element_update(
            actor=planner, element=world.elements["O1.1"], expected_version=None, changes={"title": "x"}
        ),
        lambda: services.element_create(
            actor=planner, plan=plan, parent=world.elements["G1"], title="New", responsible_unit=world.unit("RD-S")
        ),
        lambda: services.element_delete(actor=planner, element=world.elements["I1.2.1"]),
        lambda: services.budget_line_save(
            actor=planner, element=world.elements["I1.2.1"], year=2014, funding_source=world.source, amount=Decimal(1)
        ),
        lambda: services.risk_save(
            actor=planner, element=world.elements["I1.2.1"], description="Flood", likelihood=2, impact=2
        ),
        lambda: services.plan_update(actor=planner, plan=plan, expected_version=None, changes={"vision": "x"}),
        lambda: indicator_services.target_set(
            actor=planner, indicator=south, period="2013", value=Decimal(1), reason="x"
        ),
        lambda: indicator_services.indicator_update(
            actor=planner, indicator=south, expected_version=None, changes={"name": "x"}
        ),
        # the system (imports, the demo) is held to the lock as well
        lambda: indicator_services.target_set(actor=None, indicator=south, period="2014", value=Decimal(1), reason="x"),
    ]
    for write in refused:
        with pytest.raises(PlanLocked, match="approved and locked"):
            write()
    # how the work goes stays open: actual values, implementation status, the schedule
    indicator_services.actual_record(actor=world.users["contributor"], indicator=south, period="2013", value=Decimal(7))
    services.element_update(
        actor=world.users["contributor"],
        element=world.elements["I1.1.1"],
        expected_version=None,
        changes={"status": "in_progress"},
    )
    roadmap_services.item_save(
        actor=world.users["contributor"], element=world.elements["A1.1.1.1"], values={"duration_months": 4, "weight": 3}
    )


def test_the_lock_is_refused_with_its_reason_on_pages_and_in_the_api(world: World, client: Client) -> None:
    approve(world)
    client.force_login(world.users["planner"])
    for url in (
        reverse("element-edit", args=[world.elements["O1.1"].pk]),
        reverse("element-create", args=[world.plan.pk]),
        reverse("budget-line-create", args=[world.elements["A1.1.1.1"].pk]),
        reverse("target-edit", args=[world.indicators["south"].pk, "2013"]),
        reverse("indicator-edit", args=[world.indicators["south"].pk]),
        reverse("plan-edit", args=[world.plan.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "approved and locked" in response.content.decode(), url
    element = world.elements["O1.1"]
    response = client.patch(
        f"/api/elements/{element.pk}",
        data=json.dumps({"version": element.version, "title": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 403 and response.json()["code"] == "plan_locked"
    assert "amendment" in response.json()["message"]
    response = client.put(
        f"/api/indicators/{world.indicators['west'].pk}/targets/2013",
        data=json.dumps({"value": 1, "reason": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 403 and response.json()["code"] == "plan_locked"
    # an initiative's page offers its implementation status only; other fields sent are ignored
    initiative = world.elements["I1.1.1"]
    page = client.get(reverse("element-edit", args=[initiative.pk])).content.decode()
    assert 'data-testid="status-only"' in page and 'name="title"' not in page
    response = client.post(
        reverse("element-edit", args=[initiative.pk]),
        {"status": "delayed", "title": "Sneaked in", "version": initiative.version},
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.status, initiative.title) == ("delayed", "Lane management at South Post One")


def test_an_amendment_goes_through_approval_and_the_diff_of_the_versions_lists_exactly_its_changes(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], client: Client
) -> None:
    approve(world)
    planner = world.users["planner"]
    amendment = services.amendment_open(actor=planner, plan=world.plan, reason="Targets re-based after the 2012 TRS")
    assert world.plan.status == PlanStatus.DRAFT and amendment.number == 1
    element = world.elements["O1.2"]
    services.element_update(
        actor=planner, element=element, expected_version=None, changes={"title": "Halve release time in the west"}
    )
    indicator_services.target_set(
        actor=planner, indicator=world.indicators["south"], period="2014", value=Decimal("6.5"), reason="Re-based"
    )
    line = world.elements["I1.2.1"].budget_lines.get()
    services.budget_line_save(
        actor=planner,
        element=world.elements["I1.2.1"],
        year=line.year,
        funding_source=line.funding_source,
        amount=Decimal(60000),
        line=line,
    )
    services.plan_set_status(actor=planner, plan=world.plan, status="under_review")
    services.plan_set_status(actor=world.users["approver"], plan=world.plan, status="approved", note="Amendment 1")
    amendment.refresh_from_db()
    assert amendment.status == "approved" and amendment.closed_at is not None
    # the new values hold, and are locked again
    element.refresh_from_db()
    assert element.title == "Halve release time in the west"
    assert world.indicators["south"].targets.get(period="2014").value == Decimal("6.5")
    with pytest.raises(PlanLocked):
        services.element_update(actor=planner, element=element, expected_version=None, changes={"title": "y"})
    events = [(v.number, v.event) for v in selectors.plan_versions(world.plan)]
    assert events == [(5, "approved"), (4, "submitted"), (3, "amendment"), (2, "approved"), (1, "submitted")]

    before, after = tmp_path / "v2.json", tmp_path / "v5.json"
    for number, path in ((2, before), (5, after)):
        path.write_text(json.dumps(selectors.version_for(world.plan, number).document), encoding="utf-8")
    assert plan_diff([str(before), str(after), "--format", "json"]) == 1
    changes = json.loads(capsys.readouterr().out)["changes"]
    assert [(c["subject"], c["code"], c["key"], c["field"], c["old"], c["new"]) for c in changes] == [
        ("element", "O1.2", "", "title", "Cut release time in the west", "Halve release time in the west"),
        ("budget", "I1.2.1", "2013 State budget", "amount", 50000, 60000),
        ("target", "KPI-01", "2014", "value", 7, 6.5),
    ]
    # the page and the API compare the same way
    client.force_login(world.users["viewer"])
    api = client.get(f"/api/plans/{world.plan.pk}/versions/compare?old=2&new=5").json()
    assert api["counts"] == {"added": 0, "removed": 0, "moved": 0, "changed": 3}
    page = client.get(reverse("plan-version-compare", args=[world.plan.pk]) + "?old=2&new=5").content.decode()
    assert "Halve release time in the west" in page and 'data-testid="changes-target"' in page
    file = client.get(reverse("plan-version-file", args=[world.plan.pk, 5]))
    titles = {e["code"]: e["title"] for e in json.loads(file.content)["elements"]}
    assert titles["O1.2"] == "Halve release time in the west"


def test_the_approval_page_offers_each_person_their_moves(world: World, client: Client) -> None:
    url = reverse("plan-approval", args=[world.plan.pk])
    client.force_login(world.users["planner"])
    assert 'data-testid="decision-under_review"' in client.get(url).content.decode()
    services.plan_set_status(actor=world.users["planner"], plan=world.plan, status="under_review")
    page = client.get(url).content.decode()
    assert "Withdraw from approval" in page and "Approve" not in page
    client.force_login(world.users["approver"])
    page = client.get(url).content.decode()
    assert 'data-testid="decision-approved"' in page and "Return with comments" in page
    response = client.post(reverse("plan-status", args=[world.plan.pk]), {"status": "approved", "note": "Good"})
    assert response.status_code == 302 and response["Location"] == url
    client.force_login(world.users["viewer"])
    page = client.get(url).content.decode()
    assert 'data-testid="lock-reason"' in page and 'data-testid="decision-' not in page
    assert str(VersionEvent.APPROVED.label) in page


def test_an_import_never_writes_into_an_approved_plan(world: World) -> None:
    """The plan file is the only import that carries plan content, and it never writes into a
    plan that exists: the approved plan's file, changed, is refused as a second copy of the
    plan; under a new title it becomes a new draft. The approved plan stays as it was."""
    approve(world)
    document = plan_export(world.plan)
    code = document["elements"][0]["code"]
    document["elements"][0]["title"] = "Changed in the file"
    with pytest.raises(PlanFileInvalid) as refused:
        plan_import(document, actor=world.users["planner"])
    assert [p.location for p in refused.value.problems] == ["$.plan.title"]
    document["plan"]["title"] = "Plan 2012–2016, as changed elsewhere"
    imported = plan_import(document, actor=world.users["planner"])
    assert imported.pk != world.plan.pk and imported.status == PlanStatus.DRAFT
    assert imported.elements.get(code=code).title == "Changed in the file"
    world.plan.refresh_from_db()
    assert world.plan.status == PlanStatus.APPROVED
    assert world.plan.elements.get(code=code).title != "Changed in the file"
