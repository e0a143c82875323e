import pytest

from waypoint.engine.indicators import Aggregation, Status, health, rollup_tree

TREE = {"ADM": None, "WEST": "ADM", "EAST": "ADM", "AST": "WEST", "BIL": "WEST", "SAM": "EAST"}


def test_sums_go_up_the_tree() -> None:
    rolled = rollup_tree({"AST": 2, "BIL": 3, "SAM": 4}, TREE, Aggregation.SUM)
    assert rolled == {"AST": 2, "BIL": 3, "SAM": 4, "WEST": 5, "EAST": 4, "ADM": 9}


def test_a_mean_weighs_each_recorded_value_once() -> None:
    rolled = rollup_tree({"AST": 2, "BIL": 4, "SAM": 12}, TREE, Aggregation.MEAN)
    assert rolled["WEST"] == 3
    assert rolled["ADM"] == 6  # not the mean of the regions' means (7.5)


def test_a_unit_outside_the_tree_is_refused() -> None:
    with pytest.raises(ValueError, match="not in the tree"):
        rollup_tree({"XXX": 1}, TREE, Aggregation.SUM)


def test_a_cycle_is_refused() -> None:
    with pytest.raises(ValueError, match="cycle"):
        rollup_tree({"A": 1}, {"A": "B", "B": "A"}, Aggregation.SUM)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([Status.ON_TRACK] * 3 + [Status.OFF_TRACK], Status.ON_TRACK),
        ([Status.ON_TRACK, Status.OFF_TRACK], Status.AT_RISK),
        ([Status.ON_TRACK, Status.OFF_TRACK, Status.OFF_TRACK], Status.OFF_TRACK),
        ([Status.NO_DATA, Status.NO_DATA], Status.NO_DATA),
        ([Status.NO_DATA, Status.AT_RISK], Status.AT_RISK),
        ([], Status.NO_DATA),
    ],
)
def test_health_combines_statuses(statuses: list[Status], expected: Status) -> None:
    result = health(statuses)
    assert result.status is expected
    assert result.measured == len([s for s in statuses if s is not Status.NO_DATA])
