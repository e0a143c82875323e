"""The portable plan file: one JSON document holding a whole plan.

By job: ``sections`` (the parts other apps own, and the file's value helpers), ``reading``
(bytes to a JSON value, within the size and depth limits), ``export``, ``check`` and
``importing``. The file's shape is ``plans/schemas.py``.
"""

from waypoint.plans.planfile.check import Review, plan_file_check, plan_file_review, problems_text
from waypoint.plans.planfile.export import plan_export, plan_export_json
from waypoint.plans.planfile.importing import (
    ImportPreview,
    ImportReport,
    plan_import,
    plan_import_preview,
    plan_import_report,
)
from waypoint.plans.planfile.reading import read_document
from waypoint.plans.planfile.sections import FileSection, register_section

__all__ = [
    "FileSection",
    "ImportPreview",
    "ImportReport",
    "Review",
    "plan_export",
    "plan_export_json",
    "plan_file_check",
    "plan_file_review",
    "plan_import",
    "plan_import_preview",
    "plan_import_report",
    "problems_text",
    "read_document",
    "register_section",
]
