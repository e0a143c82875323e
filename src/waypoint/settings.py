"""One settings module, driven by environment variables.

Defaults give a working installation on SQLite in ``var/``; production sets ``DATABASE_URL``
(PostgreSQL), ``WAYPOINT_SECRET_KEY`` and ``WAYPOINT_ALLOWED_HOSTS``. See docs/deployment.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
_checkout = PACKAGE_DIR.parents[1]
# In a source checkout data lives next to the code; an installed package uses the working dir.
DEFAULT_VAR_DIR = _checkout / "var" if (_checkout / "pyproject.toml").exists() else Path.cwd() / "var"
VAR_DIR = Path(os.environ.get("WAYPOINT_VAR_DIR", DEFAULT_VAR_DIR))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept in ``var/`` (never in git)."""
    from_env = os.environ.get("WAYPOINT_SECRET_KEY")
    if from_env:
        return from_env
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        # written whole under a private name, then linked into place: processes starting together
        # (test workers, serve and worker) never read a half-written key, and the first one wins
        draft = key_file.with_name(f"secret_key.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(64))
        draft.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(draft, key_file)
        draft.unlink()
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_flag("WAYPOINT_DEBUG", False)
ALLOWED_HOSTS = env_list("WAYPOINT_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("WAYPOINT_CSRF_TRUSTED_ORIGINS", "")
# a refused write under /api/ answers in the API's JSON error shape, not with an HTML page
CSRF_FAILURE_VIEW = "waypoint.api.csrf_failure"

# Served over HTTPS unless told otherwise (the local demo runs on plain http://127.0.0.1).
HTTPS = env_flag("WAYPOINT_HTTPS", True)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("WAYPOINT_HSTS_SECONDS", "31536000")) if HTTPS else 0
# includeSubDomains covers only the names below Waypoint's own host name; preload is a promise
# to the browsers' built-in list that only the owner of the whole domain can make, and is hard
# to take back, so it is opt-in (and Django's reminder about it is silenced while it is off).
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_flag("WAYPOINT_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = HTTPS and env_flag("WAYPOINT_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# load balancers probe the health endpoint on the app server itself, over plain HTTP
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_flag("WAYPOINT_BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp; see docs/deployment.md): the pages' scripts and styles
# come only from Waypoint's own static files. No inline script, no eval (Vega's charts run
# through its expression interpreter: vega-embed's ``ast`` option), no inline <style>
# element; style attributes are allowed (style-src-attr) because frappe-gantt and Swagger UI
# position what they draw with them and a few templates size bars and indent rows with them:
# CSS cannot run script. data: images are Bootstrap's icons. The proxy must neither strip
# nor repeat the header (docs/deployment.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Directives that replace the site-wide ones under a path prefix (the first match wins), for a
# page whose vendored code cannot live with the site-wide policy; keep it empty if you can.
WAYPOINT_CSP_PATHS: dict[str, dict[str, list[str]]] = {}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    # only for its templates and static files: the API's Swagger UI served from here, offline
    "ninja",
    "csp",
    "waypoint.core",
    "waypoint.org",
    "waypoint.plans",
    "waypoint.indicators",
    "waypoint.roadmap",
    "waypoint.trs",
    "waypoint.diagnostics",
    # documents and spreadsheets made from all of the above
    "waypoint.documents",
    "waypoint.people",
    "waypoint.rounds",
    "waypoint.monitoring",
    "waypoint.workshops",
    # the top layer: the site's own pages and the demo administration
    "waypoint.site",
    "waypoint.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # above WhiteNoise so that static files carry the policy too (an SVG opened on its own)
    "waypoint.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # a signed-in person's own language (User.language) over the cookie and the browser's
    "waypoint.org.middleware.UserLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # a guest of a workshop (no account) reaches that workshop's participant pages and nothing else
    "waypoint.workshops.middleware.GuestBoundaryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # a history restore asks for the whole page, never a view's htmx fragment
    "waypoint.core.middleware.HtmxPagesMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "waypoint.core.middleware.UploadLimitMiddleware",
    "waypoint.core.middleware.ApplicationErrorMiddleware",
    # last: turns a refused sign-in into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "waypoint.urls"
WSGI_APPLICATION = "waypoint.wsgi.application"
ASGI_APPLICATION = "waypoint.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "waypoint.site.context_processors.navigation",
            ],
            # {% tr element "title" %}: plan texts in the reader's language (plans/translations.py)
            "builtins": ["waypoint.core.templatetags.waypoint", "waypoint.plans.templatetags.plan_text"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'waypoint.sqlite3'}"),
        conn_max_age=int(os.environ.get("WAYPOINT_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, except that a stored decimal too large for its column is read
    # back instead of failing every query that touches it (core/sqlite/base.py)
    DATABASES["default"]["ENGINE"] = "waypoint.core.sqlite"
    # WAL lets readers work while a writer writes; IMMEDIATE takes the write lock up front so
    # two concurrent writers queue instead of failing half-way with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        # how long a writer waits for the lock before "database is locked"
        "timeout": float(os.environ.get("WAYPOINT_SQLITE_TIMEOUT", "20")),
    }
    # tests run in memory, as Django does for SQLite; said outright because pytest-xdist's
    # per-process test databases recognise SQLite by Django's engine name, not ours
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

# Long work (solving a roadmap scenario) runs in a background worker (`waypoint db_worker`,
# started by `waypoint serve`) that takes tasks from the database; no broker to run.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("WAYPOINT_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# The worker's heartbeat (core.work): every HEARTBEAT seconds it records that it is alive and
# renews the lease of the work it holds; work whose lease is LEASE seconds old lost its worker
# and is queued again until it has been taken ATTEMPTS times, then marked failed. Each worker
# sweeps for such work every SWEEP seconds. The health endpoint and the pages that wait on
# work report a worker not seen for STALE seconds.
WAYPOINT_WORK_HEARTBEAT_S = float(os.environ.get("WAYPOINT_WORK_HEARTBEAT_S", "10"))
WAYPOINT_WORK_LEASE_S = float(os.environ.get("WAYPOINT_WORK_LEASE_S", "60"))
WAYPOINT_WORK_SWEEP_S = float(os.environ.get("WAYPOINT_WORK_SWEEP_S", "30"))
WAYPOINT_WORK_ATTEMPTS = int(os.environ.get("WAYPOINT_WORK_ATTEMPTS", "2"))
WAYPOINT_WORKER_STALE_S = float(os.environ.get("WAYPOINT_WORKER_STALE_S", "60"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # refuses sign-ins for an account or an address with too many recent failures, then the
    # ordinary password check
    "waypoint.org.throttle.LoginThrottle",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one account, or
# from one address, further attempts are refused until AXES_COOLOFF_TIME has passed since the
# last failure; an administrator unlocks an account on the People page (`waypoint axes_reset`
# clears everything). Only failures count, and a success does not wipe them: it would let a
# known account reset an attacker's address.
AXES_ENABLED = env_flag("WAYPOINT_LOGIN_THROTTLE", True)
AXES_FAILURE_LIMIT = int(os.environ.get("WAYPOINT_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("WAYPOINT_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "waypoint.org.throttle.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are not kept: only failures matter here
AXES_VERBOSE = False
# The client's address (waypoint.org.throttle.client_address): REMOTE_ADDR, or behind a declared
# proxy the address that proxy saw, taken from the right of X-Forwarded-For; a client could put
# anything at its left and would never be throttled.
AXES_CLIENT_IP_CALLABLE = "waypoint.org.throttle.client_address"
BEHIND_PROXY = env_flag("WAYPOINT_BEHIND_PROXY", False)
PROXY_COUNT = int(os.environ.get("WAYPOINT_PROXY_COUNT", "1"))
# API tokens last this many days from their creation (0: until revoked)
WAYPOINT_API_TOKEN_DAYS = int(os.environ.get("WAYPOINT_API_TOKEN_DAYS", "90"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The languages offered: a language is listed once its catalogue is complete
# (tests/core/test_translations.py fails on an untranslated or fuzzy entry in any of them).
# Each is named in its own language in the switch; these names are for everything else.
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ru", _("Russian")),
    ("az", _("Azerbaijani")),
    ("ar", _("Arabic")),
]
#: every language a catalogue is kept for (`make messages`), offered or not yet
WAYPOINT_CATALOGUE_LANGUAGES = ["fr", "es", "ru", "az", "ar"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# our additions to Django's formats for a language (Arabic figures grouped: waypoint/formats/)
FORMAT_MODULE_PATH = ["waypoint.formats"]
USE_I18N = True
USE_TZ = True
# the deployment's default: how times are shown, and the time zone of an administration that
# has not set its own (its administrators set it on the administration's settings page)
TIME_ZONE = os.environ.get("WAYPOINT_TIME_ZONE", "UTC")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
# uploads (evidence files, TRS data files): on shared storage when several app servers and
# workers serve one installation (docs/deployment.md)
MEDIA_ROOT = Path(os.environ.get("WAYPOINT_MEDIA_ROOT", VAR_DIR / "media"))
# Time Release Study files on the server that planners may register (nothing outside it),
# and where validated studies are kept
WAYPOINT_TRS_DATA = Path(os.environ.get("WAYPOINT_TRS_DATA", VAR_DIR / "trs-data"))
WAYPOINT_TRS_STUDIES = Path(os.environ.get("WAYPOINT_TRS_STUDIES", VAR_DIR / "trs-studies"))
# charts drawn for documents, kept by their spec so that a document made again does not draw
# them again (and the chart engine need not start); empty: no cache on disk
WAYPOINT_CHART_CACHE = os.environ.get("WAYPOINT_CHART_CACHE", str(VAR_DIR / "cache" / "charts"))
# DuckDB spills to disk beyond this while reading a dataset
WAYPOINT_TRS_MEMORY = os.environ.get("WAYPOINT_TRS_MEMORY", "3GB")
# rows of a CSV file or spreadsheet, and the unpacked size of a spreadsheet (an .xlsx is a zip
# archive); larger data comes as Parquet
WAYPOINT_TRS_MAX_ROWS = int(os.environ.get("WAYPOINT_TRS_MAX_ROWS", "2000000"))
WAYPOINT_TRS_MAX_SPREADSHEET_MB = int(os.environ.get("WAYPOINT_TRS_MAX_SPREADSHEET_MB", "100"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get("WAYPOINT_STATIC_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# larger uploads are spooled here while they arrive; what a killed server process left behind
# is swept away (core.middleware.UploadLimitMiddleware)
FILE_UPLOAD_TEMP_DIR = VAR_DIR / "uploads"
FILE_UPLOAD_TEMP_DIR.mkdir(exist_ok=True)
# no request body above this is read, uploads included (core.middleware.UploadLimitMiddleware);
# keep the proxy's limit (nginx client_max_body_size) the same. Larger TRS data is put in the
# TRS data directory and registered.
WAYPOINT_MAX_UPLOAD_MB = int(os.environ.get("WAYPOINT_MAX_UPLOAD_MB", "100"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
# Plan files (import, check): larger files and deeper nesting are refused before they are read
# into objects. The demo plan is about 0.4 MB and 7 levels deep; the size stays below
# DATA_UPLOAD_MAX_MEMORY_SIZE so that the API answers with the file's own message.
WAYPOINT_PLAN_FILE_MAX_BYTES = int(os.environ.get("WAYPOINT_PLAN_FILE_MAX_BYTES", str(16 * 1024 * 1024)))
WAYPOINT_PLAN_FILE_MAX_DEPTH = int(os.environ.get("WAYPOINT_PLAN_FILE_MAX_DEPTH", "32"))
# workbooks people upload (the plan workbook, actuals): a zip archive's unpacked size and any
# sheet's rows are checked before a cell is read (waypoint.engine.spreadsheets)
WAYPOINT_WORKBOOK_MAX_MB = int(os.environ.get("WAYPOINT_WORKBOOK_MAX_MB", "64"))
WAYPOINT_WORKBOOK_MAX_ROWS = int(os.environ.get("WAYPOINT_WORKBOOK_MAX_ROWS", "100000"))
# rendered documents (strategic plan, progress reports) are kept under MEDIA_ROOT/documents
# HR files (officers, assessments, training records): a file above this size, a workbook that
# unpacks to more than ten times it, or more rows, is refused before anything is written
WAYPOINT_PEOPLE_MAX_FILE_MB = int(os.environ.get("WAYPOINT_PEOPLE_MAX_FILE_MB", "10"))
WAYPOINT_PEOPLE_MAX_ROWS = int(os.environ.get("WAYPOINT_PEOPLE_MAX_ROWS", "50000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WAYPOINT_LOG_LEVEL", "INFO")},
    # axes tells of every sign-in at INFO; lockouts come at WARNING
    # WeasyPrint tells every layout step of every page at INFO
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50

# E-mail: notifications and reminders. The demo prints e-mails on the console; a deployment
# sets an SMTP server (docs/deployment.md). Links in e-mails start with WAYPOINT_BASE_URL.
EMAIL_BACKEND = os.environ.get("WAYPOINT_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("WAYPOINT_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("WAYPOINT_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("WAYPOINT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("WAYPOINT_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_flag("WAYPOINT_EMAIL_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("WAYPOINT_EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("WAYPOINT_EMAIL_FROM", "Waypoint <waypoint@localhost>")
WAYPOINT_BASE_URL = os.environ.get("WAYPOINT_BASE_URL", "http://127.0.0.1:8000")
