from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.roadmap.conftest import Roadmap, queued_scenario
from tests.world import World
from waypoint.core.errors import EditConflict, NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.roadmap import msproject, services, worker
from waypoint.roadmap.errors import RoadmapRuleBroken
from waypoint.roadmap.models import BudgetCap, Dependency, Scenario, ScenarioStatus, ScheduleItem, Team


def locations(error: RoadmapRuleBroken) -> dict[str, str]:
    return {p.location: p.message for p in error.problems}


def _solve(r: Roadmap, replan_from: dt.date | None = None) -> Scenario:
    return services.scenario_create(
        actor=r.world.users["planner"], plan=r.world.plan, name="Test", time_limit_s=5, replan_from=replan_from
    )


# --- teams ---------------------------------------------------------------------------------------------


def test_a_team_code_is_unique_in_the_plan(roadmap: Roadmap) -> None:
    with pytest.raises(RoadmapRuleBroken) as caught:
        services.team_save(actor=None, plan=roadmap.world.plan, code="PROJ", name="Again", capacity=2)
    assert "PROJ" in locations(caught.value)["code"]


def test_capacity_changes_must_fall_in_the_period_once_per_month(roadmap: Roadmap) -> None:
    with pytest.raises(RoadmapRuleBroken) as caught:
        services.team_save(
            actor=None,
            plan=roadmap.world.plan,
            team=roadmap.team,
            code="PROJ",
            name="Project team",
            capacity=1,
            changes=[(dt.date(2020, 1, 1), 3), (dt.date(2013, 1, 1), 2), (dt.date(2013, 1, 15), 2)],
        )
    messages = [p.message for p in caught.value.problems]
    assert any("2020-01" in m for m in messages)
    assert any("at most one" in m for m in messages)


def test_shrinking_a_team_below_a_demand_is_refused(roadmap: Roadmap) -> None:
    with pytest.raises(RoadmapRuleBroken) as caught:
        services.team_save(
            actor=None, plan=roadmap.world.plan, team=roadmap.team, code="PROJ", name="Project team", capacity=0
        )
    assert "Project team" in caught.value.message or "PROJ" in caught.value.message
    assert Team.objects.get(pk=roadmap.team.pk).capacity == 1


def test_team_changes_are_audited_and_versioned(roadmap: Roadmap) -> None:
    planner = roadmap.world.users["planner"]
    read_version = roadmap.team.version
    services.team_save(
        actor=planner,
        plan=roadmap.world.plan,
        team=roadmap.team,
        code="PROJ",
        name="Project team",
        capacity=2,
        changes=[(dt.date(2014, 1, 1), 3)],
        expected_version=read_version,
    )
    event = AuditEvent.objects.filter(entity="roadmap.Team", action="update").latest("at")
    assert event.actor == planner
    assert event.changes["capacity"] == [1, 2]
    assert event.changes["changes"] == [[], ["2014-01: 3"]]
    with pytest.raises(EditConflict):
        services.team_save(
            actor=planner,
            plan=roadmap.world.plan,
            team=Team.objects.get(pk=roadmap.team.pk),
            code="PROJ",
            name="Stale",
            capacity=2,
            expected_version=read_version,
        )


def test_a_contributor_cannot_change_teams(roadmap: Roadmap) -> None:
    with pytest.raises(NotAllowed):
        services.team_save(
            actor=roadmap.world.users["contributor"], plan=roadmap.world.plan, code="X", name="X", capacity=1
        )


# --- schedule data ---------------------------------------------------------------------------------------


def test_schedule_data_is_checked_field_by_field(roadmap: Roadmap) -> None:
    with pytest.raises(RoadmapRuleBroken) as caught:
        services.item_save(
            actor=None,
            element=roadmap.lanes,
            values={
                "duration_months": 6,
                "release_on": dt.date(2013, 6, 1),
                "deadline_on": dt.date(2013, 3, 31),
                "actual_finish": dt.date(2012, 5, 1),
                "weight": 9,
            },
            demands={roadmap.team: 2},
        )
    where = locations(caught.value)
    assert "before the date it may start" in where["deadline_on"]
    assert "actual start before" in where["actual_start"]
    assert "priority" in where["weight"]
    assert "never has 2 people" in where["team_PROJ"]
    assert ScheduleItem.objects.get(element=roadmap.lanes).duration_months == 4


