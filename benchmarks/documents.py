"""Benchmark of the documents: the demo's strategic plan as PDF and DOCX (the acceptance target
is under 10 s each), its progress report, and the plan workbook out and back in.

Each measurement runs in its own process (Django set up, the demo database of this checkout
already built by ``waypoint demo``), so that its peak memory is its own. The strategic plan is
measured twice: with every chart drawn (no chart cache, the plan's first document) and with the
charts found drawn (a document made again; ``documents/charts.py`` keeps them on disk). The time is the
rendering alone (the content read from the database, charts drawn, pages laid out), not the
process start. The CPU time of the process is given beside the wall time: the build machine is
shared, and on a loaded machine the wall time measures the queue for a core more than the work
(the load average is printed with the figures).

    uv run python -m benchmarks.documents            # 3 runs each, figures into docs/benchmarks.md
    uv run python -m benchmarks.documents --runs 1 --no-write
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.report import replace_section

CASES = {
    "strategic plan, PDF, charts drawn": "plan-pdf-cold",
    "strategic plan, DOCX, charts drawn": "plan-docx-cold",
    "strategic plan, PDF": "plan-pdf",
    "strategic plan, DOCX": "plan-docx",
    "progress report 2014Q2, PDF": "progress-pdf",
    "progress report 2014Q2, DOCX": "progress-docx",
    "plan workbook export (XLSX)": "workbook-export",
    "plan workbook read and check (XLSX)": "workbook-check",
}

_CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.settings")
import django
django.setup()
from waypoint.plans.models import Plan
from waypoint.documents import content
from waypoint.engine.periods import Period
case = sys.argv[1]
plan = Plan.objects.get(title="Strategic Plan 2012–2016")
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
began, cpu_began = time.perf_counter(), cpu()
pages = None
if case.startswith("plan-") or case.startswith("progress-"):
    from waypoint.documents.pdf import render_pdf
    from waypoint.documents.word import render_docx
    doc = content.strategic_plan(plan) if case.startswith("plan-") else content.progress_report(plan, Period.parse("2014Q2"))
    data = render_pdf(doc) if case.endswith("pdf") else render_docx(doc)
    if case.endswith("pdf"):
        pages = data.count(b"/Type /Page\n") or data.count(b"/Type /Page")
elif case == "workbook-export":
    from waypoint.documents.workbook import plan_workbook
    from waypoint.plans.planfile import plan_export
    data = plan_workbook(plan_export(plan))
else:
    from waypoint.documents.workbook import plan_workbook, read_plan_workbook
    from waypoint.plans.planfile import plan_export, plan_import_preview
    raw = plan_workbook(plan_export(plan))
    began, cpu_began = time.perf_counter(), cpu()
    document = plan_export(plan)
    read = read_plan_workbook(raw)
    read.data["plan"]["title"] = "Benchmark copy"
    plan_import_preview(read.data, actor=None)
    data = raw
seconds = time.perf_counter() - began
print(json.dumps({"seconds": seconds, "cpu": cpu() - cpu_began, "bytes": len(data), "pages": pages,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


#: where the warm cases keep their charts (``WAYPOINT_CHART_CACHE``); the cold cases keep none
CHART_CACHE = Path(__file__).resolve().parents[1] / "var" / "bench" / "charts"


def measure(case: str) -> dict[str, float]:
    """One run in its own process. A case ending in ``-cold`` draws every chart (no chart cache:
    a plan's first document, or one whose data changed); the others find the charts drawn by
    an earlier document of the same plan, as a re-render does."""
    env = os.environ.copy()
    env["WAYPOINT_CHART_CACHE"] = "" if case.endswith("-cold") else str(CHART_CACHE)
    child = case.removesuffix("-cold")
    result = subprocess.run([sys.executable, "-c", _CHILD, child], check=True, capture_output=True, text=True, env=env)
    line = result.stdout.strip().splitlines()[-1]
    values: dict[str, float] = json.loads(line)
    return values


def _pages(row: dict[str, Any]) -> str:
    return f" ({row['pages']} pages)" if row["pages"] else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--cases", help=f"comma-separated, of: {', '.join(CASES.values())} (default: all)")
    args = parser.parse_args(argv)
    rows: list[dict[str, Any]] = []
    chosen = set((args.cases or ",".join(CASES.values())).split(","))
    for label, case in CASES.items():
        if case not in chosen:
            continue
        if not case.endswith("-cold"):
            measure(case)  # fills the chart cache: the runs below find their charts drawn
        runs = [measure(case) for _ in range(args.runs)]
        seconds = [r["seconds"] for r in runs]
        row = {
            "label": label,
            "median": statistics.median(seconds),
            "cpu": statistics.median(r["cpu"] for r in runs),
            "min": min(seconds),
            "peak_mb": max(r["peak_mb"] for r in runs),
            "size_kb": runs[0]["bytes"] / 1024,
            "pages": runs[0].get("pages"),
        }
        rows.append(row)
        print(
            f"{label:40} median {row['median']:6.2f} s  CPU {row['cpu']:6.2f} s  min {row['min']:6.2f} s  peak {row['peak_mb']:5.0f} MB  "
            f"{row['size_kb']:6.0f} KB" + (f"  {row['pages']} pages" if row["pages"] else ""),
            flush=True,
        )
    load = os.getloadavg()
    machine = (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average {load[0]:.1f} when done"
    )
    print(machine)
    if not args.no_write:
        lines = [
            f"Command: `uv run python -m benchmarks.documents --runs {args.runs}` (`make bench-documents`)  ",
            f"Machine: {machine}, Python {platform.python_version()}; {args.runs} runs each, each in its own process  ",
            f"Date: {dt.date.today().isoformat()}",
            "",
            "",
            "| document | median (wall) | fastest (wall) | CPU time (median) | peak memory | size |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
            *(
                f"| {r['label']}{_pages(r)} | {r['median']:.1f} s | {r['min']:.1f} s | {r['cpu']:.1f} s "
                f"| {r['peak_mb']:.0f} MB | {r['size_kb']:.0f} KB |"
                for r in rows
            ),
        ]
        replace_section("documents", "\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
