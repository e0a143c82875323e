"""Statistics checked against values worked out by hand on small data."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest

from waypoint.engine.trs.model import Limits, Reason, StudyConfig
from waypoint.engine.trs.runner import Study, TrsInputError

HEADER = ["declaration_id", "milestone", "timestamp", "office", "channel"]
GOOD = [
    # D1 green: arrival 08:00, lodged 09:00, registered 09:30, released 11:00
    ("D1", "arrival", "2024-01-01T08:00:00+00:00", "P1", "green"),
    ("D1", "lodgement", "2024-01-01T09:00:00+00:00", "P1", "green"),
    ("D1", "registration", "2024-01-01T09:30:00+00:00", "P1", "green"),
    ("D1", "release", "2024-01-01T11:00:00+00:00", "P1", "green"),
    # D2 red, lodged before arrival (pre-arrival), examined, released at 13:00
    ("D2", "arrival", "2024-01-01T08:00:00+00:00", "P1", "red"),
    ("D2", "lodgement", "2024-01-01T07:00:00+00:00", "P1", "red"),
    ("D2", "registration", "2024-01-01T08:00:00+00:00", "P1", "red"),
    ("D2", "physical_examination", "2024-01-01T12:00:00+00:00", "P1", "red"),
    ("D2", "release", "2024-01-01T13:00:00+00:00", "P1", "red"),
    # D5 green at another post, written with a +04:00 offset: arrival 10:00 UTC, release 17:00 UTC
    ("D5", "arrival", "2024-01-01T14:00:00+04:00", "P2", "green"),
    ("D5", "lodgement", "2024-01-01T15:00:00+04:00", "P2", "green"),
    ("D5", "registration", "2024-01-01T16:00:00+04:00", "P2", "green"),
    ("D5", "release", "2024-01-01T21:00:00+04:00", "P2", "green"),
]
BAD = [
    ("D3", "arrival", "2024-01-01T08:00:00+00:00", "P1", "red"),
    ("D3", "lodgement", "yesterday", "P1", "red"),
    ("D4", "arrival", "2024-01-01T08:00:00+00:00", "P1", "red"),
    ("D4", "lodgement", "2024-01-01T09:00:00+00:00", "P1", "red"),
    ("D4", "registration", "2024-01-01T08:30:00+00:00", "P1", "red"),
    ("D4", "release", "2024-01-01T13:00:00+00:00", "P1", "red"),
    ("D6", "arrival", "2024-01-01T08:00:00+00:00", "P1", "red"),
    ("D6", "lodgement", "2024-01-01T09:00:00+00:00", "P1", "red"),
    ("D6", "lodgement", "2024-01-01T09:05:00+00:00", "P1", "red"),
    ("D6", "registration", "2024-01-01T09:30:00+00:00", "P1", "red"),
    ("D6", "teleport", "2024-01-01T09:40:00+00:00", "P1", "red"),
    ("D6", "release", "2024-01-01T13:00:00+00:00", "P1", "red"),
]


def write(tmp_path: Path, rows: Sequence[tuple[str, ...]], name: str = "events.csv") -> Path:
    path = tmp_path / name
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def study(tmp_path: Path) -> Study:
    return Study(write(tmp_path, GOOD + BAD), threads=1)


def test_every_set_aside_declaration_has_a_reason(study: Study) -> None:
    quarantine = study.quarantine()
    assert (quarantine.declarations_in, quarantine.declarations_used) == (6, 3)
    assert quarantine.counts == {
        Reason.UNPARSEABLE_TIMESTAMP: 1,  # D3
        Reason.MISSING_REQUIRED: 1,  # D3: its lodgement cannot be read, registration and release are absent
        Reason.OUT_OF_ORDER: 1,  # D4
        Reason.DUPLICATE_MILESTONE: 1,  # D6
        Reason.UNKNOWN_MILESTONE: 1,  # D6
    }
    by_reason = {(row.declaration_id, row.reason): row.detail for row in quarantine.rows}
    assert by_reason[("D3", Reason.UNPARSEABLE_TIMESTAMP)] == "lodgement: yesterday"
    assert by_reason[("D3", Reason.MISSING_REQUIRED)] == "no lodgement, registration, release"
    assert by_reason[("D4", Reason.OUT_OF_ORDER)] == "registration before an earlier step"
    assert by_reason[("D6", Reason.DUPLICATE_MILESTONE)] == "lodgement recorded more than once"
    assert by_reason[("D6", Reason.UNKNOWN_MILESTONE)] == "unknown milestone teleport"
    assert quarantine.declarations_set_aside == 3


def test_the_total_time_by_hand(study: Study) -> None:
    totals = [r for r in study.statistics() if (r.start, r.end) == ("arrival", "release")]
    assert len(totals) == 1
    total = totals[0]
    # D1 3 h, D2 5 h, D5 7 h
    assert (total.n, total.mean, total.median, total.min, total.max) == (3, 5.0, 5.0, 3.0, 7.0)
    assert total.p75 == pytest.approx(6.0)  # linear between 5 and 7
    assert total.p90 == pytest.approx(6.6)
    assert total.p95 == pytest.approx(6.8)
    assert total.trimmed_mean == pytest.approx(5.0)  # only D2 lies between P5 (3.2) and P95 (6.8)


def test_intervals_follow_the_milestones_each_declaration_has(study: Study) -> None:
    rows = {(r.start, r.end): r for r in study.statistics()}
    # pre-arrival lodgement gives a negative arrival → lodgement time (D2: −1 h)
    assert rows[("arrival", "lodgement")].min == -1.0
    # green declarations go from registration straight to release; the red one via the examination
    assert rows[("registration", "release")].n == 2
    assert rows[("registration", "physical_examination")].mean == 4.0
    assert rows[("physical_examination", "release")].mean == 1.0


def test_breakdown_by_dimensions(study: Study) -> None:
    rows = {(r.start, r.end, r.group["channel"], r.group["office"]): r for r in study.statistics(["channel", "office"])}
    assert rows[("arrival", "release", "green", "P2")].mean == 7.0
    assert rows[("arrival", "release", "green", "P1")].mean == 3.0
    assert rows[("arrival", "release", "red", "P1")].mean == 5.0


def test_shares_by_actor_and_within_target(study: Study) -> None:
    [shares] = study.actor_shares()
    # trader: D1 1 h + D5 1 h (D2's −1 h counts as nothing); customs: 0.5+1.5 + 1+4+1 + 1+5 = 14 h
    assert shares["trader/broker"] == pytest.approx(2 / 16)
    assert shares["customs"] == pytest.approx(14 / 16)
    [within] = study.released_within(5)
    assert within == {"n": 3, "share": pytest.approx(2 / 3)}
    assert study.release_curve(points=2) == [(5.0, 0.5), (7.0, 1.0)]


def test_peak_and_off_peak_from_the_arrival_time(tmp_path: Path) -> None:
    config = StudyConfig(peak_hours=(9, 17))
    study = Study(write(tmp_path, GOOD), config, threads=1)
    periods = {
        r.group["period"]: r.n for r in study.statistics(["period"]) if r.end == "release" and r.start == "arrival"
    }
    assert periods == {"off-peak": 2, "peak": 1}  # 08:00 twice, 10:00 UTC once


def test_the_wide_form_gives_the_same_figures(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["declaration_id", "office", "arrival", "lodgement", "registration", "release"])
        writer.writerow(
            ["D1", "P1", "2024-01-01T08:00:00Z", "2024-01-01T09:00:00Z", "2024-01-01T09:30:00Z", "2024-01-01T11:00:00Z"]
        )
        writer.writerow(["D2", "P1", "2024-01-01T08:00:00Z", "2024-01-01T08:10:00Z", "2024-01-01T08:20:00Z", ""])
    study = Study(path, threads=1)
    assert study.form == "wide"
    quarantine = study.quarantine()
    assert quarantine.counts == {Reason.MISSING_REQUIRED: 1}
    total = next(r for r in study.statistics() if r.end == "release" and r.start == "arrival")
    assert (total.n, total.mean) == (1, 3.0)


def test_xlsx_is_read_for_small_files(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in GOOD:
        sheet.append(list(row))
    path = tmp_path / "events.xlsx"
    book.save(path)
    total = next(r for r in Study(path, threads=1).statistics() if r.end == "release" and r.start == "arrival")
    assert total.mean == 5.0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("events.json", "{}", "use Parquet, CSV or XLSX"),
        ("events.csv", "a,b\n1,2\n", "expected the columns declaration_id, milestone, timestamp"),
    ],
)
def test_unreadable_input_is_explained(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(TrsInputError, match=message):
        Study(path, threads=1)


def test_an_unknown_dimension_is_named(study: Study) -> None:
    with pytest.raises(TrsInputError, match="unknown dimension colour"):
        study.statistics(["colour"])


def test_a_prepared_study_is_reopened_without_the_source(tmp_path: Path) -> None:
    source = write(tmp_path, GOOD + BAD)
    database = tmp_path / "study.duckdb"
    Study(source, database=database, threads=1).close()
    source.unlink()
    study = Study.reopen(database, threads=1)
    assert study.quarantine().declarations_used == 3
    assert study.dimensions == ["office", "channel"]
    assert study.values("channel") == ["green", "red"]
    assert study.values("period") == ["peak"]  # every arrival between 08:00 and 18:00 on a weekday
    with pytest.raises(TrsInputError, match="not been prepared"):
        Study.reopen(tmp_path / "other.duckdb")


def test_values_per_period_with_filters(study: Study) -> None:
    periods = [
        ("2023", "2023-01-01T00:00:00+00:00", "2024-01-01T00:00:00+00:00"),
        ("2024", "2024-01-01T00:00:00+00:00", "2025-01-01T00:00:00+00:00"),
    ]
    assert study.period_values("mean", "arrival", "release", periods) == {"2024": (5.0, 3)}
    assert study.period_values("median", "arrival", "release", periods, filters={"channel": "green"}) == {
        "2024": (5.0, 2)
    }
    share, n = study.period_values("share_within", "arrival", "release", periods, target_hours=4)["2024"]
    assert share == pytest.approx(100 / 3)
    assert n == 3
    with pytest.raises(TrsInputError):
        study.period_values("share_within", "arrival", "release", periods)
    with pytest.raises(TrsInputError):
        study.period_values("mode", "arrival", "release", periods)
    assert study.period_values("p90", "arrival", "release", []) == {}


def test_a_start_recorded_twice_sets_the_declaration_aside_once(tmp_path: Path) -> None:
    twice = [
        ("D7", "arrival", "2024-01-01T08:00:00+00:00", "P1", "red"),
        ("D7", "arrival", "2024-01-01T08:10:00+00:00", "P2", "red"),
        ("D7", "lodgement", "2024-01-01T09:00:00+00:00", "P1", "red"),
        ("D7", "registration", "2024-01-01T09:30:00+00:00", "P1", "red"),
        ("D7", "release", "2024-01-01T11:00:00+00:00", "P1", "red"),
        # a second arrival that cannot be read
        ("D8", "arrival", "2024-01-01T08:00:00+00:00", "P2", "green"),
        ("D8", "arrival", "soon", "P2", "green"),
        ("D8", "lodgement", "2024-01-01T09:00:00+00:00", "P2", "green"),
        ("D8", "registration", "2024-01-01T09:30:00+00:00", "P2", "green"),
        ("D8", "release", "2024-01-01T10:00:00+00:00", "P2", "green"),
        (None, "arrival", "2024-01-01T08:00:00+00:00", "P2", "green"),
    ]
    study = Study(write(tmp_path, GOOD + twice), threads=1)  # type: ignore[operator]
    quarantine = study.quarantine()
    assert quarantine.declarations_in == 6  # D1, D2, D5, D7, D8 and the row without a declaration id
    assert quarantine.counts == {
        Reason.DUPLICATE_MILESTONE: 1,
        Reason.UNPARSEABLE_TIMESTAMP: 1,
        Reason.MISSING_VALUE: 1,
    }
    details = {(row.declaration_id, row.reason): row.detail for row in quarantine.rows}
    assert details[("D7", Reason.DUPLICATE_MILESTONE)] == "arrival recorded more than once"
    assert details[("D8", Reason.UNPARSEABLE_TIMESTAMP)] == "arrival: soon"
    assert study.db.execute("SELECT count(*), count(DISTINCT declaration_id) FROM per_declaration").fetchone() == (5, 5)
    # the used declarations take their dimensions from their one start event: one row each
    assert study.db.execute("SELECT count(*), count(DISTINCT declaration_id) FROM declarations").fetchone() == (3, 3)


# -- time zones ------------------------------------------------------------------------------------


def test_hours_days_and_peaks_are_counted_in_the_study_time_zone(tmp_path: Path) -> None:
    # 08:00 UTC is 12:00 in Baku (+04:00): the two declarations that arrive then are peak there
    baku = StudyConfig(peak_hours=(9, 17), timezone="Asia/Baku")
    study = Study(write(tmp_path, GOOD), baku, threads=1)
    periods = {
        r.group["period"]: r.n for r in study.statistics(["period"]) if (r.start, r.end) == ("arrival", "release")
    }
    assert periods == {"peak": 3}
    assert study.values("hour") == ["12", "14"]


def test_days_and_hours_come_in_their_own_order(tmp_path: Path) -> None:
    """As text, Friday came before Monday and 10 before 2: in lists and breakdowns the days
    of the week run from Monday and the hours as numbers."""
    rows = []
    # one declaration a day from Monday 1 January 2024, arriving at 2, 4, … 14 o'clock (UTC)
    for day in range(7):
        at = dt.datetime(2024, 1, 1 + day, 2 + 2 * day, tzinfo=dt.UTC)
        rows += [
            (f"W{day}", milestone, (at + dt.timedelta(minutes=20 * n)).isoformat(), "P1", "green")
            for n, milestone in enumerate(("arrival", "lodgement", "registration", "release"))
        ]
    study = Study(write(tmp_path, list(reversed(rows))), StudyConfig(), threads=1)
    week = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert study.values("weekday") == week
    assert study.values("hour") == ["2", "4", "6", "8", "10", "12", "14"]
    totals = [r for r in study.statistics(["weekday"]) if (r.start, r.end) == ("arrival", "release")]
    assert [r.group["weekday"] for r in totals] == week
    by_hour = [r for r in study.statistics(["hour"]) if (r.start, r.end) == ("arrival", "release")]
    assert [r.group["hour"] for r in by_hour] == ["2", "4", "6", "8", "10", "12", "14"]
    assert [row["weekday"] for row in study.actor_shares(["weekday"])] == week
    assert [row["hour"] for row in study.actor_shares(["hour"])] == ["2", "4", "6", "8", "10", "12", "14"]


def test_times_without_an_offset_are_read_in_the_study_time_zone(tmp_path: Path) -> None:
    local = [(d, m, ts.replace("+00:00", ""), o, c) for d, m, ts, o, c in GOOD if d == "D1"]
    study = Study(write(tmp_path, local), StudyConfig(timezone="Asia/Baku"), threads=1)
    first, _last = study.span()
    assert first == dt.datetime(2024, 1, 1, 4, tzinfo=dt.UTC)  # 08:00 in Baku
    assert study.values("hour") == ["8"]


def test_a_reopened_study_keeps_its_time_zone(tmp_path: Path) -> None:
    # a year that starts at midnight in Baku begins at 20:00 UTC the day before
    late = [
        ("D9", "arrival", "2011-01-01T00:30:00+04:00", "P1", "green"),
        ("D9", "lodgement", "2011-01-01T01:00:00+04:00", "P1", "green"),
        ("D9", "registration", "2011-01-01T01:30:00+04:00", "P1", "green"),
        ("D9", "release", "2011-01-01T02:30:00+04:00", "P1", "green"),
    ]
    database = tmp_path / "study.duckdb"
    Study(write(tmp_path, late), StudyConfig(timezone="Asia/Baku"), database=database, threads=1).close()
    study = Study.reopen(database, threads=1)
    assert study.config.timezone == "Asia/Baku"
    assert study.values("hour") == ["0"]
    assert study.values("weekday") == ["Saturday"]
    years = [("2010", "2010-01-01T00:00:00+04:00", "2011-01-01T00:00:00+04:00")]
    years.append(("2011", "2011-01-01T00:00:00+04:00", "2012-01-01T00:00:00+04:00"))
    assert study.period_values("mean", "arrival", "release", years) == {"2011": (2.0, 1)}


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="not a time zone"):
        StudyConfig(timezone="Mars/Olympus_Mons")


# -- what is set aside -----------------------------------------------------------------------------


def test_rows_without_a_declaration_id_are_located_by_their_line(tmp_path: Path) -> None:
    rows = [*GOOD[:4], (None, "arrival", "2024-01-01T08:00:00+00:00", "P2", "green"), *GOOD[4:]]
    rows.append((None, "release", "2024-01-01T09:00:00+00:00", "P2", "green"))
    database = tmp_path / "study.duckdb"
    study = Study(write(tmp_path, rows), database=database, threads=1)  # type: ignore[arg-type]
    quarantine = study.quarantine()
    assert quarantine.rows_without_id == 2
    assert quarantine.counts == {Reason.MISSING_VALUE: 2}
    located = [(row.line, row.detail) for row in quarantine.rows if not row.declaration_id]
    assert located == [(6, "no declaration id"), (16, "no declaration id")]  # the header is line 1
    study.close()
    assert [row.line for row in Study.reopen(database).quarantine().rows] == [6, 16]


def test_the_reasons_can_add_up_to_more_than_the_declarations_set_aside(study: Study) -> None:
    quarantine = study.quarantine()
    # D3 has two reasons, D6 two, D4 one: five reasons, three declarations
    assert sum(quarantine.counts.values()) == 5
    assert quarantine.declarations_set_aside == 3
    assert quarantine.reasons_overlap


def test_a_long_unreadable_value_is_cut_in_the_detail(tmp_path: Path) -> None:
    rows = [*GOOD[:4], ("D3", "arrival", "x" * 10_000, "P1", "red")]
    quarantine = Study(write(tmp_path, rows), threads=1).quarantine()
    [detail] = [row.detail for row in quarantine.rows if row.reason == Reason.UNPARSEABLE_TIMESTAMP]
    assert detail.startswith("arrival: xxx")
    assert len(detail) <= 100


# -- spreadsheets ----------------------------------------------------------------------------------


def _spreadsheet(tmp_path: Path, rows: Sequence[Sequence[object]], name: str = "events.xlsx") -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    path = tmp_path / name
    book.save(path)
    return path


def _bomb(tmp_path: Path, megabytes: int) -> Path:
    """A real workbook whose sheet is replaced by ``megabytes`` of rows, which compress to a
    few hundred kilobytes."""
    import zipfile

    source = _spreadsheet(tmp_path, GOOD[:1], "source.xlsx")
    target = tmp_path / "bomb.xlsx"
    row = b'<row><c t="inlineStr"><is><t>D1</t></is></c><c t="inlineStr"><is><t>arrival</t></is></c></row>'
    block = row * (1_000_000 // len(row))
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in original.infolist():
            if member.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(member, original.read(member))
                continue
            with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
                for _ in range(megabytes):
                    sheet.write(block)
                sheet.write(b"</sheetData></worksheet>")
    return target


def test_a_spreadsheet_that_unpacks_beyond_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path, 150)
    assert bomb.stat().st_size < 2_000_000
    with pytest.raises(TrsInputError, match=r"unpacks to 150 MB, more than the 100 MB allowed"):
        Study(bomb, threads=1, limits=Limits(max_spreadsheet_bytes=100_000_000))


def test_a_spreadsheet_with_too_many_rows_is_refused(tmp_path: Path) -> None:
    path = _spreadsheet(tmp_path, GOOD)
    with pytest.raises(TrsInputError, match="more than 5 rows"):
        Study(path, threads=1, limits=Limits(max_rows=5))
    assert Study(path, threads=1, limits=Limits(max_rows=len(GOOD))).quarantine().declarations_used == 3


def test_a_csv_file_with_too_many_rows_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TrsInputError, match="more than 5 rows"):
        Study(write(tmp_path, GOOD), threads=1, limits=Limits(max_rows=5))


def test_a_file_named_xlsx_that_is_not_a_spreadsheet_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "events.xlsx"
    path.write_text("declaration_id,milestone,timestamp\n")
    with pytest.raises(TrsInputError, match="not an XLSX spreadsheet"):
        Study(path, threads=1)


def test_a_spreadsheet_row_without_an_id_is_located_by_its_row(tmp_path: Path) -> None:
    path = _spreadsheet(tmp_path, [*GOOD[:4], [None, "arrival", "2024-01-01T08:00:00+00:00", "P1", "red"], [None] * 5])
    quarantine = Study(path, threads=1).quarantine()
    assert [row.line for row in quarantine.rows if not row.declaration_id] == [6]
    assert quarantine.rows_without_id == 1  # the empty row at the end is not a row of data


def test_rows_of_a_sheet_that_does_not_declare_its_size_are_counted_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    bomb = _bomb(tmp_path, 2)  # about 20,000 rows and no <dimension> element

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl parses a sheet without a declared size in full before its first row")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(TrsInputError, match="more than 1,000 rows"):
        Study(bomb, threads=1, limits=Limits(max_rows=1000))
