"""`/healthz`: is this process able to serve? For load balancers and monitoring."""

import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

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
    """200 with {"status": "ok", …} when every part answers, else 503 naming the failed part."""
    checks = {"database": database_status(), "cache": cache_status()}
    healthy = all(state == "ok" for state in checks.values())
    body = {"status": "ok" if healthy else "error", **checks}
    return JsonResponse(body, status=200 if healthy else 503)
