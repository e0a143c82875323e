"""Reads of planning rounds: one record for a person, the round's dashboard, a submission's
page, the accounting of every proposal, and what waits for a person ("My work")."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from waypoint.core.errors import NotAllowed, NotFound
from waypoint.org.access import Access
from waypoint.org.models import OrgUnit, Role, RoleAssignment, User
from waypoint.org.work import WorkItem
from waypoint.plans import extensions
from waypoint.plans import permissions as plan_permissions
from waypoint.plans.extensions import ElementNote
from waypoint.plans.models import PARENT_KIND, FundingSource, Plan, PlanElement
from waypoint.rounds import permissions
from waypoint.rounds.models import (
    FINAL_STATUSES,
    WORKING_STATUSES,
    Comment,
    ElementAttribution,
    PlanningRound,
    Proposal,
    ProposalBudget,
    ProposalStatus,
    Review,
    RoundStatus,
    Submission,
    SubmissionStatus,
)

# --- one record ------------------------------------------------------------------------------------


def round_for(user: Any, round_id: int) -> PlanningRound:
    """A round the user may read; another administration's is "not found", like one that does
    not exist."""
    found = PlanningRound.objects.select_related("plan__administration").filter(pk=round_id).first()
    if found is None or not permissions.can_read_round(user, found):
        raise NotFound(_("No such planning round."))
    return found


def submission_for(user: Any, submission_id: int) -> Submission:
    """A submission the user may read.

    Raises:
        NotFound: no such submission in the user's administrations.
        NotAllowed: a contributor asking for a unit outside their own subtree (a sibling's draft).
    """
    found = (
        Submission.objects.select_related("round__plan__administration", "unit", "parent__unit")
        .filter(pk=submission_id)
        .first()
    )
    if found is None or not permissions.can_read_round(user, found.round):
        raise NotFound(_("No such submission."))
    if not permissions.can_read_submission(user, found):
        raise NotAllowed(_("A unit sees its own submission and those it reviews, not other units' drafts."))
    return found


def proposal_for(user: Any, proposal_id: int) -> Proposal:
    """A proposal the user may read: through the submission that holds it or the one it came from.

    Raises:
        NotFound: no such proposal in the user's administrations.
        NotAllowed: neither submission is the user's to read.
    """
    found = (
        Proposal.objects.select_related(
            "round__plan__administration",
            "holder__unit",
            "holder__parent__unit",
            "origin__unit",
            "responsible_unit",
            "parent_element",
            "parent_proposal",
            "merged_into",
            "element",
        )
        .filter(pk=proposal_id)
        .first()
    )
    if found is None or not permissions.can_read_round(user, found.round):
        raise NotFound(_("No such proposal."))
    if not (permissions.can_read_submission(user, found.holder) or permissions.can_read_submission(user, found.origin)):
        raise NotAllowed(_("A unit sees its own proposals and those it reviews, not other units' drafts."))
    return found


def root_of(round_: PlanningRound) -> Submission:
    return round_.submissions.select_related("unit").get(parent__isnull=True)


# --- people and places ----------------------------------------------------------------------------


def workers(submission: Submission) -> list[User]:
    """The people who work on a submission: its unit's contributors (for the administration's
    own, its planners and administrators)."""
    round_ = submission.round
    admin = round_.plan.administration
    if submission.is_root:
        grants = RoleAssignment.objects.filter(
            role__in=[Role.PLANNER, Role.ADMINISTRATOR], unit__path__startswith=admin.path
        )
        return list(User.objects.filter(is_active=True, pk__in=grants.values("user_id")).distinct())
    grants = RoleAssignment.objects.filter(
        role=Role.CONTRIBUTOR, unit__path__startswith=submission.unit.path, unit__is_active=True
    ).select_related("unit")
    ids = {g.user_id for g in grants if permissions.submission_of_unit_path(round_, g.unit.path) == submission.pk}
    return list(User.objects.filter(is_active=True, pk__in=ids))


def within_frame(round_: PlanningRound, element: PlanElement) -> bool:
    """The element is in the round's frame or below an element of it."""
    frame = set(round_.frame.values_list("pk", flat=True))
    node: PlanElement | None = element
    while node is not None:
        if node.pk in frame:
            return True
        node = node.parent
    return False


