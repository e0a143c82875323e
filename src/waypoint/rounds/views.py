"""Pages of a planning round: the plan's rounds, a round's dashboard, its accounting and its
consolidation; a unit's submission, its proposals and needs; reviewing, merging, returning,
waiving; comments. Thin: reads through selectors, writes through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from waypoint.core.errors import ApplicationError, InvalidInput, NotAllowed
from waypoint.core.views import confirm_delete, form_page, submit
from waypoint.org.access import request_user
from waypoint.plans import extensions
from waypoint.plans import selectors as plan_selectors
from waypoint.plans.forms import units_of
from waypoint.plans.translations import text_for
from waypoint.plans.views.common import plan_context
from waypoint.rounds import permissions, selectors, services
from waypoint.rounds.forms import (
    CommentForm,
    IndicatorFormSet,
    MergeForm,
    NeedForm,
    ProposalForm,
    ReasonForm,
    ReviewForm,
    RiskFormSet,
    RoundForm,
    indicator_initial,
    initial_budget,
    risk_initial,
)
from waypoint.rounds.models import WORKING_STATUSES, Need, PlanningRound, Proposal, RoundStatus, Submission


def _context(request: HttpRequest, round_: PlanningRound) -> dict[str, Any]:
    return {**plan_context(request, round_.plan, "rounds"), "round": round_}


def _round_url(round_: PlanningRound) -> str:
    return reverse("round-detail", kwargs={"round_id": round_.pk})


def _submission_url(submission: Submission) -> str:
    return reverse("submission-detail", kwargs={"submission_id": submission.pk})


def _proposal_url(proposal: Proposal) -> str:
    return reverse("proposal-detail", kwargs={"proposal_id": proposal.pk})


# --- rounds -----------------------------------------------------------------------------------------


def round_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_for(request.user, plan_id)
    return render(
        request,
        "rounds/round_list.html",
        {
            **plan_context(request, plan, "rounds"),
            "rounds": selectors.rounds_of(plan),
            "can_open": selectors.can_open(request.user, plan),
        },
    )


def round_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_selectors.plan_for(request.user, plan_id)
    permissions.require(permissions.can_open_round(request.user, plan), _("Only planners open a planning round."))
    initial = {
        "frame": list(plan.elements.filter(kind="goal")),
        "title": _("Planning round for %(plan)s") % {"plan": text_for(plan, "title", plan.language).text},
    }
    form = RoundForm(request.POST or None, plan=plan, initial=initial)

    def save(data: dict[str, Any]) -> PlanningRound:
        units = {
            u.pk: u for u in [*selectors.units_of_kinds(plan, data.get("kinds") or []), *(data.get("units") or [])]
        }
        return services.round_open(
            actor=request_user(request),
            plan=plan,
            title=data["title"],
            guidance=data["guidance"],
            deadline=data["deadline"],
            frame=data["frame"],
            units=units.values(),
        )

    return form_page(
        request,
        form,
        save=save,
        message=_("Round opened: every unit asked has its submission."),
        then=_round_url,
        template="rounds/round_form.html",
        context={**plan_context(request, plan, "rounds"), "creating": True},
    )


def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = selectors.round_for(request.user, round_id)
    mine = permissions.worked_submission_ids(request.user, round_)
    return render(
        request,
        "rounds/round_detail.html",
        {
            **_context(request, round_),
            "dashboard": selectors.round_dashboard(round_),
            "frame": list(round_.frame.order_by("code")),
            "mine": mine,
            "root": selectors.root_of(round_),
            "can_manage": permissions.can_manage_round(request.user, round_),
            "readable": selectors.readable_submission_ids(request.user, round_),
        },
    )


def round_edit(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = selectors.round_for(request.user, round_id)
    permissions.require(permissions.can_manage_round(request.user, round_))
    initial = {
        "title": round_.title,
        "guidance": round_.guidance,
        "deadline": round_.deadline,
        "frame": list(round_.frame.all()),
        "version": round_.version,
    }
    return form_page(
        request,
        RoundForm(request.POST or None, plan=round_.plan, editing=True, initial=initial),
        save=lambda data: services.round_update(
            actor=request_user(request),
            round_=round_,
            expected_version=data.get("version"),
            title=data["title"],
            guidance=data["guidance"],
            deadline=data["deadline"],
            frame=data["frame"],
        ),
        message=_("Round saved."),
        then=_round_url(round_),
        template="rounds/round_form.html",
        context=_context(request, round_),
    )


def _message_refusal(request: HttpRequest, error: ApplicationError) -> None:
    messages.error(request, error.message)


@require_POST
def round_status(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = selectors.round_for(request.user, round_id)
    status = request.POST.get("status", "")
    try:
        services.round_set_status(actor=request_user(request), round_=round_, status=status)
        messages.success(request, _("The round is open.") if status == RoundStatus.OPEN else _("The round is closed."))
    except NotAllowed:
        raise
    except ApplicationError as error:
        _message_refusal(request, error)
    return redirect(_round_url(round_))


def round_consolidate(request: HttpRequest, round_id: int) -> HttpResponse:
    """GET: what consolidation will make; POST: make it."""
    round_ = selectors.round_for(request.user, round_id)
    permissions.require(permissions.can_manage_round(request.user, round_), _("Only planners consolidate a round."))
    root = selectors.root_of(round_)
    ready = [p for p in root.held.select_related("responsible_unit").order_by("position", "number") if not p.is_final]
    problem = ""
    if request.method == "POST":
        try:
            result = services.round_consolidate(actor=request_user(request), round_=round_)
        except NotAllowed:
            raise
        except ApplicationError as error:
            problem = error.message
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d proposal became plan content: %(codes)s.",
                    "%(n)d proposals became plan content: %(codes)s.",
                    len(result.created),
                )
                % {"n": len(result.created), "codes": ", ".join(code for _p, code in result.created)},
            )
            return redirect(reverse("round-report", kwargs={"round_id": round_.pk}))
    return render(
        request,
        "rounds/round_consolidate.html",
        {**_context(request, round_), "ready": ready, "problem": problem},
        status=400 if problem else 200,
    )


def round_report(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = selectors.round_for(request.user, round_id)
    return render(
        request,
        "rounds/round_report.html",
        {
            **_context(request, round_),
            "report": selectors.accounting(round_),
            "readable": selectors.readable_submission_ids(request.user, round_),
        },
    )


# --- submissions ---------------------------------------------------------------------------------


def submission_detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = selectors.submission_for(request.user, submission_id)
    round_ = submission.round
    return render(
        request,
        "rounds/submission_detail.html",
        {
            **_context(request, round_),
            **selectors.submission_page(request.user, submission),
            "comment_form": CommentForm(),
            "frame": list(round_.frame.order_by("code")),
        },
    )


def _act(request: HttpRequest, submission: Submission, action: Any, done: str) -> HttpResponse:
    """Run a submission's action from a button: its refusal comes back as a message."""
    try:
        action()
        messages.success(request, done)
    except NotAllowed:
        raise
    except ApplicationError as error:
        _message_refusal(request, error)
    return redirect(_submission_url(submission))


