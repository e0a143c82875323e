from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from waypoint.core.errors import ApplicationError, InvalidInput, NotAllowed, NotFound
from waypoint.core.forms import apply_error
from waypoint.core.views import submit
from waypoint.engine.timezones import time_zone_names
from waypoint.org import selectors, services
from waypoint.org.access import Access, request_user, unit_for, within_administrations
from waypoint.org.forms import GrantForm, PersonForm, UnitForm
from waypoint.org.models import ApiToken, OrgUnit, RoleAssignment, UnitKind, User


def unit_tree(request: HttpRequest) -> HttpResponse:
    """The org-unit tree of the user's administrations, with search and a type filter."""
    if not Access.of(request.user).administration_paths():
        raise NotAllowed(_("You have no role in any administration."))
    units = list(OrgUnit.objects.filter(within_administrations(request.user)).order_by("path"))
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if search or kind:
        needle = search.lower()
        hits = {
            u.pk
            for u in units
            if (not needle or needle in u.name.lower() or needle in u.code.lower()) and (not kind or u.kind == kind)
        }
        keep: set[int] = set()
        by_id = {u.pk: u for u in units}
        for hit in hits:
            node: OrgUnit | None = by_id[hit]
            while node is not None and node.pk not in keep:
                keep.add(node.pk)
                node = by_id.get(node.parent_id) if node.parent_id else None
        rows = [(u, u.pk in hits) for u in units if u.pk in keep]
    else:
        rows = [(u, False) for u in units]
    # a tree in path order renders as an indented list
    rows.sort(key=lambda row: [int(part) if part.isdigit() else 0 for part in row[0].path.strip("/").split("/")])
    return render(
        request,
        "org/unit_tree.html",
        {
            "rows": rows,
            "search": search,
            "kind": kind,
            "kinds": UnitKind.choices,
            "section": "units",
            "count": len(units),
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
    form = UnitForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.unit_create(
                actor=actor,
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                parent=data["parent"],
                description=data["description"],
                position=data["position"],
            )
        except NotAllowed:
            raise
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Unit %(code)s added.") % {"code": unit.code})
            return redirect("unit-tree")
    return render(request, "org/unit_form.html", {"form": form, "unit": None, "section": "units"})


def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Rename, re-describe, move within the administration, close or reopen a unit."""
    unit = unit_for(request.user, code)  # another administration's unit is "not found"
    actor = request_user(request)
    if not Access.of(actor).is_administrator(unit.path):
        raise NotAllowed(_("Only administrators of this administration change its units."))
    root = unit.parent_id is None
    # a unit cannot move below itself: its subtree is not offered as a parent
    units = selectors.administered_units(actor).exclude(path__startswith=unit.path)
    initial = {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": unit.parent,
        "description": unit.description,
        "position": unit.position,
        "is_active": unit.is_active,
    }
    form = UnitForm(request.POST or None, units=units, root=root, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {name: value for name, value in form.cleaned_data.items() if initial.get(name) != value}
        try:
            services.unit_update(actor=actor, unit=unit, **changes)
        except NotAllowed:
            raise
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Unit %(code)s saved.") % {"code": unit.code})
            return redirect("unit-tree")
    return render(request, "org/unit_form.html", {"form": form, "unit": unit, "section": "units"})


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
    form = AdministrationSettingsForm(request.POST or None, initial={"time_zone": administration.local_time_zone})
    if request.method == "POST" and form.is_valid():
        saved, _extra = submit(
            form,
            lambda: services.administration_time_zone_set(
                actor=request_user(request), administration=administration, time_zone=form.cleaned_data["time_zone"]
            ),
        )
        if saved is not None:
            messages.success(request, _("Settings of %(name)s saved.") % {"name": administration.name})
            return redirect("unit-tree")
    return render(
        request,
        "org/administration_settings.html",
        {"form": form, "administration": administration, "section": "units"},
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
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)  # type: ignore[misc]
    services.api_token_revoke(actor=request_user(request), token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api-tokens")


# --- people: an administrator's view of the accounts and roles of their administrations ---------------


def _administrator(request: HttpRequest) -> User:
    actor = request_user(request)
    if not Access.of(actor).is_any_administrator():
        raise NotAllowed(_("Only administrators manage people and roles."))
    return actor


def people(request: HttpRequest, add_form: PersonForm | None = None, status: int = 200) -> HttpResponse:
    """Who holds which role in the administrator's administrations; add people, grant and
    take back roles, deactivate, and unlock an account after too many failed sign-ins."""
    actor = _administrator(request)
    units = selectors.administered_units(actor)
    return render(
        request,
        "org/people.html",
        {
            "people": selectors.people_for(actor),
            "add_form": add_form or PersonForm(units=units, prefix="new"),
            "grant_form": GrantForm(units=units),
            "section": "people",
        },
        status=status,
    )


@require_POST
def person_add(request: HttpRequest) -> HttpResponse:
    actor = _administrator(request)
    form = PersonForm(request.POST, units=selectors.administered_units(actor), prefix="new")
    if form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_add(
                actor=actor,
                username=data["username"],
                password=data["password"],
                role=data["role"],
                unit=data["unit"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                job_title=data["job_title"],
            )
        except NotAllowed:
            raise
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("%(name)s can now sign in.") % {"name": person.display_name})
            return redirect("people")
    return people(request, add_form=form, status=400)


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
