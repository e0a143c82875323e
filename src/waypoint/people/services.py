"""Every write to the people side: one transaction each, rights checked (``actor=None`` is the
system: the demo builder, imports run by the command line), an audit record in the same
transaction. Imports of HR files live in ``importing.py``, the allocation's solving in
``worker.py`` and indicators computed from training data in ``measures.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core import work
from waypoint.core.audit import Action, audit_record, audited_delete, diff, snapshot
from waypoint.core.errors import InvalidInput, NotAllowed, Problem
from waypoint.core.versioning import save_if_unchanged
from waypoint.engine.located import DocumentError
from waypoint.engine.training.framework import framework_document, read_framework
from waypoint.org.models import OrgUnit, User
from waypoint.people import permissions, rules
from waypoint.people.errors import FrameworkFileInvalid
from waypoint.people.frameworks import framework_model
from waypoint.people.models import (
    AllocationRun,
    AssessmentRound,
    CompetencyFramework,
    Course,
    CourseSession,
    Officer,
    ProficiencyAssessment,
    Provider,
    RoleProfile,
    RunStatus,
    Source,
    TrainingRecord,
    WorkforceNeed,
)
from waypoint.plans.models import ElementKind, Plan, PlanElement, PlanFunction

PROFILE_FIELDS = ("code", "name", "description", "education_level", "education_fields", "requirements")
OFFICER_FIELDS = (
    "staff_number",
    "unit",
    "role_profile",
    "education_level",
    "education_field",
    "entry_date",
    "is_active",
    "user",
)
COURSE_FIELDS = (
    "code",
    "title",
    "provider_kind",
    "provider",
    "description",
    "outcomes",
    "duration_hours",
    "cost",
    "seats",
    "initiative",
)


def _require(actor: User | None, allowed: bool, message: str | None = None) -> None:
    if actor is not None and not allowed:
        raise NotAllowed(message or _("Only HR officers of the administration keep its workforce records."))


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise InvalidInput(problems[0].message, problems=problems)


# --- frameworks ------------------------------------------------------------------------------------------


@transaction.atomic
def framework_import(
    *, actor: User | None, administration: OrgUnit, content: str | bytes, filename: str = ""
) -> CompetencyFramework:
    """Read a competency framework file (YAML or JSON) and store it for ``administration``.

    Raises:
        NotAllowed: the actor is not an HR officer of the administration.
        FrameworkFileInvalid: every problem of the file, located by JSON path; nothing is stored.
    """
    _require(actor, permissions.can_manage(actor, administration))
    try:
        framework = read_framework(content, filename=filename)
    except DocumentError as error:
        problems = [Problem(path, message) for path, message in error.problems]
        raise FrameworkFileInvalid(
            ngettext(
                "The framework file has %(n)d problem; nothing was imported.",
                "The framework file has %(n)d problems; nothing was imported.",
                len(problems),
            )
            % {"n": len(problems)},
            problems=problems,
        ) from error
    if CompetencyFramework.objects.filter(
        administration=administration, code=framework.code, version=framework.version
    ).exists():
        raise FrameworkFileInvalid(
            _("Framework %(code)s version “%(v)s” is already imported; give the file a new version.")
            % {"code": framework.code, "v": framework.version},
            problems=[Problem("$.version", _("already imported"))],
        )
    stored = CompetencyFramework.objects.create(
        administration=administration,
        code=framework.code,
        version=framework.version,
        name=framework.name,
        description=framework.description,
        document=framework_document(framework),
        imported_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.IMPORT,
        instance=stored,
        changes={"clusters": len(framework.clusters), "competencies": len(framework.competencies)},
    )
    return stored


@transaction.atomic
def framework_delete(*, actor: User | None, framework: CompetencyFramework) -> None:
    """Raises:
    NotAllowed: not HR of the administration.
    InvalidInput: role profiles, courses or assessment rounds still use the framework."""
    _require(actor, permissions.can_manage(actor, framework.administration))
    try:
        audited_delete(actor=actor, instance=framework)
    except ProtectedError as error:
        raise InvalidInput(
            _("Role profiles, courses or assessment rounds use this framework; delete or move them first.")
        ) from error


# --- role profiles ----------------------------------------------------------------------------------------


@transaction.atomic
def role_profile_save(
    *,
    actor: User | None,
    administration: OrgUnit,
    framework: CompetencyFramework,
    code: str,
    name: str,
    requirements: Mapping[str, int],
    description: str = "",
    education_level: str = "",
    education_fields: Iterable[str] = (),
    profile: RoleProfile | None = None,
    expected_version: int | None = None,
) -> RoleProfile:
    """Create or update a role profile (its framework stays: its requirements name its codes).

    Raises:
        NotAllowed: not HR of the administration.
        InvalidInput: a bad or taken code, no name, a competency or level or education the
            framework does not have.
        EditConflict: somebody saved the profile since ``expected_version``.
    """
    _require(actor, permissions.can_manage(actor, administration))
    if profile is not None:
        framework = profile.framework
    model = framework_model(framework)
    code = code.strip()
    fields = sorted({f.strip() for f in education_fields if f.strip()})
    problems = rules.code_problems(code)
    taken = RoleProfile.objects.filter(administration=administration, code=code)
    if profile is not None:
        taken = taken.exclude(pk=profile.pk)
    if not problems and taken.exists():
        problems.append(Problem("code", _("Another role profile already has the code %(c)s.") % {"c": code}))
    problems += rules.required_problems(name, "name", _("Give the role profile a name."))
    clean = {str(k): int(v) for k, v in requirements.items() if v}
    problems += rules.requirement_problems(model, clean, "requirements")
    problems += rules.education_problems(
        model, education_level, fields, level_field="education_level", fields_field="education_fields"
    )
    _raise(problems)
    values: dict[str, Any] = {
        "code": code,
        "name": name.strip(),
        "description": description.strip(),
        "education_level": education_level,
        "education_fields": fields,
        "requirements": clean,
    }
    if profile is None:
        profile = RoleProfile.objects.create(administration=administration, framework=framework, **values)
        audit_record(actor=actor, action=Action.CREATE, instance=profile, changes=values)
        return profile
    before = snapshot(profile, PROFILE_FIELDS)
    for key, value in values.items():
        setattr(profile, key, value)
    profile = save_if_unchanged(profile, expected_version=expected_version, fields=PROFILE_FIELDS)
    audit_record(actor=actor, action=Action.UPDATE, instance=profile, changes=diff(before, values))
    return profile


@transaction.atomic
def role_profile_delete(*, actor: User | None, profile: RoleProfile) -> None:
    """Officers holding the profile keep their records without one.

    Raises:
        NotAllowed: not HR of the administration.
        InvalidInput: workforce needs of a plan ask for holders of this profile.
    """
    _require(actor, permissions.can_manage(actor, profile.administration))
    if profile.workforce_needs.exists():
        raise InvalidInput(_("Plans' workforce needs ask for this role profile; change them first."))
    audited_delete(actor=actor, instance=profile, changes={"officers": profile.officers.count()})


# --- workforce needs --------------------------------------------------------------------------------------


@transaction.atomic
def workforce_need_save(
    *,
    actor: User | None,
    function: PlanFunction,
    unit: OrgUnit,
    role_profile: RoleProfile,
    year: int,
    headcount: int,
    need: WorkforceNeed | None = None,
) -> WorkforceNeed:
    """How many holders of ``role_profile`` ``unit`` needs in ``year`` for ``function``.

    Raises:
        NotAllowed: not a planner or HR officer of the plan's administration.
        InvalidInput: a year outside the plan, a unit or profile of another administration,
            the same need twice.
    """
    plan = function.plan
    _require(
        actor, permissions.can_plan_workforce(actor, plan), _("Only planners and HR officers set workforce needs.")
    )
    problems = rules.in_plan_years(year, plan.start_year, plan.end_year)
    if not unit.is_within(plan.administration):
        problems.append(Problem("unit", _("Choose a unit of the plan's administration.")))
    if role_profile.administration_id != plan.administration_id:
        problems.append(Problem("role_profile", _("Choose a role profile of the plan's administration.")))
    if headcount < 0:
        problems.append(Problem("headcount", _("A headcount cannot be negative.")))
    clash = WorkforceNeed.objects.filter(function=function, unit=unit, role_profile=role_profile, year=year)
    if need is not None:
        clash = clash.exclude(pk=need.pk)
    if clash.exists():
        problems.append(Problem("role_profile", _("This need is already recorded; change it instead.")))
    _raise(problems)
    values = {"function": function, "unit": unit, "role_profile": role_profile, "year": year, "headcount": headcount}
    if need is None:
        need = WorkforceNeed.objects.create(**values)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            instance=need,
            plan_id=plan.pk,
            changes={"unit": unit.code, "role profile": role_profile.code, "year": year, "headcount": headcount},
        )
        return need
    before = {
        "unit": need.unit.code,
        "role profile": need.role_profile.code,
        "year": need.year,
        "headcount": need.headcount,
    }
    for key, value in values.items():
        setattr(need, key, value)
    need.save()
    after = {"unit": unit.code, "role profile": role_profile.code, "year": year, "headcount": headcount}
    audit_record(actor=actor, action=Action.UPDATE, instance=need, plan_id=plan.pk, changes=diff(before, after))
    return need


@transaction.atomic
def workforce_need_delete(*, actor: User | None, need: WorkforceNeed) -> None:
    plan = need.function.plan
    _require(
        actor, permissions.can_plan_workforce(actor, plan), _("Only planners and HR officers set workforce needs.")
    )
    audited_delete(actor=actor, instance=need, plan_id=plan.pk)


# --- officers ---------------------------------------------------------------------------------------------


def officer_problems(
    *,
    administration: OrgUnit,
    staff_number: str,
    unit: OrgUnit | None,
    role_profile: RoleProfile | None,
    education_level: str,
    education_field: str,
    officer: Officer | None = None,
    user: User | None = None,
) -> list[Problem]:
    """What is wrong with an officer's record (the pages, the API and the import share it)."""
    problems = rules.code_problems(staff_number, "staff_number")
    if unit is None or not unit.is_within(administration):
        problems.append(Problem("unit", _("Choose a unit of the administration.")))
    if role_profile is not None:
        if role_profile.administration_id != administration.pk:
            problems.append(Problem("role_profile", _("Choose a role profile of the administration.")))
        else:
            problems += rules.education_problems(
                framework_model(role_profile.framework),
                education_level,
                [education_field] if education_field else [],
                level_field="education_level",
                fields_field="education_field",
            )
    if user is not None:
        linked = Officer.objects.filter(user=user)
        if officer is not None:
            linked = linked.exclude(pk=officer.pk)
        if linked.exists():
            problems.append(Problem("user", _("This account is already linked to another officer's record.")))
    return problems


