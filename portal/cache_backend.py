"""Redis as a cache, not as a dependency of every page; a busy Redis is not a dead one.

When Redis does not answer, reads miss and writes are dropped (with a warning at most once a
minute), so pages and feeds are served uncached instead of failing. A circuit breaker
(portal/circuit.py) counts consecutive failures: after `CIRCUIT_FAILURES` of them, this process
stops calling Redis for `CIRCUIT_COOLDOWN` seconds (each call would have waited for its
timeout), then lets one call probe it. Timeouts are generous (`socket_timeout` 2 s by default):
on a loaded two-core host a healthy Redis can take tens of milliseconds to answer, and a
spurious timeout used to switch the cache off exactly when traffic peaked. /healthz reports the
cache as degraded while the circuit is open; rate limits fall back to the database
(portal/throttle.py), which is why `incr` still raises.
"""

from __future__ import annotations

import logging
import time

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from django.core.cache.backends.redis import RedisCache

from portal.circuit import CircuitBreaker

logger = logging.getLogger(__name__)

_last_warning = 0.0


def _warn(operation: str, error: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning("cache unavailable during %s: %s", operation, type(error).__name__)


def _guarded(name: str, fallback, *, raises: bool = False):
    method = getattr(RedisCache, name)

    def wrapper(self, *args, **kwargs):
        if not self.breaker.allow():
            if raises:
                raise RedisConnectionError("cache circuit open")
            return fallback(*args, **kwargs) if callable(fallback) else fallback
        try:
            result = method(self, *args, **kwargs)
        except RedisError as error:
            if self.breaker.failed():
                logger.warning("cache circuit opened after %s failures", self.breaker.threshold)
            _warn(name, error)
            if raises:
                raise
            return fallback(*args, **kwargs) if callable(fallback) else fallback
        self.breaker.succeeded()
        return result

    wrapper.__name__ = name
    return wrapper


class ResilientRedisCache(RedisCache):
    """Django's Redis cache behind a circuit breaker.

    OPTIONS beyond redis-py's: `CIRCUIT_FAILURES` (5), `CIRCUIT_COOLDOWN` (seconds, 15) and,
    for tests, `CIRCUIT_CLOCK` (a callable returning seconds).
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        threshold = int(options.pop("CIRCUIT_FAILURES", 5))
        cooldown = float(options.pop("CIRCUIT_COOLDOWN", 15))
        clock = options.pop("CIRCUIT_CLOCK", time.monotonic)
        super().__init__(server, {**params, "OPTIONS": options})
        self.breaker = CircuitBreaker(threshold, cooldown, clock)

    get = _guarded("get", lambda key, default=None, **kwargs: default)
    get_many = _guarded("get_many", lambda *args, **kwargs: {})  # a new dict: callers fill it
    has_key = _guarded("has_key", False)
    add = _guarded("add", False)
    set = _guarded("set", None)
    set_many = _guarded("set_many", lambda data, *args, **kwargs: list(data))
    touch = _guarded("touch", False)
    delete = _guarded("delete", False)
    delete_many = _guarded("delete_many", None)
    clear = _guarded("clear", None)
    incr = _guarded("incr", None, raises=True)
    decr = _guarded("decr", None, raises=True)
