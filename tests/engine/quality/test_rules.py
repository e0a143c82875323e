"""Every rule of the catalogue, on a plan that triggers it and on one that does not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest

from waypoint.engine.periods import Period
from waypoint.engine.quality import CATALOGUE, PlanUnderCheck, RuleSetting, Severity, Subject, check_plan
from waypoint.engine.quality.model import (
    BudgetCap,
    BudgetLine,
    Dependency,
    Element,
    Indicator,
    Month,
    Recommendation,
    Roadmap,
    Target,
)


def good_plan() -> PlanUnderCheck:
    """A small plan that holds together: no rule finds anything in it."""
    money = (BudgetLine(2013, "State budget", Decimal(100)),)
    return PlanUnderCheck(
        title="Plan",
        administration="SCC",
        start_year=2012,
        end_year=2014,
        elements=(
            Element("G1", "goal", "Faster and fairer trade"),
            Element("O1.1", "objective", "Reduce release time at road border posts by half by 2014", parent="G1"),
            Element(
                "I1.1.1",
                "initiative",
                "Pre-arrival lodgement",
                parent="O1.1",
                responsible_unit="HQ-CP",
                starts_on=Month(2012, 3),
                ends_on=Month(2013, 12),
            ),
            Element(
                "A1.1.1.1",
                "activity",
                "Draft the regulation",
                parent="I1.1.1",
                responsible_unit="HQ-LEG",
                starts_on=Month(2012, 3),
                ends_on=Month(2012, 9),
                budget=money,
            ),
            Element(
                "I1.1.2",
                "initiative",
                "Risk-based selectivity",
                parent="O1.1",
                responsible_unit="HQ-RM",
                starts_on=Month(2013, 1),
                ends_on=Month(2014, 6),
                budget=(BudgetLine(2013, "State budget", Decimal(50)),),
            ),
        ),
        indicators=(
            Indicator(
                "KPI-1",
                "Median release time at road border posts",
                "O1.1",
                direction="decrease",
                frequency="year",
                owner_unit="HQ-PLN",
                data_source="ASYCUDA declaration events",
                baseline=Decimal(20),
                targets=(
                    Target(Period.parse("2012"), Decimal(18)),
                    Target(Period.parse("2013"), Decimal(14)),
                    Target(Period.parse("2014"), Decimal(10)),
                ),
            ),
        ),
        recommendations=(Recommendation("DIAG-2007/R1", "Introduce pre-arrival lodgement", addressed_by=("I1.1.1",)),),
        dependencies=(Dependency("I1.1.1", "I1.1.2"),),
        budget_caps=(BudgetCap(2013, "State budget", Decimal(150)),),
    )


def _element(plan: PlanUnderCheck, code: str, **changes: object) -> PlanUnderCheck:
    return replace(plan, elements=tuple(replace(e, **changes) if e.code == code else e for e in plan.elements))  # type: ignore[arg-type]


def _indicator(plan: PlanUnderCheck, **changes: object) -> PlanUnderCheck:
    return replace(plan, indicators=(replace(plan.indicators[0], **changes),))  # type: ignore[arg-type]


def _more_objectives(plan: PlanUnderCheck) -> PlanUnderCheck:
    extra = tuple(
        Element(f"O1.{n}", "objective", f"Reduce {word} by 2014", parent="G1")
        for n, word in zip(
            range(2, 7), ["fraud", "queues at ports", "paper forms", "staff turnover", "smuggling"], strict=True
        )
    )
    measured = tuple(
        replace(plan.indicators[0], code=f"KPI-{n}", name=f"Cost {n}", element=f"O1.{n}") for n in range(2, 7)
    )
    return replace(plan, elements=plan.elements + extra, indicators=plan.indicators + measured)


BREAKERS: dict[str, Callable[[PlanUnderCheck], PlanUnderCheck]] = {
    "Q101": lambda p: replace(p, indicators=()),
    "Q102": _more_objectives,
    "Q201": lambda p: _indicator(p, baseline=None),
    "Q202": lambda p: _indicator(p, targets=()),
    "Q203": lambda p: _indicator(p, data_source="  "),
    "Q204": lambda p: _indicator(p, owner_unit=None),
    "Q205": lambda p: _indicator(p, frequency=""),
    "Q206": lambda p: _indicator(p, targets=(*p.indicators[0].targets, Target(Period.parse("2015"), Decimal(9)))),
    "Q207": lambda p: _indicator(p, targets=p.indicators[0].targets[1:]),
    "Q208": lambda p: _indicator(
        p,
        targets=(
            Target(Period.parse("2012"), Decimal(18)),
            Target(Period.parse("2013"), Decimal(19)),
            Target(Period.parse("2014"), Decimal(10)),
        ),
    ),
    "Q209": lambda p: _indicator(
        p,
        targets=(
            Target(Period.parse("2012"), Decimal(20)),
            Target(Period.parse("2013"), Decimal(20)),
            Target(Period.parse("2014"), Decimal(20)),
        ),
    ),
    "Q301": lambda p: _element(p, "I1.1.1", responsible_unit="SCC"),
    "Q302": lambda p: _element(p, "I1.1.2", ends_on=None),
    "Q303": lambda p: _element(p, "I1.1.2", budget=()),
    "Q304": lambda p: _element(p, "A1.1.1.1", ends_on=Month(2014, 1)),
    "Q401": lambda p: replace(p, budget_caps=(BudgetCap(2013, "State budget", Decimal(149)),)),
    "Q402": lambda p: replace(p, dependencies=(*p.dependencies, Dependency("I1.1.2", "I1.1.1"))),
    "Q403": lambda p: replace(p, roadmap=Roadmap("Baseline", Month(2015, 1))),
    "Q501": lambda p: replace(p, recommendations=(*p.recommendations, Recommendation("DIAG-2007/R2", "Train staff"))),
    "Q601": lambda p: _element(p, "I1.1.2", title="Pre-arrival lodgment"),
    "Q602": lambda p: _element(p, "O1.1", title="Reduce release time at road border posts by half"),
    "Q603": lambda p: _element(p, "O1.1", title="Better border posts by 2014"),
}


def test_the_good_plan_has_no_finding() -> None:
    assert check_plan(good_plan()).findings == ()


def test_every_rule_in_the_catalogue_is_tested_both_ways() -> None:
    assert set(BREAKERS) == set(CATALOGUE)


@pytest.mark.parametrize("code", sorted(BREAKERS))
def test_a_plan_that_breaks_the_rule_triggers_it_and_only_it(code: str) -> None:
    report = check_plan(BREAKERS[code](good_plan()))
    assert {f.rule for f in report.findings} == {code}
    assert all(f.severity is CATALOGUE[code].severity for f in report.findings)


def test_rules_name_the_element_in_their_message() -> None:
    report = check_plan(BREAKERS["Q304"](good_plan()))
    (finding,) = report.findings
    assert finding.subject is Subject.ELEMENT
    assert finding.subject_code == "A1.1.1.1"
    assert "2012-03 – 2014-01" in finding.message
    assert "I1.1.1 (2012-03 – 2013-12)" in finding.message


def test_a_goal_with_exactly_the_limit_of_objectives_is_fine() -> None:
    plan = _more_objectives(good_plan())
    plan = replace(plan, elements=tuple(e for e in plan.elements if e.code != "O1.6"))
    assert check_plan(plan).findings == ()


def test_a_cycle_is_reported_once_with_its_path() -> None:
    plan = replace(
        good_plan(),
        dependencies=(
            Dependency("I1.1.1", "I1.1.2"),
            Dependency("I1.1.2", "A1.1.1.1"),
            Dependency("A1.1.1.1", "I1.1.1"),
        ),
    )
    (finding,) = check_plan(plan).findings
    assert finding.message == "Dependency cycle: A1.1.1.1 → I1.1.1 → I1.1.2 → A1.1.1.1."


def test_a_self_dependency_is_a_cycle() -> None:
    plan = replace(good_plan(), dependencies=(Dependency("I1.1.1", "I1.1.1"),))
    assert [f.rule for f in check_plan(plan).findings] == ["Q402"]


def test_a_target_missing_everywhere_is_said_once_not_per_year() -> None:
    report = check_plan(_indicator(good_plan(), targets=()))
    assert [f.rule for f in report.findings] == ["Q202"]


def test_a_roadmap_that_ends_in_the_last_month_of_the_plan_is_fine() -> None:
    assert check_plan(replace(good_plan(), roadmap=Roadmap("Baseline", Month(2014, 12)))).findings == ()
    late = check_plan(replace(good_plan(), roadmap=Roadmap("Re-plan", Month(2016, 8)))).findings
    assert [f.message for f in late] == [
        "The roadmap “Re-plan” finishes in 2016-08, 20 months after the plan's last year 2014."
    ]
    assert [f.message for f in check_plan(BREAKERS["Q403"](good_plan())).findings] == [
        "The roadmap “Baseline” finishes in 2015-01, 1 month after the plan's last year 2014."
    ]


def test_a_budget_exactly_at_the_cap_is_fine() -> None:
    plan = replace(good_plan(), budget_caps=(BudgetCap(2013, "State budget", Decimal(150)),))
    assert check_plan(plan).findings == ()


def test_an_increasing_indicator_must_not_step_back() -> None:
    plan = _indicator(
        good_plan(),
        direction="increase",
        baseline=Decimal(1),
        targets=(
            Target(Period.parse("2012"), Decimal(2)),
            Target(Period.parse("2013"), Decimal(3)),
            Target(Period.parse("2014"), Decimal("2.5")),
        ),
    )
    messages = [f.message for f in check_plan(plan).findings]
    assert messages == ["Indicator KPI-1 should increase, but its target goes from 3 (2013) to 2.5 (2014)."]


def test_a_range_indicator_has_no_direction_to_check() -> None:
    plan = _indicator(
        good_plan(),
        direction="range",
        targets=(
            Target(Period.parse("2012"), Decimal(5)),
            Target(Period.parse("2013"), Decimal(25)),
            Target(Period.parse("2014"), Decimal(5)),
        ),
    )
    assert check_plan(plan).findings == ()


def test_a_switched_off_rule_reports_nothing_and_is_listed_with_its_reason() -> None:
    plan = replace(
        BREAKERS["Q303"](good_plan()),
        settings=(RuleSetting("Q303", enabled=False, reason="Funded by the donor project"),),
    )
    report = check_plan(plan)
    assert report.findings == ()
    assert [(s.rule, s.reason) for s in report.switched_off] == [("Q303", "Funded by the donor project")]


def test_a_regraded_rule_keeps_its_default_for_display() -> None:
    plan = replace(
        BREAKERS["Q303"](good_plan()),
        settings=(RuleSetting("Q303", severity=Severity.ERROR, reason="Ministry demands costing"),),
    )
    (finding,) = check_plan(plan).findings
    assert finding.severity is Severity.ERROR
    assert finding.default_severity is Severity.WARNING
    assert check_plan(plan).has_errors


def test_findings_come_errors_first_then_in_plan_order() -> None:
    plan = BREAKERS["Q303"](BREAKERS["Q201"](BREAKERS["Q302"](good_plan())))
    assert [(f.severity.value, f.subject_code) for f in check_plan(plan).findings] == [
        ("error", "I1.1.2"),
        ("error", "KPI-1"),
        ("warning", "I1.1.2"),
    ]
