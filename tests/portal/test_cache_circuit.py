"""The cache degrades only when Redis is down: a circuit breaker against a real Redis, a port
that refuses connections and a server that accepts and never answers. The breaker's clock is
injected, so every transition is driven by the test, never by waiting."""

import socket

import pytest

from django.core.cache import caches

from portal.cache_backend import ResilientRedisCache
from portal.circuit import CLOSED, HALF_OPEN, OPEN, CircuitBreaker
from tests.cache_servers import SilentOrForwarding, closed_port

pytestmark = pytest.mark.engine

REDIS = ("127.0.0.1", 6379)


def redis_is_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(not redis_is_up(), reason="no Redis on 127.0.0.1:6379")


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


def backend(url: str, clock, failures: int = 3, cooldown: float = 30) -> ResilientRedisCache:
    return ResilientRedisCache(
        url,
        {
            "KEY_PREFIX": "circuit-test",
            "OPTIONS": {
                "socket_connect_timeout": 0.2,
                "socket_timeout": 0.2,
                "CIRCUIT_FAILURES": failures,
                "CIRCUIT_COOLDOWN": cooldown,
                "CIRCUIT_CLOCK": clock,
            },
        },
    )


@pytest.fixture
def proxy():
    server = SilentOrForwarding(upstream=REDIS)
    yield server
    server.stop()


def test_the_breaker_opens_after_consecutive_failures_only(clock):
    breaker = CircuitBreaker(threshold=3, cooldown=10, clock=clock)
    breaker.failed()
    breaker.failed()
    breaker.succeeded()  # a success in between: not consecutive
    breaker.failed()
    breaker.failed()
    assert breaker.state == CLOSED and breaker.allow()
    assert breaker.failed() is True
    assert breaker.state == OPEN and not breaker.allow()
    clock.now += 9.9
    assert not breaker.allow()
    clock.now += 0.1
    assert breaker.state == HALF_OPEN
    assert breaker.allow()  # the one probe
    assert not breaker.allow()  # nobody else while it runs
    breaker.failed()  # the probe failed: open again, for a whole cooldown
    assert breaker.state == OPEN
    clock.now += 10
    assert breaker.allow()
    breaker.succeeded()
    assert breaker.state == CLOSED and breaker.allow() and breaker.allow()


@needs_redis
def test_a_healthy_redis_keeps_the_circuit_closed(clock):
    cache = backend("redis://127.0.0.1:6379/10", clock)
    for n in range(20):
        cache.set(f"k{n}", n)
        assert cache.get(f"k{n}") == n
    assert cache.breaker.state == CLOSED and cache.breaker.failures == 0
    cache.delete_many([f"k{n}" for n in range(20)])


def test_a_refused_port_opens_the_circuit_and_calls_stop(clock):
    cache = backend(f"redis://127.0.0.1:{closed_port()}/10", clock)
    assert cache.get("a", "absent") == "absent"
    assert cache.set("a", 1) is None
    assert cache.breaker.state == CLOSED
    assert cache.get_many(["a"]) == {}  # third consecutive failure
    assert cache.breaker.state == OPEN
    failures = cache.breaker.failures
    for _ in range(10):
        assert cache.get("a", "absent") == "absent"
    assert cache.breaker.failures == failures  # not even tried
    with pytest.raises(Exception, match="circuit open"):
        cache.incr("counter")  # the rate limiter falls back to the database


@needs_redis
def test_a_redis_that_never_answers_opens_then_a_probe_closes_it(clock, proxy):
    cache = backend(proxy.url, clock)
    cache.set("key", "value")
    assert cache.get("key") == "value"  # through the proxy to the real Redis

    proxy.silence()
    for _ in range(3):
        assert cache.get("key") is None  # each waits for its timeout, then misses
    assert cache.breaker.state == OPEN
    received = proxy.received
    for _ in range(20):
        assert cache.get("key") is None
        cache.set("key", "other")
    assert proxy.received == received  # open: no call reached the server

    clock.now += 30
    assert cache.breaker.state == HALF_OPEN
    assert cache.get("key") is None  # the probe, still unanswered
    assert cache.breaker.state == OPEN and proxy.received > received

    proxy.resume()
    clock.now += 29
    assert cache.get("key") is None and cache.breaker.state == OPEN  # cooldown not over
    clock.now += 1
    assert cache.get("key") == "value"  # the probe gets through
    assert cache.breaker.state == CLOSED
    cache.delete("key")


@needs_redis
def test_healthz_says_degraded_with_200_while_the_cache_is_off(client, db, settings, clock):
    server = SilentOrForwarding(upstream=REDIS)
    try:
        settings.CACHES = {
            "default": {
                "BACKEND": "portal.cache_backend.ResilientRedisCache",
                "LOCATION": server.url,
                "KEY_PREFIX": "circuit-test",
                "OPTIONS": {
                    "socket_connect_timeout": 0.2,
                    "socket_timeout": 0.2,
                    "CIRCUIT_FAILURES": 2,
                    "CIRCUIT_COOLDOWN": 30,
                    "CIRCUIT_CLOCK": clock,
                },
            }
        }
        ok = client.get("/healthz")
        assert ok.status_code == 200
        assert ok.json() == {"status": "ok", "database": "ok", "cache": "ok", "circuit": CLOSED}

        server.silence()
        degraded = client.get("/healthz")  # its probe times out: two failures, open
        assert degraded.status_code == 200
        assert degraded.json() == {
            "status": "degraded",
            "database": "ok",
            "cache": "error",
            "circuit": OPEN,
        }
        received = server.received
        assert client.get("/healthz").status_code == 200
        assert server.received == received  # an open circuit is not probed by /healthz

        server.resume()
        clock.now += 30
        caches["default"].get("wake-up")  # the circuit's own probe, from any request
        assert client.get("/healthz").json()["status"] == "ok"
    finally:
        server.stop()
