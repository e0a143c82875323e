"""Rights on diagnostics. Frameworks are reference data shared by every administration: any
planner may import one. Assessments belong to an administration: everyone with a role there
reads them; its planners and administrators write them."""

from __future__ import annotations

from typing import Any

from waypoint.diagnostics.models import Assessment
from waypoint.org.access import Access
from waypoint.org.models import OrgUnit


def can_import_framework(user: Any) -> bool:
    access = Access.of(user)
    return any(access.is_planner(path) for path in access.administration_paths())


def can_view_assessment(user: Any, assessment: Assessment) -> bool:
    return Access.of(user).can_read(assessment.administration.path)


def can_edit_assessments(user: Any, administration: OrgUnit) -> bool:
    return Access.of(user).is_planner(administration.path)
