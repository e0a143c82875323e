"""Bottom-up planning: units propose, each level reviews and consolidates, nothing is lost."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.rounds.helpers import open_round, propose, second_post, submission
from tests.world import World
from waypoint.core.errors import EditConflict, InvalidInput, NotAllowed
from waypoint.core.models import AuditEvent
from waypoint.indicators.models import Indicator
from waypoint.org.models import Notification
from waypoint.org.work import work_for
from waypoint.plans import services as plan_services
from waypoint.plans.errors import PlanLocked
from waypoint.plans.models import PlanElement
from waypoint.roadmap import services as roadmap_services
from waypoint.rounds import selectors, services
from waypoint.rounds.models import ElementAttribution, Proposal, ProposalStatus, Submission, SubmissionStatus
from waypoint.rounds.rules import BudgetAsk


def test_each_asked_unit_gets_a_submission_reviewed_by_the_nearest_asked_unit_above(world: World) -> None:
    round_ = open_round(world)
    parents = {
        s.unit.code: s.parent.unit.code if s.parent else None
        for s in round_.submissions.select_related("unit", "parent__unit")
    }
    assert parents == {"ADM": None, "RD-S": "ADM", "BP-S1": "RD-S", "RD-W": "ADM", "BP-W1": "RD-W", "HQ-RSK": "ADM"}
    # the post's contributor is told their unit is asked
    assert Notification.objects.filter(recipient=world.users["contributor_post"], key__startswith="round:").exists()
    # a post asked without its directorate reports straight to the planners
    other = services.round_set_status(actor=world.users["planner"], round_=round_, status="closed")
    assert other.status == "closed"
    lone = open_round(world, units=("BP-S1",))
    assert submission(lone, "BP-S1").parent == lone.submissions.get(parent__isnull=True)


def test_a_round_needs_a_draft_plan_a_frame_units_and_no_other_open_round(world: World) -> None:
    open_round(world)
    with pytest.raises(InvalidInput, match="Another round"):
        open_round(world)
    with pytest.raises(InvalidInput) as refused:
        services.round_open(actor=world.users["planner"], plan=world.plan, title="", deadline=None, frame=[], units=[])
    assert {p.location for p in refused.value.problems} >= {"title", "deadline", "frame", "units"}
    with pytest.raises(NotAllowed):
        services.round_open(
            actor=world.users["contributor"],
            plan=world.plan,
            title="Mine",
            deadline=dt.date(2099, 1, 1),
            frame=[world.elements["G1"]],
            units=[world.unit("RD-S")],
        )
    plan_services.plan_set_status(actor=None, plan=world.plan, status="under_review")
    with pytest.raises(PlanLocked):
        open_round(world)


def test_a_contributor_writes_only_their_units_submission_and_reads_no_siblings_draft(world: World) -> None:
    round_ = open_round(world)
    post = propose(world, round_, "BP-S1", "contributor_post", "Scanner at South Post One")
    assert post.status == ProposalStatus.DRAFT and submission(round_, "BP-S1").status == SubmissionStatus.DRAFTING
    # the directorate reviews the post but does not write its submission; the west does neither
    for name in ("contributor", "contributor_west", "planner"):
        with pytest.raises(NotAllowed):
            propose(world, round_, "BP-S1", name, "Not mine")
    with pytest.raises(NotAllowed):
        selectors.submission_for(world.users["contributor_west"], submission(round_, "BP-S1").pk)
    with pytest.raises(NotAllowed):
        selectors.proposal_for(world.users["contributor_west"], post.pk)
    # the directorate and every administration-wide role read it
    for name in ("contributor", "planner", "approver", "viewer"):
        assert selectors.proposal_for(world.users[name], post.pk) == post
    # a proposal goes under the frame, of the kind above it
    with pytest.raises(InvalidInput, match="goes under"):
        propose(world, round_, "BP-S1", "contributor_post", "Misplaced", kind="initiative", parent="G1")


def test_up_the_tree_return_resubmit_merge_decline_waive_accept_and_consolidate_with_attribution(
    world: World,
) -> None:
    second_post(world)
    round_ = open_round(world, units=("RD-S", "BP-S1", "BP-S2", "RD-W", "BP-W1"))
    director, planner = world.users["contributor"], world.users["planner"]
    lanes_one = propose(world, round_, "BP-S1", "contributor_post", "Lanes at South Post One", budget={2013: 1000})
    propose(world, round_, "BP-S1", "contributor_post", "Paint the lanes", kind="activity", parent_proposal=lanes_one)
    lanes_two = propose(world, round_, "BP-S2", "contributor_post2", "Lanes at South Post Two", budget={2013: 500})
    extra = propose(world, round_, "BP-S2", "contributor_post2", "A new canteen")
    post_one, post_two = submission(round_, "BP-S1"), submission(round_, "BP-S2")
    directorate = submission(round_, "RD-S")

    services.submission_submit(actor=world.users["contributor_post"], submission=post_one)
    # the directorate cannot go up while a post is still out
    with pytest.raises(InvalidInput, match="South Post Two"):
        services.submission_submit(actor=director, submission=directorate)
    # it returns the first post with a comment; the post fixes and resubmits
    services.submission_return(actor=director, submission=post_one, comment="Give the lanes a budget for 2014 too")
    post_one.refresh_from_db()
    lanes_one.refresh_from_db()
    assert post_one.status == SubmissionStatus.RETURNED and lanes_one.status == ProposalStatus.DRAFT
    assert Notification.objects.filter(recipient=world.users["contributor_post"], key__contains="returned").exists()
    lanes_one = propose_again(world, lanes_one, budget={2013: 1000, 2014: 400})
    services.submission_submit(actor=world.users["contributor_post"], submission=post_one)
    services.submission_submit(actor=world.users["contributor_post2"], submission=post_two)

    # merge both posts' lanes at the directorate; decline the canteen
    lanes_one.refresh_from_db()
    lanes_two.refresh_from_db()
    merged = services.proposal_merge(
        actor=director,
        into=directorate,
        proposals=[lanes_one, lanes_two],
        title="Lane management at the southern posts",
        responsible_unit=world.unit("RD-S"),
    )
    assert merged.status == ProposalStatus.ACCEPTED and merged.holder == directorate
    assert {u.code for u in merged.proposed_by.all()} == {"BP-S1", "BP-S2"}
    assert {u.code for u in merged.merged_by.all()} == {"RD-S"}
    assert {(b.year, b.amount) for b in merged.budget.all()} == {(2013, Decimal(1500)), (2014, Decimal(400))}
    # the activity placed under the first post's lanes now sits under the merged proposal
    assert merged.sub_proposals.get().title == "Paint the lanes"
    extra.refresh_from_db()
    services.proposal_review(
        actor=director, proposal=extra, decision="decline", expected_version=extra.version, reason="Not a plan matter"
    )
    # the paint activity: accepted with an edit (recorded)
    paint = merged.sub_proposals.get()
    services.proposal_review(
        actor=director,
        proposal=paint,
        decision="accept",
        expected_version=paint.version,
        edits={"title": "Mark the lanes"},
    )
    post_one.refresh_from_db()
    post_two.refresh_from_db()
    assert post_one.status == post_two.status == SubmissionStatus.ACCEPTED
    assert selectors.status_label(post_one) == "Accepted by Southern Directorate"

    # the west's post never answers: waived by its directorate; the west submits nothing of its own
    services.submission_waive(
        actor=world.users["contributor_west"], submission=submission(round_, "BP-W1"), reason="Post closed for works"
    )
    services.submission_submit(actor=world.users["contributor_west"], submission=submission(round_, "RD-W"))
    services.submission_submit(actor=director, submission=directorate)
    for code in ("RD-S", "RD-W"):
        services.submission_accept(actor=planner, submission=submission(round_, code))

    result = services.round_consolidate(actor=planner, round_=round_)
    codes = dict(result.created)
    merged.refresh_from_db()
    element = PlanElement.objects.get(plan=world.plan, code=codes[merged.code])
    # codes are handed out now, after the world's own I1.1.1: the merged initiative is I1.1.2
    assert element.code == "I1.1.2" and element.title == "Lane management at the southern posts"
    activity = element.children.get()
    assert activity.title == "Mark the lanes" and activity.code == "A1.1.2.1"
    assert {(b.year, b.amount) for b in element.budget_lines.all()} == {(2013, Decimal(1500)), (2014, Decimal(400))}
    assert element.risks.count() == 1
    indicator = Indicator.objects.get(element=element)
    assert indicator.baseline_value == Decimal(10) and indicator.targets.get(period="2013").value == Decimal(12)
    attribution = ElementAttribution.objects.get(element=element)
    assert {u.code for u in attribution.proposed_by.all()} == {"BP-S1", "BP-S2"}
    notes = selectors.attribution_notes(element)
    assert notes[0].text == "Proposed by South Post One and South Post Two, merged by Southern Directorate"

    report = selectors.accounting(round_)
    assert report.unaccounted == 0
    assert report.counts == {"consolidated": 2, "merged": 2, "declined": 1, "open": 0, "unaccounted": 0}
    assert report.total == 5
    fates = {f.proposal.title: f.detail for f in report.fates}
    assert fates["Lanes at South Post One"] == f"merged into {merged.code} → I1.1.2"
    assert fates["A new canteen"] == "Not a plan matter"

    # every state change left its audit record
    actions = set(AuditEvent.objects.filter(entity__startswith="rounds.").values_list("entity", "action"))
    assert {
        ("rounds.PlanningRound", "create"),
        ("rounds.Proposal", "create"),
        ("rounds.Proposal", "update"),
        ("rounds.Submission", "submit"),
        ("rounds.Submission", "return"),
        ("rounds.Submission", "waive"),
        ("rounds.Submission", "accept"),
        ("rounds.Proposal", "merge"),
        ("rounds.Proposal", "decline"),
        ("rounds.Proposal", "accept"),
        ("rounds.PlanningRound", "consolidate"),
    } <= actions
    # ... and each proposal's audit trail, replayed, ends in the status it has
    for proposal in Proposal.objects.filter(round=round_):
        assert replayed_status(proposal) == proposal.status, proposal.code
    # ... and so does each submission's (each record gives the status it left and the one it made)
    for sub in Submission.objects.filter(round=round_, parent__isnull=False):
        status = "not_started"
        for event in AuditEvent.objects.filter(entity="rounds.Submission", entity_id=str(sub.pk)).order_by("pk"):
            assert event.changes["status"][0] == status, (sub.unit.code, event.action, event.changes)
            status = event.changes["status"][1]
        assert status == sub.status, sub.unit.code


def replayed_status(proposal: Proposal) -> str:
    """The status a proposal's audit records leave it in (each state change says where it went)."""
    outcome = {"accept": "accepted", "decline": "declined", "merge": "merged"}
    status = ""
    events = AuditEvent.objects.filter(entity="rounds.Proposal", entity_id=str(proposal.pk)).order_by("pk")
    for event in events:
        if event.action == "create":
            status = event.changes.get("status", "draft")
        elif event.action == "status":
            assert event.changes["status"][0] == status, (proposal.code, event.changes)
            status = event.changes["status"][1]
        elif event.action in outcome:
            status = outcome[event.action]
    return status


