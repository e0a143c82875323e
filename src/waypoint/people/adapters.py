"""From the tables to the training engine's objects: officers with their assessed levels and
requirements, role profiles, and the allocation problem of a plan year."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from waypoint.engine.training import allocation as engine
from waypoint.engine.training.gaps import Assessed, Person, Profile, Source, effective_levels
from waypoint.org.models import OrgUnit
from waypoint.people.models import (
    AllocationRun,
    Course,
    CourseSession,
    Officer,
    ProficiencyAssessment,
    RoleProfile,
    WorkforceNeed,
)
from waypoint.plans.models import Priority

#: what serving a function of each priority weighs in the allocation; officers serving none weigh 1
PRIORITY_WEIGHT: dict[str, int] = {Priority.HIGH: 3, Priority.MEDIUM: 2, Priority.LOW: 1}


def profile_of(profile: RoleProfile) -> Profile:
    return Profile(
        profile.code,
        {str(k): int(v) for k, v in profile.requirements.items()},
        profile.education_level or None,
        frozenset(profile.education_fields or []),
    )


def profiles_of(administration: OrgUnit) -> dict[str, Profile]:
    return {p.code: profile_of(p) for p in RoleProfile.objects.filter(administration=administration)}


def person_of(officer: Officer) -> Person:
    return Person(
        str(officer.pk),
        officer.unit.code,
        officer.role_profile.code if officer.role_profile else None,
        officer.education_level or None,
        officer.education_field or None,
    )


def levels_of(
    officers: Iterable[int], *, until: dt.date | None = None, round_id: int | None = None
) -> dict[str, dict[str, int]]:
    """officer id (text) → competency → assessed level, from the assessments up to ``until``
    (or only those of one round)."""
    rows = ProficiencyAssessment.objects.filter(officer_id__in=list(officers))
    if until is not None:
        rows = rows.filter(assessed_on__lte=until)
    if round_id is not None:
        rows = rows.filter(round_id=round_id)
    return effective_levels(
        Assessed(str(officer), competency, level, Source(source), on)
        for officer, competency, level, source, on in rows.values_list(
            "officer_id", "competency", "level", "source", "assessed_on"
        ).iterator(chunk_size=5000)
    )


def money(value: Decimal) -> int:
    """Whole units of money (the engine counts in integers)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Built:
    problem: engine.Problem
    #: engine ids back to rows
    officers: dict[str, int]
    sessions: dict[str, int]


def weights(run: AllocationRun) -> dict[tuple[str, int], int]:
    """(unit path, role profile id) → the weight of the highest-priority function the plan's
    workforce needs for the run's year ask of that role at that unit; a need at a unit covers
    the units below it."""
    found: dict[tuple[str, int], int] = {}
    needs = WorkforceNeed.objects.filter(function__plan=run.plan, year=run.year).select_related("function", "unit")
    for need in needs:
        key = (need.unit.path, need.role_profile_id)
        found[key] = max(found.get(key, 1), PRIORITY_WEIGHT.get(need.function.priority, 1))
    return found


def allocation_problem(run: AllocationRun) -> Built:
    """The run's year as an allocation problem: the administration's officers in service with a
    role profile, their gaps at the start of the year, the sessions of that year, the budget."""
    administration = run.plan.administration
    officers = list(
        Officer.objects.filter(
            administration=administration, is_active=True, role_profile__isnull=False
        ).select_related("unit", "role_profile")
    )
    staff: dict[str, int] = defaultdict(int)
    for unit_code in Officer.objects.filter(administration=administration, is_active=True).values_list(
        "unit__code", flat=True
    ):
        staff[unit_code] += 1
    levels = levels_of([o.pk for o in officers], until=dt.date(run.year, 1, 1))
    weight_of = weights(run)
    people = []
    for officer in officers:
        assert officer.role_profile is not None
        weight = max(
            (
                w
                for (path, profile), w in weight_of.items()
                if profile == officer.role_profile_id and officer.unit.path.startswith(path)
            ),
            default=1,
        )
        people.append(
            engine.Officer(
                str(officer.pk),
                officer.unit.code,
                {str(k): int(v) for k, v in officer.role_profile.requirements.items()},
                levels.get(str(officer.pk), {}),
                weight,
            )
        )
    courses = {c.pk: c for c in Course.objects.filter(administration=administration)}
    sessions = list(CourseSession.objects.filter(course__administration=administration, starts_on__year=run.year))
    used = {s.course_id for s in sessions}
    problem = engine.Problem(
        tuple(people),
        tuple(
            engine.Course(str(c.pk), {str(k): int(v) for k, v in c.outcomes.items()}, money(c.cost), c.duration_hours)
            for pk, c in courses.items()
            if pk in used
        ),
        tuple(
            engine.Session(
                str(s.pk), str(s.course_id), run.year, s.starts_on.toordinal(), s.ends_on.toordinal(), s.seats
            )
            for s in sessions
        ),
        {run.year: money(run.budget)},
        run.max_away_percent,
        dict(staff),
    )
    return Built(problem, {str(o.pk): o.pk for o in officers}, {str(s.pk): s.pk for s in sessions})
