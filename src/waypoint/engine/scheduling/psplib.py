"""Reader for PSPLIB single-mode RCPSP files (``.sm``).

PSPLIB: R. Kolisch and A. Sprecher, "PSPLIB - A project scheduling problem library",
European Journal of Operational Research 96(1):205-216, 1997. The files themselves are not
part of Waypoint.
"""

from __future__ import annotations

from pathlib import Path

from waypoint.engine.scheduling.model import Activity, Granularity, Link, Problem, ProblemError, Resource

__all__ = ["parse_sm", "read_sm"]


def _section(lines: list[str], title: str) -> int:
    for index, line in enumerate(lines):
        if line.strip().upper().startswith(title):
            return index
    raise ProblemError([f"the file has no '{title}' section"])


def _rows(lines: list[str], start: int) -> list[list[str]]:
    """Rows of numbers after a section title, up to the next line of stars."""
    rows: list[list[str]] = []
    for line in lines[start + 1 :]:
        if line.startswith("*"):
            break
        parts = line.split()
        if parts and parts[0].isdigit():
            rows.append(parts)
    return rows


def parse_sm(text: str, *, name: str = "") -> Problem:
    """Build a :class:`Problem` from the text of a ``.sm`` file.

    Jobs become activities ``1`` … ``n+2`` (the dummy source and sink included, with zero
    duration), successors become finish-to-start links, renewable resources ``R1`` … ``R4``.

    Raises:
        ProblemError: a section is missing or a row cannot be read (the message says which).
    """
    lines = text.splitlines()
    try:
        precedence = _rows(lines, _section(lines, "PRECEDENCE RELATIONS"))
        requests = _rows(lines, _section(lines, "REQUESTS/DURATIONS"))
        availability_at = _section(lines, "RESOURCEAVAILABILITIES")
        capacities = [int(value) for value in lines[availability_at + 2].split()]
        links: list[Link] = []
        for row in precedence:
            job, count = row[0], int(row[2])
            links.extend(Link(before=job, after=successor) for successor in row[3 : 3 + count])
        resources = tuple(Resource(id=f"R{k + 1}", capacity=c, name=f"R{k + 1}") for k, c in enumerate(capacities))
        activities = []
        for row in requests:
            demands = {f"R{k + 1}": int(value) for k, value in enumerate(row[3:]) if int(value)}
            activities.append(Activity(id=row[0], duration=int(row[2]), demands=demands, name=f"job {row[0]}"))
    except (IndexError, ValueError) as error:
        raise ProblemError([f"cannot read the PSPLIB file {name or ''}: {error}".replace("  ", " ")]) from error
    return Problem(
        activities=tuple(activities), links=tuple(links), resources=resources, granularity=Granularity.DAY, name=name
    )


def read_sm(path: str | Path) -> Problem:
    file = Path(path)
    return parse_sm(file.read_text(encoding="latin-1"), name=file.stem)
