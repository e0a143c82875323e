"""Workshop pages: the list, a workshop's agenda and controls, the facilitator's screen (for
the projector), the participant's page (for a phone; guests too), the live parts both poll,
turning results into the plan, and the record.

Live updates are htmx polling: each live part asks every two seconds with the workshop's
revision it shows, and gets 204 (nothing to swap) until something changed. See
docs/architecture.md "Workshops: live by polling".
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from waypoint.core.errors import ApplicationError, InvalidInput, NotAllowed
from waypoint.core.views import form_page
from waypoint.monitoring import permissions as monitoring_permissions
from waypoint.org.access import Access, request_user, require_any_role
from waypoint.org.models import OrgUnit, User
from waypoint.plans import rules as plan_rules
from waypoint.plans.models import CATEGORIES_BY_FRAMEWORK, AnalysisCategory, AnalysisFramework, Plan, PlanElement
from waypoint.plans.selectors import plans_for
from waypoint.rounds.models import PlanningRound, Proposal
from waypoint.workshops import charts, permissions, record, selectors, services, throttle
from waypoint.workshops.forms import (
    BECOMES,
    CUSTOM,
    ExerciseForm,
    JoinForm,
    ToPlanForm,
    ToProposalForm,
    WorkshopForm,
    becomes_groups,
    criteria_text,
    layout_columns,
    layout_of,
)
from waypoint.workshops.models import (
    Cluster,
    Criterion,
    Exercise,
    ExerciseKind,
    ExerciseStatus,
    Note,
    Option,
    OutcomeKind,
    Participant,
    Workshop,
)

SECTION = "workshops"
#: how often the live parts ask (the issue asks for about two seconds from a vote to every screen)
POLL = "every 2s"
#: the answers of a pairwise judgement, strongest for the first option to strongest for the second
PAIRWISE_CHOICES = (("a", 9), ("a", 7), ("a", 5), ("a", 3), ("=", 1), ("b", 3), ("b", 5), ("b", 7), ("b", 9))


def participant_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page a participant uses, guests included: open to a session holding a guest seat
    (the guest boundary middleware has checked it is for this workshop) and to signed-in
    users; anybody else is sent to sign in, as for every other page."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and not permissions.holds_guest_seat(request.session):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return login_not_required(wrapped)


def _require_facilitator(request: HttpRequest, workshop: Workshop) -> None:
    if not permissions.can_facilitate(request.user, workshop):
        raise NotAllowed(_("Only the workshop's facilitators can do this."))


def _workshop(request: HttpRequest, workshop_id: int) -> Workshop:
    return selectors.workshop_for(request.user, workshop_id)


def _plans_to_run_workshops(user: Any) -> QuerySet[Plan]:
    access = Access.of(user)
    ids = [p.pk for p in plans_for(user) if access.is_planner(p.administration.path)]
    return Plan.objects.filter(pk__in=ids).select_related("administration")


def _people(administration: OrgUnit) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, role_assignments__unit__path__startswith=administration.path)
        .distinct()
        .order_by("first_name", "username")
    )


# --- the list and a workshop -------------------------------------------------------------------


def workshop_list(request: HttpRequest) -> HttpResponse:
    require_any_role(request.user)
    workshops = selectors.workshops_for(request.user)
    return render(
        request,
        "workshops/list.html",
        {
            "section": SECTION,
            "workshops": workshops,
            "can_create": _plans_to_run_workshops(request.user).exists(),
        },
    )


def workshop_edit(request: HttpRequest, workshop_id: int | None = None) -> HttpResponse:
    workshop = _workshop(request, workshop_id) if workshop_id is not None else None
    if workshop is not None:
        _require_facilitator(request, workshop)
        plans = Plan.objects.filter(administration=workshop.administration)
        people = _people(workshop.administration)
        initial: dict[str, Any] = {
            "plan": workshop.plan,
            "title": workshop.title,
            "starts_on": workshop.starts_on,
            "ends_on": workshop.ends_on,
            "place": workshop.place,
            "purpose": workshop.purpose,
            "facilitators": [p.user for p in workshop.participants.filter(role="facilitator", user__isnull=False)],
            "version": workshop.version,
        }
    else:
        plans = _plans_to_run_workshops(request.user)
        if not plans.exists():
            raise NotAllowed(_("Only planners of an administration can run workshops."))
        people = User.objects.none()
        administrations = {p.administration for p in plans}
        if len(administrations) == 1:
            people = _people(next(iter(administrations)))
        initial = {"plan": plans.first()} if plans.count() == 1 else {}
    form = WorkshopForm(request.POST or None, initial=initial, plans=plans, people=people)
    actor = request_user(request)

    def save(data: dict[str, Any]) -> Workshop:
        values = {k: data[k] for k in ("plan", "title", "starts_on", "ends_on", "place", "purpose")}
        if workshop is None:
            return services.workshop_create(actor=actor, facilitators=data["facilitators"], **values)
        return services.workshop_update(
            actor=actor,
            workshop=workshop,
            expected_version=data.get("version"),
            changes=values,
            facilitators=data["facilitators"],
        )

    return form_page(
        request,
        form,
        save=save,
        message=lambda w: _("Saved “%(title)s”.") % {"title": w.title},
        then=lambda w: reverse("workshop-detail", args=[w.pk]),
        template="workshops/workshop_form.html",
        context={"section": SECTION, "workshop": workshop},
    )


def workshop_detail(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = _workshop(request, workshop_id)
    participants = list(workshop.participants.select_related("user"))
    return render(
        request,
        "workshops/detail.html",
        {
            "section": SECTION,
            "workshop": workshop,
            "exercises": workshop.exercises.all(),
            "participants": participants,
            "guests": sum(1 for p in participants if p.is_guest),
            "can_facilitate": permissions.can_facilitate(request.user, workshop),
            "me": selectors.user_participant(request.user, workshop),
            "join_url": request.build_absolute_uri(reverse("workshop-join")),
        },
    )


@require_POST
def workshop_status(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = _workshop(request, workshop_id)
    _require_facilitator(request, workshop)
    status = request.POST.get("status", "")
    services.workshop_set_status(actor=request_user(request), workshop=workshop, status=status)
    messages.success(request, _("The workshop is now %(status)s.") % {"status": workshop.get_status_display().lower()})
    return redirect("workshop-detail", workshop_id=workshop.pk)


# --- exercises ---------------------------------------------------------------------------------


def exercise_edit(request: HttpRequest, workshop_id: int, exercise_id: int | None = None) -> HttpResponse:
    workshop = _workshop(request, workshop_id)
    _require_facilitator(request, workshop)
    exercise = selectors.exercise_of(workshop, exercise_id) if exercise_id is not None else None
    initial: dict[str, Any] = {"kind": request.GET.get("kind", ExerciseKind.BOARD)}
    if exercise is not None:
        layout, custom = layout_of(exercise.columns) if exercise.columns else ("swot", "")
        initial = {
            "kind": exercise.kind,
            "title": exercise.title,
            "prompt": exercise.prompt,
            "layout": layout,
            "custom_columns": custom,
            "options": "\n".join(o.label for o in exercise.options.all()),
            "criteria": criteria_text(exercise.criteria.all()),
            "dots_per_person": exercise.dots_per_person,
            "anonymous": exercise.anonymous,
            "scale_low": exercise.scale_low,
            "scale_high": exercise.scale_high,
            "version": exercise.version,
        }
    form = ExerciseForm(request.POST or None, initial=initial)
    actor = request_user(request)

    def save(data: dict[str, Any]) -> Exercise:
        kind = data["kind"]
        options_text = data.get("options") or ""
        # options made from a board or from the functions are kept unless some are typed
        keep_options = exercise is not None and not options_text.strip() and exercise.options.exists()
        return services.exercise_save(
            actor=actor,
            workshop=workshop,
            exercise=exercise,
            kind=kind,
            title=data["title"],
            prompt=data.get("prompt") or "",
            columns=layout_columns(data.get("layout") or CUSTOM, data.get("custom_columns") or "")
            if kind == ExerciseKind.BOARD
            else [],
            options=None if kind == ExerciseKind.BOARD or keep_options else options_text.splitlines(),
            criteria=data["criteria"] if kind == ExerciseKind.SCORING else None,
            dots_per_person=data.get("dots_per_person") or 5,
            anonymous=bool(data.get("anonymous")),
            scale_low=int(data["scale_low"]) if data.get("scale_low") is not None else 1,
            scale_high=data.get("scale_high") or 5,
        )

    return form_page(
        request,
        form,
        save=save,
        message=lambda e: _("Saved “%(title)s”.") % {"title": e.title},
        then=lambda e: reverse("workshop-detail", args=[workshop.pk]) + f"#exercise-{e.pk}",
        template="workshops/exercise_form.html",
        context={"section": SECTION, "workshop": workshop, "exercise": exercise},
    )


@require_POST
def exercise_status(request: HttpRequest, workshop_id: int, exercise_id: int) -> HttpResponse:
    workshop = _workshop(request, workshop_id)
    _require_facilitator(request, workshop)
    exercise = selectors.exercise_of(workshop, exercise_id)
    status = request.POST.get("status") or None
    reveal = request.POST.get("reveal")
    try:
        services.exercise_set_status(
            actor=request_user(request),
            exercise=exercise,
            status=status,
            results_visible=None if reveal is None else reveal == "1",
        )
    except InvalidInput as error:
        messages.error(request, error.message)
    return redirect(
        (request.POST.get("next") == "screen" and reverse("exercise-screen", args=[workshop.pk, exercise.pk]))
        or reverse("workshop-detail", args=[workshop.pk]) + f"#exercise-{exercise.pk}"
    )


@require_POST
def exercise_options(request: HttpRequest, workshop_id: int, exercise_id: int) -> HttpResponse:
    """Make an exercise's options from a board (``from=<board id>``) or the plan's functions."""
    workshop = _workshop(request, workshop_id)
    _require_facilitator(request, workshop)
    exercise = selectors.exercise_of(workshop, exercise_id)
    source = request.POST.get("from", "")
    actor = request_user(request)
    try:
        if source == "functions":
            made = services.options_from_functions(actor=actor, exercise=exercise)
        else:
            board = selectors.exercise_of(workshop, int(source)) if source.isdigit() else None
            if board is None:
                raise InvalidInput.at("from", _("Choose a board."))
            made = services.options_from_board(actor=actor, exercise=exercise, board=board)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(request, ngettext("%(n)d option made.", "%(n)d options made.", len(made)) % {"n": len(made)})
    return redirect(reverse("workshop-detail", args=[workshop.pk]) + f"#exercise-{exercise.pk}")


# --- the facilitator's screen and the live parts ---------------------------------------------


def _results_context(exercise: Exercise, *, show_results: bool) -> dict[str, Any]:
    """What a live part or the record shows of an exercise."""
    context: dict[str, Any] = {"exercise": exercise, "show_results": show_results}
    if exercise.kind == ExerciseKind.BOARD:
        context["columns"] = selectors.board(exercise)
        return context
    if not show_results:
        return context
    chart_id = f"chart-{exercise.pk}"
    context["chart_id"] = chart_id
    if exercise.kind == ExerciseKind.DOT_VOTE:
        result, found = selectors.dot_tally(exercise)
        context["tally"] = result
        context["rows"] = [(found[int(r.option)], r) for r in result.rows]
        context["chart"] = charts.bars(
            [(found[int(r.option)].label, float(r.dots)) for r in result.rows if r.dots],
            measure=_("dots"),
        )
    elif exercise.kind == ExerciseKind.SCORING:
        scored, found = selectors.scoring_result(exercise)
        criteria = list(exercise.criteria.all())
        context["criteria"] = criteria
        context["scored"] = scored
        context["rows"] = [
            (found[int(r.option)], r, [r.means.get(c.pk) for c in criteria], charts.quadrant_label(r.quadrant))
            for r in scored.rows
        ]
        context["chart"] = charts.bars(
            [(found[int(r.option)].label, float(r.score)) for r in scored.rows if r.score is not None],
            measure=_("score (0–100)"),
        )
        context["matrix_id"] = f"matrix-{exercise.pk}"
        context["matrix"] = charts.impact_effort(
            [
                (found[int(r.option)].label, r.impact, r.effort, r.quadrant)
                for r in scored.rows
                if r.impact is not None and r.effort is not None
            ],
            low=exercise.scale_low,
            high=exercise.scale_high,
        )
    elif exercise.kind == ExerciseKind.PAIRWISE:
        view = selectors.pairwise_result(exercise)
        context["pairwise"] = view
        context["rows"] = [
            (view.options[int(key)], rank, view.result.weights[key]) for key, rank in view.result.ranking
        ]
        context["chart"] = charts.bars(
            [(view.options[int(key)].label, view.result.weights[key]) for key, _rank in view.result.ranking],
            measure=_("weight (%)"),
            percent=True,
        )
    return context


def exercise_screen(request: HttpRequest, workshop_id: int, exercise_id: int) -> HttpResponse:
    """The facilitator's screen, for the projector: the board or the live results, the code."""
    workshop = _workshop(request, workshop_id)
    exercise = selectors.exercise_of(workshop, exercise_id)
    can_facilitate = permissions.can_facilitate(request.user, workshop)
    context = _live_context(request, workshop, exercise, view="screen", can_facilitate=can_facilitate)
    context.update(
        {
            "section": SECTION,
            "workshop": workshop,
            "exercises": workshop.exercises.all(),
            "can_facilitate": can_facilitate,
            "join_url": request.build_absolute_uri(reverse("workshop-join")),
        }
    )
    return render(request, "workshops/screen.html", context)


