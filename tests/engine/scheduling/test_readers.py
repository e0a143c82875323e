from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.engine.scheduling.helpers import small_roadmap
from waypoint.engine.scheduling import ProblemError, parse_sm
from waypoint.engine.scheduling.jsonformat import dump_problem, load_problem, problem_schema

# A tiny instance in the PSPLIB layout, written for this test (not taken from PSPLIB).
SM = """************************************************************************
file with basedata            : tiny.bas
************************************************************************
projects                      :  1
jobs (incl. supersource/sink ):  5
horizon                       :  20
RESOURCES
  - renewable                 :  2   R
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           5
   4        1          1           5
   5        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1  R 2
------------------------------------------------------------------------
  1      1     0       0    0
  2      1     3       2    0
  3      1     2       1    1
  4      1     4       0    2
  5      1     0       0    0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1  R 2
    2    2
************************************************************************
"""


def test_psplib_jobs_links_and_capacities() -> None:
    problem = parse_sm(SM, name="tiny")
    assert [a.id for a in problem.activities] == ["1", "2", "3", "4", "5"]
    assert [(link.before, link.after) for link in problem.links] == [
        ("1", "2"),
        ("1", "3"),
        ("2", "4"),
        ("3", "5"),
        ("4", "5"),
    ]
    assert {r.id: r.capacity for r in problem.resources} == {"R1": 2, "R2": 2}
    assert problem.by_id["3"].demands == {"R1": 1, "R2": 1}
    assert problem.by_id["1"].duration == 0


def test_a_damaged_psplib_file_says_what_is_missing() -> None:
    with pytest.raises(ProblemError, match="PRECEDENCE RELATIONS"):
        parse_sm("nothing here")
    with pytest.raises(ProblemError, match="cannot read"):
        parse_sm(SM.replace("    2    2\n", "    x    2\n"))


def test_the_real_psplib_files_parse(psplib: Path) -> None:
    from waypoint.engine.scheduling import read_sm

    problem = read_sm(psplib / "j30" / "j301_1.sm")
    assert len(problem.activities) == 32
    assert problem.name == "j301_1"


def test_json_round_trip() -> None:
    original = small_roadmap()
    text = dump_problem(original)
    assert load_problem(text) == original
    assert dump_problem(load_problem(json.loads(text))) == text


def test_json_errors_are_located_by_path() -> None:
    document = json.loads(dump_problem(small_roadmap()))
    document["activities"][1]["duration"] = -3
    document["links"][0]["kind"] = "SF"
    with pytest.raises(ProblemError) as caught:
        load_problem(json.dumps(document))
    text = " | ".join(caught.value.messages)
    assert "$.activities[1].duration" in text and "$.links[0].kind" in text
    with pytest.raises(ProblemError, match="not valid JSON"):
        load_problem("{")


def test_semantic_errors_come_back_in_words() -> None:
    document = json.loads(dump_problem(small_roadmap()))
    document["links"].append({"before": "D", "after": "A"})
    with pytest.raises(ProblemError, match="cycle"):
        load_problem(document)


def test_the_published_schema_matches_the_code() -> None:
    published = Path(__file__).resolve().parents[3] / "docs" / "schedule-problem.schema.json"
    assert published.read_text() == problem_schema(), (
        "run `waypoint schedule --schema > docs/schedule-problem.schema.json`"
    )
