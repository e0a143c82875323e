"""How one SQL engine spells what ANSI SQL leaves to each engine.

The queries of ``waypoint.engine.trs.sql`` are written once, against ``Dialect``; everything
an engine spells its own way (lists and their aggregates, quantiles, time arithmetic, time
zones, parameters, the words that create tables and views) is a method here. ``DuckDB`` and
``SparkSQL`` implement it, and give the same statistics on the same files
(``tests/engine/trs/test_spark.py`` compares every one).

Both compute a quantile by the same definition: the linear interpolation between the order
statistics around the position ``(n − 1)·p`` (Hyndman and Fan's type 7, numpy's default),
``lo·(1 − d) + hi·d`` with ``d = pos − ⌊pos⌋``. Durations enter as whole seconds (integers),
so both engines interpolate between the same exact numbers; DuckDB's build fuses the last
multiplication and addition into one rounding where the JVM makes two, so a quantile may
differ in its last bit (docs/architecture.md).

Reading files is not the dialect's job: the loader (``waypoint.engine.trs.loader``) turns a
file into the ``events_in`` relation the queries start from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Dialect(Protocol):
    """The engine-specific pieces of the TRS queries. Every method returns SQL text."""

    #: instants are kept as 32-bit whole seconds from 2000-01-01 UTC (valid 1932–2068): half
    #: the size of a timestamp, which keeps the per-declaration grouping in memory
    EPOCH_2000: int

    # -- names, values, parameters -------------------------------------------------------------
    def quote(self, name: str) -> str:
        """An identifier, quoted."""
        ...

    def literal(self, text: str) -> str:
        """A text constant, for the few places where a parameter cannot go (view bodies)."""
        ...

    def parameter(self, name: str) -> str:
        """A placeholder for the bound value ``name``."""
        ...

    def text(self, expression: str) -> str:
        """``expression`` as text."""
        ...

    def integer(self, expression: str) -> str:
        """``expression`` (a boolean or a number) as an integer."""
        ...

    def integer_division(self, numerator: str, denominator: str) -> str: ...

    def shortened(self, expression: str, length: int) -> str:
        """The first ``length`` characters of a text."""
        ...

    # -- tables, views, steps ------------------------------------------------------------------
    def create(self, name: str, select: str, *, view: bool, persist: bool) -> str:
        """A table (or a view) named ``name`` holding ``select``; temporary unless ``persist``."""
        ...

    def step(self, name: str, select: str, *, materialized: bool | None = None) -> str:
        """One common table expression; ``materialized`` hints whether to compute it once."""
        ...

    def sample(self, size: int, seed: int) -> str:
        """The clause that keeps a repeatable random sample of ``size`` rows."""
        ...

    # -- aggregates ----------------------------------------------------------------------------
    def quantile(self, column: str, point: float) -> str: ...

    def quantiles(self, column: str, points: Sequence[float]) -> str:
        """One list of the quantiles of ``column`` at ``points``."""
        ...

    def collected(self, column: str) -> str:
        """Every value of a group in one list."""
        ...

    def any_value(self, column: str) -> str: ...

    def ordered_text(self, values: str, order: str, separator: str) -> str:
        """The group's ``values`` joined by ``separator``, in the order of ``order``."""
        ...

    # -- lists ---------------------------------------------------------------------------------
    def list_quantiles(self, values: str, points: Sequence[float]) -> str: ...

    def list_outside(self, values: str, low: str, high: str) -> str:
        """The values below ``low`` or above ``high``."""
        ...

    def list_sum(self, values: str) -> str:
        """The sum of a list, 0 for an empty one."""
        ...

    def list_length(self, values: str) -> str: ...

    def list_mean(self, values: str) -> str: ...

    def list_min(self, values: str) -> str: ...

    def list_max(self, values: str) -> str: ...

    def item(self, values: str, index: int) -> str:
        """The ``index``-th element (from 0) of a list."""
        ...

    def record(self, fields: Sequence[tuple[str, str]]) -> str:
        """A record (struct) of named fields."""
        ...

    def each(self, records: Sequence[str]) -> str:
        """One row per record of the list."""
        ...

    # -- time ----------------------------------------------------------------------------------
    def seconds(self, instant: str) -> str:
        """An instant as whole seconds from 2000-01-01 UTC (an integer)."""
        ...

    def instant(self, seconds: str) -> str:
        """The inverse of ``seconds``: an instant (a time-zone-aware timestamp)."""
        ...

    def hours_between(self, start: str, end: str) -> str:
        """Hours between two instants held as whole seconds (see ``seconds``)."""
        ...

    def instant_parameter(self, name: str) -> str:
        """A bound instant (ISO 8601 text with an offset)."""
        ...

    def local(self, instant: str, zone: str) -> str:
        """The wall-clock time of ``instant`` in the time zone ``zone`` (a zoneinfo name)."""
        ...

    def hour(self, local: str) -> str:
        """The hour (0–23) of a wall-clock time."""
        ...

    def iso_weekday(self, local: str) -> str:
        """The day of the week of a wall-clock time, 1 (Monday) to 7 (Sunday)."""
        ...

    def weekday_name(self, local: str) -> str:
        """The English name of the day of the week (``Monday``)."""
        ...