def test_too_little_time_between_release_and_deadline(roadmap: Roadmap) -> None:
    with pytest.raises(RoadmapRuleBroken) as caught:
        services.item_save(
            actor=None,
            element=roadmap.lanes,
            values={"duration_months": 6, "release_on": dt.date(2013, 1, 1), "deadline_on": dt.date(2013, 3, 31)},
        )
    assert "only 3 months for 6 months" in locations(caught.value)["deadline_on"]


def test_actual_dates_cannot_be_in_the_future_or_reversed(roadmap: Roadmap) -> None:
    with pytest.raises(RoadmapRuleBroken) as caught:
        services.item_save(
            actor=None,
            element=roadmap.lanes,
            values={"duration_months": 4, "actual_start": dt.date(2013, 5, 1), "actual_finish": dt.date(2013, 2, 1)},
        )
    assert "before the actual start" in locations(caught.value)["actual_finish"]
    future = timezone.localdate() + dt.timedelta(days=40)
    with pytest.raises(RoadmapRuleBroken) as caught:
        services.item_save(actor=None, element=roadmap.lanes, values={"duration_months": 4, "actual_start": future})
    assert any("future" in p.message for p in caught.value.problems)


def test_a_contributor_keeps_the_schedule_of_own_units_only(roadmap: Roadmap) -> None:
    south = roadmap.world.users["contributor"]
    services.item_save(actor=south, element=roadmap.lanes, values={"duration_months": 5})
    assert ScheduleItem.objects.get(element=roadmap.lanes).duration_months == 5
    with pytest.raises(NotAllowed):
        services.item_save(actor=south, element=roadmap.joint, values={"duration_months": 5})


def test_schedule_edits_detect_concurrent_changes(roadmap: Roadmap) -> None:
    item = ScheduleItem.objects.get(element=roadmap.lanes)
    services.item_save(actor=None, element=roadmap.lanes, values={"duration_months": 5}, expected_version=item.version)
    with pytest.raises(EditConflict):
        services.item_save(
            actor=None, element=roadmap.lanes, values={"duration_months": 6}, expected_version=item.version
        )


def test_goals_and_objectives_are_not_scheduled(roadmap: Roadmap) -> None:
    with pytest.raises(RoadmapRuleBroken) as caught:
        services.item_save(actor=None, element=roadmap.world.elements["O1.1"], values={"duration_months": 2})
    assert "element" in locations(caught.value)


# --- dependencies --------------------------------------------------------------------------------------


def test_a_cycle_is_refused_and_nothing_is_saved(roadmap: Roadmap) -> None:
    before = Dependency.objects.count()
    with pytest.raises(RoadmapRuleBroken) as caught:
        services.dependency_add(actor=None, before=roadmap.training, after=roadmap.lanes)
    assert "cycle" in caught.value.message
    assert "A1.1.1.1" in caught.value.message
    assert Dependency.objects.count() == before


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [("lanes", "lanes", "itself"), ("initiative", "lanes", "part of each other"), ("lanes", "training", "already")],
)
def test_meaningless_dependencies_are_refused(roadmap: Roadmap, before: str, after: str, message: str) -> None:
    elements = {"lanes": roadmap.lanes, "training": roadmap.training, "initiative": roadmap.world.elements["I1.1.1"]}
    with pytest.raises(RoadmapRuleBroken) as caught:
        services.dependency_add(actor=None, before=elements[before], after=elements[after])
    assert message in caught.value.message


