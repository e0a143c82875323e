"""The people side's pages: frameworks, role profiles, officers (for those who may read them),
gaps, courses, a plan's workforce needs and training plan, allocation runs, the access log."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waypoint.core.audit import markers_matching
from waypoint.core.errors import ApplicationError, NotAllowed
from waypoint.core.views import HtmxRequest, confirm_delete, form_page
from waypoint.engine.training.framework import framework_document, framework_yaml
from waypoint.indicators.permissions import can_edit_indicator
from waypoint.indicators.selectors import indicator_for
from waypoint.org.access import Access, request_user, require_any_role
from waypoint.org.models import OrgUnit
from waypoint.people import importing, measures, permissions, selectors, services
from waypoint.people.errors import FileInvalid, FrameworkFileInvalid
from waypoint.people.forms import (
    IMPORT_KINDS,
    AssessForm,
    BindingForm,
    CourseForm,
    FrameworkImportForm,
    ImportForm,
    NeedForm,
    OfficerForm,
    RoleProfileForm,
    RoundForm,
    RunForm,
    SessionForm,
)
from waypoint.people.frameworks import framework_model
from waypoint.people.importing import Kind
from waypoint.people.models import (
    Allocation,
    AssessmentRound,
    CompetencyFramework,
    PersonalRecordRead,
    RoleProfile,
    WorkforceNeed,
)
from waypoint.people.privacy import record_read, record_reads, shown_one
from waypoint.plans.models import Plan
from waypoint.plans.selectors import plan_for

SECTION = "workforce"
PLAN_SECTION = "plan-workforce"


def _administration(request: HttpRequest) -> OrgUnit:
    return selectors.administration_for(request.user, request.GET.get("administration"))


def _context(request: HttpRequest, administration: OrgUnit, **extra: Any) -> dict[str, Any]:
    return {
        "section": SECTION,
        "administration": administration,
        "administrations": selectors.administrations_for(request.user),
        "is_hr": permissions.is_hr(request.user, administration),
        "sees_officers": permissions.sees_officers(request.user),
        "own_record": selectors.own_record(request.user),
        **extra,
    }


def _require_hr(request: HttpRequest, administration: OrgUnit) -> None:
    if not permissions.can_manage(request.user, administration):
        raise NotAllowed(_("Only HR officers of the administration keep its workforce records."))


def _frameworks(administration: OrgUnit) -> list[CompetencyFramework]:
    return list(CompetencyFramework.objects.filter(administration=administration).order_by("-imported_at"))


def _chosen_framework(request: HttpRequest, administration: OrgUnit) -> CompetencyFramework | None:
    frameworks = _frameworks(administration)
    wanted = request.GET.get("framework")
    return next((f for f in frameworks if str(f.pk) == wanted), frameworks[0] if frameworks else None)


# --- home and frameworks ----------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    require_any_role(request.user)
    administration = _administration(request)
    counts = selectors.counts(administration)
    exempt = permissions.sees_everything(request.user, administration)
    return render(
        request,
        "people/home.html",
        _context(
            request,
            administration,
            counts=counts,
            officers=shown_one(counts["officers"], exempt=exempt),
            frameworks=_frameworks(administration),
            profiles=RoleProfile.objects.filter(administration=administration).order_by("code"),
            rounds=AssessmentRound.objects.filter(administration=administration),
            plans=Plan.objects.filter(administration=administration).order_by("-start_year"),
        ),
    )


def framework_import(request: HttpRequest) -> HttpResponse:
    administration = _administration(request)
    _require_hr(request, administration)
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            framework = services.framework_import(
                actor=request_user(request),
                administration=administration,
                content=upload.read(),
                filename=upload.name or "",
            )
        except FrameworkFileInvalid as error:
            form.add_error(None, error.message)
            problems = error.problems
        else:
            messages.success(request, _("Imported “%(name)s”.") % {"name": framework})
            return redirect("workforce-framework", framework_id=framework.pk)
    return render(
        request,
        "people/framework_import.html",
        _context(request, administration, form=form, problems=problems),
        status=400 if problems else 200,  # like the HR file import: a refused file is a 400
    )


def framework_detail(request: HttpRequest, framework_id: int) -> HttpResponse:
    stored = selectors.framework_for(request.user, framework_id)
    return render(
        request,
        "people/framework_detail.html",
        _context(request, stored.administration, framework=stored, model=framework_model(stored)),
    )


def framework_export(request: HttpRequest, framework_id: int, fmt: str) -> HttpResponse:
    stored = selectors.framework_for(request.user, framework_id)
    model = framework_model(stored)
    name = f"{stored.code}-{stored.version or 'framework'}"
    if fmt == "json":
        body = json.dumps(framework_document(model), ensure_ascii=False, indent=2) + "\n"
        response = HttpResponse(body, content_type="application/json")
    elif fmt == "yaml":
        response = HttpResponse(framework_yaml(model), content_type="application/yaml; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# --- role profiles ----------------------------------------------------------------------------------------


def roles(request: HttpRequest) -> HttpResponse:
    require_any_role(request.user)
    administration = _administration(request)
    profiles = RoleProfile.objects.filter(administration=administration).select_related("framework").order_by("code")
    return render(request, "people/roles.html", _context(request, administration, profiles=profiles))


def role_detail(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = selectors.role_profile_for(request.user, profile_id)
    model = framework_model(profile.framework)
    required = [(c, profile.requirements[c.code]) for c in model.competencies if c.code in profile.requirements]
    education = next((e.name for e in model.education_levels if e.code == profile.education_level), "")
    fields = [e.name for e in model.education_fields if e.code in (profile.education_fields or [])]
    return render(
        request,
        "people/role_detail.html",
        _context(
            request,
            profile.administration,
            profile=profile,
            required=required,
            education=education,
            fields=fields,
        ),
    )


def role_edit(request: HttpRequest, profile_id: int | None = None) -> HttpResponse:
    profile = selectors.role_profile_for(request.user, profile_id) if profile_id else None
    administration = profile.administration if profile else _administration(request)
    _require_hr(request, administration)
    stored = profile.framework if profile else _chosen_framework(request, administration)
    if stored is None:
        messages.info(request, _("Import a competency framework first."))
        return redirect("workforce-framework-import")
    framework = framework_model(stored)
    initial: dict[str, Any] = {}
    if profile is not None:
        initial = {
            "code": profile.code,
            "name": profile.name,
            "description": profile.description,
            "education_level": profile.education_level,
            "education_fields": profile.education_fields,
            "version": profile.version,
        }
    form = RoleProfileForm(
        request.POST or None, initial=initial, administration=administration, framework=framework, profile=profile
    )
    return form_page(
        request,
        form,
        save=lambda data: services.role_profile_save(
            actor=request_user(request),
            administration=administration,
            framework=stored,
            code=data["code"],
            name=data["name"],
            description=data["description"],
            education_level=data["education_level"],
            education_fields=data["education_fields"],
            requirements=form.levels(),
            profile=profile,
            expected_version=data.get("version"),
        ),
        message=lambda saved: _("Saved the role profile %(code)s.") % {"code": saved.code},
        then=lambda saved: reverse("workforce-role", args=[saved.pk]),
        template="people/levels_form.html",
        context=_context(
            request,
            administration,
            heading=_("Edit %(p)s") % {"p": profile} if profile else _("New role profile"),
            cancel=reverse("workforce-role", args=[profile.pk]) if profile else reverse("workforce-roles"),
            framework=stored,
            frameworks=_frameworks(administration) if profile is None else [],
            level_heading=_("Competencies required"),
        ),
    )


def role_delete(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = selectors.role_profile_for(request.user, profile_id)
    _require_hr(request, profile.administration)
    return confirm_delete(
        request,
        delete=lambda: services.role_profile_delete(actor=request_user(request), profile=profile),
        message=_("Deleted the role profile %(code)s.") % {"code": profile.code},
        then=reverse("workforce-roles"),
        cancel=reverse("workforce-role", args=[profile.pk]),
        what=str(profile),
        consequence=_("Officers holding it keep their records, without a role profile."),
        context={"section": SECTION},
    )


# --- officers ---------------------------------------------------------------------------------------------


def officers(request: HttpRequest) -> HttpResponse:
    administration = _administration(request)
    if not (permissions.is_hr(request.user, administration) or selectors.head_units(request.user, administration)):
        raise NotAllowed(_("Officers' records are for HR and heads of unit; everybody else sees the gaps page."))
    rows = selectors.officers_for(request.user, administration)
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(Q(staff_number__icontains=query) | Q(unit__code__icontains=query))
    unit = request.GET.get("unit", "")
    if unit:
        rows = rows.filter(unit__code=unit)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    record_reads(reader=request.user, officers=list(page), via="list")
    return render(
        request,
        "people/officers.html",
        _context(
            request,
            administration,
            page=page,
            query=query,
            unit=unit,
            head_units=selectors.head_units(request.user, administration),
        ),
    )


def officers_export(request: HttpRequest) -> HttpResponse:
    administration = _administration(request)
    if not (permissions.is_hr(request.user, administration) or selectors.head_units(request.user, administration)):
        raise NotAllowed(_("Officers' records are for HR and heads of unit."))
    rows = list(selectors.officers_for(request.user, administration))
    record_reads(reader=request.user, officers=rows, via="export")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([name for name, _required in importing.COLUMNS[Kind.OFFICERS]])
    for o in rows:
        writer.writerow(
            [
                o.staff_number,
                o.unit.code,
                o.role_profile.code if o.role_profile else "",
                o.education_level,
                o.education_field,
                o.entry_date.isoformat() if o.entry_date else "",
                "yes" if o.is_active else "no",
                "",
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="officers-{administration.code}.csv"'
    return response


def officer_detail(request: HttpRequest, officer_id: int) -> HttpResponse:
    officer = selectors.officer_for(request.user, officer_id)
    record_read(reader=request.user, officer=officer, via="page")
    record = selectors.officer_record(officer)
    is_self = officer.user_id == request.user.pk
    reads = (
        officer.reads.order_by("-at")[:20]
        if (is_self or permissions.is_hr(request.user, officer.administration))
        else []
    )
    return render(
        request,
        "people/officer_detail.html",
        _context(
            request,
            officer.administration,
            officer=officer,
            record=record,
            is_self=is_self,
            can_edit=permissions.can_manage(request.user, officer.administration),
            can_assess=bool(permissions.sources_allowed(request.user, officer)),
            reads=reads,
        ),
    )


def officer_export(request: HttpRequest, officer_id: int, fmt: str) -> HttpResponse:
    officer = selectors.officer_for(request.user, officer_id)
    if fmt not in ("json", "csv"):
        raise Http404
    record_read(reader=request.user, officer=officer, via="export")
    data = selectors.officer_export(officer)
    if fmt == "json":
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2) + "\n", content_type="application/json")
    else:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["section", "item", "value", "detail", "date"])
        for key in (
            "staff_number",
            "administration",
            "unit",
            "role_profile",
            "education_level",
            "education_field",
            "entry_date",
            "in_service",
        ):
            writer.writerow(["record", key, data[key], "", ""])
        for row in data["competencies"]:
            writer.writerow(["competency", row["code"], row["assessed"], f"required {row['required']}", ""])
        for row in data["assessments"]:
            writer.writerow(["assessment", row["competency"], row["level"], row["source"], row["assessed_on"]])
        for row in data["training"]:
            writer.writerow(["training", row["course"], row["hours"], row["title"], row["completed_on"]])
        for row in data["planned_training"]:
            writer.writerow(["planned", row["course"], "", row["run"], row["starts_on"]])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="record-{officer.staff_number}.{fmt}"'
    return response


def officer_edit(request: HttpRequest, officer_id: int | None = None) -> HttpResponse:
    officer = selectors.officer_for(request.user, officer_id) if officer_id else None
    administration = officer.administration if officer else _administration(request)
    _require_hr(request, administration)
    initial: dict[str, Any] = {"is_active": True}
    if officer is not None:
        record_read(reader=request.user, officer=officer, via="edit")
        initial = {
            "staff_number": officer.staff_number,
            "unit": officer.unit,
            "role_profile": officer.role_profile,
            "education_level": officer.education_level,
            "education_field": officer.education_field,
            "entry_date": officer.entry_date,
            "is_active": officer.is_active,
            "user": officer.user,
            "version": officer.version,
        }
    form = OfficerForm(request.POST or None, initial=initial, administration=administration)
    return form_page(
        request,
        form,
        save=lambda data: services.officer_save(
            actor=request_user(request),
            administration=administration,
            staff_number=data["staff_number"],
            unit=data["unit"],
            role_profile=data["role_profile"],
            education_level=data["education_level"],
            education_field=data["education_field"],
            entry_date=data["entry_date"],
            is_active=data["is_active"],
            user=data["user"],
            officer=officer,
            expected_version=data.get("version"),
        ),
        message=lambda saved: _("Saved the record of %(n)s.") % {"n": saved.staff_number},
        then=lambda saved: reverse("workforce-officer", args=[saved.pk]),
        template="people/form.html",
        context=_context(
            request,
            administration,
            heading=_("Officer %(n)s") % {"n": officer.staff_number} if officer else _("New officer"),
            cancel=reverse("workforce-officer", args=[officer.pk]) if officer else reverse("workforce-officers"),
        ),
    )


def officer_delete(request: HttpRequest, officer_id: int) -> HttpResponse:
    officer = selectors.officer_for(request.user, officer_id)
    _require_hr(request, officer.administration)
    return confirm_delete(
        request,
        delete=lambda: services.officer_delete(actor=request_user(request), officer=officer),
        message=_("Deleted the record of %(n)s.") % {"n": officer.staff_number},
        then=reverse("workforce-officers"),
        cancel=reverse("workforce-officer", args=[officer.pk]),
        what=officer.staff_number,
        consequence=_("Its assessments, training records and places in training plans go with it."),
        context={"section": SECTION},
    )


def officer_assess(request: HttpRequest, officer_id: int) -> HttpResponse:
    officer = selectors.officer_for(request.user, officer_id)
    sources = permissions.sources_allowed(request.user, officer)
    if not sources:
        raise NotAllowed(_("You cannot record assessments for this officer."))
    stored = (
        officer.role_profile.framework if officer.role_profile else _chosen_framework(request, officer.administration)
    )
    if stored is None:
        messages.info(request, _("Import a competency framework first."))
        return redirect("workforce-officer", officer_id=officer.pk)
    form = AssessForm(
        request.POST or None,
        framework=framework_model(stored),
        sources=sources,
        administration=officer.administration,
        initial={"source": sources[0]},
    )
    return form_page(
        request,
        form,
        save=lambda data: services.assessment_record(
            actor=request_user(request),
            officer=officer,
            competency=data["competency"],
            level=data["level"],
            source=data["source"],
            assessed_on=data["assessed_on"],
            round=data["round"],
        ),
        message=_("Recorded the assessment."),
        then=reverse("workforce-officer", args=[officer.pk]),
        template="people/form.html",
        context=_context(
            request,
            officer.administration,
            heading=_("Record an assessment of %(n)s") % {"n": officer.staff_number},
            cancel=reverse("workforce-officer", args=[officer.pk]),
        ),
    )


def me(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own record, when HR has linked one to their account."""
    own = selectors.own_record(request.user)
    if own is not None:
        return redirect("workforce-officer", officer_id=own.pk)
    return render(request, "people/me.html", {"section": SECTION})


