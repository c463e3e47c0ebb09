"""A new page saved twice at once: Wagtail's auto-save and « Publier » a moment apart.

Within half a second of typing, the auto-save and the publish both reach Wagtail's « add » view
for the same new page: each form finds the slug free, the first save takes it, and the second
one's `Page.full_clean` raised « slug déjà utilisé » out of the view (a 500). Wrapped here:

- a POST to the add view runs in one transaction that first locks the parent page's row
  (SQLite's IMMEDIATE transactions hold the database's write lock anyway): two new pages under
  one parent are validated and saved in turn, so the second form sees the slug taken and says so
  at the field, in French (residences.placement.forms names the page that holds it);
- a save that fails half-way all the same (page row written, revision refused) is rolled back,
  leaving no page without a revision, and the request runs once more to show its form.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.urls import URLPattern, URLResolver

from wagtail.models import Page

logger = logging.getLogger(__name__)

GUARDED = {"wagtailadmin_pages:add"}


def lock_parent(parent_page_id: Any) -> None:
    """New pages under one parent are validated and saved one after the other."""
    if parent_page_id is not None:
        list(Page.objects.select_for_update().filter(pk=parent_page_id).values_list("pk"))


def one_save_at_a_time(view: Callable) -> Callable:
    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        try:
            with transaction.atomic():
                lock_parent(kwargs.get("parent_page_id"))
                return view(request, *args, **kwargs)
        except ValidationError:
            logger.info(
                "A new page lost its slug to a simultaneous save (user %s); form shown again.",
                request.user.pk,
            )
        return view(request, *args, **kwargs)

    return guarded


def _named(urlpatterns: list, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in urlpatterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def guard_page_saves(urlpatterns: list) -> None:
    """Wrap the views of GUARDED in Wagtail's admin URL patterns, in place (once)."""
    found = set()
    for name, pattern in _named(urlpatterns):
        if name not in GUARDED:
            continue
        found.add(name)
        if not getattr(pattern.callback, "page_saves_guarded", False):
            wrapped = one_save_at_a_time(pattern.callback)
            setattr(wrapped, "page_saves_guarded", True)  # noqa: B010 (a function attribute)
            pattern.callback = wrapped
    if found != GUARDED:
        raise ImproperlyConfigured(f"portal.page_saves: not found: {GUARDED - found}")
