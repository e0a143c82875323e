"""The demo's planning rounds, built through the rounds services.

- **2011**: the round that produced the Strategic Plan 2012–2016. Headquarters set the frame
  (the five goals); sixteen units were asked. Each objective of the plan was proposed by the
  unit that answers for it, with its initiatives, activities, dates, budget asks and risks.
  The southern border posts proposed their own work: the Southern Directorate returned
  Bilasuvar's submission once, edited one activity as it accepted it, declined Astara's
  housing request, and merged the two posts' proposals into one initiative and one objective,
  which the planning department merged with headquarters' objective on release times. Two
  headquarters submissions were returned once; the Northern Directorate was waived; the
  Academy's campus was declined. The consolidation made the plan's objectives, initiatives
  and activities, codes and all, exactly as the plan has them, with the attribution of each.
- **2016**: an open round for the 2017–2021 draft, half-way: some units submitted, one returned,
  several drafting, a few not started; unit indicators with baselines and targets, budget asks
  above the caps, needs citing the 2011 self-assessment, comments that mention people.

The services stamp the time they run; the 2011 round's history is then dated September to
December 2011 (``_date_history``), as the demo's other records are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils import timezone

from waypoint.demo import content
from waypoint.engine.periods import parse_month
from waypoint.org.models import OrgUnit, User
from waypoint.plans import extensions
from waypoint.plans import services as plan_services
from waypoint.plans.models import FundingSource, Plan, PlanElement
from waypoint.roadmap import services as roadmap_services
from waypoint.rounds import services
from waypoint.rounds.models import Comment, PlanningRound, Proposal, Review, Submission
from waypoint.rounds.rules import BudgetAsk, IndicatorAsk, RiskAsk

ROUND_2011 = "Planning round 2011: Strategic Plan 2012–2016"
ROUND_2016 = "Planning round 2016: Strategic Plan 2017–2021"
#: the units asked in 2011: those that answer for an objective, the southern posts and directorate,
#: and the Northern Directorate (waived)
ASKED_2011 = [
    "HQ-CAD",
    "HQ-RMD",
    "HQ-LEG",
    "HQ-PCA",
    "HQ-FIN",
    "HQ-TVO",
    "HQ-ENF",
    "HQ-HRD",
    "HQ-ACA",
    "HQ-INT",
    "HQ-ITD",
    "HQ-SPD",
    "RD-STH",
    "BP-AST",
    "BP-BIL",
    "RD-NTH",
]
#: who writes which unit's submission (demo logins); the others were typed in from the units' letters
WORKERS = {"RD-STH": "contributor", "BP-AST": "contributor.astara", "HQ-RMD": "risk.head", "HQ-SPD": "me.officer"}
#: the objective headquarters first proposed under another title, accepted with the plan's title
EDITED_TITLE = {"Strengthen tariff classification and origin control": "Tariff classification and origin"}
SOUTHERN_INITIATIVE = "Extended working hours and lane management at road posts"


class _Round:
    """The 2011 round as it is built: its submissions and the demo people."""

    def __init__(self, round_: PlanningRound, people: dict[str, User], sources: dict[str, FundingSource]) -> None:
        self.round = round_
        self.people = people
        self.sources = sources
        self.subs = {s.unit.code: s for s in round_.submissions.select_related("unit", "parent", "round__plan")}

    def worker(self, unit: str) -> User | None:
        name = WORKERS.get(unit)
        return self.people.get(name) if name else None

    def sub(self, unit: str) -> Submission:
        found = Submission.objects.select_related("unit", "parent__unit", "round__plan__administration").get(
            pk=self.subs[unit].pk
        )
        self.subs[unit] = found
        return found

    def propose(self, unit: str, values: services.ProposalInput) -> Proposal:
        return services.proposal_save(actor=self.worker(unit), submission=self.sub(unit), values=values)


def _risks(risks: Iterable[content.Risk]) -> list[RiskAsk]:
    return [RiskAsk(r.description, r.likelihood, r.impact, r.mitigation, r.owner) for r in risks]


def _initiative(
    spec: content.Initiative, units: dict[str, OrgUnit], parent: Proposal, *, title: str = "", unit: str = ""
) -> services.ProposalInput:
    return services.ProposalInput(
        kind="initiative",
        title=title or spec.title,
        responsible_unit=units[unit or spec.unit],
        description=spec.description,
        lead=spec.lead,
        starts_on=parse_month(spec.start),
        ends_on=parse_month(spec.end),
        parent_proposal=parent,
        risks=_risks(spec.risks),
    )


def _activity(
    spec: content.Activity,
    units: dict[str, OrgUnit],
    sources: dict[str, FundingSource],
    parent: Proposal,
    unit: str = "",
) -> services.ProposalInput:
    return services.ProposalInput(
        kind="activity",
        title=spec.title,
        responsible_unit=units[unit or spec.unit],
        starts_on=parse_month(spec.start),
        ends_on=parse_month(spec.end),
        parent_proposal=parent,
        budget=[BudgetAsk(year, sources[spec.source].pk, Decimal(amount)) for year, amount in spec.costs.items()],
    )


def build_round_2011(
    plan: Plan,
    goals: Sequence[PlanElement],
    units: dict[str, OrgUnit],
    sources: dict[str, FundingSource],
    people: dict[str, User],
) -> PlanningRound:
    """Run the 2011 round on the plan whose goals are set, and consolidate it into the plan."""
    planner, director = people["planner"], people["contributor"]
    round_ = services.round_open(
        actor=planner,
        plan=plan,
        title=ROUND_2011,
        guidance=(
            "Management has set the five goals of the Strategic Plan 2012–2016. Propose the objectives your "
            "unit will answer for, with their initiatives and activities, dates, the budget you need per year "
            "and funding source, and the risks you see. Border posts send theirs to their directorate."
        ),
        deadline=dt.date(2011, 10, 31),
        frame=goals,
        units=[units[code] for code in ASKED_2011],
    )
    work = _Round(round_, people, sources)
    southern: dict[str, Proposal] = {}
    merge_with_south: Proposal | None = None
    for goal, goal_spec in zip(goals, content.GOALS, strict=True):
        for objective_spec in goal_spec.objectives:
            unit = objective_spec.unit
            objective = work.propose(
                unit,
                services.ProposalInput(
                    kind="objective",
                    title=EDITED_TITLE.get(objective_spec.title, objective_spec.title),
                    responsible_unit=units[unit],
                    description=objective_spec.description,
                    assumptions="\n".join(objective_spec.assumptions),
                    parent_element=goal,
                ),
            )
            for initiative_spec in objective_spec.initiatives:
                if initiative_spec.title == SOUTHERN_INITIATIVE:
                    southern = _southern_posts(work, goal, initiative_spec, units)
                    merge_with_south = objective
                    continue
                initiative = work.propose(unit, _initiative(initiative_spec, units, objective))
                for activity_spec in initiative_spec.activities:
                    work.propose(unit, _activity(activity_spec, units, sources, initiative))
            if unit == "HQ-ACA" and objective_spec.title.startswith("Build the training capacity"):
                work.propose(
                    unit,
                    services.ProposalInput(
                        kind="initiative",
                        title="New Academy campus in Ganja",
                        responsible_unit=units[unit],
                        description="A residential campus for 300 trainees.",
                        starts_on=dt.date(2013, 1, 1),
                        ends_on=dt.date(2016, 12, 1),
                        parent_proposal=objective,
                        budget=[BudgetAsk(2014, sources["State budget"].pk, Decimal(4_500_000))],
                    ),
                )
    services.need_save(
        actor=people["contributor.astara"],
        submission=work.sub("BP-AST"),
        text="Trucks queue for up to a day at Astara: the post has one lane each way.",
    )
    services.need_save(
        actor=people["risk.head"],
        submission=work.sub("HQ-RMD"),
        text="Declaration data are too incomplete to build reliable risk profiles.",
    )
    _review_south(work, southern, director, units)
    _review_headquarters(work, planner, merge_with_south)
    services.round_consolidate(actor=planner, round_=round_)
    services.round_set_status(actor=planner, round_=round_, status="closed")
    _date_history(round_, dt.datetime(2011, 9, 5, 9, tzinfo=dt.UTC), dt.datetime(2011, 12, 5, 17, tzinfo=dt.UTC))
    return round_


def _southern_posts(
    work: _Round, goal: PlanElement, spec: content.Initiative, units: dict[str, OrgUnit]
) -> dict[str, Proposal]:
    """Astara and Bilasuvar propose the southern posts' work, each their own way."""
    shifts, lanes = spec.activities
    found: dict[str, Proposal] = {}
    for post, place, initiative_title in (
        ("BP-AST", "Astara", "Round-the-clock operation at Astara"),
        ("BP-BIL", "Bilasuvar", "Separate lanes for cleared and uncleared trucks at Bilasuvar"),
    ):
        objective = work.propose(
            post,
            services.ProposalInput(
                kind="objective",
                title=f"Faster clearance at {place}",
                responsible_unit=units[post],
                description=f"Trucks leave {place} the day they arrive.",
                parent_element=goal,
            ),
        )
        initiative = work.propose(
            post,
            _initiative(
                spec if post == "BP-BIL" else _without_risks(spec),
                units,
                objective,
                title=initiative_title,
                unit=post,
            ),
        )
        found[f"{post}:objective"], found[f"{post}:initiative"] = objective, initiative
        if post == "BP-AST":
            found["shifts"] = work.propose(post, _activity(shifts, units, work.sources, initiative))
            found["housing"] = work.propose(
                post,
                services.ProposalInput(
                    kind="initiative",
                    title="Staff housing at Astara",
                    responsible_unit=units[post],
                    description="Twelve flats for officers posted away from home.",
                    starts_on=dt.date(2013, 1, 1),
                    ends_on=dt.date(2014, 12, 1),
                    parent_proposal=objective,
                    budget=[BudgetAsk(2013, work.sources["State budget"].pk, Decimal(900_000))],
                ),
            )
        else:
            # Bilasuvar proposes the lanes for both posts, at first without their second year; the
            # directorate returns it for that, then gives the lanes to Astara
            first_draft = content.Activity(
                title=lanes.title,
                unit="BP-BIL",
                start=lanes.start,
                end=lanes.end,
                status=lanes.status,
                costs={year: cost for year, cost in lanes.costs.items() if year < 2015},
                source=lanes.source,
            )
            found["lanes"] = work.propose(post, _activity(first_draft, units, work.sources, initiative))
            found["lanes:spec"] = initiative
    return found


