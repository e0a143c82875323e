"""The SQL of a Time Release Study, apart from its execution.

Pure functions from the study's settings (``Layout``: the milestones and rules, the file's
dimensions, the dialect) to SQL text and bound parameters. Nothing here connects to a
database or reads a file: the runner executes what these functions return, in order, on
whatever the loader made of the file (the ``events_in`` relation: ``declaration_id``,
``milestone``, ``raw_ts``, ``ts`` and the dimensions).

The validation is a pipeline of named steps (``validation``), each a table or a view built
from the ones before it: ``per_declaration`` (one row per declaration, a column of seconds per
milestone), ``problem_details`` and ``quarantined`` (what was wrong, for the few declarations
set aside), ``used_declarations`` and ``declarations`` (the usable ones with their
dimensions), ``intervals`` (one row per declaration and step). Questions (``statistics``,
``actor_shares``…) are single statements on ``intervals`` and ``declarations``.

Values that come from a person (filter values, targets, period bounds, limits) are bound
parameters. Names of milestones and of the time zone, which come from the study's
configuration, are written into the view bodies as quoted literals, since a view cannot hold
parameters.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from waypoint.engine.trs.dialect import DUCKDB, Dialect
from waypoint.engine.trs.model import Reason, StudyConfig, TrsInputError

#: computed dimensions, available to ``by`` and to filters besides the file's own columns
COMPUTED_DIMENSIONS = ("period", "weekday", "hour")
#: the names ``Dialect.weekday_name`` gives, in the week's order
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: the quantiles every statistic row needs: P5 and P95 bound the trimmed mean
QUANTILE_POINTS = (0.05, 0.5, 0.75, 0.9, 0.95)
#: at most this many characters of a value quoted in a reason's detail
QUOTED = 80

#: a filter: each dimension with the values it may take (a single value, or several)
Filters = Mapping[str, str | Collection[str]]


@dataclass(frozen=True)
class Statement:
    """SQL text and the values bound to its parameters."""

    sql: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """One table or view of the validation pipeline."""

    name: str
    select: str
    view: bool = False
    #: kept in the study's database file; a temporary step serves only while building it
    persist: bool = True

    def create(self, dialect: Dialect, *, persist: bool) -> str:
        return dialect.create(self.name, self.select, view=self.view, persist=persist and self.persist)


@dataclass(frozen=True)
class Layout:
    """What the SQL depends on: the study's configuration, the columns the file brought
    besides the declaration id, milestone and time (its dimensions), and the dialect."""

    config: StudyConfig
    dimensions: tuple[str, ...] = ()
    dialect: Dialect = DUCKDB
    #: the study is kept in a database file (tables are stored, not left as views)
    persist: bool = False

    @property
    def available_dimensions(self) -> list[str]:
        return [*self.dimensions, *COMPUTED_DIMENSIONS]

    @property
    def count(self) -> int:
        return len(self.config.milestones)

    @property
    def totals_from(self) -> int:
        """``sort_key`` of the first total: steps are ``end * count + start`` below it."""
        return self.count * self.count

    def q(self, name: str) -> str:
        return self.dialect.quote(name)


class Binder:
    """Collects the values of one statement's parameters, naming them in order."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.params: dict[str, object] = {}

    def __call__(self, value: object) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return self.dialect.parameter(name)

    def instant(self, value: str) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return self.dialect.instant_parameter(name)

    def statement(self, sql: str) -> Statement:
        return Statement(sql, dict(self.params))


# -- checking questions ----------------------------------------------------------------------------


def checked_dimensions(layout: Layout, by: Sequence[str]) -> list[str]:
    """``by`` when every name is a dimension of the study; otherwise an error naming them."""
    unknown = [d for d in by if d not in layout.available_dimensions]
    if unknown:
        raise TrsInputError(
            f"unknown dimension {', '.join(unknown)}; the file has {', '.join(layout.available_dimensions)}"
        )
    return list(by)


