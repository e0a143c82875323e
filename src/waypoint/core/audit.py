"""Writing the audit trail. Services call these inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from waypoint.core.models import AuditEvent


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Plain, JSON-friendly values of ``fields`` (foreign keys by id)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        raw = getattr(instance, getattr(field, "attname", name))
        values[name] = _plain(raw)
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
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
    action: str,
    instance: models.Model | None = None,
    entity: str | None = None,
    entity_id: Any = None,
    label: str | None = None,
    changes: Mapping[str, Any] | None = None,
    plan_id: int | None = None,
) -> AuditEvent:
    """Store one audit event. Give ``instance``, or ``entity``/``entity_id``/``label``."""
    if instance is not None:
        entity = entity or instance._meta.label
        entity_id = entity_id if entity_id is not None else instance.pk
        label = label or str(instance)
    if entity is None or label is None:
        raise ValueError("audit_record needs an instance or an entity and a label")
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,  # type: ignore[misc]  # AUTH_USER_MODEL
        actor_name=actor.get_username() if actor is not None else "system",
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        label=label[:300],
        changes=dict(changes or {}),
        plan_id=plan_id,
    )
