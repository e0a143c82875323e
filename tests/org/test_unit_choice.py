"""Units are chosen as the tree reads, not in the order they were created (issue 13)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.test import Client
from django.urls import reverse

from tests.world import World
from waypoint.indicators.forms import ActualForm, IndicatorForm
from waypoint.org import services
from waypoint.org.forms import INDENT, GrantForm, PersonForm, UnitChoiceField, UnitForm
from waypoint.org.models import OrgUnit
from waypoint.org.selectors import in_tree_order
from waypoint.plans.forms import ElementForm, TreeFilterForm
from waypoint.roadmap.forms import TeamForm

#: the world's tree once an "Audit Office" (created last) and a "Customs Laboratory" (placed
#: after its siblings by its position) are added
TREE = [
    (0, "Test Customs (ADM)"),
    (1, "Audit Office (HQ-AUD)"),
    (1, "Planning Department (HQ-PLN)"),
    (1, "Risk Department (HQ-RSK)"),
    (1, "Southern Directorate (RD-S)"),
    (2, "South Post One (BP-S1)"),
    (1, "Western Directorate (RD-W)"),
    (2, "West Post One (BP-W1)"),
    (1, "Customs Laboratory (HQ-LAB)"),
]


def grow(world: World) -> None:
    adm = world.unit("ADM")
    services.unit_create(
        actor=None, code="HQ-LAB", name="Customs Laboratory", kind="hq_department", parent=adm, position=9
    )
    services.unit_create(actor=None, code="HQ-AUD", name="Audit Office", kind="hq_department", parent=adm)


def labels(field: forms.ModelChoiceField) -> list[str]:  # type: ignore[type-arg]
    choices: Any = field.choices
    return [str(label) for value, label in choices if value != ""]


def expected(skip_root: bool = False) -> list[str]:
    rows = TREE[1:] if skip_root else TREE
    top = rows[0][0]
    return [INDENT * (depth - top) + label for depth, label in rows]


def test_units_are_listed_as_the_tree_reads(world: World) -> None:
    grow(world)
    units = OrgUnit.objects.filter(path__startswith=world.unit("ADM").path)
    assert [u.code for u in units.order_by("pk")][-1] == "HQ-AUD"  # the id order is not the tree's
    assert [f"{u.name} ({u.code})" for u in in_tree_order(units)] == [label for _depth, label in TREE]
    assert labels(UnitChoiceField(queryset=units)) == expected()


def test_every_form_that_asks_for_a_unit_uses_the_tree_field(world: World) -> None:
    grow(world)
    plan, south = world.plan, world.indicators["south"]
    units = OrgUnit.objects.filter(path__startswith=world.unit("ADM").path)
    fields: dict[str, Any] = {
        "element": ElementForm(plan=plan, kind="goal").fields["responsible_unit"],
        "tree filter": TreeFilterForm(plan=plan).fields["unit"],
        "indicator owner": IndicatorForm(plan=plan).fields["owner_unit"],
        "actual": ActualForm(indicator=south, unit_paths=None).fields["unit"],
        "team": TeamForm(plan=plan).fields["unit"],
        "grant": GrantForm(units=units).fields["unit"],
        "person": PersonForm(units=units).fields["unit"],
        "unit parent": UnitForm(units=units).fields["parent"],
    }
    for name, field in fields.items():
        assert isinstance(field, UnitChoiceField), name
        shown = labels(field)
        without_root = name in {"tree filter", "actual"}  # the administration itself is not a choice there
        assert shown == expected(skip_root=without_root), name


def test_the_indicator_list_filters_by_units_in_tree_order(world: World, client: Client) -> None:
    grow(world)
    from waypoint.indicators import services as indicator_services

    for code in ("HQ-LAB", "HQ-AUD"):
        indicator_services.indicator_create(
            actor=None,
            plan=world.plan,
            element=world.elements["G1"],
            name=f"Owned by {code}",
            unit_of_measure="%",
            direction="increase",
            aggregation="mean",
            frequency="year",
            owner_unit=OrgUnit.objects.get(code=code),
        )
    client.force_login(world.users["viewer"])
    page = client.get(reverse("indicator-list", args=[world.plan.pk])).content.decode()
    owners = ["Audit Office (HQ-AUD)", "Southern Directorate (RD-S)", "Western Directorate (RD-W)"]
    owners.append("Customs Laboratory (HQ-LAB)")
    positions = [page.index(f">{label}</option>") for label in owners]
    assert positions == sorted(positions)
