"""Production settings: DEBUG off, every secret from the environment, HTTPS only.

A missing secret stops the process at start-up with a message naming it (MissingSetting).
Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, INSPECTORATE_AUDIT_KEY (the
key that signs the audit checkpoints; the database must not hold it). Recommended:
INSPECTORATE_AUDIT_CHECKPOINTS, a file on write-once storage (`check --deploy` warns without it).
"""

from __future__ import annotations

from inspectorate.lib.env import integer, required, required_list

# Read before the base settings so that the embedded database is never started here.
_DATABASE_URL = required("DATABASE_URL")
_SECRET_KEY = required("DJANGO_SECRET_KEY")
_ALLOWED_HOSTS = required_list("DJANGO_ALLOWED_HOSTS")
_AUDIT_KEY = required("INSPECTORATE_AUDIT_KEY")

from inspectorate.settings import *  # noqa: E402,F403

SECRET_KEY = _SECRET_KEY
ALLOWED_HOSTS = _ALLOWED_HOSTS
INSPECTORATE_AUDIT_KEY = _AUDIT_KEY
DEBUG = False
REQUIRE_TWO_FACTOR = True

SECURE_SSL_REDIRECT = True
# Health and readiness are probed over plain HTTP from inside the deployment.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
# The proxy that terminates HTTPS appends the client's address to X-Forwarded-For.
INSPECTORATE_TRUSTED_PROXY_COUNT = integer("INSPECTORATE_TRUSTED_PROXY_COUNT", 1)

STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
