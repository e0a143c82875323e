"""Synthetic declaration events with the behaviour of real border operations.

Calibrated to published figures (customs-brief §3.6): road border posts clear in about four
hours on average with a median near one hour (CAREC CPMM 2021–2023: 5.8, 4.0, 4.3 h; most
trucks within the hour), air cargo in about half a day and sea cargo in two to three days
(Japan TRS: aircraft arrival → permit 12.8 h, vessel arrival → permit 59.5 h). Within those:

- stage times are log-normal (skewed: most quick, a long tail);
- the channel decides the checks: documentary check for yellow and red, physical
  examination for red; AEOs are sent to green more often and pass quicker;
- a share of declarations is lodged before arrival (pre-arrival processing);
- other agencies intervene in some consignments (sanitary, veterinary, standards);
- inland offices and the sea port work office hours (Monday–Friday, 09:00–18:00 local);
  customs steps that would end outside them wait for the next opening; border posts and the
  airport work around the clock;
- each office has its own pace (a multiplier on customs stage times).

Deterministic by seed. Written in fixed-size chunks with pyarrow, so tens of millions of
declarations never sit in memory at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from waypoint.engine.trs.model import DEFAULT_MILESTONES

CHUNK = 250_000
HOUR = 3600.0


@dataclass(frozen=True)
class Office:
    code: str
    kind: str
    mode: str
    share: float  # of all declarations
    round_the_clock: bool
    pace: float  # multiplier on customs stage times


OFFICES = (
    Office("BP-AST", "border post", "road", 0.16, True, 1.0),
    Office("BP-RED", "border post", "road", 0.14, True, 1.3),
    Office("BP-SAM", "border post", "road", 0.10, True, 0.9),
    Office("BP-BIL", "border post", "road", 0.06, True, 1.1),
    Office("RL-BOY", "border post", "rail", 0.05, True, 1.2),
    Office("AP-GYD", "airport", "air", 0.17, True, 0.8),
    Office("SP-ALT", "sea port", "sea", 0.12, False, 1.0),
    Office("IO-BAK", "inland office", "road", 0.12, False, 1.0),
    Office("IO-GAN", "inland office", "road", 0.08, False, 1.2),
)
#: arrival → release calibration, hours (mean) per mode, as the figures above suggest
TARGET_MEAN_HOURS = {"road": 4.3, "rail": 8.0, "air": 12.8, "sea": 60.0}
MODES = np.array(["air", "rail", "road", "sea"])  # sorted, for searchsorted
CHANNELS = np.array(["green", "yellow", "red"])
REGIMES = np.array(["import", "transit", "export"])
MILESTONES = DEFAULT_MILESTONES
TIMEZONE = dt.timezone(dt.timedelta(hours=4))  # the demo administration's local time


@dataclass(frozen=True)
class StageSpec:
    """Median hours and spread (sigma of the log) of one stage, per mode."""

    median: dict[str, float]
    sigma: float


# port/terminal and trader times carry the mode differences; customs stages are shorter
STAGES = {
    "lodgement": StageSpec({"road": 0.25, "rail": 2.0, "air": 7.0, "sea": 18.0}, 1.0),
    "registration": StageSpec({"road": 0.1, "rail": 0.2, "air": 0.2, "sea": 0.5}, 0.8),
    "documentary_check": StageSpec({"road": 0.4, "rail": 1.5, "air": 1.0, "sea": 3.0}, 0.9),
    "physical_examination": StageSpec({"road": 1.0, "rail": 4.0, "air": 2.0, "sea": 8.0}, 0.9),
    "oga_release": StageSpec({"road": 1.0, "rail": 6.0, "air": 4.0, "sea": 16.0}, 1.0),
    "payment": StageSpec({"road": 0.2, "rail": 0.8, "air": 0.8, "sea": 4.0}, 1.0),
    "release": StageSpec({"road": 0.1, "rail": 0.3, "air": 0.3, "sea": 1.0}, 0.8),
    "exit": StageSpec({"road": 0.3, "rail": 2.0, "air": 3.0, "sea": 18.0}, 1.0),
}
CUSTOMS_STAGES = ("registration", "documentary_check", "physical_examination", "release")


@dataclass(frozen=True)
class Scenario:
    """Levers for before/after studies: a faster administration has more pre-arrival
    lodgement, more green lanes and quicker customs stages."""

    start: dt.date = dt.date(2014, 1, 1)
    days: int = 365
    pre_arrival: float = 0.3
    green: float = 0.6
    yellow: float = 0.25
    aeo: float = 0.1
    oga: float = 0.2
    customs_speed: float = 1.0  # multiplier on customs stage times (0.8 = 20 % quicker)
    #: multiplier on every stage time per mode (road, rail, air, sea), for calibration
    mode_scale: tuple[tuple[str, float], ...] = ()


def generate(
    declarations: int, *, seed: int = 0, scenario: Scenario | None = None, first_id: int = 1
) -> Iterator[pa.Table]:
    """Long-form event tables, one per chunk of at most ``CHUNK`` declarations."""
    scenario = scenario or Scenario()
    sequence = np.random.SeedSequence(seed)
    chunks = (declarations + CHUNK - 1) // CHUNK
    for index, child in enumerate(sequence.spawn(max(chunks, 1))[:chunks]):
        size = min(CHUNK, declarations - index * CHUNK)
        yield _chunk(np.random.default_rng(child), size, first_id + index * CHUNK, scenario)


def write(
    declarations: int,
    out: str | Path,
    *,
    seed: int = 0,
    scenario: Scenario | None = None,
    name: str = "events.parquet",
    first_id: int = 1,
) -> Path:
    """Write ``declarations`` to ``out/name`` (long form); returns the file."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    writer: pq.ParquetWriter | None = None
    try:
        for table in generate(declarations, seed=seed, scenario=scenario, first_id=first_id):
            if writer is None:
                writer = pq.ParquetWriter(target, table.schema, compression="zstd")
            writer.write_table(table, row_group_size=1_000_000)
    finally:
        if writer is not None:
            writer.close()
    return target