def checked_filters(layout: Layout, filters: Filters | None) -> dict[str, tuple[str, ...]]:
    """Each filtered dimension with its allowed values (text), in order; an unknown
    dimension, a value that is not text, or a dimension allowed no value is refused."""
    checked: dict[str, tuple[str, ...]] = {}
    for name, allowed in (filters or {}).items():
        checked_dimensions(layout, [name])
        values = (allowed,) if isinstance(allowed, str) else tuple(allowed)
        if not values:
            raise TrsInputError(f"the filter on {name} allows no value")
        if not all(isinstance(v, str) for v in values):
            raise TrsInputError(f"the values of the filter on {name} must be text")
        checked[name] = values
    return checked


def filter_condition(layout: Layout, filters: Filters | None, bind: Binder, alias: str = "d") -> list[str]:
    """One condition per filtered dimension: its value (text, an absent value as empty) is one
    of the allowed values, which are bound parameters."""
    conditions = []
    for name, values in checked_filters(layout, filters).items():
        column = f"coalesce({layout.dialect.text(f'{alias}.{layout.q(name)}')}, '')"
        conditions.append(f"{column} IN ({', '.join(bind(v) for v in values)})")
    return conditions


def _where(conditions: Sequence[str]) -> str:
    return f"WHERE {' AND '.join(conditions)}" if conditions else ""


# -- the validation pipeline -----------------------------------------------------------------------


def _positions(layout: Layout) -> str:
    """The position of an event's milestone in the process (NULL for an unknown milestone)."""
    literal = layout.dialect.literal
    cases = " ".join(f"WHEN {literal(m)} THEN {i}" for i, m in enumerate(layout.config.milestones))
    return f"CASE milestone {cases} END"


def rules(layout: Layout) -> list[tuple[Reason, str, str]]:
    """Each reason to set a declaration aside: (reason, SQL condition, SQL detail). The first
    three read ``problem_details`` (as ``detail``); the others only the declaration."""
    config, dialect = layout.config, layout.dialect
    literal = dialect.literal
    milestones = config.milestones
    checks: list[tuple[Reason, str, str]] = [
        (
            Reason.MISSING_VALUE,
            "detail.missing_values > 0",
            f"{dialect.text('detail.missing_values')} || ' rows without milestone or timestamp'",
        ),
        (Reason.UNKNOWN_MILESTONE, "detail.unknown_events > 0", "'unknown milestone ' || detail.unknown_name"),
        (Reason.UNPARSEABLE_TIMESTAMP, "detail.unparseable_events > 0", "detail.unreadable_value"),
        (Reason.DUPLICATE_MILESTONE, "duplicated", "detail.twice_names || ' recorded more than once'"),
    ]
    required = [(config.position(m), m) for m in milestones if m in config.required]
    absent = [f"CASE WHEN t{i} IS NULL THEN {literal(m)} END" for i, m in required]
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
        # greatest() of one value is refused by Spark
        before = f"greatest({', '.join(f't{j}' for j in ordered[:k])})" if k > 1 else f"t{ordered[0]}"
        order_tests.append((f"t{i} < {before}", f"{literal(milestones[i])} || ' before an earlier step'"))
    last = len(milestones) - 1
    for name in sorted(config.floating):
        i = config.position(name)
        order_tests.append((f"t{i} > t{last}", f"{literal(name)} || ' after ' || {literal(milestones[last])}"))
    checks.append(
        (
            Reason.OUT_OF_ORDER,
            " OR ".join(test for test, _detail in order_tests),
            "concat_ws('; ', " + ", ".join(f"CASE WHEN {t} THEN {d} END" for t, d in order_tests) + ")",
        )
    )
    return checks


