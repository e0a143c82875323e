"""Every write service is one transaction and leaves an audit record.

The service modules are found, not listed: every app's ``services.py`` and every other module
that writes the audit trail (``audit_record`` or ``audited_delete``). Each public function
there is in one of two tables below: ``WRITES`` (with a representative call and the events it
must leave) or ``NOT_SERVICES`` (reads, rights, helpers; with the reason). A new public
function in a service module fails the first test until it is in one of them; a write must be
wrapped in ``transaction.atomic`` unless ``NOT_ATOMIC`` explains why it is not.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import inspect
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.transaction import Atomic

import waypoint
from tests.rounds import helpers as round_helpers
from tests.world import PASSWORD, World
from waypoint.core.audit import Action
from waypoint.core.models import AuditEvent
from waypoint.diagnostics import services as diagnostics
from waypoint.diagnostics.models import Assessment
from waypoint.documents import rendering
from waypoint.documents import services as documents
from waypoint.documents.merge import merge_write
from waypoint.documents.workbook import plan_workbook
from waypoint.indicators import services as indicators
from waypoint.monitoring import services as monitoring
from waypoint.org import services as org
from waypoint.org.models import ApiToken, RoleAssignment
from waypoint.people import importing as people_importing
from waypoint.people import measures as people_measures
from waypoint.people import services as people
from waypoint.people import worker as people_worker
from waypoint.plans import quality
from waypoint.plans import services as plans
from waypoint.plans.planfile import plan_export, plan_import, plan_import_report
from waypoint.roadmap import msproject, worker
from waypoint.roadmap import services as roadmap
from waypoint.roadmap.models import Scenario, Team
from waypoint.rounds import services as rounds
from waypoint.trs import services as trs
from waypoint.trs.models import Dataset
from waypoint.workshops import services as workshops

SOURCE = Path(waypoint.__file__).parent
#: the writers of the audit trail themselves, not services
NOT_SERVICE_MODULES = {"waypoint.core.audit"}


def service_modules() -> list[ModuleType]:
    """Every app's ``services.py`` and every module (outside the engines and migrations) that
    writes the audit trail."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE.parent).with_suffix("")
        if "engine" in relative.parts or "migrations" in relative.parts:
            continue
        name = ".".join(relative.parts)
        text = path.read_text(encoding="utf-8")
        if name in NOT_SERVICE_MODULES:
            continue
        if path.name == "services.py" or "audit_record(" in text or "audited_delete(" in text:
            found.append(importlib.import_module(name))
    return found


def public_functions() -> dict[str, Callable[..., Any]]:
    """``module.function`` → function, for the public functions each service module defines."""
    return {
        f"{module.__name__}.{name}": value
        for module in service_modules()
        for name, value in vars(module).items()
        if inspect.isfunction(value) and value.__module__ == module.__name__ and not name.startswith("_")
    }


def is_atomic(function: Callable[..., Any]) -> bool:
    """Wrapped by ``@transaction.atomic``: Django's decorator keeps its ``Atomic`` in the
    wrapper's closure."""
    return any(isinstance(cell.cell_contents, Atomic) for cell in function.__closure__ or ())


#: public functions of service modules that are not write services of their own, and why
NOT_SERVICES: dict[str, str] = {
    "waypoint.core.work.beat": "records that a worker is alive (WorkerBeat), no record of people's data",
    "waypoint.core.work.close_connection": "closes the thread's database connection",
    "waypoint.core.work.enqueue": "queues a task for work whose row the caller's service wrote and audited",
    "waypoint.core.work.stoppable": "builds an app's give_up and can_retry (the give_up writes its audit row)",
    "waypoint.core.work.heartbeat": "the worker's heartbeat thread (a context manager)",
    "waypoint.core.work.heartbeat_seconds": "a setting read",
    "waypoint.core.work.hold": "takes the lease of a piece of work for this worker: bookkeeping on the work's row, which its service audits",
    "waypoint.core.work.kind": "a registry read",
    "waypoint.core.work.kinds": "a registry read",
    "waypoint.core.work.lease_seconds": "a setting read",
    "waypoint.core.work.lost_reason": "formats a reason for people to read",
    "waypoint.core.work.max_attempts": "a setting read",
    "waypoint.core.work.new_worker_id": "makes an id",
    "waypoint.core.work.register": "fills the registry at start-up",
    "waypoint.core.work.register_chore": "fills the registry at start-up",
    "waypoint.core.work.renew_held": "renews this worker's leases: bookkeeping",
    "waypoint.core.work.retry_locked": "runs the caller's transaction again while the database is locked",
    "waypoint.core.work.run_chores": "runs the apps' registered chores, each audits what it writes",
    "waypoint.core.work.set_worker_id": "remembers this process's worker id",
    "waypoint.core.work.stale_seconds": "a setting read",
    "waypoint.core.work.sweep": "the sweeper, acting as the system: each piece of work that lost its worker is queued again or failed in its own transaction with its audit event (tests/core/test_work.py)",
    "waypoint.core.work.sweep_seconds": "a setting read",
    "waypoint.core.work.this_worker": "a read",
    "waypoint.core.work.uses_worker": "a setting read",
    "waypoint.core.work.worker_absence": "a read",
    "waypoint.trs.tasks.register": "registers the dataset work kind at start-up",
    "waypoint.trs.services.discard_study": "removes a half-written study file, no database write",
    "waypoint.trs.services.limits": "a setting read",
    "waypoint.trs.services.max_upload_bytes": "a setting read",
    "waypoint.trs.services.public_error": "formats an error for people to read",
    "waypoint.org.services.can_manage_person": "a rights question",
    "waypoint.org.services.can_set_active": "a rights question",
    "waypoint.org.services.person_for": "a read: a person the actor manages",
    "waypoint.org.services.token_lifetime": "a setting read",
    "waypoint.org.services.api_token_user": (
        "signing in by token: it notes when the token was last used, which is not a change anybody "
        "made (an event for every API request would bury the trail)"
    ),
    "waypoint.plans.services.plan_budget_lines": "a read",
    "waypoint.plans.services.default_tier": "a read",
    "waypoint.plans.services.element_descendants": "a read",
    "waypoint.plans.quality.plan_quality": "a read: the plan's quality report",
    "waypoint.plans.quality.element_of": "pure: findings by element",
    "waypoint.plans.quality.element_checks": "a read",
    "waypoint.plans.quality.quality_page": "a read",
    "waypoint.plans.quality.rule_catalogue": "a read",
    "waypoint.plans.quality.checked": (
        "a read: it keeps the findings it worked out (PlanFindings), derived from audited "
        "changes and keyed by their count, not a change anybody made"
    ),
    "waypoint.plans.quality.compute": "a read: the findings worked out now",
    "waypoint.plans.quality.counts": "a read",
    "waypoint.plans.quality.forget_read": "drops what the process kept in memory (tests), no record",
    "waypoint.roadmap.services.checked_problem": "a read: the roadmap as a scheduling problem",
    "waypoint.roadmap.worker.write_schedule_items": (
        "part of run_scenario's and scenario_import_mspdi's transactions, whose events record it"
    ),
    "waypoint.roadmap.msproject.scenario_mspdi": "a read: the MS Project export",
    "waypoint.roadmap.msproject.plan_outline": "a read",
    "waypoint.trs.services.can_manage_datasets": "a rights question",
    "waypoint.monitoring.services.outlier_check": "a read: the unit's usual range",
    "waypoint.monitoring.services.submission_problems": "a read: what stops a report from being submitted",
    "waypoint.monitoring.services.approval_problems": "a read: what stops a report from being approved",
    "waypoint.monitoring.services.reporters_of": "a read: who reports for a unit",
    "waypoint.monitoring.services.report_url": "a read: the report page's address",
    "waypoint.plans.planfile.importing.plan_import_preview": "a read: what an import would write, nothing written",
    "waypoint.documents.services.workbook_preview": "a read: what importing a workbook would write",
    "waypoint.documents.services.workbook_into_preview": "a read: what importing a workbook into a plan changes",
    "waypoint.documents.merge.merge_preview": "a read: the changes a plan file makes to a plan",
    "waypoint.documents.services.logframe_preview": "a read: the plan a logframe makes through a mapping",
    "waypoint.documents.services.actuals_template": "a read: the actuals entry template's bytes",
    "waypoint.documents.rendering.build": "a read: the document's bytes",
    "waypoint.documents.tasks.register": "registers the kind of background work at start-up",
    "waypoint.people.importing.limits": "a setting read",
    "waypoint.people.measures.describe": "words for a binding",
    "waypoint.people.measures.value_for": "a read: one period's figure",
    "waypoint.people.services.officer_problems": "the rule check the pages, the API and the imports share",
    "waypoint.workshops.services.new_join_code": "a read: a code no workshop uses",
    "waypoint.workshops.services.priority_for_rank": "pure: a rank's priority",
}

