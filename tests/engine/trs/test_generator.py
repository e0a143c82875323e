"""The synthetic declarations: deterministic, well-formed, and calibrated to published figures."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from waypoint.engine.trs import generator
from waypoint.engine.trs.dialect import DUCKDB
from waypoint.engine.trs.model import DEFAULT_MILESTONES, STANDARD_DIMENSIONS
from waypoint.engine.trs.runner import Study


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Study:
    path = generator.write(40_000, tmp_path_factory.mktemp("trs"), seed=7)
    return Study(path, threads=1)


def test_the_same_seed_gives_the_same_file(tmp_path: Path) -> None:
    first = generator.write(3000, tmp_path / "a", seed=5)
    second = generator.write(3000, tmp_path / "b", seed=5)
    other = generator.write(3000, tmp_path / "c", seed=6)
    assert pq.read_table(first).equals(pq.read_table(second))
    assert not pq.read_table(first).equals(pq.read_table(other))


def test_the_file_follows_the_contract(tmp_path: Path) -> None:
    table = pq.read_table(generator.write(500, tmp_path, seed=1))
    assert table.column_names == ["declaration_id", "milestone", "timestamp", *STANDARD_DIMENSIONS, "office_type"]
    timestamp = table.schema.field("timestamp").type
    assert str(timestamp).startswith("timestamp[") and timestamp.tz == "UTC"
    assert set(table.column("milestone").to_pylist()) <= set(DEFAULT_MILESTONES)


def test_every_generated_declaration_passes_validation(study: Study) -> None:
    quarantine = study.quarantine()
    assert quarantine.declarations_used == quarantine.declarations_in == 40_000


def _total(study: Study, mode: str) -> tuple[float, float]:
    row = next(
        r for r in study.statistics(["mode"]) if (r.start, r.end) == ("arrival", "release") and r.group["mode"] == mode
    )
    return row.mean, row.median


def test_calibrated_to_published_release_times(study: Study) -> None:
    # road border crossings about 4–6 h on average with most trucks through within two hours
    # (CAREC CPMM Azerbaijan 4.0–5.8 h); air about half a day (Japan 12.8 h); sea 2–3 days (Japan 59.5 h)
    road_mean, road_median = _total(study, "road")
    assert 3.5 <= road_mean <= 7.0
    assert road_median <= 2.0
    assert 9.0 <= _total(study, "air")[0] <= 16.0
    assert 45.0 <= _total(study, "sea")[0] <= 75.0


def test_channels_decide_the_checks_and_aeos_go_green(study: Study) -> None:
    rows = {(r.end, r.group["channel"]): r.n for r in study.statistics(["channel"])}
    assert ("physical_examination", "green") not in rows
    assert ("physical_examination", "yellow") not in rows
    assert rows[("physical_examination", "red")] > 0
    shares = {
        r.group["aeo"]: r.n
        for r in study.statistics(["aeo"], filters={"channel": ["green"]})
        if (r.start, r.end) == ("arrival", "release")
    }
    everyone = {r.group["aeo"]: r.n for r in study.statistics(["aeo"]) if (r.start, r.end) == ("arrival", "release")}
    assert shares["true"] / everyone["true"] > shares["false"] / everyone["false"] + 0.2


def test_office_hours_keep_customs_steps_inside_them(study: Study) -> None:
    # the inland office works 09:00–18:00 at UTC+4; the border posts around the clock
    def release_hours(office: str) -> set[int]:
        found = study.db.execute(
            f"SELECT DISTINCT hour({DUCKDB.instant('t7')} AT TIME ZONE 'Etc/GMT-4') FROM declarations "
            f"WHERE office = '{office}'"
        ).fetchall()
        return {int(h) for (h,) in found}

    assert release_hours("IO-BAK") <= set(range(9, 18))
    assert len(release_hours("BP-AST")) == 24


def test_many_declarations_are_written_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator, "CHUNK", 1000)
    path = generator.write(2500, tmp_path, seed=2)
    assert pq.ParquetFile(path).metadata.num_rows > 2500 * 6
    ids = pq.read_table(path).column("declaration_id").to_pylist()
    assert (min(ids), max(ids), len(set(ids))) == (1, 2500, 2500)