class DuckDB:
    """DuckDB's spelling."""

    EPOCH_2000 = 946_684_800

    def quote(self, name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def literal(self, text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    def parameter(self, name: str) -> str:
        return f"${name}"

    def text(self, expression: str) -> str:
        return f"CAST({expression} AS VARCHAR)"

    def integer(self, expression: str) -> str:
        return f"CAST({expression} AS INTEGER)"

    def integer_division(self, numerator: str, denominator: str) -> str:
        return f"({numerator} // {denominator})"

    def shortened(self, expression: str, length: int) -> str:
        return f"left({expression}, {int(length)})"

    def create(self, name: str, select: str, *, view: bool, persist: bool) -> str:
        kind = ("" if persist else "TEMP ") + ("VIEW" if view else "TABLE")
        return f"CREATE {kind} {name} AS {select}"

    def step(self, name: str, select: str, *, materialized: bool | None = None) -> str:
        hint = {None: "", True: "MATERIALIZED ", False: "NOT MATERIALIZED "}[materialized]
        return f"{name} AS {hint}({select})"

    def sample(self, size: int, seed: int) -> str:
        return f"USING SAMPLE reservoir({int(size)} ROWS) REPEATABLE ({int(seed)})"

    def quantile(self, column: str, point: float) -> str:
        return f"quantile_cont({column}, {float(point)})"

    def quantiles(self, column: str, points: Sequence[float]) -> str:
        return f"quantile_cont({column}, [{', '.join(str(float(p)) for p in points)}])"

    def collected(self, column: str) -> str:
        return f"list({column})"

    def any_value(self, column: str) -> str:
        return f"any_value({column})"

    def ordered_text(self, values: str, order: str, separator: str) -> str:
        return f"string_agg({values}, {self.literal(separator)} ORDER BY {order})"

    def list_quantiles(self, values: str, points: Sequence[float]) -> str:
        return f"list_aggregate({values}, 'quantile_cont', [{', '.join(str(float(p)) for p in points)}])"

    def list_outside(self, values: str, low: str, high: str) -> str:
        return f"list_filter({values}, lambda x: x < {low} OR x > {high})"

    def list_sum(self, values: str) -> str:
        return f"coalesce(list_sum({values}), 0)"

    def list_length(self, values: str) -> str:
        return f"len({values})"

    def list_mean(self, values: str) -> str:
        return f"list_avg({values})"

    def list_min(self, values: str) -> str:
        return f"list_min({values})"

    def list_max(self, values: str) -> str:
        return f"list_max({values})"

    def item(self, values: str, index: int) -> str:
        return f"({values})[{int(index) + 1}]"

    def record(self, fields: Sequence[tuple[str, str]]) -> str:
        return "{" + ", ".join(f"{self.literal(name)}: {value}" for name, value in fields) + "}"

    def each(self, records: Sequence[str]) -> str:
        return f"unnest([{', '.join(records)}])"

    def seconds(self, instant: str) -> str:
        # whole microseconds divided once: about twice as fast as epoch_ms or epoch
        return f"CAST(epoch_us({instant}) // 1000000 - {self.EPOCH_2000} AS INTEGER)"

    def instant(self, seconds: str) -> str:
        return f"to_timestamp({seconds} + {self.EPOCH_2000})"

    def hours_between(self, start: str, end: str) -> str:
        return f"({end} - {start}) / 3600.0"

    def instant_parameter(self, name: str) -> str:
        return f"CAST({self.parameter(name)} AS TIMESTAMPTZ)"

    def local(self, instant: str, zone: str) -> str:
        return f"timezone({self.literal(zone)}, {instant})"

    def hour(self, local: str) -> str:
        return f"hour({local})"

    def iso_weekday(self, local: str) -> str:
        return f"isodow({local})"

    def weekday_name(self, local: str) -> str:
        return f"dayname({local})"


DUCKDB: Dialect = DuckDB()


class SparkSQL:
    """Spark SQL's spelling (Spark 4, ANSI mode, as it is by default).

    Quantiles of a column are Spark's exact ``percentile`` (not ``percentile_approx``). Where
    DuckDB has a function Spark lacks, the same definition is written out: quantiles of a
    list are interpolated on the sorted list as ``percentile`` does, the sum and mean of a
    list are folded with ``aggregate``. Number literals are doubles (``0.05D``): Spark reads
    ``0.05`` as a decimal, and decimal arithmetic rounds differently.
    """

    EPOCH_2000 = 946_684_800

    def quote(self, name: str) -> str:
        return "`" + name.replace("`", "``") + "`"

    def literal(self, text: str) -> str:
        # Spark reads backslash escapes in string literals; a quote is escaped the same way
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

    def parameter(self, name: str) -> str:
        return f":{name}"

    def text(self, expression: str) -> str:
        return f"CAST({expression} AS STRING)"

    def integer(self, expression: str) -> str:
        return f"CAST({expression} AS INT)"

    def integer_division(self, numerator: str, denominator: str) -> str:
        return f"({numerator} DIV {denominator})"

    def shortened(self, expression: str, length: int) -> str:
        return f"left({expression}, {int(length)})"

    def create(self, name: str, select: str, *, view: bool, persist: bool) -> str:
        if view:
            return f"CREATE OR REPLACE TEMPORARY VIEW {name} AS {select}"
        # a table is computed once and kept by Spark (in memory, spilling to disk) for the
        # questions that follow, as long as the study is open: nothing outlives the session,
        # so ``persist`` changes nothing
        return f"CACHE TABLE {name} AS {select}"

    def step(self, name: str, select: str, *, materialized: bool | None = None) -> str:
        return f"{name} AS ({select})"

    def sample(self, size: int, seed: int) -> str:
        # repeatable for one partitioning of the data; the draw differs from DuckDB's
        return f"ORDER BY rand({int(seed)}) LIMIT {int(size)}"

    def quantile(self, column: str, point: float) -> str:
        return f"percentile({column}, {float(point)!r}D)"

    def quantiles(self, column: str, points: Sequence[float]) -> str:
        return f"percentile({column}, array({', '.join(f'{float(p)!r}D' for p in points)}))"

    def collected(self, column: str) -> str:
        return f"collect_list({column})"

    def any_value(self, column: str) -> str:
        return f"any_value({column})"

    def ordered_text(self, values: str, order: str, separator: str) -> str:
        pairs = f"array_sort(collect_list(named_struct('o', {order}, 'v', {values})))"
        return f"array_join(transform({pairs}, x -> x.v), {self.literal(separator)})"

    def list_quantiles(self, values: str, points: Sequence[float]) -> str:
        # the sorted list is bound once (a lambda over a one-element list), every point read
        # from it; an empty list has no quantile (NULL, as DuckDB gives)
        each = ", ".join(_interpolated("s", float(p)) for p in points)
        return f"element_at(transform(array(array_sort({values})), s -> IF(size(s) = 0, NULL, array({each}))), 1)"

    def list_outside(self, values: str, low: str, high: str) -> str:
        return f"filter({values}, x -> x < {low} OR x > {high})"

    def list_sum(self, values: str) -> str:
        # whole seconds, summed as 64-bit integers: exact, whatever the order
        return f"aggregate({values}, CAST(0 AS BIGINT), (total, x) -> total + x)"

    def list_length(self, values: str) -> str:
        return f"size({values})"

    def list_mean(self, values: str) -> str:
        return f"({self.list_sum(values)} / size({values}))"

    def list_min(self, values: str) -> str:
        return f"array_min({values})"

    def list_max(self, values: str) -> str:
        return f"array_max({values})"

    def item(self, values: str, index: int) -> str:
        return f"element_at({values}, {int(index) + 1})"

    def record(self, fields: Sequence[tuple[str, str]]) -> str:
        return "named_struct(" + ", ".join(f"{self.literal(name)}, {value}" for name, value in fields) + ")"

    def each(self, records: Sequence[str]) -> str:
        return f"explode(array({', '.join(records)}))"

    def seconds(self, instant: str) -> str:
        return f"CAST(unix_seconds({instant}) - {self.EPOCH_2000} AS INT)"

    def instant(self, seconds: str) -> str:
        return f"timestamp_seconds({seconds} + {self.EPOCH_2000})"

    def hours_between(self, start: str, end: str) -> str:
        return f"(CAST({end} - {start} AS DOUBLE) / 3600)"

    def instant_parameter(self, name: str) -> str:
        return f"CAST({self.parameter(name)} AS TIMESTAMP)"

    def local(self, instant: str, zone: str) -> str:
        # whole seconds of the wall-clock time in ``zone`` counted as if it were UTC:
        # ``from_utc_timestamp`` shifts the instant by the zone's offset at that instant, and
        # the arithmetic below reads hours and days from it without the session's time zone
        return f"unix_seconds(from_utc_timestamp({instant}, {self.literal(zone)}))"

    def hour(self, local: str) -> str:
        return f"CAST(pmod({local}, 86400) DIV 3600 AS INT)"

    def iso_weekday(self, local: str) -> str:
        # 1970-01-01 was a Thursday (ISO day 4)
        return f"CAST(pmod(floor({local} / 86400) + 3, 7) + 1 AS INT)"

    def weekday_name(self, local: str) -> str:
        names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        cases = " ".join(f"WHEN {day} THEN {self.literal(name)}" for day, name in enumerate(names, start=1))
        return f"CASE {self.iso_weekday(local)} {cases} END"


def _interpolated(values: str, point: float) -> str:
    """The quantile at ``point`` of the sorted list ``values``, as Spark's ``percentile`` and
    DuckDB's ``quantile_cont`` compute it: position ``(n − 1)·p``, the values either side as
    doubles, ``lo·(1 − d) + hi·d`` with ``d = pos − ⌊pos⌋``."""
    position = f"((size({values}) - 1) * {point!r}D)"
    share = f"({position} - floor({position}))"
    low = f"CAST(element_at({values}, CAST(floor({position}) AS INT) + 1) AS DOUBLE)"
    high = f"CAST(element_at({values}, CAST(ceil({position}) AS INT) + 1) AS DOUBLE)"
    return f"({low} * (1 - {share}) + {high} * {share})"


SPARK: Dialect = SparkSQL()
