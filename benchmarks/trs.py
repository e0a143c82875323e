"""Benchmark of the TRS report: Waypoint's DuckDB runner against a straightforward pandas
implementation of the same report, on generated declarations.

The full report: validation with quarantine counts, every interval and the totals, all
statistics (n, mean, median, P75, P90, P95, min, max, trimmed mean) by office × channel × mode.
Each measurement runs in its own process, so its peak memory is its own.

    uv run python -m benchmarks.trs                              # 0.1, 1, 3 and 10 million
    uv run python -m benchmarks.trs --sizes 100000 --no-write    # a quick look
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.report import replace_section
from waypoint.engine.trs.model import DEFAULT_MILESTONES, StudyConfig

DATA = Path(__file__).resolve().parents[1] / "var" / "bench" / "trs"
BY = ["office", "channel", "mode"]
ORDER = list(DEFAULT_MILESTONES)
REQUIRED = sorted(StudyConfig().required)


def dataset(size: int, seed: int = 1) -> Path:
    from waypoint.engine.trs import generator

    folder = DATA / f"{size}"
    target = folder / "events.parquet"
    if not target.exists():
        began = time.perf_counter()
        generator.write(size, folder, seed=seed)
        print(f"generated {size:,} declarations in {time.perf_counter() - began:.0f} s", flush=True)
    return target


#: DuckDB spills to disk above this; with the interpreter and pyarrow around it the process
#: peaks about 0.3 GB higher, within the 4 GiB target
MEMORY_LIMIT = "3.6GB"


def run_waypoint(path: Path, threads: int) -> int:
    from waypoint.engine.trs.runner import Study

    study = Study(path, threads=threads, memory_limit=MEMORY_LIMIT)
    study.quarantine()
    return len(study.statistics(BY))


def run_pandas(path: Path) -> int:
    return len(pandas_report(path))


def pandas_report(path: Path) -> Any:
    """The report as a pandas DataFrame indexed by interval and group."""
    import pandas as pd

    events = pd.read_parquet(path)
    events["milestone"] = events["milestone"].astype(str)
    duplicated = events.duplicated(["declaration_id", "milestone"], keep=False)
    bad = set(events.loc[duplicated, "declaration_id"])
    wide = events.pivot_table(index="declaration_id", columns="milestone", values="timestamp", aggfunc="min")
    wide = wide.reindex(columns=ORDER)
    dims = events.groupby("declaration_id")[BY].first()
    missing = wide[REQUIRED].isna().any(axis=1)
    steps = (
        wide[[m for m in ORDER if m != "arrival"]]
        .apply(lambda c: c.astype("int64") // 10**9)
        .where(wide[[m for m in ORDER if m != "arrival"]].notna())
    )
    previous_max = steps.ffill(axis=1).cummax(axis=1).shift(1, axis=1)
    out_of_order = (steps < previous_max).any(axis=1) | (wide["arrival"] > wide["exit"])
    good = ~(missing | out_of_order | wide.index.isin(bad))
    wide = wide[good].join(dims)
    parts = []
    for i in range(1, len(ORDER)):
        before = wide[ORDER[:i]]
        start_ts = before.ffill(axis=1).iloc[:, -1]
        start_name = before.notna().iloc[:, ::-1].idxmax(axis=1)
        mask = wide[ORDER[i]].notna() & start_ts.notna()
        hours = (wide.loc[mask, ORDER[i]] - start_ts[mask]).dt.total_seconds() / 3600
        parts.append(
            pd.DataFrame(
                {"from": start_name[mask], "to": ORDER[i], "hours": hours, **{d: wide.loc[mask, d] for d in BY}}
            )
        )
    for end in ("release", "exit"):
        mask = wide[end].notna()
        hours = (wide.loc[mask, end] - wide.loc[mask, "arrival"]).dt.total_seconds() / 3600
        parts.append(pd.DataFrame({"from": "arrival", "to": end, "hours": hours, **{d: wide.loc[mask, d] for d in BY}}))
    intervals = pd.concat(parts, ignore_index=True)
    keys = ["from", "to", *BY]
    grouped = intervals.groupby(keys, observed=True)["hours"]
    stats = grouped.agg(["count", "mean", "median", "min", "max"])
    for q in (0.75, 0.9, 0.95):
        stats[f"p{round(q * 100)}"] = grouped.quantile(q)
    low = grouped.transform(lambda s: s.quantile(0.05))
    high = grouped.transform(lambda s: s.quantile(0.95))
    inside = intervals[(intervals["hours"] >= low) & (intervals["hours"] <= high)]
    stats["trimmed_mean"] = inside.groupby(keys, observed=True)["hours"].mean()
    return stats


def measure(engine: str, path: Path, threads: int, repeats: int = 1) -> dict[str, float]:
    """Run the report in fresh processes; the median wall time of ``repeats`` runs and the
    highest peak memory."""
    runs = [_measure_once(engine, path, threads) for _ in range(repeats)]
    times = sorted(run["seconds"] for run in runs)
    return {
        "seconds": times[len(times) // 2],
        "peak_mb": max(run["peak_mb"] for run in runs),
        "failed": float(any(run.get("failed") for run in runs)),
    }


def _measure_once(engine: str, path: Path, threads: int) -> dict[str, float]:
    command = [sys.executable, "-m", "benchmarks.trs", "--child", engine, str(path), "--threads", str(threads)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"failed": 1.0, "seconds": float("nan"), "peak_mb": float("nan")}
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def child(engine: str, path: Path, threads: int) -> None:
    began = time.perf_counter()
    rows = run_waypoint(path, threads) if engine == "waypoint" else run_pandas(path)
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "rows": rows}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000,3000000,10000000")
    parser.add_argument("--pandas-max", type=int, default=3_000_000, help="largest size given to pandas")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--repeats", type=int, default=3, help="runs of Waypoint per size (the median is kept)")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.threads)
        return
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        path = dataset(size)
        ours = measure("waypoint", path, args.threads, args.repeats)
        theirs = measure("pandas", path, args.threads) if size <= args.pandas_max else None
        ratio = f"{theirs['seconds'] / ours['seconds']:.1f}×" if theirs and not theirs.get("failed") else "—"
        pandas_cell = (
            "not run (above --pandas-max)"
            if theirs is None
            else (
                "failed (out of memory?)"
                if theirs.get("failed")
                else f"{theirs['seconds']:.1f} s, {theirs['peak_mb']:,.0f} MB"
            )
        )
        rows.append(f"| {size:,} | {ours['seconds']:.1f} s | {ours['peak_mb']:,.0f} MB | {pandas_cell} | {ratio} |")
        print(rows[-1], flush=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    text = (
        f"### TRS full report (all intervals and statistics by office × channel × mode, {args.threads} threads, "
        f"DuckDB memory limit {MEMORY_LIMIT}; Waypoint: median of {args.repeats} runs, pandas: one run)\n\n"
        "| declarations | Waypoint (DuckDB) | peak memory | pandas | pandas ÷ Waypoint |\n|---|---|---|---|---|\n"
        + "\n".join(rows)
        + f"\n\nCommand: `uv run python -m benchmarks.trs --sizes {args.sizes} --pandas-max {args.pandas_max} "
        f"--threads {args.threads} --repeats {args.repeats}`  \nMachine: {machine}  \nDate: {dt.date.today().isoformat()}"
    )
    print(text)
    if not args.no_write:
        replace_section("trs", text)


if __name__ == "__main__":
    main()
