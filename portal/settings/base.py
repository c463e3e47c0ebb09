"""Settings shared by every environment; environment files only override what differs."""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "portal",
    "residences",
    "events",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "axes",
    "csp",
    # Two-step verification (#15): django-otp's TOTP devices and recovery codes, our pages.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal.twofactor",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files with compression and far-future cache headers, straight from the app.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole public pages for visitors without a session, before any session or query.
    "portal.cache.pages.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # No line break before « : ; ! ? » or inside « » on public pages (portal/typography.py).
    "portal.typography.FrenchTypographyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sets user.is_verified(); then both admins stay closed until the second step (#15).
    "django_otp.middleware.OTPMiddleware",
    "portal.twofactor.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The admin user's language for the whole admin request, refusals included.
    "portal.admin_language.AdminLanguageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "portal.security.ContentSecurityPolicyMiddleware",
    "portal.security.PermissionsPolicyMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the French lockout page.
    "axes.middleware.AxesMiddleware",
]

# Security headers in every environment, so that tests and browser tests run under them.
# Public pages: nothing inline at all and nothing from another origin (the admin gets its own
# policy in portal/security.py). No per-response nonce either, so a page served from the cache
# is exactly as safe as a fresh one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Admin login: django-axes locks a username from an address after repeated failures.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
# One username from one address: a guessing script is stopped, colleagues elsewhere are not.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_CLIENT_IP_CALLABLE = "portal.throttle.client_ip"
# Logs and the attempts table never show a username or an address in clear.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"

# Two-step verification for staff (portal/twofactor/policy.py): required for administrators and
# managers, for mediators when the site setting says so. Development and tests turn the
# requirement off by default (accounts that enrolled still verify); production forces it on.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = os.environ.get("SITE_NAME", "Trait d'union")
# django-otp's throttling: after n wrong codes, the next try waits 2^(n-1) seconds.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The Django admin's device pages never show a secret or its QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
            # French dates (« 1er décembre ») in every template, without {% load %}.
            "builtins": ["portal.templatetags.french"],
        },
    },
]

# Database: an SQLite file by default; DATABASE_URL (postgres://…) switches to PostgreSQL.
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", BASE_DIR / "var" / "db.sqlite3"))
SQLITE_OPTIONS = {
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of failing
    # with "database is locked" half-way through a transaction.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"],
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, else files under CACHE_DIR (var/cache).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Pages are served uncached, not failed, when Redis does not answer.
            "BACKEND": "portal.cache_backend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "tdu"),
            # A loaded host answers slowly, not never: timeouts far above a busy Redis's
            # answer, and a circuit that opens only after consecutive failures (a dead Redis
            # then costs nothing until the next probe).
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("CACHE_CONNECT_TIMEOUT", "1")),
                "socket_timeout": float(os.environ.get("CACHE_SOCKET_TIMEOUT", "2")),
                "CIRCUIT_FAILURES": int(os.environ.get("CACHE_CIRCUIT_FAILURES", "5")),
                "CIRCUIT_COOLDOWN": float(os.environ.get("CACHE_CIRCUIT_COOLDOWN", "15")),
            },
        }
    }
else:
    # Files, not process memory: the processes of one machine share fragments, feeds and the
    # generations that invalidate them (portal/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }

