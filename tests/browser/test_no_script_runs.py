"""No script that people write ever runs (issue 12).

Markup and script are planted in every text field a person can write, then every page of the
permission matrix is opened in a real browser: no planted script runs, no planted markup
reaches the page as markup, every page carries the Content Security Policy, and the policy
refuses nothing of the pages' own (charts draw without eval, htmx swaps, the Gantt draws).

The payloads go in through the services and the API where a person would write them
(framework files, data files, an element's title over the API), and into every other text
column of every model directly: a text field added later is planted without anyone having to
remember it, and ``test_every_text_field_is_planted_or_explained`` fails until a field that is
not planted says why.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Session
from tests.diagnostics.conftest import SMALL_FRAMEWORK
from tests.people.conftest import make_workforce
from tests.test_permission_matrix import (
    CASES,
    assessment,
    dataset,
    follow_up_action,
    meeting,
    monitoring_report,
    planning_round,
    recommendation,
    rendered,
    room,
    scenario,
    team,
)
from tests.test_permission_matrix import run as allocation_run
from tests.world import World, build_world
from waypoint.org.models import User
from waypoint.people.models import CompetencyFramework
from waypoint.plans.models import Plan, PlanElement
from waypoint.rounds import services as rounds

pytestmark = pytest.mark.browser

#: what an attacker types: markup with an event handler, a break out of an attribute quoted
#: either way, a script URL, and template syntax (client-side templating would evaluate it)
PAYLOADS = (
    '<img src=x onerror="window.__xss=1">',
    '"><script>window.__xss=2</script>',
    "'><svg onload=window.__xss=3>",
    "javascript:window.__xss=4//",
    "{{7*7}}${7*7}",
)
#: for a field too short for the others
SHORT = "<svg onload=__xss=5>"

#: text columns a person does not write (or writes only from a closed list or a checked
#: format), and why; every other CharField/TextField of every Waypoint model is planted
NOT_WRITTEN = {
    "core.AuditEvent.entity": "the model's name",
    "core.AuditEvent.entity_id": "a primary key",
    "core.AuditEvent.changes": "copies of what was written: the API write below puts a payload in it",
    "org.User.password": "a hash",
    "org.User.username": "letters, digits and @.+-_ only (Django's validator)",
    "org.User.email": "checked as an e-mail address",
    "org.OrgUnit.code": "letters, digits and dashes (a part of page addresses)",
    "org.OrgUnit.path": "the unit's place in the tree, made from primary keys",
    "plans.PlanFindings.stamp": "change counters, made by the server",
    "plans.PlanFindings.report": "the quality findings computed from the plan (a cache, recomputed after the planting)",
    "workshops.Workshop.join_code": "made by the server from letters and digits (what guests type to join)",
    "workshops.Note.column": "a key of the board's columns, checked against them",
    "workshops.Cluster.column": "a key of the board's columns, checked against them",
    "workshops.JoinAttempt.address": "the client's address, from the request",
    "org.OrgUnit.time_zone": "one of the time zone database's names",
    "core.WorkerBeat.worker_id": "made by the worker from its host name and process id",
    "core.WorkerBeat.host": "the worker's host name",
    "core.WorkerBeat.task_id": "a queue task's id",
    "roadmap.Scenario.held_by": "a worker's id",
    "trs.Dataset.held_by": "a worker's id",
    "trs.Dataset.task_id": "generated",
    "org.ApiToken.prefix": "generated",
    "org.Notification.key": "the occasion's key, made by Waypoint (never shown)",
    "org.Notification.url": "a path inside Waypoint, made by the server",
    "org.ApiToken.key_hash": "generated",
    "plans.Plan.currency": "a three-letter ISO 4217 code",
    "plans.PlanTier.key": "letters and underscores",
    "plans.PlanElement.code": "generated from the element's place in the tree",
    "plans.QualityRuleSetting.rule": "a rule of the catalogue",
    "indicators.Indicator.code": "generated (KPI-07)",
    "indicators.Indicator.disaggregation": "dimension names from a closed list",
    "indicators.Target.period": "a checked period code (2014, 2014-Q2)",
    "indicators.Actual.period": "a checked period code",
    "indicators.Actual.provenance": "written by Waypoint when it computes a value from data",
    "roadmap.Team.code": "letters, digits and dashes",
    "roadmap.Scenario.task_id": "generated",
    "roadmap.Scenario.result_status": "the solver's status word",
    "roadmap.Scenario.progress": "the solver's counters",
    "roadmap.Scenario.problem": "the schedule problem as solved: codes and numbers",
    "roadmap.Scenario.starts": "element ids and months",
    "roadmap.Scenario.history": "the solver's counters",
    "roadmap.Scenario.conflicts": "element ids and codes",
    "trs.Dataset.server_path": "checked to lie in the TRS data directory",
    "trs.Dataset.time_zone": "one of the time zone database's names",
    "trs.Dataset.stage": "Waypoint's own words for the step it is at",
    "trs.Dataset.quarantine_counts": "reasons from a closed list and counts",
    "trs.IndicatorBinding.start_milestone": "one of the study's milestones",
    "trs.IndicatorBinding.end_milestone": "one of the study's milestones",
    "diagnostics.Rating.criterion": "a criterion code of the framework",
    "diagnostics.Rating.current": "a level of the framework's scale",
    "diagnostics.Rating.target": "a level of the framework's scale",
    "diagnostics.Recommendation.area": "an area code of the framework",
    "people.CompetencyFramework.code": "a checked code (letters, digits, dots, dashes, underscores)",
    "people.RoleProfile.code": "a checked code",
    "people.Officer.staff_number": "a checked code",
    "people.AssessmentRound.code": "a checked code",
    "people.Course.code": "a checked code",
    "people.PersonalRecordRead.staff_number": "the officer's checked staff number, copied",
    "people.RoleProfile.education_level": "an education level of the framework",
    "people.RoleProfile.education_fields": "fields of study of the framework (codes)",
    "people.RoleProfile.requirements": "competency codes of the framework and levels",
    "people.Officer.education_level": "an education level of the framework",
    "people.Officer.education_field": "a field of study of the framework (a code)",
    "people.ProficiencyAssessment.competency": "a competency code of the framework",
    "people.Course.outcomes": "competency codes of the framework and levels",
    "people.AllocationRun.progress": "the solver's counters",
    "people.AllocationRun.task_id": "generated",
    "people.AllocationRun.held_by": "a worker's id",
    "people.AllocationRun.result_status": "the solver's status word",
    "people.PersonalRecordRead.via": "the page or export that showed the record, named by Waypoint",
    "people.TrainingIndicatorBinding.competencies": "competency codes of the framework",
    "people.TrainingIndicatorBinding.unit_kinds": "kinds of unit from a closed list",
    "rounds.ProposalIndicator.targets": "years and numbers",
    "monitoring.ReportingPeriod.code": "a period code the calendar makes (2013, 2013Q2)",
    "monitoring.ReportingPeriod.kind": "the period's kind (year, quarter, month), made by the calendar",
    "documents.Render.period": "a checked period code",
    "documents.Render.plan_status": "the plan's status word, copied when it was rendered",
    "documents.Render.fingerprint": "generated (the start of a SHA-256)",
    "documents.Render.task_id": "generated",
    "documents.Render.held_by": "a worker's id",
    "documents.Render.sections": "section keys from a closed list",
    "documents.Render.progress": "the renderer's counters and its own words for the section it is at",
    "documents.StagedWorkbook.fingerprint": "generated (the start of a SHA-256)",
}
#: structured fields that carry what people wrote, and the way in that plants them here
PLANTED_THROUGH_SERVICES = {
    "diagnostics.Framework.document": "a framework file whose names, criteria and level descriptions are payloads",
    "trs.Dataset.dimensions": "a data file whose office names are payloads",
    "trs.Dataset.quarantine_sample": "a data file with a set-aside row that quotes a payload",
    "trs.IndicatorBinding.filters": "a binding filtered on a payload office",
    "plans.PlanVersion.document": "a version stored after the planting: the plan file with payloads in its texts",
    "people.CompetencyFramework.document": "the framework's names, descriptions and level descriptors, rewritten",
    "rounds.Review.changes": "a review that edits a proposal's title into a payload",
    "workshops.Exercise.columns": "a board whose column labels the facilitator wrote as payloads",
    "documents.LogframeMapping.columns": "a saved logframe mapping whose header texts are payloads",
    "documents.LogframeMapping.levels": "a saved logframe mapping whose level values are payloads",
    "plans.Plan.translations": "the plan's texts in French, written as payloads, read by an administrator in French",
    "plans.PlanElement.translations": "the elements' titles and texts in French (all but two), written as payloads",
}


def poisoned(text: str, limit: int | None) -> str:
    """``text`` followed by every payload that fits in ``limit`` characters (at least one)."""
    value = text
    for payload in PAYLOADS:
        candidate = f"{value} {payload}".strip()
        if limit is None or len(candidate) <= limit:
            value = candidate
    if value == text:
        value = SHORT
    return value


def _label(model: type[models.Model], field: models.Field[Any, Any] | models.ForeignObjectRel) -> str:
    return f"{model._meta.label}.{field.name}"


def _waypoint_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("waypoint.")]


def swept_fields() -> dict[type[models.Model], list[models.Field[Any, Any]]]:
    """Every free text column of every Waypoint model: CharField and TextField without choices,
    not explained in ``NOT_WRITTEN``."""
    found: dict[type[models.Model], list[models.Field[Any, Any]]] = {}
    for model in _waypoint_models():
        for field in model._meta.get_fields():
            if not isinstance(field, (models.CharField, models.TextField)) or field.choices:
                continue
            if _label(model, field) not in NOT_WRITTEN:
                found.setdefault(model, []).append(field)
    return found


def test_every_text_field_is_planted_or_explained() -> None:
    """A text field added without a payload, or an explanation, fails here first."""
    unexplained = []
    for model in _waypoint_models():
        for field in model._meta.get_fields():
            label = _label(model, field)
            if isinstance(field, models.JSONField):
                if label not in NOT_WRITTEN and label not in PLANTED_THROUGH_SERVICES:
                    unexplained.append(label)
            elif isinstance(field, (models.CharField, models.TextField)) and field.choices:
                assert label not in NOT_WRITTEN, f"{label} has choices: no need to explain it"
    assert unexplained == []
    every = {_label(m, f) for m in _waypoint_models() for f in m._meta.get_fields()}
    assert set(NOT_WRITTEN) | set(PLANTED_THROUGH_SERVICES) <= every, "explained fields that no longer exist"
    assert len(swept_fields()) > 15


def _framework_file() -> str:
    """The small test framework with payloads in every name, text and level description."""
    document = yaml.safe_load(SMALL_FRAMEWORK)
    document["name"] = poisoned(document["name"], None)
    for area in document["areas"]:
        area["name"] = poisoned(area["name"], None)
        for topic in area["topics"]:
            topic["name"] = poisoned(topic["name"], None)
            for criterion in topic["criteria"]:
                criterion["text"] = poisoned(criterion["text"], None)
                criterion["descriptors"] = {k: poisoned(v, None) for k, v in criterion["descriptors"].items()}
    return json.dumps(document)


def _data_file() -> bytes:
    """A small study whose offices are payloads, with one declaration set aside (released
    before it was lodged)."""
    rows = [("declaration_id", "milestone", "timestamp", "office")]
    for number, office in enumerate((PAYLOADS[0], PAYLOADS[1], "Main Office"), start=1):
        for milestone, hour in (("arrival", 8), ("lodgement", 9), ("registration", 10), ("release", 12)):
            rows.append((f"D{number}", milestone, f"2012-01-0{number}T{hour:02d}:00:00Z", office))
    rows += [("BAD", "arrival", "2012-01-05T08:00:00Z", PAYLOADS[2]), ("BAD", "release", "2011-01-01T08:00:00Z", "x")]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def plant(world: World, client: Client) -> None:
    """Payloads in everything a person writes (see the module's docstring)."""
    from waypoint.diagnostics import services as diagnostics
    from waypoint.diagnostics.models import CarriedRecommendation
    from waypoint.indicators import services as indicators
    from waypoint.org import services as org
    from waypoint.org.notifications import Message, notify
    from waypoint.plans import quality
    from waypoint.plans import services as plans
    from waypoint.roadmap import services as roadmap
    from waypoint.trs import services as trs

    e = world.elements
    framework = diagnostics.framework_import(actor=None, content=_framework_file(), filename="framework.json")
    review = diagnostics.assessment_save(
        actor=None,
        administration=world.plan.administration,
        framework=framework,
        reference="DIAG-2011",
        title="Diagnostic",
        assessed_on=dt.date(2011, 5, 1),
        kind="expert",
        plans=[world.plan],
    )
    diagnostics.ratings_save(
        actor=None,
        assessment=review,
        rows={"SP.1.1": {"current": "1", "target": "3", "evidence": "E", "comment": "C", "assessor": "A"}},
        expected_version=None,
    )
    diagnostics.recommendation_save(
        actor=None, assessment=review, area="SP", text="Automate selectivity", elements=[e["O1.1"]]
    )
    study = trs.dataset_upload(
        actor=None,
        administration=world.unit("ADM"),
        name="Study",
        description="A study",
        upload=SimpleUploadedFile("study.csv", _data_file()),
    )
    trs.binding_save(
        actor=None, indicator=world.indicators["west"], dataset=study, statistic="mean", filters={"office": PAYLOADS[0]}
    )
    plans.risk_save(
        actor=None, element=e["I1.1.1"], description="Risk", likelihood=3, impact=3, mitigation="M", owner="O"
    )
    plans.analysis_item_save(
        actor=None, plan=world.plan, framework="swot", category="strength", text="Strong", objectives=[e["O1.1"]]
    )
    plans.function_save(actor=None, plan=world.plan, name="Function", priority="high", description="Does")
    quality.quality_rule_set(actor=None, plan=world.plan, rule="Q602", enabled=False, severity="", reason="Because")
    indicators.target_set(actor=None, indicator=world.indicators["west"], period="2013", value=Decimal(10), reason="R")
    org.api_token_create(actor=world.users["administrator"], name="Script")
    # what a plan file from another installation brought: written by the import, read on pages
    carried = CarriedRecommendation.objects.create(
        plan=world.plan, position=1, assessment_reference="DIAG-2006", number=1, area="SP", finding="F", text="T"
    )
    carried.elements.add(e["O1.1"])
    notify(
        recipient=world.users["planner"],
        key="planted",
        message=Message(subject="A notice", body="Element titles travel in notices", url="/inbox/"),
    )
    crew = roadmap.team_save(actor=None, plan=world.plan, code="PROJ", name="Team", capacity=2)
    for code, months in (("A1.1.1.1", 4), ("I1.2.1", 3)):
        roadmap.item_save(actor=None, element=e[code], values={"duration_months": months}, demands={crew: 1})
    roadmap.dependency_add(actor=None, before=e["A1.1.1.1"], after=e["I1.2.1"])
    roadmap.scenario_create(actor=None, plan=world.plan, name="First", time_limit_s=2, run_now=True)
    _plant_monitoring(world)
    _plant_documents(world)  # before the attribution below, which names no unit (a file could not)
    _plant_approval_rounds_and_people(world)
    _plant_workshops(world)
    _plant_translations(world)

    # every other text column, as a person would have typed it through a form or the API
    for model, fields in swept_fields().items():
        rows = list(model._default_manager.all())
        assert rows, f"no {model._meta.label} to plant in: make one above"
        for row in rows:
            values = {f.name: poisoned(getattr(row, f.name) or "", f.max_length) for f in fields}
            model._default_manager.filter(pk=row.pk).update(**values)

    # the attack of issue 12, through the API: a contributor's element title
    _token, key = org.api_token_create(actor=world.users["contributor"], name="attack")
    element = PlanElement.objects.get(pk=e["A1.1.1.1"].pk)
    response = client.patch(
        f"/api/elements/{element.pk}",
        data=json.dumps({"title": f"Build two lanes {PAYLOADS[0]}", "version": element.version}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200, response.content
    # solved after the planting, so that what the scenario keeps carries the payloads too
    roadmap.scenario_create(actor=None, plan=world.plan, name=f"Second {PAYLOADS[1]}", time_limit_s=2, run_now=True)
    # ... and so for a stored version of the plan, and a review's record of what it edited
    plans.plan_set_status(actor=world.users["planner"], plan=world.plan, status="under_review")
    plans.plan_set_status(actor=world.users["planner"], plan=world.plan, status="draft")
    scanner = planning_round(world).proposals.get(origin__unit__code="BP-S1")
    rounds.proposal_review(
        actor=world.users["contributor"],
        proposal=scanner,
        decision="accept",
        expected_version=scanner.version,
        edits={"title": f"Scanner {PAYLOADS[0]}"},
    )
    competencies = CompetencyFramework.objects.get(administration=world.unit("ADM"))
    competencies.document = _poisoned_texts(competencies.document)
    competencies.save(update_fields=["document"])
    # after the sweep, which wrote a payload in every person's language too (one no page
    # speaks, so their browser's is used): the administrator reads in French
    User.objects.filter(pk=world.users["administrator"].pk).update(language="fr")


def _plant_translations(world: World) -> None:
    """The plan kept in French, its texts and its elements' as payloads, through the plan's
    services as the plan's forms write them; the administrator who opens every page reads in
    French, so the pages show the translations, and for the two elements left untranslated the
    main text with its language's marker (plans/templatetags/plan_text.py)."""
    from waypoint.plans import services as plans
    from waypoint.plans.translations import ELEMENT_FIELDS, ELEMENT_LIMITS, PLAN_FIELDS, PLAN_LIMITS

    plan = Plan.objects.get(pk=world.plan.pk)
    texts = {name: poisoned(getattr(plan, name) or name, PLAN_LIMITS.get(name)) for name in PLAN_FIELDS}
    plans.plan_update(actor=None, plan=plan, expected_version=None, changes={"translations": {"fr": texts}})
    for element in PlanElement.objects.filter(plan=plan).exclude(code__in=["A1.1.1.1", "I1.2.1"]):
        texts = {name: poisoned(getattr(element, name) or name, ELEMENT_LIMITS.get(name)) for name in ELEMENT_FIELDS}
        plans.element_update(
            actor=None, element=element, expected_version=None, changes={"translations": {"fr": texts}}
        )


def _plant_monitoring(world: World) -> None:
    """Rows for the sweep to plant in: the matrix's reporting calendar (its reports and their
    assignments: values and progress updates with comments, evidence, achievements, issues and
    next steps), a waived report's reason, the matrix's follow-up action with a comment and a
    cancellation reason, and its review meeting."""
    from waypoint.monitoring import services as monitoring
    from waypoint.monitoring.models import FollowUpAction, Submission

    monitoring_report(world)  # the calendar, its reports and assignments
    waived = Submission.objects.get(pk=monitoring_report(world, "BP-S1", "2012"))
    monitoring.submission_waive(actor=None, submission=waived, reason="Post closed")
    action = FollowUpAction.objects.get(pk=follow_up_action(world))
    monitoring.action_comment(actor=world.users["contributor"], action=action, text="Any news?")
    spare = monitoring.action_create(
        actor=None, plan=world.plan, title="Spare", owner_unit=world.unit("RD-S"), due_on=dt.date(2013, 9, 30)
    )
    monitoring.action_set_status(actor=None, action=spare, status="cancelled", reason="Merged")
    meeting(world)


def _plant_documents(world: World) -> None:
    """Rows for the sweep: a rendered document (its error text is planted), the
    administration's DOCX template (its file name) and a staged plan workbook (its file name)."""
    from waypoint.documents import services as documents
    from waypoint.documents.templating import default_template
    from waypoint.documents.workbook import plan_workbook
    from waypoint.plans.planfile import plan_export

    rendered(world)
    documents.template_upload(
        actor=world.users["planner"], plan=world.plan, name="letterhead.docx", content=default_template()
    )
    copy = plan_export(world.plan)
    copy["plan"]["title"] = "A copy"  # a workbook of another plan: this one's title is taken
    documents.workbook_stage(actor=world.users["planner"], name="plan.xlsx", content=plan_workbook(copy))
    from waypoint.documents.logframes import MappingSpec

    documents.mapping_save(
        actor=world.users["planner"],
        administration=world.unit("ADM"),
        name="Own layout",
        spec=MappingSpec(
            sheet="LF",
            header_row=2,
            columns={"title": poisoned("Narrative summary", None), "targets": [poisoned("Target 2013", None)]},
            level_mode="column",
            levels={poisoned("Purpose", None): "objective"},
        ),
    )


def _plant_approval_rounds_and_people(world: World) -> None:
    """Rows for the sweep to plant in: an approved plan amended (its versions), the matrix's
    planning round with a comment and an attribution, and the workforce with a solved
    allocation run and a read of an officer's record."""
    from waypoint.people.privacy import record_read
    from waypoint.plans import services as plans
    from waypoint.rounds.models import ElementAttribution

    plans.plan_set_status(actor=world.users["planner"], plan=world.plan, status="under_review")
    plans.plan_set_status(actor=world.users["approver"], plan=world.plan, status="approved", note="Approved")
    plans.amendment_open(actor=world.users["planner"], plan=world.plan, reason="Targets re-based")
    round_ = planning_round(world)
    rounds.comment_add(
        actor=world.users["contributor"], body="Why a scanner?", submission=round_.submissions.get(unit__code="BP-S1")
    )
    # what a plan file from another installation brought (see the carried recommendation above)
    ElementAttribution.objects.create(element=world.elements["I1.1.1"], source="Round 2011: proposed by a post")
    workforce = make_workforce(world)
    allocation_run(world)
    record_read(reader=world.users["hr"], officer=workforce.officers["T0001"], via="record")


def _plant_workshops(world: World) -> None:
    """Rows for the sweep: the matrix's workshop (an exercise of each kind, a guest and a
    note) with a cluster, a board whose column labels are payloads, and a result put into the
    plan, one into the action register and one into the planning round (their outcomes'
    labels)."""
    from waypoint.workshops import services as workshops

    made = room(world)
    workshops.exercise_save(
        actor=None,
        workshop=made.workshop,
        kind="board",
        title="Causes",
        columns=[{"key": "cause", "label": f"Causes {PAYLOADS[0]}"}, {"key": "effect", "label": PAYLOADS[1]}],
    )
    cluster = workshops.cluster_save(actor=None, exercise=made.board, name="Staff", column="strength")
    note = made.board.notes.get()
    workshops.note_cluster(actor=None, note=note, cluster=cluster)
    workshops.to_analysis_item(
        actor=None, exercise=made.board, framework="swot", category="strength", text="Skilled", cluster=cluster
    )
    workshops.action_create(
        actor=None,
        exercise=made.board,
        title="Train the staff",
        owner_unit=world.unit("RD-S"),
        due_on=dt.date(2013, 6, 30),
        note=note,
    )
    # a result written into the planning round (the west's submission: the matrix finds the
    # south's proposals by their unit): the proposal's title and the outcome's label, in the
    # form's choices and the record
    workshops.to_proposal(
        actor=None,
        exercise=made.board,
        unit=world.unit("RD-W"),
        title="Staff plan",
        parent_element=world.elements["G1"],
        cluster=cluster,
    )


def _poisoned_texts(value: Any) -> Any:
    """``value`` (a framework document) with payloads after every name, description, label
    and level descriptor; codes, numbers and structure unchanged."""
    if isinstance(value, list):
        return [_poisoned_texts(v) for v in value]
    if not isinstance(value, dict):
        return value
    found: dict[str, Any] = {}
    for key, item in value.items():
        if key in ("name", "description", "label") and isinstance(item, str):
            found[key] = poisoned(item, None)
        elif key == "descriptors" and isinstance(item, dict):
            found[key] = {k: poisoned(str(v), None) for k, v in item.items()}
        else:
            found[key] = _poisoned_texts(item)
    return found


PROBE = """
window.__refused = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__refused.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber);
});
"""

#: markup that only a planted payload would have made
PLANTED_MARKUP = (
    "[onerror], [onload], [onclick], [onmouseover], [onfocus], a[href^='javascript:' i], "
    "script:not([src]):not([type='application/json']), img[src='x']"
)


class Probe:
    """A signed-in tab that records what a page must never do."""

    def __init__(self, session: Session, username: str) -> None:
        self.page: Page = session.page
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.page.context.add_init_script(PROBE)
        self.page.on("dialog", self._dialog)
        # a violation by an element not yet in the document fires no event on the document:
        # the console reports every one
        self.page.on("console", self._console)
        # and a page whose own script broke (a library refused something and threw)
        self.page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))
        session.sign_in(username)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def check(self, where: str) -> None:
        page = self.page
        assert page.evaluate("window.__xss") is None, f"a planted script ran on {where}"
        assert self.dialogs == [], f"a dialog opened on {where}: {self.dialogs}"
        assert page.evaluate("window.__refused") == [], f"the policy refused something on {where}"
        assert self.console == [], f"errors on {where}: {self.console}"
        found = page.evaluate(f"Array.from(document.querySelectorAll({PLANTED_MARKUP!r})).map(e => e.outerHTML)")
        assert found == [], f"planted markup became markup on {where}: {found}"


def _draws(page: Page) -> None:
    """Wait for what the page draws with its own scripts: Vega charts (no eval: they fail
    without the interpreter) and the Gantt."""
    for chart in page.locator("[data-vega-spec]").all():
        expect(chart.locator("svg.marks")).to_be_visible()
    if page.locator("[data-gantt]").count():
        expect(page.locator("[data-gantt] .bar-wrapper").first).to_be_visible()


def _strict(header: str) -> str:
    """``header`` if it is the policy issue 12 asks for: the pages' own files only, no inline
    script, no eval, nothing framed or plugged in."""
    directives = {part.split()[0]: set(part.split()[1:]) for part in header.split(";") if part.strip()}
    assert directives["default-src"] == {"'self'"}
    assert directives["script-src"] == {"'self'"}
    assert "script-src-attr" not in directives and "script-src-elem" not in directives
    assert directives["style-src"] == {"'self'"}
    assert directives["object-src"] == {"'none'"}
    assert directives["frame-ancestors"] == {"'none'"}
    assert directives["base-uri"] == {"'self'"} and directives["form-action"] == {"'self'"}
    assert directives["img-src"] <= {"'self'", "data:"}
    return header


@pytest.fixture
def poisoned_world(transactional_db: None, live_server: Any, tmp_path: Path, settings: Any, client: Client) -> World:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.WAYPOINT_TRS_DATA = tmp_path / "trs-data"
    settings.WAYPOINT_TRS_STUDIES = tmp_path / "trs-studies"
    world = build_world()
    plant(world, client)
    return world


def test_no_planted_script_runs_on_any_page(
    poisoned_world: World, browser: Browser, live_server: Any, tmp_path: Path
) -> None:
    world = poisoned_world
    # the matrix's own objects are the planted ones
    assert scenario(world) and team(world) and assessment(world) and recommendation(world) and dataset(world)
    session = Session(browser, live_server.url)
    try:
        probe = Probe(session, "administrator")
        page = probe.page
        policy = None
        urls = [case.url(world) for case in CASES if case.method == "get"]
        urls += [
            reverse("trs-dataset", args=[dataset(world)]) + "?by=office",  # the planted offices, row by row
            "/no/such/page/",  # the error pages too
        ]
        opened = 0
        for url in urls:
            answer = page.request.get(live_server.url + url)
            header = answer.headers.get("content-security-policy")
            assert header, f"no Content-Security-Policy on {url}"
            policy = policy or _strict(header)
            assert header == policy, f"{url} has another policy: {header}"
            if "text/html" not in answer.headers.get("content-type", ""):
                continue  # a download (an export): nothing runs in it
            page.goto(live_server.url + url)
            _draws(page)
            probe.check(url)
            opened += 1
        assert opened >= 60

        # the interactions: htmx swaps, chart tooltips, the Gantt's popup
        page.goto(live_server.url + reverse("plan-tree", args=[world.plan.pk]))
        with page.expect_response(lambda r: "/tree/" in r.url and "q=" in r.url):
            page.fill("#id_q", "{{7*7}}")
        expect(page.locator("#tree")).to_contain_text("{{7*7}}")
        probe.check("the filtered plan tree")
        # the pages were read in French: the planted translations, and the marker of the two
        # elements shown in the plan's main language
        page.goto(live_server.url + reverse("plan-tree", args=[world.plan.pk]))
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.locator("#tree .fallback-language")).not_to_have_count(0)
        expect(page.locator("#tree")).to_contain_text("<img src=x")

        page.goto(live_server.url + reverse("indicator-detail", args=[world.indicators["west"].pk]))
        _draws(page)
        page.locator("[hx-get*='/targets/']").first.click()
        expect(page.locator("form[hx-post*='/targets/']")).to_be_visible()
        page.locator("[data-vega-spec] svg.marks .mark-symbol path").first.hover(force=True)
        expect(page.locator("#vg-tooltip-element")).to_be_visible()
        probe.check("the indicator page's target form and tooltip")

        page.goto(live_server.url + reverse("roadmap", args=[world.plan.pk]))
        _draws(page)
        page.locator("[data-gantt] .bar-wrapper .bar").first.click()
        expect(page.locator(".gantt-container .popup-wrapper .title")).to_contain_text("<img src=x")
        page.locator('[data-vega-spec="team-chart"] svg.marks path[aria-roledescription]').first.hover()
        expect(page.locator("#vg-tooltip-element")).to_contain_text("<img src=x")
        page.screenshot(path=str(tmp_path / "roadmap-planted.png"))
        probe.check("the roadmap's popup and tooltip")
    finally:
        session.close()
