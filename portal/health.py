"""`/healthz`: is this process able to serve? For load balancers and monitoring.

- « ok » (200): the database and the cache answer;
- « degraded » (200): the cache does not answer (or its circuit is open), pages are served
  uncached: keep the instance in the pool, and look at Redis;
- « down » (503): the database does not answer: nothing can be served.
"""

import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal.circuit import CLOSED

logger = logging.getLogger(__name__)


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "down"; the log says which
        logger.exception("health check: database unreachable")
        return "error"
    return "ok"


def cache_status() -> str:
    breaker = getattr(cache, "breaker", None)
    if breaker is not None and breaker.state != CLOSED:
        return "error"  # not probed from here: the circuit's own probe will tell
    key, value = "healthz:probe", secrets.token_hex(4)
    try:
        cache.set(key, value, timeout=30)
        if cache.get(key) != value:
            return "error"
    except Exception:
        logger.exception("health check: cache unreachable")
        return "error"
    return "ok"


@require_safe
@never_cache
def healthz(request):
    """200 « ok » or « degraded » (the cache is off, pages still served), 503 « down »."""
    checks = {"database": database_status(), "cache": cache_status()}
    if checks["database"] != "ok":
        status = "down"
    elif checks["cache"] != "ok":
        status = "degraded"
    else:
        status = "ok"
    body = {"status": status, **checks}
    breaker = getattr(cache, "breaker", None)
    if breaker is not None:
        body["circuit"] = breaker.state
    return JsonResponse(body, status=503 if status == "down" else 200)
