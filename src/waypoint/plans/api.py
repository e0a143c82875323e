from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from waypoint.core.apischema import MONTH, Omittable, TextLimits
from waypoint.core.errors import InvalidInput
from waypoint.engine.periods import month_code
from waypoint.engine.quality import CATALOGUE, Severity
from waypoint.org.access import planned_administration, request_user, require_any_role
from waypoint.org.models import OrgUnit
from waypoint.plans import permissions, planfile, quality, selectors, services
from waypoint.plans.models import Amendment, Plan, PlanElement, PlanStatus, PlanVersion, QualityRuleSetting

router = Router(tags=["plans"])


class PlanOut(Schema):
    id: int
    title: str
    start_year: int
    end_year: int
    status: str
    tier_template: str
    currency: str
    vision: str
    mission: str
    values: str
    summary: str
    administration: str
    version: int


def plan_out(plan: Plan) -> PlanOut:
    return PlanOut(
        id=plan.pk,
        title=plan.title,
        start_year=plan.start_year,
        end_year=plan.end_year,
        status=plan.status,
        tier_template=plan.tier_template,
        currency=plan.currency,
        vision=plan.vision,
        mission=plan.mission,
        values=plan.values,
        summary=plan.summary,
        administration=plan.administration.code,
        version=plan.version,
    )


class PlanIn(TextLimits, Schema):
    limits_from = Plan

    administration: str | None = Field(
        None, description="Code of the administration the plan is for; needed when you plan for several."
    )
    title: str
    start_year: int
    end_year: int
    tier_template: str = "customs"
    currency: str = "AZN"
    vision: str = ""
    mission: str = ""
    values: str = ""
    summary: str = ""


class PlanPatch(TextLimits, Schema):
    limits_from = Plan

    version: int = Field(description="The version you read; a stale version is refused with 409.")
    title: Omittable[str] = None
    start_year: Omittable[int] = None
    end_year: Omittable[int] = None
    currency: Omittable[str] = None
    vision: Omittable[str] = None
    mission: Omittable[str] = None
    values: Omittable[str] = None
    summary: Omittable[str] = None


class StatusIn(TextLimits, Schema):
    limits_from = Plan

    status: str
    note: str = ""


class ElementOut(Schema):
    id: int
    code: str
    kind: str
    parent_id: int | None
    position: int
    title: str
    description: str
    tier: str
    responsible_unit: str
    lead: str
    starts_on: str | None
    ends_on: str | None
    status: str
    assumptions: str
    health: str
    partial_indicators: int = Field(
        0,
        description="Indicators on it or below it whose newest value was reported by too few units to count; "
        "their status (and so the health) comes from an earlier period.",
    )
    version: int


def element_out(element: PlanElement, health: str = "no_data", partial: int = 0) -> ElementOut:
    return ElementOut(
        id=element.pk,
        code=element.code,
        kind=element.kind,
        parent_id=element.parent_id,
        position=element.position,
        title=element.title,
        description=element.description,
        tier=element.tier.key,
        responsible_unit=element.responsible_unit.code,
        lead=element.lead,
        starts_on=month_code(element.starts_on),
        ends_on=month_code(element.ends_on),
        status=element.status,
        assumptions=element.assumptions,
        health=health,
        partial_indicators=partial,
        version=element.version,
    )


class ElementIn(TextLimits, Schema):
    limits_from = PlanElement

    parent_id: int | None = Field(None, description="Empty for a goal.")
    title: str
    responsible_unit: str = Field(description="Unit code, e.g. HQ-RMD.")
    tier: str | None = Field(None, description="Tier key; empty for the default tier of the kind.")
    description: str = ""
    lead: str = ""
    starts_on: str | None = Field(None, pattern=MONTH)
    ends_on: str | None = Field(None, pattern=MONTH)
    status: str = "not_started"
    assumptions: str = ""


class ElementPatch(TextLimits, Schema):
    limits_from = PlanElement

    version: int
    title: Omittable[str] = None
    responsible_unit: Omittable[str] = None
    tier: Omittable[str] = None
    description: Omittable[str] = None
    lead: Omittable[str] = None
    starts_on: str | None = Field(None, pattern=MONTH, description="null clears the date.")
    ends_on: str | None = Field(None, pattern=MONTH, description="null clears the date.")
    status: Omittable[str] = None
    assumptions: Omittable[str] = None