def test_dependencies_are_audited(roadmap: Roadmap) -> None:
    planner = roadmap.world.users["planner"]
    dependency = services.dependency_add(
        actor=planner, before=roadmap.lanes, after=roadmap.joint, kind="SS", lag_months=2
    )
    services.dependency_delete(actor=planner, dependency=dependency)
    actions = list(AuditEvent.objects.filter(entity="roadmap.Dependency").values_list("action", flat=True))
    assert actions.count("create") >= 1
    assert "delete" in actions


# --- budget caps ---------------------------------------------------------------------------------------


def test_caps_are_set_changed_and_removed_in_one_audited_write(roadmap: Roadmap) -> None:
    plan, source = roadmap.world.plan, roadmap.world.source
    assert (
        services.budget_caps_save(actor=None, plan=plan, caps={(source, 2012): Decimal(50000), (source, 2013): None})
        == 1
    )
    assert services.budget_caps_save(actor=None, plan=plan, caps={(source, 2012): None}) == 1
    assert not BudgetCap.objects.filter(plan=plan).exists()
    event = AuditEvent.objects.filter(entity="roadmap.BudgetCap").latest("at")
    assert event.changes == {"State budget 2012": [50000, None]}


def test_bad_caps_name_the_cell(roadmap: Roadmap) -> None:
    plan, source = roadmap.world.plan, roadmap.world.source
    with pytest.raises(RoadmapRuleBroken) as caught:
        services.budget_caps_save(actor=None, plan=plan, caps={(source, 2030): Decimal(5), (source, 2013): Decimal(-1)})
    where = locations(caught.value)
    assert f"cap_{source.pk}_2030" in where
    assert f"cap_{source.pk}_2013" in where
    assert not BudgetCap.objects.exists()


# --- scenarios -----------------------------------------------------------------------------------------


def test_a_scenario_is_solved_and_its_dates_stored(roadmap: Roadmap) -> None:
    scenario = _solve(roadmap)
    assert scenario.status == ScenarioStatus.DONE
    assert scenario.result_status == "optimal"
    # one person: lanes (4) then training (2), and the joint controls (3) around them
    assert scenario.makespan_months == 9
    items = {i.element.code: i for i in scenario.items.select_related("element")}
    assert items["A1.1.1.2"].starts_on >= items["A1.1.1.1"].ends_on
    assert items["I1.1.1"].starts_on == items["A1.1.1.1"].starts_on
    assert items["I1.1.1"].ends_on == items["A1.1.1.2"].ends_on
    assert all(i.critical for i in items.values())  # one person: everything is on the chain
    assert scenario.finish_date == dt.date(2012, 9, 30)
    assert scenario.gap_percent == 0


def test_a_scenario_that_cannot_be_met_is_explained(roadmap: Roadmap) -> None:
    services.item_save(
        actor=None, element=roadmap.joint, values={"duration_months": 3, "deadline_on": dt.date(2012, 3, 31)}
    )
    services.item_save(
        actor=None, element=roadmap.lanes, values={"duration_months": 4, "deadline_on": dt.date(2012, 4, 30)}
    )
    scenario = _solve(roadmap)
    assert scenario.result_status == "infeasible"
    assert scenario.starts == {}
    assert any("I1.2.1" in c for c in scenario.conflicts)
    assert any("A1.1.1.1" in c for c in scenario.conflicts)


def test_only_approvers_approve_a_baseline_and_it_cannot_be_deleted(roadmap: Roadmap) -> None:
    scenario = _solve(roadmap)
    with pytest.raises(NotAllowed):
        services.scenario_approve(actor=roadmap.world.users["planner"], scenario=scenario)
    services.scenario_approve(actor=roadmap.world.users["approver"], scenario=scenario)
    second = _solve(roadmap)
    services.scenario_approve(actor=roadmap.world.users["approver"], scenario=second)
    scenario.refresh_from_db()
    assert not scenario.is_baseline
    with pytest.raises(RoadmapRuleBroken):
        services.scenario_delete(actor=roadmap.world.users["planner"], scenario=second)
    services.scenario_delete(actor=roadmap.world.users["planner"], scenario=scenario)
    assert list(Scenario.objects.values_list("pk", flat=True)) == [second.pk]