#: writes that are not one transaction as a whole, and why
NOT_ATOMIC: dict[str, str] = {
    "waypoint.diagnostics.services.framework_import": (
        "the file is parsed before the write transaction opens; the framework and its event are one transaction"
    ),
    "waypoint.indicators.services.actual_record": (
        "the evidence file is copied before the write transaction opens (and removed if the write is refused); "
        "the value and its event are one transaction"
    ),
    "waypoint.roadmap.msproject.scenario_import_mspdi": (
        "the MS Project file is read before the write transaction opens; the scenario, its items and events "
        "are one transaction"
    ),
    "waypoint.plans.planfile.importing.plan_import_report": (
        "the file is read and checked before the write transaction opens; its writes and the audit event "
        "are one transaction (_write)"
    ),
    "waypoint.plans.planfile.importing.plan_import": (
        "returns the plan of plan_import_report, which is the one transaction and writes the audit"
    ),
    "waypoint.documents.services.workbook_import": (
        "the plan file's import (plan_import_report): read and checked first, then one transaction and its event"
    ),
    "waypoint.documents.services.workbook_confirm": (
        "the import is plan_import_report's transaction and event; the staged upload is dropped after it"
    ),
    "waypoint.documents.services.workbook_into_import": (
        "the workbook is read and checked before the write transaction opens; its changes and the event are "
        "one transaction (merge.merge_write)"
    ),
    "waypoint.documents.services.workbook_into_confirm": (
        "the import is merge_write's transaction and event; the staged upload is dropped after it"
    ),
    "waypoint.documents.services.workbook_into_cli": "workbook_into_import for the command line (or only its preview)",
    "waypoint.documents.services.logframe_import": (
        "the plan file's import (plan_import_report): read and checked first, then one transaction and its event"
    ),
    "waypoint.documents.services.logframe_confirm": (
        "the import is plan_import_report's transaction and event; the staged upload is dropped after it"
    ),
    "waypoint.documents.services.render_request": (
        "the request is one transaction (_render_insert); the worker is queued only once it is committed"
    ),
    "waypoint.documents.services.period_approved": "queues two render_request, each its own transaction",
    "waypoint.documents.services.actuals_import": (
        "the workbook is read before the write transaction opens; every row is recorded in one transaction "
        "(_actuals_write), an event each"
    ),
    "waypoint.documents.rendering.run_render": (
        "the worker: progress is written as the document is built; the file and its event are one transaction (_store)"
    ),
    "waypoint.roadmap.services.scenario_create": (
        "the scenario is stored in one transaction (_scenario_insert); the worker is queued only once it "
        "is committed, so that it finds the scenario"
    ),
    "waypoint.roadmap.worker.run_scenario": (
        "the worker: the solver runs for minutes while progress is written as it goes; the result and "
        "its event are one transaction (_store_result)"
    ),
    "waypoint.trs.services.dataset_upload": "the file and its row are one transaction; reading it is queued after",
    "waypoint.trs.services.dataset_register": "the row is one transaction; reading the file is queued after",
    "waypoint.trs.services.ingest": (
        "the background reading of a dataset (minutes for millions of declarations): the status is "
        "written as it goes, the result and then its event once the data is read"
    ),
    "waypoint.trs.services.binding_save": "the binding is one transaction; computing its values is another",
    "waypoint.trs.services.binding_recompute": (
        "reads the study (DuckDB) outside the database transaction; the values and their event are one"
    ),
    "waypoint.people.services.allocation_create": (
        "the run is stored in one transaction (_run_insert); the worker is queued only once it is committed"
    ),
    "waypoint.people.worker.run_allocation": (
        "the worker: the optimiser runs for minutes while progress is written as it goes; the result and its "
        "event are one transaction (_store_result)"
    ),
    "waypoint.people.measures.binding_save": "the binding is one transaction; computing its values is another",
    "waypoint.people.importing.officers_import": (
        "the file is read and checked before the write transaction opens; its writes and the audit event "
        "are one transaction (_write_officers)"
    ),
    "waypoint.people.importing.assessments_import": (
        "the file is read and checked before the write transaction opens; its writes and the audit event "
        "are one transaction (_write_assessments)"
    ),
    "waypoint.people.importing.training_import": (
        "the file is read and checked before the write transaction opens; its writes and the audit event "
        "are one transaction (_write_training)"
    ),
}


# --- the representative calls ---------------------------------------------------------------------------

Expected = tuple[str, Action]


#: the service call itself, once what it needs is set up
Run = Callable[[], object]
Prepare = Callable[[World], Run]


@dataclass(frozen=True)
class Write:
    prepare: Prepare
    events: tuple[Expected, ...]


WRITES: dict[str, Write] = {}


def write(name: str, *events: Expected) -> Callable[[Prepare], Prepare]:
    """Register the representative call of service ``name`` (``module.function``) and the events
    (entity, action) it must leave. The decorated function sets up what the call needs and
    returns the call."""

    def register(prepare: Prepare) -> Prepare:
        assert name not in WRITES, name
        WRITES[name] = Write(prepare, events)
        return prepare

    return register


# -- plans


@write("waypoint.plans.services.plan_create", ("plans.Plan", Action.CREATE))
def _plan_create(w: World) -> Run:
    return lambda: plans.plan_create(
        actor=w.users["planner"], administration=w.unit("ADM"), title="Plan 2017–2021", start_year=2017, end_year=2021
    )


@write("waypoint.plans.services.plan_update", ("plans.Plan", Action.UPDATE))
def _plan_update(w: World) -> Run:
    return lambda: plans.plan_update(
        actor=w.users["planner"], plan=w.plan, expected_version=None, changes={"vision": "Swift"}
    )


@write("waypoint.plans.services.plan_set_status", ("plans.Plan", Action.STATUS))
def _plan_set_status(w: World) -> Run:
    return lambda: plans.plan_set_status(actor=w.users["planner"], plan=w.plan, status="under_review")


@write("waypoint.plans.services.amendment_open", ("plans.Amendment", Action.CREATE), ("plans.Plan", Action.STATUS))
def _amendment_open(w: World) -> Run:
    plans.plan_set_status(actor=None, plan=w.plan, status="under_review")
    plans.plan_set_status(actor=None, plan=w.plan, status="approved")
    return lambda: plans.amendment_open(actor=w.users["planner"], plan=w.plan, reason="Re-based targets")


@write("waypoint.plans.services.element_create", ("plans.PlanElement", Action.CREATE))
def _element_create(w: World) -> Run:
    return lambda: plans.element_create(
        actor=w.users["planner"],
        plan=w.plan,
        parent=w.elements["G1"],
        title="Open data",
        responsible_unit=w.unit("RD-S"),
    )


@write("waypoint.plans.services.element_update", ("plans.PlanElement", Action.UPDATE))
def _element_update(w: World) -> Run:
    return lambda: plans.element_update(
        actor=w.users["contributor"], element=w.elements["O1.1"], expected_version=None, changes={"title": "Faster"}
    )


@write("waypoint.plans.services.element_delete", ("plans.PlanElement", Action.DELETE))
def _element_delete(w: World) -> Run:
    return lambda: plans.element_delete(actor=w.users["planner"], element=w.elements["I1.1.1"])


@write("waypoint.plans.services.element_move", ("plans.PlanElement", Action.MOVE))
def _element_move(w: World) -> Run:
    return lambda: plans.element_move(actor=w.users["planner"], element=w.elements["O1.2"], offset=-1)


def _risk(w: World) -> Any:
    return plans.risk_save(actor=None, element=w.elements["O1.1"], description="Strikes", likelihood=2, impact=4)


@write("waypoint.plans.services.risk_save", ("plans.Risk", Action.CREATE))
def _risk_save(w: World) -> Run:
    return lambda: plans.risk_save(
        actor=w.users["contributor"], element=w.elements["O1.1"], description="Floods", likelihood=2, impact=3
    )


@write("waypoint.plans.services.risk_delete", ("plans.Risk", Action.DELETE))
def _risk_delete(w: World) -> Run:
    risk = _risk(w)
    return lambda: plans.risk_delete(actor=w.users["planner"], risk=risk)


@write("waypoint.plans.services.funding_source_create", ("plans.FundingSource", Action.CREATE))
def _funding_source_create(w: World) -> Run:
    return lambda: plans.funding_source_create(
        actor=w.users["planner"], administration=w.unit("ADM"), name="EU", kind="donor"
    )


@write("waypoint.plans.services.budget_line_save", ("plans.BudgetLine", Action.CREATE))
def _budget_line_save(w: World) -> Run:
    return lambda: plans.budget_line_save(
        actor=w.users["planner"], element=w.elements["I1.1.1"], year=2013, funding_source=w.source, amount=Decimal(9)
    )


@write("waypoint.plans.services.budget_line_delete", ("plans.BudgetLine", Action.DELETE))
def _budget_line_delete(w: World) -> Run:
    line = w.elements["A1.1.1.1"].budget_lines.get()
    return lambda: plans.budget_line_delete(actor=w.users["planner"], line=line)


def _analysis_item(w: World) -> Any:
    return plans.analysis_item_save(actor=None, plan=w.plan, framework="swot", category="threat", text="Smuggling")


@write("waypoint.plans.services.analysis_item_save", ("plans.AnalysisItem", Action.CREATE))
def _analysis_item_save(w: World) -> Run:
    return lambda: plans.analysis_item_save(
        actor=w.users["planner"], plan=w.plan, framework="swot", category="strength", text="Skilled staff"
    )


@write("waypoint.plans.services.analysis_item_delete", ("plans.AnalysisItem", Action.DELETE))
def _analysis_item_delete(w: World) -> Run:
    analysis_item = _analysis_item(w)
    return lambda: plans.analysis_item_delete(actor=w.users["planner"], item=analysis_item)


def _function(w: World) -> Any:
    return plans.function_save(actor=None, plan=w.plan, name="Risk management", priority="high")


@write("waypoint.plans.services.function_save", ("plans.PlanFunction", Action.CREATE))
def _function_save(w: World) -> Run:
    return lambda: plans.function_save(
        actor=w.users["planner"], plan=w.plan, name="Post-clearance audit", priority="medium"
    )


@write("waypoint.plans.services.function_link", ("plans.PlanFunction", Action.UPDATE))
def _function_link(w: World) -> Run:
    function = _function(w)
    return lambda: plans.function_link(
        actor=w.users["planner"], function=function, objective=w.elements["O1.1"], linked=True
    )


