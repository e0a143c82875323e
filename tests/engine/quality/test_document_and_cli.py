"""Reading a plan file for the checks, and ``waypoint check`` in a review pipeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from waypoint.engine.located import DocumentError
from waypoint.engine.quality.cli import catalogue_markdown, main
from waypoint.engine.quality.document import read_plan
from waypoint.engine.quality.model import Month, Severity

DOCS = Path(__file__).resolve().parents[3] / "docs" / "quality-rules.md"


def plan_file(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "waypoint-plan",
        "administration": "SCC",
        "plan": {"title": "Plan", "start_year": 2012, "end_year": 2013},
        "elements": [
            {"code": "G1", "kind": "goal", "parent": None, "title": "Trade"},
            {"code": "O1.1", "kind": "objective", "parent": "G1", "title": "Reduce release time by half by 2013"},
            {
                "code": "I1.1.1",
                "kind": "initiative",
                "parent": "O1.1",
                "title": "Pre-arrival",
                "responsible_unit": "HQ",
                "starts_on": "2012-01",
                "ends_on": "2013-06",
                "budget": [{"year": 2012, "source": "State", "amount": 10}],
            },
        ],
        "indicators": [
            {
                "code": "KPI-1",
                "name": "Release time",
                "element": "O1.1",
                "direction": "decrease",
                "frequency": "year",
                "owner_unit": "HQ",
                "data_source": "TRS",
                "baseline": {"value": 10, "date": "2011-12-31"},
                "targets": [{"period": "2012", "value": 8}, {"period": "2013", "value": 5.5}],
            }
        ],
        "recommendations": [
            {"assessment": "D7", "code": "R1", "text": "Pre-arrival", "priority": "high", "addressed_by": ["I1.1.1"]}
        ],
        "dependencies": [],
        "budget_caps": [{"year": 2012, "source": "State", "amount": 10}],
        "quality_rules": [],
    }
    doc.update(changes)
    return doc


def test_it_reads_the_values_the_rules_need() -> None:
    plan = read_plan(plan_file())
    assert plan.elements[2].starts_on == Month(2012, 1)
    assert plan.indicators[0].targets[1].value == pytest.approx(5.5)
    assert plan.recommendations[0].reference == "D7/R1"
    assert plan.budget_caps[0].amount == 10


def test_missing_sections_are_empty_not_errors() -> None:
    doc = plan_file()
    for key in ("indicators", "recommendations", "dependencies", "budget_caps", "quality_rules"):
        del doc[key]
    plan = read_plan(doc)
    assert plan.indicators == ()


def test_a_file_of_another_kind_is_refused() -> None:
    with pytest.raises(DocumentError) as refused:
        read_plan({"format": "something"})
    assert refused.value.problems[0][0] == "$.format"


def test_unreadable_values_are_refused_with_their_json_path() -> None:
    doc = plan_file()
    doc["elements"][2]["starts_on"] = "2012-13"
    doc["indicators"][0]["targets"][0]["value"] = "eight"
    doc["indicators"][0]["targets"][1]["period"] = "next year"
    doc["quality_rules"] = [{"rule": "Q999"}, {"rule": "Q101", "severity": "fatal"}, {"rule": "Q102", "enabled": "no"}]
    doc["budget_caps"] = [{"year": "2012", "source": "State", "amount": 5}]
    with pytest.raises(DocumentError) as refused:
        read_plan(doc)
    paths = [path for path, _message in refused.value.problems]
    assert paths == [
        "$.elements[2].starts_on",
        "$.indicators[0].targets[0].value",
        "$.indicators[0].targets[1].period",
        "$.budget_caps[0].year",
        "$.quality_rules[0].rule",
        "$.quality_rules[1].severity",
        "$.quality_rules[2].enabled",
    ]


def test_settings_in_the_file_are_applied() -> None:
    doc = plan_file(quality_rules=[{"rule": "Q602", "enabled": False, "reason": "Plan period"}])
    plan = read_plan(doc)
    assert plan.settings[0].enabled is False
    doc = plan_file(quality_rules=[{"rule": "Q303", "severity": "error", "reason": "x"}])
    assert read_plan(doc).settings[0].severity is Severity.ERROR


def write(tmp_path: Path, doc: Any) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_a_clean_plan_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(write(tmp_path, plan_file()))]) == 0
    assert capsys.readouterr().out == "0 errors, 0 warnings, 0 infos.\n"


def test_errors_exit_one_and_warnings_alone_do_not(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = plan_file()
    doc["indicators"][0]["baseline"] = None
    assert main([str(write(tmp_path, doc))]) == 1
    out = capsys.readouterr().out
    assert "ERROR   Q201  Indicator KPI-1 “Release time” has no baseline." in out
    doc = plan_file()
    doc["indicators"][0]["data_source"] = ""
    assert main([str(write(tmp_path, doc)), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["findings"] == [
        {
            "rule": "Q203",
            "severity": "warning",
            "subject": "indicator",
            "code": "KPI-1",
            "message": "Indicator KPI-1 has no data source.",
        }
    ]
    assert report["counts"] == {"error": 0, "warning": 1, "info": 0}


def test_switched_off_rules_are_listed_with_their_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = plan_file(quality_rules=[{"rule": "Q201", "enabled": False, "reason": "Baselines come in 2012"}])
    doc["indicators"][0]["baseline"] = None
    assert main([str(write(tmp_path, doc))]) == 0
    assert "OFF     Q201  switched off for this plan: Baselines come in 2012" in capsys.readouterr().out


def test_an_unreadable_file_exits_two_with_the_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plan.json"
    path.write_text('{"format": "waypoint-plan",\n  oops}', encoding="utf-8")
    assert main([str(path)]) == 2
    assert "line 2, column 3" in capsys.readouterr().err
    assert main([str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
    doc = plan_file()
    doc["plan"]["start_year"] = "2012"
    assert main([str(write(tmp_path, doc))]) == 2
    assert "$.plan.start_year: must be a whole number" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"format": "waypoint-plan", "plan": "caf\xe9"}', "not UTF-8 text (line 1, column 41"),
        (b'{"format": ' + b"9" * 5000 + b"}", "digits"),
    ],
    ids=["deep nesting", "invalid UTF-8", "huge integer"],
)
def test_a_hostile_file_exits_two_with_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    assert main([str(path)]) == 2
    assert message in capsys.readouterr().err


def test_the_rule_catalogue_prints_in_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rules"]) == 0
    assert "Q101  error    Objective without indicator" in capsys.readouterr().out
    assert main(["--rules", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["code"] == "Q101"
    assert rows[0]["why"]


def test_the_documentation_lists_every_rule_as_the_code_has_it() -> None:
    assert DOCS.read_text(encoding="utf-8") == catalogue_markdown(), (
        "run: waypoint check --rules --format markdown > docs/quality-rules.md"
    )