def _live_context(
    request: HttpRequest, workshop: Workshop, exercise: Exercise, *, view: str, can_facilitate: bool
) -> dict[str, Any]:
    show = view == "screen" or exercise.results_visible or can_facilitate
    context = _results_context(exercise, show_results=show)
    context.update(
        {
            "workshop": workshop,
            "view": view,
            "poll": POLL,
            "revision": workshop.revision,
            "counts": selectors.counts(exercise),
            "can_facilitate": can_facilitate and view == "screen",
            "show_authors": not exercise.anonymous,
        }
    )
    return context


def _viewer(request: HttpRequest, workshop_id: int) -> tuple[Workshop, Participant | None, bool]:
    """The workshop of a page a participant uses, the participant (a user's seat or a
    guest's), and whether they may facilitate. A user who is no participant may still read."""
    if request.user.is_authenticated:
        workshop = _workshop(request, workshop_id)
        return (
            workshop,
            selectors.user_participant(request.user, workshop),
            permissions.can_facilitate(request.user, workshop),
        )
    seat = permissions.guest_participant(request.session, workshop_id)
    if seat is None:
        raise NotAllowed(_("Join the workshop with its code first."))
    workshop = Workshop.objects.select_related("plan", "administration").get(pk=workshop_id)
    return workshop, seat, False