def per_declaration(layout: Layout) -> Step:
    """One pass groups the events by declaration (a column per milestone); every check and
    every interval is then a column expression on that table, which scales to tens of
    millions of declarations on one machine.

    The grouping carries only what the checks need (32-bit seconds per milestone and two
    counts), which keeps it small enough not to spill to disk; a used declaration's
    dimensions are joined from its start event afterwards (``used_declarations``)."""
    dialect = layout.dialect
    count = layout.count
    # plain aggregates of a CASE, not FILTER clauses: about a tenth faster on tens of
    # millions of events (measured with DuckDB 2.0)
    columns = [f"min(CASE WHEN pos = {index} THEN secs END) AS t{index}" for index in range(count)]
    present = " + ".join(dialect.integer(f"t{i} IS NOT NULL") for i in range(count))
    # the first three reasons are told apart in problem_details; one count stands for them.
    # Whether a declaration is used is stored, not worked out again by every question.
    checks = rules(layout)
    usable = " AND ".join(
        ["problem_events = 0", *(f"NOT coalesce({condition}, false)" for _r, condition, _d in checks[3:])]
    )
    events = (
        f"SELECT declaration_id, milestone, raw_ts, ts, {_positions(layout)} AS pos, "
        f"{dialect.seconds('ts')} AS secs FROM events_in WHERE declaration_id IS NOT NULL"
    )
    grouped = (
        f"SELECT declaration_id, {', '.join(columns)}, count(*) AS events, "
        # events with a known milestone and a time; the others (without milestone or time,
        # unknown milestones, unreadable times) are counted together here, told apart later
        # for the few declarations concerned
        "count(CASE WHEN ts IS NOT NULL THEN pos END) AS known_events "
        "FROM events GROUP BY declaration_id"
    )
    # more known events than milestones present means a milestone was recorded twice
    checked = (
        f"SELECT declaration_id, {', '.join(f't{i}' for i in range(count))}, "
        f"events - known_events AS problem_events, known_events > ({present}) AS duplicated FROM grouped"
    )
    select = (
        f"WITH {dialect.step('events', events, materialized=False)}, "
        f"{dialect.step('grouped', grouped)}, {dialect.step('checked', checked)} "
        f"SELECT *, {usable} AS usable FROM checked"
    )
    return Step("per_declaration", select)


def problem_details(layout: Layout) -> Step:
    """What exactly was wrong (which milestone twice, which name unknown, which value
    unreadable), looked up only for the declarations concerned, usually few, so that the
    grouping by declaration carries counts instead of text."""
    dialect = layout.dialect
    events = (
        f"SELECT declaration_id, milestone, raw_ts, ts, {_positions(layout)} AS pos FROM events_in "
        "WHERE declaration_id IN (SELECT declaration_id FROM per_declaration WHERE duplicated OR problem_events > 0)"
    )
    twice = (
        f"SELECT declaration_id, {dialect.ordered_text('milestone', 'pos', ', ')} AS twice_names FROM ("
        "SELECT declaration_id, milestone, min(pos) AS pos FROM events "
        "WHERE pos IS NOT NULL AND ts IS NOT NULL GROUP BY declaration_id, milestone HAVING count(*) > 1"
        ") named GROUP BY declaration_id"
    )
    unreadable = f"milestone || ': ' || {dialect.text('raw_ts')}"
    select = (
        f"WITH {dialect.step('events', events, materialized=True)}, {dialect.step('twice', twice)} "
        "SELECT declaration_id, "
        "count(CASE WHEN milestone IS NULL OR raw_ts IS NULL THEN 1 END) AS missing_values, "
        "count(CASE WHEN milestone IS NOT NULL AND pos IS NULL THEN 1 END) AS unknown_events, "
        "count(CASE WHEN raw_ts IS NOT NULL AND ts IS NULL THEN 1 END) AS unparseable_events, "
        f"{dialect.any_value('twice_names')} AS twice_names, "
        # a value quoted in a detail is cut: a line of the file can be thousands of characters
        f"{dialect.shortened('min(CASE WHEN pos IS NULL THEN milestone END)', QUOTED)} AS unknown_name, "
        f"{dialect.shortened(f'min(CASE WHEN raw_ts IS NOT NULL AND ts IS NULL THEN {unreadable} END)', QUOTED)} "
        "AS unreadable_value "
        "FROM events LEFT JOIN twice USING (declaration_id) GROUP BY declaration_id"
    )
    return Step("problem_details", select)


