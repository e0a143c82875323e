"""One study's phases on a given file, in this checkout: for comparing two versions of the code
on the same data in the same hour, run alternately from each checkout (docs/benchmarks.md).

Usage: ``PYTHONPATH=. python -m benchmarks.trs_profile FILE [--repeats N]``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchmarks.trs import BY, MEMORY_LIMIT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    from waypoint.engine.trs.runner import Study

    for _ in range(args.repeats):
        began = time.perf_counter()
        study = Study(args.file, threads=args.threads, memory_limit=MEMORY_LIMIT)
        opened = time.perf_counter()
        study.quarantine()
        counted = time.perf_counter()
        rows = len(study.statistics(BY))
        done = time.perf_counter()
        print(
            f"open {opened - began:.1f} s, quarantine {counted - opened:.1f} s, "
            f"statistics {done - counted:.1f} s, total {done - began:.1f} s ({rows} rows)",
            flush=True,
        )


if __name__ == "__main__":
    main()
