"""Writing the audit trail. Services call these inside their transaction.

``audit_record`` stores one event; ``audited_delete`` deletes a record and stores its event,
the one way every delete service records what it removed. The action is always one of
``Action`` (``AuditEvent.Action``): the audit log filters and translates by it."""

from __future__ import annotations

import datetime as dt
import decimal
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import pgettext

from waypoint.core.models import AuditEvent, ChangeCount

#: the name kept for a change no person made (the demo, a command, the background worker): a
#: stored marker, said in the reader's language where it is shown (``actor_label``)
SYSTEM = "system"
#: the name kept for what a file imported without a person (a command) wrote
IMPORT = "import"


def actor_label(name: str | None) -> str:
    """A kept actor's name as a reader sees it: the system or an import in their language, a
    person's name as it is."""
    if not name or name == SYSTEM:
        return pgettext("who made a change", "system")
    if name == IMPORT:
        return pgettext("who made a change", "import")
    return name


def markers_matching(text: str) -> list[str]:
    """The stored markers whose name as the reader sees it contains ``text`` (a search for
    "système" finds what is kept as "system")."""
    wanted = text.casefold()
    return [marker for marker in (SYSTEM, IMPORT) if wanted and wanted in actor_label(marker).casefold()]


#: what an event records; ``audit_record`` takes only these
Action = AuditEvent.Action


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Plain, JSON-friendly values of ``fields`` (foreign keys by id)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        raw = getattr(instance, getattr(field, "attname", name))
        values[name] = _plain(raw)
    return values


def plain_decimal(value: decimal.Decimal) -> str:
    """A number as people write it, whatever places it was stored with: 5.4000 → "5.4",
    40.0000 → "40" (never "4E+1"), so that a value saved again unchanged is no change."""
    if not value.is_finite():
        return str(value)
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


def _plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return plain_decimal(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _plain_numbers(value: Any) -> Any:
    """``changes`` as recorded: every number in it plain (``plain_decimal``), anything else as given."""
    if isinstance(value, decimal.Decimal):
        return plain_decimal(value)
    if isinstance(value, Mapping):
        return {key: _plain_numbers(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_numbers(item) for item in value]
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if _plain(before.get(key)) != _plain(after.get(key))
    }


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: Action,
    instance: models.Model | None = None,
    entity: str | None = None,
    entity_id: Any = None,
    label: str | None = None,
    changes: Mapping[str, Any] | None = None,
    plan_id: int | None = None,
    administration_id: int | None = None,
) -> AuditEvent:
    """Store one audit event. Give ``instance``, or ``entity``/``entity_id``/``label``.

    The event's administration is ``administration_id``, else the one ``instance`` (or the plan
    ``plan_id``) belongs to; only that administration's administrators read it.
    """
    if administration_id is None:
        administration_id = administration_of(instance, plan_id)
    if instance is not None:
        entity = entity or instance._meta.label
        entity_id = entity_id if entity_id is not None else instance.pk
        label = label or str(instance)
    if entity is None or label is None:
        raise ValueError("audit_record needs an instance or an entity and a label")
    count_change(plan_id if plan_id is not None else plan_of(instance), administration_id)
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,  # type: ignore[misc]  # AUTH_USER_MODEL
        actor_name=actor.get_username() if actor is not None else SYSTEM,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        label=label[:300],
        changes=_plain_numbers(dict(changes or {})),
        plan_id=plan_id,
        administration_id=administration_id,
    )


@transaction.atomic
def audited_delete(
    *,
    actor: AbstractBaseUser | None,
    instance: models.Model,
    plan_id: int | None = None,
    changes: Mapping[str, Any] | None = None,
    action: Action = Action.DELETE,
    label: str | None = None,
) -> AuditEvent:
    """Delete ``instance`` (and what the database cascades to) and record it.

    The event names the record as it was: its type, id, label (``str(instance)`` unless
    ``label`` is given) and administration are read before the delete; the event is written
    after it, so a delete the database refuses records nothing. ``changes`` says what went
    with it (counts, the values it held).
    """
    entity, entity_id = instance._meta.label, instance.pk
    label = label or str(instance)
    administration_id = administration_of(instance, plan_id)
    # read before the record goes: the change is counted under its plan
    plan_id = plan_id if plan_id is not None else plan_of(instance)
    instance.delete()
    return audit_record(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        label=label,
        changes=changes,
        plan_id=plan_id,
        administration_id=administration_id,
    )