def quarantined(layout: Layout) -> Step:
    """One row per declaration set aside and reason. Every reason implies "not usable": the
    few declarations set aside are picked out and joined to their details once, each reason
    becomes a record (its name only when its condition holds), and the records are unnested:
    one join and one pass, rather than one per reason."""
    dialect = layout.dialect
    records = [
        dialect.record(
            [("reason", f"CASE WHEN {condition} THEN {dialect.literal(reason.name)} END"), ("detail", detail)]
        )
        for reason, condition, detail in rules(layout)
    ]
    checked = (
        f"SELECT declaration_id, {dialect.each(records)} AS found "
        "FROM per_declaration LEFT JOIN problem_details detail USING (declaration_id) WHERE NOT usable"
    )
    select = (
        f"SELECT {dialect.text('declaration_id')} AS declaration_id, found.reason AS reason, found.detail AS detail "
        f"FROM ({checked}) checked WHERE found.reason IS NOT NULL"
    )
    return Step("quarantined", select)


def used_declarations(layout: Layout) -> list[Step]:
    """The declarations used, with their dimensions taken from their start event.

    A used declaration has exactly one start event, readable (it is required, and a
    milestone recorded twice or an unreadable time sets the declaration aside), so the join
    gives one row each. For a study kept in a file the join is stored, since the source may be
    gone when it is reopened and it answers many questions; in memory it stays a view, so
    that a question reads only the dimensions it groups by, with no copy of every
    declaration's dimensions made first."""
    config, dialect = layout.config, layout.dialect
    start = config.position(config.start)
    dims = "".join(f", s.{layout.q(d)}" for d in layout.dimensions)
    starts = (
        f"SELECT * FROM events_in WHERE milestone = {dialect.literal(config.start)} "
        "AND ts IS NOT NULL AND declaration_id IS NOT NULL"
    )
    used = (
        f"SELECT p.*{dims}, {dialect.instant(f'p.t{start}')} AS started_at "
        "FROM per_declaration p JOIN starts s ON s.declaration_id = p.declaration_id WHERE p.usable"
    )
    return [Step("starts", starts, view=True, persist=False), Step("used_declarations", used, view=not layout.persist)]


def declarations(layout: Layout) -> Step:
    """The used declarations with the computed dimensions: peak or off-peak, the day of the
    week and the hour, all of the start's wall-clock time in the study's time zone."""
    config, dialect = layout.config, layout.dialect
    low, high = config.peak_hours
    local = dialect.local("started_at", config.timezone)
    hour = dialect.hour(local)
    select = (
        "SELECT *, "
        f"CASE WHEN {dialect.iso_weekday(local)} <= 5 AND {hour} >= {int(low)} AND {hour} < {int(high)} "
        "THEN 'peak' ELSE 'off-peak' END AS period, "
        f"{dialect.weekday_name(local)} AS weekday, {dialect.text(hour)} AS hour "
        "FROM used_declarations"
    )
    return Step("declarations", select, view=True)


