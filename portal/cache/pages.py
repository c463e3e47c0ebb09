"""Whole public pages from the cache, for visitors without a session: a crowd costs no query.

A view opts in (Wagtail pages through the `before_serve_page` hook, other views with
`@page_cacheable`), saying which tags it shows. The middleware then keeps its 200 response under
the request's address until one of those tags changes, or `PAGE_CACHE_TIMEOUT` passes (time
moves: what is upcoming, today's permanence, an alert's window).

Never cached, never served from the cache: a request with a session or a messages cookie (a
signed-in editor, a message to show), an `Authorization` header, a method other than GET/HEAD,
an unknown query parameter, the admin, sign-up and manage pages, documents. Never stored: a
response that set a cookie, rendered a CSRF token, is private or not a 200, or that a signed-in
user received. Entries hold the page as any visitor gets it, so they hold no personal data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from portal.cache.fragments import lookup
from portal.cache.tags import SITE, depends_on, recording, snapshot_unless_changed

# RFC 9211: says whether the page came from the cache (tests and the bench read it).
STATUS_HEADER = "Cache-Status"
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "Last-Modified")
MAX_QUERY_LENGTH = 256


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_TIMEOUT", 0) > 0


def allow(request: HttpRequest, tags: Iterable[str]) -> None:
    """The view serving `request` is public and the same for every visitor; it shows `tags`."""
    request._page_cacheable = True  # type: ignore[attr-defined]
    depends_on(*tags)


def page_cacheable(*tags: str) -> Callable:
    """Decorate a public view that is the same for every visitor and shows `tags`."""

    def decorator(view):
        def wrapper(request, *args, **kwargs):
            allow(request, tags)
            return view(request, *args, **kwargs)

        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        return wrapper

    return decorator


def _skipped_prefixes() -> tuple[str, ...]:
    return tuple(settings.PAGE_CACHE_SKIP_PREFIXES)


def cacheable_request(request: HttpRequest) -> bool:
    if not enabled() or request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.startswith(_skipped_prefixes()):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return False
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return False
    return not set(request.GET) - set(settings.PAGE_CACHE_PARAMS)


def page_key(request: HttpRequest) -> str:
    parts = (request.scheme, request.get_host(), request.path, sorted(request.GET.lists()))
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    day = timezone.localdate().isoformat()
    return f"page:{translation.get_language()}:{day}:{digest}"


def storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if not getattr(request, "_page_cacheable", False) or request.method != "GET":
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if b"csrfmiddlewaretoken" in getattr(response, "content", b""):
        return False  # the page holds a CSRF token: it belongs to one visitor
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class PageCacheMiddleware:
    """Placed before the session middleware: a hit reads no session and runs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            return self.get_response(request)
        key = page_key(request)
        entry, epoch = lookup(key)
        if entry is not None:
            _snapshot, kept, body = entry
            return self.hit(kept, body)
        with recording() as tags:
            response = self.get_response(request)
        if storable(request, response):
            patch_vary_headers(response, ("Cookie",))
            snapshot = snapshot_unless_changed({*tags, SITE}, epoch)
            if snapshot is not None:
                headers = {h: response[h] for h in self.kept_headers() if response.has_header(h)}
                cache.set(key, (snapshot, headers, response.content), settings.PAGE_CACHE_TIMEOUT)
            response[STATUS_HEADER] = "portal; fwd=miss; stored" if snapshot else "portal; fwd=miss"
        return response

    @staticmethod
    def kept_headers() -> tuple[str, ...]:
        # Headers of the inner middlewares (CSP, Permissions-Policy, framing) are the page's.
        return (
            *KEPT_HEADERS,
            "Content-Security-Policy",
            "Permissions-Policy",
            "X-Frame-Options",
        )

    @staticmethod
    def hit(headers: dict[str, str], body: bytes) -> HttpResponse:
        response = HttpResponse(body)
        for header, value in headers.items():
            response[header] = value
        response[STATUS_HEADER] = "portal; hit"
        return response
