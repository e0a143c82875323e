"""Locating PSPLIB instances and their best-known makespans (the data stays outside the repo)."""

from __future__ import annotations

import os
import re
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "psplib"


def psplib_dir() -> Path:
    root = Path(os.environ.get("PSPLIB_DIR", DEFAULT))
    if not (root / "j30").exists():
        raise SystemExit(f"PSPLIB data not found at {root}; set PSPLIB_DIR (see ../shared/data/psplib/README.md)")
    return root


def instance_key(path: Path) -> tuple[int, int]:
    match = re.match(r"j\d0?(\d+)_(\d+)\.sm$", path.name)
    assert match, path
    return int(match.group(1)), int(match.group(2))


def instances(set_name: str) -> list[Path]:
    root = psplib_dir() / set_name
    prefix = len(set_name)
    return sorted(root.glob("*.sm"), key=lambda p: tuple(int(x) for x in p.stem[prefix:].split("_")))


def best_known(set_name: str) -> dict[str, int]:
    """Best-known makespan per instance name (PSPLIB ``*hrs.sm``; for j30 these are optima)."""
    values: dict[str, int] = {}
    text = (psplib_dir() / "solutions" / "psplib" / f"{set_name}hrs.sm").read_text(encoding="latin-1")
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0].isdigit() and parts[1].isdigit():
            values[f"{set_name}{parts[0]}_{parts[1]}"] = int(parts[2])
    return values
