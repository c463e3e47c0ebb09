"""Where the bench keeps its scratch data, and the environment each of its processes gets.

No Django import here: the orchestrator stays outside Django and starts one process per
database, because Django settings are fixed once per process.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PYTHON = sys.executable
# BENCH_PG_DATABASE: another scratch database, so that two benches never drop each other's.
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "traitdunion_bench")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
# Redis database 14 belongs to the bench, 15 to the test suite; BENCH_REDIS_URL names another,
# so that two benches on one machine never clear each other's cache.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SQLITE_PATH = VAR / "bench.sqlite3"


def base_env(engine: str, redis: bool = True, **extra: str) -> dict[str, str]:
    """Production settings with a bench key, plain HTTP and sign-up limits out of the way."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "REDIS_URL", "SQLITE_PATH"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="bench-only-" + "k" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        MEDIA_ROOT=str(VAR / "media"),
        STATIC_ROOT=str(VAR / "static"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        SIGNUP_RATE_LIMIT="1000000",
        MANAGE_RATE_LIMIT="1000000",  # the mixed phase opens manage pages from one address
        LOG_LEVEL="WARNING",
        CACHE_KEY_PREFIX="bench",
        PYTHONPATH=str(ROOT),
    )
    if engine == "postgres":
        env["DATABASE_URL"] = PG_URL
    else:
        env["SQLITE_PATH"] = str(SQLITE_PATH)
    if redis:
        env["REDIS_URL"] = REDIS_URL
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str], quiet: bool = False) -> None:
    out = subprocess.DEVNULL if quiet else None
    subprocess.run(args, env=env, cwd=ROOT, check=True, stdout=out)


def manage(env: dict[str, str], *args: str) -> None:
    run([PYTHON, "manage.py", *args], env, quiet=True)


def fresh_postgres() -> None:
    """Drop and re-create the scratch database (never any other)."""
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres") as conn:
        conn.autocommit = True
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_DATABASE}")


def fresh_sqlite() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)


def prepare(engine: str) -> dict[str, str]:
    """An empty scratch database of that engine, migrated; static files collected."""
    VAR.mkdir(parents=True, exist_ok=True)
    fresh_postgres() if engine == "postgres" else fresh_sqlite()
    env = base_env(engine)
    manage(env, "migrate", "--noinput")
    # Every time: a manifest from an older checkout makes `{% static %}` fail with a 500.
    manage(env, "collectstatic", "--noinput")
    return env


def setup_django() -> None:
    """For the bench's own worker processes, started with an environment from `base_env`."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
