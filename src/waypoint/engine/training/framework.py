"""A competency framework as data, read from YAML or JSON with every problem located.

A framework is clusters → competencies. Each competency is of a kind (knowledge, skill,
attitude or behaviour), is rated on one of the framework's proficiency scales, and says what
each level of that scale looks like. Education levels (weakest first) and fields of study are
lists of their own, which role profiles require and officers' records name.

The file is read by the diagnostic frameworks' reader (``parse_text``): the same limits on
size, values and depth, and YAML anchors and aliases refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import yaml

from waypoint.engine.diagnostics.framework import capped_problems, parse_text, read_code, read_name
from waypoint.engine.located import DocumentError, LocatedReader

__all__ = [
    "FORMAT",
    "Cluster",
    "Competency",
    "CompetencyFramework",
    "EducationLevel",
    "Kind",
    "Scale",
    "ScaleLevel",
    "framework_document",
    "framework_from_document",
    "framework_yaml",
    "parse_text",
    "read_framework",
]

FORMAT = "waypoint-competencies"
FORMAT_VERSION = 1
#: proficiency levels are small whole numbers: a gap is counted in levels
MAX_LEVEL = 10


class Kind(StrEnum):
    KNOWLEDGE = "knowledge"
    SKILL = "skill"
    ATTITUDE = "attitude"
    BEHAVIOUR = "behaviour"


@dataclass(frozen=True)
class ScaleLevel:
    value: int
    label: str


@dataclass(frozen=True)
class Scale:
    code: str
    name: str
    levels: tuple[ScaleLevel, ...]  # weakest first

    @property
    def lowest(self) -> int:
        return self.levels[0].value

    @property
    def highest(self) -> int:
        return self.levels[-1].value

    def label(self, value: int) -> str:
        return next((level.label for level in self.levels if level.value == value), str(value))

    def has(self, value: int) -> bool:
        return any(level.value == value for level in self.levels)


@dataclass(frozen=True)
class Competency:
    code: str
    name: str
    kind: Kind
    scale: Scale
    descriptors: tuple[tuple[int, str], ...]  # (level, what it looks like), weakest first
    description: str = ""


@dataclass(frozen=True)
class Cluster:
    code: str
    name: str
    competencies: tuple[Competency, ...]


@dataclass(frozen=True)
class EducationLevel:
    code: str
    name: str


@dataclass(frozen=True)
class CompetencyFramework:
    code: str
    name: str
    version: str
    description: str
    scales: tuple[Scale, ...]
    clusters: tuple[Cluster, ...]
    education_levels: tuple[EducationLevel, ...]  # weakest first
    education_fields: tuple[EducationLevel, ...]

    @property
    def competencies(self) -> tuple[Competency, ...]:
        return tuple(c for cluster in self.clusters for c in cluster.competencies)

    def competency(self, code: str) -> Competency | None:
        return next((c for c in self.competencies if c.code == code), None)

    def education_rank(self, code: str) -> int | None:
        """0 for the lowest education level; None for a code the framework does not list."""
        return next((i for i, level in enumerate(self.education_levels) if level.code == code), None)

    def has_field(self, code: str) -> bool:
        return any(field.code == code for field in self.education_fields)


def _scales(r: LocatedReader, doc: Mapping[str, Any]) -> dict[str, Scale]:
    scales: dict[str, Scale] = {}
    codes: set[str] = set()
    for path, item in r.items(doc, "scales", "$"):
        code = read_code(r, item, path, codes)
        name = read_name(r, item, "name", path)
        levels: list[ScaleLevel] = []
        for level_path, level in r.items(item, "levels", path):
            value = level.get("value")
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_LEVEL:
                r.fail(f"{level_path}.value", f"must be a whole number from 0 to {MAX_LEVEL}")
                continue
            if levels and value <= levels[-1].value:
                r.fail(f"{level_path}.value", "levels go from the weakest up: each value above the one before")
                continue
            levels.append(ScaleLevel(value, read_name(r, level, "label", level_path)))
        if len(levels) < 2:
            r.fail(f"{path}.levels", "a scale needs at least two levels, weakest first")
        elif code is not None:
            scales[code] = Scale(code, name, tuple(levels))
    if "scales" not in doc:
        r.fail("$.scales", "is required: at least one proficiency scale")
    return scales


def _education(r: LocatedReader, doc: Mapping[str, Any], key: str) -> tuple[EducationLevel, ...]:
    raw = doc.get("education")
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        r.fail("$.education", "must be an object with levels and fields")
        return ()
    codes: set[str] = set()
    rows = []
    for path, item in r.items(raw, key, "$.education"):
        code = read_code(r, item, path, codes)
        name = read_name(r, item, "name", path)
        if code is not None:
            rows.append(EducationLevel(code, name))
    return tuple(rows)


def _descriptors(r: LocatedReader, item: Mapping[str, Any], path: str, scale: Scale) -> tuple[tuple[int, str], ...]:
    raw = item.get("descriptors")
    if not isinstance(raw, Mapping):
        r.fail(f"{path}.descriptors", "is required: what each level of the scale looks like")
        return ()
    given: dict[int, Any] = {}
    for key, text in raw.items():
        try:
            number = int(str(key))
        except ValueError:
            number = None
        if number is None or not scale.has(number):
            r.fail(f"{path}.descriptors.{key}", f"'{key}' is not a level of the scale {scale.code}")
            continue
        given[number] = text
    rows = []
    for level in scale.levels:
        described = given.get(level.value)
        if not isinstance(described, str) or not described.strip():
            r.fail(f"{path}.descriptors.{level.value}", f"describe level {level.value} ({level.label})")
            continue
        rows.append((level.value, described.strip()))
    return tuple(rows)


def framework_from_document(doc: Any) -> CompetencyFramework:
    """The framework in a parsed document.

    Raises:
        DocumentError: every problem found (the first ``MAX_PROBLEMS``), each with its JSON path.
    """
    if not isinstance(doc, Mapping):
        raise DocumentError(
            [("$", "a competency framework file holds one object (format, code, name, scales, clusters)")]
        )
    r = LocatedReader()
    if doc.get("format") != FORMAT:
        r.fail("$.format", f"must be '{FORMAT}'")
    if doc.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
        r.fail("$.format_version", f"this Waypoint reads version {FORMAT_VERSION}")
    framework_code = read_code(r, doc, "$", set())
    name = read_name(r, doc, "name", "$")
    scales = _scales(r, doc)
    levels = _education(r, doc, "levels")
    fields = _education(r, doc, "fields")
    codes: set[str] = set()
    clusters = []
    for cluster_path, cluster in r.items(doc, "clusters", "$"):
        cluster_code = read_code(r, cluster, cluster_path, codes)
        competencies = []
        for path, item in r.items(cluster, "competencies", cluster_path):
            code = read_code(r, item, path, codes)
            competency_name = read_name(r, item, "name", path)
            kind_text = item.get("kind")
            kind = None
            try:
                kind = Kind(str(kind_text))
            except ValueError:
                r.fail(f"{path}.kind", f"must be one of {', '.join(k.value for k in Kind)}")
            scale_code = item.get("scale")
            scale = scales.get(str(scale_code)) if scale_code is not None else None
            if scale is None:
                known = ", ".join(scales) or "none defined"
                r.fail(f"{path}.scale", f"name one of the framework's scales ({known})")
                continue
            descriptors = _descriptors(r, item, path, scale)
            if code is not None and kind is not None:
                competencies.append(
                    Competency(
                        code, competency_name, kind, scale, descriptors, str(item.get("description") or "").strip()
                    )
                )
        if not competencies and not r.problems:
            r.fail(f"{cluster_path}.competencies", "a cluster needs at least one competency")
        if cluster_code is not None:
            clusters.append(Cluster(cluster_code, read_name(r, cluster, "name", cluster_path), tuple(competencies)))
    if "clusters" not in doc:
        r.fail("$.clusters", "is required")
    elif not clusters and not r.problems:
        r.fail("$.clusters", "a framework needs at least one cluster")
    if r.problems:
        raise DocumentError(capped_problems(r.problems))
    assert framework_code is not None  # a missing code was a problem above
    return CompetencyFramework(
        framework_code,
        name,
        str(doc.get("version") or ""),
        str(doc.get("description") or "").strip(),
        tuple(scales.values()),
        tuple(clusters),
        levels,
        fields,
    )


def read_framework(text: str | bytes, *, filename: str = "") -> CompetencyFramework:
    """Parse and read a framework file.

    Raises:
        DocumentError: the file cannot be parsed, breaks a limit, or holds problems (located).
    """
    return framework_from_document(parse_text(text, filename=filename))


def framework_document(framework: CompetencyFramework) -> dict[str, Any]:
    """The document that reads back into the same framework (for export and storage)."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "code": framework.code,
        "name": framework.name,
        "version": framework.version,
        "description": framework.description,
        "scales": [
            {
                "code": scale.code,
                "name": scale.name,
                "levels": [{"value": level.value, "label": level.label} for level in scale.levels],
            }
            for scale in framework.scales
        ],
    }
    if framework.education_levels or framework.education_fields:
        document["education"] = {
            "levels": [{"code": e.code, "name": e.name} for e in framework.education_levels],
            "fields": [{"code": e.code, "name": e.name} for e in framework.education_fields],
        }
    document["clusters"] = [
        {
            "code": cluster.code,
            "name": cluster.name,
            "competencies": [
                {
                    "code": c.code,
                    "name": c.name,
                    "kind": c.kind.value,
                    "scale": c.scale.code,
                    **({"description": c.description} if c.description else {}),
                    "descriptors": {str(level): text for level, text in c.descriptors},
                }
                for c in cluster.competencies
            ],
        }
        for cluster in framework.clusters
    ]
    return document


def framework_yaml(framework: CompetencyFramework) -> str:
    return yaml.safe_dump(framework_document(framework), sort_keys=False, allow_unicode=True, width=100)
