"""The workshop record as a document (DOCX and PDF): agenda, participants, each exercise's
notes, clusters, votes and rankings with their charts, and what was turned into the plan, into
its follow-up actions and into proposals of its planning round. The same blocks as the plan's
documents (``blocks.py``), laid out by the same renderers; the facts come from the workshops'
selectors, as the record page shows them (an anonymous exercise's notes carry no author).

A record is small (a few exercises, a few dozen participants): it is rendered when it is asked
for, not queued (``views.workshop_record_download``).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from waypoint.documents import charts
from waypoint.documents.blocks import Block, Bullets, Document, Heading, Paragraph, Section, Table
from waypoint.workshops import charts as workshop_charts
from waypoint.workshops import selectors
from waypoint.workshops.models import Exercise, ExerciseKind, Outcome, OutcomeKind, Workshop

__all__ = ["workshop_record"]


def _day(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _agenda(workshop: Workshop, exercises: list[Exercise]) -> list[Block]:
    blocks: list[Block] = []
    if workshop.purpose:
        blocks.append(Paragraph(workshop.purpose, "lead"))
    rows = []
    for number, exercise in enumerate(exercises, start=1):
        counts = selectors.counts(exercise)
        if exercise.kind == ExerciseKind.BOARD:
            held = ngettext("%(n)d note", "%(n)d notes", counts["notes"]) % {"n": counts["notes"]}
        elif exercise.kind == ExerciseKind.DOT_VOTE:
            held = ngettext("%(n)d dot", "%(n)d dots", counts["dots"]) % {"n": counts["dots"]}
        elif exercise.kind == ExerciseKind.SCORING:
            held = ngettext("%(n)d score", "%(n)d scores", counts["scores"]) % {"n": counts["scores"]}
        else:
            held = ngettext("%(n)d comparison", "%(n)d comparisons", counts["comparisons"]) % {
                "n": counts["comparisons"]
            }
        rows.append([str(number), exercise.title, exercise.get_kind_display(), held])
    blocks.append(
        Table([_("No."), _("Exercise"), _("Kind"), _("Contributions")], rows, widths=[0.5, 4, 2, 1.6], numeric={0})
    )
    return blocks


def _participants(workshop: Workshop) -> list[Block]:
    rows = []
    for person in workshop.participants.all():
        role = person.get_role_display()
        rows.append([person.name, role, _("guest") if person.is_guest else _("user")])
    return [Table([_("Name"), _("Role"), _("Joined as")], rows, widths=[3, 2, 1.5], small=True)]


def _board(exercise: Exercise) -> list[Block]:
    blocks: list[Block] = []
    show_authors = not exercise.anonymous

    def line(note: object) -> str:
        author = getattr(note, "author", None)
        text = str(getattr(note, "text", ""))
        return f"{text} ({author.name})" if show_authors and author is not None else text

    for column in selectors.board(exercise):
        blocks.append(Heading(str(column.label), level=3))
        if not column.clusters and not column.loose:
            blocks.append(Paragraph(_("No notes."), "muted"))
        for view in column.clusters:
            blocks.append(Paragraph(f"{view.cluster.name} ({len(view.notes)})", "lead"))
            blocks.append(Bullets([line(n) for n in view.notes]))
        if column.loose:
            if column.clusters:
                blocks.append(Paragraph(_("Not in a cluster"), "muted"))
            blocks.append(Bullets([line(n) for n in column.loose]))
    return blocks


def _dot_vote(exercise: Exercise) -> list[Block]:
    result, found = selectors.dot_tally(exercise)
    rows = [[str(r.rank), found[int(r.option)].label, str(r.dots), str(r.voters)] for r in result.rows]
    blocks: list[Block] = [
        Paragraph(
            ngettext(
                "Each participant had %(n)d dot to spend.",
                "Each participant had %(n)d dots to spend.",
                exercise.dots_per_person,
            )
            % {"n": exercise.dots_per_person}
            + (" " + _("The vote was anonymous.") if exercise.anonymous else "")
        ),
        Table([_("Rank"), _("Option"), _("Dots"), _("Voters")], rows, widths=[0.6, 5, 1, 1], numeric={0, 2, 3}),
    ]
    spec = workshop_charts.bars(
        [(found[int(r.option)].label, float(r.dots)) for r in result.rows if r.dots], measure=_("dots")
    )
    if spec is not None:
        blocks.append(charts.figure(spec, _("Dots per option")))
    return blocks


def _scoring(exercise: Exercise) -> list[Block]:
    scored, found = selectors.scoring_result(exercise)
    criteria = list(exercise.criteria.all())
    blocks: list[Block] = [
        Paragraph(
            _("Scored from %(low)d to %(high)d on: %(criteria)s.")
            % {
                "low": exercise.scale_low,
                "high": exercise.scale_high,
                "criteria": ", ".join(_("%(name)s (weight %(w)d)") % {"name": c.name, "w": c.weight} for c in criteria),
            }
        )
    ]
    rows = [
        [
            str(r.rank) if r.rank else "—",
            found[int(r.option)].label,
            "—" if r.score is None else f"{r.score:.0f}",
            workshop_charts.quadrant_label(r.quadrant) or "—",
            str(r.scorers),
        ]
        for r in scored.rows
    ]
    blocks.append(
        Table(
            [_("Rank"), _("Option"), _("Score (0–100)"), _("Quadrant"), _("Scorers")],
            rows,
            widths=[0.6, 4, 1.3, 1.6, 1],
            numeric={0, 2, 4},
        )
    )
    bars = workshop_charts.bars(
        [(found[int(r.option)].label, float(r.score)) for r in scored.rows if r.score is not None],
        measure=_("score (0–100)"),
    )
    if bars is not None:
        blocks.append(charts.figure(bars, _("Weighted score per option")))
    matrix = workshop_charts.impact_effort(
        [
            (found[int(r.option)].label, r.impact, r.effort, r.quadrant)
            for r in scored.rows
            if r.impact is not None and r.effort is not None
        ],
        low=exercise.scale_low,
        high=exercise.scale_high,
    )
    if matrix is not None:
        blocks.append(charts.figure(matrix, _("Impact and effort")))
    return blocks


def _pairwise(exercise: Exercise) -> list[Block]:
    view = selectors.pairwise_result(exercise)
    result = view.result
    rows = [
        [str(rank), view.options[int(key)].label, f"{100 * result.weights[key]:.1f}"] for key, rank in result.ranking
    ]
    ratio = "—" if result.consistency_ratio is None else f"{result.consistency_ratio:.3f}"
    blocks: list[Block] = [
        Paragraph(
            _(
                "Participants compared the options two at a time on Saaty's 1–9 scale. The room's judgement "
                "of each pair is the geometric mean of everyone's; the weights are the principal eigenvector "
                "of that matrix (missing pairs completed by Harker's method). A consistency ratio below 0.10 "
                "means the judgements hang together."
            )
        ),
        Paragraph(
            _("Pairs compared: %(done)d of %(all)d. Consistency ratio: %(cr)s.")
            % {"done": result.pairs_compared, "all": result.pairs_total, "cr": ratio}
        ),
        Table([_("Rank"), _("Option"), _("Weight (%)")], rows, widths=[0.6, 5, 1.4], numeric={0, 2}),
    ]
    spec = workshop_charts.bars(
        [(view.options[int(key)].label, result.weights[key]) for key, _rank in result.ranking],
        measure=_("weight (%)"),
        percent=True,
    )
    if spec is not None:
        blocks.append(charts.figure(spec, _("Weight of each option")))
    return blocks


def _source(outcome: Outcome) -> str:
    """The result of the room a record came from ("—": the exercise as a whole)."""
    if outcome.note is not None:
        return _("the note “%(text)s”") % {"text": outcome.note.text}
    if outcome.cluster is not None:
        return _("the cluster “%(name)s”") % {"name": outcome.cluster.name}
    if outcome.option is not None:
        return _("the option “%(label)s”") % {"label": outcome.option.label}
    return "—"


def _record(outcome: Outcome) -> str:
    """The record's label, with its detail in the reader's language (``Outcome.shown_detail``)."""
    detail = outcome.shown_detail()
    return f"{outcome.label} ({detail})" if detail else outcome.label


def _made(outcome: Outcome) -> str:
    made = f"{outcome.get_kind_display()}: {_record(outcome)}"
    source = _source(outcome)
    return made if source == "—" else _("%(made)s (from %(source)s)") % {"made": made, "source": source}


def _exercise(exercise: Exercise, outcomes: list[Outcome]) -> list[Block]:
    blocks: list[Block] = []
    if exercise.prompt:
        blocks.append(Paragraph(exercise.prompt, "lead"))
    if exercise.kind == ExerciseKind.BOARD:
        blocks += _board(exercise)
    elif exercise.kind == ExerciseKind.DOT_VOTE:
        blocks += _dot_vote(exercise)
    elif exercise.kind == ExerciseKind.SCORING:
        blocks += _scoring(exercise)
    else:
        blocks += _pairwise(exercise)
    mine = [o for o in outcomes if o.exercise_id == exercise.pk]
    if mine:
        blocks.append(Heading(_("Into the plan"), level=3))
        blocks.append(Bullets([_made(o) for o in mine]))
    return blocks


def _into_the_plan(outcomes: list[Outcome]) -> list[Block]:
    # by kind: a proposal its unit took back has no proposal any more but stays a proposal
    records = [o for o in outcomes if o.kind not in (OutcomeKind.ACTION, OutcomeKind.PROPOSAL)]
    actions = [o for o in outcomes if o.action is not None]
    proposals = [o for o in outcomes if o.kind == OutcomeKind.PROPOSAL]
    blocks: list[Block] = []
    if records:
        blocks.append(
            Table(
                [_("Became"), _("Record of the plan"), _("From the exercise"), _("From")],
                [[o.get_kind_display(), o.label, o.exercise.title, _source(o)] for o in records],
                widths=[1.6, 4, 2.2, 2.6],
                small=True,
            )
        )
    if actions:
        blocks.append(Heading(_("Follow-up actions"), level=2))
        blocks.append(
            Table(
                [pgettext("a follow-up action", "Action"), _("Owner"), _("Due"), _("Status"), _("From the exercise")],
                [
                    [
                        f"{o.action.code} {o.action.title}",
                        o.action.owner_unit.name,
                        o.action.due_on.isoformat(),
                        o.action.get_status_display(),
                        o.exercise.title,
                    ]
                    for o in actions
                    if o.action is not None
                ],
                widths=[4.2, 2.4, 1.3, 1.3, 2.2],
                small=True,
            )
        )
    if proposals:
        blocks.append(Heading(_("Proposals in the planning round"), level=2))
        blocks.append(
            Table(
                [_("Proposal"), _("Submission of"), _("Round"), _("Status"), _("From the exercise")],
                [
                    (
                        [
                            f"{o.proposal.code} {o.proposal.title}",
                            o.proposal.origin.unit.name,
                            o.proposal.round.title,
                            o.proposal.get_status_display(),
                            o.exercise.title,
                        ]
                        if o.proposal is not None
                        else [o.label, _("taken back by its unit"), "", "", o.exercise.title]
                    )
                    for o in proposals
                ],
                widths=[4.2, 2.4, 2.4, 1.3, 2.2],
                small=True,
            )
        )
    if not blocks:
        blocks.append(Paragraph(_("Nothing was turned into the plan."), "muted"))
    return blocks


def workshop_record(workshop: Workshop) -> Document:
    """The workshop's record as a document, in the active language."""
    exercises = list(workshop.exercises.all())
    outcomes = list(selectors.outcomes(workshop))
    sections = [
        Section("agenda", _("Agenda"), _agenda(workshop, exercises)),
        Section("participants", _("Participants"), _participants(workshop)),
    ]
    for exercise in exercises:
        sections.append(Section(f"exercise-{exercise.pk}", exercise.title, _exercise(exercise, outcomes)))
    sections.append(Section("into-the-plan", _("Into the plan"), _into_the_plan(outcomes)))
    dates = (
        _day(workshop.starts_on)
        if workshop.starts_on == workshop.ends_on
        else f"{_day(workshop.starts_on)} – {_day(workshop.ends_on)}"
    )
    return Document(
        title=workshop.title,
        subtitle=_("Workshop record"),
        cover_lines=[
            workshop.administration.name,
            dates + (f" · {workshop.place}" if workshop.place else ""),
            _("For the plan “%(plan)s”") % {"plan": workshop.plan.title},
            _("Status: %(s)s") % {"s": workshop.get_status_display()},
            _("Generated on %(d)s") % {"d": _day(timezone.localdate())},
        ],
        sections=sections,
        footer=f"{workshop.title} · {_('Workshop record')}",
        contents_title=_("Contents"),
        language=translation.get_language() or "en",
    )
