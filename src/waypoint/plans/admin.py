from __future__ import annotations

from django.contrib import admin

from waypoint.core.admin import AuditedAdmin
from waypoint.plans.models import (
    AnalysisItem,
    BudgetLine,
    FundingSource,
    Plan,
    PlanElement,
    PlanFunction,
    PlanTier,
    Risk,
)


class TierInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PlanTier
    extra = 0


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ("title", "start_year", "end_year", "status", "administration")
    list_filter = ("status",)
    inlines = [TierInline]


@admin.register(PlanElement)
class PlanElementAdmin(AuditedAdmin):
    list_display = ("code", "title", "kind", "plan", "responsible_unit", "status")
    list_filter = ("plan", "kind", "status")
    search_fields = ("code", "title")
    readonly_fields = ("code", "number", "kind", "plan", "parent")


@admin.register(FundingSource)
class FundingSourceAdmin(AuditedAdmin):
    list_display = ("name", "kind", "administration")


for model in (Risk, BudgetLine, AnalysisItem, PlanFunction):
    admin.site.register(model, AuditedAdmin)
