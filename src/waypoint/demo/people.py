"""The demo's workforce: the shipped customs competency framework, eight role profiles, about
1,200 pseudonymous officers across the demo units, the 2011 and 2013 assessment rounds, a
course catalogue tied to the workforce goal's initiatives, training records 2012–2014 that
feed two indicators of that goal, the workforce the plan's functions need in 2014–2016, and
an optimised, adopted 2015 training plan.

Everything goes through the services and the HR file imports the pages use. Generated from a
fixed seed, so two builds are the same. Staff numbers are invented; nobody is named.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import waypoint
from waypoint.indicators import services as indicator_services
from waypoint.indicators.models import Actual, Indicator
from waypoint.org.models import OrgUnit
from waypoint.people import importing, measures, selectors, services
from waypoint.people.models import CompetencyFramework, Course, Measure, Provider, RoleProfile, RunStatus
from waypoint.plans.models import ElementKind, Plan, PlanElement, PlanFunction

FRAMEWORK = Path(waypoint.__file__).parent / "people" / "frameworks" / "customs-competencies.yaml"
SEED = 2011


@dataclass(frozen=True)
class Profile:
    code: str
    name: str
    requirements: dict[str, int]
    education_level: str
    education_fields: tuple[str, ...] = ()
    description: str = ""


PROFILES = [
    Profile(
        "BP-INSP",
        "Border post inspector",
        {
            "OPS.PROC": 3,
            "OPS.INSP": 3,
            "TEC.CLASS": 2,
            "TEC.RISK": 2,
            "TEC.ENF": 2,
            "VAL.INTEG": 3,
            "VAL.SERV": 2,
        },
        "secondary",
        description="Clears travellers and goods at a road or rail border post and examines what the risk engine selects.",
    ),
    Profile(
        "CLR-OFF",
        "Clearance officer",
        {"OPS.PROC": 3, "OPS.IT": 2, "OPS.FAC": 2, "TEC.CLASS": 3, "TEC.VAL": 2, "TEC.ORIG": 2, "VAL.INTEG": 3},
        "vocational",
        description="Checks declarations at an inland office, airport or sea port.",
    ),
    Profile(
        "RISK-AN",
        "Risk analyst",
        {"TEC.RISK": 4, "OPS.IT": 3, "TEC.ENF": 2, "VAL.INTEG": 3},
        "bachelor",
        ("economics", "it", "engineering"),
        "Builds and reviews the risk profiles and targets consignments.",
    ),
    Profile(
        "PCA-AUD",
        "Post-clearance auditor",
        {"TEC.AUDIT": 4, "TEC.VAL": 3, "TEC.CLASS": 3, "STR.FIN": 2, "VAL.INTEG": 3},
        "bachelor",
        ("economics", "business", "law"),
        "Audits traders' records after release.",
    ),
    Profile(
        "CLASS-SP",
        "Classification specialist",
        {"TEC.CLASS": 4, "TEC.ORIG": 3, "TEC.VAL": 2, "VAL.INTEG": 3},
        "bachelor",
        description="Gives binding tariff information and settles classification disputes.",
    ),
    Profile(
        "ENF-OFF",
        "Enforcement officer",
        {"TEC.ENF": 3, "OPS.INSP": 3, "TEC.RISK": 2, "VAL.INTEG": 3, "VAL.TEAM": 2},
        "secondary",
        description="Investigates smuggling and works with the police and border guard.",
    ),
    Profile(
        "STR-PLN",
        "Strategic planner",
        {"STR.PLAN": 4, "STR.FIN": 3, "STR.COOP": 2, "STR.ENV": 2, "VAL.INTEG": 3},
        "master",
        ("economics", "public-administration", "business"),
        "Prepares the strategic plan, its budget and its monitoring.",
    ),
    Profile(
        "HEAD-OFF",
        "Head of office",
        {"STR.LEAD": 3, "STR.PLAN": 3, "STR.FIN": 2, "OPS.PROC": 3, "VAL.INTEG": 4},
        "master",
        description="Leads a customs office, border post or headquarters department.",
    ),
]

#: unit → officers. HQ-SPD and HQ-LEG hold fewer than five: their figures are never shown to
#: readers without the right to see them (the small-group rule).
STAFF = {
    **dict.fromkeys(("BP-MAZ", "BP-SDL", "BP-RED", "BP-JAN", "BP-SAM", "BP-KHA", "BP-SDK", "BP-JUL"), 62),
    "BP-AST": 74,
    "BP-BIL": 66,
    "RP-BKS": 30,
    "AP-GYD": 110,
    "AP-CGO": 45,
    "SP-ALT": 92,
    "IO-BAK": 60,
    "CO-BAL": 26,
    "CO-TOV": 26,
    "HQ-RMD": 24,
    "HQ-PCA": 30,
    "HQ-TVO": 18,
    "HQ-ENF": 22,
    "HQ-CAD": 14,
    "HQ-FIN": 10,
    "HQ-INT": 9,
    "HQ-ITD": 8,
    "HQ-HRD": 6,
    "HQ-ACA": 12,
    "HQ-SPD": 4,
    "HQ-LEG": 3,
}
#: headquarters departments → the profile of their staff (None: no profile yet)
HQ_PROFILE = {
    "HQ-RMD": "RISK-AN",
    "HQ-PCA": "PCA-AUD",
    "HQ-TVO": "CLASS-SP",
    "HQ-ENF": "ENF-OFF",
    "HQ-CAD": "CLR-OFF",
    "HQ-FIN": "STR-PLN",
    "HQ-SPD": "STR-PLN",
}
EDUCATION = ("secondary", "vocational", "bachelor", "master", "doctorate")
FIELDS = ("law", "economics", "business", "public-administration", "engineering", "it", "languages", "other")
#: the demo user whose own record "My record" shows
OWN_RECORD = ("BP-AST", "head.astara")


@dataclass(frozen=True)
class CourseSpec:
    code: str
    title: str
    outcomes: dict[str, int]
    hours: int
    cost: int
    provider_kind: str
    provider: str
    initiative: str
    sessions: int
    seats: int = 20


COURSES = [
    CourseSpec(
        "RISK-2",
        "Risk management foundations",
        {"TEC.RISK": 2},
        16,
        150,
        Provider.ACADEMY,
        "",
        "Academy curriculum and trainers",
        6,
    ),
    CourseSpec(
        "RISK-4",
        "Risk analysis and targeting",
        {"TEC.RISK": 4, "OPS.IT": 3},
        80,
        1200,
        Provider.PARTNER,
        "EU twinning partner",
        "Academy curriculum and trainers",
        2,
        12,
    ),
    CourseSpec(
        "PCA-3",
        "Post-clearance audit techniques",
        {"TEC.AUDIT": 3},
        40,
        600,
        Provider.ACADEMY,
        "",
        "Academy curriculum and trainers",
        2,
        16,
    ),
    CourseSpec(
        "PCA-4",
        "Auditing company records",
        {"TEC.AUDIT": 4, "STR.FIN": 2},
        80,
        1400,
        Provider.PARTNER,
        "Partner customs administration",
        "Academy curriculum and trainers",
        1,
        12,
    ),
    CourseSpec(
        "HS-2",
        "The Harmonized System",
        {"TEC.CLASS": 2},
        12,
        20,
        Provider.WCO,
        "WCO CLiKC!",
        "E-learning platform",
        4,
        40,
    ),
    CourseSpec(
        "HS-3",
        "Tariff classification in practice",
        {"TEC.CLASS": 3},
        40,
        400,
        Provider.ACADEMY,
        "",
        "Academy curriculum and trainers",
        3,
    ),
    CourseSpec(
        "VAL-3",
        "Customs valuation",
        {"TEC.VAL": 3},
        40,
        500,
        Provider.ACADEMY,
        "",
        "Academy curriculum and trainers",
        2,
    ),
    CourseSpec(
        "ORIG-3", "Rules of origin", {"TEC.ORIG": 3}, 24, 300, Provider.WCO, "WCO CLiKC!", "E-learning platform", 2, 40
    ),
    CourseSpec(
        "INSP-3",
        "Physical examination and search",
        {"OPS.INSP": 3, "TEC.ENF": 2},
        24,
        250,
        Provider.ACADEMY,
        "",
        "Academy curriculum and trainers",
        4,
    ),
    CourseSpec(
        "ENF-3",
        "Investigation and anti-smuggling",
        {"TEC.ENF": 3},
        40,
        600,
        Provider.ACADEMY,
        "",
        "Academy curriculum and trainers",
        2,
    ),
    CourseSpec(
        "ETH-3",
        "Integrity and the code of conduct",
        {"VAL.INTEG": 3},
        8,
        60,
        Provider.ACADEMY,
        "",
        "Academy curriculum and trainers",
        6,
        30,
    ),
    CourseSpec(
        "PROC-3",
        "Customs procedures and the automated system",
        {"OPS.PROC": 3, "OPS.IT": 2},
        24,
        200,
        Provider.ACADEMY,
        "",
        "Academy curriculum and trainers",
        4,
    ),
    CourseSpec(
        "SERV-2",
        "Serving traders and travellers",
        {"VAL.SERV": 2, "OPS.FAC": 2},
        8,
        40,
        Provider.WCO,
        "WCO CLiKC!",
        "E-learning platform",
        3,
        40,
    ),
    CourseSpec(
        "LEAD-3",
        "Leading a customs office",
        {"STR.LEAD": 3, "STR.PLAN": 3},
        40,
        900,
        Provider.ACADEMY,
        "",
        "Leadership development for managers",
        2,
        16,
    ),
    CourseSpec(
        "PLAN-4",
        "Results-based planning and budgeting",
        {"STR.PLAN": 4, "STR.FIN": 3},
        24,
        800,
        Provider.PARTNER,
        "Partner customs administration",
        "Leadership development for managers",
        1,
        12,
    ),
]

#: indicator of the workforce goal → (measure, competencies)
BINDINGS = {
    "Officers trained in risk management and audit": (Measure.OFFICERS_TRAINED, ("TEC.RISK", "TEC.AUDIT")),
    "Training hours per officer": (Measure.HOURS_PER_OFFICER, ()),
}
#: year → (officers trained in risk management or audit, training hours per officer), the
#: figures the demo plan reports (content.INDICATORS), which the records are drawn to match
TRAINING = {2012: (140, 17), 2013: (210, 25), 2014: (190, 31)}

#: (function, unit, role profile, headcount in 2014, 2015, 2016)
NEEDS = [
    ("Border and supply-chain security", "RD-WST", "BP-INSP", 260, 270, 280),
    ("Border and supply-chain security", "RD-STH", "BP-INSP", 120, 125, 130),
    ("Border and supply-chain security", "RD-NTH", "BP-INSP", 100, 105, 110),
    ("Border and supply-chain security", "HQ-RMD", "RISK-AN", 26, 30, 34),
    ("Enforcement and anti-smuggling", "HQ-ENF", "ENF-OFF", 24, 26, 28),
    ("Trade facilitation", "RD-BAK", "CLR-OFF", 110, 115, 115),
    ("Trade facilitation", "RD-AIR", "CLR-OFF", 105, 110, 110),
    ("Revenue collection", "HQ-PCA", "PCA-AUD", 34, 40, 45),
    ("Revenue collection", "HQ-TVO", "CLASS-SP", 20, 22, 24),
    ("Institutional development", "HQ-SPD", "STR-PLN", 5, 6, 6),
    ("Institutional development", "SCC", "HEAD-OFF", 22, 22, 22),
]
PLAN_YEAR = 2015


def build_people(plan: Plan, administration: OrgUnit, units: dict[str, OrgUnit]) -> bool:
    """Build the workforce unless the administration has a competency framework already;
    returns whether it was built."""
    if CompetencyFramework.objects.filter(administration=administration).exists():
        return False
    rng = random.Random(SEED)  # noqa: S311 - sample data, reproducible by seed
    framework = services.framework_import(
        actor=None, administration=administration, content=FRAMEWORK.read_bytes(), filename=FRAMEWORK.name
    )
    profiles = {
        spec.code: services.role_profile_save(
            actor=None,
            administration=administration,
            framework=framework,
            code=spec.code,
            name=spec.name,
            requirements=spec.requirements,
            description=spec.description,
            education_level=spec.education_level,
            education_fields=spec.education_fields,
        )
        for spec in PROFILES
    }
    staff = _officers(rng, units)
    importing.officers_import(
        actor=None, administration=administration, data=_officers_csv(staff), filename="hr-register-2011.csv"
    )
    _assessments(rng, administration, framework, staff, profiles)
    courses = _catalogue(administration, framework, plan)
    _training_records(rng, administration, staff, courses)
    _bind_indicators(plan)
    _needs(plan, units, profiles)
    run = services.allocation_create(
        actor=None,
        plan=plan,
        name="Training plan 2015",
        year=PLAN_YEAR,
        # the budget lines the plan holds for 2015 on the initiatives the courses belong to
        budget=selectors.proposed_budget(plan, PLAN_YEAR),
        max_away_percent=15,
        time_limit_s=20,
        run_now=True,
    )
    if run.status == RunStatus.DONE:
        services.allocation_adopt(actor=None, run=run)
    return True


@dataclass
class _Staff:
    number: str
    unit: str
    profile: str | None
    education: str
    field: str
    entry: dt.date
    account: str = ""


def _profile_in(rng: random.Random, unit: str, kind: str, index: int) -> str | None:
    if unit in HQ_PROFILE or unit.startswith("HQ-"):
        return HQ_PROFILE.get(unit)
    if index == 0:
        return "HEAD-OFF"
    if kind in ("road_border_post", "rail_border_post"):
        return "ENF-OFF" if rng.random() < 0.15 else "BP-INSP"
    draw = rng.random()
    return "CLASS-SP" if draw < 0.12 else "ENF-OFF" if draw < 0.25 else "CLR-OFF"


def _officers(rng: random.Random, units: dict[str, OrgUnit]) -> list[_Staff]:
    required = {p.code: p.education_level for p in PROFILES}
    staff = []
    number = 10_000
    for unit, count in STAFF.items():
        for index in range(count):
            number += rng.randint(1, 7)
            profile = _profile_in(rng, unit, units[unit].kind, index)
            floor = EDUCATION.index(required[profile]) if profile else 0
            # about one in eight officers is below the education their post requires
            level = max(0, floor - 1) if rng.random() < 0.12 else min(len(EDUCATION) - 1, floor + rng.choice((0, 0, 1)))
            entry = dt.date(rng.randint(1994, 2010), rng.randint(1, 12), 1)
            staff.append(_Staff(f"SCC-{number}", unit, profile, EDUCATION[level], rng.choice(FIELDS), entry))
    for member in staff:
        if member.unit == OWN_RECORD[0] and member.profile == "HEAD-OFF":
            member.account = OWN_RECORD[1]
    return staff


def _officers_csv(staff: list[_Staff]) -> bytes:
    lines = ["staff_number,unit,role_profile,education_level,education_field,entry_date,in_service,account"]
    lines += [
        f"{s.number},{s.unit},{s.profile or ''},{s.education},{s.field},{s.entry.isoformat()},yes,{s.account}"
        for s in staff
    ]
    return ("\n".join(lines) + "\n").encode()


def _assessments(
    rng: random.Random,
    administration: OrgUnit,
    framework: CompetencyFramework,
    staff: list[_Staff],
    profiles: dict[str, RoleProfile],
) -> None:
    rounds = {
        year: services.assessment_round_save(
            actor=None,
            administration=administration,
            framework=framework,
            code=str(year),
            name=f"{year} assessment round",
            held_on=dt.date(year, 5, 15),
        )
        for year in (2011, 2013)
    }
    first = ["staff_number,competency,level,source,assessed_on"]
    second = list(first)
    for member in staff:
        if member.profile is None:
            continue
        for competency, need in profiles[member.profile].requirements.items():
            short = rng.choice((0, 0, 1, 1, 1, 2, 2, 3))
            before = max(1, int(need) - short)
            after = min(4, before + rng.choice((0, 0, 1, 1, 2)))
            source = "test" if competency.startswith("TEC.") and rng.random() < 0.4 else "manager"
            first.append(f"{member.number},{competency},{before},{source},2011-05-15")
            second.append(f"{member.number},{competency},{after},{source},2013-05-15")
    for year, lines in ((2011, first), (2013, second)):
        importing.assessments_import(
            actor=None,
            administration=administration,
            data=("\n".join(lines) + "\n").encode(),
            filename=f"assessments-{year}.csv",
            round=rounds[year],
        )


def _catalogue(administration: OrgUnit, framework: CompetencyFramework, plan: Plan) -> dict[str, Course]:
    initiatives = {e.title: e for e in PlanElement.objects.filter(plan=plan, kind=ElementKind.INITIATIVE)}
    courses = {}
    for spec in COURSES:
        course = services.course_save(
            actor=None,
            administration=administration,
            framework=framework,
            code=spec.code,
            title=spec.title,
            outcomes=spec.outcomes,
            duration_hours=spec.hours,
            cost=Decimal(spec.cost),
            seats=spec.seats,
            provider_kind=spec.provider_kind,
            provider=spec.provider,
            initiative=initiatives.get(spec.initiative),
        )
        courses[spec.code] = course
        days = max(1, spec.hours // 8)
        for index in range(spec.sessions):
            # spread through the year, avoiding August
            month = 2 + (index * 9) // max(1, spec.sessions)
            month += month >= 8
            starts = dt.date(PLAN_YEAR, month, 3 + 7 * (index % 3))
            services.session_save(
                actor=None,
                course=course,
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=days - 1),
                location="Customs Academy, Baku" if spec.provider_kind != Provider.WCO else "Online",
            )
    return courses


def _training_records(
    rng: random.Random, administration: OrgUnit, staff: list[_Staff], courses: dict[str, Course]
) -> None:
    """Records drawn so that the two bound indicators come out near what the plan reports."""
    lines = ["staff_number,course,completed_on,hours"]
    risk = [s for s in staff if s.profile in ("BP-INSP", "RISK-AN", "ENF-OFF", "PCA-AUD", "CLR-OFF")]
    other = [code for code in courses if not ({"TEC.RISK", "TEC.AUDIT"} & set(courses[code].outcomes))]
    for year, (trained, per_officer) in TRAINING.items():
        hours = 0
        for member in rng.sample(risk, trained):
            if member.profile == "PCA-AUD":
                code = "PCA-3" if rng.random() < 0.7 else "PCA-4"
            elif member.profile == "RISK-AN":
                code = "RISK-4"
            else:
                code = "RISK-2"
            hours += courses[code].duration_hours
            lines.append(f"{member.number},{code},{_day(rng, year)},")
        taken: set[tuple[str, str]] = set()
        while hours < per_officer * len(staff):
            member = rng.choice(staff)
            code = rng.choice(other)
            if (member.number, code) in taken:
                continue
            taken.add((member.number, code))
            hours += courses[code].duration_hours
            lines.append(f"{member.number},{code},{_day(rng, year)},")
    importing.training_import(
        actor=None,
        administration=administration,
        data=("\n".join(lines) + "\n").encode(),
        filename="academy-register-2012-2014.csv",
    )


def _day(rng: random.Random, year: int) -> str:
    return dt.date.fromordinal(dt.date(year, 1, 15).toordinal() + rng.randrange(0, 320)).isoformat()


def _bind_indicators(plan: Plan) -> None:
    for name, (measure, competencies) in BINDINGS.items():
        indicator = Indicator.objects.get(plan=plan, name=name)
        # the values typed in before the records were connected make way for computed ones
        for actual in Actual.objects.filter(indicator=indicator, unit__isnull=True, is_computed=False):
            indicator_services.actual_delete(actor=None, actual=actual)
        measures.binding_save(actor=None, indicator=indicator, measure=measure, competencies=competencies)


def _needs(plan: Plan, units: dict[str, OrgUnit], profiles: dict[str, RoleProfile]) -> None:
    functions = {f.name: f for f in PlanFunction.objects.filter(plan=plan)}
    for function, unit, profile, *headcounts in NEEDS:
        for year, headcount in zip((2014, 2015, 2016), headcounts, strict=True):
            services.workforce_need_save(
                actor=None,
                function=functions[function],
                unit=units[unit],
                role_profile=profiles[profile],
                year=year,
                headcount=headcount,
            )