def import_file(request: HttpRequest) -> HttpResponse:
    administration = _administration(request)
    _require_hr(request, administration)
    form = ImportForm(request.POST or None, request.FILES or None, administration=administration)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = Kind(form.cleaned_data["kind"])
        actor = request_user(request)
        data = upload.read()
        name = upload.name or "file"
        try:
            if kind is Kind.OFFICERS:
                report = importing.officers_import(actor=actor, administration=administration, data=data, filename=name)
            elif kind is Kind.ASSESSMENTS:
                report = importing.assessments_import(
                    actor=actor,
                    administration=administration,
                    data=data,
                    filename=name,
                    round=form.cleaned_data["round"],
                )
            else:
                report = importing.training_import(actor=actor, administration=administration, data=data, filename=name)
        except FileInvalid as error:
            form.add_error(None, error.message)
            problems = error.problems
        else:
            measures.recompute_all(administration.pk)
            messages.success(
                request,
                _("Imported %(file)s: %(rows)d rows, %(created)d new, %(updated)d updated.")
                % {"file": name, "rows": report.rows, "created": report.created, "updated": report.updated},
            )
            return redirect(reverse("workforce-officers") if kind is Kind.OFFICERS else reverse("workforce"))
    return render(
        request,
        "people/import.html",
        _context(
            request,
            administration,
            form=form,
            problems=problems,
            # each kind of file named as the form names it, with its columns (the file's keys)
            columns=[(label, importing.COLUMNS[kind]) for kind, label in IMPORT_KINDS],
        ),
        status=400 if problems else 200,
    )


