"""The workshop's methods against worked examples (run without Django)."""

from __future__ import annotations

import itertools

import pytest

from waypoint.engine.workshops.pairwise import (
    CONSISTENCY_LIMIT,
    Judgement,
    all_pairs,
    group_ratios,
    individual_ratios,
    random_index,
    rank,
)
from waypoint.engine.workshops.ranking import competition_ranks
from waypoint.engine.workshops.scoring import (
    EFFORT,
    FILL_IN,
    IMPACT,
    LOWER_IS_BETTER,
    MAJOR_PROJECT,
    QUICK_WIN,
    THANKLESS,
    Criterion,
    Score,
    quadrant,
    score,
)
from waypoint.engine.workshops.tally import Allocation, allocation_problem, remaining_dots, tally


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    assert competition_ranks({"a": 3.0, "b": 5.0, "c": 3.0, "d": 1.0}) == [("b", 1), ("a", 2), ("c", 2), ("d", 4)]
    assert competition_ranks({"a": 3.0, "b": 1.0}, descending=False) == [("b", 1), ("a", 2)]


# --- dot voting


def test_the_tally_counts_dots_and_voters_and_ranks() -> None:
    result = tally(
        ["risk", "it", "hr"],
        [
            Allocation("ann", "risk", 2),
            Allocation("ann", "it", 1),
            Allocation("bob", "risk", 1),
            Allocation("bob", "gone", 4),  # an option deleted since: ignored
            Allocation("cem", "hr", 0),  # nothing spent
        ],
    )
    assert [(r.option, r.dots, r.voters, r.rank) for r in result.rows] == [
        ("risk", 3, 2, 1),
        ("it", 1, 1, 2),
        ("hr", 0, 0, 3),
    ]
    assert result.voters == 2 and result.dots_spent == 4
    assert result.rows[0].share == pytest.approx(0.75)
    assert result.dots_of("it") == 1 and result.dots_of("nowhere") == 0


def test_an_empty_vote_has_no_shares() -> None:
    result = tally(["a", "b"], [])
    assert [(r.rank, r.share) for r in result.rows] == [(1, 0.0), (1, 0.0)]


def test_a_participant_cannot_spend_more_than_the_budget() -> None:
    mine = {"a": 2, "b": 1}
    assert remaining_dots(3, mine) == 0
    assert allocation_problem(budget=3, mine=mine, option="a", dots=1) is None  # takes one back
    assert allocation_problem(budget=3, mine=mine, option="c", dots=1) == "over_budget"
    assert allocation_problem(budget=3, mine=mine, option="a", dots=-1) == "negative"
    assert allocation_problem(budget=5, mine=mine, option="c", dots=2) is None


# --- scoring


CRITERIA = [
    Criterion("impact", 2, axis=IMPACT),
    Criterion("cost", 1, direction=LOWER_IS_BETTER, axis=EFFORT),
]


def test_weighted_scores_are_normalised_and_ranked() -> None:
    result = score(
        ["sw", "train", "none"],
        CRITERIA,
        [
            Score("ann", "sw", "impact", 5),
            Score("ann", "sw", "cost", 5),
            Score("bob", "sw", "impact", 3),
            Score("ann", "train", "impact", 4),
            Score("ann", "train", "cost", 1),
            Score("ann", "train", "nonsense", 3),  # unknown criterion
            Score("ann", "train", "impact", 9),  # off the scale
        ],
        low=1,
        high=5,
    )
    rows = {row.option: row for row in result.rows}
    # sw: impact mean 4 → 0.75, cost 5 → 0 (less is better); (2×0.75 + 0)/3 = 0.5
    assert rows["sw"].score == pytest.approx(50.0)
    # train: impact 4 → 0.75, cost 1 → 1; (1.5 + 1)/3 = 0.8333
    assert rows["train"].score == pytest.approx(83.333333, abs=1e-5)
    assert [row.option for row in result.rows] == ["train", "sw", "none"]
    assert rows["train"].rank == 1 and rows["none"].rank is None and rows["none"].score is None
    assert rows["sw"].scorers == 2 and result.scorers == 2
    assert rows["sw"].impact == pytest.approx(4) and rows["sw"].effort == pytest.approx(5)
    assert rows["sw"].quadrant == MAJOR_PROJECT and rows["train"].quadrant == QUICK_WIN


def test_quadrants_split_at_the_middle_of_the_scale() -> None:
    assert quadrant(4, 2, 3) == QUICK_WIN
    assert quadrant(4, 4, 3) == MAJOR_PROJECT
    assert quadrant(2, 2, 3) == FILL_IN
    assert quadrant(2, 4, 3) == THANKLESS


def test_a_scale_must_run_upwards() -> None:
    with pytest.raises(ValueError, match="scale"):
        score(["a"], CRITERIA, [], low=5, high=1)


# --- pairwise (AHP)