@transaction.atomic
def officer_save(
    *,
    actor: User | None,
    administration: OrgUnit,
    staff_number: str,
    unit: OrgUnit,
    role_profile: RoleProfile | None = None,
    education_level: str = "",
    education_field: str = "",
    entry_date: dt.date | None = None,
    is_active: bool = True,
    user: User | None = None,
    officer: Officer | None = None,
    expected_version: int | None = None,
) -> Officer:
    """Create or update an officer's record.

    Raises:
        NotAllowed: not HR of the administration.
        InvalidInput: a bad or taken staff number, a unit or profile of another administration,
            an education the profile's framework does not list, an account linked elsewhere.
        EditConflict: somebody saved the record since ``expected_version``.
    """
    _require(actor, permissions.can_manage(actor, administration))
    staff_number = staff_number.strip()
    problems = officer_problems(
        administration=administration,
        staff_number=staff_number,
        unit=unit,
        role_profile=role_profile,
        education_level=education_level,
        education_field=education_field,
        officer=officer,
        user=user,
    )
    taken = Officer.objects.filter(administration=administration, staff_number=staff_number)
    if officer is not None:
        taken = taken.exclude(pk=officer.pk)
    if taken.exists():
        problems.append(Problem("staff_number", _("Another officer has the staff number %(n)s.") % {"n": staff_number}))
    _raise(problems)
    values: dict[str, Any] = {
        "staff_number": staff_number,
        "unit": unit,
        "role_profile": role_profile,
        "education_level": education_level,
        "education_field": education_field,
        "entry_date": entry_date,
        "is_active": is_active,
        "user": user,
    }
    if officer is None:
        officer = Officer.objects.create(administration=administration, **values)
        audit_record(actor=actor, action=Action.CREATE, instance=officer, changes=snapshot(officer, OFFICER_FIELDS))
        return officer
    before = snapshot(officer, OFFICER_FIELDS)
    for key, value in values.items():
        setattr(officer, key, value)
    officer = save_if_unchanged(officer, expected_version=expected_version, fields=OFFICER_FIELDS)
    audit_record(
        actor=actor, action=Action.UPDATE, instance=officer, changes=diff(before, snapshot(officer, OFFICER_FIELDS))
    )
    return officer


