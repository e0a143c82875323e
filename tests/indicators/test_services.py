from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.world import World
from waypoint.core.errors import EditConflict, NotAllowed
from waypoint.indicators import services
from waypoint.indicators.errors import IndicatorRuleBroken
from waypoint.indicators.models import TargetRevision


def where(error: IndicatorRuleBroken) -> dict[str, str]:
    return {p.location: p.message for p in error.problems}


def test_it_rejects_targets_outside_the_plan_period(world: World) -> None:
    with pytest.raises(IndicatorRuleBroken) as caught:
        services.target_set(actor=None, indicator=world.indicators["south"], period="2019", value=Decimal(3))
    assert "outside the plan period 2012–2016" in where(caught.value)["period"]


def test_a_changed_target_keeps_its_old_value_with_who_when_and_why(world: World) -> None:
    indicator = world.indicators["south"]
    with pytest.raises(IndicatorRuleBroken) as caught:
        services.target_set(actor=world.users["planner"], indicator=indicator, period="2014", value=Decimal("6.5"))
    assert "Say why" in where(caught.value)["reason"]
    services.target_set(
        actor=world.users["planner"],
        indicator=indicator,
        period="2014",
        value=Decimal("6.5"),
        reason="Scanner delivered early",
    )
    revision = TargetRevision.objects.filter(target__indicator=indicator, target__period="2014").order_by("-id").first()
    assert revision is not None
    assert (revision.old_value, revision.new_value, revision.changed_by_name, revision.reason) == (
        Decimal("7"),
        Decimal("6.5"),
        "planner",
        "Scanner delivered early",
    )


def test_setting_the_same_value_again_adds_no_revision(world: World) -> None:
    indicator = world.indicators["south"]
    before = TargetRevision.objects.count()
    services.target_set(actor=None, indicator=indicator, period="2014", value=Decimal("7"))
    assert TargetRevision.objects.count() == before


def test_a_stale_target_edit_is_a_conflict(world: World) -> None:
    indicator = world.indicators["south"]
    target = indicator.targets.get(period="2014")
    services.target_set(
        actor=None,
        indicator=indicator,
        period="2014",
        value=Decimal("6"),
        reason="first",
        expected_version=target.version,
    )
    with pytest.raises(EditConflict):
        services.target_set(
            actor=None,
            indicator=indicator,
            period="2014",
            value=Decimal("5"),
            reason="second",
            expected_version=target.version,
        )


def test_range_targets_need_both_bounds(world: World) -> None:
    indicator = world.indicators["west"]
    with pytest.raises(IndicatorRuleBroken) as caught:
        services.indicator_update(
            actor=None, indicator=indicator, expected_version=None, changes={"direction": "range"}
        )
    assert "upper bound" in where(caught.value)["direction"]
    with pytest.raises(IndicatorRuleBroken):
        services.target_set(actor=None, indicator=indicator, period="2013", value=Decimal(3), upper_value=Decimal(5))


def test_a_cumulative_indicator_must_sum(world: World) -> None:
    with pytest.raises(IndicatorRuleBroken) as caught:
        services.indicator_update(
            actor=None, indicator=world.indicators["west"], expected_version=None, changes={"cumulative": True}
        )
    assert "sum" in where(caught.value)["cumulative"]


def test_an_actual_must_match_the_reporting_frequency(world: World) -> None:
    with pytest.raises(IndicatorRuleBroken) as caught:
        services.actual_record(actor=None, indicator=world.indicators["west"], period="2013Q2", value=Decimal(3))
    assert "like 2013" in where(caught.value)["period"]


def test_a_second_value_for_the_same_period_is_refused_not_overwritten(world: World) -> None:
    with pytest.raises(IndicatorRuleBroken) as caught:
        services.actual_record(actor=None, indicator=world.indicators["west"], period="2012", value=Decimal(3))
    assert "already recorded" in where(caught.value)["period"]
    assert world.indicators["west"].actuals.get().value == Decimal(14)


def test_unit_values_only_for_indicators_reported_by_unit(world: World) -> None:
    with pytest.raises(IndicatorRuleBroken) as caught:
        services.actual_record(
            actor=None, indicator=world.indicators["west"], period="2013", value=Decimal(3), unit=world.units["BP-W1"]
        )
    assert "not reported by unit" in where(caught.value)["unit"]


def test_contributors_record_values_only_for_their_own_units(world: World) -> None:
    south = world.indicators["south"]
    services.actual_record(
        actor=world.users["contributor_west"],
        indicator=south,
        period="2013",
        value=Decimal(9),
        unit=world.units["BP-W1"],
    )
    with pytest.raises(NotAllowed):
        services.actual_record(
            actor=world.users["contributor_west"],
            indicator=south,
            period="2013",
            value=Decimal(9),
            unit=world.units["BP-S1"],
        )
    with pytest.raises(NotAllowed):
        services.actual_record(actor=world.users["contributor_west"], indicator=south, period="2014", value=Decimal(9))


def test_evidence_files_are_checked_and_kept(world: World) -> None:
    bad = SimpleUploadedFile("virus.exe", b"MZ")
    with pytest.raises(IndicatorRuleBroken) as caught:
        services.actual_record(
            actor=None, indicator=world.indicators["west"], period="2013", value=Decimal(3), evidence_file=bad
        )
    assert "evidence_file" in where(caught.value)
    good = SimpleUploadedFile("trs-2013.pdf", b"%PDF-1.4 report")
    actual = services.actual_record(
        actor=None, indicator=world.indicators["west"], period="2013", value=Decimal(3), evidence_file=good
    )
    assert actual.evidence_file.read() == b"%PDF-1.4 report"


def test_indicator_codes_are_given_once(world: World) -> None:
    plan, element = world.plan, world.elements["G1"]
    created = services.indicator_create(
        actor=None,
        plan=plan,
        element=element,
        name="Revenue",
        unit_of_measure="AZN m",
        direction="increase",
        aggregation="sum",
        frequency="year",
        owner_unit=world.units["HQ-PLN"],
        baseline_value=Decimal(1),
        baseline_date=dt.date(2011, 12, 31),
    )
    assert created.code == "KPI-03"
    assert created.tier == element.tier


def test_a_baseline_needs_its_date(world: World) -> None:
    with pytest.raises(IndicatorRuleBroken) as caught:
        services.indicator_update(
            actor=None, indicator=world.indicators["west"], expected_version=None, changes={"baseline_date": None}
        )
    assert "baseline_date" in where(caught.value)