def _without_risks(spec: content.Initiative) -> content.Initiative:
    return content.Initiative(
        title=spec.title,
        unit=spec.unit,
        lead=spec.lead,
        start=spec.start,
        end=spec.end,
        status=spec.status,
        description=spec.description,
        activities=spec.activities,
    )


def _fresh(proposal: Proposal) -> Proposal:
    return Proposal.objects.get(pk=proposal.pk)


def _review_south(work: _Round, south: dict[str, Proposal], director: User, units: dict[str, OrgUnit]) -> None:
    astara, bilasuvar = work.people["contributor.astara"], None
    services.submission_submit(actor=astara, submission=work.sub("BP-AST"), comment="Astara's proposals.")
    services.submission_submit(actor=bilasuvar, submission=work.sub("BP-BIL"))
    services.submission_return(
        actor=director,
        submission=work.sub("BP-BIL"),
        comment="Put the 2015 works in too: the lanes take two years. Your initiative goes with Astara's.",
    )
    services.comment_add(
        actor=director,
        submission=work.sub("BP-BIL"),
        body="@contributor.astara Bilasuvar's lanes and your shifts will be one initiative for both posts.",
    )
    lanes = content.GOALS[0].objectives[0].initiatives[2].activities[1]
    services.proposal_save(
        actor=bilasuvar,
        submission=work.sub("BP-BIL"),
        values=_activity(lanes, units, work.sources, _fresh(south["lanes:spec"]), unit="BP-BIL"),
        proposal=_fresh(south["lanes"]),
    )
    services.submission_submit(actor=bilasuvar, submission=work.sub("BP-BIL"), comment="Resubmitted with 2015.")
    services.proposal_review(
        actor=director,
        proposal=_fresh(south["housing"]),
        decision="decline",
        expected_version=None,
        reason="Not within the plan's means: raise it with the Finance Department's housing programme.",
    )
    services.proposal_review(
        actor=director,
        proposal=_fresh(south["lanes"]),
        decision="accept",
        expected_version=None,
        edits={"responsible_unit": units["BP-AST"]},
    )
    initiative = content.GOALS[0].objectives[0].initiatives[2]
    services.proposal_merge(
        actor=director,
        into=work.sub("RD-STH"),
        proposals=[_fresh(south["BP-AST:initiative"]), _fresh(south["BP-BIL:initiative"])],
        title=initiative.title,
        description=initiative.description,
        responsible_unit=work.sub("RD-STH").unit,
    )
    services.proposal_merge(
        actor=director,
        into=work.sub("RD-STH"),
        proposals=[_fresh(south["BP-AST:objective"]), _fresh(south["BP-BIL:objective"])],
        title="Cut release times at the southern border posts",
        description="Trucks leave Astara and Bilasuvar the day they arrive.",
        responsible_unit=work.sub("RD-STH").unit,
    )
    for post in ("BP-AST", "BP-BIL"):
        if work.sub(post).status == "submitted":  # what was not decided one by one goes up as it is
            services.submission_accept(actor=director, submission=work.sub(post))
    services.submission_submit(actor=director, submission=work.sub("RD-STH"), comment="The southern posts' plan.")


