"""The guest boundary: a session that holds a guest seat (no account) reaches the pages of
that workshop a participant uses, the join page and static files; any other URL gets a
refusal (403), the API included. When the workshop closes the seat stops working and the
guest is left with the join page only."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from waypoint.workshops.permissions import GUEST_SESSION_KEY, guest_participant, holds_guest_seat

#: the pages a guest may open, each of their own workshop only
GUEST_PAGES = frozenset(
    {"workshop-play", "exercise-live", "note-add", "dots-set", "score-set", "comparison-set", "workshop-leave"}
)
#: pages open to anybody, guest or not
OPEN_PAGES = frozenset({"workshop-join", "healthz"})


class GuestBoundaryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) or not holds_guest_seat(request.session):
            return self.get_response(request)
        if request.path.startswith(settings.STATIC_URL or "/static/"):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self._refuse(request)
        name = match.url_name or ""
        if name in OPEN_PAGES:
            return self.get_response(request)
        if name in GUEST_PAGES:
            seat = guest_participant(request.session, match.kwargs.get("workshop_id"))
            if seat is not None:
                return self.get_response(request)
            if guest_participant(request.session) is None:
                # the workshop closed (or the seat is gone): the seat ends with it
                request.session.pop(GUEST_SESSION_KEY, None)
        return self._refuse(request)

    def _refuse(self, request: HttpRequest) -> HttpResponse:
        seat = guest_participant(request.session)
        message = (
            _("You joined “%(title)s” as a guest: this page is not part of it.") % {"title": seat.workshop.title}
            if seat is not None
            else _("Your guest seat has ended with the workshop.")
        )
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            return JsonResponse({"code": "forbidden", "message": message}, status=403)
        return render(request, "workshops/guest_refused.html", {"message": message, "seat": seat}, status=403)