def test_a_textbook_matrix_gives_its_known_weights_and_consistency() -> None:
    # A over B 3, A over C 5, B over C 2: weights 0.648 / 0.230 / 0.122, CR about 0.003
    result = rank(["A", "B", "C"], [Judgement(1, "A", "B", 3), Judgement(1, "A", "C", 5), Judgement(1, "B", "C", 2)])
    assert [round(result.weights[k], 3) for k in "ABC"] == [0.648, 0.230, 0.122]
    assert result.consistency_ratio == pytest.approx(0.0032, abs=5e-4)
    assert result.consistent and result.ranking == (("A", 1), ("B", 2), ("C", 3))
    assert (result.pairs_compared, result.pairs_total, result.participants) == (3, 3, 1)


def test_contradicting_judgements_are_flagged_as_inconsistent() -> None:
    # A > B, B > C, C > A, each strongly: a cycle
    cycle = [Judgement(1, "A", "B", 7), Judgement(1, "B", "C", 7), Judgement(1, "C", "A", 7)]
    result = rank(["A", "B", "C"], cycle)
    assert result.consistency_ratio is not None and result.consistency_ratio > CONSISTENCY_LIMIT
    assert not result.consistent
    # a cycle has no winner: the weights are equal and everyone shares the first rank
    assert {r for _k, r in result.ranking} == {1}


def test_the_group_ratio_is_the_geometric_mean_and_stays_reciprocal() -> None:
    ratios = group_ratios(["A", "B"], [Judgement(1, "A", "B", 9), Judgement(2, "B", "A", 1), Judgement(3, "A", "B", 1)])
    assert ratios[(0, 1)] == pytest.approx(9 ** (1 / 3))
    flipped = group_ratios(
        ["B", "A"], [Judgement(1, "A", "B", 9), Judgement(2, "B", "A", 1), Judgement(3, "A", "B", 1)]
    )
    assert flipped[(0, 1)] == pytest.approx(1 / 9 ** (1 / 3))


def test_missing_pairs_are_filled_by_harkers_method() -> None:
    # A/B = 3 and A/C = 5 leave B/C open: the consistent completion is 5/3; weights 15:5:3
    result = rank(["A", "B", "C"], [Judgement(1, "A", "B", 3), Judgement(1, "A", "C", 5)])
    assert [result.weights[k] for k in "ABC"] == pytest.approx([15 / 23, 5 / 23, 3 / 23], abs=1e-9)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-9)
    assert (result.pairs_compared, result.pairs_total) == (2, 3)


def test_options_not_connected_by_comparisons_have_no_ranking() -> None:
    result = rank(["A", "B", "C", "D"], [Judgement(1, "A", "B", 3), Judgement(1, "C", "D", 3)])
    assert not result.connected and result.weights == {} and result.consistency_ratio is None
    assert not result.consistent
    assert rank([], []).connected


def test_unknown_options_odd_strengths_and_self_comparisons_are_ignored() -> None:
    result = rank(
        ["A", "B"],
        [Judgement(1, "A", "B", 2), Judgement(1, "A", "Z", 3), Judgement(1, "A", "B", 11), Judgement(1, "A", "A", 3)],
    )
    assert result.judgements == 2  # the two on known, distinct options (one of them off the scale)
    assert result.weights["A"] == pytest.approx(2 / 3)
    assert result.consistency_ratio == 0.0  # two options are always consistent


def test_individual_ratios_tell_who_contradicted_themselves() -> None:
    judgements = [
        Judgement("ann", "A", "B", 3),
        Judgement("ann", "A", "C", 5),
        Judgement("ann", "B", "C", 2),
        Judgement("bob", "A", "B", 7),
        Judgement("bob", "B", "C", 7),
        Judgement("bob", "C", "A", 7),
        Judgement("cem", "A", "B", 7),
    ]
    ratios = individual_ratios(["A", "B", "C"], judgements)
    assert ratios["ann"] is not None and ratios["ann"] < CONSISTENCY_LIMIT
    assert ratios["bob"] is not None and ratios["bob"] > CONSISTENCY_LIMIT
    assert ratios["cem"] is None


def test_too_many_options_are_refused() -> None:
    with pytest.raises(ValueError, match="at most"):
        rank([str(i) for i in range(16)], [])


def test_the_random_index_is_saatys() -> None:
    assert random_index(0) == 0.0 and random_index(3) == 0.58 and random_index(10) == 1.49
    assert random_index(40) == 1.59


@pytest.mark.parametrize("n", [2, 3, 4, 5, 8])
def test_all_pairs_lists_every_pair_once(n: int) -> None:
    options = list(range(n))
    pairs = all_pairs(options)
    assert sorted(tuple(sorted(p)) for p in pairs) == sorted(itertools.combinations(options, 2))
    # every option appears within the first n // 2 pairs when n is even (round robin)
    if n % 2 == 0:
        assert {x for pair in pairs[: n // 2] for x in pair} == set(options)
