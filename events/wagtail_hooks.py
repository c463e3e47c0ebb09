"""Admin registration of the events app's snippets."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import EventCategory


class EventCategoryViewSet(SnippetViewSet):
    model = EventCategory
    icon = "tag"
    menu_label = _("Catégories d'animation")
    list_display = ["name", "slug"]
    add_to_admin_menu = False


register_snippet(EventCategoryViewSet)
