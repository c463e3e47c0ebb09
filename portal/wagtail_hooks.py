"""Admin hooks of the portal: page saves that never answer a 500, one « Dépublier »."""

from wagtail import hooks

from . import page_saves


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
