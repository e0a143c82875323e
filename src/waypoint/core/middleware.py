"""Turns application errors that escape a view into a proper page or JSON answer, and refuses
a URL that holds a NUL character before any view sees it."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from waypoint.core.errors import ApplicationError, InvalidInput, NotAllowed, NotFound


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware (``CONTENT_SECURITY_POLICY``), with a policy per path:
    ``WAYPOINT_CSP_PATHS`` maps a path prefix to directives that replace the site-wide ones
    there (the first prefix that matches wins), for a page whose vendored code needs more than
    the site-wide policy allows. A view's own ``csp_replace``/``csp_update`` still applies on
    top."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        paths: dict[str, dict[str, list[str]]] = getattr(settings, "WAYPOINT_CSP_PATHS", {})
        for prefix, directives in paths.items():
            if request.path_info.startswith(prefix):
                parts.replace = {**directives, **(parts.replace or {})}
                break
        return parts


class HtmxPagesMiddleware:
    """Pages that answer htmx with a part of themselves answer a history restore whole.

    When htmx has not kept a page that Back or Forward returns to, it asks the server for it
    with ``HX-Request`` (and ``HX-History-Restore-Request``) and puts what comes back in
    place of the whole page: a view answering htmx with its fragment (the plan tree's rows)
    would leave only that fragment, without menus or filters. Such a request is treated as
    the plain page request it stands for. Every answer also varies on ``HX-Request``, so a
    browser's cache never gives the fragment for the page's address, or the page for the
    fragment's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.META.get("HTTP_HX_HISTORY_RESTORE_REQUEST") == "true":
            request.META.pop("HTTP_HX_REQUEST", None)
            request.__dict__.pop("headers", None)  # read from META again if it was read before
        response = self.get_response(request)
        patch_vary_headers(response, ["HX-Request"])
        return response


class ApplicationErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # PostgreSQL refuses NUL in text: a code or a search term holding one (/units/%00/,
        # ?q=%00) would fail the query with a server error. Forms refuse it themselves.
        # every value of a repeated parameter (items() gives the last one only)
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
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


#: a temporary upload file older than this was left by a server process that was killed
STALE_UPLOAD_SECONDS = 6 * 3600


def sweep_stale_uploads(now: float | None = None) -> int:
    """Delete the temporary upload files that a killed server process left in
    ``FILE_UPLOAD_TEMP_DIR`` (a live upload deletes its own file however it ends); returns how
    many. Only a directory of Waypoint's own is swept, never the system's temporary one."""
    folder = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    if not folder:
        return 0
    limit = (now or time.time()) - STALE_UPLOAD_SECONDS
    swept = 0
    for path in Path(folder).glob("*.upload*"):
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                swept += 1
        except OSError:
            continue  # another process swept it first
    return swept


class UploadLimitMiddleware:
    """Refuses a request whose body is larger than ``WAYPOINT_MAX_UPLOAD_MB`` before any of
    it is read: nothing is buffered and no temporary file is written. No middleware reads
    the body on the way in (the CSRF check reads the form in ``process_view``, which runs
    after every middleware has let the request through), so it can sit after the ones that
    say who is asking, which the error page needs.

    A request large enough to be spooled to a temporary file first sweeps away the files
    that killed server processes left behind."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(settings.WAYPOINT_MAX_UPLOAD_MB) * 1024 * 1024
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > int(settings.FILE_UPLOAD_MAX_MEMORY_SIZE):
            sweep_stale_uploads()
        if length <= limit:
            return self.get_response(request)
        message = _("The upload is larger than the %(mb)d MB this server accepts.") % {
            "mb": settings.WAYPOINT_MAX_UPLOAD_MB
        }
        error = ApplicationError(message)
        if request.path.startswith("/api/") or request.headers.get("Accept") == "application/json":
            return JsonResponse({**error.as_dict(), "code": "too_large"}, status=413)
        return render(request, "core/error.html", {"error": error}, status=413)
