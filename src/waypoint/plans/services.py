"""Every write to plans and their content. Each function is one transaction that also
writes the audit record; each checks the actor's rights (``actor=None`` is the system:
imports and the demo builder)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core.audit import SYSTEM, Action, actor_label, audit_record, audited_delete, diff, snapshot
from waypoint.core.errors import InvalidInput, Problem
from waypoint.core.versioning import save_if_unchanged
from waypoint.engine.periods import month_end, month_start
from waypoint.org.models import OrgUnit, Role, UnitKind, User
from waypoint.org.notifications import Message, notify_all
from waypoint.plans import extensions, permissions, rules

# as a module name: element_create takes a ``translations`` argument
from waypoint.plans import translations as translations_module
from waypoint.plans.errors import PlanRuleBroken
from waypoint.plans.models import (
    CHILD_KIND,
    CODE_PREFIX,
    DATED_KINDS,
    TIER_TEMPLATES,
    Amendment,
    AmendmentStatus,
    AnalysisItem,
    BudgetLine,
    ElementKind,
    FundingSource,
    ImplementationStatus,
    Plan,
    PlanElement,
    PlanFunction,
    PlanStatus,
    PlanTier,
    PlanVersion,
    Risk,
    VersionEvent,
)
from waypoint.plans.planfile.export import plan_export

PLAN_FIELDS = (
    "title",
    "start_year",
    "end_year",
    "vision",
    "mission",
    "values",
    "summary",
    "tier_template",
    "currency",
    "previous",
    "language",
    "translations",
)
ELEMENT_FIELDS = (
    "title",
    "description",
    "tier",
    "responsible_unit",
    "lead",
    "starts_on",
    "ends_on",
    "status",
    "assumptions",
    "translations",
)


def _check(actor: User | None, allowed: bool, message: str | None = None) -> None:
    if actor is not None:
        permissions.require(allowed, message)


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise PlanRuleBroken(
            problems[0].message
            if len(problems) == 1
            else ngettext("The input breaks %(n)d rule.", "The input breaks %(n)d rules.", len(problems))
            % {"n": len(problems)},
            problems=problems,
        )


# --- plans -------------------------------------------------------------------------------


def _plan_problems(*, title: str, start_year: int, end_year: int, administration: OrgUnit | None) -> list[Problem]:
    problems = rules.plan_problems(title=title, start_year=start_year, end_year=end_year)
    if administration is not None and administration.kind != UnitKind.ADMINISTRATION:
        problems.append(Problem("administration", _("A plan belongs to an administration, not to one of its units.")))
    return problems


@transaction.atomic
def plan_create(
    *,
    actor: User | None,
    administration: OrgUnit,
    title: str,
    start_year: int,
    end_year: int,
    tier_template: str = "customs",
    vision: str = "",
    mission: str = "",
    values: str = "",
    summary: str = "",
    currency: str = "AZN",
    previous: Plan | None = None,
    status: str = PlanStatus.DRAFT,
    tiers: Iterable[tuple[str, str]] | None = None,
    language: str | None = None,
    translations: Mapping[str, Any] | None = None,
) -> Plan:
    """Start a plan with the tiers of its results-chain template (or the ``tiers`` given),
    written in ``language`` (the site's by default), with its texts in other languages in
    ``translations``."""
    _check(actor, permissions.can_create_plan(actor, administration))
    language = language or settings.LANGUAGE_CODE
    translations_module.check_language(language)
    cleaned = translations_module.clean_translations(
        dict(translations or {}),
        fields=translations_module.PLAN_FIELDS,
        main_language=language,
        limits=translations_module.PLAN_LIMITS,
    )
    _raise(_plan_problems(title=title, start_year=start_year, end_year=end_year, administration=administration))
    if tiers is None:
        if tier_template not in TIER_TEMPLATES:
            raise InvalidInput.at("tier_template", _("Unknown results-chain template."))
        tiers = TIER_TEMPLATES[tier_template]
    plan = Plan.objects.create(
        administration=administration,
        title=title.strip(),
        start_year=start_year,
        end_year=end_year,
        tier_template=tier_template,
        vision=vision,
        mission=mission,
        values=values,
        summary=summary,
        currency=currency,
        previous=previous,
        status=status,
        language=language,
        translations=cleaned,
    )
    for level, (key, name) in enumerate(tiers, start=1):
        PlanTier.objects.create(plan=plan, level=level, key=key, name=name)
    audit_record(actor=actor, action=Action.CREATE, instance=plan, changes=snapshot(plan, PLAN_FIELDS), plan_id=plan.pk)
    return plan


def _out_of_period(plan: Plan, start_year: int, end_year: int) -> list[Problem]:
    """What would fall outside a new plan period (the apps built on plans add theirs)."""
    first, last = dt.date(start_year, 1, 1), dt.date(end_year, 12, 31)
    problems: list[Problem] = []
    outside = [
        e.code
        for e in plan.elements.filter(kind__in=DATED_KINDS).exclude(starts_on=None)
        if (e.starts_on is not None and e.starts_on < first) or (e.ends_on is not None and e.ends_on > last)
    ]
    if outside:
        problems.append(
            Problem(
                "end_year",
                _("These elements would fall outside the period: %(codes)s.") % {"codes": ", ".join(outside[:10])},
            )
        )
    lines = plan_budget_lines(plan).exclude(year__gte=start_year, year__lte=end_year).count()
    if lines:
        problems.append(
            Problem(
                "end_year",
                ngettext(
                    "%(n)d budget line would fall outside the period.",
                    "%(n)d budget lines would fall outside the period.",
                    lines,
                )
                % {"n": lines},
            )
        )
    problems += extensions.period_problems(plan, start_year, end_year)
    return problems


def plan_budget_lines(plan: Plan) -> Any:
    return BudgetLine.objects.filter(element__plan=plan)


@transaction.atomic
def plan_update(*, actor: User | None, plan: Plan, expected_version: int | None, changes: Mapping[str, Any]) -> Plan:
    """Change a plan's settings. A shorter period is refused while content lies outside it.

    Raises:
        PlanLocked: the plan is not a draft.
        NotAllowed: the actor is not a planner.
        PlanRuleBroken: the settings break a plan rule.
        EditConflict: someone else saved the plan after ``expected_version``.
    """
    permissions.require_unlocked(plan)
    _check(actor, permissions.can_edit_plan(actor, plan))
    before = snapshot(plan, PLAN_FIELDS)
    for name, value in changes.items():
        if name not in PLAN_FIELDS:
            raise InvalidInput.at(name, _("This field cannot be changed here."))
        setattr(plan, name, value)
    if "language" in changes or "translations" in changes:
        translations_module.check_language(plan.language)
        if plan.language != before["language"]:
            _switch_main_language(plan, before["language"], actor)
        plan.translations = translations_module.clean_translations(
            plan.translations,
            fields=translations_module.PLAN_FIELDS,
            main_language=plan.language,
            limits=translations_module.PLAN_LIMITS,
        )
    if plan.tier_template != before["tier_template"]:
        raise InvalidInput.at("tier_template", _("The results chain of an existing plan cannot be switched."))
    problems = _plan_problems(title=plan.title, start_year=plan.start_year, end_year=plan.end_year, administration=None)
    if not problems and (plan.start_year, plan.end_year) != (before["start_year"], before["end_year"]):
        problems += _out_of_period(plan, plan.start_year, plan.end_year)
    if plan.previous_id == plan.pk:
        problems.append(Problem("previous", _("A plan cannot follow itself.")))
    _raise(problems)
    fields = list(changes)
    if plan.language != before["language"]:
        fields = list(dict.fromkeys([*fields, *translations_module.PLAN_FIELDS, "translations"]))
    save_if_unchanged(plan, expected_version=expected_version, fields=fields)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        instance=plan,
        changes=diff(before, snapshot(plan, PLAN_FIELDS)),
        plan_id=plan.pk,
    )
    return plan


def _swap_language(obj: Any, fields: Sequence[str], old: str, new: str) -> bool:
    """``obj``'s texts in its new main language ``new`` move into its columns, and what the
    columns held is kept as its ``old`` translation: nothing anyone wrote is lost. Returns
    whether anything moved (nothing does where the texts were never kept in ``new``)."""
    kept = dict(obj.translations or {})
    incoming = kept.pop(new, None) or {}
    if not incoming:
        obj.translations = kept
        return False
    previous = {field: getattr(obj, field) for field in fields if getattr(obj, field)}
    for field, value in incoming.items():
        if field in fields and value:
            setattr(obj, field, value)
    if previous:
        kept[old] = {**kept.get(old, {}), **previous}
    obj.translations = kept
    return True


def _switch_main_language(plan: Plan, old: str, actor: User | None) -> None:
    """A plan written in ``old`` is now written in ``plan.language``: the plan and each of
    its elements take the texts they keep in that language into their columns (the element
    versions move, so a form opened before the switch is refused, not saved over)."""
    new = plan.language
    _swap_language(plan, translations_module.PLAN_FIELDS, old, new)
    for element in plan.elements.order_by("pk"):
        before = snapshot(element, (*translations_module.ELEMENT_FIELDS, "translations"))
        moved = _swap_language(element, translations_module.ELEMENT_FIELDS, old, new)
        if not moved and element.translations == before["translations"]:
            continue
        element.version += 1
        element.save(update_fields=[*translations_module.ELEMENT_FIELDS, "translations", "version"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            instance=element,
            changes=diff(before, snapshot(element, (*translations_module.ELEMENT_FIELDS, "translations"))),
            plan_id=plan.pk,
        )


def _people(plan: Plan, roles: Iterable[str], *, besides: User | None) -> list[User]:
    """The active people holding one of ``roles`` in the plan's administration."""
    people = User.objects.filter(
        is_active=True,
        role_assignments__role__in=list(roles),
        role_assignments__unit__path__startswith=plan.administration.path,
    ).distinct()
    return [person for person in people if besides is None or person.pk != besides.pk]


def _store_version(
    *,
    plan: Plan,
    event: str,
    actor: User | None,
    comment: str,
    at: dt.datetime | None,
    amendment: Amendment | None,
) -> PlanVersion:
    """Keep the plan file as it stands now, with who did what and why."""
    number = (plan.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    return PlanVersion.objects.create(
        plan=plan,
        number=number,
        event=event,
        at=at or timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor.display_name if actor is not None else SYSTEM,
        actor_title=actor.job_title if actor is not None else "",
        comment=comment.strip(),
        amendment=amendment,
        document=plan_export(plan),
    )


def _tell(plan: Plan, version: PlanVersion, recipients: list[User]) -> None:
    """Tell the people who act next about a submission or a decision."""
    event = VersionEvent(version.event).label
    subject = _("%(plan)s: %(event)s") % {"plan": plan.title, "event": event.lower()}
    body = _("%(who)s, %(when)s.") % {"who": actor_label(version.actor_name), "when": f"{version.at:%Y-%m-%d}"}
    if version.comment:
        body += "\n\n" + version.comment
    notify_all(
        recipients=recipients,
        key=f"plan:{plan.pk}:version:{version.number}",
        message=Message(subject, body, reverse("plan-approval", kwargs={"plan_id": plan.pk})),
    )


def _open_amendment(plan: Plan) -> Amendment | None:
    return plan.amendments.exclude(status=AmendmentStatus.APPROVED).order_by("-number").first()


@transaction.atomic
def plan_set_status(
    *, actor: User | None, plan: Plan, status: str, note: str = "", at: dt.datetime | None = None
) -> Plan:
    """Move the plan through draft → submitted for approval → approved (or returned) →
    superseded; an approved plan goes back to draft only through an amendment.

    Each submission and decision stores the plan file as a version (with the person's name,
    title, the date and ``note``) and tells the people who act next: approvers when a plan is
    submitted, planners when it is decided. A plan returned by an approver needs a comment.

    Raises:
        PlanRuleBroken: the move is not one a plan makes, or a return comes without a comment.
        NotAllowed: the actor's role does not make this move.
    """
    if status not in PlanStatus.values:
        raise InvalidInput.at("status", _("Unknown status."))
    if (plan.status, status) not in permissions.STATUS_TRANSITIONS:
        raise PlanRuleBroken.at(
            "status",
            _("A plan cannot go from %(old)s to %(new)s.")
            % {"old": PlanStatus(plan.status).label, "new": PlanStatus(status).label},
        )
    if (plan.status, status) == (PlanStatus.APPROVED, PlanStatus.DRAFT):
        amendment_open(actor=actor, plan=plan, reason=note, at=at)
        return plan
    _check(actor, permissions.can_change_status(actor, plan, status))
    old = plan.status
    amendment = _open_amendment(plan)
    event: str | None = None
    if (old, status) == (PlanStatus.DRAFT, PlanStatus.UNDER_REVIEW):
        event, amendment_status = VersionEvent.SUBMITTED, AmendmentStatus.SUBMITTED
    elif (old, status) == (PlanStatus.UNDER_REVIEW, PlanStatus.DRAFT):
        returned = actor is None or permissions.can_approve(actor, plan)
        if returned and not note.strip():
            raise PlanRuleBroken.at("note", _("Say what should change: a plan is returned with comments."))
        event = VersionEvent.RETURNED if returned else VersionEvent.WITHDRAWN
        amendment_status = AmendmentStatus.OPEN
    elif (old, status) == (PlanStatus.UNDER_REVIEW, PlanStatus.APPROVED):
        event, amendment_status = VersionEvent.APPROVED, AmendmentStatus.APPROVED
    plan.status = status
    # the status an imported file gave the plan stood for it until its first change here
    plan.imported_status = ""
    save_if_unchanged(plan, expected_version=None, fields=["status", "imported_status"])
    changes: dict[str, Any] = {"status": [old, status], "note": note}
    if event is not None:
        if amendment is not None:
            amendment.status = amendment_status
            amendment.closed_at = (at or timezone.now()) if amendment_status == AmendmentStatus.APPROVED else None
            amendment.save(update_fields=["status", "closed_at"])
        version = _store_version(plan=plan, event=event, actor=actor, comment=note, at=at, amendment=amendment)
        changes.update(event=event, version=version.number)
        if amendment is not None:
            changes["amendment"] = amendment.number
        waiting = [Role.APPROVER, Role.ADMINISTRATOR] if event == VersionEvent.SUBMITTED else [Role.PLANNER]
        _tell(plan, version, _people(plan, waiting, besides=actor))
    audit_record(actor=actor, action=Action.STATUS, instance=plan, changes=changes, plan_id=plan.pk)
    return plan


@transaction.atomic
def amendment_open(*, actor: User | None, plan: Plan, reason: str, at: dt.datetime | None = None) -> Amendment:
    """Open an amendment of an approved plan: the plan is a draft again until the amended plan
    is approved. The approved plan's file is kept as a version first.

    Raises:
        PlanRuleBroken: the plan is not approved, or no reason is given.
        NotAllowed: the actor is not a planner.
    """
    _check(actor, permissions.can_change_status(actor, plan, PlanStatus.DRAFT) or plan.status != PlanStatus.APPROVED)
    if plan.status != PlanStatus.APPROVED:
        raise PlanRuleBroken.at("status", _("Only an approved plan is amended; a draft is changed directly."))
    if not reason.strip():
        raise PlanRuleBroken.at("reason", _("Say why the plan is amended."))
    when = at or timezone.now()
    amendment = Amendment.objects.create(
        plan=plan,
        number=(plan.amendments.aggregate(top=Max("number"))["top"] or 0) + 1,
        reason=reason.strip(),
        opened_at=when,
        opened_by=actor if actor is not None and actor.pk else None,
        opened_by_name=actor.display_name if actor is not None else SYSTEM,
    )
    old = plan.status
    plan.status = PlanStatus.DRAFT
    plan.imported_status = ""
    save_if_unchanged(plan, expected_version=None, fields=["status", "imported_status"])
    version = _store_version(
        plan=plan, event=VersionEvent.AMENDMENT, actor=actor, comment=reason, at=at, amendment=amendment
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        instance=amendment,
        changes={"reason": amendment.reason, "version": version.number},
        plan_id=plan.pk,
    )
    audit_record(
        actor=actor,
        action=Action.STATUS,
        instance=plan,
        changes={"status": [old, plan.status], "amendment": amendment.number, "note": amendment.reason},
        plan_id=plan.pk,
    )
    return amendment


# --- elements ---------------------------------------------------------------------------


def _element_problems(
    *,
    plan: Plan,
    kind: str,
    parent: PlanElement | None,
    values: Mapping[str, Any],
    element: PlanElement | None = None,
) -> list[Problem]:
    problems = rules.element_title_problems(kind, str(values.get("title") or ""))
    tier = values.get("tier")
    problems += rules.tier_problems(tier.plan_id if tier is not None else None, plan.pk)
    unit = values.get("responsible_unit")
    if unit is None:
        problems.append(Problem("responsible_unit", _("Choose the responsible unit.")))
    elif not unit.path.startswith(plan.administration.path) or not unit.is_active:
        problems.append(
            Problem(
                "responsible_unit",
                _("Unknown unit: %(code)s is not an active unit of this administration.") % {"code": unit.code},
            )
        )
    status = values.get("status", ImplementationStatus.NOT_STARTED)
    if status not in ImplementationStatus.values:
        problems.append(Problem("status", _("Unknown implementation status.")))
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if kind in DATED_KINDS:
        problems += _date_problems(plan, parent, starts_on, ends_on, element)
    return problems


def _date_problems(
    plan: Plan,
    parent: PlanElement | None,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    element: PlanElement | None,
) -> list[Problem]:
    problems = rules.element_date_problems(
        start_year=plan.start_year,
        end_year=plan.end_year,
        starts_on=starts_on,
        ends_on=ends_on,
        parent=_dates(parent) if parent is not None else None,
    )
    if element is not None and element.pk:
        outside = [
            child.code
            for child in element.children.all()
            if (starts_on is not None and child.starts_on is not None and child.starts_on < starts_on)
            or (ends_on is not None and child.ends_on is not None and child.ends_on > ends_on)
        ]
        if outside:
            problems.append(
                Problem(
                    "ends_on",
                    _("These activities would fall outside the new dates: %(codes)s. Move them first.")
                    % {"codes": ", ".join(outside)},
                )
            )
    return problems


def _dates(element: PlanElement) -> rules.Dates:
    return rules.Dates(element.code, element.kind, element.starts_on, element.ends_on)


def _normalise_dates(values: dict[str, Any]) -> None:
    if values.get("starts_on") is not None:
        values["starts_on"] = month_start(values["starts_on"])
    if values.get("ends_on") is not None:
        values["ends_on"] = month_end(values["ends_on"])


def default_tier(plan: Plan, kind: str) -> PlanTier:
    """The tier an element of ``kind`` sits on unless the planner says otherwise."""
    tiers = list(plan.tiers.order_by("level"))
    index = {ElementKind.GOAL: 0, ElementKind.OBJECTIVE: 1, ElementKind.INITIATIVE: 2, ElementKind.ACTIVITY: 3}[
        ElementKind(kind)
    ]
    return tiers[min(index, len(tiers) - 1)]


@transaction.atomic
def element_create(
    *,
    actor: User | None,
    plan: Plan,
    parent: PlanElement | None,
    title: str,
    responsible_unit: OrgUnit | None,
    tier: PlanTier | None = None,
    description: str = "",
    lead: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    status: str = ImplementationStatus.NOT_STARTED,
    assumptions: str = "",
    translations: Mapping[str, Any] | None = None,
) -> PlanElement:
    """Add a goal (``parent=None``) or a child of ``parent`` of the next kind down;
    ``translations`` are its texts in the plan's other languages.

    Raises:
        PlanLocked: the plan is not a draft.
        NotAllowed: the actor may not add here.
        PlanRuleBroken: the element would break a plan rule; problems name the fields.
    """
    if parent is not None and parent.plan_id != plan.pk:
        raise PlanRuleBroken.at("parent", _("The parent belongs to another plan."))
    kind = ElementKind.GOAL if parent is None else CHILD_KIND[parent.kind]
    if kind is None:
        raise PlanRuleBroken.at("parent", _("An activity cannot have children."))
    permissions.require_unlocked(plan)
    _check(actor, permissions.can_add_element(actor, plan, parent, responsible_unit))
    values: dict[str, Any] = {
        "title": title.strip(),
        "description": description,
        "tier": tier or default_tier(plan, kind),
        "responsible_unit": responsible_unit,
        "lead": lead.strip(),
        "starts_on": starts_on if kind in DATED_KINDS else None,
        "ends_on": ends_on if kind in DATED_KINDS else None,
        "status": status,
        "assumptions": assumptions,
        "translations": translations_module.clean_translations(
            dict(translations or {}),
            fields=translations_module.ELEMENT_FIELDS,
            main_language=plan.language,
            limits=translations_module.ELEMENT_LIMITS,
        ),
    }
    _normalise_dates(values)
    _raise(_element_problems(plan=plan, kind=kind, parent=parent, values=values))
    if parent is None:
        locked_plan = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
        number = locked_plan.last_goal_number + 1
        Plan.objects.filter(pk=plan.pk).update(last_goal_number=number)
        code = f"{CODE_PREFIX[kind]}{number}"
        siblings = plan.elements.filter(parent__isnull=True)
    else:
        locked_parent = PlanElement.objects.select_for_update(of=("self",)).get(pk=parent.pk)
        number = locked_parent.last_child_number + 1
        PlanElement.objects.filter(pk=parent.pk).update(last_child_number=number)
        code = f"{CODE_PREFIX[kind]}{parent.code[1:]}.{number}"
        siblings = parent.children.all()
    position = (siblings.aggregate(top=Max("position"))["top"] or 0) + 1
    element = PlanElement.objects.create(
        plan=plan, parent=parent, kind=kind, number=number, code=code, position=position, **values
    )
    audit_record(
        actor=actor, action=Action.CREATE, instance=element, changes=snapshot(element, ELEMENT_FIELDS), plan_id=plan.pk
    )
    return element


@transaction.atomic
def element_update(
    *, actor: User | None, element: PlanElement, expected_version: int | None, changes: Mapping[str, Any]
) -> PlanElement:
    """Change an element's fields; refuses if someone else saved it since ``expected_version``.

    On a plan that is submitted or approved only its implementation status changes (it records
    how the work goes, not what the plan commits to).

    Raises:
        PlanLocked: the plan is not a draft and a field other than the status changes.
        NotAllowed: the element is not the actor's to change.
        PlanRuleBroken: the new values break a plan rule.
        EditConflict: someone else saved the element after ``expected_version``.
    """
    changed = {name for name, value in changes.items() if name not in ELEMENT_FIELDS or getattr(element, name) != value}
    if not (changed <= rules.MONITORING_FIELDS and element.plan.status != PlanStatus.SUPERSEDED):
        permissions.require_unlocked(element.plan)
    _check(actor, permissions.can_edit_element(actor, element))
    new_unit = changes.get("responsible_unit")
    if actor is not None and new_unit is not None and new_unit != element.responsible_unit:
        permissions.require(
            permissions.can_add_element(actor, element.plan, element.parent, new_unit),
            _("You cannot hand this element to a unit outside your own."),
        )
    before = snapshot(element, ELEMENT_FIELDS)
    values = {name: getattr(element, name) for name in ELEMENT_FIELDS}
    for name, value in changes.items():
        if name not in ELEMENT_FIELDS:
            raise InvalidInput.at(name, _("This field cannot be changed here."))
        values[name] = value.strip() if isinstance(value, str) and name in ("title", "lead") else value
    values["translations"] = translations_module.clean_translations(
        values["translations"],
        fields=translations_module.ELEMENT_FIELDS,
        main_language=element.plan.language,
        limits=translations_module.ELEMENT_LIMITS,
    )
    if element.kind not in DATED_KINDS:
        values["starts_on"] = values["ends_on"] = None
    _normalise_dates(values)
    _raise(
        _element_problems(plan=element.plan, kind=element.kind, parent=element.parent, values=values, element=element)
    )
    for name, value in values.items():
        setattr(element, name, value)
    save_if_unchanged(element, expected_version=expected_version, fields=ELEMENT_FIELDS)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        instance=element,
        changes=diff(before, snapshot(element, ELEMENT_FIELDS)),
        plan_id=element.plan_id,
    )
    return element


def element_descendants(element: PlanElement) -> list[PlanElement]:
    """All elements below ``element`` (one query per level, at most three)."""
    found: list[PlanElement] = []
    level = [element]
    while level:
        level = list(PlanElement.objects.filter(parent__in=level).select_related("responsible_unit"))
        found.extend(level)
    return found


@transaction.atomic
def element_delete(*, actor: User | None, element: PlanElement) -> dict[str, int]:
    """Delete an element with everything below it; returns what was removed, by kind."""
    permissions.require_unlocked(element.plan)
    descendants = element_descendants(element)
    paths = [element.responsible_unit.path] + [d.responsible_unit.path for d in descendants]
    _check(actor, permissions.can_delete_element(actor, element, paths))
    removed: dict[str, int] = {}
    for item in [element, *descendants]:
        removed[item.kind] = removed.get(item.kind, 0) + 1
    removed.update(extensions.removed_with([element, *descendants]))
    audited_delete(actor=actor, instance=element, plan_id=element.plan_id, changes={"removed": removed})
    return removed


@transaction.atomic
def element_move(*, actor: User | None, element: PlanElement, offset: int) -> PlanElement:
    """Move an element up (``offset=-1``) or down (``+1``) among its siblings.

    Only positions change; codes stay as they are.
    """
    permissions.require_unlocked(element.plan)
    _check(actor, permissions.can_edit_element(actor, element))
    if element.parent_id is None:
        _check(actor, permissions.can_edit_plan(actor, element.plan))
        siblings = list(element.plan.elements.filter(parent__isnull=True).order_by("position", "number"))
    else:
        siblings = list(PlanElement.objects.filter(parent_id=element.parent_id).order_by("position", "number"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == element.pk)
    target = index + offset
    if offset == 0 or not 0 <= target < len(siblings):
        return element
    siblings.insert(target, siblings.pop(index))
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            PlanElement.objects.filter(pk=sibling.pk).update(position=position)
    element.refresh_from_db()
    audit_record(
        actor=actor,
        action=Action.MOVE,
        instance=element,
        changes={"position": [index + 1, target + 1]},
        plan_id=element.plan_id,
    )
    return element


# --- risks --------------------------------------------------------------------------------

RISK_FIELDS = ("description", "likelihood", "impact", "mitigation", "owner")


def _risk_problems(values: Mapping[str, Any]) -> list[Problem]:
    return rules.risk_problems(
        description=str(values.get("description", "")), likelihood=values.get("likelihood"), impact=values.get("impact")
    )


@transaction.atomic
def risk_save(*, actor: User | None, element: PlanElement, risk: Risk | None = None, **values: Any) -> Risk:
    """Add a risk to ``element`` or change ``risk``."""
    permissions.require_unlocked(element.plan)
    _check(actor, permissions.can_edit_element(actor, element))
    _raise(_risk_problems(values))
    if risk is None:
        position = (element.risks.aggregate(top=Max("position"))["top"] or 0) + 1
        risk = Risk.objects.create(element=element, position=position, **{k: values.get(k, "") for k in RISK_FIELDS})
        audit_record(
            actor=actor,
            action=Action.CREATE,
            instance=risk,
            changes=snapshot(risk, RISK_FIELDS),
            plan_id=element.plan_id,
        )
        return risk
    if risk.element_id != element.pk:
        raise InvalidInput.at("risk", _("This risk belongs to another element."))
    before = snapshot(risk, RISK_FIELDS)
    for name in RISK_FIELDS:
        setattr(risk, name, values.get(name, getattr(risk, name)))
    risk.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        instance=risk,
        changes=diff(before, snapshot(risk, RISK_FIELDS)),
        plan_id=element.plan_id,
    )
    return risk


@transaction.atomic
def risk_delete(*, actor: User | None, risk: Risk) -> None:
    element = risk.element
    permissions.require_unlocked(element.plan)
    _check(actor, permissions.can_edit_element(actor, element))
    audited_delete(actor=actor, instance=risk, plan_id=element.plan_id, changes=snapshot(risk, RISK_FIELDS))


# --- budget ---------------------------------------------------------------------------------


@transaction.atomic
def funding_source_create(*, actor: User | None, administration: OrgUnit, name: str, kind: str) -> FundingSource:
    if actor is not None:
        permissions.require(permissions.can_create_plan(actor, administration))
    if not name.strip():
        raise InvalidInput.at("name", _("Name the funding source."))
    if FundingSource.objects.filter(administration=administration, name=name.strip()).exists():
        raise InvalidInput.at("name", _("There is already a funding source called %(name)s.") % {"name": name})
    source = FundingSource.objects.create(administration=administration, name=name.strip(), kind=kind)
    audit_record(actor=actor, action=Action.CREATE, instance=source, changes={"name": source.name, "kind": kind})
    return source


@transaction.atomic
def budget_line_save(
    *,
    actor: User | None,
    element: PlanElement,
    year: int,
    funding_source: FundingSource,
    amount: Decimal,
    note: str = "",
    line: BudgetLine | None = None,
) -> BudgetLine:
    """Plan money for ``element`` in ``year`` from ``funding_source`` (new line or ``line``).

    Raises:
        PlanLocked: the plan is not a draft.
        NotAllowed: the element is not the actor's to change.
        PlanRuleBroken: the line breaks a budget rule.
    """
    permissions.require_unlocked(element.plan)
    _check(actor, permissions.can_edit_element(actor, element))
    plan = element.plan
    problems = rules.budget_line_problems(
        year=year, amount=amount, start_year=plan.start_year, end_year=plan.end_year, element=_dates(element)
    )
    if funding_source.administration_id != plan.administration_id:
        problems.append(Problem("funding_source", _("Unknown funding source for this administration.")))
    clash = BudgetLine.objects.filter(element=element, year=year, funding_source=funding_source)
    if line is not None:
        clash = clash.exclude(pk=line.pk)
    if clash.exists():
        problems.append(rules.budget_line_taken(year, funding_source.name))
    _raise(problems)
    fields = ("year", "funding_source", "amount", "note")
    if line is None:
        line = BudgetLine.objects.create(
            element=element, year=year, funding_source=funding_source, amount=amount, note=note
        )
        audit_record(actor=actor, action=Action.CREATE, instance=line, changes=snapshot(line, fields), plan_id=plan.pk)
        return line
    before = snapshot(line, fields)
    line.year, line.funding_source, line.amount, line.note = year, funding_source, amount, note
    line.save()
    audit_record(
        actor=actor, action=Action.UPDATE, instance=line, changes=diff(before, snapshot(line, fields)), plan_id=plan.pk
    )
    return line


@transaction.atomic
def budget_line_delete(*, actor: User | None, line: BudgetLine) -> None:
    element = line.element
    permissions.require_unlocked(element.plan)
    _check(actor, permissions.can_edit_element(actor, element))
    changes = snapshot(line, ("year", "funding_source", "amount", "note"))
    audited_delete(actor=actor, instance=line, plan_id=element.plan_id, changes=changes)


# --- environmental analysis and functions -------------------------------------------------------


def _objectives_of(plan: Plan, objectives: Iterable[PlanElement]) -> list[PlanElement]:
    chosen = list(objectives)
    wrong = [o.code for o in chosen if o.plan_id != plan.pk or o.kind != ElementKind.OBJECTIVE]
    if wrong:
        raise InvalidInput.at(
            "objectives", _("Only objectives of this plan can be linked: %(codes)s.") % {"codes": ", ".join(wrong)}
        )
    return chosen


@transaction.atomic
def analysis_item_save(
    *,
    actor: User | None,
    plan: Plan,
    framework: str,
    category: str,
    text: str,
    objectives: Iterable[PlanElement] = (),
    item: AnalysisItem | None = None,
) -> AnalysisItem:
    """Add or change a SWOT/PESTLE item and the objectives that answer it."""
    permissions.require_unlocked(plan)
    _check(actor, permissions.can_edit_plan(actor, plan))
    problems = rules.analysis_item_problems(framework=framework, category=category, text=text)
    _raise(problems)
    linked = _objectives_of(plan, objectives)
    if item is None:
        position = (
            plan.analysis_items.filter(framework=framework, category=category).aggregate(top=Max("position"))["top"]
            or 0
        ) + 1
        item = AnalysisItem.objects.create(
            plan=plan, framework=framework, category=category, text=text.strip(), position=position
        )
        action = Action.CREATE
        changes: dict[str, Any] = {"category": category, "text": item.text}
    else:
        action = Action.UPDATE
        changes = diff({"category": item.category, "text": item.text}, {"category": category, "text": text.strip()})
        item.framework, item.category, item.text = framework, category, text.strip()
        item.save()
    before_links = sorted(o.code for o in item.objectives.all())
    item.objectives.set(linked)
    after_links = sorted(o.code for o in linked)
    if before_links != after_links:
        changes["objectives"] = [before_links, after_links]
    audit_record(actor=actor, action=action, instance=item, changes=changes, plan_id=plan.pk)
    return item


@transaction.atomic
def analysis_item_delete(*, actor: User | None, item: AnalysisItem) -> None:
    permissions.require_unlocked(item.plan)
    _check(actor, permissions.can_edit_plan(actor, item.plan))
    audited_delete(actor=actor, instance=item, plan_id=item.plan_id)


@transaction.atomic
def function_save(
    *,
    actor: User | None,
    plan: Plan,
    name: str,
    priority: str,
    description: str = "",
    objectives: Iterable[PlanElement] | None = None,
    function: PlanFunction | None = None,
) -> PlanFunction:
    """Add or change a function of the activity profile (``objectives=None`` keeps the links)."""
    permissions.require_unlocked(plan)
    _check(actor, permissions.can_edit_plan(actor, plan))
    problems = rules.function_problems(name=name, priority=priority)
    clash = plan.functions.filter(name=name.strip())
    if function is not None:
        clash = clash.exclude(pk=function.pk)
    if name.strip() and clash.exists():
        problems.append(rules.function_name_taken(name))
    _raise(problems)
    fields = ("name", "priority", "description")
    if function is None:
        position = (plan.functions.aggregate(top=Max("position"))["top"] or 0) + 1
        function = PlanFunction.objects.create(
            plan=plan, name=name.strip(), priority=priority, description=description, position=position
        )
        action = Action.CREATE
        changes: dict[str, Any] = snapshot(function, fields)
    else:
        before = snapshot(function, fields)
        function.name, function.priority, function.description = name.strip(), priority, description
        function.save()
        action, changes = Action.UPDATE, diff(before, snapshot(function, fields))
    if objectives is not None:
        linked = _objectives_of(plan, objectives)
        before_links = sorted(o.code for o in function.objectives.all())
        function.objectives.set(linked)
        after_links = sorted(o.code for o in linked)
        if before_links != after_links:
            changes["objectives"] = [before_links, after_links]
    audit_record(actor=actor, action=action, instance=function, changes=changes, plan_id=plan.pk)
    return function


@transaction.atomic
def function_link(*, actor: User | None, function: PlanFunction, objective: PlanElement, linked: bool) -> None:
    """Tick or untick one cell of the functions-and-priorities matrix."""
    permissions.require_unlocked(function.plan)
    _check(actor, permissions.can_edit_plan(actor, function.plan))
    _objectives_of(function.plan, [objective])
    if linked:
        function.objectives.add(objective)
    else:
        function.objectives.remove(objective)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        instance=function,
        changes={"objective": objective.code, "linked": linked},
        plan_id=function.plan_id,
    )


@transaction.atomic
def function_delete(*, actor: User | None, function: PlanFunction) -> None:
    permissions.require_unlocked(function.plan)
    _check(actor, permissions.can_edit_plan(actor, function.plan))
    audited_delete(actor=actor, instance=function, plan_id=function.plan_id)
