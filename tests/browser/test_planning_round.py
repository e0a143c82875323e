"""The whole bottom-up path in a real browser: a border post drafts and submits; its directorate
returns it with a comment; the post fixes it and resubmits; the directorate merges the two
posts' proposals and submits up; the planner consolidates; the approver approves; an edit of
the approved plan is refused; an amendment goes through approval and its change shows."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Session
from tests.rounds.helpers import open_round, propose, second_post, submission
from tests.world import World
from waypoint.plans.models import PlanElement
from waypoint.rounds import services

pytestmark = pytest.mark.browser


def signed_in(browser: Browser, base_url: str, username: str) -> tuple[Session, Page]:
    session = Session(browser, base_url)
    page = session.sign_in(username)
    page.on("dialog", lambda dialog: dialog.accept())
    return session, page


def test_a_round_from_a_border_post_to_an_approved_and_amended_plan(
    live_world: World, browser: Browser, live_server: Any
) -> None:
    world, base = live_world, live_server.url
    second_post(world)
    round_ = open_round(world, units=("RD-S", "BP-S1", "BP-S2"))
    post_one, post_two, directorate = (submission(round_, code) for code in ("BP-S1", "BP-S2", "RD-S"))
    sessions: list[Session] = []
    try:
        # the post's contributor drafts a proposal and submits it
        session, post = signed_in(browser, base, "contributor_post")
        sessions.append(session)
        post.goto(f"{base}/submissions/{post_one.pk}/")
        post.get_by_test_id("add-proposal").click()
        post.select_option("#id_kind", "initiative")
        post.select_option("#id_parent", f"e{world.elements['O1.1'].pk}")
        post.fill("#id_title", "Second lane at South Post One")
        post.fill("#id_starts_on", "2013-01")
        post.fill("#id_ends_on", "2014-12")
        post.fill(f"#id_budget_2013_{world.source.pk}", "120000")
        post.locator("main").get_by_role("button", name="Save").click()
        expect(post.locator(".alert-success")).to_contain_text("P1 saved")
        post.get_by_role("link", name="South Post One").first.click()
        post.get_by_test_id("submit").click()
        expect(post.get_by_test_id("submission-status")).to_have_text("Submitted")

        # the directorate returns it with a comment
        session, head = signed_in(browser, base, "contributor")
        sessions.append(session)
        head.goto(f"{base}/submissions/{post_one.pk}/")
        head.get_by_test_id("return").click()
        head.fill("#id_text", "Add the 2014 works to the budget.")
        head.locator("main").get_by_role("button", name="Return with comments").click()
        expect(head.get_by_test_id("submission-status")).to_have_text("Returned")

        # the post reads the comment, fixes the proposal and resubmits
        post.goto(f"{base}/submissions/{post_one.pk}/")
        expect(post.get_by_test_id("history")).to_contain_text("Add the 2014 works to the budget.")
        post.locator('tr[data-code="P1"]').get_by_role("link", name="Second lane at South Post One").click()
        post.get_by_test_id("edit-proposal").click()
        post.fill(f"#id_budget_2014_{world.source.pk}", "80000")
        post.locator("main").get_by_role("button", name="Save").click()
        expect(post.locator(".alert-success")).to_contain_text("P1 saved")
        post.goto(f"{base}/submissions/{post_one.pk}/")
        post.get_by_test_id("submit").click()
        expect(post.get_by_test_id("submission-status")).to_have_text("Submitted")

        # the second post's proposal is in too (written through the services)
        propose(world, round_, "BP-S2", "contributor_post2", "Second lane at South Post Two", budget={2013: 90000})
        services.submission_submit(actor=world.users["contributor_post2"], submission=post_two)

        # the directorate merges both posts' proposals and submits up
        head.goto(f"{base}/submissions/{directorate.pk}/")
        head.get_by_test_id("merge").click()
        head.get_by_label("P1 · Initiative · Second lane at South Post One (South Post One)").check()
        head.get_by_label("P2 · Initiative · Second lane at South Post Two (South Post Two)").check()
        head.fill("#id_title", "Second lanes at the southern posts")
        head.locator("main").get_by_role("button", name="Merge").click()
        expect(head.get_by_test_id("attribution")).to_have_text(
            "Proposed by South Post One and South Post Two, merged by Southern Directorate"
        )
        head.goto(f"{base}/submissions/{directorate.pk}/")
        head.get_by_test_id("submit").click()
        expect(head.get_by_test_id("submission-status")).to_have_text("Submitted")

        # the planner accepts it and consolidates; the report accounts for every proposal
        session, planner = signed_in(browser, base, "planner")
        sessions.append(session)
        planner.goto(f"{base}/submissions/{directorate.pk}/")
        planner.get_by_test_id("accept-all").click()
        planner.goto(f"{base}/rounds/{round_.pk}/")
        planner.get_by_test_id("consolidate").click()
        planner.locator("main").get_by_role("button", name="Make 1 proposal plan content").click()
        expect(planner.get_by_test_id("fate-counts")).to_contain_text("1 consolidated")
        expect(planner.get_by_test_id("fate-counts")).to_contain_text("0 unaccounted")
        element = PlanElement.objects.get(plan=world.plan, title="Second lanes at the southern posts")
        planner.goto(f"{base}/elements/{element.pk}/")
        expect(planner.get_by_test_id("element-note").first).to_contain_text(
            "Proposed by South Post One and South Post Two, merged by Southern Directorate"
        )

        # the planner submits the plan for approval; the approver approves it
        planner.goto(f"{base}/plans/{world.plan.pk}/approval/")
        planner.get_by_test_id("decision-under_review").get_by_role("button").click()
        session, approver = signed_in(browser, base, "approver")
        sessions.append(session)
        approver.goto(f"{base}/plans/{world.plan.pk}/approval/")
        approver.get_by_test_id("decision-approved").locator("textarea").fill("Approved for 2012–2016.")
        approver.get_by_test_id("decision-approved").get_by_role("button").click()
        expect(approver.get_by_test_id("lock-reason")).to_contain_text("approved and locked")

        # an edit on the approved plan is refused, saying why
        objective = world.elements["O1.1"]
        response = planner.goto(f"{base}/elements/{objective.pk}/edit/")
        assert response is not None and response.status == 403
        expect(planner.locator("main")).to_contain_text("approved and locked")

        # an amendment: opened with a reason, the change made, approved again
        planner.goto(f"{base}/plans/{world.plan.pk}/approval/")
        planner.get_by_test_id("decision-draft").locator("textarea").fill("The south asks for a clearer objective.")
        planner.get_by_test_id("decision-draft").get_by_role("button").click()
        planner.goto(f"{base}/elements/{objective.pk}/edit/")
        planner.fill("#id_title", "Halve release time in the south")
        planner.locator("main").get_by_role("button", name="Save").click()
        expect(planner.locator(".alert-success")).to_contain_text("O1.1 saved")
        planner.goto(f"{base}/plans/{world.plan.pk}/approval/")
        planner.get_by_test_id("decision-under_review").get_by_role("button").click()
        approver.goto(f"{base}/plans/{world.plan.pk}/approval/")
        approver.get_by_test_id("decision-approved").get_by_role("button").click()
        expect(approver.get_by_test_id("versions")).to_contain_text("Amendment opened")
        approver.goto(f"{base}/plans/{world.plan.pk}/versions/compare/?old=2&new=5")
        changes = approver.get_by_test_id("changes-element")
        expect(changes).to_contain_text("Cut release time in the south")
        expect(changes).to_contain_text("Halve release time in the south")
    finally:
        for opened in sessions:
            opened.close()
