"""HR files into the people side: officers, assessments and training records, from an Excel
workbook's first sheet or a CSV file.

The whole file is checked before anything is written: every problem is reported at its
sheet, row and column (the first ``MAX_PROBLEMS`` of them), and a file with any problem
writes nothing. A file within the limits (``WAYPOINT_PEOPLE_MAX_FILE_MB``, a workbook that
unpacks to at most ten times that, ``WAYPOINT_PEOPLE_MAX_ROWS`` rows) is read as a stream
(``engine/sheets.py``). Officers are matched by staff number: a known one is updated, a new
one created.

Reading and checking happen before any transaction opens (a large workbook takes a while, and
on SQLite every other save, the background worker's included, waits for the write lock), as
the plan import does; the writes are then one transaction (``_write_*``) with one audit record
of what was written. The write first makes sure that what the check relied on is still so
(the officers it matched, the records it refers to): if somebody changed them meanwhile,
nothing is written and the file is refused with the reason, to be imported again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core.audit import Action, audit_record
from waypoint.core.errors import NotAllowed, Problem
from waypoint.engine.sheets import Limits, SheetError, Table, read_table
from waypoint.engine.training.framework import CompetencyFramework as Framework
from waypoint.org.models import OrgUnit, User
from waypoint.people import permissions
from waypoint.people.errors import FileInvalid
from waypoint.people.frameworks import framework_model
from waypoint.people.models import (
    AssessmentRound,
    CompetencyFramework,
    Course,
    Officer,
    ProficiencyAssessment,
    RoleProfile,
    Source,
    TrainingRecord,
)
from waypoint.people.services import officer_problems

#: a file with thousands of faults is told about its first ones
MAX_PROBLEMS = 200


class Kind(StrEnum):
    OFFICERS = "officers"
    ASSESSMENTS = "assessments"
    TRAINING = "training"


#: the columns of each kind of file: (name, required)
COLUMNS: dict[Kind, tuple[tuple[str, bool], ...]] = {
    Kind.OFFICERS: (
        ("staff_number", True),
        ("unit", True),
        ("role_profile", False),
        ("education_level", False),
        ("education_field", False),
        ("entry_date", False),
        ("in_service", False),
        ("account", False),
    ),
    Kind.ASSESSMENTS: (
        ("staff_number", True),
        ("competency", True),
        ("level", True),
        ("source", True),
        ("assessed_on", True),
    ),
    Kind.TRAINING: (("staff_number", True), ("course", True), ("completed_on", True), ("hours", False)),
}


@dataclass(frozen=True)
class ImportReport:
    kind: Kind
    rows: int
    created: int
    updated: int


def limits() -> Limits:
    size = int(settings.WAYPOINT_PEOPLE_MAX_FILE_MB) * 1024 * 1024
    return Limits(max_rows=int(settings.WAYPOINT_PEOPLE_MAX_ROWS), max_bytes=size, max_unpacked_bytes=10 * size)


class _Checker:
    """Collects located problems while the rows are read."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.problems: list[Problem] = []
        self.more = 0

    def fail(self, row: int, column: str | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.table.where(row, column), message))
        else:
            self.more += 1

    def date(self, row: int, column: str, text: str, *, required: bool) -> dt.date | None:
        if not text:
            if required:
                self.fail(row, column, _("Give a date (YYYY-MM-DD)."))
            return None
        try:
            day = dt.date.fromisoformat(text[:10])
        except ValueError:
            self.fail(row, column, _("“%(v)s” is not a date (YYYY-MM-DD).") % {"v": text[:40]})
            return None
        if day > timezone.localdate():
            self.fail(row, column, _("The date %(d)s is in the future.") % {"d": day.isoformat()})
        return day

    def number(self, row: int, column: str, text: str) -> int | None:
        try:
            value = int(text)
        except ValueError:
            self.fail(row, column, _("“%(v)s” is not a whole number.") % {"v": text[:40]})
            return None
        if value < 0 or value > 10_000:
            self.fail(row, column, _("%(v)d is out of range.") % {"v": value})
            return None
        return value

    def refuse(self, filename: str) -> None:
        if not self.problems:
            return
        problems = list(self.problems)
        if self.more:
            problems.append(
                Problem("file", _("… and %(n)d more problems not listed: fix these first.") % {"n": self.more})
            )
        total = len(self.problems) + self.more
        raise FileInvalid(
            ngettext(
                "%(file)s has %(n)d problem; nothing was imported.",
                "%(file)s has %(n)d problems; nothing was imported.",
                total,
            )
            % {"file": filename, "n": total},
            problems=problems,
        )


