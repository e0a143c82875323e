"""One rule, one message: the form, the service, the API and the plan file say the same thing.

Each test breaks one rule on every path that can break it and checks that each path refuses
with the message the rule function itself gives (only the location differs: a form field, a
field name, a JSON path). A path is left out only where it cannot carry the value (no API for
budget lines, a choice list that offers only valid periods).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _

from tests.world import World
from waypoint.core.errors import InvalidInput
from waypoint.core.models import AuditEvent
from waypoint.indicators import rules as indicator_rules
from waypoint.indicators import services as indicator_services
from waypoint.indicators.models import Actual, Indicator
from waypoint.org import rules as org_rules
from waypoint.org import services as org_services
from waypoint.plans import quality, services
from waypoint.plans import rules as plan_rules
from waypoint.plans.errors import PlanFileInvalid
from waypoint.plans.planfile import plan_export_json, plan_file_check, plan_import
from waypoint.plans.planfile.check import month_last

# --- the four paths -------------------------------------------------------------------------------


def form_messages(response: Any) -> list[str]:
    """Every error the page's form shows (on its fields and above them)."""
    assert response.status_code == 200, "a refused form is shown again"
    form = response.context["form"]
    return [str(message) for errors in form.errors.values() for message in errors]


def service_messages(call: Callable[[], object]) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        call()
    return [p.message for p in caught.value.problems] + [caught.value.message]


def api_messages(response: Any) -> list[str]:
    assert response.status_code == 400, response.content
    return [p["message"] for p in json.loads(response.content)["problems"]]


def file_messages(world: World, change: Callable[[dict[str, Any]], object]) -> list[str]:
    doc = json.loads(plan_export_json(world.plan))
    doc["plan"]["title"] = "Copy"  # else the file would be refused as the same plan twice
    change(doc)
    with pytest.raises(PlanFileInvalid) as caught:
        plan_file_check(json.dumps(doc))
    return [p.message for p in caught.value.problems]


def planner(world: World, client: Client) -> Client:
    client.force_login(world.users["planner"])
    return client


