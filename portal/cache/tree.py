"""Which tags a page shows, and which tags a change of a page makes stale, from its tree path.

A page shows its own subtree (`node`), its own level and the level of each page above it
(`level`: their titles in the breadcrumbs, and the content that belongs to their scope
directly), the seats of its dates, and the residence it names as a venue. Pages that list every
sector (the home page, the agenda, the indexes: `cache_lists_everything`) show `ALL`.

A change of a page makes stale: every subtree it is in (`node` of each ancestor), its own level,
and the level of the scope it belongs to, the nearest *scope root* above it (a sector or a
residence: `cache_scope_root`), or the site's root page for landlord-wide content. So a date
published in residence A1 of sector A reaches A1's pages, A's page and the pages that list every
sector, and leaves sector B, and residence A2, warm; a date of sector A itself reaches every
page of sector A; a landlord-wide date reaches every page. A child of the home page (a sector,
the agenda) is in the main menu of every page, so it also changes the site root's level.

Showing costs no query (paths are on the page); a change costs one, to find its scope root.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType

from portal.cache.tags import level, node, page, seats

if TYPE_CHECKING:
    from wagtail.models import Page

# Every change of content: what the pages listing every sector depend on.
ALL = "all"


def ancestor_paths(path: str) -> list[str]:
    """Paths from the site's root page (depth 2; Wagtail's root is left out) down to `path`."""
    from wagtail.models import Page

    step = Page.steplen
    return [path[:end] for end in range(2 * step, len(path) + 1, step)]


def shown_by(shown: Page, *, with_seats: bool = True) -> set[str]:
    """The tags a rendering of `shown` (its page, its fragments, its scope's feeds) depends on."""
    paths = ancestor_paths(shown.path)
    tags = {node(shown.path), page(shown.pk), *(level(p) for p in paths)}
    if with_seats:
        tags.add(seats(shown.pk))
    if getattr(shown, "cache_lists_everything", False):
        tags.add(ALL)
    venue = getattr(shown, "venue_residence_id", None)
    if venue:
        tags.add(page(venue))
    return tags


def changed_by(changed: Page, path: str | None = None) -> set[str]:
    """The tags a publish, unpublish, move or delete of `changed` makes stale.

    `path` is where the page stood, when it is not `changed.path` any more (a move).
    """
    from wagtail.models import Page

    path = path or changed.path
    paths = ancestor_paths(path)
    if not paths:
        return {ALL, page(changed.pk)}
    tags = {ALL, page(changed.pk), level(path), *(node(p) for p in paths)}
    rows = Page.objects.filter(path__in=paths).values_list("path", "content_type_id")
    roots = [
        found
        for found, content_type in rows
        if getattr(
            ContentType.objects.get_for_id(content_type).model_class(), "cache_scope_root", False
        )
    ]
    tags.add(level(max(roots, key=len) if roots else paths[0]))
    if len(paths) <= 2:
        tags.add(level(paths[0]))
    return tags