def test_a_finished_scenario_cannot_be_cancelled(roadmap: Roadmap) -> None:
    scenario = _solve(roadmap)
    with pytest.raises(RoadmapRuleBroken):
        services.scenario_cancel(actor=None, scenario=scenario)


def test_a_scenario_cancelled_before_it_runs_is_not_solved(roadmap: Roadmap) -> None:
    scenario = queued_scenario(roadmap, "Queued")
    services.scenario_cancel(actor=None, scenario=scenario)
    assert worker.run_scenario(scenario.pk).status == ScenarioStatus.CANCELLED
    assert scenario.items.count() == 0


def test_a_running_scenario_stops_when_asked(roadmap: Roadmap, monkeypatch: pytest.MonkeyPatch) -> None:
    from waypoint.engine.scheduling import generator
    from waypoint.engine.scheduling.jsonformat import problem_document

    scenario = queued_scenario(roadmap, "Big", time_limit_s=30)
    # a problem big enough that the search is still running when the stop arrives
    Scenario.objects.filter(pk=scenario.pk).update(
        problem=problem_document(generator.generate_roadmap(items=1000, seed=4)),
    )
    polls = {"n": 0}
    real_filter = Scenario.objects.filter

    def filter_and_cancel(*args: object, **kwargs: object) -> object:
        if kwargs.get("cancel_requested"):
            polls["n"] += 1
            if polls["n"] == 1:
                Scenario.objects.filter(pk=scenario.pk).update(cancel_requested=True)
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Scenario.objects, "filter", filter_and_cancel)
    result = worker.run_scenario(scenario.pk, poll_s=0.1)
    assert result.status == ScenarioStatus.CANCELLED
    assert result.progress["elapsed"] > 0


def test_an_empty_plan_cannot_be_scheduled(world: World) -> None:
    from waypoint.plans.models import PlanElement

    PlanElement.objects.filter(plan=world.plan, kind__in=["initiative", "activity"]).delete()
    with pytest.raises(RoadmapRuleBroken) as caught:
        services.scenario_create(actor=None, plan=world.plan, name="Nothing")
    assert "no initiatives or activities" in caught.value.message


def test_scenario_input_is_checked(roadmap: Roadmap) -> None:
    with pytest.raises(RoadmapRuleBroken) as caught:
        services.scenario_create(
            actor=None,
            plan=roadmap.world.plan,
            name=" ",
            objective="fastest",
            time_limit_s=0,
            replan_from=dt.date(2030, 1, 1),
        )
    assert set(locations(caught.value)) == {"name", "objective", "time_limit_s", "replan_from"}


# --- re-planning ---------------------------------------------------------------------------------------


def test_replanning_keeps_what_happened_and_moves_the_rest(roadmap: Roadmap) -> None:
    # the lanes started two months late and are still being built in July 2012
    services.item_save(
        actor=None, element=roadmap.lanes, values={"duration_months": 4, "actual_start": dt.date(2012, 3, 10)}
    )
    scenario = _solve(roadmap, replan_from=dt.date(2012, 7, 1))
    assert scenario.status == ScenarioStatus.DONE, scenario.error
    items = {i.element.code: i for i in scenario.items.select_related("element")}
    assert items["A1.1.1.1"].starts_on == dt.date(2012, 3, 1)  # shown from its real start
    assert items["A1.1.1.1"].ends_on == dt.date(2012, 7, 31)  # one month left from July
    assert items["A1.1.1.2"].starts_on >= dt.date(2012, 8, 1)
    assert items["I1.2.1"].starts_on >= dt.date(2012, 7, 1)  # nothing new starts in the past
    assert scenario.history == {"A1.1.1.1": 2}


# --- MS Project ----------------------------------------------------------------------------------------


