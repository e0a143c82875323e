from __future__ import annotations

from tests.engine.scheduling.helpers import act, ff, fs, small_roadmap, ss
from waypoint.engine.scheduling import Problem, critical_path


def test_forward_and_backward_passes_by_hand() -> None:
    cpm = critical_path(small_roadmap())
    # A 0–3; B 3–5; D 5–7; C 3–7; E 0–1: project ends at 7
    assert cpm.earliest_start == {"A": 0, "B": 3, "C": 3, "D": 5, "E": 0}
    assert cpm.project_end == 7
    assert cpm.latest_start == {"A": 0, "B": 3, "C": 3, "D": 5, "E": 6}
    assert cpm.total_slack == {"A": 0, "B": 0, "C": 0, "D": 0, "E": 6}
    assert cpm.free_slack["E"] == 6
    assert set(cpm.critical) == {"A", "B", "C", "D"}
    assert cpm.earliest_finish(small_roadmap(), "C") == 7


def test_free_slack_is_what_can_slip_without_moving_a_successor() -> None:
    problem = Problem(activities=(act("A", 2), act("B", 5), act("C", 1)), links=(fs("A", "C"), fs("B", "C")))
    cpm = critical_path(problem)
    assert cpm.total_slack["A"] == 3
    assert cpm.free_slack["A"] == 3
    assert cpm.free_slack["B"] == 0


def test_start_to_start_and_finish_to_finish_lags() -> None:
    problem = Problem(activities=(act("A", 4), act("B", 2), act("C", 3)), links=(ss("A", "B", 1), ff("A", "C", 2)))
    cpm = critical_path(problem)
    assert cpm.earliest_start["B"] == 1
    assert cpm.earliest_start["C"] == 3  # C must finish 2 after A finishes (6): starts at 3
    assert cpm.project_end == 6


def test_releases_and_pins_push_the_early_dates() -> None:
    problem = Problem(activities=(act("A", 2, release=4), act("B", 1, pinned_start=10)), links=(fs("A", "B"),))
    cpm = critical_path(problem)
    assert cpm.earliest_start == {"A": 4, "B": 10}
    assert cpm.latest_start["B"] == 10


def test_a_deadline_that_the_links_cannot_meet_gives_negative_slack() -> None:
    problem = Problem(activities=(act("A", 5), act("B", 3, deadline=6)), links=(fs("A", "B"),))
    cpm = critical_path(problem)
    assert cpm.total_slack["B"] == -2
    assert cpm.late_activities == ["A", "B"]


def test_a_later_project_end_gives_slack_everywhere() -> None:
    cpm = critical_path(small_roadmap(), project_end=10)
    assert cpm.total_slack["A"] == 3
    assert cpm.critical == []