def _unit(plan: Plan, code: str, location: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code, path__startswith=plan.administration.path).first()
    if unit is None:
        raise InvalidInput.at(location, _("Unknown unit %(code)s in this administration.") % {"code": code})
    return unit


def _tier(plan: Plan, key: str, location: str) -> Any:
    tier = plan.tiers.filter(key=key).first()
    if tier is None:
        raise InvalidInput.at(
            location,
            _("Unknown tier '%(key)s'; this plan has %(keys)s.")
            % {"key": key, "keys": ", ".join(plan.tiers.values_list("key", flat=True))},
        )
    return tier


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text + "-01") if text else None


@router.get("/plans", response=list[PlanOut])
def list_plans(request: HttpRequest) -> list[PlanOut]:
    require_any_role(request.user)
    return [plan_out(p) for p in selectors.plans_for(request.user).order_by("-start_year", "title")]


@router.post("/plans", response={201: PlanOut})
def create_plan(request: HttpRequest, payload: PlanIn) -> Status[PlanOut]:
    fields = payload.dict()
    administration = planned_administration(
        request.user,
        fields.pop("administration"),
        location="$.administration",
        refusal=_("Only planners can start a plan."),
    )
    plan = services.plan_create(actor=request_user(request), administration=administration, **fields)
    return Status(201, plan_out(plan))


class FileNoteOut(Schema):
    location: str = Field(description="JSON path in the imported file.")
    message: str


class PlanImportOut(PlanOut):
    imported_status: str = Field(description="The plan's status in the file; here it starts as a draft.")
    units_created: list[str] = Field(description="Codes of the units the import added.")
    warnings: list[FileNoteOut] = Field(description="What the import kept without linking it here.")


@router.post(
    "/plans/import",
    response={201: PlanImportOut},
    summary="Create a plan, as a draft, from a portable JSON file (the request body)",
)
def import_plan(request: HttpRequest) -> Status[PlanImportOut]:
    """Rights come first inside the import: the file's checks compare it with what is stored
    (units, plans), and their messages must not reach somebody who may not import into that
    administration."""
    report = planfile.plan_import_report(request.body, actor=request_user(request))
    plan = report.plan
    return Status(
        201,
        PlanImportOut(
            **plan_out(plan).dict(),
            imported_status=plan.imported_status,
            units_created=report.units_created,
            warnings=[FileNoteOut(location=w.location, message=w.message) for w in report.warnings],
        ),
    )


@router.get("/plans/{plan_id}", response=PlanOut)
def get_plan(request: HttpRequest, plan_id: int) -> PlanOut:
    return plan_out(selectors.plan_for(request.user, plan_id))


@router.patch("/plans/{plan_id}", response=PlanOut)
def patch_plan(request: HttpRequest, plan_id: int, payload: PlanPatch) -> PlanOut:
    plan = selectors.plan_for(request.user, plan_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if k != "version"}
    services.plan_update(actor=request_user(request), plan=plan, expected_version=payload.version, changes=changes)
    plan.refresh_from_db()
    return plan_out(plan)


@router.post("/plans/{plan_id}/status", response=PlanOut)
def set_plan_status(request: HttpRequest, plan_id: int, payload: StatusIn) -> PlanOut:
    plan = selectors.plan_for(request.user, plan_id)
    services.plan_set_status(actor=request_user(request), plan=plan, status=payload.status, note=payload.note)
    return plan_out(plan)


# --- approval, amendments, versions ------------------------------------------------------------


class DecisionIn(Schema):
    decision: Literal["submit", "withdraw", "approve", "return", "supersede"] = Field(
        description="submit (planners), withdraw (planners), approve or return (approvers), supersede (approvers)."
    )
    comment: str = Field("", description="Required to return a plan; kept with the version the decision stores.")


_DECISIONS = {
    "submit": PlanStatus.UNDER_REVIEW,
    "withdraw": PlanStatus.DRAFT,
    "return": PlanStatus.DRAFT,
    "approve": PlanStatus.APPROVED,
    "supersede": PlanStatus.SUPERSEDED,
}


class VersionOut(Schema):
    number: int
    event: str
    at: dt.datetime
    by: str
    position: str
    comment: str
    amendment: int | None


