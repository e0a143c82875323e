"""A plan's roadmap as a problem, and re-planning, on plain rows (no database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from waypoint.engine.scheduling import (
    DONE_SUFFIX,
    Budget,
    Link,
    LinkKind,
    ProblemError,
    Resource,
    Roadmap,
    Work,
    roadmap_problem,
)

TEAM = Resource("PROJ", 1, "Project team")
STATE = Budget("state", 12, {}, "State budget")


def build(work: list[Work], links: list[Link] | None = None, *, budget: Budget = STATE, **kwargs: Any) -> Roadmap:
    """The roadmap with one team and one budget."""
    return roadmap_problem(work, links or [], resources=[TEAM], budgets=[budget], **kwargs)


def lanes_and_training() -> list[Work]:
    """Initiative I1 with two activities (lanes, then training) and I2 with none."""
    return [
        Work("I1", 8, name="Risk lanes"),
        Work("A1", 4, name="Open the lanes", parent="I1", demands={"PROJ": 1}, costs={"state": 1000}),
        Work("A2", 2, name="Train the officers", parent="I1", demands={"PROJ": 1}),
        Work("I2", 3, name="Joint inspections", demands={"PROJ": 1}),
    ]


def test_activities_are_scheduled_and_an_initiative_without_any_as_one_block() -> None:
    built = build(lanes_and_training(), start=dt.date(2012, 1, 1), name="Plan")
    assert built.leaves == ("A1", "A2", "I2")
    assert [a.id for a in built.problem.activities] == ["A1", "A2", "I2"]
    assert built.problem.by_id["A1"].name == "Open the lanes"
    assert built.problem.by_id["A1"].weight == 3  # the middle priority unless set
    assert (built.problem.start, built.problem.name) == (dt.date(2012, 1, 1), "Plan")
    assert built.history == {}


def test_an_initiatives_limits_apply_to_its_activities() -> None:
    work = lanes_and_training()
    work[0] = Work("I1", 8, release=4, deadline=18)
    work[2] = Work("A2", 2, parent="I1", release=6, deadline=20)
    by_id = build(work).problem.by_id
    assert (by_id["A1"].release, by_id["A1"].deadline) == (4, 18)
    assert (by_id["A2"].release, by_id["A2"].deadline) == (6, 18)  # the later release, the earlier deadline
    assert (by_id["I2"].release, by_id["I2"].deadline) == (0, None)


def test_a_deadline_that_leaves_no_room_is_dropped_rather_than_refused() -> None:
    by_id = build([Work("A", 5, release=3, deadline=6)]).problem.by_id
    assert by_id["A"].deadline is None


def _links(work: list[Work], links: list[Link], **kwargs: Any) -> set[tuple[str, str, LinkKind, int]]:
    problem = build(work, links, **kwargs).problem
    return {(link.before, link.after, link.kind, link.lag) for link in problem.links}


def test_a_link_from_an_initiative_binds_the_right_activities() -> None:
    work = [*lanes_and_training(), Work("A3", 1, parent="I1", name="Publish the lane rules")]
    inner = Link("A1", "A2")
    # the lanes and the rules open the initiative; the training and the rules close it
    links = _links(work, [inner, Link("I1", "I2", LinkKind.START_TO_START, 1)])
    assert links == {("A1", "A2", LinkKind.FINISH_TO_START, 0)} | {
        (a, "I2", LinkKind.START_TO_START, 1) for a in ("A1", "A3")
    }
    links = _links(work, [inner, Link("I2", "I1", LinkKind.FINISH_TO_FINISH)])
    assert {link for link in links if link[0] == "I2"} == {
        ("I2", a, LinkKind.FINISH_TO_FINISH, 0) for a in ("A2", "A3")
    }
    links = _links(work, [inner, Link("I2", "I1")])
    assert {link for link in links if link[0] == "I2"} == {
        ("I2", a, LinkKind.FINISH_TO_START, 0) for a in ("A1", "A2", "A3")
    }


def test_when_every_activity_has_a_predecessor_an_initiative_opens_with_all() -> None:
    work = [*lanes_and_training(), Work("I3", 2), Work("B1", 1, parent="I3"), Work("I5", 1)]
    # both activities of I1 wait for something, so none of them alone opens it
    links = _links(work, [Link("B1", "A1"), Link("I5", "A2"), Link("I1", "I2", LinkKind.START_TO_START)])
    assert {link for link in links if link[1] == "I2"} == {
        ("A1", "I2", LinkKind.START_TO_START, 0),
        ("A2", "I2", LinkKind.START_TO_START, 0),
    }


def test_a_link_within_one_initiative_does_not_tie_an_activity_to_itself() -> None:
    links = _links(lanes_and_training(), [Link("I1", "A2", LinkKind.START_TO_START)])
    assert links == {("A1", "A2", LinkKind.START_TO_START, 0)}


def test_a_link_to_unknown_work_binds_nothing() -> None:
    assert _links(lanes_and_training(), [Link("I9", "I2")]) == set()


def test_a_cycle_is_refused() -> None:
    with pytest.raises(ProblemError, match="cycle"):
        build(lanes_and_training(), [Link("A1", "A2"), Link("A2", "A1")])


def replanned() -> list[Work]:
    """Re-planned from month 4: the lanes started in month 2 and run; I2 finished in 0–1."""
    return [
        Work("I1", 8),
        Work("A1", 4, parent="I1", demands={"PROJ": 1}, costs={"state": 100000}, actual_start=2, deadline=5),
        Work("A2", 2, parent="I1", demands={"PROJ": 1}, pinned_start=1),
        Work("I2", 3, demands={"PROJ": 1}, actual_start=0, actual_finish=1),
        Work("I3", 2, pinned_start=6),
        Work("I4", 2, actual_start=5),
    ]


def test_replanning_splits_work_under_way() -> None:
    built = build(replanned(), replan_from=4)
    by_id = built.problem.by_id
    # two of the lanes' four months remain; the two done are history, with their share of the cost
    assert (by_id["A1"].pinned_start, by_id["A1"].duration, by_id["A1"].release) == (4, 2, 0)
    done = by_id["A1" + DONE_SUFFIX]
    assert (done.pinned_start, done.duration, done.demands, done.costs) == (2, 2, {}, {"state": 50000})
    assert by_id["A1"].costs == {"state": 50000}
    assert built.history == {"A1": 2}
    assert [a.id for a in built.problem.activities][:2] == ["A1~done", "A1"]
    # history cannot break a deadline any more
    assert by_id["A1"].deadline is None


def test_replanning_fixes_finished_work_and_starts_nothing_new_before_the_month() -> None:
    by_id = build(replanned(), replan_from=4).problem.by_id
    # finished work keeps its real dates and no longer needs the team
    assert (by_id["I2"].pinned_start, by_id["I2"].duration, by_id["I2"].demands) == (0, 2, {})
    # work not started waits for the re-plan month; a pin in the past no longer holds
    assert (by_id["A2"].release, by_id["A2"].pinned_start) == (4, None)
    assert (by_id["I3"].release, by_id["I3"].pinned_start) == (4, 6)
    # work that starts in or after the re-plan month stays where it started
    assert (by_id["I4"].pinned_start, by_id["I4"].release, by_id["I4"].duration) == (5, 0, 2)


def test_work_under_way_longer_than_planned_has_a_month_left() -> None:
    work = [Work("A", 2, actual_start=0)]
    by_id = build(work, replan_from=6).problem.by_id
    assert (by_id["A~done"].duration, by_id["A"].pinned_start, by_id["A"].duration) == (6, 6, 1)


def test_started_work_no_longer_waits_for_its_predecessors() -> None:
    links = [Link("A2", "A1"), Link("I2", "I3"), Link("I3", "A2")]
    # A1 is under way: it no longer waits for A2; I3 and A2 have not started and still wait
    assert _links(replanned(), links, replan_from=4) == {
        ("I2", "I3", LinkKind.FINISH_TO_START, 0),
        ("I3", "A2", LinkKind.FINISH_TO_START, 0),
    }
    # without re-planning, actual dates change nothing
    assert len(_links(replanned(), links)) == 3


def test_caps_of_past_years_are_dropped_when_replanning() -> None:
    work = [Work("A", 3, costs={"state": 300})]
    capped = Budget("state", 12, {0: 100, 1: 1000, 2: 1000}, "State budget")
    assert build(work, budget=capped).problem.budgets[0].caps == {0: 100, 1: 1000, 2: 1000}
    assert build(work, budget=capped, replan_from=14).problem.budgets[0].caps == {1: 1000, 2: 1000}


def test_without_replanning_actual_dates_change_nothing() -> None:
    by_id = build(replanned()).problem.by_id
    assert "A1" + DONE_SUFFIX not in by_id
    assert (by_id["A1"].pinned_start, by_id["A1"].duration, by_id["A1"].deadline) == (None, 4, 5)
    assert by_id["A2"].pinned_start == 1