def units_of_kinds(plan: Plan, kinds: Iterable[str]) -> list[OrgUnit]:
    """The active units of the plan's administration of the ``kinds`` (levels of the org tree)."""
    return list(
        OrgUnit.objects.filter(kind__in=list(kinds), path__startswith=plan.administration.path, is_active=True).exclude(
            pk=plan.administration_id
        )
    )


def placement_elements(round_: PlanningRound) -> list[PlanElement]:
    """Elements of the frame and below it under which a proposal may go (goals, objectives,
    initiatives), in tree order."""
    frame = list(round_.frame.all())
    found: dict[int, PlanElement] = {}
    level = frame
    while level:
        for element in level:
            found[element.pk] = element
        level = list(PlanElement.objects.filter(parent__in=level).exclude(kind="activity"))
    return sorted(found.values(), key=lambda e: [int(n) for n in e.code[1:].split(".")])


def placement_proposals(submission: Submission) -> list[Proposal]:
    """Open proposals of the submission under which another may go (objectives, initiatives)."""
    return list(
        Proposal.objects.filter(Q(holder=submission) | Q(origin=submission), kind__in=["objective", "initiative"])
        .exclude(status__in=FINAL_STATUSES)
        .order_by("position", "number")
    )


# --- the round's pages ------------------------------------------------------------------------------


def rounds_of(plan: Plan) -> list[PlanningRound]:
    return list(
        plan.rounds.annotate(
            asked=Count("submissions", filter=Q(submissions__parent__isnull=False), distinct=True),
            proposal_count=Count("proposals", distinct=True),
        ).order_by("-opened_at", "-id")
    )


def is_late(submission: Submission, round_: PlanningRound, today: dt.date) -> bool:
    return round_.is_open and today > round_.deadline and submission.status in WORKING_STATUSES


def level_name(submission: Submission) -> str:
    """A reviewing level in words: a unit's name, or the planners for the administration's level."""
    return str(_("the planners")) if submission.is_root else submission.unit.name


def status_label(submission: Submission) -> str:
    """The status in words, with the level that accepted it ("accepted by the Southern Directorate")."""
    if submission.status == SubmissionStatus.ACCEPTED and submission.parent is not None:
        return _("Accepted by %(unit)s") % {"unit": level_name(submission.parent)}
    if submission.status == SubmissionStatus.RETURNED and submission.returned_count > 1:
        return _("Returned (%(n)d times)") % {"n": submission.returned_count}
    return str(SubmissionStatus(submission.status).label)


@dataclass
class Row:
    submission: Submission
    depth: int
    late: bool
    label: str
    levels: list[str]
    counts: dict[str, int]
    asked: Decimal

    @property
    def proposals(self) -> int:
        return sum(self.counts.values())


@dataclass
class BudgetCell:
    asked: Decimal
    cap: Decimal | None
    #: the units asking most in this cell, when it is above its cap
    where: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def over(self) -> Decimal | None:
        if self.cap is None:
            return None
        return self.asked - self.cap


@dataclass
class BudgetView:
    years: list[int]
    sources: list[FundingSource]
    cells: dict[tuple[int, int], BudgetCell]

    def rows(self) -> list[tuple[FundingSource, list[BudgetCell]]]:
        return [(s, [self.cells[(y, s.pk)] for y in self.years]) for s in self.sources]

    def totals(self) -> list[BudgetCell]:
        out = []
        for year in self.years:
            cells = [self.cells[(year, s.pk)] for s in self.sources]
            caps = [c.cap for c in cells if c.cap is not None]
            out.append(BudgetCell(sum((c.asked for c in cells), Decimal(0)), sum(caps, Decimal(0)) if caps else None))
        return out