@participant_page
def exercise_live(request: HttpRequest, workshop_id: int, exercise_id: int) -> HttpResponse:
    """A live part: 204 while the workshop's revision is the one the page shows."""
    workshop, participant, can_facilitate = _viewer(request, workshop_id)
    exercise = selectors.exercise_of(workshop, exercise_id)
    shown = request.GET.get("rev", "")
    if shown.isdigit() and int(shown) == workshop.revision:
        return HttpResponse(status=204)
    view = "screen" if request.GET.get("view") == "screen" else "play"
    if view == "play" and participant is None and not can_facilitate:
        view = "screen"
    context = _live_context(request, workshop, exercise, view=view, can_facilitate=can_facilitate)
    return render(request, "workshops/_live.html", context)


# --- the participant's page --------------------------------------------------------------------


@login_not_required
def join(request: HttpRequest) -> HttpResponse:
    """Join with a code: a guest types a name; a signed-in user joins as themselves."""
    form = JoinForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    status = 200
    if request.method == "POST":
        if throttle.is_blocked(request):
            return render(
                request,
                "workshops/join.html",
                {"form": form, "blocked": True, "guest_page": True},
                status=429,
            )
        if form.is_valid():
            workshop = selectors.open_workshop_by_code(form.cleaned_data["code"])
            if workshop is None:
                throttle.record_failure(request)
                form.add_error("code", _("No open workshop has this code. Check it with the facilitator."))
                status = 400
            else:
                try:
                    if request.user.is_authenticated:
                        seat = services.participant_join(workshop=workshop, user=request_user(request))
                    else:
                        seat = services.participant_join(workshop=workshop, name=form.cleaned_data.get("name") or "")
                        request.session.cycle_key()  # a new session id for the new seat
                        request.session[permissions.GUEST_SESSION_KEY] = seat.pk
                except ApplicationError as error:
                    if isinstance(error, NotAllowed):
                        raise
                    for problem in error.problems or []:
                        form.add_error(problem.location if problem.location in form.fields else None, problem.message)
                    status = 400
                else:
                    return redirect("workshop-play", workshop_id=workshop.pk)
        else:
            status = 400
    return render(
        request,
        "workshops/join.html",
        {"form": form, "guest_page": not request.user.is_authenticated},
        status=status,
    )