def send(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    response = getattr(client, method)(path, data=json.dumps(body), content_type="application/json")
    return response


# --- form data as the pages post it ------------------------------------------------------------------


def plan_form(world: World, **changes: Any) -> dict[str, Any]:
    plan = world.plan
    return {
        "title": plan.title,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "currency": plan.currency,
        "version": plan.version,
        **changes,
    }


def element_form(world: World, code: str, **changes: Any) -> dict[str, Any]:
    element = world.elements[code]
    element.refresh_from_db()
    return {
        "title": element.title,
        "tier": element.tier_id,
        "responsible_unit": element.responsible_unit_id,
        "starts_on": f"{element.starts_on:%Y-%m}" if element.starts_on else "",
        "ends_on": f"{element.ends_on:%Y-%m}" if element.ends_on else "",
        "status": element.status,
        "version": element.version,
        **changes,
    }


def indicator_form(indicator: Indicator, **changes: Any) -> dict[str, Any]:
    indicator.refresh_from_db()
    data: dict[str, Any] = {
        "name": indicator.name,
        "element": indicator.element_id,
        "tier": indicator.tier_id,
        "unit_of_measure": indicator.unit_of_measure,
        "decimals": indicator.decimals,
        "direction": indicator.direction,
        "aggregation": indicator.aggregation,
        "frequency": indicator.frequency,
        "owner_unit": indicator.owner_unit_id,
        "disaggregation": list(indicator.disaggregation),
        "baseline_value": indicator.baseline_value if indicator.baseline_value is not None else "",
        "baseline_date": indicator.baseline_date.isoformat() if indicator.baseline_date else "",
        "tolerance_value": indicator.tolerance_value,
        "tolerance_kind": indicator.tolerance_kind,
        "completeness_threshold": indicator.completeness_threshold,
        "version": indicator.version,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not False}


def first_problem(problems: list[Any]) -> str:
    assert problems, "the rule must fire for this input"
    message: str = problems[0].message
    return message


# --- plans ----------------------------------------------------------------------------------------------


def test_the_last_year_before_the_first(world: World, client: Client) -> None:
    expected = first_problem(plan_rules.plan_period_problems(2014, 2013))
    client = planner(world, client)
    plan = world.plan
    assert expected in form_messages(
        client.post(reverse("plan-edit", args=[plan.pk]), plan_form(world, start_year=2014, end_year=2013))
    )
    assert expected in service_messages(
        lambda: services.plan_update(
            actor=world.users["planner"],
            plan=plan,
            expected_version=None,
            changes={"start_year": 2014, "end_year": 2013},
        )
    )
    plan.refresh_from_db()
    body = {"version": plan.version, "start_year": 2014, "end_year": 2013}
    assert expected in api_messages(send(client, "patch", f"/api/plans/{plan.pk}", body))
    assert expected in file_messages(world, lambda doc: doc["plan"].update(start_year=2014, end_year=2013))


def test_a_plan_of_more_than_fifteen_years(world: World, client: Client) -> None:
    expected = first_problem(plan_rules.plan_period_problems(2012, 2030))
    client = planner(world, client)
    plan = world.plan
    assert expected in form_messages(client.post(reverse("plan-edit", args=[plan.pk]), plan_form(world, end_year=2030)))
    assert expected in service_messages(
        lambda: services.plan_update(actor=None, plan=plan, expected_version=None, changes={"end_year": 2030})
    )
    plan.refresh_from_db()
    assert expected in api_messages(
        send(client, "patch", f"/api/plans/{plan.pk}", {"version": plan.version, "end_year": 2030})
    )
    assert expected in file_messages(world, lambda doc: doc["plan"].update(end_year=2030))


def test_an_element_that_ends_before_it_starts(world: World, client: Client) -> None:
    expected = first_problem(plan_rules.date_order_problems(dt.date(2013, 1, 1), dt.date(2012, 6, 30)))
    client = planner(world, client)
    element = world.elements["I1.2.1"]
    assert expected in form_messages(
        client.post(reverse("element-edit", args=[element.pk]), element_form(world, "I1.2.1", ends_on="2012-06"))
    )
    assert expected in service_messages(
        lambda: services.element_update(
            actor=None, element=element, expected_version=None, changes={"ends_on": dt.date(2012, 6, 1)}
        )
    )
    element.refresh_from_db()
    body = {"version": element.version, "ends_on": "2012-06"}
    assert expected in api_messages(send(client, "patch", f"/api/elements/{element.pk}", body))
    assert expected in file_messages(world, lambda doc: doc["elements"][5].update(ends_on="2012-06"))


def test_an_element_outside_the_plan_period(world: World, client: Client) -> None:
    expected = first_problem(
        plan_rules.element_date_problems(
            start_year=2012, end_year=2016, starts_on=None, ends_on=dt.date(2017, 6, 30), parent=None
        )
    )
    client = planner(world, client)
    element = world.elements["I1.2.1"]
    assert expected in form_messages(
        client.post(reverse("element-edit", args=[element.pk]), element_form(world, "I1.2.1", ends_on="2017-06"))
    )
    assert expected in service_messages(
        lambda: services.element_update(
            actor=None, element=element, expected_version=None, changes={"ends_on": dt.date(2017, 6, 1)}
        )
    )
    element.refresh_from_db()
    body = {"version": element.version, "ends_on": "2017-06"}
    assert expected in api_messages(send(client, "patch", f"/api/elements/{element.pk}", body))
    assert expected in file_messages(world, lambda doc: doc["elements"][5].update(ends_on="2017-06"))


def test_an_activity_that_ends_after_its_initiative(world: World, client: Client) -> None:
    parent = world.elements["I1.1.1"]
    expected = first_problem(
        plan_rules.element_date_problems(
            start_year=2012,
            end_year=2016,
            starts_on=None,
            ends_on=month_last("2015-03"),
            parent=plan_rules.Dates(parent.code, parent.kind, parent.starts_on, parent.ends_on),
        )
    )
    client = planner(world, client)
    element = world.elements["A1.1.1.1"]
    assert expected in form_messages(
        client.post(reverse("element-edit", args=[element.pk]), element_form(world, "A1.1.1.1", ends_on="2015-03"))
    )
    assert expected in service_messages(
        lambda: services.element_update(
            actor=None, element=element, expected_version=None, changes={"ends_on": dt.date(2015, 3, 1)}
        )
    )
    element.refresh_from_db()
    body = {"version": element.version, "ends_on": "2015-03"}
    assert expected in api_messages(send(client, "patch", f"/api/elements/{element.pk}", body))
    assert expected in file_messages(world, lambda doc: doc["elements"][3].update(ends_on="2015-03"))


def test_a_negative_budget(world: World, client: Client) -> None:
    """No API writes budget lines: the form, the service and the file."""
    expected = first_problem(plan_rules.budget_amount_problems(Decimal(-5)))
    client = planner(world, client)
    element = world.elements["A1.1.1.1"]
    form = {"year": 2013, "funding_source": world.source.pk, "amount": "-5"}
    assert expected in form_messages(client.post(reverse("budget-line-create", args=[element.pk]), form))
    assert expected in service_messages(
        lambda: services.budget_line_save(
            actor=None, element=element, year=2013, funding_source=world.source, amount=Decimal(-5)
        )
    )
    assert expected in file_messages(world, lambda doc: doc["elements"][3]["budget"][0].update(amount=-5))


def test_a_budget_outside_the_years_of_its_element(world: World, client: Client) -> None:
    element = world.elements["A1.1.1.1"]  # runs 2012–2013
    expected = first_problem(
        plan_rules.budget_line_problems(
            year=2015,
            amount=Decimal(1),
            start_year=2012,
            end_year=2016,
            element=plan_rules.Dates(element.code, element.kind, element.starts_on, element.ends_on),
        )
    )
    client = planner(world, client)
    form = {"year": 2015, "funding_source": world.source.pk, "amount": "1"}
    assert expected in form_messages(client.post(reverse("budget-line-create", args=[element.pk]), form))
    assert expected in service_messages(
        lambda: services.budget_line_save(
            actor=None, element=element, year=2015, funding_source=world.source, amount=Decimal(1)
        )
    )
    assert expected in file_messages(world, lambda doc: doc["elements"][3]["budget"][0].update(year=2015))


def test_an_analysis_item_in_a_category_of_the_other_framework(world: World, client: Client) -> None:
    """No API writes the environmental analysis: the form, the service and the file."""
    expected = first_problem(plan_rules.analysis_item_problems(framework="swot", category="legal", text="x"))
    client = planner(world, client)
    form = {"framework": "swot", "category": "legal", "text": "New customs code"}
    assert expected in form_messages(client.post(reverse("analysis-item-create", args=[world.plan.pk]), form))
    assert expected in service_messages(
        lambda: services.analysis_item_save(actor=None, plan=world.plan, framework="swot", category="legal", text="x")
    )
    item = {"framework": "swot", "category": "legal", "text": "x", "objectives": []}
    assert expected in file_messages(world, lambda doc: doc["analysis"].append(item))


def test_a_function_named_twice(world: World, client: Client) -> None:
    """No API writes functions: the form, the service and the file."""
    services.function_save(actor=None, plan=world.plan, name="Trade facilitation", priority="high")
    expected = plan_rules.function_name_taken("Trade facilitation").message
    client = planner(world, client)
    form = {"name": "Trade facilitation", "priority": "low"}
    assert expected in form_messages(client.post(reverse("function-create", args=[world.plan.pk]), form))
    assert expected in service_messages(
        lambda: services.function_save(actor=None, plan=world.plan, name="Trade facilitation", priority="low")
    )
    assert expected in file_messages(world, lambda doc: doc["functions"].append(dict(doc["functions"][0])))


def test_an_unknown_quality_rule(world: World, client: Client) -> None:
    """Rules are switched off on the Health page by a button per rule, not a form."""
    expected = first_problem(plan_rules.quality_rule_problems("Q999"))
    client = planner(world, client)
    assert expected in service_messages(
        lambda: quality.quality_rule_set(
            actor=None, plan=world.plan, rule="Q999", enabled=False, severity="", reason="x"
        )
    )
    body = {"enabled": False, "reason": "x"}
    assert expected in api_messages(send(client, "put", f"/api/plans/{world.plan.pk}/quality-rules/Q999", body))
    assert expected in file_messages(world, lambda doc: doc["quality_rules"].append({"rule": "Q999", "reason": "x"}))


def test_a_unit_code_and_place(world: World) -> None:
    """Units are created by administrators in the admin and by plan files (the API reads them)."""
    bad_code = first_problem(org_rules.unit_problems(code="post 7", kind="road_border_post"))
    assert bad_code in service_messages(
        lambda: org_services.unit_create(
            actor=None, code="post 7", name="Post", kind="road_border_post", parent=world.units["RD-S"]
        )
    )
    unit = {"code": "post 7", "name": "Post", "kind": "road_border_post", "parent": "RD-S"}
    assert bad_code in file_messages(world, lambda doc: doc["units"].append(unit))
    on_top = first_problem(org_rules.unit_place_problems(kind="hq_department", has_parent=False))
    assert on_top in service_messages(
        lambda: org_services.unit_create(actor=None, code="HQ-X", name="X", kind="hq_department", parent=None)
    )
    loose = {"code": "HQ-X", "name": "X", "kind": "hq_department", "parent": None}
    assert on_top in file_messages(world, lambda doc: doc["units"].append(loose))


# --- indicators -----------------------------------------------------------------------------------------


def test_a_cumulative_indicator_that_does_not_sum(world: World, client: Client) -> None:
    expected = first_problem(indicator_rules.cumulative_problems(True, "mean"))
    client = planner(world, client)
    south = world.indicators["south"]
    assert expected in form_messages(
        client.post(reverse("indicator-edit", args=[south.pk]), indicator_form(south, cumulative="on"))
    )
    assert expected in service_messages(
        lambda: indicator_services.indicator_update(
            actor=None, indicator=south, expected_version=None, changes={"cumulative": True}
        )
    )
    body = {"version": south.version, "cumulative": True}
    assert expected in api_messages(send(client, "patch", f"/api/indicators/{south.pk}", body))
    assert expected in file_messages(world, lambda doc: doc["indicators"][0].update(cumulative=True))


def test_a_baseline_measured_after_the_plan(world: World, client: Client) -> None:
    expected = first_problem(indicator_rules.baseline_problems(Decimal(10), dt.date(2017, 1, 1), plan_end_year=2016))
    client = planner(world, client)
    south = world.indicators["south"]
    assert expected in form_messages(
        client.post(reverse("indicator-edit", args=[south.pk]), indicator_form(south, baseline_date="2017-01-01"))
    )
    assert expected in service_messages(
        lambda: indicator_services.indicator_update(
            actor=None, indicator=south, expected_version=None, changes={"baseline_date": dt.date(2017, 1, 1)}
        )
    )
    body = {"version": south.version, "baseline_date": "2017-01-01"}
    assert expected in api_messages(send(client, "patch", f"/api/indicators/{south.pk}", body))
    assert expected in file_messages(world, lambda doc: doc["indicators"][0]["baseline"].update(date="2017-01-01"))


def test_a_negative_tolerance(world: World, client: Client) -> None:
    expected = first_problem(indicator_rules.tolerance_problems(Decimal(-1)))
    client = planner(world, client)
    south = world.indicators["south"]
    assert expected in form_messages(
        client.post(reverse("indicator-edit", args=[south.pk]), indicator_form(south, tolerance_value="-1"))
    )
    assert expected in service_messages(
        lambda: indicator_services.indicator_update(
            actor=None, indicator=south, expected_version=None, changes={"tolerance_value": Decimal(-1)}
        )
    )
    body = {"version": south.version, "tolerance_value": -1}
    assert expected in api_messages(send(client, "patch", f"/api/indicators/{south.pk}", body))
    assert expected in file_messages(world, lambda doc: doc["indicators"][0]["tolerance"].update(value=-1))


@pytest.mark.parametrize("share", [0, 101])
def test_a_completeness_threshold_outside_one_to_a_hundred(world: World, client: Client, share: int) -> None:
    expected = first_problem(indicator_rules.completeness_problems(share))
    client = planner(world, client)
    south = world.indicators["south"]
    assert expected in form_messages(
        client.post(reverse("indicator-edit", args=[south.pk]), indicator_form(south, completeness_threshold=share))
    )
    assert expected in service_messages(
        lambda: indicator_services.indicator_update(
            actor=None, indicator=south, expected_version=None, changes={"completeness_threshold": share}
        )
    )
    body = {"version": south.version, "completeness_threshold": share}
    assert expected in api_messages(send(client, "patch", f"/api/indicators/{south.pk}", body))
    create = {"name": "X", "element_id": world.elements["O1.1"].pk, "unit_of_measure": "h", "direction": "increase"}
    create |= {"aggregation": "mean", "owner_unit": "RD-S", "completeness_threshold": share}
    assert expected in api_messages(send(client, "post", f"/api/plans/{world.plan.pk}/indicators", create))
    assert expected in file_messages(world, lambda doc: doc["indicators"][0].update(completeness_threshold=share))


def test_an_upper_bound_on_an_indicator_that_is_not_a_range(world: World, client: Client) -> None:
    expected = first_problem(indicator_rules.target_value_problems(Decimal(11), Decimal(12), is_range=False))
    client = planner(world, client)
    west = world.indicators["west"]
    form = {"value": "11", "upper_value": "12", "reason": "Tighter"}
    assert expected in form_messages(client.post(reverse("target-edit", args=[west.pk, "2012"]), form))
    assert expected in service_messages(
        lambda: indicator_services.target_set(
            actor=None, indicator=west, period="2012", value=Decimal(11), upper_value=Decimal(12), reason="x"
        )
    )
    body = {"value": 11, "upper_value": 12, "reason": "Tighter"}
    assert expected in api_messages(send(client, "put", f"/api/indicators/{west.pk}/targets/2012", body))
    assert expected in file_messages(world, lambda doc: doc["indicators"][1]["targets"][0].update(upper_value=12))


def test_an_upper_bound_below_the_lower_bound(world: World, client: Client) -> None:
    expected = first_problem(indicator_rules.target_value_problems(Decimal(5), Decimal(3), is_range=True))
    band = indicator_services.indicator_create(
        actor=None,
        plan=world.plan,
        element=world.elements["O1.1"],
        name="Share of declarations in the green channel",
        unit_of_measure="%",
        direction="range",
        aggregation="mean",
        frequency="year",
        owner_unit=world.units["HQ-RSK"],
    )
    client = planner(world, client)
    form = {"value": "5", "upper_value": "3"}
    assert expected in form_messages(client.post(reverse("target-edit", args=[band.pk, "2013"]), form))
    assert expected in service_messages(
        lambda: indicator_services.target_set(
            actor=None, indicator=band, period="2013", value=Decimal(5), upper_value=Decimal(3)
        )
    )
    body = {"value": 5, "upper_value": 3}
    assert expected in api_messages(send(client, "put", f"/api/indicators/{band.pk}/targets/2013", body))
    target = {"period": "2013", "value": 5, "upper_value": 3}
    assert expected in file_messages(world, lambda doc: doc["indicators"][2]["targets"].append(target))


def test_a_target_outside_the_plan_period(world: World, client: Client) -> None:
    problems, _parsed = indicator_rules.target_period_problems("2030", start_year=2012, end_year=2016)
    expected = first_problem(problems)
    client = planner(world, client)
    west = world.indicators["west"]
    assert expected in form_messages(client.post(reverse("target-edit", args=[west.pk, "2030"]), {"value": "9"}))
    assert expected in service_messages(
        lambda: indicator_services.target_set(actor=None, indicator=west, period="2030", value=Decimal(9))
    )
    assert expected in api_messages(send(client, "put", f"/api/indicators/{west.pk}/targets/2030", {"value": 9}))
    assert expected in file_messages(world, lambda doc: doc["indicators"][1]["targets"][0].update(period="2030"))


def test_an_actual_for_a_period_of_another_frequency(world: World, client: Client) -> None:
    """The page offers only the indicator's periods; the service, the API and the file."""
    problems, _parsed = indicator_rules.actual_period_problems(
        "2013Q2", frequency="year", start_year=2012, end_year=2016
    )
    expected = first_problem(problems)
    client = planner(world, client)
    west = world.indicators["west"]
    assert expected in service_messages(
        lambda: indicator_services.actual_record(actor=None, indicator=west, period="2013Q2", value=Decimal(1))
    )
    body = {"period": "2013Q2", "value": 1}
    assert expected in api_messages(send(client, "post", f"/api/indicators/{west.pk}/actuals", body))
    assert expected in file_messages(world, lambda doc: doc["indicators"][1]["actuals"][0].update(period="2013Q2"))


def test_an_actual_for_a_unit_of_an_indicator_not_reported_by_unit(world: World, client: Client) -> None:
    """The page has no unit field for such an indicator; the service, the API and the file."""
    expected = first_problem(indicator_rules.actual_unit_problems(by_unit=False))
    client = planner(world, client)
    west = world.indicators["west"]
    assert expected in service_messages(
        lambda: indicator_services.actual_record(
            actor=None, indicator=west, period="2013", value=Decimal(1), unit=world.units["RD-W"]
        )
    )
    body = {"period": "2013", "value": 1, "unit": "RD-W"}
    assert expected in api_messages(send(client, "post", f"/api/indicators/{west.pk}/actuals", body))
    assert expected in file_messages(world, lambda doc: doc["indicators"][1]["actuals"][0].update(unit="RD-W"))


def test_a_second_value_for_the_same_period(world: World, client: Client) -> None:
    expected = indicator_rules.actual_taken("2012", _("the whole administration")).message
    client = planner(world, client)
    west = world.indicators["west"]  # 14 hours recorded for 2012
    form = {"period": "2012", "value": "3"}
    assert expected in form_messages(client.post(reverse("actual-create", args=[west.pk]), form))
    assert expected in service_messages(
        lambda: indicator_services.actual_record(actor=None, indicator=west, period="2012", value=Decimal(3))
    )
    body = {"period": "2012", "value": 3}
    assert expected in api_messages(send(client, "post", f"/api/indicators/{west.pk}/actuals", body))
    assert expected in file_messages(
        world, lambda doc: doc["indicators"][1]["actuals"].append(dict(doc["indicators"][1]["actuals"][0]))
    )


# --- numbers the database can hold (issue 12) ---------------------------------------------------------------


def test_an_actual_too_large_to_store(world: World, client: Client) -> None:
    expected = first_problem(indicator_rules.actual_value_problems(Decimal("1e17")))
    client = planner(world, client)
    west = world.indicators["west"]
    form = {"period": "2013", "value": "1e17"}
    assert expected in form_messages(client.post(reverse("actual-create", args=[west.pk]), form))
    assert expected in service_messages(
        lambda: indicator_services.actual_record(actor=None, indicator=west, period="2013", value=Decimal("1e17"))
    )
    body = {"period": "2013", "value": 1e17}
    assert expected in api_messages(send(client, "post", f"/api/indicators/{west.pk}/actuals", body))
    assert expected in file_messages(world, lambda doc: doc["indicators"][1]["actuals"][0].update(value=1e17))


def test_a_target_too_large_to_store(world: World, client: Client) -> None:
    expected = first_problem(indicator_rules.target_value_problems(Decimal("-1e18"), None, is_range=False))
    client = planner(world, client)
    west = world.indicators["west"]
    form = {"value": "-1e18"}
    assert expected in form_messages(client.post(reverse("target-edit", args=[west.pk, "2013"]), form))
    assert expected in service_messages(
        lambda: indicator_services.target_set(actor=None, indicator=west, period="2013", value=Decimal("-1e18"))
    )
    assert expected in api_messages(send(client, "put", f"/api/indicators/{west.pk}/targets/2013", {"value": -1e18}))
    assert expected in file_messages(world, lambda doc: doc["indicators"][1]["targets"][0].update(value=-1e18))


def test_a_baseline_with_too_many_decimals(world: World, client: Client) -> None:
    expected = first_problem(
        indicator_rules.baseline_problems(Decimal("1.23456"), dt.date(2011, 1, 1), plan_end_year=2016)
    )
    client = planner(world, client)
    south = world.indicators["south"]
    assert expected in form_messages(
        client.post(reverse("indicator-edit", args=[south.pk]), indicator_form(south, baseline_value="1.23456"))
    )
    assert expected in service_messages(
        lambda: indicator_services.indicator_update(
            actor=None, indicator=south, expected_version=None, changes={"baseline_value": Decimal("1.23456")}
        )
    )
    body = {"version": south.version, "baseline_value": "1.23456"}
    assert expected in api_messages(send(client, "patch", f"/api/indicators/{south.pk}", body))
    assert expected in file_messages(world, lambda doc: doc["indicators"][0]["baseline"].update(value=1.23456))


def test_a_tolerance_too_large_to_store(world: World, client: Client) -> None:
    expected = first_problem(indicator_rules.tolerance_problems(Decimal("1e9")))
    client = planner(world, client)
    south = world.indicators["south"]
    assert expected in form_messages(
        client.post(reverse("indicator-edit", args=[south.pk]), indicator_form(south, tolerance_value="1e9"))
    )
    assert expected in service_messages(
        lambda: indicator_services.indicator_update(
            actor=None, indicator=south, expected_version=None, changes={"tolerance_value": Decimal("1e9")}
        )
    )
    body = {"version": south.version, "tolerance_value": 1e9}
    assert expected in api_messages(send(client, "patch", f"/api/indicators/{south.pk}", body))
    assert expected in file_messages(world, lambda doc: doc["indicators"][0]["tolerance"].update(value=1e9))


def test_a_budget_too_large_to_store(world: World, client: Client) -> None:
    expected = first_problem(plan_rules.budget_amount_problems(Decimal("1e17")))
    client = planner(world, client)
    element = world.elements["A1.1.1.1"]
    form = {"year": 2013, "funding_source": world.source.pk, "amount": "1e17"}
    assert expected in form_messages(client.post(reverse("budget-line-create", args=[element.pk]), form))
    assert expected in service_messages(
        lambda: services.budget_line_save(
            actor=None, element=element, year=2013, funding_source=world.source, amount=Decimal("1e17")
        )
    )
    assert expected in file_messages(world, lambda doc: doc["elements"][3]["budget"][0].update(amount=1e17))


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_the_api_refuses_an_actual_of_1e17_where_it_is_and_changes_nothing(world: World, client: Client) -> None:
    client = planner(world, client)
    west = world.indicators["west"]
    before = row_counts()
    response = send(client, "post", f"/api/indicators/{west.pk}/actuals", {"period": "2013", "value": 1e17})
    assert response.status_code == 400
    assert [p["location"] for p in response.json()["problems"]] == ["value"]
    assert row_counts() == before
    assert not Actual.objects.filter(indicator=west, period="2013").exists()
    assert not AuditEvent.objects.filter(entity="indicators.Actual", action="create", changes__period="2013").exists()


def test_the_plan_import_refuses_an_actual_of_1e17_where_it_is_and_changes_nothing(world: World) -> None:
    doc = json.loads(plan_export_json(world.plan))
    doc["plan"]["title"] = "Copy"
    doc["indicators"][1]["actuals"][0]["value"] = 1e17
    doc["elements"][3]["number"] = 2**40
    before = row_counts()
    with pytest.raises(PlanFileInvalid) as caught:
        plan_import(json.dumps(doc), actor=world.users["planner"])
    assert row_counts() == before
    found = {p.location: p.message for p in caught.value.problems}
    assert "too large" in found["$.indicators[1].actuals[0].value"]
    assert "between 0 and 2147483647" in found["$.elements[3].number"]
