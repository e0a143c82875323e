"""Benchmark of the roadmap scheduler on PSPLIB and on generated roadmaps.

For every PSPLIB instance, in the same run: Waypoint's optimiser, plain CP-SAT (default
parameters, same time limit and workers) and the priority-rule baseline. Writes per-instance
CSV files to benchmarks/results/ and the summary table into docs/benchmarks.md.

    uv run python -m benchmarks.schedule                     # the full run (hours)
    uv run python -m benchmarks.schedule --sets j30 --sample 40   # a quick look
    uv run python -m benchmarks.schedule --sets roadmap --sizes 300 --seeds 1 --no-write

Sets: ``j30``, ``j120`` (PSPLIB), ``roadmap`` (generated roadmaps of each size, Waypoint's
optimiser and plain CP-SAT in the same run), ``cli`` (``waypoint schedule --time-limit`` as a
whole process: the search's time and the process's).

PSPLIB: R. Kolisch and A. Sprecher, "PSPLIB - A project scheduling problem library",
European Journal of Operational Research 96(1):205-216, 1997.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
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
from waypoint.engine.scheduling.jsonformat import problem_document

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


def against_plain(rows: list[Row]) -> str:
    """Waypoint's optimiser against plain CP-SAT, instance by instance in the same run: the
    ratio of their makespans (summed) and of their times, and who was better where."""
    ours = {r.instance: r for r in rows if r.method == "waypoint"}
    plain = {r.instance: r for r in rows if r.method == "plain CP-SAT"}
    both = sorted(ours.keys() & plain.keys())
    if not both:
        return ""
    better = sum(ours[i].makespan < plain[i].makespan for i in both)
    worse = sum(ours[i].makespan > plain[i].makespan for i in both)
    makespans = sum(ours[i].makespan for i in both) / sum(plain[i].makespan for i in both)
    bounds = sum(ours[i].lower_bound for i in both) / sum(plain[i].lower_bound for i in both)
    seconds = sum(ours[i].seconds for i in both) / max(1e-9, sum(plain[i].seconds for i in both))
    return (
        f"Against plain CP-SAT in the same run ({len(both)} instances): makespans summed "
        f"waypoint ÷ plain = {makespans:.4f}, lower bounds summed waypoint ÷ plain = {bounds:.4f}, "
        f"time waypoint ÷ plain = {seconds:.2f}; waypoint shorter on {better}, longer on {worse}, "
        f"equal on {len(both) - better - worse}."
    )


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


ROADMAP_HEADER = [
    "activities",
    "seed",
    "teams",
    "critical path",
    "first schedule s",
    "baseline",
    "warm start",
    "optimised",
    "lower bound",
    "bound from",
    "gap %",
    "status",
    "plain CP-SAT",
    "plain bound",
    "plain gap %",
]


@dataclass
class RoadmapRow:
    items: int
    seed: int
    teams: int
    cpm: int
    first_seconds: float
    baseline: int
    warm: int | None
    optimised: int
    bound: int
    reason: str
    status: str
    seconds: float
    plain: int | None
    plain_bound: int | None

    @property
    def gap(self) -> float:
        return (self.optimised - self.bound) / self.optimised * 100

    @property
    def plain_gap(self) -> float | None:
        if self.plain is None or self.plain_bound is None:
            return None
        return (self.plain - self.plain_bound) / self.plain * 100

    def cells(self) -> list[str]:
        plain_gap = self.plain_gap
        return [
            str(self.items),
            str(self.seed),
            str(self.teams),
            str(self.cpm),
            f"{self.first_seconds:.2f}",
            str(self.baseline),
            str(self.warm),
            str(self.optimised),
            str(self.bound),
            self.reason,
            f"{self.gap:.1f}",
            self.status,
            "no schedule" if self.plain is None else str(self.plain),
            "—" if self.plain_bound is None else str(self.plain_bound),
            "—" if plain_gap is None else f"{plain_gap:.1f}",
        ]


def run_roadmap(items: int, seed: int, limit: float, workers: int) -> RoadmapRow:
    """One generated roadmap: the priority rules, Waypoint's optimiser and plain CP-SAT."""
    problem = generate_roadmap(items=items, months=60, seed=seed)
    began = time.perf_counter()
    first = best_heuristic_schedule(problem, time_limit_s=0.0).schedule
    first_seconds = time.perf_counter() - began
    assert not first.violations()
    baseline = baseline_schedule(problem).schedule
    result = solve(problem, time_limit_s=limit, workers=workers)
    assert result.schedule is not None and not result.schedule.violations()
    assert result.objective_value is not None and result.lower_bound is not None
    plain = solve(problem, time_limit_s=limit, workers=workers, options=SolveOptions.plain())
    assert plain.schedule is None or not plain.schedule.violations()
    return RoadmapRow(
        items,
        seed,
        len(problem.resources),
        critical_path(problem).project_end,
        first_seconds,
        baseline.makespan,
        result.heuristic_value,
        result.objective_value,
        result.lower_bound,
        result.bound_reason or "",
        result.status.value,
        result.seconds,
        plain.objective_value,
        plain.lower_bound if plain.schedule is not None else None,
    )


