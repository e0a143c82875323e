from __future__ import annotations

import json
from pathlib import Path

import pytest

from waypoint.engine.trs.cli import main


def test_generate_then_report_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--declarations", "800", "--seed", "4", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    assert (
        main(
            ["report", str(tmp_path / "events.parquet"), "--by", "office,channel", "--format", "json", "--threads", "1"]
        )
        == 0
    )
    out = capsys.readouterr()
    rows = json.loads(out.out)
    assert {"from", "to", "office", "channel", "n", "mean", "median", "p75", "p90", "p95", "min", "max"} <= set(rows[0])
    assert "800 of 800 declarations used" in out.err


def test_report_as_csv_and_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["generate", "--declarations", "300", "--out", str(tmp_path)])
    capsys.readouterr()
    main(["report", str(tmp_path), "--format", "csv", "--threads", "1"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("from,to,n,mean,median")
    main(["report", str(tmp_path), "--threads", "1"])
    assert "arrival" in capsys.readouterr().out


def test_a_bad_file_is_an_error_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.csv").write_text("a,b\n")
    assert main(["report", str(tmp_path / "x.csv")]) == 2
    assert "expected the columns" in capsys.readouterr().err


def test_report_to_a_spreadsheet_or_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    main(["generate", "--declarations", "300", "--out", str(tmp_path)])
    out = tmp_path / "report.xlsx"
    assert main(["report", str(tmp_path), "--format", "xlsx", "--out", str(out), "--by", "mode", "--threads", "1"]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["statistics (hours)", "set aside"]
    assert [c.value for c in book["statistics (hours)"][1]][:4] == ["from", "to", "mode", "n"]
    with pytest.raises(SystemExit):
        main(["report", str(tmp_path), "--format", "xlsx"])
    target = tmp_path / "report.json"
    main(["report", str(tmp_path), "--format", "json", "--out", str(target), "--threads", "1"])
    assert json.loads(target.read_text())[0]["from"] == "arrival"


def test_report_in_the_time_zone_the_data_was_recorded_in(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "d.csv").write_text(
        "declaration_id,milestone,timestamp\n"
        "D1,arrival,2024-01-01T08:00:00Z\nD1,lodgement,2024-01-01T09:00:00Z\n"
        "D1,registration,2024-01-01T09:30:00Z\nD1,release,2024-01-01T11:00:00Z\n"
        ",release,2024-01-01T11:00:00Z\n"
    )
    args = ["report", str(tmp_path / "d.csv"), "--by", "hour", "--format", "json", "--threads", "1"]
    assert main([*args, "--time-zone", "Asia/Baku"]) == 0
    out = capsys.readouterr()
    assert {row["hour"] for row in json.loads(out.out)} == {"12"}  # 08:00 UTC
    assert "a declaration can have several" in out.err and "line 6: no declaration id" in out.err
    with pytest.raises(SystemExit):
        main([*args, "--time-zone", "Mars/Olympus"])


def test_an_unknown_engine_is_an_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    main(["generate", "--declarations", "50", "--out", str(tmp_path)])
    monkeypatch.setenv("WAYPOINT_TRS_ENGINE", "oracle")
    capsys.readouterr()
    assert main(["report", str(tmp_path), "--threads", "1"]) == 2
    assert "unknown TRS engine 'oracle'" in capsys.readouterr().err
    assert main(["report", str(tmp_path), "--threads", "1", "--engine", "duckdb"]) == 0  # the flag comes first
