"""What the people app adds to the plan's pages (``plans.extensions``): on an initiative's page,
its part of the training plan (the courses it carries, and the places and money the adopted
allocation of each year gives them); on the activity profile, the workforce each function
needs by year, beside a link to the needs against today's workforce.

Figures about officers go through the small-group rule like every other aggregate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string

from waypoint.people import selectors
from waypoint.people.models import Course, WorkforceNeed
from waypoint.plans.models import ElementKind, Plan, PlanElement


def initiative_panel(user: Any, element: PlanElement) -> Sequence[str]:
    if element.kind != ElementKind.INITIATIVE:
        return []
    courses = list(Course.objects.filter(initiative=element).order_by("code"))
    if not courses:
        return []
    # each adopted year's places and money on these courses (through the small-group rule)
    years = []
    for run in selectors.adopted_runs(element.plan):
        line = next(
            (
                ln
                for ln in selectors.run_summary(user, run)
                if ln.initiative is not None and ln.initiative.pk == element.pk
            ),
            None,
        )
        by_course = {c.course.pk: c for c in line.courses} if line is not None else {}
        years.append((run, line, [by_course.get(c.pk) for c in courses]))
    rows = [(course, [places[index] for _run, _line, places in years]) for index, course in enumerate(courses)]
    return [
        render_to_string(
            "people/_initiative_training.html",
            {"element": element, "rows": rows, "years": years, "user": user},
        )
    ]


def functions_panel(user: Any, plan: Plan, page: str) -> Sequence[str]:
    # the reader opened the plan's page, so may read its workforce needs (plan data, no officer)
    if page != "functions":
        return []
    # a need at a unit includes what the units below it need for the same role profile, so
    # nested needs are counted once (``selectors.rolled_up``), not summed
    needs: dict[tuple[str, int], list[tuple[str, int, int]]] = defaultdict(list)
    for name, year, path, profile, headcount in WorkforceNeed.objects.filter(function__plan=plan).values_list(
        "function__name", "year", "unit__path", "role_profile_id", "headcount"
    ):
        needs[(name, year)].append((path, profile, headcount))
    table: dict[str, dict[int, int]] = defaultdict(dict)
    for (name, year), found in sorted(needs.items()):
        table[name][year] = selectors.rolled_up(found)
    return [
        render_to_string(
            "people/_functions_workforce.html",
            {"plan": plan, "years": plan.years, "rows": sorted(table.items()), "user": user},
        )
    ]
