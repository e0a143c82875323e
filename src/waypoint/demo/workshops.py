"""The demo's workshops: the founding case — the strategic-planning workshop in Baku, 14–18
November 2011, where managers and officers with a WCO adviser drafted the 2012–2016 plan —
finished, with its record and the links from its results to the plan; and a directorate's
workshop on its 2013 action plan, still open, to join from a phone.

Everything goes through the workshops' services, so the record, the audit trail and the
results are what a real session leaves. The November 2011 results are linked to the plan's
SWOT items, functions and goals that the builder made from them, and to the follow-up actions
the monitoring demo put in the register (``outcome_link``), rather than made a second time.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from waypoint.monitoring.models import ActionSource, FollowUpAction
from waypoint.org.models import OrgUnit, User
from waypoint.plans.models import Plan
from waypoint.workshops import services
from waypoint.workshops.models import Exercise, Note, Participant, Workshop

FOUNDING_TITLE = "Strategic planning workshop, Baku"
#: its first exercise, where the follow-up actions agreed on the last day are recorded
GOOD_PLAN_TITLE = "What makes a good strategic plan?"
OPEN_TITLE = "Southern Directorate: action plan 2013"

#: guests of the founding workshop (fictional names): officers and managers without accounts
GUESTS = [
    "Adviser (WCO)",
    "Anar Aliyev",
    "Nigar Huseynova",
    "Orkhan Ibrahimov",
    "Gunel Abbasova",
    "Rashad Guliyev",
    "Samira Najafova",
    "Elchin Babayev",
    "Lala Safarova",
    "Vugar Mustafayev",
    "Aygun Rahimova",
    "Ilham Jafarov",
    "Konul Hajiyeva",
    "Emin Suleymanov",
    "Sabina Asadova",
    "Tofig Ismayilov",
    "Narmin Aliyeva",
    "Zaur Mammadov",
    "Parvin Gasimova",
    "Kamal Huseynli",
    "Ulviyya Bagirova",
    "Farhad Novruzov",
]

GOOD_PLAN = [
    ("needs", "A clear vision that every officer can repeat"),
    ("needs", "Few objectives, each with an indicator and a target"),
    ("needs", "Owners for every initiative, and a budget"),
    ("needs", "A baseline: where we are today, measured"),
    ("needs", "Input from the regions, not only headquarters"),
    ("needs", "Regular reviews with the Chairman"),
    ("avoid", "A wish list without priorities"),
    ("avoid", "Targets nobody measures"),
    ("avoid", "A document written by consultants alone"),
]

#: category, cluster, the start of the plan's SWOT statement it became, and the notes in it
SWOT_BOARD: list[tuple[str, str, str, list[str]]] = [
    (
        "strength",
        "Electronic declaration",
        "Electronic declaration",
        ["Most declarations are lodged electronically", "ASYCUDA-style system works at all big offices"],
    ),
    (
        "strength",
        "Single window",
        "Single window",
        ["Single window at the border since 2009", "Control time at checkpoints is minutes now"],
    ),
    (
        "strength",
        "Leadership",
        "Committed leadership",
        ["The Chairman supports modernisation", "A planning department exists"],
    ),
    ("strength", "Location", "Strategic position", ["We sit on two transport corridors"]),
    (
        "weakness",
        "Inspections",
        "Inspection rates",
        [
            "Too many physical inspections",
            "Selectivity is not based on risk",
            "Officers fear to release without inspection",
        ],
    ),
    (
        "weakness",
        "No measurement",
        "Release times",
        ["Nobody measures release time", "We have no baseline for the plan"],
    ),
    (
        "weakness",
        "Competencies",
        "Job descriptions",
        ["Job descriptions say nothing about skills", "Training is not linked to the job"],
    ),
    ("weakness", "Audit", "Post-clearance audit", ["PCA team is small", "Audit targets chosen by hand"]),
    ("weakness", "Facilities", "Facilities at the busiest", ["Red Bridge post is too small for the trucks"]),
    ("opportunity", "Transit growth", "Transit traffic", ["Caspian transit is growing fast"]),
    ("opportunity", "Donors", "Donors fund", ["EU and World Bank fund border projects"]),
    ("opportunity", "Data exchange", "Neighbours are ready", ["Georgia wants to exchange pre-arrival data"]),
    ("threat", "Drugs", "Drug trafficking", ["Drug routes move to the southern border"]),
    ("threat", "Revenue pressure", "Falling oil prices", ["Lower oil prices: more pressure on customs revenue"]),
    (
        "threat",
        "Staff turnover",
        "Experienced officers",
        ["Good officers leave for private brokers", "Salaries lag behind"],
    ),
]
#: notes nobody clustered (they stay on the board, in the record)
LOOSE = [("opportunity", "WTO accession talks"), ("threat", "Corruption perception in the press")]

#: the room's view of the functions (the weights its judgements scatter around)
FUNCTION_WEIGHTS = {
    "Trade facilitation": 0.24,
    "Revenue collection": 0.20,
    "Enforcement and anti-smuggling": 0.16,
    "Border and supply-chain security": 0.13,
    "Institutional development": 0.10,
    "Protection of society": 0.07,
    "Trade statistics": 0.06,
    "Protection of intellectual property rights": 0.04,
}

SAATY = (1, 3, 5, 7, 9)


def _strength(ratio: float) -> int:
    """The odd Saaty value closest (on a log scale) to a ratio of at least 1."""
    return min(SAATY, key=lambda s: abs(math.log(s) - math.log(ratio)))


def _seats(workshop: Workshop, users: list[User], guests: list[str]) -> list[Participant]:
    seats = [services.participant_join(workshop=workshop, user=user) for user in users]
    seats += [services.participant_join(workshop=workshop, name=name) for name in guests]
    return seats


def _board(workshop: Workshop, title: str, prompt: str, layout: list[dict[str, str]]) -> Exercise:
    return services.exercise_save(
        actor=None, workshop=workshop, kind="board", title=title, prompt=prompt, columns=layout
    )


def build_workshops(plan: Plan, admin: OrgUnit) -> None:
    """Add the two workshops (once: found by title, they are left alone)."""
    if not Workshop.objects.filter(plan=plan, title=FOUNDING_TITLE).exists():
        _founding(plan, admin)
    if not Workshop.objects.filter(plan=plan, title=OPEN_TITLE).exists():
        _in_progress(plan, admin)


def _people(names: list[str]) -> list[User]:
    found = {u.username: u for u in User.objects.filter(username__in=names)}
    return [found[n] for n in names if n in found]


def _founding(plan: Plan, admin: OrgUnit) -> None:
    rng = random.Random(2011)  # noqa: S311  # a repeatable demo, not a secret
    planner = User.objects.get(username="planner")
    workshop = services.workshop_create(
        actor=None,
        plan=plan,
        title=FOUNDING_TITLE,
        starts_on=dt.date(2011, 11, 14),
        ends_on=dt.date(2011, 11, 18),
        place="State Customs Committee, Baku",
        purpose=(
            "Facilitated by the WCO Secretariat at the request of the Committee: the benefits of strategic "
            "planning and the elements of a good plan, the environmental scan, the future activity profile "
            "with its functions and priorities, and a first draft of the Strategic Plan 2012–2016 with "
            "agreed follow-up actions."
        ),
        facilitators=[planner],
    )
    services.workshop_set_status(actor=None, workshop=workshop, status="open")
    users = _people(["admin", "approver", "contributor", "contributor.west", "viewer", "me.officer", "risk.head"])
    seats = _seats(workshop, users, GUESTS)
    room = [s for s in seats if s.user_id != planner.pk]

    # 1. what a good plan needs
    layout = [{"key": "needs", "label": "A good plan needs…"}, {"key": "avoid", "label": "A good plan avoids…"}]
    good = _board(workshop, GOOD_PLAN_TITLE, "One idea per note.", layout)
    services.exercise_set_status(actor=None, exercise=good, status="open")
    for column, text in GOOD_PLAN:
        services.note_add(participant=rng.choice(room), exercise=good, column=column, text=text)
    services.exercise_set_status(actor=None, exercise=good, status="closed")

    # 2. the SWOT board, clustered, its clusters linked to the plan's SWOT items
    swot_columns = [
        {"key": "strength", "label": "Strengths"},
        {"key": "weakness", "label": "Weaknesses"},
        {"key": "opportunity", "label": "Opportunities"},
        {"key": "threat", "label": "Threats"},
    ]
    swot = _board(workshop, "SWOT of the customs service", "Where do we stand, and what is coming?", swot_columns)
    services.exercise_set_status(actor=None, exercise=swot, status="open")
    clustered: list[list[Note]] = []
    for category, _name, _item, texts in SWOT_BOARD:
        clustered.append(
            [services.note_add(participant=rng.choice(room), exercise=swot, column=category, text=t) for t in texts]
        )
    for category, text in LOOSE:
        services.note_add(participant=rng.choice(room), exercise=swot, column=category, text=text)
    services.exercise_set_status(actor=None, exercise=swot, status="closed")
    for (category, name, item_start, _texts), notes in zip(SWOT_BOARD, clustered, strict=True):
        cluster = services.cluster_save(actor=None, exercise=swot, name=name, column=category)
        for note in notes:
            services.note_cluster(actor=None, note=note, cluster=cluster)
        item = plan.analysis_items.filter(framework="swot", text__startswith=item_start).first()
        if item is not None:
            services.outcome_link(
                actor=None, exercise=swot, kind="analysis_item", target_id=item.pk, detail=category, cluster=cluster
            )

    # 3. dot voting on the strategic priorities, linked to the goals they became
    goals = list(plan.elements.filter(kind="goal").order_by("position"))
    vote = services.exercise_save(
        actor=None,
        workshop=workshop,
        kind="dot_vote",
        title="Strategic priorities 2012–2016",
        prompt="Put your five dots on the priorities that matter most.",
        options=[g.title for g in goals],
        dots_per_person=5,
        anonymous=True,
    )
    services.exercise_set_status(actor=None, exercise=vote, status="open")
    options = list(vote.options.all())
    appeal = [5, 3, 2, 2, 3]  # how the room leans: facilitation first, then automation
    for seat in room:
        left = 5
        while left:
            option = rng.choices(options, weights=appeal[: len(options)])[0]
            mine = seat.dot_votes.filter(option=option).first()
            services.dots_set(participant=seat, option=option, dots=(mine.dots if mine else 0) + 1)
            left -= 1
    services.exercise_set_status(actor=None, exercise=vote, status="closed", results_visible=True)
    from waypoint.workshops import selectors

    for option, rank in selectors.ranking(vote):
        goal = next((g for g in goals if g.title == option.label), None)
        if goal is not None:
            services.outcome_link(
                actor=None, exercise=vote, kind="element", target_id=goal.pk, detail=f"#{rank}", option=option
            )

    # 4. pairwise comparison of the functions of the activity profile
    pairwise = services.exercise_save(
        actor=None,
        workshop=workshop,
        kind="pairwise",
        title="Priorities of the customs functions",
        prompt="Which function matters more for the next five years, and how much?",
    )
    services.options_from_functions(actor=None, exercise=pairwise)
    services.exercise_set_status(actor=None, exercise=pairwise, status="open")
    options = list(pairwise.options.all())
    for seat in room[:12]:
        for i, first in enumerate(options):
            for second in options[i + 1 :]:
                ratio = FUNCTION_WEIGHTS.get(first.label, 0.05) / FUNCTION_WEIGHTS.get(second.label, 0.05)
                ratio *= math.exp(rng.gauss(0, 0.25))  # each person's own view
                preferred, other = (first, second) if ratio >= 1 else (second, first)
                strength = _strength(max(ratio, 1 / ratio))
                services.comparison_set(participant=seat, preferred=preferred, other=other, strength=strength)
    services.exercise_set_status(actor=None, exercise=pairwise, status="closed", results_visible=True)
    for option, rank in selectors.ranking(pairwise):
        if option.function is not None:
            services.outcome_link(
                actor=None,
                exercise=pairwise,
                kind="function",
                target_id=option.function.pk,
                detail=f"{option.function.priority} (#{rank})",
                option=option,
            )

    # the follow-up actions agreed on the last day are in the plan's register already (the
    # monitoring demo follows them to 2016, source "workshop"): link them back to the room
    # instead of making them a second time
    for action in FollowUpAction.objects.filter(plan=plan, source=ActionSource.WORKSHOP).order_by("number"):
        services.outcome_link(actor=None, exercise=good, kind="action", target_id=action.pk)
    services.workshop_set_status(actor=None, workshop=workshop, status="closed")


def _in_progress(plan: Plan, admin: OrgUnit) -> None:
    rng = random.Random(2013)  # noqa: S311  # a repeatable demo, not a secret
    contributor = User.objects.get(username="contributor")
    workshop = services.workshop_create(
        actor=None,
        plan=plan,
        title=OPEN_TITLE,
        starts_on=dt.date(2013, 1, 22),
        ends_on=dt.date(2013, 1, 23),
        place="Southern Customs Directorate",
        purpose="What holds clearance up at the southern posts, and which initiatives to fund first in 2013.",
        facilitators=[contributor, User.objects.get(username="planner")],
    )
    services.workshop_set_status(actor=None, workshop=workshop, status="open")
    users = _people(["risk.head", "me.officer"])
    seats = _seats(workshop, users, ["Rufat Karimov", "Mehriban Aliyeva", "Javid Hasanli", "Shahla Mirzayeva"])
    board = _board(
        workshop,
        "Problems and causes at the southern posts",
        "What slows clearance down? Write one problem or cause per note.",
        [{"key": "problem", "label": "Problems"}, {"key": "cause", "label": "Causes"}],
    )
    services.exercise_set_status(actor=None, exercise=board, status="open")
    for column, text in [
        ("problem", "Trucks wait hours at Astara before the inspection"),
        ("problem", "Scanner images are read twice"),
        ("problem", "Declarations arrive after the truck"),
        ("cause", "No pre-arrival information from Iran"),
        ("cause", "One scanner operator per shift"),
        ("cause", "Brokers lodge paper copies"),
    ]:
        services.note_add(participant=rng.choice(seats), exercise=board, column=column, text=text)
    services.exercise_set_status(actor=None, exercise=board, status="closed")
    scoring = services.exercise_save(
        actor=None,
        workshop=workshop,
        kind="scoring",
        title="Initiatives for 2013",
        prompt="Score each initiative from 1 to 5.",
        options=[
            "Pre-arrival data exchange with Iran",
            "Second scanner operator per shift",
            "Electronic lodgement for brokers",
            "Dedicated lane for authorised traders",
        ],
        criteria=[
            {"name": "Impact on release time", "weight": 3, "direction": "higher", "axis": "impact"},
            {"name": "Feasibility in 2013", "weight": 2, "direction": "higher", "axis": ""},
            {"name": "Cost and effort", "weight": 1, "direction": "lower", "axis": "effort"},
        ],
    )
    services.exercise_set_status(actor=None, exercise=scoring, status="open", results_visible=True)
    leaning = {
        "Pre-arrival": (5, 2, 4),
        "Second scanner": (3, 5, 2),
        "Electronic lodgement": (4, 4, 3),
        "Dedicated lane": (3, 3, 2),
    }
    criteria = list(scoring.criteria.all())
    for seat in seats[:4]:  # the others have not scored yet: the session is in progress
        for option in scoring.options.all():
            base = next(v for k, v in leaning.items() if option.label.startswith(k))
            for criterion, value in zip(criteria, base, strict=True):
                services.score_set(
                    participant=seat,
                    option=option,
                    criterion=criterion,
                    value=max(1, min(5, value + rng.choice((-1, 0, 0, 1)))),
                )
    services.exercise_save(
        actor=None,
        workshop=workshop,
        kind="dot_vote",
        title="Which two do we fund first?",
        options=[
            "Pre-arrival data exchange with Iran",
            "Second scanner operator per shift",
            "Electronic lodgement for brokers",
            "Dedicated lane for authorised traders",
        ],
        dots_per_person=2,
    )
