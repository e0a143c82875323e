from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from tests.mpxj_reader import read_project
from tests.roadmap.conftest import Roadmap, queued_scenario
from waypoint.roadmap import services
from waypoint.roadmap.models import BudgetCap, Dependency, Scenario, ScenarioStatus, ScheduleItem, Team


def _login(client: Client, roadmap: Roadmap, persona: str = "planner") -> None:
    client.force_login(roadmap.world.users[persona])


def _solved(roadmap: Roadmap, name: str = "First") -> Scenario:
    return services.scenario_create(actor=None, plan=roadmap.world.plan, name=name, time_limit_s=5, run_now=True)


def test_the_roadmap_page_invites_a_first_scenario(client: Client, roadmap: Roadmap) -> None:
    _login(client, roadmap)
    response = client.get(reverse("roadmap", args=[roadmap.world.plan.pk]))
    assert response.status_code == 200
    assert b"No roadmap has been computed" in response.content
    assert b"Solve a new scenario" in response.content


def test_solving_from_the_page_shows_the_gantt_chart(client: Client, roadmap: Roadmap) -> None:
    _login(client, roadmap)
    plan = roadmap.world.plan
    response = client.post(
        reverse("scenario-create", args=[plan.pk]), {"name": "Fast", "objective": "makespan", "time_limit_s": "10"}
    )
    scenario = Scenario.objects.get(name="Fast")
    assert response["Location"] == reverse("scenario-detail", args=[scenario.pk])
    assert scenario.status == ScenarioStatus.DONE  # the test backend runs tasks at once
    page = client.get(reverse("roadmap", args=[plan.pk]))
    tasks = page.context["tasks"]
    assert [t["name"].split()[0] for t in tasks] == ["I1.1.1", "A1.1.1.1", "A1.1.1.2", "I1.2.1"]
    training = next(t for t in tasks if t["name"].startswith("A1.1.1.2"))
    assert training["dependencies"] == f"e{roadmap.lanes.pk}"
    assert training["custom_class"] == "wp-activity-critical"
    assert b"frappe-gantt.umd.js" in page.content
    assert page.context["team_chart"] is not None


def test_scenario_form_errors_are_shown_on_their_fields(client: Client, roadmap: Roadmap) -> None:
    _login(client, roadmap)
    response = client.post(
        reverse("scenario-create", args=[roadmap.world.plan.pk]),
        {"name": "Late", "objective": "makespan", "time_limit_s": "10", "replan_from": "2031-01"},
    )
    assert response.status_code == 200
    assert "within the plan period" in str(response.context["form"].errors["replan_from"])
    assert not Scenario.objects.exists()