def version_out(version: PlanVersion) -> VersionOut:
    return VersionOut(
        number=version.number,
        event=version.event,
        at=version.at,
        by=version.actor_name,
        position=version.actor_title,
        comment=version.comment,
        amendment=version.amendment.number if version.amendment else None,
    )


class AmendmentIn(Schema):
    reason: str = Field(description="Why the approved plan changes.")


class AmendmentOut(Schema):
    number: int
    reason: str
    status: str
    opened_at: dt.datetime
    opened_by: str
    approved_at: dt.datetime | None


def amendment_out(amendment: Amendment) -> AmendmentOut:
    return AmendmentOut(
        number=amendment.number,
        reason=amendment.reason,
        status=amendment.status,
        opened_at=amendment.opened_at,
        opened_by=amendment.opened_by_name,
        approved_at=amendment.closed_at,
    )


@router.post("/plans/{plan_id}/decision", response=PlanOut, tags=["approval"])
def decide_plan(request: HttpRequest, plan_id: int, payload: DecisionIn) -> PlanOut:
    """Submit the plan for approval, withdraw it, approve it or return it with comments, or mark
    it superseded. Each submission and decision stores the plan file as a version."""
    plan = selectors.plan_for(request.user, plan_id)
    if payload.decision == "return" and not permissions.can_approve(request.user, plan):
        permissions.require(False, _("Only approvers return a plan; a planner withdraws it."))
    if payload.decision == "withdraw" and permissions.can_approve(request.user, plan):
        permissions.require(False, _("An approver returns the plan, with comments."))
    services.plan_set_status(
        actor=request_user(request), plan=plan, status=_DECISIONS[payload.decision], note=payload.comment
    )
    return plan_out(plan)


@router.get("/plans/{plan_id}/amendments", response=list[AmendmentOut], tags=["approval"])
def list_amendments(request: HttpRequest, plan_id: int) -> list[AmendmentOut]:
    plan = selectors.plan_for(request.user, plan_id)
    return [amendment_out(a) for a in plan.amendments.order_by("number")]


@router.post("/plans/{plan_id}/amendments", response={201: AmendmentOut}, tags=["approval"])
def open_amendment(request: HttpRequest, plan_id: int, payload: AmendmentIn) -> Status[AmendmentOut]:
    """Open an amendment of an approved plan (planners): it is a draft again until approved."""
    plan = selectors.plan_for(request.user, plan_id)
    amendment = services.amendment_open(actor=request_user(request), plan=plan, reason=payload.reason)
    return Status(201, amendment_out(amendment))


@router.get("/plans/{plan_id}/versions", response=list[VersionOut], tags=["approval"])
def list_versions(request: HttpRequest, plan_id: int) -> list[VersionOut]:
    """Every stored version, newest first: who submitted, approved, returned or amended, when and why."""
    plan = selectors.plan_for(request.user, plan_id)
    return [version_out(v) for v in selectors.plan_versions(plan)]


@router.get("/plans/{plan_id}/versions/compare", tags=["approval"], summary="What changed between two versions")
def compare_versions(request: HttpRequest, plan_id: int, old: int, new: int = 0) -> dict[str, Any]:
    """The same comparison as the page and ``waypoint plan diff``; ``new=0`` is the plan now."""
    plan = selectors.plan_for(request.user, plan_id)
    return selectors.version_compare(plan, old, new).as_dict()


@router.get("/plans/{plan_id}/versions/{number}", tags=["approval"], summary="One stored version's plan file")
def get_version(request: HttpRequest, plan_id: int, number: int) -> dict[str, Any]:
    plan = selectors.plan_for(request.user, plan_id)
    document: dict[str, Any] = selectors.version_for(plan, number).document
    return document


@router.get("/plans/{plan_id}/export", summary="The whole plan as the portable JSON file")
def export_plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id)
    response = HttpResponse(planfile.plan_export_json(plan), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}.json"'
    return response


@router.get(
    "/plans/{plan_id}/elements",
    response=list[ElementOut],
    summary="Every element of the plan in tree order, with its health",
)
def list_elements(request: HttpRequest, plan_id: int) -> list[ElementOut]:
    plan = selectors.plan_for(request.user, plan_id)
    overview = selectors.plan_overview(plan)
    out: list[ElementOut] = []

    def walk(nodes: Sequence[selectors.TreeNode]) -> None:
        for node in nodes:
            out.append(element_out(node.element, node.health.status.value, node.health.partial))
            walk(node.children)

    walk(overview.roots)
    return out