def propose_again(world: World, proposal: Proposal, *, budget: dict[int, int]) -> Proposal:
    """The post revises its returned proposal (the same fields, a new budget)."""
    values = services.ProposalInput(
        kind=proposal.kind,
        title=proposal.title,
        responsible_unit=proposal.responsible_unit,
        description=proposal.description,
        starts_on=proposal.starts_on,
        ends_on=proposal.ends_on,
        parent_element=proposal.parent_element,
        budget=[BudgetAsk(year, world.source.pk, Decimal(amount)) for year, amount in budget.items()],
    )
    return services.proposal_save(
        actor=world.users["contributor_post"],
        submission=proposal.holder,
        values=values,
        proposal=proposal,
        expected_version=proposal.version,
    )


def test_two_reviewers_deciding_the_same_proposal_one_gets_a_conflict(world: World, client: Client) -> None:
    from waypoint.org import services as org_services

    deputy = org_services.user_create(actor=None, username="deputy.south", password="x" * 16)
    org_services.role_grant(actor=None, user=deputy, role="contributor", unit=world.unit("RD-S"))
    round_ = open_round(world)
    proposal = propose(world, round_, "BP-S1", "contributor_post", "Scanner")
    services.submission_submit(actor=world.users["contributor_post"], submission=submission(round_, "BP-S1"))
    proposal.refresh_from_db()
    seen = proposal.version
    # both opened the proposal; the head of the directorate decides first
    stale = type(proposal).objects.get(pk=proposal.pk)
    services.proposal_review(
        actor=world.users["contributor"], proposal=proposal, decision="accept", expected_version=seen
    )
    with pytest.raises(EditConflict):
        services.proposal_review(actor=deputy, proposal=stale, decision="decline", expected_version=seen, reason="No")
    # the API answers 409
    client.force_login(deputy)
    response = client.post(
        f"/api/proposals/{proposal.pk}/review",
        data=json.dumps({"decision": "decline", "version": seen, "reason": "No"}),
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == "edit_conflict"


def test_a_mention_notifies_the_person_named(world: World) -> None:
    round_ = open_round(world)
    post = submission(round_, "BP-S1")
    comment = services.comment_add(
        actor=world.users["contributor"], submission=post, body="@contributor_post please add dates; cc @viewer"
    )
    assert {u.username for u in comment.mentions.all()} == {"contributor_post", "viewer"}
    notified = Notification.objects.filter(key=f"comment:{comment.pk}:mention")
    assert {n.recipient.username for n in notified} == {"contributor_post", "viewer"}
    # somebody who may not read the submission is not told of it
    comment = services.comment_add(actor=world.users["contributor"], submission=post, body="@contributor_west look")
    assert not comment.mentions.exists()


def test_the_dashboard_shows_status_late_days_left_and_asks_against_the_caps(world: World) -> None:
    round_ = open_round(world, deadline=dt.date(2011, 10, 31))
    roadmap_services.budget_caps_save(actor=None, plan=world.plan, caps={(world.source, 2013): Decimal(800)})
    propose(world, round_, "BP-S1", "contributor_post", "Scanner", budget={2013: 1000})
    propose(world, round_, "RD-S", "contributor", "Lanes", budget={2013: 300})
    services.submission_submit(actor=world.users["contributor_post"], submission=submission(round_, "BP-S1"))
    dashboard = selectors.round_dashboard(round_, today=dt.date(2011, 11, 5))
    rows = {r.submission.unit.code: r for r in dashboard.rows}
    assert not rows["BP-S1"].late and rows["RD-S"].late and rows["HQ-RSK"].late
    assert dashboard.late == 4 and dashboard.days_left == -5
    cell = dashboard.budget.cells[(2013, world.source.pk)]
    assert (cell.asked, cell.cap, cell.over) == (Decimal(1300), Decimal(800), Decimal(500))
    assert cell.where == [("South Post One", Decimal(1000)), ("Southern Directorate", Decimal(300))]
    assert rows["BP-S1"].counts == {"submitted": 1} and rows["BP-S1"].asked == Decimal(1000)


def test_my_work_lists_the_submission_to_write_and_the_ones_to_review(world: World) -> None:
    round_ = open_round(world)
    propose(world, round_, "BP-S1", "contributor_post", "Scanner")
    services.submission_submit(actor=world.users["contributor_post"], submission=submission(round_, "BP-S1"))
    director = [item.title for item in work_for(world.users["contributor"])]
    assert "Propose for Southern Directorate" in director and "Review the submission of South Post One" in director
    assert [i.title for i in work_for(world.users["contributor_post"])] == []


def test_a_waived_directorates_posts_report_to_the_level_above(world: World) -> None:
    round_ = open_round(world)
    services.submission_waive(
        actor=world.users["planner"], submission=submission(round_, "RD-S"), reason="The directorate is being merged"
    )
    post = submission(round_, "BP-S1")
    assert post.parent is not None and post.parent.is_root
    with pytest.raises(InvalidInput):
        services.submission_waive(actor=world.users["planner"], submission=submission(round_, "RD-S"), reason="Again")


def test_consolidation_refuses_a_plan_that_is_not_a_draft_and_the_pages_say_why(world: World, client: Client) -> None:
    round_ = open_round(world, units=("HQ-RSK",))
    propose(world, round_, "ADM", "planner", "Risk engine", kind="objective", parent="G1")
    plan_services.plan_set_status(actor=None, plan=world.plan, status="under_review")
    plan_services.plan_set_status(actor=None, plan=world.plan, status="approved")
    with pytest.raises(PlanLocked, match="approved and locked"):
        services.round_consolidate(actor=world.users["planner"], round_=round_)
    client.force_login(world.users["planner"])
    response = client.post(reverse("round-consolidate", args=[round_.pk]))
    assert response.status_code == 403 and "approved and locked" in response.content.decode()


def test_the_accounting_page_and_the_api_give_the_same_figures(world: World, client: Client) -> None:
    round_ = open_round(world)
    propose(world, round_, "BP-S1", "contributor_post", "Scanner")
    declined = propose(world, round_, "BP-S1", "contributor_post", "Canteen")
    services.submission_submit(actor=world.users["contributor_post"], submission=submission(round_, "BP-S1"))
    declined.refresh_from_db()
    services.proposal_review(
        actor=world.users["contributor"], proposal=declined, decision="decline", expected_version=None, reason="No"
    )
    client.force_login(world.users["viewer"])
    page = client.get(reverse("round-report", args=[round_.pk])).content.decode()
    api = client.get(f"/api/rounds/{round_.pk}/accounting").json()
    assert api["counts"] == {"consolidated": 0, "merged": 0, "declined": 1, "open": 1, "unaccounted": 0}
    assert api["total"] == 2 and api["unaccounted"] == 0
    for fate, n in api["counts"].items():
        assert f'data-fate="{fate}">{n} {fate}</span>' in page


def test_a_submission_with_nothing_waiting_is_accepted_as_it_is(world: World) -> None:
    round_ = open_round(world)
    post = submission(round_, "BP-S1")
    services.need_save(actor=world.users["contributor_post"], submission=post, text="A second scanner")
    services.submission_submit(actor=world.users["contributor_post"], submission=post)
    services.submission_accept(actor=world.users["contributor"], submission=post, comment="Noted")
    post.refresh_from_db()
    assert post.status == SubmissionStatus.ACCEPTED
    assert isinstance(post, Submission)


def test_a_form_that_writes_into_a_submission_opens_only_while_it_can_be_saved(world: World, client: Client) -> None:
    round_ = open_round(world)
    post = submission(round_, "BP-S1")
    propose(world, round_, "BP-S1", "contributor_post", "Second lane")
    client.force_login(world.users["contributor_post"])
    for name in ("proposal-create", "need-create"):
        assert client.get(reverse(name, args=[post.pk])).status_code == 200, name
    services.submission_submit(actor=world.users["contributor_post"], submission=post)
    for name in ("proposal-create", "need-create"):
        response = client.get(reverse(name, args=[post.pk]))
        assert response.status_code == 403, name
        assert "This submission is in" in response.content.decode(), name
    services.submission_return(actor=world.users["contributor"], submission=post, comment="Add the dates")
    services.round_set_status(actor=world.users["planner"], round_=round_, status="closed")
    response = client.get(reverse("proposal-create", args=[post.pk]))
    assert response.status_code == 403 and "This round is closed" in response.content.decode()
