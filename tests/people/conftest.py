"""A small workforce in the test administration: the shipped framework, two role profiles,
31 officers (some units with fewer than five), two assessment rounds, a catalogue with 2015
sessions, training records, and workforce needs of the plan's functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

import waypoint
from tests.world import World
from waypoint.people import importing, services
from waypoint.people.models import AssessmentRound, CompetencyFramework, Course, CourseSession, Officer, RoleProfile
from waypoint.plans import services as plan_services

SHIPPED = Path(waypoint.__file__).parent / "people/frameworks/customs-competencies.yaml"

#: unit → officers (RD-S and RD-W hold fewer than five)
STAFF = {"BP-S1": 12, "BP-W1": 8, "RD-S": 3, "HQ-RSK": 6, "RD-W": 2}


@dataclass
class Workforce:
    framework: CompetencyFramework
    inspector: RoleProfile
    analyst: RoleProfile
    officers: dict[str, Officer]
    rounds: tuple[AssessmentRound, AssessmentRound]
    courses: dict[str, Course]
    sessions: list[CourseSession]


def officers_csv() -> str:
    lines = ["staff_number,unit,role_profile,education_level,education_field,entry_date,in_service"]
    number = 0
    for unit, count in STAFF.items():
        for _ in range(count):
            number += 1
            profile = "ANALYST" if unit == "HQ-RSK" else "INSPECTOR"
            education = "master" if number % 4 == 0 else "bachelor" if number % 3 else "secondary"
            lines.append(
                f"T{number:04d},{unit},{profile},{education},{'economics' if number % 2 else 'law'},2009-03-01,yes"
            )
    return "\n".join(lines) + "\n"


def assessments_csv(on: str, bonus: int) -> str:
    lines = ["staff_number,competency,level,source,assessed_on"]
    for index in range(1, sum(STAFF.values()) + 1):
        for competency in ("TEC.RISK", "TEC.CLASS", "VAL.INTEG"):
            level = min(4, 1 + (index + len(competency)) % 3 + bonus)
            lines.append(f"T{index:04d},{competency},{level},manager,{on}")
    return "\n".join(lines) + "\n"


def make_workforce(w: World) -> Workforce:
    """Build (or find) the workforce of the test administration."""
    admin = w.unit("ADM")
    found = CompetencyFramework.objects.filter(administration=admin).first()
    if found is not None:
        return _existing(found)
    framework = services.framework_import(
        actor=None, administration=admin, content=SHIPPED.read_bytes(), filename=SHIPPED.name
    )
    inspector = services.role_profile_save(
        actor=None,
        administration=admin,
        framework=framework,
        code="INSPECTOR",
        name="Border post inspector",
        requirements={"TEC.CLASS": 3, "TEC.RISK": 2, "VAL.INTEG": 3},
        education_level="bachelor",
        education_fields=["law", "economics"],
    )
    analyst = services.role_profile_save(
        actor=None,
        administration=admin,
        framework=framework,
        code="ANALYST",
        name="Risk analyst",
        requirements={"TEC.RISK": 4, "VAL.INTEG": 3},
        education_level="master",
    )
    importing.officers_import(actor=None, administration=admin, data=officers_csv().encode(), filename="officers.csv")
    first = services.assessment_round_save(
        actor=None,
        administration=admin,
        framework=framework,
        code="2011",
        name="2011 round",
        held_on=dt.date(2011, 6, 1),
    )
    second = services.assessment_round_save(
        actor=None,
        administration=admin,
        framework=framework,
        code="2013",
        name="2013 round",
        held_on=dt.date(2013, 6, 1),
    )
    importing.assessments_import(
        actor=None,
        administration=admin,
        data=assessments_csv("2011-06-01", 0).encode(),
        filename="2011.csv",
        round=first,
    )
    importing.assessments_import(
        actor=None,
        administration=admin,
        data=assessments_csv("2013-06-01", 1).encode(),
        filename="2013.csv",
        round=second,
    )
    courses = {
        code: services.course_save(
            actor=None,
            administration=admin,
            framework=framework,
            code=code,
            title=title,
            outcomes=outcomes,
            duration_hours=hours,
            cost=Decimal(cost),
            seats=10,
            initiative=w.elements["I1.1.1"],
        )
        for code, title, outcomes, hours, cost in (
            ("RISK-2", "Risk management basics", {"TEC.RISK": 2}, 16, 200),
            ("RISK-4", "Risk analysis and targeting", {"TEC.RISK": 4}, 80, 1200),
            ("HS-3", "Tariff classification", {"TEC.CLASS": 3}, 40, 500),
            ("ETH-3", "Integrity and ethics", {"VAL.INTEG": 3}, 8, 100),
        )
    }
    for course in courses.values():
        for month in (3, 9):
            services.session_save(
                actor=None, course=course, starts_on=dt.date(2015, month, 10), ends_on=dt.date(2015, month, 12)
            )
    officers = {o.staff_number: o for o in Officer.objects.filter(administration=admin)}
    for number in ("T0001", "T0002", "T0003", "T0013", "T0021", "T0024"):
        services.training_record_add(
            actor=None, officer=officers[number], course=courses["RISK-2"], completed_on=dt.date(2012, 5, 20)
        )
    risk = plan_services.function_save(actor=None, plan=w.plan, name="Risk management", priority="high")
    plan_services.function_save(actor=None, plan=w.plan, name="Clearance", priority="medium")
    services.workforce_need_save(
        actor=None, function=risk, unit=w.unit("HQ-RSK"), role_profile=analyst, year=2015, headcount=10
    )
    services.workforce_need_save(
        actor=None, function=risk, unit=w.unit("BP-S1"), role_profile=inspector, year=2015, headcount=14
    )
    return _existing(framework)


def _existing(framework: CompetencyFramework) -> Workforce:
    admin = framework.administration
    return Workforce(
        framework,
        RoleProfile.objects.get(administration=admin, code="INSPECTOR"),
        RoleProfile.objects.get(administration=admin, code="ANALYST"),
        {o.staff_number: o for o in Officer.objects.filter(administration=admin).select_related("unit")},
        tuple(AssessmentRound.objects.filter(administration=admin).order_by("held_on")),  # type: ignore[arg-type]
        {c.code: c for c in Course.objects.filter(administration=admin)},
        list(CourseSession.objects.filter(course__administration=admin)),
    )


@pytest.fixture
def workforce(world: World) -> Workforce:
    return make_workforce(world)