@require_POST
def submission_submit(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = selectors.submission_for(request.user, submission_id)
    return _act(
        request,
        submission,
        lambda: services.submission_submit(
            actor=request_user(request), submission=submission, comment=request.POST.get("comment", "")
        ),
        _("Submitted to %(unit)s.") % {"unit": submission.parent.unit.name if submission.parent else ""},
    )


@require_POST
def submission_accept(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = selectors.submission_for(request.user, submission_id)
    return _act(
        request,
        submission,
        lambda: services.submission_accept(
            actor=request_user(request), submission=submission, comment=request.POST.get("comment", "")
        ),
        _("The submission of %(unit)s is accepted.") % {"unit": submission.unit.name},
    )


def _reason_page(
    request: HttpRequest, submission: Submission, *, allowed: bool, save: Any, heading: str, message: str, button: str
) -> HttpResponse:
    permissions.require(allowed)
    form = ReasonForm(request.POST or None)
    form.fields["text"].required = True
    return form_page(
        request,
        form,
        save=lambda data: save(data["text"]),
        message=message,
        then=_submission_url(submission),
        template="rounds/reason_form.html",
        context={**_context(request, submission.round), "submission": submission, "heading": heading, "button": button},
    )


def submission_return(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = selectors.submission_for(request.user, submission_id)
    return _reason_page(
        request,
        submission,
        allowed=permissions.reviews(request.user, submission),
        save=lambda text: services.submission_return(actor=request_user(request), submission=submission, comment=text),
        heading=_("Return the submission of %(unit)s") % {"unit": submission.unit.name},
        message=_("Returned with your comments."),
        button=_("Return with comments"),
    )


def submission_waive(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = selectors.submission_for(request.user, submission_id)
    return _reason_page(
        request,
        submission,
        allowed=permissions.can_waive(request.user, submission),
        save=lambda text: services.submission_waive(actor=request_user(request), submission=submission, reason=text),
        heading=_("Go on without the submission of %(unit)s") % {"unit": submission.unit.name},
        message=_("Waived."),
        button=_("Waive"),
    )


def submission_merge(request: HttpRequest, submission_id: int) -> HttpResponse:
    """Merge proposals waiting at this level (its own, and its children's submitted ones)."""
    submission = selectors.submission_for(request.user, submission_id)
    permissions.require(permissions.works_on(request.user, submission), _("Only this level merges its proposals."))
    page = selectors.submission_page(request.user, submission)
    chosen = request.GET.getlist("p")
    form = MergeForm(
        request.POST or None,
        choices=page["mergeable"],
        plan=submission.round.plan,
        initial={"proposals": [p for p in page["mergeable"] if str(p.pk) in chosen]},
    )
    return form_page(
        request,
        form,
        save=lambda data: services.proposal_merge(
            actor=request_user(request),
            into=submission,
            proposals=list(data["proposals"]),
            title=data["title"],
            description=data["description"] or None,
            responsible_unit=data["responsible_unit"],
        ),
        message=lambda merged: _("Merged into %(code)s.") % {"code": merged.code},
        then=_proposal_url,
        template="rounds/merge_form.html",
        context={**_context(request, submission.round), "submission": submission},
    )


def _comment(
    request: HttpRequest, then: str, *, submission: Submission | None = None, proposal: Proposal | None = None
) -> HttpResponse:
    """Add the posted comment on a submission or a proposal; back to its history, with the
    reason in a message when it was refused."""
    form = CommentForm(request.POST)
    if form.is_valid():
        submit(
            form,
            lambda: services.comment_add(
                actor=request_user(request), body=form.cleaned_data["body"], submission=submission, proposal=proposal
            ),
        )
    if form.errors:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(then + "#history")


@require_POST
def submission_comment(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = selectors.submission_for(request.user, submission_id)
    return _comment(request, _submission_url(submission), submission=submission)


# --- proposals ---------------------------------------------------------------------------------------


def _require_writable(request: HttpRequest, submission: Submission) -> None:
    """A form that writes into a submission opens only where its save can succeed: the
    person works on it, the round is open and the submission is not in (saying which)."""
    permissions.require(
        permissions.works_on(request.user, submission), _("Only your own unit's submission is yours to write.")
    )
    if not submission.round.is_open:
        raise NotAllowed(_("This round is closed: nothing more is written in it."))
    if not (submission.is_root or submission.status in WORKING_STATUSES):
        raise NotAllowed(_("This submission is in: it changes only if it is returned."))


def _proposal_form(request: HttpRequest, submission: Submission, proposal: Proposal | None) -> HttpResponse:
    round_ = submission.round
    plan = round_.plan
    _require_writable(request, submission)
    elements = selectors.placement_elements(round_)
    proposals = [p for p in selectors.placement_proposals(submission) if proposal is None or p.pk != proposal.pk]
    initial: dict[str, Any] = {"responsible_unit": submission.unit if not submission.is_root else None}
    if proposal is not None:
        initial = {
            "kind": proposal.kind,
            "parent": f"e{proposal.parent_element_id}"
            if proposal.parent_element_id
            else f"p{proposal.parent_proposal_id}",
            "title": proposal.title,
            "description": proposal.description,
            "responsible_unit": proposal.responsible_unit,
            "lead": proposal.lead,
            "starts_on": proposal.starts_on,
            "ends_on": proposal.ends_on,
            "assumptions": proposal.assumptions,
            "version": proposal.version,
            **initial_budget(proposal),
        }
    else:
        wanted = request.GET.get("parent", "")
        if wanted:
            initial["parent"] = wanted
            initial["kind"] = {"objective": "initiative", "goal": "objective", "initiative": "activity"}.get(
                request.GET.get("parent_kind", ""), "objective"
            )
    form = ProposalForm(
        request.POST or None,
        plan=plan,
        elements=elements,
        proposals=proposals,
        units=units_of(plan.administration),
        initial=initial,
    )
    indicators = IndicatorFormSet(
        request.POST or None,
        prefix="indicators",
        initial=indicator_initial(proposal) if proposal else None,
        form_kwargs={"years": plan.years},
    )
    risks = RiskFormSet(request.POST or None, prefix="risks", initial=risk_initial(proposal) if proposal else None)

    def save(data: dict[str, Any]) -> Proposal:
        if not indicators.is_valid() or not risks.is_valid():
            raise InvalidInput(_("Check the indicators and risks below."))
        choice = form.parent_choice()
        parent_element = parent_proposal = None
        if choice is not None and choice[0] == "e":
            parent_element = next((e for e in elements if e.pk == choice[1]), None)
        elif choice is not None:
            parent_proposal = next((p for p in proposals if p.pk == choice[1]), None)
        values = services.ProposalInput(
            kind=data["kind"],
            title=data["title"],
            responsible_unit=data["responsible_unit"],
            description=data["description"],
            lead=data["lead"],
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            assumptions=data["assumptions"],
            parent_element=parent_element,
            parent_proposal=parent_proposal,
            budget=form.budget(),
            indicators=[ask for f in indicators.forms if (ask := f.ask()) is not None],
            risks=[risk for f in risks.forms if (risk := f.ask()) is not None],
        )
        return services.proposal_save(
            actor=request_user(request),
            submission=submission,
            values=values,
            proposal=proposal,
            expected_version=data.get("version"),
        )

    return form_page(
        request,
        form,
        save=save,
        message=lambda saved: _("%(code)s saved.") % {"code": saved.code},
        then=_proposal_url,
        template="rounds/proposal_form.html",
        context={
            **_context(request, round_),
            "submission": submission,
            "proposal": proposal,
            "indicators": indicators,
            "risks": risks,
            "years": plan.years,
        },
    )


def proposal_create(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = selectors.submission_for(request.user, submission_id)
    return _proposal_form(request, submission, None)


def proposal_edit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_for(request.user, proposal_id)
    return _proposal_form(request, proposal.holder, proposal)


def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_for(request.user, proposal_id)
    return render(
        request,
        "rounds/proposal_detail.html",
        {
            **_context(request, proposal.round),
            **selectors.proposal_page(request.user, proposal),
            "comment_form": CommentForm(),
        },
    )


def proposal_delete(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_for(request.user, proposal_id)
    submission = proposal.holder
    permissions.require(permissions.works_on(request.user, submission))
    return confirm_delete(
        request,
        delete=lambda: services.proposal_delete(actor=request_user(request), proposal=proposal),
        message=_("%(code)s taken back.") % {"code": proposal.code},
        then=_submission_url(submission),
        cancel=_proposal_url(proposal),
        what=str(proposal),
        context=_context(request, proposal.round),
    )


def proposal_review(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_for(request.user, proposal_id)
    permissions.require(
        permissions.reviews(request.user, proposal.holder), _("Only the level above decides on this proposal.")
    )
    dated = proposal.kind in ("initiative", "activity")
    initial = {name: getattr(proposal, name) for name in services.EDITABLE_ON_REVIEW} | {
        "version": proposal.version,
        "decision": "accept",
    }
    form = ReviewForm(request.POST or None, plan=proposal.round.plan, dated=dated, initial=initial)

    def save(data: dict[str, Any]) -> Proposal:
        edits = {name: data[name] for name in services.EDITABLE_ON_REVIEW if name in form.fields}
        return services.proposal_review(
            actor=request_user(request),
            proposal=proposal,
            decision=data["decision"],
            expected_version=data.get("version"),
            reason=data["reason"],
            edits=edits if data["decision"] == "accept" else None,
        )

    return form_page(
        request,
        form,
        save=save,
        message=lambda decided: (
            _("%(code)s %(status)s.") % {"code": decided.code, "status": decided.get_status_display().lower()}
        ),
        then=_submission_url(proposal.holder),
        template="rounds/review_form.html",
        context={**_context(request, proposal.round), "proposal": proposal},
    )


@require_POST
def proposal_comment(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_for(request.user, proposal_id)
    return _comment(request, _proposal_url(proposal), proposal=proposal)


# --- needs ---------------------------------------------------------------------------------------------


def need_create(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = selectors.submission_for(request.user, submission_id)
    _require_writable(request, submission)
    choices = [
        (c.id, f"{c.reference} — {c.text[:90]}")
        for c in extensions.recommendations(submission.round.plan.administration)
    ]
    return form_page(
        request,
        NeedForm(request.POST or None, recommendations=choices),
        save=lambda data: services.need_save(
            actor=request_user(request),
            submission=submission,
            text=data["text"],
            recommendation_id=data.get("recommendation"),
        ),
        message=_("Need recorded."),
        then=_submission_url(submission) + "#needs",
        template="rounds/need_form.html",
        context={**_context(request, submission.round), "submission": submission},
    )


def need_delete(request: HttpRequest, need_id: int) -> HttpResponse:
    need = get_object_or_404(Need.objects.select_related("submission"), pk=need_id)
    submission = selectors.submission_for(request.user, need.submission_id)
    permissions.require(permissions.works_on(request.user, submission))
    return confirm_delete(
        request,
        delete=lambda: services.need_delete(actor=request_user(request), need=need),
        message=_("Need removed."),
        then=_submission_url(submission) + "#needs",
        cancel=_submission_url(submission),
        what=_("the need “%(t)s”") % {"t": need.text[:80]},
        context=_context(request, submission.round),
    )
