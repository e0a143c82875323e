"""Real processes for the operations tests: ``waypoint serve`` and ``waypoint worker`` started as
an installation would start them, on a database the test shares with them.

Every process runs in a session of its own, so that whatever it started is stopped with it
when the test ends (by process-group id), even when the test fails half-way.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection

#: the longest any single wait in these tests may take before the test fails
PATIENCE_S = 90.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def shared_database_url(tmp_path: Path) -> str:
    """A database the test's processes can open: PostgreSQL's test database itself, or a copy
    of SQLite's test database in a file (pytest-django keeps it in memory, out of other
    processes' reach). Needs ``transactional_db``: what the test wrote must be committed."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    path = tmp_path / "waypoint.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM INTO '{path}'")  # a path we made: no quotes in it
    copy = sqlite3.connect(path)
    copy.execute("PRAGMA journal_mode=WAL")  # as the installation runs it
    copy.close()
    return f"sqlite:///{path}"


def environment(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    """Settings for the processes: short heartbeats and leases, so that a lost worker is
    noticed within seconds; one shared data directory (the "shared storage")."""
    shared = tmp_path / "shared"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "waypoint.settings",
        "DATABASE_URL": database_url,
        "WAYPOINT_VAR_DIR": str(tmp_path / "var"),
        "WAYPOINT_MEDIA_ROOT": str(shared / "media"),
        "WAYPOINT_TRS_DATA": str(shared / "trs-data"),
        "WAYPOINT_TRS_STUDIES": str(shared / "trs-studies"),
        "WAYPOINT_SECRET_KEY": "process-tests-" + "k" * 40,
        "WAYPOINT_HTTPS": "0",
        "WAYPOINT_STATIC_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "WAYPOINT_WORK_HEARTBEAT_S": "0.5",
        "WAYPOINT_WORK_LEASE_S": "4",
        "WAYPOINT_WORK_SWEEP_S": "1",
        "WAYPOINT_WORKER_STALE_S": "10",
        "WAYPOINT_LOG_LEVEL": "INFO",
        **extra,
    }
    for name in ("PYTEST_VERSION", "DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_CURRENT_TEST"):
        env.pop(name, None)
    return env


class Process:
    """A ``waypoint …`` command running in the background, its output kept line by line."""

    def __init__(self, args: list[str], env: dict[str, str], name: str) -> None:
        self.name = name
        self.lines: list[str] = []
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "waypoint.cli", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def wait_for(self, text: str, *, after: int = 0) -> int:
        """Wait until a line (from line ``after`` on) contains ``text``; its index."""

        def found() -> int | None:
            for index in range(after, len(self.lines)):
                if text in self.lines[index]:
                    return index
            return None

        return int(until(found, f"{self.name} to print “{text}”", self))

    def kill_all(self) -> None:
        """Whatever the process started goes with it (its process group)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)


def until(check: Callable[[], Any], what: str, *watched: Process) -> Any:
    """Poll ``check`` until it returns something truthy; fail after ``PATIENCE_S``."""
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        value = check()
        if value is not None and value is not False:
            return value
        time.sleep(0.2)
    logs = "\n".join(f"--- {p.name} ---\n{p.output[-4000:]}" for p in watched)
    raise AssertionError(f"gave up waiting for {what}\n{logs}")


def http(url: str, *, token: str | None = None, data: dict[str, Any] | None = None) -> tuple[int, Any]:
    """(status, parsed JSON body) of one request; raises ``OSError`` when nothing answers."""
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")  # noqa: S310
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text or b"null")
        except ValueError:  # a server error's HTML page: the status says it, the body is kept
            return error.code, text.decode(errors="replace")


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def running(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def port_answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(2)
        return probe.connect_ex(("127.0.0.1", port)) == 0
