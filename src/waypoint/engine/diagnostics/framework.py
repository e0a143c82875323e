"""A reference framework as data, read from YAML or JSON with every problem located.

A framework is areas → topics → criteria; each criterion describes what each level of the
framework's scale looks like. Scales are ordered from the weakest level to the strongest;
two ship (``maturity-0-4`` and ``a-d``), and a framework may define its own inline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from waypoint.engine.located import DocumentError, LocatedReader

FORMAT = "waypoint-framework"
FORMAT_VERSION = 1
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")

#: Limits on a framework file, checked before anything is built from it. The shipped framework
#: is 12 KB, about 1,000 values and 8 levels deep; these leave room for much larger ones while a
#: hostile file (a YAML alias bomb, a deep nesting) is refused before it costs time or memory.
MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 32
#: a file with thousands of faults is told about its first ones, not all of them
MAX_PROBLEMS = 100


@dataclass(frozen=True)
class Level:
    value: str
    label: str


@dataclass(frozen=True)
class Scale:
    code: str
    name: str
    levels: tuple[Level, ...]

    def position(self, value: str) -> int:
        """0 for the weakest level. Raises ValueError for a value the scale does not have."""
        for index, level in enumerate(self.levels):
            if level.value == value:
                return index
        raise ValueError(f"'{value}' is not a level of {self.name} ({', '.join(lv.value for lv in self.levels)})")

    @property
    def top(self) -> int:
        return len(self.levels) - 1


def _(text: str) -> str:
    """Marks a shipped text for the catalogues (the engine has no Django); the application
    shows it in the reader's language with ``gettext``."""
    return text


SCALES: dict[str, Scale] = {
    "maturity-0-4": Scale(
        "maturity-0-4",
        _("Maturity 0–4"),
        (
            Level("0", _("Absent")),
            Level("1", _("Initial")),
            Level("2", _("Developing")),
            Level("3", _("Established")),
            Level("4", _("Advanced")),
        ),
    ),
    "a-d": Scale(
        "a-d",
        "A–D",
        (
            Level("D", _("Not in place")),
            Level("C", _("Partly in place")),
            Level("B", _("Largely in place")),
            Level("A", _("Fully in place")),
        ),
    ),
}


@dataclass(frozen=True)
class Criterion:
    code: str
    text: str
    descriptors: tuple[tuple[str, str], ...]  # (level value, what that level looks like), weakest first
    guidance: str = ""


@dataclass(frozen=True)
class Topic:
    code: str
    name: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    topics: tuple[Topic, ...]

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for t in self.topics for c in t.criteria)


@dataclass(frozen=True)
class Framework:
    code: str
    name: str
    version: str
    description: str
    scale: Scale
    areas: tuple[Area, ...]

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for a in self.areas for c in a.criteria)


