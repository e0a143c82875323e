"""``waypoint serve``: the web server (gunicorn) and the background worker for one machine.

Binds to 127.0.0.1 by default; put a reverse proxy with TLS in front for real use
(docs/deployment.md). It supervises what it starts: a worker that stops is started again (with
growing pauses if it keeps stopping), and stopping ``serve`` (Ctrl+C, SIGTERM from a service
manager) stops the web server and the workers with it. "Waypoint is running" is printed once
the server answers.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import urllib.error
import urllib.request
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waypoint.core.supervisor import Child, Supervisor


def probe_url(host: str, port: int) -> str:
    """Where this machine reaches the server (a wildcard address is reached on loopback)."""
    target = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104 - a comparison
    if ":" in target:
        target = f"[{target}]"
    return f"http://{target}:{port}/healthz"


def answers(url: str) -> bool:
    """The server answers HTTP (whatever it answers: a 503 while no worker is seen yet, or a
    400 for a host name it does not serve, still means it is up). The wait is long because
    gunicorn accepts connections before its workers have loaded the application: the request
    waits in line until one has."""
    try:
        with urllib.request.urlopen(url, timeout=30):  # noqa: S310 - our own server on a fixed http URL
            return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False


class Command(BaseCommand):
    help = "Serve Waypoint with gunicorn, and run the background worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default=os.environ.get("WAYPOINT_HOST", "127.0.0.1"),
            help="Address to listen on (default 127.0.0.1, this machine only; WAYPOINT_HOST).",
        )
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("PORT", "8000")), help="Port to listen on (PORT)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WAYPOINT_WEB_WORKERS", "2")),
            help="Web server processes.",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("WAYPOINT_WEB_THREADS", "4")),
            help="Threads per web server process (gunicorn's gthread workers): a slow page does not hold "
            "up the requests queued behind it.",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=int(os.environ.get("WAYPOINT_WEB_TIMEOUT_S", "60")),
            help="Seconds a request may take before its web server process is restarted.",
        )
        parser.add_argument(
            "--task-workers",
            type=int,
            default=int(os.environ.get("WAYPOINT_TASK_WORKERS", "1")),
            help="Background workers to run and keep running (0: none here).",
        )
        parser.add_argument(
            "--no-task-worker",
            action="store_true",
            help="Run no background worker here (run `waypoint worker` elsewhere); the same as --task-workers 0.",
        )
        parser.add_argument(
            "--stop-timeout",
            type=float,
            default=float(os.environ.get("WAYPOINT_STOP_TIMEOUT_S", "10")),
            help="Seconds the processes get to finish when stopped, before they are killed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        address = f"{options['host']}:{options['port']}"
        grace = max(1.0, options["stop_timeout"])
        web = Child(
            "the web server",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "waypoint.wsgi:application",
                "--bind",
                address,
                "--workers",
                str(options["workers"]),
                "--worker-class",
                "gthread",
                "--threads",
                str(max(1, options["threads"])),
                "--timeout",
                str(max(1, options["timeout"])),
                "--graceful-timeout",
                str(int(grace)),
                "--access-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            restart=False,
        )
        count = 0 if options["no_task_worker"] else max(0, options["task_workers"])
        workers = [
            Child(
                "the background worker" if count == 1 else f"background worker {n}",
                [sys.executable, "-m", "waypoint.cli", "worker"],
                restart=True,
            )
            for n in range(1, count + 1)
        ]
        supervisor = Supervisor([web, *workers], say=lambda text: self.stderr.write(text))
        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
        try:
            supervisor.start_all()
            ready = threading.Event()
            url = probe_url(options["host"], options["port"])

            def probe() -> None:
                while not stopping.is_set():
                    if answers(url):
                        ready.set()
                        return
                    stopping.wait(0.25)

            threading.Thread(target=probe, name="probe", daemon=True).start()
            while not stopping.is_set() and not ready.is_set():
                if supervisor.check() is web:
                    raise CommandError("The web server did not start; see the messages above.")
                ready.wait(0.25)
            if stopping.is_set():
                return
            self.stdout.write(self.style.SUCCESS(f"Waypoint is running on http://{address}/ (Ctrl+C to stop)"))
            self.stdout.flush()
            while not stopping.is_set():
                if supervisor.check() is web:
                    raise CommandError("The web server stopped; stopping the background workers too.")
                stopping.wait(0.5)
        finally:
            supervisor.stop(grace)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
