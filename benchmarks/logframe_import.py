"""Benchmark: the demo plan's own logframe export (``documents.logframe``) read back as a new plan
through a column mapping, the way an administration brings the plan it already has.

Three steps are timed apart, in one process with Django set up on the demo database of this
checkout (built by ``waypoint demo``): the logframe export itself; the read through the mapping
with every check of the plan file (the preview a planner sees); and the whole import, the
writes and their audit event included (in a transaction rolled back at the end, so the demo is
left as it was). The mapping is the one the mapping page guesses from the headers, with the
levels read from the depth of the codes. The result is compared with the plan: same elements
(code, level, title, parent) and indicators (code, name, targets).

    uv run python -m benchmarks.logframe_import            # 3 runs, figures into docs/benchmarks.md
    uv run python -m benchmarks.logframe_import --runs 1 --no-write
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import time
from typing import Any

from benchmarks.report import replace_section


class _RolledBack(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.settings")
    import django

    django.setup()
    from django.db import transaction

    from waypoint.documents import services
    from waypoint.documents.logframe import logframe_workbook
    from waypoint.documents.logframes import MappingSpec, PlanSettings, guess_columns, workbook_headers
    from waypoint.indicators.models import Indicator
    from waypoint.plans.models import Plan, PlanElement

    plan = Plan.objects.get(title="Strategic Plan 2012–2016")
    timings: dict[str, list[float]] = {"export": [], "preview": [], "import": []}
    counts: dict[str, int] = {}
    for run in range(args.runs):
        began = time.perf_counter()
        raw = logframe_workbook(plan)
        timings["export"].append(time.perf_counter() - began)
        _names, found = workbook_headers(raw, "", 2)
        assert found is not None
        spec = MappingSpec(
            sheet=found.name,
            header_row=2,
            columns=guess_columns(found.headers),
            level_mode="code",
            code_in_indicator=True,
            tier_template=plan.tier_template,
        )
        settings = PlanSettings(
            administration=plan.administration,
            title=f"Benchmark re-read {run}",
            start_year=plan.start_year,
            end_year=plan.end_year,
            currency=plan.currency,
        )
        began = time.perf_counter()
        services.logframe_preview(raw, actor=None, spec=spec, settings=settings)
        timings["preview"].append(time.perf_counter() - began)
        try:
            with transaction.atomic():
                began = time.perf_counter()
                report = services.logframe_import(raw, actor=None, spec=spec, settings=settings)
                timings["import"].append(time.perf_counter() - began)
                same = _same(plan, report.plan, PlanElement, Indicator)
                counts = {**report.counts, "same": int(same)}
                raise _RolledBack
        except _RolledBack:
            pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()
    machine = (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average {load[0]:.1f} when done"
    )
    for name, values in timings.items():
        print(f"{name:8} median {statistics.median(values):6.2f} s  fastest {min(values):6.2f} s")
    print(f"{counts.get('elements')} elements, {counts.get('indicators')} indicators, {counts.get('targets')} targets")
    print("same elements and indicators as the plan:", bool(counts.get("same")))
    print(machine)
    if not args.no_write:
        lines = [
            f"Machine: {machine}; {args.runs} runs in one process, peak memory {peak:.0f} MB.",
            f"The demo plan: {counts.get('elements')} elements, {counts.get('indicators')} indicators, "
            f"{counts.get('targets')} targets; re-read with the same elements and indicators: "
            f"{'yes' if counts.get('same') else 'NO'}.",
            "",
            "| step | median | fastest |",
            "| --- | ---: | ---: |",
            *(
                f"| {label} | {statistics.median(timings[key]):.2f} s | {min(timings[key]):.2f} s |"
                for key, label in (
                    ("export", "logframe export (XLSX)"),
                    ("preview", "read through the mapping, every check (the preview)"),
                    ("import", "the import: read, checks, writes and audit"),
                )
            ),
        ]
        replace_section("logframe-import", "\n".join(lines))
    return 0


def _same(plan: Any, copy: Any, element_model: Any, indicator_model: Any) -> bool:
    def elements(p: Any) -> list[tuple[Any, ...]]:
        return sorted(
            (e.code, e.kind, e.title, e.parent.code if e.parent else None)
            for e in element_model.objects.filter(plan=p).select_related("parent")
        )

    def indicators(p: Any) -> list[tuple[Any, ...]]:
        return sorted(
            (i.code, i.name, i.element.code, tuple(sorted((t.period, t.value) for t in i.targets.all())))
            for i in indicator_model.objects.filter(plan=p).select_related("element")
        )

    return elements(plan) == elements(copy) and indicators(plan) == indicators(copy)


if __name__ == "__main__":
    raise SystemExit(main())