def test_the_status_panel_polls_until_done_then_reloads_the_page(client: Client, roadmap: Roadmap) -> None:
    _login(client, roadmap)
    scenario = queued_scenario(roadmap, "Waiting")
    Scenario.objects.filter(pk=scenario.pk).update(
        status=ScenarioStatus.RUNNING, progress={"elapsed": 2.5, "limit": 5, "best": 9, "bound": 7}
    )
    partial = client.get(reverse("scenario-detail", args=[scenario.pk]), headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert b'hx-trigger="every 1s"' in partial.content
    assert b"Best so far: 9 months" in partial.content
    assert b"<html" not in partial.content
    Scenario.objects.filter(pk=scenario.pk).update(status=ScenarioStatus.DONE)
    done = client.get(reverse("scenario-detail", args=[scenario.pk]), headers={"HX-Request": "true"})
    assert done.status_code == 204
    assert done["HX-Refresh"] == "true"


def test_a_planner_stops_a_queued_scenario(client: Client, roadmap: Roadmap) -> None:
    _login(client, roadmap)
    scenario = queued_scenario(roadmap, "Queued")
    client.post(reverse("scenario-cancel", args=[scenario.pk]))
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.CANCELLED


def test_approve_rename_and_delete_from_the_detail_page(client: Client, roadmap: Roadmap) -> None:
    first, second = _solved(roadmap, "First"), _solved(roadmap, "Second")
    _login(client, roadmap, "approver")
    client.post(reverse("scenario-approve", args=[first.pk]))
    first.refresh_from_db()
    assert first.is_baseline
    _login(client, roadmap)
    client.post(reverse("scenario-rename", args=[second.pk]), {"name": "Alternative"})
    detail = client.get(reverse("scenario-detail", args=[second.pk]))
    assert detail.context["months_after_baseline"] == 0
    assert b"Finishes with the approved baseline" in detail.content
    second.refresh_from_db()
    assert second.name == "Alternative"
    refused = client.post(reverse("scenario-delete", args=[first.pk]), follow=True)
    assert b"approved baseline" in refused.content
    assert Scenario.objects.filter(pk=first.pk).exists()
    client.post(reverse("scenario-delete", args=[second.pk]))
    assert not Scenario.objects.filter(pk=second.pk).exists()


def test_two_scenarios_side_by_side(client: Client, roadmap: Roadmap) -> None:
    first = _solved(roadmap, "First")
    services.item_save(actor=None, element=roadmap.lanes, values={"duration_months": 6}, demands={roadmap.team: 1})
    second = _solved(roadmap, "Longer lanes")
    _login(client, roadmap, "viewer")
    response = client.get(
        reverse("scenario-compare", args=[roadmap.world.plan.pk]), {"left": first.pk, "right": second.pk}
    )
    comparison = response.context["comparison"]
    assert (first.makespan_months, second.makespan_months) == (9, 11)
    training = next(r for r in comparison.rows if r.element.pk == roadmap.training.pk)
    assert training.shift_months == 2
    goal = next(r for r in comparison.results if r.element.code == "G1")
    assert goal.shift_months == 2
    assert [b["year"] for b in comparison.budget] == [2012]


def test_ms_project_export_and_import(client: Client, roadmap: Roadmap) -> None:
    scenario = _solved(roadmap)
    _login(client, roadmap, "viewer")
    exported = client.get(reverse("scenario-export", args=[scenario.pk]))
    assert exported["Content-Type"] == "application/xml"
    assert b"<WBS>A1.1.1.2</WBS>" in exported.content
    _login(client, roadmap)
    upload = SimpleUploadedFile("roadmap.xml", exported.content, content_type="application/xml")
    response = client.post(
        reverse("roadmap-import", args=[roadmap.world.plan.pk]), {"file": upload, "name": "From MSP"}
    )
    imported = Scenario.objects.get(name="From MSP")
    assert response["Location"] == reverse("scenario-detail", args=[imported.pk])
    assert imported.starts == scenario.starts
    bad = SimpleUploadedFile("roadmap.xml", b"<html/>", content_type="application/xml")
    response = client.post(reverse("roadmap-import", args=[roadmap.world.plan.pk]), {"file": bad, "name": "Bad"})
    assert "not an MS Project XML file" in str(response.context["form"].errors)


def test_the_ms_project_export_carries_the_plans_outline(client: Client, roadmap: Roadmap, tmp_path: Path) -> None:
    services.item_save(
        actor=None, element=roadmap.lanes, values={"duration_months": 4, "actual_start": dt.date(2012, 1, 1)}
    )
    scenario = services.scenario_create(
        actor=None,
        plan=roadmap.world.plan,
        name="Re-plan",
        time_limit_s=5,
        replan_from=dt.date(2012, 3, 1),
        run_now=True,
    )
    _login(client, roadmap, "viewer")
    path = tmp_path / "roadmap.xml"
    path.write_bytes(client.get(reverse("scenario-export", args=[scenario.pk])).content)
    project = read_project(path)
    tasks = [t for t in project.getTasks() if t.getUniqueID() != 0]
    outline = [(str(t.getWBS()), int(t.getOutlineLevel()), bool(t.getSummary())) for t in tasks]
    # goal > objective > initiative > activities; the joint controls are one task under O1.2;
    # the lanes' done part (history of the re-plan) sits just before the rest of them
    assert outline == [
        ("G1", 1, True),
        ("O1.1", 2, True),
        ("I1.1.1", 3, True),
        ("A1.1.1.1~done", 4, False),
        ("A1.1.1.1", 4, False),
        ("A1.1.1.2", 4, False),
        ("O1.2", 2, True),
        ("I1.2.1", 3, False),
    ]
    parents = {str(t.getWBS()): str(t.getParentTask().getWBS()) for t in tasks if t.getOutlineLevel() > 1}
    assert parents["A1.1.1.2"] == "I1.1.1" and parents["I1.2.1"] == "O1.2" and parents["O1.2"] == "G1"
    assert str(tasks[0].getName()) == "Faster clearance"


def test_schedule_data_form(client: Client, roadmap: Roadmap) -> None:
    _login(client, roadmap, "contributor")
    url = reverse("schedule-item-edit", args=[roadmap.lanes.pk])
    page = client.get(url)
    assert page.context["can_edit"]
    item = ScheduleItem.objects.get(element=roadmap.lanes)
    response = client.post(url, {"duration_months": "5", "weight": "4", "team_PROJ": "3", "version": item.version})
    assert "never has 3 people" in str(response.context["form"].errors["team_PROJ"])
    response = client.post(
        url,
        {"duration_months": "5", "weight": "4", "team_PROJ": "1", "deadline_on": "2013-02", "version": item.version},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.duration_months, item.weight, str(item.deadline_on)) == (5, 4, "2013-02-28")


def test_someone_elses_schedule_is_read_only(client: Client, roadmap: Roadmap) -> None:
    _login(client, roadmap, "contributor")
    page = client.get(reverse("schedule-item-edit", args=[roadmap.joint.pk]))
    assert not page.context["can_edit"]
    assert b"<fieldset disabled" in page.content


def test_links_of_the_initiative_show_on_its_activities(client: Client, roadmap: Roadmap) -> None:
    services.dependency_add(
        actor=None, before=roadmap.joint, after=roadmap.world.elements["I1.1.1"], kind="SS", lag_months=2
    )
    _login(client, roadmap, "viewer")
    page = client.get(reverse("schedule-item-edit", args=[roadmap.training.pk]))
    assert [d.before.code for d in page.context["inherited"]] == ["I1.2.1"]
    assert b"through its initiative I1.1.1" in page.content


def test_dependencies_are_added_and_removed_on_the_schedule_page(client: Client, roadmap: Roadmap) -> None:
    _login(client, roadmap)
    url = reverse("dependency-add", args=[roadmap.lanes.pk])
    cycle = client.post(url, {"before": roadmap.training.pk, "kind": "FS", "lag_months": "0"})
    assert "cycle" in str(cycle.context["form"].errors)
    response = client.post(url, {"before": roadmap.joint.pk, "kind": "SS", "lag_months": "1"})
    assert response.status_code == 302
    dependency = Dependency.objects.get(before=roadmap.joint, after=roadmap.lanes)
    client.post(reverse("dependency-delete", args=[roadmap.lanes.pk, dependency.pk]))
    assert not Dependency.objects.filter(pk=dependency.pk).exists()


def test_teams_and_caps_page(client: Client, roadmap: Roadmap) -> None:
    _login(client, roadmap)
    plan, source = roadmap.world.plan, roadmap.world.source
    url = reverse("roadmap-resources", args=[plan.pk])
    bad = client.post(url, {f"cap_{source.pk}_2012": "-5", f"cap_{source.pk}_2013": "100000"})
    assert bad.status_code == 200
    assert not BudgetCap.objects.exists()
    client.post(url, {f"cap_{source.pk}_2012": "200000"})
    assert BudgetCap.objects.get().amount == 200000
    form = client.post(
        reverse("team-edit", args=[plan.pk, roadmap.team.pk]),
        {
            "code": "PROJ",
            "name": "Project team",
            "capacity": "2",
            "changes": "2013-01: 3\nsoon: 4",
            "version": roadmap.team.version,
        },
    )
    assert "Line 2" in str(form.context["form"].errors["changes"])
    page = client.get(url)
    assert page.context["teams"][0].total_demand == 3
    client.post(reverse("team-delete", args=[plan.pk, roadmap.team.pk]))
    assert not Team.objects.exists()


def test_work_items_can_be_searched(client: Client, roadmap: Roadmap) -> None:
    _login(client, roadmap, "contributor_west")
    url = reverse("roadmap-work", args=[roadmap.world.plan.pk])
    everything = client.get(url)
    assert everything.context["total"] == 4
    found = client.get(url, {"q": "train"})
    assert [r.element.code for r in found.context["page"]] == ["A1.1.1.2"]
    mine = client.get(url, {"mine": "1"})
    assert [r.element.code for r in mine.context["page"]] == ["I1.2.1"]
    assert mine.context["editable"] == {roadmap.joint.pk}


def test_the_gantt_data_is_valid_json_for_the_page(client: Client, roadmap: Roadmap) -> None:
    _solved(roadmap)
    _login(client, roadmap, "viewer")
    page = client.get(reverse("roadmap", args=[roadmap.world.plan.pk]), {"zoom": "Year"})
    assert page.context["view_mode"] == "Year"
    content = page.content.decode()
    start = content.index('<script id="gantt-tasks" type="application/json">') + len(
        '<script id="gantt-tasks" type="application/json">'
    )
    assert len(json.loads(content[start : content.index("</script>", start)])) == 4


def test_a_roadmap_that_runs_past_the_plan_period_is_flagged(client: Client, roadmap: Roadmap) -> None:
    from waypoint.plans.quality import plan_quality

    plan = roadmap.world.plan  # 2012–2016
    on_time = _solved(roadmap, "On time")
    services.item_save(actor=None, element=roadmap.joint, values={"duration_months": 60})
    late = _solved(roadmap, "Late")  # one person: the lanes, the training, then 60 months of joint work
    assert (late.makespan_months, late.months_after_plan, on_time.months_after_plan) == (66, 6, 0)
    warning = "6 months of work fall after the plan's last year (2016)"
    _login(client, roadmap, "viewer")
    detail = client.get(reverse("scenario-detail", args=[late.pk])).content.decode()
    assert warning in detail
    assert warning not in client.get(reverse("scenario-detail", args=[on_time.pk])).content.decode()
    compared = client.get(reverse("scenario-compare", args=[plan.pk]), {"left": on_time.pk, "right": late.pk})
    assert "B: Late runs past the plan period: 6 months of work fall after 2016." in compared.content.decode()
    assert "past the plan period" in client.get(reverse("roadmap", args=[plan.pk])).content.decode()
    # the plan's health checks the roadmap it shows: the newest, until a baseline is approved
    message = "The roadmap “Late” finishes in 2017-06, 6 months after the plan's last year 2016."
    assert [f.message for f in plan_quality(plan).findings if f.rule == "Q403"] == [message]
    assert escape(message) in client.get(reverse("plan-health", args=[plan.pk])).content.decode()
    services.scenario_approve(actor=None, scenario=on_time)
    assert not [f for f in plan_quality(plan).findings if f.rule == "Q403"]
