"""The demo's Time Release Study data: four yearly studies (2011–2014) whose release times
improve as the demo plan says they did, and the plan indicators computed from them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings

from waypoint.engine.trs import generator
from waypoint.indicators import services as indicator_services
from waypoint.indicators.models import Actual, Indicator
from waypoint.org.models import OrgUnit
from waypoint.plans.models import Plan
from waypoint.trs import services
from waypoint.trs.models import Dataset

NAME = "Declarations 2011–2014 (sample)"
FOLDER = "demo-2011-2014"
PER_YEAR = 25_000
#: stage-time multipliers per mode and year, found by calibrating the generator so that the
#: road border posts' median and the airport's and sea port's mean arrival → release times
#: match the plan's baseline (2011) and the improvement it reports for 2012–2014
SCALES = {
    2011: {"road": 3.872, "air": 1.222, "sea": 0.949},
    2012: {"road": 3.041, "air": 0.954, "sea": 0.89},
    2013: {"road": 2.74, "air": 0.765, "sea": 0.833},
    2014: {"road": 2.338, "air": 0.686, "sea": 0.761},
}
#: indicator name → (statistic, filters)
BINDINGS = {
    "Median arrival-to-release time at road border posts": ("median", {"office_type": "border post", "mode": "road"}),
    "Average release time for air cargo": ("mean", {"office_type": "airport"}),
    "Average release time for sea containers at Alat": ("mean", {"office_type": "sea port"}),
}


def build_trs(plan: Plan, administration: OrgUnit) -> bool:
    """Generate, read and bind the demo data unless it exists; returns whether it was built."""
    if Dataset.objects.filter(administration=administration, name=NAME).exists():
        return False
    folder = Path(settings.WAYPOINT_TRS_DATA) / FOLDER
    for index, (year, scales) in enumerate(SCALES.items()):
        scenario = generator.Scenario(start=dt.date(year, 1, 1), mode_scale=tuple(scales.items()))
        generator.write(
            PER_YEAR, folder, seed=year, scenario=scenario, name=f"{year}.parquet", first_id=1 + index * PER_YEAR
        )
    dataset = services.dataset_register(
        actor=None,
        administration=administration,
        name=NAME,
        server_path=FOLDER,
        description="Extract of the customs declaration system: every declaration's milestones, 2011–2014 (generated sample).",
        run_now=True,
    )
    for name, (statistic, filters) in BINDINGS.items():
        indicator = Indicator.objects.get(plan=plan, name=name)
        # the values typed in while the data was not connected make way for computed ones
        for actual in Actual.objects.filter(indicator=indicator, unit__isnull=True, is_computed=False):
            indicator_services.actual_delete(actor=None, actual=actual)
        services.binding_save(actor=None, indicator=indicator, dataset=dataset, statistic=statistic, filters=filters)
    return True
