"""Background work that survives its worker: leases, heartbeats and the sweeper.

Work that takes long (solving a roadmap scenario, reading a data file) is queued with
django-tasks' database backend and done by ``waypoint worker``. A worker can be lost at any
moment — killed, out of memory, its machine stopped — and the queue alone would leave its work
"running" for ever. So the apps register each kind of work here (``register``) and:

- a worker *holds* an item before working on it (``hold``): one conditional update moves it
  from waiting to active, so two workers can never both take it, and gives it a lease;
- while the worker lives, its heartbeat thread renews the lease of what it holds and records
  that the worker is alive (``WorkerBeat``);
- every worker runs the sweeper now and then (``sweep``): an active item whose lease ran out,
  or a waiting one whose task is gone, was lost with its worker. It is queued again while it
  has attempts left (``WAYPOINT_WORK_ATTEMPTS``), else marked failed with the reason;
- the worker's last write checks that it still holds the item (``Lease.confirm``), so work
  that was taken away (its lease ran out while the database was locked) is not stored twice.

The health endpoint and the pages that wait on work read the heartbeats (``worker_absence``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import InterfaceError, OperationalError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.core.audit import Action, audit_record
from waypoint.core.models import WorkerBeat

__all__ = [
    "Lease",
    "WorkKind",
    "beat",
    "close_connection",
    "enqueue",
    "hold",
    "register",
    "retry_locked",
    "sweep",
    "worker_absence",
]

logger = logging.getLogger("waypoint.work")
T = TypeVar("T")

#: the database errors a worker waits out instead of dying: SQLite's "database is locked",
#: a PostgreSQL server restarting, a dropped connection
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


def lease_seconds() -> float:
    return float(settings.WAYPOINT_WORK_LEASE_S)


def heartbeat_seconds() -> float:
    return float(settings.WAYPOINT_WORK_HEARTBEAT_S)


def sweep_seconds() -> float:
    return float(settings.WAYPOINT_WORK_SWEEP_S)


def max_attempts() -> int:
    return max(1, int(settings.WAYPOINT_WORK_ATTEMPTS))


# --- kinds of work ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkKind:
    """A kind of background work an app hands to the worker.

    ``enqueue(pk)`` queues the task that does the work and returns the task's id;
    ``give_up(pk, reason)`` marks the item failed (the app's own fields, its audit) when its
    worker was lost and it may not be tried again; ``can_retry(pk)`` says whether it may be
    (a scenario somebody asked to stop is not). ``reset`` are the fields set when it is queued
    again (progress shown from the lost attempt).
    """

    name: str
    #: a ``BackgroundWork`` model with a ``status`` field
    model: type[models.Model]
    waiting: str
    active: str
    enqueue: Callable[[int], str]
    give_up: Callable[[int, str], None]
    can_retry: Callable[[int], bool] = field(default=lambda pk: True)
    reset: Mapping[str, Any] = field(default_factory=dict)


def stoppable(model: type[models.Model], *, cancelled: str, failed: str) -> dict[str, Any]:
    """``give_up`` and ``can_retry`` for work people may ask to stop (a solver run: a
    ``cancel_requested`` flag, ``error`` and ``finished_at`` columns, a plan): an item somebody
    asked to stop is not tried again, and when its worker was lost for the last time it is
    stopped if somebody asked for that, else failed with the reason (shown on its page)."""

    def can_retry(pk: int) -> bool:
        return not model._default_manager.filter(pk=pk, cancel_requested=True).exists()

    def give_up(pk: int, reason: str) -> None:
        item: Any = model._default_manager.get(pk=pk)
        before = item.status
        item.status = cancelled if item.cancel_requested else failed
        item.error = "" if item.cancel_requested else reason
        item.finished_at = timezone.now()
        item.save(update_fields=["status", "error", "finished_at"])
        audit_record(
            actor=None,
            action=Action.STATUS,
            instance=item,
            changes={"status": [before, item.status], "reason": [None, item.error or None]},
            plan_id=item.plan_id,
        )

    return {"give_up": give_up, "can_retry": can_retry}


_kinds: dict[str, WorkKind] = {}


def register(kind: WorkKind) -> None:
    """Called from the app's ``AppConfig.ready()``."""
    _kinds[kind.name] = kind


def kinds() -> list[WorkKind]:
    return list(_kinds.values())


def kind(name: str) -> WorkKind:
    return _kinds[name]


# --- who is working ------------------------------------------------------------------------------------

_this_worker: str | None = None


def set_worker_id(worker_id: str) -> None:
    """Called once by ``waypoint worker``: work held in this process is held in its name."""
    global _this_worker
    _this_worker = worker_id


def new_worker_id() -> str:
    """Unique across machines, and telling an operator where the worker runs."""
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def this_worker() -> str:
    """The worker this process is, else the process itself (work done in a web request or by
    a command)."""
    return _this_worker or f"{socket.gethostname()[:40]}-{os.getpid()}"


# --- queueing and holding ------------------------------------------------------------------------------


def enqueue(name: str, pk: int) -> str:
    """Queue the work on item ``pk`` (already committed) and note the task on it."""
    work = kind(name)
    work.model._default_manager.filter(pk=pk).update(queued_at=timezone.now())
    task_id = work.enqueue(pk)
    work.model._default_manager.filter(pk=pk).update(task_id=task_id)
    return task_id


class Lease:
    """The right to work on one item, renewed by the worker's heartbeat while it lives."""

    def __init__(self, work: WorkKind, pk: int, holder: str) -> None:
        self.kind, self.pk, self.holder = work, pk, holder
        #: set when the item was taken away (the lease ran out and the sweeper gave it to
        #: another worker, or it was deleted): the work should stop and store nothing
        self.lost = threading.Event()

    def _mine(self) -> models.QuerySet[models.Model]:
        return self.kind.model._default_manager.filter(pk=self.pk, held_by=self.holder, status=self.kind.active)

    def renew(self) -> bool:
        """Push the lease forward; ``False`` (and ``lost`` set) when the item is no longer ours."""
        until = timezone.now() + timedelta(seconds=lease_seconds())
        if self._mine().update(held_until=until) == 0:
            self.lost.set()
        return not self.lost.is_set()

    def confirm(self) -> bool:
        """Inside the transaction that stores the result: is the item still ours? Locks the
        row (PostgreSQL), so the sweeper cannot take it between this check and the write."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("Lease.confirm() belongs inside the transaction that stores the result.")
        mine = bool(list(self._mine().select_for_update(of=("self",)).values_list("pk", flat=True)))
        if not mine:
            self.lost.set()
        return mine

    def release(self) -> None:
        with _held_lock:
            _held.discard(self)


_held: set[Lease] = set()
_held_lock = threading.Lock()


def hold(name: str, pk: int, *, queued: bool, expected_s: float = 0, **fields: Any) -> Lease | None:
    """Take item ``pk`` for this worker, setting its status to the kind's active one and
    ``fields``; ``None`` when it cannot be taken.

    ``queued``: called by the queued task, which may take only an item still waiting (so an
    item is worked on once per queueing, by one worker). Otherwise (the work run directly, in
    a command or a test) any item may be taken that no live worker holds. ``expected_s``
    lengthens the first lease by how long the work is expected to take, for a process that
    has no heartbeat to renew it.
    """
    work = kind(name)
    now = timezone.now()
    items = work.model._default_manager.filter(pk=pk)
    items = items.filter(status=work.waiting) if queued else items.exclude(status=work.active, held_until__gte=now)
    lease = Lease(work, pk, this_worker())
    taken = items.update(
        status=work.active,
        held_by=lease.holder,
        held_until=now + timedelta(seconds=lease_seconds() + expected_s),
        attempts=F("attempts") + 1,
        **fields,
    )
    if not taken:
        return None
    with _held_lock:
        _held.add(lease)
    return lease


def renew_held() -> None:
    """Renew every lease this process holds (the heartbeat thread's job)."""
    with _held_lock:
        held = list(_held)
    for lease in held:
        if not lease.lost.is_set() and not lease.renew():
            logger.warning(
                "%s %s was taken away from this worker; its result will not be stored", lease.kind.name, lease.pk
            )


# --- locked databases ----------------------------------------------------------------------------------


def retry_locked(action: Callable[[], T], *, what: str, patience_s: float = 300.0) -> T:
    """Run ``action`` (a write, usually a transaction), waiting out a locked or briefly
    unreachable database with growing pauses for up to ``patience_s`` seconds.

    A worker's result is worth waiting for: a long transaction elsewhere must not throw away
    minutes of solving."""
    delay, waited = 0.5, 0.0
    while True:
        try:
            return action()
        except TRANSIENT_ERRORS as error:
            if waited >= patience_s:
                raise
            logger.warning("%s: the database is unavailable (%s); trying again in %.1f s", what, error, delay)
            close_connection()
            time.sleep(delay)
            waited += delay
            delay = min(delay * 2, 30.0)


def close_connection() -> None:
    """Drop this thread's connection: the next query opens a fresh one."""
    from django.db import connection

    with contextlib.suppress(*TRANSIENT_ERRORS):  # closing a broken connection may fail too
        connection.close()


# --- the sweeper ---------------------------------------------------------------------------------------


@dataclass
class SweepReport:
    retried: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    tasks_closed: int = 0

    def __bool__(self) -> bool:
        return bool(self.retried or self.failed or self.tasks_closed)


def lost_reason(attempts: int) -> str:
    return ngettext(
        "The background worker doing this stopped before it finished (%(n)d attempt), so it was "
        "not tried again. Start it again; if it stops again, tell your system administrator.",
        "The background worker doing this stopped before it finished (%(n)d attempts), so it was "
        "not tried again. Start it again; if it stops again, tell your system administrator.",
        attempts,
    ) % {"n": attempts}


def sweep(now: datetime | None = None) -> SweepReport:
    """Find work lost with its worker and queue it again or mark it failed; close the queue's
    tasks that were left running by a lost worker. Safe to run in several workers at once:
    each item is taken over by one conditional update inside the transaction that handles it."""
    now = now or timezone.now()
    report = SweepReport()
    expired = now - timedelta(seconds=lease_seconds())
    for work in kinds():
        active = work.model._default_manager.filter(status=work.active).filter(
            Q(held_until__lt=now) | Q(held_until__isnull=True)
        )
        for pk in list(active.values_list("pk", flat=True)):
            _lost(work, pk, now, report, still=Q(status=work.active) & (Q(held_until__lt=now) | Q(held_until=None)))
        waiting = work.model._default_manager.filter(status=work.waiting).filter(
            Q(queued_at__lt=expired) | Q(queued_at__isnull=True)
        )
        for pk, task_id in list(waiting.values_list("pk", "task_id")):
            if not _task_alive(task_id, expired):
                _lost(
                    work,
                    pk,
                    now,
                    report,
                    still=Q(status=work.waiting, task_id=task_id),
                    taken_off_queue=True,
                )
    report.tasks_closed = _close_lost_tasks(now, expired)
    WorkerBeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return report


def _task_alive(task_id: str, expired: datetime) -> bool:
    """A waiting item's task is still to run, or was taken by a worker moments ago."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    try:
        task = DBTaskResult.objects.filter(pk=uuid.UUID(task_id)).first()
    except ValueError:
        return False
    if task is None:
        return False
    if task.status == TaskResultStatus.READY:
        return True
    return task.status == TaskResultStatus.RUNNING and (task.started_at or expired) > expired


def _lost(
    work: WorkKind, pk: int, now: datetime, report: SweepReport, *, still: Q, taken_off_queue: bool = False
) -> None:
    label = f"{work.name} {pk}"
    with transaction.atomic():
        rows = work.model._default_manager.filter(still, pk=pk)
        # a task taken (or vanished) without the item ever being held counts as an attempt
        if taken_off_queue and not rows.update(attempts=F("attempts") + 1):
            return
        item = rows.select_for_update(of=("self",)).values("attempts", "status").first()
        if item is None:
            return  # its worker renewed the lease, or another sweeper got here first
        attempts = max(1, int(item["attempts"]))
        if attempts < max_attempts() and work.can_retry(pk):
            work.model._default_manager.filter(pk=pk).update(
                status=work.waiting, held_until=None, queued_at=now, **dict(work.reset)
            )
            task_id = work.enqueue(pk)
            work.model._default_manager.filter(pk=pk).update(task_id=task_id)
            audit_record(
                actor=None,
                action=Action.STATUS,
                instance=work.model._default_manager.get(pk=pk),
                changes={"status": [item["status"], work.waiting], "attempt": [attempts, attempts + 1]},
            )
            report.retried.append(label)
            logger.warning("%s lost its worker; queued again (attempt %d of %d)", label, attempts + 1, max_attempts())
        else:
            work.model._default_manager.filter(pk=pk).update(held_until=None)
            work.give_up(pk, lost_reason(attempts))
            report.failed.append(label)
            logger.warning("%s lost its worker %d time(s); marked failed", label, attempts)


def _close_lost_tasks(now: datetime, expired: datetime) -> int:
    """Queue tasks left "running" by a worker that is gone (or has moved on) are marked failed,
    so the queue tells the truth too; their items were handled above."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    beats = {b.worker_id: b for b in WorkerBeat.objects.all()}
    closed = 0
    for task in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=expired):
        holder = beats.get(task.worker_ids[-1]) if task.worker_ids else None
        if holder is not None and holder.seen_at >= expired and holder.task_id == str(task.pk):
            continue
        closed += DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path="waypoint.core.work.WorkerLost",
            traceback="The worker running this task stopped before it finished.",
        )
    return closed