def _review_headquarters(work: _Round, planner: User, southern_objective_of: Proposal | None) -> None:
    returned = {
        "HQ-ITD": "Give the data centre and the disaster-recovery site their own dates.",
        "HQ-LEG": "The RKC alignment needs the Milli Majlis calendar: check the dates with the Legal Department's plan.",
    }
    for unit in ASKED_2011:
        if unit in ("RD-STH", "BP-AST", "BP-BIL", "RD-NTH"):
            continue
        services.submission_submit(actor=work.worker(unit), submission=work.sub(unit))
        if unit in returned:
            services.submission_return(actor=planner, submission=work.sub(unit), comment=returned[unit])
            services.submission_submit(actor=work.worker(unit), submission=work.sub(unit), comment="Dates revised.")
    services.submission_waive(
        actor=planner,
        submission=work.sub("RD-NTH"),
        reason="The directorate is reorganised in 2012; its posts' work comes through Enforcement and Finance.",
    )
    root = Submission.objects.get(round=work.round, parent__isnull=True)
    if southern_objective_of is not None:
        from_south = Proposal.objects.get(holder=work.sub("RD-STH"), kind="objective")
        release = content.GOALS[0].objectives[0]
        services.proposal_merge(
            actor=planner,
            into=root,
            proposals=[_fresh(southern_objective_of), from_south],
            title=release.title,
            description=release.description,
        )
    for title, draft in EDITED_TITLE.items():
        proposal = Proposal.objects.get(round=work.round, title=draft, kind="objective")
        services.proposal_review(
            actor=planner, proposal=proposal, decision="accept", expected_version=None, edits={"title": title}
        )
    campus = Proposal.objects.get(round=work.round, title="New Academy campus in Ganja")
    services.proposal_review(
        actor=planner,
        proposal=campus,
        decision="decline",
        expected_version=None,
        reason="Not affordable within the 2012–2016 caps; the Academy trains in its current building.",
    )
    for submission in root.children.filter(status="submitted"):
        services.submission_accept(actor=planner, submission=Submission.objects.get(pk=submission.pk))


