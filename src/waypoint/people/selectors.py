"""Reads for the people side's pages, API and exports.

Records are fetched through the ``*_for`` functions, which answer "not found" for another
administration's record (as for one that does not exist) and "not allowed" for an officer's
record the user may not read. Aggregates come back as view objects whose officer counts have
been through ``privacy.shown``: a hidden figure is ``None``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from waypoint.core.errors import NotAllowed, NotFound
from waypoint.engine.training.framework import Competency
from waypoint.engine.training.framework import CompetencyFramework as Framework
from waypoint.engine.training.gaps import Cell, education_gaps, heatmap
from waypoint.org.access import Access
from waypoint.org.models import OrgUnit
from waypoint.people import permissions
from waypoint.people.adapters import levels_of, person_of, profile_of
from waypoint.people.frameworks import framework_model
from waypoint.people.models import (
    Allocation,
    AllocationRun,
    AssessmentRound,
    CompetencyFramework,
    Course,
    CourseSession,
    Officer,
    RoleProfile,
    WorkforceNeed,
)
from waypoint.people.privacy import shown
from waypoint.plans.models import BudgetLine, Plan

# --- which administration ---------------------------------------------------------------------------------


def administrations_for(user: Any) -> list[OrgUnit]:
    """The administrations the user holds a role in, by name."""
    paths = Access.of(user).administration_paths()
    ids = [int(path.strip("/")) for path in paths]
    return list(OrgUnit.objects.filter(pk__in=ids, is_active=True).order_by("name"))


def administration_for(user: Any, code: str | None = None) -> OrgUnit:
    """The administration a page is about: the one ``code`` names, else the user's first.

    Raises:
        NotAllowed: the user holds no role anywhere.
        NotFound: ``code`` names no administration of theirs.
    """
    found = administrations_for(user)
    if not found:
        raise NotAllowed(_("You have no role in any administration yet."))
    if code:
        chosen = next((unit for unit in found if unit.code == code), None)
        if chosen is None:
            raise NotFound(_("No such administration."))
        return chosen
    return found[0]


# --- one record -------------------------------------------------------------------------------------------


def _readable(user: Any, administration: OrgUnit | None, message: str) -> None:
    if administration is None or not permissions.can_read(user, administration):
        raise NotFound(message)


def framework_for(user: Any, framework_id: int) -> CompetencyFramework:
    found = CompetencyFramework.objects.select_related("administration").filter(pk=framework_id).first()
    _readable(user, found.administration if found else None, _("No such framework."))
    assert found is not None
    return found


def role_profile_for(user: Any, profile_id: int) -> RoleProfile:
    found = RoleProfile.objects.select_related("administration", "framework").filter(pk=profile_id).first()
    _readable(user, found.administration if found else None, _("No such role profile."))
    assert found is not None
    return found


def course_for(user: Any, course_id: int) -> Course:
    found = Course.objects.select_related("administration", "framework", "initiative").filter(pk=course_id).first()
    _readable(user, found.administration if found else None, _("No such course."))
    assert found is not None
    return found


def session_for(user: Any, session_id: int) -> CourseSession:
    found = CourseSession.objects.select_related("course__administration").filter(pk=session_id).first()
    _readable(user, found.course.administration if found else None, _("No such session."))
    assert found is not None
    return found


def round_for(user: Any, round_id: int) -> AssessmentRound:
    found = AssessmentRound.objects.select_related("administration", "framework").filter(pk=round_id).first()
    _readable(user, found.administration if found else None, _("No such assessment round."))
    assert found is not None
    return found


def need_for(user: Any, need_id: int) -> WorkforceNeed:
    found = (
        WorkforceNeed.objects.select_related("function__plan__administration", "unit", "role_profile")
        .filter(pk=need_id)
        .first()
    )
    _readable(user, found.function.plan.administration if found else None, _("No such workforce need."))
    assert found is not None
    return found


def run_for(user: Any, run_id: int) -> AllocationRun:
    found = AllocationRun.objects.select_related("plan__administration").filter(pk=run_id).first()
    _readable(user, found.plan.administration if found else None, _("No such allocation run."))
    assert found is not None
    return found


def officer_for(user: Any, officer_id: int) -> Officer:
    """An officer's record the user may read.

    Raises:
        NotFound: no such officer in the user's administrations.
        NotAllowed: an officer of their administration whose record they may not read.
    """
    found = (
        Officer.objects.select_related("administration", "unit", "role_profile__framework", "user")
        .filter(pk=officer_id)
        .first()
    )
    if found is not None and found.user_id is not None and found.user_id == getattr(user, "pk", None):
        return found  # their own record, whatever their roles
    _readable(user, found.administration if found else None, _("No such officer."))
    assert found is not None
    if not permissions.can_see_officer(user, found):
        raise NotAllowed(_("Officers' records are for HR, their head of unit and themselves."))
    return found


def own_record(user: Any) -> Officer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Officer.objects.select_related("administration", "unit", "role_profile__framework")
        .filter(user_id=user.pk)
        .first()
    )


def officers_for(user: Any, administration: OrgUnit) -> QuerySet[Officer]:
    """The officers of ``administration`` whose records the user may read (none for most)."""
    return (
        Officer.objects.filter(administration=administration)
        .filter(permissions.visible_officers(user))
        .select_related("unit", "role_profile")
        .order_by("staff_number")
    )


# --- an officer's record ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompetencyRow:
    competency: Competency
    required: int | None
    assessed: int | None
    source: str
    assessed_on: dt.date | None

    @property
    def gap(self) -> int:
        return max(0, (self.required or 0) - (self.assessed or 0)) if self.required else 0


@dataclass(frozen=True)
class OfficerRecord:
    officer: Officer
    framework: Framework | None
    rows: list[CompetencyRow]
    assessments: list[Any]
    training: list[Any]
    allocations: list[Any]


def officer_record(officer: Officer) -> OfficerRecord:
    """Everything Waypoint keeps about one officer (their page and their own export)."""
    profile = officer.role_profile
    framework = framework_model(profile.framework) if profile else None
    assessments = list(officer.assessments.select_related("round").order_by("competency", "-assessed_on"))
    latest = levels_of([officer.pk]).get(str(officer.pk), {})
    rows = []
    if framework is not None and profile is not None:
        required = {str(k): int(v) for k, v in profile.requirements.items()}
        for competency in framework.competencies:
            mine = [a for a in assessments if a.competency == competency.code]
            if competency.code not in required and not mine:
                continue
            newest = mine[0] if mine else None
            rows.append(
                CompetencyRow(
                    competency,
                    required.get(competency.code),
                    latest.get(competency.code),
                    newest.get_source_display() if newest else "",
                    newest.assessed_on if newest else None,
                )
            )
    return OfficerRecord(
        officer,
        framework,
        rows,
        assessments,
        list(officer.training_records.select_related("course").order_by("-completed_on")),
        list(officer.allocations.select_related("session__course", "run").order_by("session__starts_on")),
    )


def officer_export(officer: Officer) -> dict[str, Any]:
    """The officer's record as plain data (their own export, and the API)."""
    record = officer_record(officer)
    return {
        "staff_number": officer.staff_number,
        "administration": officer.administration.code,
        "unit": officer.unit.code,
        "role_profile": officer.role_profile.code if officer.role_profile else None,
        "education_level": officer.education_level,
        "education_field": officer.education_field,
        "entry_date": officer.entry_date.isoformat() if officer.entry_date else None,
        "in_service": officer.is_active,
        "competencies": [
            {
                "code": r.competency.code,
                "name": r.competency.name,
                "required": r.required,
                "assessed": r.assessed,
                "gap": r.gap,
            }
            for r in record.rows
        ],
        "assessments": [
            {
                "competency": a.competency,
                "level": a.level,
                "source": a.source,
                "assessed_on": a.assessed_on.isoformat(),
                "round": a.round.code if a.round else None,
            }
            for a in record.assessments
        ],
        "training": [
            {
                "course": t.course.code,
                "title": t.course.title,
                "completed_on": t.completed_on.isoformat(),
                "hours": t.hours,
            }
            for t in record.training
        ],
        "planned_training": [
            {"course": a.session.course.code, "starts_on": a.session.starts_on.isoformat(), "run": a.run.name}
            for a in record.allocations
        ],
    }


