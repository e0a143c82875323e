"""The REST API: django-ninja, OpenAPI at /api/docs, same rights as the web pages.

Callers sign in with their browser session (CSRF checked) or with a personal token sent as
``Authorization: Bearer wpt_…`` (created on the "API tokens" page).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from waypoint.core.errors import ApplicationError
from waypoint.org.services import api_token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Waypoint API",
    version="1",
    description="Units, plans, plan elements, indicators, targets and actuals, the roadmap, Time Release Study data, diagnostics, plan quality, planning rounds, approval, amendments and versions. Same permissions as the web UI.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    # the schema and its documentation page are for signed-in users, like every other page:
    # they describe what the administration keeps
    docs_decorator=login_required,
)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.http_status)


def _json_path(loc: Any) -> str:
    parts = [p for p in loc if p not in ("body", "payload", "query", "path")] if isinstance(loc, list | tuple) else []
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    problems = [{"location": _json_path(e.get("loc", ())), "message": e.get("msg", "invalid")} for e in exc.errors]
    return api.create_response(
        request, {"code": "invalid", "message": "The request is not valid.", "problems": problems}, status=422
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"code": "unauthenticated", "message": "Sign in, or send a token as 'Authorization: Bearer …'."},
        status=401,
    )


def _register() -> None:
    from waypoint.diagnostics.api import router as diagnostics_router
    from waypoint.indicators.api import router as indicators_router
    from waypoint.org.api import notifications_router
    from waypoint.org.api import router as org_router
    from waypoint.plans.api import router as plans_router
    from waypoint.roadmap.api import router as roadmap_router
    from waypoint.rounds.api import router as rounds_router
    from waypoint.trs.api import router as trs_router

    api.add_router("", org_router)
    api.add_router("", notifications_router)
    api.add_router("", plans_router)
    api.add_router("", indicators_router)
    api.add_router("", roadmap_router)
    api.add_router("", trs_router)
    api.add_router("", diagnostics_router)
    api.add_router("", rounds_router)


_register()


def api_urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    """The API's URL patterns, exempt from the login redirect: the API answers 401 itself."""
    patterns, app_name, namespace = api.urls

    def exempt(items: list[URLPattern | URLResolver]) -> None:
        for item in items:
            if isinstance(item, URLPattern):
                item.callback.login_required = False  # type: ignore[attr-defined]
            else:
                exempt(list(item.url_patterns))

    exempt(list(patterns))
    return list(patterns), app_name, namespace
