"""Competency frameworks as data: the shipped one reads and round-trips; a broken file is
refused with every problem located; the diagnostic frameworks' limits apply."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from waypoint.engine.located import DocumentError
from waypoint.engine.training.framework import (
    Kind,
    framework_document,
    framework_from_document,
    framework_yaml,
    read_framework,
)

SHIPPED = Path(__file__).resolve().parents[3] / "src/waypoint/people/frameworks/customs-competencies.yaml"

TINY = {
    "format": "waypoint-competencies",
    "code": "tiny",
    "name": "Tiny",
    "version": "1",
    "scales": [{"code": "s", "name": "Scale", "levels": [{"value": 1, "label": "Low"}, {"value": 2, "label": "High"}]}],
    "education": {
        "levels": [{"code": "bsc", "name": "Bachelor"}, {"code": "msc", "name": "Master"}],
        "fields": [{"code": "law", "name": "Law"}],
    },
    "clusters": [
        {
            "code": "C",
            "name": "Cluster",
            "competencies": [
                {"code": "C.1", "name": "One", "kind": "skill", "scale": "s", "descriptors": {"1": "a", "2": "b"}},
            ],
        }
    ],
}


def problems_of(doc: object) -> dict[str, str]:
    with pytest.raises(DocumentError) as raised:
        framework_from_document(doc)
    return dict(raised.value.problems)


def test_the_shipped_framework_follows_the_picard_structure_and_round_trips() -> None:
    framework = read_framework(SHIPPED.read_text(encoding="utf-8"), filename=SHIPPED.name)
    assert [c.name for c in framework.clusters] == [
        "Strategic and managerial",
        "Operational",
        "Technical customs",
        "Professional values",
    ]
    codes = {c.code for c in framework.competencies}
    assert {"TEC.CLASS", "TEC.VAL", "TEC.ORIG", "TEC.RISK", "TEC.AUDIT", "TEC.ENF", "OPS.FAC", "VAL.INTEG"} <= codes
    assert {c.kind for c in framework.competencies} == set(Kind)
    assert all(len(c.descriptors) == 4 for c in framework.competencies)
    assert framework.education_rank("bachelor") == 2 and framework.education_rank("none") is None
    assert framework.has_field("law") and not framework.has_field("astrology")
    assert framework.competency("TEC.RISK") is not None and framework.competency("X") is None
    again = read_framework(framework_yaml(framework))
    assert again == framework
    assert read_framework(json.dumps(framework_document(framework)), filename="f.json") == framework


def test_a_scale_gives_labels_and_bounds() -> None:
    framework = framework_from_document(TINY)
    scale = framework.scales[0]
    assert (scale.lowest, scale.highest, scale.label(2), scale.label(9)) == (1, 2, "High", "9")


def test_every_problem_is_located() -> None:
    broken = json.loads(json.dumps(TINY))
    broken["format"] = "other"
    broken["format_version"] = 9
    broken["scales"].append(
        {"code": "bad", "name": "Bad", "levels": [{"value": 3, "label": "x"}, {"value": 2, "label": "y"}]}
    )
    broken["scales"].append({"code": "s", "name": "Again", "levels": [{"value": True, "label": "x"}]})
    competencies = broken["clusters"][0]["competencies"]
    competencies.append(
        {"code": "C.1", "name": "Twice", "kind": "skill", "scale": "s", "descriptors": {"1": "a", "2": "b"}}
    )
    competencies.append({"code": "C 2", "name": " ", "kind": "mood", "scale": "nope", "descriptors": {}})
    competencies.append(
        {
            "code": "C.3",
            "name": "Three",
            "kind": "knowledge",
            "scale": "s",
            "descriptors": {"1": "a", "x": "?", "7": "?"},
        }
    )
    competencies.append({"code": "C.4", "name": "Four", "kind": "knowledge", "scale": "s", "descriptors": "none"})
    broken["education"]["levels"].append({"name": "No code"})
    problems = problems_of(broken)
    assert problems["$.format"] == "must be 'waypoint-competencies'"
    assert "version 1" in problems["$.format_version"]
    assert "weakest up" in problems["$.scales[1].levels[1].value"]
    assert "used twice" in problems["$.scales[2].code"]
    assert "whole number" in problems["$.scales[2].levels[0].value"]
    assert "at least two levels" in problems["$.scales[2].levels"]
    assert "used twice" in problems["$.clusters[0].competencies[1].code"]
    assert "letters, digits" in problems["$.clusters[0].competencies[2].code"]
    assert problems["$.clusters[0].competencies[2].name"] == "must not be empty"
    assert "one of knowledge" in problems["$.clusters[0].competencies[2].kind"]
    assert "name one of the framework's scales" in problems["$.clusters[0].competencies[2].scale"]
    assert "not a level" in problems["$.clusters[0].competencies[3].descriptors.x"]
    assert "not a level" in problems["$.clusters[0].competencies[3].descriptors.7"]
    assert problems["$.clusters[0].competencies[3].descriptors.2"] == "describe level 2 (High)"
    assert "is required" in problems["$.clusters[0].competencies[4].descriptors"]
    assert problems["$.education.levels[2].code"] == "is required"


def test_the_shape_of_the_document_is_checked() -> None:
    assert "one object" in problems_of([1])["$"]
    assert problems_of({"format": "waypoint-competencies", "code": "x", "name": "X"}) == {
        "$.scales": "is required: at least one proficiency scale",
        "$.clusters": "is required",
    }
    no_clusters = dict(TINY, clusters=[])
    assert "at least one cluster" in problems_of(no_clusters)["$.clusters"]
    empty_cluster = dict(TINY, clusters=[{"code": "C", "name": "C", "competencies": []}])
    assert "at least one competency" in problems_of(empty_cluster)["$.clusters[0].competencies"]
    assert "levels and fields" in problems_of(dict(TINY, education="yes"))["$.education"]
    numeric = dict(TINY, code=12)
    assert framework_from_document(numeric).code == "12"


def test_a_file_with_thousands_of_faults_is_told_its_first_ones() -> None:
    doc = json.loads(json.dumps(TINY))
    doc["clusters"][0]["competencies"] = [
        {"code": f"X{i}", "name": "", "kind": "skill", "scale": "s", "descriptors": {}} for i in range(200)
    ]
    problems = problems_of(doc)
    assert len(problems) <= 101
    assert "more problems not listed" in problems["$"]


def test_the_diagnostic_frameworks_limits_apply() -> None:
    bomb = "a: &a [1, 2]\nb: *a\n"
    with pytest.raises(DocumentError, match="anchors and aliases"):
        read_framework(bomb)
    with pytest.raises(DocumentError, match="not valid JSON"):
        read_framework("{", filename="x.json")
    assert read_framework(yaml.safe_dump(TINY)).code == "tiny"
