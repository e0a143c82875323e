"""``waypoint worker``: the background worker (scenarios to solve, data files to read).

django-tasks' database worker, made to last: it waits out a locked or unreachable database
with growing pauses instead of dying, and beside the task it runs a heartbeat thread that
records that it is alive, renews the leases of the work it holds and runs the sweeper
(``waypoint.core.work``); between tasks it runs the apps' chores. Run one or more per installation, on any machine that reaches the
database and the shared files; ``waypoint serve`` starts and supervises one.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import close_old_connections
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from waypoint.core import work

logger = logging.getLogger("waypoint.work")

#: pauses between attempts while the database is unavailable: from the first to the longest
BACKOFF_FIRST_S = 0.5
BACKOFF_MAX_S = 30.0


class Worker(db_worker.Worker):
    """Takes one task at a time from the database queue and runs it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.current_task = ""
        self.chores_due = 0.0

    def claim(self) -> DBTaskResult[..., Any] | None:
        """The next ready task, marked as this worker's (one transaction; on SQLite an
        exclusive one, so two workers cannot claim the same task)."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task = tasks.get_locked()
            if task is not None:
                task.claim(self.worker_id)
        return task

    def between_tasks(self) -> None:
        """The apps' chores (waiting e-mails, reminders), at most every sweep interval. On this
        thread, while no task runs: a slow mail server delays the next task, never the
        heartbeat that keeps this worker's leases."""
        if time.monotonic() >= self.chores_due:
            self.chores_due = time.monotonic() + work.sweep_seconds()
            work.run_chores()

    def run_task(self, db_task_result: DBTaskResult[..., Any]) -> None:
        self.current_task = str(db_task_result.pk)
        try:
            super().run_task(db_task_result)
        finally:
            self.current_task = ""

    def run(self) -> None:
        logger.info("worker %s started", self.worker_id)
        pause = BACKOFF_FIRST_S
        with work.heartbeat(self.worker_id, lambda: self.current_task):
            while self.running:
                try:
                    close_old_connections()
                    task = self.claim()
                    if task is not None:
                        self.run_task(task)
                    else:
                        self.between_tasks()
                    pause = BACKOFF_FIRST_S
                except work.TRANSIENT_ERRORS as error:
                    # a long transaction elsewhere holds SQLite's write lock, or PostgreSQL is
                    # restarting: wait and try again rather than leave the queue unserved
                    logger.warning("the database is unavailable (%s); trying again in %.1f s", error, pause)
                    work.close_connection()
                    time.sleep(pause)
                    pause = min(pause * 2, BACKOFF_MAX_S)
                    continue
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    logger.info("worker %s ran %d tasks; stopping", self.worker_id, self._run_tasks)
                    return
                if task is None:
                    if self.batch:
                        return
                    if self.running:
                        time.sleep(self.interval)
        logger.info("worker %s stopped", self.worker_id)


class Command(db_worker.Command):
    help = "Run the background worker (solves scenarios, reads data files)."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        # every queue by default, and a worker id that tells an operator where it runs
        parser.set_defaults(queue_name="*", worker_id=None, reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        worker_id = options["worker_id"] or work.new_worker_id()
        work.set_worker_id(worker_id)
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        worker = Worker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=False,
            max_tasks=options["max_tasks"],
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()
