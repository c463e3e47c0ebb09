"""Redis as a cache, not as a dependency of every page.

When Redis does not answer, reads miss and writes are dropped (with a warning at most once a
minute), so pages and feeds are served uncached instead of failing; /healthz reports the cache
as down. Rate limits fall back to the database (portal/throttle.py), which is why `incr`
still raises.
"""

import logging
import time

from redis.exceptions import RedisError

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

_last_warning = 0.0


def _warn(operation: str, error: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning("cache unavailable during %s: %s", operation, type(error).__name__)


def _tolerant(name: str, fallback):
    method = getattr(RedisCache, name)

    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            _warn(name, error)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    wrapper.__name__ = name
    return wrapper


class ResilientRedisCache(RedisCache):
    get = _tolerant("get", lambda key, default=None, **kwargs: default)
    get_many = _tolerant("get_many", {})
    has_key = _tolerant("has_key", False)
    add = _tolerant("add", False)
    set = _tolerant("set", None)
    set_many = _tolerant("set_many", lambda data, *args, **kwargs: list(data))
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    delete_many = _tolerant("delete_many", None)
    clear = _tolerant("clear", None)