def intervals(layout: Layout) -> Step:
    """One row per declaration and interval, made by unnesting a list built from one scan of
    the declarations (rather than one scan per step).

    ``sort_key`` identifies the interval: ``end * count + start`` for steps, ``count² + end``
    for the totals; the names are worked out from it only when a question asks for them
    (``interval_names`` does the same in Python). Every row carries its declaration's
    dimensions, so statistics are one grouping. A view, not a table: each question streams
    through the declarations once instead of keeping tens of millions of interval rows in
    memory."""
    config, dialect = layout.config, layout.dialect
    literal = dialect.literal
    count, totals_from = layout.count, layout.totals_from
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
        items.append((str(totals_from + e), f"t{e} - t{start}"))
    milestones = config.milestones

    def names(key: str) -> str:
        return "CASE " + " ".join(f"WHEN {key} = {i} THEN {literal(m)}" for i, m in enumerate(milestones)) + " END"

    start_name = (
        f"CASE WHEN sort_key >= {totals_from} THEN {literal(config.start)} ELSE {names(f'sort_key % {count}')} END"
    )
    end_name = (
        f"CASE WHEN sort_key >= {totals_from} THEN {names(f'sort_key - {totals_from}')} "
        f"ELSE {names(dialect.integer_division('sort_key', str(count)))} END"
    )
    carried = "".join(f"{layout.q(d)}, " for d in [*layout.dimensions, *COMPUTED_DIMENSIONS])
    records = [dialect.record([("sort_key", k), ("seconds", d)]) for k, d in items]
    select = (
        f"SELECT declaration_id, {start_name} AS start_milestone, {end_name} AS end_milestone, "
        f"{carried}started_at, sort_key, seconds, {dialect.hours_between('0', 'seconds')} AS hours "
        "FROM ("
        # ``piece``, not ``interval``: a reserved word in Spark SQL
        "SELECT *, piece.sort_key AS sort_key, piece.seconds AS seconds FROM ("
        f"SELECT *, {dialect.each(records)} AS piece FROM declarations"
        ") listed) unnested WHERE seconds IS NOT NULL"
    )
    return Step("intervals", select, view=True)


def validation(layout: Layout) -> list[Step]:
    """Every step from the events to the intervals, in the order they are built."""
    return [
        per_declaration(layout),
        problem_details(layout),
        quarantined(layout),
        *used_declarations(layout),
        declarations(layout),
        intervals(layout),
    ]


def study_meta(
    layout: Layout,
    *,
    declarations_in: int,
    rows_without_id: int,
    form: str,
    located: Sequence[tuple[str, int]] = (),
) -> Statement:
    """What a reopened study needs to know about itself, kept beside its tables: the counts,
    the dimensions, the form, the time zone and where the rows without a declaration id are."""
    bind = Binder(layout.dialect)
    select = (
        f"SELECT {bind(declarations_in)} AS declarations_in, {bind(rows_without_id)} AS orphans, "
        f"{bind(json.dumps(list(layout.dimensions)))} AS dimensions, {bind(form)} AS form, "
        f"{bind(layout.config.timezone)} AS time_zone, {bind(json.dumps([list(p) for p in located]))} AS located"
    )
    return bind.statement(layout.dialect.create("study_meta", select, view=False, persist=layout.persist))


def study_meta_read() -> Statement:
    return Statement("SELECT * FROM study_meta")


# -- what was set aside ----------------------------------------------------------------------------


def declarations_counted() -> Statement:
    return Statement("SELECT count(*), count(CASE WHEN usable THEN 1 END) FROM per_declaration")


def quarantine_counts() -> Statement:
    """Distinct declarations per reason (each declaration has at most one row per reason)."""
    return Statement("SELECT reason, count(*) FROM quarantined GROUP BY reason")


def quarantine_sample(layout: Layout, limit: int) -> Statement:
    """Up to ``limit`` declarations per reason, with the detail, in a stable order."""
    bind = Binder(layout.dialect)
    return bind.statement(
        "SELECT declaration_id, reason, detail FROM ("
        "SELECT *, row_number() OVER (PARTITION BY reason ORDER BY declaration_id, detail) AS n FROM quarantined"
        f") numbered WHERE n <= {bind(int(limit))} ORDER BY reason, declaration_id, detail"
    )


# -- statistics ------------------------------------------------------------------------------------


