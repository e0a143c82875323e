"""The reminder job: reports falling due, due today, overdue, and escalated; actions overdue.

Registered with ``org.notifications.register_reminders``: the background worker runs it between
tasks (the ``reminders`` chore, ``core.work.run_chores``), and ``waypoint notifications`` runs it
from cron where there is no worker. It gives each person one notification per occasion: the key names the report (or action) and the
step (``before``, ``due``, ``overdue``, ``escalated``), and ``org.notifications.notify`` makes
one notification per person and key, so a second run, or a run after a restart, sends nothing
twice. E-mails follow each person's choice (at once or in the daily digest) and link straight
to the report page.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from waypoint.monitoring.models import ActionStatus, FollowUpAction, ReportingCalendar, Submission, SubmissionStatus
from waypoint.monitoring.services import reporters_of
from waypoint.org.models import Role, RoleAssignment, User
from waypoint.org.notifications import Message, notify_all


def _heads_above(submission: Submission) -> list[User]:
    """The head of the parent unit: contributors holding their role there, else the
    administration's approvers."""
    parent_id = submission.unit.parent_id
    ids: list[int] = []
    if parent_id is not None:
        ids = list(
            RoleAssignment.objects.filter(unit_id=parent_id, role=Role.CONTRIBUTOR).values_list("user_id", flat=True)
        )
    if not ids:
        admin_id = int(submission.unit.path.strip("/").split("/")[0])
        ids = list(
            RoleAssignment.objects.filter(unit_id=admin_id, role=Role.APPROVER).values_list("user_id", flat=True)
        )
    return list(User.objects.filter(pk__in=ids, is_active=True))


def send_reminders(today: dt.date) -> int:
    """Make the reminders due ``today``; how many notifications were made."""
    made = 0
    for calendar in ReportingCalendar.objects.select_related("plan").exclude(plan__status="superseded"):
        waiting = (
            Submission.objects.filter(
                period__calendar=calendar,
                status__in=[SubmissionStatus.DRAFT, SubmissionStatus.RETURNED],
                assignments__isnull=False,
                period__due_on__lte=today + dt.timedelta(days=calendar.remind_days_before),
            )
            .select_related("period", "unit")
            .distinct()
        )
        for submission in waiting:
            due = submission.period.due_on
            label = {"unit": submission.unit.name, "period": submission.period.code, "due": due.isoformat()}
            url = reverse("monitoring-report", args=[submission.pk])
            if today < due:
                step, subject = "before", _("%(unit)s: the %(period)s report is due on %(due)s") % label
            elif today == due:
                step, subject = "due", _("%(unit)s: the %(period)s report is due today") % label
            else:
                step, subject = "overdue", _("%(unit)s: the %(period)s report is overdue (due %(due)s)") % label
            reporters = reporters_of(submission.unit)
            made += len(
                notify_all(
                    recipients=reporters,
                    key=f"reminder:submission:{submission.pk}:{step}",
                    message=Message(subject=subject, url=url),
                )
            )
            if (today - due).days >= calendar.escalate_days_after:
                made += len(
                    notify_all(
                        recipients=_heads_above(submission),
                        key=f"reminder:submission:{submission.pk}:escalated",
                        message=Message(
                            subject=_("Escalated: %(unit)s has not reported %(period)s (due %(due)s)") % label,
                            body=_("Reminders went to: %(names)s.")
                            % {"names": ", ".join(p.display_name for p in reporters) or "—"},
                            url=url,
                        ),
                    )
                )
    overdue = FollowUpAction.objects.filter(
        status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS], due_on__lt=today, owner_person__isnull=False
    ).select_related("owner_person")
    for action in overdue:
        assert action.owner_person is not None
        made += len(
            notify_all(
                recipients=[action.owner_person],
                key=f"reminder:action:{action.pk}:overdue",
                message=Message(
                    subject=_("%(action)s is overdue (due %(due)s)")
                    % {"action": action, "due": action.due_on.isoformat()},
                    url=reverse("action-detail", args=[action.pk]),
                ),
            )
        )
    return made
