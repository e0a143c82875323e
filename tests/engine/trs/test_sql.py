"""The SQL apart from its execution: statements are pure functions of the study's settings,
and what a person chooses (filter values, targets, bounds) travels as bound parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.trs.test_runner import GOOD, write
from waypoint.engine.trs import sql
from waypoint.engine.trs.model import StudyConfig, TrsInputError
from waypoint.engine.trs.runner import Study

LAYOUT = sql.Layout(StudyConfig(), ("office", "channel"))
HOSTILE = "P1' OR 1 = 1 --"


def test_statements_are_pure_functions_of_the_settings() -> None:
    assert sql.statistics(LAYOUT, ["office"], {"channel": "green"}) == sql.statistics(
        LAYOUT, ["office"], {"channel": "green"}
    )
    assert [step.select for step in sql.validation(LAYOUT)] == [step.select for step in sql.validation(LAYOUT)]
    names = [step.name for step in sql.validation(LAYOUT)]
    assert names == [
        "per_declaration",
        "problem_details",
        "quarantined",
        "starts",
        "used_declarations",
        "declarations",
        "intervals",
    ]


def test_filter_values_are_bound_parameters_never_sql_text() -> None:
    statement = sql.statistics(LAYOUT, (), {"office": ["P2", HOSTILE]})
    assert HOSTILE not in statement.sql
    assert "P2" not in statement.sql
    assert sorted(str(v) for v in statement.params.values()) == sorted(["P2", HOSTILE])
    periods = sql.period_values(
        LAYOUT,
        "share_within",
        "arrival",
        "release",
        [("2024", "2024-01-01T00:00:00+04:00", "2025-01-01")],
        target_hours=4,
    )
    assert periods is not None
    assert "2024-01-01T00:00:00+04:00" not in periods.sql
    assert {"2024-01-01T00:00:00+04:00", "2024", 4.0} <= set(periods.params.values())


def test_filters_are_checked_before_any_sql_is_written() -> None:
    with pytest.raises(TrsInputError, match="unknown dimension colour"):
        sql.statistics(LAYOUT, (), {"colour": "red"})
    with pytest.raises(TrsInputError, match="allows no value"):
        sql.statistics(LAYOUT, (), {"office": []})
    with pytest.raises(TrsInputError, match="must be text"):
        sql.statistics(LAYOUT, (), {"office": [1]})  # type: ignore[list-item]


def test_interval_names_read_back_the_key_the_sql_gives_each_interval() -> None:
    milestones = LAYOUT.config.milestones
    count = len(milestones)
    assert sql.interval_names(LAYOUT, 3 * count + 2) == (milestones[2], milestones[3])
    assert sql.interval_names(LAYOUT, count * count + milestones.index("exit")) == ("arrival", "exit")


def test_a_filter_allows_several_values_and_takes_a_hostile_one_literally(tmp_path: Path) -> None:
    study = Study(write(tmp_path, GOOD), threads=1)
    both = next(
        r for r in study.statistics(filters={"office": ["P1", "P2"]}) if (r.start, r.end) == ("arrival", "release")
    )
    one = next(r for r in study.statistics(filters={"office": "P2"}) if (r.start, r.end) == ("arrival", "release"))
    assert (both.n, one.n) == (3, 1)
    assert study.statistics(filters={"office": [HOSTILE]}) == []
    assert study.release_curve(filters={"office": HOSTILE}) == []
    assert study.released_within(5, filters={"office": HOSTILE}) == []
    assert not hasattr(study, "where")  # no public raw condition
