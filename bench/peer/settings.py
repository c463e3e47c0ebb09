"""Django settings of the peer's tiny project: django-scheduler 0.12 on SQLite, nothing else.

Run only by `bench/peer/run.py`, inside `.venv-peer` (the peer is pip-installed there; none of
its code lives in this repository). The database path comes from PEER_SQLITE_PATH.
"""

import os

SECRET_KEY = "peer-bench-only-" + "p" * 40
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "schedule",
]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.peer.urls"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("PEER_SQLITE_PATH", "var/bench/peer.sqlite3"),
    }
}
TEMPLATES: list[dict] = []
USE_TZ = True
TIME_ZONE = "Europe/Paris"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
