"""What makes cached things stale: page events reach the page's tags, site-wide saves `SITE`."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from portal.cache.tags import SITE, bump
from portal.cache.tree import ALL, changed_by


def bump_page(page: Any, path: str | None = None) -> None:
    """A page's content changed for visitors (published, unpublished, moved, its dates synced)."""
    bump(*changed_by(page, path))


def _site_changed(sender: Any, **kwargs: Any) -> None:
    bump(SITE)


def invalidate_on_change(*models: type[Model]) -> None:
    """Saving or deleting one of `models` changes every page's frame (called from apps' ready):
    snippets shown anywhere (mediators, partners, categories), images, documents, settings."""
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(_site_changed, sender=model, dispatch_uid=f"cache-{model._meta.label}")


def _page_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    bump_page(instance)


def _page_moving(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Where it stood: its old subtree, its old scope and the listings above it.
    bump_page(instance, instance.path)


def _page_moved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from wagtail.models import Page

    path = Page.objects.filter(pk=instance.pk).values_list("path", flat=True).first()
    bump_page(instance, path)


def _restriction_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from wagtail.models import Page

    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # deleted with its page, which said so itself
        bump(ALL)
        return
    bump_page(page)


def connect_page_signals() -> None:
    """Pages reach visitors when published, unpublished, moved or deleted (drafts change nothing);
    a view restriction added or removed takes a subtree out of, or back into, every listing."""
    from wagtail.models import Page, PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

    for signal in (page_published, page_unpublished):
        signal.connect(_page_changed, dispatch_uid="cache-pages")
    pre_page_move.connect(_page_moving, dispatch_uid="cache-page-moving")
    post_page_move.connect(_page_moved, dispatch_uid="cache-page-moved")
    post_delete.connect(_page_changed, sender=Page, dispatch_uid="cache-page-delete")
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed, sender=PageViewRestriction, dispatch_uid="cache-restrictions"
        )
