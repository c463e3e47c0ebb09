"""Wagtail hooks of the portal: public pages enter the full-page cache (portal/cache/pages.py)."""

from wagtail import hooks

from portal.cache import pages, shown_by


@hooks.register("before_serve_page")
def cache_public_page(page, request, serve_args, serve_kwargs):
    """A live page without a view restriction is the same for every visitor without a session."""
    if not pages.enabled() or getattr(request, "is_preview", False):
        return None
    if page.get_view_restrictions().exists():
        return None
    pages.allow(request, shown_by(page))
    return None
