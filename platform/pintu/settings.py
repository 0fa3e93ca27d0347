"""Pintu settings: everything from the environment (12-factor).

Development (the default) runs on embedded services with safe defaults;
``PINTU_ENV=production`` refuses to start without a real secret key and
allowed hosts.
"""
from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from pintu import deferred_imports
from pintu.storage.config import default_storage_from_env

# requests, PyYAML and uritemplate load when first used, not when DRF checks they are installed (issue #19).
deferred_imports.defer()

BASE_DIR = Path(__file__).resolve().parents[2]
PINTU_ENV = os.environ.get("PINTU_ENV", "development")
PRODUCTION = PINTU_ENV == "production"
TESTING = os.environ.get("PINTU_TESTING") == "1"


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


# --- Security -------------------------------------------------------------

_DEV_SECRET = "pintu-development-only-secret-key-not-for-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
DEBUG = env_bool("DEBUG", not PRODUCTION and not TESTING)

# The apex domain: the ministry console and applicant portal live on it,
# each regency on <subdomain>.<PINTU_DOMAIN>.
PINTU_DOMAIN = os.environ.get("PINTU_DOMAIN", "localhost")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else f"{PINTU_DOMAIN},.{PINTU_DOMAIN},testserver")

if PRODUCTION:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50:
        # 50: the length below which `check --deploy` (security.W009) warns.
        raise ImproperlyConfigured("PINTU_ENV=production needs SECRET_KEY (50+ characters, not the development key).")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("PINTU_ENV=production needs ALLOWED_HOSTS (e.g. 'pintu.go.id,.pintu.go.id').")

# --- Services: embedded unless the environment names them -----------------

if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
    if PRODUCTION:
        raise ImproperlyConfigured("PINTU_ENV=production needs DATABASE_URL and REDIS_URL.")
    from pintu import embedded

    embedded.ensure_environment()
if os.environ.get("PYTEST_XDIST_WORKER") and not PRODUCTION:
    from pintu import embedded

    embedded.test_worker_isolate()

DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"],
        engine="django_tenants.postgresql_backend",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A hot standby (streaming replication) for degraded mode: public reads while the primary is down
