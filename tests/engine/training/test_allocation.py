"""The training allocation: the rules a plan keeps (checked without a solver), the greedy
baseline, and the CP-SAT optimiser that starts from it and never does worse.

Solver runs are limited by CP-SAT's deterministic time (``work_limit``), not the clock."""

from __future__ import annotations

import pytest

from waypoint.engine.training import (
    AllocationError,
    Course,
    Officer,
    Problem,
    Session,
    Status,
    cpsat,
    greedy_plan,
    plan_cost,
    plan_value,
    prune,
    solve,
    violations,
)
from waypoint.engine.training.generator import generate

DAY = 735_000  # a day number; sessions are placed relative to it


def officer(id_: str, unit: str = "U", weight: int = 1, **gaps: tuple[int, int]) -> Officer:
    """``RISK=(assessed, required)``."""
    return Officer(id_, unit, {c: r for c, (_, r) in gaps.items()}, {c: a for c, (a, _) in gaps.items()}, weight)


def problem(
    officers: list[Officer],
    courses: list[Course],
    sessions: list[Session],
    budget: int = 10_000,
    away: int = 100,
    staff: dict[str, int] | None = None,
) -> Problem:
    return Problem(tuple(officers), tuple(courses), tuple(sessions), {2015: budget}, away, staff or {})


RISK2 = Course("RISK-2", {"RISK": 2}, 100, 16)
RISK3 = Course("RISK-3", {"RISK": 3}, 250, 40)
AUDIT3 = Course("AUDIT-3", {"AUDIT": 3, "RISK": 1}, 300, 40)


def session(id_: str, course: Course, start: int = 0, days: int = 2, seats: int = 10) -> Session:
    return Session(id_, course.id, 2015, DAY + start, DAY + start + days - 1, seats)


# --- the problem and its rules ------------------------------------------------------------------


def test_a_malformed_problem_is_refused_with_every_reason() -> None:
    with pytest.raises(AllocationError) as raised:
        Problem(
            (officer("A", weight=0), officer("A")),
            (RISK2, RISK2, Course("X", {}, -1)),
            (
                Session("s", "nope", 2016, DAY + 2, DAY, -1),
                Session("s", "RISK-2", 2015, DAY, DAY, 1),
            ),
            {2015: -5},
            150,
        )
    message = str(raised.value)
    for part in (
        "course ids must be unique",
        "session ids must be unique",
        "officer ids must be unique",
        "course X: a cost cannot be negative",
        "session s: no course nope",
        "session s: it ends before it starts",
        "session s: seats cannot be negative",
        "session s: no budget for 2016",
        "officer A: the weight must be at least 1",
        "between 0 and 100 per cent",
        "a budget cannot be negative",
    ):
        assert part in message


def test_the_value_counts_each_level_once_up_to_the_requirement() -> None:
    p = problem(
        [officer("A", weight=2, RISK=(1, 3)), officer("B", RISK=(2, 2))],
        [RISK2, RISK3],
        [session("r2", RISK2), session("r3", RISK3, start=10)],
    )
    assert plan_value(p, [("A", "r2")]) == 2  # one level, weight 2
    assert plan_value(p, [("A", "r2"), ("A", "r3")]) == 4  # level 3 reached: two levels
    assert plan_value(p, [("B", "r3")]) == 0  # no gap
    assert plan_cost(p, [("A", "r2"), ("A", "r3")]) == {2015: 350}
    assert p.total_gap() == 4
    assert p.gain(p.officer_by_id["A"], RISK3, {"RISK": 2}) == 2


def test_the_checker_finds_every_broken_rule() -> None:
    p = problem(
        [officer("A", "U1", RISK=(0, 3)), officer("B", "U1", RISK=(0, 3)), officer("C", "U2", RISK=(0, 3))],
        [RISK2, RISK3],
        [
            session("r2", RISK2, start=0, days=3, seats=1),
            session("r2b", RISK2, start=20),
            session("r3", RISK3, start=1),
        ],
        budget=500,
        away=50,
        staff={"U2": 10},
    )
    assert p.away_cap("U1") == 1 and p.away_cap("U2") == 5
    found = violations(
        p,
        [("A", "r2"), ("B", "r2"), ("A", "r3"), ("A", "r2b"), ("A", "r2"), ("Z", "r2"), ("C", "zz")],
    )
    text = "\n".join(found)
    assert "no officer Z" in text and "no session zz" in text
    assert "same session twice" in text
    assert "2015: 650 spent, over the budget of 500" in text
    assert "session r2: 3 participants for 1 seats" in text
    assert "officer A attends a course twice" in text
    assert "officer A is in two sessions at once" in text
    assert "unit U1, day" in text and "more than 50% of its 2 staff" in text
    assert violations(p, [("A", "r2"), ("C", "r3")]) == []


# --- greedy -------------------------------------------------------------------------------------


def test_greedy_takes_the_best_value_for_money_and_keeps_every_rule() -> None:
    p = problem(
        [officer("A", RISK=(1, 2)), officer("B", weight=3, RISK=(1, 2)), officer("C", RISK=(0, 3))],
        [RISK2, RISK3],
        [session("r2", RISK2, seats=1), session("r3", RISK3, start=30, seats=1)],
        budget=350,
    )
    plan = greedy_plan(p)
    assert ("B", "r2") in plan  # the weight makes B's level the best buy
    assert violations(p, plan) == []
    assert plan_value(p, plan) == 3 + 3  # then C's three levels


