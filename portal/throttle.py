"""A small rate limiter that works on every set-up: the configured cache when it is shared
(Redis), the database otherwise (the embedded default has no shared cache)."""

import hashlib
import time

from redis.exceptions import RedisError

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.shortcuts import render


def client_ip(request) -> str:
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def allow(scope: str, request, limit: int, window_seconds: int) -> bool:
    """Count one hit for this client in this scope; False past `limit` hits per window."""
    window = int(time.time() // window_seconds)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{scope}:{client_ip(request)}".encode())
    key = f"throttle:{digest.hexdigest()[:40]}:{window}"
    if settings.REDIS_URL:
        try:
            cache.add(key, 0, timeout=window_seconds)
            return cache.incr(key) <= limit
        except (RedisError, ValueError):  # Redis down (or the key lost): count in the database
            pass
    return _allow_in_database(key, limit)


def _allow_in_database(key: str, limit: int) -> bool:
    from portal.models import RateLimitHit

    try:
        with transaction.atomic():
            RateLimitHit.objects.create(key=key, hits=1)
            return limit >= 1
    except IntegrityError:
        RateLimitHit.objects.filter(key=key).update(hits=F("hits") + 1)
        return RateLimitHit.objects.get(key=key).hits <= limit


def too_many_requests(request, retry_after: int = 600):
    """The French « réessayez dans quelques minutes » page, with status 429 and Retry-After."""
    response = render(request, "pages/too_many_requests.html", status=429)
    response["Retry-After"] = str(retry_after)
    return response
