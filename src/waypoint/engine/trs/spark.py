"""Time Release Study analytics on Spark: the same statements, executed by Spark SQL.

``SparkStudy`` answers every question ``Study`` answers, from the statements that
``waypoint.engine.trs.sql`` writes in the ``SparkSQL`` dialect, and gives the same figures on
the same files (``tests/engine/trs/test_spark.py`` compares them). It runs Spark in local mode
on one machine, or on a cluster when a master is named (``WAYPOINT_SPARK_MASTER``, or Spark's
own configuration: ``spark-defaults.conf``, ``spark-submit --master``); docs/deployment.md
says how. This is the only module that imports PySpark, an optional extra
(``pip install 'waypoint[spark]'``), which needs a Java runtime (17 or later).

Each study works in its own Spark session (``SparkSession.newSession``: its own temporary
views and time zone, the process's one Spark context), so that studies in different time
zones can be open side by side. The validation's tables are cached by Spark (memory, then
disk) until the study is closed. A Spark study is not kept in a file: it is for the large
one-off reports the command line makes, not for the web app's datasets.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from py4j.protocol import Py4JError
from pyspark import SparkConf
from pyspark.errors import PySparkException
from pyspark.sql import DataFrame, SparkSession

from waypoint.engine.trs import sql
from waypoint.engine.trs.dialect import SPARK, Dialect
from waypoint.engine.trs.loader import (
    LOCATED,
    Loaded,
    brief,
    csv_lines,
    read_spreadsheet,
    shape,
    too_many_csv_rows,
)
from waypoint.engine.trs.model import Limits, StudyConfig, TrsInputError
from waypoint.engine.trs.runner import SPARK_MASTER_VARIABLE, Questions
from waypoint.engine.trs.sql import Statement, Step

#: delimiters a CSV file may use (DuckDB's reader guesses among the same)
DELIMITERS = ",;\t|"

_errors = (PySparkException, Py4JError)

# py4j tells at INFO level of every connection it closes, also from finalisers while the
# interpreter exits (when a logging stream may already be closed): a library prints nothing
logging.getLogger("py4j").setLevel(logging.WARNING)


def spark_session(master: str | None = None, *, threads: int | None = None) -> SparkSession:
    """The process's Spark session, started on first use (a session already started, by a
    test or by ``spark-submit``, is taken as it is).

    ``master`` (else ``WAYPOINT_SPARK_MASTER``) names the cluster; ``threads`` asks for local
    mode on that many cores. In local mode a shuffle is cut into twice as many partitions as
    cores, not Spark's 200, which are made for clusters."""
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName("waypoint-trs").config("spark.ui.showConsoleProgress", "false")
    master = master or os.environ.get(SPARK_MASTER_VARIABLE) or (f"local[{int(threads)}]" if threads else None)
    if master:
        builder = builder.master(master)
    else:
        # what Spark's own configuration names; when it names nothing, local mode on every core
        # is said here, so that it is set up below
        master = _configured_master() or "local[*]"
        if master == "local[*]":
            builder = builder.master(master)
    if master.startswith("local"):
        cores = int(threads or os.cpu_count() or 1)
        builder = builder.config("spark.sql.shuffle.partitions", str(2 * cores))
        # one machine: the driver listens on the loopback address only, not on the network
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    with warnings.catch_warnings():
        # PySpark warns about the pandas version it may use for pandas conversions; none is made here
        warnings.simplefilter("ignore", FutureWarning)
        session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")  # a library prints nothing: callers show their own progress
    return session


def _configured_master() -> str | None:
    """The master Spark's configuration names: ``spark-submit --master`` (seen by the JVM
    that started this process, or in ``PYSPARK_SUBMIT_ARGS``), else ``spark.master`` in
    ``spark-defaults.conf`` (``$SPARK_CONF_DIR``, else ``$SPARK_HOME/conf``)."""
    if os.environ.get("PYSPARK_GATEWAY_PORT"):  # under spark-submit: its JVM holds the settings
        return SparkConf().get("spark.master", None)
    words = os.environ.get("PYSPARK_SUBMIT_ARGS", "").split()
    if "--master" in words[:-1]:
        return words[words.index("--master") + 1]
    folder = os.environ.get("SPARK_CONF_DIR") or (
        os.path.join(os.environ["SPARK_HOME"], "conf") if os.environ.get("SPARK_HOME") else None
    )
    defaults = Path(folder) / "spark-defaults.conf" if folder else None
    if defaults is None or not defaults.is_file():
        return None
    for line in defaults.read_text(encoding="utf-8", errors="replace").splitlines():
        words = line.split(None, 1)  # a name, white space, a value
        if len(words) == 2 and words[0] == "spark.master":
            return words[1].strip()
    return None