def test_a_scenario_goes_to_ms_project_and_back(roadmap: Roadmap) -> None:
    from waypoint.engine.scheduling.mspdi import export_mspdi
    from waypoint.roadmap.selectors import scenario_schedule

    scenario = _solve(roadmap)
    schedule = scenario_schedule(scenario)
    assert schedule is not None
    data = export_mspdi(schedule, title="Test")
    imported = msproject.scenario_import_mspdi(
        actor=roadmap.world.users["planner"], plan=roadmap.world.plan, data=data, name="Back"
    )
    assert imported.result_status == "imported"
    assert imported.starts == scenario.starts
    assert imported.conflicts == []
    assert AuditEvent.objects.filter(entity="roadmap.Scenario", action="import").exists()


def test_an_ms_project_import_changes_the_roadmap_in_the_importing_users_name(roadmap: Roadmap) -> None:
    from waypoint.engine.scheduling import Schedule
    from waypoint.engine.scheduling.mspdi import export_mspdi

    problem = services.checked_problem(roadmap.world.plan).problem
    data = export_mspdi(Schedule(problem, {a.id: 0 for a in problem.activities}))
    # since the export the lanes were said to take six months and the link was dropped:
    # the file (four months, training after the lanes) brings both back
    services.item_save(actor=None, element=roadmap.lanes, values={"duration_months": 6})
    services.dependency_delete(actor=None, dependency=Dependency.objects.get())
    since = AuditEvent.objects.latest("id").pk
    msproject.scenario_import_mspdi(
        actor=roadmap.world.users["planner"], plan=roadmap.world.plan, data=data, name="Back"
    )
    assert ScheduleItem.objects.get(element=roadmap.lanes).duration_months == 4
    assert Dependency.objects.filter(before=roadmap.lanes, after=roadmap.training).exists()
    written = AuditEvent.objects.filter(pk__gt=since)
    assert sorted(written.values_list("entity", "action")) == [
        ("roadmap.Dependency", "create"),
        ("roadmap.Scenario", "import"),
        ("roadmap.ScheduleItem", "update"),
    ]
    assert set(written.values_list("actor_name", flat=True)) == {"planner"}


def test_an_ms_project_file_with_foreign_tasks_changes_nothing(roadmap: Roadmap) -> None:
    from waypoint.engine.scheduling import Activity, Problem, Schedule
    from waypoint.engine.scheduling.mspdi import export_mspdi

    problem = Problem(activities=(Activity("Z9", 2), Activity("A1.1.1.1", 7)), start=dt.date(2012, 1, 1))
    data = export_mspdi(Schedule(problem, {"Z9": 0, "A1.1.1.1": 0}))
    with pytest.raises(RoadmapRuleBroken) as caught:
        msproject.scenario_import_mspdi(actor=None, plan=roadmap.world.plan, data=data, name="Foreign")
    assert "Z9" in caught.value.message
    assert ScheduleItem.objects.get(element=roadmap.lanes).duration_months == 4
    assert not Scenario.objects.exists()


def test_an_unreadable_file_is_refused(roadmap: Roadmap) -> None:
    with pytest.raises(RoadmapRuleBroken) as caught:
        msproject.scenario_import_mspdi(actor=None, plan=roadmap.world.plan, data=b"not xml", name="Bad")
    assert "XML" in caught.value.message


def test_a_replanned_scenario_comes_back_from_ms_project(roadmap: Roadmap) -> None:
    from waypoint.engine.scheduling.mspdi import export_mspdi
    from waypoint.roadmap.selectors import scenario_schedule

    services.item_save(
        actor=None, element=roadmap.lanes, values={"duration_months": 4, "actual_start": dt.date(2012, 3, 10)}
    )
    replanned = _solve(roadmap, replan_from=dt.date(2012, 7, 1))
    schedule = scenario_schedule(replanned)
    assert schedule is not None
    assert "A1.1.1.1~done" in schedule.starts
    imported = msproject.scenario_import_mspdi(
        actor=None, plan=roadmap.world.plan, data=export_mspdi(schedule), name="Back"
    )
    assert imported.result_status == "imported"
    # the work under way keeps its planned length, not the months that remained
    assert ScheduleItem.objects.get(element=roadmap.lanes).duration_months == 4