#: attributes that lead from a record towards its administration, tried in this order
_OWNERS = ("plan", "element", "indicator", "assessment", "dataset", "scenario", "unit", "after")


def administration_of(instance: models.Model | None, plan_id: int | None = None, _depth: int = 0) -> int | None:
    """The id of the administration (root org unit) a record belongs to, or ``None``.

    An org unit's path starts with it; a record with an ``administration`` has it; anything
    else is followed up through its plan, element, indicator, assessment … (a few steps)."""
    if instance is not None and _depth < 5:
        path = getattr(instance, "administration_path", None)  # an org unit
        if isinstance(path, str) and path.strip("/"):
            return int(path.strip("/"))
        direct = getattr(instance, "administration_id", None)
        if isinstance(direct, int):
            return direct
        for name in _OWNERS:
            if name in {f.name for f in instance._meta.get_fields()}:
                owner = getattr(instance, name, None)
                if isinstance(owner, models.Model):
                    found = administration_of(owner, None, _depth + 1)
                    if found is not None:
                        return found
    if plan_id is not None:
        from django.apps import apps

        plan_model = apps.get_model("plans", "Plan")
        return plan_model.objects.filter(pk=plan_id).values_list("administration_id", flat=True).first()
    return None


def change_scopes(plan_id: int | None, administration_id: int | None) -> list[str]:
    """The ``ChangeCount`` scopes of a plan and of its administration."""
    scopes = []
    if plan_id is not None:
        scopes.append(f"plan:{plan_id}")
    if administration_id is not None:
        scopes.append(f"administration:{administration_id}")
    return scopes


def count_change(plan_id: int | None, administration_id: int | None) -> None:
    """Count one change of the plan, else (nothing leads to a plan) of the administration.

    Called by ``audit_record`` inside the writing transaction; the update holds the row until
    the transaction ends, so concurrent writers are counted one after the other."""
    scopes = change_scopes(plan_id, None if plan_id is not None else administration_id)
    if not scopes:
        return
    counted = ChangeCount.objects.filter(scope=scopes[0])
    if not counted.update(count=F("count") + 1, token=secrets.token_hex(4)):
        ChangeCount.objects.bulk_create([ChangeCount(scope=scopes[0])], ignore_conflicts=True)
        counted.update(count=F("count") + 1, token=secrets.token_hex(4))


def changes_counted(plan_id: int, administration_id: int | None) -> str:
    """The plan's and its administration's change counts as one stamp (``"12-9f3a…/3-…"``):
    it moves with every audited change either may have had."""
    scopes = change_scopes(plan_id, administration_id)
    counts = {
        scope: f"{count}-{token}"
        for scope, count, token in ChangeCount.objects.filter(scope__in=scopes).values_list("scope", "count", "token")
    }
    return "/".join(counts.get(scope, "0") for scope in scopes)


#: records that belong to a plan through another record, by label: the attribute to follow
_PLAN_OWNERS = ("plan", "element", "indicator", "scenario", "before", "after")


def plan_of(instance: models.Model | None, _depth: int = 0) -> int | None:
    """The id of the plan a record belongs to (itself, or through its element, indicator,
    scenario…), or ``None`` for what belongs to no single plan."""
    if instance is None or _depth > 4:
        return None
    if instance._meta.label == "plans.Plan":
        return instance.pk  # type: ignore[no-any-return]
    names = {f.name for f in instance._meta.get_fields()}
    for name in _PLAN_OWNERS:
        if name not in names:
            continue
        if name == "plan":
            plan_id = getattr(instance, "plan_id", None)
            if isinstance(plan_id, int):
                return plan_id
            continue
        owner = getattr(instance, name, None)
        if isinstance(owner, models.Model):
            found = plan_of(owner, _depth + 1)
            if found is not None:
                return found
    return None
