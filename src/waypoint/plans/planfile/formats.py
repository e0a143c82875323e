"""Other spellings of the plan file that apps above plans provide (the XLSX plan workbook of
``documents``), so that ``waypoint plan export --format xlsx`` and ``waypoint plan import
FILE.xlsx`` go through the same checks and writes as the JSON file without plans importing them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from waypoint.org.models import User
from waypoint.plans.models import Plan
from waypoint.plans.planfile.importing import ImportReport


@dataclass(frozen=True)
class IntoResult:
    """What an import into an existing plan changed (or would change, on a dry run): the counts
    in words ("12 elements added") and one line per change."""

    summary: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FileFormat:
    name: str  # "xlsx"
    suffix: str  # ".xlsx"
    export: Callable[[Plan], bytes]
    #: the import with its report, problems located in the format's own terms (sheet and cell)
    import_report: Callable[[bytes, User | None], ImportReport]
    #: the import into an existing plan (``raw, plan, actor, dry_run``), where the format has one
    import_into: Callable[[bytes, Plan, User | None, bool], IntoResult] | None = None


_FORMATS: dict[str, FileFormat] = {}


def register_format(file_format: FileFormat) -> None:
    """Called from an app's ``ready()``."""
    _FORMATS[file_format.name] = file_format


def file_formats() -> dict[str, FileFormat]:
    return dict(_FORMATS)


def format_of_path(path: str) -> FileFormat | None:
    return next((f for f in _FORMATS.values() if path.lower().endswith(f.suffix)), None)
