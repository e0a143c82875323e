"""Every write to diagnostics: one transaction each, with its audit record, rights checked
(``actor=None`` is the system: the demo builder)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core.audit import Action, audit_record, audited_delete, diff, snapshot
from waypoint.core.errors import InvalidInput, NotAllowed, Problem
from waypoint.core.versioning import save_if_unchanged
from waypoint.diagnostics import permissions
from waypoint.diagnostics.errors import FrameworkFileInvalid
from waypoint.diagnostics.models import Assessment, Framework, Rating, Recommendation
from waypoint.diagnostics.selectors import framework_model
from waypoint.engine.diagnostics.framework import framework_document, framework_from_document, parse_text
from waypoint.engine.located import DocumentError
from waypoint.org.models import OrgUnit, User
from waypoint.plans.models import Plan, PlanElement

ASSESSMENT_FIELDS = ("reference", "title", "assessed_on", "kind", "assessors", "summary")
RECOMMENDATION_FIELDS = ("area", "priority", "finding", "text")


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed(_("Only planners of the administration may change its diagnostics."))


def framework_import(*, actor: User | None, content: str | bytes, filename: str = "") -> Framework:
    """Read a framework file (YAML or JSON) and store it. The file is read and checked before
    the write transaction opens, so a large file does not hold the database's write lock.

    Raises:
        NotAllowed: the actor may not import frameworks.
        FrameworkFileInvalid: every problem of the file, located by JSON path; nothing is stored.
    """
    if actor is not None:
        _require(permissions.can_import_framework(actor))
    try:
        framework = framework_from_document(parse_text(content, filename=filename))
    except DocumentError as error:
        problems = [Problem(path, message) for path, message in error.problems]
        raise FrameworkFileInvalid(
            ngettext(
                "The framework file has %(n)d problem; nothing was imported.",
                "The framework file has %(n)d problems; nothing was imported.",
                len(problems),
            )
            % {"n": len(problems)},
            problems=problems,
        ) from error
    document = framework_document(framework)
    with transaction.atomic():
        if Framework.objects.filter(code=framework.code, version=framework.version).exists():
            raise FrameworkFileInvalid(
                _("Framework %(code)s version “%(v)s” is already imported; give the file a new version.")
                % {"code": framework.code, "v": framework.version},
                problems=[Problem("$.version", _("already imported"))],
            )
        stored = Framework.objects.create(
            code=framework.code,
            version=framework.version,
            name=framework.name,
            description=framework.description,
            document=document,
            imported_by=actor,
        )
        audit_record(
            actor=actor,
            action=Action.IMPORT,
            instance=stored,
            changes={"areas": len(framework.areas), "criteria": len(framework.criteria)},
        )
    return stored


def _check_assessment(administration: OrgUnit, reference: str, assessment: Assessment | None) -> None:
    clash = Assessment.objects.filter(administration=administration, reference=reference)
    if assessment is not None:
        clash = clash.exclude(pk=assessment.pk)
    if clash.exists():
        raise InvalidInput.at("reference", _("Another assessment already uses the reference %(r)s.") % {"r": reference})


@transaction.atomic
def assessment_save(
    *,
    actor: User | None,
    administration: OrgUnit,
    framework: Framework,
    reference: str,
    title: str,
    assessed_on: dt.date,
    kind: str,
    assessors: str = "",
    summary: str = "",
    plans: Iterable[Plan] = (),
    assessment: Assessment | None = None,
    expected_version: int | None = None,
) -> Assessment:
    """Create an assessment, or update one (its framework stays: ratings refer to its criteria)."""
    if actor is not None:
        _require(permissions.can_edit_assessments(actor, administration))
    reference = reference.strip()
    _check_assessment(administration, reference, assessment)
    plans = list(plans)
    if any(p.administration_id != administration.pk for p in plans):
        raise InvalidInput.at("plans", _("Only plans of the same administration can answer this assessment."))
    values = {
        "reference": reference,
        "title": title.strip(),
        "assessed_on": assessed_on,
        "kind": kind,
        "assessors": assessors.strip(),
        "summary": summary.strip(),
    }
    if assessment is None:
        assessment = Assessment.objects.create(administration=administration, framework=framework, **values)
        assessment.plans.set(plans)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            instance=assessment,
            changes=values | {"assessed_on": assessed_on.isoformat(), "plans": [p.pk for p in plans]},
        )
        return assessment
    before = snapshot(assessment, ASSESSMENT_FIELDS) | {"plans": sorted(assessment.plans.values_list("pk", flat=True))}
    for key, value in values.items():
        setattr(assessment, key, value)
    save_if_unchanged(assessment, expected_version=expected_version, fields=ASSESSMENT_FIELDS)
    assessment.plans.set(plans)
    after = snapshot(assessment, ASSESSMENT_FIELDS) | {"plans": sorted(p.pk for p in plans)}
    audit_record(actor=actor, action=Action.UPDATE, instance=assessment, changes=diff(before, after))
    return assessment


@transaction.atomic
def assessment_delete(*, actor: User | None, assessment: Assessment) -> None:
    if actor is not None:
        _require(permissions.can_edit_assessments(actor, assessment.administration))
    audited_delete(actor=actor, instance=assessment)


@transaction.atomic
def ratings_save(
    *,
    actor: User | None,
    assessment: Assessment,
    rows: Mapping[str, Mapping[str, str]],
    expected_version: int | None,
) -> Assessment:
    """Save the ratings of several criteria at once (a whole area from one form).

    ``rows`` maps a criterion code to ``current``, ``target``, ``evidence``, ``comment`` and
    ``assessor``; empty levels mean "not rated". The assessment's version guards the whole
    set, so two people rating the same assessment at once cannot overwrite each other.

    Raises:
        InvalidInput: unknown criteria or levels, located as ``<criterion>-current``.
    """
    if actor is not None:
        _require(permissions.can_edit_assessments(actor, assessment.administration))
    framework = framework_model(assessment.framework)
    criteria = {c.code for c in framework.criteria}
    problems = []
    for code, row in rows.items():
        if code not in criteria:
            problems.append(Problem(code, _("%(code)s is not a criterion of this framework.") % {"code": code}))
            continue
        for key in ("current", "target"):
            value = (row.get(key) or "").strip()
            if value:
                try:
                    framework.scale.position(value)
                except ValueError:
                    problems.append(Problem(f"{code}-{key}", _("“%(v)s” is not a level of the scale.") % {"v": value}))
    if problems:
        raise InvalidInput(problems[0].message, problems=problems)
    save_if_unchanged(assessment, expected_version=expected_version, fields=[])
    existing = {r.criterion: r for r in Rating.objects.filter(assessment=assessment, criterion__in=list(rows))}
    changes: dict[str, Any] = {}
    for code, row in rows.items():
        values = {key: (row.get(key) or "").strip() for key in ("current", "target", "evidence", "comment", "assessor")}
        rating = existing.get(code)
        if rating is None:
            if not any(values.values()):
                continue
            Rating.objects.create(assessment=assessment, criterion=code, **values)
            changes[code] = {key: [None, value] for key, value in values.items() if value}
            continue
        before = snapshot(rating, values)
        for key, value in values.items():
            setattr(rating, key, value)
        change = diff(before, values)
        if change:
            rating.save()
            changes[code] = change
    if changes:
        audit_record(actor=actor, action=Action.UPDATE, instance=assessment, changes={"ratings": changes})
    return assessment


def _check_elements(assessment: Assessment, elements: list[PlanElement]) -> None:
    plans = set(assessment.plans.values_list("pk", flat=True))
    stray = [e.code for e in elements if e.plan_id not in plans or e.kind not in ("objective", "initiative")]
    if stray:
        raise InvalidInput.at(
            "elements",
            _("Only objectives and initiatives of the plans that answer this assessment can address it: %(codes)s.")
            % {"codes": ", ".join(stray)},
        )


@transaction.atomic
def recommendation_save(
    *,
    actor: User | None,
    assessment: Assessment,
    area: str,
    text: str,
    priority: str = "medium",
    finding: str = "",
    elements: Iterable[PlanElement] = (),
    recommendation: Recommendation | None = None,
    expected_version: int | None = None,
) -> Recommendation:
    """Create or update a recommendation and the plan elements that address it."""
    if actor is not None:
        _require(permissions.can_edit_assessments(actor, assessment.administration))
    framework = framework_model(assessment.framework)
    if area not in {a.code for a in framework.areas}:
        raise InvalidInput.at("area", _("%(a)s is not an area of the framework.") % {"a": area})
    elements = list(elements)
    _check_elements(assessment, elements)
    values = {"area": area, "priority": priority, "finding": finding.strip(), "text": text.strip()}
    codes = sorted(e.code for e in elements)
    if recommendation is None:
        locked = Assessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)
        locked.last_recommendation_number += 1
        locked.save(update_fields=["last_recommendation_number"])
        recommendation = Recommendation.objects.create(
            assessment=assessment, number=locked.last_recommendation_number, **values
        )
        recommendation.elements.set(elements)
        audit_record(
            actor=actor, action=Action.CREATE, instance=recommendation, changes=values | {"addressed_by": codes}
        )
        return recommendation
    before = snapshot(recommendation, RECOMMENDATION_FIELDS) | {
        "addressed_by": sorted(recommendation.elements.values_list("code", flat=True))
    }
    for key, value in values.items():
        setattr(recommendation, key, value)
    save_if_unchanged(recommendation, expected_version=expected_version, fields=RECOMMENDATION_FIELDS)
    recommendation.elements.set(elements)
    after = snapshot(recommendation, RECOMMENDATION_FIELDS) | {"addressed_by": codes}
    audit_record(actor=actor, action=Action.UPDATE, instance=recommendation, changes=diff(before, after))
    return recommendation


@transaction.atomic
def recommendation_delete(*, actor: User | None, recommendation: Recommendation) -> None:
    if actor is not None:
        _require(permissions.can_edit_assessments(actor, recommendation.assessment.administration))
    audited_delete(actor=actor, instance=recommendation)
