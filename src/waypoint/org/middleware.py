"""The language a signed-in person reads: their preference (``User.language``) wins over the
cookie and the browser's Accept-Language, which Django's LocaleMiddleware has already applied
for everybody else."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    """After authentication: switch to the person's chosen language, if they chose one that
    Waypoint speaks. LocaleMiddleware (earlier) sets Content-Language and Vary on the way out
    from the language active then, which is this one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