@participant_page
def play(request: HttpRequest, workshop_id: int) -> HttpResponse:
    """The participant's page (a phone): the open exercises, what they can do in each, and
    the board or the results as they come in."""
    workshop, participant, can_facilitate = _viewer(request, workshop_id)
    open_exercises = [e for e in workshop.exercises.all() if e.status == ExerciseStatus.OPEN]
    state = f"{workshop.status}:" + ",".join(str(e.pk) for e in open_exercises)
    if getattr(request, "htmx", False) and "state" in request.GET:
        response = HttpResponse(status=204)
        if request.GET["state"] != state:
            response["HX-Refresh"] = "true"  # an exercise opened or closed: load the page again
        return response
    panels = []
    for exercise in open_exercises:
        live = _live_context(request, workshop, exercise, view="play", can_facilitate=can_facilitate)
        panels.append(
            {
                "exercise": exercise,
                # both rendered (and escaped) by their templates here, so that the page and the
                # htmx answers use the same partials
                "input_html": render_to_string("workshops/_input.html", _input_context(participant, exercise), request)
                if participant is not None
                else "",
                "live_html": render_to_string("workshops/_live.html", live, request),
            }
        )
    return render(
        request,
        "workshops/play.html",
        {
            "section": SECTION,
            "workshop": workshop,
            "participant": participant,
            "panels": panels,
            "state": state,
            "poll": POLL,
            "guest_page": participant is not None and participant.is_guest,
            "can_join": participant is None and workshop.is_open,
        },
    )