# --- aggregates -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    competency: str
    officers: int | None  # None: fewer than 5 (hidden)
    share_below: float | None
    unassessed: int | None

    @property
    def hidden(self) -> bool:
        return self.officers is None

    @property
    def level_class(self) -> str:
        """The diagnostics' level colours, read the other way: red when most are below."""
        if self.share_below is None:
            return "lvl-none"
        return f"lvl-{4 - min(4, int(self.share_below * 5))}"


@dataclass(frozen=True)
class HeatRow:
    unit: OrgUnit | None  # None: the whole administration
    officers: int | None
    cells: list[HeatCell]


@dataclass(frozen=True)
class EducationRow:
    profile: RoleProfile
    officers: int | None
    below_level: int | None
    other_field: int | None


@dataclass(frozen=True)
class Heatmap:
    administration: OrgUnit
    framework: CompetencyFramework | None
    competencies: list[Competency]
    rows: list[HeatRow]
    total: HeatRow | None
    education: list[EducationRow]
    exempt: bool
    profile: RoleProfile | None = None
    round: AssessmentRound | None = None


def _framework(administration: OrgUnit, profile: RoleProfile | None) -> CompetencyFramework | None:
    if profile is not None:
        return profile.framework
    return CompetencyFramework.objects.filter(administration=administration).order_by("-imported_at").first()


