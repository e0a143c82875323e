"""The parts of the plan file that other apps own, and helpers every part uses.

``plans`` writes the plan itself (units, plan, tiers, funding sources, elements, analysis,
functions, quality rule settings). Each app built on plans owns its part of the file (indicators,
the roadmap's teams and links, diagnostics' recommendations): it registers a ``FileSection`` in
its ``AppConfig.ready()``, so plans never imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, overload

from django.utils.translation import gettext as _

from waypoint.plans.models import FundingSource, Plan, PlanElement
from waypoint.plans.schemas import PlanFile

#: how a check reports a problem: ``add(json_path, message)``
Add = Callable[[str, str], None]


@dataclass(frozen=True)
class FileSection:
    """A part of the plan file that another app reads and writes (indicators, roadmap links,
    recommendations).

    ``check`` reports problems through ``add(json_path, message)`` before anything is written;
    ``warn`` reports, the same way, what the import will keep although it cannot link it here
    (the import goes ahead and lists them in its report); ``write`` runs inside the import's
    transaction once the elements exist.
    """

    key: str
    export: Callable[[Plan], list[dict[str, Any]]]
    check: Callable[[PlanFile, Add], None]
    write: Callable[[Plan, PlanFile, dict[str, PlanElement], dict[str, FundingSource]], None]
    funding_sources: Callable[[Plan], Iterable[FundingSource]] = lambda plan: ()
    #: codes of the org units the section refers to, so that the file lists them
    unit_codes: Callable[[Plan], Iterable[str]] = lambda plan: ()
    warn: Callable[[PlanFile, Add], None] = lambda doc, add: None


_SECTIONS: dict[str, FileSection] = {}


def register_section(section: FileSection) -> None:
    """Called from an app's ``ready()``; the file lists sections in the schema's order."""
    _SECTIONS[section.key] = section


def sections() -> list[FileSection]:
    order = list(PlanFile.model_fields)
    return sorted(_SECTIONS.values(), key=lambda s: order.index(s.key))


# --- values in the file -----------------------------------------------------------------------------


def number(value: Decimal | None) -> int | float | None:
    """Canonical JSON number: integers stay integers, the rest the shortest exact float; null
    for a stored value that is not a finite number (JSON has no NaN, and int(Infinity) fails)."""
    if value is None or not value.is_finite():
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


@overload
def decimal(value: Decimal) -> Decimal: ...
@overload
def decimal(value: Decimal | None) -> Decimal | None: ...
def decimal(value: Decimal | None) -> Decimal | None:
    """A number read from the file as the exact decimal it was written as."""
    return None if value is None else Decimal(str(value))


def json_path(*parts: str | int) -> str:
    """``json_path("elements", 3, "budget")`` → ``$.elements[3].budget``."""
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


# --- what every part of the file refers to ---------------------------------------------------------


def unlisted_unit(code: str) -> str:
    return _("Unknown unit %(code)s: list it in $.units.") % {"code": code}


def unknown_tier(key: str) -> str:
    return _("Unknown tier '%(t)s'.") % {"t": key}


def parent_not_listed(code: str) -> str:
    return _("The parent %(code)s must be listed before its children.") % {"code": code}


def used_twice(code: str) -> str:
    return _("The code %(code)s is used twice.") % {"code": code}
