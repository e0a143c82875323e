"""A small roadmap on the test world: one team of one person, three pieces of work."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from tests.world import World
from waypoint.plans import services as plan_services
from waypoint.plans.models import PlanElement
from waypoint.roadmap import services
from waypoint.roadmap.models import Scenario, Team


@dataclass
class Roadmap:
    world: World
    team: Team
    lanes: PlanElement  # A1.1.1.1, 4 months
    training: PlanElement  # A1.1.1.2, 2 months, after the lanes
    joint: PlanElement  # I1.2.1 (no activities), 3 months


@pytest.fixture
def roadmap(world: World) -> Roadmap:
    plan = world.plan
    team = services.team_save(actor=None, plan=plan, code="PROJ", name="Project team", capacity=1)
    lanes = world.elements["A1.1.1.1"]
    training = plan_services.element_create(
        actor=None,
        plan=plan,
        parent=world.elements["I1.1.1"],
        title="Train the lane officers",
        responsible_unit=world.unit("RD-S"),
        starts_on=dt.date(2012, 6, 1),
        ends_on=dt.date(2012, 7, 31),
    )
    joint = world.elements["I1.2.1"]
    services.item_save(actor=None, element=lanes, values={"duration_months": 4}, demands={team: 1})
    services.item_save(actor=None, element=training, values={"duration_months": 2}, demands={team: 1})
    services.item_save(actor=None, element=joint, values={"duration_months": 3}, demands={team: 1})
    services.dependency_add(actor=None, before=lanes, after=training)
    return Roadmap(world, team, lanes, training, joint)


def queued_scenario(roadmap: Roadmap, name: str, *, time_limit_s: int = 5) -> Scenario:
    """A scenario waiting for the worker (not solved), as the web form leaves it."""
    return services._scenario_insert(
        actor=None,
        plan=roadmap.world.plan,
        name=name,
        objective="makespan",
        time_limit_s=time_limit_s,
        workers=1,
        replan_from=None,
    )