@transaction.atomic
def officer_delete(*, actor: User | None, officer: Officer) -> None:
    """The record goes with its assessments, training records and allocations; the reads of it
    stay in the access log under its staff number."""
    _require(actor, permissions.can_manage(actor, officer.administration))
    audited_delete(
        actor=actor,
        instance=officer,
        changes={"assessments": officer.assessments.count(), "training records": officer.training_records.count()},
    )


# --- assessments ------------------------------------------------------------------------------------------


@transaction.atomic
def assessment_round_save(
    *,
    actor: User | None,
    administration: OrgUnit,
    framework: CompetencyFramework,
    code: str,
    name: str,
    held_on: dt.date,
) -> AssessmentRound:
    """Raises:
    NotAllowed: not HR of the administration.
    InvalidInput: a bad or taken code, no name, a framework of another administration."""
    _require(actor, permissions.can_manage(actor, administration))
    code = code.strip()
    problems = rules.code_problems(code)
    if not problems and AssessmentRound.objects.filter(administration=administration, code=code).exists():
        problems.append(Problem("code", _("Another round already has the code %(c)s.") % {"c": code}))
    problems += rules.required_problems(name, "name", _("Give the round a name."))
    if framework.administration_id != administration.pk:
        problems.append(Problem("framework", _("Choose a framework of the administration.")))
    _raise(problems)
    found = AssessmentRound.objects.create(
        administration=administration, framework=framework, code=code, name=name.strip(), held_on=held_on
    )
    audit_record(actor=actor, action=Action.CREATE, instance=found, changes={"held on": held_on.isoformat()})
    return found


