"""Admin registration of the residences app's snippets, with French menus."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import MediatorProfile, Partner


class MediatorViewSet(SnippetViewSet):
    model = MediatorProfile
    icon = "user"
    menu_label = _("Médiateurs")
    list_display = [Column("full_name", label=_("Nom")), "job_title", "phone", "email"]
    search_fields = ["first_name", "last_name"]


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    menu_label = _("Partenaires")
    list_display = ["name", "kind", "town"]
    list_filter = ["kind"]
    search_fields = ["name"]


class PeopleViewSetGroup(SnippetViewSetGroup):
    items = (MediatorViewSet, PartnerViewSet)
    menu_icon = "group"
    menu_label = _("Annuaire")
    menu_name = "annuaire"


register_snippet(PeopleViewSetGroup)