@dataclass
class Dashboard:
    round: PlanningRound
    rows: list[Row]
    counts: dict[str, int]
    late: int
    days_left: int | None
    proposals: dict[str, int]
    budget: BudgetView

    @property
    def days_late(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def proposals_by_status(self) -> list[tuple[str, int]]:
        """The statuses that have proposals, in words, with their counts."""
        return [(str(ProposalStatus(status).label), n) for status, n in self.proposals.items() if n]

    @property
    def units_in(self) -> int:
        return self.counts[SubmissionStatus.SUBMITTED] + self.counts[SubmissionStatus.ACCEPTED]


def tree_ordered(submissions: Iterable[Submission], plan: Plan) -> list[Submission]:
    """Submissions in the order of the org tree (siblings by their position, then code)."""
    places = {
        pk: (position, code)
        for pk, position, code in OrgUnit.objects.filter(path__startswith=plan.administration.path).values_list(
            "pk", "position", "code"
        )
    }

    def key(submission: Submission) -> list[tuple[int, str]]:
        return [places.get(int(pk), (0, "")) for pk in submission.unit.path.strip("/").split("/")]

    return sorted(submissions, key=key)


#: proposals whose asks count: everything still proposed (drafts included) and what became plan
LIVE = [ProposalStatus.DRAFT, ProposalStatus.ACCEPTED, ProposalStatus.SUBMITTED, ProposalStatus.CONSOLIDATED]


def _levels(submission: Submission, by_id: dict[int, Submission]) -> list[str]:
    """The levels that accepted the submission, lowest first."""
    levels = []
    node = submission
    while node.status == SubmissionStatus.ACCEPTED and node.parent_id is not None:
        parent = by_id.get(node.parent_id)
        if parent is None:
            break
        levels.append(level_name(parent))
        node = parent
    return levels


def round_dashboard(round_: PlanningRound, today: dt.date | None = None) -> Dashboard:
    """Units × status (late included), proposal counts, days left, and the budget asked
    against the plan's caps per year and funding source (a fixed number of queries)."""
    today = today or timezone.localdate()
    submissions = tree_ordered(round_.submissions.select_related("unit", "parent__unit"), round_.plan)
    by_id = {s.pk: s for s in submissions}
    root = next(s for s in submissions if s.parent_id is None)
    counts_by: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for origin_id, status, n in (
        Proposal.objects.filter(round=round_).values_list("origin_id", "status").annotate(n=Count("id"))
    ):
        counts_by[origin_id][status] += n
    asks = list(
        ProposalBudget.objects.filter(proposal__round=round_, proposal__status__in=LIVE).values_list(
            "proposal__origin_id", "year", "funding_source_id", "amount"
        )
    )
    asked_by_unit: dict[int, Decimal] = defaultdict(Decimal)
    for origin_id, _year, _source, amount in asks:
        asked_by_unit[origin_id] += amount
    rows = [
        Row(
            submission=s,
            depth=s.unit.depth - root.unit.depth - 1,
            late=is_late(s, round_, today),
            label=status_label(s),
            levels=_levels(s, by_id),
            counts=dict(counts_by[s.pk]),
            asked=asked_by_unit[s.pk],
        )
        for s in submissions
        if s.parent_id is not None
    ]
    status_counts = {
        status: sum(1 for r in rows if r.submission.status == status) for status in SubmissionStatus.values
    }
    proposals = dict.fromkeys(ProposalStatus.values, 0)
    for by_status in counts_by.values():
        for status, n in by_status.items():
            proposals[status] += n
    days_left = (round_.deadline - today).days if round_.is_open else None
    return Dashboard(
        round=round_,
        rows=rows,
        counts=status_counts,
        late=sum(1 for r in rows if r.late),
        days_left=days_left,
        proposals=proposals,
        budget=_budget(round_.plan, asks, by_id),
    )


def _budget(
    plan: Plan, asks: Sequence[tuple[int, int, int, Decimal]], submissions: dict[int, Submission]
) -> BudgetView:
    caps = extensions.budget_caps(plan)
    used = {source for _o, _y, source, _a in asks} | {source for _y, source in caps}
    sources = list(FundingSource.objects.filter(pk__in=used).order_by("name"))
    years = plan.years
    cells = {(y, s.pk): BudgetCell(Decimal(0), caps.get((y, s.pk))) for y in years for s in sources}
    by_unit: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for origin_id, year, source, amount in asks:
        if (year, source) in cells:
            cells[(year, source)].asked += amount
            by_unit[(year, source)][origin_id] += amount
    for key, cell in cells.items():
        over = cell.over
        if over is not None and over > 0:
            ranked = sorted(by_unit[key].items(), key=lambda item: -item[1])[:3]
            cell.where = [(submissions[origin].unit.name, amount) for origin, amount in ranked if origin in submissions]
    return BudgetView(years=years, sources=sources, cells=cells)


# --- a submission's page ------------------------------------------------------------------------------


@dataclass
class Entry:
    """One line of a submission's or proposal's history: a review or a comment."""

    at: dt.datetime
    who: str
    what: str
    text: str
    review: Review | None = None
    comment: Comment | None = None


def history(*, submission: Submission | None = None, proposal: Proposal | None = None) -> list[Entry]:
    reviews = Review.objects.select_related("level")
    comments = Comment.objects.prefetch_related("mentions")
    if submission is not None:
        reviews, comments = reviews.filter(submission=submission), comments.filter(submission=submission)
    else:
        reviews, comments = reviews.filter(proposal=proposal), comments.filter(proposal=proposal)
    entries = [
        Entry(
            r.at,
            r.actor_name,
            (f"{r.get_action_display()} · {r.level.name}" if r.level else r.get_action_display()),
            r.comment,
            review=r,
        )
        for r in reviews
    ]
    entries += [Entry(c.created_at, c.author_name, _("commented"), c.body, comment=c) for c in comments]
    return sorted(entries, key=lambda e: e.at)


def _proposals(queryset: QuerySet[Proposal]) -> list[Proposal]:
    return list(
        queryset.select_related("responsible_unit", "parent_element", "parent_proposal", "origin__unit", "holder__unit")
        .prefetch_related("budget", "proposed_by", "merged_by")
        .order_by("position", "number")
    )


@dataclass
class ChildReview:
    """A submission below, as its reviewer sees it: the proposals waiting for a decision."""

    submission: Submission
    waiting: list[Proposal]
    label: str
    #: whether the person may open it (a contributor at the administration's level sees that
    #: the units below exist and where they stand, not their drafts)
    readable: bool = True


def submission_page(user: Any, submission: Submission) -> dict[str, Any]:
    """What a submission's page shows, and what this person may do there."""
    round_ = submission.round
    works = permissions.works_on(user, submission)
    reviewing = permissions.reviews(user, submission)
    held = _proposals(Proposal.objects.filter(holder=submission))
    sent = _proposals(Proposal.objects.filter(origin=submission).exclude(holder=submission))
    children = tree_ordered(submission.children.select_related("unit", "parent__unit"), round_.plan)
    child_reviews = [
        ChildReview(
            child,
            _proposals(Proposal.objects.filter(holder=child, status=ProposalStatus.SUBMITTED)) if readable else [],
            status_label(child),
            readable,
        )
        for child in children
        for readable in [permissions.can_read_submission(user, child)]
    ]
    editable = round_.is_open and works and (submission.is_root or submission.status in WORKING_STATUSES)
    waiting_children = [
        c.unit.name for c in children if c.status not in (SubmissionStatus.ACCEPTED, SubmissionStatus.WAIVED)
    ]
    mergeable = [p for p in held if p.status in (ProposalStatus.DRAFT, ProposalStatus.ACCEPTED)] if editable else []
    if round_.is_open and works:
        mergeable += [p for c in child_reviews for p in c.waiting if permissions.reviews(user, c.submission)]
    return {
        "round": round_,
        "submission": submission,
        "held": held,
        "sent": sent,
        "needs": list(submission.needs.all()),
        "child_reviews": child_reviews,
        "history": history(submission=submission),
        "works": works,
        "reviewing": reviewing and round_.is_open,
        "editable": editable,
        "can_submit": editable and not submission.is_root and not waiting_children,
        "waiting_children": waiting_children,
        "can_waive": round_.is_open
        and permissions.can_waive(user, submission)
        and submission.status in WORKING_STATUSES,
        "can_return": reviewing and round_.is_open and submission.status == SubmissionStatus.SUBMITTED,
        "mergeable": mergeable,
        "late": is_late(submission, round_, timezone.localdate()),
        "label": status_label(submission),
    }


def proposal_page(user: Any, proposal: Proposal) -> dict[str, Any]:
    holder = proposal.holder
    reviewing = permissions.reviews(user, holder) and proposal.status == ProposalStatus.SUBMITTED
    editable = (
        proposal.round.is_open
        and permissions.works_on(user, holder)
        and proposal.status in (ProposalStatus.DRAFT, ProposalStatus.ACCEPTED)
        and (holder.is_root or holder.status in WORKING_STATUSES)
    )
    return {
        "round": proposal.round,
        "proposal": proposal,
        "budget": list(proposal.budget.select_related("funding_source")),
        "indicators": list(proposal.indicators.all()),
        "risks": list(proposal.risks.all()),
        "sub_proposals": list(proposal.sub_proposals.order_by("position", "number")),
        "merged_from": list(proposal.merged_from.select_related("origin__unit").order_by("number")),
        "history": history(proposal=proposal),
        "attribution": attribution_text(
            [u.name for u in proposal.proposed_by.all()], [u.name for u in proposal.merged_by.all()]
        ),
        "reviewing": reviewing and proposal.round.is_open,
        "editable": editable,
        "deletable": editable and proposal.status == ProposalStatus.DRAFT and proposal.origin_id == holder.pk,
        "fate": fate_of(proposal),
        # where it came from besides its unit: a workshop's result (``workshops``), through the
        # same hook as the plan's SWOT items and functions
        "origins": extensions.origins_of(proposal.round.plan, "proposal").get(proposal.pk, []),
    }


# --- accounting ----------------------------------------------------------------------------------------


@dataclass
class Fate:
    """Where a proposal ended: consolidated into an element, merged into another, declined with
    a reason, or still open (and where)."""

    proposal: Proposal
    fate: str
    detail: str
    element_code: str = ""

    @property
    def label(self) -> str:
        """The fate in the reader's language (``fate`` is the key pages and the API use)."""
        return fate_label(self.fate)


def fate_label(fate: str) -> str:
    labels = {
        "consolidated": pgettext("proposal fate", "consolidated"),
        "merged": pgettext("proposal fate", "merged"),
        "declined": pgettext("proposal fate", "declined"),
        "open": pgettext("proposal fate", "open"),
        "unaccounted": pgettext("proposal fate", "unaccounted"),
    }
    return labels.get(fate, fate)


def fate_of(proposal: Proposal) -> Fate:
    status = proposal.status
    if status == ProposalStatus.CONSOLIDATED and proposal.element is not None:
        return Fate(
            proposal,
            "consolidated",
            _("consolidated into %(code)s") % {"code": proposal.element.code},
            proposal.element.code,
        )
    if status == ProposalStatus.MERGED and proposal.merged_into is not None:
        final = proposal.merged_into
        while final.merged_into is not None:
            final = final.merged_into
        detail = _("merged into %(code)s") % {"code": proposal.merged_into.code}
        if final.status == ProposalStatus.CONSOLIDATED and final.element is not None:
            detail += " → " + final.element.code
        return Fate(proposal, "merged", detail, final.element.code if final.element else "")
    if status == ProposalStatus.DECLINED and proposal.reason:
        return Fate(proposal, "declined", proposal.reason)
    if status in (ProposalStatus.DRAFT, ProposalStatus.ACCEPTED, ProposalStatus.SUBMITTED):
        where = proposal.holder.unit.name
        return Fate(
            proposal, "open", _("%(status)s, at %(unit)s") % {"status": proposal.get_status_display(), "unit": where}
        )
    shown = ProposalStatus(status).label.lower() if status in ProposalStatus.values else status
    return Fate(proposal, "unaccounted", _("its record is incomplete (%(status)s)") % {"status": shown})


FATES = ("consolidated", "merged", "declined", "open")


@dataclass
class Accounting:
    round: PlanningRound
    fates: list[Fate]

    @property
    def counts(self) -> dict[str, int]:
        return {fate: sum(1 for f in self.fates if f.fate == fate) for fate in (*FATES, "unaccounted")}

    @property
    def total(self) -> int:
        return len(self.fates)

    @property
    def count_rows(self) -> list[tuple[str, int, str]]:
        """Each fate, its count, and both in words ("142 consolidated")."""
        words = {
            "consolidated": lambda n: ngettext("%(n)d consolidated", "%(n)d consolidated", n),
            "merged": lambda n: ngettext("%(n)d merged", "%(n)d merged", n),
            "declined": lambda n: ngettext("%(n)d declined", "%(n)d declined", n),
            "open": lambda n: ngettext("%(n)d open", "%(n)d open", n),
            "unaccounted": lambda n: ngettext("%(n)d unaccounted", "%(n)d unaccounted", n),
        }
        return [(fate, n, words[fate](n) % {"n": n}) for fate, n in self.counts.items()]

    @property
    def unaccounted(self) -> int:
        return self.counts["unaccounted"]


def readable_submission_ids(user: Any, round_: PlanningRound) -> set[int]:
    """The round's submissions ``user`` may open (for links: a page links only what opens)."""
    submissions = round_.submissions.select_related("unit", "round__plan__administration")
    return {s.pk for s in submissions if permissions.can_read_submission(user, s)}


def accounting(round_: PlanningRound) -> Accounting:
    """Every proposal of the round with its fate; a proposal whose record does not say where it
    went (consolidated without an element, merged into nothing, declined without a reason) is
    counted as unaccounted."""
    proposals = (
        Proposal.objects.filter(round=round_)
        .select_related("element", "holder__unit", "origin__unit", "merged_into__element", "merged_into__merged_into")
        .order_by("number")
    )
    return Accounting(round_, [fate_of(p) for p in proposals])


# --- attribution ----------------------------------------------------------------------------------------


def attribution_text(proposed_by: Sequence[str], merged_by: Sequence[str]) -> str:
    """ "Proposed by Astara border post and Bilasuvar border post, merged by the Southern
    Customs Directorate"."""

    def join(names: Sequence[str]) -> str:
        names = list(names)
        if len(names) <= 1:
            return "".join(names)
        return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}

    text = _("Proposed by %(units)s") % {"units": join(proposed_by)} if proposed_by else ""
    if merged_by:
        text += (", " if text else "") + _("merged by %(units)s") % {"units": join(merged_by)}
    return text