@transaction.atomic
def assessment_record(
    *,
    actor: User | None,
    officer: Officer,
    competency: str,
    level: int,
    source: str,
    assessed_on: dt.date,
    round: AssessmentRound | None = None,
) -> ProficiencyAssessment:
    """Record an officer's level of a competency (the same officer, competency, source and day
    again replaces the level).

    Raises:
        NotAllowed: HR records any source; a head of the officer's unit their manager's
            assessment; the officer their own self-assessment; nobody else anything.
        InvalidInput: a competency or level the officer's framework does not have, an unknown
            source, a date in the future, a round of another administration.
    """
    if actor is not None and source not in permissions.sources_allowed(actor, officer):
        raise NotAllowed(_("You cannot record this kind of assessment for this officer."))
    problems: list[Problem] = []
    if source not in Source.values:
        problems.append(Problem("source", _("Choose self-assessment, manager or test.")))
    framework = (
        round.framework if round is not None else (officer.role_profile.framework if officer.role_profile else None)
    )
    if framework is None:
        framework = (
            CompetencyFramework.objects.filter(administration=officer.administration).order_by("-imported_at").first()
        )
    if framework is None:
        problems.append(Problem("competency", _("Import a competency framework first.")))
    else:
        problems += rules.level_problems(framework_model(framework), competency, level)
    if round is not None and round.administration_id != officer.administration_id:
        problems.append(Problem("round", _("Choose a round of the officer's administration.")))
    if assessed_on > timezone.localdate():
        problems.append(Problem("assessed_on", _("An assessment cannot be dated in the future.")))
    _raise(problems)
    found, created = ProficiencyAssessment.objects.update_or_create(
        officer=officer,
        competency=competency,
        source=source,
        assessed_on=assessed_on,
        defaults={"level": level, "round": round, "recorded_by": actor},
    )
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        instance=found,
        label=f"{officer.staff_number} {competency} ({source}, {assessed_on})",
        changes={"level": level},
    )
    return found