# (pintu.degraded). Unset: no degraded mode, a lost primary is a plain 503.
if os.environ.get("STANDBY_DATABASE_URL"):
    DATABASES["standby"] = dj_database_url.parse(
        os.environ["STANDBY_DATABASE_URL"],
        engine="django_tenants.postgresql_backend",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["standby"]["TEST"] = {"MIRROR": "default"}
# How often a process re-probes the primary, and how long one probe may wait for it.
DEGRADED_CHECK_SECONDS = float(os.environ.get("DEGRADED_CHECK_SECONDS", "2"))
PRIMARY_CONNECT_TIMEOUT = int(os.environ.get("PRIMARY_CONNECT_TIMEOUT", "2"))
DATABASE_ROUTERS = ("pintu.degraded.router.StandbyRouter", "django_tenants.routers.TenantSyncRouter")
REDIS_URL = os.environ["REDIS_URL"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Apps: public schema vs each regency's schema -------------------------

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "pintu.identity",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "pintu.web",
    "pintu.national",
    "billing_free",
    "permits.index",
    "permits.oss.hub",
    # Notifications' public rows: channel preference per account, the inbox across regencies.
    "pintu.notify.inbox",
    "pintu.console",
    # Daily service-level rollups per regency and heads' targets (issue #6); the applicant portal's profile.
    "pintu.dashboards",
    "pintu.portal",
    # Each regency's audit chain head, kept outside its schema (issue #14.10).
    "pintu.audit.anchors",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "pintu.access",
    "pintu.audit",
    "permits",
    "permits.oss",
    # Notifications per regency: templates, gateways, the outbox, reminder guard rows.
    "pintu.notify",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Regency"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
PUBLIC_SCHEMA_URLCONF = "pintu.urls_public"
ROOT_URLCONF = "pintu.urls_tenant"
# New regencies are cloned from a template schema that `migrate` keeps current.
TENANT_BASE_SCHEMA = "regency_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
SHOW_PUBLIC_IF_NO_TENANT_FOUND = False
# How links in e-mails, QR codes and PDFs reach the platform from outside.
PUBLIC_URL_SCHEME = os.environ.get("PUBLIC_URL_SCHEME", "https" if PRODUCTION else "http")
PUBLIC_URL_PORT = os.environ.get("PUBLIC_URL_PORT", "" if PRODUCTION else "8000")
DEFAULT_NOT_FOUND_TENANT_VIEW = "pintu.web.views.unknown_host"
GET_EXECUTOR_FUNCTION = "tenants.migration.executor_for"
# How long a process trusts its host -> regency cache before re-reading the generation.
ROUTING_CHECK_SECONDS = float(os.environ.get("ROUTING_CHECK_SECONDS", "1"))
# Issue `SET search_path` only when the schema changes, not before every query
# (django-tenants re-issues it after rollbacks and reconnects; tenants.routing.schema_activate).
TENANT_LIMIT_SET_CALLS = True

MIDDLEWARE = [
    # Probes answer first: any host (pod IP), no regency, no HTTPS redirect.
    "pintu.health.middleware.HealthMiddleware",
    # /metrics for the Prometheus scraper; times every request by URL name (pintu.metrics).
    "pintu.metrics.MetricsMiddleware",
    "pintu.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "pintu.web.middleware.ContentSecurityPolicyMiddleware",
    # ETag / If-None-Match (304) on GET /api/ answers, computed from the final body.
    "pintu.web.middleware.ApiConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Primary down and a standby configured: public reads from the standby, other requests a 503.
    "pintu.degraded.middleware.DegradedModeMiddleware",
    "tenants.middleware.RegencyMiddleware",
    # Anonymous public tracking answered from its cache here (one query checks it is current).
    "permits.middleware.TrackingPageCacheMiddleware",
    # Counts API calls per regency in Redis (one HINCRBY; flushed by billing_free.meters_flush).
    "billing_free.middleware.ApiCallMeterMiddleware",
    "pintu.web.middleware.RegencyTimeZoneMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Indonesian unless the person chose English (not the browser's Accept-Language).
    "pintu.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "pintu.web.middleware.RejectNulCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "platform" / "pintu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pintu.web.context_processors.platform",
                "pintu.console.context_processors.console",
            ],
        },
    }
]
WSGI_APPLICATION = "pintu.wsgi.application"

# --- Identity --------------------------------------------------------------

AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# The test suite hashes with MD5 first (tests/conftest.py sets PINTU_TEST_FAST_HASHER=1 for itself and the
# servers and workers it starts, which must read its hashes): Argon2 takes 0.1-1.5 s a password, and nearly
# every test makes accounts. Argon2 stays in the list; never in production.
if env_bool("PINTU_TEST_FAST_HASHER", False) and not PRODUCTION:
    PASSWORD_HASHERS.insert(0, "django.contrib.auth.hashers.MD5PasswordHasher")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
# A forgotten-password link works once and for this long (seconds; Django's token machinery).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(2 * 3600)))
LOGOUT_REDIRECT_URL = "web:home"

# Login throttling (django-axes): five failures lock the account+address for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# Single sign-on: one session cookie for the apex and every regency subdomain.
# Browsers refuse a Domain attribute on a single-label host such as `localhost`,
# so there the cookie is host-only (each subdomain signs in with the same account).
_cookie_domain = os.environ.get("SESSION_COOKIE_DOMAIN", f".{PINTU_DOMAIN}" if "." in PINTU_DOMAIN else "")
SESSION_COOKIE_DOMAIN = _cookie_domain or None
CSRF_COOKIE_DOMAIN = SESSION_COOKIE_DOMAIN
# The language a person picks holds on every subdomain, like the session.
LANGUAGE_COOKIE_DOMAIN = SESSION_COOKIE_DOMAIN
SESSION_COOKIE_AGE = 60 * 60 * 12
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "30"))
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS",
    f"http://{PINTU_DOMAIN}:8000,http://*.{PINTU_DOMAIN}:8000,https://{PINTU_DOMAIN},https://*.{PINTU_DOMAIN}",
)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
# Content-Security-Policy (django-csp): own origin only; inline style attributes allowed, no inline script.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        # A sign-in form's redirect chain ends on a regency subdomain (single sign-on hop);
        # a host source without a port only matches the default one, hence `:*`.
        "form-action": [SELF, f"*.{PINTU_DOMAIN}:*", f"{PINTU_DOMAIN}:*"],
        "frame-ancestors": [NONE],
    }
}

