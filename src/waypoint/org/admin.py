from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from waypoint.core.admin import AuditedAdmin
from waypoint.org import services
from waypoint.org.models import ApiToken, OrgUnit, RoleAssignment, User


class RoleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ("unit",)


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):  # type: ignore[type-arg]
    inlines = [RoleInline]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Waypoint", {"fields": ("job_title",)}))  # type: ignore[misc]
    list_display = ("username", "first_name", "last_name", "job_title", "is_active", "is_superuser")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """A deactivated account loses its API tokens here too, as on the People page."""
        super().save_model(request, obj, form, change)
        if not obj.is_active:
            services.api_tokens_revoke_all(actor=cast(User, request.user), user=obj)


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    ordering = ("path",)
    autocomplete_fields = ("parent",)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("user", "role", "unit", "granted_at")
    list_filter = ("role",)
    autocomplete_fields = ("user", "unit")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "key_hash", "created_at", "expires_at", "last_used_at", "revoked_at")

    def has_add_permission(self, request: object) -> bool:
        return False
