from __future__ import annotations

import datetime as dt

from tests.roadmap.conftest import Roadmap
from tests.world import World
from waypoint.engine.periods import add_months, month_end, months_from
from waypoint.engine.scheduling import LinkKind
from waypoint.plans import services as plan_services
from waypoint.roadmap import services
from waypoint.roadmap.adapters import plan_problem, roadmap_start


def test_months_count_from_january_of_the_first_year(world: World) -> None:
    start = roadmap_start(world.plan)
    assert start == dt.date(2012, 1, 1)
    assert months_from(start, dt.date(2013, 3, 15)) == 14
    assert add_months(start, 14) == dt.date(2013, 3, 1)
    assert month_end(add_months(start, 15 - 1)) == dt.date(2013, 3, 31)


def test_without_schedule_data_the_planned_dates_give_the_duration(world: World) -> None:
    built = plan_problem(world.plan)
    by_id = built.problem.by_id
    # A1.1.1.1 is planned March 2012 – June 2013; I1.2.1 has no activities, so it is scheduled whole
    element = world.elements["A1.1.1.1"]
    assert (element.starts_on, element.ends_on) == (dt.date(2012, 3, 1), dt.date(2013, 6, 30))
    assert by_id["A1.1.1.1"].duration == 16
    assert "I1.2.1" in by_id
    assert "I1.1.1" not in by_id
    assert by_id["A1.1.1.1"].costs == {str(world.source.pk): 100000}


def test_an_initiatives_limits_apply_to_its_activities(roadmap: Roadmap) -> None:
    initiative = roadmap.world.elements["I1.1.1"]
    services.item_save(
        actor=None,
        element=initiative,
        values={"duration_months": 8, "release_on": dt.date(2012, 5, 1), "deadline_on": dt.date(2013, 6, 30)},
    )
    by_id = plan_problem(roadmap.world.plan).problem.by_id
    assert by_id["A1.1.1.1"].release == 4
    assert by_id["A1.1.1.2"].deadline == 18


def _links(roadmap: Roadmap) -> set[tuple[str, str, LinkKind]]:
    return {(link.before, link.after, link.kind) for link in plan_problem(roadmap.world.plan).problem.links}


def test_a_link_from_an_initiative_binds_the_right_activities(roadmap: Roadmap) -> None:
    initiative = roadmap.world.elements["I1.1.1"]
    extra = plan_services.element_create(
        actor=None,
        plan=roadmap.world.plan,
        parent=initiative,
        title="Publish the lane rules",
        responsible_unit=roadmap.world.unit("RD-S"),
        starts_on=dt.date(2012, 3, 1),
        ends_on=dt.date(2012, 3, 31),
    )
    # the lanes and the rules open the initiative; the training and the rules close it
    services.dependency_add(actor=None, before=initiative, after=roadmap.joint, kind="SS", lag_months=1)
    links = _links(roadmap)
    assert ("A1.1.1.1", "I1.2.1", LinkKind.START_TO_START) in links
    assert (extra.code, "I1.2.1", LinkKind.START_TO_START) in links
    assert ("A1.1.1.2", "I1.2.1", LinkKind.START_TO_START) not in links
    services.dependency_delete(actor=None, dependency=initiative.dependents.get())
    services.dependency_add(actor=None, before=roadmap.joint, after=initiative, kind="FF")
    links = _links(roadmap)
    assert ("I1.2.1", "A1.1.1.2", LinkKind.FINISH_TO_FINISH) in links
    assert ("I1.2.1", "A1.1.1.1", LinkKind.FINISH_TO_FINISH) not in links
    services.dependency_delete(actor=None, dependency=initiative.dependencies.get())
    services.dependency_add(actor=None, before=roadmap.joint, after=initiative, kind="FS")
    links = _links(roadmap)
    assert {("I1.2.1", code, LinkKind.FINISH_TO_START) for code in ("A1.1.1.1", "A1.1.1.2", extra.code)} <= links


def test_replanning_splits_work_under_way(roadmap: Roadmap) -> None:
    services.item_save(
        actor=None,
        element=roadmap.lanes,
        values={"duration_months": 4, "actual_start": dt.date(2012, 3, 1)},
    )
    services.item_save(
        actor=None,
        element=roadmap.joint,
        values={"duration_months": 3, "actual_start": dt.date(2012, 1, 1), "actual_finish": dt.date(2012, 2, 28)},
    )
    built = plan_problem(roadmap.world.plan, replan_from=dt.date(2012, 5, 1))
    by_id = built.problem.by_id
    # two of the lanes' four months remain; the two done are history, with their share of the cost
    assert (by_id["A1.1.1.1"].pinned_start, by_id["A1.1.1.1"].duration) == (4, 2)
    done = by_id["A1.1.1.1~done"]
    assert (done.pinned_start, done.duration, done.demands) == (2, 2, {})
    assert sum(done.costs.values()) + sum(by_id["A1.1.1.1"].costs.values()) == 100000
    assert built.history == {"A1.1.1.1": 2}
    # finished work keeps its real dates and no longer needs the team
    assert (by_id["I1.2.1"].pinned_start, by_id["I1.2.1"].duration, by_id["I1.2.1"].demands) == (0, 2, {})
    # work not started waits for the re-plan month
    assert by_id["A1.1.1.2"].release == 4
