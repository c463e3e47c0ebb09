"""Wagtail hooks of the portal: public pages enter the full-page cache (portal/cache/pages.py),
page saves that never answer a 500, one « Dépublier », the stylesheet our admin views share."""

from django.templatetags.static import static
from django.utils.html import format_html

from wagtail import hooks

from portal.cache import pages, shown_by

from . import page_saves


@hooks.register("before_serve_page")
def cache_public_page(page, request, serve_args, serve_kwargs):
    """A live page without a view restriction is the same for every visitor without a session."""
    if not pages.enabled() or getattr(request, "is_preview", False):
        return None
    if page.get_view_restrictions().exists():
        return None
    pages.allow(request, shown_by(page))
    return None


@hooks.register("register_admin_urls", order=100)
def guard_page_saves():
    """Runs while wagtail.admin.urls builds its patterns (as residences' URL guards do)."""
    from wagtail.admin import urls as admin_urls  # the module being imported: its core patterns

    page_saves.guard_page_saves(admin_urls.urlpatterns)
    return []


@hooks.register("construct_page_action_menu")
def one_unpublish(menu_items, request, context):
    """« Dépublier » was offered twice on the edit page: by Wagtail's header menu (its
    `register_page_header_buttons` hook) and by the action menu at the bottom. The header's,
    also on the page listing and the explorer, stays; the action menu keeps publishing."""
    menu_items[:] = [item for item in menu_items if item.name != "action-unpublish"]


@hooks.register("insert_global_admin_css")
def admin_stylesheet():
    """Phones (#20): our admin tables fold into cards, buttons and fields of 44 px."""
    return format_html('<link rel="stylesheet" href="{}">', static("portal/css/admin.css"))
