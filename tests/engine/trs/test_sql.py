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


# -- the Spark SQL dialect (text only: no Spark needed) ------------------------------------------------


def test_spark_quotes_names_and_text_its_own_way() -> None:
    from waypoint.engine.trs.dialect import SPARK

    assert SPARK.quote("a`b") == "`a``b`"
    # Spark reads backslash escapes in string literals: a quote and a backslash are escaped
    assert SPARK.literal("it's C:\\x") == "'it\\'s C:\\\\x'"
    assert SPARK.parameter("p0") == ":p0"
    # number literals are doubles, never decimals (which Spark would round to their scale)
    assert "0.05D" in SPARK.list_quantiles("values", [0.05])
    assert SPARK.quantile("hours", 0.5) == "percentile(hours, 0.5D)"


def test_every_statement_is_written_for_spark_too() -> None:
    from waypoint.engine.trs.dialect import SPARK

    layout = sql.Layout(StudyConfig(timezone="Asia/Baku"), ("office", "channel"), SPARK)
    texts = [step.create(SPARK, persist=False) for step in sql.validation(layout)]
    texts.append(sql.statistics(layout, ["office", "hour"], {"channel": ["red", HOSTILE]}).sql)
    texts.append(sql.release_curve(layout)[0].sql)
    assert all("$" not in text and '"' not in text for text in texts)  # DuckDB's parameters and quoted names
    assert texts[0].startswith("CACHE TABLE per_declaration AS ")  # a table Spark keeps for the questions
    assert texts[-3].startswith("CREATE OR REPLACE TEMPORARY VIEW intervals AS ")
    assert HOSTILE not in texts[-2]
    # a Spark study keeps its tables in the session, whether or not it is "kept"
    assert sql.validation(layout)[0].create(SPARK, persist=True) == texts[0]


def test_the_engine_is_chosen_by_name_or_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from waypoint.engine.trs.runner import engine_name

    monkeypatch.delenv("WAYPOINT_TRS_ENGINE", raising=False)
    assert engine_name() == "duckdb"
    monkeypatch.setenv("WAYPOINT_TRS_ENGINE", "Spark")
    assert engine_name() == "spark"
    assert engine_name("duckdb") == "duckdb"  # the caller's choice comes first
    monkeypatch.setenv("WAYPOINT_TRS_ENGINE", "oracle")
    with pytest.raises(TrsInputError, match="unknown TRS engine 'oracle'; use one of duckdb, spark"):
        engine_name()


def test_spark_without_pyspark_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from waypoint.engine.trs.runner import open_study

    monkeypatch.setitem(sys.modules, "waypoint.engine.trs.spark", None)  # as if PySpark were absent
    with pytest.raises(TrsInputError, match="the Spark engine needs PySpark"):
        open_study(write(tmp_path, GOOD), engine="spark")
    study = open_study(write(tmp_path, GOOD), engine="duckdb", threads=1)
    assert isinstance(study, Study)
    assert study.quarantine().declarations_used == 3