def _date_history(round_: PlanningRound, start: dt.datetime, end: dt.datetime) -> None:
    """Date the round's history within ``start``–``end`` in the order it happened (the services
    stamp the time the demo is built)."""
    reviews = list(Review.objects.filter(round=round_).order_by("id"))
    comments = list(Comment.objects.filter(round=round_).order_by("id"))
    events: list[Review | Comment] = sorted(
        [*reviews, *comments], key=lambda e: e.at if isinstance(e, Review) else e.created_at
    )
    step = (end - start) / max(len(events), 1)
    for i, event in enumerate(events):
        when = start + step * (i + 1)
        if isinstance(event, Review):
            Review.objects.filter(pk=event.pk).update(at=when)
        else:
            Comment.objects.filter(pk=event.pk).update(created_at=when)
    for submission in round_.submissions.all():
        mine = Review.objects.filter(submission=submission)
        submitted = mine.filter(action="submitted").order_by("-at").values_list("at", flat=True).first()
        decided = mine.exclude(action="submitted").order_by("-at").values_list("at", flat=True).first()
        Submission.objects.filter(pk=submission.pk).update(submitted_at=submitted, decided_at=decided)
    PlanningRound.objects.filter(pk=round_.pk).update(
        opened_at=start, closed_at=end, consolidated_at=end - dt.timedelta(hours=2)
    )


# --- the open round of the 2017–2021 draft ------------------------------------------------------------------

GOALS_2017 = [
    ("Clearance in hours, not days, at every border crossing", "HQ-CAD"),
    ("Revenue collected fairly, on time and at lower cost", "HQ-FIN"),
    ("A safe, secure and legitimate trade supply chain", "HQ-ENF"),
    ("Officers with the competencies of a modern customs service", "HQ-HRD"),
    ("A paperless customs service that shares its data", "HQ-ITD"),
]
ASKED_2016 = ["HQ-CAD", "HQ-RMD", "HQ-ITD", "HQ-HRD", "RD-STH", "BP-AST", "BP-BIL", "RD-WST", "RD-NTH", "BP-SAM"]


