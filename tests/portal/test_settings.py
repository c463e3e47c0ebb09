"""Settings behave as the README promises, in a fresh interpreter each time."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
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


def test_sqlite_by_default_with_wal_and_immediate_transactions():
    result = run_django(
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['OPTIONS']['transaction_mode'], d['OPTIONS']['timeout'],"
        " 'journal_mode=WAL' in d['OPTIONS']['init_command'])",
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "IMMEDIATE", "20", "True"]


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


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("LANGUAGE_CODE", "fr"),
        ("TIME_ZONE", "Europe/Paris"),
        ("DEFAULT_AUTO_FIELD", "django.db.models.BigAutoField"),
        ("WAGTAIL_ENABLE_UPDATE_CHECK", False),
        ("WAGTAIL_GRAVATAR_PROVIDER_URL", None),
        ("WAGTAIL_ALLOW_UNICODE_SLUGS", False),
    ],
)
def test_locale_and_no_calls_to_the_outside(settings, name, expected):
    assert getattr(settings, name) == expected