def _cells_shown(
    columns: list[str], by_unit: dict[str, dict[str, Cell]], units: list[str], exempt: bool
) -> tuple[dict[tuple[str, str], HeatCell], dict[str, HeatCell]]:
    """Each competency column's cells and its total, through the small-group rule (the column's
    total is shown, so the rule hides enough cells that none can be worked out)."""
    cells: dict[tuple[str, str], HeatCell] = {}
    totals: dict[str, HeatCell] = {}
    for code in columns:
        groups = {unit: by_unit.get(unit, {}).get(code, Cell()).officers for unit in units}
        rule = shown(groups, exempt=exempt)
        total = Cell()
        for unit in units:
            cell = by_unit.get(unit, {}).get(code, Cell())
            total.add(cell)
            visible = rule.count(unit, cell.officers)
            cells[(unit, code)] = HeatCell(
                code,
                visible,
                cell.share_below if visible else None,
                cell.unassessed if visible is not None else None,
            )
        totals[code] = HeatCell(
            code,
            rule.total,
            total.share_below if rule.total else None,
            total.unassessed if rule.total is not None else None,
        )
    return cells, totals


def heatmap_view(
    user: Any,
    administration: OrgUnit,
    *,
    profile: RoleProfile | None = None,
    round: AssessmentRound | None = None,
) -> Heatmap:
    """Units × competencies: the share of each unit's officers (its own, not its sub-units')
    below the level their role requires, with education gaps by role profile. Officers never
    assessed count as below. Small groups are hidden for everybody but HR."""
    exempt = permissions.sees_everything(user, administration)
    stored = _framework(administration, profile) if round is None else round.framework
    if stored is None:
        return Heatmap(administration, None, [], [], None, [], exempt, profile, round)
    framework = framework_model(stored)
    officers = Officer.objects.filter(administration=administration, is_active=True, role_profile__isnull=False)
    officers = officers.filter(role_profile__framework=stored).select_related("unit", "role_profile")
    if profile is not None:
        officers = officers.filter(role_profile=profile)
    people = list(officers)
    profiles = {
        p.code: profile_of(p) for p in RoleProfile.objects.filter(administration=administration, framework=stored)
    }
    until = round.held_on if round is not None else None
    levels = levels_of([o.pk for o in people], until=until)
    table = heatmap((person_of(o) for o in people), profiles, levels)
    required = {code for p in profiles.values() if profile is None or p.code == profile.code for code in p.required}
    columns = [c for c in framework.competencies if c.code in required]
    units_by_code = {u.code: u for u in OrgUnit.objects.filter(code__in=list(table))}
    unit_codes = sorted(table, key=lambda code: units_by_code[code].path)
    cells, totals = _cells_shown([c.code for c in columns], table, unit_codes, exempt)
    headcount: dict[str, int] = defaultdict(int)
    for officer in people:
        headcount[officer.unit.code] += 1
    heads = shown({code: headcount[code] for code in unit_codes}, exempt=exempt)
    rows = [
        HeatRow(units_by_code[code], heads.count(code, headcount[code]), [cells[(code, c.code)] for c in columns])
        for code in unit_codes
    ]
    total = HeatRow(None, heads.total, [totals[c.code] for c in columns]) if rows else None
    return Heatmap(
        administration,
        stored,
        columns,
        rows,
        total,
        education_view(user, administration, people, stored),
        exempt,
        profile,
        round,
    )


