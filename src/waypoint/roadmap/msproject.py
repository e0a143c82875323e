"""MS Project XML: a scenario written out with the plan's outline, and a roadmap edited in
MS Project or ProjectLibre read back into the plan."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.core.audit import Action, audit_record
from waypoint.core.errors import Problem
from waypoint.engine import scheduling as engine
from waypoint.engine.periods import months_from
from waypoint.engine.scheduling.jsonformat import problem_document
from waypoint.engine.scheduling.mspdi import Summary, export_mspdi, import_mspdi
from waypoint.org.models import User
from waypoint.plans.models import DATED_KINDS, ElementKind, Plan, PlanElement
from waypoint.roadmap import permissions, selectors, services
from waypoint.roadmap.adapters import roadmap_start
from waypoint.roadmap.errors import RoadmapRuleBroken
from waypoint.roadmap.models import Dependency, Scenario, ScenarioStatus, ScheduleItem
from waypoint.roadmap.worker import write_schedule_items

__all__ = ["scenario_import_mspdi", "scenario_mspdi"]


def scenario_mspdi(scenario: Scenario) -> bytes | None:
    """The scenario as MS Project XML, or None when it has no schedule.

    Goals, objectives and initiatives with activities are summary tasks over the scheduled
    work, in the plan's order (outline levels 1 to 3); an activity, or an initiative scheduled
    as one block, is a task under its parent. The WBS field holds the element's code.
    """
    schedule = selectors.scenario_schedule(scenario)
    if schedule is None:
        return None
    outline = plan_outline(scenario.plan, set(schedule.problem.by_id))
    return export_mspdi(schedule, title=f"{scenario.plan.title} — {scenario.name}", outline=outline)


def plan_outline(plan: Plan, scheduled: set[str]) -> list[Summary | str]:
    """The plan's tree as an outline over the ``scheduled`` activity ids (with the done part
    of re-planned work just before the rest of it)."""
    children: dict[int | None, list[PlanElement]] = {}
    for element in PlanElement.objects.filter(plan=plan).order_by("position", "number"):
        children.setdefault(element.parent_id, []).append(element)

    def nodes(element: PlanElement) -> list[Summary | str]:
        own: list[Summary | str] = [i for i in (element.code + engine.DONE_SUFFIX, element.code) if i in scheduled]
        if element.kind == ElementKind.ACTIVITY or own:
            return own
        under = [node for child in children.get(element.pk, []) for node in nodes(child)]
        return [Summary(element.code, element.title, tuple(under))]

    return [node for root in children.get(None, []) for node in nodes(root)]


def scenario_import_mspdi(*, actor: User | None, plan: Plan, data: bytes, name: str) -> Scenario:
    """Read a roadmap edited in MS Project or ProjectLibre back into the plan.

    Tasks are matched to the plan's elements by their WBS code (as exported). Durations that
    changed are saved on the elements and links not yet known are added (through the roadmap
    services, in the actor's name); the dates become a new scenario. Nothing is changed when
    any task cannot be matched.

    Raises:
        NotAllowed: the actor may not plan this roadmap.
        RoadmapRuleBroken: the file cannot be read, names tasks that are not this plan's
            initiatives or activities, or would make the roadmap unschedulable.
    """
    permissions.require(actor, permissions.can_plan_roadmap(actor, plan))
    # the file is read before the write transaction opens: a large file must not hold the
    # database's write lock
    try:
        imported, starts = import_mspdi(data)
    except engine.ProblemError as error:
        raise RoadmapRuleBroken(error.messages[0], problems=[Problem("file", m) for m in error.messages]) from error
    return _store_import(actor=actor, plan=plan, imported=imported, starts=starts, name=name)


@transaction.atomic
def _store_import(
    *, actor: User | None, plan: Plan, imported: engine.Problem, starts: dict[str, int], name: str
) -> Scenario:
    elements = {e.code: e for e in PlanElement.objects.filter(plan=plan, kind__in=DATED_KINDS)}
    # a re-planned scenario carries the done part of work under way as "<code>~done": that
    # is history, and the remaining part's length is not the work's planned duration
    history = {a.id.removesuffix(engine.DONE_SUFFIX) for a in imported.activities if a.id.endswith(engine.DONE_SUFFIX)}
    unknown = [a.id for a in imported.activities if a.id not in elements and not a.id.endswith(engine.DONE_SUFFIX)]
    if unknown:
        raise RoadmapRuleBroken.at(
            "file",
            _("These tasks are not initiatives or activities of this plan: %(codes)s. Keep the WBS codes as exported.")
            % {"codes": ", ".join(unknown[:20])},
        )
    durations_changed = 0
    for activity in imported.activities:
        if activity.id.endswith(engine.DONE_SUFFIX) or activity.id in history:
            continue
        element = elements[activity.id]
        item = ScheduleItem.objects.filter(element=element).first()
        if activity.duration >= 1 and (item is None or item.duration_months != activity.duration):
            services.item_save(actor=actor, element=element, values={"duration_months": activity.duration})
            durations_changed += 1
    added = 0
    for link in imported.links:
        before, after = elements[link.before], elements[link.after]
        if not Dependency.objects.filter(before=before, after=after).exists():
            services.dependency_add(actor=actor, before=before, after=after, kind=link.kind.value, lag_months=link.lag)
            added += 1
    built = services.checked_problem(plan)
    problem = built.problem
    offset = months_from(roadmap_start(plan), imported.start) if imported.start else 0
    placed = {code: offset + start for code, start in starts.items() if code in problem.by_id}
    for activity in problem.activities:
        placed.setdefault(activity.id, activity.release)
    schedule = engine.Schedule(problem, placed)
    scenario = Scenario.objects.create(
        plan=plan,
        name=name.strip() or _("Imported from MS Project"),
        status=ScenarioStatus.DONE,
        time_limit_s=1,
        created_by=actor,
        started_at=timezone.now(),
        finished_at=timezone.now(),
        result_status="imported",
        problem=problem_document(problem),
        starts=placed,
        makespan_months=schedule.makespan,
        conflicts=schedule.violations()[:50],
    )
    write_schedule_items(scenario, schedule)
    audit_record(
        actor=actor,
        action=Action.IMPORT,
        instance=scenario,
        changes={"durations changed": [0, durations_changed], "links added": [0, added]},
        plan_id=plan.pk,
    )
    return scenario