def _input_context(participant: Participant | None, exercise: Exercise) -> dict[str, Any]:
    context: dict[str, Any] = {"exercise": exercise, "participant": participant}
    if exercise.kind == ExerciseKind.DOT_VOTE:
        mine = selectors.my_dots(participant, exercise)
        context["options"] = [(o, mine.get(o.pk, 0)) for o in exercise.options.all()]
        context["left"] = exercise.dots_per_person - sum(mine.values())
    elif exercise.kind == ExerciseKind.SCORING:
        mine_scores = selectors.my_scores(participant, exercise)
        criteria = list(exercise.criteria.all())
        context["criteria"] = criteria
        context["scale"] = list(range(exercise.scale_low, exercise.scale_high + 1))
        context["options"] = [
            (o, [(c, mine_scores.get((o.pk, c.pk))) for c in criteria]) for o in exercise.options.all()
        ]
    elif exercise.kind == ExerciseKind.PAIRWISE:
        pair = selectors.next_pair(participant, exercise)
        context["pair"] = pair
        context["choices"] = PAIRWISE_CHOICES
        context["done"] = selectors.pairs_done(participant, exercise)
        n = exercise.options.count()
        context["total"] = n * (n - 1) // 2
    return context


def _participant_write(request: HttpRequest, workshop_id: int, exercise_id: int) -> tuple[Participant, Exercise]:
    workshop, participant, _can = _viewer(request, workshop_id)
    if participant is None:
        # a user with a role there takes a seat with their first note or vote
        participant = services.participant_join(workshop=workshop, user=request_user(request))
    exercise = selectors.exercise_of(workshop, exercise_id)
    participant.workshop = workshop
    return participant, exercise


def _input_panel(request: HttpRequest, participant: Participant, exercise: Exercise, error: str = "") -> HttpResponse:
    context = _input_context(participant, exercise)
    context["error"] = error
    response = render(request, "workshops/_input.html", context, status=400 if error else 200)
    response["HX-Trigger"] = "workshop-changed"
    return response


@participant_page
@require_POST
def note_add(request: HttpRequest, workshop_id: int, exercise_id: int) -> HttpResponse:
    participant, exercise = _participant_write(request, workshop_id, exercise_id)
    error = ""
    try:
        services.note_add(
            participant=participant,
            exercise=exercise,
            column=request.POST.get("column", ""),
            text=request.POST.get("text", ""),
        )
    except InvalidInput as problem:
        error = problem.message
    return _answered(request, participant, exercise, error)


def _answered(request: HttpRequest, participant: Participant, exercise: Exercise, error: str) -> HttpResponse:
    """After a participant's note or vote: the input panel again (htmx), or back to the
    workshop with the error as a message."""
    if not getattr(request, "htmx", False):
        if error:
            messages.error(request, error)
        return redirect("workshop-play", workshop_id=exercise.workshop_id)
    return _input_panel(request, participant, exercise, error)


@participant_page
@require_POST
def dots_set(request: HttpRequest, workshop_id: int, exercise_id: int) -> HttpResponse:
    participant, exercise = _participant_write(request, workshop_id, exercise_id)
    option = get_object_or_404(Option, pk=_int(request.POST.get("option")), exercise=exercise)
    error = ""
    try:
        services.dots_set(participant=participant, option=option, dots=_int(request.POST.get("dots")))
    except InvalidInput as problem:
        error = problem.message
    return _answered(request, participant, exercise, error)