def test_greedy_re_ranks_a_course_whose_gain_has_fallen() -> None:
    # C takes RISK-2 first (cheapest per level); RISK-3 then adds only one level for C
    p = problem(
        [officer("C", RISK=(0, 3))],
        [RISK2, RISK3],
        [session("r2", RISK2), session("r3", RISK3, start=30)],
        budget=1_000,
    )
    plan = greedy_plan(p)
    assert plan == [("C", "r2"), ("C", "r3")]
    assert prune(p, plan) == [("C", "r3")]  # RISK-3 alone closes as much


def test_greedy_respects_continuity_and_free_courses_go_first() -> None:
    free = Course("FREE", {"RISK": 1}, 0)
    p = problem(
        [officer(f"O{i}", "U", RISK=(0, 1)) for i in range(10)],
        [free],
        [session("f", free, seats=10)],
        budget=0,
        away=20,
    )
    plan = greedy_plan(p)
    assert len(plan) == 2  # 20 % of ten
    assert violations(p, plan) == []


def test_nothing_is_planned_without_money_for_any_course() -> None:
    p = problem([officer("A", RISK=(0, 2))], [RISK2], [session("r2", RISK2)], budget=10)
    assert greedy_plan(p) == []


# --- the optimiser ------------------------------------------------------------------------------


def test_the_optimiser_beats_a_myopic_greedy_and_proves_it_on_a_small_workforce() -> None:
    # greedy buys the cheap course for C (best per unit of money), then for A and B, leaving
    # no money to take C to level 3; the best plan sends C to RISK-3 and one of the others
    p = problem(
        [officer("A", RISK=(1, 2)), officer("B", RISK=(1, 2)), officer("C", weight=2, RISK=(0, 3))],
        [RISK2, RISK3],
        [session("r2", RISK2), session("r3", RISK3, start=10)],
        budget=350,
    )
    result = solve(p, work_limit=5)
    assert result.greedy_value == 4 + 1 + 1 and result.greedy_spent == 300
    assert result.status is Status.OPTIMAL
    assert result.value == 6 + 1 and result.bound == 7
    assert violations(p, result.assignments) == []
    assert result.spent == 350


def test_an_empty_problem_says_so() -> None:
    p = problem([officer("A", RISK=(2, 2))], [RISK2], [session("r2", RISK2)])
    result = solve(p, work_limit=1)
    assert result.status is Status.EMPTY and result.assignments == () and result.value == 0


@pytest.mark.parametrize("seed", [1, 2])
def test_on_generated_workforces_the_optimiser_keeps_every_rule_and_never_does_worse(seed: int) -> None:
    p = generate(80, seed=seed, units=5, budget_share=0.3 + 0.2 * seed)
    result = solve(p, work_limit=1, neighbourhood=20)
    assert violations(p, result.assignments) == []
    assert result.value >= result.greedy_value
    assert result.value == plan_value(p, result.assignments)
    assert result.greedy_value == plan_value(p, greedy_plan(p))
    assert result.bound >= result.value
    assert result.status in (Status.FEASIBLE, Status.GREEDY, Status.OPTIMAL)


def test_progress_is_reported_and_a_stop_is_obeyed() -> None:
    p = generate(60, seed=7, units=4)
    seen: list[int] = []
    result = solve(p, work_limit=1, neighbourhood=15, on_progress=lambda progress: seen.append(progress.value))
    assert seen, "no progress was reported"
    assert seen == sorted(seen) and (not seen or seen[-1] <= result.value)
    stopped = solve(p, time_limit_s=60, should_stop=lambda: True)
    assert stopped.stopped and stopped.value >= stopped.greedy_value
    assert violations(p, stopped.assignments) == []


def test_placing_a_units_officers_exactly_when_in_order_placement_leaves_one_out() -> None:
    # two officers of one unit take RISK-2 and AUDIT-3; the unit has one place in each of two
    # clashing RISK-2 sessions… placed in order, the first officer takes the session the second
    # needed; the exact placement seats both
    c1 = Course("K1", {"RISK": 1}, 10)
    c2 = Course("K2", {"AUDIT": 1}, 10)
    s1, s2, s3 = session("a", c1, start=0), session("b", c1, start=10), session("c", c2, start=0)
    p = problem([officer("A", RISK=(0, 1), AUDIT=(0, 1)), officer("B", RISK=(0, 1))], [c1, c2], [s1, s2, s3])
    model = cpsat._Model(p, ["A", "B"], [])
    wanted = {"A": ["K1", "K2"], "B": ["K1"]}
    places = {"a": 1, "b": 1, "c": 1}
    in_order = model._place_in_order(wanted, dict(places), {("B", "K1"): "b"})
    exact = model._place_exactly(wanted, places)
    assert len(exact) == 3
    assert len(exact) >= len(in_order)
    assert violations(p, exact) == []


def test_the_generator_is_deterministic() -> None:
    assert generate(60, seed=3) == generate(60, seed=3)
    assert generate(60, seed=3) != generate(60, seed=4)
