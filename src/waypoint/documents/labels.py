"""What a workbook or a document calls the plan file's fields and parts, in the reader's language.

The workbook keeps the file's own keys (``code``, ``responsible_unit``) in a hidden first row,
so that a workbook exported in one language imports in any other; people read these labels.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SHEET_TITLES: dict[str, Promise] = {
    "plan": _("Plan"),
    "units": _("Units"),
    "tiers": _("Tiers"),
    "funding_sources": _("Funding sources"),
    "elements": _("Elements"),
    "elements.risks": _("Risks"),
    "elements.budget": _("Budget"),
    "analysis": _("SWOT and PESTLE"),
    "functions": _("Functions"),
    "indicators": _("Indicators"),
    "indicators.targets": _("Targets"),
    "indicators.targets.history": _("Target history"),
    "indicators.actuals": _("Actuals"),
    "teams": _("Teams"),
    "teams.changes": _("Team capacity changes"),
    "schedule": _("Schedule"),
    "schedule.demands": _("Team demands"),
    "dependencies": _("Dependencies"),
    "budget_caps": _("Budget caps"),
    "recommendations": _("Recommendations"),
    "attributions": _("Attributions"),
    "quality_rules": _("Quality rules"),
}

FIELD_LABELS: dict[str, Promise] = {
    "actual_finish": _("Actual finish"),
    "actual_start": _("Actual start"),
    "addressed_by": _("Addressed by"),
    "administration": _("Administration"),
    "after": _("After"),
    "aggregation": _("Aggregation"),
    "amount": _("Amount"),
    "area": _("Area"),
    "assessment": _("Assessment"),
    "assumptions": _("Assumptions"),
    "at": _("Revised at"),
    "baseline.value": _("Baseline"),
    "baseline.date": _("Baseline date"),
    "baseline.source": _("Baseline source"),
    "before": _("Before"),
    "by": _("Revised by"),
    "capacity": _("Capacity"),
    "category": _("Category"),
    "code": _("Code"),
    "completeness_threshold": _("Completeness threshold (%)"),
    "computed": _("Computed"),
    "cumulative": _("Cumulative"),
    "currency": _("Currency"),
    "data_source": _("Data source"),
    "date": _("Date"),
    "decimals": _("Decimals"),
    "definition": _("Definition"),
    "description": _("Description"),
    "direction": _("Direction"),
    "disaggregation": _("Disaggregation"),
    "duration_months": _("Duration (months)"),
    "element": _("Element"),
    "enabled": _("Enabled"),
    "end_year": _("End year"),
    "ends_on": _("Ends (YYYY-MM)"),
    "evidence": _("Evidence"),
    "finding": _("Finding"),
    "finish_by": _("Finish by"),
    "format": _("Format"),
    "format_version": _("Format version"),
    "formula": _("Formula"),
    "framework": _("Framework"),
    "frequency": _("Frequency"),
    "impact": _("Impact (1–5)"),
    "indicator": _("Indicator"),
    "is_key": _("Key indicator"),
    "key": _("Key"),
    "kind": _("Kind"),
    "lag_months": _("Lag (months)"),
    "last_child_number": _("Last child number"),
    "last_goal_number": _("Last goal number"),
    "lead": _("Lead"),
    "likelihood": _("Likelihood (1–5)"),
    "means_of_verification": _("Means of verification"),
    "mission": _("Mission"),
    "mitigation": _("Mitigation"),
    "month": _("Month"),
    "name": _("Name"),
    "new_upper_value": _("New upper value"),
    "new_value": _("New value"),
    "not_before": _("Not before"),
    "note": _("Note"),
    "number": _("Number"),
    "merged_by": _("Merged by"),
    "objectives": _("Objectives"),
    "old_upper_value": _("Old upper value"),
    "old_value": _("Old value"),
    "owner": _("Owner"),
    "owner_unit": _("Owner unit"),
    "parent": _("Parent"),
    "people": _("People"),
    "period": _("Period"),
    "pinned": _("Pinned"),
    "position": _("Position"),
    "priority": _("Priority"),
    "proposed_by": _("Proposed by"),
    "provenance": _("Provenance"),
    "reason": _("Reason"),
    "recorded_by": _("Recorded by"),
    "responsible_unit": _("Responsible unit"),
    "rule": _("Rule"),
    "severity": _("Severity"),
    "source": _("Funding source"),
    "start_year": _("Start year"),
    "starts_on": _("Starts (YYYY-MM)"),
    "status": _("Status"),
    "summary": _("Summary"),
    "team": _("Team"),
    "text": _("Text"),
    "tier": _("Tier"),
    "tier_template": _("Tier template"),
    "title": _("Title"),
    "tolerance.value": _("Tolerance"),
    "tolerance.kind": _("Tolerance kind"),
    "unit": _("Unit"),
    "unit_of_measure": _("Unit of measure"),
    "upper_value": _("Upper value"),
    "value": _("Value"),
    "values": _("Values"),
    "vision": _("Vision"),
    "weight": _("Weight (1–5)"),
    "year": _("Year"),
}


#: a field a part names differently from the rest of the file, by ``part:field``
PART_FIELD_LABELS: dict[str, Promise] = {
    # a planning round's attribution names the round and its proposals, not a funding source
    "attributions:source": _("Round and proposals"),
}


def field_label(key: str, part: str | None = None) -> str:
    """What people call the field ``key`` of the file's part ``part`` (``elements.budget``)."""
    label = PART_FIELD_LABELS.get(f"{part}:{key}") if part is not None else None
    if label is None:
        label = FIELD_LABELS.get(key)
    return str(label) if label is not None else key


def sheet_title(key: str) -> str:
    return str(SHEET_TITLES.get(key, key))[:31]  # Excel's limit on a sheet's name