@write("waypoint.plans.services.function_delete", ("plans.PlanFunction", Action.DELETE))
def _function_delete(w: World) -> Run:
    function = _function(w)
    return lambda: plans.function_delete(actor=w.users["planner"], function=function)


@write("waypoint.plans.quality.quality_rule_set", ("plans.QualityRuleSetting", Action.CREATE))
def _quality_rule_set(w: World) -> Run:
    return lambda: quality.quality_rule_set(
        actor=w.users["planner"], plan=w.plan, rule="Q602", enabled=False, severity="", reason="Dated later"
    )


@write("waypoint.plans.planfile.importing.plan_import", ("plans.Plan", Action.IMPORT))
def _plan_import(w: World) -> Run:
    document = plan_export(w.plan)
    document["plan"]["title"] = "Imported copy"
    return lambda: plan_import(json.dumps(document), actor=w.users["planner"])


@write("waypoint.plans.planfile.importing.plan_import_report", ("plans.Plan", Action.IMPORT))
def _plan_import_report(w: World) -> Run:
    document = plan_export(w.plan)
    document["plan"]["title"] = "Imported copy with its report"
    return lambda: plan_import_report(json.dumps(document), actor=w.users["planner"])


# -- documents


def _plan_workbook(w: World, title: str) -> bytes:
    document = plan_export(w.plan)
    document["plan"]["title"] = title
    return plan_workbook(document)


@write("waypoint.documents.services.workbook_import", ("plans.Plan", Action.IMPORT))
def _workbook_import(w: World) -> Run:
    raw = _plan_workbook(w, "Imported from a workbook")
    return lambda: documents.workbook_import(raw, actor=w.users["planner"])


@write("waypoint.documents.services.actuals_import", ("indicators.Actual", Action.CREATE))
def _actuals_import(w: World) -> Run:
    from openpyxl import load_workbook

    raw = documents.actuals_template(actor=w.users["planner"], plan=w.plan, period="2013")
    book = load_workbook(io.BytesIO(raw))
    book["Actuals"]["G3"] = 9
    out = io.BytesIO()
    book.save(out)
    return lambda: documents.actuals_import(actor=w.users["planner"], plan=w.plan, content=out.getvalue())


@write("waypoint.documents.services.workbook_stage", ("documents.StagedWorkbook", Action.CREATE))
def _workbook_stage(w: World) -> Run:
    raw = _plan_workbook(w, "Staged workbook")
    return lambda: documents.workbook_stage(actor=w.users["planner"], name="plan.xlsx", content=raw)


@write("waypoint.documents.services.workbook_confirm", ("plans.Plan", Action.IMPORT))
def _workbook_confirm(w: World) -> Run:
    staged = documents.workbook_stage(
        actor=w.users["planner"], name="plan.xlsx", content=_plan_workbook(w, "Confirmed workbook")
    )
    return lambda: documents.workbook_confirm(actor=w.users["planner"], staged=staged)


def _changed_workbook(w: World) -> bytes:
    """The world plan's own workbook with its vision changed: an import into the plan."""
    document = plan_export(w.plan)
    document["plan"]["vision"] = "A changed vision"
    return plan_workbook(document)


@write("waypoint.documents.merge.merge_write", ("plans.Plan", Action.IMPORT))
def _merge_write(w: World) -> Run:
    from waypoint.documents.merge import merge_preview

    document = plan_export(w.plan)
    document["plan"]["vision"] = "A changed vision"
    preview = merge_preview(w.plan, document, actor=w.users["planner"])
    return lambda: merge_write(
        preview, actor=w.users["planner"], expected_fingerprint=preview.fingerprint, source="json"
    )


@write("waypoint.documents.services.workbook_into_import", ("plans.Plan", Action.IMPORT))
def _workbook_into_import(w: World) -> Run:
    raw = _changed_workbook(w)
    return lambda: documents.workbook_into_import(raw, actor=w.users["planner"], plan=w.plan)


@write("waypoint.documents.services.workbook_into_cli", ("plans.Plan", Action.IMPORT))
def _workbook_into_cli(w: World) -> Run:
    raw = _changed_workbook(w)
    return lambda: documents.workbook_into_cli(raw, w.plan, w.users["planner"], False)


@write("waypoint.documents.services.workbook_into_stage", ("documents.StagedWorkbook", Action.CREATE))
def _workbook_into_stage(w: World) -> Run:
    raw = _changed_workbook(w)
    return lambda: documents.workbook_into_stage(actor=w.users["planner"], plan=w.plan, name="plan.xlsx", content=raw)


@write("waypoint.documents.services.workbook_into_confirm", ("plans.Plan", Action.IMPORT))
def _workbook_into_confirm(w: World) -> Run:
    staged = documents.workbook_into_stage(
        actor=w.users["planner"], plan=w.plan, name="plan.xlsx", content=_changed_workbook(w)
    )
    return lambda: documents.workbook_into_confirm(actor=w.users["planner"], staged=staged)


def _settings(w: World, title: str) -> Any:
    from waypoint.documents.logframes import PlanSettings

    return PlanSettings(administration=w.unit("ADM"), title=title, start_year=2012, end_year=2016)


@write("waypoint.documents.services.logframe_import", ("plans.Plan", Action.IMPORT))
def _logframe_import(w: World) -> Run:
    from tests.documents.test_logframe_mapping import own_layout, own_spec

    raw = own_layout()
    return lambda: documents.logframe_import(
        raw, actor=w.users["planner"], spec=own_spec(), settings=_settings(w, "LF")
    )


@write("waypoint.documents.services.logframe_stage", ("documents.StagedWorkbook", Action.CREATE))
def _logframe_stage(w: World) -> Run:
    from tests.documents.test_logframe_mapping import own_layout

    raw = own_layout()
    return lambda: documents.logframe_stage(actor=w.users["planner"], name="lf.xlsx", content=raw)


@write("waypoint.documents.services.logframe_confirm", ("plans.Plan", Action.IMPORT))
def _logframe_confirm(w: World) -> Run:
    from tests.documents.test_logframe_mapping import own_layout, own_spec

    staged = documents.logframe_stage(actor=w.users["planner"], name="lf.xlsx", content=own_layout())
    return lambda: documents.logframe_confirm(
        actor=w.users["planner"], staged=staged, spec=own_spec(), settings=_settings(w, "LF confirmed")
    )


@write("waypoint.documents.services.mapping_save", ("documents.LogframeMapping", Action.CREATE))
def _mapping_save(w: World) -> Run:
    from tests.documents.test_logframe_mapping import own_spec

    return lambda: documents.mapping_save(
        actor=w.users["planner"], administration=w.unit("ADM"), name="Own layout", spec=own_spec()
    )


@write("waypoint.documents.services.mapping_delete", ("documents.LogframeMapping", Action.DELETE))
def _mapping_delete(w: World) -> Run:
    from tests.documents.test_logframe_mapping import own_spec

    mapping = documents.mapping_save(actor=None, administration=w.unit("ADM"), name="Gone", spec=own_spec())
    return lambda: documents.mapping_delete(actor=w.users["planner"], mapping=mapping)


@write("waypoint.documents.services.workbook_discard", ("documents.StagedWorkbook", Action.DELETE))
def _workbook_discard(w: World) -> Run:
    staged = documents.workbook_stage(
        actor=w.users["planner"], name="plan.xlsx", content=_plan_workbook(w, "Discarded workbook")
    )
    return lambda: documents.workbook_discard(actor=w.users["planner"], staged=staged)


@write(
    "waypoint.documents.services.render_request",
    ("documents.Render", Action.CREATE),
    ("documents.Render", Action.STATUS),
)
def _render_request(w: World) -> Run:
    return lambda: documents.render_request(
        actor=w.users["viewer"], plan=w.plan, kind="plan", format="docx", sections=["results"]
    )


@write(
    "waypoint.documents.services.period_approved",
    ("documents.Render", Action.CREATE),
    ("documents.Render", Action.STATUS),
)
def _period_approved(w: World) -> Run:
    return lambda: documents.period_approved(plan=w.plan, period="2013Q4")


@write("waypoint.documents.rendering.run_render", ("documents.Render", Action.STATUS))
def _run_render(w: World) -> Run:
    from waypoint.documents.models import Render

    render = Render.objects.create(plan=w.plan, kind="plan", format="docx", sections=["results"])
    return lambda: rendering.run_render(render.pk)


@write("waypoint.documents.services.render_delete", ("documents.Render", Action.DELETE))
def _render_delete(w: World) -> Run:
    render = documents.render_request(
        actor=w.users["viewer"], plan=w.plan, kind="plan", format="docx", sections=["results"], run_now=True
    )
    return lambda: documents.render_delete(actor=w.users["planner"], render=render)


@write("waypoint.documents.services.template_upload", ("documents.DocumentTemplate", Action.CREATE))
def _template_upload(w: World) -> Run:
    from waypoint.documents.templating import default_template

    raw = default_template()
    return lambda: documents.template_upload(actor=w.users["planner"], plan=w.plan, name="t.docx", content=raw)


# -- indicators


@write("waypoint.indicators.services.indicator_create", ("indicators.Indicator", Action.CREATE))
def _indicator_create(w: World) -> Run:
    return lambda: indicators.indicator_create(
        actor=w.users["planner"],
        plan=w.plan,
        element=w.elements["O1.1"],
        name="Share of green-channel declarations",
        unit_of_measure="%",
        direction="increase",
        aggregation="mean",
        frequency="year",
        owner_unit=w.unit("RD-S"),
    )


