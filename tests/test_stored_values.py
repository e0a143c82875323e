"""Reads never crash on a stored value (issue 12).

An actual of 1e17 sent through the API once took a whole plan down: every page and API call that
read it answered 500, and it could not be deleted. The entry paths refuse such numbers now
(``core/rules.py``), but a database may still hold one: written before that, by hand, or by an
older version. Here odd values are written straight into the database, past every service, and
then every GET page of the permission matrix, every GET operation of the API (the plan export
among them) and the health page are opened: none may answer 500, and the odd value can be
deleted or replaced through the page or the API.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.test import Client

from tests.test_permission_matrix import CASES, Case
from tests.world import World
from waypoint.api import api
from waypoint.indicators.models import Actual, Indicator, Target
from waypoint.org.models import OrgUnit
from waypoint.plans.models import BudgetLine, Plan, PlanElement
from waypoint.roadmap.models import Team

#: the largest magnitude a 20-digit, 4-decimal column holds
LIMIT = Decimal("9999999999999999.9999")
PREFERRED = (
    "planner",
    "administrator",
    "contributor",
    "contributor_west",
    "approver",
    "viewer",
    "hr",
    "head",
    "outsider",
)


def _raw_update(model: Any, pk: int, **values: Any) -> None:
    """Write past the ORM's own conversion (which would refuse a number too large for the
    column before SQLite ever sees it)."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {columns} WHERE id = %s", [*values.values(), pk])  # noqa: S608


def _actual(world: World, key: str) -> Actual:
    return world.indicators[key].actuals.order_by("pk").first()  # type: ignore[return-value]


def poison_within_the_columns(world: World) -> dict[str, int]:
    """Values every database holds, but that no form would have let through."""
    south, west = world.indicators["south"], world.indicators["west"]
    # a target at the column's limit, and one at the negative limit with its upper bound at the limit
    Target.objects.filter(indicator=south, period="2013").update(value=LIMIT)
    Target.objects.filter(indicator=south, period="2014").update(value=-LIMIT, upper_value=LIMIT)
    # an actual at the limit, and a second, negative one
    Actual.objects.filter(pk=_actual(world, "west").pk).update(value=LIMIT)
    extra = Actual.objects.create(indicator=south, period="2013", value=-LIMIT, recorded_by_name="")
    # a baseline that is not a number (PostgreSQL's numeric holds NaN; SQLite keeps the text)
    _raw_update(Indicator, west.pk, baseline_value="NaN")
    # a baseline at the negative limit, no tolerance at all, and decimals no one would show
    Indicator.objects.filter(pk=south.pk).update(
        baseline_value=-LIMIT, tolerance_value=Decimal(0), decimals=32767, tolerance_kind="absolute"
    )
    # empty text where a name is expected
    Indicator.objects.filter(pk=west.pk).update(name="", unit_of_measure="")
    PlanElement.objects.filter(pk=world.elements["O1.2"].pk).update(title="", description="")
    Plan.objects.filter(pk=world.plan.pk).update(title="", vision="")
    OrgUnit.objects.filter(code="BP-W1").update(name="")
    # a budget line at its column's limit, and a team as large as its column allows
    BudgetLine.objects.filter(element=world.elements["I1.2.1"]).update(amount=Decimal("99999999999999.99"))
    Team.objects.create(plan=world.plan, code="ALL", name="Everyone", capacity=32767)
    return {"actual": _actual(world, "west").pk, "extra": extra.pk}


def poison_beyond_the_columns(world: World) -> dict[str, int]:
    """Values only SQLite keeps (PostgreSQL refuses them on write): what the API took before
    issue 12 was fixed. Written with raw SQL: Django would refuse them on the way in."""
    south, west = world.indicators["south"], world.indicators["west"]
    _raw_update(Actual, _actual(world, "west").pk, value=10**17)
    extra = Actual.objects.create(indicator=south, period="2013", value=1, recorded_by_name="")
    _raw_update(Actual, extra.pk, value=-(10**18))
    _raw_update(Target, Target.objects.get(indicator=south, period="2013").pk, value="1e20")
    _raw_update(Indicator, west.pk, baseline_value=1e300, tolerance_value=10**15)
    _raw_update(Actual, _actual(world, "south").pk, value="1e999")  # past what a float holds
    line = BudgetLine.objects.get(element=world.elements["I1.2.1"])
    _raw_update(BudgetLine, line.pk, amount="1e20")
    return {"actual": _actual(world, "west").pk, "extra": extra.pk}


