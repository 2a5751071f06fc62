"""Settings for development, the demo and the tests.

Production imports these and tightens them: see `settings_production.py`.
With DATABASE_URL unset the embedded PostgreSQL under var/ is started and used.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext

from inspectorate.lib.env import integer as env_integer

django_stubs_ext.monkeypatch()  # lets generic Django classes (ModelAdmin[Model]) be subscripted

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "development-only-secret-key-never-used-in-production-0123456789"
)
# Off unless asked for: Django's technical error pages list every URL pattern and setting.
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "pgtrigger",
    "pghistory",  # no "pghistory.admin": audit events are read on the service's logged screens
    "procrastinate.contrib.django",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "inspectorate.audit",
    "inspectorate.accounts",
    "inspectorate.estate",
    "inspectorate.inspectors",
    "inspectorate.frameworks",
    "inspectorate.programme",
    "inspectorate.planner",
    "inspectorate.inspections",
    "inspectorate.improvement",
    "inspectorate.safeguarding",
    "inspectorate.complaints",
    "inspectorate.calendars",
    "inspectorate.reports",
    "inspectorate.api",
    "inspectorate.imports",
    "inspectorate.retention",
    "inspectorate.shell",
]

MIDDLEWARE = [
    "inspectorate.shell.security.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "inspectorate.accounts.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "inspectorate.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "inspectorate.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
    "inspectorate.shell.middleware.IdempotentFormsMiddleware",
]

ROOT_URLCONF = "inspectorate.urls"
WSGI_APPLICATION = "inspectorate.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inspectorate.shell.context_processors.service",
            ],
            "builtins": [
                "inspectorate.shell.templatetags.idempotency",
                "inspectorate.shell.templatetags.wording",
            ],
        },
    },
]


def _database_url() -> str:
    configured = os.environ.get("DATABASE_URL")
    if configured:
        return configured
    from inspectorate.lib.embedded_db import database_url

    return database_url(BASE_DIR)


# Persistent connections are kept per worker thread: right for gunicorn's sync workers (one
# thread each, a bounded count), checked before reuse. The development server opens a thread
# per request, so it closes each connection at the end of its request (see DATABASE_CONN_MAX_AGE).
DATABASES = {
    "default": dj_database_url.parse(
        _database_url(),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# The service names itself to PostgreSQL: an audit event written with no user and no command
# records the connection's application name, so a write from psql is told apart (audit/context.py).
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("application_name", "inspectorate")
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("INSPECTORATE_TEST_DATABASE")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Accounts: Argon2, throttled sign-in, idle sessions, two-factor for staff roles.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "shell:dashboard"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Sign-in limits (accounts/sign_in_limits.py). The client is the address our proxies saw,
# never a header the client wrote: INSPECTORATE_TRUSTED_PROXY_COUNT is how many proxies of
# ours stand in front (0 here: X-Forwarded-For is ignored; 1 in production). Wrong passwords
# of the last hour (SIGN_IN_WINDOW) are then limited three ways, so that neither guessing
# nor locking a stranger's account out works:
# - a username from one client: 5 failures pause that pair for 15 minutes after the latest
#   (the guesser's own pause; the owner elsewhere is not held by it);
# - a username from any client: from 5 failures each attempt waits 30 s after the latest
#   failure, doubling per failure up to 5 minutes, so a botnet gets about 12 guesses an hour
#   at one account and its owner waits at most 5 minutes after the attack stops;
# - one client across usernames (password spraying): 20 failures pause it for 15 minutes.
# Attempts refused while paused are not counted, so they cannot prolong the pause.
INSPECTORATE_TRUSTED_PROXY_COUNT = env_integer("INSPECTORATE_TRUSTED_PROXY_COUNT", 0)
SIGN_IN_WINDOW = timedelta(hours=1)
SIGN_IN_FAILURE_LIMIT = 5
SIGN_IN_PAUSE = timedelta(minutes=15)
SIGN_IN_ACCOUNT_DELAY_AFTER = 5
SIGN_IN_ACCOUNT_DELAY_FIRST = timedelta(seconds=30)
SIGN_IN_ACCOUNT_DELAY_MAX = timedelta(minutes=5)
SIGN_IN_CLIENT_FAILURE_LIMIT = 20
AXES_FAILURE_LIMIT = SIGN_IN_FAILURE_LIMIT
AXES_COOLOFF_TIME = SIGN_IN_WINDOW  # how long axes keeps a failure: the window counted
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "inspectorate.accounts.sign_in_limits.client_address"
AXES_HANDLER = "inspectorate.accounts.sign_in_limits.SignInLimitsHandler"
AXES_LOCKOUT_CALLABLE = "inspectorate.accounts.sign_in_limits.lockout_response"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# How long a form's token or an API Idempotency-Key is remembered (inspectorate.lib.idempotency).
IDEMPOTENCY_KEY_LIFETIME_HOURS = 24

# Password reset by e-mail (accounts/services_recovery.py): the link works once, for an hour;
# at most 3 requests an hour for one address and 10 from one client.
PASSWORD_RESET_TIMEOUT = 60 * 60
PASSWORD_RESET_THROTTLE_WINDOW = timedelta(hours=1)
PASSWORD_RESET_MAX_PER_ADDRESS = 3
PASSWORD_RESET_MAX_PER_CLIENT = 10

SESSION_COOKIE_AGE = 30 * 60  # idle timeout: every request renews it
# ...but never beyond this from sign-in (accounts.middleware.SessionLifetimeMiddleware).
SESSION_ABSOLUTE_LIFETIME = 10 * 60 * 60
# Publishing, role changes and whole-programme exports need the password (and the second
# factor when required) given within this many seconds (accounts.reauth).
REAUTHENTICATION_WINDOW = 15 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Two-factor sign-in is required for every staff role in production; the demo and the
# tests leave it optional so that the demo sign-in is a username and a password.
REQUIRE_TWO_FACTOR = os.environ.get("INSPECTORATE_REQUIRE_TWO_FACTOR", "0") == "1"
OTP_TOTP_ISSUER = "Inspectorate"

# Audit trail (pghistory): events are append-only; each carries the request or command.
PGHISTORY_APPEND_ONLY = True
PGHISTORY_INSTALL_CONTEXT_FUNC_ON_MIGRATE = True
# Signed checkpoints of the audit chain's head, kept outside the database (audit/checkpoints.py).
# The key must not be readable by the database: production requires it from the environment;
# development and the demo create a key file under var/ on first use (mode 0600).
INSPECTORATE_AUDIT_KEY = os.environ.get("INSPECTORATE_AUDIT_KEY", "")
INSPECTORATE_AUDIT_KEY_FILE = BASE_DIR / "var" / "audit.key"
# The append-only log of checkpoints; unset: var/audit-checkpoints/<database name>.jsonl.
INSPECTORATE_AUDIT_CHECKPOINTS = os.environ.get("INSPECTORATE_AUDIT_CHECKPOINTS") or None

# Background work (procrastinate, on PostgreSQL): each app's tasks.py is discovered.
# Each worker writes a heartbeat every WORKER_HEARTBEAT_SECONDS; one silent for
# WORKER_LOST_AFTER_SECONDS is taken for dead and the jobs it was doing are queued again by
# the periodic sweep (lib/jobs.jobs_lost_recover, every JOBS_SWEEP_CRON).
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("INSPECTORATE_WORKER_HEARTBEAT_SECONDS", "10"))
WORKER_LOST_AFTER_SECONDS = float(os.environ.get("INSPECTORATE_WORKER_LOST_AFTER_SECONDS", "30"))
# Every minute by default; the fault drill sweeps every few seconds ("* * * * * */5").
JOBS_SWEEP_CRON = os.environ.get("INSPECTORATE_JOBS_SWEEP_CRON", "* * * * *")
# /readyz answers "not ready" when a lost worker's job has not been taken up again this long
# after the worker was taken for dead, or a job has waited this long for any worker.
READY_STALLED_GRACE_SECONDS = float(os.environ.get("INSPECTORATE_READY_STALLED_GRACE", "120"))
READY_QUEUE_OVERDUE_SECONDS = float(os.environ.get("INSPECTORATE_READY_QUEUE_OVERDUE", "600"))
PROCRASTINATE_WORKER_DEFAULTS = {
    "update_heartbeat_interval": WORKER_HEARTBEAT_SECONDS,
    "stalled_worker_timeout": WORKER_LOST_AFTER_SECONDS,
}

# Scheduled backups (shell/backup_schedule.py): with INSPECTORATE_BACKUP_DIR set, a worker
# writes one at BACKUP_CRON (UTC) and keeps the newest of each of the last BACKUP_KEEP_DAILY
# days and BACKUP_KEEP_WEEKLY weeks; unset, use `manage.py backup_scheduled` from cron.
BACKUP_FOLDER = os.environ.get("INSPECTORATE_BACKUP_DIR", "")
BACKUP_CRON = os.environ.get("INSPECTORATE_BACKUP_CRON", "15 1 * * *")
BACKUP_INTERVAL_HOURS = float(os.environ.get("INSPECTORATE_BACKUP_INTERVAL_HOURS", "24"))
BACKUP_KEEP_DAILY = int(os.environ.get("INSPECTORATE_BACKUP_KEEP_DAILY", "7"))
BACKUP_KEEP_WEEKLY = int(os.environ.get("INSPECTORATE_BACKUP_KEEP_WEEKLY", "5"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True  # serve from STATICFILES_DIRS without collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = "Inspectorate <no-reply@inspectorate.invalid>"
# The service's address, put in front of every link in an e-mail (an e-mail has no "here").
SITE_URL = os.environ.get("INSPECTORATE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Security headers on every response (inspectorate/shell/security.py). Every script and style
# is a file of our own; charts are SVG with presentation attributes, not style attributes.
CONTENT_SECURITY_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

SERVICE_NAME = "Inspectorate"
SERVICE_PHASE = "Beta"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "inspectorate": {"level": "INFO"},
        "procrastinate": {"level": "WARNING"},
    },
}

# One cache in PostgreSQL, shared by every server process, so that throttling (token issuing)
# counts across all workers; its table is made by the api app's migration 0002.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "inspectorate_cache",
    }
}

# REST API (inspectorate/api): tokens for other systems, sessions for the browser; one error
# shape; throttled token issuing. See README "## API".
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "inspectorate.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "inspectorate.api.permissions.TokenScopeAllows",
    ],
    "DEFAULT_PAGINATION_CLASS": "inspectorate.api.filters.Pages",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "inspectorate.api.filters.QueryFilters",
        "inspectorate.api.filters.StableOrdering",
    ],
    "DEFAULT_THROTTLE_RATES": {"api_tokens": "10/hour"},
    "EXCEPTION_HANDLER": "inspectorate.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "inspectorate.api.renderers.BrowsableRenderer",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Inspectorate API",
    "DESCRIPTION": (
        "The inspection programme, teams, milestones, fieldwork, judgements, recommendations, "
        "improvement cases and complaints, as far as the caller may see them. Writes need "
        "If-Match with the record's version (ETag)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "EventStatusEnum": "inspectorate.programme.constants.EventStatus",
        "ProgrammeStatusEnum": "inspectorate.programme.constants.ProgrammeStatus",
        "MilestoneStatusEnum": "inspectorate.programme.constants.MilestoneStatus",
        # Establishments and improvement cases share one choice set: open or closed.
        "OpenClosedEnum": "inspectorate.estate.constants.EstablishmentStatus",
        "JudgementStatusEnum": "inspectorate.inspections.constants.JudgementStatus",
        "ComplaintStatusEnum": "inspectorate.complaints.constants.Status",
        "EventKindEnum": "inspectorate.programme.constants.EventKind",
        "EstablishmentKindEnum": "inspectorate.estate.constants.EstablishmentKind",
        "FollowUpKindEnum": "inspectorate.inspections.constants.FollowUpKind",
        "OrganisationEnum": "inspectorate.inspectors.constants.Organisation",
        "RegionEnum": "inspectorate.estate.constants.Region",
        "PlanRunStatusEnum": "inspectorate.planner.constants.RunStatus",
        "AspectKindEnum": "inspectorate.frameworks.constants.AspectKind",
        "AppliesPerEnum": "inspectorate.frameworks.constants.AppliesPer",
        "RuleKindEnum": "inspectorate.frameworks.constants.RuleKind",
        "GradeOptionStatusEnum": "inspectorate.frameworks.constants.OptionStatus",
        "InspectionStageEnum": "inspectorate.inspections.constants.Stage",
        "ComplaintStageEnum": "inspectorate.complaints.constants.Stage",
        "ReportKindEnum": "inspectorate.reports.constants.ReportKind",
        "ReportStageEnum": "inspectorate.reports.constants.ReportStage",
        "RenderStatusEnum": "inspectorate.reports.constants.RenderStatus",
        "CommentOutcomeEnum": "inspectorate.reports.constants.CommentOutcome",
        "UnavailabilityKindEnum": "inspectorate.inspectors.constants.UnavailabilityKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "inspectorate.api.idempotency.schema_document_key",
        "inspectorate.api.schema.document_errors",
        "inspectorate.api.schema.document_etags",
    ],
    # Swagger UI's files from drf-spectacular-sidecar, served as our own static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