def round_create(request: HttpRequest) -> HttpResponse:
    administration = _administration(request)
    _require_hr(request, administration)
    form = RoundForm(request.POST or None, administration=administration)
    return form_page(
        request,
        form,
        save=lambda data: services.assessment_round_save(
            actor=request_user(request),
            administration=administration,
            framework=data["framework"],
            code=data["code"],
            name=data["name"],
            held_on=data["held_on"],
        ),
        message=lambda saved: _("Created the round %(n)s.") % {"n": saved.name},
        then=reverse("workforce"),
        template="people/form.html",
        context=_context(request, administration, heading=_("New assessment round"), cancel=reverse("workforce")),
    )


def access_log(request: HttpRequest) -> HttpResponse:
    administration = _administration(request)
    if not (
        permissions.is_hr(request.user, administration) or Access.of(request.user).is_administrator(administration.path)
    ):
        raise NotAllowed(_("The access log is for HR officers and administrators."))
    rows = PersonalRecordRead.objects.filter(administration_id=administration.pk)
    who = request.GET.get("reader", "").strip()
    if who:
        rows = rows.filter(Q(reader_name__icontains=who) | Q(reader_name__in=markers_matching(who)))
    number = request.GET.get("officer", "").strip()
    if number:
        rows = rows.filter(staff_number__icontains=number)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request, "people/access_log.html", _context(request, administration, page=page, who=who, number=number)
    )


