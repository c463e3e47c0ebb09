"""Local development: debug on, console e-mail, a fixed insecure key."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")  # noqa: F405
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")  # noqa: F405
EMAIL_BACKEND = os.environ.get(  # noqa: F405
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
# Static files straight from the apps' folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The demo admin signs in with its password alone (`make run`); TWO_FACTOR_REQUIRED=true to try
# the enrolment. An account that enrolled verifies anyway.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", False)  # noqa: F405