def statistics(layout: Layout, by: Sequence[str] = (), filters: Filters | None = None) -> Statement:
    """n, mean, median, P75, P90, P95, min, max and trimmed mean (in seconds) of every
    interval and of the totals, per group of ``by``; one row per ``sort_key`` and group.

    One pass: each group's durations (whole seconds, half the size of hours in a double) are
    collected once, and every statistic (the trimmed mean needs the quantiles first) is
    computed on that list. Intervals are grouped by their numeric key, not by the milestones'
    names, which ``interval_names`` puts back."""
    dialect = layout.dialect
    group = checked_dimensions(layout, by)
    bind = Binder(dialect)
    conditions = filter_condition(layout, filters, bind)
    keys = "".join(f", d.{layout.q(g)}" for g in group)
    texts = "".join(f", {dialect.text(layout.q(g))}" for g in group)
    order = "".join(f", {in_own_order(layout, g, dialect.text(layout.q(g)))} NULLS LAST" for g in group)
    q = [dialect.item("qs", i) for i in range(len(QUANTILE_POINTS))]
    n, mean = dialect.list_length("durations"), dialect.list_mean("durations")
    grouped = (
        f"SELECT d.sort_key{keys}, {dialect.collected('d.seconds')} AS durations FROM intervals d "
        f"{_where(conditions)} GROUP BY d.sort_key{keys}"
    )
    measured = f"SELECT *, {dialect.list_quantiles('durations', QUANTILE_POINTS)} AS qs FROM grouped"
    # the trimmed mean takes the tails (a tenth of the values) away from the whole, rather
    # than copying the nine tenths within [P5, P95]
    trimmed = f"SELECT *, {dialect.list_outside('durations', q[0], q[4])} AS tails FROM measured"
    tails = dialect.list_length("tails")
    sql = (
        f"WITH {dialect.step('grouped', grouped)}, {dialect.step('measured', measured)}, "
        f"{dialect.step('trimmed', trimmed)} "
        f"SELECT sort_key{texts}, {n}, {mean}, {q[1]}, {q[2]}, {q[3]}, {q[4]}, "
        f"{dialect.list_min('durations')}, {dialect.list_max('durations')}, "
        f"CASE WHEN {tails} < {n} "
        f"THEN ({dialect.list_sum('durations')} - {dialect.list_sum('tails')}) / ({n} - {tails}) "
        f"ELSE {mean} END "
        f"FROM trimmed ORDER BY sort_key{order}"
    )
    return bind.statement(sql)