# --- gaps -------------------------------------------------------------------------------------------------


def _gap_filters(request: HttpRequest, administration: OrgUnit) -> tuple[RoleProfile | None, AssessmentRound | None]:
    profile = RoleProfile.objects.filter(administration=administration, pk=request.GET.get("profile") or 0).first()
    chosen = AssessmentRound.objects.filter(administration=administration, pk=request.GET.get("round") or 0).first()
    return profile, chosen


def gaps(request: HttpRequest) -> HttpResponse:
    require_any_role(request.user)
    administration = _administration(request)
    profile, chosen = _gap_filters(request, administration)
    view = selectors.heatmap_view(request.user, administration, profile=profile, round=chosen)
    return render(
        request,
        "people/gaps.html",
        _context(
            request,
            administration,
            view=view,
            profiles=RoleProfile.objects.filter(administration=administration).order_by("code"),
            rounds=AssessmentRound.objects.filter(administration=administration),
        ),
    )


def gaps_export(request: HttpRequest) -> HttpResponse:
    require_any_role(request.user)
    administration = _administration(request)
    profile, chosen = _gap_filters(request, administration)
    view = selectors.heatmap_view(request.user, administration, profile=profile, round=chosen)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["unit", "officers", "competency", "officers_required", "share_below_percent", "not_assessed"])
    hidden = _("fewer than 5")
    rows = [*view.rows, *([view.total] if view.total else [])]
    for row in rows:
        unit = row.unit.code if row.unit else administration.code
        for cell in row.cells:
            writer.writerow(
                [
                    unit,
                    hidden if row.officers is None else row.officers,
                    cell.competency,
                    hidden if cell.officers is None else cell.officers,
                    "" if cell.share_below is None else round(100 * cell.share_below, 1),
                    "" if cell.unassessed is None else cell.unassessed,
                ]
            )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gaps-{administration.code}.csv"'
    return response


