"""The portable plan file: one JSON document holding a whole plan.

By job: ``sections`` (the parts other apps own, and the file's value helpers), ``export``,
``check`` and ``importing``. The file's shape is ``plans/schemas.py``.
"""

from waypoint.plans.planfile.check import plan_file_check, problems_text
from waypoint.plans.planfile.export import plan_export, plan_export_json
from waypoint.plans.planfile.importing import plan_import
from waypoint.plans.planfile.sections import FileSection, register_section

__all__ = [
    "FileSection",
    "plan_export",
    "plan_export_json",
    "plan_file_check",
    "plan_import",
    "problems_text",
    "register_section",
]
