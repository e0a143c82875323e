"""``waypoint serve``: the web server (gunicorn) and the background worker for a single machine.

Binds to 127.0.0.1 by default; put a reverse proxy with TLS in front for real use
(docs/deployment.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Waypoint with gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("WAYPOINT_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WAYPOINT_WEB_WORKERS", "2")))
        parser.add_argument(
            "--no-task-worker",
            action="store_true",
            help="Do not start the background worker (run `waypoint db_worker` elsewhere).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        address = f"{options['host']}:{options['port']}"
        self.stdout.write(self.style.SUCCESS(f"Waypoint is running on http://{address}/ (Ctrl+C to stop)"))
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "waypoint.wsgi:application",
            "--bind",
            address,
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ]
        processes = [subprocess.Popen(web)]  # noqa: S603 - fixed argument list
        if not options["no_task_worker"]:
            # solves roadmap scenarios in the background; tasks wait in the database
            worker = [sys.executable, "-m", "waypoint.cli", "db_worker", "--queue-name", "*", "--no-reload"]
            processes.append(subprocess.Popen(worker))  # noqa: S603 - fixed argument list
        try:
            processes[0].wait()
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=10)