def education_view(
    user: Any, administration: OrgUnit, people: Iterable[Officer], stored: CompetencyFramework
) -> list[EducationRow]:
    """Per role profile: its officers, and how many fall short of its education requirement;
    every count is a group of officers and follows the small-group rule."""
    exempt = permissions.sees_everything(user, administration)
    framework = framework_model(stored)
    ranks = {level.code: index for index, level in enumerate(framework.education_levels)}
    profiles_by_code = {p.code: p for p in RoleProfile.objects.filter(administration=administration, framework=stored)}
    gaps = education_gaps(
        (person_of(o) for o in people), {c: profile_of(p) for c, p in profiles_by_code.items()}, ranks
    )
    codes = sorted(gaps)
    officers = shown({code: gaps[code].officers for code in codes}, exempt=exempt)
    below = shown({code: gaps[code].below_level for code in codes}, exempt=exempt, total_shown=False)
    other = shown({code: gaps[code].other_field for code in codes}, exempt=exempt, total_shown=False)
    return [
        EducationRow(
            profiles_by_code[code],
            officers.count(code, gaps[code].officers),
            below.count(code, gaps[code].below_level) if officers.count(code, 1) is not None else None,
            other.count(code, gaps[code].other_field) if officers.count(code, 1) is not None else None,
        )
        for code in codes
    ]


@dataclass(frozen=True)
class TrendRow:
    competency: Competency
    before: HeatCell
    after: HeatCell

    @property
    def change(self) -> float | None:
        """Percentage points fewer officers below the required level (positive: better)."""
        if self.before.share_below is None or self.after.share_below is None:
            return None
        return round(100 * (self.before.share_below - self.after.share_below), 1)


def trend_view(user: Any, administration: OrgUnit, before: AssessmentRound, after: AssessmentRound) -> list[TrendRow]:
    """Per competency, the share of the officers assessed in each round who were below the level
    their role requires. Competencies are not parts of one whole (an officer counts under
    several), so each figure is checked on its own."""
    exempt = permissions.sees_everything(user, administration)
    framework = framework_model(after.framework)
    officers = list(
        Officer.objects.filter(administration=administration, role_profile__isnull=False).select_related(
            "unit", "role_profile"
        )
    )
    profiles = {p.code: profile_of(p) for p in RoleProfile.objects.filter(administration=administration)}
    people = [person_of(o) for o in officers]
    columns: dict[str, dict[str, Cell]] = {}
    for name, chosen in (("before", before), ("after", after)):
        levels = levels_of([o.pk for o in officers], round_id=chosen.pk)
        table = heatmap(people, profiles, levels, missing_counts_below=False)
        merged: dict[str, Cell] = defaultdict(Cell)
        for cells in table.values():
            for code, cell in cells.items():
                merged[code].add(cell)
        columns[name] = merged
    rows = []
    for competency in framework.competencies:
        pair = []
        for name in ("before", "after"):
            cell = columns[name].get(competency.code, Cell())
            visible = shown({0: cell.officers}, exempt=exempt, total_shown=False).count(0, cell.officers)
            pair.append(HeatCell(competency.code, visible, cell.share_below if visible else None, None))
        if pair[0].officers == 0 and pair[1].officers == 0:
            continue
        rows.append(TrendRow(competency, pair[0], pair[1]))
    return rows