POISONS: dict[str, Callable[[World], dict[str, int]]] = {
    "within the columns": poison_within_the_columns,
    "beyond the columns": poison_beyond_the_columns,
}


def _persona(case: Case) -> str:
    return next(p for p in PREFERRED if p in case.allowed)


def _api_paths(world: World) -> list[str]:
    from tests.people.conftest import make_workforce
    from tests.test_permission_matrix import assessment, dataset, run, scenario, team

    ids: dict[str, Callable[[], Any]] = {
        "plan_id": lambda: world.plan.pk,
        "element_id": lambda: world.elements["A1.1.1.1"].pk,
        "indicator_id": lambda: world.indicators["west"].pk,
        "scenario_id": lambda: scenario(world),
        "dataset_id": lambda: dataset(world),
        "assessment_id": lambda: assessment(world).pk,
        "framework_id": lambda: assessment(world).framework_id,
        "code": lambda: "RD-S",
        "team_id": lambda: team(world),
        # the workforce's aggregates and catalogue (planners read them; records are HR's)
        "profile_id": lambda: make_workforce(world).inspector.pk,
        "course_id": lambda: make_workforce(world).courses["RISK-2"].pk,
        "run_id": lambda: run(world),
    }
    paths = []
    for path, methods in api.get_openapi_schema()["paths"].items():
        if "get" not in methods:
            continue
        for name, value in ids.items():
            if "{" + name + "}" in path:
                path = path.replace("{" + name + "}", str(value()))
        paths.append(path)
    return paths


def _open_everything(world: World) -> list[str]:
    """Every GET page of the matrix (as a persona it allows), every GET operation of the API,
    for each indicator too; what did not answer is listed with its error."""
    failures: list[str] = []
    clients: dict[str, Client] = {}

    def get(persona: str, url: str) -> None:
        if persona not in clients:
            clients[persona] = Client()
            clients[persona].force_login(world.users[persona])
        try:
            response = clients[persona].get(url)
        except Exception as error:  # the test client re-raises what the view raised
            failures.append(f"{url}: {type(error).__name__}: {error}")
            return
        if response.status_code >= 500:
            failures.append(f"{url}: {response.status_code}")

    for case in CASES:
        if case.method != "get":
            continue
        try:
            url = case.url(world)
        except ObjectDoesNotExist:  # the page of a value deleted by the test
            continue
        get(_persona(case), url)
    for key in ("south", "west"):
        indicator = world.indicators[key]
        get("planner", f"/indicators/{indicator.pk}/")
        for path in (f"/api/indicators/{indicator.pk}", f"/api/indicators/{indicator.pk}/targets"):
            get("planner", path)
        get("planner", f"/api/indicators/{indicator.pk}/actuals")
    for path in _api_paths(world):
        get("planner", path)
    return failures


@pytest.mark.parametrize("poison", POISONS)
def test_every_page_and_api_read_survives_odd_stored_values(world: World, settings: Any, poison: str) -> None:
    if poison == "beyond the columns" and connection.vendor != "sqlite":
        pytest.skip("PostgreSQL refuses numbers beyond a column on write: there is nothing to read")
    ids = POISONS[poison](world)
    failures = _open_everything(world)
    assert not failures, "\n".join(failures)

    # the odd values can be removed or replaced where people do it
    client = Client()
    client.force_login(world.users["planner"])
    assert client.delete(f"/api/actuals/{ids['actual']}").status_code == 204
    page = client.post(f"/indicators/{world.indicators['south'].pk}/actuals/{ids['extra']}/delete/")
    assert page.status_code in (200, 302)
    assert not Actual.objects.filter(pk__in=ids.values()).exists()
    south = world.indicators["south"]
    target = client.put(
        f"/api/indicators/{south.pk}/targets/2013",
        data=json.dumps({"value": 7, "reason": "The stored value was out of range."}),
        content_type="application/json",
    )
    assert target.status_code == 200, target.content
    west = world.indicators["west"]
    cleared = client.patch(
        f"/api/indicators/{west.pk}",
        data=json.dumps({"version": Indicator.objects.get(pk=west.pk).version, "baseline_value": None}),
        content_type="application/json",
    )
    assert cleared.status_code in (200, 400), cleared.content  # 400: another stored value breaks a rule
    assert not _open_everything(world)
