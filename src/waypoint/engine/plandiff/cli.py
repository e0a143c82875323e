"""``waypoint plan diff OLD.json NEW.json [--format text|json]``: what changed between two
versions of a plan (two plan files, e.g. two stored versions downloaded from the plan's
*Versions* page).

Exit status, as diff(1): 0 when nothing changed, 1 when something did, 2 when a file cannot be
read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from waypoint.engine.plandiff.compare import compare_plans


def _read(path: str) -> dict[str, Any]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ValueError(f"Cannot read {path}: {error.strerror}") from error
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not JSON: {error.msg} (line {error.lineno}, column {error.colno})") from error
    if not isinstance(document, dict) or not isinstance(document.get("plan"), dict):
        raise ValueError(f"{path} is not a plan file: it has no $.plan.")
    return document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="waypoint plan diff", description=__doc__.split("\n\n")[0])
    parser.add_argument("old", help="the earlier plan file")
    parser.add_argument("new", help="the later plan file")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    options = parser.parse_args(argv)
    try:
        old, new = _read(options.old), _read(options.new)
    except ValueError as error:
        sys.stderr.write(f"{error}\n")
        return 2
    diff = compare_plans(old, new)
    if options.format == "json":
        sys.stdout.write(json.dumps(diff.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(diff.as_text())
    return 0 if diff.is_empty else 1