@participant_page
@require_POST
def score_set(request: HttpRequest, workshop_id: int, exercise_id: int) -> HttpResponse:
    """Scores of one option on each criterion (fields ``c<criterion id>``)."""
    participant, exercise = _participant_write(request, workshop_id, exercise_id)
    option = get_object_or_404(Option, pk=_int(request.POST.get("option")), exercise=exercise)
    error = ""
    try:
        for criterion in Criterion.objects.filter(exercise=exercise):
            value = request.POST.get(f"c{criterion.pk}", "")
            if value.strip():
                services.score_set(participant=participant, option=option, criterion=criterion, value=_int(value))
    except InvalidInput as problem:
        error = problem.message
    return _answered(request, participant, exercise, error)


@participant_page
@require_POST
def comparison_set(request: HttpRequest, workshop_id: int, exercise_id: int) -> HttpResponse:
    """One judgement: ``a`` and ``b`` (option ids) and ``choice`` (``a9`` … ``=1`` … ``b9``)."""
    participant, exercise = _participant_write(request, workshop_id, exercise_id)
    first = get_object_or_404(Option, pk=_int(request.POST.get("a")), exercise=exercise)
    second = get_object_or_404(Option, pk=_int(request.POST.get("b")), exercise=exercise)
    choice = request.POST.get("choice", "")
    side, strength = choice[:1], _int(choice[1:])
    preferred, other = (second, first) if side == "b" else (first, second)
    error = ""
    try:
        services.comparison_set(participant=participant, preferred=preferred, other=other, strength=strength)
    except InvalidInput as problem:
        error = problem.message
    return _answered(request, participant, exercise, error)


@participant_page
@require_POST
def leave(request: HttpRequest, workshop_id: int) -> HttpResponse:
    """A guest gives up their seat on this device (their notes and votes stay)."""
    request.session.pop(permissions.GUEST_SESSION_KEY, None)
    return redirect("workshop-join")


def _int(value: Any) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        return -1


# --- the board's clusters --------------------------------------------------------------------


def _back_to_screen(workshop: Workshop, exercise: Exercise) -> HttpResponse:
    return redirect("exercise-screen", workshop_id=workshop.pk, exercise_id=exercise.pk)


@require_POST
def cluster_save(request: HttpRequest, workshop_id: int, exercise_id: int) -> HttpResponse:
    workshop = _workshop(request, workshop_id)
    _require_facilitator(request, workshop)
    exercise = selectors.exercise_of(workshop, exercise_id)
    cluster_id = request.POST.get("cluster", "")
    cluster = get_object_or_404(Cluster, pk=int(cluster_id), exercise=exercise) if cluster_id.isdigit() else None
    try:
        services.cluster_save(
            actor=request_user(request),
            exercise=exercise,
            name=request.POST.get("name", ""),
            column=request.POST.get("column", ""),
            cluster=cluster,
        )
    except InvalidInput as error:
        messages.error(request, error.message)
    return _back_to_screen(workshop, exercise)


@require_POST
def note_cluster(request: HttpRequest, workshop_id: int, note_id: int) -> HttpResponse:
    workshop = _workshop(request, workshop_id)
    _require_facilitator(request, workshop)
    note = get_object_or_404(Note.objects.select_related("exercise"), pk=note_id, exercise__workshop=workshop)
    cluster_id = request.POST.get("cluster", "")
    cluster = get_object_or_404(Cluster, pk=int(cluster_id), exercise=note.exercise) if cluster_id.isdigit() else None
    actor = request_user(request)
    if request.POST.get("delete") == "1":
        services.note_delete(actor=actor, note=note)
    else:
        services.note_cluster(actor=actor, note=note, cluster=cluster)
    return _back_to_screen(workshop, note.exercise)


# --- from the room to the plan ---------------------------------------------------------------


def _source(exercise: Exercise, value: str) -> dict[str, Any]:
    kind, _sep, pk = value.partition(":")
    models: dict[str, Any] = {"note": Note, "cluster": Cluster, "option": Option}
    if kind not in models or not pk.isdigit():
        raise Http404
    return {kind: get_object_or_404(models[kind], pk=int(pk), exercise=exercise)}


def _framework_of(category: str) -> str:
    return next((fw for fw, cats in CATEGORIES_BY_FRAMEWORK.items() if category in cats), "swot")


