"""The suite really runs on the database and cache the environment names (CI's second pass):
checked against the servers themselves, not against the settings that name them."""

import os
import uuid

import pytest

from django.core.cache import cache
from django.db import connection

pytestmark = pytest.mark.engine


@pytest.mark.django_db
def test_the_database_answering_is_the_one_database_url_names():
    with connection.cursor() as cursor:
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            cursor.execute("SELECT current_database(), version()")
            name, version = cursor.fetchone()
            assert version.startswith("PostgreSQL")
            assert name == connection.settings_dict["NAME"]
        else:
            cursor.execute("PRAGMA database_list")
            files = {row[1]: row[2] for row in cursor.fetchall()}
            assert files["main"] == str(connection.settings_dict["NAME"])


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the cache is process memory")
def test_a_value_cached_here_is_in_the_redis_redis_url_names():
    import redis

    key = f"tdu-test-{uuid.uuid4().hex}"
    cache.set(key, "présent", 30)
    server = redis.Redis.from_url(os.environ["REDIS_URL"])
    assert list(server.scan_iter(f"*{key}*")), "the value is not in that Redis"
    assert cache.get(key) == "présent"