def _table(kind: Kind, data: bytes, filename: str) -> _Checker:
    try:
        table = read_table(data, filename, limits())
    except SheetError as error:
        raise FileInvalid(
            _("%(file)s cannot be read: %(e)s. Nothing was imported.") % {"file": filename, "e": error},
            problems=[Problem("file", str(error))],
        ) from error
    checker = _Checker(table)
    missing = [name for name, required in COLUMNS[kind] if required and name not in table.columns]
    known = {name for name, _required in COLUMNS[kind]}
    for name in missing:
        checker.fail(1, name, _("The column %(c)s is missing.") % {"c": name})
    for name in table.columns:
        if name not in known:
            checker.fail(1, name, _("Unknown column %(c)s (expected %(all)s).") % {"c": name, "all": ", ".join(known)})
    checker.refuse(filename)
    if not table.rows:
        raise FileInvalid(
            _("%(file)s holds no rows; nothing was imported.") % {"file": filename},
            problems=[Problem(table.where(2), _("The file has a header and no rows."))],
        )
    return checker


def _require(actor: User | None, administration: OrgUnit) -> None:
    if actor is not None and not permissions.can_manage(actor, administration):
        raise NotAllowed(_("Only HR officers of the administration import its workforce records."))


def _audit(actor: User | None, administration: OrgUnit, kind: Kind, filename: str, report: ImportReport) -> None:
    audit_record(
        actor=actor,
        action=Action.IMPORT,
        entity={
            Kind.OFFICERS: "people.Officer",
            Kind.ASSESSMENTS: "people.ProficiencyAssessment",
            Kind.TRAINING: "people.TrainingRecord",
        }[kind],
        entity_id="",
        label=f"{kind.value}: {filename}",
        changes={"rows": report.rows, "created": report.created, "updated": report.updated},
        administration_id=administration.pk,
    )


def _changed_meanwhile(filename: str, what: str) -> FileInvalid:
    return FileInvalid(
        _("%(file)s was checked, but %(what)s changed while it was; nothing was imported. Import it again.")
        % {"file": filename, "what": what},
        problems=[Problem("file", _("Changed while the file was checked: %(what)s.") % {"what": what})],
    )


def _all_there(model: type[models.Model], ids: set[int]) -> bool:
    """Every record the check found (by id) is still there (inside the write transaction)."""
    return not ids or model._default_manager.filter(pk__in=ids).count() == len(ids)


# --- officers ---------------------------------------------------------------------------------------------

_YES = {"", "yes", "y", "true", "1", "oui", "да"}
_NO = {"no", "n", "false", "0", "non", "нет"}