def roadmap_summary(rows: list[RoadmapRow]) -> str:
    """Per size: the average gap of each method, and where the optimiser improved."""
    header = [
        "activities",
        "roadmaps",
        "avg gap % (waypoint)",
        "proven optimal",
        "improved on the warm start / room to improve",
        "avg search s",
        "plain CP-SAT: with a schedule",
        "avg gap % (plain, where it has one)",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for items in [*sorted({r.items for r in rows}), 0]:
        mine = [r for r in rows if r.items == items or items == 0]
        room = [r for r in mine if r.warm is not None and r.warm > r.bound]
        improved = [r for r in room if r.optimised < (r.warm or 0)]
        plain_gaps = [g for r in mine if (g := r.plain_gap) is not None]
        lines.append(
            "| "
            + " | ".join(
                [
                    "all" if items == 0 else str(items),
                    str(len(mine)),
                    f"{statistics.fmean(r.gap for r in mine):.2f}",
                    str(sum(r.status == "optimal" for r in mine)),
                    f"{len(improved)} / {len(room)}",
                    f"{statistics.fmean(r.seconds for r in mine):.1f}",
                    f"{len(plain_gaps)} / {len(mine)}",
                    f"{statistics.fmean(plain_gaps):.2f}" if plain_gaps else "—",
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def roadmap_section(sizes: list[int], seeds: list[int], limit: float, workers: int) -> str:
    rows = []
    for items in sizes:
        for seed in seeds:
            rows.append(run_roadmap(items, seed, limit, workers))
            print(f"[roadmap {items} seed {seed}] {rows[-1].cells()}", flush=True)
    table = "\n".join(
        ["| " + " | ".join(ROADMAP_HEADER) + " |", "|" + "---|" * len(ROADMAP_HEADER)]
        + ["| " + " | ".join(r.cells()) + " |" for r in rows]
    )
    both = [r for r in rows if r.plain is not None]
    versus = (
        f"Against plain CP-SAT in the same run: plain CP-SAT found a schedule on {len(both)} of {len(rows)} roadmaps; "
        f"where both have one, makespans summed waypoint ÷ plain = "
        f"{sum(r.optimised for r in both) / sum(r.plain or 0 for r in both):.4f}, "
        f"waypoint shorter on {sum(r.optimised < (r.plain or 0) for r in both)}, "
        f"longer on {sum(r.optimised > (r.plain or 0) for r in both)}."
        if both
        else f"Plain CP-SAT found no schedule on any of the {len(rows)} roadmaps in the same run."
    )
    return (
        f"### Generated roadmaps (60-month plans, calibrated on the demo; {limit:.0f} s, {workers} workers)\n\n"
        f"{roadmap_summary(rows)}\n\n{versus}\n\n{table}"
    )


def cli_run(path: Path, limit: float, workers: int) -> tuple[float, float, float]:
    """``waypoint schedule`` on ``path`` as a fresh process: its search time (as it reports
    it), the whole process's time, and the CPU time it used (user and system, every thread):
    on a loaded machine the wall time outside the search is mostly waiting for a core."""
    waypoint = Path(sys.executable).with_name("waypoint")  # the command the package installs
    command = [str(waypoint), "schedule", str(path), "--time-limit", f"{limit:g}"]
    command += ["--workers", str(workers), "--format", "json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    whole = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return json.loads(done.stdout)["seconds"], whole, cpu


def cli_section(limit: float, workers: int, sample: int) -> str:
    """The time limit as a command sees it: PSPLIB j120 instances and generated roadmaps."""
    files = instances("j120")
    files = files[:: max(1, len(files) // sample)][:sample]
    cases: list[tuple[str, Path]] = [(f"PSPLIB {p.stem}", p) for p in files]
    with tempfile.TemporaryDirectory() as folder:
        for items in (1000, 3000):
            path = Path(folder) / f"roadmap-{items}.json"
            path.write_text(json.dumps(problem_document(generate_roadmap(items=items, seed=1))))
            cases.append((f"generated roadmap, {items} activities", path))
        rows = []
        for name, path in cases:
            search, whole, cpu = cli_run(path, limit, workers)
            rows.append((name, search, whole, cpu))
            print(f"[cli] {name}: search {search:.2f} s, process {whole:.2f} s, CPU {cpu:.2f} s", flush=True)
        # the start alone: Python, the imports a PSPLIB file needs, and the exit
        start = [cli_run(Path(files[-1]), 0, 1) for _ in range(3)]
    header = ["instance", "search s", "whole process s", "outside the search s", "process CPU s (all threads)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, search, whole, cpu in rows:
        lines.append(f"| {name} | {search:.2f} | {whole:.2f} | {whole - search:.2f} | {cpu:.2f} |")
    worst = max(row[1] for row in rows)
    outside = statistics.median(whole - search for _n, search, whole, _c in rows)
    return (
        f"### `waypoint schedule --time-limit {limit:g}` as a whole process ({workers} workers)\n\n"
        f"Longest search {worst:.2f} s for a limit of {limit:g} s; median time outside the search "
        f"(start, reading, writing, exit) {outside:.2f} s. With `--time-limit 0` (the priority "
        f"rules only) on {files[-1].stem}, three runs, whole process (search, CPU time): "
        + ", ".join(f"{whole:.2f} s ({search:.2f} s, {cpu:.2f} s)" for search, whole, cpu in start)
        + ".\n\n"
        + "\n".join(lines)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="j30,j120,roadmap,cli")
    parser.add_argument("--limit-j30", type=float, default=10.0)
    parser.add_argument("--limit-j120", type=float, default=30.0)
    parser.add_argument("--limit-roadmap", type=float, default=60.0)
    parser.add_argument("--limit-cli", type=float, default=10.0)
    parser.add_argument("--sizes", default="100,300,1000,3000", help="roadmap sizes (activities)")
    parser.add_argument("--seeds", default="1,2,3", help="roadmap seeds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--sample", type=int, default=None, help="only this many PSPLIB instances per set, evenly spread"
    )
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    # each set keeps its own section, so sets can be re-measured one at a time
    for set_name in args.sets.split(","):
        # the machine is shared: the load at the start and the end of each set says how much
        # of it the run had (compare the methods within a run, not seconds across runs)
        load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        began = dt.datetime.now(dt.UTC)
        if set_name == "roadmap":
            limit = args.limit_roadmap
            sizes, seeds = [int(x) for x in args.sizes.split(",")], [int(x) for x in args.seeds.split(",")]
            body = roadmap_section(sizes, seeds, limit, args.workers)
        elif set_name == "cli":
            limit = args.limit_cli
            body = cli_section(limit, args.workers, args.sample or 10)
        else:
            limit = args.limit_j30 if set_name == "j30" else args.limit_j120
            rows = run_set(set_name, limit, args.workers, args.sample)
            sampled = f", a sample of {args.sample} evenly spread" if args.sample else ""
            body = (
                f"### {set_name} ({limit:.0f} s per instance, {args.workers} workers{sampled})\n\n"
                f"{markdown(summarise(rows))}\n\n{against_plain(rows)}"
            )
        command = f"uv run python -m benchmarks.schedule --sets {set_name} --limit-{set_name} {limit:g} --workers {args.workers}"
        if args.sample and set_name != "roadmap":
            command += f" --sample {args.sample}"
        if set_name == "roadmap":
            command += f" --sizes {args.sizes} --seeds {args.seeds}"
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        ended = dt.datetime.now(dt.UTC)
        text = (
            f"{body}\n\nCommand: `{command}`  \nMachine: {machine}, load average (1, 5, 15 min) at the start "
            f"{load_before}, at the end {load}  \n"
            f"Date: {began:%Y-%m-%d %H:%M} to {ended:%H:%M} UTC"
        )
        print(text, flush=True)
        if not args.no_write:
            replace_section(f"schedule-{set_name}", text)


if __name__ == "__main__":
    main()