# --- heartbeats ----------------------------------------------------------------------------------------


def beat(worker_id: str, *, started_at: datetime, task_id: str = "") -> None:
    """Record that ``worker_id`` is alive (and what it runs)."""
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": timezone.now(),
            "task_id": task_id,
        },
    )


def uses_worker() -> bool:
    """Work is queued for a worker (rather than run at once, as in tests)."""
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    return any(isinstance(backend, DatabaseBackend) for backend in task_backends.all())


def stale_seconds() -> float:
    return float(settings.WAYPOINT_WORKER_STALE_S)


@dataclass(frozen=True)
class Absence:
    """No worker seen recently: when one was last seen (``None``: never)."""

    last_seen: datetime | None

    @property
    def minutes(self) -> int:
        if self.last_seen is None:
            return 0
        return max(1, round((timezone.now() - self.last_seen).total_seconds() / 60))

    @property
    def message(self) -> str:
        if self.last_seen is None:
            return _(
                "No background worker has been seen, so this waits. Tell your system administrator: "
                "the worker must be running."
            )
        return ngettext(
            "The background worker was last seen %(n)d minute ago, so this waits until it runs again. "
            "Tell your system administrator.",
            "The background worker was last seen %(n)d minutes ago, so this waits until it runs again. "
            "Tell your system administrator.",
            self.minutes,
        ) % {"n": self.minutes}


