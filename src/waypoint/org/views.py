from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from waypoint.core.errors import InvalidInput, NotAllowed, NotFound
from waypoint.core.views import back_to, form_page
from waypoint.engine.timezones import time_zone_names
from waypoint.org import notifications, selectors, services
from waypoint.org.access import Access, request_user, unit_for
from waypoint.org.forms import GrantForm, PersonForm, UnitForm
from waypoint.org.models import ApiToken, EmailMode, Notification, OrgUnit, RoleAssignment, UnitKind, User


def unit_tree(request: HttpRequest) -> HttpResponse:
    """The org-unit tree of the user's administrations, with search and a type filter."""
    if not Access.of(request.user).administration_paths():
        raise NotAllowed(_("You have no role in any administration."))
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    rows, count = selectors.unit_tree(request.user, search=search, kind=kind)
    return render(
        request,
        "org/unit_tree.html",
        {
            "rows": rows,
            "search": search,
            "kind": kind,
            "kinds": UnitKind.choices,
            "section": "units",
            "count": count,
            "administered": Access.of(request.user).administered_paths(),
        },
    )


def unit_add(request: HttpRequest) -> HttpResponse:
    """A new unit of the administrator's administration (administrations themselves are made by
    the platform's operators)."""
    actor = _administrator(request)
    units = selectors.administered_units(actor)
    parent_code = request.GET.get("parent", "")
    initial = {"parent": units.filter(code=parent_code).first()} if parent_code else {}
    return form_page(
        request,
        UnitForm(request.POST or None, units=units, initial=initial),
        save=lambda data: services.unit_create(
            actor=actor,
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            parent=data["parent"],
            description=data["description"],
            position=data["position"],
        ),
        message=lambda unit: _("Unit %(code)s added.") % {"code": unit.code},
        then=reverse("unit-tree"),
        template="org/unit_form.html",
        context={"unit": None, "section": "units"},
    )


def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Rename, re-describe, move within the administration, close or reopen a unit."""
    unit = unit_for(request.user, code)  # another administration's unit is "not found"
    actor = request_user(request)
    if not Access.of(actor).is_administrator(unit.path):
        raise NotAllowed(_("Only administrators of this administration change its units."))
    # a unit cannot move below itself: its subtree is not offered as a parent
    units = selectors.administered_units(actor).exclude(path__startswith=unit.path)
    initial = {name: getattr(unit, name) for name in services.UNIT_FIELDS}
    return form_page(
        request,
        UnitForm(request.POST or None, units=units, root=unit.parent_id is None, initial=initial),
        save=lambda data: services.unit_update(
            actor=actor, unit=unit, **{name: value for name, value in data.items() if initial.get(name) != value}
        ),
        message=_("Unit %(code)s saved.") % {"code": unit.code},
        then=reverse("unit-tree"),
        template="org/unit_form.html",
        context={"unit": unit, "section": "units"},
    )


class AdministrationSettingsForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        help_text=gettext_lazy(
            "Where the administration's declaration data is recorded: new Time Release Study data is read "
            "in this zone unless it says otherwise, and hours, days and periods are counted in it."
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["time_zone"].choices = [(name, name) for name in time_zone_names()]  # type: ignore[attr-defined]


def administration_settings(request: HttpRequest, unit_id: int) -> HttpResponse:
    """An administration's own settings, changed by its administrators: its time zone."""
    access = Access.of(request.user)
    administration = OrgUnit.objects.filter(pk=unit_id, parent__isnull=True).first()
    if administration is None or not access.can_read(administration.path):
        raise NotFound(_("No such unit."))  # another administration's answers like a missing one
    if not access.is_administrator(administration.path):
        raise NotAllowed(_("Only an administrator of this administration changes its settings."))
    return form_page(
        request,
        AdministrationSettingsForm(request.POST or None, initial={"time_zone": administration.local_time_zone}),
        save=lambda data: services.administration_time_zone_set(
            actor=request_user(request), administration=administration, time_zone=data["time_zone"]
        ),
        message=_("Settings of %(name)s saved.") % {"name": administration.name},
        then=reverse("unit-tree"),
        template="org/administration_settings.html",
        context={"administration": administration, "section": "units"},
    )


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Token name"), max_length=100)


def api_tokens(request: HttpRequest) -> HttpResponse:
    """Personal API tokens: create one (shown once), see when each was last used, revoke."""
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.api_token_create(actor=request_user(request), name=form.cleaned_data["name"])
        except InvalidInput as error:
            form.add_error("name", error.message)
        else:
            form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)  # type: ignore[misc]
    return render(
        request,
        "org/api_tokens.html",
        {"form": form, "tokens": tokens, "new_key": new_key, "lifetime": services.token_lifetime()},
    )


