"""How one SQL engine spells what ANSI SQL leaves to each engine.

The queries of ``waypoint.engine.trs.sql`` are written once, against ``Dialect``; everything
an engine spells its own way (lists and their aggregates, quantiles, time arithmetic, time
zones, parameters, the words that create tables and views) is a method here. ``DuckDB`` is
the one implementation today; a Spark SQL dialect (``percentile``, ``collect_list``,
``explode``, ``from_utc_timestamp``, ``:name`` parameters) implements the same methods and
gives the same statistics on the same files.

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
