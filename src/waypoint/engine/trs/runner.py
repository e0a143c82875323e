"""Time Release Study analytics on DuckDB: loading, validation, statistics.

The only module of ``waypoint.engine.trs`` that knows DuckDB. The SQL is plain ANSI with
window functions; the few engine-specific pieces (file readers, ``quantile_cont``, list
indexing, time zone handling) are the functions in ``Dialect`` below, so that the same
queries can be moved to a distributed engine (Spark SQL: ``percentile``, ``from_utc_timestamp``)
for data larger than one machine.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from waypoint.engine.trs.model import (
    STATISTICS,
    Actor,
    Quarantine,
    QuarantineRow,
    Reason,
    StatRow,
    StudyConfig,
)

#: computed dimensions, available to ``--by`` besides the file's own columns
COMPUTED_DIMENSIONS = ("period", "weekday", "hour")
REQUIRED_LONG = ("declaration_id", "milestone", "timestamp")


class TrsInputError(ValueError):
    """The file cannot be read as declaration events; the message says what and where."""


class Dialect:
    """DuckDB's spelling of what ANSI SQL leaves to each engine."""

    @staticmethod
    def quantiles(column: str, points: Sequence[float]) -> str:
        return f"quantile_cont({column}, [{', '.join(str(p) for p in points)}])"

    @staticmethod
    def collected(column: str) -> str:
        """Every value of a group in one list (Spark: ``collect_list``)."""
        return f"list({column})"

    @staticmethod
    def list_quantiles(values: str, points: Sequence[float]) -> str:
        return f"list_aggregate({values}, 'quantile_cont', [{', '.join(str(p) for p in points)}])"

    @staticmethod
    def list_outside(values: str, low: str, high: str) -> str:
        """The values below ``low`` or above ``high`` (Spark: ``filter``)."""
        return f"list_filter({values}, lambda x: x < {low} OR x > {high})"

    @staticmethod
    def list_sum(values: str) -> str:
        return f"coalesce(list_sum({values}), 0)"

    @staticmethod
    def each(records: Sequence[str]) -> str:
        """One row per record of the list (Spark: ``explode``)."""
        return f"unnest([{', '.join(records)}])"

    @staticmethod
    def item(list_expression: str, index: int) -> str:
        return f"({list_expression})[{index + 1}]"

    @staticmethod
    def hours_between(start: str, end: str) -> str:
        """Hours between two instants held as whole seconds (see ``seconds``)."""
        return f"({end} - {start}) / 3600.0"

    #: instants are kept as 32-bit whole seconds from 2000-01-01 UTC (valid 1932–2068): half
    #: the size of a timestamp, which keeps the per-declaration grouping in memory
    EPOCH_2000 = 946_684_800

    @staticmethod
    def seconds(timestamp: str) -> str:
        # whole microseconds divided once: about twice as fast as epoch_ms or epoch
        return f"CAST(epoch_us({timestamp}) // 1000000 - {Dialect.EPOCH_2000} AS INTEGER)"

    @staticmethod
    def instant(seconds: str) -> str:
        return f"to_timestamp({seconds} + {Dialect.EPOCH_2000})"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class Study:
    """One dataset of declaration events, validated and ready for statistics.

    ``path`` is a Parquet file or a directory of them, a CSV file, or an XLSX file (small
    data), in the long form (one row per declaration and milestone) or the wide form (one
    row per declaration, one timestamp column per milestone).
    """

    def __init__(
        self,
        path: str | Path,
        config: StudyConfig | None = None,
        *,
        threads: int | None = None,
        memory_limit: str | None = None,
        database: str | Path | None = None,
    ) -> None:
        """With ``database`` (a file), the validated tables are kept there, so that
        ``Study.reopen`` can answer later questions without reading the source again."""
        self.config = config or StudyConfig()
        self.path = Path(path)
        self.db = duckdb.connect(str(database) if database else ":memory:")
        self._kind = "" if database else "TEMP"
        self._settings(threads, memory_limit)
        self._load()
        self._validate()
        self.db.execute(
            f"CREATE OR REPLACE {self._kind} TABLE study_meta AS SELECT "
            f"{self.declarations_in} AS declarations_in, {self.orphans} AS orphans, "
            f"{_literal(json.dumps(self.dimensions))} AS dimensions, {_literal(self.form)} AS form"
        )

    def _settings(self, threads: int | None, memory_limit: str | None) -> None:
        self.db.execute(f"SET threads = {int(threads or os.cpu_count() or 1)}")
        if memory_limit:
            self.db.execute(f"SET memory_limit = {_literal(memory_limit)}")
        self.db.execute(f"SET TimeZone = {_literal(self.config.timezone)}")
        self.db.execute("SET preserve_insertion_order = false")
        # a library prints nothing: callers show their own progress
        self.db.execute("SET enable_progress_bar = false")

    @classmethod
    def reopen(cls, database: str | Path, config: StudyConfig | None = None, *, threads: int | None = None) -> Study:
        """A study validated earlier into ``database`` (read-only)."""
        if not Path(database).exists():
            raise TrsInputError(f"{database}: the study has not been prepared")
        study = cls.__new__(cls)
        study.config = config or StudyConfig()
        study.path = Path(database)
        study.db = duckdb.connect(str(database), read_only=True)
        study._kind = ""
        study._settings(threads, None)
        found = study.db.execute("SELECT declarations_in, orphans, dimensions, form FROM study_meta").fetchone()
        if found is None:
            raise TrsInputError(f"{database}: the study is incomplete; prepare it again")
        study.declarations_in, study.orphans = int(found[0]), int(found[1])
        study.dimensions, study.form = list(json.loads(found[2])), str(found[3])
        return study

    # -- loading ---------------------------------------------------------------------------------

    def _source(self) -> str:
        path = self.path
        if path.is_dir():
            files = sorted(path.glob("*.parquet"))
            if not files:
                raise TrsInputError(f"{path}: the directory holds no .parquet files")
            return f"read_parquet({_literal(str(path / '*.parquet'))})"
        if not path.exists():
            raise TrsInputError(f"{path}: no such file")
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            return f"read_parquet({_literal(str(path))})"
        if suffix in (".csv", ".txt"):
            return f"read_csv({_literal(str(path))}, header = true, all_varchar = true)"
        if suffix == ".xlsx":
            self._register_xlsx(path)
            return "xlsx_rows"
        raise TrsInputError(f"{path}: use Parquet, CSV or XLSX (not {suffix or 'a file without extension'})")

    def _register_xlsx(self, path: Path) -> None:
        import openpyxl
        import pyarrow as pa

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if not header or any(h is None for h in header):
            raise TrsInputError(f"{path}, sheet {sheet.title!r}, row 1: every column needs a name")
        names = [str(h).strip() for h in header]
        columns: list[list[str | None]] = [[] for _ in names]
        for row in rows:
            for index, value in enumerate(row[: len(names)]):
                columns[index].append(None if value is None else _text(value))
        table = pa.table(
            {name: pa.array(values, type=pa.string()) for name, values in zip(names, columns, strict=True)}
        )
        self.db.register("xlsx_rows", table)

    def _load(self) -> None:
        source = self._source()
        try:
            columns = [row[0] for row in self.db.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
        except duckdb.Error as error:
            raise TrsInputError(f"{self.path}: cannot be read ({error})") from error
        lowered = {c.lower(): c for c in columns}
        milestones = self.config.milestones
        if all(name in lowered for name in REQUIRED_LONG):
            self.form = "long"
            self.dimensions = [c for c in columns if c.lower() not in REQUIRED_LONG]
            # columns keep their own types (no string round trip on millions of rows); only
            # the timestamp is converted, and only text that fails to convert is quarantined
            select = (
                f"{_quote(lowered['declaration_id'])} AS declaration_id, "
                f"CAST({_quote(lowered['milestone'])} AS VARCHAR) AS milestone, "
                f"{_quote(lowered['timestamp'])} AS raw_ts, "
                f"TRY_CAST({_quote(lowered['timestamp'])} AS TIMESTAMPTZ) AS ts"
            )
            dims = "".join(f", {_quote(d)}" for d in self.dimensions)
            self.db.execute(f"CREATE TEMP VIEW events_in AS SELECT {select}{dims} FROM {source}")
        elif "declaration_id" in lowered and any(m in lowered for m in milestones):
            self.form = "wide"
            present = [lowered[m] for m in milestones if m in lowered]
            self.dimensions = [c for c in columns if c.lower() != "declaration_id" and c not in present]
            dims = "".join(f", CAST({_quote(d)} AS VARCHAR) AS {_quote(d)}" for d in self.dimensions)
            self.db.execute(
                f"CREATE TEMP VIEW wide_in AS SELECT CAST({_quote(lowered['declaration_id'])} AS VARCHAR) AS declaration_id{dims}, "
                + ", ".join(f"CAST({_quote(c)} AS VARCHAR) AS {_quote(c.lower())}" for c in present)
                + f" FROM {source}"
            )
            unpivot = ", ".join(_quote(c.lower()) for c in present)
            self.db.execute(
                "CREATE TEMP VIEW events_in AS SELECT declaration_id, milestone, raw_ts, TRY_CAST(raw_ts AS TIMESTAMPTZ) AS ts"
                + "".join(f", {_quote(d)}" for d in self.dimensions)
                + f" FROM (UNPIVOT wide_in ON {unpivot} INTO NAME milestone VALUE raw_ts)"
            )
        else:
            raise TrsInputError(
                f"{self.path}: expected the columns declaration_id, milestone, timestamp (long form) "
                f"or declaration_id and one column per milestone ({', '.join(milestones)}) (wide form); "
                f"found {', '.join(columns)}"
            )
        for name in self.dimensions:
            if name in COMPUTED_DIMENSIONS:
                raise TrsInputError(f"{self.path}: the column {name!r} clashes with a computed dimension; rename it")

    # -- validation ------------------------------------------------------------------------------

    def _validate(self) -> None:
        """One pass groups the events by declaration (a column per milestone); every check
        and every interval is then a column expression on that table, which scales to tens
        of millions of declarations on one machine.

        The grouping carries only what the checks need (32-bit seconds per milestone and two
        counts), which keeps it small enough not to spill to disk; a used declaration's
        dimensions are joined from its start event afterwards (``_declarations``)."""
        config = self.config
        milestones = config.milestones
        # the milestone's position, worked out once per row, is what the aggregates test
        positions = " ".join(f"WHEN {_literal(m)} THEN {i}" for i, m in enumerate(milestones))
        # plain aggregates of a CASE, not FILTER clauses: about a tenth faster on tens of
        # millions of events (measured with DuckDB 2.0)
        columns = [f"min(CASE WHEN pos = {index} THEN secs END) AS t{index}" for index in range(len(milestones))]
        present = " + ".join(f"(t{i} IS NOT NULL)::INT" for i in range(len(milestones)))
        # the first three reasons are told apart in problem_details; one count stands for them.
        # Whether a declaration is used is stored, not worked out again by every question.
        checks = self._rules()
        usable = " AND ".join(
            ["problem_events = 0", *(f"NOT coalesce({condition}, false)" for _r, condition, _d in checks[3:])]
        )
        self.db.execute(
            f"""
            CREATE {self._kind} TABLE per_declaration AS
            WITH events AS NOT MATERIALIZED (
                SELECT declaration_id, milestone, raw_ts, ts, CASE milestone {positions} END AS pos,
                       {Dialect.seconds("ts")} AS secs
                FROM events_in WHERE declaration_id IS NOT NULL
            ),
            grouped AS (
                SELECT declaration_id, {", ".join(columns)},
                       count(*) AS events,
                       -- events with a known milestone and a time; the others (without
                       -- milestone or time, unknown milestones, unreadable times) are counted
                       -- together here, told apart later for the few declarations concerned
                       count(CASE WHEN ts IS NOT NULL THEN pos END) AS known_events
                FROM events GROUP BY declaration_id
            ),
            -- more known events than milestones present means a milestone was recorded twice
            checked AS (
                SELECT declaration_id, {", ".join(f"t{i}" for i in range(len(milestones)))},
                       events - known_events AS problem_events, known_events > ({present}) AS duplicated
                FROM grouped
            )
            SELECT *, {usable} AS usable FROM checked
            """
        )
        self.orphans = self._scalar("SELECT count(*) FROM events_in WHERE declaration_id IS NULL")
        self.declarations_in = self._scalar("SELECT count(*) FROM per_declaration") + self.orphans
        # what exactly was wrong (which milestone twice, which name unknown, which value
        # unreadable) is looked up only for the declarations concerned, usually few, so the
        # grouping above carries counts instead of text
        self.db.execute(
            f"""
            CREATE {self._kind} TABLE problem_details AS
            WITH events AS MATERIALIZED (
                SELECT declaration_id, milestone, raw_ts, ts, CASE milestone {positions} END AS pos FROM events_in
                WHERE declaration_id IN (SELECT declaration_id FROM per_declaration WHERE duplicated OR problem_events > 0)
            ),
            twice AS (
                SELECT declaration_id, string_agg(milestone, ', ' ORDER BY pos) AS twice_names FROM (
                    SELECT declaration_id, milestone, min(pos) AS pos FROM events
                    WHERE pos IS NOT NULL AND ts IS NOT NULL GROUP BY declaration_id, milestone HAVING count(*) > 1
                ) GROUP BY declaration_id
            )
            SELECT declaration_id,
                   count(*) FILTER (WHERE milestone IS NULL OR raw_ts IS NULL) AS missing_values,
                   count(*) FILTER (WHERE milestone IS NOT NULL AND pos IS NULL) AS unknown_events,
                   count(*) FILTER (WHERE raw_ts IS NOT NULL AND ts IS NULL) AS unparseable_events,
                   any_value(twice_names) AS twice_names,
                   min(milestone) FILTER (WHERE pos IS NULL) AS unknown_name,
                   min(milestone || ': ' || CAST(raw_ts AS VARCHAR)) FILTER (WHERE raw_ts IS NOT NULL AND ts IS NULL)
                       AS unreadable_value
            FROM events LEFT JOIN twice USING (declaration_id)
            GROUP BY declaration_id
            """
        )
        self.db.execute(
            # every reason implies "not usable": the few declarations set aside are picked out
            # once, and each reason looks only at them
            f"CREATE {self._kind} TABLE quarantined AS "
            "WITH aside AS MATERIALIZED (SELECT * FROM per_declaration WHERE NOT usable) "
            + " UNION ALL ".join(
                f"SELECT CAST(declaration_id AS VARCHAR) AS declaration_id, {_literal(reason.name)} AS reason, {detail} AS detail "
                f"FROM aside LEFT JOIN problem_details detail USING (declaration_id) WHERE {condition}"
                for reason, condition, detail in checks
            )
        )
        self._declarations()
        count = len(milestones)
        # one row per declaration and interval, made by unnesting a list built from one scan
        # of the declarations (rather than one scan per step). ``sort_key`` identifies the
        # interval: end * count + start for steps, count² + end for the totals; the names are
        # worked out from it only when a question asks for them. Every row carries its
        # declaration's dimensions, so statistics are one grouping.
        start = config.position(config.start)
        items = []
        for i in range(1, count):
            # the interval that ends at milestone i starts at the nearest milestone before it
            # that the declaration has
            previous = list(range(i - 1, -1, -1))
            start_pos = "CASE " + " ".join(f"WHEN t{j} IS NOT NULL THEN {j}" for j in previous) + " END"
            start_ts = f"coalesce({', '.join(f't{j}' for j in previous)})"
            items.append((f"{i} * {count} + {start_pos}", f"t{i} - {start_ts}"))
        for end in config.ends:
            e = config.position(end)
            items.append((str(count * count + e), f"t{e} - t{start}"))
        names = "CASE " + " ".join(f"WHEN {{k}} = {i} THEN {_literal(m)}" for i, m in enumerate(milestones)) + " END"
        start_name = (
            f"CASE WHEN sort_key >= {count * count} THEN {_literal(config.start)} "
            f"ELSE {names.format(k=f'sort_key % {count}')} END"
        )
        end_name = (
            f"CASE WHEN sort_key >= {count * count} THEN {names.format(k=f'sort_key - {count * count}')} "
            f"ELSE {names.format(k=f'sort_key // {count}')} END"
        )
        carried = "".join(f"{_quote(d)}, " for d in [*self.dimensions, *COMPUTED_DIMENSIONS])
        # a view, not a table: each question streams through the declarations once instead
        # of keeping tens of millions of interval rows in memory
        self.db.execute(
            f"""
            CREATE {self._kind} VIEW intervals AS
            SELECT declaration_id, {start_name} AS start_milestone, {end_name} AS end_milestone,
                   {carried}started_at, sort_key, seconds, {Dialect.hours_between("0", "seconds")} AS hours
            FROM (
                SELECT *, interval.sort_key AS sort_key, interval.seconds AS seconds FROM (
                    SELECT *, {Dialect.each([f"{{'sort_key': {k}, 'seconds': {d}}}" for k, d in items])} AS interval
                    FROM declarations
                )
            ) WHERE seconds IS NOT NULL
            """
        )

    def _declarations(self) -> None:
        """The declarations used, with their dimensions taken from their start event.

        A used declaration has exactly one start event, readable (it is required, and a
        milestone recorded twice or an unreadable time sets the declaration aside), so the
        join gives one row each. For a study kept in a file the join is stored, since the
        source may be gone when it is reopened and it answers many questions; in memory it
        stays a view, so that a question reads only the dimensions it groups by, with no
        copy of every declaration's dimensions made first."""
        config = self.config
        start = config.position(config.start)
        low, high = config.peak_hours
        dims = "".join(f", s.{_quote(d)}" for d in self.dimensions)
        self.db.execute(
            f"""
            CREATE TEMP VIEW starts AS SELECT * FROM events_in
            WHERE milestone = {_literal(config.start)} AND ts IS NOT NULL AND declaration_id IS NOT NULL
            """
        )
        self.db.execute(
            f"""
            CREATE {"TABLE" if self._kind == "" else "TEMP VIEW"} used_declarations AS
            SELECT p.*{dims}, {Dialect.instant(f"p.t{start}")} AS started_at
            FROM per_declaration p JOIN starts s ON s.declaration_id = p.declaration_id
            WHERE p.usable
            """
        )
        self.db.execute(
            f"""
            CREATE {self._kind} VIEW declarations AS
            SELECT *,
                   CASE WHEN isodow(started_at) <= 5 AND hour(started_at) >= {low} AND hour(started_at) < {high}
                        THEN 'peak' ELSE 'off-peak' END AS period,
                   dayname(started_at) AS weekday,
                   CAST(hour(started_at) AS VARCHAR) AS hour
            FROM used_declarations
            """
        )

    def _rules(self) -> list[tuple[Reason, str, str]]:
        """Each reason to set a declaration aside: (reason, SQL condition, SQL detail). The
        first three read ``problem_details`` (as ``detail``); the others only the declaration."""
        config = self.config
        milestones = config.milestones
        checks: list[tuple[Reason, str, str]] = [
            (
                Reason.MISSING_VALUE,
                "detail.missing_values > 0",
                "detail.missing_values || ' rows without milestone or timestamp'",
            ),
            (Reason.UNKNOWN_MILESTONE, "detail.unknown_events > 0", "'unknown milestone ' || detail.unknown_name"),
            (Reason.UNPARSEABLE_TIMESTAMP, "detail.unparseable_events > 0", "detail.unreadable_value"),
            (Reason.DUPLICATE_MILESTONE, "duplicated", "detail.twice_names || ' recorded more than once'"),
        ]
        required = [(config.position(m), m) for m in milestones if m in config.required]
        absent = [f"CASE WHEN t{i} IS NULL THEN {_literal(m)} END" for i, m in required]
        checks.append(
            (
                Reason.MISSING_REQUIRED,
                " OR ".join(f"t{i} IS NULL" for i, _m in required),
                f"'no ' || concat_ws(', ', {', '.join(absent)})",
            )
        )
        ordered = [i for i, m in enumerate(milestones) if m not in config.floating]
        order_tests = []
        for k, i in enumerate(ordered[1:], start=1):
            before = ", ".join(f"t{j}" for j in ordered[:k])
            order_tests.append(
                (f"t{i} < greatest({before})", f"{_literal(milestones[i])} || ' before an earlier step'")
            )
        last = len(milestones) - 1
        for name in config.floating:
            i = config.position(name)
            order_tests.append((f"t{i} > t{last}", f"{_literal(name)} || ' after ' || {_literal(milestones[last])}"))
        checks.append(
            (
                Reason.OUT_OF_ORDER,
                " OR ".join(test for test, _detail in order_tests),
                "concat_ws('; ', " + ", ".join(f"CASE WHEN {t} THEN {d} END" for t, d in order_tests) + ")",
            )
        )
        return checks

    def quarantine(self, *, limit: int = 20) -> Quarantine:
        """Counts per reason, a sample of the declarations set aside with the detail, and how
        many declarations the statistics use."""
        declarations_in = self.declarations_in
        used = self._scalar("SELECT count(*) FROM per_declaration WHERE usable")
        counts = {
            Reason[name]: n
            for name, n in self.db.execute("SELECT reason, count(*) FROM quarantined GROUP BY reason").fetchall()
        }
        if self.orphans:
            counts[Reason.MISSING_VALUE] = counts.get(Reason.MISSING_VALUE, 0) + self.orphans
        rows = [
            QuarantineRow(declaration_id, Reason[reason], detail)
            for declaration_id, reason, detail in self.db.execute(
                "SELECT declaration_id, reason, detail FROM ("
                "SELECT *, row_number() OVER (PARTITION BY reason ORDER BY declaration_id, detail) AS n FROM quarantined"
                f") WHERE n <= {int(limit)} ORDER BY reason, declaration_id, detail"
            ).fetchall()
        ]
        return Quarantine(declarations_in, used, rows, counts)

    def _scalar(self, sql: str) -> int:
        found = self.db.execute(sql).fetchone()
        return int(found[0]) if found else 0

    # -- statistics ------------------------------------------------------------------------------

    @property
    def available_dimensions(self) -> list[str]:
        return [*self.dimensions, *COMPUTED_DIMENSIONS]

    def _group(self, by: Sequence[str]) -> list[str]:
        unknown = [d for d in by if d not in self.available_dimensions]
        if unknown:
            raise TrsInputError(
                f"unknown dimension {', '.join(unknown)}; the file has {', '.join(self.available_dimensions)}"
            )
        return list(by)

    def statistics(self, by: Sequence[str] = (), *, where: str | None = None) -> list[StatRow]:
        """n, mean, median, P75, P90, P95, min, max and trimmed mean (hours) of every interval
        and of the totals, per group of ``by``.

        One pass: each group's durations (whole seconds, half the size of hours in a double)
        are collected once, and every statistic (the trimmed mean needs the quantiles first)
        is computed on that list and turned into hours at the end. Intervals are grouped by
        their numeric key, not by the milestones' names, which are put back at the end.
        """
        group = self._group(by)
        keys = "".join(f", d.{_quote(g)}" for g in group)
        points = Dialect.list_quantiles("durations", [0.05, 0.5, 0.75, 0.9, 0.95])
        q = [Dialect.item("qs", i) for i in range(5)]
        filter_sql = f"WHERE {where}" if where else ""
        casts = "".join(f", CAST({_quote(g)} AS VARCHAR)" for g in group)
        order = "".join(f", CAST({_quote(g)} AS VARCHAR) NULLS LAST" for g in group)
        sql = f"""
        WITH grouped AS (
            SELECT d.sort_key{keys}, {Dialect.collected("d.seconds")} AS durations FROM intervals d {filter_sql} GROUP BY ALL
        ),
        measured AS (SELECT *, {points} AS qs FROM grouped),
        -- the trimmed mean takes the tails (a tenth of the values) away from the whole,
        -- rather than copying the nine tenths within [P5, P95]
        trimmed AS (SELECT *, {Dialect.list_outside("durations", q[0], q[4])} AS tails FROM measured)
        SELECT sort_key{casts}, len(durations), list_avg(durations), {q[1]}, {q[2]}, {q[3]}, {q[4]},
               list_min(durations), list_max(durations),
               CASE WHEN len(tails) < len(durations)
                    THEN ({Dialect.list_sum("durations")} - {Dialect.list_sum("tails")}) / (len(durations) - len(tails))
                    ELSE list_avg(durations) END
        FROM trimmed ORDER BY sort_key{order}
        """
        milestones = self.config.milestones
        count = len(milestones)
        rows = []
        for record in self.db.execute(sql).fetchall():
            key, *rest = record
            if key >= count * count:
                start, end = self.config.start, milestones[key - count * count]
            else:
                start, end = milestones[key % count], milestones[key // count]
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

    def actor_shares(self, by: Sequence[str] = (), *, where: str | None = None) -> list[dict[str, Any]]:
        """The share of the time from the first milestone to the last that each actor takes
        (time before arrival, under pre-arrival processing, counts as nothing)."""
        group = self._group(by)
        actors = self.config.actors
        case = " ".join(f"WHEN {_literal(m)} THEN {_literal(a.value)}" for m, a in actors.items())
        keys = "".join(f", CAST(d.{_quote(g)} AS VARCHAR)" for g in group)
        sql = f"""
        SELECT CASE d.end_milestone {case} ELSE 'unassigned' END AS actor{keys}, sum(greatest(d.hours, 0)) AS hours
        FROM intervals d
        WHERE d.sort_key < {len(self.config.milestones) ** 2} {"AND " + where if where else ""}
        GROUP BY ALL
        """
        totals: dict[tuple[str, ...], float] = {}
        parts: dict[tuple[str, ...], dict[str, float]] = {}
        for actor, *rest in self.db.execute(sql).fetchall():
            key = tuple("" if v is None else str(v) for v in rest[:-1])
            hours = float(rest[-1] or 0)
            totals[key] = totals.get(key, 0.0) + hours
            parts.setdefault(key, {})[actor] = hours
        out = []
        for key in sorted(parts):
            row: dict[str, Any] = dict(zip(group, key, strict=True))
            for actor in [a.value for a in Actor]:
                row[actor] = parts[key].get(actor, 0.0) / totals[key] if totals[key] else 0.0
            out.append(row)
        return out

    def released_within(
        self, hours: float, by: Sequence[str] = (), *, end: str = "release", where: str | None = None
    ) -> list[dict[str, Any]]:
        """The share of declarations released within ``hours`` of arrival, per group."""
        group = self._group(by)
        keys = "".join(f", CAST(d.{_quote(g)} AS VARCHAR)" for g in group)
        sql = f"""
        SELECT count(*) AS n, avg(CASE WHEN d.hours <= {float(hours)} THEN 1.0 ELSE 0.0 END) AS share{keys}
        FROM intervals d
        WHERE d.start_milestone = {_literal(self.config.start)} AND d.end_milestone = {_literal(end)}
              AND d.sort_key >= {len(self.config.milestones) ** 2} {"AND " + where if where else ""}
        GROUP BY ALL ORDER BY ALL
        """
        return [
            {
                **dict(zip(group, ("" if v is None else str(v) for v in rest), strict=True)),
                "n": int(n),
                "share": float(share),
            }
            for n, share, *rest in self.db.execute(sql).fetchall()
        ]

    def release_curve(
        self, *, end: str = "release", points: int = 100, where: str | None = None
    ) -> list[tuple[float, float]]:
        """(hours, share released by then) at ``points`` evenly spaced shares."""
        shares = [i / points for i in range(1, points + 1)]
        sql = f"""
        SELECT {Dialect.quantiles("hours", shares)} FROM intervals d
        WHERE start_milestone = {_literal(self.config.start)} AND end_milestone = {_literal(end)}
              AND sort_key >= {len(self.config.milestones) ** 2} {"AND " + where if where else ""}
        """
        found = self.db.execute(sql).fetchone()
        if not found or found[0] is None:
            return []
        return [(float(h), s) for h, s in zip(found[0], shares, strict=True)]

    def sample(
        self, start: str, end: str, *, group: dict[str, str] | None = None, size: int = 20000, seed: int = 0
    ) -> list[float]:
        """Up to ``size`` interval durations drawn at random (for bootstrap intervals)."""
        conditions = [f"d.start_milestone = {_literal(start)}", f"d.end_milestone = {_literal(end)}"]
        for name, value in (group or {}).items():
            self._group([name])
            conditions.append(f"coalesce(CAST(d.{_quote(name)} AS VARCHAR), '') = {_literal(value)}")
        sql = (
            f"SELECT d.hours FROM intervals d WHERE {' AND '.join(conditions)} "
            f"USING SAMPLE reservoir({int(size)} ROWS) REPEATABLE ({int(seed)})"
        )
        return [float(row[0]) for row in self.db.execute(sql).fetchall()]

    def where(self, filters: dict[str, str]) -> str | None:
        """A safe SQL condition for ``dimension = value`` filters (for ``statistics``)."""
        if not filters:
            return None
        self._group(list(filters))
        return " AND ".join(
            f"coalesce(CAST(d.{_quote(name)} AS VARCHAR), '') = {_literal(value)}" for name, value in filters.items()
        )

    def values(self, dimension: str, *, limit: int = 200) -> list[str]:
        """The values a dimension takes, most frequent first."""
        self._group([dimension])
        sql = (
            (
                f"SELECT CAST({_quote(dimension)} AS VARCHAR) AS v, count(*) AS n FROM declarations "
                f"GROUP BY ALL ORDER BY n DESC, v LIMIT {int(limit)}"
            )
            if dimension not in COMPUTED_DIMENSIONS
            else (
                f"SELECT CAST({_quote(dimension)} AS VARCHAR) AS v, count(*) FROM intervals GROUP BY ALL ORDER BY v LIMIT {int(limit)}"
            )
        )
        return ["" if v is None else str(v) for v, _n in self.db.execute(sql).fetchall()]

    def period_values(
        self,
        statistic: str,
        start: str,
        end: str,
        periods: Sequence[tuple[str, str, str]],
        *,
        filters: dict[str, str] | None = None,
        target_hours: float | None = None,
    ) -> dict[str, tuple[float, int]]:
        """``statistic`` of the interval ``start`` → ``end`` for declarations whose clock
        started within each period (code, first instant, instant after), with the count.

        ``statistic`` is ``mean``, ``median``, ``p75``, ``p90``, ``p95`` or ``share_within``
        (the percentage done within ``target_hours``).
        """
        expressions = {
            "mean": "avg(hours)",
            "median": "median(hours)",
            "p75": "quantile_cont(hours, 0.75)",
            "p90": "quantile_cont(hours, 0.9)",
            "p95": "quantile_cont(hours, 0.95)",
        }
        if statistic == "share_within":
            if target_hours is None:
                raise TrsInputError("share_within needs a target time in hours")
            expression = f"100.0 * avg(CASE WHEN hours <= {float(target_hours)} THEN 1 ELSE 0 END)"
        elif statistic in expressions:
            expression = expressions[statistic]
        else:
            raise TrsInputError(f"unknown statistic {statistic!r}")
        condition = self.where(filters or {})
        cases = " ".join(
            f"WHEN started_at >= TIMESTAMPTZ {_literal(first)} AND started_at < TIMESTAMPTZ {_literal(after)} THEN {_literal(code)}"
            for code, first, after in periods
        )
        if not cases:
            return {}
        sql = f"""
        SELECT period_code, {expression}, count(*) FROM (
            SELECT CASE {cases} END AS period_code, d.hours FROM intervals d
            WHERE d.start_milestone = {_literal(start)} AND d.end_milestone = {_literal(end)}
                  {"AND " + condition if condition else ""}
        ) WHERE period_code IS NOT NULL GROUP BY period_code
        """
        return {code: (float(value), int(n)) for code, value, n in self.db.execute(sql).fetchall()}

    def close(self) -> None:
        self.db.close()


def _text(value: Any) -> str:
    """A spreadsheet cell as text; dates and times in ISO 8601."""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


__all__ = ["COMPUTED_DIMENSIONS", "STATISTICS", "Study", "TrsInputError"]
