"""``waypoint check``, ``waypoint schedule`` and ``waypoint trs`` given a file that is not what
they read (issue 12): a located message, exit code 2, no traceback. They printed tracebacks for
JSON nested too deeply and for bytes that are not UTF-8."""

from __future__ import annotations

from pathlib import Path

import pytest

from waypoint.cli import main as waypoint

BAD = {
    "not UTF-8": (b'{"format": "waypoint-plan",\n "plan": "\xff"}', "$: not UTF-8 text (line 2, column 11"),
    "nested 100000 deep": (b"[" * 100_000 + b"]" * 100_000, "$: nested too deeply: at most 64 levels"),
    "nested 70 deep": (b'{"plan": ' + b"[" * 70 + b"]" * 70 + b"}", "$.plan[0]"),
    "lone surrogate": (b'{"plan": {"title": "\\udc00"}}', "$.plan.title: holds a lone surrogate"),
    "NaN": (b'{"activities": [NaN]}', "$.activities[0]: NaN is not a JSON number"),
}


@pytest.mark.parametrize("command", ["check", "schedule"])
@pytest.mark.parametrize("name", BAD)
def test_a_file_that_is_not_json_text_is_a_located_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, name: str
) -> None:
    content, expected = BAD[name]
    path = tmp_path / "input.json"
    path.write_bytes(content)
    assert waypoint([command, str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err, err
    assert "Traceback" not in err and len(err) < 400


def test_trs_names_the_file_it_cannot_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "events.csv"
    csv.write_bytes(b"declaration_id,milestone,timestamp\nD1,arr\xffival,2012-01-01T08:00:00Z\n")
    nested = tmp_path / "events.json"
    nested.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    for path in (csv, nested):
        assert waypoint(["trs", "report", str(path)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: {path}") and "Traceback" not in err
