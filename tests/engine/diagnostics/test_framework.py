"""Reading, validating and writing diagnostic frameworks; the arithmetic of assessments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from waypoint.engine.diagnostics.framework import (
    SCALES,
    framework_document,
    framework_from_document,
    framework_yaml,
    parse_text,
)
from waypoint.engine.diagnostics.scoring import Change, Rating, area_summaries, compare, criterion_gap
from waypoint.engine.located import DocumentError

SHIPPED = Path(__file__).resolve().parents[3] / "src/waypoint/diagnostics/frameworks/customs-capacity.yaml"

SMALL = """
format: waypoint-framework
code: small
name: Small
scale: a-d
areas:
- code: A
  name: Area A
  topics:
  - code: A.1
    name: Topic
    criteria:
    - code: A.1.1
      text: First
      descriptors: {D: none, C: some, B: most, A: all}
    - code: A.1.2
      text: Second
      descriptors: {D: none, C: some, B: most, A: all}
- code: B
  name: Area B
  topics:
  - code: B.1
    name: Topic
    criteria:
    - code: B.1.1
      text: Third
      descriptors: {D: none, C: some, B: most, A: all}
"""


def small():
    return framework_from_document(parse_text(SMALL))


def test_the_shipped_framework_has_the_seven_areas_and_reads_back_identically() -> None:
    framework = framework_from_document(parse_text(SHIPPED.read_text(encoding="utf-8")))
    assert [a.name for a in framework.areas] == [
        "Strategic management",
        "Resources and people",
        "Legal framework",
        "Systems and procedures",
        "Information technology",
        "External cooperation and partnership",
        "Integrity",
    ]
    assert framework.scale == SCALES["maturity-0-4"]
    assert framework_from_document(parse_text(framework_yaml(framework))) == framework
    as_json = json.dumps(framework_document(framework))
    assert framework_from_document(parse_text(as_json, filename="f.json")) == framework


def test_a_custom_scale_is_kept_inline() -> None:
    doc = parse_text(SMALL)
    doc["scale"] = {
        "code": "yn",
        "name": "Yes/no",
        "levels": [{"value": "no", "label": "No"}, {"value": "yes", "label": "Yes"}],
    }
    for area in doc["areas"]:
        for topic in area["topics"]:
            for criterion in topic["criteria"]:
                criterion["descriptors"] = {"no": "absent", "yes": "present"}
    framework = framework_from_document(doc)
    assert framework.scale.position("yes") == 1
    assert framework_document(framework)["scale"]["levels"][0] == {"value": "no", "label": "No"}


def test_a_malformed_framework_is_refused_with_every_problem_located() -> None:
    doc = parse_text(SMALL)
    doc["areas"][0]["topics"][0]["criteria"][1]["code"] = "A.1.1"
    del doc["areas"][0]["topics"][0]["criteria"][0]["descriptors"]["B"]
    doc["areas"][0]["topics"][0]["criteria"][0]["descriptors"]["E"] = "worse"
    doc["areas"][1]["topics"][0]["criteria"] = []
    doc["areas"][1]["name"] = " "
    with pytest.raises(DocumentError) as refused:
        framework_from_document(doc)
    assert refused.value.problems == [
        ("$.areas[0].topics[0].criteria[0].descriptors.E", "'E' is not a level of the scale A–D"),
        ("$.areas[0].topics[0].criteria[0].descriptors.B", "describe level B (Largely in place)"),
        ("$.areas[0].topics[0].criteria[1].code", "the code A.1.1 is used twice"),
        ("$.areas[1].topics[0].criteria", "a topic needs at least one criterion"),
        ("$.areas[1].name", "must not be empty"),
    ]


def test_unknown_scales_and_formats_are_named() -> None:
    doc = parse_text(SMALL)
    doc["scale"] = "1-10"
    doc["format"] = "other"
    with pytest.raises(DocumentError) as refused:
        framework_from_document(doc)
    paths = [path for path, _ in refused.value.problems]
    assert paths[:2] == ["$.format", "$.scale"]


@pytest.mark.parametrize(
    ("text", "filename", "expected"),
    [
        ("areas: [\n  - a", "f.yaml", "not valid YAML: line 2"),
        ('{"areas": }', "f.json", "not valid JSON: line 1, column 11"),
        (b"\xff\xfe", "f.yaml", "not UTF-8"),
    ],
)
def test_unparseable_files_say_where(text: str | bytes, filename: str, expected: str) -> None:
    with pytest.raises(DocumentError) as refused:
        parse_text(text, filename=filename)
    assert expected in refused.value.problems[0][1]


def test_a_list_is_not_a_framework() -> None:
    with pytest.raises(DocumentError):
        framework_from_document(["x"])


def test_area_means_use_scale_positions_over_rated_criteria() -> None:
    framework = small()
    ratings = {"A.1.1": Rating("D", "B"), "A.1.2": Rating("B", "A")}
    first, second = area_summaries(framework, ratings)
    assert (first.criteria, first.rated, first.current, first.target, first.gap) == (2, 2, 1.0, 2.5, 1.5)
    assert (second.rated, second.current, second.gap) == (0, None, None)
    assert criterion_gap(framework, ratings["A.1.1"]) == 2
    assert criterion_gap(framework, Rating("C")) is None


def test_comparison_says_what_improved_and_what_did_not() -> None:
    framework = small()
    before = {"A.1.1": Rating("D"), "A.1.2": Rating("B"), "B.1.1": Rating("C")}
    after = {"A.1.1": Rating("B"), "A.1.2": Rating("C"), "B.1.1": Rating("C")}
    changes = {c.code: (c.steps, c.change) for c in compare(framework, before, after)}
    assert changes == {"A.1.1": (2, Change.IMPROVED), "A.1.2": (-1, Change.WORSE), "B.1.1": (0, Change.SAME)}
    assert compare(framework, {}, after)[0].change is Change.NOT_COMPARABLE


def test_a_level_outside_the_scale_is_an_error() -> None:
    with pytest.raises(ValueError, match="not a level"):
        small().scale.position("E")


# --- hostile files ---------------------------------------------------------------------------------------

#: "billion laughs": nine levels of ten aliases each, under 1 KB, would expand to 10⁹ strings
ALIAS_BOMB = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
    f"{chr(ord('a') + i + 1)}: &{chr(ord('a') + i + 1)} [{','.join(['*' + chr(ord('a') + i)] * 10)}]\n"
    for i in range(8)
)


def test_a_yaml_alias_bomb_is_refused_before_it_expands() -> None:
    assert len(ALIAS_BOMB) < 1024
    with pytest.raises(DocumentError) as refused:
        parse_text(ALIAS_BOMB, filename="bomb.yaml")
    [(path, message)] = refused.value.problems
    assert path == "$"
    assert message.startswith("line 1, column 4: ")
    assert "anchors and aliases" in message


def test_an_alias_alone_is_refused_too() -> None:
    text = SMALL.replace("scale: a-d", "scale: &s a-d\nname2: *s")
    with pytest.raises(DocumentError, match="anchors and aliases"):
        parse_text(text)


@pytest.mark.parametrize(
    ("text", "filename"),
    [("[" * 100 + "]" * 100, "deep.yaml"), ("a:\n" + "".join("  " * i + "- b:\n" for i in range(1, 60)), "deep.yaml")],
    ids=["flow", "block"],
)
def test_a_deep_yaml_nesting_is_refused_with_its_place(text: str, filename: str) -> None:
    with pytest.raises(DocumentError, match=r"line \d+, column \d+: the file is nested deeper than 32 levels"):
        parse_text(text, filename=filename)


@pytest.mark.parametrize("depth", [40, 200_000])
def test_a_deep_json_nesting_is_refused(depth: int) -> None:
    with pytest.raises(DocumentError, match="nested deeper than 32 levels"):
        parse_text('{"a":' + "[" * depth + "]" * depth + "}", filename="deep.json")


def test_too_many_values_and_too_large_files_are_refused() -> None:
    many = "[" + ",".join(["1"] * 200_001) + "]"
    for filename in ("many.yaml", "many.json"):
        with pytest.raises(DocumentError, match="more than 200,000 values"):
            parse_text(many, filename=filename)
    with pytest.raises(DocumentError, match="a framework file has at most 2 MB"):
        parse_text(b"#" * (2 * 1024 * 1024 + 1), filename="big.yaml")


def test_the_problems_reported_are_capped() -> None:
    doc = json.loads(json.dumps(framework_document(framework_from_document(parse_text(SMALL)))))
    doc["areas"] = [{"code": "?"} for _ in range(500)]
    with pytest.raises(DocumentError) as refused:
        framework_from_document(doc)
    problems = refused.value.problems
    assert len(problems) == 101
    assert problems[-1][1].startswith("… and ") and "more problems not listed" in problems[-1][1]


def test_the_shipped_framework_is_well_within_the_limits() -> None:
    framework_from_document(parse_text(SHIPPED.read_text(), filename=SHIPPED.name))