def interval_names(layout: Layout, sort_key: int) -> tuple[str, str]:
    """The (start, end) milestones of an interval's ``sort_key`` (see ``intervals``)."""
    config, count = layout.config, layout.count
    milestones = config.milestones
    if sort_key >= layout.totals_from:
        return config.start, milestones[sort_key - layout.totals_from]
    return milestones[sort_key % count], milestones[sort_key // count]


def actor_shares(layout: Layout, by: Sequence[str] = (), filters: Filters | None = None) -> Statement:
    """Hours per actor and group, over the steps (not the totals); time before arrival, under
    pre-arrival processing, counts as nothing."""
    dialect = layout.dialect
    group = checked_dimensions(layout, by)
    bind = Binder(dialect)
    conditions = [f"d.sort_key < {bind(layout.totals_from)}", *filter_condition(layout, filters, bind)]
    case = " ".join(f"WHEN {bind(m)} THEN {bind(a.value)}" for m, a in layout.config.actors.items())
    keys = [dialect.text(f"d.{layout.q(g)}") for g in group]
    actor = f"CASE d.end_milestone {case} ELSE {bind('unassigned')} END"
    # whole seconds are summed (exact in any order, so every engine gets the same total) and
    # turned into hours once
    sql = (
        f"SELECT actor{''.join(f', k{i}' for i in range(len(keys)))}, "
        f"{dialect.hours_between('0', 'sum(seconds)')} AS hours FROM ("
        f"SELECT {actor} AS actor{''.join(f', {k} AS k{i}' for i, k in enumerate(keys))}, "
        f"greatest(d.seconds, 0) AS seconds FROM intervals d {_where(conditions)}"
        f") assigned GROUP BY actor{''.join(f', k{i}' for i in range(len(keys)))}"
    )
    return bind.statement(sql)


def _total_conditions(layout: Layout, end: str, bind: Binder) -> list[str]:
    """The rows of the total from the study's start to ``end``."""
    if end not in layout.config.milestones:
        raise TrsInputError(f"unknown milestone {end}")
    return [
        f"d.start_milestone = {bind(layout.config.start)}",
        f"d.end_milestone = {bind(end)}",
        f"d.sort_key >= {bind(layout.totals_from)}",
    ]


def released_within(
    layout: Layout, hours: float, by: Sequence[str] = (), *, end: str = "release", filters: Filters | None = None
) -> Statement:
    """Per group: the declarations and the share of them released within ``hours``."""
    dialect = layout.dialect
    group = checked_dimensions(layout, by)
    bind = Binder(dialect)
    conditions = [*_total_conditions(layout, end, bind), *filter_condition(layout, filters, bind)]
    keys = [dialect.text(f"d.{layout.q(g)}") for g in group]
    # an average of whole numbers (a decimal 1.0 would be averaged as a decimal by Spark, and
    # rounded to its scale)
    within = f"CASE WHEN d.hours <= {bind(float(hours))} THEN 1 ELSE 0 END"
    if not keys:
        # one row for the whole selection, none when nothing is selected
        sql = f"SELECT count(*) AS n, avg({within}) AS share FROM intervals d {_where(conditions)} HAVING count(*) > 0"
        return bind.statement(sql)
    names = ", ".join(f"k{i}" for i in range(len(keys)))
    sql = (
        f"SELECT count(*) AS n, avg(within) AS share, {names} FROM ("
        f"SELECT {within} AS within, {', '.join(f'{k} AS k{i}' for i, k in enumerate(keys))} "
        f"FROM intervals d {_where(conditions)}"
        f") measured GROUP BY {names} ORDER BY n, share, {names}"
    )
    return bind.statement(sql)


def release_curve(
    layout: Layout, *, end: str = "release", points: int = 100, filters: Filters | None = None
) -> tuple[Statement, list[float]]:
    """The seconds by which each of ``points`` evenly spaced shares was released, and the
    shares. Quantiles of whole seconds: every engine interpolates between the same integers."""
    shares = [i / points for i in range(1, points + 1)]
    bind = Binder(layout.dialect)
    conditions = [*_total_conditions(layout, end, bind), *filter_condition(layout, filters, bind)]
    sql = f"SELECT {layout.dialect.quantiles('d.seconds', shares)} FROM intervals d {_where(conditions)}"
    return bind.statement(sql), shares


def sample(
    layout: Layout, start: str, end: str, *, group: Mapping[str, str] | None = None, size: int = 20000, seed: int = 0
) -> Statement:
    """Up to ``size`` durations (hours) of one interval and group, drawn at random."""
    bind = Binder(layout.dialect)
    conditions = [
        f"d.start_milestone = {bind(start)}",
        f"d.end_milestone = {bind(end)}",
        *filter_condition(layout, dict(group or {}), bind),
    ]
    # the sample is drawn from the rows chosen: DuckDB applies USING SAMPLE to the FROM clause
    # before the WHERE, which would leave only the chosen rows among ``size`` of all intervals
    return bind.statement(
        f"SELECT hours FROM (SELECT d.hours FROM intervals d {_where(conditions)}) chosen "
        f"{layout.dialect.sample(int(size), int(seed))}"
    )


def in_own_order(layout: Layout, dimension: str, value: str) -> str:
    """What to order a dimension's values (``value``, as text) by: the days of the week from
    Monday and the hours as numbers (as text, Friday came before Monday and 10 before 2),
    anything else as text."""
    if dimension == "weekday":
        cases = " ".join(f"WHEN {layout.dialect.literal(day)} THEN {n}" for n, day in enumerate(WEEKDAYS, start=1))
        return f"CASE {value} {cases} END"
    if dimension == "hour":
        return f"CAST({value} AS INT)"
    return value


def own_order_key(group: Sequence[str], key: Sequence[str]) -> tuple[tuple[int, str], ...]:
    """``in_own_order`` in Python, for groups put together after the query: a group's
    values (as text) by day of the week, hour as a number, or text."""

    def one(dimension: str, value: str) -> tuple[int, str]:
        if dimension == "weekday" and value in WEEKDAYS:
            return WEEKDAYS.index(value), value
        if dimension == "hour" and value.isdigit():
            return int(value), value
        return 0, value

    return tuple(one(dimension, value) for dimension, value in zip(group, key, strict=True))


def values(layout: Layout, dimension: str, *, limit: int = 200) -> Statement:
    """The values a dimension takes (as text), most frequent first; computed dimensions in
    their own order."""
    dialect = layout.dialect
    checked_dimensions(layout, [dimension])
    bind = Binder(dialect)
    value = dialect.text(layout.q(dimension))
    if dimension in COMPUTED_DIMENSIONS:
        sql = (
            f"SELECT v, count(*) AS n FROM (SELECT {value} AS v FROM intervals) found "
            f"GROUP BY v ORDER BY {in_own_order(layout, dimension, 'v')} LIMIT {bind(int(limit))}"
        )
    else:
        sql = (
            f"SELECT v, count(*) AS n FROM (SELECT {value} AS v FROM declarations) found "
            f"GROUP BY v ORDER BY n DESC, v LIMIT {bind(int(limit))}"
        )
    return bind.statement(sql)


#: ``period_values``' statistics
PERIOD_STATISTICS = ("mean", "median", "p75", "p90", "p95", "share_within")


def period_values(
    layout: Layout,
    statistic: str,
    start: str,
    end: str,
    periods: Sequence[tuple[str, str, str]],
    *,
    filters: Filters | None = None,
    target_hours: float | None = None,
) -> Statement | None:
    """``statistic`` of the interval ``start`` → ``end``, with the count, for the declarations
    whose clock started within each period (code, first instant, instant after: ISO 8601 with
    an offset); ``None`` when there is no period."""
    dialect = layout.dialect
    bind = Binder(dialect)
    quantiles = {"median": 0.5, "p75": 0.75, "p90": 0.9, "p95": 0.95}
    # the mean and the quantiles are of whole seconds, turned into hours at the end: exact
    # sums and the same interpolation in every engine
    if statistic == "share_within":
        if target_hours is None:
            raise TrsInputError("share_within needs a target time in hours")
        expression = f"100 * avg(CASE WHEN hours <= {bind(float(target_hours))} THEN 1 ELSE 0 END)"
    elif statistic == "mean":
        expression = dialect.hours_between("0", "avg(seconds)")
    elif statistic in quantiles:
        expression = dialect.hours_between("0", dialect.quantile("seconds", quantiles[statistic]))
    else:
        raise TrsInputError(f"unknown statistic {statistic!r}")
    if not periods:
        return None
    conditions = [
        f"d.start_milestone = {bind(start)}",
        f"d.end_milestone = {bind(end)}",
        *filter_condition(layout, filters, bind),
    ]
    cases = " ".join(
        f"WHEN started_at >= {bind.instant(first)} AND started_at < {bind.instant(after)} THEN {bind(code)}"
        for code, first, after in periods
    )
    sql = (
        f"SELECT period_code, {expression}, count(*) FROM ("
        f"SELECT CASE {cases} END AS period_code, d.hours, d.seconds FROM intervals d {_where(conditions)}"
        ") periods WHERE period_code IS NOT NULL GROUP BY period_code"
    )
    return bind.statement(sql)


def span() -> Statement:
    """The first and the last start of a used declaration."""
    return Statement("SELECT min(started_at), max(started_at) FROM declarations")
