"""``waypoint demo``: build the sample administration (idempotent) and print the logins."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from waypoint.demo.builder import build_demo

DEFAULT_PASSWORD = "waypoint-demo"  # noqa: S105 - a published demo login, not a secret


class Command(BaseCommand):
    help = "Build the demo customs administration with its 2007–2011 programme and 2012–2016 plan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=os.environ.get("WAYPOINT_DEMO_PASSWORD", DEFAULT_PASSWORD),
            help="password of the demo users (only used when they are created)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = build_demo(password=options["password"])
        self.stdout.write(self.style.SUCCESS(f"Demo administration ready: {summary.units} org units."))
        for plan_id, title, created in summary.plans:
            self.stdout.write(f"  plan {plan_id}: {title}{'' if created else ' (already there)'}")
        self.stdout.write(f"Demo logins (password: {options['password']}):")
        for username, role, unit in summary.people:
            self.stdout.write(f"  {username:<18} {role:<14} {unit}")