def worker_absence() -> Absence | None:
    """``None`` when a worker was seen within ``WAYPOINT_WORKER_STALE_S`` (or none is needed)."""
    if not uses_worker():
        return None
    latest = WorkerBeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    if latest is not None and latest >= timezone.now() - timedelta(seconds=stale_seconds()):
        return None
    return Absence(latest)


#: regular jobs of the apps above core (waiting e-mails, reminders), run by every worker between
#: tasks, at most every ``WAYPOINT_WORK_SWEEP_S``: each must be safe to run twice and on several
#: workers at once
_CHORES: dict[str, Callable[[], object]] = {}


def register_chore(name: str, job: Callable[[], object]) -> None:
    """Have the workers run ``job`` between tasks, at most every ``WAYPOINT_WORK_SWEEP_S`` (from
    an ``AppConfig.ready``)."""
    _CHORES[name] = job


def run_chores() -> list[str]:
    """Run every registered chore once; the names of those that failed (each is logged, and
    one failing does not keep the others from running)."""
    failed = []
    for name, job in sorted(_CHORES.items()):
        try:
            job()
        except TRANSIENT_ERRORS:
            raise
        except Exception:
            logger.exception("chore %s failed; it runs again at the next sweep", name)
            failed.append(name)
    return failed


class Heartbeat(threading.Thread):
    """The worker's second thread: every ``WAYPOINT_WORK_HEARTBEAT_S`` it records that the
    worker is alive and renews the leases it holds; every ``WAYPOINT_WORK_SWEEP_S`` it sweeps.
    It runs beside the task, so a long solve or file read keeps its lease."""

    def __init__(self, worker_id: str, current_task: Callable[[], str]) -> None:
        super().__init__(name="waypoint-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.current_task = current_task
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def tick(self, *, sweeping: bool) -> None:
        beat(self.worker_id, started_at=self.started_at, task_id=self.current_task())
        renew_held()
        if sweeping:
            report = sweep()
            if report:
                logger.info(
                    "sweeper: %d queued again, %d failed, %d queue tasks closed",
                    len(report.retried),
                    len(report.failed),
                    report.tasks_closed,
                )

    def run(self) -> None:
        next_sweep = time.monotonic()
        try:
            while not self.stopping.is_set():
                sweeping = time.monotonic() >= next_sweep
                try:
                    self.tick(sweeping=sweeping)
                    if sweeping:
                        next_sweep = time.monotonic() + sweep_seconds()
                except TRANSIENT_ERRORS as error:
                    logger.warning("heartbeat: the database is unavailable (%s); trying again", error)
                    close_connection()
                except Exception:  # the heartbeat must outlive any surprise; the log tells
                    logger.exception("heartbeat failed; trying again")
                self.stopping.wait(heartbeat_seconds())
        finally:
            close_connection()

    def stop(self) -> None:
        self.stopping.set()


@contextmanager
def heartbeat(worker_id: str, current_task: Callable[[], str]) -> Iterator[Heartbeat]:
    thread = Heartbeat(worker_id, current_task)
    thread.start()
    try:
        yield thread
    finally:
        thread.stop()
        thread.join(timeout=heartbeat_seconds() + 5)
