"""The rules of the org tree, written once: the unit services and the plan file (which may
bring units with it) both call them. Pure functions returning problems located by field name."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from waypoint.core.errors import Problem
from waypoint.org.models import UnitKind

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}$")


def unit_problems(*, code: str, kind: str) -> list[Problem]:
    """A unit's code and type."""
    problems = []
    if not CODE_PATTERN.match(code):
        problems.append(Problem("code", _("Use capital letters, digits and dashes (at most 32), e.g. BP-AST.")))
    if kind not in UnitKind.values:
        problems.append(Problem("kind", _("Unknown unit type '%(kind)s'.") % {"kind": kind}))
    return problems


def unit_place_problems(*, kind: str, has_parent: bool) -> list[Problem]:
    """Administrations, and only they, sit at the top of the tree."""
    if not has_parent and kind != UnitKind.ADMINISTRATION:
        return [Problem("parent", _("Only an administration can sit at the top of the tree."))]
    if has_parent and kind == UnitKind.ADMINISTRATION:
        return [Problem("kind", _("An administration cannot sit below another unit."))]
    return []
