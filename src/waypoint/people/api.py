"""Workforce endpoints: competency frameworks, role profiles, a plan's workforce needs,
officers (with the pages' privacy rules), assessments, gaps, courses, sessions and allocation
runs.

Officers' records answer only to HR, to the officer's head of unit and to the officer (403 for
anybody else with a role in the administration, 404 for anybody without); every read of a
record by somebody else is logged. Aggregates (gaps, a plan's needs, a run's places) answer to
everybody with a role, with figures about fewer than five officers as ``null`` except for HR.
Refusals have the API's one error shape: ``invalid`` (400, located problems), ``file_invalid``
and ``framework_invalid`` (400, each problem at its sheet/row/column or JSON path; nothing
written), ``forbidden`` (403), ``not_found`` (404), ``edit_conflict`` (409).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from waypoint.core.apischema import ErrorOut, TextLimits
from waypoint.core.errors import InvalidInput, NotAllowed, NotFound
from waypoint.engine.training.framework import framework_document
from waypoint.org.access import request_user, require_any_role
from waypoint.org.models import OrgUnit, User
from waypoint.people import importing, measures, permissions, selectors, services
from waypoint.people.frameworks import framework_model
from waypoint.people.importing import Kind
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
    WorkforceNeed,
)
from waypoint.people.privacy import record_read, record_reads
from waypoint.plans.models import PlanElement, PlanFunction
from waypoint.plans.selectors import plan_for

router = Router(tags=["workforce"])


def _administration(request: HttpRequest, code: str | None) -> OrgUnit:
    require_any_role(request.user)
    try:
        return selectors.administration_for(request.user, code)
    except NotFound as error:
        # a parameter, not the path: the request is at fault (400, located), as elsewhere in the API
        raise InvalidInput.at("administration", error.message) from error


def _unit(administration: OrgUnit, code: str, location: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code, path__startswith=administration.path).first()
    if unit is None:
        raise InvalidInput.at(location, _("No unit %(code)s in the administration.") % {"code": code})
    return unit


def _profile(administration: OrgUnit, code: str | None, location: str) -> RoleProfile | None:
    if not code:
        return None
    profile = RoleProfile.objects.filter(administration=administration, code=code).first()
    if profile is None:
        raise InvalidInput.at(location, _("No role profile %(code)s.") % {"code": code})
    return profile


# --- frameworks -------------------------------------------------------------------------------------------


class FrameworkOut(Schema):
    id: int
    administration: str
    code: str
    version: str
    name: str
    clusters: int
    competencies: int


def _framework_out(stored: CompetencyFramework) -> FrameworkOut:
    model = framework_model(stored)
    return FrameworkOut(
        id=stored.pk,
        administration=stored.administration.code,
        code=stored.code,
        version=stored.version,
        name=stored.name,
        clusters=len(model.clusters),
        competencies=len(model.competencies),
    )


class FrameworkIn(Schema):
    content: str = Field(description="The framework file's text (YAML or JSON).")
    filename: str = "framework.yaml"
    administration: str | None = Field(None, description="The administration's code; by default the caller's first.")


@router.get("/workforce/frameworks", response=list[FrameworkOut])
def list_frameworks(request: HttpRequest, administration: str | None = None) -> list[FrameworkOut]:
    chosen = _administration(request, administration)
    return [
        _framework_out(f)
        for f in CompetencyFramework.objects.filter(administration=chosen).select_related("administration")
    ]


@router.post("/workforce/frameworks", response={201: FrameworkOut})
def import_framework(request: HttpRequest, payload: FrameworkIn) -> Status[FrameworkOut]:
    """Import a competency framework file. A bad file is refused with every problem located by
    JSON path (``framework_invalid``); nothing is stored. HR only."""
    chosen = _administration(request, payload.administration)
    stored = services.framework_import(
        actor=request_user(request), administration=chosen, content=payload.content, filename=payload.filename
    )
    return Status(201, _framework_out(stored))


@router.get("/workforce/frameworks/{framework_id}/document", response=dict[str, Any])
def framework_file(request: HttpRequest, framework_id: int) -> dict[str, Any]:
    """The framework as a document that imports again (format ``waypoint-competencies``)."""
    return framework_document(framework_model(selectors.framework_for(request.user, framework_id)))


# --- role profiles ----------------------------------------------------------------------------------------


class RoleProfileOut(Schema):
    id: int
    code: str
    name: str
    description: str
    framework: int
    education_level: str
    education_fields: list[str]
    requirements: dict[str, int] = Field(description="Competency code → the level required.")
    version: int


def _profile_out(p: RoleProfile) -> RoleProfileOut:
    return RoleProfileOut(
        id=p.pk,
        code=p.code,
        name=p.name,
        description=p.description,
        framework=p.framework_id,
        education_level=p.education_level,
        education_fields=list(p.education_fields or []),
        requirements={str(k): int(v) for k, v in p.requirements.items()},
        version=p.version,
    )


class RoleProfileIn(TextLimits, Schema):
    limits_from = RoleProfile

    code: str
    name: str
    description: str = ""
    framework: int | None = Field(None, description="On creation: the framework's id (by default the latest).")
    education_level: str = ""
    education_fields: list[str] = []
    requirements: dict[str, int] = {}
    version: int | None = Field(None, description="On update: the version read, to detect a concurrent edit.")
    administration: str | None = None


@router.get("/workforce/role-profiles", response=list[RoleProfileOut])
def list_role_profiles(request: HttpRequest, administration: str | None = None) -> list[RoleProfileOut]:
    chosen = _administration(request, administration)
    return [_profile_out(p) for p in RoleProfile.objects.filter(administration=chosen).order_by("code")]


@router.post("/workforce/role-profiles", response={201: RoleProfileOut})
def create_role_profile(request: HttpRequest, payload: RoleProfileIn) -> Status[RoleProfileOut]:
    """HR only."""
    chosen = _administration(request, payload.administration)
    frameworks = CompetencyFramework.objects.filter(administration=chosen).order_by("-imported_at")
    framework = frameworks.filter(pk=payload.framework).first() if payload.framework else frameworks.first()
    if not permissions.can_manage(request.user, chosen):
        raise NotAllowed(_("Only HR officers of the administration keep its workforce records."))
    if framework is None:
        raise InvalidInput.at("$.framework", _("No such framework; import one first."))
    profile = services.role_profile_save(
        actor=request_user(request),
        administration=chosen,
        framework=framework,
        code=payload.code,
        name=payload.name,
        description=payload.description,
        education_level=payload.education_level,
        education_fields=payload.education_fields,
        requirements=payload.requirements,
    )
    return Status(201, _profile_out(profile))


@router.get("/workforce/role-profiles/{profile_id}", response=RoleProfileOut)
def get_role_profile(request: HttpRequest, profile_id: int) -> RoleProfileOut:
    return _profile_out(selectors.role_profile_for(request.user, profile_id))


@router.put("/workforce/role-profiles/{profile_id}", response=RoleProfileOut)
def update_role_profile(request: HttpRequest, profile_id: int, payload: RoleProfileIn) -> RoleProfileOut:
    """HR only; send the ``version`` read to be told of a concurrent edit (409)."""
    profile = selectors.role_profile_for(request.user, profile_id)
    saved = services.role_profile_save(
        actor=request_user(request),
        administration=profile.administration,
        framework=profile.framework,
        code=payload.code,
        name=payload.name,
        description=payload.description,
        education_level=payload.education_level,
        education_fields=payload.education_fields,
        requirements=payload.requirements,
        profile=profile,
        expected_version=payload.version,
    )
    return _profile_out(saved)


@router.delete("/workforce/role-profiles/{profile_id}", response={204: None})
def delete_role_profile(request: HttpRequest, profile_id: int) -> Status[None]:
    profile = selectors.role_profile_for(request.user, profile_id)
    services.role_profile_delete(actor=request_user(request), profile=profile)
    return Status(204, None)


# --- workforce needs --------------------------------------------------------------------------------------


class NeedOut(Schema):
    id: int
    function: str
    year: int
    unit: str
    role_profile: str
    headcount: int


class NeedGapOut(Schema):
    year: int
    unit: str
    role_profile: str
    needed: int = Field(
        description="Officers needed at the unit and the units below it: the headcount recorded, or what the "
        "needs below it count together if more."
    )
    recorded: int = Field(description="The headcount recorded for this unit and role profile (all functions).")
    within: str | None = Field(
        description="The nearest unit above with a need for the same role profile and year: its need includes "
        "this one, so the two are not added up."
    )
    in_service: int | None = Field(
        description="Officers in service at the unit and below it today; null when fewer than 5 (and not HR)."
    )
    gap: int | None


class NeedsOut(Schema):
    needs: list[NeedOut]
    gaps: list[NeedGapOut]


class NeedIn(Schema):
    function: str = Field(description="The function's name in the plan's activity profile.")
    year: int = Field(..., ge=1900, le=2200)
    unit: str
    role_profile: str
    headcount: int = Field(..., ge=0, le=1_000_000)


def _need_out(n: WorkforceNeed) -> NeedOut:
    return NeedOut(
        id=n.pk,
        function=n.function.name,
        year=n.year,
        unit=n.unit.code,
        role_profile=n.role_profile.code,
        headcount=n.headcount,
    )


@router.get("/plans/{plan_id}/workforce", response=NeedsOut)
def list_needs(request: HttpRequest, plan_id: int) -> NeedsOut:
    plan = plan_for(request.user, plan_id)
    needs = WorkforceNeed.objects.filter(function__plan=plan).select_related("function", "unit", "role_profile")
    gaps = [
        NeedGapOut(
            year=y.year,
            unit=r.unit.code,
            role_profile=r.profile.code,
            needed=r.needed,
            recorded=r.recorded,
            within=r.within.code if r.within else None,
            in_service=r.present,
            gap=r.gap,
        )
        for y in selectors.workforce_gaps(request.user, plan)
        for r in y.rows
    ]
    return NeedsOut(needs=[_need_out(n) for n in needs], gaps=gaps)


@router.post("/plans/{plan_id}/workforce", response={201: NeedOut})
def create_need(request: HttpRequest, plan_id: int, payload: NeedIn) -> Status[NeedOut]:
    """Planners and HR."""
    plan = plan_for(request.user, plan_id)
    if not permissions.can_plan_workforce(request.user, plan):
        raise NotAllowed(_("Only planners and HR officers set workforce needs."))
    function = PlanFunction.objects.filter(plan=plan, name=payload.function).first()
    if function is None:
        raise InvalidInput.at(
            "$.function", _("The plan has no function %(function)s.") % {"function": payload.function}
        )
    profile = _profile(plan.administration, payload.role_profile, "$.role_profile")
    assert profile is not None
    need = services.workforce_need_save(
        actor=request_user(request),
        function=function,
        unit=_unit(plan.administration, payload.unit, "$.unit"),
        role_profile=profile,
        year=payload.year,
        headcount=payload.headcount,
    )
    return Status(201, _need_out(need))


@router.delete("/workforce/needs/{need_id}", response={204: None})
def delete_need(request: HttpRequest, need_id: int) -> Status[None]:
    need = selectors.need_for(request.user, need_id)
    services.workforce_need_delete(actor=request_user(request), need=need)
    return Status(204, None)


# --- officers ---------------------------------------------------------------------------------------------


class OfficerOut(Schema):
    id: int
    staff_number: str
    unit: str
    role_profile: str | None
    education_level: str
    education_field: str
    entry_date: dt.date | None
    in_service: bool
    version: int


def _officer_out(o: Officer) -> OfficerOut:
    return OfficerOut(
        id=o.pk,
        staff_number=o.staff_number,
        unit=o.unit.code,
        role_profile=o.role_profile.code if o.role_profile else None,
        education_level=o.education_level,
        education_field=o.education_field,
        entry_date=o.entry_date,
        in_service=o.is_active,
        version=o.version,
    )


class OfficerIn(TextLimits, Schema):
    limits_from = Officer

    staff_number: str
    unit: str
    role_profile: str | None = None
    education_level: str = ""
    education_field: str = ""
    entry_date: dt.date | None = None
    in_service: bool = True
    account: str | None = Field(None, description="The officer's user name, so that they can read their record.")
    version: int | None = None
    administration: str | None = None


def _account(username: str | None) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        raise InvalidInput.at("$.account", _("No account %(username)s.") % {"username": username})
    return user


@router.get("/workforce/officers", response=list[OfficerOut])
def list_officers(request: HttpRequest, administration: str | None = None) -> list[OfficerOut]:
    """The officers whose records the caller may read: HR every one, a head of unit their units'
    (each read logged). Anybody else: 403."""
    chosen = _administration(request, administration)
    if not (permissions.is_hr(request.user, chosen) or selectors.head_units(request.user, chosen)):
        raise NotAllowed(_("Officers' records are for HR and heads of unit; see /api/workforce/gaps."))
    rows = list(selectors.officers_for(request.user, chosen))
    record_reads(reader=request.user, officers=rows, via="api")
    return [_officer_out(o) for o in rows]


@router.post("/workforce/officers", response={201: OfficerOut})
def create_officer(request: HttpRequest, payload: OfficerIn) -> Status[OfficerOut]:
    """HR only."""
    chosen = _administration(request, payload.administration)
    if not permissions.can_manage(request.user, chosen):
        raise NotAllowed(_("Only HR officers of the administration keep its workforce records."))
    officer = services.officer_save(
        actor=request_user(request),
        administration=chosen,
        staff_number=payload.staff_number,
        unit=_unit(chosen, payload.unit, "$.unit"),
        role_profile=_profile(chosen, payload.role_profile, "$.role_profile"),
        education_level=payload.education_level,
        education_field=payload.education_field,
        entry_date=payload.entry_date,
        is_active=payload.in_service,
        user=_account(payload.account),
    )
    return Status(201, _officer_out(officer))


@router.get("/workforce/officers/{officer_id}", response=dict[str, Any])
def get_officer(request: HttpRequest, officer_id: int) -> dict[str, Any]:
    """The whole record (the officer's own export has the same shape); the read is logged."""
    officer = selectors.officer_for(request.user, officer_id)
    record_read(reader=request.user, officer=officer, via="api")
    return {"id": officer.pk, **selectors.officer_export(officer)}


@router.put("/workforce/officers/{officer_id}", response=OfficerOut)
def update_officer(request: HttpRequest, officer_id: int, payload: OfficerIn) -> OfficerOut:
    """HR only; send the ``version`` read to be told of a concurrent edit (409)."""
    officer = selectors.officer_for(request.user, officer_id)
    administration = officer.administration
    saved = services.officer_save(
        actor=request_user(request),
        administration=administration,
        staff_number=payload.staff_number,
        unit=_unit(administration, payload.unit, "$.unit"),
        role_profile=_profile(administration, payload.role_profile, "$.role_profile"),
        education_level=payload.education_level,
        education_field=payload.education_field,
        entry_date=payload.entry_date,
        is_active=payload.in_service,
        user=_account(payload.account),
        officer=officer,
        expected_version=payload.version,
    )
    return _officer_out(saved)


@router.delete("/workforce/officers/{officer_id}", response={204: None})
def delete_officer(request: HttpRequest, officer_id: int) -> Status[None]:
    officer = selectors.officer_for(request.user, officer_id)
    services.officer_delete(actor=request_user(request), officer=officer)
    return Status(204, None)


@router.get("/workforce/me", response={200: dict[str, Any], 404: ErrorOut})
def my_record(request: HttpRequest) -> dict[str, Any]:
    """The caller's own record, when HR has linked one to their account (404 otherwise)."""
    own = selectors.own_record(request.user)
    if own is None:
        raise NotFound(_("No officer's record is linked to your account."))
    return {"id": own.pk, **selectors.officer_export(own)}


class ImportIn(Schema):
    kind: str = Field(..., pattern="^(officers|assessments|training)$")
    filename: str = Field(..., description="Ends in .csv or .xlsx.")
    content: str | None = Field(None, description="A CSV file's text.")
    content_base64: str | None = Field(None, description="An .xlsx (or CSV) file, base64-encoded.")
    round: str | None = Field(None, description="For assessments: the round's code.")
    administration: str | None = None


class ImportOut(Schema):
    kind: str
    rows: int
    created: int
    updated: int


@router.post("/workforce/import", response=ImportOut)
def import_file(request: HttpRequest, payload: ImportIn) -> ImportOut:
    """Import an HR file (officers, assessments or training records). The whole file is checked
    first; any problem refuses it (``file_invalid``, each problem at its sheet, row and column)
    and nothing is written. HR only."""
    chosen = _administration(request, payload.administration)
    if payload.content_base64 is not None:
        try:
            data = base64.b64decode(payload.content_base64, validate=True)
        except (binascii.Error, ValueError) as error:
            raise InvalidInput.at("$.content_base64", _("This is not base64.")) from error
    elif payload.content is not None:
        data = payload.content.encode()
    else:
        raise InvalidInput.at("$.content", _("Send the file as content or content_base64."))
    actor = request_user(request)
    kind = Kind(payload.kind)
    if kind is Kind.OFFICERS:
        report = importing.officers_import(actor=actor, administration=chosen, data=data, filename=payload.filename)
    elif kind is Kind.ASSESSMENTS:
        found = (
            AssessmentRound.objects.filter(administration=chosen, code=payload.round).first() if payload.round else None
        )
        if payload.round and found is None:
            raise InvalidInput.at("$.round", _("No round %(round)s.") % {"round": payload.round})
        report = importing.assessments_import(
            actor=actor, administration=chosen, data=data, filename=payload.filename, round=found
        )
    else:
        report = importing.training_import(actor=actor, administration=chosen, data=data, filename=payload.filename)
    measures.recompute_all(chosen.pk)
    return ImportOut(kind=report.kind.value, rows=report.rows, created=report.created, updated=report.updated)


class AssessmentOut(Schema):
    competency: str
    level: int
    source: str
    assessed_on: dt.date
    round: str | None


class AssessmentIn(TextLimits, Schema):
    limits_from = ProficiencyAssessment

    competency: str
    level: int = Field(..., ge=0, le=100)
    source: str = Field(..., pattern="^(self|manager|test)$")
    assessed_on: dt.date
    round: str | None = None


@router.get("/workforce/officers/{officer_id}/assessments", response=list[AssessmentOut])
def list_assessments(request: HttpRequest, officer_id: int) -> list[AssessmentOut]:
    officer = selectors.officer_for(request.user, officer_id)
    record_read(reader=request.user, officer=officer, via="api")
    return [
        AssessmentOut(
            competency=a.competency,
            level=a.level,
            source=a.source,
            assessed_on=a.assessed_on,
            round=a.round.code if a.round else None,
        )
        for a in officer.assessments.select_related("round")
    ]


@router.post("/workforce/officers/{officer_id}/assessments", response={201: AssessmentOut})
def record_assessment(request: HttpRequest, officer_id: int, payload: AssessmentIn) -> Status[AssessmentOut]:
    """HR any source; the officer's head of unit ``manager``; the officer ``self``."""
    officer = selectors.officer_for(request.user, officer_id)
    found = (
        AssessmentRound.objects.filter(administration=officer.administration, code=payload.round).first()
        if payload.round
        else None
    )
    if payload.round and found is None:
        raise InvalidInput.at("$.round", _("No round %(round)s.") % {"round": payload.round})
    saved = services.assessment_record(
        actor=request_user(request),
        officer=officer,
        competency=payload.competency,
        level=payload.level,
        source=payload.source,
        assessed_on=payload.assessed_on,
        round=found,
    )
    return Status(
        201,
        AssessmentOut(
            competency=saved.competency,
            level=saved.level,
            source=saved.source,
            assessed_on=saved.assessed_on,
            round=payload.round,
        ),
    )


# --- gaps -------------------------------------------------------------------------------------------------


class GapCellOut(Schema):
    competency: str
    officers: int | None = Field(description="Officers whose role requires it; null when hidden (fewer than 5).")
    share_below: float | None = Field(description="The share of them below the required level (0–1).")


class GapRowOut(Schema):
    unit: str | None = Field(description="The unit's code; null for the whole administration.")
    officers: int | None
    cells: list[GapCellOut]


class EducationOut(Schema):
    role_profile: str
    officers: int | None
    below_level: int | None
    other_field: int | None


class GapsOut(Schema):
    rows: list[GapRowOut]
    total: GapRowOut | None
    education: list[EducationOut]


def _row(row: Any) -> GapRowOut:
    return GapRowOut(
        unit=row.unit.code if row.unit else None,
        officers=row.officers,
        cells=[
            GapCellOut(
                competency=c.competency,
                officers=c.officers,
                share_below=None if c.share_below is None else round(c.share_below, 4),
            )
            for c in row.cells
        ],
    )


@router.get("/workforce/gaps", response=GapsOut)
def gaps(request: HttpRequest, administration: str | None = None, role_profile: str | None = None) -> GapsOut:
    """Units × competencies: the share of each unit's officers below the level their role
    requires, and education gaps by role profile; figures about fewer than 5 officers are null
    for everybody but HR."""
    chosen = _administration(request, administration)
    view = selectors.heatmap_view(request.user, chosen, profile=_profile(chosen, role_profile, "role_profile"))
    return GapsOut(
        rows=[_row(r) for r in view.rows],
        total=_row(view.total) if view.total else None,
        education=[
            EducationOut(
                role_profile=e.profile.code, officers=e.officers, below_level=e.below_level, other_field=e.other_field
            )
            for e in view.education
        ],
    )


# --- courses and sessions ---------------------------------------------------------------------------------


class CourseOut(Schema):
    id: int
    code: str
    title: str
    provider_kind: str
    provider: str
    outcomes: dict[str, int] = Field(description="Competency code → the level a participant reaches.")
    duration_hours: int
    cost: Decimal
    seats: int
    initiative: str | None = Field(description="The code of the plan initiative the course belongs to.")
    version: int


def _course_out(c: Course) -> CourseOut:
    return CourseOut(
        id=c.pk,
        code=c.code,
        title=c.title,
        provider_kind=c.provider_kind,
        provider=c.provider,
        outcomes={str(k): int(v) for k, v in c.outcomes.items()},
        duration_hours=c.duration_hours,
        cost=c.cost,
        seats=c.seats,
        initiative=c.initiative.code if c.initiative else None,
        version=c.version,
    )


class CourseIn(TextLimits, Schema):
    limits_from = Course

    code: str
    title: str
    outcomes: dict[str, int]
    duration_hours: int = Field(..., ge=1, le=10_000)
    cost: Decimal = Field(..., ge=0, max_digits=12, decimal_places=2)
    seats: int = Field(20, ge=1, le=10_000)
    provider_kind: str = Provider.ACADEMY
    provider: str = ""
    description: str = ""
    initiative: int | None = Field(None, description="The id of a plan initiative.")
    framework: int | None = None
    administration: str | None = None


@router.get("/workforce/courses", response=list[CourseOut])
def list_courses(request: HttpRequest, administration: str | None = None) -> list[CourseOut]:
    chosen = _administration(request, administration)
    return [_course_out(c) for c in selectors.catalogue(chosen)]


@router.post("/workforce/courses", response={201: CourseOut})
def create_course(request: HttpRequest, payload: CourseIn) -> Status[CourseOut]:
    """HR only."""
    chosen = _administration(request, payload.administration)
    if not permissions.can_manage(request.user, chosen):
        raise NotAllowed(_("Only HR officers of the administration keep its workforce records."))
    frameworks = CompetencyFramework.objects.filter(administration=chosen).order_by("-imported_at")
    framework = frameworks.filter(pk=payload.framework).first() if payload.framework else frameworks.first()
    if framework is None:
        raise InvalidInput.at("$.framework", _("No such framework; import one first."))
    initiative = (
        PlanElement.objects.filter(pk=payload.initiative).select_related("plan").first() if payload.initiative else None
    )
    if payload.initiative and initiative is None:
        raise InvalidInput.at("$.initiative", _("No such initiative."))
    course = services.course_save(
        actor=request_user(request),
        administration=chosen,
        framework=framework,
        code=payload.code,
        title=payload.title,
        outcomes=payload.outcomes,
        duration_hours=payload.duration_hours,
        cost=payload.cost,
        seats=payload.seats,
        provider_kind=payload.provider_kind,
        provider=payload.provider,
        description=payload.description,
        initiative=initiative,
    )
    return Status(201, _course_out(course))


@router.get("/workforce/courses/{course_id}", response=CourseOut)
def get_course(request: HttpRequest, course_id: int) -> CourseOut:
    return _course_out(selectors.course_for(request.user, course_id))


class SessionOut(Schema):
    id: int
    starts_on: dt.date
    ends_on: dt.date
    seats: int
    location: str


class SessionIn(TextLimits, Schema):
    limits_from = CourseSession

    starts_on: dt.date
    ends_on: dt.date
    seats: int | None = Field(None, ge=1, le=10_000, description="By default the course's seats per session.")
    location: str = ""


def _session_out(s: CourseSession) -> SessionOut:
    return SessionOut(id=s.pk, starts_on=s.starts_on, ends_on=s.ends_on, seats=s.seats, location=s.location)


@router.get("/workforce/courses/{course_id}/sessions", response=list[SessionOut])
def list_sessions(request: HttpRequest, course_id: int) -> list[SessionOut]:
    return [_session_out(s) for s in selectors.course_for(request.user, course_id).sessions.all()]


@router.post("/workforce/courses/{course_id}/sessions", response={201: SessionOut})
def create_session(request: HttpRequest, course_id: int, payload: SessionIn) -> Status[SessionOut]:
    """HR only."""
    course = selectors.course_for(request.user, course_id)
    session = services.session_save(
        actor=request_user(request),
        course=course,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        seats=payload.seats,
        location=payload.location,
    )
    return Status(201, _session_out(session))


# --- allocation runs --------------------------------------------------------------------------------------


class CoursePlacesOut(Schema):
    course: str
    initiative: str | None
    officers: int | None = Field(description="Officers given a place; null when fewer than 5 (and not HR).")
    cost: Decimal | None


class RunOut(Schema):
    id: int
    name: str
    year: int
    budget: Decimal
    max_away_percent: int
    status: str
    result_status: str
    is_adopted: bool
    value: int | None = Field(description="Weighted levels of gap the plan closes.")
    greedy_value: int | None = Field(description="What the greedy plan it started from closes.")
    bound: int | None
    spent: Decimal | None
    greedy_spent: Decimal | None
    progress: dict[str, float]
    error: str
    places: list[CoursePlacesOut]


def _run_out(request: HttpRequest, run: AllocationRun) -> RunOut:
    places = (
        [
            CoursePlacesOut(
                course=c.course.code,
                initiative=line.initiative.code if line.initiative else None,
                officers=c.officers,
                cost=c.cost,
            )
            for line in selectors.run_summary(request.user, run)
            for c in line.courses
        ]
        if run.is_finished
        else []
    )
    return RunOut(
        id=run.pk,
        name=run.name,
        year=run.year,
        budget=run.budget,
        max_away_percent=run.max_away_percent,
        status=run.status,
        result_status=run.result_status,
        is_adopted=run.is_adopted,
        value=run.value,
        greedy_value=run.greedy_value,
        bound=run.bound,
        spent=run.spent,
        greedy_spent=run.greedy_spent,
        progress={k: float(v) for k, v in (run.progress or {}).items() if isinstance(v, int | float)},
        error=run.error,
        places=places,
    )


class RunIn(TextLimits, Schema):
    limits_from = AllocationRun

    name: str
    year: int = Field(..., ge=1900, le=2200)
    budget: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    max_away_percent: int = Field(20, ge=0, le=100)
    time_limit_s: int = Field(60, ge=1, le=600)


@router.get("/plans/{plan_id}/training/runs", response=list[RunOut])
def list_runs(request: HttpRequest, plan_id: int) -> list[RunOut]:
    plan = plan_for(request.user, plan_id)
    return [_run_out(request, r) for r in plan.training_runs.all()[:50]]


@router.post("/plans/{plan_id}/training/runs", response={202: RunOut})
def create_run(request: HttpRequest, plan_id: int, payload: RunIn) -> Status[RunOut]:
    """Queue an allocation for the background worker; poll it until ``status`` is ``done``. HR only."""
    plan = plan_for(request.user, plan_id)
    run = services.allocation_create(
        actor=request_user(request),
        plan=plan,
        name=payload.name,
        year=payload.year,
        budget=payload.budget,
        max_away_percent=payload.max_away_percent,
        time_limit_s=payload.time_limit_s,
    )
    return Status(202, _run_out(request, run))


@router.get("/workforce/runs/{run_id}", response=RunOut)
def get_run(request: HttpRequest, run_id: int) -> RunOut:
    return _run_out(request, selectors.run_for(request.user, run_id))


@router.post("/workforce/runs/{run_id}/cancel", response=RunOut)
def cancel_run(request: HttpRequest, run_id: int) -> RunOut:
    run = selectors.run_for(request.user, run_id)
    return _run_out(request, services.allocation_cancel(actor=request_user(request), run=run))


@router.post("/workforce/runs/{run_id}/adopt", response=RunOut)
def adopt_run(request: HttpRequest, run_id: int) -> RunOut:
    run = selectors.run_for(request.user, run_id)
    return _run_out(request, services.allocation_adopt(actor=request_user(request), run=run))
