"""Django admin for administrators. Saves and deletions here are audited like any other."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.http import HttpRequest

from waypoint.core.audit import Action, audit_record, audited_delete, diff
from waypoint.core.models import AuditEvent


def _values(obj: models.Model) -> dict[str, Any]:
    return {f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in ("password",)}


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin whose writes leave a Waypoint audit record in the same transaction."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = _values(type(obj)._default_manager.get(pk=obj.pk)) if change and obj.pk else {}
            super().save_model(request, obj, form, change)
            audit_record(
                actor=cast(AbstractBaseUser, request.user),
                action=Action.UPDATE if change else Action.CREATE,
                instance=obj,
                changes={"via": "admin", **diff(before, _values(obj))},
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        # what ModelAdmin.delete_model does (obj.delete()), with the record every delete leaves
        audited_delete(actor=cast(AbstractBaseUser, request.user), instance=obj, changes={"via": "admin"})

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("at", "actor_name", "action", "entity", "label")
    list_filter = ("action", "entity")
    search_fields = ("actor_name", "label")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