# --- courses, sessions, training records -----------------------------------------------------------------


@transaction.atomic
def course_save(
    *,
    actor: User | None,
    administration: OrgUnit,
    framework: CompetencyFramework,
    code: str,
    title: str,
    outcomes: Mapping[str, int],
    duration_hours: int,
    cost: Decimal,
    seats: int = 20,
    provider_kind: str = Provider.ACADEMY,
    provider: str = "",
    description: str = "",
    initiative: PlanElement | None = None,
    course: Course | None = None,
    expected_version: int | None = None,
) -> Course:
    """Create or update a course of the catalogue.

    Raises:
        NotAllowed: not HR of the administration.
        InvalidInput: a bad or taken code, no title, no competency, a competency or level the
            framework does not have, a duration, cost or seats out of bounds, an unknown
            provider, an initiative of another administration's plan or not an initiative.
        EditConflict: somebody saved the course since ``expected_version``.
    """
    _require(actor, permissions.can_manage(actor, administration))
    if course is not None:
        framework = course.framework
    code = code.strip()
    problems = rules.code_problems(code)
    taken = Course.objects.filter(administration=administration, code=code)
    if course is not None:
        taken = taken.exclude(pk=course.pk)
    if not problems and taken.exists():
        problems.append(Problem("code", _("Another course already has the code %(c)s.") % {"c": code}))
    problems += rules.required_problems(title, "title", _("Give the course a title."))
    clean = {str(k): int(v) for k, v in outcomes.items() if v}
    if not clean:
        problems.append(Problem("outcomes", _("Say which competency the course develops, and to which level.")))
    problems += rules.requirement_problems(framework_model(framework), clean, "outcomes")
    problems += rules.course_problems(duration_hours=duration_hours, cost=cost, seats=seats)
    if provider_kind not in Provider.values:
        problems.append(Problem("provider_kind", _("Choose a kind of provider.")))
    if initiative is not None and (
        initiative.kind != ElementKind.INITIATIVE or initiative.plan.administration_id != administration.pk
    ):
        problems.append(Problem("initiative", _("Choose an initiative of one of the administration's plans.")))
    _raise(problems)
    values: dict[str, Any] = {
        "code": code,
        "title": title.strip(),
        "provider_kind": provider_kind,
        "provider": provider.strip(),
        "description": description.strip(),
        "outcomes": clean,
        "duration_hours": duration_hours,
        "cost": cost,
        "seats": seats,
        "initiative": initiative,
    }
    if course is None:
        course = Course.objects.create(administration=administration, framework=framework, **values)
        audit_record(actor=actor, action=Action.CREATE, instance=course, changes=snapshot(course, COURSE_FIELDS))
        return course
    before = snapshot(course, COURSE_FIELDS)
    for key, value in values.items():
        setattr(course, key, value)
    course = save_if_unchanged(course, expected_version=expected_version, fields=COURSE_FIELDS)
    audit_record(
        actor=actor, action=Action.UPDATE, instance=course, changes=diff(before, snapshot(course, COURSE_FIELDS))
    )
    return course


@transaction.atomic
def course_delete(*, actor: User | None, course: Course) -> None:
    """Raises:
    NotAllowed: not HR of the administration.
    InvalidInput: officers' training records name the course."""
    _require(actor, permissions.can_manage(actor, course.administration))
    if course.records.exists():
        raise InvalidInput(_("Officers' training records name this course; it stays in the catalogue."))
    audited_delete(actor=actor, instance=course, changes={"sessions": course.sessions.count()})