def officers_import(*, actor: User | None, administration: OrgUnit, data: bytes, filename: str) -> ImportReport:
    """Create or update officers from a file (columns in ``COLUMNS[Kind.OFFICERS]``): read
    and checked first, then written in one transaction.

    Raises:
        NotAllowed: the actor is not an HR officer of the administration.
        FileInvalid: the file cannot be read or breaks a limit, or any row has a problem
            (each located), or the officers it matches changed while it was checked; nothing
            is written.
    """
    _require(actor, administration)
    check = _table(Kind.OFFICERS, data, filename)
    units = {u.code: u for u in OrgUnit.objects.filter(path__startswith=administration.path)}
    profiles = {
        p.code: p for p in RoleProfile.objects.filter(administration=administration).select_related("framework")
    }
    existing = {o.staff_number: o for o in Officer.objects.filter(administration=administration)}
    accounts = {
        u.username: u for u in User.objects.filter(username__in=[r.values.get("account", "") for r in check.table.rows])
    }
    seen: dict[str, int] = {}
    linked: dict[int, int] = {}
    rows: list[dict[str, Any]] = []
    for row in check.table.rows:
        v = row.values
        number = v["staff_number"]
        if number in seen:
            check.fail(row.number, "staff_number", _("%(n)s is also on row %(r)d.") % {"n": number, "r": seen[number]})
        seen[number] = row.number
        unit = units.get(v["unit"])
        if not v["unit"]:
            check.fail(row.number, "unit", _("Give the code of the officer's unit."))
        elif unit is None:
            check.fail(row.number, "unit", _("No unit %(c)s in the administration.") % {"c": v["unit"][:40]})
        profile = profiles.get(v.get("role_profile", ""))
        if v.get("role_profile") and profile is None:
            check.fail(row.number, "role_profile", _("No role profile %(c)s.") % {"c": v["role_profile"][:40]})
        entry = check.date(row.number, "entry_date", v.get("entry_date", ""), required=False)
        active_text = v.get("in_service", "").lower()
        if active_text not in _YES | _NO:
            check.fail(row.number, "in_service", _("Write yes or no."))
        account = accounts.get(v.get("account", "")) if v.get("account") else None
        if v.get("account") and account is None:
            check.fail(row.number, "account", _("No account %(u)s.") % {"u": v["account"][:40]})
        if account is not None:
            if account.pk in linked:
                check.fail(row.number, "account", _("The account is also on row %(r)d.") % {"r": linked[account.pk]})
            linked[account.pk] = row.number
        officer = existing.get(number)
        for problem in officer_problems(
            administration=administration,
            staff_number=number,
            unit=unit,
            role_profile=profile,
            education_level=v.get("education_level", ""),
            education_field=v.get("education_field", ""),
            officer=officer,
            user=account,
        ):
            if problem.location == "unit" and unit is None:
                continue  # said above
            check.fail(row.number, problem.location if problem.location != "user" else "account", problem.message)
        rows.append(
            {
                "officer": officer,
                "staff_number": number,
                "unit": unit,
                "role_profile": profile,
                "education_level": v.get("education_level", ""),
                "education_field": v.get("education_field", ""),
                "entry_date": entry,
                "is_active": active_text not in _NO,
                "user": account,
            }
        )
    check.refuse(filename)
    return _write_officers(actor, administration, filename, rows)


@transaction.atomic
def _write_officers(
    actor: User | None, administration: OrgUnit, filename: str, rows: list[dict[str, Any]]
) -> ImportReport:
    """The officers import's writes, once the file is checked (``rows``: each row's values and
    the officer it matched, ``None`` for a new one)."""
    matched = {v["staff_number"]: v["officer"] for v in rows}
    now = {
        number: (pk, version)
        for number, pk, version in Officer.objects.filter(
            administration=administration, staff_number__in=list(matched)
        ).values_list("staff_number", "pk", "version")
    }
    if any(
        now.get(number) != (None if officer is None else (officer.pk, officer.version))
        for number, officer in matched.items()
    ):
        raise _changed_meanwhile(filename, _("officers of the file"))
    if not _all_there(OrgUnit, {v["unit"].pk for v in rows}) or not _all_there(
        RoleProfile, {v["role_profile"].pk for v in rows if v["role_profile"] is not None}
    ):
        raise _changed_meanwhile(filename, _("units or role profiles of the file"))
    created: list[Officer] = []
    updated: list[Officer] = []
    fields = ["unit", "role_profile", "education_level", "education_field", "entry_date", "is_active", "user"]
    for values in rows:
        officer = values.pop("officer")
        if officer is None:
            created.append(Officer(administration=administration, **values))
        else:
            for name in fields:
                setattr(officer, name, values[name])
            officer.version += 1
            updated.append(officer)
    Officer.objects.bulk_create(created, batch_size=1000)
    Officer.objects.bulk_update(updated, [*fields, "version"], batch_size=1000)
    report = ImportReport(Kind.OFFICERS, len(rows), len(created), len(updated))
    _audit(actor, administration, Kind.OFFICERS, filename, report)
    return report


