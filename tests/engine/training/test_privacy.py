"""The small-group rule: no group of 1–4 officers, and no hidden group that can be worked out
by subtraction from a total."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waypoint.engine.training.privacy import MIN_GROUP, is_small, suppress


def test_small_groups_are_hidden_and_empty_ones_shown() -> None:
    assert [is_small(n) for n in (0, 1, 4, 5)] == [False, True, True, False]
    result = suppress({"a": 0, "b": 3, "c": 7, "d": 12}, total_shown=False)
    assert result.hidden == {"b"} and not result.total_hidden
    assert result.shows("a") and not result.shows("b")


def test_a_lone_hidden_group_takes_the_smallest_other_with_it_when_the_total_is_shown() -> None:
    result = suppress({"a": 3, "b": 9, "c": 6, "d": 20})
    assert result.hidden == {"a", "c"} and not result.total_hidden


def test_hidden_groups_together_reach_five() -> None:
    result = suppress({"a": 1, "b": 1, "c": 1, "d": 30, "e": 8})
    assert result.hidden == {"a", "b", "c", "e"}


def test_a_small_total_is_hidden_itself() -> None:
    assert suppress({"a": 2, "b": 2}).total_hidden
    assert not suppress({"a": 0, "b": 0}).total_hidden


def test_counts_cannot_be_negative() -> None:
    with pytest.raises(ValueError, match="fewer than no"):
        suppress({"a": -1})


@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=8))
def test_nothing_hidden_can_be_recovered_from_what_is_shown(counts: list[int]) -> None:
    groups = dict(enumerate(counts))
    result = suppress(groups)
    shown = {k: v for k, v in groups.items() if k not in result.hidden}
    assert all(not is_small(v) for v in shown.values())
    if not result.total_hidden:
        hidden_sum = sum(groups[k] for k in result.hidden)
        # with the total and the shown parts one learns the hidden parts' sum, never less than five
        assert hidden_sum == 0 or hidden_sum >= MIN_GROUP