@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.api_token_revoke(actor=request_user(request), token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api-tokens")


# --- people: an administrator's view of the accounts and roles of their administrations ---------------


def _administrator(request: HttpRequest) -> User:
    actor = request_user(request)
    if not Access.of(actor).is_any_administrator():
        raise NotAllowed(_("Only administrators manage people and roles."))
    return actor


def people(request: HttpRequest) -> HttpResponse:
    """Who holds which role in the administrator's administrations; add people, grant and
    take back roles, deactivate, and unlock an account after too many failed sign-ins."""
    actor = _administrator(request)
    units = selectors.administered_units(actor)
    return render(request, "org/people.html", _people_context(actor, PersonForm(units=units, prefix="new")))


def _people_context(actor: User, add_form: PersonForm) -> dict[str, Any]:
    return {
        "people": selectors.people_for(actor),
        "add_form": add_form,
        "grant_form": GrantForm(units=selectors.administered_units(actor)),
        "section": "people",
    }


@require_POST
def person_add(request: HttpRequest) -> HttpResponse:
    """The People page's form; refused, the page comes back with it (and a 400)."""
    actor = _administrator(request)
    form = PersonForm(request.POST, units=selectors.administered_units(actor), prefix="new")
    return form_page(
        request,
        form,
        save=lambda data: services.person_add(
            actor=actor,
            username=data["username"],
            password=data["password"],
            role=data["role"],
            unit=data["unit"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            job_title=data["job_title"],
        ),
        message=lambda person: _("%(name)s can now sign in.") % {"name": person.display_name},
        then=reverse("people"),
        template="org/people.html",
        context=_people_context(actor, form),
        status=400,
    )


@require_POST
def person_role_grant(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = _administrator(request)
    person = services.person_for(actor, user_id)
    form = GrantForm(request.POST, units=selectors.administered_units(actor))
    if not form.is_valid():
        messages.error(request, _("Choose a role and a unit of your administration."))
        return redirect("people")
    services.role_grant(actor=actor, user=person, role=form.cleaned_data["role"], unit=form.cleaned_data["unit"])
    messages.success(request, _("Role given to %(name)s.") % {"name": person.display_name})
    return redirect("people")


@require_POST
def person_role_revoke(request: HttpRequest, assignment_id: int) -> HttpResponse:
    actor = _administrator(request)
    assignment = RoleAssignment.objects.select_related("user", "unit").filter(pk=assignment_id).first()
    if assignment is None or not Access.of(actor).is_administrator(assignment.unit.path):
        raise NotFound(_("No such role."))
    services.role_revoke(actor=actor, assignment=assignment)
    messages.success(request, _("Role taken back from %(name)s.") % {"name": assignment.user.display_name})
    return redirect("people")


@require_POST
def person_active(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = _administrator(request)
    person = services.person_for(actor, user_id)
    active = request.POST.get("active") == "1"
    services.user_set_active(actor=actor, user=person, active=active)
    if active:
        messages.success(request, _("%(name)s can sign in again.") % {"name": person.display_name})
    else:
        messages.success(
            request, _("%(name)s can no longer sign in; their API tokens are revoked.") % {"name": person.display_name}
        )
    return redirect("people")


@require_POST
def person_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = _administrator(request)
    person = services.person_for(actor, user_id)
    services.login_unlock(actor=actor, user=person)
    messages.success(request, _("%(name)s may try to sign in again.") % {"name": person.display_name})
    return redirect("people")


# --- notifications ---------------------------------------------------------------------------------


class NotificationSettingsForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=gettext_lazy("E-mail"),
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("Every notification is in your inbox in any case."),
    )


def inbox(request: HttpRequest) -> HttpResponse:
    """The person's notifications, unread first; each opens the page where the work is done."""
    user = request_user(request)
    page = Paginator(notifications.inbox(user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "org/inbox.html",
        {"page": page, "unread": notifications.unread_count(user), "section": "inbox", "has_email": bool(user.email)},
    )


def inbox_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark a notification read and go to its page (only pages of this site)."""
    user = request_user(request)
    notification = get_object_or_404(Notification, pk=notification_id, recipient=user)
    notifications.mark_read(user, [notification.pk])
    return redirect(back_to(request, notification.url, reverse("inbox")))


@require_POST
def inbox_read(request: HttpRequest) -> HttpResponse:
    """Mark every notification (or those checked) read."""
    user = request_user(request)
    chosen = [int(value) for value in request.POST.getlist("notification") if value.isdigit()]
    count = notifications.mark_read(user, chosen or None)
    messages.success(
        request,
        ngettext("%(count)d notification marked read.", "%(count)d notifications marked read.", count)
        % {"count": count},
    )
    return redirect("inbox")


def notification_settings(request: HttpRequest) -> HttpResponse:
    """How the person hears of notifications by e-mail."""
    user = request_user(request)
    return form_page(
        request,
        NotificationSettingsForm(request.POST or None, initial={"email_mode": user.email_mode}),
        save=lambda data: services.notification_settings_set(actor=user, user=user, email_mode=data["email_mode"]),
        message=_("Your notification settings are saved."),
        then=reverse("inbox"),
        template="org/notification_settings.html",
        context={"section": "inbox", "has_email": bool(user.email)},
    )


@login_not_required
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The language switch: Django's ``set_language`` (the cookie, back to ``next``), and for a
    person signed in also their preference, which follows them to other browsers and e-mails."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.language_set(actor=request_user(request), user=request_user(request), language=language)
    return response


def my_work(request: HttpRequest) -> HttpResponse:
    """Everything waiting for the person, from every app (``org.work``), by due date."""
    from django.utils import timezone

    from waypoint.org.work import work_for

    user = request_user(request)
    items = work_for(user)
    today = timezone.localdate()
    return render(
        request,
        "org/my_work.html",
        {
            "items": items,
            "overdue": sum(1 for item in items if item.is_overdue(today)),
            "today": today,
            "section": "work",
        },
    )