def exercise_to_plan(request: HttpRequest, workshop_id: int, exercise_id: int) -> HttpResponse:
    """Turn the exercise's notes, clusters and options into SWOT/PESTLE items, plan elements
    or follow-up actions, one at a time; a ranking sets the functions' priorities."""
    workshop = _workshop(request, workshop_id)
    _require_facilitator(request, workshop)
    exercise = selectors.exercise_of(workshop, exercise_id)
    actor = request_user(request)
    if request.method == "POST":
        form = ToPlanForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say what the result becomes, and its text."))
            return redirect("exercise-to-plan", workshop_id=workshop.pk, exercise_id=exercise.pk)
        data = form.cleaned_data
        source = _source(exercise, data["source"])
        try:
            if data["kind"] == "analysis_item":
                services.to_analysis_item(
                    actor=actor,
                    exercise=exercise,
                    framework=_framework_of(data["category"]),
                    category=data["category"],
                    text=data["text"],
                    note=source.get("note"),
                    cluster=source.get("cluster"),
                )
            elif data["kind"] == "element":
                parent = (
                    get_object_or_404(PlanElement, pk=data["parent"], plan=workshop.plan) if data["parent"] else None
                )
                unit = get_object_or_404(OrgUnit, pk=data["responsible_unit"]) if data["responsible_unit"] else None
                services.to_element(
                    actor=actor, exercise=exercise, title=data["text"], parent=parent, responsible_unit=unit, **source
                )
            else:
                unit = get_object_or_404(OrgUnit, pk=data["responsible_unit"]) if data["responsible_unit"] else None
                services.action_create(
                    actor=actor,
                    exercise=exercise,
                    title=data["text"],
                    owner_unit=unit,
                    due_on=data["due_on"],
                    **source,
                )
        except (InvalidInput, NotAllowed) as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Put into the plan: “%(text)s”.") % {"text": data["text"][:80]})
        return redirect("exercise-to-plan", workshop_id=workshop.pk, exercise_id=exercise.pk)
    done = selectors.outcomes(workshop).filter(exercise=exercise)
    taken = {(o.note_id, o.cluster_id, o.option_id) for o in done if o.kind != OutcomeKind.PROPOSAL}
    proposed = {(o.note_id, o.cluster_id, o.option_id) for o in done if o.kind == OutcomeKind.PROPOSAL}
    rows: list[dict[str, Any]] = []
    if exercise.kind == ExerciseKind.BOARD:
        for column in selectors.board(exercise):
            for view in column.clusters:
                rows.append(
                    {
                        "source": f"cluster:{view.cluster.pk}",
                        "text": view.cluster.name,
                        "detail": ", ".join(n.text for n in view.notes),
                        "column": column,
                        "done": (None, view.cluster.pk, None) in taken,
                        "proposed": (None, view.cluster.pk, None) in proposed,
                    }
                )
            for note in column.loose:
                rows.append(
                    {
                        "source": f"note:{note.pk}",
                        "text": note.text,
                        "detail": "",
                        "column": column,
                        "done": (note.pk, None, None) in taken,
                        "proposed": (note.pk, None, None) in proposed,
                    }
                )
    else:
        ranked: list[tuple[Option, int | None]] = list(selectors.ranking(exercise)) or [
            (o, None) for o in exercise.options.all()
        ]
        for option, rank in ranked:
            rows.append(
                {
                    "source": f"option:{option.pk}",
                    "text": option.label,
                    "detail": f"#{rank}" if rank else "",
                    "column": None,
                    "done": (None, None, option.pk) in taken,
                    "proposed": (None, None, option.pk) in proposed,
                }
            )
    plan = workshop.plan
    can_edit_plan = Access.of(request.user).is_planner(workshop.administration.path)
    # what the plan's services would take from this user: a submitted, approved or superseded
    # plan refuses SWOT/PESTLE items, elements and functions' priorities (its content), and
    # the page does not offer them (the services refuse still); actions are recorded as the
    # plan is carried out, on a locked plan too, but not on a superseded one
    lock_reason = plan_rules.plan_lock_reason(plan.status)
    offered = ["analysis_item", "element"] if can_edit_plan and lock_reason is None else []
    if monitoring_permissions.can_add_action(request.user, plan):
        offered.append("action")
    return render(
        request,
        "workshops/to_plan.html",
        {
            "section": SECTION,
            "workshop": workshop,
            "exercise": exercise,
            "rows": rows,
            "outcomes": done,
            "becomes": [(kind, BECOMES[kind]) for kind in offered],
            "groups": becomes_groups(offered),
            "lock_reason": lock_reason,
            "can_set_priorities": can_edit_plan and lock_reason is None,
            # each category in words, under its framework's name: "PESTLE: Economic"
            "categories": [
                (AnalysisFramework(fw).label, [(cat, AnalysisCategory(cat).label) for cat in cats])
                for fw, cats in CATEGORIES_BY_FRAMEWORK.items()
            ],
            "elements": workshop.plan.elements.exclude(kind="activity").order_by("code"),
            "units": OrgUnit.objects.filter(path__startswith=workshop.administration.path, is_active=True),
            "ranking": selectors.ranking(exercise) if exercise.kind != ExerciseKind.BOARD else [],
            "can_edit_plan": can_edit_plan,
            "proposing": selectors.proposal_choices(request.user, plan),
        },
    )