def trend(request: HttpRequest) -> HttpResponse:
    require_any_role(request.user)
    administration = _administration(request)
    rounds = list(AssessmentRound.objects.filter(administration=administration).order_by("held_on"))
    chosen = {r.pk: r for r in rounds}
    before = chosen.get(int(request.GET.get("before") or 0)) or (rounds[0] if len(rounds) > 1 else None)
    after = chosen.get(int(request.GET.get("after") or 0)) or (rounds[-1] if len(rounds) > 1 else None)
    rows = selectors.trend_view(request.user, administration, before, after) if before and after else []
    return render(
        request,
        "people/trend.html",
        _context(request, administration, rounds=rounds, before=before, after=after, rows=rows),
    )


# --- courses and sessions ---------------------------------------------------------------------------------


def courses(request: HttpRequest) -> HttpResponse:
    require_any_role(request.user)
    administration = _administration(request)
    return render(
        request, "people/courses.html", _context(request, administration, courses=selectors.catalogue(administration))
    )


def course_detail(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_for(request.user, course_id)
    model = framework_model(course.framework)
    outcomes = [(c, course.outcomes[c.code]) for c in model.competencies if c.code in course.outcomes]
    return render(
        request,
        "people/course_detail.html",
        _context(request, course.administration, course=course, outcomes=outcomes, sessions=course.sessions.all()),
    )


def course_edit(request: HttpRequest, course_id: int | None = None) -> HttpResponse:
    course = selectors.course_for(request.user, course_id) if course_id else None
    administration = course.administration if course else _administration(request)
    _require_hr(request, administration)
    stored = course.framework if course else _chosen_framework(request, administration)
    if stored is None:
        messages.info(request, _("Import a competency framework first."))
        return redirect("workforce-framework-import")
    initial: dict[str, Any] = {}
    if course is not None:
        initial = {
            "code": course.code,
            "title": course.title,
            "provider_kind": course.provider_kind,
            "provider": course.provider,
            "duration_hours": course.duration_hours,
            "cost": course.cost,
            "seats": course.seats,
            "initiative": course.initiative,
            "description": course.description,
            "version": course.version,
        }
    form = CourseForm(
        request.POST or None,
        initial=initial,
        administration=administration,
        framework=framework_model(stored),
        course=course,
    )
    return form_page(
        request,
        form,
        save=lambda data: services.course_save(
            actor=request_user(request),
            administration=administration,
            framework=stored,
            code=data["code"],
            title=data["title"],
            outcomes=form.levels(),
            duration_hours=data["duration_hours"],
            cost=data["cost"],
            seats=data["seats"],
            provider_kind=data["provider_kind"],
            provider=data["provider"],
            description=data["description"],
            initiative=data["initiative"],
            course=course,
            expected_version=data.get("version"),
        ),
        message=lambda saved: _("Saved the course %(c)s.") % {"c": saved.code},
        then=lambda saved: reverse("workforce-course", args=[saved.pk]),
        template="people/levels_form.html",
        context=_context(
            request,
            administration,
            heading=_("Edit %(c)s") % {"c": course} if course else _("New course"),
            cancel=reverse("workforce-course", args=[course.pk]) if course else reverse("workforce-courses"),
            framework=stored,
            frameworks=_frameworks(administration) if course is None else [],
            level_heading=_("Competencies developed, and the level reached"),
        ),
    )


def course_delete(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_for(request.user, course_id)
    _require_hr(request, course.administration)
    return confirm_delete(
        request,
        delete=lambda: services.course_delete(actor=request_user(request), course=course),
        message=_("Deleted the course %(c)s.") % {"c": course.code},
        then=reverse("workforce-courses"),
        cancel=reverse("workforce-course", args=[course.pk]),
        what=str(course),
        consequence=_("Its sessions and the places planned in them go with it."),
        context={"section": SECTION},
    )


def session_edit(request: HttpRequest, course_id: int | None = None, session_id: int | None = None) -> HttpResponse:
    session = selectors.session_for(request.user, session_id) if session_id else None
    course = session.course if session else selectors.course_for(request.user, course_id or 0)
    _require_hr(request, course.administration)
    initial: dict[str, Any] = {"seats": course.seats}
    if session is not None:
        initial = {
            "starts_on": session.starts_on,
            "ends_on": session.ends_on,
            "seats": session.seats,
            "location": session.location,
        }
    form = SessionForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        save=lambda data: services.session_save(
            actor=request_user(request),
            course=course,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            seats=data["seats"],
            location=data["location"],
            session=session,
        ),
        message=_("Saved the session."),
        then=reverse("workforce-course", args=[course.pk]),
        template="people/form.html",
        context=_context(
            request,
            course.administration,
            heading=_("Session of %(c)s") % {"c": course},
            cancel=reverse("workforce-course", args=[course.pk]),
        ),
    )


def session_delete(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_for(request.user, session_id)
    _require_hr(request, session.course.administration)
    return confirm_delete(
        request,
        delete=lambda: services.session_delete(actor=request_user(request), session=session),
        message=_("Deleted the session."),
        then=reverse("workforce-course", args=[session.course_id]),
        cancel=reverse("workforce-course", args=[session.course_id]),
        what=str(session),
        consequence=_("The places planned in it go with it."),
        context={"section": SECTION},
    )


# --- a plan's workforce needs and training plan -----------------------------------------------------------


def _plan_context(request: HttpRequest, plan: Plan, **extra: Any) -> dict[str, Any]:
    return {
        "plan": plan,
        "section": PLAN_SECTION,
        "can_plan_workforce": permissions.can_plan_workforce(request.user, plan),
        "is_hr": permissions.is_hr(request.user, plan.administration),
        **extra,
    }


def needs(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for(request.user, plan_id)
    return render(
        request,
        "people/needs.html",
        _plan_context(
            request,
            plan,
            years=selectors.workforce_gaps(request.user, plan),
            exempt=permissions.sees_everything(request.user, plan.administration),
            needs_list=WorkforceNeed.objects.filter(function__plan=plan).select_related(
                "function", "unit", "role_profile"
            ),
        ),
    )


def _require_workforce_planner(request: HttpRequest, plan: Plan) -> None:
    if not permissions.can_plan_workforce(request.user, plan):
        raise NotAllowed(_("Only planners and HR officers set workforce needs."))


def need_edit(request: HttpRequest, plan_id: int | None = None, need_id: int | None = None) -> HttpResponse:
    need = selectors.need_for(request.user, need_id) if need_id else None
    plan = need.function.plan if need else plan_for(request.user, plan_id or 0)
    _require_workforce_planner(request, plan)
    initial: dict[str, Any] = {}
    if need is not None:
        initial = {
            "function": need.function,
            "year": need.year,
            "unit": need.unit,
            "role_profile": need.role_profile,
            "headcount": need.headcount,
        }
    form = NeedForm(request.POST or None, initial=initial, plan=plan)
    return form_page(
        request,
        form,
        save=lambda data: services.workforce_need_save(
            actor=request_user(request),
            function=data["function"],
            unit=data["unit"],
            role_profile=data["role_profile"],
            year=data["year"],
            headcount=data["headcount"],
            need=need,
        ),
        message=_("Saved the workforce need."),
        then=reverse("workforce-needs", args=[plan.pk]),
        template="people/form.html",
        context=_plan_context(
            request, plan, heading=_("Workforce need"), cancel=reverse("workforce-needs", args=[plan.pk])
        ),
    )


def need_delete(request: HttpRequest, need_id: int) -> HttpResponse:
    need = selectors.need_for(request.user, need_id)
    plan = need.function.plan
    _require_workforce_planner(request, plan)
    return confirm_delete(
        request,
        delete=lambda: services.workforce_need_delete(actor=request_user(request), need=need),
        message=_("Deleted the workforce need."),
        then=reverse("workforce-needs", args=[plan.pk]),
        cancel=reverse("workforce-needs", args=[plan.pk]),
        what=str(need),
        context=_plan_context(request, plan),
    )


def training(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for(request.user, plan_id)
    adopted = selectors.adopted_runs(plan)
    return render(
        request,
        "people/training.html",
        _plan_context(
            request,
            plan,
            runs=plan.training_runs.all()[:30],
            adopted=[(run, selectors.run_summary(request.user, run)) for run in adopted],
        ),
    )


def run_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for(request.user, plan_id)
    if not permissions.can_manage(request.user, plan.administration):
        raise NotAllowed(_("Only HR officers plan the training."))
    year = int(request.GET.get("year") or min(max(plan.start_year, 2015), plan.end_year))
    form = RunForm(
        request.POST or None,
        plan=plan,
        initial={
            "name": _("Training plan %(y)d") % {"y": year},
            "year": year,
            "budget": selectors.proposed_budget(plan, year),
        },
    )
    return form_page(
        request,
        form,
        save=lambda data: services.allocation_create(
            actor=request_user(request),
            plan=plan,
            name=data["name"],
            year=data["year"],
            budget=data["budget"],
            max_away_percent=data["max_away_percent"],
            time_limit_s=data["time_limit_s"],
        ),
        message=_("The allocation runs in the background; this page shows its progress."),
        then=lambda run: reverse("workforce-run", args=[run.pk]),
        template="people/form.html",
        context=_plan_context(
            request,
            plan,
            heading=_("Allocate training"),
            submit=_("Start the allocation"),
            cancel=reverse("workforce-training", args=[plan.pk]),
        ),
    )


def run_detail(request: HtmxRequest, run_id: int) -> HttpResponse:
    run = selectors.run_for(request.user, run_id)
    if request.htmx and run.is_finished:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"  # the whole page changes once the result is in
        return response
    progress = run.progress or {}
    units, unit_total = selectors.run_by_unit(request.user, run) if run.is_finished else ([], None)
    return render(
        request,
        "people/_run_status.html" if request.htmx else "people/run_detail.html",
        _plan_context(
            request,
            run.plan,
            run=run,
            progress=progress,
            summary=selectors.run_summary(request.user, run) if run.is_finished else [],
            units=units,
            unit_total=unit_total,
        ),
    )


@require_POST
def run_cancel(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_for(request.user, run_id)
    if not permissions.can_manage(request.user, run.plan.administration):
        raise NotAllowed(_("Only HR officers plan the training."))
    if run.is_finished:
        messages.info(request, _("The run had already finished."))
    else:
        services.allocation_cancel(actor=request_user(request), run=run)
        messages.success(request, _("Stopping the search; the best plan found so far is kept."))
    return redirect("workforce-run", run_id=run.pk)


@require_POST
def run_adopt(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_for(request.user, run_id)
    if not permissions.can_manage(request.user, run.plan.administration):
        raise NotAllowed(_("Only HR officers plan the training."))
    try:
        services.allocation_adopt(actor=request_user(request), run=run)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("This run is now the training plan for %(y)d.") % {"y": run.year})
    return redirect("workforce-run", run_id=run.pk)


def run_delete(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_for(request.user, run_id)
    if not permissions.can_manage(request.user, run.plan.administration):
        raise NotAllowed(_("Only HR officers plan the training."))
    return confirm_delete(
        request,
        delete=lambda: services.allocation_delete(actor=request_user(request), run=run),
        message=_("Deleted the run."),
        then=reverse("workforce-training", args=[run.plan_id]),
        cancel=reverse("workforce-run", args=[run.pk]),
        what=str(run),
        context=_plan_context(request, run.plan),
    )


def run_export(request: HttpRequest, run_id: int) -> HttpResponse:
    """HR: every place (staff number, session), each officer's record read logged; everybody
    else: officers and money per course, through the small-group rule."""
    run = selectors.run_for(request.user, run_id)
    out = io.StringIO()
    writer = csv.writer(out)
    if permissions.is_hr(request.user, run.plan.administration):
        places = list(
            Allocation.objects.filter(run=run)
            .select_related("officer__unit", "session__course")
            .order_by("session__starts_on", "officer__staff_number")
        )
        record_reads(reader=request.user, officers=[p.officer for p in places], via="export")
        writer.writerow(["staff_number", "unit", "course", "session_starts", "session_ends", "location"])
        for place in places:
            s = place.session
            writer.writerow(
                [place.officer.staff_number, place.officer.unit.code, s.course.code, s.starts_on, s.ends_on, s.location]
            )
    else:
        hidden = _("fewer than 5")
        writer.writerow(["initiative", "course", "officers", "cost"])
        for line in selectors.run_summary(request.user, run):
            for course in line.courses:
                writer.writerow(
                    [
                        line.initiative.code if line.initiative else "",
                        course.course.code,
                        hidden if course.officers is None else course.officers,
                        "" if course.cost is None else course.cost,
                    ]
                )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-plan-{run.year}-{run.pk}.csv"'
    return response


# --- an indicator computed from training records ----------------------------------------------------------


def binding_edit(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = indicator_for(request.user, indicator_id)
    if not can_edit_indicator(request.user, indicator):
        raise NotAllowed(_("You cannot change how this indicator is measured."))
    existing = getattr(indicator, "training_binding", None)
    stored = _frameworks(indicator.plan.administration)
    competencies = sorted({(c.code, f"{c.code} {c.name}") for f in stored for c in framework_model(f).competencies})
    initial: dict[str, Any] = {}
    if existing is not None:
        initial = {
            "measure": existing.measure,
            "competencies": existing.competencies,
            "unit_kinds": existing.unit_kinds,
        }
    form = BindingForm(request.POST or None, initial=initial, competencies=competencies)
    if request.method == "POST" and request.POST.get("remove") and existing is not None:
        measures.binding_delete(actor=request_user(request), binding=existing)
        messages.success(request, _("The indicator is no longer computed from training records."))
        return redirect("indicator-detail", indicator_id=indicator.pk)
    return form_page(
        request,
        form,
        save=lambda data: measures.binding_save(
            actor=request_user(request),
            indicator=indicator,
            measure=data["measure"],
            competencies=data["competencies"],
            unit_kinds=data["unit_kinds"],
        ),
        message=_("The indicator is computed from training and assessment records."),
        then=reverse("indicator-detail", args=[indicator.pk]),
        template="people/binding_form.html",
        context={
            "plan": indicator.plan,
            "section": "indicators",
            "indicator": indicator,
            "binding": existing,
            "heading": _("Compute %(i)s from training records") % {"i": indicator.code},
            "cancel": reverse("indicator-detail", args=[indicator.pk]),
        },
    )
