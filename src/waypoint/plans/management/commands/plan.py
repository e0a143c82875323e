"""``waypoint plan list|export|import|check|schema``: plans as portable JSON files."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waypoint.plans.errors import PlanFileInvalid
from waypoint.plans.models import Plan
from waypoint.plans.planfile import plan_export_json, plan_file_check, plan_import, problems_text
from waypoint.plans.schemas import PlanFile


def plan_file_schema() -> str:
    schema = PlanFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://waypoint.example/schemas/plan-file-1.json"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "List plans, export one to a JSON file, import or check a file, print the file's JSON Schema."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="one line per plan: id, period, status, title")
        export = sub.add_parser("export", help="write a plan as JSON")
        export.add_argument("plan_id", type=int)
        export.add_argument("-o", "--output", help="file to write (default: standard output)")
        imp = sub.add_parser("import", help="create a plan from a JSON file")
        imp.add_argument("path")
        check = sub.add_parser("check", help="check a JSON file without importing it")
        check.add_argument("path")
        sub.add_parser("schema", help="print the JSON Schema of the plan file")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            for plan in Plan.objects.select_related("administration").order_by(
                "administration__code", "start_year", "pk"
            ):
                self.stdout.write(f"{plan.pk}\t{plan.start_year}-{plan.end_year}\t{plan.status}\t{plan.title}")
        elif action == "export":
            found = Plan.objects.filter(pk=options["plan_id"]).first()
            if found is None:
                raise CommandError(f"No plan with id {options['plan_id']}: see `waypoint plan list`.")
            text = plan_export_json(found)
            if options.get("output"):
                Path(options["output"]).write_text(text, encoding="utf-8")
                self.stderr.write(f"Wrote {found} to {options['output']}")
            else:
                self.stdout.write(text, ending="")
        elif action in ("import", "check"):
            raw = sys.stdin.read() if options["path"] == "-" else self._read(options["path"])
            try:
                if action == "check":
                    plan_file_check(raw)
                    self.stdout.write("The file is a valid plan.")
                else:
                    plan = plan_import(raw, actor=None)
                    self.stdout.write(f"Imported plan {plan.pk}: {plan}")
            except PlanFileInvalid as error:
                raise CommandError(f"{error.message} Nothing was imported.\n{problems_text(error.problems)}") from error
        elif action == "schema":
            self.stdout.write(plan_file_schema(), ending="")

    def _read(self, path: str) -> str:
        try:
            return Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