@write("waypoint.indicators.services.indicator_update", ("indicators.Indicator", Action.UPDATE))
def _indicator_update(w: World) -> Run:
    return lambda: indicators.indicator_update(
        actor=w.users["contributor"], indicator=w.indicators["south"], expected_version=None, changes={"formula": "m"}
    )


@write("waypoint.indicators.services.indicator_delete", ("indicators.Indicator", Action.DELETE))
def _indicator_delete(w: World) -> Run:
    return lambda: indicators.indicator_delete(actor=w.users["planner"], indicator=w.indicators["west"])


@write("waypoint.indicators.services.target_set", ("indicators.Target", Action.UPDATE))
def _target_set(w: World) -> Run:
    return lambda: indicators.target_set(
        actor=w.users["planner"], indicator=w.indicators["south"], period="2013", value=Decimal(7), reason="Faster"
    )


@write("waypoint.indicators.services.targets_set", ("indicators.Target", Action.UPDATE))
def _targets_set(w: World) -> Run:
    entries = [
        indicators.TargetEntry("2013", Decimal(6), reason="Faster"),
        indicators.TargetEntry("2015", Decimal(5), reason="New"),
    ]
    return lambda: indicators.targets_set(actor=w.users["planner"], indicator=w.indicators["south"], entries=entries)


@write("waypoint.indicators.services.target_delete", ("indicators.Target", Action.DELETE))
def _target_delete(w: World) -> Run:
    return lambda: indicators.target_delete(
        actor=w.users["planner"], target=w.indicators["south"].targets.get(period="2013"), reason="Dropped"
    )


@write("waypoint.indicators.services.actual_record", ("indicators.Actual", Action.CREATE))
def _actual_record(w: World) -> Run:
    return lambda: indicators.actual_record(
        actor=w.users["contributor"], indicator=w.indicators["south"], period="2013", value=Decimal("7.5")
    )


@write("waypoint.indicators.services.actual_delete", ("indicators.Actual", Action.DELETE))
def _actual_delete(w: World) -> Run:
    return lambda: indicators.actual_delete(actor=w.users["planner"], actual=w.indicators["south"].actuals.get())


# -- org


@write("waypoint.org.services.unit_create", ("org.OrgUnit", Action.CREATE))
def _unit_create(w: World) -> Run:
    return lambda: org.unit_create(
        actor=w.users["administrator"],
        code="BP-S2",
        name="South Post Two",
        kind="road_border_post",
        parent=w.unit("RD-S"),
    )


@write("waypoint.org.services.administration_time_zone_set", ("org.OrgUnit", Action.UPDATE))
def _administration_time_zone_set(w: World) -> Run:
    return lambda: org.administration_time_zone_set(
        actor=w.users["administrator"], administration=w.unit("ADM"), time_zone="Asia/Baku"
    )


@write("waypoint.org.services.language_set", ("org.User", Action.UPDATE))
def _language_set(w: World) -> Run:
    return lambda: org.language_set(actor=w.users["viewer"], user=w.users["viewer"], language="en")


@write("waypoint.org.services.notification_settings_set", ("org.User", Action.UPDATE))
def _notification_settings_set(w: World) -> Run:
    return lambda: org.notification_settings_set(actor=w.users["viewer"], user=w.users["viewer"], email_mode="digest")


@write("waypoint.org.services.unit_update", ("org.OrgUnit", Action.UPDATE))
def _unit_update(w: World) -> Run:
    return lambda: org.unit_update(actor=w.users["administrator"], unit=w.unit("BP-S1"), name="South Post 1")


@write("waypoint.org.services.role_grant", ("org.RoleAssignment", Action.GRANT))
def _role_grant(w: World) -> Run:
    return lambda: org.role_grant(
        actor=w.users["administrator"], user=w.users["outsider"], role="viewer", unit=w.unit("ADM")
    )


@write("waypoint.org.services.role_revoke", ("org.RoleAssignment", Action.REVOKE))
def _role_revoke(w: World) -> Run:
    assignment = RoleAssignment.objects.get(user=w.users["viewer"])
    return lambda: org.role_revoke(actor=w.users["administrator"], assignment=assignment)


@write("waypoint.org.services.user_create", ("org.User", Action.CREATE))
def _user_create(w: World) -> Run:
    return lambda: org.user_create(actor=w.users["administrator"], username="newcomer", password=None)


@write("waypoint.org.services.person_add", ("org.User", Action.CREATE), ("org.RoleAssignment", Action.GRANT))
def _person_add(w: World) -> Run:
    return lambda: org.person_add(
        actor=w.users["administrator"], username="newcomer", password=PASSWORD, role="viewer", unit=w.unit("ADM")
    )


@write("waypoint.org.services.user_set_active", ("org.User", Action.STATUS))
def _user_set_active(w: World) -> Run:
    return lambda: org.user_set_active(actor=w.users["administrator"], user=w.users["viewer"], active=False)


@write("waypoint.org.services.login_unlock", ("org.User", Action.UNLOCK))
def _login_unlock(w: World) -> Run:
    return lambda: org.login_unlock(actor=w.users["administrator"], user=w.users["viewer"])


@write("waypoint.org.services.api_token_create", ("org.ApiToken", Action.CREATE))
def _api_token_create(w: World) -> Run:
    return lambda: org.api_token_create(actor=w.users["viewer"], name="report")


@write("waypoint.org.services.api_token_revoke", ("org.ApiToken", Action.REVOKE))
def _api_token_revoke(w: World) -> Run:
    token = ApiToken.objects.create(user=w.users["viewer"], name="report", prefix="wpt_x", key_hash="x")
    return lambda: org.api_token_revoke(actor=w.users["viewer"], token=token)


@write("waypoint.org.services.api_tokens_revoke_all", ("org.ApiToken", Action.REVOKE))
def _api_tokens_revoke_all(w: World) -> Run:
    ApiToken.objects.create(user=w.users["viewer"], name="report", prefix="wpt_x", key_hash="x")
    return lambda: org.api_tokens_revoke_all(actor=w.users["administrator"], user=w.users["viewer"])


# -- diagnostics

FRAMEWORK = """
format: waypoint-framework
code: tiny
version: "1"
name: Tiny framework
scale: maturity-0-4
areas:
- code: SP
  name: Systems and procedures
  topics:
  - code: SP.1
    name: Risk
    criteria:
    - code: SP.1.1
      text: Controls are selected by risk.
      descriptors: {"0": none, "1": some, "2": half, "3": most, "4": all}
"""


def _assessment(w: World) -> Assessment:
    return diagnostics.assessment_save(
        actor=None,
        administration=w.unit("ADM"),
        framework=diagnostics.framework_import(actor=None, content=FRAMEWORK, filename="tiny.yaml"),
        reference="DIAG-2011",
        title="Diagnostic",
        assessed_on=dt.date(2011, 5, 1),
        kind="expert",
        plans=[w.plan],
    )


def _recommendation(w: World) -> Any:
    return diagnostics.recommendation_save(actor=None, assessment=_assessment(w), area="SP", text="Automate")


@write("waypoint.diagnostics.services.framework_import", ("diagnostics.Framework", Action.IMPORT))
def _framework_import(w: World) -> Run:
    return lambda: diagnostics.framework_import(actor=w.users["planner"], content=FRAMEWORK, filename="tiny.yaml")


@write("waypoint.diagnostics.services.assessment_save", ("diagnostics.Assessment", Action.CREATE))
def _assessment_save(w: World) -> Run:
    framework = diagnostics.framework_import(actor=None, content=FRAMEWORK, filename="tiny.yaml")
    return lambda: diagnostics.assessment_save(
        actor=w.users["planner"],
        administration=w.unit("ADM"),
        framework=framework,
        reference="SA-2011",
        title="Self-assessment",
        assessed_on=dt.date(2011, 9, 1),
        kind="self",
    )


@write("waypoint.diagnostics.services.assessment_delete", ("diagnostics.Assessment", Action.DELETE))
def _assessment_delete(w: World) -> Run:
    assessment = _assessment(w)
    return lambda: diagnostics.assessment_delete(actor=w.users["planner"], assessment=assessment)


@write("waypoint.diagnostics.services.ratings_save", ("diagnostics.Assessment", Action.UPDATE))
def _ratings_save(w: World) -> Run:
    assessment = _assessment(w)
    return lambda: diagnostics.ratings_save(
        actor=w.users["planner"],
        assessment=assessment,
        rows={"SP.1.1": {"current": "1", "target": "3"}},
        expected_version=None,
    )


@write("waypoint.diagnostics.services.recommendation_save", ("diagnostics.Recommendation", Action.CREATE))
def _recommendation_save(w: World) -> Run:
    assessment = _assessment(w)
    return lambda: diagnostics.recommendation_save(
        actor=w.users["planner"], assessment=assessment, area="SP", text="Select by risk"
    )


@write("waypoint.diagnostics.services.recommendation_delete", ("diagnostics.Recommendation", Action.DELETE))
def _recommendation_delete(w: World) -> Run:
    recommendation = _recommendation(w)
    return lambda: diagnostics.recommendation_delete(actor=w.users["planner"], recommendation=recommendation)


# -- roadmap


def _team(w: World) -> Team:
    team = roadmap.team_save(actor=None, plan=w.plan, code="PROJ", name="Project team", capacity=1)
    roadmap.item_save(actor=None, element=w.elements["A1.1.1.1"], values={"duration_months": 4}, demands={team: 1})
    roadmap.item_save(actor=None, element=w.elements["I1.2.1"], values={"duration_months": 3}, demands={team: 1})
    return team


