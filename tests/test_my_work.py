"""*My work* gathers what every app gives a person (``org.work``): the monitoring cycle's reports
to fill and to approve, and the planning round's submissions to write and to review, on one
page, earliest due first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.monitoring.conftest import report_of
from tests.rounds.helpers import open_round, propose, submission
from tests.world import World
from waypoint.monitoring import services as monitoring
from waypoint.rounds import services as rounds

pytestmark = pytest.mark.django_db


def test_my_work_lists_the_proposals_to_review_beside_the_reports(world: World, client: Client) -> None:
    calendar = monitoring.calendar_save(actor=None, plan=world.plan, first_year=2012, last_year=2013)
    round_ = open_round(world, deadline=dt.date(2099, 10, 31))
    propose(world, round_, "BP-S1", "contributor_post", "Scanner at South Post One")
    post = submission(round_, "BP-S1")
    rounds.submission_submit(actor=world.users["contributor_post"], submission=post)

    # the southern directorate's contributor reviews the post's submission and reports for the directorate
    client.force_login(world.users["contributor"])
    page = client.get(reverse("my-work"))
    assert page.status_code == 200
    text = page.content.decode()
    review = reverse("submission-detail", args=[post.pk])
    assert "Proposals to review" in text and "Review the submission of South Post One" in text
    assert f'href="{review}"' in text
    report = reverse("monitoring-report", args=[report_of(calendar, "BP-S1", "2013").pk])
    assert f'href="{report}"' in text
    # earliest due first: the 2013 report (due early 2014) before the round's deadline in 2099
    assert text.index(report) < text.index(review)
    assert "2099-10-31" in text

    # the post's own contributor has nothing to review: its submission is in
    client.force_login(world.users["contributor_post"])
    mine = client.get(reverse("my-work")).content.decode()
    assert "Proposals to review" not in mine and "Review the submission of" not in mine