# --- assessments ------------------------------------------------------------------------------------------


def assessments_import(
    *,
    actor: User | None,
    administration: OrgUnit,
    data: bytes,
    filename: str,
    round: AssessmentRound | None = None,
) -> ImportReport:
    """Record assessed levels from a file (columns in ``COLUMNS[Kind.ASSESSMENTS]``), in
    ``round`` when given; the same officer, competency, source and date again replaces the
    level. Read and checked first, then written in one transaction.

    Raises:
        NotAllowed: the actor is not an HR officer of the administration.
        FileInvalid: the file cannot be read or breaks a limit, or any row has a problem
            (each located), or an officer it names was deleted while it was checked; nothing
            is written.
    """
    _require(actor, administration)
    check = _table(Kind.ASSESSMENTS, data, filename)
    officers = {
        o.staff_number: o
        for o in Officer.objects.filter(administration=administration).select_related("role_profile__framework")
    }
    default = CompetencyFramework.objects.filter(administration=administration).order_by("-imported_at").first()
    framework_of: Callable[[Officer], Framework | None]
    if round is not None:
        fixed = framework_model(round.framework)
        framework_of = lambda _officer: fixed  # noqa: E731 - one framework for the round
    else:
        fallback = framework_model(default) if default is not None else None
        framework_of = lambda officer: (  # noqa: E731
            framework_model(officer.role_profile.framework) if officer.role_profile else fallback
        )
    rows: dict[tuple[int, str, str, dt.date], tuple[int, int]] = {}  # key → (row, level)
    for row in check.table.rows:
        v = row.values
        officer = officers.get(v["staff_number"])
        if officer is None:
            check.fail(row.number, "staff_number", _("No officer %(n)s.") % {"n": v["staff_number"][:40]})
        level = check.number(row.number, "level", v["level"])
        source = v["source"].lower()
        if source not in Source.values:
            check.fail(row.number, "source", _("Write self, manager or test."))
        day = check.date(row.number, "assessed_on", v["assessed_on"], required=True)
        framework = framework_of(officer) if officer is not None else None
        competency = framework.competency(v["competency"]) if framework is not None else None
        if officer is not None and framework is None:
            check.fail(row.number, "competency", _("Import a competency framework first."))
        elif framework is not None and competency is None:
            check.fail(
                row.number, "competency", _("The framework has no competency %(c)s.") % {"c": v["competency"][:40]}
            )
        elif competency is not None and level is not None and not competency.scale.has(level):
            check.fail(
                row.number,
                "level",
                _("%(c)s runs from %(a)d to %(b)d.")
                % {"c": competency.code, "a": competency.scale.lowest, "b": competency.scale.highest},
            )
        if officer is not None and level is not None and day is not None and competency is not None:
            key = (officer.pk, competency.code, source, day)
            if key in rows:
                check.fail(row.number, "level", _("The same assessment is also on row %(r)d.") % {"r": rows[key][0]})
            rows[key] = (row.number, level)
    check.refuse(filename)
    return _write_assessments(actor, administration, filename, rows, len(check.table.rows), round)


