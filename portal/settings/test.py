"""Test settings: the development settings with speed knobs only."""

from .dev import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
