"""The previous programme, 2007–2011: the five-year state programme built on the 2007
diagnostic. Smaller than the new plan, superseded, and read-only."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Initiative:
    title: str
    unit: str  # the responsible unit (its code)
    start: str  # YYYY-MM
    end: str
    status: str


@dataclass(frozen=True)
class Objective:
    title: str
    unit: str  # the responsible unit (its code)
    initiatives: list[Initiative]


@dataclass(frozen=True)
class Goal:
    title: str
    unit: str  # the responsible unit (its code)
    objectives: list[Objective]


@dataclass(frozen=True)
class Indicator:
    """``objective`` is the code the objective gets (goals and objectives are numbered in the
    order below); the baseline is of 2006, targets and actuals are by year."""

    objective: str
    name: str
    unit_of_measure: str
    direction: str
    owner: str
    baseline: float
    targets: dict[int, float]
    actuals: dict[int, float]


GOALS: list[Goal] = [
    Goal(
        title="Modern customs legislation",
        unit="HQ-LEG",
        objectives=[
            Objective(
                title="Adopt a customs code aligned with international standards",
                unit="HQ-LEG",
                initiatives=[
                    Initiative(
                        title="Draft the new Customs Code",
                        unit="HQ-LEG",
                        start="2007-01",
                        end="2010-12",
                        status="completed",
                    ),
                    Initiative(
                        title="Align procedures with the EU Customs Code",
                        unit="HQ-CAD",
                        start="2008-01",
                        end="2011-12",
                        status="completed",
                    ),
                ],
            ),
            Objective(
                title="Introduce the single window principle at checkpoints",
                unit="HQ-CAD",
                initiatives=[
                    Initiative(
                        title="Consolidate border controls under customs",
                        unit="HQ-CAD",
                        start="2008-06",
                        end="2009-12",
                        status="completed",
                    )
                ],
            ),
        ],
    ),
    Goal(
        title="Automation of customs procedures",
        unit="HQ-ITD",
        objectives=[
            Objective(
                title="Build the automated customs information system",
                unit="HQ-ITD",
                initiatives=[
                    Initiative(
                        title="Connect customs bodies to the central system",
                        unit="HQ-ITD",
                        start="2007-01",
                        end="2010-12",
                        status="completed",
                    ),
                    Initiative(
                        title="Electronic declaration for import and export",
                        unit="HQ-ITD",
                        start="2009-01",
                        end="2011-12",
                        status="completed",
                    ),
                ],
            )
        ],
    ),
    Goal(
        title="Modern border infrastructure",
        unit="HQ-FIN",
        objectives=[
            Objective(
                title="Rebuild the main border checkpoints",
                unit="HQ-FIN",
                initiatives=[
                    Initiative(
                        title="Reconstruct Astara and Samur checkpoints",
                        unit="HQ-FIN",
                        start="2007-06",
                        end="2011-06",
                        status="completed",
                    ),
                    Initiative(
                        title="Install the first truck scanners",
                        unit="HQ-FIN",
                        start="2010-01",
                        end="2011-12",
                        status="delayed",
                    ),
                ],
            )
        ],
    ),
    Goal(
        title="Qualified staff",
        unit="HQ-HRD",
        objectives=[
            Objective(
                title="Train officers in modern methods",
                unit="HQ-ACA",
                initiatives=[
                    Initiative(
                        title="Open the Customs Academy training programme",
                        unit="HQ-ACA",
                        start="2007-01",
                        end="2008-12",
                        status="completed",
                    ),
                    Initiative(
                        title="Risk management training with WCO experts",
                        unit="HQ-ACA",
                        start="2009-01",
                        end="2011-12",
                        status="completed",
                    ),
                ],
            )
        ],
    ),
]

INDICATORS: list[Indicator] = [
    Indicator(
        objective="O2.1",
        name="Customs bodies connected to the central system",
        unit_of_measure="bodies",
        direction="increase",
        owner="HQ-ITD",
        baseline=5,
        targets={2008: 15, 2010: 30, 2011: 38},
        actuals={2007: 9, 2008: 16, 2009: 24, 2010: 32, 2011: 38},
    ),
    Indicator(
        objective="O2.1",
        name="Share of declarations lodged electronically",
        unit_of_measure="%",
        direction="increase",
        owner="HQ-ITD",
        baseline=0,
        targets={2009: 20, 2010: 40, 2011: 60},
        actuals={2009: 18, 2010: 41, 2011: 62},
    ),
    Indicator(
        objective="O1.2",
        name="Control time at border checkpoints",
        unit_of_measure="hours",
        direction="decrease",
        owner="HQ-CAD",
        baseline=48,
        targets={2009: 2, 2010: 1, 2011: 0.5},
        actuals={2008: 40, 2009: 1.5, 2010: 0.6, 2011: 0.4},
    ),
    Indicator(
        objective="O3.1",
        name="Checkpoints reconstructed",
        unit_of_measure="checkpoints",
        direction="increase",
        owner="HQ-FIN",
        baseline=0,
        targets={2009: 2, 2011: 5},
        actuals={2008: 1, 2009: 2, 2010: 3, 2011: 4},
    ),
    Indicator(
        objective="O4.1",
        name="Officers trained in risk management",
        unit_of_measure="officers",
        direction="increase",
        owner="HQ-ACA",
        baseline=0,
        targets={2011: 300},
        actuals={2009: 60, 2010: 140, 2011: 260},
    ),
    Indicator(
        objective="O1.1",
        name="Customs revenue collected",
        unit_of_measure="AZN million",
        direction="increase",
        owner="HQ-FIN",
        baseline=700,
        targets={2008: 1000, 2010: 1500, 2011: 1800},
        actuals={2007: 820, 2008: 1150, 2009: 1210, 2010: 1560, 2011: 1950},
    ),
]