# Whole public pages from the cache (portal/cache/pages.py) for visitors without a session, for
# this many seconds at most (0: off). Time moves (today's permanence, an alert's window), hence
# a short life; a publish makes stale at once what shows it.
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "120"))
# The query parameters public pages read (agenda and news filters, pages, « toutes les dates »);
# any other parameter is served uncached, so junk query strings cannot fill the cache.
PAGE_CACHE_PARAMS = [
    "residence",
    "secteur",
    "categorie",
    "periode",
    "public",
    "du",
    "au",
    "page",
    "toutes",
]
# Never looked up: the admin, sign-up and manage links, documents (collection privacy),
# search (what people type), the health check.
PAGE_CACHE_SKIP_PREFIXES = [
    "/admin/",
    "/django-admin/",
    "/inscription/",
    "/i/",
    "/documents/",
    "/recherche/",
    "/healthz",
    "/static/",
    "/media/",
    # Feeds and printouts: cached by their own views (portal/cache/responses.py) or not at all.
    "/calendrier/",
    "/flux/",
    "/programme/imprimer/",
    "/permanences/imprimer/",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time: the public site speaks French; the admin offers French and English.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAIL_ALLOW_UNICODE_SLUGS = False

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded files on S3-compatible storage (e.g. Scaleway, OVHcloud, MinIO): install
# django-storages[s3] and set MEDIA_S3_BUCKET (credentials in AWS_* variables, see README).
if os.environ.get("MEDIA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["MEDIA_S3_BUCKET"],
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Files with a hashed name (production's manifest storage) are served "immutable" for ten years
# by whitenoise whatever this says; this is the cache time of the others (an hour).
WHITENOISE_MAX_AGE = 60 * 60

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Background tasks (e-mails, Wagtail's reference index): the database backend of django-tasks
# with `manage.py db_worker` in production; at once, in the request, for `make run` and tests.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS = {"default": {"BACKEND": TASK_BACKENDS[os.environ.get("TASKS_BACKEND", "immediate")]}}

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Trait d'union")
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Created by portal/migrations/0002: French stemming that also ignores accents.
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "french_unaccent"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "xlsx", "ods", "csv", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Documents always go through Wagtail's view, which applies collection privacy (a sector's
# documents are for its team); never a direct link to the file or the bucket.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_MODERATION_ENABLED = True

# E-mail: console in development, any SMTP server through the environment in production.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Trait d'union <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Logging: one line per record, no personal data (ids only, never names or contacts) and
# private tokens masked wherever a path is written (portal/logs.py). JSON in production.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "portal.logs.RedactTokens"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "portal.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("LOG_FORMAT", "plain"),
            "filters": ["redact_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's request loggers propagate to the root handler, so they are masked too.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Its DEBUG records print whole template contexts (recovery codes, personal data).
        "django.template": {"level": "INFO"},
    },
}

PORTAL_NAME = _("Trait d'union")

# Behind a proxy: which proxies are ours (their addresses or networks, or how many there are),
# and the header they append the client's address to. With none declared, REMOTE_ADDR is used
# and forwarded headers are ignored (a client writes them as it likes).
TRUSTED_PROXIES = [
    ipaddress.ip_network(value.strip(), strict=False)
    for value in os.environ.get("TRUSTED_PROXIES", "").split(",")
    if value.strip()
]
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT") or "0")
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR")
SIGNUP_RATE_LIMIT = int(os.environ.get("SIGNUP_RATE_LIMIT", "20"))  # sign-ups per IP per hour
MANAGE_RATE_LIMIT = int(
    os.environ.get("MANAGE_RATE_LIMIT", "60")
)  # manage-link hits per IP, 10 min
SEARCH_RATE_LIMIT = int(os.environ.get("SEARCH_RATE_LIMIT", "120"))  # searches per IP, 10 min
# Personal data of registrations is erased this many days after the date.
REGISTRATION_RETENTION_DAYS = int(os.environ.get("REGISTRATION_RETENTION_DAYS", "30"))
# Mediation situations: personal details erased this many months after closing (README).
SITUATION_RETENTION_MONTHS = int(os.environ.get("SITUATION_RETENTION_MONTHS", "24"))
# Tenants' requests for a mediator's help, per client IP per hour.
HELP_REQUEST_RATE_LIMIT = int(os.environ.get("HELP_REQUEST_RATE_LIMIT", "5"))

# Occurrences of series are materialised this far ahead; `extend_occurrences` (daily) moves it.
OCCURRENCE_HORIZON_DAYS = int(os.environ.get("OCCURRENCE_HORIZON_DAYS", str(18 * 31)))
# Calendar subscribers are told to refresh this often (REFRESH-INTERVAL, X-PUBLISHED-TTL).
CALENDAR_REFRESH_HOURS = 6
# Public holidays skipped by permanences (events/calendar/holidays.py): "metropole",
# "alsace-moselle", "guadeloupe", "martinique", "guyane", "la-reunion", "mayotte", … (checked).
PUBLIC_HOLIDAYS_REGION = os.environ.get("PUBLIC_HOLIDAYS_REGION", "metropole")
# Right-hand side of calendar UIDs: stable for the life of the portal, never a person's address.
CALENDAR_UID_DOMAIN = os.environ.get("CALENDAR_UID_DOMAIN", "trait-d-union.portail")

# Text messages to households that asked for them (portal/sms/): backend, sender, provider.
from .sms import *  # noqa: E402, F403
