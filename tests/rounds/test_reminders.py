"""A round's deadline reminds the units that are not in, once per occasion; a moved deadline
and a reopened round are told to them (issue 14: notices through org.notifications)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from tests.rounds.helpers import open_round, propose, submission
from tests.world import World
from waypoint.core import work
from waypoint.org.models import Notification
from waypoint.org.notifications import send_reminders
from waypoint.rounds import services
from waypoint.rounds.reminders import REMIND_BEFORE, deadline_reminders

DEADLINE = dt.date(2099, 10, 31)


def reminded(kind: str) -> set[tuple[str, str]]:
    return {
        (n.recipient.username, n.key.split(":")[3])
        for n in Notification.objects.filter(key__contains=f":{kind}:").select_related("recipient")
    }


def test_units_not_in_are_reminded_before_the_deadline_and_when_late_once_each(world: World) -> None:
    round_ = open_round(world, deadline=DEADLINE)
    post, west = submission(round_, "BP-S1"), submission(round_, "BP-W1")
    propose(world, round_, "BP-S1", "contributor_post", "Second lane")
    services.submission_submit(actor=world.users["contributor_post"], submission=post)

    # too early: nobody is reminded
    assert deadline_reminders(DEADLINE - dt.timedelta(days=REMIND_BEFORE + 1)) == 0
    # a week before: every unit not in, not the post that submitted, not the administration's level
    week_before = DEADLINE - dt.timedelta(days=REMIND_BEFORE)
    made = deadline_reminders(week_before)
    due = reminded("due")
    assert made == len(due) > 0
    assert ("contributor_west", str(west.pk)) not in due  # the west's post has no contributor of its own
    assert ("contributor_west", str(submission(round_, "RD-W").pk)) in due
    assert ("contributor", str(submission(round_, "RD-S").pk)) in due
    assert all(sub != str(post.pk) for _user, sub in due)
    assert "planner" not in {user for user, _sub in due}
    subject = Notification.objects.get(key__contains=f":due:{submission(round_, 'RD-S').pk}:").subject
    assert subject == "Round 2011: Southern Directorate's proposals are due in 7 days"
    # run again the same day, or the next: nothing twice
    assert deadline_reminders(week_before) == 0
    assert deadline_reminders(week_before + dt.timedelta(days=1)) == 0
    # past the deadline: late, once
    late = deadline_reminders(DEADLINE + dt.timedelta(days=1))
    assert late == len(reminded("late")) == made
    assert deadline_reminders(DEADLINE + dt.timedelta(days=2)) == 0


def test_an_extended_deadline_is_told_and_reminds_again_and_a_closed_round_reminds_nobody(world: World) -> None:
    round_ = open_round(world, deadline=DEADLINE)
    deadline_reminders(DEADLINE)
    first = Notification.objects.filter(key__contains=":due:").count()
    later = DEADLINE + dt.timedelta(days=30)
    services.round_update(
        actor=world.users["planner"],
        round_=round_,
        expected_version=None,
        title=round_.title,
        guidance=round_.guidance,
        deadline=later,
    )
    told = Notification.objects.filter(key__contains=f":deadline:{later:%Y-%m-%d}:")
    assert told.count() == first
    assert told.filter(recipient__username="contributor").get().subject == "Round 2011: the deadline is now 2099-11-30"
    assert deadline_reminders(later) == first  # the new date reminds again
    services.round_set_status(actor=world.users["planner"], round_=round_, status="closed")
    assert deadline_reminders(later + dt.timedelta(days=1)) == 0
    services.round_set_status(actor=world.users["planner"], round_=round_, status="open")
    assert Notification.objects.filter(key__contains=":reopened:").count() == first


def test_the_notifications_command_runs_the_reminders(world: World) -> None:
    open_round(world, deadline=timezone.localdate())
    out = StringIO()
    call_command("notifications", stdout=out)
    made = Notification.objects.filter(key__contains=":due:").count()
    assert made > 0 and out.getvalue().startswith(f"{made} reminders made")
    out = StringIO()
    call_command("notifications", stdout=out)  # the same day again: nothing twice
    assert out.getvalue().startswith("0 reminders made")
    assert send_reminders(timezone.localdate()) == 0


def test_the_workers_make_the_reminders_as_they_sweep(world: World) -> None:
    open_round(world, deadline=timezone.localdate())
    assert work.run_chores() == []
    assert Notification.objects.filter(key__contains=":due:").exists()
