"""``waypoint notifications``: make the reminders that are due (a planning round's deadline, a
monitoring report's due date and its escalation), then send the e-mails that wait (retries and
daily digests).

The background worker does this periodically; a deployment without one runs it from cron,
e.g. every 15 minutes: ``*/15 * * * * waypoint notifications``. Running it twice sends
nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from waypoint.org.notifications import deliver_pending, send_reminders


class Command(BaseCommand):
    help = "Make the reminders that are due, then send waiting notification e-mails and the daily digests."

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = send_reminders()
        sent = deliver_pending()
        self.stdout.write(f"{reminded} reminders made; {sent['emails']} e-mails and {sent['digests']} digests sent.")
