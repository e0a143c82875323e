"""The TRS report on DuckDB and on Spark in local mode, same data, same run.

The report of ``benchmarks.trs`` (validation with the quarantine counts, every interval and
the totals, all statistics by office × channel × mode) on generated declarations, once with
DuckDB and once with Spark (``local[THREADS]``), each in a fresh process. Spark's time is
given with and without starting it (the JVM and the Spark context), which a cluster pays once
per application, not once per report. The two reports are compared as the agreement test does.

    uv run python -m benchmarks.trs_spark                       # 1 million declarations
    uv run python -m benchmarks.trs_spark --sizes 100000 --no-write
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.report import replace_section
from benchmarks.trs import BY, MEMORY_LIMIT, dataset

#: the JVM's heap for Spark's driver, which in local mode also runs the executors
SPARK_MEMORY = "6g"


def child(engine: str, path: Path, threads: int, out: Path) -> None:
    began = time.perf_counter()
    started = began
    if engine == "spark":
        from pyspark.sql import SparkSession

        from waypoint.engine.trs.spark import SparkStudy

        session = (
            SparkSession.builder.master(f"local[{threads}]")
            .config("spark.driver.memory", SPARK_MEMORY)
            .config("spark.sql.shuffle.partitions", str(2 * threads))
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        started = time.perf_counter()
        study: Any = SparkStudy(path, session=session)
    else:
        from waypoint.engine.trs.runner import Study

        study = Study(path, threads=threads, memory_limit=MEMORY_LIMIT)
    quarantine = study.quarantine()
    rows = study.statistics(BY)
    seconds = time.perf_counter() - began
    # the Python process's peak: Spark's JVM is a process of its own, not measured here
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.write_text(
        json.dumps(
            {
                "counts": {reason.name: n for reason, n in quarantine.counts.items()},
                "used": quarantine.declarations_used,
                "rows": [row.as_dict() for row in rows],
            }
        )
    )
    print(json.dumps({"seconds": seconds, "report_seconds": time.perf_counter() - started, "peak_mb": peak}))


def measure(engine: str, path: Path, threads: int, out: Path) -> dict[str, float]:
    command = [sys.executable, "-m", "benchmarks.trs_spark", "--child", engine, str(path), str(out)]
    done = subprocess.run([*command, "--threads", str(threads)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"the {engine} run failed")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def difference(duckdb: Path, spark: Path) -> tuple[bool, float, int, int]:
    """Whether the counts and groups are equal, the largest relative difference of a figure,
    how many figures differ at all, and how many there are."""
    a, b = json.loads(duckdb.read_text()), json.loads(spark.read_text())
    key = ["from", "to", *BY]
    rows_a = {tuple(r[k] for k in key): r for r in a["rows"]}
    rows_b = {tuple(r[k] for k in key): r for r in b["rows"]}
    same = a["counts"] == b["counts"] and a["used"] == b["used"] and set(rows_a) == set(rows_b)
    worst, differing = 0.0, 0
    for group, row in rows_a.items():
        other = rows_b.get(group, {})
        same = same and row["n"] == other.get("n")
        for name in ("mean", "median", "p75", "p90", "p95", "min", "max", "trimmed_mean"):
            x, y = row[name], other.get(name, math.nan)
            if x != y:
                differing += 1
                worst = max(worst, abs(x - y) / max(abs(x), abs(y), 1e-300))
    return same, worst, differing, 8 * len(rows_a)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000000")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--child", nargs=3, metavar=("ENGINE", "PATH", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.threads, Path(args.child[2]))
        return
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        path = dataset(size)
        reports = path.parent / "reports"
        reports.mkdir(exist_ok=True)
        duck = measure("duckdb", path, args.threads, reports / "duckdb.json")
        spark = measure("spark", path, args.threads, reports / "spark.json")
        same, worst, differing, figures = difference(reports / "duckdb.json", reports / "spark.json")
        agreement = (
            f"{'same counts and groups' if same else 'COUNTS OR GROUPS DIFFER'}; "
            f"{differing:,} of {figures:,} figures differ, by at most {worst:.1e} (relative)"
        )
        rows.append(
            f"| {size:,} | {duck['seconds']:.1f} s, {duck['peak_mb']:,.0f} MB | {spark['seconds']:.1f} s | "
            f"{spark['report_seconds']:.1f} s | {spark['seconds'] / duck['seconds']:.0f}× | {agreement} |"
        )
        print(rows[-1], flush=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    text = (
        f"### TRS full report on DuckDB and on Spark local[{args.threads}] (by office × channel × mode, one run each)\n\n"
        "| declarations | DuckDB | Spark, with its start | Spark, report alone | Spark ÷ DuckDB | agreement |\n"
        "|---|---|---|---|---|---|\n"
        + "\n".join(rows)
        + f"\n\nCommand: `uv run python -m benchmarks.trs_spark --sizes {args.sizes} --threads {args.threads}`  \n"
        f"Machine: {machine}; Spark driver memory {SPARK_MEMORY}  \nDate: {dt.date.today().isoformat()}"
    )
    print(text)
    if not args.no_write:
        replace_section("trs-spark", text)


if __name__ == "__main__":
    main()
