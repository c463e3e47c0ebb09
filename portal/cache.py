"""Cached fragments and feeds that stay correct: each key carries the generations of what it shows.

A generation is a short random value in the configured cache (Redis when `REDIS_URL` is set, a
file cache shared by the processes of one machine otherwise). Changing what visitors read draws a
new value, so every key built on the old one is simply never asked for again and expires by
itself; nothing is deleted by pattern. Two generations:

- ``content``: a page published, unpublished, moved or deleted (occurrence rows are synced then,
  cancelled dates included), a snippet, an image or a site setting saved, horizons extended;
- ``seats``: seats taken or released by a registration, or a capacity changed.

Read the generations *before* reading the data (as `freshness` does when a key is built): a
change that commits in between then lands under a key that is already stale, never the reverse.
A bump draws at once, and again when the transaction commits: a request that rebuilt a fragment
from the old data in between stored it under a key that the second draw makes stale.
"""

import functools
import hashlib
import secrets
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils import timezone, translation

CONTENT = "content"
SEATS = "seats"
# Time moves too ("today", what is still upcoming, alerts' windows): no fragment lives longer.
FRAGMENT_TTL = 5 * 60
FEED_TTL = 24 * 60 * 60


def _key(name: str) -> str:
    return f"generation:{name}"


def generations(*names: str) -> str:
    """The current generations of `names`, in one cache round trip; created when missing."""
    keys = [_key(name) for name in names]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, secrets.token_hex(6), timeout=None)
            found[key] = cache.get(key)
    return ".".join(str(found[key]) for key in keys)


def bump(*names: str) -> None:
    """Draw new generations now and, inside a transaction, once more when it commits."""

    def draw():
        cache.set_many({_key(name): secrets.token_hex(6) for name in names}, timeout=None)

    draw()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(draw)


def freshness(*names: str) -> str:
    """The part of a cache key that changes with the data and with the local date."""
    return f"{generations(*names)}.{timezone.localdate().isoformat()}"


def fragment_key(kind: str, *parts: object, depends: tuple[str, ...] = (CONTENT,)) -> str:
    # The language too: an admin previewing a page in English must not fill the public cache.
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    return f"fragment:{kind}:{translation.get_language()}:{freshness(*depends)}:{digest}"


# What a cached response keeps besides its body.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "ETag", "Cache-Control", "Last-Modified")

View = Callable[..., HttpResponseBase]


def cached_response(allowed_params: frozenset[str] = frozenset()) -> Callable[[View], View]:
    """Cache a feed view's 200 responses until the content generation changes.

    The ETag is a hash of the body, made when the body is built and cached with it, so it
    covers everything the body shows (a partner's address, a residence's name, a page's URL).
    A matching `If-None-Match` is answered 304 straight from the cache (no query at all). Only
    requests whose parameters are all in `allowed_params` are cached, so junk query strings
    cannot fill the cache; they are answered (and conditionally) all the same.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if set(request.GET) - allowed_params or len(request.META.get("QUERY_STRING", "")) > 512:
                response = view(request, *args, **kwargs)
                return conditional(request, response, _kept(response))
            params = sorted(request.GET.lists())
            key = fragment_key("response", request.scheme, request.get_host(), request.path, params)
            entry = cache.get(key)
            if entry is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming:
                    return response
                headers = _kept(response)
                cache.set(key, (headers, response.content), FEED_TTL)
                return conditional(request, response, headers)
            headers, body = entry
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


def _content_changed(sender, **kwargs):
    bump(CONTENT)


def invalidate_on_change(*models: type[Model]) -> None:
    """Saving or deleting one of `models` changes what visitors read (called from apps' ready)."""
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                _content_changed, sender=model, dispatch_uid=f"cache-{model._meta.label}"
            )


def connect_page_signals() -> None:
    """Pages reach visitors when published, unpublished, moved or deleted (drafts change nothing)."""
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_content_changed, dispatch_uid="cache-pages")
    post_delete.connect(_content_changed, sender=Page, dispatch_uid="cache-page-delete")
