"""Cached feed responses, with an ETag that is a hash of the body and 304s from the cache."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified

from portal.cache.fragments import fragment_key, lookup
from portal.cache.tags import build, depends_on
from portal.cache.tree import ALL

FEED_TTL = 24 * 60 * 60

# What a cached response keeps besides its body.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "ETag", "Cache-Control", "Last-Modified")

View = Callable[..., HttpResponseBase]


def cached_response(allowed_params: frozenset[str] = frozenset()) -> Callable[[View], View]:
    """Cache a feed view's 200 responses until a tag it was built from changes.

    The view records what it shows (`Scope.narrow` records its scope); a view that records
    nothing depends on every change (`ALL`). The ETag is a hash of the body, made when the body
    is built and cached with it, so it covers everything the body shows (a partner's address, a
    residence's name, a page's URL). A matching `If-None-Match` is answered 304 straight from
    the cache (no query at all). Only requests whose parameters are all in `allowed_params` are
    cached, so junk query strings cannot fill the cache; they are answered (and conditionally)
    all the same.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if set(request.GET) - allowed_params or len(request.META.get("QUERY_STRING", "")) > 512:
                response = view(request, *args, **kwargs)
                return conditional(request, response, _kept(response))
            params = sorted(request.GET.lists())
            key = fragment_key("response", request.scheme, request.get_host(), request.path, params)
            entry, epoch = lookup(key)
            if entry is None:
                response, _tags, snapshot = build(
                    lambda: view(request, *args, **kwargs), epoch=epoch or "", default=(ALL,)
                )
                if response.status_code != 200 or response.streaming:
                    return response
                headers = _kept(response)
                if snapshot is not None:
                    cache.set(key, (snapshot, headers, response.content), FEED_TTL)
                return conditional(request, response, headers)
            snapshot, headers, body = entry
            depends_on(*snapshot)
            response = HttpResponse(body)
            for header, value in headers.items():
                response[header] = value
            return conditional(request, response, headers)

        return wrapper

    return decorator


def _kept(response: HttpResponse) -> dict[str, str]:
    """The headers kept with a cached body, its ETag (a hash of that body) among them."""
    if response.status_code == 200 and not response.streaming:
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    return {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}


def conditional(
    request: HttpRequest, response: HttpResponseBase, headers: dict[str, str]
) -> HttpResponseBase:
    """The one conditional-request path: 304 when the client holds this very body."""
    etag = headers.get("ETag")
    asked = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag and (etag in asked or f"W/{etag}" in asked):
        not_modified = HttpResponseNotModified()
        for header in ("ETag", "Cache-Control", "Last-Modified"):
            if header in headers:
                not_modified[header] = headers[header]
        return not_modified
    return response