def _queued(w: World) -> Scenario:
    _team(w)
    return roadmap._scenario_insert(
        actor=None, plan=w.plan, name="Queued", objective="makespan", time_limit_s=5, workers=1, replan_from=None
    )


def _solved(w: World) -> Scenario:
    return worker.run_scenario(_queued(w).pk, poll_s=0.05)


@write("waypoint.roadmap.services.team_save", ("roadmap.Team", Action.CREATE))
def _team_save(w: World) -> Run:
    return lambda: roadmap.team_save(actor=w.users["planner"], plan=w.plan, code="IT", name="IT team", capacity=3)


@write("waypoint.roadmap.services.team_delete", ("roadmap.Team", Action.DELETE))
def _team_delete(w: World) -> Run:
    team = _team(w)
    return lambda: roadmap.team_delete(actor=w.users["planner"], team=team)


@write("waypoint.roadmap.services.item_save", ("roadmap.ScheduleItem", Action.CREATE))
def _item_save(w: World) -> Run:
    return lambda: roadmap.item_save(
        actor=w.users["contributor"], element=w.elements["A1.1.1.1"], values={"duration_months": 5}
    )


def _dependency(w: World) -> Any:
    return roadmap.dependency_add(actor=None, before=w.elements["A1.1.1.1"], after=w.elements["I1.2.1"])


@write("waypoint.roadmap.services.dependency_add", ("roadmap.Dependency", Action.CREATE))
def _dependency_add(w: World) -> Run:
    return lambda: roadmap.dependency_add(
        actor=w.users["planner"], before=w.elements["A1.1.1.1"], after=w.elements["I1.2.1"], lag_months=1
    )


@write("waypoint.roadmap.services.dependency_delete", ("roadmap.Dependency", Action.DELETE))
def _dependency_delete(w: World) -> Run:
    dependency = _dependency(w)
    return lambda: roadmap.dependency_delete(actor=w.users["planner"], dependency=dependency)


@write("waypoint.roadmap.services.budget_caps_save", ("roadmap.BudgetCap", Action.UPDATE))
def _budget_caps_save(w: World) -> Run:
    return lambda: roadmap.budget_caps_save(
        actor=w.users["planner"], plan=w.plan, caps={(w.source, 2013): Decimal(80000)}
    )


@write(
    "waypoint.roadmap.services.scenario_create", ("roadmap.Scenario", Action.CREATE), ("roadmap.Scenario", Action.SOLVE)
)
def _scenario_create(w: World) -> Run:
    _team(w)
    return lambda: roadmap.scenario_create(
        actor=w.users["planner"], plan=w.plan, name="Fastest", time_limit_s=5, workers=1, run_now=True
    )


@write("waypoint.roadmap.services.scenario_cancel", ("roadmap.Scenario", Action.CANCEL))
def _scenario_cancel(w: World) -> Run:
    queued = _queued(w)
    return lambda: roadmap.scenario_cancel(actor=w.users["planner"], scenario=queued)


@write("waypoint.roadmap.services.scenario_delete", ("roadmap.Scenario", Action.DELETE))
def _scenario_delete(w: World) -> Run:
    scenario = roadmap.scenario_cancel(actor=None, scenario=_queued(w))
    return lambda: roadmap.scenario_delete(actor=w.users["planner"], scenario=scenario)


@write("waypoint.roadmap.services.scenario_rename", ("roadmap.Scenario", Action.UPDATE))
def _scenario_rename(w: World) -> Run:
    queued = _queued(w)
    return lambda: roadmap.scenario_rename(actor=w.users["planner"], scenario=queued, name="Renamed")


@write("waypoint.roadmap.services.scenario_approve", ("roadmap.Scenario", Action.APPROVE))
def _scenario_approve(w: World) -> Run:
    solved = _solved(w)
    return lambda: roadmap.scenario_approve(actor=w.users["approver"], scenario=solved)


@write("waypoint.roadmap.worker.run_scenario", ("roadmap.Scenario", Action.SOLVE))
def _run_scenario(w: World) -> Run:
    queued = _queued(w)
    return lambda: worker.run_scenario(queued.pk, poll_s=0.05)


@write("waypoint.roadmap.msproject.scenario_import_mspdi", ("roadmap.Scenario", Action.IMPORT))
def _scenario_import_mspdi(w: World) -> Run:
    data = msproject.scenario_mspdi(_solved(w))
    assert data is not None
    return lambda: msproject.scenario_import_mspdi(actor=w.users["planner"], plan=w.plan, data=data, name="Back")


# -- Time Release Studies

EVENTS_CSV = (
    "declaration_id,milestone,timestamp,office,channel\n"
    "D1,arrival,2012-03-01T08:00:00Z,P1,green\n"
    "D1,lodgement,2012-03-01T09:00:00Z,P1,green\n"
    "D1,registration,2012-03-01T09:30:00Z,P1,green\n"
    "D1,release,2012-03-01T11:00:00Z,P1,green\n"
)


def _registered(w: World, *, run_now: bool = True) -> Dataset:
    root = Path(settings.WAYPOINT_TRS_DATA)
    root.mkdir(parents=True, exist_ok=True)
    (root / "events.csv").write_text(EVENTS_CSV, encoding="utf-8")
    return trs.dataset_register(
        actor=None, administration=w.unit("ADM"), name="Study", server_path="events.csv", run_now=run_now
    )


def _binding(w: World) -> Any:
    return trs.binding_save(actor=None, indicator=w.indicators["west"], dataset=_registered(w), statistic="median")


@write("waypoint.trs.services.dataset_upload", ("trs.Dataset", Action.UPLOAD), ("trs.Dataset", Action.INGEST))
def _dataset_upload(w: World) -> Run:
    upload = SimpleUploadedFile("events.csv", EVENTS_CSV.encode(), content_type="text/csv")
    return lambda: trs.dataset_upload(
        actor=w.users["planner"], administration=w.unit("ADM"), name="Upload", upload=upload
    )


@write("waypoint.trs.services.dataset_register", ("trs.Dataset", Action.REGISTER), ("trs.Dataset", Action.INGEST))
def _dataset_register(w: World) -> Run:
    root = Path(settings.WAYPOINT_TRS_DATA)
    root.mkdir(parents=True, exist_ok=True)
    (root / "events.csv").write_text(EVENTS_CSV, encoding="utf-8")
    return lambda: trs.dataset_register(
        actor=w.users["planner"], administration=w.unit("ADM"), name="Study", server_path="events.csv"
    )


@write("waypoint.trs.services.dataset_delete", ("trs.Dataset", Action.DELETE))
def _dataset_delete(w: World) -> Run:
    registered = _registered(w)
    return lambda: trs.dataset_delete(actor=w.users["planner"], dataset=registered)


@write("waypoint.trs.services.ingest", ("trs.Dataset", Action.INGEST))
def _ingest(w: World) -> Run:
    registered = _registered(w)
    return lambda: trs.ingest(registered.pk)


@write(
    "waypoint.trs.services.binding_save",
    ("trs.IndicatorBinding", Action.CREATE),
    ("trs.IndicatorBinding", Action.COMPUTE),
)
def _binding_save(w: World) -> Run:
    registered = _registered(w)
    return lambda: trs.binding_save(
        actor=w.users["planner"], indicator=w.indicators["south"], dataset=registered, statistic="median"
    )


@write("waypoint.trs.services.binding_delete", ("trs.IndicatorBinding", Action.DELETE))
def _binding_delete(w: World) -> Run:
    binding = _binding(w)
    return lambda: trs.binding_delete(actor=w.users["planner"], binding=binding)


@write("waypoint.trs.services.binding_recompute", ("trs.IndicatorBinding", Action.COMPUTE))
def _binding_recompute(w: World) -> Run:
    binding = _binding(w)
    return lambda: trs.binding_recompute(binding)


# -- people


def _workforce(w: World) -> Any:
    from tests.people.conftest import make_workforce

    return make_workforce(w)


def _queued_run(w: World) -> Any:
    _workforce(w)
    return people._run_insert(
        actor=None, plan=w.plan, name="Queued", year=2015, budget=Decimal(3000), max_away_percent=30, time_limit_s=5
    )


def _solved_run(w: World) -> Any:
    return people_worker.run_allocation(_queued_run(w).pk, work_limit=0.1, poll_s=0.05)


@write("waypoint.people.services.framework_import", ("people.CompetencyFramework", Action.IMPORT))
def _people_framework_import(w: World) -> Run:
    from tests.people.conftest import SHIPPED

    return lambda: people.framework_import(
        actor=w.users["hr"], administration=w.unit("ADM"), content=SHIPPED.read_bytes(), filename="f.yaml"
    )


@write("waypoint.people.services.framework_delete", ("people.CompetencyFramework", Action.DELETE))
def _people_framework_delete(w: World) -> Run:
    from tests.people.conftest import SHIPPED

    _workforce(w)
    spare = people.framework_import(
        actor=None,
        administration=w.unit("ADM"),
        content=SHIPPED.read_text().replace('version: "1.0"', 'version: "9"'),
        filename="f.yaml",
    )
    return lambda: people.framework_delete(actor=w.users["hr"], framework=spare)


@write("waypoint.people.services.role_profile_save", ("people.RoleProfile", Action.CREATE))
def _role_profile_save(w: World) -> Run:
    framework = _workforce(w).framework
    return lambda: people.role_profile_save(
        actor=w.users["hr"],
        administration=w.unit("ADM"),
        framework=framework,
        code="AUD",
        name="Auditor",
        requirements={"TEC.AUDIT": 3},
    )