class SparkStudy(Questions):
    """A dataset of declaration events validated by Spark; the questions are ``Questions``'.

    ``path`` is what ``Study`` takes (a Parquet file or a directory of them, CSV, XLSX), or a
    location Spark reads (``hdfs://…``, ``s3a://…``: a directory of Parquet files, or a file
    whose name ends in .parquet or .csv)."""

    dialect: Dialect = SPARK

    def __init__(
        self,
        path: str | Path,
        config: StudyConfig | None = None,
        *,
        master: str | None = None,
        threads: int | None = None,
        limits: Limits | None = None,
        session: SparkSession | None = None,
    ) -> None:
        self.config = config or StudyConfig()
        self.path = path
        self._cached: list[str] = []
        try:
            self.spark = (session or spark_session(master, threads=threads)).newSession()
        except _errors as error:  # no Java, a master that cannot be reached
            raise TrsInputError(
                f"Spark cannot start ({brief(str(error))}); it needs a Java runtime, 17 or later"
            ) from error
        # every time zone is explicit: times written without an offset are read in the study's
        # zone by the loader (``_instant``), hours and days are worked out in it by the dialect
        # (``SparkSQL.local``); the session's own zone plays no part
        self.spark.conf.set("spark.sql.session.timeZone", "UTC")
        try:
            loaded = _load(self.spark, str(path), self.config, limits or Limits())
            self.form, self.dimensions = loaded.form, loaded.dimensions
            self.orphans, self.located = loaded.rows_without_id, loaded.located
            # as a study kept in a file: the used declarations with their dimensions are a table
            # (cached), not a view that would read the source again for every question
            self.layout = sql.Layout(self.config, tuple(self.dimensions), self.dialect, persist=True)
            self._validate()
        except _errors as error:
            self.close()
            raise TrsInputError(f"{path}: cannot be read ({brief(str(error))})") from error
        except BaseException:
            self.close()
            raise

    def _create(self, step: Step) -> None:
        super()._create(step)
        if not step.view:
            self._cached.append(step.name)

    def _run(self, text: str) -> None:
        self.spark.sql(text)

    def _execute(self, statement: Statement) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.spark.sql(statement.sql, args=statement.params or None).collect()]

    def span(self) -> tuple[Any, Any]:
        """As ``Study.span``: instants in the study's time zone (PySpark hands back the
        process's local time without a zone)."""
        first, last = super().span()
        zone = ZoneInfo(self.config.timezone)

        def aware(value: Any) -> Any:
            return value.astimezone(zone) if isinstance(value, dt.datetime) else value

        return aware(first), aware(last)

    def close(self) -> None:
        """Free what the study cached (the cache is the Spark context's, shared by sessions)."""
        for name in reversed(self._cached):
            self.spark.sql(f"UNCACHE TABLE IF EXISTS {name}")
        self._cached.clear()


# -- from a file to ``events_in`` -------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    frame: DataFrame
    kind: str  # "parquet", "csv" or "spreadsheet"
    locate: Callable[[str], list[tuple[str, int]]]


def _load(spark: SparkSession, location: str, config: StudyConfig, limits: Limits) -> Loaded:
    """Create the ``events_in`` view over the file, as ``loader.load`` does for DuckDB."""
    source = _source(spark, location, limits)
    source.frame.createOrReplaceTempView("source_in")
    found = shape(location, list(source.frame.columns), config)
    q, columns, dimensions = SPARK.quote, found.columns, found.dimensions
    types = {field.name: field.dataType.typeName() for field in source.frame.schema.fields}
    zone = config.timezone
    if found.form == "long":
        timestamp = columns["timestamp"]
        spark.sql(
            "CREATE OR REPLACE TEMPORARY VIEW events_in AS SELECT "
            f"{q(columns['declaration_id'])} AS declaration_id, "
            f"CAST({q(columns['milestone'])} AS STRING) AS milestone, "
            f"{q(timestamp)} AS raw_ts, {_instant(q(timestamp), types[timestamp], zone)} AS ts"
            + "".join(f", {q(d)}" for d in dimensions)
            + " FROM source_in"
        )
    else:
        present = found.milestone_columns
        spark.sql(
            "CREATE OR REPLACE TEMPORARY VIEW wide_in AS SELECT "
            f"CAST({q(columns['declaration_id'])} AS STRING) AS declaration_id"
            + "".join(f", CAST({q(d)} AS STRING) AS {q(d)}" for d in dimensions)
            + "".join(f", {_text(q(c), types[c])} AS {q(c.lower())}" for c in present)
            + " FROM source_in"
        )
        # UNPIVOT leaves out absent values, as DuckDB's does
        spark.sql(
            "CREATE OR REPLACE TEMPORARY VIEW events_in AS SELECT declaration_id, milestone, raw_ts, "
            f"{_instant('raw_ts', 'string', zone)} AS ts"
            + "".join(f", {q(d)}" for d in dimensions)
            + f" FROM wide_in UNPIVOT (raw_ts FOR milestone IN ({', '.join(q(c.lower()) for c in present)}))"
        )
    too_many = limits.max_rows is not None and source.kind == "csv"
    if too_many and source.frame.limit(int(limits.max_rows or 0) + 1).count() > (limits.max_rows or 0):
        raise TrsInputError(too_many_csv_rows(location, int(limits.max_rows or 0)))
    identifier = found.identifier
    without_id = int(spark.sql(f"SELECT count(*) FROM source_in WHERE {q(identifier)} IS NULL").collect()[0][0])
    return Loaded(found.form, dimensions, without_id, source.locate(identifier) if without_id else [])