# --- workforce needs ----------------------------------------------------------------------------------
#
# The rule for nested units: a need at a unit is met by the officers of that unit and of the
# units below it (a directorate's border-post inspectors serve at its posts; the allocation
# weighs officers the same way), so it *includes* what the units below need for the same role
# profile. A directorate that needs 20 inspectors while one of its posts needs 14 needs 20 in
# all, not 34; one that records 10 while its posts need 14 between them needs 14 (its posts'
# needs are part of it). Totals count each officer needed, and each officer in service, once.


def _nearest_above(path: str, paths: Iterable[str]) -> str | None:
    """The deepest of ``paths`` strictly above ``path`` in the org tree (``None``: none is)."""
    above = [other for other in paths if other != path and path.startswith(other)]
    return max(above, key=len) if above else None


def rolled_up(needs: Iterable[tuple[str, Any, int]]) -> int:
    """The officers a set of needs asks for, each counted once by the rule above.

    ``needs``: (unit path, role profile or any key needs are compared by, headcount); needs of
    the same unit and key add up. Within a key, a need counts as the larger of its own headcount
    and what the needs below it count together; the total is what the outermost needs count.
    """
    by_key: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for path, key, headcount in needs:
        by_key[key][path] += headcount
    total = 0
    for stated in by_key.values():
        counted = _counted(stated)
        total += sum(counted[path] for path in stated if _nearest_above(path, stated) is None)
    return total


def _counted(stated: dict[str, int]) -> dict[str, int]:
    """Each unit's need as counted (``stated``: unit path → headcount, one role profile): the
    larger of its own and the sum of the needs directly below it."""
    counted: dict[str, int] = {}
    below: dict[str, int] = defaultdict(int)
    for path in sorted(stated, key=lambda p: -p.count("/")):  # the deepest first
        counted[path] = max(stated[path], below[path])
        parent = _nearest_above(path, stated)
        if parent is not None:
            below[parent] += counted[path]
    return counted


def _unit(units: dict[tuple[int, int], OrgUnit], key: tuple[int, int] | None) -> OrgUnit | None:
    return None if key is None else units[key]


@dataclass(frozen=True)
class NeedRow:
    unit: OrgUnit
    profile: RoleProfile
    #: the headcount recorded for this unit and role (all functions)
    recorded: int
    #: the needs recorded at units below it for the same role, as counted
    below: int
    present: int | None  # officers now in service there or below, with that profile; None: hidden
    functions: list[str]
    #: the nearest unit above with a need for the same role: its need includes this one
    within: OrgUnit | None = None

    @property
    def needed(self) -> int:
        """The need as counted: what was recorded, or what the units below need if more."""
        return max(self.recorded, self.below)

    @property
    def gap(self) -> int | None:
        return None if self.present is None else self.needed - self.present


@dataclass(frozen=True)
class YearNeeds:
    year: int
    rows: list[NeedRow]
    #: officers needed, each counted once (a need within another is part of it)
    needed: int
    #: officers in service where they are needed, each counted once; None: hidden
    present: int | None


