"""Turns application errors that escape a view into a proper page or JSON answer, and refuses
a URL that holds a NUL character before any view sees it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from waypoint.core.errors import ApplicationError, InvalidInput, NotAllowed, NotFound


class ApplicationErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # PostgreSQL refuses NUL in text: a code or a search term holding one (/units/%00/,
        # ?q=%00) would fail the query with a server error. Forms refuse it themselves.
        if "\x00" in request.path or any("\x00" in f"{k}{v}" for k, v in request.GET.items()):
            return self.answer(request, InvalidInput.at("url", _("The address holds a NUL character.")))
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ApplicationError):
            return None
        return self.answer(request, exception)

    def answer(self, request: HttpRequest, exception: ApplicationError) -> HttpResponse:
        if request.path.startswith("/api/") or request.headers.get("Accept") == "application/json":
            return JsonResponse(exception.as_dict(), status=exception.http_status)
        template = (
            "core/forbidden.html"
            if isinstance(exception, NotAllowed)
            else ("core/not_found.html" if isinstance(exception, NotFound) else "core/error.html")
        )
        return render(request, template, {"error": exception}, status=exception.http_status)
