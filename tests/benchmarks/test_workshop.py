"""The workshop benchmark's measure: a vote counts as shown on the facilitator's screen at the
end of the first poll that started after it was acknowledged and shows that many dots."""

from __future__ import annotations

import pytest
from benchmarks.workshop import Poll, appearance_delays, percentile


def test_a_vote_appears_with_the_first_later_poll_that_shows_it() -> None:
    polls = [Poll(0.0, 0.1, 0), Poll(2.0, 2.1, 1), Poll(4.0, 4.2, 1), Poll(6.0, 6.1, 3)]
    # acknowledged at 1.0 (seen at 2.1), 3.0 and 3.5 (the 4.0 poll shows only one: seen at 6.1)
    assert appearance_delays([1.0, 3.0, 3.5], polls) == pytest.approx([1.1, 3.1, 2.6])
    # a vote after the last poll is not counted as seen
    assert appearance_delays([7.0], polls) == []


def test_percentiles() -> None:
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.95) == 4.0
