"""Time Release Study analytics: connect, load, execute.

``Study`` connects to DuckDB, has the loader turn the file into events, executes the
validation pipeline that ``waypoint.engine.trs.sql`` writes, and answers questions by
executing that module's statements and shaping their rows into the model's records. It
writes no SQL of its own: the queries are pure functions of the study's settings
(``sql.Layout``), the engine's spelling is the dialect's, and reading files is the loader's.

The questions are asked the same way on any engine (``Questions``); ``Study`` is DuckDB's,
``waypoint.engine.trs.spark.SparkStudy`` Spark's, and ``open_study`` picks one by name
(``ENGINES``; ``WAYPOINT_TRS_ENGINE`` by default).
"""

from __future__ import annotations

import json
import os
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from waypoint.engine.trs import sql
from waypoint.engine.trs.dialect import DUCKDB, Dialect
from waypoint.engine.trs.loader import brief, connect, load, set_time_zone
from waypoint.engine.trs.model import (
    STATISTICS,
    Actor,
    Limits,
    Quarantine,
    QuarantineRow,
    Reason,
    StatRow,
    StudyConfig,
    TrsInputError,
)
from waypoint.engine.trs.sql import COMPUTED_DIMENSIONS, Filters, Statement, Step

#: at most this many characters of a declaration id or a detail in the quarantine's sample
SAMPLE_TEXT = 200
#: the engines a study can run on: DuckDB on one machine, Spark on one machine or a cluster
ENGINES = ("duckdb", "spark")
#: the environment variable that chooses the engine when the caller does not
ENGINE_VARIABLE = "WAYPOINT_TRS_ENGINE"
#: the Spark master to run on (``local[4]``, ``spark://host:7077``, ``yarn``…); without it,
#: Spark's own configuration decides, and local mode on every core when that says nothing
SPARK_MASTER_VARIABLE = "WAYPOINT_SPARK_MASTER"


def engine_name(engine: str | None = None) -> str:
    """``engine``, else ``WAYPOINT_TRS_ENGINE``, else DuckDB; an unknown name is refused."""
    name = (engine or os.environ.get(ENGINE_VARIABLE) or "duckdb").strip().lower()
    if name not in ENGINES:
        raise TrsInputError(f"unknown TRS engine {name!r}; use one of {', '.join(ENGINES)}")
    return name


def open_study(
    path: str | Path,
    config: StudyConfig | None = None,
    *,
    engine: str | None = None,
    threads: int | None = None,
    limits: Limits | None = None,
    spark_master: str | None = None,
) -> Questions:
    """A study of the file at ``path`` on the engine named (see ``engine_name``).

    Spark is an optional extra (``pip install waypoint[spark]``, and a Java runtime); asking
    for it without PySpark installed is an error that says so."""
    if engine_name(engine) == "spark":
        try:
            from waypoint.engine.trs.spark import SparkStudy
        except ImportError as error:
            raise TrsInputError(
                "the Spark engine needs PySpark: install the spark extra (pip install 'waypoint[spark]')"
            ) from error
        return SparkStudy(path, config, master=spark_master, threads=threads, limits=limits)
    return Study(path, config, threads=threads, limits=limits)


