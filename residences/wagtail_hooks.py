"""Admin registration of the residences app's snippets, with French menus."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
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


@hooks.register("after_create_page")
def create_team_with_the_sector(request, page):
    """A sector created in the admin gets its team straight away. A renamed sector's team
    follows its title when the rename is published (residences.models.team)."""
    from portal.models import PortalSettings

    from .models import SectorPage
    from .teams import setup_sector_team

    if isinstance(page.specific, SectorPage):
        settings = PortalSettings.for_request(request)
        setup_sector_team(page.specific, settings.require_approval)


@hooks.register("construct_page_chooser_queryset")
def choose_within_own_sectors(pages, request):
    """Choosers show a mediator only the pages they may explore (their sectors and above)."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    if request.user.is_superuser:
        return pages
    explorable = PagePermissionPolicy().explorable_instances(request.user)
    return pages.filter(pk__in=explorable.values("pk"))
