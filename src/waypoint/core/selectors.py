"""Reads that cut across apps: the audit trail as an administrator may see it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from waypoint.core.models import AuditEvent
from waypoint.org.access import Access


def audit_events_for(user: Any) -> QuerySet[AuditEvent]:
    """The events of the administrations in which ``user`` is an administrator, newest first.
    Events of other administrations, and those that belong to none, are not among them."""
    return AuditEvent.objects.filter(administration_id__in=sorted(Access.of(user).administered_ids())).select_related(
        "actor"
    )