@transaction.atomic
def session_save(
    *,
    actor: User | None,
    course: Course,
    starts_on: dt.date,
    ends_on: dt.date,
    seats: int | None = None,
    location: str = "",
    session: CourseSession | None = None,
) -> CourseSession:
    """Schedule a session of ``course`` (its seats default to the course's).

    Raises:
        NotAllowed: not HR of the administration.
        InvalidInput: it ends before it starts, or has no seat.
    """
    _require(actor, permissions.can_manage(actor, course.administration))
    seats = course.seats if seats is None else seats
    _raise(rules.session_problems(starts_on=starts_on, ends_on=ends_on, seats=seats))
    values = {"starts_on": starts_on, "ends_on": ends_on, "seats": seats, "location": location.strip()}
    if session is None:
        session = CourseSession.objects.create(course=course, **values)
        audit_record(actor=actor, action=Action.CREATE, instance=session, changes=snapshot(session, list(values)))
        return session
    before = snapshot(session, list(values))
    for key, value in values.items():
        setattr(session, key, value)
    session.save()
    audit_record(
        actor=actor, action=Action.UPDATE, instance=session, changes=diff(before, snapshot(session, list(values)))
    )
    return session


@transaction.atomic
def session_delete(*, actor: User | None, session: CourseSession) -> None:
    """Allocations to the session go with it; training records keep their course."""
    _require(actor, permissions.can_manage(actor, session.course.administration))
    audited_delete(actor=actor, instance=session, changes={"allocations": session.allocations.count()})


@transaction.atomic
def training_record_add(
    *,
    actor: User | None,
    officer: Officer,
    course: Course,
    completed_on: dt.date,
    hours: int | None = None,
    session: CourseSession | None = None,
) -> TrainingRecord:
    """Record that ``officer`` completed ``course``.

    Raises:
        NotAllowed: not HR of the administration.
        InvalidInput: a course of another administration, a session of another course, the
            same course on the same day twice, a date in the future.
    """
    _require(actor, permissions.can_manage(actor, officer.administration))
    problems: list[Problem] = []
    if course.administration_id != officer.administration_id:
        problems.append(Problem("course", _("Choose a course of the officer's administration.")))
    if session is not None and session.course_id != course.pk:
        problems.append(Problem("session", _("Choose a session of this course.")))
    if completed_on > timezone.localdate():
        problems.append(Problem("completed_on", _("A course cannot be completed in the future.")))
    if TrainingRecord.objects.filter(officer=officer, course=course, completed_on=completed_on).exists():
        problems.append(Problem("completed_on", _("This course is already recorded on that day.")))
    _raise(problems)
    record = TrainingRecord.objects.create(
        officer=officer,
        course=course,
        session=session,
        completed_on=completed_on,
        hours=course.duration_hours if hours is None else hours,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        instance=record,
        label=f"{officer.staff_number} {course.code} {completed_on}",
        changes={"hours": record.hours},
    )
    return record


# --- allocation runs --------------------------------------------------------------------------------------


def _require_trainer(actor: User | None, plan: Plan) -> None:
    _require(actor, permissions.can_manage(actor, plan.administration), _("Only HR officers plan the training."))


def _run_insert(
    *,
    actor: User | None,
    plan: Plan,
    name: str,
    year: int,
    budget: Decimal,
    max_away_percent: int,
    time_limit_s: int,
) -> AllocationRun:
    """Check the input, then store the run (the queueing is the caller's). The checks read
    before the write transaction opens, as the roadmap's scenarios do: nothing is held while
    the sessions are looked up."""
    _require_trainer(actor, plan)
    problems = rules.required_problems(name, "name", _("Give the run a name."))
    problems += rules.in_plan_years(year, plan.start_year, plan.end_year)
    if budget < 0:
        problems.append(Problem("budget", _("A budget cannot be negative.")))
    if not 0 <= max_away_percent <= 100:
        problems.append(Problem("max_away_percent", _("Give a share between 0 and 100 per cent.")))
    if not 1 <= time_limit_s <= 600:
        problems.append(Problem("time_limit_s", _("The time limit must be between 1 and 600 seconds.")))
    if (
        not problems
        and not CourseSession.objects.filter(course__administration=plan.administration, starts_on__year=year).exists()
    ):
        problems.append(Problem("year", _("No course session is scheduled in %(y)d yet.") % {"y": year}))
    _raise(problems)
    with transaction.atomic():
        run = AllocationRun.objects.create(
            plan=plan,
            name=name.strip(),
            year=year,
            budget=budget,
            max_away_percent=max_away_percent,
            time_limit_s=time_limit_s,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            instance=run,
            plan_id=plan.pk,
            changes={"year": year, "budget": str(budget), "most away (%)": max_away_percent},
        )
    return run


