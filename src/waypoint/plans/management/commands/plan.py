"""``waypoint plan list|export|import|check|schema``: plans as portable JSON files.

``waypoint plan diff OLD NEW`` is served by the pure engine (``waypoint.cli``), without Django."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from waypoint.core.errors import ApplicationError, Problem
from waypoint.org.models import User
from waypoint.plans.models import Plan
from waypoint.plans.planfile import (
    ImportReport,
    plan_export_json,
    plan_file_review,
    plan_import_report,
    problems_text,
    read_document,
)
from waypoint.plans.planfile.formats import FileFormat, file_formats, format_of_path
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
        export.add_argument("-o", "--output", help="file to write (default: standard output; needed for xlsx)")
        export.add_argument("--format", default="json", help="json (default), or xlsx: the plan workbook")
        imp = sub.add_parser(
            "import", help="create a plan, as a draft, from a JSON file ('-': standard input) or an XLSX plan workbook"
        )
        imp.add_argument("path")
        imp.add_argument(
            "--into",
            type=int,
            metavar="PLAN_ID",
            help="import an XLSX plan workbook into this existing draft plan: its changes (elements and "
            "indicators matched by code) instead of a new plan",
        )
        imp.add_argument("--dry-run", action="store_true", help="with --into: say what would change, write nothing")
        imp.add_argument(
            "--user",
            help="import as this user, with their rights, and name them in the audit "
            "(default: the platform, which may also add an administration)",
        )
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
            if options["format"] != "json":
                self._export_other(found, options["format"], options.get("output"))
                return
            text = plan_export_json(found)
            if options.get("output"):
                Path(options["output"]).write_text(text, encoding="utf-8")
                self.stderr.write(f"Wrote {found} to {options['output']}")
            else:
                self.stdout.write(text, ending="")
        elif action in ("import", "check"):
            actor = self._user(options.get("user"))
            raw = self._read(options["path"])
            other = format_of_path(options["path"])
            try:
                if action == "import" and options.get("into") is not None:
                    self._into(raw, other, options["into"], actor, bool(options.get("dry_run")))
                elif other is not None and action == "import":
                    self._imported(other.import_report(raw, actor))
                elif action == "check":
                    review = plan_file_review(read_document(raw))
                    self.stdout.write("The file is a valid plan.")
                    self._warnings(review.warnings)
                else:
                    report = plan_import_report(raw, actor=actor)
                    self._imported(report)
            except ApplicationError as error:
                done = "Nothing was imported." if action == "import" else ""
                lines = [f"{error.message} {done}".strip()]
                if error.problems:
                    lines.append(problems_text(error.problems))
                raise CommandError("\n".join(lines)) from error
        elif action == "schema":
            self.stdout.write(plan_file_schema(), ending="")

    def _into(
        self, raw: bytes, file_format: FileFormat | None, plan_id: int, actor: User | None, dry_run: bool
    ) -> None:
        if file_format is None or file_format.import_into is None:
            raise CommandError("--into takes an XLSX plan workbook (FILE.xlsx).")
        plan = Plan.objects.filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"No plan with id {plan_id}: see `waypoint plan list`.")
        result = file_format.import_into(raw, plan, actor, dry_run)
        for line in result.changes:
            self.stdout.write(line)
        if not result.summary:
            self.stdout.write(f"No changes: the workbook says what plan {plan.pk} says.")
            return
        done = "Would change" if dry_run else "Changed"
        self.stdout.write(f"{done} plan {plan.pk}: {', '.join(result.summary)}.")
        if dry_run:
            self.stdout.write("Nothing was written (--dry-run).")

    def _export_other(self, plan: Plan, name: str, output: str | None) -> None:
        file_format = file_formats().get(name)
        if file_format is None:
            raise CommandError(f"Unknown format {name}: use json or {', '.join(file_formats()) or 'json'}.")
        if not output:
            raise CommandError(f"--format {name} needs -o FILE{file_format.suffix}")
        Path(output).write_bytes(file_format.export(plan))
        self.stderr.write(f"Wrote {plan} to {output}")

    def _read(self, path: str) -> bytes:
        """The file's bytes, at most one more than the size limit (the import says it is too large)."""
        limit = settings.WAYPOINT_PLAN_FILE_MAX_BYTES + 1
        if path == "-":
            return sys.stdin.buffer.read(limit)
        try:
            with Path(path).open("rb") as file:
                return file.read(limit)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username}.")
        return user

    def _imported(self, report: ImportReport) -> None:
        plan = report.plan
        self.stdout.write(f"Imported plan {plan.pk}: {plan}, as a draft.")
        if plan.imported_status:
            self.stdout.write(
                f"The file gives it the status {plan.imported_status}; here it waits for this administration's approval."
            )
        if report.units_created:
            self.stdout.write(f"Units added: {', '.join(report.units_created)}")
        self._warnings(report.warnings)

    def _warnings(self, warnings: list[Problem]) -> None:
        if warnings:
            self.stdout.write(
                f"{len(warnings)} kept without a link:" if len(warnings) > 1 else "1 kept without a link:"
            )
            self.stdout.write(problems_text(warnings))
