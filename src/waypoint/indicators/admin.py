from __future__ import annotations

from django.contrib import admin

from waypoint.core.admin import AuditedAdmin
from waypoint.indicators.models import Actual, Indicator, Target


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ("code", "name", "plan", "element", "owner_unit", "direction", "frequency")
    list_filter = ("plan", "direction", "frequency", "is_key")
    search_fields = ("code", "name")


@admin.register(Actual)
class ActualAdmin(AuditedAdmin):
    list_display = ("indicator", "period", "unit", "value", "recorded_by_name", "is_computed")
    list_filter = ("is_computed",)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Targets change through the indicator page so each change keeps its reason."""

    list_display = ("indicator", "period", "value", "upper_value")

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False
