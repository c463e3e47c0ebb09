"""Production set-up: /healthz, logs without tokens, gunicorn's access log, the task worker."""

import io
import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from django.conf import settings
from django.db import OperationalError, connection

from portal import health
from portal.logs import RedactTokens, redact

pytestmark = pytest.mark.engine

ROOT = Path(settings.BASE_DIR)
TOKEN = "Zq3x9N1d2Kf7Lm0pQrStUvWxYz0123456789abcdEFGH"


def without_circuit(response) -> dict:
    """The body without the circuit's state, which only the Redis backend has (CI's pass 2)."""
    body = response.json()
    body.pop("circuit", None)
    return body


def test_healthz_says_ok_as_json(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert without_circuit(response) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_names_the_failed_part(client, db, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert without_circuit(response) == {"status": "down", "database": "error", "cache": "ok"}


def test_healthz_with_the_cache_down(client, db, monkeypatch):
    def refused(*args, **kwargs):
        raise ConnectionError("cache refused")

    monkeypatch.setattr(health.cache, "set", refused)
    response = client.get("/healthz")
    assert response.status_code == 200  # still serving: keep it in the pool
    assert without_circuit(response) == {"status": "degraded", "database": "ok", "cache": "error"}


def test_healthz_with_a_database_that_is_really_down(tmp_path):
    """A process whose PostgreSQL does not answer (nothing listens on port 9)."""
    script = (
        "import django, json; django.setup();"
        "from django.test import Client; r = Client().get('/healthz');"
        "print(r.status_code, json.dumps(r.json()))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/nothing",
        "DATABASE_CONN_MAX_AGE": "0",
        "CACHE_DIR": str(tmp_path),
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    status, body = done.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {"status": "down", "database": "error", "cache": "ok"}


def test_tokens_are_masked_in_every_log_line():
    assert redact(f"GET /inscription/gerer/{TOKEN}/ HTTP/1.1") == (
        "GET /inscription/gerer/[token]/ HTTP/1.1"
    )
    assert redact(f"/inscription/gerer/{TOKEN}?x=1") == "/inscription/gerer/[token]?[…]"
    # Query strings hold what people typed: a search for a neighbour's name stays out.
    assert redact("GET /recherche/?q=mme+diallo HTTP/1.1") == "GET /recherche/?[…] HTTP/1.1"


def test_django_request_logs_carry_the_path_without_the_token(client, db):
    """The 404 of a wrong manage link is logged by django.request through our handler."""
    handler = next(h for h in logging.getLogger().handlers if _redacts(h))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    level = logging.getLogger().level
    logging.getLogger().setLevel(logging.INFO)
    try:
        assert client.get(f"/inscription/gerer/{TOKEN}/").status_code == 404
    finally:
        handler.setStream(previous)
        logging.getLogger().setLevel(level)
    written = stream.getvalue()
    assert "/inscription/gerer/[token]/" in written
    assert TOKEN not in written


def _redacts(handler) -> bool:
    return any(isinstance(f, RedactTokens) for f in handler.filters)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_gunicorn_access_log_has_the_path_not_the_token_nor_the_query(tmp_path):
    """A real gunicorn with our configuration, on the test database."""
    port = free_port()
    log = tmp_path / "access.log"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": str(log),
        "WEB_CONCURRENCY": "1",
    }
    if db["ENGINE"].endswith("sqlite3"):
        env["SQLITE_PATH"] = str(db["NAME"])
    else:
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "portal/gunicorn.py", "portal.wsgi"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings.test"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}/inscription/gerer/{TOKEN}/"
        status = server_header = None
        for _ in range(100):
            try:
                status = urllib.request.urlopen(url, timeout=5).status
            except urllib.error.HTTPError as error:
                status, server_header = error.code, error.headers.get("Server")
            except OSError:
                time.sleep(0.1)
                continue
            break
        assert status == 404
        # The Server header names no software nor version.
        assert "gunicorn" not in (server_header or "").lower()
        search = f"http://127.0.0.1:{port}/recherche/?q=Mme+Diallo"
        urllib.request.urlopen(search, timeout=10)
    finally:
        server.terminate()
        server.wait(timeout=20)
    written = log.read_text()
    assert "/inscription/gerer/[token]/" in written, written
    assert TOKEN not in written
    assert "/recherche/?[…]" in written and "Diallo" not in written


def test_pages_feeds_and_rate_limits_survive_a_redis_outage(client, demo, settings):
    """Nothing listens on port 9: Redis is down. Pages are served uncached, /healthz says
    « degraded » (still 200: the instance serves), and rate limits count in the database."""
    down = "redis://127.0.0.1:9/0"
    settings.REDIS_URL = down
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache_backend.ResilientRedisCache",
            "LOCATION": down,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    for url in ("/", "/agenda/", "/agence-nord/les-tilleuls/", "/calendrier/permanences.ics"):
        assert client.get(url).status_code == 200, url
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "error",
        "circuit": "open",
    }
    settings.SEARCH_RATE_LIMIT = 2
    statuses = [client.get("/recherche/", {"q": "fete"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