def allocation_create(
    *,
    actor: User | None,
    plan: Plan,
    name: str,
    year: int,
    budget: Decimal,
    max_away_percent: int = 20,
    time_limit_s: int = 60,
    run_now: bool = False,
) -> AllocationRun:
    """Store an allocation run and queue it for the background worker, or solve it in this
    process with ``run_now`` (the demo builder, scripts).

    Raises:
        NotAllowed: not HR of the plan's administration.
        InvalidInput: no name, a year outside the plan or without sessions, a negative budget,
            a share outside 0–100 %, a time limit outside 1–600 s.
    """
    run = _run_insert(
        actor=actor,
        plan=plan,
        name=name,
        year=year,
        budget=budget,
        max_away_percent=max_away_percent,
        time_limit_s=time_limit_s,
    )
    from waypoint.people import worker

    if run_now:
        return worker.run_allocation(run.pk)
    # enqueued once the run is committed, so the worker always finds it; held through
    # core.work, so a run whose worker is lost is queued again or marked failed
    work.enqueue(worker.ALLOCATION, run.pk)
    run.refresh_from_db()
    return run


@transaction.atomic
def allocation_cancel(*, actor: User | None, run: AllocationRun) -> AllocationRun:
    """Stop a run: a queued one at once, a running one at its worker's next check (within a
    second). One whose worker was lost (its lease ran out) stops at once too, so that it can
    be deleted.

    Raises:
        NotAllowed: not HR.
        InvalidInput: the run has finished.
    """
    _require_trainer(actor, run.plan)
    if run.is_finished:
        raise InvalidInput.at("run", _("The run has already finished."))
    now = timezone.now()
    AllocationRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    AllocationRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(status=RunStatus.CANCELLED, finished_at=now)
    AllocationRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).filter(
        Q(held_until__lt=now) | Q(held_until__isnull=True)
    ).update(status=RunStatus.CANCELLED, finished_at=now)
    audit_record(actor=actor, action=Action.CANCEL, instance=run, plan_id=run.plan_id)
    run.refresh_from_db()
    return run


@transaction.atomic
def allocation_adopt(*, actor: User | None, run: AllocationRun) -> AllocationRun:
    """Make ``run`` the year's training plan (another adopted run of the plan and year is set aside).

    Raises:
        NotAllowed: not HR. InvalidInput: the run has no result.
    """
    _require_trainer(actor, run.plan)
    if run.status not in (RunStatus.DONE, RunStatus.CANCELLED) or run.value is None:
        raise InvalidInput.at("run", _("Only a run with a result can become the training plan."))
    AllocationRun.objects.filter(plan=run.plan, year=run.year, is_adopted=True).exclude(pk=run.pk).update(
        is_adopted=False
    )
    AllocationRun.objects.filter(pk=run.pk).update(is_adopted=True)
    audit_record(actor=actor, action=Action.APPROVE, instance=run, plan_id=run.plan_id, changes={"year": run.year})
    run.refresh_from_db()
    return run


@transaction.atomic
def allocation_delete(*, actor: User | None, run: AllocationRun) -> None:
    """Raises:
    NotAllowed: not HR. InvalidInput: the run is still being solved."""
    _require_trainer(actor, run.plan)
    if not run.is_finished:
        raise InvalidInput(_("Stop the run before deleting it."))
    audited_delete(actor=actor, instance=run, plan_id=run.plan_id, changes={"allocations": run.allocations.count()})
