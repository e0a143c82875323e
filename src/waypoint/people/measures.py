"""Plan indicators computed from training and assessment records, the way clearance-time
indicators are computed from declaration data (``trs/services.py``): a binding says what to
count; every period of the plan gets its value, marked as computed, with what it was computed
from as provenance; a value typed by a person is never overwritten.

A period whose figure would be about fewer than five officers is not written (the small-group
rule: an indicator is read by everybody), and the binding's audit record says which were left
out and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.core.audit import SYSTEM, Action, audit_record, audited_delete
from waypoint.core.errors import InvalidInput, NotAllowed, Problem
from waypoint.engine.periods import Period, PeriodKind
from waypoint.engine.training.privacy import is_small
from waypoint.indicators import locks
from waypoint.indicators.models import Actual, Indicator
from waypoint.indicators.permissions import can_edit_indicator
from waypoint.org.models import UnitKind, User
from waypoint.people.adapters import levels_of
from waypoint.people.frameworks import framework_model
from waypoint.people.models import (
    CompetencyFramework,
    Measure,
    Officer,
    ProficiencyAssessment,
    TrainingIndicatorBinding,
    TrainingRecord,
)


def describe(binding: TrainingIndicatorBinding) -> str:
    what = binding.get_measure_display()
    scope = []
    if binding.competencies:
        scope.append(_("competencies %(c)s") % {"c": ", ".join(binding.competencies)})
    if binding.unit_kinds:
        labels = dict(UnitKind.choices)
        scope.append(", ".join(str(labels.get(k, k)) for k in binding.unit_kinds))
    return f"{what}" + (f" ({'; '.join(scope)})" if scope else "")


def binding_save(
    *,
    actor: User | None,
    indicator: Indicator,
    measure: str,
    competencies: Iterable[str] = (),
    unit_kinds: Iterable[str] = (),
) -> TrainingIndicatorBinding:
    """Compute ``indicator``'s actual values from training and assessment records, now and
    whenever they are recomputed.

    Raises:
        NotAllowed: the actor may not change how the indicator is measured.
        InvalidInput: an unknown measure, competency or kind of unit.
    """
    if actor is not None and not can_edit_indicator(actor, indicator):
        raise NotAllowed(_("You cannot change how this indicator is measured."))
    competencies = sorted({c.strip() for c in competencies if c.strip()})
    unit_kinds = sorted({k for k in unit_kinds if k})
    problems: list[Problem] = []
    if measure not in Measure.values:
        problems.append(Problem("measure", _("Unknown measure.")))
    known = {
        c.code
        for stored in CompetencyFramework.objects.filter(administration_id=indicator.plan.administration_id)
        for c in framework_model(stored).competencies
    }
    for code in competencies:
        if code not in known:
            problems.append(
                Problem("competencies", _("No framework of the administration has the competency %(c)s.") % {"c": code})
            )
    for kind in unit_kinds:
        if kind not in UnitKind.values:
            problems.append(Problem("unit_kinds", _("Unknown kind of unit %(k)s.") % {"k": kind}))
    if problems:
        raise InvalidInput(problems[0].message, problems=problems)
    with transaction.atomic():
        binding, created = TrainingIndicatorBinding.objects.update_or_create(
            indicator=indicator,
            defaults={"measure": measure, "competencies": competencies, "unit_kinds": unit_kinds},
        )
        audit_record(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            entity="people.TrainingIndicatorBinding",
            entity_id=binding.pk,
            label=f"{indicator.code} computed from training records",
            changes={"measure": [None, describe(binding)]},
            plan_id=indicator.plan_id,
        )
    binding_recompute(binding)
    binding.refresh_from_db()
    return binding


@transaction.atomic
def binding_delete(*, actor: User | None, binding: TrainingIndicatorBinding) -> None:
    """Stop computing; values already computed stay, marked as computed, until changed."""
    indicator = binding.indicator
    if actor is not None and not can_edit_indicator(actor, indicator):
        raise NotAllowed(_("You cannot change how this indicator is measured."))
    audited_delete(
        actor=actor,
        instance=binding,
        plan_id=indicator.plan_id,
        label=f"{indicator.code} computed from training records",
    )


def _officers(binding: TrainingIndicatorBinding) -> QuerySet[Officer]:
    officers = Officer.objects.filter(administration_id=binding.indicator.plan.administration_id)
    if binding.unit_kinds:
        officers = officers.filter(unit__kind__in=binding.unit_kinds)
    return officers


def _in_service(officers: QuerySet[Officer], end: dt.date) -> QuerySet[Officer]:
    return officers.filter(is_active=True).filter(Q(entry_date__isnull=True) | Q(entry_date__lte=end))


def _records(binding: TrainingIndicatorBinding, start: dt.date, end: dt.date) -> QuerySet[TrainingRecord]:
    records = TrainingRecord.objects.filter(
        officer__in=_officers(binding), completed_on__gte=start, completed_on__lte=end
    )
    if binding.competencies:
        wanted = set(binding.competencies)
        courses = [
            course.pk for course in binding.indicator.plan.administration.courses.all() if wanted & set(course.outcomes)
        ]
        records = records.filter(course_id__in=courses)
    return records


def value_for(binding: TrainingIndicatorBinding, start: dt.date, end: dt.date) -> tuple[Decimal, int] | None:
    """The value for the period from ``start`` to ``end`` and the officers it is about; None
    when the period has no record to count from (no training record in it, or no assessment
    in it for the share at level), so that a period not yet reported stays without a value."""
    if binding.measure == Measure.OFFICERS_TRAINED:
        trained = _records(binding, start, end).values("officer_id").distinct().count()
        return (Decimal(trained), trained) if trained else None
    if binding.measure == Measure.HOURS_PER_OFFICER:
        staff = _in_service(_officers(binding), end).count()
        hours = _records(binding, start, end).aggregate(total=Sum("hours"))["total"] or 0
        if not staff or not hours:
            return None
        return Decimal(hours) / Decimal(staff), staff
    # the share of officers whose role requires the competencies who are at the required level
    officers = list(
        _in_service(_officers(binding), end).filter(role_profile__isnull=False).select_related("role_profile")
    )
    if not ProficiencyAssessment.objects.filter(
        officer__in=officers, assessed_on__gte=start, assessed_on__lte=end
    ).exists():
        return None
    levels = levels_of([o.pk for o in officers], until=end)
    concerned = at_level = 0
    for officer in officers:
        assert officer.role_profile is not None
        required = {str(k): int(v) for k, v in officer.role_profile.requirements.items()}
        if binding.competencies:
            required = {k: v for k, v in required.items() if k in binding.competencies}
        if not required:
            continue
        concerned += 1
        mine = levels.get(str(officer.pk), {})
        at_level += all(mine.get(code, 0) >= need for code, need in required.items())
    if not concerned:
        return None
    return Decimal(100 * at_level) / Decimal(concerned), concerned


def _periods(indicator: Indicator) -> list[Period]:
    kind = PeriodKind(indicator.frequency)
    today = timezone.localdate()
    return [p for year in indicator.plan.years for p in Period.year_of(year).subperiods(kind) if p.start <= today]


@transaction.atomic
def binding_recompute(binding: TrainingIndicatorBinding) -> int:
    """Write the indicator's actual value for every period of the plan that has begun.

    A value typed by a person is never overwritten, nor one of an approved (locked) report
    (``indicators.locks``), and a figure about fewer than five officers is not written; each is
    listed in the audit record.
    """
    indicator = binding.indicator
    now = timezone.now()
    written, kept, small, locked = 0, [], [], []
    for period in _periods(indicator):
        found = value_for(binding, period.start, period.end)
        if found is None:
            continue
        value, officers = found
        if is_small(officers):
            small.append(period.code)
            continue
        provenance = {
            "source": "training records",
            "measure": describe(binding),
            "officers": officers,
            "computed_at": now.isoformat(timespec="seconds"),
        }
        rounded = Decimal(str(round(value, 4)))
        existing = Actual.objects.filter(indicator=indicator, period=period.code, unit__isnull=True).first()
        if existing is not None and not existing.is_computed:
            kept.append(period.code)
            continue
        if locks.lock_reason(indicator, period.code, None):  # an approved report's value stays as approved
            locked.append(period.code)
            continue
        if existing is None:
            Actual.objects.create(
                indicator=indicator,
                period=period.code,
                value=rounded,
                evidence=_("Computed from training and assessment records (%(what)s; %(n)d officers).")
                % {"what": describe(binding), "n": officers},
                recorded_by_name=SYSTEM,
                is_computed=True,
                provenance=provenance,
            )
        else:
            Actual.objects.filter(pk=existing.pk).update(value=rounded, provenance=provenance)
        written += 1
    TrainingIndicatorBinding.objects.filter(pk=binding.pk).update(computed_at=now, periods_written=written)
    audit_record(
        actor=None,
        action=Action.COMPUTE,
        entity="people.TrainingIndicatorBinding",
        entity_id=binding.pk,
        label=f"{indicator.code} computed from training records",
        changes={
            "periods written": [None, written],
            "kept (entered by a person)": [None, kept],
            "left out (fewer than 5 officers)": [None, small],
            "kept (approved and locked)": [None, locked],
        },
        plan_id=indicator.plan_id,
    )
    return written


@transaction.atomic
def recompute_all(administration_id: int) -> int:
    """Recompute every indicator computed from the administration's training records (after
    an import). Returns how many bindings were recomputed."""
    bindings = TrainingIndicatorBinding.objects.filter(
        indicator__plan__administration_id=administration_id
    ).select_related("indicator__plan__administration")
    for binding in bindings:
        binding_recompute(binding)
    return len(bindings)