#: a time written without an offset or a zone: a date, and perhaps a time of day
_LOCAL = r"^\\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?\\s*$"
#: how an instant is written as text, with its offset
_ISO = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX"
#: a time DuckDB reads: a date first (Spark alone would also read a year, or a number)
_DATED = r"^\\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"


def _instant(column: str, kind: str, zone: str) -> str:
    """The instant a time column holds (NULL when it cannot be read), as DuckDB reads it
    (``TRY_CAST(… AS TIMESTAMPTZ)`` with the study's zone as the session's): a time with an
    offset is that instant; a time without one is a wall-clock time in ``zone``."""
    if kind == "timestamp":
        return column
    if kind in ("timestamp_ntz", "date"):
        return _wall_clock(f"CAST({column} AS TIMESTAMP)", zone)
    text = column if kind == "string" else f"CAST({column} AS STRING)"
    return (
        f"CASE WHEN {text} RLIKE '{_LOCAL}' THEN {_wall_clock(f'try_cast({text} AS TIMESTAMP)', zone)} "
        f"WHEN {text} RLIKE '{_DATED}' THEN try_cast({text} AS TIMESTAMP) END"
    )


def _wall_clock(utc: str, zone: str) -> str:
    """The instant at which the clocks of ``zone`` show the wall-clock time ``utc`` (read as
    if in UTC, which the session's zone is).

    As DuckDB (ICU) decides where the clocks change: in the hour repeated when they go back,
    the later of the two instants (standard time); in the hour skipped when they go forward,
    the offset before the change (the time moves forward). java.time, and so Spark's own
    reading, would take the earlier instant in the repeated hour. The offsets a day either
    side are the two candidates; the offset after the change is taken when it is the zone's
    offset at the instant it gives."""
    literal = SPARK.literal(zone)

    def offset(instant: str) -> str:  # seconds east of UTC at ``instant``
        return f"(unix_seconds(from_utc_timestamp({instant}, {literal})) - unix_seconds({instant}))"

    micros = f"unix_micros({utc})"
    before = offset(f"timestamp_micros({micros} - 86400000000)")
    after = offset(f"timestamp_micros({micros} + 86400000000)")
    later = f"timestamp_micros({micros} - {after} * 1000000)"
    return f"CASE WHEN {offset(later)} = {after} THEN {later} ELSE timestamp_micros({micros} - {before} * 1000000) END"


def _text(column: str, kind: str) -> str:
    """A wide file's time as text; an instant keeps its offset (``Z``), as DuckDB's text of
    a time with a zone does."""
    if kind == "timestamp":
        return f"date_format({column}, {SPARK.literal(_ISO)})"
    return f"CAST({column} AS STRING)"


def _source(spark: SparkSession, location: str, limits: Limits) -> _Source:
    remote = "://" in location
    path = Path(location)
    suffix = Path(location.rstrip("/")).suffix.lower()
    if not remote:
        if path.is_dir():
            if not any(path.glob("*.parquet")):
                raise TrsInputError(f"{location}: the directory holds no .parquet files")
            return _parquet(spark, location, directory=True)
        if not path.exists():
            raise TrsInputError(f"{location}: no such file")
    elif not suffix:
        return _parquet(spark, location, directory=True)
    if suffix == ".parquet":
        return _parquet(spark, location, directory=False)
    if suffix in (".csv", ".txt"):
        reader = spark.read.option("header", "true").option("inferSchema", "false")
        frame = reader.option("sep", _delimiter(path) if not remote else ",").csv(location)
        # the line of a record is known only by reading the file as text, here, when it is local
        return _Source(frame, "csv", (lambda column: csv_lines(path, column)) if not remote else (lambda _c: []))
    if suffix == ".xlsx" and not remote:
        table, located = read_spreadsheet(path, limits)
        return _Source(spark.createDataFrame(table), "spreadsheet", lambda _column: located)
    raise TrsInputError(f"{location}: use Parquet, CSV or XLSX (not {suffix or 'a file without extension'})")


def _parquet(spark: SparkSession, location: str, *, directory: bool) -> _Source:
    frame = spark.read.option("pathGlobFilter", "*.parquet").parquet(location)

    def locate(column: str) -> list[tuple[str, int]]:
        # Spark knows each row's file and its place in it (``_metadata``), as DuckDB does
        rows = (
            frame.where(frame[column].isNull())
            .select("_metadata.file_name", "_metadata.row_index")
            .orderBy("file_name", "row_index")
            .limit(LOCATED)
            .collect()
        )
        return [(str(name) if directory else "", int(index) + 1) for name, index in rows]

    return _Source(frame, "parquet", locate)


def _delimiter(path: Path) -> str:
    """The delimiter of a CSV file, guessed from its start (Spark's reader does not guess)."""
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        start = handle.read(64 * 1024)
    try:
        return csv.Sniffer().sniff(start, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","
