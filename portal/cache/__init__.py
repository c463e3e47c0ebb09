"""Caches that stay correct and precise: each entry keeps the generations of the tags it shows.

- `tags`: tags, their generations, `bump`, and the recording of what a build reads;
- `tree`: which tags a page shows and which a change of a page makes stale (by tree path);
- `fragments`: `{% cached %}` blocks; `responses`: feeds, with their ETag and 304s;
- `pages`: whole public pages for visitors without a session (`PageCacheMiddleware`);
- `signals`: publish, unpublish, move, delete, view restrictions, and site-wide saves.

A change makes stale what shows it and nothing else: a date published in one sector leaves
the other sectors' pages, fragments and feeds warm (see `tree`).
"""

from portal.cache.fragments import FRAGMENT_TTL, cached_fragment, fragment_key
from portal.cache.responses import FEED_TTL, cached_response, conditional
from portal.cache.signals import bump_page, connect_page_signals, invalidate_on_change
from portal.cache.tags import SITE, bump, depends_on, generations, is_fresh, seats
from portal.cache.tree import ALL, changed_by, shown_by

__all__ = [
    "ALL",
    "FEED_TTL",
    "FRAGMENT_TTL",
    "SITE",
    "bump",
    "bump_page",
    "cached_fragment",
    "cached_response",
    "changed_by",
    "conditional",
    "connect_page_signals",
    "depends_on",
    "fragment_key",
    "generations",
    "invalidate_on_change",
    "is_fresh",
    "seats",
    "shown_by",
]
