"""Shared fixtures: a small administration with one plan, and the people who use it."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.world import World

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the
# same thread are safe here (nothing else touches the connection).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("django"):
        return  # engine tests run with -p no:django and never touch Django
    from django.conf import settings

    # No collectstatic in tests, plain http for the test client and the live server,
    # and a fast password hasher.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # background tasks run at once, inside the request or service that queues them
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # the apps' tasks are defined (and their backend made) when Django starts: tell django-tasks
    # that its setting changed, as override_settings would
    from django.test.signals import setting_changed

    setting_changed.send(sender=type(settings), setting="TASKS", value=settings.TASKS, enter=True)
    compile_catalogues()


def compile_catalogues() -> None:
    """Compile each language's catalogue that changed since it was last compiled, as `make
    install` does, so that a test run straight after editing a .po file reads the new text."""
    import polib

    from waypoint.settings import LOCALE_PATHS

    for po_path in LOCALE_PATHS[0].glob("*/LC_MESSAGES/django.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


@pytest.fixture
def world(db: None, tmp_path: object, settings: object) -> World:
    from tests.world import build_world

    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    settings.WAYPOINT_TRS_DATA = tmp_path / "trs-data"  # type: ignore[attr-defined, operator]
    settings.WAYPOINT_TRS_STUDIES = tmp_path / "trs-studies"  # type: ignore[attr-defined, operator]
    return build_world()


@pytest.fixture(autouse=True)
def _forget_kept_verdicts(request: pytest.FixtureRequest) -> None:
    """Each test rolls the database back; what a process kept for a plan (by id and change
    stamp) must not outlive the rows it was worked out from."""
    if not request.config.pluginmanager.has_plugin("django"):
        return
    from waypoint.indicators.selectors import forget_verdicts
    from waypoint.plans.quality import forget_read
    from waypoint.plans.selectors import forget_rollups
    from waypoint.trs.selectors import forget_analyses

    forget_verdicts()
    forget_rollups()
    forget_read()
    forget_analyses()


@pytest.fixture(autouse=True)
def _back_to_the_default_language(request: pytest.FixtureRequest) -> None:
    """A request through the test client leaves its language active in the thread
    (LocaleMiddleware activates it and nothing deactivates it): a test that read a page in
    French must not make the next test's messages French."""
    if not request.config.pluginmanager.has_plugin("django"):
        return
    from django.utils import translation

    translation.deactivate()
