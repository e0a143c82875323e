"""Comparing two plan versions: added, removed, moved, changed field by field; targets and
budgets by their keys; what happened since (actuals, statuses, history) left out."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from waypoint.engine.plandiff import ChangeKind, Subject, compare_plans
from waypoint.engine.plandiff.cli import main


def document() -> dict[str, Any]:
    return {
        "format": "waypoint-plan",
        "plan": {"title": "Plan", "start_year": 2012, "end_year": 2016, "status": "approved", "vision": "Fast"},
        "elements": [
            {"code": "G1", "kind": "goal", "parent": None, "position": 1, "title": "Faster", "status": "not_started"},
            {"code": "O1.1", "kind": "objective", "parent": "G1", "position": 1, "title": "South", "lead": ""},
            {"code": "O1.2", "kind": "objective", "parent": "G1", "position": 2, "title": "West", "lead": ""},
            {
                "code": "I1.1.1",
                "kind": "initiative",
                "parent": "O1.1",
                "position": 1,
                "title": "Lanes",
                "starts_on": "2012-03",
                "status": "in_progress",
                "risks": [{"description": "Late works", "likelihood": 3, "impact": 4, "mitigation": "", "owner": ""}],
                "budget": [
                    {"year": 2012, "source": "State budget", "amount": 100000, "note": ""},
                    {"year": 2013, "source": "State budget", "amount": 50000, "note": ""},
                ],
            },
        ],
        "indicators": [
            {
                "code": "KPI-01",
                "name": "Release time",
                "element": "O1.1",
                "unit_of_measure": "hours",
                "baseline": {"value": 10, "date": "2011-12-31", "source": ""},
                "targets": [
                    {"period": "2012", "value": 9, "upper_value": None, "history": []},
                    {"period": "2013", "value": 8, "upper_value": None, "history": []},
                ],
                "actuals": [{"period": "2012", "unit": None, "value": 9.5}],
            }
        ],
        "budget_caps": [{"source": "State budget", "year": 2012, "amount": 200000}],
        "analysis": [{"framework": "swot", "category": "strength", "text": "E-declaration", "objectives": ["O1.1"]}],
        "functions": [{"name": "Revenue", "priority": "high", "description": "", "objectives": []}],
    }


def test_identical_versions_have_no_changes() -> None:
    diff = compare_plans(document(), document())
    assert diff.is_empty
    assert diff.counts() == {"added": 0, "removed": 0, "moved": 0, "changed": 0}
    assert diff.as_text().endswith("No changes.\n")


def test_what_happened_since_is_not_a_change_of_the_plan() -> None:
    new = document()
    new["plan"]["status"] = "draft"
    new["elements"][3]["status"] = "completed"
    new["indicators"][0]["actuals"].append({"period": "2013", "unit": None, "value": 8.1})
    new["indicators"][0]["targets"][0]["history"].append({"reason": "noise"})
    new["schedule"] = [{"element": "I1.1.1", "duration_months": 5}]
    assert compare_plans(document(), new).is_empty


def test_it_lists_exactly_the_changes_field_by_field() -> None:
    new = document()
    new["plan"]["vision"] = "Faster"
    elements = new["elements"]
    elements[1]["title"] = "Halve release time in the south"
    elements[3]["parent"] = "O1.2"  # the initiative moves to the west
    elements[3]["budget"][1]["amount"] = 60000
    elements[3]["budget"].append({"year": 2014, "source": "Donor", "amount": 5000, "note": ""})
    del elements[3]["budget"][0]
    elements[3]["risks"][0]["impact"] = 5
    del elements[2]  # O1.2 goes; the initiative under it now is still listed
    elements.append({"code": "O1.3", "kind": "objective", "parent": "G1", "position": 3, "title": "North"})
    new["indicators"][0]["targets"][1]["value"] = 7.5
    new["indicators"][0]["targets"].append({"period": "2014", "value": 7})
    new["indicators"][0]["baseline"]["value"] = 11
    new["budget_caps"][0]["amount"] = 250000
    new["functions"][0]["priority"] = "medium"
    new["analysis"][0]["objectives"] = []

    diff = compare_plans(document(), new)
    assert [c.describe() for c in diff.changes] == [
        "~ plan: vision “Fast” → “Faster”",
        "- element O1.2 “West”",
        "~ element O1.1: title “South” → “Halve release time in the south”",
        "> element I1.1.1 “Lanes”: parent “O1.1” → “O1.2”",
        "~ risk I1.1.1 “Late works”: impact 4 → 5",
        "- budget I1.1.1 2012 State budget: amount 100000",
        "~ budget I1.1.1 2013 State budget: amount 50000 → 60000",
        "+ budget I1.1.1 2014 Donor: amount 5000",
        "+ element O1.3 “North” under G1",
        "~ indicator KPI-01: baseline {value: 10, date: “2011-12-31”, source: “”} → "
        "{value: 11, date: “2011-12-31”, source: “”}",
        "~ target KPI-01 2013: value 8 → 7.5",
        "+ target KPI-01 2014 “Release time”: value 7",
        "~ cap 2012 State budget: amount 200000 → 250000",
        "~ analysis swot/strength “E-declaration”: objectives [O1.1] → []",
        "~ function Revenue: priority “high” → “medium”",
    ]
    by = {(c.kind, c.subject, c.code, c.key, c.field): (c.old, c.new) for c in diff.changes}
    assert by[(ChangeKind.CHANGED, Subject.PLAN, "", "", "vision")] == ("Fast", "Faster")
    assert (ChangeKind.REMOVED, Subject.ELEMENT, "O1.2", "", "") in by
    assert by[(ChangeKind.CHANGED, Subject.ELEMENT, "O1.1", "", "title")] == (
        "South",
        "Halve release time in the south",
    )
    assert by[(ChangeKind.MOVED, Subject.ELEMENT, "I1.1.1", "", "parent")] == ("O1.1", "O1.2")
    assert by[(ChangeKind.CHANGED, Subject.RISK, "I1.1.1", "", "impact")] == (4, 5)
    assert by[(ChangeKind.REMOVED, Subject.BUDGET, "I1.1.1", "2012 State budget", "amount")] == (100000, None)
    assert by[(ChangeKind.ADDED, Subject.BUDGET, "I1.1.1", "2014 Donor", "amount")] == (None, 5000)
    assert by[(ChangeKind.CHANGED, Subject.BUDGET, "I1.1.1", "2013 State budget", "amount")] == (50000, 60000)
    assert (ChangeKind.ADDED, Subject.ELEMENT, "O1.3", "", "parent") in by
    assert by[(ChangeKind.CHANGED, Subject.INDICATOR, "KPI-01", "", "baseline")][1]["value"] == 11
    assert by[(ChangeKind.CHANGED, Subject.TARGET, "KPI-01", "2013", "value")] == (8, 7.5)
    assert by[(ChangeKind.ADDED, Subject.TARGET, "KPI-01", "2014", "value")] == (None, 7)
    assert by[(ChangeKind.CHANGED, Subject.CAP, "", "2012 State budget", "amount")] == (200000, 250000)
    assert by[(ChangeKind.CHANGED, Subject.FUNCTION, "Revenue", "", "priority")] == ("high", "medium")
    assert by[(ChangeKind.CHANGED, Subject.ANALYSIS, "swot/strength", "", "objectives")] == (
        ["O1.1"],
        [],
    )
    assert len(diff.changes) == 15
    assert diff.counts() == {"added": 3, "removed": 2, "moved": 1, "changed": 9}
    assert "target KPI-01 2013: value 8 → 7.5" in diff.as_text()
    assert "15 changes: 3 added, 2 removed, 1 moved, 9 changed." in diff.as_text()


def test_a_removed_indicator_and_target_and_a_reordered_element() -> None:
    new = document()
    new["elements"][1]["position"], new["elements"][2]["position"] = 2, 1
    old = document()
    old["indicators"].append({"code": "KPI-02", "name": "Gone", "targets": []})
    del new["indicators"][0]["targets"][0]
    diff = compare_plans(old, new)
    kinds = [(c.kind, c.subject, c.code, c.field or c.key) for c in diff.changes]
    assert kinds == [
        (ChangeKind.MOVED, Subject.ELEMENT, "O1.1", "position"),
        (ChangeKind.MOVED, Subject.ELEMENT, "O1.2", "position"),
        (ChangeKind.REMOVED, Subject.INDICATOR, "KPI-02", ""),
        (ChangeKind.REMOVED, Subject.TARGET, "KPI-01", "value"),
    ]
    assert diff.changes[-1].old == 9 and diff.changes[-1].key == "2012"


def test_a_new_indicator_brings_its_targets_and_a_new_element_its_budget() -> None:
    new = document()
    new["indicators"].append({"code": "KPI-02", "name": "Seizures", "targets": [{"period": "2012", "value": 3}]})
    new["elements"].append(
        {
            "code": "A1.1.1.1",
            "parent": "I1.1.1",
            "position": 1,
            "title": "Build",
            "budget": [{"year": 2012, "source": "State budget", "amount": 5}],
        }
    )
    described = [c.describe() for c in compare_plans(document(), new).changes]
    assert described == [
        "+ element A1.1.1.1 “Build” under I1.1.1",
        "+ budget A1.1.1.1 2012 State budget: amount 5",
        "+ indicator KPI-02 “Seizures”",
        "+ target KPI-02 2012 “Seizures”: value 3",
    ]


def test_broken_parts_of_a_document_are_read_as_empty() -> None:
    diff = compare_plans({"plan": "nonsense", "elements": "x"}, {"plan": {"title": "T"}, "elements": [3]})
    assert [c.field for c in diff.changes] == ["title"]
    assert diff.old_title == "?" and diff.new_title == "T"


# --- the command -----------------------------------------------------------------------------------


def write(path: Path, data: Any) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_the_command_prints_text_or_json_and_exits_like_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(tmp_path / "old.json", document())
    changed = copy.deepcopy(document())
    changed["indicators"][0]["targets"][1]["value"] = 7
    new = write(tmp_path / "new.json", changed)
    assert main([old, old]) == 0
    assert "No changes." in capsys.readouterr().out
    assert main([old, new]) == 1
    assert "~ target KPI-01 2013: value 8 → 7" in capsys.readouterr().out
    assert main([old, new, "--format", "json"]) == 1
    answer = json.loads(capsys.readouterr().out)
    assert answer["counts"]["changed"] == 1
    assert answer["changes"] == [
        {
            "kind": "changed",
            "subject": "target",
            "code": "KPI-01",
            "label": "Release time",
            "key": "2013",
            "field": "value",
            "old": 8,
            "new": 7,
        }
    ]


def test_the_command_says_what_is_wrong_with_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path / "good.json", document())
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert main([good, str(tmp_path / "missing.json")]) == 2
    assert "Cannot read" in capsys.readouterr().err
    assert main([good, str(tmp_path / "broken.json")]) == 2
    assert "is not JSON" in capsys.readouterr().err
    assert main([good, write(tmp_path / "list.json", [1])]) == 2
    assert "not a plan file" in capsys.readouterr().err


def test_waypoint_dispatches_plan_diff_to_the_engine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from waypoint.cli import main as waypoint

    old = write(tmp_path / "old.json", document())
    assert waypoint(["plan", "diff", old, old]) == 0
    assert "No changes." in capsys.readouterr().out
