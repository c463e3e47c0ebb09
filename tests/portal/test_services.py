"""The suite runs against the database and cache the environment names (CI's PostgreSQL pass)."""

import os

import pytest

from django.core.cache import cache
from django.db import connection


@pytest.mark.django_db
def test_database_engine_matches_database_url():
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected


def test_cache_backend_matches_redis_url(settings):
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend.endswith("RedisCache" if os.environ.get("REDIS_URL") else "LocMemCache")
    cache.set("tdu-test-key", "présent", 5)
    assert cache.get("tdu-test-key") == "présent"


def test_the_suite_runs_with_the_test_settings(settings):
    # `make test` once exported the dev settings, whose in-memory test database cannot be
    # shared by the threads of the concurrency and browser tests.
    assert settings.SETTINGS_MODULE == "portal.settings.test"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