@write("waypoint.people.services.role_profile_delete", ("people.RoleProfile", Action.DELETE))
def _role_profile_delete(w: World) -> Run:
    framework = _workforce(w).framework
    spare = people.role_profile_save(
        actor=None, administration=w.unit("ADM"), framework=framework, code="AUD", name="Auditor", requirements={}
    )
    return lambda: people.role_profile_delete(actor=w.users["hr"], profile=spare)


@write("waypoint.people.services.workforce_need_save", ("people.WorkforceNeed", Action.CREATE))
def _workforce_need_save(w: World) -> Run:
    workforce = _workforce(w)
    function = w.plan.functions.get(name="Clearance")
    return lambda: people.workforce_need_save(
        actor=w.users["planner"],
        function=function,
        unit=w.unit("BP-W1"),
        role_profile=workforce.inspector,
        year=2016,
        headcount=7,
    )


@write("waypoint.people.services.workforce_need_delete", ("people.WorkforceNeed", Action.DELETE))
def _workforce_need_delete(w: World) -> Run:
    need = _workforce(w).analyst.workforce_needs.get()
    return lambda: people.workforce_need_delete(actor=w.users["hr"], need=need)


@write("waypoint.people.services.officer_save", ("people.Officer", Action.CREATE))
def _officer_save(w: World) -> Run:
    workforce = _workforce(w)
    return lambda: people.officer_save(
        actor=w.users["hr"],
        administration=w.unit("ADM"),
        staff_number="N1",
        unit=w.unit("BP-W1"),
        role_profile=workforce.inspector,
    )


@write("waypoint.people.services.officer_delete", ("people.Officer", Action.DELETE))
def _officer_delete(w: World) -> Run:
    officer = _workforce(w).officers["T0005"]
    return lambda: people.officer_delete(actor=w.users["hr"], officer=officer)


@write("waypoint.people.services.assessment_round_save", ("people.AssessmentRound", Action.CREATE))
def _assessment_round_save(w: World) -> Run:
    framework = _workforce(w).framework
    return lambda: people.assessment_round_save(
        actor=w.users["hr"],
        administration=w.unit("ADM"),
        framework=framework,
        code="2015",
        name="2015",
        held_on=dt.date(2015, 5, 1),
    )


@write("waypoint.people.services.assessment_record", ("people.ProficiencyAssessment", Action.CREATE))
def _assessment_record(w: World) -> Run:
    officer = _workforce(w).officers["T0001"]
    return lambda: people.assessment_record(
        actor=w.users["head"],
        officer=officer,
        competency="TEC.RISK",
        level=3,
        source="manager",
        assessed_on=dt.date(2014, 3, 1),
    )


@write("waypoint.people.services.course_save", ("people.Course", Action.CREATE))
def _course_save(w: World) -> Run:
    framework = _workforce(w).framework
    return lambda: people.course_save(
        actor=w.users["hr"],
        administration=w.unit("ADM"),
        framework=framework,
        code="PCA-3",
        title="Audit",
        outcomes={"TEC.AUDIT": 3},
        duration_hours=40,
        cost=Decimal(500),
    )


@write("waypoint.people.services.course_delete", ("people.Course", Action.DELETE))
def _course_delete(w: World) -> Run:
    course = _workforce(w).courses["HS-3"]
    return lambda: people.course_delete(actor=w.users["hr"], course=course)


@write("waypoint.people.services.session_save", ("people.CourseSession", Action.CREATE))
def _session_save(w: World) -> Run:
    course = _workforce(w).courses["HS-3"]
    return lambda: people.session_save(
        actor=w.users["hr"], course=course, starts_on=dt.date(2015, 11, 2), ends_on=dt.date(2015, 11, 4)
    )


@write("waypoint.people.services.session_delete", ("people.CourseSession", Action.DELETE))
def _session_delete(w: World) -> Run:
    session = _workforce(w).sessions[0]
    return lambda: people.session_delete(actor=w.users["hr"], session=session)


@write("waypoint.people.services.training_record_add", ("people.TrainingRecord", Action.CREATE))
def _training_record_add(w: World) -> Run:
    workforce = _workforce(w)
    return lambda: people.training_record_add(
        actor=w.users["hr"],
        officer=workforce.officers["T0004"],
        course=workforce.courses["HS-3"],
        completed_on=dt.date(2013, 4, 4),
    )


@write(
    "waypoint.people.services.allocation_create",
    ("people.AllocationRun", Action.CREATE),
    ("people.AllocationRun", Action.SOLVE),
)
def _allocation_create(w: World) -> Run:
    _workforce(w)
    return lambda: people.allocation_create(
        actor=w.users["hr"], plan=w.plan, name="2015", year=2015, budget=Decimal(3000), time_limit_s=1, run_now=True
    )


@write("waypoint.people.services.allocation_cancel", ("people.AllocationRun", Action.CANCEL))
def _allocation_cancel(w: World) -> Run:
    queued = _queued_run(w)
    return lambda: people.allocation_cancel(actor=w.users["hr"], run=queued)


@write("waypoint.people.services.allocation_adopt", ("people.AllocationRun", Action.APPROVE))
def _allocation_adopt(w: World) -> Run:
    solved = _solved_run(w)
    return lambda: people.allocation_adopt(actor=w.users["hr"], run=solved)


@write("waypoint.people.services.allocation_delete", ("people.AllocationRun", Action.DELETE))
def _allocation_delete(w: World) -> Run:
    solved = _solved_run(w)
    return lambda: people.allocation_delete(actor=w.users["hr"], run=solved)


@write("waypoint.people.worker.run_allocation", ("people.AllocationRun", Action.SOLVE))
def _run_allocation(w: World) -> Run:
    queued = _queued_run(w)
    return lambda: people_worker.run_allocation(queued.pk, work_limit=0.1, poll_s=0.05)


@write("waypoint.people.importing.officers_import", ("people.Officer", Action.IMPORT))
def _officers_import(w: World) -> Run:
    _workforce(w)
    return lambda: people_importing.officers_import(
        actor=w.users["hr"], administration=w.unit("ADM"), data=b"staff_number,unit\nN1,BP-W1\n", filename="o.csv"
    )


@write("waypoint.people.importing.assessments_import", ("people.ProficiencyAssessment", Action.IMPORT))
def _assessments_import(w: World) -> Run:
    _workforce(w)
    data = b"staff_number,competency,level,source,assessed_on\nT0001,TEC.RISK,2,self,2014-01-02\n"
    return lambda: people_importing.assessments_import(
        actor=w.users["hr"], administration=w.unit("ADM"), data=data, filename="a.csv"
    )


@write("waypoint.people.importing.training_import", ("people.TrainingRecord", Action.IMPORT))
def _training_import(w: World) -> Run:
    _workforce(w)
    data = b"staff_number,course,completed_on\nT0001,HS-3,2014-01-02\n"
    return lambda: people_importing.training_import(
        actor=w.users["hr"], administration=w.unit("ADM"), data=data, filename="t.csv"
    )


def _training_binding(w: World) -> Any:
    _workforce(w)
    return people_measures.binding_save(actor=None, indicator=w.indicators["west"], measure="officers_trained")


@write(
    "waypoint.people.measures.binding_save",
    ("people.TrainingIndicatorBinding", Action.CREATE),
    ("people.TrainingIndicatorBinding", Action.COMPUTE),
)
def _people_binding_save(w: World) -> Run:
    _workforce(w)
    return lambda: people_measures.binding_save(
        actor=w.users["planner"], indicator=w.indicators["south"], measure="hours_per_officer"
    )


@write("waypoint.people.measures.binding_delete", ("people.TrainingIndicatorBinding", Action.DELETE))
def _people_binding_delete(w: World) -> Run:
    binding = _training_binding(w)
    return lambda: people_measures.binding_delete(actor=w.users["planner"], binding=binding)


@write("waypoint.people.measures.binding_recompute", ("people.TrainingIndicatorBinding", Action.COMPUTE))
def _people_binding_recompute(w: World) -> Run:
    binding = _training_binding(w)
    return lambda: people_measures.binding_recompute(binding)


@write("waypoint.people.measures.recompute_all", ("people.TrainingIndicatorBinding", Action.COMPUTE))
def _people_recompute_all(w: World) -> Run:
    _training_binding(w)
    return lambda: people_measures.recompute_all(w.unit("ADM").pk)


# -- planning rounds


@write("waypoint.rounds.services.round_open", ("rounds.PlanningRound", Action.CREATE))
def _round_open(w: World) -> Run:
    return lambda: round_helpers.open_round(w)


@write("waypoint.rounds.services.round_update", ("rounds.PlanningRound", Action.UPDATE))
def _round_update(w: World) -> Run:
    round_ = round_helpers.open_round(w)
    return lambda: rounds.round_update(
        actor=w.users["planner"],
        round_=round_,
        expected_version=round_.version,
        title=round_.title,
        guidance="Longer",
        deadline=dt.date(2099, 12, 31),
    )


@write("waypoint.rounds.services.round_set_status", ("rounds.PlanningRound", Action.STATUS))
def _round_set_status(w: World) -> Run:
    round_ = round_helpers.open_round(w)
    return lambda: rounds.round_set_status(actor=w.users["planner"], round_=round_, status="closed")


@write(
    "waypoint.rounds.services.proposal_save",
    ("rounds.Proposal", Action.CREATE),
    ("rounds.Submission", Action.STATUS),
)
def _proposal_save(w: World) -> Run:
    round_ = round_helpers.open_round(w)
    return lambda: round_helpers.propose(w, round_, "BP-S1", "contributor_post", "Scanner at South Post One")


