from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from waypoint.core.errors import InvalidInput, NotAllowed
from waypoint.core.views import submit
from waypoint.engine.timezones import time_zone_names
from waypoint.org import services
from waypoint.org.access import Access, request_user, within_administrations
from waypoint.org.models import ApiToken, OrgUnit, Role, UnitKind


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
    access = Access.of(request.user)
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
            "administered": {u.pk for u in units if u.parent_id is None and _administers(access, u)},
        },
    )


def _administers(access: Access, administration: OrgUnit) -> bool:
    return Role.ADMINISTRATOR in access.roles_in_administration(administration.path)


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
    administration = get_object_or_404(OrgUnit, pk=unit_id, parent__isnull=True)
    if not _administers(Access.of(request.user), administration):
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
    return render(request, "org/api_tokens.html", {"form": form, "tokens": tokens, "new_key": new_key})


@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)  # type: ignore[misc]
    services.api_token_revoke(actor=request_user(request), token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api-tokens")
