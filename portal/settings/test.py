"""Test settings: the development settings with speed knobs only."""

from .dev import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "portal.sms.backends.locmem.SmsBackend"
ALLOWED_HOSTS = ["*"]
# TEST_DB_SUFFIX lets two suites run side by side on one machine (their own files and databases).
SUFFIX = os.environ.get("TEST_DB_SUFFIX", "")  # noqa: F405
MEDIA_ROOT = BASE_DIR / "var" / f"test-media{SUFFIX}"  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Off whatever the environment says, so `client.force_login` and the browser tests reach the
# admin; tests/portal/test_two_factor.py turns it on.
TWO_FACTOR_REQUIRED = False

# A file, not memory: live-server and concurrency tests use real connections from other threads.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test{SUFFIX}.sqlite3")}  # noqa: F405
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}{SUFFIX}"}  # noqa: F405

# Whole-page caching off by default: most tests change rows directly; the tests of the page
# cache (tests/portal/test_page_cache.py, tests/events/test_precise_invalidation.py) turn it on.
PAGE_CACHE_TIMEOUT = 0

# Process memory unless Redis is asked for (CI's second pass): no files shared between suites.
if not REDIS_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