def workforce_gaps(user: Any, plan: Plan) -> list[YearNeeds]:
    """For each plan year: the officers the plan's functions need per unit and role profile,
    against those in service there now (the unit and the units below it), small groups
    hidden. Needs at nested units follow the rule above: the row of a unit with a need above
    it says which, and the year's totals count each officer once."""
    exempt = permissions.sees_everything(user, plan.administration)
    needs = list(
        WorkforceNeed.objects.filter(function__plan=plan)
        .select_related("function", "unit", "role_profile")
        .order_by("year")
    )
    by_unit: dict[tuple[str, int | None], int] = {
        (row["unit__path"], row["role_profile_id"]): row["n"]
        for row in Officer.objects.filter(administration=plan.administration, is_active=True)
        .values("unit__path", "role_profile_id")
        .annotate(n=Count("id"))
    }
    present: dict[tuple[int, int], int] = {}
    for need in needs:
        key = (need.unit_id, need.role_profile_id)
        if key not in present:
            present[key] = sum(
                n
                for (path, profile), n in by_unit.items()
                if profile == need.role_profile_id and path.startswith(need.unit.path)
            )
    years: dict[int, dict[tuple[int, int], list[WorkforceNeed]]] = defaultdict(lambda: defaultdict(list))
    for need in needs:
        years[need.year][(need.unit_id, need.role_profile_id)].append(need)
    result = []
    for year in sorted(years):
        groups = years[year]
        keys = sorted(groups, key=lambda key: (groups[key][0].unit.path, groups[key][0].role_profile.code))
        unit_of = {key: groups[key][0].unit for key in keys}
        recorded = {key: sum(n.headcount for n in groups[key]) for key in keys}
        # the rows of each role profile nest by unit: each row's parent is the nearest row above
        parent: dict[tuple[int, int], tuple[int, int] | None] = {}
        counted: dict[tuple[int, int], int] = {}
        for role in {key[1] for key in keys}:
            mine = {unit_of[key].path: key for key in keys if key[1] == role}
            as_counted = _counted({path: recorded[key] for path, key in mine.items()})
            for path, key in mine.items():
                above = _nearest_above(path, mine)
                parent[key] = None if above is None else mine[above]
                counted[key] = as_counted[path]
        below = {key: sum(counted[k] for k in keys if parent[k] == key) for key in keys}
        # the small-group rule needs parts that do not overlap: each row's own officers are
        # those in service at its unit and below but not under a nested row's unit
        own = {key: present.get(key, 0) - sum(present.get(k, 0) for k in keys if parent[k] == key) for key in keys}
        rule = shown(own, exempt=exempt)

        # a row sums its own part and the rows nested in it: shown only when none is hidden
        hidden_below: set[tuple[int, int]] = set()
        for key in sorted(keys, key=lambda k: -unit_of[k].path.count("/")):  # the deepest first
            up = parent[key]
            if up is not None and (key in rule.hidden or key in hidden_below):
                hidden_below.add(up)
        visible = {key for key in keys if key not in rule.hidden and key not in hidden_below}
        rows = [
            NeedRow(
                unit_of[key],
                groups[key][0].role_profile,
                recorded[key],
                below[key],
                present.get(key, 0) if key in visible else None,
                sorted({n.function.name for n in groups[key]}),
                _unit(unit_of, parent[key]),
            )
            for key in keys
        ]
        needed = rolled_up((unit_of[key].path, key[1], recorded[key]) for key in keys)
        result.append(YearNeeds(year, rows, needed, rule.total))
    return result


@dataclass(frozen=True)
class CourseLine:
    course: Course
    officers: int | None
    cost: Decimal | None
    sessions: int


@dataclass(frozen=True)
class InitiativeLine:
    initiative: Any  # a PlanElement or None (courses of no initiative)
    courses: list[CourseLine]
    officers: int | None
    cost: Decimal | None


