"""The REST API: django-ninja, OpenAPI at /api/docs, same rights as the web pages.

Callers sign in with their browser session (CSRF checked) or with a personal token sent as
``Authorization: Bearer wpt_…`` (created on the "API tokens" page).

Every refusal has one JSON shape (``core/apischema.ErrorOut``: ``code``, ``message``,
``problems[{location, message}]``, and ``current_version`` on a 409), whatever raised it: a
service's ``ApplicationError``, a body that is not JSON or does not fit the operation's schema,
a missing sign-in, a failed CSRF check, an unknown id. The OpenAPI document lists these answers
under every operation that can give them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from django.views.csrf import csrf_failure as django_csrf_failure
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.types import DictStrAny
from ninja.utils import check_csrf

from waypoint.core.apischema import error_schemas
from waypoint.core.errors import ApplicationError, InvalidInput, NotAllowed, NotFound, Problem
from waypoint.engine.located import DocumentError, load_json
from waypoint.org.services import api_token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class CsrfRefused(NotAllowed):
    code = "csrf_failed"


class SessionAuth(NinjaSessionAuth):
    """The browser session, with Django's CSRF check for writes.

    Checked only for a signed-in session: a caller without one (or with a token that did not
    match) is told to sign in (401), not that a CSRF token is missing; and a failed check
    answers in the API's error shape, not with Django's HTML page.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise CsrfRefused(
                _("The CSRF check failed: send the csrftoken cookie's value as the X-CSRFToken header, or use a token.")
            )
        return request.COOKIES.get(self.param_name)


class JsonParser(Parser):
    """Request bodies through the engines' JSON reader: invalid UTF-8, deep nesting and lone
    surrogates are refused with their location before any schema or service sees them."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        try:
            document: DictStrAny = load_json(request.body)
        except DocumentError as error:
            raise InvalidInput(
                _("The request body cannot be read."), problems=[Problem(path, m) for path, m in error.problems]
            ) from error
        return document


#: answers every operation can give, and the error body of each (a 409 also says the version
#: now stored); see WaypointAPI.get_openapi_schema
ERROR_ANSWERS = {
    400: ("A rule refused the input; each problem says where.", "ErrorOut"),
    401: ("Not signed in: no session and no valid token.", "ErrorOut"),
    403: ("Signed in, but not allowed to do this (or the CSRF check failed).", "ErrorOut"),
    404: ("No such object, or one in an administration the caller has no role in.", "ErrorOut"),
    409: ("Somebody changed the record since the version sent: read it again.", "ConflictOut"),
    422: ("The request does not fit this operation's schema; each problem gives its JSON path.", "ErrorOut"),
}


class WaypointAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: DictStrAny | None = None
    ) -> OpenAPISchema:
        """The document ninja builds, with the error answers added to every operation: 401 and
        403 everywhere (sign-in and rights are checked on every call); 404 where the path names
        an object; 422 where there is input to validate; 400 where a rule can refuse it (a
        write, or a query); 409 where the body carries the ``version`` that was read."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(error_schemas())
        for methods in schema["paths"].values():
            for method, operation in methods.items():
                for status in _error_statuses(method, operation, components):
                    description, model = ERROR_ANSWERS[status]
                    operation["responses"].setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}},
                        },
                    )
        return schema


def _error_statuses(method: str, operation: dict[str, Any], components: dict[str, Any]) -> list[int]:
    places = {p.get("in") for p in operation.get("parameters", [])}
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    statuses = [401, 403]
    if "path" in places:
        statuses.append(404)
    if method != "get" or "query" in places:
        statuses.append(400)
    if places or body:
        statuses.append(422)
    if "version" in _properties(body, components):
        statuses.append(409)
    return sorted(statuses)


def _properties(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        schema = components.get(ref.rsplit("/", 1)[1], {})
    properties: dict[str, Any] = schema.get("properties", {})
    return properties


api = WaypointAPI(
    title="Waypoint API",
    version="1",
    description="Units, plans, plan elements, indicators, targets and actuals, the roadmap, Time Release Study data, diagnostics, plan quality, the workforce (competency frameworks, role profiles, officers under the privacy rules, gaps, courses, training allocation), planning rounds, approval, amendments and versions, the monitoring cycle (calendars, reports, approvals, follow-up actions, review meetings), documents and the plan workbook. Same permissions as the web UI.",
    auth=[TokenAuth(), SessionAuth()],
    parser=JsonParser(),
    urls_namespace="api",
    # Swagger UI from ninja's own copy (ninja is an installed app, so its static files are
    # served with ours): nothing from a CDN, and no validator badge fetched from outside
    docs=Swagger(settings={"validatorUrl": None}),
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


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own refusals in our shape; a body that cannot be parsed arrives here wrapped
    (ninja turns any parser error into a 400) and keeps the parser's located problem."""
    cause = exc.__cause__
    if isinstance(cause, ApplicationError):
        return application_error(request, cause)
    codes = {400: "invalid", 403: "forbidden", 404: "not_found", 429: "throttled"}
    return api.create_response(
        request, {"code": codes.get(exc.status_code, "error"), "message": str(exc)}, status=exc.status_code
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return application_error(request, NotFound(_("No such object.")))


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


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF refusal (``CSRF_FAILURE_VIEW``): under /api/ in the API's error shape, as
    the API's own session check answers; elsewhere Django's page."""
    if request.path.startswith("/api/"):
        error = CsrfRefused(_("The CSRF check failed: send the csrftoken cookie's value as the X-CSRFToken header."))
        return JsonResponse(error.as_dict(), status=error.http_status)
    return django_csrf_failure(request, reason)


def _register() -> None:
    from waypoint.diagnostics.api import router as diagnostics_router
    from waypoint.documents.api import router as documents_router
    from waypoint.indicators.api import router as indicators_router
    from waypoint.monitoring.api import router as monitoring_router
    from waypoint.org.api import notifications_router
    from waypoint.org.api import router as org_router
    from waypoint.people.api import router as people_router
    from waypoint.plans.api import router as plans_router
    from waypoint.roadmap.api import router as roadmap_router
    from waypoint.rounds.api import router as rounds_router
    from waypoint.trs.api import router as trs_router
    from waypoint.workshops.api import router as workshops_router

    api.add_router("", org_router)
    api.add_router("", notifications_router)
    api.add_router("", plans_router)
    api.add_router("", indicators_router)
    api.add_router("", roadmap_router)
    api.add_router("", trs_router)
    api.add_router("", diagnostics_router)
    api.add_router("", documents_router)
    api.add_router("", people_router)
    api.add_router("", rounds_router)
    api.add_router("", monitoring_router)
    api.add_router("", workshops_router)


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
