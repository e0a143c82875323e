"""The rules of workshop records, as pure functions over plain values that return located
problems (the form shows them on its fields, the API under their JSON path)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from waypoint.core.errors import Problem
from waypoint.engine.workshops.pairwise import MAX_OPTIONS
from waypoint.plans.models import PARENT_KIND

NOTE_LENGTH = 280
GUEST_NAME_LENGTH = 80
MAX_DOTS = 50
MAX_COLUMNS = 8
MAX_SCALE = 10
KINDS = ("board", "dot_vote", "scoring", "pairwise")
#: the kind of proposal that goes under each kind of element or proposal (a result of the room
#: written into a planning round takes its kind from where it is placed)
CHILD_KIND = {parent: kind for kind, parent in PARENT_KIND.items() if parent is not None}


def workshop_problems(*, title: str, starts_on: dt.date | None, ends_on: dt.date | None) -> list[Problem]:
    problems = []
    if not title.strip():
        problems.append(Problem("title", _("Give the workshop a title.")))
    if starts_on and ends_on and ends_on < starts_on:
        problems.append(Problem("ends_on", _("The last day cannot be before the first.")))
    return problems


def guest_name_problems(name: str) -> list[Problem]:
    if not name:
        return [Problem("name", _("Type your name, so that the room knows who wrote what."))]
    if len(name) > GUEST_NAME_LENGTH:
        return [Problem("name", _("At most %(n)d characters.") % {"n": GUEST_NAME_LENGTH})]
    return []


def option_count_problems(kind: str, count: int) -> list[Problem]:
    if kind in ("dot_vote", "scoring", "pairwise") and count < 2:
        return [Problem("options", _("Give at least two options."))]
    if kind == "pairwise" and count > MAX_OPTIONS:
        return [Problem("options", _("A comparison takes at most %(n)d options.") % {"n": MAX_OPTIONS})]
    return []


def exercise_problems(
    *,
    kind: str,
    title: str,
    columns: Sequence[Mapping[str, str]],
    options: Sequence[str] | None,
    criteria: Sequence[Mapping[str, Any]] | None,
    dots_per_person: int,
    scale_low: int,
    scale_high: int,
) -> list[Problem]:
    problems = []
    if kind not in KINDS:
        problems.append(Problem("kind", _("Choose a kind of exercise.")))
    if not title.strip():
        problems.append(Problem("title", _("Give the exercise a title.")))
    if kind == "board":
        keys = [str(c.get("key", "")) for c in columns]
        if not keys:
            problems.append(Problem("columns", _("A board needs at least one column.")))
        elif len(keys) > MAX_COLUMNS:
            problems.append(Problem("columns", _("At most %(n)d columns.") % {"n": MAX_COLUMNS}))
        elif len(set(keys)) != len(keys) or not all(keys):
            problems.append(Problem("columns", _("Each column needs its own name.")))
    if options is not None:
        problems += option_count_problems(kind, len(options))
        if len(set(options)) != len(options):
            problems.append(Problem("options", _("Each option once.")))
    if kind == "dot_vote" and not 1 <= dots_per_person <= MAX_DOTS:
        problems.append(Problem("dots_per_person", _("From 1 to %(n)d dots.") % {"n": MAX_DOTS}))
    if kind == "scoring":
        if not 0 <= scale_low < scale_high <= MAX_SCALE:
            problems.append(Problem("scale_high", _("The scale runs upwards, within 0 to %(n)d.") % {"n": MAX_SCALE}))
        if criteria is not None:
            if not criteria:
                problems.append(Problem("criteria", _("Give at least one criterion.")))
            for item in criteria:
                if not str(item.get("name", "")).strip():
                    problems.append(Problem("criteria", _("Each criterion needs a name.")))
                    break
                weight = item.get("weight", 1)
                if not isinstance(weight, int) or not 1 <= weight <= 100:
                    problems.append(Problem("criteria", _("Weights are whole numbers from 1 to 100.")))
                    break
                if item.get("direction", "higher") not in ("higher", "lower") or item.get("axis", "") not in (
                    "",
                    "impact",
                    "effort",
                ):
                    problems.append(Problem("criteria", _("Unknown direction or axis.")))
                    break
    return problems


def note_problems(*, column: str, text: str, columns: Sequence[str]) -> list[Problem]:
    problems = []
    if column not in columns:
        problems.append(Problem("column", _("Choose a column of the board.")))
    cleaned = " ".join(text.split())
    if not cleaned:
        problems.append(Problem("text", _("Write something on the note.")))
    elif len(cleaned) > NOTE_LENGTH:
        problems.append(Problem("text", _("At most %(n)d characters on a note.") % {"n": NOTE_LENGTH}))
    return problems


def cluster_problems(*, name: str, column: str, columns: Sequence[str]) -> list[Problem]:
    problems = []
    if not name.strip():
        problems.append(Problem("name", _("Give the cluster a name.")))
    elif len(name.strip()) > 200:
        problems.append(Problem("name", _("At most %(n)d characters.") % {"n": 200}))
    if column not in columns:
        problems.append(Problem("column", _("Choose a column of the board.")))
    return problems
