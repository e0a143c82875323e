"""``waypoint trs``: generate synthetic declarations and report Time Release Study statistics."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from waypoint.engine.trs import generator
from waypoint.engine.trs.compare import compare
from waypoint.engine.trs.model import STATISTICS, Quarantine, StudyConfig
from waypoint.engine.trs.runner import (
    ENGINE_VARIABLE,
    ENGINES,
    SPARK_MASTER_VARIABLE,
    Study,
    TrsInputError,
    open_study,
)

ZONE_HELP = (
    "where the times were recorded (e.g. Asia/Baku): times without an offset are read in it, and "
    "hours, days and peaks are counted in it (default UTC)"
)


THREADS_HELP = "threads DuckDB may use (default: every core); on Spark, local[THREADS] when no Spark master is given"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="waypoint trs", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser("generate", help="write synthetic declaration events (Parquet, long form)")
    generate.add_argument("--declarations", type=int, required=True)
    generate.add_argument("--seed", type=int, default=0)
    generate.add_argument("--out", required=True, help="a directory; the file is OUT/events.parquet")
    report = commands.add_parser("report", help="statistics per interval (hours) from a Parquet, CSV or XLSX file")
    report.add_argument(
        "path", help="a Parquet file or a directory of them (hdfs://, s3a:// on Spark), a CSV or an XLSX file"
    )
    report.add_argument("--by", default="", help="comma-separated dimensions, e.g. office,channel")
    report.add_argument("--format", choices=("table", "json", "csv", "xlsx"), default="table")
    report.add_argument("--out", help="write to this file instead of the screen (required for xlsx)")
    report.add_argument("--threads", type=int, default=None, help=THREADS_HELP)
    report.add_argument("--time-zone", default="UTC", help=ZONE_HELP)
    report.add_argument(
        "--engine",
        choices=ENGINES,
        default=None,
        help=f"duckdb (one machine) or spark (local mode or a cluster; the spark extra); default ${ENGINE_VARIABLE} or duckdb",
    )
    report.add_argument(
        "--spark-master",
        default=None,
        help=f"the Spark master (default ${SPARK_MASTER_VARIABLE}, else Spark's configuration)",
    )
    versus = commands.add_parser("compare", help="the change per interval between two studies (before, after)")
    versus.add_argument("before", help="the study before the change (a file, as for report)")
    versus.add_argument("after", help="the study after it")
    versus.add_argument("--by", default="", help="comma-separated dimensions, e.g. office,channel")
    versus.add_argument("--format", choices=("table", "json"), default="table")
    versus.add_argument("--threads", type=int, default=None, help="threads DuckDB may use (default: every core)")
    versus.add_argument("--time-zone", default="UTC", help=ZONE_HELP)
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.command == "generate":
        if args.declarations < 1:
            parser.error("--declarations must be at least 1")
        target = generator.write(args.declarations, args.out, seed=args.seed)
        print(f"{args.declarations} declarations written to {target}")
        return 0
    by = [d.strip() for d in args.by.split(",") if d.strip()]
    try:
        config = StudyConfig(timezone=args.time_zone)
    except ValueError as error:
        parser.error(str(error))
    if args.command == "compare":
        return _compare(args.before, args.after, by, args.format, args.threads, config)
    try:
        study = open_study(args.path, config, engine=args.engine, threads=args.threads, spark_master=args.spark_master)
        rows = [row.as_dict() for row in study.statistics(by)]
        quarantine = study.quarantine(limit=5)
    except TrsInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    reasons = ", ".join(f"{reason.value}: {n}" for reason, n in quarantine.counts.items())
    print(
        f"{quarantine.declarations_used} of {quarantine.declarations_in} declarations used; "
        f"{quarantine.declarations_set_aside} set aside"
        + (f" (declarations per reason, a declaration can have several: {reasons})" if reasons else ""),
        file=sys.stderr,
    )
    for aside in quarantine.rows:
        if aside.line is not None:
            print(f"{aside.file + ', ' if aside.file else ''}line {aside.line}: no declaration id", file=sys.stderr)
    keys = ["from", "to", *by, *STATISTICS]
    if args.format == "xlsx":
        if not args.out:
            parser.error("--format xlsx needs --out FILE.xlsx")
        _write_xlsx(args.out, keys, rows, quarantine)
        print(f"{len(rows)} rows written to {args.out}", file=sys.stderr)
        return 0
    text = io.StringIO()
    if args.format == "json":
        text.write(json.dumps(rows, indent=1) + "\n")
    elif args.format == "csv":
        writer = csv.DictWriter(text, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)
    else:
        text.write("  ".join(f"{k:>12}" for k in keys) + "\n")
        for row in rows:
            text.write(
                "  ".join(f"{row[k]:>12.2f}" if isinstance(row[k], float) else f"{row[k]!s:>12}" for k in keys) + "\n"
            )
    if args.out:
        Path(args.out).write_text(text.getvalue(), encoding="utf-8")
    else:
        print(text.getvalue(), end="")
    return 0


def _write_xlsx(path: str, keys: list[str], rows: list[dict[str, object]], quarantine: Quarantine) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "statistics (hours)"
    sheet.append(keys)
    for row in rows:
        sheet.append([row[k] for k in keys])
    aside = book.create_sheet("set aside")
    aside.append(["reason", "declarations"])
    for reason, n in quarantine.counts.items():
        aside.append([reason.value, n])
    # a declaration with several reasons is counted under each: the total counts it once
    aside.append(["set aside (each declaration once)", quarantine.declarations_set_aside])
    aside.append(["used", quarantine.declarations_used])
    book.save(path)


def _compare(before: str, after: str, by: list[str], output: str, threads: int | None, config: StudyConfig) -> int:
    try:
        changes = compare(Study(before, config, threads=threads), Study(after, config, threads=threads), by)
    except TrsInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if output == "json":
        print(json.dumps([c.as_dict() for c in changes], indent=1))
        return 0
    header = ["from", "to", *by, "n before", "n after", "median before", "median after", "change", "95% interval"]
    print("  ".join(f"{h:>14}" for h in header))
    for c in changes:
        cells = [c.start, c.end, *(c.group[d] for d in by), c.n_before, c.n_after]
        numbers = [f"{c.median_before:.2f}", f"{c.median_after:.2f}", f"{c.median_change:+.2f}"]
        interval = f"[{c.ci_low:+.2f}, {c.ci_high:+.2f}]" + (" *" if c.significant else "")
        print("  ".join(f"{x!s:>14}" for x in [*cells, *numbers, interval]))
    return 0
