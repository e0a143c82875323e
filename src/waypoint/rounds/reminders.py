"""Reminders of a planning round's deadline, for the units that have not submitted.

Run through ``org.notifications.send_reminders`` by the background workers as they sweep (a
chore ``org`` registers) and by ``waypoint notifications`` (cron, where there is no worker). A unit
whose submission is not in (not started, drafting, or returned to it) is reminded once when
the deadline is :data:`REMIND_BEFORE` days away or nearer, and once when it has passed. The
deadline is part of each reminder's key: a round whose deadline is extended reminds again
for the new date, and a job that runs twice reminds nobody twice.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.org.notifications import Message, notify_all
from waypoint.rounds import selectors
from waypoint.rounds.models import WORKING_STATUSES, PlanningRound, RoundStatus, Submission

#: how many days before the deadline the units that are not in are reminded
REMIND_BEFORE = 7


def deadline_reminders(today: dt.date) -> int:
    """Remind the contributors of every unit not in yet; how many notifications were made."""
    made = 0
    for round_ in PlanningRound.objects.filter(status=RoundStatus.OPEN).select_related("plan__administration"):
        days = (round_.deadline - today).days
        if days > REMIND_BEFORE:
            continue
        waiting = Submission.objects.filter(round=round_, status__in=WORKING_STATUSES, parent__isnull=False)
        for submission in waiting.select_related("unit", "round__plan__administration"):
            made += len(_remind(round_, submission, days))
    return made


def _remind(round_: PlanningRound, submission: Submission, days: int) -> list[object]:
    url = reverse("submission-detail", kwargs={"submission_id": submission.pk})
    if days >= 0:
        key = f"round:{round_.pk}:due:{submission.pk}:{round_.deadline:%Y-%m-%d}"
        subject = ngettext(
            "%(round)s: %(unit)s's proposals are due in %(n)d day",
            "%(round)s: %(unit)s's proposals are due in %(n)d days",
            days,
        ) % {"round": round_.title, "unit": submission.unit.name, "n": days}
    else:
        key = f"round:{round_.pk}:late:{submission.pk}:{round_.deadline:%Y-%m-%d}"
        subject = _("%(round)s: %(unit)s's proposals are late") % {"round": round_.title, "unit": submission.unit.name}
    body = _("The deadline is %(date)s. Submit to the level above, or tell it why you cannot.") % {
        "date": f"{round_.deadline:%Y-%m-%d}"
    }
    return list(notify_all(recipients=selectors.workers(submission), key=key, message=Message(subject, body, url)))
