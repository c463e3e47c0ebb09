"""Settings behave as the README promises, in a fresh interpreter each time.

Each subprocess only loads the settings module (what the environment decides happens there);
`manage.py check --deploy` loads the whole project.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from django.db import connection, transaction

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "x" * 20 + "-production-secret-for-tests-only-0123456789"


# Variables a developer or the test run may have set, which would change what is checked.
LEAKY = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def clean_env(**env) -> dict:
    environment = {key: value for key, value in os.environ.items() if key not in LEAKY}
    environment.update(env)
    return environment


def run_django(code: str, **env) -> subprocess.CompletedProcess:
    environment = clean_env(**env)
    return subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; settings.DEBUG; {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django(
        "pass", DJANGO_SETTINGS_MODULE="portal.settings.production", ALLOWED_HOSTS="example.fr"
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_django(
        "pass",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        ALLOWED_HOSTS="example.fr",
        SECRET_KEY="short",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_django(
        "pass", DJANGO_SETTINGS_MODULE="portal.settings.production", SECRET_KEY=GOOD_SECRET
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


def test_production_deploy_check_is_clean():
    environment = clean_env(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="portail.example.fr",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.engine
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own journal and locking")
def test_sqlite_runs_in_wal_and_takes_the_write_lock_when_a_transaction_begins():
    """What the booking guard relies on there: a transaction that has not written anything yet
    already keeps every other writer out, and readers are not blocked meanwhile (WAL)."""
    path = connection.settings_dict["NAME"]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("SELECT 1")  # a read only: no write has happened
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("SELECT count(*) FROM django_migrations").fetchone()
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()
    # The control: once our transaction is over, the same request succeeds at once.
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_database_url_switches_to_postgresql():
    result = run_django(
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['HOST'])",
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL="postgres://user:pw@db.internal:5432/portail",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "portail", "db.internal"]


def test_redis_url_switches_the_cache_to_redis():
    result = run_django(
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.stdout.strip() == "portal.cache_backend.ResilientRedisCache"