@router.post("/plans/{plan_id}/elements", response={201: ElementOut})
def create_element(request: HttpRequest, plan_id: int, payload: ElementIn) -> Status[ElementOut]:
    plan = selectors.plan_for(request.user, plan_id)
    parent = selectors.element_for(request.user, payload.parent_id) if payload.parent_id else None
    element = services.element_create(
        actor=request_user(request),
        plan=plan,
        parent=parent,
        title=payload.title,
        responsible_unit=_unit(plan, payload.responsible_unit, "$.responsible_unit"),
        tier=_tier(plan, payload.tier, "$.tier") if payload.tier else None,
        description=payload.description,
        lead=payload.lead,
        starts_on=_day(payload.starts_on),
        ends_on=_day(payload.ends_on),
        status=payload.status,
        assumptions=payload.assumptions,
    )
    return Status(201, element_out(element))


@router.get("/elements/{element_id}", response=ElementOut)
def get_element(request: HttpRequest, element_id: int) -> ElementOut:
    return element_out(selectors.element_for(request.user, element_id))


@router.patch("/elements/{element_id}", response=ElementOut)
def patch_element(request: HttpRequest, element_id: int, payload: ElementPatch) -> ElementOut:
    element = selectors.element_for(request.user, element_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    changes: dict[str, Any] = {}
    for name, value in data.items():
        if name == "responsible_unit":
            changes[name] = _unit(element.plan, value, "$.responsible_unit")
        elif name == "tier":
            changes[name] = _tier(element.plan, value, "$.tier")
        elif name in ("starts_on", "ends_on"):
            changes[name] = _day(value)
        else:
            changes[name] = value
    services.element_update(actor=request_user(request), element=element, expected_version=version, changes=changes)
    element.refresh_from_db()
    return element_out(element)


@router.delete("/elements/{element_id}", response={200: dict[str, int]})
def delete_element(request: HttpRequest, element_id: int) -> dict[str, int]:
    element = selectors.element_for(request.user, element_id)
    permissions.require(permissions.can_view_plan(request.user, element.plan))
    return services.element_delete(actor=request_user(request), element=element)


# --- plan quality -----------------------------------------------------------------------------------


class FindingOut(Schema):
    rule: str
    severity: str
    subject: str
    code: str
    message: str


class HealthOut(Schema):
    counts: dict[str, int]
    findings: list[FindingOut]
    switched_off: list[dict[str, str]]


@router.get("/plans/{plan_id}/health", response=HealthOut, tags=["plan quality"])
def plan_health(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    """The plan's quality findings: the same list as the Health page and ``waypoint check``."""
    report = quality.plan_quality(selectors.plan_for(request.user, plan_id))
    return {
        "counts": {s.value: report.count(s) for s in Severity},
        "findings": [f.as_dict() for f in report.findings],
        "switched_off": [{"rule": s.rule, "reason": s.reason} for s in report.switched_off],
    }


class RuleOut(Schema):
    code: str
    name: str
    severity: str
    about: str
    why: str
    fix: str


@router.get("/quality/rules", response=list[RuleOut], tags=["plan quality"])
def quality_rules(request: HttpRequest) -> list[dict[str, str]]:
    return [r.as_dict() for r in CATALOGUE.values()]


class RuleSettingIn(TextLimits, Schema):
    limits_from = QualityRuleSetting

    enabled: bool = True
    severity: str = ""
    reason: str = ""


@router.put("/plans/{plan_id}/quality-rules/{rule}", response=HealthOut, tags=["plan quality"])
def set_quality_rule(request: HttpRequest, plan_id: int, rule: str, payload: RuleSettingIn) -> dict[str, Any]:
    """Switch a rule off or re-grade it for the plan (a reason is required); checked at its
    default severity removes the setting. Returns the findings afterwards."""
    plan = selectors.plan_for(request.user, plan_id)
    quality.quality_rule_set(
        actor=request_user(request),
        plan=plan,
        rule=rule,
        enabled=payload.enabled,
        severity=payload.severity,
        reason=payload.reason,
    )
    return plan_health(request, plan_id)
