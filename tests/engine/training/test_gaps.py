"""Required against assessed: the latest assessment counts, a test outranks a manager and a
manager the officer; heatmap cells, education gaps."""

from __future__ import annotations

import datetime as dt

from waypoint.engine.training.gaps import (
    Assessed,
    Cell,
    Person,
    Profile,
    Source,
    education_gaps,
    effective_levels,
    heatmap,
    officer_gaps,
    weighted_gap,
)

D1, D2 = dt.date(2011, 5, 1), dt.date(2013, 5, 1)


def test_the_latest_assessment_counts_and_on_one_day_the_most_reliable_source() -> None:
    levels = effective_levels(
        [
            Assessed("A", "RISK", 1, Source.SELF, D1),
            Assessed("A", "RISK", 3, Source.SELF, D2),
            Assessed("A", "RISK", 2, Source.TEST, D2),
            Assessed("A", "RISK", 4, Source.MANAGER, D2),
            Assessed("B", "AUDIT", 2, Source.MANAGER, D1),
        ]
    )
    assert levels == {"A": {"RISK": 2}, "B": {"AUDIT": 2}}


def test_gaps_count_levels_short_and_a_missing_assessment_is_no_level() -> None:
    required = {"RISK": 3, "AUDIT": 2, "CLASS": 1}
    assert officer_gaps(required, {"RISK": 1, "AUDIT": 2}) == {"RISK": 2, "CLASS": 1}
    assert weighted_gap(required, {"RISK": 1, "AUDIT": 2}, weight=3) == 9


def test_the_heatmap_counts_each_units_own_officers_against_their_role() -> None:
    profiles = {"P": Profile("P", {"RISK": 3, "AUDIT": 2})}
    people = [
        Person("A", "U1", "P"),
        Person("B", "U1", "P"),
        Person("C", "U2", "P"),
        Person("D", "U2", None),
        Person("E", "U2", "unknown"),
    ]
    levels = {"A": {"RISK": 3, "AUDIT": 1}, "B": {"RISK": 1}, "C": {"RISK": 4, "AUDIT": 2}}
    table = heatmap(people, profiles, levels)
    assert table["U1"]["RISK"] == Cell(2, 1, 0)
    assert table["U1"]["AUDIT"] == Cell(2, 2, 1)
    assert table["U2"]["AUDIT"] == Cell(1, 0, 0)
    assert table["U1"]["AUDIT"].share_below == 1.0 and Cell().share_below is None
    assessed_only = heatmap(people, profiles, levels, missing_counts_below=False)
    assert assessed_only["U1"]["AUDIT"] == Cell(1, 1, 0)
    total = Cell()
    for unit in table.values():
        total.add(unit["AUDIT"])
    assert total == Cell(3, 2, 1)


def test_education_gaps_count_levels_below_and_fields_not_accepted() -> None:
    ranks = {"secondary": 0, "bachelor": 1, "master": 2}
    profiles = {
        "AUD": Profile("AUD", {}, "bachelor", frozenset({"economics", "law"})),
        "INS": Profile("INS", {}),
    }
    people = [
        Person("A", "U", "AUD", "master", "economics"),
        Person("B", "U", "AUD", "secondary", "law"),
        Person("C", "U", "AUD", None, "physics"),
        Person("D", "U", "INS", "secondary", None),
        Person("E", "U", None, "master", "law"),
    ]
    gaps = education_gaps(people, profiles, ranks)
    assert (gaps["AUD"].officers, gaps["AUD"].below_level, gaps["AUD"].other_field) == (3, 2, 1)
    assert (gaps["INS"].officers, gaps["INS"].below_level, gaps["INS"].other_field) == (1, 0, 0)