def run_summary(user: Any, run: AllocationRun) -> list[InitiativeLine]:
    """The run's places by initiative and course: officers and money (money counts officers
    too, so it is hidden with them)."""
    exempt = permissions.sees_everything(user, run.plan.administration)
    rows = (
        Allocation.objects.filter(run=run)
        .values("session__course_id")
        .annotate(n=Count("id"), sessions=Count("session_id", distinct=True))
    )
    counts = {row["session__course_id"]: (row["n"], row["sessions"]) for row in rows}
    courses = Course.objects.filter(pk__in=list(counts)).select_related("initiative").order_by("code")
    groups: dict[Any, list[Course]] = defaultdict(list)
    for course in courses:
        groups[course.initiative].append(course)
    result = []
    for initiative in sorted(groups, key=lambda e: (e is None, e.code if e else "")):
        members = groups[initiative]
        rule = shown({c.pk: counts[c.pk][0] for c in members}, exempt=exempt)
        lines = [
            CourseLine(
                c,
                rule.count(c.pk, counts[c.pk][0]),
                c.cost * counts[c.pk][0] if rule.count(c.pk, 1) is not None else None,
                counts[c.pk][1],
            )
            for c in members
        ]
        total_cost = sum((c.cost * counts[c.pk][0] for c in members), Decimal(0))
        # the prices are public, so a line's cost beside the shown courses' costs and its
        # places would let the hidden courses' places be worked out: hidden with them
        cost_shown = rule.total is not None and not rule.hidden
        result.append(InitiativeLine(initiative, lines, rule.total, total_cost if cost_shown else None))
    return result


@dataclass(frozen=True)
class UnitLine:
    unit: OrgUnit
    officers: int | None


def run_by_unit(user: Any, run: AllocationRun) -> tuple[list[UnitLine], int | None]:
    """Officers of each unit given a place, and the total (small groups hidden)."""
    exempt = permissions.sees_everything(user, run.plan.administration)
    rows = Allocation.objects.filter(run=run).values("officer__unit_id").annotate(n=Count("officer_id", distinct=True))
    counts = {row["officer__unit_id"]: row["n"] for row in rows}
    units = sorted(OrgUnit.objects.filter(pk__in=list(counts)), key=lambda u: u.path)
    rule = shown({u.pk: counts[u.pk] for u in units}, exempt=exempt)
    return [UnitLine(u, rule.count(u.pk, counts[u.pk])) for u in units], rule.total


def adopted_runs(plan: Plan) -> list[AllocationRun]:
    return list(AllocationRun.objects.filter(plan=plan, is_adopted=True).order_by("year"))


def catalogue(administration: OrgUnit) -> QuerySet[Course]:
    return (
        Course.objects.filter(administration=administration)
        .select_related("initiative")
        .annotate(session_count=Count("sessions", distinct=True))
        .order_by("code")
    )


def head_units(user: Any, administration: OrgUnit) -> list[OrgUnit]:
    paths = [p for p in permissions.head_paths(user) if p.startswith(administration.path)]
    return list(OrgUnit.objects.filter(path__in=paths))


def counts(administration: OrgUnit) -> dict[str, int]:
    """How much the administration keeps (the home page; these are not about officers' groups
    except ``officers``, which the page shows through the small-group rule)."""
    return {
        "officers": Officer.objects.filter(administration=administration, is_active=True).count(),
        "profiles": RoleProfile.objects.filter(administration=administration).count(),
        "courses": Course.objects.filter(administration=administration).count(),
        "sessions": CourseSession.objects.filter(course__administration=administration).count(),
        "rounds": AssessmentRound.objects.filter(administration=administration).count(),
    }


def spent_by_year(plan: Plan) -> dict[int, Decimal]:
    """Money the adopted runs spend, by year."""
    rows = AllocationRun.objects.filter(plan=plan, is_adopted=True).values("year").annotate(total=Sum("spent"))
    return {row["year"]: row["total"] or Decimal(0) for row in rows}


def units_with_officers(administration: OrgUnit) -> QuerySet[OrgUnit]:
    return (
        OrgUnit.objects.filter(path__startswith=administration.path).filter(Q(unit_officers__isnull=False)).distinct()
    )


def proposed_budget(plan: Plan, year: int) -> Decimal:
    """The budget lines, for ``year``, of the initiatives the administration's courses belong
    to (and of their activities): the training budget the plan itself holds."""
    initiatives = set(
        Course.objects.filter(administration=plan.administration, initiative__plan=plan).values_list(
            "initiative_id", flat=True
        )
    )
    total = BudgetLine.objects.filter(
        Q(element_id__in=initiatives) | Q(element__parent_id__in=initiatives), year=year
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)
