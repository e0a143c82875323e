"""``/healthz``: is this app server fit to serve? For load balancers and monitoring.

JSON, no sign-in, 200 when every check passes and 503 otherwise. It tells only which checks
passed (no versions, host names, counts or error texts): anybody who can reach the server can
read it.

- ``database``: a query answers;
- ``migrations``: the database schema is the one this code expects;
- ``worker``: a background worker was seen within ``WAYPOINT_WORKER_STALE_S`` seconds (when
  work is queued for one at all).
"""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from waypoint.core import work

logger = logging.getLogger(__name__)

OK = "ok"
#: whether this process has seen every migration applied (a schema does not go back)
_migrated = False


def database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("health: the database does not answer", exc_info=True)
        return "unreachable"
    return OK


def migrations() -> str:
    global _migrated
    if _migrated:
        return OK
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return "pending"
    _migrated = True
    return OK


def worker() -> str:
    absence = work.worker_absence()
    if absence is None:
        return OK
    return "never seen" if absence.last_seen is None else "not seen recently"


@login_not_required
@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": database()}
    if checks["database"] == OK:
        try:
            checks |= {"migrations": migrations(), "worker": worker()}
        except DatabaseError:
            logger.warning("health: the database failed a check", exc_info=True)
            checks |= {"migrations": "unknown", "worker": "unknown"}
    else:
        checks |= {"migrations": "unknown", "worker": "unknown"}
    healthy = all(value == OK for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503
    )
