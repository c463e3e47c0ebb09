"""Cached fragments: a block of a page, kept until a tag it was built from changes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.utils import timezone, translation

from portal.cache.tags import EPOCH, _key, build, depends_on, is_fresh

# Time moves too ("today", what is still upcoming, alerts' windows): no fragment lives longer.
FRAGMENT_TTL = 5 * 60


def fragment_key(kind: str, *parts: object) -> str:
    """The key of a fragment: what it varies on, the language and the local date.

    The language too: an admin previewing a page in English must not fill the public cache.
    """
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    day = timezone.localdate().isoformat()
    return f"fragment:{kind}:{translation.get_language()}:{day}:{digest}"


def lookup(key: str) -> tuple[tuple[Any, ...] | None, str | None]:
    """A stored entry if it is still fresh (else None), and the `EPOCH` read with it."""
    found = cache.get_many([key, _key(EPOCH)])
    entry, epoch = found.get(key), found.get(_key(EPOCH))
    if entry is None or not isinstance(entry, tuple) or not is_fresh(entry[0]):
        return None, epoch
    return entry, epoch


def cached_fragment(
    key: str,
    render: Callable[[], str],
    *,
    default: Iterable[str] = (),
    timeout: int = FRAGMENT_TTL,
) -> str:
    """The fragment under `key`, rendered and stored when missing or stale."""
    entry, epoch = lookup(key)
    if entry is not None:
        snapshot, html = entry
        depends_on(*snapshot)
        return html
    built, _tags, fresh = build(render, epoch=epoch or "", default=default)
    if fresh is not None:
        cache.set(key, (fresh, built), timeout)
    return built
