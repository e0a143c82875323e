from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.engine.scheduling.helpers import small_roadmap
from tests.engine.scheduling.test_readers import SM
from tests.engine.scheduling.test_solver import deadline_problem
from waypoint.cli import main as waypoint
from waypoint.engine.scheduling.jsonformat import dump_problem


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = waypoint(["schedule", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_output_has_status_makespan_bound_time_and_every_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problem_file = tmp_path / "roadmap.json"
    problem_file.write_text(dump_problem(small_roadmap()))
    code, out, _ = run(
        capsys, str(problem_file), "--format", "json", "--time-limit", "5", "--mspdi", str(tmp_path / "out.xml")
    )
    document = json.loads(out)
    assert code == 0
    assert document["status"] == "optimal"
    assert document["makespan"] == 9 and document["lower_bound"] == 9
    assert set(document["starts"]) == {"A", "B", "C", "D", "E"}
    assert isinstance(document["seconds"], float)
    assert document["dates"]["A"] == {"start": "2012-01-01", "finish": "2012-04-01"}
    assert (tmp_path / "out.xml").read_bytes().startswith(b"<?xml")


def test_table_output_for_a_psplib_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    instance = tmp_path / "tiny.sm"
    instance.write_text(SM)
    code, out, _ = run(capsys, str(instance), "--objective", "weighted", "--time-limit", "3", "--workers", "1")
    assert code == 0
    assert "status        optimal" in out
    assert "objective     weighted" in out


def test_an_infeasible_roadmap_prints_the_conflict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    problem_file = tmp_path / "late.json"
    problem_file.write_text(dump_problem(deadline_problem()))
    code, out, _ = run(capsys, str(problem_file), "--time-limit", "5")
    assert code == 1
    assert "status        infeasible" in out
    assert "conflict      T “Train risk analysts” must finish by 2013-06-01" in out


def test_a_bad_file_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"activities": [{"id": "A", "duration": -1}]}')
    code, _, err = run(capsys, str(bad))
    assert code == 2
    assert "$.activities[0].duration" in err
    code, _, err = run(capsys, str(tmp_path / "plan.txt"))
    assert code == 2 and "expected a .sm" in err
    code, _, err = run(capsys, str(tmp_path / "missing.json"))
    assert code == 2


def test_an_mspdi_file_can_be_scheduled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.engine.scheduling.test_mspdi import scheduled
    from waypoint.engine.scheduling.mspdi import export_mspdi

    xml = tmp_path / "from-ms-project.xml"
    xml.write_bytes(export_mspdi(scheduled()))
    code, out, _ = run(capsys, str(xml), "--format", "json", "--time-limit", "3")
    assert code == 0
    assert json.loads(out)["status"] == "optimal"


def test_the_schema_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--schema")
    assert code == 0 and json.loads(out)["title"] == "ProblemFile"
    with pytest.raises(SystemExit):
        run(capsys)