def build_round_2016(
    previous: Plan,
    admin: OrgUnit,
    units: dict[str, OrgUnit],
    sources: dict[str, FundingSource],
    people: dict[str, User],
) -> Plan:
    """The 2017–2021 draft, its frame, its caps, and its round half-way through."""
    planner = people["planner"]
    plan = plan_services.plan_create(
        actor=planner,
        administration=admin,
        title="Strategic Plan 2017–2021 (draft)",
        start_year=2017,
        end_year=2021,
        vision=previous.vision,
        mission=previous.mission,
        values=previous.values,
        summary="The second five-year plan, built bottom-up from the units' proposals in 2016.",
        previous=previous,
    )
    goals = [
        plan_services.element_create(actor=planner, plan=plan, parent=None, title=title, responsible_unit=units[unit])
        for title, unit in GOALS_2017
    ]
    caps = {(sources["State budget"], year): Decimal(3_000_000) for year in plan.years}
    caps |= {(sources[content.EU], year): Decimal(800_000) for year in plan.years}
    roadmap_services.budget_caps_save(actor=planner, plan=plan, caps=caps)
    round_ = services.round_open(
        actor=planner,
        plan=plan,
        title=ROUND_2016,
        guidance=(
            "The Board has set five goals for 2017–2021. Propose your unit's objectives and initiatives, "
            "with a baseline and yearly targets for the indicators you will answer for, and the budget per "
            "year: the caps are tight, so say what comes first. Name the problems you see as needs, with the "
            "2011 self-assessment's recommendation where one applies."
        ),
        deadline=timezone.localdate() + dt.timedelta(days=24),
        frame=goals,
        units=[units[code] for code in ASKED_2016],
    )
    work = _Round(round_, people, sources)
    state, eu = sources["State budget"].pk, sources[content.EU].pk
    years = plan.years

    def targets(first: float, step: float) -> dict[int, Decimal]:
        return {year: Decimal(str(round(first + step * i, 1))) for i, year in enumerate(years)}

    astara = work.propose(
        "BP-AST",
        services.ProposalInput(
            kind="objective",
            title="Clear trucks at Astara within two hours",
            responsible_unit=units["BP-AST"],
            description="The busiest southern crossing releases most trucks within two hours of arrival.",
            parent_element=goals[0],
            indicators=[
                IndicatorAsk(
                    "Median truck release time at Astara", "hours", "decrease", Decimal("3.1"), targets(2.8, -0.2)
                )
            ],
        ),
    )
    work.propose(
        "BP-AST",
        services.ProposalInput(
            kind="initiative",
            title="Second truck terminal at Astara",
            responsible_unit=units["BP-AST"],
            lead="Head of Astara post",
            starts_on=dt.date(2017, 3, 1),
            ends_on=dt.date(2019, 12, 1),
            parent_proposal=astara,
            budget=[BudgetAsk(2017, state, Decimal(900_000)), BudgetAsk(2018, state, Decimal(1_600_000))],
            risks=[
                RiskAsk(
                    "Land is not released by the municipality in time",
                    3,
                    4,
                    "Ask the Cabinet to decide",
                    "Head of post",
                )
            ],
        ),
    )
    recommendations = {c.reference: c for c in extensions.recommendations(admin)}
    cited = next((c for ref, c in recommendations.items() if ref.endswith("/R5")), None)
    services.need_save(
        actor=people["contributor.astara"],
        submission=work.sub("BP-AST"),
        text="The scanners installed in 2014 are out of warranty and break down weekly.",
        recommendation_id=cited.id if cited else None,
    )
    services.submission_submit(actor=people["contributor.astara"], submission=work.sub("BP-AST"))
    director = people["contributor"]
    services.submission_accept(actor=director, submission=work.sub("BP-AST"), comment="Accepted: it goes up with ours.")
    objective_bil = work.propose(
        "BP-BIL",
        services.ProposalInput(
            kind="objective",
            title="One stop for trucks at Bilasuvar",
            responsible_unit=units["BP-BIL"],
            parent_element=goals[0],
            indicators=[
                IndicatorAsk(
                    "Trucks controlled jointly with the Iranian side", "%", "increase", Decimal(0), targets(10, 15)
                )
            ],
        ),
    )
    work.propose(
        "BP-BIL",
        services.ProposalInput(
            kind="initiative",
            title="Joint controls with the Iranian customs at Bilasuvar",
            responsible_unit=units["BP-BIL"],
            starts_on=dt.date(2018, 1, 1),
            ends_on=dt.date(2020, 12, 1),
            parent_proposal=objective_bil,
            budget=[BudgetAsk(2018, eu, Decimal(600_000)), BudgetAsk(2019, eu, Decimal(450_000))],
        ),
    )
    services.submission_submit(actor=None, submission=work.sub("BP-BIL"))
    services.submission_return(
        actor=director,
        submission=work.sub("BP-BIL"),
        comment="The joint controls need the bilateral agreement first: add it as an activity, with its date.",
    )
    services.comment_add(
        actor=director,
        submission=work.sub("BP-BIL"),
        body="@planner the agreement is the Ministry's: can the round take an activity the post does not lead?",
    )
    work.propose(
        "RD-STH",
        services.ProposalInput(
            kind="objective",
            title="Same-day clearance at every southern post",
            responsible_unit=units["RD-STH"],
            parent_element=goals[0],
            indicators=[
                IndicatorAsk(
                    "Trucks released the day they arrive, southern posts", "%", "increase", Decimal(71), targets(76, 5)
                )
            ],
        ),
    )
    risk = work.propose(
        "HQ-RMD",
        services.ProposalInput(
            kind="objective",
            title="Select controls with machine-learning risk models",
            responsible_unit=units["HQ-RMD"],
            parent_element=goals[2],
            indicators=[IndicatorAsk("Hit rate of physical inspections", "%", "increase", Decimal(8), targets(10, 2))],
        ),
    )
    work.propose(
        "HQ-RMD",
        services.ProposalInput(
            kind="initiative",
            title="Risk engine upgrade with learning models",
            responsible_unit=units["HQ-RMD"],
            lead="Tural Mammadli",
            starts_on=dt.date(2017, 6, 1),
            ends_on=dt.date(2019, 6, 1),
            parent_proposal=risk,
            budget=[
                BudgetAsk(2017, state, Decimal(700_000)),
                BudgetAsk(2018, state, Decimal(1_200_000)),
                BudgetAsk(2018, eu, Decimal(950_000)),
            ],
            risks=[
                RiskAsk(
                    "Too few data scientists can be hired at civil-service pay",
                    4,
                    4,
                    "Train analysts at the Academy",
                    "Head, Risk Management",
                )
            ],
        ),
    )
    services.submission_submit(actor=people["risk.head"], submission=work.sub("HQ-RMD"))
    services.comment_add(
        actor=planner,
        submission=work.sub("HQ-RMD"),
        body="@risk.head can the upgrade start in 2017 with the state budget alone? 2018 is above the cap.",
    )
    work.propose(
        "HQ-ITD",
        services.ProposalInput(
            kind="objective",
            title="Every customs document electronic and shared with partner agencies",
            responsible_unit=units["HQ-ITD"],
            parent_element=goals[4],
            indicators=[
                IndicatorAsk("Procedures completed without paper", "%", "increase", Decimal(64), targets(72, 7))
            ],
        ),
    )
    west = work.propose(
        "RD-WST",
        services.ProposalInput(
            kind="objective",
            title="A green lane for authorised operators at Red Bridge",
            responsible_unit=units["RD-WST"],
            parent_element=goals[0],
        ),
    )
    work.propose(
        "RD-WST",
        services.ProposalInput(
            kind="initiative",
            title="Dedicated AEO lane and parking at Red Bridge",
            responsible_unit=units["RD-WST"],
            starts_on=dt.date(2017, 9, 1),
            ends_on=dt.date(2018, 12, 1),
            parent_proposal=west,
            budget=[BudgetAsk(2018, state, Decimal(1_100_000))],
        ),
    )
    services.need_save(
        actor=people["contributor.west"],
        submission=work.sub("RD-WST"),
        text="Georgian working hours at Red Bridge still differ from ours on Sundays.",
    )
    work.propose(
        "HQ-CAD",
        services.ProposalInput(
            kind="objective",
            title="Pre-arrival processing for every mode of transport",
            responsible_unit=units["HQ-CAD"],
            parent_element=goals[0],
            indicators=[
                IndicatorAsk("Declarations lodged before arrival", "%", "increase", Decimal(35), targets(45, 10))
            ],
            budget=[],
        ),
    )
    services.submission_submit(actor=None, submission=work.sub("HQ-CAD"))
    return plan


def existing_round(plan: Plan, title: str) -> PlanningRound | None:
    return PlanningRound.objects.filter(plan=plan, title=title).first()