def parse_text(text: str | bytes, *, filename: str = "") -> Any:
    """The parsed document. YAML is a superset of JSON, but JSON files get JSON's error messages.

    YAML anchors and aliases are refused (a framework never needs them, and a few aliases
    nested in each other expand a kilobyte into gigabytes); so are files larger than
    ``MAX_BYTES``, with more than ``MAX_NODES`` values or nested deeper than ``MAX_DEPTH``.

    Raises:
        DocumentError: the text is neither, or breaks a limit (with line and column).
    """
    size = len(text)
    if size > MAX_BYTES:
        raise DocumentError(
            [("$", f"the file has {size:,} bytes; a framework file has at most {MAX_BYTES // (1024 * 1024)} MB")]
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise DocumentError([("$", f"the file is not UTF-8 text (byte {error.start})")]) from error
    if filename.lower().endswith(".json") or text.lstrip().startswith("{"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as error:
            raise DocumentError(
                [("$", f"not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}")]
            ) from error
        except RecursionError as error:
            raise DocumentError([("$", f"the file is nested deeper than {MAX_DEPTH} levels")]) from error
        _check_shape(doc)
        return doc
    try:
        _check_yaml_events(text)
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise DocumentError([("$", f"not valid YAML: {where}{problem}")]) from error


def _at(event: yaml.Event) -> str:
    mark = event.start_mark
    return f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""


def _check_yaml_events(text: str) -> None:
    """Walk the YAML event stream (nothing is built yet) and refuse what breaks a limit.

    Raises:
        DocumentError: an anchor or alias, too many values, too deep a nesting.
        yaml.YAMLError: the text is not YAML.
    """
    depth = nodes = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise DocumentError(
                [("$", f"{_at(event)}YAML anchors and aliases (&name, *name) are not accepted in a framework file")]
            )
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > MAX_NODES:
                raise DocumentError([("$", f"{_at(event)}the file has more than {MAX_NODES:,} values")])
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise DocumentError([("$", f"{_at(event)}the file is nested deeper than {MAX_DEPTH} levels")])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_shape(doc: Any) -> None:
    """The same limits for a parsed JSON document (JSON has no aliases), without recursion.

    Raises:
        DocumentError: too many values, too deep a nesting.
    """
    stack: list[tuple[Any, int]] = [(doc, 0)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise DocumentError([("$", f"the file has more than {MAX_NODES:,} values")])
        children: Any = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        if children and depth + 1 > MAX_DEPTH:
            raise DocumentError([("$", f"the file is nested deeper than {MAX_DEPTH} levels")])
        stack.extend((child, depth + 1) for child in children)


def capped_problems(problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The first ``MAX_PROBLEMS`` problems, and a last line saying how many more there were."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], ("$", f"… and {more:,} more problems not listed: fix these first")]


def read_code(r: LocatedReader, item: Mapping[str, Any], path: str, seen: set[str]) -> str | None:
    """An entry's ``code``: text of 1–40 safe characters, not used before in ``seen`` (which it
    joins). Shared by the frameworks read as data (diagnostic and competency)."""
    value = item.get("code")
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)  # YAML reads 1.2 as a number; codes are text
    if value is None:
        r.fail(f"{path}.code", "is required")
        return None
    if not isinstance(value, str) or not _CODE.match(value):
        r.fail(f"{path}.code", "must be 1–40 letters, digits, dots, dashes or underscores")
        return None
    if value in seen:
        r.fail(f"{path}.code", f"the code {value} is used twice")
        return None
    seen.add(value)
    return value


def read_name(r: LocatedReader, item: Mapping[str, Any], key: str, path: str) -> str:
    """A required, non-empty text under ``key``, stripped."""
    value = r.text(item, key, path, required=True)
    if value is not None and not value.strip():
        r.fail(f"{path}.{key}", "must not be empty")
    return (value or "").strip()


def _scale(r: LocatedReader, doc: Mapping[str, Any]) -> Scale | None:
    raw = doc.get("scale")
    if isinstance(raw, str):
        if raw not in SCALES:
            r.fail("$.scale", f"unknown scale '{raw}': use {' or '.join(SCALES)}, or define the levels")
            return None
        return SCALES[raw]
    if not isinstance(raw, Mapping):
        r.fail("$.scale", "is required: the name of a shipped scale, or {code, name, levels}")
        return None
    levels: list[Level] = []
    for path, item in r.items(raw, "levels", "$.scale"):
        value = item.get("value")
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            r.fail(f"{path}.value", "is required (text or a whole number)")
            continue
        if any(level.value == value for level in levels):
            r.fail(f"{path}.value", f"the level {value} is listed twice")
            continue
        levels.append(Level(value, read_name(r, item, "label", path)))
    if len(levels) < 2:
        r.fail("$.scale.levels", "a scale needs at least two levels, weakest first")
    return Scale(str(raw.get("code") or "custom"), str(raw.get("name") or "Custom scale"), tuple(levels))


def framework_from_document(doc: Any) -> Framework:
    """The framework in a parsed document.

    Raises:
        DocumentError: every problem found, each with its JSON path.
    """
    if not isinstance(doc, Mapping):
        raise DocumentError([("$", "a framework file holds one object (format, code, name, scale, areas)")])
    r = LocatedReader()
    if doc.get("format") != FORMAT:
        r.fail("$.format", f"must be '{FORMAT}'")
    if doc.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
        r.fail("$.format_version", f"this Waypoint reads version {FORMAT_VERSION}")
    codes: set[str] = set()
    framework_code = read_code(r, doc, "$", set())
    name = read_name(r, doc, "name", "$")
    version = doc.get("version", "")
    scale = _scale(r, doc)
    areas = []
    for area_path, area in r.items(doc, "areas", "$"):
        area_code = read_code(r, area, area_path, codes)
        topics = []
        for topic_path, topic in r.items(area, "topics", area_path):
            topic_code = read_code(r, topic, topic_path, codes)
            criteria = []
            for path, item in r.items(topic, "criteria", topic_path):
                code = read_code(r, item, path, codes)
                text = read_name(r, item, "text", path)
                descriptors = _descriptors(r, item, path, scale)
                if code is not None:
                    criteria.append(Criterion(code, text, descriptors, str(item.get("guidance") or "")))
            if not criteria:
                r.fail(f"{topic_path}.criteria", "a topic needs at least one criterion")
            if topic_code is not None:
                topics.append(Topic(topic_code, read_name(r, topic, "name", topic_path), tuple(criteria)))
        if not topics:
            r.fail(f"{area_path}.topics", "an area needs at least one topic")
        if area_code is not None:
            areas.append(Area(area_code, read_name(r, area, "name", area_path), tuple(topics)))
    if not areas and "areas" in doc:
        r.fail("$.areas", "a framework needs at least one area")
    elif "areas" not in doc:
        r.fail("$.areas", "is required")
    if r.problems:
        raise DocumentError(capped_problems(r.problems))
    assert framework_code is not None  # a missing code was a problem above
    assert scale is not None
    return Framework(framework_code, name, str(version), str(doc.get("description") or ""), scale, tuple(areas))


def _descriptors(
    r: LocatedReader, item: Mapping[str, Any], path: str, scale: Scale | None
) -> tuple[tuple[str, str], ...]:
    raw = item.get("descriptors")
    if not isinstance(raw, Mapping):
        r.fail(f"{path}.descriptors", "is required: what each level of the scale looks like")
        return ()
    given = {str(key): value for key, value in raw.items()}
    if scale is None:
        return ()
    for key in given:
        if key not in {level.value for level in scale.levels}:
            r.fail(f"{path}.descriptors.{key}", f"'{key}' is not a level of the scale {scale.name}")
    rows = []
    for level in scale.levels:
        text = given.get(level.value)
        if not isinstance(text, str) or not text.strip():
            r.fail(f"{path}.descriptors.{level.value}", f"describe level {level.value} ({level.label})")
            continue
        rows.append((level.value, text.strip()))
    return tuple(rows)


def framework_document(framework: Framework) -> dict[str, Any]:
    """The document that reads back into the same framework (for export)."""
    shipped = SCALES.get(framework.scale.code)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "code": framework.code,
        "name": framework.name,
        "version": framework.version,
        "description": framework.description,
        "scale": framework.scale.code
        if shipped == framework.scale
        else {
            "code": framework.scale.code,
            "name": framework.scale.name,
            "levels": [{"value": lv.value, "label": lv.label} for lv in framework.scale.levels],
        },
        "areas": [
            {
                "code": area.code,
                "name": area.name,
                "topics": [
                    {
                        "code": topic.code,
                        "name": topic.name,
                        "criteria": [
                            {
                                "code": c.code,
                                "text": c.text,
                                **({"guidance": c.guidance} if c.guidance else {}),
                                "descriptors": dict(c.descriptors),
                            }
                            for c in topic.criteria
                        ],
                    }
                    for topic in area.topics
                ],
            }
            for area in framework.areas
        ],
    }


def framework_yaml(framework: Framework) -> str:
    return yaml.safe_dump(framework_document(framework), sort_keys=False, allow_unicode=True, width=100)