def _told(error: ApplicationError) -> str:
    """An error as one message: each broken rule, not "the input breaks 2 rules"."""
    return " ".join(p.message for p in error.problems) if len(error.problems) > 1 else error.message


@require_POST
def exercise_to_proposal(request: HttpRequest, workshop_id: int, exercise_id: int) -> HttpResponse:
    """Write one result as a proposal of a unit's submission in the plan's open planning round
    (``services.to_proposal``: the round's own rights and rules), then back to the results."""
    workshop = _workshop(request, workshop_id)
    _require_facilitator(request, workshop)
    exercise = selectors.exercise_of(workshop, exercise_id)
    back = redirect("exercise-to-plan", workshop_id=workshop.pk, exercise_id=exercise.pk)
    form = ToProposalForm(request.POST)
    if not form.is_valid():
        problems = form.errors.get("starts_on") or form.errors.get("ends_on")
        messages.error(
            request, str(problems[0]) if problems else _("Choose the round, the unit, where it goes, and give a title.")
        )
        return back
    data = form.cleaned_data
    source = _source(exercise, data["source"])
    where, _sep, pk = data["parent"].partition(":")
    if where not in ("element", "proposal") or not pk.isdigit():
        raise Http404
    round_ = get_object_or_404(PlanningRound, pk=data["round"], plan=workshop.plan)
    try:
        outcome = services.to_proposal(
            actor=request_user(request),
            exercise=exercise,
            round_=round_,
            unit=get_object_or_404(OrgUnit, pk=data["unit"], path__startswith=workshop.administration.path),
            title=data["title"],
            parent_element=get_object_or_404(PlanElement, pk=int(pk), plan=workshop.plan)
            if where == "element"
            else None,
            parent_proposal=get_object_or_404(Proposal, pk=int(pk), round=round_) if where == "proposal" else None,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            **source,
        )
    except (InvalidInput, NotAllowed) as error:
        messages.error(request, _told(error))
    else:
        messages.success(
            request,
            _("Proposed in “%(round)s”: %(proposal)s.") % {"round": round_.title, "proposal": outcome.label},
        )
    return back


@require_POST
def exercise_priorities(request: HttpRequest, workshop_id: int, exercise_id: int) -> HttpResponse:
    workshop = _workshop(request, workshop_id)
    _require_facilitator(request, workshop)
    exercise = selectors.exercise_of(workshop, exercise_id)
    try:
        made = services.to_function_priorities(actor=request_user(request), exercise=exercise)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("Set the priority of %(n)d function.", "Set the priorities of %(n)d functions.", len(made))
            % {"n": len(made)},
        )
    return redirect("exercise-to-plan", workshop_id=workshop.pk, exercise_id=exercise.pk)


# --- the record --------------------------------------------------------------------------------


def workshop_report(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = _workshop(request, workshop_id)
    done = list(selectors.outcomes(workshop))
    sections = [_results_context(e, show_results=True) for e in workshop.exercises.all()]
    for section in sections:
        section["counts"] = selectors.counts(section["exercise"])
        section["outcomes"] = [o for o in done if o.exercise_id == section["exercise"].pk]
        section["show_authors"] = not section["exercise"].anonymous
    return render(
        request,
        "workshops/report.html",
        {
            "section": SECTION,
            "workshop": workshop,
            "participants": workshop.participants.all(),
            "sections": sections,
            "actions": [o for o in done if o.action is not None],
            "proposals": [o for o in done if o.kind == OutcomeKind.PROPOSAL],
            "outcomes": done,
        },
    )


def workshop_export(request: HttpRequest, workshop_id: int) -> HttpResponse:
    """The record as a JSON document (everything the report shows, as data)."""
    workshop = _workshop(request, workshop_id)
    document = record.workshop_record(workshop)
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2) + "\n",
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="workshop-{workshop.pk}.json"'
    return response