class Questions(ABC):
    """The questions a validated study answers, on whatever engine executes the statements.

    A subclass loads the file into ``events_in``, builds the validation steps (``_validate``)
    and executes statements (``_execute``, ``_row``); everything else is shared, so every
    engine shapes the same rows into the same records."""

    dialect: Dialect
    config: StudyConfig
    layout: sql.Layout
    dimensions: list[str]
    form: str
    orphans: int
    located: list[tuple[str, int]]
    declarations_in: int

    @abstractmethod
    def _execute(self, statement: Statement) -> list[tuple[Any, ...]]: ...

    @abstractmethod
    def _run(self, text: str) -> None:
        """Execute a statement that returns nothing (creating a table or a view)."""

    @abstractmethod
    def close(self) -> None: ...

    def _row(self, statement: Statement) -> tuple[Any, ...]:
        found = self._execute(statement)
        return tuple(found[0]) if found else ()

    def _create(self, step: Step) -> None:
        self._run(step.create(self.dialect, persist=self.layout.persist))

    def _validate(self) -> None:
        """Build every step of the validation from ``events_in`` and count the declarations."""
        for step in sql.validation(self.layout):
            self._create(step)
        declarations, _used = self._row(sql.declarations_counted())
        self.declarations_in = int(declarations) + self.orphans

    # -- what was set aside ------------------------------------------------------------------------

    def quarantine(self, *, limit: int = 20) -> Quarantine:
        """Distinct declarations per reason, a sample of the declarations set aside with the
        detail (rows without a declaration id with their place in the file), and how many
        declarations the statistics use."""
        _declarations, used = self._row(sql.declarations_counted())
        found = {Reason[name]: int(n) for name, n in self._execute(sql.quarantine_counts())}
        if self.orphans:
            found[Reason.MISSING_VALUE] = found.get(Reason.MISSING_VALUE, 0) + self.orphans
        counts = {reason: found[reason] for reason in Reason if reason in found}  # in a stable order
        rows = [
            QuarantineRow(_cut(str(declaration_id)), Reason[reason], _cut(str(detail)))
            for declaration_id, reason, detail in self._execute(sql.quarantine_sample(self.layout, limit))
        ]
        rows += [
            QuarantineRow("", Reason.MISSING_VALUE, "no declaration id", line=line, file=file)
            for file, line in self.located[: max(int(limit), 0)]
        ]
        rows.sort(key=lambda row: row.reason.name)
        return Quarantine(self.declarations_in, int(used), rows, counts, rows_without_id=self.orphans)

    # -- statistics --------------------------------------------------------------------------------

    @property
    def available_dimensions(self) -> list[str]:
        return self.layout.available_dimensions

    def statistics(self, by: Sequence[str] = (), *, filters: Filters | None = None) -> list[StatRow]:
        """n, mean, median, P75, P90, P95, min, max and trimmed mean (hours) of every interval
        and of the totals, per group of ``by``, over the declarations ``filters`` allows (each
        dimension filtered takes one of the values given)."""
        group = sql.checked_dimensions(self.layout, by)
        rows = []
        for key, *rest in self._execute(sql.statistics(self.layout, group, filters)):
            start, end = sql.interval_names(self.layout, int(key))
            values = rest[len(group) :]
            rows.append(
                StatRow(
                    start,
                    end,
                    {g: ("" if v is None else str(v)) for g, v in zip(group, rest[: len(group)], strict=True)},
                    int(values[0]),
                    *(float(x) / 3600.0 for x in values[1:]),
                )
            )
        return rows

    def actor_shares(self, by: Sequence[str] = (), *, filters: Filters | None = None) -> list[dict[str, Any]]:
        """The share of the time from the first milestone to the last that each actor takes
        (time before arrival, under pre-arrival processing, counts as nothing)."""
        group = sql.checked_dimensions(self.layout, by)
        totals: dict[tuple[str, ...], float] = {}
        parts: dict[tuple[str, ...], dict[str, float]] = {}
        for actor, *rest in self._execute(sql.actor_shares(self.layout, group, filters)):
            key = tuple("" if v is None else str(v) for v in rest[:-1])
            hours = float(rest[-1] or 0)
            totals[key] = totals.get(key, 0.0) + hours
            parts.setdefault(key, {})[actor] = hours
        out = []
        for key in sorted(parts, key=lambda k: sql.own_order_key(group, k)):
            row: dict[str, Any] = dict(zip(group, key, strict=True))
            for actor in [a.value for a in Actor]:
                row[actor] = parts[key].get(actor, 0.0) / totals[key] if totals[key] else 0.0
            out.append(row)
        return out

    def released_within(
        self, hours: float, by: Sequence[str] = (), *, end: str = "release", filters: Filters | None = None
    ) -> list[dict[str, Any]]:
        """The share of declarations released within ``hours`` of arrival, per group."""
        group = sql.checked_dimensions(self.layout, by)
        return [
            {
                **dict(zip(group, ("" if v is None else str(v) for v in rest), strict=True)),
                "n": int(n),
                "share": float(share),
            }
            for n, share, *rest in self._execute(
                sql.released_within(self.layout, hours, group, end=end, filters=filters)
            )
        ]

    def release_curve(
        self, *, end: str = "release", points: int = 100, filters: Filters | None = None
    ) -> list[tuple[float, float]]:
        """(hours, share released by then) at ``points`` evenly spaced shares."""
        statement, shares = sql.release_curve(self.layout, end=end, points=points, filters=filters)
        found = self._row(statement)
        if not found or found[0] is None:
            return []
        return [(float(seconds) / 3600.0, s) for seconds, s in zip(found[0], shares, strict=True)]

    def sample(
        self, start: str, end: str, *, group: Mapping[str, str] | None = None, size: int = 20000, seed: int = 0
    ) -> list[float]:
        """Up to ``size`` interval durations drawn at random (for bootstrap intervals)."""
        statement = sql.sample(self.layout, start, end, group=group, size=size, seed=seed)
        return [float(row[0]) for row in self._execute(statement)]

    def values(self, dimension: str, *, limit: int = 200) -> list[str]:
        """The values a dimension takes, most frequent first."""
        return ["" if v is None else str(v) for v, _n in self._execute(sql.values(self.layout, dimension, limit=limit))]

    def period_values(
        self,
        statistic: str,
        start: str,
        end: str,
        periods: Sequence[tuple[str, str, str]],
        *,
        filters: Filters | None = None,
        target_hours: float | None = None,
    ) -> dict[str, tuple[float, int]]:
        """``statistic`` of the interval ``start`` → ``end`` for declarations whose clock
        started within each period (code, first instant, instant after), with the count.

        ``statistic`` is ``mean``, ``median``, ``p75``, ``p90``, ``p95`` or ``share_within``
        (the percentage done within ``target_hours``).
        """
        statement = sql.period_values(
            self.layout, statistic, start, end, periods, filters=filters, target_hours=target_hours
        )
        if statement is None:
            return {}
        return {code: (float(value), int(n)) for code, value, n in self._execute(statement)}

    def span(self) -> tuple[Any, Any]:
        """The first and the last start (arrival) of a declaration used."""
        found = self._row(sql.span())
        return (found[0], found[1]) if found else (None, None)


