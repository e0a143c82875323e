"""Spark gives the same statistics as DuckDB on the same files.

Every question a study answers is asked of both engines on the same generated data (with
declarations to set aside of every kind, times written with and without an offset, a time
zone with summer time) and the answers are compared: counts, names, reasons, details and
samples exactly; figures in hours within ``TOLERANCE``.

Why a tolerance, and why this one: both engines work on the same whole seconds (integers)
with the same definitions (docs/architecture.md, "Spark"). Sums of seconds are exact in
both; a mean or a quantile ends in one or two floating-point roundings, and DuckDB's build
fuses a multiplication and an addition into one rounding (a quantile's ``lo·(1 − d) + hi·d``)
where the JVM rounds twice. The figures may therefore differ in their last bit or two: a
relative 10⁻¹⁵, or 10⁻¹¹ h on a quantile close to zero between a negative and a positive
duration. ``TOLERANCE`` allows a thousand times that and nothing a reader could see (a
relative 10⁻¹², or 10⁻⁹ h: under 4 microseconds).

Spark starts in local mode on two cores with two shuffle partitions; the data is small (a
few thousand declarations): Spark's JVM spends about 110 s of processor time on the module
(measured), which is a minute or two on an idle two-core machine, several on a busy one.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.engine.trs.test_runner import BAD, GOOD, HEADER
from waypoint.engine.trs import generator
from waypoint.engine.trs.cli import main
from waypoint.engine.trs.model import Reason, StudyConfig
from waypoint.engine.trs.runner import ENGINE_VARIABLE, Questions, Study
from waypoint.engine.trs.sql import PERIOD_STATISTICS

pytest.importorskip(
    "pyspark", reason="PySpark is the optional 'spark' extra: uv sync --extra spark (make install does)"
)
if shutil.which("java") is None:  # pragma: no cover - tools/ensure-system-packages.sh installs it
    pytest.skip("Spark needs a Java runtime (default-jre-headless)", allow_module_level=True)

from pyspark.sql import SparkSession

from waypoint.engine.trs.spark import SparkStudy

TOLERANCE = {"rel_tol": 1e-12, "abs_tol": 1e-9}
#: summer time until 2016, so the generated year (2014) has both offsets
ZONE = "Asia/Baku"
DECLARATIONS = 3000


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    session = (
        SparkSession.builder.master("local[2]")
        .appName("waypoint-trs-test")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


# -- the data ----------------------------------------------------------------------------------------


def _events(tmp_path: Path) -> Path:
    """Generated declarations as text times (a fifth without an offset, in the study's zone;
    a fifth with the zone's offset; the rest in UTC), plus declarations to set aside of every
    kind and rows without a declaration id."""
    table = pa.concat_tables(generator.generate(DECLARATIONS, seed=11))
    rows = table.to_pylist()
    zone = ZoneInfo(ZONE)
    for index, row in enumerate(rows):
        instant: dt.datetime = row["timestamp"]
        if index % 5 == 0:
            row["timestamp"] = instant.astimezone(zone).replace(tzinfo=None).isoformat(sep=" ")
        elif index % 5 == 1:
            row["timestamp"] = instant.astimezone(zone).isoformat()
        else:
            row["timestamp"] = instant.isoformat()
    by_id: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_id.setdefault(row["declaration_id"], []).append(row)

    def first(declaration: int, milestone: str) -> dict[str, Any]:
        return next(r for r in by_id[declaration] if r["milestone"] == milestone)

    first(5, "lodgement")["timestamp"] = "yesterday"  # unparseable (and so required milestone missing)
    first(6, "registration")["milestone"] = "teleport"  # unknown milestone, registration missing
    rows.append(dict(first(7, "lodgement")))  # lodgement twice
    first(8, "release")["timestamp"] = "2014-01-01T00:00:00+00:00"  # released before it arrived
    first(9, "payment")["milestone"] = None  # a row without a milestone
    first(10, "exit")["timestamp"] = None  # a row without a time
    rows = [r for r in rows if not (r["declaration_id"] == 11 and r["milestone"] == "registration")]
    rows += [dict(first(12, "arrival"), declaration_id=None), dict(first(13, "release"), declaration_id=None)]
    path = tmp_path / "events.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


@pytest.fixture(scope="module")
def studies(tmp_path_factory: pytest.TempPathFactory, spark: SparkSession) -> Iterator[tuple[Study, SparkStudy]]:
    path = _events(tmp_path_factory.mktemp("spark"))
    config = StudyConfig(timezone=ZONE)
    duck, sparked = Study(path, config, threads=1), SparkStudy(path, config, session=spark)
    yield duck, sparked
    duck.close()
    sparked.close()


# -- comparing ---------------------------------------------------------------------------------------


def assert_same(duckdb: Any, spark: Any, where: str = "") -> None:
    """Equal, figures within ``TOLERANCE``, through records, mappings and lists."""
    if dataclasses.is_dataclass(duckdb) and not isinstance(duckdb, type):
        assert type(duckdb) is type(spark), where
        for field in dataclasses.fields(duckdb):
            assert_same(getattr(duckdb, field.name), getattr(spark, field.name), f"{where}.{field.name}")
    elif isinstance(duckdb, dict):
        assert isinstance(spark, dict), where
        assert set(duckdb) == set(spark), where
        for key in duckdb:
            assert_same(duckdb[key], spark[key], f"{where}[{key!r}]")
    elif isinstance(duckdb, list | tuple):
        assert isinstance(spark, list | tuple), where
        assert len(duckdb) == len(spark), where
        for index, (a, b) in enumerate(zip(duckdb, spark, strict=True)):
            assert_same(a, b, f"{where}[{index}]")
    elif isinstance(duckdb, float) and not isinstance(spark, bool):
        assert isinstance(spark, float | int), where
        assert math.isclose(duckdb, spark, **TOLERANCE), f"{where}: {duckdb!r} (DuckDB) != {spark!r} (Spark)"
    else:
        assert duckdb == spark, f"{where}: {duckdb!r} (DuckDB) != {spark!r} (Spark)"


def both(studies: tuple[Study, SparkStudy], question: str, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
    duck, sparked = studies
    pair: list[Questions] = [duck, sparked]
    return tuple(getattr(study, question)(*args, **kwargs) for study in pair)


def test_what_was_set_aside_is_the_same(studies: tuple[Study, SparkStudy]) -> None:
    duck, sparked = both(studies, "quarantine", limit=50)
    assert_same(duck, sparked)
    assert duck.declarations_in == DECLARATIONS + 2  # two rows without a declaration id
    assert set(duck.counts) == set(Reason)  # every reason is exercised
    assert duck.counts[Reason.MISSING_VALUE] == 4  # declarations 9 and 10, and the two rows without an id


def test_every_statistic_of_every_interval_is_the_same(studies: tuple[Study, SparkStudy]) -> None:
    duck, sparked = both(studies, "statistics")
    assert_same(duck, sparked)
    # every step a declaration's milestones make (a check skipped joins its neighbours) and both totals
    assert {("arrival", "release"), ("arrival", "exit"), ("registration", "payment")} < {(r.start, r.end) for r in duck}


@pytest.mark.parametrize(
    ("by", "filters"),
    [
        (["office", "channel"], None),
        (["aeo", "pre_arrival", "hs_chapter"], {"mode": ["road", "sea"]}),
        # worked out from the local time of arrival, in a zone with summer time
        (["period", "weekday", "hour"], None),
        (["hour"], {"weekday": ["Saturday", "Sunday"], "office": "IO-BAK"}),
    ],
)
def test_breakdowns_are_the_same(
    studies: tuple[Study, SparkStudy], by: list[str], filters: dict[str, Any] | None
) -> None:
    duck, sparked = both(studies, "statistics", by, filters=filters)
    assert_same(duck, sparked)
    assert len({tuple(row.group.values()) for row in duck}) > 1


def test_actor_shares_and_release_within_target_are_the_same(studies: tuple[Study, SparkStudy]) -> None:
    assert_same(*both(studies, "actor_shares"))
    assert_same(*both(studies, "actor_shares", ["mode"]))
    assert_same(*both(studies, "released_within", 4))
    assert_same(*both(studies, "released_within", 24, ["office", "period"], end="exit"))


def test_the_release_curve_is_the_same(studies: tuple[Study, SparkStudy]) -> None:
    duck, sparked = both(studies, "release_curve")
    assert_same(duck, sparked)
    assert len(duck) == 100
    assert_same(*both(studies, "release_curve", end="exit", points=7, filters={"channel": "red"}))
    assert both(studies, "release_curve", filters={"office": "nowhere"}) == ([], [])


@pytest.mark.parametrize("statistic", PERIOD_STATISTICS)
def test_values_per_period_are_the_same(studies: tuple[Study, SparkStudy], statistic: str) -> None:
    # quarters in the study's zone: the second and third begin in summer time (+05:00)
    quarters = [
        ("2014Q1", "2014-01-01T00:00:00+04:00", "2014-04-01T00:00:00+05:00"),
        ("2014Q2", "2014-04-01T00:00:00+05:00", "2014-07-01T00:00:00+05:00"),
        ("2014Q3", "2014-07-01T00:00:00+05:00", "2014-10-01T00:00:00+05:00"),
        ("2014Q4", "2014-10-01T00:00:00+05:00", "2015-01-01T00:00:00+04:00"),
    ]
    duck, sparked = both(
        studies, "period_values", statistic, "arrival", "release", quarters, target_hours=4, filters={"mode": "road"}
    )
    assert_same(duck, sparked)
    assert set(duck) == {"2014Q1", "2014Q2", "2014Q3", "2014Q4"}


def test_values_and_the_span_are_the_same(studies: tuple[Study, SparkStudy]) -> None:
    for dimension in ["aeo", "weekday", "hour"]:
        assert_same(*both(studies, "values", dimension), dimension)
    assert_same(*both(studies, "values", "hs_chapter", limit=5))
    assert_same(*both(studies, "span"))
    assert studies[0].available_dimensions == studies[1].available_dimensions


def test_a_sample_is_drawn_from_the_same_durations(studies: tuple[Study, SparkStudy]) -> None:
    duck, sparked = both(studies, "sample", "arrival", "release", group={"office": "SP-ALT"}, size=50, seed=3)
    assert len(duck) == len(sparked) == 50
    # each engine draws its own rows; every one drawn is a duration of that interval and group
    everything = set(studies[0].sample("arrival", "release", group={"office": "SP-ALT"}, size=1_000_000))
    assert set(sparked) <= everything


def test_the_command_line_runs_spark_when_configured(
    tmp_path: Path, spark: SparkSession, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``WAYPOINT_TRS_ENGINE=spark`` (or ``--engine spark``) gives the report DuckDB gives, on a
    CSV file (text throughout; a row without a declaration id is located by its line)."""
    path = tmp_path / "events.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows([*GOOD, *BAD[:4], ("", "arrival", "2024-01-01T08:00:00+00:00", "P2", "green"), *BAD[4:]])
    report = ["report", str(path), "--by", "office", "--format", "json", "--threads", "1"]
    assert main([*report, "--engine", "duckdb"]) == 0
    duck = capsys.readouterr()
    monkeypatch.setenv(ENGINE_VARIABLE, "spark")
    assert main(report) == 0  # the session started above is the one Spark's study takes
    sparked = capsys.readouterr()
    assert_same(json.loads(duck.out), json.loads(sparked.out))
    assert duck.err == sparked.err  # the declarations used and set aside, per reason, and the line located
    assert "3 of 7 declarations used" in duck.err
    assert "line 19: no declaration id" in duck.err