def attribution_notes(element: PlanElement) -> list[ElementNote]:
    """The element page's line on where the element came from (``plans.extensions``)."""
    attribution = (
        ElementAttribution.objects.filter(element=element).prefetch_related("proposed_by", "merged_by").first()
    )
    if attribution is None:
        return []
    text = attribution_text(
        sorted(u.name for u in attribution.proposed_by.all()), sorted(u.name for u in attribution.merged_by.all())
    )
    proposal = Proposal.objects.filter(element=element).first()
    url = reverse("proposal-detail", kwargs={"proposal_id": proposal.pk}) if proposal is not None else ""
    notes = [ElementNote(_("Bottom-up"), text, url)]
    if attribution.source:
        notes.append(ElementNote(_("From"), attribution.source))
    return notes


# --- My work ---------------------------------------------------------------------------------------------


def work_waiting(user: User) -> list[WorkItem]:
    """What waits for a person in open rounds: their unit's submission to write (or revise), and
    the submissions below them to review."""
    access = Access.of(user)
    if not access.has_any_role:
        return []
    items: list[WorkItem] = []
    rounds = PlanningRound.objects.filter(status=RoundStatus.OPEN).select_related("plan__administration")
    for round_ in rounds:
        if not access.can_read(round_.plan.administration.path):
            continue
        mine = permissions.worked_submission_ids(user, round_)
        if not mine:
            continue
        submissions = round_.submissions.select_related("unit").filter(Q(pk__in=mine) | Q(parent__in=mine))
        for submission in submissions:
            url = reverse("submission-detail", kwargs={"submission_id": submission.pk})
            if submission.pk in mine and not submission.is_root and submission.status in WORKING_STATUSES:
                title = (
                    _("Revise and resubmit the proposals of %(unit)s")
                    if submission.status == SubmissionStatus.RETURNED
                    else _("Propose for %(unit)s")
                ) % {"unit": submission.unit.name}
                items.append(WorkItem(_("Planning round"), title, url, round_.deadline, round_.title))
            elif submission.parent_id in mine and submission.status == SubmissionStatus.SUBMITTED:
                items.append(
                    WorkItem(
                        _("Proposals to review"),
                        _("Review the submission of %(unit)s") % {"unit": submission.unit.name},
                        url,
                        round_.deadline,
                        round_.title,
                    )
                )
    return items


def plan_has_open_round(plan: Plan) -> bool:
    return plan.rounds.filter(status=RoundStatus.OPEN).exists()


def open_round_of(plan: Plan) -> PlanningRound | None:
    """The plan's open round (a plan has one open at most: ``services.round_open``)."""
    return plan.rounds.filter(status=RoundStatus.OPEN).select_related("plan__administration").first()


def is_writable(submission: Submission) -> bool:
    """Its unit may still write in it: the administration's own always (while the round is
    open), a unit's until it is submitted (again once it is returned)."""
    return submission.is_root or submission.status in WORKING_STATUSES


def can_open(user: Any, plan: Plan) -> bool:
    """Whether the plan's rounds page offers "Open a round"."""
    return not plan_permissions.is_locked(plan) and permissions.can_open_round(user, plan)


def parent_kind(kind: str) -> str | None:
    return PARENT_KIND.get(kind)
