"""A small rate limiter that works on every set-up: the configured cache when it is shared
(Redis), the database otherwise (the embedded default has no shared cache)."""

import hashlib
import ipaddress
import time
from collections.abc import Iterable
from datetime import datetime, timedelta

from redis.exceptions import RedisError

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def client_ip(request: HttpRequest) -> str:
    """The client's address, taken from the proxy chain the deployment declares.

    `X-Forwarded-For` is written left to right: whatever the client sent first, then each proxy
    appends the address it received the request from. Only the entries added by our own proxies
    can be believed, so the client is the first untrusted hop counted from the right: with
    `TRUSTED_PROXIES` (addresses or networks), skip those; with `TRUSTED_PROXY_COUNT` = N, take
    the N-th entry from the right. With no trusted proxy declared, forwarded headers are ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    networks, count = settings.TRUSTED_PROXIES, settings.TRUSTED_PROXY_COUNT
    if not (networks or count):
        return remote
    forwarded = request.META.get(settings.CLIENT_IP_HEADER or "HTTP_X_FORWARDED_FOR", "")
    chain = [hop.strip() for hop in forwarded.split(",") if hop.strip()] + [remote]
    if networks:
        for hop in reversed(chain):
            if not _within(hop, networks):
                return hop if _is_address(hop) else remote
        return chain[0] if _is_address(chain[0]) else remote
    hop = chain[max(0, len(chain) - 1 - count)]
    return hop if _is_address(hop) else remote


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _within(value: str, networks: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return any(address in network for network in networks)


def allow(scope: str, request: HttpRequest, limit: int, window_seconds: int) -> bool:
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


# A counter row only matters during its window (an hour at most); a day leaves a wide margin.
STALE_AFTER = timedelta(days=1)


def prune(now: datetime | None = None) -> int:
    """Delete the database counters of past windows (`manage.py prune_rate_limits`, daily)."""
    from portal.models import RateLimitHit

    cutoff = (now or timezone.now()) - STALE_AFTER
    deleted, _ = RateLimitHit.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def too_many_requests(request: HttpRequest, retry_after: int = 600) -> HttpResponse:
    """The French « réessayez dans quelques minutes » page, with status 429 and Retry-After."""
    response = render(request, "pages/too_many_requests.html", status=429)
    response["Retry-After"] = str(retry_after)
    return response
