"""Time Release Study data for the test world: two small generated studies (2012 and 2013)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.world import World
from waypoint.engine.trs import generator
from waypoint.trs import services
from waypoint.trs.models import Dataset


@dataclass
class TrsWorld:
    world: World
    root: Path
    before: Dataset  # arrivals in 2012
    after: Dataset  # arrivals in 2013, with a faster administration


@pytest.fixture
def trs(world: World, tmp_path: Path, settings: Any) -> TrsWorld:
    root = tmp_path / "trs-data"
    settings.WAYPOINT_TRS_DATA = root
    settings.WAYPOINT_TRS_STUDIES = tmp_path / "trs-studies"
    generator.write(3000, root / "y2012", seed=1, scenario=generator.Scenario(start=dt.date(2012, 1, 1)))
    faster = generator.Scenario(start=dt.date(2013, 1, 1), customs_speed=0.5, green=0.8, yellow=0.12, pre_arrival=0.6)
    generator.write(3000, root / "y2013", seed=2, scenario=faster)
    admin = world.unit("ADM")
    before = services.dataset_register(actor=None, administration=admin, name="Study 2012", server_path="y2012")
    after = services.dataset_register(actor=None, administration=admin, name="Study 2013", server_path="y2013")
    return TrsWorld(world, root, before, after)
