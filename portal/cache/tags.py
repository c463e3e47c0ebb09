"""Tags: one generation per thing that can change, so a change makes stale only what shows it.

A tag names something visitors read: the whole site's frame (`site`: settings, snippets, images,
menus), a subtree of the page tree (`node:<path>`: a page and everything below it), a page's own
level (`level:<path>`: the page itself and the content that belongs to its scope directly), the
seats of an event's dates (`seats:<page id>`), or one page by id (`page:<id>`). Each tag has a
generation, a short random value in the cache; changing what a tag covers draws a new one.

A cached entry keeps the generations of every tag it was built from (its *snapshot*) and is
fresh while they are all unchanged: one `get_many` answers that. Nothing is ever deleted by
pattern; stale entries are never asked for again and expire by themselves.

Building an entry records the tags its code reads (`depends_on`, nested builds pass theirs up to
the enclosing one). The generations are read after the build, so a change committed during the
build could land under a fresh-looking snapshot: `EPOCH`, drawn by every bump, is read before the
build too, and an entry is not stored when it moved meanwhile.
"""

from __future__ import annotations

import contextvars
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

SITE = "site"
EPOCH = "epoch"

T = TypeVar("T")
Snapshot = dict[str, str]


def node(path: str) -> str:
    """A page and everything below it (listings of a subtree depend on it)."""
    return f"node:{path}"


def level(path: str) -> str:
    """A page itself, and what belongs to its scope directly (a sector's own dates)."""
    return f"level:{path}"


def page(pk: int) -> str:
    """One page, by id (what other pages show of it: a residence named as a venue)."""
    return f"page:{pk}"


def seats(page_pk: int) -> str:
    """The seats taken and remaining on the dates of one page."""
    return f"seats:{page_pk}"


def _key(tag: str) -> str:
    return f"generation:{tag}"


def generations(tags: Iterable[str]) -> Snapshot:
    """The current generation of each tag, in one cache round trip; created when missing."""
    keys = {tag: _key(tag) for tag in tags}
    found = cache.get_many(list(keys.values()))
    snapshot = {}
    for tag, key in keys.items():
        if key not in found:
            # Another process may create it at the same time: keep whichever was first.
            cache.add(key, secrets.token_hex(6), timeout=None)
            found[key] = cache.get(key) or secrets.token_hex(6)
        snapshot[tag] = str(found[key])
    return snapshot


def is_fresh(snapshot: Snapshot) -> bool:
    """Whether nothing the entry was built from changed since."""
    return bool(snapshot) and generations(snapshot) == snapshot


def bump(*tags: str) -> None:
    """Draw new generations now and, inside a transaction, once more when it commits.

    The second draw makes stale what a request rebuilt from the old data in between.
    """
    names = {*tags, EPOCH}

    def draw() -> None:
        cache.set_many({_key(tag): secrets.token_hex(6) for tag in names}, timeout=None)

    draw()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(draw)


_recording: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "cache_tags", default=None
)


def depends_on(*tags: str) -> None:
    """What is being built shows what these tags cover (no-op outside a build)."""
    recorded = _recording.get()
    if recorded is not None:
        recorded.update(tags)


@contextmanager
def recording() -> Iterator[set[str]]:
    """Collect the tags read inside; they count for the enclosing build too."""
    outer = _recording.get()
    tags: set[str] = set()
    token = _recording.set(tags)
    try:
        yield tags
    finally:
        _recording.reset(token)
        if outer is not None:
            outer.update(tags)


def build(
    make: Callable[[], T], *, epoch: str | None = None, default: Iterable[str] = ()
) -> tuple[T, set[str], Snapshot | None]:
    """Run `make`, recording its tags; the snapshot to store it under, None if it raced a change.

    `epoch` is the `EPOCH` generation read before (read here when not given); `default` is what
    the result depends on when its code recorded nothing.
    """
    if not epoch:
        epoch = generations([EPOCH])[EPOCH]
    with recording() as tags:
        value = make()
        if not tags:
            tags.update(default)
        tags.add(SITE)
    return value, tags, snapshot_unless_changed(tags, epoch)


def snapshot_unless_changed(tags: Iterable[str], epoch: str | None) -> Snapshot | None:
    """The generations of `tags`, or None when `EPOCH` moved since it read `epoch`."""
    snapshot = generations([*tags, EPOCH])
    if not epoch or snapshot.pop(EPOCH) != epoch:
        return None
    return snapshot
