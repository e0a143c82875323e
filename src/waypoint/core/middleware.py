"""Turns application errors that escape a view into a proper page or JSON answer."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from waypoint.core.errors import ApplicationError, NotAllowed, NotFound


class ApplicationErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ApplicationError):
            return None
        if request.path.startswith("/api/") or request.headers.get("Accept") == "application/json":
            return JsonResponse(exception.as_dict(), status=exception.http_status)
        template = (
            "core/forbidden.html"
            if isinstance(exception, NotAllowed)
            else ("core/not_found.html" if isinstance(exception, NotFound) else "core/error.html")
        )
        return render(request, template, {"error": exception}, status=exception.http_status)