def _lognormal(rng: np.random.Generator, median: np.ndarray, sigma: float) -> np.ndarray:
    return median * np.exp(rng.normal(0.0, sigma, size=median.shape))


def _next_opening(seconds: np.ndarray, open_mask: np.ndarray) -> np.ndarray:
    """Move times outside office hours (Mon–Fri 09–18 local) to the next opening."""
    local = seconds + 4 * HOUR
    day = np.floor(local / 86400.0)
    hour = (local - day * 86400.0) / HOUR
    weekday = (day + 3) % 7  # 1970-01-01 was a Thursday: 0 = Monday
    out = seconds.copy()
    closed = open_mask & ((weekday >= 5) | (hour < 9) | (hour >= 18))
    if closed.any():
        next_day = day + np.where(hour >= 18, 1, 0)
        next_weekday = (next_day + 3) % 7
        next_day = next_day + np.where(next_weekday >= 5, 7 - next_weekday, 0)
        opening = next_day * 86400.0 + 9 * HOUR - 4 * HOUR
        out = np.where(closed, opening, out)
    return out


def _chunk(rng: np.random.Generator, size: int, first_id: int, scenario: Scenario) -> pa.Table:
    shares = np.array([o.share for o in OFFICES])
    office_index = rng.choice(len(OFFICES), size=size, p=shares / shares.sum())
    modes = np.array([o.mode for o in OFFICES])[office_index]
    pace = np.array([o.pace for o in OFFICES])[office_index] * scenario.customs_speed
    office_hours = ~np.array([o.round_the_clock for o in OFFICES])[office_index]
    aeo = rng.random(size) < scenario.aeo
    pre_arrival = rng.random(size) < scenario.pre_arrival
    oga = rng.random(size) < scenario.oga
    # AEOs go green more often
    draw = rng.random(size)
    aeo_green = min(0.95, scenario.green + 0.3)
    green = np.where(aeo, aeo_green, scenario.green)
    yellow = np.where(aeo, max(0.0, 1 - aeo_green - 0.02), scenario.yellow)
    channel = np.where(draw < green, 0, np.where(draw < green + yellow, 1, 2))
    # arrivals spread over the study period, busier by day than by night
    base = dt.datetime.combine(scenario.start, dt.time(), TIMEZONE).timestamp()
    day = rng.integers(0, scenario.days, size=size)
    hour = np.clip(rng.normal(13.0, 4.5, size=size), 0, 23.99)
    arrival = base + day * 86400.0 + hour * HOUR

    mode_index = np.searchsorted(MODES, modes)
    scales = dict(scenario.mode_scale)
    scale = np.array([scales.get(str(m), 1.0) for m in MODES])[mode_index]

    def stage(name: str) -> np.ndarray:
        spec = STAGES[name]
        per_mode = np.array([spec.median[m] for m in MODES])[mode_index]
        hours: np.ndarray = _lognormal(rng, per_mode, spec.sigma) * scale
        if name in CUSTOMS_STAGES:
            hours = hours * pace * np.where(aeo, 0.5, 1.0)
        return hours * HOUR

    times: dict[str, np.ndarray] = {"arrival": arrival}
    # pre-arrival: lodged (and registered) before the goods arrive
    lodge_gap = stage("lodgement")
    times["lodgement"] = np.where(pre_arrival, arrival - rng.uniform(2, 48, size=size) * HOUR, arrival + lodge_gap)
    times["registration"] = _next_opening(times["lodgement"] + stage("registration"), office_hours)
    cursor = np.maximum(times["registration"], arrival)
    present: dict[str, np.ndarray] = {
        "documentary_check": channel >= 1,
        "physical_examination": channel == 2,
        "oga_release": oga,
    }
    for name in ("documentary_check", "physical_examination"):
        finished = _next_opening(cursor + stage(name), office_hours)
        cursor = np.where(present[name], finished, cursor)
        times[name] = finished
    oga_done = cursor + stage("oga_release")
    cursor = np.where(oga, oga_done, cursor)
    times["oga_release"] = oga_done
    times["payment"] = cursor + stage("payment")
    times["release"] = _next_opening(times["payment"] + stage("release"), office_hours)
    times["exit"] = times["release"] + stage("exit")
    present |= {
        m: np.ones(size, dtype=bool) for m in ("arrival", "lodgement", "registration", "payment", "release", "exit")
    }

    ids = np.arange(first_id, first_id + size, dtype=np.int64)
    regime = rng.choice(3, size=size, p=[0.7, 0.15, 0.15])
    codes = {
        "office": (office_index, [o.code for o in OFFICES]),
        "mode": (mode_index, [str(m) for m in MODES]),
        "regime": (regime, [str(r) for r in REGIMES]),
        "channel": (channel, [str(c) for c in CHANNELS]),
        "hs_chapter": (rng.integers(0, 97, size=size), [f"{n:02d}" for n in range(1, 98)]),
    }
    flags = {"aeo": aeo, "pre_arrival": pre_arrival, "oga": oga}
    value = np.round(rng.lognormal(9.5, 1.3, size=size), 2)
    masks = [present[m] for m in MILESTONES]
    # dictionary-encoded columns straight from integer codes: no Python strings per row
    table: dict[str, pa.Array] = {
        "declaration_id": pa.array(np.concatenate([ids[m] for m in masks])),
        "milestone": pa.DictionaryArray.from_arrays(
            pa.array(np.concatenate([np.full(int(m.sum()), i, dtype=np.int8) for i, m in enumerate(masks)])),
            pa.array(list(MILESTONES)),
        ),
        "timestamp": pa.array(
            np.concatenate(
                [np.round(times[name][m]).astype("int64") for name, m in zip(MILESTONES, masks, strict=True)]
            ),
            pa.timestamp("s", tz="UTC"),
        ),
    }
    for name, (index, dictionary) in codes.items():
        table[name] = pa.DictionaryArray.from_arrays(
            pa.array(np.concatenate([index[m] for m in masks]).astype(np.int8)), pa.array(dictionary)
        )
    for name, flag in flags.items():
        table[name] = pa.array(np.concatenate([flag[m] for m in masks]))
    table["declared_value"] = pa.array(np.concatenate([value[m] for m in masks]))
    kinds = sorted({o.kind for o in OFFICES})
    kind_index = np.array([kinds.index(o.kind) for o in OFFICES], dtype=np.int8)[office_index]
    table["office_type"] = pa.DictionaryArray.from_arrays(
        pa.array(np.concatenate([kind_index[m] for m in masks])), pa.array(kinds)
    )
    return pa.table(table)
