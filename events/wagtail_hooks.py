"""Admin registration of the events app's snippets."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import cancel_date
from .models import EventCategory, PermanencePage


class EventCategoryViewSet(SnippetViewSet):
    model = EventCategory
    icon = "tag"
    menu_label = _("Catégories d'animation")
    list_display = ["name", "slug"]
    add_to_admin_menu = False


register_snippet(EventCategoryViewSet)


@hooks.register("register_admin_urls")
def admin_urls():
    return [path("permanences/<int:page_id>/annuler-une-date/", cancel_date, name="cancel_date")]


def cancel_date_button(page, user, priority: int):
    is_permanence = isinstance(page.specific_deferred, PermanencePage) and page.live
    if is_permanence and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Annuler une date"),
            reverse("cancel_date", args=(page.pk,)),
            icon_name="calendar",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def header_cancel_date(page, user, view_name=None, next_url=None):
    yield from cancel_date_button(page, user, priority=12)


@hooks.register("register_page_listing_more_buttons")
def listing_cancel_date(page, user, next_url=None):
    yield from cancel_date_button(page, user, priority=3)