@write("waypoint.rounds.services.proposal_delete", ("rounds.Proposal", Action.DELETE))
def _proposal_delete(w: World) -> Run:
    round_ = round_helpers.open_round(w)
    proposal = round_helpers.propose(w, round_, "BP-S1", "contributor_post", "Scanner")
    return lambda: rounds.proposal_delete(actor=w.users["contributor_post"], proposal=proposal)


@write("waypoint.rounds.services.need_save", ("rounds.Need", Action.CREATE))
def _need_save(w: World) -> Run:
    round_ = round_helpers.open_round(w)
    post = round_helpers.submission(round_, "BP-S1")
    return lambda: rounds.need_save(actor=w.users["contributor_post"], submission=post, text="A second lane")


@write("waypoint.rounds.services.need_delete", ("rounds.Need", Action.DELETE))
def _need_delete(w: World) -> Run:
    round_ = round_helpers.open_round(w)
    need = rounds.need_save(actor=None, submission=round_helpers.submission(round_, "BP-S1"), text="A lane")
    return lambda: rounds.need_delete(actor=w.users["contributor_post"], need=need)


def _submitted_post(w: World) -> Any:
    round_ = round_helpers.open_round(w)
    round_helpers.propose(w, round_, "BP-S1", "contributor_post", "Scanner")
    post = round_helpers.submission(round_, "BP-S1")
    rounds.submission_submit(actor=w.users["contributor_post"], submission=post)
    return post


@write(
    "waypoint.rounds.services.submission_submit",
    ("rounds.Submission", Action.SUBMIT),
    ("rounds.Proposal", Action.STATUS),
)
def _submission_submit(w: World) -> Run:
    round_ = round_helpers.open_round(w)
    round_helpers.propose(w, round_, "BP-S1", "contributor_post", "Scanner")
    post = round_helpers.submission(round_, "BP-S1")
    return lambda: rounds.submission_submit(actor=w.users["contributor_post"], submission=post)


@write(
    "waypoint.rounds.services.submission_return",
    ("rounds.Submission", Action.RETURN),
    ("rounds.Proposal", Action.STATUS),
)
def _submission_return(w: World) -> Run:
    post = _submitted_post(w)
    return lambda: rounds.submission_return(actor=w.users["contributor"], submission=post, comment="Add dates")


@write("waypoint.rounds.services.submission_waive", ("rounds.Submission", Action.WAIVE))
def _submission_waive(w: World) -> Run:
    round_ = round_helpers.open_round(w)
    post = round_helpers.submission(round_, "BP-W1")
    return lambda: rounds.submission_waive(actor=w.users["contributor_west"], submission=post, reason="Post closed")


@write(
    "waypoint.rounds.services.submission_accept",
    ("rounds.Submission", Action.ACCEPT),
    ("rounds.Proposal", Action.ACCEPT),
)
def _submission_accept(w: World) -> Run:
    post = _submitted_post(w)
    return lambda: rounds.submission_accept(actor=w.users["contributor"], submission=post)


@write("waypoint.rounds.services.proposal_review", ("rounds.Proposal", Action.DECLINE))
def _proposal_review(w: World) -> Run:
    post = _submitted_post(w)
    proposal = post.held.get()
    return lambda: rounds.proposal_review(
        actor=w.users["contributor"], proposal=proposal, decision="decline", expected_version=None, reason="Later"
    )


@write(
    "waypoint.rounds.services.proposal_merge",
    ("rounds.Proposal", Action.MERGE),
    ("rounds.Proposal", Action.CREATE),
)
def _proposal_merge(w: World) -> Run:
    round_ = round_helpers.open_round(w)
    first = round_helpers.propose(w, round_, "RD-S", "contributor", "Scanner")
    second = round_helpers.propose(w, round_, "RD-S", "contributor", "X-ray")
    directorate = round_helpers.submission(round_, "RD-S")
    return lambda: rounds.proposal_merge(
        actor=w.users["contributor"], into=directorate, proposals=[first, second], title="Scanning"
    )


@write("waypoint.rounds.services.comment_add", ("rounds.Comment", Action.COMMENT))
def _comment_add(w: World) -> Run:
    round_ = round_helpers.open_round(w)
    post = round_helpers.submission(round_, "BP-S1")
    return lambda: rounds.comment_add(actor=w.users["contributor"], submission=post, body="@contributor_post dates?")


@write(
    "waypoint.rounds.services.round_consolidate",
    ("rounds.PlanningRound", Action.CONSOLIDATE),
    ("plans.PlanElement", Action.CREATE),
    ("rounds.Proposal", Action.STATUS),
)
def _round_consolidate(w: World) -> Run:
    round_ = round_helpers.open_round(w, units=("HQ-RSK",))
    round_helpers.propose(w, round_, "ADM", "planner", "Risk engine", kind="objective", parent="G1")
    return lambda: rounds.round_consolidate(actor=w.users["planner"], round_=round_)


# -- monitoring


def _calendar(w: World) -> Any:
    return monitoring.calendar_save(actor=None, plan=w.plan, first_year=2012, last_year=2013)


def _report(w: World, unit: str = "BP-S1", period: str = "2013", value: str | None = None) -> Any:
    from waypoint.monitoring.models import Submission

    if not Submission.objects.exists():
        _calendar(w)
    report = Submission.objects.get(unit__code=unit, period__code=period)
    if value is not None:
        entries = {a.pk: monitoring.Entry(value=Decimal(value)) for a in report.assignments.all()}
        report = monitoring.submission_save(actor=None, submission=report, entries=entries)
    return report


def _submitted(w: World) -> Any:
    return monitoring.submission_submit(actor=None, submission=_report(w, value="7"))


def _follow_up(w: World) -> Any:
    return monitoring.action_create(
        actor=None, plan=w.plan, title="Publish times", owner_unit=w.unit("RD-S"), due_on=dt.date(2013, 6, 30)
    )


@write(
    "waypoint.monitoring.services.calendar_save",
    ("monitoring.ReportingCalendar", Action.CREATE),
)
def _monitoring_calendar_save(w: World) -> Run:
    return lambda: monitoring.calendar_save(actor=w.users["planner"], plan=w.plan, first_year=2012, last_year=2013)


@write("waypoint.monitoring.services.submission_save", ("monitoring.Submission", Action.UPDATE))
def _monitoring_submission_save(w: World) -> Run:
    report = _report(w)
    entries = {a.pk: monitoring.Entry(value=Decimal(7)) for a in report.assignments.all()}
    return lambda: monitoring.submission_save(actor=w.users["contributor"], submission=report, entries=entries)


@write(
    "waypoint.monitoring.services.submission_submit",
    ("monitoring.Submission", Action.STATUS),
    ("indicators.Actual", Action.CREATE),
)
def _monitoring_submission_submit(w: World) -> Run:
    report = _report(w, value="7")
    return lambda: monitoring.submission_submit(actor=w.users["contributor"], submission=report)


@write("waypoint.monitoring.services.submission_approve", ("monitoring.Submission", Action.APPROVE))
def _monitoring_submission_approve(w: World) -> Run:
    report = _submitted(w)
    return lambda: monitoring.submission_approve(actor=w.users["contributor"], submission=report)


@write("waypoint.monitoring.services.submission_return", ("monitoring.Submission", Action.STATUS))
def _monitoring_submission_return(w: World) -> Run:
    report = _submitted(w)
    return lambda: monitoring.submission_return(actor=w.users["approver"], submission=report, reason="Check")


@write("waypoint.monitoring.services.submission_waive", ("monitoring.Submission", Action.STATUS))
def _monitoring_submission_waive(w: World) -> Run:
    report = _report(w)
    return lambda: monitoring.submission_waive(actor=w.users["approver"], submission=report, reason="Closed")


@write("waypoint.monitoring.services.submission_unapprove", ("monitoring.Submission", Action.STATUS))
def _monitoring_submission_unapprove(w: World) -> Run:
    report = monitoring.submission_approve(actor=None, submission=_submitted(w))
    return lambda: monitoring.submission_unapprove(actor=w.users["approver"], submission=report, reason="Recount")


@write("waypoint.monitoring.services.action_create", ("monitoring.FollowUpAction", Action.CREATE))
def _monitoring_action_create(w: World) -> Run:
    return lambda: monitoring.action_create(
        actor=w.users["contributor"],
        plan=w.plan,
        title="Publish times",
        owner_unit=w.unit("RD-S"),
        due_on=dt.date(2013, 6, 30),
        elements=[w.elements["O1.1"]],
    )


@write("waypoint.monitoring.services.action_update", ("monitoring.FollowUpAction", Action.UPDATE))
def _monitoring_action_update(w: World) -> Run:
    action = _follow_up(w)
    return lambda: monitoring.action_update(
        actor=w.users["contributor"], action=action, changes={"due_on": dt.date(2013, 9, 30)}
    )


@write("waypoint.monitoring.services.action_set_status", ("monitoring.FollowUpAction", Action.STATUS))
def _monitoring_action_set_status(w: World) -> Run:
    action = _follow_up(w)
    return lambda: monitoring.action_set_status(
        actor=w.users["planner"], action=action, status="cancelled", reason="Merged into A-002"
    )


@write("waypoint.monitoring.services.action_comment", ("monitoring.ActionComment", Action.CREATE))
def _monitoring_action_comment(w: World) -> Run:
    action = _follow_up(w)
    return lambda: monitoring.action_comment(actor=w.users["viewer"], action=action, text="Any news?")


@write("waypoint.monitoring.services.meeting_save", ("monitoring.ReviewMeeting", Action.CREATE))
def _monitoring_meeting_save(w: World) -> Run:
    return lambda: monitoring.meeting_save(
        actor=w.users["planner"], plan=w.plan, title="Q1 review", held_on=dt.date(2013, 4, 20), goals=[w.elements["G1"]]
    )


