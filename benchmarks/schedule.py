"""Benchmark of the roadmap scheduler on PSPLIB and on generated roadmaps.

For every PSPLIB instance, in the same run: Waypoint's optimiser, plain CP-SAT (default
parameters, same time limit and workers) and the priority-rule baseline. Writes per-instance
CSV files to benchmarks/results/ and the summary table into docs/benchmarks.md.

    uv run python -m benchmarks.schedule                     # the full run (hours)
    uv run python -m benchmarks.schedule --sets j30 --sample 40   # a quick look

PSPLIB: R. Kolisch and A. Sprecher, "PSPLIB - A project scheduling problem library",
European Journal of Operational Research 96(1):205-216, 1997.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.psplib_data import best_known, instances
from benchmarks.report import replace_section
from waypoint.engine.scheduling import (
    SolveOptions,
    SolveStatus,
    baseline_schedule,
    best_heuristic_schedule,
    critical_path,
    read_sm,
    solve,
)
from waypoint.engine.scheduling.generator import generate_roadmap

RESULTS = Path(__file__).resolve().parent / "results"
METHODS = ("waypoint", "plain CP-SAT", "priority-rule baseline")


@dataclass
class Row:
    instance: str
    method: str
    makespan: int
    lower_bound: int
    proven: bool
    seconds: float
    best_known: int
    cpm: int

    @property
    def above_best(self) -> float:
        return (self.makespan - self.best_known) / self.best_known * 100

    @property
    def above_cpm(self) -> float:
        return (self.makespan - self.cpm) / self.cpm * 100


def run_instance(path: Path, best: int, limit: float, workers: int) -> list[Row]:
    problem = read_sm(path)
    cpm = critical_path(problem).project_end
    rows = []
    for method, options in (("waypoint", SolveOptions()), ("plain CP-SAT", SolveOptions.plain())):
        result = solve(problem, time_limit_s=limit, workers=workers, options=options)
        assert result.schedule is not None and not result.schedule.violations(), (path, method)
        rows.append(
            Row(
                path.stem,
                method,
                result.schedule.makespan,
                result.lower_bound or cpm,
                result.status is SolveStatus.OPTIMAL,
                result.seconds,
                best,
                cpm,
            )
        )
    began = time.perf_counter()
    baseline = baseline_schedule(problem).schedule
    rows.append(
        Row(path.stem, "priority-rule baseline", baseline.makespan, cpm, False, time.perf_counter() - began, best, cpm)
    )
    return rows


def summarise(rows: list[Row]) -> list[list[str]]:
    table = []
    for method in METHODS:
        mine = [r for r in rows if r.method == method]
        if not mine:
            continue
        seconds = [r.seconds for r in mine]
        table.append(
            [
                method,
                str(len(mine)),
                str(sum(r.proven for r in mine)) if method != "priority-rule baseline" else "—",
                str(sum(r.makespan <= r.best_known for r in mine)),
                f"{statistics.fmean(r.above_best for r in mine):.2f}",
                f"{statistics.fmean(r.above_cpm for r in mine):.2f}",
                f"{statistics.median(seconds):.2f}",
                f"{max(seconds):.2f}",
                f"{sum(seconds):.0f}",
            ]
        )
    return table


HEADER = [
    "method",
    "instances",
    "proven optimal",
    "at best known",
    "avg % above best known",
    "avg % above CPM bound",
    "median s",
    "max s",
    "total s",
]


def markdown(table: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in table]
    return "\n".join(lines)


def run_set(set_name: str, limit: float, workers: int, sample: int | None) -> list[Row]:
    files = instances(set_name)
    if sample:
        step = max(1, len(files) // sample)
        files = files[::step][:sample]
    best = best_known(set_name)
    rows: list[Row] = []
    out = RESULTS / f"{set_name}{'-sample' if sample else ''}.csv"
    RESULTS.mkdir(exist_ok=True)
    with out.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["instance", "method", "makespan", "lower_bound", "proven", "seconds", "best_known", "cpm"])
        for number, path in enumerate(files, start=1):
            found = run_instance(path, best[path.stem], limit, workers)
            rows.extend(found)
            for r in found:
                writer.writerow(
                    [
                        r.instance,
                        r.method,
                        r.makespan,
                        r.lower_bound,
                        int(r.proven),
                        f"{r.seconds:.3f}",
                        r.best_known,
                        r.cpm,
                    ]
                )
            handle.flush()
            ours = found[0]
            print(
                f"[{set_name} {number}/{len(files)}] {path.stem}: waypoint {ours.makespan} "
                f"(best {ours.best_known}), plain {found[1].makespan}, baseline {found[2].makespan}",
                flush=True,
            )
    return rows


def run_roadmaps(seeds: list[int], limit: float, workers: int) -> list[list[str]]:
    table = []
    for seed in seeds:
        problem = generate_roadmap(initiatives=300, teams=15, months=60, seed=seed)
        began = time.perf_counter()
        first = best_heuristic_schedule(problem, time_limit_s=0.0).schedule
        first_seconds = time.perf_counter() - began
        baseline = baseline_schedule(problem).schedule
        result = solve(problem, time_limit_s=limit, workers=workers)
        assert result.schedule is not None
        table.append(
            [
                str(seed),
                str(len(problem.activities)),
                str(len(problem.resources)),
                f"{first_seconds:.2f}",
                str(len(first.violations()) == 0),
                str(baseline.makespan),
                str(first.makespan),
                str(result.makespan),
                str(result.lower_bound),
                f"{(result.gap or 0) * 100:.1f}",
                result.status.value,
            ]
        )
        print(f"[roadmap seed {seed}] {table[-1]}", flush=True)
    return table


def roadmap_section(limit: float, workers: int) -> str:
    table = run_roadmaps([1, 2, 3], limit, workers)
    header = [
        "seed",
        "activities",
        "teams",
        "first schedule s",
        "feasible",
        "baseline makespan",
        "warm start",
        "optimised",
        "lower bound",
        "gap %",
        "status",
    ]
    body = "\n".join(
        ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in table]
    )
    return f"### Generated roadmaps (300 initiatives, 60 months, 15 teams, yearly budget caps; {limit:.0f} s, {workers} workers)\n\n{body}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="j30,j120,roadmap")
    parser.add_argument("--limit-j30", type=float, default=10.0)
    parser.add_argument("--limit-j120", type=float, default=30.0)
    parser.add_argument("--limit-roadmap", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--sample", type=int, default=None, help="only this many PSPLIB instances per set, evenly spread"
    )
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    # each set keeps its own section, so sets can be re-measured one at a time
    for set_name in args.sets.split(","):
        if set_name == "roadmap":
            limit = args.limit_roadmap
            body = roadmap_section(limit, args.workers)
        else:
            limit = args.limit_j30 if set_name == "j30" else args.limit_j120
            rows = run_set(set_name, limit, args.workers, args.sample)
            sampled = f", a sample of {args.sample} evenly spread" if args.sample else ""
            body = f"### {set_name} ({limit:.0f} s per instance, {args.workers} workers{sampled})\n\n{markdown(summarise(rows))}"
        command = f"uv run python -m benchmarks.schedule --sets {set_name} --limit-{set_name} {limit:g} --workers {args.workers}"
        if args.sample and set_name != "roadmap":
            command += f" --sample {args.sample}"
        text = f"{body}\n\nCommand: `{command}`  \nMachine: {machine}  \nDate: {dt.date.today().isoformat()}"
        print(text, flush=True)
        if not args.no_write:
            replace_section(f"schedule-{set_name}", text)


if __name__ == "__main__":
    main()
