"""The roadmap's part of the portable plan file: teams and schedule data travel with the plan,
so that a plan moved to another installation can be scheduled there again."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.roadmap.conftest import Roadmap
from waypoint.plans.errors import PlanFileInvalid
from waypoint.plans.models import Plan
from waypoint.plans.planfile import plan_export_json, plan_import
from waypoint.roadmap import services
from waypoint.roadmap.models import ScheduleItem, Team


def enrich(roadmap: Roadmap) -> None:
    """A second team with a unit (not otherwise in the file) and capacity changes; schedule
    data with every field set."""
    plan = roadmap.world.plan
    trainers = services.team_save(
        actor=None,
        plan=plan,
        code="TRAIN",
        name="Trainers",
        capacity=2,
        unit=roadmap.world.unit("HQ-RSK"),
        changes=[(dt.date(2013, 1, 1), 4), (dt.date(2014, 7, 1), 1)],
    )
    services.item_save(
        actor=None,
        element=roadmap.training,
        values={
            "duration_months": 2,
            "release_on": dt.date(2012, 3, 1),
            "deadline_on": dt.date(2013, 12, 31),
            "pinned": True,
            "weight": 5,
            "actual_start": dt.date(2012, 6, 1),
            "actual_finish": dt.date(2012, 7, 31),
        },
        demands={roadmap.team: 1, trainers: 3},
    )


def test_teams_and_schedule_data_survive_export_and_import(roadmap: Roadmap) -> None:
    enrich(roadmap)
    first = plan_export_json(roadmap.world.plan)
    document = json.loads(first)
    assert [t["code"] for t in document["teams"]] == ["PROJ", "TRAIN"]
    assert document["teams"][1]["unit"] == "HQ-RSK"
    assert "HQ-RSK" in {u["code"] for u in document["units"]}
    assert document["teams"][1]["changes"] == [{"month": "2013-01", "capacity": 4}, {"month": "2014-07", "capacity": 1}]
    training = next(s for s in document["schedule"] if s["element"] == roadmap.training.code)
    assert training["not_before"] == "2012-03-01" and training["finish_by"] == "2013-12-31"
    assert training["pinned"] and training["weight"] == 5
    assert training["demands"] == [{"team": "PROJ", "people": 1}, {"team": "TRAIN", "people": 3}]
    roadmap.world.plan.delete()
    plan = plan_import(first, actor=None)
    assert plan_export_json(plan) == first
    assert Team.objects.get(plan=plan, code="TRAIN").capacity_changes.count() == 2
    assert ScheduleItem.objects.filter(element__plan=plan).count() == 3


@pytest.mark.parametrize(
    ("change", "location"),
    [
        (lambda d: d["teams"][1].update(code="PROJ"), "$.teams[1].code"),
        (lambda d: d["teams"][1].update(unit="NOWHERE"), "$.teams[1].unit"),
        (lambda d: d["teams"][1]["changes"].append({"month": "2020-01", "capacity": 1}), "$.teams[1].changes"),
        (lambda d: d["teams"][1]["changes"].append({"month": "2013-01", "capacity": 1}), "$.teams[1].changes"),
        (lambda d: d["schedule"][0].update(element="I9.9.9"), "$.schedule[0].element"),
        (lambda d: d["schedule"][0].update(element="G1"), "$.schedule[0].element"),
        (lambda d: d["schedule"][1].update(element=d["schedule"][0]["element"]), "$.schedule[1].element"),
        (lambda d: d["schedule"][1].update(finish_by="2012-01-31"), "$.schedule[1].finish_by"),
        (lambda d: d["schedule"][1].update(not_before="2011-05-01"), "$.schedule[1].not_before"),
        (lambda d: d["schedule"][1].update(actual_finish="2012-05-31"), "$.schedule[1].actual_finish"),
        (
            lambda d: d["schedule"][1]["demands"].append({"team": "NOBODY", "people": 1}),
            "$.schedule[1].demands[2].team",
        ),
        (lambda d: d["schedule"][1]["demands"].append({"team": "PROJ", "people": 1}), "$.schedule[1].demands[2].team"),
        (lambda d: d["schedule"][1]["demands"][1].update(people=5), "$.schedule[1].demands[1].people"),
    ],
)
def test_bad_roadmap_sections_are_refused_by_path_and_nothing_is_written(
    roadmap: Roadmap, change: object, location: str
) -> None:
    enrich(roadmap)
    document = json.loads(plan_export_json(roadmap.world.plan))
    assert document["schedule"][1]["element"] == roadmap.training.code
    roadmap.world.plan.delete()
    change(document)  # type: ignore[operator]
    with pytest.raises(PlanFileInvalid) as refused:
        plan_import(json.dumps(document), actor=None)
    assert location in {p.location for p in refused.value.problems}
    assert not Plan.objects.exists() and not Team.objects.exists()
