"""Every write to indicators, targets and actuals: atomic, audited, rights checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core.audit import SYSTEM, Action, audit_record, audited_delete, diff, snapshot
from waypoint.core.errors import EditConflict, InvalidInput, Problem
from waypoint.core.versioning import save_if_unchanged
from waypoint.engine.periods import Period
from waypoint.indicators import locks, permissions, rules
from waypoint.indicators.errors import IndicatorRuleBroken, TargetsChangedMeanwhile
from waypoint.indicators.models import (
    Actual,
    Direction,
    Frequency,
    Indicator,
    Target,
    TargetRevision,
    ToleranceKind,
)
from waypoint.org.models import OrgUnit, User
from waypoint.plans import permissions as plan_permissions
from waypoint.plans import rules as plan_rules
from waypoint.plans.models import Plan, PlanElement, PlanTier

INDICATOR_FIELDS = (
    "element",
    "tier",
    "name",
    "definition",
    "formula",
    "unit_of_measure",
    "decimals",
    "direction",
    "aggregation",
    "cumulative",
    "frequency",
    "data_source",
    "means_of_verification",
    "owner_unit",
    "disaggregation",
    "is_key",
    "baseline_value",
    "baseline_date",
    "baseline_source",
    "tolerance_value",
    "tolerance_kind",
    "completeness_threshold",
)
EVIDENCE_SUFFIXES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".csv", ".txt", ".png", ".jpg", ".jpeg", ".odt", ".ods"}


def _check(actor: User | None, allowed: bool, message: str | None = None) -> None:
    if actor is not None:
        plan_permissions.require(allowed, message)


def _raise(problems: list[Problem]) -> None:
    if problems:
        message = (
            problems[0].message
            if len(problems) == 1
            else ngettext("The input breaks %(n)d rule.", "The input breaks %(n)d rules.", len(problems))
            % {"n": len(problems)}
        )
        raise IndicatorRuleBroken(message, problems=problems)


def _indicator_problems(plan: Plan, values: Mapping[str, Any], indicator: Indicator | None = None) -> list[Problem]:
    problems = rules.indicator_problems(values, plan_end_year=plan.end_year)
    element = values.get("element")
    if not isinstance(element, PlanElement) or element.plan_id != plan.pk:
        problems.append(Problem("element", _("Choose the plan element this indicator measures.")))
    tier = values.get("tier")
    problems += plan_rules.tier_problems(tier.plan_id if isinstance(tier, PlanTier) else None, plan.pk)
    owner = values.get("owner_unit")
    if not isinstance(owner, OrgUnit) or not owner.path.startswith(plan.administration.path):
        problems.append(Problem("owner_unit", _("Unknown unit: choose a unit of this administration.")))
    if indicator is not None and indicator.pk and values.get("direction") == Direction.RANGE:
        missing = list(indicator.targets.filter(upper_value__isnull=True).values_list("period", flat=True))
        if missing:
            problems.append(
                Problem(
                    "direction",
                    _("A range needs an upper bound on every target; add them first for %(p)s.")
                    % {"p": ", ".join(missing)},
                )
            )
    if indicator is not None and indicator.pk and values.get("frequency") != indicator.frequency:
        frequency = str(values.get("frequency"))
        kind = rules.PERIOD_KIND[Frequency(frequency)] if frequency in Frequency.values else None
        if kind is not None:
            clash = [a.period for a in indicator.actuals.all() if Period.parse(a.period).kind is not kind]
            if clash:
                problems.append(
                    Problem(
                        "frequency",
                        _("Actuals already recorded for %(p)s do not fit the new frequency.")
                        % {"p": ", ".join(sorted(set(clash))[:6])},
                    )
                )
    return problems


def _can_edit_element(actor: User | None, element: Any) -> bool:
    return isinstance(element, PlanElement) and plan_permissions.can_edit_element(actor, element)


@transaction.atomic
def indicator_create(*, actor: User | None, plan: Plan, **values: Any) -> Indicator:
    """Define a new indicator for ``plan``; its code (KPI-07) is given once and kept.

    Raises:
        PlanLocked: the plan is not a draft.
        NotAllowed: the element is not the actor's to measure.
        IndicatorRuleBroken: the definition breaks an indicator rule.
    """
    plan_permissions.require_unlocked(plan)
    element = values.get("element")
    _check(actor, _can_edit_element(actor, element))
    if values.get("tier") is None and isinstance(element, PlanElement):
        values["tier"] = element.tier
    values.setdefault("disaggregation", [])
    values.setdefault("tolerance_value", Decimal("15"))
    values.setdefault("tolerance_kind", ToleranceKind.RELATIVE)
    values.setdefault("cumulative", False)
    values.setdefault("completeness_threshold", 100)
    _raise(_indicator_problems(plan, values))
    locked = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    number = (locked.indicators.aggregate(top=Max("number"))["top"] or 0) + 1
    indicator = Indicator.objects.create(
        plan=plan,
        number=number,
        code=f"KPI-{number:02d}",
        position=number,
        **{k: v for k, v in values.items() if k in INDICATOR_FIELDS},
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        instance=indicator,
        changes=snapshot(indicator, INDICATOR_FIELDS),
        plan_id=plan.pk,
    )
    return indicator


@transaction.atomic
def indicator_update(
    *, actor: User | None, indicator: Indicator, expected_version: int | None, changes: Mapping[str, Any]
) -> Indicator:
    plan_permissions.require_unlocked(indicator.plan)
    _check(actor, permissions.can_edit_indicator(actor, indicator))
    if "element" in changes and changes["element"] != indicator.element:
        _check(
            actor,
            _can_edit_element(actor, changes["element"]),
            _("You cannot attach the indicator to an element outside your units."),
        )
    before = snapshot(indicator, INDICATOR_FIELDS)
    values = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    unknown = [name for name in changes if name not in INDICATOR_FIELDS]
    if unknown:
        raise InvalidInput.at(unknown[0], _("This field cannot be changed here."))
    values.update(changes)
    _raise(_indicator_problems(indicator.plan, values, indicator))
    for name, value in values.items():
        setattr(indicator, name, value)
    save_if_unchanged(indicator, expected_version=expected_version, fields=INDICATOR_FIELDS)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        instance=indicator,
        changes=diff(before, snapshot(indicator, INDICATOR_FIELDS)),
        plan_id=indicator.plan_id,
    )
    return indicator


@transaction.atomic
def indicator_delete(*, actor: User | None, indicator: Indicator) -> None:
    plan_permissions.require_unlocked(indicator.plan)
    _check(actor, permissions.can_edit_indicator(actor, indicator))
    counts = {"targets": indicator.targets.count(), "actuals": indicator.actuals.count()}
    audited_delete(actor=actor, instance=indicator, plan_id=indicator.plan_id, changes=counts)


# --- targets --------------------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@transaction.atomic
def target_set(
    *,
    actor: User | None,
    indicator: Indicator,
    period: str,
    value: Decimal,
    upper_value: Decimal | None = None,
    reason: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Target:
    """Set the target for a plan year; a change keeps the old value with who, when and why.

    Raises:
        PlanLocked: the plan is not a draft (an approved plan's targets change by amendment).
        IndicatorRuleBroken: the year lies outside the plan, a range lacks its upper bound,
            or a change comes without a reason.
        EditConflict: someone else changed this target after ``expected_version``.
    """
    plan_permissions.require_unlocked(indicator.plan)
    _check(actor, permissions.can_edit_indicator(actor, indicator))
    plan = indicator.plan
    problems, parsed = rules.target_period_problems(period, start_year=plan.start_year, end_year=plan.end_year)
    if parsed is None:
        raise IndicatorRuleBroken.at(problems[0].location, problems[0].message)
    value = Decimal(str(value))
    upper_value = _decimal(upper_value)
    problems += rules.target_value_problems(value, upper_value, is_range=indicator.is_range)
    existing = Target.objects.select_for_update(of=("self",)).filter(indicator=indicator, period=parsed.code).first()
    changed = existing is not None and (existing.value != value or existing.upper_value != upper_value)
    if changed and not reason.strip():
        problems.append(Problem("reason", _("Say why the target changes; the old value is kept with your reason.")))
    _raise(problems)
    when = at or timezone.now()
    name = actor.get_username() if actor is not None else SYSTEM
    if existing is None:
        target = Target.objects.create(indicator=indicator, period=parsed.code, value=value, upper_value=upper_value)
        TargetRevision.objects.create(
            target=target,
            changed_at=when,
            changed_by=actor,
            changed_by_name=name,
            new_value=value,
            new_upper_value=upper_value,
            reason=reason.strip() or _("initial target"),
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            instance=target,
            changes={"period": parsed.code, "value": str(value)},
            plan_id=plan.pk,
        )
        return target
    if not changed:
        return existing
    if expected_version is not None and existing.version != expected_version:
        raise EditConflict(
            _("Someone else changed this target after you opened it; it now reads %(v)s.") % {"v": existing.value},
            current={
                "value": str(existing.value),
                "upper_value": str(existing.upper_value) if existing.upper_value is not None else None,
            },
            current_version=existing.version,
        )
    TargetRevision.objects.create(
        target=existing,
        changed_at=when,
        changed_by=actor,
        changed_by_name=name,
        old_value=existing.value,
        old_upper_value=existing.upper_value,
        new_value=value,
        new_upper_value=upper_value,
        reason=reason.strip(),
    )
    old = {"value": existing.value, "upper_value": existing.upper_value}
    existing.value, existing.upper_value = value, upper_value
    save_if_unchanged(existing, expected_version=existing.version, fields=["value", "upper_value"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        instance=existing,
        changes={**diff(old, {"value": value, "upper_value": upper_value}), "reason": reason.strip()},
        plan_id=plan.pk,
    )
    return existing


@dataclass(frozen=True)
class TargetEntry:
    """One row of the targets grid: the value wanted for a plan year (``None``: no target,
    which removes one that exists), the reason for a change, and the version of the target
    the user saw (``0``: there was none; ``None``: do not check)."""

    period: str
    value: Decimal | None
    upper_value: Decimal | None = None
    reason: str = ""
    expected_version: int | None = None


@transaction.atomic
def targets_set(
    *, actor: User | None, indicator: Indicator, entries: Sequence[TargetEntry], at: dt.datetime | None = None
) -> list[str]:
    """Set the targets of several plan years at once (the targets grid): all or nothing.

    Each row follows the rules of :func:`target_set` (a change keeps the old value with who,
    when and why) and of :func:`target_delete` (a removal needs a reason too); rows that
    change nothing are left alone. Returns the periods changed.

    Raises:
        PlanLocked: the plan is not a draft (an approved plan's targets change by amendment).
        IndicatorRuleBroken: a row breaks a rule; every problem is located by its row,
            ``"2014.value"``, ``"2014.reason"``. Nothing is saved.
        TargetsChangedMeanwhile: somebody else changed one of the targets being changed
            after ``expected_version``. Nothing is saved.
    """
    plan_permissions.require_unlocked(indicator.plan)
    _check(actor, permissions.can_edit_indicator(actor, indicator))
    stored = {t.period: t for t in Target.objects.select_for_update(of=("self",)).filter(indicator=indicator)}
    problems: list[Problem] = []
    moved: dict[str, dict[str, Any] | None] = {}
    changed: list[str] = []
    for entry in entries:
        existing = stored.get(entry.period)
        value, upper = _decimal(entry.value), _decimal(entry.upper_value)
        if existing is None and value is None:
            continue
        if existing is not None and (existing.value, existing.upper_value) == (value, upper):
            continue
        if existing is not None and entry.expected_version is not None and existing.version != entry.expected_version:
            moved[entry.period] = {
                "value": str(existing.value),
                "upper_value": str(existing.upper_value) if existing.upper_value is not None else None,
                "version": existing.version,
            }
            continue
        if existing is None and entry.expected_version:
            moved[entry.period] = None  # removed since the user opened the grid
            continue
        try:
            with transaction.atomic():  # each row on its own, so that every row's problems are found
                if value is None:
                    assert existing is not None
                    target_delete(actor=actor, target=existing, reason=entry.reason)
                else:
                    target_set(
                        actor=actor,
                        indicator=indicator,
                        period=entry.period,
                        value=value,
                        upper_value=upper,
                        reason=entry.reason,
                        at=at,
                    )
        except InvalidInput as error:
            found = error.problems or [Problem("value", error.message)]
            problems += [Problem(f"{entry.period}.{p.location}", p.message) for p in found]
        else:
            changed.append(entry.period)
    if moved:
        raise TargetsChangedMeanwhile(
            ngettext(
                "Someone else changed the target for %(p)s after you opened the grid; nothing was saved.",
                "Someone else changed the targets for %(p)s after you opened the grid; nothing was saved.",
                len(moved),
            )
            % {"p": ", ".join(sorted(moved))},
            rows=moved,
        )
    _raise(problems)
    return changed


@transaction.atomic
def target_delete(*, actor: User | None, target: Target, reason: str) -> None:
    """Remove a plan year's target, saying why.

    Raises:
        PlanLocked: the plan is not a draft (an approved plan's targets change by amendment).
        NotAllowed: the actor may not edit this indicator.
        IndicatorRuleBroken: no reason is given.
    """
    indicator = target.indicator
    plan_permissions.require_unlocked(indicator.plan)
    _check(actor, permissions.can_edit_indicator(actor, indicator))
    if not reason.strip():
        raise IndicatorRuleBroken.at("reason", _("Say why the target is removed."))
    changes = {"period": target.period, "value": str(target.value), "reason": reason.strip()}
    audited_delete(actor=actor, instance=target, changes=changes, plan_id=indicator.plan_id)


# --- actuals --------------------------------------------------------------------------------


def _actual_problems(
    indicator: Indicator, period: str, unit: OrgUnit | None, evidence_file: UploadedFile[bytes] | None
) -> tuple[list[Problem], Period | None]:
    plan = indicator.plan
    problems, parsed = rules.actual_period_problems(
        period, frequency=indicator.frequency, start_year=plan.start_year, end_year=plan.end_year
    )
    if unit is not None:
        if not unit.path.startswith(plan.administration.path):
            problems.append(
                Problem("unit", _("Unknown unit: %(code)s is not part of this administration.") % {"code": unit.code})
            )
        else:
            problems += rules.actual_unit_problems(by_unit=indicator.by_unit)
    if evidence_file is not None:
        suffix = PurePath(evidence_file.name or "").suffix.lower()
        if suffix not in EVIDENCE_SUFFIXES:
            problems.append(
                Problem(
                    "evidence_file",
                    _("Attach a document, spreadsheet or image (%(s)s).") % {"s": ", ".join(sorted(EVIDENCE_SUFFIXES))},
                )
            )
        if evidence_file.size is not None and evidence_file.size > settings.EVIDENCE_MAX_BYTES:
            problems.append(
                Problem(
                    "evidence_file",
                    _("The file is larger than %(mb)d MB.") % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)},
                )
            )
    return problems, parsed


def actual_record(
    *,
    actor: User | None,
    indicator: Indicator,
    period: str,
    value: Decimal,
    unit: OrgUnit | None = None,
    evidence: str = "",
    evidence_file: UploadedFile[bytes] | None = None,
    actual: Actual | None = None,
    expected_version: int | None = None,
    rights_checked: bool = False,
) -> Actual:
    """Record (or correct) the measured value of ``indicator`` for ``period`` and ``unit``.

    A second value for the same period and unit is refused: the user corrects the one
    already there, so nothing is silently overwritten. An evidence file is copied into place
    before the write transaction opens (on SQLite every other save waits for that
    transaction), and removed again if the value is refused. ``rights_checked``: the caller
    has checked the actor's right to this value another way (a monitoring report's
    submission: the report's reporters record its values), so the value and its audit event
    still name the actor.

    Raises:
        IndicatorRuleBroken: the period, unit, value or evidence file breaks a rule.
        ValueLocked: the value belongs to an approved report (``indicators.locks``).
        EditConflict: someone else changed the value after ``expected_version``.
    """
    if not rights_checked:
        _check(actor, permissions.can_record_actual(actor, indicator, unit))
    stored = None
    if evidence_file is not None and not _actual_problems(indicator, period, unit, evidence_file)[0]:
        field = Actual._meta.get_field("evidence_file")
        name = field.generate_filename(Actual(indicator=indicator), PurePath(evidence_file.name or "evidence").name)
        stored = field.storage.save(name, evidence_file)
    try:
        return _actual_write(
            actor=actor,
            indicator=indicator,
            period=period,
            value=value,
            unit=unit,
            evidence=evidence,
            evidence_file=evidence_file,
            stored=stored,
            actual=actual,
            expected_version=expected_version,
            rights_checked=rights_checked,
        )
    except BaseException:
        if stored is not None:
            Actual._meta.get_field("evidence_file").storage.delete(stored)
        raise


@transaction.atomic
def _actual_write(
    *,
    actor: User | None,
    indicator: Indicator,
    period: str,
    value: Decimal,
    unit: OrgUnit | None,
    evidence: str,
    evidence_file: UploadedFile[bytes] | None,
    stored: str | None,
    actual: Actual | None,
    expected_version: int | None,
    rights_checked: bool = False,
) -> Actual:
    value = Decimal(str(value))
    problems, parsed = _actual_problems(indicator, period, unit, evidence_file)
    problems += rules.actual_value_problems(value)
    if parsed is not None and not problems:
        clash = Actual.objects.filter(indicator=indicator, period=parsed.code, unit=unit)
        if actual is not None:
            clash = clash.exclude(pk=actual.pk)
        if clash.exists():
            where = unit.code if unit is not None else _("the whole administration")
            problems.append(rules.actual_taken(parsed.code, where))
    _raise(problems)
    assert parsed is not None
    if actual is not None:  # the value as it stands may be locked, and so may where it moves to
        locks.require_unlocked(indicator, actual.period, actual.unit)
    locks.require_unlocked(indicator, parsed.code, unit)
    name = actor.get_username() if actor is not None else SYSTEM
    fields = ("period", "unit", "value", "evidence")
    if actual is None:
        actual = Actual(
            indicator=indicator,
            period=parsed.code,
            unit=unit,
            value=Decimal(str(value)),
            evidence=evidence,
            recorded_by=actor,
            recorded_by_name=name,
        )
        if stored is not None:
            actual.evidence_file.name = stored
        actual.save()
        audit_record(
            actor=actor,
            action=Action.CREATE,
            instance=actual,
            changes=snapshot(actual, fields),
            plan_id=indicator.plan_id,
        )
        return actual
    if not rights_checked:
        _check(actor, permissions.can_record_actual(actor, indicator, actual.unit))
    before = snapshot(actual, fields)
    actual.period, actual.unit, actual.value, actual.evidence = parsed.code, unit, Decimal(str(value)), evidence
    actual.recorded_by, actual.recorded_by_name, actual.is_computed = actor, name, False
    update_fields = ["period", "unit", "value", "evidence", "recorded_by", "recorded_by_name", "is_computed"]
    if stored is not None:
        actual.evidence_file.name = stored
        update_fields.append("evidence_file")
    save_if_unchanged(actual, expected_version=expected_version, fields=update_fields)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        instance=actual,
        changes=diff(before, snapshot(actual, fields)),
        plan_id=indicator.plan_id,
    )
    return actual


@transaction.atomic
def actual_delete(*, actor: User | None, actual: Actual) -> None:
    """Delete a recorded value.

    Raises:
        ValueLocked: the value belongs to an approved report.
    """
    indicator = actual.indicator
    _check(actor, permissions.can_record_actual(actor, indicator, actual.unit))
    locks.require_unlocked(indicator, actual.period, actual.unit)
    changes = snapshot(actual, ("period", "unit", "value", "evidence"))
    stored_file = actual.evidence_file.name if actual.evidence_file else None
    storage = actual.evidence_file.storage
    audited_delete(actor=actor, instance=actual, plan_id=indicator.plan_id, changes=changes)
    if stored_file:
        # only once the deletion is committed: a rollback must not lose the evidence
        transaction.on_commit(lambda: storage.delete(stored_file))
