"""The previous programme, 2007–2011: the five-year state programme built on the 2007
diagnostic. Smaller than the new plan, superseded, and read-only."""

from __future__ import annotations

#: goal → objectives → initiatives (title, unit, start, end, status)
Initiative = tuple[str, str, str, str, str]
GOALS: list[tuple[str, str, list[tuple[str, str, list[Initiative]]]]] = [
    (
        "Modern customs legislation",
        "HQ-LEG",
        [
            (
                "Adopt a customs code aligned with international standards",
                "HQ-LEG",
                [
                    ("Draft the new Customs Code", "HQ-LEG", "2007-01", "2010-12", "completed"),
                    ("Align procedures with the EU Customs Code", "HQ-CAD", "2008-01", "2011-12", "completed"),
                ],
            ),
            (
                "Introduce the single window principle at checkpoints",
                "HQ-CAD",
                [
                    ("Consolidate border controls under customs", "HQ-CAD", "2008-06", "2009-12", "completed"),
                ],
            ),
        ],
    ),
    (
        "Automation of customs procedures",
        "HQ-ITD",
        [
            (
                "Build the automated customs information system",
                "HQ-ITD",
                [
                    ("Connect customs bodies to the central system", "HQ-ITD", "2007-01", "2010-12", "completed"),
                    ("Electronic declaration for import and export", "HQ-ITD", "2009-01", "2011-12", "completed"),
                ],
            ),
        ],
    ),
    (
        "Modern border infrastructure",
        "HQ-FIN",
        [
            (
                "Rebuild the main border checkpoints",
                "HQ-FIN",
                [
                    ("Reconstruct Astara and Samur checkpoints", "HQ-FIN", "2007-06", "2011-06", "completed"),
                    ("Install the first truck scanners", "HQ-FIN", "2010-01", "2011-12", "delayed"),
                ],
            ),
        ],
    ),
    (
        "Qualified staff",
        "HQ-HRD",
        [
            (
                "Train officers in modern methods",
                "HQ-ACA",
                [
                    ("Open the Customs Academy training programme", "HQ-ACA", "2007-01", "2008-12", "completed"),
                    ("Risk management training with WCO experts", "HQ-ACA", "2009-01", "2011-12", "completed"),
                ],
            ),
        ],
    ),
]

#: (goal index, objective index, name, unit of measure, direction, owner, baseline 2006, targets, actuals)
INDICATORS: list[tuple[int, int, str, str, str, str, float, dict[int, float], dict[int, float]]] = [
    (
        1,
        1,
        "Customs bodies connected to the central system",
        "bodies",
        "increase",
        "HQ-ITD",
        5,
        {2008: 15, 2010: 30, 2011: 38},
        {2007: 9, 2008: 16, 2009: 24, 2010: 32, 2011: 38},
    ),
    (
        1,
        1,
        "Share of declarations lodged electronically",
        "%",
        "increase",
        "HQ-ITD",
        0,
        {2009: 20, 2010: 40, 2011: 60},
        {2009: 18, 2010: 41, 2011: 62},
    ),
    (
        0,
        2,
        "Control time at border checkpoints",
        "hours",
        "decrease",
        "HQ-CAD",
        48,
        {2009: 2, 2010: 1, 2011: 0.5},
        {2008: 40, 2009: 1.5, 2010: 0.6, 2011: 0.4},
    ),
    (
        2,
        1,
        "Checkpoints reconstructed",
        "checkpoints",
        "increase",
        "HQ-FIN",
        0,
        {2009: 2, 2011: 5},
        {2008: 1, 2009: 2, 2010: 3, 2011: 4},
    ),
    (
        3,
        1,
        "Officers trained in risk management",
        "officers",
        "increase",
        "HQ-ACA",
        0,
        {2011: 300},
        {2009: 60, 2010: 140, 2011: 260},
    ),
    (
        0,
        1,
        "Customs revenue collected",
        "AZN million",
        "increase",
        "HQ-FIN",
        700,
        {2008: 1000, 2010: 1500, 2011: 1800},
        {2007: 820, 2008: 1150, 2009: 1210, 2010: 1560, 2011: 1950},
    ),
]