class Study(Questions):
    """One dataset of declaration events, validated and ready for statistics.

    ``path`` is a Parquet file or a directory of them, a CSV file, or an XLSX file (small
    data), in the long form (one row per declaration and milestone) or the wide form (one
    row per declaration, one timestamp column per milestone).
    """

    dialect: Dialect = DUCKDB

    def __init__(
        self,
        path: str | Path,
        config: StudyConfig | None = None,
        *,
        threads: int | None = None,
        memory_limit: str | None = None,
        database: str | Path | None = None,
        limits: Limits | None = None,
    ) -> None:
        """With ``database`` (a file), the validated tables are kept there, so that
        ``Study.reopen`` can answer later questions without reading the source again."""
        self.config = config or StudyConfig()
        self.path = Path(path)
        self.db = connect(database, threads=threads, memory_limit=memory_limit, time_zone=self.config.timezone)
        try:
            self._prepare(limits or Limits(), persist=database is not None)
        except BaseException:
            self.db.close()  # a refused file leaves no open database behind
            raise

    def _prepare(self, limits: Limits, *, persist: bool) -> None:
        try:
            loaded = load(self.db, self.path, self.config, limits)
            self.form, self.dimensions = loaded.form, loaded.dimensions
            self.orphans = loaded.rows_without_id
            self.located = loaded.located
            self.layout = sql.Layout(self.config, tuple(self.dimensions), self.dialect, persist=persist)
            self._validate()
            self._execute(
                sql.study_meta(
                    self.layout,
                    declarations_in=self.declarations_in,
                    rows_without_id=self.orphans,
                    form=self.form,
                    located=self.located,
                )
            )
        except duckdb.Error as error:
            # a CSV file can turn out malformed only when it is read in full
            raise TrsInputError(f"{self.path}: cannot be read ({brief(str(error))})") from error

    @classmethod
    def reopen(cls, database: str | Path, config: StudyConfig | None = None, *, threads: int | None = None) -> Study:
        """A study validated earlier into ``database`` (read-only), in the time zone it was
        validated in."""
        if not Path(database).exists():
            raise TrsInputError(f"{database}: the study has not been prepared")
        study = cls.__new__(cls)
        study.path = Path(database)
        study.db = connect(database, threads=threads, memory_limit=None, time_zone="UTC", read_only=True)
        statement = sql.study_meta_read()
        try:
            cursor = study.db.execute(statement.sql)
            names = [d[0] for d in cursor.description or []]
            found = cursor.fetchone()
        except duckdb.Error as error:
            raise TrsInputError(f"{database}: the study is incomplete; prepare it again") from error
        if found is None:
            raise TrsInputError(f"{database}: the study is incomplete; prepare it again")
        meta = dict(zip(names, found, strict=True))
        # studies prepared before the time zone was kept were read in UTC, and before rows
        # without a declaration id were located, none was
        zone = str(meta.get("time_zone") or "UTC")
        study.config = config or StudyConfig(timezone=zone)
        set_time_zone(study.db, zone)
        study.declarations_in, study.orphans = int(meta["declarations_in"]), int(meta["orphans"])
        study.dimensions, study.form = list(json.loads(meta["dimensions"])), str(meta["form"])
        study.located = [(str(f), int(n)) for f, n in json.loads(meta.get("located") or "[]")]
        study.layout = sql.Layout(study.config, tuple(study.dimensions), study.dialect, persist=True)
        return study

    # -- executing ---------------------------------------------------------------------------------

    def _execute(self, statement: Statement) -> list[tuple[Any, ...]]:
        return self.db.execute(statement.sql, statement.params or None).fetchall()

    def _row(self, statement: Statement) -> tuple[Any, ...]:
        found = self.db.execute(statement.sql, statement.params or None).fetchone()
        return tuple(found) if found else ()

    def _run(self, text: str) -> None:
        self.db.execute(text)

    def close(self) -> None:
        self.db.close()


def _cut(text: str) -> str:
    return text if len(text) <= SAMPLE_TEXT else text[:SAMPLE_TEXT] + "…"


__all__ = ["COMPUTED_DIMENSIONS", "STATISTICS", "Study", "TrsInputError"]
