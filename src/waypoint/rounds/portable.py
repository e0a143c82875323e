"""Rounds' part of the portable plan file: where consolidated elements came from.

The round's working records (submissions, proposals, reviews, comments) stay in the
installation that ran it; the plan carries the attribution of each element it consolidated
(``ElementAttribution``), so "proposed by Astara and Bilasuvar border posts, merged by the
Southern Directorate" travels with the plan. An attribution that names no unit (its units are
not known here, only the round's words) travels too, and imports as it was exported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _

from waypoint.org.models import OrgUnit
from waypoint.plans.models import FundingSource, Plan, PlanElement
from waypoint.plans.planfile import FileSection, register_section
from waypoint.plans.planfile.sections import unlisted_unit
from waypoint.rounds.models import ElementAttribution


def _attributions(plan: Plan) -> list[ElementAttribution]:
    found = ElementAttribution.objects.filter(element__plan=plan).select_related("element")
    return sorted(found.prefetch_related("proposed_by", "merged_by"), key=lambda a: a.element.code)


def _export(plan: Plan) -> list[dict[str, Any]]:
    return [
        {
            "element": a.element.code,
            "proposed_by": sorted(u.code for u in a.proposed_by.all()),
            "merged_by": sorted(u.code for u in a.merged_by.all()),
            "source": a.source,
        }
        for a in _attributions(plan)
    ]


def _unit_codes(plan: Plan) -> Iterable[str]:
    codes: set[str] = set()
    for a in _attributions(plan):
        codes |= {u.code for u in a.proposed_by.all()} | {u.code for u in a.merged_by.all()}
    return codes


def _check(doc: Any, add: Callable[[str, str], None]) -> None:
    elements = {e.code for e in doc.elements}
    units = {u.code for u in doc.units}
    seen: set[str] = set()
    for i, entry in enumerate(doc.attributions):
        if entry.element not in elements:
            add(f"$.attributions[{i}].element", _("%(code)s is not an element of this plan.") % {"code": entry.element})
        elif entry.element in seen:
            add(f"$.attributions[{i}].element", _("%(code)s is attributed twice.") % {"code": entry.element})
        seen.add(entry.element)
        if not entry.proposed_by and (entry.merged_by or not entry.source.strip()):
            # a merge joins proposals of named units; with no unit and no words it says nothing
            add(
                f"$.attributions[{i}].proposed_by",
                _("List at least 1 item: the units that proposed it (or give only the round's words).")
                if not entry.merged_by
                else _("List at least 1 item: the units whose proposals were merged into it."),
            )
        for field in ("proposed_by", "merged_by"):
            for j, code in enumerate(getattr(entry, field)):
                if code not in units:
                    add(f"$.attributions[{i}].{field}[{j}]", unlisted_unit(code))


def _write(plan: Plan, doc: Any, elements: dict[str, PlanElement], sources: dict[str, FundingSource]) -> None:
    codes = {code for entry in doc.attributions for code in [*entry.proposed_by, *entry.merged_by]}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    for entry in doc.attributions:
        attribution = ElementAttribution.objects.create(element=elements[entry.element], source=entry.source)
        attribution.proposed_by.set([units[code] for code in entry.proposed_by])
        attribution.merged_by.set([units[code] for code in entry.merged_by])


def register() -> None:
    register_section(FileSection("attributions", _export, _check, _write, unit_codes=_unit_codes))
