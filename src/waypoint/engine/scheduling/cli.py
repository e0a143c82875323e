"""``waypoint schedule FILE``: schedule a PSPLIB ``.sm``, a Waypoint ``.json`` problem or an MS
Project ``.xml`` file, without any database."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from waypoint.engine.scheduling.cpm import critical_path
from waypoint.engine.scheduling.cpsat.solver import solve
from waypoint.engine.scheduling.model import Granularity, Problem, ProblemError
from waypoint.engine.scheduling.psplib import read_sm
from waypoint.engine.scheduling.result import Objective, SolveResult

# the JSON format (pydantic) and MS Project (XML) modules are imported where they are used:
# each takes longer to import than a small instance takes to solve


def read_problem(path: Path, granularity: Granularity) -> Problem:
    suffix = path.suffix.lower()
    if suffix == ".sm":
        return read_sm(path)
    if suffix == ".json":
        from waypoint.engine.scheduling.jsonformat import load_problem

        return load_problem(path.read_bytes())  # the reader says where bytes are not UTF-8
    if suffix == ".xml":
        from waypoint.engine.scheduling.mspdi import import_mspdi

        return import_mspdi(path.read_bytes(), granularity=granularity)[0]
    raise ProblemError([f"{path.name}: expected a .sm (PSPLIB), .json (Waypoint) or .xml (MS Project) file"])


def _table(result: SolveResult) -> str:
    lines = [
        f"status        {result.status.value}",
        f"objective     {result.objective.value} = {result.objective_value}",
        f"makespan      {result.makespan}",
        f"lower bound   {result.lower_bound}" + (f" ({result.bound_reason})" if result.bound_reason else ""),
        f"warm start    {result.heuristic_value}",
        f"seconds       {result.seconds:.2f}",
    ]
    for conflict in result.conflicts:
        lines.append(f"conflict      {conflict}")
    schedule = result.schedule
    if schedule is not None:
        critical = set(critical_path(schedule.problem).critical)
        lines.append("")
        lines.append(f"{'activity':<14} {'start':>6} {'finish':>6}  name")
        for activity in sorted(schedule.problem.activities, key=lambda a: (schedule.starts[a.id], a.id)):
            mark = "*" if activity.id in critical else " "
            lines.append(
                f"{activity.id:<14} {schedule.starts[activity.id]:>6} {schedule.finish(activity.id):>6} {mark}{activity.name}"
            )
        lines.append("(* on the critical path of the links)")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="waypoint schedule", description="Schedule a roadmap or a PSPLIB instance.")
    parser.add_argument("file", nargs="?", help=".sm (PSPLIB), .json (Waypoint problem) or .xml (MS Project)")
    parser.add_argument("--objective", choices=[o.value for o in Objective], default="makespan")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument("--mspdi", metavar="OUT.xml", help="also write the schedule as MS Project XML")
    parser.add_argument(
        "--granularity", choices=[g.value for g in Granularity], default="month", help="time unit for .xml input"
    )
    parser.add_argument("--schema", action="store_true", help="print the JSON Schema of the problem file and exit")
    args = parser.parse_args(argv)
    if args.schema:
        from waypoint.engine.scheduling.jsonformat import problem_schema

        sys.stdout.write(problem_schema())
        return 0
    if not args.file:
        parser.error("give a problem file")
    try:
        problem = read_problem(Path(args.file), Granularity(args.granularity))
    except (ProblemError, OSError) as error:
        messages = error.messages if isinstance(error, ProblemError) else [str(error)]
        sys.stderr.write("The problem cannot be scheduled:\n" + "\n".join(f"  - {m}" for m in messages) + "\n")
        return 2
    result = solve(problem, objective=args.objective, time_limit_s=args.time_limit, workers=args.workers)
    if args.format == "json":
        from waypoint.engine.scheduling.jsonformat import result_document

        sys.stdout.write(json.dumps(result_document(result), indent=2) + "\n")
    else:
        sys.stdout.write(_table(result) + "\n")
    if args.mspdi and result.schedule is not None:
        from waypoint.engine.scheduling.mspdi import export_mspdi

        Path(args.mspdi).write_bytes(export_mspdi(result.schedule))
    return 0 if result.schedule is not None else 1
