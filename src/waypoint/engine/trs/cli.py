"""``waypoint trs``: generate synthetic declarations and report Time Release Study statistics."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence

from waypoint.engine.trs import generator
from waypoint.engine.trs.compare import compare
from waypoint.engine.trs.model import STATISTICS
from waypoint.engine.trs.runner import Study, TrsInputError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="waypoint trs", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser("generate", help="write synthetic declaration events (Parquet, long form)")
    generate.add_argument("--declarations", type=int, required=True)
    generate.add_argument("--seed", type=int, default=0)
    generate.add_argument("--out", required=True, help="a directory; the file is OUT/events.parquet")
    report = commands.add_parser("report", help="statistics per interval (hours) from a Parquet, CSV or XLSX file")
    report.add_argument("path")
    report.add_argument("--by", default="", help="comma-separated dimensions, e.g. office,channel")
    report.add_argument("--format", choices=("table", "json", "csv"), default="table")
    report.add_argument("--threads", type=int, default=None)
    versus = commands.add_parser("compare", help="the change per interval between two studies (before, after)")
    versus.add_argument("before")
    versus.add_argument("after")
    versus.add_argument("--by", default="")
    versus.add_argument("--format", choices=("table", "json"), default="table")
    versus.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.command == "generate":
        if args.declarations < 1:
            parser.error("--declarations must be at least 1")
        target = generator.write(args.declarations, args.out, seed=args.seed)
        print(f"{args.declarations} declarations written to {target}")
        return 0
    by = [d.strip() for d in args.by.split(",") if d.strip()]
    if args.command == "compare":
        return _compare(args.before, args.after, by, args.format, args.threads)
    try:
        study = Study(args.path, threads=args.threads)
        rows = [row.as_dict() for row in study.statistics(by)]
        quarantine = study.quarantine(limit=5)
    except TrsInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(
        f"{quarantine.declarations_used} of {quarantine.declarations_in} declarations used; "
        f"{quarantine.declarations_set_aside} set aside"
        + "".join(f"; {reason.value}: {n}" for reason, n in quarantine.counts.items()),
        file=sys.stderr,
    )
    keys = ["from", "to", *by, *STATISTICS]
    if args.format == "json":
        print(json.dumps(rows, indent=1))
    elif args.format == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)
        print(out.getvalue(), end="")
    else:
        print("  ".join(f"{k:>12}" for k in keys))
        for row in rows:
            print("  ".join(f"{row[k]:>12.2f}" if isinstance(row[k], float) else f"{row[k]!s:>12}" for k in keys))
    return 0


def _compare(before: str, after: str, by: list[str], output: str, threads: int | None) -> int:
    try:
        changes = compare(Study(before, threads=threads), Study(after, threads=threads), by)
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