# --- API -------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Pintu's own tokens (pintu.identity.ApiToken): per regency, expiring, revocable, live roles.
        "pintu.identity.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "pintu.api_schema.PintuAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "pintu.api.exception_handler",
    # Per token (pintu.api_throttle); views with their own throttles (sign-in, feedback, lookups) keep theirs.
    "DEFAULT_THROTTLE_CLASSES": ["pintu.api_throttle.TokenRateThrottle", "pintu.api_throttle.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("API_RATE_TOKEN", "600/minute"),
        "anon": os.environ.get("API_RATE_ANON", "300/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pintu API", "VERSION": "1", "SERVE_INCLUDE_SCHEMA": False,
    "DESCRIPTION": (
        "One document per host: the apex (ministry, applicants across regencies, national open data) and "
        "each regency subdomain (its catalog, applications, counter, feedback, open data). Paths are "
        "versioned under /api/v1/. Errors answer {code, message}; see each operation's permission."),
    # Swagger UI and Redoc from our own static files (drf-spectacular-sidecar): nothing from the internet.
    # Tags and generated operation ids start after /api/ ("v1", "v1_auth_token_create"), on both hosts. (Left
    # to drf-spectacular it is the paths' common prefix, which depends on which views it enumerates.)
    "SCHEMA_PATH_PREFIX": "/api",
    "DEFAULT_GENERATOR_CLASS": "pintu.api_schema.PintuSchemaGenerator",
    "SWAGGER_UI_DIST": "SIDECAR", "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "pintu.api_schema.add_error_components"],
    # One schema name per choice set: several serializers share these fields ("kind", "status", actions).
    "ENUM_NAME_OVERRIDES": {
        "ActionEnum": "permits.models.workflow.Action",
        "ApplicationKindEnum": "permits.models.applications.Application.Kind",
        "ApplicationStatusEnum": "permits.models.applications.Application.Status",
        "FormFieldKindEnum": "permits.models.catalog.FormField.Kind",
    },
}

# --- Cache, Celery ---------------------------------------------------------

CACHES = {
    "default": {
        "BACKEND": "pintu.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    },
    # This process's own, in front of Redis, for values whose key names their content (a page's stamp).
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pintu-local",
        "OPTIONS": {"MAX_ENTRIES": 1000},
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    },
    # Keys that belong to no regency (e.g. the routing generation).
    "platform": {"BACKEND": "pintu.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "pintu"},
}
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = "Asia/Jakarta"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Tests give each session its own queue so a worker never picks up another run's messages.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
# Periodic work; apps add their entries with CELERY_BEAT_SCHEDULE[...] = {...} (never reassign the dict).
CELERY_BEAT_SCHEDULE = globals().get("CELERY_BEAT_SCHEDULE", {})
# API-call counts from Redis into the usage meters, officer levels, unsent quota alerts (billing_free).
CELERY_BEAT_SCHEDULE["billing_free.meters_flush"] = {"task": "billing_free.meters_flush", "schedule": 300.0}
# Notifications (pintu.notify, issue #5): re-queue unsent messages; per regency, hourly, in its own zone:
# step reminders, late-step digests, fiktif positif grants, permit expiry reminders (permits.tasks).
CELERY_BEAT_SCHEDULE["notify.outbox_sweep"] = {"task": "notify.outbox_sweep", "schedule": 120.0}
CELERY_BEAT_SCHEDULE["oss.sweep"] = {"task": "oss.sweep", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["oss.references_refresh"] = {"task": "oss.references_refresh", "schedule": 86400.0}
CELERY_BEAT_SCHEDULE["permits.sla_tick"] = {"task": "permits.sla_tick", "schedule": 3600.0}
# The ministry console's per-regency figures (officers, permit types, applications, storage).
CELERY_BEAT_SCHEDULE["console.regency_snapshots_refresh"] = {"task": "console.regency_snapshots_refresh", "schedule": 3600.0}
# Dashboards' daily rollup per regency (its today and yesterday, upserted), so national pages read public rows.
CELERY_BEAT_SCHEDULE["dashboards.rollup"] = {"task": "dashboards.rollup", "schedule": 300.0}
# Each regency's audit chain verified from its first entry (/audit/ itself checks only newer entries).
CELERY_BEAT_SCHEDULE["audit.verify_all"] = {"task": "audit.verify_all", "schedule": 86400.0}
NOTIFY_SEND_LEASE_SECONDS = int(os.environ.get("NOTIFY_SEND_LEASE_SECONDS", "120"))
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "6"))
NOTIFY_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFY_RETRY_BASE_SECONDS", "60"))

# --- Email -----------------------------------------------------------------

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    # Outside production: files in var/mail/ with readable headers (pintu.mail).
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "pintu.mail.ReadableFileEmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"Pintu <noreply@{PINTU_DOMAIN}>")

# --- Language, time ----------------------------------------------------------

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "platform" / "pintu" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"  # the platform's; each regency shows its own zone

# --- Static and media files ------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    # Documents: private S3 bucket when S3_BUCKET/S3_ENDPOINT_URL/S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY
    # are set, else local disk under MEDIA_ROOT (see pintu.storage).
    "default": default_storage_from_env(),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production (demo, tests, gunicorn in the browser tests) WhiteNoise serves apps' static files
# (the API docs' Swagger UI/Redoc from drf-spectacular-sidecar) without a collectstatic step, each
# looked up when asked for (autorefresh) instead of every app's files indexed whenever a handler
# starts: the test client starts one per client, ~4 ms each (15 % of the isolation probes' time).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# --- Electronic signatures (permits.documents.signing) -----------------------
# local: PAdES with the regency's certificate (a configured PKCS#12 in production, else the
# development identity made at provisioning); bsre: the national CA's signing API.
# Not `SIGNING_BACKEND`: that name is Django's own (the cookie signer class).
PERMIT_SIGNING_BACKEND = os.environ.get("PERMIT_SIGNING_BACKEND", "local")
SIGNING_PKCS12_PATH = os.environ.get("SIGNING_PKCS12_PATH", "")
SIGNING_PKCS12_PASSWORD = os.environ.get("SIGNING_PKCS12_PASSWORD", "")
SIGNING_TRUST_ROOTS = env_list("SIGNING_TRUST_ROOTS")
BSRE_BASE_URL = os.environ.get("BSRE_BASE_URL", "")
# OSS RBA (issue #17, docs/oss.md): where Pintu reports to (in the demo and tests, deploy/oss_simulator),
# the national fallback of the user_key OSS issued (each regency may hold its own), limits.
OSS_BASE_URL = os.environ.get("OSS_BASE_URL", "")
OSS_USER_KEY = os.environ.get("OSS_USER_KEY", "")
OSS_TIMEOUT_SECONDS = float(os.environ.get("OSS_TIMEOUT_SECONDS", "10"))
OSS_MAX_BODY_BYTES = int(os.environ.get("OSS_MAX_BODY_BYTES", str(2 * 1024 * 1024)))
OSS_RETRY_BASE_SECONDS = float(os.environ.get("OSS_RETRY_BASE_SECONDS", "30"))
# How long a claimed send is left to its worker before another one asks OSS whether it arrived.
OSS_SEND_LEASE_SECONDS = int(os.environ.get("OSS_SEND_LEASE_SECONDS", "60"))
BSRE_USERNAME = os.environ.get("BSRE_USERNAME", "")
BSRE_PASSWORD = os.environ.get("BSRE_PASSWORD", "")

# --- Logging, errors -------------------------------------------------------

from pintu.logging import logging_config  # noqa: E402

# JSON lines with regency, request id and user id in production (LOG_FORMAT=json|plain overrides).
LOGGING = logging_config(
    json_format=os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "plain") == "json",
    level=os.environ.get("LOG_LEVEL", "INFO"),
)

SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from pintu.sentry import sentry_init

    sentry_init(dsn=SENTRY_DSN, environment=PINTU_ENV)
