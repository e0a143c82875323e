"""The ``waypoint`` command.

Engine commands (no database) are dispatched here directly; everything else is a Django
management command (``waypoint migrate``, ``waypoint demo``, ``waypoint plan list`` …).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

#: sub-commands served by pure engines, loaded lazily so ``waypoint --help`` stays fast
ENGINE_COMMANDS: dict[str, str] = {
    "schedule": "waypoint.engine.scheduling.cli:main",
    "trs": "waypoint.engine.trs.cli:main",
}


#: what ``waypoint --help`` adds to Django's list: the commands above, which Django does not know
FILE_COMMANDS = """
[files, no database]
    check PLAN.json   the plan quality checks on a plan file (`waypoint check PLAN.json --help`;
                      `waypoint check` without a file is Django's system check)
    plan diff A B     what changed between two plan files
    schedule          schedule a roadmap or a PSPLIB instance
    trs               Time Release Study reports on declaration files (DuckDB or Spark)
"""

HELP: tuple[list[str], ...] = (["help"], ["--help"], ["-h"], [])


def _is_plan_check(args: list[str]) -> bool:
    """``waypoint check plan.json`` (or ``--rules``) is the plan quality check; ``waypoint
    check`` without a file stays Django's system check (``waypoint check --deploy``)."""
    rest = args[1:]
    return "--rules" in rest or any(a.endswith(".json") or os.path.isfile(a) for a in rest if not a.startswith("-"))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "check" and _is_plan_check(args):
        from waypoint.engine.quality.cli import main as check_plan_file

        return check_plan_file(args[1:])
    if args[:2] == ["plan", "diff"]:
        # two files compared by a pure engine: no settings, no database
        from waypoint.engine.plandiff.cli import main as plan_diff

        return plan_diff(args[2:])
    if len(args) == 2 and args[0] == "help" and args[1] in ENGINE_COMMANDS:
        args = [args[1], "--help"]  # `waypoint help schedule`, as Django's list invites
    if args and args[0] in ENGINE_COMMANDS:
        module_name, _, function_name = ENGINE_COMMANDS[args[0]].partition(":")
        module = __import__(module_name, fromlist=[function_name])
        command: Callable[[list[str]], int] = getattr(module, function_name)
        return command(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.settings")
    from django.core.management import execute_from_command_line

    if args == ["check", "--help"] or args == ["check", "-h"]:
        print("waypoint check PLAN.json: the plan quality checks (waypoint check PLAN.json --help).\n")
    execute_from_command_line(["waypoint", *args])
    if args in HELP:
        print(FILE_COMMANDS)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
