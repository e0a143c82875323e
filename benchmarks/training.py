"""Benchmark of the training allocation: the CP-SAT optimiser against the greedy baseline it
starts from, on generated workforces (``waypoint.engine.training.generator``) of 500 to 5,000
officers.

For each instance both plans come from the same run of ``solve`` (the greedy plan is built
first, the optimiser improves it), and both are checked by ``violations``, which walks the
calendar day by day and shares no code with either: budget, seats, one session at a time per
officer, and operational continuity. A broken rule stops the benchmark.

Reported: the weighted gap each plan closes, what it spends, the gap closed per 1,000 of
budget spent, and the optimiser's ratio to the greedy plan.

    uv run python -m benchmarks.training                        # 500, 1,000, 2,000, 5,000
    uv run python -m benchmarks.training --sizes 500 --no-write # a quick look
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from dataclasses import dataclass

from benchmarks.report import replace_section
from waypoint.engine.training import greedy_plan, plan_cost, plan_value, solve, violations
from waypoint.engine.training.generator import generate

SIZES = (500, 1000, 2000, 5000)


@dataclass(frozen=True)
class Row:
    officers: int
    sessions: int
    budget: int
    total_gap: int
    greedy_value: int
    greedy_spent: int
    value: int
    spent: int
    bound: int
    seconds: float
    status: str

    @staticmethod
    def per_thousand(value: int, spent: int) -> float:
        return 1000 * value / spent if spent else 0.0

    @property
    def greedy_rate(self) -> float:
        return self.per_thousand(self.greedy_value, self.greedy_spent)

    @property
    def rate(self) -> float:
        return self.per_thousand(self.value, self.spent)


def run(size: int, *, seed: int, time_limit_s: float, workers: int) -> Row:
    problem = generate(size, seed=seed)
    result = solve(problem, time_limit_s=time_limit_s, workers=workers)
    plan = [(a[0], a[1]) for a in result.assignments]
    broken = violations(problem, plan)
    if broken:
        raise SystemExit(f"{size} officers: the optimiser's plan breaks a rule: {broken[:5]}")
    greedy = greedy_plan(problem)
    broken = violations(problem, greedy)
    if broken:
        raise SystemExit(f"{size} officers: the greedy plan breaks a rule: {broken[:5]}")
    # the figures are recomputed from the plans, not taken from the solver's own report
    value, greedy_value = plan_value(problem, plan), plan_value(problem, greedy)
    if value != result.value or greedy_value != result.greedy_value:
        raise SystemExit(f"{size} officers: the solver's figures differ from the plans'")
    if value < greedy_value:
        raise SystemExit(f"{size} officers: the optimiser did worse than the greedy plan")
    return Row(
        officers=size,
        sessions=len(problem.sessions),
        budget=sum(problem.budgets.values()),
        total_gap=problem.total_gap(),
        greedy_value=greedy_value,
        greedy_spent=sum(plan_cost(problem, greedy).values()),
        value=value,
        spent=sum(plan_cost(problem, plan).values()),
        bound=result.bound,
        seconds=result.seconds,
        status=str(result.status),
    )


def table(rows: list[Row], *, time_limit_s: float, workers: int, seed: int) -> str:
    lines = [
        f"### Generated workforces (seed {seed}; optimiser: {time_limit_s:g} s, {workers} workers; "
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d')})",
        "",
        "| officers | sessions | budget | total gap | greedy: closed | greedy: spent | greedy: per 1,000 "
        "| optimiser: closed | optimiser: spent | optimiser: per 1,000 | optimiser ÷ greedy (closed) "
        "| optimiser ÷ greedy (per 1,000) | time (s) | optimiser's end | rules |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.officers:,} | {r.sessions:,} | {r.budget:,} | {r.total_gap:,} | {r.greedy_value:,} "
            f"| {r.greedy_spent:,} | {r.greedy_rate:.2f} | {r.value:,} | {r.spent:,} | {r.rate:.2f} "
            f"| {r.value / r.greedy_value if r.greedy_value else 0:.3f} "
            f"| {r.rate / r.greedy_rate if r.greedy_rate else 0:.3f} | {r.seconds:.1f} | {r.status} | kept |"
        )
    lines += [
        "",
        f"Command: `uv run python -m benchmarks.training --sizes {' '.join(str(r.officers) for r in rows)} "
        f"--seed {seed} --time-limit {time_limit_s:g} --workers {workers}`  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0, help="the optimiser's limit per instance (s)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        row = run(size, seed=args.seed, time_limit_s=args.time_limit, workers=args.workers)
        print(
            f"{size:>5} officers: greedy {row.greedy_value} for {row.greedy_spent} ({row.greedy_rate:.2f}/1000), "
            f"optimiser {row.value} for {row.spent} ({row.rate:.2f}/1000), bound {row.bound}, {row.seconds:.1f} s",
            flush=True,
        )
        rows.append(row)
    text = table(rows, time_limit_s=args.time_limit, workers=args.workers, seed=args.seed)
    print(text)
    if not args.no_write:
        replace_section("training", text)


if __name__ == "__main__":
    main()