@transaction.atomic
def _write_assessments(
    actor: User | None,
    administration: OrgUnit,
    filename: str,
    rows: dict[tuple[int, str, str, dt.date], tuple[int, int]],
    read: int,
    round: AssessmentRound | None,
) -> ImportReport:
    """The assessments import's writes, once the file is checked (``rows``: officer,
    competency, source and date → the file's row and the level)."""
    if not _all_there(Officer, {officer_id for officer_id, *_rest in rows}):
        raise _changed_meanwhile(filename, _("officers of the file"))
    if round is not None and not _all_there(AssessmentRound, {round.pk}):
        raise _changed_meanwhile(filename, _("the assessment round"))
    existing = {
        (a.officer_id, a.competency, a.source, a.assessed_on): a
        for a in ProficiencyAssessment.objects.filter(officer__administration=administration)
    }
    created, updated = [], []
    for (officer_id, code, source, day), (_row, level) in rows.items():
        found = existing.get((officer_id, code, source, day))
        if found is None:
            created.append(
                ProficiencyAssessment(
                    officer_id=officer_id,
                    competency=code,
                    source=source,
                    assessed_on=day,
                    level=level,
                    round=round,
                    recorded_by=actor,
                )
            )
        else:
            found.level, found.round, found.recorded_by = level, round, actor
            updated.append(found)
    ProficiencyAssessment.objects.bulk_create(created, batch_size=2000)
    ProficiencyAssessment.objects.bulk_update(updated, ["level", "round", "recorded_by"], batch_size=2000)
    report = ImportReport(Kind.ASSESSMENTS, read, len(created), len(updated))
    _audit(actor, administration, Kind.ASSESSMENTS, filename, report)
    return report


# --- training records -------------------------------------------------------------------------------------


def training_import(*, actor: User | None, administration: OrgUnit, data: bytes, filename: str) -> ImportReport:
    """Record completed courses from a file (columns in ``COLUMNS[Kind.TRAINING]``); hours
    default to the course's duration. A record already there is left as it is. Read and
    checked first, then written in one transaction.

    Raises:
        NotAllowed: the actor is not an HR officer of the administration.
        FileInvalid: the file cannot be read or breaks a limit, or any row has a problem
            (each located), or an officer or course it names was deleted while it was
            checked; nothing is written.
    """
    _require(actor, administration)
    check = _table(Kind.TRAINING, data, filename)
    officers = {o.staff_number: o.pk for o in Officer.objects.filter(administration=administration)}
    courses = {c.code: c for c in Course.objects.filter(administration=administration)}
    rows: dict[tuple[int, int, dt.date], tuple[int, int]] = {}
    for row in check.table.rows:
        v = row.values
        officer = officers.get(v["staff_number"])
        if officer is None:
            check.fail(row.number, "staff_number", _("No officer %(n)s.") % {"n": v["staff_number"][:40]})
        course = courses.get(v["course"])
        if course is None:
            check.fail(row.number, "course", _("No course %(c)s in the catalogue.") % {"c": v["course"][:40]})
        day = check.date(row.number, "completed_on", v["completed_on"], required=True)
        hours = check.number(row.number, "hours", v["hours"]) if v.get("hours") else None
        if officer is not None and course is not None and day is not None:
            key = (officer, course.pk, day)
            if key in rows:
                check.fail(row.number, "course", _("The same record is also on row %(r)d.") % {"r": rows[key][0]})
            rows[key] = (row.number, course.duration_hours if hours is None else hours)
    check.refuse(filename)
    return _write_training(actor, administration, filename, rows, len(check.table.rows))


@transaction.atomic
def _write_training(
    actor: User | None,
    administration: OrgUnit,
    filename: str,
    rows: dict[tuple[int, int, dt.date], tuple[int, int]],
    read: int,
) -> ImportReport:
    """The training import's writes, once the file is checked (``rows``: officer, course and
    date → the file's row and the hours)."""
    if not _all_there(Officer, {officer for officer, _course, _day in rows}) or not _all_there(
        Course, {course for _officer, course, _day in rows}
    ):
        raise _changed_meanwhile(filename, _("officers or courses of the file"))
    existing = set(
        TrainingRecord.objects.filter(officer__administration=administration).values_list(
            "officer_id", "course_id", "completed_on"
        )
    )
    created = [
        TrainingRecord(officer_id=officer, course_id=course, completed_on=day, hours=hours)
        for (officer, course, day), (_row, hours) in rows.items()
        if (officer, course, day) not in existing
    ]
    TrainingRecord.objects.bulk_create(created, batch_size=2000)
    report = ImportReport(Kind.TRAINING, read, len(created), 0)
    _audit(actor, administration, Kind.TRAINING, filename, report)
    return report
