"""Keeps ``waypoint serve``'s processes running: the web server, and the background workers
started again when they stop (with growing pauses when they keep stopping). Stopping the
supervisor stops them all: politely first, then for good after a grace period.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

logger = logging.getLogger("waypoint.serve")

#: first pause before a stopped worker is started again, and the longest
RESTART_FIRST_S = 1.0
RESTART_MAX_S = 60.0
#: a worker that ran this long before it stopped starts again after the first pause
STABLE_S = 60.0


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c") if sys.platform.startswith("linux") else None
    return ctypes.CDLL(name, use_errno=True) if name else None


#: loaded in the supervisor: the child may do no more than one call between fork and exec
LIBC = _libc()
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, between fork and exec
    """Linux: the child gets SIGTERM when the supervisor dies, even by SIGKILL, so no process
    is left serving behind a dead ``waypoint serve``."""
    if LIBC is not None:
        LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    """One process the supervisor runs."""

    name: str
    argv: Sequence[str]
    #: started again when it stops (the workers); when a process that is not stops, the
    #: supervisor stops everything (the web server: a service manager restarts the whole)
    restart: bool
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    #: stops in a row, each soon after its start
    quick_stops: int = 0
    due: float = 0.0
    starts: int = 0

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None


@dataclass
class Supervisor:
    children: list[Child]
    clock: Callable[[], float] = time.monotonic
    say: Callable[[str], None] = field(default=lambda text: logger.warning("%s", text))

    def start(self, child: Child) -> None:
        preexec = _die_with_parent if LIBC is not None else None
        # each child leads its own process group, so that stopping it reaches what it started
        # (gunicorn's workers outlive a master that is killed)
        child.process = subprocess.Popen(  # noqa: S603 - fixed argument lists
            child.argv, preexec_fn=preexec, start_new_session=True
        )
        child.started = self.clock()
        child.starts += 1
        if child.starts > 1:
            self.say(f"{child.name} started again (pid {child.process.pid})")

    def start_all(self) -> None:
        for child in self.children:
            self.start(child)

    def check(self) -> Child | None:
        """Start again what stopped and may be; returns a process that stopped and may not."""
        now = self.clock()
        for child in self.children:
            if child.process is not None and child.process.poll() is not None:
                code = child.process.returncode
                child.process = None
                if not child.restart:
                    self.say(f"{child.name} stopped (exit code {code})")
                    return child
                child.quick_stops = child.quick_stops + 1 if now - child.started < STABLE_S else 0
                pause = min(RESTART_MAX_S, RESTART_FIRST_S * 2 ** max(0, child.quick_stops - 1))
                child.due = now + pause
                self.say(f"{child.name} stopped (exit code {code}); starting it again in {pause:.0f} s")
            if child.process is None and child.restart and now >= child.due:
                self.start(child)
        return None

    def stop(self, grace_s: float) -> None:
        """SIGTERM to every process group, then SIGKILL to what still runs after ``grace_s``
        (a child, or a process it started: gunicorn's workers)."""
        running = [c.process for c in self.children if c.process is not None and c.process.poll() is None]
        for process in running:
            _signal_group(process, signal.SIGTERM)
        deadline = self.clock() + grace_s
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - self.clock()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            _signal_group(process, signal.SIGKILL)  # whatever of the group is left
        for child in self.children:
            child.process = None


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    """Send ``signum`` to the process group ``process`` leads; nothing if it is gone."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)
