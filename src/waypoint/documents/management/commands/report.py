"""``waypoint report plan|progress PLAN_ID``: the strategic plan or a progress report as a file."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waypoint.core.errors import ApplicationError
from waypoint.documents import services
from waypoint.documents.content import PLAN_SECTIONS
from waypoint.documents.models import RenderStatus
from waypoint.plans.models import Plan


class Command(BaseCommand):
    help = "Render the strategic plan or a progress report of a plan as PDF or DOCX."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="document", required=True)
        plan = sub.add_parser("plan", help="the strategic plan")
        progress = sub.add_parser("progress", help="a progress report for a period")
        progress.add_argument("--period", required=True, help="e.g. 2014Q2, 2014-05 or 2014")
        for command in (plan, progress):
            command.add_argument("plan_id", type=int)
            command.add_argument("--format", choices=("pdf", "docx"), default="pdf")
            command.add_argument("-o", "--output", help="file to write (default: plan-ID-….pdf in this directory)")
        plan.add_argument(
            "--sections", help=f"comma-separated, of: {', '.join(PLAN_SECTIONS)} (default: all the data supports)"
        )
        plan.add_argument("--template", action="store_true", help="through the administration's DOCX template")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(pk=options["plan_id"]).first()
        if plan is None:
            raise CommandError(f"No plan with id {options['plan_id']}: see `waypoint plan list`.")
        sections = [s.strip() for s in (options.get("sections") or "").split(",") if s.strip()]
        began = time.perf_counter()
        try:
            render = services.render_request(
                actor=None,
                plan=plan,
                kind=options["document"],
                format=options["format"],
                period=options.get("period") or "",
                sections=sections,
                use_template=bool(options.get("template")),
                run_now=True,
            )
        except ApplicationError as error:
            lines = [error.message, *(f"{p.location}: {p.message}" for p in error.problems)]
            raise CommandError("\n".join(lines)) from error
        if render.status != RenderStatus.DONE:
            raise CommandError(f"The render failed: {render.error}")
        output = options.get("output") or render.filename
        with render.file.open("rb") as stored:
            data = stored.read()
        if output == "-":
            sys.stdout.buffer.write(data)
        else:
            Path(output).write_bytes(data)
        self.stderr.write(
            f"Wrote {output} ({len(data) / 1024:,.0f} KB, {render.title}, document {render.number}, "
            f"content {render.fingerprint}) in {time.perf_counter() - began:.1f} s"
        )
