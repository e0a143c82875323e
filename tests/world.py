"""A small but complete test administration, built through the services.

Personas (one place, used by every test):
- ``planner``: planner at the planning department (whole plan)
- ``contributor``: contributor at the southern directorate (its subtree only)
- ``contributor_west``: contributor at the western directorate
- ``approver``: approver (management)
- ``viewer``: viewer
- ``administrator``: administrator
- ``hr``: HR officer (sees and keeps every officer's record)
- ``head``: head of the southern directorate (sees the records of its officers only)
- ``outsider``: signed in, but no role anywhere

Besides the personas every matrix walks through, ``contributor_post`` is a contributor at
South Post One (a border post below the southern directorate): planning rounds ask posts and
their directorates, and the rounds' tests use them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from waypoint.indicators import services as indicator_services
from waypoint.indicators.models import Indicator
from waypoint.org import services as org_services
from waypoint.org.models import OrgUnit, User
from waypoint.plans import services
from waypoint.plans.models import FundingSource, Plan, PlanElement

PASSWORD = "correct-horse-battery"
PERSONAS = (
    "planner",
    "contributor",
    "contributor_west",
    "approver",
    "viewer",
    "administrator",
    "hr",
    "head",
    "outsider",
)


@dataclass
class World:
    units: dict[str, OrgUnit]
    users: dict[str, User]
    plan: Plan
    elements: dict[str, PlanElement]
    indicators: dict[str, Indicator]
    source: FundingSource

    def unit(self, code: str) -> OrgUnit:
        return self.units[code]


def build_world() -> World:
    units: dict[str, OrgUnit] = {}
    for code, name, kind, parent in [
        ("ADM", "Test Customs", "administration", None),
        ("HQ-PLN", "Planning Department", "hq_department", "ADM"),
        ("HQ-RSK", "Risk Department", "hq_department", "ADM"),
        ("RD-S", "Southern Directorate", "regional_directorate", "ADM"),
        ("BP-S1", "South Post One", "road_border_post", "RD-S"),
        ("RD-W", "Western Directorate", "regional_directorate", "ADM"),
        ("BP-W1", "West Post One", "road_border_post", "RD-W"),
    ]:
        units[code] = org_services.unit_create(
            actor=None, code=code, name=name, kind=kind, parent=units.get(parent) if parent else None
        )
    roles = {
        "planner": ("planner", "HQ-PLN"),
        "contributor": ("contributor", "RD-S"),
        "contributor_west": ("contributor", "RD-W"),
        "approver": ("approver", "ADM"),
        "viewer": ("viewer", "ADM"),
        "administrator": ("administrator", "ADM"),
        "hr": ("hr", "ADM"),
        "head": ("head", "RD-S"),
    }
    users: dict[str, User] = {}
    roles["contributor_post"] = ("contributor", "BP-S1")
    for name in (*PERSONAS, "contributor_post"):
        users[name] = org_services.user_create(actor=None, username=name, password=PASSWORD, first_name=name.title())
        if name in roles:
            role, unit = roles[name]
            org_services.role_grant(actor=None, user=users[name], role=role, unit=units[unit])
    plan = services.plan_create(
        actor=None,
        administration=units["ADM"],
        title="Plan 2012–2016",
        start_year=2012,
        end_year=2016,
        vision="Fast clearance",
        mission="Serve trade",
    )
    source = services.funding_source_create(
        actor=None, administration=units["ADM"], name="State budget", kind="state_budget"
    )
    e: dict[str, PlanElement] = {}
    e["G1"] = services.element_create(
        actor=None, plan=plan, parent=None, title="Faster clearance", responsible_unit=units["HQ-PLN"]
    )
    e["O1.1"] = services.element_create(
        actor=None, plan=plan, parent=e["G1"], title="Cut release time in the south", responsible_unit=units["RD-S"]
    )
    e["O1.2"] = services.element_create(
        actor=None, plan=plan, parent=e["G1"], title="Cut release time in the west", responsible_unit=units["RD-W"]
    )
    e["I1.1.1"] = services.element_create(
        actor=None,
        plan=plan,
        parent=e["O1.1"],
        title="Lane management at South Post One",
        responsible_unit=units["BP-S1"],
        starts_on=dt.date(2012, 3, 1),
        ends_on=dt.date(2014, 12, 1),
    )
    e["A1.1.1.1"] = services.element_create(
        actor=None,
        plan=plan,
        parent=e["I1.1.1"],
        title="Build two lanes",
        responsible_unit=units["BP-S1"],
        starts_on=dt.date(2012, 3, 1),
        ends_on=dt.date(2013, 6, 1),
    )
    e["I1.2.1"] = services.element_create(
        actor=None,
        plan=plan,
        parent=e["O1.2"],
        title="Joint controls at West Post One",
        responsible_unit=units["BP-W1"],
        starts_on=dt.date(2013, 1, 1),
        ends_on=dt.date(2015, 12, 1),
    )
    services.budget_line_save(
        actor=None, element=e["A1.1.1.1"], year=2012, funding_source=source, amount=Decimal("100000")
    )
    services.budget_line_save(
        actor=None, element=e["I1.2.1"], year=2013, funding_source=source, amount=Decimal("50000")
    )
    release = indicator_services.indicator_create(
        actor=None,
        plan=plan,
        element=e["O1.1"],
        name="Release time in the south",
        unit_of_measure="hours",
        direction="decrease",
        aggregation="mean",
        frequency="year",
        owner_unit=units["RD-S"],
        baseline_value=Decimal("10"),
        baseline_date=dt.date(2011, 12, 31),
        disaggregation=["office"],
    )
    for year, value in ((2012, 9), (2013, 8), (2014, 7), (2015, 6), (2016, 5)):
        indicator_services.target_set(actor=None, indicator=release, period=str(year), value=Decimal(value))
    indicator_services.actual_record(actor=None, indicator=release, period="2012", value=Decimal("8.5"))
    west = indicator_services.indicator_create(
        actor=None,
        plan=plan,
        element=e["O1.2"],
        name="Release time in the west",
        unit_of_measure="hours",
        direction="decrease",
        aggregation="mean",
        frequency="year",
        owner_unit=units["RD-W"],
        baseline_value=Decimal("12"),
        baseline_date=dt.date(2011, 12, 31),
    )
    indicator_services.target_set(actor=None, indicator=west, period="2012", value=Decimal("11"))
    indicator_services.actual_record(actor=None, indicator=west, period="2012", value=Decimal("14"))
    return World(
        units=units, users=users, plan=plan, elements=e, indicators={"south": release, "west": west}, source=source
    )