# -- workshops


def _room(w: World) -> Any:
    from tests.workshops.conftest import make_room

    return make_room(w)


W = "waypoint.workshops.services."


@write(W + "workshop_create", ("workshops.Workshop", Action.CREATE))
def _workshop_create(w: World) -> Run:
    return lambda: workshops.workshop_create(
        actor=w.users["planner"], plan=w.plan, title="W", starts_on=dt.date(2011, 11, 14), ends_on=dt.date(2011, 11, 18)
    )


@write(W + "workshop_update", ("workshops.Workshop", Action.UPDATE))
def _workshop_update(w: World) -> Run:
    room = _room(w)
    return lambda: workshops.workshop_update(
        actor=w.users["planner"], workshop=room.workshop, expected_version=None, changes={"place": "Baku"}
    )


@write(W + "workshop_set_status", ("workshops.Workshop", Action.STATUS))
def _workshop_set_status(w: World) -> Run:
    room = _room(w)
    return lambda: workshops.workshop_set_status(actor=w.users["planner"], workshop=room.workshop, status="closed")


@write(W + "participant_join", ("workshops.Participant", Action.CREATE))
def _participant_join(w: World) -> Run:
    room = _room(w)
    return lambda: workshops.participant_join(workshop=room.workshop, name="Another Guest")


@write(W + "exercise_save", ("workshops.Exercise", Action.CREATE))
def _exercise_save(w: World) -> Run:
    room = _room(w)
    return lambda: workshops.exercise_save(
        actor=w.users["planner"], workshop=room.workshop, kind="dot_vote", title="More", options=["a", "b"]
    )


@write(W + "exercise_set_status", ("workshops.Exercise", Action.STATUS))
def _exercise_set_status(w: World) -> Run:
    room = _room(w)
    return lambda: workshops.exercise_set_status(actor=w.users["planner"], exercise=room.dots, results_visible=True)


@write(W + "options_from_board", ("workshops.Exercise", Action.UPDATE))
def _options_from_board(w: World) -> Run:
    room = _room(w)
    workshops.note_add(participant=room.guest, exercise=room.board, column="strength", text="Staff")
    return lambda: workshops.options_from_board(actor=w.users["planner"], exercise=room.dots, board=room.board)


@write(W + "options_from_functions", ("workshops.Exercise", Action.UPDATE))
def _options_from_functions(w: World) -> Run:
    room = _room(w)
    for name in ("Revenue", "Facilitation"):
        plans.function_save(actor=None, plan=w.plan, name=name, priority="medium")
    return lambda: workshops.options_from_functions(actor=w.users["planner"], exercise=room.pairwise)


@write(W + "note_add", ("workshops.Note", Action.CREATE))
def _note_add(w: World) -> Run:
    room = _room(w)
    return lambda: workshops.note_add(participant=room.guest, exercise=room.board, column="threat", text="Smuggling")


@write(W + "note_delete", ("workshops.Note", Action.DELETE))
def _note_delete(w: World) -> Run:
    room = _room(w)
    note = workshops.note_add(participant=room.guest, exercise=room.board, column="threat", text="Dup")
    return lambda: workshops.note_delete(actor=w.users["planner"], note=note)


@write(W + "cluster_save", ("workshops.Cluster", Action.CREATE))
def _cluster_save(w: World) -> Run:
    room = _room(w)
    return lambda: workshops.cluster_save(
        actor=w.users["planner"], exercise=room.board, name="People", column="strength"
    )


@write(W + "note_cluster", ("workshops.Note", Action.MOVE))
def _note_cluster(w: World) -> Run:
    room = _room(w)
    note = workshops.note_add(participant=room.guest, exercise=room.board, column="strength", text="Staff")
    cluster = workshops.cluster_save(actor=None, exercise=room.board, name="People", column="strength")
    return lambda: workshops.note_cluster(actor=w.users["planner"], note=note, cluster=cluster)


@write(W + "dots_set", ("workshops.DotVote", Action.UPDATE))
def _dots_set(w: World) -> Run:
    room = _room(w)
    return lambda: workshops.dots_set(participant=room.guest, option=room.dots.options.first(), dots=2)


@write(W + "score_set", ("workshops.Score", Action.UPDATE))
def _score_set(w: World) -> Run:
    room = _room(w)
    return lambda: workshops.score_set(
        participant=room.guest, option=room.scoring.options.first(), criterion=room.scoring.criteria.first(), value=4
    )


@write(W + "comparison_set", ("workshops.Comparison", Action.UPDATE))
def _comparison_set(w: World) -> Run:
    room = _room(w)
    first, second = list(room.pairwise.options.all())[:2]
    return lambda: workshops.comparison_set(participant=room.guest, preferred=second, other=first, strength=5)


@write(W + "to_analysis_item", ("plans.AnalysisItem", Action.CREATE), ("workshops.Outcome", Action.CREATE))
def _to_analysis_item(w: World) -> Run:
    room = _room(w)
    note = workshops.note_add(participant=room.guest, exercise=room.board, column="threat", text="Smuggling")
    return lambda: workshops.to_analysis_item(
        actor=w.users["planner"], exercise=room.board, framework="swot", category="threat", text="Smuggling", note=note
    )


@write(W + "to_function_priorities", ("plans.PlanFunction", Action.CREATE), ("workshops.Outcome", Action.CREATE))
def _to_function_priorities(w: World) -> Run:
    room = _room(w)
    first, second, third = list(room.pairwise.options.all())
    workshops.comparison_set(participant=room.guest, preferred=second, other=first, strength=5)
    workshops.comparison_set(participant=room.guest, preferred=second, other=third, strength=3)
    return lambda: workshops.to_function_priorities(actor=w.users["planner"], exercise=room.pairwise)


@write(W + "to_element", ("plans.PlanElement", Action.CREATE), ("workshops.Outcome", Action.CREATE))
def _to_element(w: World) -> Run:
    room = _room(w)
    return lambda: workshops.to_element(
        actor=w.users["planner"],
        exercise=room.dots,
        title="Risk management",
        parent=None,
        responsible_unit=w.unit("HQ-RSK"),
        option=room.dots.options.first(),
    )


@write(W + "outcome_link", ("workshops.Outcome", Action.CREATE))
def _outcome_link(w: World) -> Run:
    room = _room(w)
    item = plans.analysis_item_save(actor=None, plan=w.plan, framework="swot", category="threat", text="Smuggling")
    return lambda: workshops.outcome_link(
        actor=w.users["planner"], exercise=room.board, kind="analysis_item", target_id=item.pk
    )


@write(W + "action_create", ("monitoring.FollowUpAction", Action.CREATE), ("workshops.Outcome", Action.CREATE))
def _action_create(w: World) -> Run:
    room = _room(w)
    return lambda: workshops.action_create(
        actor=w.users["planner"],
        exercise=room.dots,
        title="Draft the risk policy",
        owner_unit=w.unit("HQ-RSK"),
        due_on=dt.date(2025, 6, 30),
    )


@write(W + "to_proposal", ("rounds.Proposal", Action.CREATE), ("workshops.Outcome", Action.CREATE))
def _to_proposal(w: World) -> Run:
    room = _room(w)
    round_helpers.world_round(w)
    note = workshops.note_add(participant=room.guest, exercise=room.board, column="threat", text="Smuggling")
    return lambda: workshops.to_proposal(
        actor=w.users["planner"],
        exercise=room.board,
        unit=w.unit("ADM"),
        title="Risk-based selectivity",
        parent_element=w.elements["G1"],
        note=note,
    )


# --- the tests -----------------------------------------------------------------------------------------


def test_every_public_function_of_a_service_module_is_in_a_table() -> None:
    found = set(public_functions())
    assert not set(WRITES) & set(NOT_SERVICES)
    missing = sorted(found - set(WRITES) - set(NOT_SERVICES))
    assert not missing, f"add these to WRITES (with a representative call) or to NOT_SERVICES (with why): {missing}"
    stale = sorted((set(WRITES) | set(NOT_SERVICES)) - found)
    assert not stale, f"these are no longer public functions of a service module: {stale}"


def test_every_write_service_is_one_transaction() -> None:
    functions = public_functions()
    assert set(NOT_ATOMIC) <= set(WRITES), sorted(set(NOT_ATOMIC) - set(WRITES))
    not_atomic = sorted(name for name in WRITES if not is_atomic(functions[name]) and name not in NOT_ATOMIC)
    assert not not_atomic, f"wrap these in @transaction.atomic (or say in NOT_ATOMIC why not): {not_atomic}"
    stale = sorted(name for name in NOT_ATOMIC if is_atomic(functions[name]))
    assert not stale, f"these are atomic now; take them out of NOT_ATOMIC: {stale}"


def test_the_atomic_check_tells_a_wrapped_function_from_a_plain_one() -> None:
    def plain() -> None: ...

    assert is_atomic(transaction.atomic(plain))
    assert not is_atomic(plain)
    assert not is_atomic(functools.wraps(plain)(lambda: None))


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_write_service_leaves_its_audit_record(name: str, world: World) -> None:
    write = WRITES[name]
    run = write.prepare(world)
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    run()
    written = {(e.entity, e.action) for e in AuditEvent.objects.filter(pk__gt=before)}
    assert written, f"{name} wrote no audit record"
    assert {action for _entity, action in written} <= set(Action.values)  # the log filters by these
    missing = [event for event in write.events if (event[0], event[1].value) not in written]
    assert not missing, f"{name} did not record {missing}; it recorded {sorted(written)}"
