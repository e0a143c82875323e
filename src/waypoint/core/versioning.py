"""Optimistic concurrency: a save succeeds only if nobody saved since the form was opened."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.core.audit import snapshot
from waypoint.core.errors import EditConflict
from waypoint.core.models import VersionedModel

M = TypeVar("M", bound=VersionedModel)


def save_if_unchanged(instance: M, *, expected_version: int | None, fields: Iterable[str]) -> M:
    """Write ``fields`` of ``instance`` when the stored version still is ``expected_version``.

    The check and the write are one UPDATE statement, so two saves racing each other cannot
    both pass. ``expected_version=None`` skips the check (used by imports and the demo).

    Raises:
        EditConflict: the record was changed (or deleted) by someone else; carries the
            values now stored.
    """
    names = list(fields)
    model = type(instance)
    values: dict[str, Any] = {}
    for name in names:
        attname = getattr(model._meta.get_field(name), "attname", name)
        values[attname] = getattr(instance, attname)
    values["updated_at"] = timezone.now()
    queryset = model._default_manager.filter(pk=instance.pk)
    if expected_version is not None:
        queryset = queryset.filter(version=expected_version)
    updated = queryset.update(version=F("version") + 1, **values)
    if updated == 0:
        current = model._default_manager.filter(pk=instance.pk).first()
        if current is None:
            raise EditConflict(
                _("This record was deleted by someone else while you were editing it."),
                current={},
                current_version=0,
            )
        raise EditConflict(
            _(
                "Someone else saved this record after you opened it. Your text is kept below: "
                "compare it with the saved version, merge, and save again."
            ),
            current=snapshot(current, names),
            current_version=current.version,
        )
    instance.refresh_from_db(fields=["version", "updated_at"])
    return instance
